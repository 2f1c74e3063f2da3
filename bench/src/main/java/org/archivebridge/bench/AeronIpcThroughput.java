package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * The aeron-client Java twin of the C core harness {@code native/bench/ipc_throughput.c}: the same work in the same
 * shape, so that {@link CCoreComparison} can run the two against one Media Driver and compare like with like. A
 * publisher thread offers fixed-size messages carrying their sequence number, the main thread polls them with the
 * same fragment limit and checks every sequence number; the clock runs from the publisher's first offer to the last
 * poll. The burst shape does it on one thread instead, 1000 messages offered then polled back at a time, and also
 * reports that thread's CPU time per message. Warm-up runs do the same work first on the same publication and
 * subscription and print nothing: they let the JIT compile both paths and touch every page of the log (a run of 3.2
 * million messages or more covers the three 64 MiB terms), so the measured run times the client, not the JIT or the
 * kernel's page faults. Keep the two harnesses alike when changing either.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     org.archivebridge.bench.AeronIpcThroughput &lt;aeron-dir&gt; &lt;message-count&gt; [message-length=32] \
 *     [concurrent|exclusive] [channel=aeron:ipc] [warm-up-runs=0] [threads|burst]</pre>
 */
public final class AeronIpcThroughput
{
    static final int STREAM_ID = 1001;
    static final int FRAGMENT_LIMIT = 256;
    static final int MAX_MESSAGE_LENGTH = 4096;
    static final int BURST = 1000;

    /** What a measured run found: messages, ns from first offer to last poll, CPU ns of the polling thread. */
    record Result(long received, long elapsedNs, long cpuNs, long backPressured)
    {
    }

    private static final class Publisher implements Runnable
    {
        private final Publication publication;
        private final long count;
        private final int length;
        private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_MESSAGE_LENGTH));
        /* Read by the main thread only after join (or on the same thread), which orders them. */
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
            // Taken here rather than before Thread.start, so thread start-up is not timed (nor is it in the C harness).
            startNs = System.nanoTime();
            for (long sequence = 0; sequence < count; sequence++)
            {
                if (!offerUntilAccepted(sequence))
                {
                    return;
                }
            }
        }

        /* Offer messages from..until-1; false (failed set) on an error. A method of its own, called once per burst, so
         * the JIT compiles it as a whole rather than only as an on-stack replacement of the run's loop. */
        boolean offerBurst(final long from, final long until)
        {
            for (long sequence = from; sequence < until; sequence++)
            {
                if (!offerUntilAccepted(sequence))
                {
                    return false;
                }
            }
            return true;
        }

        /* Offer one message until the log takes it; false (failed set) on an error other than back pressure. */
        boolean offerUntilAccepted(final long sequence)
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
                    return false;
                }
                backPressured++;
            }
            return true;
        }
    }

    private static final class Subscriber implements FragmentHandler
    {
        long received;
        boolean failed;

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final long sequence = buffer.getLong(offset, ByteOrder.nativeOrder());
            if (sequence != received && !failed)
            {
                System.err.println("expected message " + received + ", received " + sequence);
                failed = true;
            }
            received++;
        }

        /* Poll until the subscriber has received up to (not including) message `until`. */
        void pollUntil(final Subscription subscription, final long until, final Publisher publisher)
        {
            while (received < until && !failed && !publisher.failed)
            {
                subscription.poll(this, FRAGMENT_LIMIT);
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 2)
        {
            System.err.println("usage: AeronIpcThroughput <aeron-dir> <message-count> [message-length=32] " +
                "[concurrent|exclusive] [channel=aeron:ipc] [warm-up-runs=0] [threads|burst]");
            System.exit(2);
        }
        final long count = Long.parseLong(args[1]);
        final int length = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        final boolean exclusive = args.length > 3 && "exclusive".equals(args[3]);
        final String channel = args.length > 4 ? args[4] : "aeron:ipc";
        final int warmUpRuns = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        final boolean burst = args.length > 6 && "burst".equals(args[6]);
        if (count <= 0 || length < Long.BYTES || length > MAX_MESSAGE_LENGTH || warmUpRuns < 0 ||
            (args.length > 6 && !burst && !"threads".equals(args[6])))
        {
            System.err.println("message-count must be > 0, message-length within 8..4096, warm-up-runs >= 0, " +
                "threads or burst");
            System.exit(2);
        }

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0]));
            Subscription subscription = aeron.addSubscription(channel, STREAM_ID);
            Publication publication = exclusive ?
                aeron.addExclusivePublication(channel, STREAM_ID) : aeron.addPublication(channel, STREAM_ID))
        {
            while (subscription.imageCount() < 1)
            {
                LockSupport.parkNanos(1_000_000);
            }
            Result result = null;
            for (int i = 0; i <= warmUpRuns; i++)
            {
                result = run(subscription, publication, burst, count, length);
                if (null == result)
                {
                    System.exit(1);
                }
            }
            final double seconds = result.elapsedNs() / 1e9;
            final double rate = result.received() / seconds;
            System.out.printf("aeron-client Java IPC throughput (%s publication, %s, %s): %d messages of %d B in " +
                "%.3f s: %.0f msgs/s, %.1f MB/s, back pressured %d times%s%n", exclusive ? "exclusive" : "concurrent",
                channel, burst ? "bursts of 1000 on one thread" : "publisher and subscriber threads", result.received(),
                length, seconds, rate, rate * length / 1e6, result.backPressured(),
                burst ? String.format(", CPU %.1f ns per message", result.cpuNs() / (double)result.received()) : "");
        }
    }

    /* One run of count messages on the publication and subscription given; null on failure. */
    static Result run(
        final Subscription subscription, final Publication publication, final boolean burst, final long count,
        final int length) throws InterruptedException
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Publisher publisher = new Publisher(publication, count, length);
        final Subscriber subscriber = new Subscriber();
        final long cpuStartNs = threads.getCurrentThreadCpuTime();
        final long endNs;
        if (burst)
        {
            publisher.startNs = System.nanoTime();
            for (long sent = 0; sent < count && !subscriber.failed; )
            {
                final long burstEnd = Math.min(sent + BURST, count);
                if (!publisher.offerBurst(sent, burstEnd))
                {
                    return null;
                }
                sent = burstEnd;
                subscriber.pollUntil(subscription, burstEnd, publisher);
            }
            endNs = System.nanoTime();
        }
        else
        {
            final Thread thread = new Thread(publisher, "publisher");
            thread.start();
            subscriber.pollUntil(subscription, count, publisher);
            endNs = System.nanoTime();
            thread.join();
        }
        final long cpuNs = threads.getCurrentThreadCpuTime() - cpuStartNs;
        if (subscriber.failed || publisher.failed)
        {
            return null;
        }
        return new Result(subscriber.received, endNs - publisher.startNs, cpuNs, publisher.backPressured);
    }
}
