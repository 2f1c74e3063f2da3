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
 * child process against that driver, with the same arguments, for each publication kind (concurrent, exclusive) and
 * shape (threads: a publisher thread and a polling thread; burst: 1000 offered then polled back on one thread, as the
 * JMH end-to-end benchmark does, which also reports CPU time per message). Both children pay a process start, a
 * connect, a new publication and subscription, and the same uncounted warm-up runs on them before the measured run:
 * the Java child's JIT compiles its paths there, and in both the warm-up touches every page of the log once (the
 * default run of 10 million messages covers its three 64 MiB terms three times), so the measured run times the client
 * rather than the JIT or page faults. The only difference left is the client. The order within a round alternates, so a
 * trend in the machine's load weighs on both alike. Prints each round's two rates and their ratio, then per
 * publication kind and shape the median and range.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     org.archivebridge.bench.CCoreComparison [--c-harness PATH] [--rounds 10] [--messages 10000000] [--length 32] \
 *     [--modes concurrent,exclusive] [--shapes threads,burst] [--warm-up-runs 3]</pre>
 *
 * Without --c-harness the binary is looked for where the native module's CMake build puts it,
 * native/target/cmake/native/bench/abr_ipc_throughput, from the working directory and from this jar's.
 */
public final class CCoreComparison
{
    private static final String HARNESS_IN_TREE = "native/target/cmake/native/bench/abr_ipc_throughput";
    private static final Pattern RATE = Pattern.compile(" ([0-9]+) msgs/s");
    private static final Pattern CPU = Pattern.compile("CPU ([0-9.]+) ns per message");
    /* A run of the defaults takes a few seconds; a child still going after this is stuck, not slow. */
    private static final long CHILD_TIMEOUT_S = 300;

    private Path harness;
    private int rounds = 10;
    private long messages = 10_000_000;
    private int length = 32;
    private List<String> modes = List.of("concurrent", "exclusive");
    private List<String> shapes = List.of("threads", "burst");
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
                case "--shapes" -> shapes = Arrays.asList(required(args[i], value).split(","));
                case "--warm-up-runs" -> warmUpRuns = Integer.parseInt(required(args[i], value));
                default -> usage("unknown argument: " + args[i]);
            }
            i++;
        }
        if (rounds < 1 || messages < 1 || warmUpRuns < 0 ||
            !modes.stream().allMatch(mode -> mode.equals("concurrent") || mode.equals("exclusive")) ||
            !shapes.stream().allMatch(shape -> shape.equals("threads") || shape.equals("burst")))
        {
            usage("rounds >= 1, messages >= 1, warm-up-runs >= 0, modes of concurrent and exclusive, " +
                "shapes of threads and burst");
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
            "[--length 32] [--modes concurrent,exclusive] [--shapes threads,burst] [--warm-up-runs 3]");
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
        final List<String[]> cases = new ArrayList<>();
        for (final String shape : shapes)
        {
            for (final String mode : modes)
            {
                cases.add(new String[]{ mode, shape });
            }
        }
        System.out.printf("C core vs aeron-client Java, %d messages of %d B over aeron:ipc per run, %d warm-up runs " +
            "per child, %d rounds%n", messages, length, warmUpRuns, rounds);
        System.out.printf("C harness %s, Java %s (%s), started %s, load average %s%n", harness,
            System.getProperty("java.version"), System.getProperty("java.vm.name"), Instant.now(), loadAverage());
        // [case][round][C msgs/s, Java msgs/s, C CPU ns per message, Java CPU ns per message]
        final double[][][] results = new double[cases.size()][rounds][];
        try (MediaDriver ignored = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)))
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < cases.size(); k++)
                {
                    final String mode = cases.get(k)[0];
                    final String shape = cases.get(k)[1];
                    // Alternate who goes first, so a load that rises or falls through a round weighs on both alike.
                    final boolean cFirst = round % 2 == 0;
                    final double[] first = runChild(cFirst, dir, mode, shape);
                    final double[] second = runChild(!cFirst, dir, mode, shape);
                    final double[] c = cFirst ? first : second;
                    final double[] java = cFirst ? second : first;
                    results[k][round] = new double[]{ c[0], java[0], c[1], java[1] };
                    System.out.printf("round %2d  %-10s %-7s  C core %6.2f M msgs/s | aeron-client %6.2f M msgs/s | " +
                        "C core at %4.0f %%%s (%s first)  load %s%n", round + 1, mode, shape, c[0] / 1e6,
                        java[0] / 1e6, 100.0 * c[0] / java[0],
                        shape.equals("burst") ? String.format("; CPU ns/msg C %.1f, Java %.1f: C at %.0f %%",
                            c[1], java[1], 100.0 * java[1] / c[1]) : "",
                        cFirst ? "C" : "Java", loadAverage());
                }
            }
        }

        System.out.printf("finished %s, load average %s%n", Instant.now(), loadAverage());
        for (int k = 0; k < cases.size(); k++)
        {
            final double[] c = new double[rounds];
            final double[] java = new double[rounds];
            final double[] ratio = new double[rounds];
            final double[] cpuRatio = new double[rounds];
            int atLeastEqual = 0;
            for (int round = 0; round < rounds; round++)
            {
                c[round] = results[k][round][0];
                java[round] = results[k][round][1];
                ratio[round] = 100.0 * c[round] / java[round];
                cpuRatio[round] = 100.0 * results[k][round][3] / results[k][round][2];
                atLeastEqual += ratio[round] >= 100.0 ? 1 : 0;
            }
            System.out.printf("%-10s %-7s  C core median %.2f M (%.2f to %.2f) | aeron-client median %.2f M " +
                "(%.2f to %.2f) | C core at median %.0f %% (%.0f %% to %.0f %%), at least equal in %d of %d rounds%s%n",
                cases.get(k)[0], cases.get(k)[1], median(c) / 1e6, min(c) / 1e6, max(c) / 1e6, median(java) / 1e6,
                min(java) / 1e6, max(java) / 1e6, median(ratio), min(ratio), max(ratio), atLeastEqual, rounds,
                cases.get(k)[1].equals("burst") ? String.format("; in CPU time at median %.0f %% (%.0f %% to %.0f %%)",
                    median(cpuRatio), min(cpuRatio), max(cpuRatio)) : "");
        }
        return 0;
    }

    /* One child run: its msgs/s and (burst shape) CPU ns per message. A child that fails ends the comparison. */
    private double[] runChild(final boolean cCore, final String dir, final String mode, final String shape)
        throws IOException, InterruptedException
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
            Integer.toString(warmUpRuns), shape));
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
        final Matcher rate = RATE.matcher(output);
        final Matcher cpu = CPU.matcher(output);
        final boolean hasCpu = cpu.find();
        if (0 != process.exitValue() || !rate.find() || (shape.equals("burst") && !hasCpu))
        {
            throw new IllegalStateException("child exited with " + process.exitValue() + " and printed '" +
                output.trim() + "': " + command);
        }
        return new double[]{ Double.parseDouble(rate.group(1)), hasCpu ? Double.parseDouble(cpu.group(1)) : Double.NaN };
    }

    static String loadAverage()
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

    static double median(final double[] values)
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
