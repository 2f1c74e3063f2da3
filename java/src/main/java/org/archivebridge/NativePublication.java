package org.archivebridge;

import io.aeron.DirectBufferVector;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_exclusive_publication_t;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_publication_mapping_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_publication_t;

import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.*;

/**
 * A publication of a {@link NativeAeron}. The C core adds, maps and closes it; {@link #offer} writes the frames from
 * Java straight into the log the core mapped (a {@link LogAppender}), so an offer crosses no JNI boundary. It returns
 * what {@code io.aeron.Publication.offer} returns: the new position, or NOT_CONNECTED (-1), BACK_PRESSURED (-2),
 * ADMIN_ACTION (-3), CLOSED (-4), MAX_POSITION_EXCEEDED (-5). The message is copied once, from the caller's buffer
 * (heap or off-heap) into the log. Nothing is allocated per offer. An offer racing the close on another thread needs no
 * guard of its own: the C core keeps a closed publication's log mapped for the client's resource linger, as Aeron does.
 */
public abstract class NativePublication extends NativeHandle implements AutoCloseable
{
    /** As io.aeron.Publication.NOT_CONNECTED. */
    public static final long NOT_CONNECTED = -1;
    /** As io.aeron.Publication.BACK_PRESSURED. */
    public static final long BACK_PRESSURED = -2;
    /** As io.aeron.Publication.ADMIN_ACTION. */
    public static final long ADMIN_ACTION = -3;
    /** As io.aeron.Publication.CLOSED. */
    public static final long CLOSED = -4;
    /** As io.aeron.Publication.MAX_POSITION_EXCEEDED. */
    public static final long MAX_POSITION_EXCEEDED = -5;

    private final NativeAeron aeron;
    private final LogAppender appender;
    private final int maxMessageLength;

    NativePublication(final NativeAeron aeron, final LogAppender appender)
    {
        this.aeron = aeron;
        this.appender = appender;
        this.maxMessageLength = appender.maxMessageLength;
    }

