package org.archivebridge;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_exclusive_publication_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_publication_t;

import java.nio.ByteBuffer;
import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.*;

/**
 * A publication of a {@link NativeAeron}: offers run in C straight into the log buffer. {@link #offer} returns what
 * {@code io.aeron.Publication.offer} returns: the new position, or NOT_CONNECTED (-1), BACK_PRESSURED (-2),
 * ADMIN_ACTION (-3), CLOSED (-4), MAX_POSITION_EXCEEDED (-5). An off-heap buffer goes to C by address, without a copy;
 * a heap buffer is copied once into a scratch buffer of the publication's own. Nothing is allocated per offer.
 */
public abstract class NativePublication implements AutoCloseable
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
    private final int maxMessageLength;
    /* Per offering thread: a concurrent publication may be offered to from several at once. */
    private final ThreadLocal<UnsafeBuffer> scratch;
    private volatile boolean closed;

    NativePublication(final NativeAeron aeron, final int maxMessageLength)
    {
        this.aeron = aeron;
        this.maxMessageLength = maxMessageLength;
        this.scratch = ThreadLocal.withInitial(() -> new UnsafeBuffer(ByteBuffer.allocateDirect(maxMessageLength)));
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
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " outside the buffer's capacity=" + buffer.capacity());
        }
        if (length > maxMessageLength)
        {
            throw new IllegalArgumentException(
                "message length=" + length + " exceeds maxMessageLength=" + maxMessageLength);
        }
        if (closed)
        {
            return CLOSED;
        }
        aeron.ensureOpen();

        final byte[] array = buffer.byteArray();
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        if (null == array && (null == byteBuffer || byteBuffer.isDirect()))
        {
            return nativeOffer(buffer.addressOffset() + offset, length);
        }
        final UnsafeBuffer copy = scratch.get();
        copy.putBytes(0, buffer, offset, length);
        return nativeOffer(copy.addressOffset(), length);
    }

    /**
     * @return the longest message {@link #offer} takes (an eighth of the term length, at most 16 MiB).
     */
    public final int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Close the publication; offers after it return CLOSED. A second close does nothing.
     */
    public final void close()
    {
        if (!closed && !aeron.isClosed())
        {
            closed = true;
            NativeAeron.check(nativeClose());
        }
        closed = true;
    }

    /**
     * @return true once closed (or its client closed).
     */
    public final boolean isClosed()
    {
        return closed || aeron.isClosed();
    }

    /**
     * @return true when a subscriber is connected.
     */
    public abstract boolean isConnected();

    /**
     * @return the position the next message would be written at.
     */
    public abstract long position();

    /**
     * @return the session id of the publication.
     */
    public abstract int sessionId();

    /**
     * @return the stream id of the publication.
     */
    public abstract int streamId();

    abstract long nativeOffer(long address, int length);

    abstract int nativeClose();

    final void ensureUsable()
    {
        if (closed)
        {
            throw new IllegalStateException("publication is closed");
        }
        aeron.ensureOpen();
    }

    static final class Concurrent extends NativePublication
    {
        private final abr_publication_t publication;

        Concurrent(final NativeAeron aeron, final abr_publication_t publication)
        {
            super(aeron, (int)abr_publication_max_message_length(publication));
            this.publication = publication;
        }

        long nativeOffer(final long address, final int length)
        {
            return abr_publication_offer(publication, address, length);
        }

        int nativeClose()
        {
            return abr_publication_close(publication);
        }

        public boolean isConnected()
        {
            ensureUsable();
            return abr_publication_is_connected(publication);
        }

        public long position()
        {
            ensureUsable();
            return abr_publication_position(publication);
        }

        public int sessionId()
        {
            ensureUsable();
            return abr_publication_session_id(publication);
        }

        public int streamId()
        {
            ensureUsable();
            return abr_publication_stream_id(publication);
        }
    }

    static final class Exclusive extends NativePublication
    {
        private final abr_exclusive_publication_t publication;

        Exclusive(final NativeAeron aeron, final abr_exclusive_publication_t publication)
        {
            super(aeron, (int)abr_exclusive_publication_max_message_length(publication));
            this.publication = publication;
        }

        long nativeOffer(final long address, final int length)
        {
            return abr_exclusive_publication_offer(publication, address, length);
        }

        int nativeClose()
        {
            return abr_exclusive_publication_close(publication);
        }

        public boolean isConnected()
        {
            ensureUsable();
            return abr_exclusive_publication_is_connected(publication);
        }

        public long position()
        {
            ensureUsable();
            return abr_exclusive_publication_position(publication);
        }

        public int sessionId()
        {
            ensureUsable();
            return abr_exclusive_publication_session_id(publication);
        }

        public int streamId()
        {
            ensureUsable();
            return abr_exclusive_publication_stream_id(publication);
        }
    }
}
