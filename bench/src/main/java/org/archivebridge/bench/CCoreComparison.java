package org.archivebridge.bench;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C core beside aeron-client Java in the same run, measured the same way: one embedded Java Media Driver (SHARED
 * threading mode, an Aeron directory of its own under /dev/shm, deleted on start and on shutdown), and rounds in which
 * the C harness {@code abr_ipc_throughput} and its aeron-client twin {@link AeronIpcThroughput} each run once as a
 * child process against that driver, with the same arguments. Both children pay a process start, a connect, the same
 * warm-up runs (the JIT's, in the Java child; in the C child they change little but keep the two alike) and a fresh
 * log for the measured run, so the only difference left is the client. The order within a round alternates, so a
 * trend in the machine's load weighs on both alike. Prints each round's two rates and their ratio, then per
 * publication kind the median and range.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     org.archivebridge.bench.CCoreComparison [--c-harness PATH] [--rounds 10] [--messages 10000000] [--length 32] \
 *     [--modes concurrent,exclusive] [--warm-up-runs 3]</pre>
 *
 * Without --c-harness the binary is looked for where the native module's CMake build puts it,
 * native/target/cmake/native/bench/abr_ipc_throughput, from the working directory and from this jar's.
 */
public final class CCoreComparison
{
    private static final String HARNESS_IN_TREE = "native/target/cmake/native/bench/abr_ipc_throughput";
    private static final Pattern RATE = Pattern.compile(" ([0-9]+) msgs/s");
    /* A run of the defaults takes a few seconds; a child still going after this is stuck, not slow. */
    private static final long CHILD_TIMEOUT_S = 300;

    private Path harness;
    private int rounds = 10;
    private long messages = 10_000_000;
    private int length = 32;
    private List<String> modes = List.of("concurrent", "exclusive");
    private int warmUpRuns = 3;

    public static void main(final String[] args) throws Exception
    {
        final CCoreComparison comparison = new CCoreComparison();
        comparison.parse(args);
        System.exit(comparison.run());
    }

    private void parse(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--c-harness" -> harness = Paths.get(required(args[i], value));
                case "--rounds" -> rounds = Integer.parseInt(required(args[i], value));
                case "--messages" -> messages = Long.parseLong(required(args[i], value));
                case "--length" -> length = Integer.parseInt(required(args[i], value));
                case "--modes" -> modes = Arrays.asList(required(args[i], value).split(","));
                case "--warm-up-runs" -> warmUpRuns = Integer.parseInt(required(args[i], value));
                default -> usage("unknown argument: " + args[i]);
            }
            i++;
        }
        if (rounds < 1 || messages < 1 || warmUpRuns < 0 ||
            !modes.stream().allMatch(mode -> mode.equals("concurrent") || mode.equals("exclusive")))
        {
            usage("rounds >= 1, messages >= 1, warm-up-runs >= 0, modes of concurrent and exclusive");
        }
        if (null == harness)
        {
            harness = findHarness();
        }
        if (!Files.isExecutable(harness))
        {
            usage("C harness not found or not executable: " + harness + " (build it: mvn -B -q package -DskipTests)");
        }
    }

    private static String required(final String name, final String value)
    {
        if (null == value)
        {
            usage(name + " needs a value");
        }
        return value;
    }

    private static void usage(final String problem)
    {
        System.err.println(problem);
        System.err.println("usage: CCoreComparison [--c-harness PATH] [--rounds 10] [--messages 10000000] " +
            "[--length 32] [--modes concurrent,exclusive] [--warm-up-runs 3]");
        System.exit(2);
    }

    private static Path findHarness()
    {
        final List<Path> candidates = new ArrayList<>();
        candidates.add(Paths.get(HARNESS_IN_TREE).toAbsolutePath());
        try
        {
            // bench/target/benchmarks.jar -> the repository root is two levels up from the jar's directory.
            final Path jar = Paths.get(CCoreComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path root = jar.getParent() == null ? null : jar.getParent().getParent();
            if (null != root && null != root.getParent())
            {
                candidates.add(root.getParent().resolve(HARNESS_IN_TREE));
            }
        }
        catch (final Exception ignored)
        {
            // Only a hint: the working directory's candidate stays.
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(candidates.get(0));
    }

    private int run() throws Exception
    {
        final String dir = "/dev/shm/abr-bench-ccore-" + UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("C core vs aeron-client Java, %d messages of %d B over aeron:ipc per run, %d warm-up runs " +
            "per child, %d rounds%n", messages, length, warmUpRuns, rounds);
        System.out.printf("C harness %s, Java %s (%s), started %s, load average %s%n", harness,
            System.getProperty("java.version"), System.getProperty("java.vm.name"), Instant.now(), loadAverage());
        final double[][][] rates = new double[modes.size()][rounds][2];
        try (MediaDriver ignored = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)))
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int m = 0; m < modes.size(); m++)
                {
                    final String mode = modes.get(m);
                    // Alternate who goes first, so a load that rises or falls through a round weighs on both alike.
                    final boolean cFirst = round % 2 == 0;
                    final double first = runChild(cFirst, dir, mode);
                    final double second = runChild(!cFirst, dir, mode);
                    final double c = cFirst ? first : second;
                    final double java = cFirst ? second : first;
                    rates[m][round][0] = c;
                    rates[m][round][1] = java;
                    System.out.printf("round %2d  %-10s  C core %6.2f M msgs/s | aeron-client %6.2f M msgs/s | " +
                        "C core at %4.0f %% (%s first)  load %s%n", round + 1, mode, c / 1e6, java / 1e6,
                        100.0 * c / java, cFirst ? "C" : "Java", loadAverage());
                }
            }
        }

        System.out.printf("finished %s, load average %s%n", Instant.now(), loadAverage());
        for (int m = 0; m < modes.size(); m++)
        {
            final double[] c = new double[rounds];
            final double[] java = new double[rounds];
            final double[] ratio = new double[rounds];
            int atLeastEqual = 0;
            for (int round = 0; round < rounds; round++)
            {
                c[round] = rates[m][round][0];
                java[round] = rates[m][round][1];
                ratio[round] = 100.0 * c[round] / java[round];
                atLeastEqual += ratio[round] >= 100.0 ? 1 : 0;
            }
            System.out.printf("%-10s  C core median %.2f M (%.2f to %.2f) | aeron-client median %.2f M (%.2f to %.2f) | " +
                "C core at median %.0f %% (%.0f %% to %.0f %%), at least equal in %d of %d rounds%n", modes.get(m),
                median(c) / 1e6, min(c) / 1e6, max(c) / 1e6, median(java) / 1e6, min(java) / 1e6, max(java) / 1e6,
                median(ratio), min(ratio), max(ratio), atLeastEqual, rounds);
        }
        return 0;
    }

    /* One child run; its msgs/s. A child that fails or prints no rate ends the comparison. */
    private double runChild(final boolean cCore, final String dir, final String mode) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        if (cCore)
        {
            command.add(harness.toString());
        }
        else
        {
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(AeronIpcThroughput.class.getName());
        }
        command.addAll(List.of(dir, Long.toString(messages), Integer.toString(length), mode, "aeron:ipc",
            Integer.toString(warmUpRuns)));
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
        final Matcher matcher = RATE.matcher(output);
        if (0 != process.exitValue() || !matcher.find())
        {
            throw new IllegalStateException("child exited with " + process.exitValue() + " and printed '" +
                output.trim() + "': " + command);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double min(final double[] values)
    {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(final double[] values)
    {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
