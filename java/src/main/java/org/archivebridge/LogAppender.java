package org.archivebridge;

import io.aeron.DirectBufferVector;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Appends messages to a publication's log from Java, over the memory the C core mapped, so an offer costs Java stores
 * instead of a JNI transition. The C core stays in charge of the publication's life (add, close, unmapping); this
 * class only writes frames the way the core's appenders do. The log protocol's layout (a log is three terms and a
 * metadata page; a frame is a 32-byte little-endian header then the payload, aligned to 32 bytes) is the one
 * {@code native/src/core/log_buffers.h} describes, taken from Aeron's LogBufferDescriptor and DataHeaderFlyweight.
 */
abstract class LogAppender
{
    static final int PARTITION_COUNT = 3;
    static final int META_DATA_LENGTH = 4096;
    static final int TERM_TAIL_COUNTERS_OFFSET = 0;
    static final int ACTIVE_TERM_COUNT_OFFSET = 24;
    static final int IS_CONNECTED_OFFSET = 136;
    static final int INITIAL_TERM_ID_OFFSET = 264;
    static final int DEFAULT_FRAME_HEADER_LENGTH_OFFSET = 268;
    static final int MTU_LENGTH_OFFSET = 272;
    static final int TERM_LENGTH_OFFSET = 276;
    static final int DEFAULT_FRAME_HEADER_OFFSET = 320;

    static final int HEADER_LENGTH = 32;
    static final int FRAME_ALIGNMENT = 32;
    static final int VERSION_FIELD_OFFSET = 4;
    static final int TERM_OFFSET_FIELD_OFFSET = 8;
    static final int SESSION_ID_FIELD_OFFSET = 12;
    static final int STREAM_ID_FIELD_OFFSET = 16;
    static final int TERM_ID_FIELD_OFFSET = 20;
    static final int RESERVED_VALUE_FIELD_OFFSET = 24;
    static final int BEGIN_FLAG = 0x80;
    static final int END_FLAG = 0x40;
    static final int UNFRAGMENTED = BEGIN_FLAG | END_FLAG;
    static final int HDR_TYPE_PAD = 0;
    static final int HDR_TYPE_DATA = 1;
    /* FrameDescriptor.MAX_MESSAGE_LENGTH. */
    static final int MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == LITTLE_ENDIAN;

    final UnsafeBuffer[] terms = new UnsafeBuffer[PARTITION_COUNT];
    final UnsafeBuffer metadata;
    final int termLength;
    final int initialTermId;
    final int positionBitsToShift;
    final int maxPayloadLength;
    final int maxMessageLength;
    final long maxPossiblePosition;
    private final UnsafeBuffer positionLimit;
    private final UnsafeBuffer clientClosed;
    /* From the default header the driver wrote: the version byte, the session and stream ids. */
    private final int version;
    private final int sessionId;
    private final int streamId;

