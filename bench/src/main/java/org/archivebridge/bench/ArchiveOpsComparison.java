package org.archivebridge.bench;

import io.aeron.ExclusivePublication;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Archive operations side by side: one embedded Media Driver and Archive (Aeron 1.51.0, SHARED threading), and in each
 * round, over IPC and over UDP, one child process per client, in an order that rotates each round: the C API harness
 * {@code abr_archive_ops}, {@code NativeArchive} and {@code AeronArchive} ({@link ArchiveOpsClient}), and optionally a
 * second build of the C harness ({@code --c-harness-before}) and of the Java API ({@code --java-classpath-before}),
 * e.g. of the code before a fix. Each child connects and
 * closes (owned core, then shared core), makes round trips ({@code getRecordingPosition}), lists the recordings,
 * replays two recordings of {@code --messages} messages (1 KiB and 32 B) to the round's transport and, in the UDP
 * rounds, merges a replay of a live recording with its live stream (from {@code --messages} frames of 1 KiB behind,
 * while this process publishes a frame each millisecond); the comparison prints each round and then, per operation,
 * the median over the rounds of each client's median, p99 and p99.9 and its ratio to AeronArchive's in the same round,
 * and for replays the messages/s and MB/s of the median. Last, each child times persistent subscriptions from position
 * 0 of a recording of {@code --messages} messages made for it (on the round's transport) to live, while this process
 * publishes one more message each millisecond. With {@code --warmup N} every child makes N untimed calls before the
 * timed ones of each per-call phase (connect and close, shared-core close, round trips, listings), for figures of a
 * compiled JIT beside the default's cold ones; replays, merges and persistent subscriptions poll thousands of times
 * per sample and are not repeated. The driver keeps a closed session's publications and images for seconds (an IPC
 * publication until its next timer tick, a UDP image for its liveness timeout) and walks all of them on every duty
 * cycle, so a client whose connect phases were fast would meet more of its own leftovers in its next phases than a slow
 * one: before each child, and in each child between its closes and its round trips ("phase=settle", answered on its
 * stdin), the comparison waits until the driver's count of publications and images is back at its baseline, at most
 * {@code --drain-timeout-s} (0: no waits); the round lines show how long each wait took. With {@code --settle-ms N}
 * every child also pauses N ms before its round trips. The untimed round trips go on for at least
 * {@code --round-trip-warmup-ms} (1000): their count alone ended them before C2 had compiled the Java clients' frames,
 * which took some 200 ms on a CPU shared with the spinning caller, while 20,000 round trips take about 15 ms. A child
 * that does not echo the warm-up, the pause or the round-trip warm-up, or does not ask to settle, fails the run (a
 * build before, given with --c-harness-before or --java-classpath-before, is let through without the settle point and
 * the round-trip warm-up).
 * See docs/benchmarks.md.
 */
public final class ArchiveOpsComparison
{
    private static final String HARNESS_IN_TREE = "native/target/cmake/native/bench/abr_archive_ops";
    private static final Pattern LINE = Pattern.compile(
        "op=(\\S+) n=\\d+ median_us=([0-9.]+) p99_us=([0-9.]+) p999_us=([0-9.]+) max_us=([0-9.]+)");
    private static final long CHILD_TIMEOUT_S = 600;
    private static final int STREAM_ID = 1001;
    private static final int REPLAY_SOURCE_STREAM_ID = 1002;
    private static final int REPLAY_STREAM_ID = 1003;
    private static final int LIVE_STREAM_ID = 1004;
    /** The persistent subscriptions' live stream; their replays use the next stream id. */
    private static final int PERSISTENT_STREAM_ID = 1005;
    /** What a child prints before its persistent subscriptions: the live stream is published to from then on. */
    private static final String PERSISTENT_PHASE = "phase=persistent_subscription";
    /** What a child prints after its closes, then waiting for a line on its stdin before its round trips. */
    private static final String SETTLE_PHASE = "phase=settle";
    /** How long the driver's count must stay unchanged for the run's baseline: longer than its image liveness (10 s). */
    private static final long BASELINE_QUIET_MS = 12_000;
    /** The live stream's frames are 1 KiB with their header, so every multiple of 1 KiB is a frame's start. */
    private static final int LIVE_PAYLOAD_LENGTH = 1024 - 32;

