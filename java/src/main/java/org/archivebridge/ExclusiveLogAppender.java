package org.archivebridge;

import io.aeron.DirectBufferVector;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The appender of an exclusive publication: one offering thread, so the tail is its own and moves by plain release
 * stores, with the active term's id and offset kept in fields rather than read back from the log. It takes the log up
 * where its tail is when created, and from then on it alone appends to that log.
 */
final class ExclusiveLogAppender extends LogAppender
{
    private int termId;
    private int termOffset;
    private int activeIndex;
    private long termBeginPosition;

    ExclusiveLogAppender(
        final long logAddress, final long logLength, final UnsafeBuffer positionLimit, final UnsafeBuffer clientClosed)
    {
        super(logAddress, logLength, positionLimit, clientClosed);
        final int termCount = metadata.getIntAcquire(ACTIVE_TERM_COUNT_OFFSET);
        activeIndex = termCount % PARTITION_COUNT;
        final long rawTail = metadata.getLongAcquire(tailCounterOffset(activeIndex));
        termId = (int)(rawTail >>> 32);
        termOffset = (int)Math.min(rawTail & 0xFFFF_FFFFL, termLength);
        termBeginPosition = computePosition(termId, 0);
    }

    /* The message from its parts (see LogAppender's parts offer), or with a claim the range for the caller to fill
     * and commit. */
    long append(
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
        final long position = termBeginPosition + termOffset;
        if (position >= positionLimit())
        {
            return blockedStatus(position, length);
        }

        final int framedLength = length <= maxPayloadLength ? align(length + HEADER_LENGTH) : framedLength(length);
        final int resultingOffset = termOffset + framedLength;
        // The tail moves before any frame is written, so the driver sees the claim first, as with any publisher.
        metadata.putLongRelease(tailCounterOffset(activeIndex), packTail(termId, resultingOffset));
        if (resultingOffset > termLength)
        {
            return endOfTerm();
        }
        write(terms[activeIndex], termOffset, termId, first, firstOffset, firstLength, second, secondOffset, vectors,
            length, supplier, bufferClaim);
        termOffset = resultingOffset;
        return termBeginPosition + resultingOffset;
    }

    long position()
    {
        return termBeginPosition + termOffset;
    }

    /* The message does not fit in what is left of the term: pad the rest and move on to the next term. */
    private long endOfTerm()
    {
        if (termOffset < termLength)
        {
            writePadding(terms[activeIndex], termOffset, termId, termLength - termOffset);
        }
        if (termBeginPosition + termLength >= maxPossiblePosition)
        {
            return NativePublication.MAX_POSITION_EXCEEDED;
        }
        final int nextIndex = (activeIndex + 1) % PARTITION_COUNT;
        termId++;
        termOffset = 0;
        termBeginPosition += termLength;
        activeIndex = nextIndex;
        metadata.putLong(tailCounterOffset(nextIndex), packTail(termId, 0));
        metadata.putIntRelease(ACTIVE_TERM_COUNT_OFFSET, termId - initialTermId);
        return NativePublication.ADMIN_ACTION;
    }
}
