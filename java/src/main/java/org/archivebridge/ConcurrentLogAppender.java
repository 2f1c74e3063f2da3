package org.archivebridge;

import io.aeron.DirectBufferVector;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The appender of a concurrent publication: any number of threads (and the C core's own offers on the same log) may
 * append at once, each claiming its range of the active term by an atomic add on the term's tail, so writers never
 * wait for one another. Everything an offer needs is read from the log each time; the fields are constants.
 */
final class ConcurrentLogAppender extends LogAppender
{
    ConcurrentLogAppender(
        final long logAddress, final long logLength, final UnsafeBuffer positionLimit, final UnsafeBuffer clientClosed)
    {
        super(logAddress, logLength, positionLimit, clientClosed);
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
        final int termCount = metadata.getIntAcquire(ACTIVE_TERM_COUNT_OFFSET);
        final int index = termCount % PARTITION_COUNT;
        final int tailOffset = tailCounterOffset(index);
        final long rawTail = metadata.getLongAcquire(tailOffset);
        final int termId = (int)(rawTail >>> 32);
        if (termCount != termId - initialTermId)
        {
            // Another writer is half way through moving to the next term: its next offer, or ours, sees the new one.
            return NativePublication.ADMIN_ACTION;
        }
        final long position = computePosition(termId, (int)Math.min(rawTail & 0xFFFF_FFFFL, termLength));
        if (position >= positionLimit())
        {
            return blockedStatus(position, length);
        }

        final int framedLength = length <= maxPayloadLength ? align(length + HEADER_LENGTH) : framedLength(length);
        final long claimed = metadata.getAndAddLong(tailOffset, framedLength);
        final int claimedTermId = (int)(claimed >>> 32);
        // Every late writer adds to the offset half, so it can run past the term length: keep it as a long.
        final long termOffset = claimed & 0xFFFF_FFFFL;
        if (termOffset + framedLength > termLength)
        {
            return endOfTerm(termCount, termId, claimedTermId, termOffset, index);
        }
        write(terms[index], (int)termOffset, claimedTermId, first, firstOffset, firstLength, second, secondOffset, vectors,
            length, supplier, bufferClaim);
        return computePosition(claimedTermId, (int)termOffset + framedLength);
    }

    long position()
    {
        final int termCount = metadata.getIntAcquire(ACTIVE_TERM_COUNT_OFFSET);
        final long rawTail = metadata.getLongAcquire(tailCounterOffset(termCount % PARTITION_COUNT));
        return computePosition((int)(rawTail >>> 32), (int)Math.min(rawTail & 0xFFFF_FFFFL, termLength));
    }

    /* The claim ran past the term's end: the writer that crossed it pads the rest; any writer may then move the log
     * on to the next term, and all of them report ADMIN_ACTION so their callers offer again. */
    private long endOfTerm(
        final int termCount, final int termId, final int claimedTermId, final long termOffset, final int index)
    {
        if (termOffset < termLength)
        {
            writePadding(terms[index], (int)termOffset, claimedTermId, termLength - (int)termOffset);
        }
        if (computePosition(claimedTermId, 0) + termLength >= maxPossiblePosition)
        {
            return NativePublication.MAX_POSITION_EXCEEDED;
        }

        final int nextTermId = termId + 1;
        final int nextTermCount = termCount + 1;
        final int nextTailOffset = tailCounterOffset(nextTermCount % PARTITION_COUNT);
        // The next partition still holds the term three back; only one writer replaces it.
        final int expectedTermId = nextTermId - PARTITION_COUNT;
        long rawTail;
        do
        {
            rawTail = metadata.getLongAcquire(nextTailOffset);
            if ((int)(rawTail >>> 32) != expectedTermId)
            {
                break;
            }
        }
        while (!metadata.compareAndSetLong(nextTailOffset, rawTail, packTail(nextTermId, 0)));
        metadata.compareAndSetInt(ACTIVE_TERM_COUNT_OFFSET, termCount, nextTermCount);
        return NativePublication.ADMIN_ACTION;
    }
}
