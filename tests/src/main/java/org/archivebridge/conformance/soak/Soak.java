package org.archivebridge.conformance.soak;

import io.aeron.Aeron;
import org.archivebridge.NativeArchive;
import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.server.ArchiveVersions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code soak} command: connects and closes a NativeArchive many times against a Media Driver and Archive it
 * starts in a child JVM, and prints this process's resident memory, open descriptors and mapped regions, and the
 * Archive's control session count, at the start, every 1,000 cycles and at the end. The server runs in another
 * process, so the descriptors and mappings counted are the client's alone.
 * <p>
 * Exit code: 0 when the Archive is back to its session count and the descriptors and mappings grew by no more than
 * a small bound; 1 when sessions or resources leaked or a cycle failed; 2 for a bad command line.
 */
public final class Soak
{
    /** The command line as picocli reads it; the values are checked by {@link #run}. */
    @Command(name = "soak", usageHelpWidth = 110, sortOptions = false,
        description = {
            "Connects and closes a NativeArchive N times against a Media Driver and Archive (Aeron " +
                ArchiveVersions.DEFAULT + ") started in a child JVM, printing this process's RSS, open file " +
                "descriptors (/proc/self/fd), mapped regions (/proc/self/maps) and the Archive's control session " +
                "count at the start, every --report-every cycles and at the end.",
            "Exit code: 0 no leak; 1 sessions leaked, descriptors or mappings grew beyond the bound, or a cycle " +
                "failed; 2 bad command line.",
            ""})
    static final class Arguments
    {
        @Option(names = "--cycles", paramLabel = "N", defaultValue = "10000",
            description = "connect and close cycles (default ${DEFAULT-VALUE})")
        int cycles;

        @Option(names = "--report-every", paramLabel = "N", defaultValue = "1000",
            description = "print the resources every N cycles (default ${DEFAULT-VALUE})")
        int reportEvery;

        @Option(names = "--transport", paramLabel = "ipc|udp", defaultValue = "ipc",
            description = "ipc: the client uses the Archive's driver over aeron:ipc (default); udp: a driver in " +
                "this process, control channels over UDP loopback")
        String transport;

        @Option(names = {"--help", "-h"}, usageHelp = true, description = "this text")
        boolean help;
    }

    /* Descriptors and mappings may differ a little between two samples (a JIT thread, a log file, the linger of the
     * last client's resources); a leak of one per cycle would exceed these by far. */
    static final int FD_GROWTH_BOUND = 16;
    static final int MAPS_GROWTH_BOUND = 64;

    private Soak()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        System.exit(run(args, System.out, System.err));
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        final CommandLine commandLine = new CommandLine(new Arguments());
        final int cycles;
        final int reportEvery;
        final ScenarioEnvironment.Transport transport;
        try
        {
            commandLine.parseArgs(args);
            if (commandLine.isUsageHelpRequested())
            {
                out.print(usage(commandLine));
                return 0;
            }
            final Arguments arguments = commandLine.getCommand();
            cycles = positive("--cycles", arguments.cycles);
            reportEvery = positive("--report-every", arguments.reportEvery);
            transport = oneTransport(arguments.transport);
        }
        catch (final CommandLine.ParameterException | IllegalArgumentException ex)
        {
            err.println("soak: " + ex.getMessage());
            err.print(usage(commandLine));
            return 2;
        }