    private Path harness = Paths.get(HARNESS_IN_TREE).toAbsolutePath();
    private Path harnessBefore;
    private String javaClasspathBefore;
    private int rounds = 5;
    private int connects = 20;
    private int roundTrips = 20_000;
    private int listings = 20;
    private int listCount = 2000;
    private int replays = 5;
    private int messages = 50_000;
    private int merges = 5;
    private int persistentSubscriptions = 5;
    private int warmup;
    private int settleMs;
    /* The round trips' untimed calls go on at least this long: long enough for the Java clients' JIT to finish. */
    private int roundTripWarmupMs = 1000;
    private int drainTimeoutS = 60;
    private List<String> transports = List.of("ipc", "udp");
    /* With --pin-cpus: this process (the driver and archive) on the first CPU, every child on the second. */
    private String serverCpu;
    private String clientCpu;

    public static void main(final String[] args) throws Exception
    {
        final ArchiveOpsComparison comparison = new ArchiveOpsComparison();
        comparison.parse(args);
        System.exit(comparison.run());
    }

    private void parse(final String[] args)
    {
        for (int i = 0; i < args.length; i += 2)
        {
            if (args[i].equals("--help"))
            {
                usage("Archive operations: C API, NativeArchive and AeronArchive side by side");
            }
            if (i + 1 >= args.length)
            {
                usage(args[i] + " needs a value");
            }
            final String value = args[i + 1];
            switch (args[i])
            {
                case "--c-harness" -> harness = Paths.get(value);
                case "--c-harness-before" -> harnessBefore = Paths.get(value);
                case "--java-classpath-before" -> javaClasspathBefore = value;
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--connects" -> connects = Integer.parseInt(value);
                case "--round-trips" -> roundTrips = Integer.parseInt(value);
                case "--listings" -> listings = Integer.parseInt(value);
                case "--list-count" -> listCount = Integer.parseInt(value);
                case "--replays" -> replays = Integer.parseInt(value);
                case "--messages" -> messages = Integer.parseInt(value);
                case "--merges" -> merges = Integer.parseInt(value);
                case "--persistent-subscriptions" -> persistentSubscriptions = Integer.parseInt(value);
                case "--transports" -> transports = Arrays.asList(value.split(","));
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--settle-ms" -> settleMs = Integer.parseInt(value);
                case "--round-trip-warmup-ms" -> roundTripWarmupMs = Integer.parseInt(value);
                case "--drain-timeout-s" -> drainTimeoutS = Integer.parseInt(value);
                case "--pin-cpus" ->
                {
                    if (!value.matches("\\d+,\\d+"))
                    {
                        usage("--pin-cpus takes two CPU numbers, the server's and the clients', e.g. 0,1");
                    }
                    serverCpu = value.substring(0, value.indexOf(','));
                    clientCpu = value.substring(value.indexOf(',') + 1);
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (rounds < 1 || connects < 1 || roundTrips < 1 || listings < 1 || listCount < 1 || replays < 0 ||
            messages < 1 || merges < 0 || persistentSubscriptions < 0 || warmup < 0 || settleMs < 0 || settleMs > 600_000 ||
            roundTripWarmupMs < 0 || roundTripWarmupMs > 600_000 || drainTimeoutS < 0 || drainTimeoutS > 3600 ||
            !transports.stream().allMatch(t -> t.equals("ipc") || t.equals("udp")))
        {
            usage("rounds, connects, round-trips, listings, list-count and messages >= 1, replays, merges and " +
                "persistent-subscriptions and warmup >= 0, settle-ms and round-trip-warmup-ms 0 to 600000, " +
                "drain-timeout-s 0 to 3600; " +
                "transports of ipc and udp");
        }
        if (!Files.isExecutable(harness) || (null != harnessBefore && !Files.isExecutable(harnessBefore)))
        {
            usage("C harness not found or not executable: " + harness + " / " + harnessBefore +
                " (build it: mvn -B -q -pl native compile)");
        }
    }

    private static void usage(final String problem)
    {
        System.err.println(problem);
        System.err.println("usage: ArchiveOpsComparison [--c-harness PATH] [--c-harness-before PATH] [--rounds 5] " +
            "[--java-classpath-before CLASSPATH] [--connects 20] [--round-trips 20000] [--listings 20] [--list-count 2000] " +
            "[--replays 5] [--messages 50000] [--merges 5] [--persistent-subscriptions 5] [--transports ipc,udp] " +
            "[--pin-cpus SERVER,CLIENT] [--warmup 0] [--settle-ms 0] [--round-trip-warmup-ms 1000] " +
            "[--drain-timeout-s 60]");
        System.exit(2);
    }

    private int run() throws Exception
    {
        if (null != serverCpu)
        {
            // Where each client's thread lands against the server's one SHARED agent thread decides a round trip's
            // cost (same CPU: every wait hands over to the agent; other CPU: both spin), so unpinned it is chance.
            final Process pin = new ProcessBuilder("taskset", "-a", "-p", "-c", serverCpu,
                Long.toString(ProcessHandle.current().pid())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (0 != pin.waitFor())
            {
                throw new IllegalStateException("taskset could not pin this process to CPU " + serverCpu);
            }
        }
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final String dir = "/dev/shm/abr-bench-archive-" + id;
        final File archiveDir = Files.createTempDirectory("abr-bench-archive-").toFile();
        final int controlPort = freeUdpPort();
        final String udpControl = "aeron:udp?endpoint=localhost:" + controlPort;
        final String udpReplay = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        final int persistentLivePort = freeUdpPort();
        final String persistentUdpReplay = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        final int liveControlPort = freeUdpPort();
        final List<String> clients = new ArrayList<>(List.of("C API", "NativeArchive", "AeronArchive"));
        if (null != harnessBefore)
        {
            clients.add("C API before");
        }
        if (null != javaClasspathBefore)
        {
            clients.add("NativeArchive before");
        }

        System.out.printf("Archive operations, %d rounds; per child: %d connect/close, %d round trips, %d listings " +
            "of %d, %d replays of %d messages of 1024 and of 32 bytes, %d merges (UDP rounds) from %d frames of " +
            "1 KiB behind, %d persistent subscriptions from 0 of %d messages of 1 KiB to live; %d untimed calls " +
            "before each per-call phase (--warmup), the round trips' for at least %d ms (--round-trip-warmup-ms); " +
            "before each child and before its round trips, a wait of up to %d s " +
            "for the driver's publications and images to drop back to the baseline (--drain-timeout-s), then %d ms " +
            "pause before the round trips (--settle-ms)%n",
            rounds, connects, roundTrips, listings, listCount, replays, messages, merges, messages,
            persistentSubscriptions, messages, warmup, roundTripWarmupMs, drainTimeoutS, settleMs);
        System.out.printf("C harness %s%s, Java %s, %s, started %s, load average %s%n", harness,
            null == harnessBefore ? "" : " (before: " + harnessBefore + ")", System.getProperty("java.version"),
            null == serverCpu ? "not pinned" : "server on CPU " + serverCpu + ", clients on CPU " + clientCpu,
            Instant.now(), CCoreComparison.loadAverage());

        // transport -> op -> client -> [round][median, p99, p999]
        final Map<String, Map<String, Map<String, List<double[]>>>> results = new LinkedHashMap<>();
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        final Archive.Context archiveCtx = new Archive.Context()
            .aeronDirectoryName(dir)
            .archiveDir(archiveDir)
            .deleteArchiveOnStart(true)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .controlChannel(udpControl)
            .localControlChannel("aeron:ipc")
            .recordingEventsEnabled(false)
            .replicationChannel("aeron:udp?endpoint=localhost:0");
        try (ArchivingMediaDriver ignored = ArchivingMediaDriver.launch(driverCtx, archiveCtx))
        {
            final long recordingId = makeRecordings(dir, listCount);
            final long[] replayRecordings = { makeReplaySource(dir, 1024), makeReplaySource(dir, 32) };
            System.out.printf("%d recordings made, load average %s%n", listCount + 2, CCoreComparison.loadAverage());
            try (LiveRecording live = new LiveRecording(dir, liveControlPort, messages);
                DriverSettle settle = drainTimeoutS > 0 ? new DriverSettle(dir) : null)
            {
                // What the driver holds with no child running, once the set-up's own sessions have gone.
                final Set<String> baseline = null == settle ? null :
                    settle.awaitQuiet(BASELINE_QUIET_MS, TimeUnit.SECONDS.toMillis(drainTimeoutS) * 2);
                if (null != settle)
                {
                    System.out.printf("driver baseline: %d publications and images (stream-position counters): %s%n",
                        baseline.size(), baseline);
                }
                for (int round = 0; round < rounds; round++)
                {
                    for (final String transport : transports)
                    {
                        final boolean udp = transport.equals("udp");
                        final String request = udp ? udpControl : "aeron:ipc";
                        final String response = udp ? "aeron:udp?endpoint=localhost:0" : "aeron:ipc";
                        final List<String> replayArgs = List.of(Integer.toString(replays),
                            udp ? udpReplay : "aeron:ipc", Integer.toString(REPLAY_STREAM_ID), Long.toString(replayRecordings[0]),
                            Long.toString(replayRecordings[1]), Integer.toString(messages),
                            Integer.toString(udp ? merges : 0), Long.toString(live.recordingId),
                            Integer.toString(live.sessionId), Integer.toString(liveControlPort),
                            Integer.toString(LIVE_STREAM_ID));
                        live.publishing(udp && merges > 0);
                        for (int k = 0; k < clients.size(); k++)
                        {
                            final String client = clients.get((k + round) % clients.size());
                            // The builds before (--c-harness-before, --java-classpath-before) may predate the
                            // persistent subscriptions: they get the arguments they know and skip that phase.
                            final boolean persistentPhase = persistentSubscriptions > 0 && !client.endsWith(" before");
                            final int expectedLines = 5 + (replays > 0 ? 2 : 0) + (udp && merges > 0 ? 1 : 0) +
                                (persistentPhase ? 1 : 0);
                            final String persistentLive = udp ?
                                "aeron:udp?endpoint=localhost:" + persistentLivePort : "aeron:ipc";
                            final Map<String, double[]> lines;
                            // The previous child's sessions (and its persistent recording's) go first.
                            final DriverSettle.Wait before = null == settle ? null :
                                settle.awaitAtMost(baseline, TimeUnit.SECONDS.toMillis(drainTimeoutS));
                            final DriverSettle.Wait[] beforeRoundTrips = new DriverSettle.Wait[1];
                            try (PersistentRecording persistent = persistentPhase ?
                                new PersistentRecording(dir, persistentLive, messages) : null)
                            {
                                final List<String> childArgs = new ArrayList<>(replayArgs);
                                if (null != persistent)
                                {
                                    childArgs.addAll(List.of(Integer.toString(persistentSubscriptions),
                                        Long.toString(persistent.recordingId), persistentLive,
                                        Integer.toString(PERSISTENT_STREAM_ID),
                                        udp ? persistentUdpReplay : "aeron:ipc"));
                                }
                                // This child's baseline: the run's and its persistent recording, now made.
                                final Set<String> target = null == settle ? null : settle.snapshot();
                                lines = runChild(client, dir, request, response, recordingId, childArgs, expectedLines,
                                    () -> persistent.publishing(true), null == settle ? null : () ->
                                        beforeRoundTrips[0] = settle.awaitAtMost(
                                            target, TimeUnit.SECONDS.toMillis(drainTimeoutS)));
                            }
                            for (final Map.Entry<String, double[]> line : lines.entrySet())
                            {
                                results.computeIfAbsent(transport, t -> new LinkedHashMap<>())
                                    .computeIfAbsent(line.getKey(), o -> new LinkedHashMap<>())
                                    .computeIfAbsent(client, c -> new ArrayList<>())
                                    .add(line.getValue());
                            }
                            System.out.printf("round %d %-4s %-14s %s load %s%s%n", round + 1, transport, client,
                                summary(lines), CCoreComparison.loadAverage(), null == settle ? "" :
                                " drained before " + before + ", before round trips " +
                                (null == beforeRoundTrips[0] ? "(no handshake)" : beforeRoundTrips[0]));
                        }
                        live.publishing(false);
                    }
                }
            }
        }
        finally
        {
            deleteRecursively(archiveDir);
        }

        System.out.printf("finished %s, load average %s%n", Instant.now(), CCoreComparison.loadAverage());
        System.out.println("median over rounds of each round's median / p99 / p99.9 in us (ratio to AeronArchive's " +
            "of the same round, median over rounds)");
        for (final Map.Entry<String, Map<String, Map<String, List<double[]>>>> transport : results.entrySet())
        {
            for (final Map.Entry<String, Map<String, List<double[]>>> op : transport.getValue().entrySet())
            {
                final List<double[]> reference = op.getValue().get("AeronArchive");
                for (final String client : clients)
                {
                    final List<double[]> rows = op.getValue().get(client);
                    if (null == rows)
                    {
                        continue;
                    }
                    final StringBuilder text = new StringBuilder();
                    for (int stat = 0; stat < 3; stat++)
                    {
                        final double[] values = new double[rows.size()];
                        final double[] ratios = new double[rows.size()];
                        for (int r = 0; r < rows.size(); r++)
                        {
                            values[r] = rows.get(r)[stat];
                            ratios[r] = rows.get(r)[stat] / reference.get(r)[stat];
                        }
                        text.append(String.format(" %s %10s (%.2fx)", stat == 0 ? "median" : stat == 1 ? "p99" :
                            "p99.9", us(CCoreComparison.median(values)), CCoreComparison.median(ratios)));
                    }
                    if (op.getKey().startsWith("replay_") && !op.getKey().equals("replay_merge"))
                    {
                        final double[] medians = rows.stream().mapToDouble(row -> row[0]).toArray();
                        final double seconds = CCoreComparison.median(medians) / 1e6;
                        final int length = op.getKey().equals("replay_1024") ? 1024 : 32;
                        text.append(String.format("  %.0f msg/s %.1f MB/s", messages / seconds,
                            (double)messages * length / seconds / 1e6));
                    }
                    final StringBuilder perRound = new StringBuilder();
                    for (int r = 0; r < rows.size(); r++)
                    {
                        perRound.append(String.format(" %.2f", rows.get(r)[0] / reference.get(r)[0]));
                    }
                    System.out.printf("%-4s %-23s %-14s%s%n", transport.getKey(), op.getKey(), client, text);
                    System.out.printf("%-4s %-23s %-14s   median ratio per round:%s%n", "", "", "", perRound);
                }
            }
        }
        return 0;
    }

    /* A stopped recording on IPC of `messages` messages of `length` bytes, for the replays; its id. */
    private long makeReplaySource(final String dir, final int length)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
        try (AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
            .aeronDirectoryName(dir)
            .controlRequestChannel("aeron:ipc")
            .controlResponseChannel("aeron:ipc")))
        {
            try (ExclusivePublication publication =
                archive.addRecordedExclusivePublication("aeron:ipc?term-length=16m", REPLAY_SOURCE_STREAM_ID))
            {
                final long recordingId =
                    awaitRecording(archive, "aeron:ipc", REPLAY_SOURCE_STREAM_ID, publication.sessionId());
                for (int i = 0; i < messages; i++)
                {
                    while (publication.offer(message) < 0)
                    {
                        Thread.yield();
                    }
                }
                final long position = publication.position();
                while (archive.getRecordingPosition(recordingId) < position)
                {
                    Thread.yield();
                }
                archive.stopRecording(publication);
                return recordingId;
            }
        }
    }

    /**
     * A live stream on UDP (multi-destination, dynamic control, spies simulating a connection so that it can be
     * offered to before any merge has joined, max flow control so that a merge gone does not hold it back), recorded
     * locally from its start, with `messages` 1 KiB frames in it; while publishing is on, one more each millisecond, so
     * that a merge's live destination sees frames (and the recording grows by 1 MB/s at most).
     */
    private static final class LiveRecording implements AutoCloseable
    {
        final long recordingId;
        final int sessionId;
        private final AeronArchive archive;
        private final long recordingSubscriptionId;
        private final ExclusivePublication publication;
        private final Thread publisher;
        private volatile boolean publishing;
        private volatile boolean running = true;

        LiveRecording(final String dir, final int controlPort, final int messages)
        {
            archive = AeronArchive.connect(new AeronArchive.Context()
                .aeronDirectoryName(dir)
                .controlRequestChannel("aeron:ipc")
                .controlResponseChannel("aeron:ipc"));
            final String channel = "aeron:udp?control=localhost:" + controlPort +
                "|control-mode=dynamic|term-length=1m|ssc=true|fc=max";
            publication = archive.context().aeron().addExclusivePublication(channel, LIVE_STREAM_ID);
            sessionId = publication.sessionId();
            recordingSubscriptionId = archive.startRecording(
                channel + "|session-id=" + sessionId, LIVE_STREAM_ID, SourceLocation.LOCAL);
            recordingId = awaitRecording(archive, "aeron:udp", LIVE_STREAM_ID, sessionId);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[LIVE_PAYLOAD_LENGTH]);
            for (int i = 0; i < messages; i++)
            {
                while (publication.offer(message) < 0)
                {
                    Thread.yield();
                }
            }
            publisher = new Thread(() ->
            {
                for (long i = 0; running; i++)
                {
                    if (publishing)
                    {
                        publication.offer(message);
                    }
                    keepSessionAlive(archive, i);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }, "live-publisher");
            publisher.start();
        }

        void publishing(final boolean on)
        {
            publishing = on;
        }

        public void close() throws InterruptedException
        {
            running = false;
            publisher.join();
            archive.stopRecording(recordingSubscriptionId);
            publication.close();
            archive.close();
        }
    }

    /**
     * A recorded live stream for one child's persistent subscriptions: `messages` messages of 1 KiB frames, each
     * starting with its sequence number, then, once publishing is on, one more each millisecond; on close the
     * recording stops and is purged (a run makes one per child).
     */
    private static final class PersistentRecording implements AutoCloseable
    {
        final long recordingId;
        private final AeronArchive archive;
        private final ExclusivePublication publication;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[LIVE_PAYLOAD_LENGTH]);
        private final Thread publisher;
        private long sequence;
        private volatile boolean publishing;
        private volatile boolean running = true;

        PersistentRecording(final String dir, final String channel, final int messages)
        {
            archive = AeronArchive.connect(new AeronArchive.Context()
                .aeronDirectoryName(dir)
                .controlRequestChannel("aeron:ipc")
                .controlResponseChannel("aeron:ipc"));
            final String publicationChannel = channel + (channel.contains("?") ? "|" : "?") + "term-length=16m" +
                (channel.startsWith("aeron:udp") ? "|ssc=true" : "");
            publication = archive.addRecordedExclusivePublication(publicationChannel, PERSISTENT_STREAM_ID);
            recordingId = awaitRecording(archive, channel.startsWith("aeron:udp") ? "aeron:udp" : "aeron:ipc",
                PERSISTENT_STREAM_ID, publication.sessionId());
            while (sequence < messages)
            {
                if (!offerNext())
                {
                    Thread.yield();
                }
            }
            publisher = new Thread(() ->
            {
                for (long i = 0; running; i++)
                {
                    if (publishing)
                    {
                        offerNext();
                    }
                    keepSessionAlive(archive, i);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }, "persistent-publisher");
            publisher.start();
        }

        private boolean offerNext()
        {
            message.putLong(0, sequence);
            if (publication.offer(message) > 0)
            {
                sequence++;
                return true;
            }
            return false;
        }

        void publishing(final boolean on)
        {
            publishing = on;
        }

        public void close() throws InterruptedException
        {
            running = false;
            publisher.join();
            archive.stopRecording(publication);
            publication.close();
            while (archive.getRecordingPosition(recordingId) != AeronArchive.NULL_POSITION)
            {
                Thread.yield();
            }
            archive.purgeRecording(recordingId);
            archive.close();
        }
    }

    /*
     * Every 100th step of a publisher thread (about every 100 ms), poll its archive client's responses: the Archive
     * pings each control session and ends one whose responses it cannot deliver (a run of 18 min lost the live
     * recording's session that way, and its client with it). Any error response or a lost session throws here.
     */
    private static void keepSessionAlive(final AeronArchive archive, final long step)
    {
        if (step % 100 == 0)
        {
            archive.checkForErrorResponse();
        }
    }

    /* count recordings of one small message each on IPC; the id of the last, whose position the round trips ask. */
    private static long makeRecordings(final String dir, final int count)
    {
        final String channel = "aeron:ipc?term-length=64k";
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        long lastRecordingId = -1;
        try (AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
            .aeronDirectoryName(dir)
            .controlRequestChannel("aeron:ipc")
            .controlResponseChannel("aeron:ipc")))
        {
            for (int i = 0; i < count; i++)
            {
                try (ExclusivePublication publication = archive.addRecordedExclusivePublication(channel, STREAM_ID))
                {
                    while (publication.offer(message) < 0)
                    {
                        Thread.onSpinWait();
                    }
                    final long position = publication.position();
                    lastRecordingId = awaitRecording(archive, "aeron:ipc", STREAM_ID, publication.sessionId());
                    while (archive.getRecordingPosition(lastRecordingId) < position)
                    {
                        Thread.onSpinWait();
                    }
                    archive.stopRecording(publication);
                }
            }
        }
        return lastRecordingId;
    }

    private static long awaitRecording(
        final AeronArchive archive, final String channelFragment, final int wantedStreamId, final int sessionId)
    {
        final long[] found = { -1 };
        while (found[0] < 0)
        {
            archive.listRecordingsForUri(0, Integer.MAX_VALUE, channelFragment, wantedStreamId,
                (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, session, streamId,
                strippedChannel, originalChannel, sourceIdentity) ->
                {
                    if (session == sessionId && stopPosition == AeronArchive.NULL_POSITION)
                    {
                        found[0] = recordingId;
                    }
                });
        }
        return found[0];
    }

    private Map<String, double[]> runChild(
        final String client, final String dir, final String request, final String response, final long recordingId,
        final List<String> replayArgs, final int expectedLines, final Runnable onPersistentPhase,
        final SettlePhase onSettlePhase)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        if (null != clientCpu)
        {
            command.addAll(List.of("taskset", "-c", clientCpu));
        }
        switch (client)
        {
            case "C API" -> command.add(harness.toString());
            case "C API before" -> command.add(harnessBefore.toString());
            default ->
            {
                command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
                command.add("--add-exports");
                command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
                final String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
                if (null != cacheDir)
                {
                    command.add("-Dorg.bytedeco.javacpp.cachedir=" + cacheDir + "-" + client.replace(' ', '-'));
                }
                command.add("-cp");
                command.add(client.equals("NativeArchive before") ?
                    javaClasspathBefore : System.getProperty("java.class.path"));
                command.add(ArchiveOpsClient.class.getName());
                command.add(client.startsWith("NativeArchive") ? "native" : "aeron");
            }
        }
        command.addAll(List.of(dir, request, response, Long.toString(recordingId), Integer.toString(connects),
            Integer.toString(roundTrips), Integer.toString(listings), Integer.toString(listCount)));
        command.addAll(replayArgs);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("ABR_BENCH_WARMUP", Integer.toString(warmup));
        builder.environment().put("ABR_BENCH_SETTLE_MS", Integer.toString(settleMs));
        builder.environment().put("ABR_BENCH_ROUND_TRIP_WARMUP_MS", Integer.toString(roundTripWarmupMs));
        if (null != onSettlePhase)
        {
            builder.environment().put("ABR_BENCH_SETTLE_HANDSHAKE", "1");
        }
        final Process process = builder.start();
        final StringBuilder text = new StringBuilder();
        boolean settled = false;
        try (BufferedReader stdout =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            OutputStream stdin = process.getOutputStream())
        {
            for (String line; null != (line = stdout.readLine()); )
            {
                if (line.equals(PERSISTENT_PHASE))
                {
                    onPersistentPhase.run();
                }
                else if (line.equals(SETTLE_PHASE) && null != onSettlePhase)
                {
                    // The child waits for this line before its round trips, its closes' sessions drained.
                    onSettlePhase.await();
                    stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                    settled = true;
                }
                text.append(line).append('\n');
            }
        }
        final String output = text.toString();
        if (!process.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child still running after " + CHILD_TIMEOUT_S + " s: " + command);
        }
        final Map<String, double[]> lines = new LinkedHashMap<>();
        final Matcher matcher = LINE.matcher(output);
        while (matcher.find())
        {
            lines.put(matcher.group(1), new double[]{ Double.parseDouble(matcher.group(2)),
                Double.parseDouble(matcher.group(3)), Double.parseDouble(matcher.group(4)) });
        }
        if (0 != process.exitValue() || lines.size() != expectedLines ||
            (warmup > 0 && !output.contains("warmup=" + warmup + "\n")) ||
            (settleMs > 0 && !output.contains("settle_ms=" + settleMs + "\n")) ||
            (roundTripWarmupMs > 0 && !client.endsWith(" before") &&
                !output.contains("round_trip_warmup_ms=" + roundTripWarmupMs + "\n")) ||
            (null != onSettlePhase && !settled && !client.endsWith(" before")))
        {
            throw new IllegalStateException("child exited with " + process.exitValue() + " and printed '" +
                output.trim() + "': " + command);
        }
        return lines;
    }

    /** Called when a child has reached its settle point; returns once the driver has drained. */
    private interface SettlePhase
    {
        void await() throws InterruptedException;
    }

    private static String summary(final Map<String, double[]> lines)
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, double[]> line : lines.entrySet())
        {
            text.append(String.format("%s %s/%s/%s  ", line.getKey(), us(line.getValue()[0]), us(line.getValue()[1]),
                us(line.getValue()[2])));
        }
        return text.toString();
    }

    /* Microseconds with 0.1 us resolution, and 1 ns below 10 us: a 0.7 us round trip rounded to 0.1 is 14 % off. */
    private static String us(final double value)
    {
        return value < 10 ? String.format("%.3f", value) : String.format("%.1f", value);
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(final File file)
    {
        final File[] children = file.listFiles();
        if (null != children)
        {
            for (final File child : children)
            {
                deleteRecursively(child);
            }
        }
        file.delete();
    }
}
