package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeSubscription;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The cost of a poll that finds nothing, the turn a replay's or any consumer's wait loop makes most: Aeron's
 * Subscription and a NativeSubscription, each on one connected IPC image with nothing offered, against the same
 * embedded Media Driver. A score is nanoseconds per poll; read the two as a ratio within one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class EmptyPollBenchmark
{
    private static final int STREAM_ID_JAVA = 1101;
    private static final int STREAM_ID_NATIVE = 1102;
    private static final int FRAGMENT_LIMIT = 10;

    private MediaDriver driver;
    private Aeron aeron;
    private NativeAeron nativeAeron;
    private ExclusivePublication javaPublication;
    private ExclusivePublication nativeSubscriptionsPublication;
    private Subscription javaSubscription;
    private NativeSubscription nativeSubscription;
    private final FragmentHandler handler = (buffer, offset, length, header) -> {};

    @Setup(Level.Trial)
    public void setUp()
    {
        final String dir = "/dev/shm/abr-bench-empty-" + UUID.randomUUID().toString().substring(0, 8);
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
        javaSubscription = aeron.addSubscription("aeron:ipc", STREAM_ID_JAVA);
        nativeSubscription = nativeAeron.addSubscription("aeron:ipc", STREAM_ID_NATIVE);
        javaPublication = aeron.addExclusivePublication("aeron:ipc", STREAM_ID_JAVA);
        nativeSubscriptionsPublication = aeron.addExclusivePublication("aeron:ipc", STREAM_ID_NATIVE);
        while (!javaSubscription.isConnected() || !nativeSubscription.isConnected())
        {
            Thread.yield();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(nativeSubscription, nativeAeron, javaPublication, nativeSubscriptionsPublication,
            javaSubscription, aeron, driver);
    }

    @Benchmark
    public int aeronSubscription()
    {
        return javaSubscription.poll(handler, FRAGMENT_LIMIT);
    }

    @Benchmark
    public int nativeSubscription()
    {
        return nativeSubscription.poll(handler, FRAGMENT_LIMIT);
    }
}
