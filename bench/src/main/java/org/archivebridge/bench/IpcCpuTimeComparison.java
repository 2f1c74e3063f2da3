package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativePublication;
import org.archivebridge.NativeSubscription;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The same work as {@link IpcThroughputBenchmark} (32-byte messages over IPC, offered and polled back on one thread,
 * aeron-client and archive-bridge's Java API on one embedded driver), timed in the thread's CPU time instead of wall
 * time, one path after the other in alternating rounds. On a machine whose cores are shared with other jobs, wall time
 * mostly measures how often the thread was descheduled; CPU time per message stays close to what the code costs, so
 * the ratio of the two paths is readable even when the JMH scores are not. Every message carries its sequence number
 * and the subscriber checks it: a path that loses, duplicates or reorders fails the run instead of printing a number.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     org.archivebridge.bench.IpcCpuTimeComparison [rounds=30] [messages-per-round=200000]</pre>
 */
public final class IpcCpuTimeComparison
{
    private static final int MESSAGE_LENGTH = 32;
    /* Rounds for the JIT to compile both paths, on top of those it takes to touch every page of both logs once (three
     * terms of the default IPC term length, 64 MiB): until then page faults, the same on both paths, swamp the rest. */
    private static final int JIT_WARM_UP_ROUNDS = 5;
    private static final long LOG_LENGTH = 3L * 64 * 1024 * 1024;
    private static final int FRAME_LENGTH = 64;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH));
    private int expected;
    private final FragmentHandler checker = (buffer, offset, length, header) ->
    {
        if (length != MESSAGE_LENGTH || buffer.getInt(offset) != expected)
        {
            throw new IllegalStateException(
                "expected message " + expected + " of " + MESSAGE_LENGTH + " bytes, got " + buffer.getInt(offset) +
                " of " + length);
        }
        expected++;
    };

    public static void main(final String[] args)
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        // A round is offered in full before it is polled, so it must fit in the publication's window: half of the
        // default IPC term of 64 MiB, at 64 bytes a message with its header.
        if (rounds < 1 || messages < 1 || messages > 256 * 1024)
        {
            throw new IllegalArgumentException("rounds >= 1 and 1 <= messages-per-round <= 262144, got " + rounds +
                " and " + messages);
        }
        new IpcCpuTimeComparison().run(rounds, messages);
    }

    private void run(final int rounds, final int messages)
    {
        final String dir = "/dev/shm/abr-bench-cpu-" + UUID.randomUUID().toString().substring(0, 8);
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
            NativeAeron nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
            Subscription javaSubscription = aeron.addSubscription("aeron:ipc", 1001);
            ExclusivePublication javaPublication = aeron.addExclusivePublication("aeron:ipc", 1001);
            NativeSubscription nativeSubscription = nativeAeron.addSubscription("aeron:ipc", 1002);
            NativePublication nativePublication = nativeAeron.addExclusivePublication("aeron:ipc", 1002))
        {
            while (!javaPublication.isConnected() || !nativePublication.isConnected())
            {
                Thread.yield();
            }
            System.out.printf("CPU ns per message (offer + poll), %d messages of %d B per round%n", messages,
                MESSAGE_LENGTH);
            final int warmUpRounds = JIT_WARM_UP_ROUNDS + (int)((LOG_LENGTH + messages * (long)FRAME_LENGTH - 1) /
                (messages * (long)FRAME_LENGTH));
            for (int round = 0; round < warmUpRounds + rounds; round++)
            {
                final long[] java = round(true, messages, javaPublication, javaSubscription, null, null);
                final long[] ours = round(false, messages, null, null, nativePublication, nativeSubscription);
                if (round >= warmUpRounds)
                {
                    System.out.printf(
                        "round %2d  aeron-client offer %5.1f poll %4.1f = %5.1f | Java API offer %5.1f poll %4.1f = " +
                        "%5.1f | Java API at %3.0f %% of aeron-client's throughput%n",
                        round - warmUpRounds + 1,
                        java[0] / (double)messages, java[1] / (double)messages, (java[0] + java[1]) / (double)messages,
                        ours[0] / (double)messages, ours[1] / (double)messages, (ours[0] + ours[1]) / (double)messages,
                        100.0 * (java[0] + java[1]) / (ours[0] + ours[1]));
                }
            }
        }
    }

    /* One round on one path: the CPU nanoseconds the offers took and those the polls took. */
    private long[] round(
        final boolean aeronJavaClient, final int messages, final ExclusivePublication javaPublication,
        final Subscription javaSubscription, final NativePublication nativePublication,
        final NativeSubscription nativeSubscription)
    {
        expected = 0;
        final long start = threads.getCurrentThreadCpuTime();
        for (int sent = 0; sent < messages; )
        {
            message.putInt(0, sent);
            final long result = aeronJavaClient ?
                javaPublication.offer(message, 0, MESSAGE_LENGTH) : nativePublication.offer(message, 0, MESSAGE_LENGTH);
            if (result > 0)
            {
                sent++;
            }
            else if (result != NativePublication.ADMIN_ACTION && result != NativePublication.BACK_PRESSURED)
            {
                throw new IllegalStateException("offer failed: " + result);
            }
        }
        final long offered = threads.getCurrentThreadCpuTime();
        while (expected < messages)
        {
            if (aeronJavaClient)
            {
                javaSubscription.poll(checker, 256);
            }
            else
            {
                nativeSubscription.poll(checker, 256);
            }
        }
        final long polled = threads.getCurrentThreadCpuTime();
        return new long[]{ offered - start, polled - offered };
    }
}