        try (ScenarioEnvironment environment = ScenarioEnvironment.start(
            Path.of("tests/target/soak"), ArchiveVersions.DEFAULT, transport, List.of()))
        {
            return soak(environment, transport, cycles, reportEvery, out);
        }
    }

    private static int soak(
        final ScenarioEnvironment environment,
        final ScenarioEnvironment.Transport transport,
        final int cycles,
        final int reportEvery,
        final PrintStream out) throws IOException
    {
        final ClientSettings settings =
            transport == ScenarioEnvironment.Transport.IPC ? environment.ipcSettings() : environment.udpSettings();
        out.printf("soak: %d connect/close cycles, transport %s, Archive %s, response channel %s%n",
            cycles, transport, ArchiveVersions.DEFAULT, settings.controlResponseChannel());

        // One cycle before the baseline, so that the library's load, the JIT's first classes and the first
        // thread's allocations are not counted as growth.
        cycle(settings);
        awaitSessions(environment, 0);
        awaitLingerEnd();
        final Sample start = Sample.take(environment);
        out.println(start.line("start", 0, 0));

        final long startNs = System.nanoTime();
        for (int i = 1; i <= cycles; i++)
        {
            try
            {
                cycle(settings);
            }
            catch (final RuntimeException ex)
            {
                out.println("FAIL: cycle " + i + " failed: " + ex);
                ex.printStackTrace(out);
                return 1;
            }
            if (i % reportEvery == 0 && i != cycles)
            {
                out.println(Sample.take(environment).line("cycle", i, System.nanoTime() - startNs));
            }
        }
        final long elapsedNs = System.nanoTime() - startNs;

        awaitSessions(environment, start.sessions);
        awaitLingerEnd();
        final Sample end = Sample.take(environment);
        out.println(end.line("end", cycles, elapsedNs));

        boolean leaked = false;
        if (end.sessions != start.sessions)
        {
            out.printf("FAIL: control sessions %d at the start, %d at the end%n", start.sessions, end.sessions);
            leaked = true;
        }
        if (end.fds - start.fds > FD_GROWTH_BOUND)
        {
            out.printf("FAIL: open descriptors grew from %d to %d (bound +%d)%n", start.fds, end.fds, FD_GROWTH_BOUND);
            leaked = true;
        }
        if (end.maps - start.maps > MAPS_GROWTH_BOUND)
        {
            out.printf("FAIL: mapped regions grew from %d to %d (bound +%d)%n", start.maps, end.maps,
                MAPS_GROWTH_BOUND);
            leaked = true;
        }
        out.printf("%s: %d cycles in %.1f s (%.2f ms per cycle)%n", leaked ? "LEAK" : "OK", cycles,
            elapsedNs / 1e9, elapsedNs / 1e6 / cycles);
        return leaked ? 1 : 0;
    }

    private static void cycle(final ClientSettings settings)
    {
        try (NativeArchive archive = NativeArchive.connect(new NativeArchive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(settings.messageTimeoutNs())))
        {
            if (archive.controlSessionId() < 0)
            {
                throw new IllegalStateException("no control session id: " + archive.controlSessionId());
            }
        }
    }

    /* The Archive counts a session down once it processed the CloseSessionRequest, a little after close returns. */
    private static void awaitSessions(final ScenarioEnvironment environment, final long expected)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (environment.observer().controlSessionCount() != expected && System.nanoTime() < deadlineNs)
        {
            Sleep.millis(10);
        }
    }

    /* A closed client's logs and images stay mapped for the resource linger (so that a racing poll or offer does not
     * crash), and are released after it on a native thread: the samples at the start and the end are taken once it
     * has passed, the ones in between count the clients still lingering. */
    private static void awaitLingerEnd()
    {
        Sleep.millis(TimeUnit.NANOSECONDS.toMillis(Aeron.Configuration.resourceLingerDurationNs()) + 1_000);
    }

    /* The Java heap's committed size beside the RSS: RSS growth the heap does not account for is native memory. */
    private record Sample(long rssKiB, long heapKiB, long fds, long maps, long sessions)
    {
        static Sample take(final ScenarioEnvironment environment) throws IOException
        {
            return new Sample(residentKiB(), Runtime.getRuntime().totalMemory() / 1024,
                count(Path.of("/proc/self/fd")), lines(Path.of("/proc/self/maps")),
                environment.observer().controlSessionCount());
        }

        String line(final String label, final int cycle, final long elapsedNs)
        {
            return String.format(
                "%-5s cycle=%6d  elapsed=%7.1fs  rss=%7d KiB  heap=%7d KiB  fds=%4d  maps=%5d  sessions=%d",
                label, cycle, elapsedNs / 1e9, rssKiB, heapKiB, fds, maps, sessions);
        }
    }

    private static long residentKiB() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long count(final Path dir) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.count();
        }
    }

    private static long lines(final Path file) throws IOException
    {
        try (Stream<String> lines = Files.lines(file))
        {
            return lines.count();
        }
    }

    private static ScenarioEnvironment.Transport oneTransport(final String value)
    {
        final String wrong = "--transport takes ipc or udp, got " + value;
        try
        {
            final List<ScenarioEnvironment.Transport> parsed = ScenarioEnvironment.Transport.parse(value);
            if (parsed.size() != 1)
            {
                throw new IllegalArgumentException(wrong);
            }
            return parsed.get(0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(wrong, ex);
        }
    }

    private static String usage(final CommandLine commandLine)
    {
        return commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static int positive(final String option, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(option + " must be > 0, got " + value);
        }
        return value;
    }
}
