package org.archivebridge;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_ref_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_t;
import org.bytedeco.javacpp.Loader;

import java.nio.ByteOrder;
import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_FRAME_HEADER_LENGTH;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_image_count;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_is_connected;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_images;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_images_done;

/**
 * A subscription of a {@link NativeAeron}. {@link #poll} hands each fragment to an Aeron
 * {@link FragmentHandler} as an Agrona buffer over the native term buffer itself (no copy) with an
 * {@link io.aeron.logbuffer.Header} over its frame, as io.aeron.Subscription does. The buffer and header are valid only
 * during the handler's call. The C core keeps the images (they come and go on its conductor) and, for the length of a
 * poll, holds them mapped and hands over where their terms and subscriber positions are; the frames are read and the
 * positions moved here in Java, so a poll costs one JNI call into C and one out, however many fragments it reads.
 * Nothing is allocated per poll. One thread polls at a time. A close on another thread (or from a handler) while a poll
 * runs takes effect when that poll returns: the array the C core hands the images over in is freed only then.
 */
public final class NativeSubscription extends NativeHandle implements AutoCloseable
{
    /** The most fragments one poll hands over; larger limits are capped to it. */
    public static final int MAX_FRAGMENT_LIMIT = 256;
    /** The most images one poll visits; a subscription with more reaches the rest in later polls, in turn. */
    static final int MAX_IMAGES_PER_POLL = 64;

    private static final int IMAGE_REF_LENGTH = Loader.sizeof(abr_image_ref_t.class);
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

    private final NativeAeron aeron;
    private final abr_subscription_t subscription;
    private final abr_image_ref_t images = new abr_image_ref_t(MAX_IMAGES_PER_POLL);
    private final UnsafeBuffer imageRefs;
    private final UnsafeBuffer term = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer subscriberPosition = new UnsafeBuffer(0, 0);
    private final Header header = new Header(0, 0);

    NativeSubscription(final NativeAeron aeron, final abr_subscription_t subscription)
    {
        this.aeron = aeron;
        this.subscription = subscription;
        this.imageRefs = new UnsafeBuffer(images.address(), IMAGE_REF_LENGTH * MAX_IMAGES_PER_POLL);
    }

