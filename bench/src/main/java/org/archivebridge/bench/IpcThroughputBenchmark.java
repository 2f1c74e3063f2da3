package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativePublication;
import org.archivebridge.NativeSubscription;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of 32-byte messages over IPC, publication to subscription on one thread, through Aeron's Java client and
 * through archive-bridge's Java API over its C core, against the same embedded Media Driver. Each invocation offers a
 * burst and polls it back, so a score is messages per second end to end. The offerOnly and pollOnly pairs time one
 * side each: the other side's half runs in a per-invocation setup (JMH's Level.Invocation, acceptable here because an
 * invocation is a burst of a thousand messages, not one). Run with {@code -prof gc} to see the allocation per message
 * (expected: none on any path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class IpcThroughputBenchmark
{
    static final int MESSAGE_LENGTH = 32;
    static final int BURST = 1000;
    static final int STREAM_ID_JAVA = 1001;
    static final int STREAM_ID_NATIVE = 1002;

    private MediaDriver driver;
    private Aeron aeron;
    private NativeAeron nativeAeron;
    private ExclusivePublication javaPublication;
    private Subscription javaSubscription;
    private NativePublication nativePublication;
    private NativeSubscription nativeSubscription;
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH));
    private long received;
    private final FragmentHandler counter = (buffer, offset, length, header) -> received++;

    @Setup(Level.Trial)
    public void setUp()
    {
        final String dir = "/dev/shm/abr-bench-" + UUID.randomUUID().toString().substring(0, 8);
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));

        javaSubscription = aeron.addSubscription("aeron:ipc", STREAM_ID_JAVA);
        javaPublication = aeron.addExclusivePublication("aeron:ipc", STREAM_ID_JAVA);
        nativeSubscription = nativeAeron.addSubscription("aeron:ipc", STREAM_ID_NATIVE);
        nativePublication = nativeAeron.addExclusivePublication("aeron:ipc", STREAM_ID_NATIVE);
        while (!javaPublication.isConnected() || !nativePublication.isConnected())
        {
            Thread.yield();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(nativePublication, nativeSubscription, nativeAeron, javaPublication, javaSubscription,
            aeron, driver);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long aeronJavaClient()
    {
        final long target = received + BURST;
        int sent = 0;
        while (sent < BURST)
        {
            message.putInt(0, sent);
            if (javaPublication.offer(message, 0, MESSAGE_LENGTH) > 0)
            {
                sent++;
            }
            else
            {
                javaSubscription.poll(counter, 256);
            }
        }
        while (received < target)
        {
            javaSubscription.poll(counter, 256);
        }
        return received;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long aeronJavaClientOfferOnly(final Drained drained)
    {
        return offerBurst(true);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long archiveBridgeJavaApiOfferOnly(final Drained drained)
    {
        return offerBurst(false);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long aeronJavaClientPollOnly(final Filled filled)
    {
        final long target = received + BURST;
        while (received < target)
        {
            javaSubscription.poll(counter, 256);
        }
        return received;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long archiveBridgeJavaApiPollOnly(final Filled filled)
    {
        final long target = received + BURST;
        while (received < target)
        {
            nativeSubscription.poll(counter, 256);
        }
        return received;
    }

    /* Offer a burst on one path. Setups drain both subscriptions before each invocation, and a burst is far below the
     * window (half a 64 MiB term), so a refused offer is the term's end (ADMIN_ACTION) or a publisher limit the driver
     * has not raised yet (BACK_PRESSURED): offer again. Anything else is a broken run, not a number. */
    long offerBurst(final boolean aeronJavaClient)
    {
        long position = 0;
        for (int sent = 0; sent < BURST; )
        {
            message.putInt(0, sent);
            position = aeronJavaClient ?
                javaPublication.offer(message, 0, MESSAGE_LENGTH) : nativePublication.offer(message, 0, MESSAGE_LENGTH);
            if (position > 0)
            {
                sent++;
            }
            else if (position != NativePublication.ADMIN_ACTION && position != NativePublication.BACK_PRESSURED)
            {
                throw new IllegalStateException((aeronJavaClient ? "aeron-client" : "archive-bridge") +
                    " offer failed: " + position);
            }
        }
        return position;
    }

    void drain()
    {
        while (javaSubscription.poll(counter, 256) > 0 || nativeSubscription.poll(counter, 256) > 0)
        {
            Thread.onSpinWait();
        }
    }

    /** Before each offerOnly invocation: both subscriptions drained, so the burst is never back pressured. */
    @State(Scope.Thread)
    public static class Drained
    {
        @Setup(Level.Invocation)
        public void drain(final IpcThroughputBenchmark benchmark)
        {
            benchmark.drain();
        }
    }

    /** Before each pollOnly invocation: a burst offered on both paths; the one the invocation does not poll is drained
     * before the next. */
    @State(Scope.Thread)
    public static class Filled
    {
        @Setup(Level.Invocation)
        public void fill(final IpcThroughputBenchmark benchmark)
        {
            benchmark.drain();
            benchmark.offerBurst(true);
            benchmark.offerBurst(false);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long archiveBridgeJavaApi()
    {
        final long target = received + BURST;
        int sent = 0;
        while (sent < BURST)
        {
            message.putInt(0, sent);
            if (nativePublication.offer(message, 0, MESSAGE_LENGTH) > 0)
            {
                sent++;
            }
            else
            {
                nativeSubscription.poll(counter, 256);
            }
        }
        while (received < target)
        {
            nativeSubscription.poll(counter, 256);
        }
        return received;
    }
}