    /**
     * @param logAddress    where the log is mapped: three terms, then the metadata page.
     * @param logLength     of the log in bytes (over 2 GiB for terms of 1 GiB, so a long).
     * @param positionLimit over the driver's publisher limit counter (8 bytes).
     * @param clientClosed  over the client's closed flag (4 bytes, non-zero once the client closed or lost its
     *                      driver).
     */
    LogAppender(
        final long logAddress, final long logLength, final UnsafeBuffer positionLimit, final UnsafeBuffer clientClosed)
    {
        if (0 == logAddress || logLength < META_DATA_LENGTH)
        {
            throw new IllegalArgumentException("no log or one too short: address=" + logAddress + ", length=" + logLength);
        }
        metadata = new UnsafeBuffer(logAddress + logLength - META_DATA_LENGTH, META_DATA_LENGTH);
        termLength = metadata.getInt(TERM_LENGTH_OFFSET, LITTLE_ENDIAN);
        final int mtu = metadata.getInt(MTU_LENGTH_OFFSET, LITTLE_ENDIAN);
        if (termLength <= 0 || Integer.bitCount(termLength) != 1 ||
            (long)termLength * PARTITION_COUNT > logLength - META_DATA_LENGTH)
        {
            throw new IllegalArgumentException(
                "log has an invalid term length: termLength=" + termLength + ", length=" + logLength);
        }
        if (mtu <= HEADER_LENGTH || mtu > termLength || mtu % FRAME_ALIGNMENT != 0 ||
            HEADER_LENGTH != metadata.getInt(DEFAULT_FRAME_HEADER_LENGTH_OFFSET, LITTLE_ENDIAN))
        {
            throw new IllegalArgumentException("log has an invalid MTU or default header: mtu=" + mtu);
        }
        for (int i = 0; i < PARTITION_COUNT; i++)
        {
            terms[i] = new UnsafeBuffer(logAddress + (long)i * termLength, termLength);
        }
        this.positionLimit = positionLimit;
        this.clientClosed = clientClosed;
        initialTermId = metadata.getInt(INITIAL_TERM_ID_OFFSET, LITTLE_ENDIAN);
        positionBitsToShift = Integer.numberOfTrailingZeros(termLength);
        maxPayloadLength = mtu - HEADER_LENGTH;
        maxMessageLength = Math.min(termLength / 8, MAX_MESSAGE_LENGTH);
        maxPossiblePosition = (long)termLength * (1L << 31);
        version = metadata.getByte(DEFAULT_FRAME_HEADER_OFFSET + VERSION_FIELD_OFFSET) & 0xFF;
        sessionId = metadata.getInt(DEFAULT_FRAME_HEADER_OFFSET + SESSION_ID_FIELD_OFFSET, LITTLE_ENDIAN);
        streamId = metadata.getInt(DEFAULT_FRAME_HEADER_OFFSET + STREAM_ID_FIELD_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * Append a message of at most {@link #maxMessageLength} bytes (the caller checked it and the range).
     *
     * @return the new position, or NOT_CONNECTED, BACK_PRESSURED, ADMIN_ACTION, MAX_POSITION_EXCEEDED as
     * io.aeron.Publication; CLOSED is the caller's to return.
     */
    final long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return append(buffer, offset, length, null, 0, null, length, null, null);
    }

    /**
     * Append a message of at most {@link #maxMessageLength} bytes given in two buffers one after the other (second
     * null when there is one), or in vectors (then first and second are null), length bytes in all (the caller checked
     * the ranges and the sum). With a supplier, each frame's reserved value is what it returns for the frame, as
     * Aeron's appenders call it: once per frame, after the payload is in and before the frame is committed.
     *
     * @return as {@link #offer(DirectBuffer, int, int)}.
     */
    final long offer(
        final DirectBuffer first,
        final int firstOffset,
        final int firstLength,
        final DirectBuffer second,
        final int secondOffset,
        final DirectBufferVector[] vectors,
        final int length,
        final ReservedValueSupplier supplier)
    {
        return append(first, firstOffset, firstLength, second, secondOffset, vectors, length, supplier, null);
    }

    /**
     * Claim one frame for a message of at most {@link #maxPayloadLength} bytes (the caller checked it), which the
     * caller writes into the claim and commits or aborts.
     *
     * @return as {@link #offer(DirectBuffer, int, int)}.
     */
    final long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        return append(null, 0, length, null, 0, null, length, null, bufferClaim);
    }

    /**
     * Take the range a message of length bytes needs at the log's tail, as the publication's kind does, and have
     * {@link #write} fill it.
     *
     * @return as {@link #offer(DirectBuffer, int, int)}.
     */
    abstract long append(
        DirectBuffer first,
        int firstOffset,
        int firstLength,
        DirectBuffer second,
        int secondOffset,
        DirectBufferVector[] vectors,
        int length,
        ReservedValueSupplier supplier,
        BufferClaim bufferClaim);

    /* Fill a range taken at the tail: with a claim, the claimed frame for the caller to write and commit; a plain
     * message by the short path; anything else (two buffers, vectors, a reserved value supplier) frame by frame. */
    final void write(
        final UnsafeBuffer term,
        final int termOffset,
        final int termId,
        final DirectBuffer first,
        final int firstOffset,
        final int firstLength,
        final DirectBuffer second,
        final int secondOffset,
        final DirectBufferVector[] vectors,
        final int length,
        final ReservedValueSupplier supplier,
        final BufferClaim bufferClaim)
    {
        if (null != bufferClaim)
        {
            writeClaim(term, termOffset, termId, length, bufferClaim);
        }
        else if (null == second && null == vectors && null == supplier)
        {
            writeMessage(term, termOffset, termId, first, firstOffset, length);
        }
        else
        {
            writeParts(term, termOffset, termId, first, firstOffset, firstLength, second, secondOffset, vectors, length,
                supplier);
        }
    }

    /**
     * @return the position the next message would start at.
     */
    abstract long position();

    final boolean isClientClosed()
    {
        return 0 != clientClosed.getIntAcquire(0);
    }

    final long positionLimit()
    {
        return positionLimit.getLongAcquire(0);
    }

    final boolean isConnected()
    {
        return 1 == metadata.getIntAcquire(IS_CONNECTED_OFFSET);
    }

    /* At or past the limit nothing may be appended: say why, as io.aeron.Publication does. */
    final long blockedStatus(final long position, final int length)
    {
        if (position + align(length + HEADER_LENGTH) >= maxPossiblePosition)
        {
            return NativePublication.MAX_POSITION_EXCEEDED;
        }
        return isConnected() ? NativePublication.BACK_PRESSURED : NativePublication.NOT_CONNECTED;
    }

    final int framedLength(final int length)
    {
        if (length <= maxPayloadLength)
        {
            return align(length + HEADER_LENGTH);
        }
        final int fullFrames = length / maxPayloadLength;
        final int remainder = length % maxPayloadLength;
        final int last = remainder > 0 ? align(remainder + HEADER_LENGTH) : 0;
        return fullFrames * (maxPayloadLength + HEADER_LENGTH) + last;
    }

    final long computePosition(final int termId, final int termOffset)
    {
        final long termCount = termId - initialTermId; // int arithmetic first: term ids wrap around
        return (termCount << positionBitsToShift) + termOffset;
    }

    static long packTail(final int termId, final int termOffset)
    {
        return ((long)termId << 32) | (termOffset & 0xFFFF_FFFFL);
    }

    static int tailCounterOffset(final int index)
    {
        return TERM_TAIL_COUNTERS_OFFSET + index * Long.BYTES;
    }

    static int align(final int value)
    {
        return (value + (FRAME_ALIGNMENT - 1)) & ~(FRAME_ALIGNMENT - 1);
    }

    /* Write a message from termOffset as one frame, or as several of at most maxPayloadLength when longer; the
     * caller owns the range. Each frame becomes visible to readers when its positive length is stored, last. The
     * fragmented case has a method of its own so the common one stays small enough for the JIT to inline. */
    final void writeMessage(
        final UnsafeBuffer term, final int termOffset, final int termId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (length <= maxPayloadLength)
        {
            writeFrame(term, termOffset, termId, UNFRAGMENTED, buffer, offset, length);
        }
        else
        {
            writeFragments(term, termOffset, termId, buffer, offset, length);
        }
    }

    private void writeFragments(
        final UnsafeBuffer term, final int termOffset, final int termId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        int frameOffset = termOffset;
        int remaining = length;
        int flags = BEGIN_FLAG;
        while (remaining > 0)
        {
            final int chunk = Math.min(remaining, maxPayloadLength);
            if (remaining == chunk)
            {
                flags |= END_FLAG;
            }
            writeFrame(term, frameOffset, termId, flags, buffer, offset + (length - remaining), chunk);
            flags = 0;
            frameOffset += align(chunk + HEADER_LENGTH);
            remaining -= chunk;
        }
    }

    /* As writeMessage, for a message in parts (see the parts offer) and with an optional reserved value supplier. */
    final void writeParts(
        final UnsafeBuffer term,
        final int termOffset,
        final int termId,
        final DirectBuffer first,
        final int firstOffset,
        final int firstLength,
        final DirectBuffer second,
        final int secondOffset,
        final DirectBufferVector[] vectors,
        final int length,
        final ReservedValueSupplier supplier)
    {
        int frameOffset = termOffset;
        int written = 0;
        int flags = BEGIN_FLAG;
        do
        {
            final int chunk = Math.min(length - written, maxPayloadLength);
            if (written + chunk == length)
            {
                flags |= END_FLAG;
            }
            final int frameLength = chunk + HEADER_LENGTH;
            writeHeader(term, frameOffset, frameLength, termId, flags, HDR_TYPE_DATA);
            final int payloadOffset = frameOffset + HEADER_LENGTH;
            if (null == vectors)
            {
                copyParts(term, payloadOffset, written, chunk, first, firstOffset, firstLength, second, secondOffset);
            }
            else
            {
                copyVectors(term, payloadOffset, written, chunk, vectors);
            }
            if (null != supplier)
            {
                term.putLong(frameOffset + RESERVED_VALUE_FIELD_OFFSET, supplier.get(term, frameOffset, frameLength),
                    LITTLE_ENDIAN);
            }
            term.putIntRelease(frameOffset, frameLengthField(frameLength));
            flags = 0;
            frameOffset += align(frameLength);
            written += chunk;
        }
        while (written < length);
    }

    /* Bytes from..from+chunk of a message made of first then second, to the term at termOffset. */
    private static void copyParts(
        final UnsafeBuffer term,
        final int termOffset,
        final int from,
        final int chunk,
        final DirectBuffer first,
        final int firstOffset,
        final int firstLength,
        final DirectBuffer second,
        final int secondOffset)
    {
        final int fromFirst = Math.max(0, Math.min(chunk, firstLength - from));
        if (fromFirst > 0)
        {
            term.putBytes(termOffset, first, firstOffset + from, fromFirst);
        }
        if (chunk > fromFirst)
        {
            term.putBytes(termOffset + fromFirst, second, secondOffset + (from + fromFirst - firstLength),
                chunk - fromFirst);
        }
    }

    /* Bytes from..from+chunk of a message made of the vectors in order, to the term at termOffset. */
    private static void copyVectors(
        final UnsafeBuffer term, final int termOffset, final int from, final int chunk, final DirectBufferVector[] vectors)
    {
        int position = from;
        int remaining = chunk;
        int destination = termOffset;
        int vectorStart = 0;
        for (int i = 0; i < vectors.length && remaining > 0; i++)
        {
            final DirectBufferVector vector = vectors[i];
            final int vectorEnd = vectorStart + vector.length();
            if (position < vectorEnd)
            {
                final int within = position - vectorStart;
                final int bytes = Math.min(remaining, vectorEnd - position);
                term.putBytes(destination, vector.buffer(), vector.offset() + within, bytes);
                position += bytes;
                remaining -= bytes;
                destination += bytes;
            }
            vectorStart = vectorEnd;
        }
    }

    private void writeFrame(
        final UnsafeBuffer term, final int frameOffset, final int termId, final int flags, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final int frameLength = length + HEADER_LENGTH;
        writeHeader(term, frameOffset, frameLength, termId, flags, HDR_TYPE_DATA);
        if (length > 0)
        {
            term.putBytes(frameOffset + HEADER_LENGTH, buffer, offset, length);
        }
        term.putIntRelease(frameOffset, frameLengthField(frameLength));
    }

    /* A frame whose header is written with its length still negative: readers wait at it until the claim's commit
     * stores the length (or its abort turns it into padding). */
    final void writeClaim(
        final UnsafeBuffer term, final int termOffset, final int termId, final int length, final BufferClaim bufferClaim)
    {
        final int frameLength = length + HEADER_LENGTH;
        writeHeader(term, termOffset, frameLength, termId, UNFRAGMENTED, HDR_TYPE_DATA);
        bufferClaim.wrap(term, termOffset, frameLength);
    }

    /* Fill the rest of a term with one padding frame, so readers skip to the next term. */
    final void writePadding(final UnsafeBuffer term, final int termOffset, final int termId, final int paddingLength)
    {
        writeHeader(term, termOffset, paddingLength, termId, UNFRAGMENTED, HDR_TYPE_PAD);
        term.putIntRelease(termOffset, frameLengthField(paddingLength));
    }

    /*
     * The header as four little-endian longs: the length (negative until the frame is complete, so no reader takes a
     * half-written frame for one) with version, flags and type; the term offset with the session id; the stream id
     * with the term id; the reserved value. The first store is a release and the fence keeps the rest behind it.
     */
    private void writeHeader(
        final UnsafeBuffer term, final int frameOffset, final int frameLength, final int termId, final int flags,
        final int type)
    {
        final long versionFlagsType = version | (flags << 8) | (type << 16);
        term.putLongRelease(frameOffset, longField((versionFlagsType << 32) | (-frameLength & 0xFFFF_FFFFL)));
        VarHandle.releaseFence();
        term.putLong(
            frameOffset + TERM_OFFSET_FIELD_OFFSET, ((long)sessionId << 32) | (frameOffset & 0xFFFF_FFFFL), LITTLE_ENDIAN);
        term.putLong(
            frameOffset + STREAM_ID_FIELD_OFFSET, ((long)termId << 32) | (streamId & 0xFFFF_FFFFL), LITTLE_ENDIAN);
        term.putLong(frameOffset + RESERVED_VALUE_FIELD_OFFSET, 0L, LITTLE_ENDIAN);
    }

    /* Release stores are in the platform's order; the frame's fields are little-endian. */
    private static int frameLengthField(final int frameLength)
    {
        return NATIVE_LITTLE_ENDIAN ? frameLength : Integer.reverseBytes(frameLength);
    }

    private static long longField(final long value)
    {
        return NATIVE_LITTLE_ENDIAN ? value : Long.reverseBytes(value);
    }
}