    /**
     * Poll the subscription's images for up to fragmentLimit fragments.
     *
     * @param handler       receives each fragment: the buffer over the term, the payload's offset and length, and
     *                      the frame's header.
     * @param fragmentLimit the most fragments to hand over, at most {@link #MAX_FRAGMENT_LIMIT}.
     * @return the number of fragments handed over.
     * @throws IllegalStateException if the subscription or its client is closed.
     */
    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        return poll(handler, fragmentLimit, false, 0);
    }

    /* As poll, for the image of one publisher session only (a replay merge's): the other images are left unread. */
    int pollSession(final int sessionId, final FragmentHandler handler, final int fragmentLimit)
    {
        return poll(handler, fragmentLimit, true, sessionId);
    }

    /* The handle, for a NativeReplayMerge over this subscription: package-private, never exposed to users. */
    abr_subscription_t handle()
    {
        ensureUsable();
        return subscription;
    }

    private int poll(
        final FragmentHandler handler, final int fragmentLimit, final boolean oneSession, final int sessionId)
    {
        Objects.requireNonNull(handler, "handler");
        if (fragmentLimit <= 0)
        {
            throw new IllegalArgumentException("fragmentLimit must be > 0, got " + fragmentLimit);
        }
        if (!enter())
        {
            throw closedException();
        }
        try
        {
            aeron.ensureOpen();
            final int imageCount = abr_subscription_poll_images(subscription, images, MAX_IMAGES_PER_POLL);
            if (imageCount < 0)
            {
                final RuntimeException failure = NativeErrors.lastError();
                // A client close on another thread that landed after the check above fails this poll as it fails
                // any later one.
                aeron.ensureOpen();
                throw failure;
            }
            final int limit = Math.min(fragmentLimit, MAX_FRAGMENT_LIMIT);
            int fragments = 0;
            try
            {
                for (int i = 0; i < imageCount && fragments < limit; i++)
                {
                    final int refOffset = i * IMAGE_REF_LENGTH;
                    if (!oneSession || imageRefs.getInt(refOffset + SESSION_ID_OFFSET) == sessionId)
                    {
                        fragments += pollImage(refOffset, handler, limit - fragments);
                    }
                }
            }
            finally
            {
                abr_subscription_poll_images_done(subscription);
            }
            return fragments;
        }
        finally
        {
            exit();
        }
    }

    /*
     * Read one image's term from its subscriber position, hand over its data frames (padding is skipped) and move the
     * position past what was read, with release, so the driver sees it. A fragment whose handler throws counts as
     * consumed, as with io.aeron.Subscription: the position moves past it before the exception goes on.
     */
    private int pollImage(final int refOffset, final FragmentHandler handler, final int limit)
    {
        final int termLength = imageRefs.getInt(refOffset + TERM_LENGTH_OFFSET);
        final int positionBitsToShift = imageRefs.getInt(refOffset + POSITION_BITS_OFFSET);
        subscriberPosition.wrap(imageRefs.getLong(refOffset + SUBSCRIBER_POSITION_OFFSET), Long.BYTES);
        final long position = subscriberPosition.getLongAcquire(0);
        final int partition = (int)((position >>> positionBitsToShift) % 3);
        term.wrap(imageRefs.getLong(refOffset + TERMS_OFFSET) + (long)partition * termLength, termLength);
        header.initialTermId(imageRefs.getInt(refOffset + INITIAL_TERM_ID_OFFSET))
            .positionBitsToShift(positionBitsToShift)
            .buffer(term);

        final int startOffset = (int)position & (termLength - 1);
        int offset = startOffset;
        int fragments = 0;
        try
        {
            while (fragments < limit && offset < termLength)
            {
                final int frameLength = frameLength(term.getIntAcquire(offset));
                if (frameLength <= 0)
                {
                    break;
                }
                final int frameOffset = offset;
                offset += (frameLength + (FRAME_ALIGNMENT - 1)) & ~(FRAME_ALIGNMENT - 1);
                if (HDR_TYPE_PAD == term.getShort(frameOffset + TYPE_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN))
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
                subscriberPosition.putLongRelease(0, position + (offset - startOffset));
            }
        }
        return fragments;
    }

    /* Acquire loads are in the platform's order; the frame length field is little-endian. */
    private static int frameLength(final int field)
    {
        return NATIVE_LITTLE_ENDIAN ? field : Integer.reverseBytes(field);
    }

    /**
     * @return true when the subscription has at least one image.
     */
    public boolean isConnected()
    {
        ensureUsable();
        return abr_subscription_is_connected(subscription);
    }

    /**
     * @return the number of images (publisher sessions) the subscription has.
     */
    public int imageCount()
    {
        ensureUsable();
        return abr_subscription_image_count(subscription);
    }

    /**
     * Close the subscription; calls after it throw IllegalStateException. A second close does nothing. Safe while
     * another thread polls, or from within a poll's handler: the subscription is then closed in C when that poll
     * returns, on its thread, and a failure of that close is thrown from the poll.
     *
     * @throws NativeArchiveException if the C core could not tell the driver (when no poll was running).
     */
    public void close()
    {
        closeHandle();
    }

    /* Once, with no poll running. The client's close already released the C subscription (after the linger). */
    void release()
    {
        try
        {
            aeron.closeIfOpen(() -> abr_subscription_close(subscription));
        }
        finally
        {
            images.close();
        }
    }

    /**
     * @return true once closed (or its client closed).
     */
    public boolean isClosed()
    {
        return isHandleClosed() || aeron.isClosed();
    }

    private void ensureUsable()
    {
        if (isHandleClosed())
        {
            throw closedException();
        }
        aeron.ensureOpen();
    }

    private static IllegalStateException closedException()
    {
        return new IllegalStateException("subscription is closed");
    }
}
