package org.archivebridge;

import io.aeron.archive.client.ArchiveException;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_ref_t;
import org.bytedeco.javacpp.Loader;

import java.nio.ByteOrder;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_IO;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_FRAME_HEADER_LENGTH;

/*
 * Reads one image's current term in Java from where the C core said its terms and subscriber position are (an
 * abr_image_ref_t, while the C core holds the images mapped), handing its data frames over as io.aeron.Image does
 * (padding skipped) and moving the subscriber position with release, so the driver sees it. Shared by the
 * subscription's poll and the image's own polls. Holds reusable views, so reading allocates nothing; one thread at a
 * time.
 */
final class ImageTermReader
{
    static
    {
        // The struct's layout is known once the library is loaded; this class may be the first to ask for it.
        Loader.load(ArchiveBridgeLibrary.class);
    }

    static final int IMAGE_REF_LENGTH = Loader.sizeof(abr_image_ref_t.class);
    private static final int TERMS_OFFSET = Loader.offsetof(abr_image_ref_t.class, "terms");
    private static final int SUBSCRIBER_POSITION_OFFSET = Loader.offsetof(abr_image_ref_t.class, "subscriber_position");
    private static final int TERM_LENGTH_OFFSET = Loader.offsetof(abr_image_ref_t.class, "term_length");
    private static final int INITIAL_TERM_ID_OFFSET = Loader.offsetof(abr_image_ref_t.class, "initial_term_id");
    private static final int POSITION_BITS_OFFSET = Loader.offsetof(abr_image_ref_t.class, "position_bits_to_shift");
    private static final int SESSION_ID_OFFSET = Loader.offsetof(abr_image_ref_t.class, "session_id");
    private static final int FRAME_ALIGNMENT = 32;
    private static final int TYPE_FIELD_OFFSET = 6;
    private static final int HDR_TYPE_PAD = 0;
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer term = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer subscriberPosition = new UnsafeBuffer(0, 0);
    private final Header header;
    private long startPosition;
    private int startOffset;
    private int limitOffset;
    private int termLength;
    private int sessionId;

    ImageTermReader(final Object headerContext)
    {
        header = new Header(0, 0, headerContext);
    }

    /*
     * Read up to fragmentLimit fragments of the image whose ref is at refOffset in refs, none starting at or past
     * limitPosition. A fragment whose handler throws counts as consumed, as with io.aeron.Subscription: the position
     * moves past it before the exception goes on. A frame that does not fit its term, or a subscriber position outside
     * the log (a damaged log), ends the poll with NativeArchiveException (ABR_ERROR_IO), the frames before it consumed.
     */
    int poll(
        final UnsafeBuffer refs,
        final int refOffset,
        final FragmentHandler handler,
        final long limitPosition,
        final int fragmentLimit)
    {
        if (!wrap(refs, refOffset, limitPosition))
        {
            return 0;
        }
        int offset = startOffset;
        int fragments = 0;
        try
        {
            while (fragments < fragmentLimit && offset < limitOffset)
            {
                final int frameLength = frameLength(term.getIntAcquire(offset));
                if (frameLength <= 0)
                {
                    break;
                }
                if (!fits(frameLength, offset))
                {
                    throw damaged(startPosition + (offset - startOffset), offset, frameLength);
                }
                final int frameOffset = offset;
                offset += align(frameLength);
                if (isPadding(frameOffset))
                {
                    continue;
                }
                fragments++;
                header.offset(frameOffset);
                handler.onFragment(
                    term, frameOffset + ABR_FRAME_HEADER_LENGTH, frameLength - ABR_FRAME_HEADER_LENGTH, header);
            }
        }
        finally
        {
            if (offset != startOffset)
            {
                subscriberPosition.putLongRelease(0, startPosition + (offset - startOffset));
            }
        }
        return fragments;
    }

