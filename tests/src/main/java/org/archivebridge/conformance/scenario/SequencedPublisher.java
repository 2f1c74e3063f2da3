package org.archivebridge.conformance.scenario;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.conformance.server.StreamPublisher;

import java.nio.ByteBuffer;

/**
 * A live stream whose messages carry their sequence number (0, 1, 2, ...) in their first 8 bytes, the rest filled
 * with its low byte, so a consumer can prove it got every message once and in order ({@link SequenceCheck}).
 * Exclusive, so each run has a session of its own.
 */
final class SequencedPublisher implements AutoCloseable
{
    private final ExclusivePublication publication;
    private final UnsafeBuffer buffer;
    private final int messageLength;
    private long published;

    SequencedPublisher(final Aeron aeron, final String channel, final int streamId, final int messageLength)
    {
        this(aeron, channel, streamId, messageLength, 0);
    }

    /** A stream whose first message carries firstSequence: one that carries on where an earlier one stopped. */
    SequencedPublisher(
        final Aeron aeron, final String channel, final int streamId, final int messageLength, final long firstSequence)
    {
        this.messageLength = messageLength;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocate(messageLength));
        this.publication = aeron.addExclusivePublication(channel, streamId);
        this.published = firstSequence;
    }

    /**
     * The channel for a new publication that resumes this one's session where it stands now (same session id, same
     * initial term id, at this position), so a consumer and a recording see the same stream carry on.
     */
    String resumeChannel(final String channel)
    {
        return new ChannelUriStringBuilder(channel).sessionId(publication.sessionId())
            .initialPosition(publication.position(), publication.initialTermId(), publication.termBufferLength())
            .build();
    }

    int sessionId()
    {
        return publication.sessionId();
    }

    long position()
    {
        return publication.position();
    }

    /** How many messages went out: the next one carries this sequence number. */
    long published()
    {
        return published;
    }

    /** Offer the next message once; @return true if it went out. */
    boolean offerNext()
    {
        buffer.setMemory(0, messageLength, (byte)published);
        buffer.putLong(0, published);
        if (publication.offer(buffer, 0, messageLength) > 0)
        {
            published++;
            return true;
        }
        return false;
    }

    /** Publish this many more, waiting out back pressure; @return false if one could not go out in time. */
    boolean publish(final int messages)
    {
        for (int i = 0; i < messages; i++)
        {
            if (!StreamPublisher.await(this::offerNext))
            {
                return false;
            }
        }
        return true;
    }

    public void close()
    {
        publication.close();
    }
}
