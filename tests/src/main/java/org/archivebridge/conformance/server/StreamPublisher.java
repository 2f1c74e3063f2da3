package org.archivebridge.conformance.server;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.conformance.Sleep;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * A stream for the Archive to record, published from the test JVM through the server's driver (the Archive runs
 * in another process, so only a publication on its driver reaches it). Exclusive, so every run has its own session.
 */
public final class StreamPublisher implements AutoCloseable
{
    private static final long TIMEOUT_MS = 10_000;

    private final ExclusivePublication publication;

    public StreamPublisher(final Aeron aeron, final String channel, final int streamId)
    {
        publication = aeron.addExclusivePublication(channel, streamId);
    }

    public int sessionId()
    {
        return publication.sessionId();
    }

    public long position()
    {
        return publication.position();
    }

    /** Wait until a subscriber (the Archive's recording) is connected; false on timeout. */
    public boolean awaitConnected()
    {
        return await(publication::isConnected);
    }

    /** Publish messages of a fixed length, each filled with its index; returns the position after the last. */
    public long publish(final int messages, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(length));
        for (int i = 0; i < messages; i++)
        {
            buffer.setMemory(0, length, (byte)i);
            if (!await(() -> publication.offer(buffer, 0, length) > 0))
            {
                throw new IllegalStateException("could not publish message " + i + " on " + publication.channel());
            }
        }
        return publication.position();
    }

    public static boolean await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Sleep.millis(1);
        }
        return true;
    }

    public void close()
    {
        publication.close();
    }
}
