package org.archivebridge.bench;

import io.aeron.ExclusivePublication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
 * closes (owned core, then shared core), makes round trips ({@code getRecordingPosition}) and lists the recordings;
 * the comparison prints each round and then, per operation, the median over the rounds of each client's median, p99 and
 * p99.9 and its ratio to AeronArchive's in the same round. See docs/benchmarks.md.
 */
public final class ArchiveOpsComparison
{
    private static final String HARNESS_IN_TREE = "native/target/cmake/native/bench/abr_archive_ops";
    private static final Pattern LINE = Pattern.compile(
        "op=(\\S+) n=\\d+ median_us=([0-9.]+) p99_us=([0-9.]+) p999_us=([0-9.]+) max_us=([0-9.]+)");
    private static final long CHILD_TIMEOUT_S = 600;
    private static final int STREAM_ID = 1001;

    private Path harness = Paths.get(HARNESS_IN_TREE).toAbsolutePath();
    private Path harnessBefore;
    private String javaClasspathBefore;
    private int rounds = 5;
    private int connects = 20;
    private int roundTrips = 20_000;
    private int listings = 20;
    private int listCount = 2000;
    private List<String> transports = List.of("ipc", "udp");

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
                case "--transports" -> transports = Arrays.asList(value.split(","));
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (rounds < 1 || connects < 1 || roundTrips < 1 || listings < 1 || listCount < 1 ||
            !transports.stream().allMatch(t -> t.equals("ipc") || t.equals("udp")))
        {
            usage("rounds, connects, round-trips, listings and list-count >= 1; transports of ipc and udp");
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
            "[--transports ipc,udp]");
        System.exit(2);
    }

    private int run() throws Exception
    {
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final String dir = "/dev/shm/abr-bench-archive-" + id;
        final File archiveDir = Files.createTempDirectory("abr-bench-archive-").toFile();
        final int controlPort = freeUdpPort();
        final String udpControl = "aeron:udp?endpoint=localhost:" + controlPort;
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
            "of %d%n", rounds, connects, roundTrips, listings, listCount);
        System.out.printf("C harness %s%s, Java %s, started %s, load average %s%n", harness,
            null == harnessBefore ? "" : " (before: " + harnessBefore + ")", System.getProperty("java.version"),
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
            System.out.printf("%d recordings made, load average %s%n", listCount, CCoreComparison.loadAverage());
            for (int round = 0; round < rounds; round++)
            {
                for (final String transport : transports)
                {
                    final String request = transport.equals("ipc") ? "aeron:ipc" : udpControl;
                    final String response = transport.equals("ipc") ? "aeron:ipc" : "aeron:udp?endpoint=localhost:0";
                    for (int k = 0; k < clients.size(); k++)
                    {
                        final String client = clients.get((k + round) % clients.size());
                        final Map<String, double[]> lines = runChild(client, dir, request, response, recordingId);
                        for (final Map.Entry<String, double[]> line : lines.entrySet())
                        {
                            results.computeIfAbsent(transport, t -> new LinkedHashMap<>())
                                .computeIfAbsent(line.getKey(), o -> new LinkedHashMap<>())
                                .computeIfAbsent(client, c -> new ArrayList<>())
                                .add(line.getValue());
                        }
                        System.out.printf("round %d %-4s %-14s %s load %s%n", round + 1, transport, client,
                            summary(lines), CCoreComparison.loadAverage());
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
                        text.append(String.format(" %s %10.1f (%.2fx)", stat == 0 ? "median" : stat == 1 ? "p99" :
                            "p99.9", CCoreComparison.median(values), CCoreComparison.median(ratios)));
                    }
                    System.out.printf("%-4s %-22s %-14s%s%n", transport.getKey(), op.getKey(), client, text);
                }
            }
        }
        return 0;
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
                    lastRecordingId = awaitRecording(archive, publication.sessionId());
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

    private static long awaitRecording(final AeronArchive archive, final int sessionId)
    {
        final long[] found = { -1 };
        while (found[0] < 0)
        {
            archive.listRecordingsForUri(0, Integer.MAX_VALUE, "aeron:ipc", STREAM_ID,
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
        final String client, final String dir, final String request, final String response, final long recordingId)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
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
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String output;
        try (InputStream stdout = process.getInputStream())
        {
            output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
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
        if (0 != process.exitValue() || lines.size() != 5)
        {
            throw new IllegalStateException("child exited with " + process.exitValue() + " and printed '" +
                output.trim() + "': " + command);
        }
        return lines;
    }

    private static String summary(final Map<String, double[]> lines)
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, double[]> line : lines.entrySet())
        {
            text.append(String.format("%s %.1f/%.1f/%.1f  ", line.getKey(), line.getValue()[0], line.getValue()[1],
                line.getValue()[2]));
        }
        return text.toString();
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
