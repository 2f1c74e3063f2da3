package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.server.CheckResult;
import org.archivebridge.conformance.transcript.Step;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The parent's side of an {@link ExploreWorker}: starts the child JVM, hands it sequences, reads back what it did,
 * and notices when it dies (a crash: exit code, the tail of its stderr, the summary of its hs_err file) or stops
 * answering (a hang: a thread dump of its main thread, then it is killed). A dead child is replaced for the next
 * sequence.
 */
final class WorkerProcess implements AutoCloseable
{
    /** How a sequence ended in the child. */
    record Outcome(
        List<Step> steps,
        List<CheckResult> checks,
        List<String> unmetExpectations,
        String unexpected,
        String death,
        String deathSignature,
        Map<Integer, String> refused,
        long elapsedMs,
        long startMark)
    {
        boolean died()
        {
            return null != death;
        }
    }

    private static final String END_OF_OUTPUT = "\u0000end";
    private static final int TAIL_LINES = 40;
    private static final long START_TIMEOUT_MS = 60_000;

    private final ClientKind kind;
    private final ScenarioEnvironment environment;
    private final Set<Exclusion> exclusions;
    private final Path workDir;
    private final long hangMs;
    private Process process;
    private PrintStream stdin;
    private BlockingQueue<String> protocol;
    private Deque<String> stderrTail;
    private Deque<String> otherOutput;

    WorkerProcess(
        final ClientKind kind,
        final ScenarioEnvironment environment,
        final Set<Exclusion> exclusions,
        final Path workDir,
        final long hangMs)
    {
        this.kind = kind;
        this.environment = environment;
        this.exclusions = exclusions;
        this.workDir = workDir.toAbsolutePath();
        this.hangMs = hangMs;
    }

    /**
     * Run one sequence in the child, starting one first if none is alive; the child's listings hide the recordings
     * from {@code hiddenFrom} up to where its run began (Long.MAX_VALUE hides none).
     */
    Outcome run(final String name, final long hiddenFrom, final List<Op> ops) throws IOException, InterruptedException
    {
        if (null == process || !process.isAlive())
        {
            start();
        }
        stdin.println(name + " " + hiddenFrom + " " + Op.encode(ops));
        final List<Step> steps = new ArrayList<>();
        final List<CheckResult> checks = new ArrayList<>();
        final List<String> expectations = new ArrayList<>();
        String unexpected = null;
        final Map<Integer, String> refused = new HashMap<>();
        int opIndex = -1;
        long startMark = Long.MAX_VALUE;
        while (true)
        {
            final String line = protocol.poll(hangMs, TimeUnit.MILLISECONDS);
            if (null == line)
            {
                return new Outcome(steps, checks, expectations, unexpected, hang(ops, opIndex), "hang at " + label(ops, opIndex),
                    refused, 0, startMark);
            }
            if (END_OF_OUTPUT.equals(line))
            {
                return new Outcome(steps, checks, expectations, unexpected, crash(ops, opIndex), "crash at " + label(ops, opIndex),
                    refused, 0, startMark);
            }
            final String[] parts = line.substring(WireFormat.PREFIX.length()).split(" ");
            final String[] fields = java.util.Arrays.copyOfRange(parts, 1, parts.length);
            switch (parts[0])
            {
                case WireFormat.MARK -> startMark = Long.parseLong(fields[0]);
                case WireFormat.OP -> opIndex = Integer.parseInt(fields[0]);
                case WireFormat.STEP -> steps.add(WireFormat.parseStep(fields));
                case WireFormat.CHECK -> checks.add(WireFormat.parseCheck(fields));
                case WireFormat.EXPECT -> expectations.add(WireFormat.untext(fields[0]));
                case WireFormat.REFUSED ->
                    refused.put(Integer.parseInt(fields[0]), WireFormat.untext(fields[1]));
                case WireFormat.UNEXPECTED -> unexpected = WireFormat.untext(fields[0]);
                case WireFormat.DONE ->
                {
                    return new Outcome(steps, checks, expectations, unexpected, null, null, refused,
                        Long.parseLong(fields[0]), startMark);
                }
                default -> throw new IllegalStateException("explorer: the " + kind + " worker said " + line);
            }
        }
    }

