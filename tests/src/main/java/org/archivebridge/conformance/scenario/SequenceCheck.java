package org.archivebridge.conformance.scenario;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * What a consumer of a {@link SequencedPublisher} stream received, checked message by message: each must have the
 * published length and the sequence number after the previous one, starting at the expected first. It keeps the first
 * anomaly (a gap, a duplicate, a message out of order, a wrong length) in words; the handler allocates only then.
 */
final class SequenceCheck implements FragmentHandler
{
    private final long expectedFirst;
    private final int messageLength;
    private long first = -1;
    private long last = -1;
    private long received;
    private String anomaly;

    SequenceCheck(final long expectedFirst, final int messageLength)
    {
        this.expectedFirst = expectedFirst;
        this.messageLength = messageLength;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long sequence = length >= Long.BYTES ? buffer.getLong(offset) : -1;
        if (null == anomaly)
        {
            final long expected = received == 0 ? expectedFirst : last + 1;
            if (length != messageLength)
            {
                anomaly = "message " + received + " has length " + length + ", not " + messageLength;
            }
            else if (sequence != expected)
            {
                anomaly = "message " + received + " has sequence " + sequence + " where " + expected + " was due (" +
                    (sequence < expected ? "duplicate or out of order" : "gap of " + (sequence - expected)) + ")";
            }
        }
        if (received == 0)
        {
            first = sequence;
        }
        last = sequence;
        received++;
    }

    /** The first sequence number received, -1 before any. */
    long first()
    {
        return first;
    }

    long received()
    {
        return received;
    }

    /** Whether what arrived so far came once each, in order, from the expected first, with the published length. */
    boolean inOrder()
    {
        return null == anomaly;
    }

    /** Whether every message through lastSequence arrived once, in order, and nothing else. */
    boolean completeThrough(final long lastSequence)
    {
        return null == anomaly && received > 0 && last == lastSequence;
    }

    /** The verdict, as the transcript shows it: the same words for both clients whenever they behave alike. */
    String verdict(final long lastSequence)
    {
        if (null != anomaly)
        {
            return anomaly;
        }
        if (received == 0)
        {
            return "nothing received";
        }
        return last == lastSequence ? "in order, without gap or duplicate, " + expectedFirst + " through the last" :
            "stopped at " + last + " of " + lastSequence;
    }
}
