package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * The aeron-client Java twin of the C core harness {@code native/bench/ipc_throughput.c}: the same work in the same
 * shape, so that {@link CCoreComparison} can run the two against one Media Driver and compare like with like. A
 * publisher thread offers fixed-size messages carrying their sequence number, the main thread polls them with the
 * same fragment limit and checks every sequence number; the clock runs from the publisher's first offer to the last
 * poll. Warm-up runs (for the JIT) do the same work on a publication and subscription of their own, closed before the
 * measured run, and print nothing. Keep the two harnesses alike when changing either.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     org.archivebridge.bench.AeronIpcThroughput &lt;aeron-dir&gt; &lt;message-count&gt; [message-length=32] \
 *     [concurrent|exclusive] [channel=aeron:ipc] [warm-up-runs=0]</pre>
 */
public final class AeronIpcThroughput
{
    static final int STREAM_ID = 1001;
    static final int FRAGMENT_LIMIT = 256;
    static final int MAX_MESSAGE_LENGTH = 4096;

    /** What a measured run found: messages received, nanoseconds from first offer to last poll, back pressure. */
    record Result(long received, long elapsedNs, long backPressured)
    {
    }

    private static final class Publisher implements Runnable
    {
        private final Publication publication;
        private final long count;
        private final int length;
        private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_MESSAGE_LENGTH));
        /* Read by the main thread only after join, which orders them. */
        long startNs;
        long backPressured;
        volatile boolean failed;

        Publisher(final Publication publication, final long count, final int length)
        {
            this.publication = publication;
            this.count = count;
            this.length = length;
        }

        public void run()
        {
            startNs = System.nanoTime();
            for (long sequence = 0; sequence < count; sequence++)
            {
                // Native order, as the C harness's memcpy of an int64_t.
                message.putLong(0, sequence, ByteOrder.nativeOrder());
                long result;
                while ((result = publication.offer(message, 0, length)) < 0)
                {
                    if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION &&
                        result != Publication.NOT_CONNECTED)
                    {
                        System.err.println("offer failed at message " + sequence + ": " + result);
                        failed = true;
                        return;
                    }
                    backPressured++;
                }
            }
        }
    }

    private static final class Subscriber implements FragmentHandler
    {
        long received;
        boolean failed;

        public void onFragment(
            final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final long sequence = buffer.getLong(offset, ByteOrder.nativeOrder());
            if (sequence != received && !failed)
            {
                System.err.println("expected message " + received + ", received " + sequence);
                failed = true;
            }
            received++;
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 2)
        {
            System.err.println("usage: AeronIpcThroughput <aeron-dir> <message-count> [message-length=32] " +
                "[concurrent|exclusive] [channel=aeron:ipc] [warm-up-runs=0]");
            System.exit(2);
        }
        final long count = Long.parseLong(args[1]);
        final int length = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        final boolean exclusive = args.length > 3 && "exclusive".equals(args[3]);
        final String channel = args.length > 4 ? args[4] : "aeron:ipc";
        final int warmUpRuns = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        if (count <= 0 || length < Long.BYTES || length > MAX_MESSAGE_LENGTH || warmUpRuns < 0)
        {
            System.err.println("message-count must be > 0, message-length within 8..4096, warm-up-runs >= 0");
            System.exit(2);
        }

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0])))
        {
            for (int i = 0; i < warmUpRuns; i++)
            {
                if (null == run(aeron, channel, STREAM_ID + 1 + i, exclusive, count, length))
                {
                    System.exit(1);
                }
            }
            final Result result = run(aeron, channel, STREAM_ID, exclusive, count, length);
            if (null == result)
            {
                System.exit(1);
            }
            final double seconds = result.elapsedNs() / 1e9;
            final double rate = result.received() / seconds;
            System.out.printf("aeron-client Java IPC throughput (%s publication, %s): %d messages of %d B in %.3f s: " +
                "%.0f msgs/s, %.1f MB/s, back pressured %d times%n", exclusive ? "exclusive" : "concurrent", channel,
                result.received(), length, seconds, rate, rate * length / 1e6, result.backPressured());
        }
    }

    /* One run on a subscription and publication of its own on streamId, closed at the end; null on failure. */
    static Result run(
        final Aeron aeron, final String channel, final int streamId, final boolean exclusive, final long count,
        final int length) throws InterruptedException
    {
        try (Subscription subscription = aeron.addSubscription(channel, streamId);
            Publication publication = exclusive ?
                aeron.addExclusivePublication(channel, streamId) : aeron.addPublication(channel, streamId))
        {
            while (subscription.imageCount() < 1)
            {
                LockSupport.parkNanos(1_000_000);
            }
            final Publisher publisher = new Publisher(publication, count, length);
            final Subscriber subscriber = new Subscriber();
            final Thread thread = new Thread(publisher, "publisher");
            thread.start();
            while (subscriber.received < count && !subscriber.failed && !publisher.failed)
            {
                subscription.poll(subscriber, FRAGMENT_LIMIT);
            }
            final long endNs = System.nanoTime();
            thread.join();
            if (subscriber.failed || publisher.failed)
            {
                return null;
            }
            return new Result(subscriber.received, endNs - publisher.startNs, publisher.backPressured);
        }
    }
}
