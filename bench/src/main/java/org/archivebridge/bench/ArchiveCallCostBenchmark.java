package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.archivebridge.NativeArchive;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_t;
import org.bytedeco.javacpp.LongPointer;
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

import java.io.File;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_connect;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_aeron_directory_name;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_control_request_channel;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_control_response_channel;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_get_recording_position;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_poll;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errmsg;

/**
 * What one archive call costs each client in one JVM, against one embedded Media Driver and Archive (SHARED, control
 * over IPC): AeronArchive, NativeArchive, and the C client called straight through its JavaCPP binding (no Java lock,
 * no failure check, the result read with a JNI call). Two calls:
 * <ul>
 *   <li>a poll of the response channel with nothing on it (AeronArchive.pollForRecordingSignals, NativeArchive.poll,
 *   abr_archive_poll): a call's fixed cost, with no wait for the Archive;</li>
 *   <li>getRecordingPosition of an active recording: the control round trip.</li>
 * </ul>
 * NativeArchive less the binding is what the Java API adds to a C call (lock, checks, failure check, result read);
 * the binding's poll against AeronArchive's is the JNI crossing and the C client's poll against the Java client's.
 * A score is nanoseconds per call; read them as differences within one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ArchiveCallCostBenchmark
{
    private static final int RECORDED_STREAM_ID = 1201;

    private ArchivingMediaDriver server;
    private String archiveDir;
    private Aeron aeron;
    private Publication recorded;
    private long recordingId;
    private AeronArchive aeronArchive;
    private NativeArchive nativeArchive;
    private abr_archive_t binding;
    private LongPointer position;

    @Setup(Level.Trial)
    public void setUp()
    {
        final String dir = "/dev/shm/abr-bench-call-" + UUID.randomUUID().toString().substring(0, 8);
        archiveDir = dir + "-archive";
        server = ArchivingMediaDriver.launch(
            new MediaDriver.Context()
                .aeronDirectoryName(dir)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true),
            new Archive.Context()
                .aeronDirectoryName(dir)
                .archiveDir(new File(archiveDir))
                .deleteArchiveOnStart(true)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .controlChannel("aeron:udp?endpoint=localhost:0")
                .localControlChannel("aeron:ipc")
                .recordingEventsEnabled(false)
                .replicationChannel("aeron:udp?endpoint=localhost:0"));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        aeronArchive = AeronArchive.connect(new AeronArchive.Context().aeron(aeron)
            .controlRequestChannel("aeron:ipc").controlResponseChannel("aeron:ipc"));
        nativeArchive = NativeArchive.connect(new NativeArchive.Context().aeronDirectoryName(dir)
            .controlRequestChannel("aeron:ipc").controlResponseChannel("aeron:ipc"));
        binding = connectBinding(dir);
        position = new LongPointer(1);

        recorded = aeron.addPublication("aeron:ipc", RECORDED_STREAM_ID);
        aeronArchive.startRecording("aeron:ipc", RECORDED_STREAM_ID, SourceLocation.LOCAL);
        final CountersReader counters = aeron.countersReader();
        int counterId;
        while (CountersReader.NULL_COUNTER_ID ==
            (counterId = RecordingPos.findCounterIdBySession(counters, recorded.sessionId(), aeronArchive.archiveId())))
        {
            Thread.yield();
        }
        recordingId = RecordingPos.getRecordingId(counters, counterId);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        while (recorded.offer(message) < 0)
        {
            Thread.yield();
        }
    }

    private static abr_archive_t connectBinding(final String dir)
    {
        final abr_archive_context_t context = new abr_archive_context_t();
        check(abr_archive_context_init(context));
        try
        {
            check(abr_archive_context_set_aeron_directory_name(context, dir));
            check(abr_archive_context_set_control_request_channel(context, "aeron:ipc"));
            check(abr_archive_context_set_control_response_channel(context, "aeron:ipc"));
            final abr_archive_t archive = new abr_archive_t();
            check(abr_archive_connect(archive, context));
            return archive;
        }
        finally
        {
            abr_archive_context_close(context);
        }
    }

    private static int check(final int result)
    {
        if (result < 0)
        {
            throw new IllegalStateException(abr_errmsg().getString());
        }
        return result;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (null != binding)
        {
            abr_archive_close(binding);
        }
        CloseHelper.closeAll(nativeArchive, aeronArchive, recorded, aeron, server);
        CloseHelper.close(position);
        IoUtil.delete(new File(archiveDir), true);
    }

    @Benchmark
    public int pollAeronArchive()
    {
        return aeronArchive.pollForRecordingSignals();
    }

    @Benchmark
    public int pollNativeArchive()
    {
        return nativeArchive.poll();
    }

    @Benchmark
    public int pollBinding()
    {
        return check(abr_archive_poll(binding));
    }

    @Benchmark
    public long recordingPositionAeronArchive()
    {
        return aeronArchive.getRecordingPosition(recordingId);
    }

    @Benchmark
    public long recordingPositionNativeArchive()
    {
        return nativeArchive.getRecordingPosition(recordingId);
    }

    @Benchmark
    public long recordingPositionBinding()
    {
        check(abr_archive_get_recording_position(position, binding, recordingId));
        return position.get();
    }
}