    /**
     * Offer a message.
     *
     * @param buffer holding the message.
     * @param offset of the message in the buffer.
     * @param length of the message, at most {@link #maxMessageLength()}.
     * @return the new stream position, or one of the negative codes of io.aeron.Publication.
     * @throws IllegalArgumentException if the range is outside the buffer or the message too long.
     */
    public final long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        checkRange(buffer, offset, length);
        checkMessageLength(length);
        if (isClosedForOffers())
        {
            return CLOSED;
        }
        return appender.offer(buffer, offset, length);
    }

    /**
     * Offer a message, as Publication.offer(DirectBuffer, int, int, ReservedValueSupplier): the supplier is called
     * once per frame (a message longer than {@link #maxPayloadLength()} has several), with the term buffer, the
     * frame's offset in it and the frame's length, once the payload is in and before the frame is committed; what it
     * returns becomes the frame header's reserved value (little-endian, offset 24).
     *
     * @param buffer                holding the message.
     * @param offset                of the message in the buffer.
     * @param length                of the message, at most {@link #maxMessageLength()}.
     * @param reservedValueSupplier for each frame's reserved value, or null for 0.
     * @return as {@link #offer(DirectBuffer, int, int)}.
     * @throws IllegalArgumentException if the range is outside the buffer or the message too long.
     */
    public final long offer(
        final DirectBuffer buffer, final int offset, final int length, final ReservedValueSupplier reservedValueSupplier)
    {
        checkRange(buffer, offset, length);
        checkMessageLength(length);
        if (isClosedForOffers())
        {
            return CLOSED;
        }
        return null == reservedValueSupplier ? appender.offer(buffer, offset, length) :
            appender.offer(buffer, offset, length, null, 0, null, length, reservedValueSupplier);
    }

    /**
     * Offer one message made of two ranges, the first then the second, as Publication.offer with two buffers.
     *
     * @param bufferOne holding the first part.
     * @param offsetOne of the first part.
     * @param lengthOne of the first part.
     * @param bufferTwo holding the second part.
     * @param offsetTwo of the second part.
     * @param lengthTwo of the second part.
     * @return as {@link #offer(DirectBuffer, int, int)}.
     * @throws IllegalArgumentException if a range is outside its buffer or the message too long.
     */
    public final long offer(
        final DirectBuffer bufferOne,
        final int offsetOne,
        final int lengthOne,
        final DirectBuffer bufferTwo,
        final int offsetTwo,
        final int lengthTwo)
    {
        return offer(bufferOne, offsetOne, lengthOne, bufferTwo, offsetTwo, lengthTwo, null);
    }

    /**
     * Offer one message made of two ranges, with a supplier of each frame's reserved value, as Publication.offer with
     * two buffers and a ReservedValueSupplier (see {@link #offer(DirectBuffer, int, int, ReservedValueSupplier)}).
     *
     * @param bufferOne             holding the first part.
     * @param offsetOne             of the first part.
     * @param lengthOne             of the first part.
     * @param bufferTwo             holding the second part.
     * @param offsetTwo             of the second part.
     * @param lengthTwo             of the second part.
     * @param reservedValueSupplier for each frame's reserved value, or null for 0.
     * @return as {@link #offer(DirectBuffer, int, int)}.
     * @throws IllegalArgumentException if a range is outside its buffer or the message too long.
     */
    public final long offer(
        final DirectBuffer bufferOne,
        final int offsetOne,
        final int lengthOne,
        final DirectBuffer bufferTwo,
        final int offsetTwo,
        final int lengthTwo,
        final ReservedValueSupplier reservedValueSupplier)
    {
        checkRange(bufferOne, offsetOne, lengthOne);
        checkRange(bufferTwo, offsetTwo, lengthTwo);
        final long length = (long)lengthOne + lengthTwo;
        checkMessageLength(length);
        if (isClosedForOffers())
        {
            return CLOSED;
        }
        return appender.offer(bufferOne, offsetOne, lengthOne, bufferTwo, offsetTwo, null, (int)length,
            reservedValueSupplier);
    }

    /**
     * Offer one message gathered from the vectors in order, as Publication.offer(DirectBufferVector[]).
     *
     * @param vectors the parts of the message.
     * @return as {@link #offer(DirectBuffer, int, int)}.
     * @throws IllegalArgumentException if the message is too long, or as DirectBufferVector.validateAndComputeLength
     *                                  for a vector outside its buffer.
     */
    public final long offer(final DirectBufferVector[] vectors)
    {
        return offer(vectors, null);
    }

    /**
     * Offer one message gathered from the vectors in order, with a supplier of each frame's reserved value, as
     * Publication.offer(DirectBufferVector[], ReservedValueSupplier).
     *
     * @param vectors               the parts of the message.
     * @param reservedValueSupplier for each frame's reserved value, or null for 0.
     * @return as {@link #offer(DirectBuffer, int, int)}.
     * @throws IllegalArgumentException if the message is too long, or as DirectBufferVector.validateAndComputeLength
     *                                  for a vector outside its buffer.
     */
    public final long offer(final DirectBufferVector[] vectors, final ReservedValueSupplier reservedValueSupplier)
    {
        Objects.requireNonNull(vectors, "vectors");
        final int length = DirectBufferVector.validateAndComputeLength(vectors);
        checkMessageLength(length);
        if (isClosedForOffers())
        {
            return CLOSED;
        }
        return appender.offer(null, 0, 0, null, 0, vectors, length, reservedValueSupplier);
    }

    private static void checkRange(final DirectBuffer buffer, final int offset, final int length)
    {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " outside the buffer's capacity=" + buffer.capacity());
        }
    }

    private void checkMessageLength(final long length)
    {
        if (length > maxMessageLength)
        {
            throw new IllegalArgumentException(
                "message length=" + length + " exceeds maxMessageLength=" + maxMessageLength);
        }
    }

    /* The C core's offers return CLOSED once the client lost its driver or timed out; so do these. */
    private boolean isClosedForOffers()
    {
        // The client's check first: its close closes this handle too, and an offer then fails as on a closed client.
        aeron.ensureOpen();
        return isHandleClosed() || appender.isClientClosed();
    }

    /**
     * Offer the whole buffer as one message, as Publication.offer(DirectBuffer).
     *
     * @param buffer holding the message, from index 0 to its capacity.
     * @return the new stream position, or one of the negative codes of io.aeron.Publication.
     * @throws IllegalArgumentException if the message is too long.
     */
    public final long offer(final DirectBuffer buffer)
    {
        Objects.requireNonNull(buffer, "buffer");
        return offer(buffer, 0, buffer.capacity());
    }

    /**
     * Claim a range of the log for a message of at most {@link #maxPayloadLength()} bytes, as Publication.tryClaim:
     * write it through the claim's buffer at its offset, then commit it (or abort it, which readers skip as padding).
     * Until then readers of the stream wait at the claim: commit or abort it soon. Nothing is allocated per claim.
     *
     * @param length      of the message, 0 to {@link #maxPayloadLength()}.
     * @param bufferClaim to wrap over the claimed range.
     * @return the new stream position, or one of the negative codes of io.aeron.Publication (the claim is then not
     *         wrapped).
     * @throws IllegalArgumentException if the length is negative or over {@link #maxPayloadLength()}.
     */
    public final long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        Objects.requireNonNull(bufferClaim, "bufferClaim");
        if (length > appender.maxPayloadLength)
        {
            // Aeron's words for a claim that is too long.
            throw new IllegalArgumentException(
                "claim exceeds maxPayloadLength of " + appender.maxPayloadLength + ", length=" + length);
        }
        if (length < 0)
        {
            throw new IllegalArgumentException("claim length must not be negative, length=" + length);
        }
        if (isClosedForOffers())
        {
            return CLOSED;
        }
        return appender.tryClaim(length, bufferClaim);
    }

    /**
     * @return the longest payload a single frame carries (the MTU less the frame header); longer messages are
     *         fragmented.
     */
    public final int maxPayloadLength()
    {
        return appender.maxPayloadLength;
    }

    /**
     * @return the length of each of the log's three terms.
     */
    public final int termBufferLength()
    {
        return appender.termLength;
    }

    /**
     * @return the term id the stream began with.
     */
    public final int initialTermId()
    {
        return appender.initialTermId;
    }

    /**
     * @return the position the publication may not pass until subscribers consume (flow control's limit), or
     *         CLOSED once the client lost its driver.
     * @throws IllegalStateException if the publication or its client is closed.
     */
    public final long positionLimit()
    {
        // Entered: the limit counter is in the CnC file, which a client without a resource linger unmaps at its close.
        enterUsable();
        try
        {
            return appender.isClientClosed() ? CLOSED : appender.positionLimit();
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the channel the publication was added on.
     * @throws IllegalStateException if the publication or its client is closed.
     */
    public final String channel()
    {
        enterUsable();
        try
        {
            return NativeErrors.nativeString(nativeChannel());
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the driver's registration id of the publication.
     * @throws IllegalStateException if the publication or its client is closed.
     */
    public final long registrationId()
    {
        enterUsable();
        try
        {
            return nativeRegistrationId();
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the status of the publication's channel endpoint, as Publication.channelStatus() (1 active,
     *         -1 errored, 0 initialising).
     * @throws IllegalStateException if the publication or its client is closed.
     */
    public final long channelStatus()
    {
        enterUsable();
        try
        {
            return nativeChannelStatus();
        }
        finally
        {
            exit();
        }
    }

    abstract BytePointer nativeChannel();

    abstract long nativeRegistrationId();

    abstract long nativeChannelStatus();

    /**
     * @return the longest message {@link #offer} takes (an eighth of the term length, at most 16 MiB).
     */
    public final int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Close the publication; offers after it return CLOSED. A second close, on any thread, does nothing.
     */
    public final void close()
    {
        closeHandle();
    }

    /* Once, with no call into the handle running. Discarded, not kept: nothing uses the C handle after this, and a
     * long-lived client would otherwise keep every publication it ever added. The client's close already released the
     * C publication (after the linger). */
    final void release()
    {
        aeron.release(this, this::nativeClose);
    }

    /**
     * @return true once closed (or its client closed).
     */
    public final boolean isClosed()
    {
        return isHandleClosed() || aeron.isClosed();
    }

    /**
     * @return true when a subscriber is connected.
     */
    public abstract boolean isConnected();

    /**
     * @return the position the next message would be written at, or CLOSED once the client lost its driver.
     * @throws IllegalStateException if the publication or its client is closed.
     */
    public final long position()
    {
        // Entered: a concurrent publication's position is read from the log's metadata, which a client without a
        // resource linger unmaps on the conductor's next duty cycle after the close.
        enterUsable();
        try
        {
            return appender.isClientClosed() ? CLOSED : appender.position();
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the session id of the publication.
     */
    public abstract int sessionId();

    /**
     * @return the stream id of the publication.
     */
    public abstract int streamId();

    abstract int nativeClose();

    /* For a call that reads the C handle or the memory it maps: it enters, so a close on another thread, the
     * publication's or the client's, gives that up only after the call (exit() must follow, in a finally). */
    final void enterUsable()
    {
        if (!enter())
        {
            // The client's close closes its publications too: say which was closed.
            aeron.ensureOpen();
            throw new IllegalStateException("publication is closed");
        }
        try
        {
            aeron.ensureOpen();
        }
        catch (final RuntimeException ex)
        {
            exit();
            throw ex;
        }
    }

    static UnsafeBuffer positionLimit(final abr_publication_mapping_t mapping)
    {
        return new UnsafeBuffer(mapping.position_limit().address(), Long.BYTES);
    }

    static UnsafeBuffer clientClosed(final abr_publication_mapping_t mapping)
    {
        return new UnsafeBuffer(mapping.client_closed().address(), Integer.BYTES);
    }

    /* Stop the archive's recording of this publication's session (NativeArchive.stopRecording). */
    abstract int nativeStopRecording(ArchiveBridgeLibrary.abr_archive_t archive);

    static final class Concurrent extends NativePublication
    {
        private final abr_publication_t publication;

        Concurrent(final NativeAeron aeron, final abr_publication_t publication)
        {
            super(aeron, mapped(publication));
            this.publication = publication;
        }

        private static LogAppender mapped(final abr_publication_t publication)
        {
            try (abr_publication_mapping_t mapping = new abr_publication_mapping_t())
            {
                NativeAeron.check(abr_publication_mapping(publication, mapping));
                return new ConcurrentLogAppender(
                    mapping.log().address(), mapping.log_length(), positionLimit(mapping), clientClosed(mapping));
            }
            catch (final RuntimeException ex)
            {
                // Nothing else holds the handle yet: give it up rather than leave it to the client's close.
                abr_publication_discard(publication);
                throw ex;
            }
        }

        int nativeClose()
        {
            return abr_publication_discard(publication);
        }

        int nativeStopRecording(final ArchiveBridgeLibrary.abr_archive_t archive)
        {
            enterUsable();
            try
            {
                return ArchiveBridgeLibrary.abr_archive_stop_recording_publication(archive, publication);
            }
            finally
            {
                exit();
            }
        }

        public boolean isConnected()
        {
            enterUsable();
            try
            {
                return abr_publication_is_connected(publication);
            }
            finally
            {
                exit();
            }
        }

        public int sessionId()
        {
            enterUsable();
            try
            {
                return abr_publication_session_id(publication);
            }
            finally
            {
                exit();
            }
        }

        public int streamId()
        {
            enterUsable();
            try
            {
                return abr_publication_stream_id(publication);
            }
            finally
            {
                exit();
            }
        }

        BytePointer nativeChannel()
        {
            return abr_publication_channel(publication);
        }

        long nativeRegistrationId()
        {
            return abr_publication_registration_id(publication);
        }

        long nativeChannelStatus()
        {
            return abr_publication_channel_status(publication);
        }
    }

    static final class Exclusive extends NativePublication
    {
        private final abr_exclusive_publication_t publication;

        Exclusive(final NativeAeron aeron, final abr_exclusive_publication_t publication)
        {
            super(aeron, mapped(publication));
            this.publication = publication;
        }

        /* From here on the Java appender alone appends to this log: the C handle's offers, claims and position are
         * not used, as abr_exclusive_publication_mapping requires. */
        private static LogAppender mapped(final abr_exclusive_publication_t publication)
        {
            try (abr_publication_mapping_t mapping = new abr_publication_mapping_t())
            {
                NativeAeron.check(abr_exclusive_publication_mapping(publication, mapping));
                return new ExclusiveLogAppender(
                    mapping.log().address(), mapping.log_length(), positionLimit(mapping), clientClosed(mapping));
            }
            catch (final RuntimeException ex)
            {
                // Nothing else holds the handle yet: give it up rather than leave it to the client's close.
                abr_exclusive_publication_discard(publication);
                throw ex;
            }
        }

        int nativeClose()
        {
            return abr_exclusive_publication_discard(publication);
        }

        int nativeStopRecording(final ArchiveBridgeLibrary.abr_archive_t archive)
        {
            enterUsable();
            try
            {
                return ArchiveBridgeLibrary.abr_archive_stop_recording_exclusive_publication(archive, publication);
            }
            finally
            {
                exit();
            }
        }

        public boolean isConnected()
        {
            enterUsable();
            try
            {
                return abr_exclusive_publication_is_connected(publication);
            }
            finally
            {
                exit();
            }
        }

        public int sessionId()
        {
            enterUsable();
            try
            {
                return abr_exclusive_publication_session_id(publication);
            }
            finally
            {
                exit();
            }
        }

        public int streamId()
        {
            enterUsable();
            try
            {
                return abr_exclusive_publication_stream_id(publication);
            }
            finally
            {
                exit();
            }
        }

        BytePointer nativeChannel()
        {
            return abr_exclusive_publication_channel(publication);
        }

        long nativeRegistrationId()
        {
            return abr_exclusive_publication_registration_id(publication);
        }

        long nativeChannelStatus()
        {
            return abr_exclusive_publication_channel_status(publication);
        }
    }
}