    /* As poll, the handler steering consumption as with io.aeron.Image.controlledPoll. */
    int controlledPoll(
        final UnsafeBuffer refs,
        final int refOffset,
        final ControlledFragmentHandler handler,
        final long limitPosition,
        final int fragmentLimit)
    {
        if (!wrap(refs, refOffset, limitPosition))
        {
            return 0;
        }
        long committedPosition = startPosition;
        int committedOffset = startOffset;
        int offset = startOffset;
        int fragments = 0;
        try
        {
            while (fragments < fragmentLimit && offset < limitOffset)
            {
                final int frameLength = frameLength(term.getIntAcquire(offset));
                if (frameLength <= 0)
                {
                    break;
                }
                if (!fits(frameLength, offset))
                {
                    throw damaged(startPosition + (offset - startOffset), offset, frameLength);
                }
                final int frameOffset = offset;
                final int alignedLength = align(frameLength);
                offset += alignedLength;
                if (isPadding(frameOffset))
                {
                    continue;
                }
                fragments++;
                header.offset(frameOffset);
                final ControlledFragmentHandler.Action action = handler.onFragment(
                    term, frameOffset + ABR_FRAME_HEADER_LENGTH, frameLength - ABR_FRAME_HEADER_LENGTH, header);
                if (ControlledFragmentHandler.Action.ABORT == action)
                {
                    fragments--;
                    offset -= alignedLength;
                    break;
                }
                if (ControlledFragmentHandler.Action.BREAK == action)
                {
                    break;
                }
                if (ControlledFragmentHandler.Action.COMMIT == action)
                {
                    committedPosition += offset - committedOffset;
                    committedOffset = offset;
                    subscriberPosition.putLongRelease(0, committedPosition);
                }
            }
        }
        finally
        {
            if (offset != committedOffset)
            {
                subscriberPosition.putLongRelease(0, committedPosition + (offset - committedOffset));
            }
        }
        return fragments;
    }

    /* Point the views at the image's active term; false when its position is already at or past limitPosition. */
    private boolean wrap(final UnsafeBuffer refs, final int refOffset, final long limitPosition)
    {
        termLength = refs.getInt(refOffset + TERM_LENGTH_OFFSET);
        sessionId = refs.getInt(refOffset + SESSION_ID_OFFSET);
        final int positionBitsToShift = refs.getInt(refOffset + POSITION_BITS_OFFSET);
        subscriberPosition.wrap(refs.getLong(refOffset + SUBSCRIBER_POSITION_OFFSET), Long.BYTES);
        startPosition = subscriberPosition.getLongAcquire(0);
        // A position no term id of the log can reach (a damaged counter): moving it on could overflow.
        if (startPosition < 0 || startPosition > ((long)Integer.MAX_VALUE << positionBitsToShift))
        {
            throw damaged(startPosition, (int)startPosition & (termLength - 1), 0);
        }
        if (startPosition >= limitPosition)
        {
            return false;
        }
        final int partition = (int)((startPosition >>> positionBitsToShift) % 3);
        term.wrap(refs.getLong(refOffset + TERMS_OFFSET) + (long)partition * termLength, termLength);
        header.initialTermId(refs.getInt(refOffset + INITIAL_TERM_ID_OFFSET))
            .positionBitsToShift(positionBitsToShift)
            .buffer(term);
        startOffset = (int)startPosition & (termLength - 1);
        // Both positions are >= 0 here, so the distance cannot overflow.
        limitOffset = (int)Math.min(termLength, startOffset + (limitPosition - startPosition));
        return true;
    }

    /*
     * Whether a frame is one a publisher could have written: aligned, at least a header long, within its term. Anything
     * else comes from a damaged or hostile log, and reading on would hand out (or skip to) memory outside the term.
     */
    private boolean fits(final int frameLength, final int frameOffset)
    {
        return 0 == (frameOffset & (FRAME_ALIGNMENT - 1)) &&
            frameLength >= ABR_FRAME_HEADER_LENGTH &&
            frameLength <= termLength - frameOffset;
    }

    /* As the C core reports it (ABR_ERROR_IO): the frames before the damage are consumed, reading stops at it. */
    private NativeArchiveException damaged(final long position, final int termOffset, final int frameLength)
    {
        return new NativeArchiveException(
            "image log is damaged: a frame of length " + frameLength + " at termOffset=" + termOffset + " (position=" +
            position + ", termLength=" + termLength + ") does not fit its term; reading stops there: sessionId=" +
            sessionId,
            ABR_ERROR_IO, ArchiveException.GENERIC);
    }

    private boolean isPadding(final int frameOffset)
    {
        return HDR_TYPE_PAD == term.getShort(frameOffset + TYPE_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    private static int align(final int frameLength)
    {
        return (frameLength + (FRAME_ALIGNMENT - 1)) & ~(FRAME_ALIGNMENT - 1);
    }

    /* Acquire loads are in the platform's order; the frame length field is little-endian. */
    private static int frameLength(final int field)
    {
        return NATIVE_LITTLE_ENDIAN ? field : Integer.reverseBytes(field);
    }
}