    private void start() throws IOException, InterruptedException
    {
        Files.createDirectories(workDir);
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:-CreateCoredumpOnCrash",
            "-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log")));
        final String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (null != cacheDir)
        {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + new File(cacheDir).getAbsolutePath());
        }
        // Absolute, since the child runs in its own directory (where its hs_err file lands).
        final String classPath = String.join(File.pathSeparator, java.util.Arrays.stream(
            System.getProperty("java.class.path").split(File.pathSeparator))
            .map((entry) -> new File(entry).getAbsolutePath()).toList());
        command.addAll(List.of("-cp", classPath, ExploreWorker.class.getName(),
            kind.name(), environment.transport().name(), environment.server().aeronDirectoryName(),
            environment.server().archiveDir().toString(), environment.server().controlChannel(),
            Integer.toString(environment.server().controlStreamId()),
            Integer.toString(environment.server().localControlStreamId()), Exclusion.names(exclusions)));
        process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        protocol = new LinkedBlockingQueue<>();
        stderrTail = new ArrayDeque<>();
        otherOutput = new ArrayDeque<>();
        reader(process.getInputStream(), protocol, otherOutput, "stdout");
        reader(process.getErrorStream(), null, stderrTail, "stderr");
        final String ready = protocol.poll(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (!WireFormat.line(WireFormat.READY).equals(ready))
        {
            final String words = lastWords();
            process.destroyForcibly();
            throw new IllegalStateException("explorer: the " + kind + " worker JVM did not start:\n" + words);
        }
    }

    /** Protocol lines go to the queue, anything else to a bounded tail; the end of the stream is a marker. */
    private void reader(
        final InputStream stream, final BlockingQueue<String> lines, final Deque<String> tail, final String name)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    if (null != lines && line.startsWith(WireFormat.PREFIX))
                    {
                        lines.add(line);
                    }
                    else
                    {
                        synchronized (tail)
                        {
                            tail.addLast(line);
                            while (tail.size() > (null == lines ? TAIL_LINES : 50 * TAIL_LINES))
                            {
                                tail.removeFirst();
                            }
                        }
                    }
                }
            }
            catch (final IOException ignore)
            {
                // The child is gone; the end marker below says so.
            }
            if (null != lines)
            {
                lines.add(END_OF_OUTPUT);
            }
        }, "explore-" + kind + "-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private String crash(final List<Op> ops, final int opIndex) throws InterruptedException
    {
        process.waitFor(10, TimeUnit.SECONDS);
        final int exit = process.isAlive() ? -1 : process.exitValue();
        return "the " + kind + " JVM died (exit code " + exit + (exit > 128 ? ", signal " + (exit - 128) : "") +
            ") " + where(ops, opIndex) + "\n" + lastWords();
    }

    private String hang(final List<Op> ops, final int opIndex) throws InterruptedException
    {
        try
        {
            // SIGQUIT: the JVM prints every thread's stack to its stdout, which the tail keeps.
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(2_000);
        }
        catch (final IOException ignore)
        {
            // No kill command: the hang is reported without the stacks.
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return "the " + kind + " JVM did not answer for " + hangMs + " ms " + where(ops, opIndex) +
            " (killed)\nmain thread:\n" + mainThreadStack();
    }

    /** The operation a death happened in, by name only: what a shrunk sequence must still die in. */
    private static String label(final List<Op> ops, final int opIndex)
    {
        return opIndex < 0 ? "start" : ops.get(opIndex).operation().label();
    }

    private static String where(final List<Op> ops, final int opIndex)
    {
        return opIndex < 0 ? "before its first operation" :
            "during operation " + (opIndex + 1) + " of " + ops.size() + ": " + ops.get(opIndex);
    }

    /** The tail of the child's stderr and the header of its hs_err file, if it wrote one. */
    private String lastWords()
    {
        final StringBuilder words = new StringBuilder("stderr (last lines):\n");
        synchronized (stderrTail)
        {
            stderrTail.forEach((line) -> words.append("  ").append(line).append('\n'));
        }
        final File hsErr = new File(workDir.toFile(), "hs_err_pid" + process.pid() + ".log");
        if (hsErr.exists())
        {
            words.append("hs_err summary (").append(hsErr).append("):\n");
            try (Stream<String> lines = Files.lines(hsErr.toPath(), StandardCharsets.ISO_8859_1))
            {
                // The header (what, where, the problematic frame) and the first native frames.
                final List<String> all = lines.toList();
                all.stream().filter((line) -> line.startsWith("# ") && line.length() > 2).limit(25)
                    .forEach((line) -> words.append("  ").append(line).append('\n'));
                final int frames = all.indexOf("Native frames: (J=compiled Java code, j=interpreted, Vv=VM code, " +
                    "C=native code)");
                all.stream().skip(frames < 0 ? all.size() : frames).limit(20).takeWhile((line) -> !line.isBlank())
                    .forEach((line) -> words.append("  ").append(line).append('\n'));
            }
            catch (final IOException ex)
            {
                words.append("  (unreadable: ").append(ex.getMessage()).append(")\n");
            }
        }
        return words.toString();
    }

    private String mainThreadStack()
    {
        final StringBuilder stack = new StringBuilder();
        synchronized (otherOutput)
        {
            boolean inMain = false;
            for (final String line : otherOutput)
            {
                if (line.startsWith("\""))
                {
                    inMain = line.startsWith("\"main\"");
                }
                if (inMain && !line.isBlank())
                {
                    stack.append("  ").append(line).append('\n');
                }
            }
        }
        return stack.isEmpty() ? "  (no thread dump)\n" + lastWords() : stack.toString();
    }

    public void close()
    {
        if (null != process)
        {
            stdin.close();
            try
            {
                if (!process.waitFor(30, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
