package org.archivebridge.conformance.diagnose;

import io.aeron.AeronCounters;
import io.aeron.CommonContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code diagnose} command: reads a running deployment's Aeron directory and archive directory and prints its
 * control sessions, its counters and each error the Archive logged, with the likely cause and a remedy.
 * <p>
 * Exit code: 0 when nothing is logged, 1 when errors are logged, 2 when the command line is wrong or there is no
 * deployment to read.
 */
public final class Diagnose
{
    /** The command line as picocli reads it, with its usage text. */
    @Command(name = "diagnose", usageHelpWidth = 110, sortOptions = false,
        description = {
            "Reads a running Media Driver's CnC file (counters, error log) and the Archive's mark file (error log) " +
                "without connecting to either, and prints the control sessions, the driver's publications and " +
                "subscriptions, and each logged error with its likely cause and a remedy.",
            ""},
        footer = {"", "exit code: 0 no error logged, 1 errors logged, 2 bad command line or nothing to read"})
    static final class Arguments
    {
        @Option(names = "--aeron-dir", paramLabel = "DIR",
            description = "the driver's aeron dir (default: aeron.dir property, else Aeron's default)")
        String aeronDir = CommonContext.getAeronDirectoryName();

        @Option(names = "--archive-dir", paramLabel = "DIR",
            description = "the Archive's directory, holding archive-mark.dat (default: driver side only)")
        File archiveDir;

        @Option(names = "--all-counters",
            description = "print every counter, not only the archive's and the driver's stream counters")
        boolean allCounters;

        @Option(names = {"--help", "-h"}, usageHelp = true, description = "this text")
        boolean help;
    }

    private Diagnose()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /** The command without exiting: its exit code. */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(new Arguments()).setOverwrittenOptionsAllowed(true);
        try
        {
            commandLine.parseArgs(args);
        }
        catch (final CommandLine.ParameterException ex)
        {
            final String problem = ex instanceof CommandLine.UnmatchedArgumentException unmatched ?
                "unknown option " + String.join(" ", unmatched.getUnmatched()) : ex.getMessage();
            err.println(problem + "\n" + commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF));
            return 2;
        }
        if (commandLine.isUsageHelpRequested())
        {
            out.println(commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF));
            return 0;
        }
        final Arguments arguments = commandLine.getCommand();
        final String aeronDir = arguments.aeronDir;
        final File archiveDir = arguments.archiveDir;
        final boolean allCounters = arguments.allCounters;

        final DiagnoseDeployment deployment;
        try
        {
            deployment = DiagnoseDeployment.read(new File(aeronDir), archiveDir);
        }
        catch (final RuntimeException ex)
        {
            err.println("diagnose: " + ex.getMessage());
            return 2;
        }

        printDriver(deployment, out);
        printSessions(deployment, out);
        printCounters(deployment, allCounters, out);
        return printErrors(deployment, archiveDir, out) ? 1 : 0;
    }

    private static void printDriver(final DiagnoseDeployment deployment, final PrintStream out)
    {
        out.println("media driver: aeron dir " + deployment.aeronDir() + ", CnC " + deployment.cncVersion() +
            ", pid " + deployment.driverPid() + ", started " + Instant.ofEpochMilli(deployment.driverStartMs()));
        out.println("  publications:  " +
            deployment.countersOfType(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID).size());
        out.println("  subscriptions: " +
            deployment.countersOfType(AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID).size() + " (images)");
        out.println("  aeron clients: " + deployment.countersOfType(AeronCounters.DRIVER_HEARTBEAT_TYPE_ID).size());
        deployment.countersOfType(AeronCounters.DRIVER_HEARTBEAT_TYPE_ID).forEach((counter) ->
            out.println("    " + counter.label()));
    }

    private static void printSessions(final DiagnoseDeployment deployment, final PrintStream out)
    {
        final List<DiagnoseDeployment.Counter> counts = deployment.controlSessionCounts();
        if (counts.isEmpty())
        {
            out.println("control sessions: no Archive on this driver (no control sessions counter)");
            return;
        }
        counts.forEach((counter) -> out.println("control sessions: " + counter.value() + " (" + counter.label() +
            ")"));
        final List<DiagnoseDeployment.Counter> sessions = deployment.controlSessions();
        if (sessions.isEmpty() && counts.stream().anyMatch((counter) -> counter.value() > 0))
        {
            out.println("  (no per-session counters: the Archive predates Aeron 1.49, which added them)");
        }
        sessions.forEach((session) -> out.println("  controlSessionId=" + session.key1() + " archiveId=" +
            session.key0() + "  " + session.label()));
    }

    private static void printCounters(
        final DiagnoseDeployment deployment, final boolean all, final PrintStream out)
    {
        out.println("counters" + (all ? "" : " (archive and streams; --all-counters for every one)") + ":");
        for (final DiagnoseDeployment.Counter counter : deployment.counters())
        {
            if (all || counter.typeId() >= AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID ||
                counter.typeId() == AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID ||
                counter.typeId() == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID)
            {
                out.printf("  %5d  type %3d  %20d  %s%n", counter.id(), counter.typeId(), counter.value(),
                    counter.label());
            }
        }
    }

    /** Print each distinct error once (an embedded Archive logs to the driver's log too); true if any. */
    private static boolean printErrors(
        final DiagnoseDeployment deployment, final File archiveDir, final PrintStream out)
    {
        if (deployment.archiveMarkFileProblem() != null)
        {
            out.println("archive: " + deployment.archiveMarkFileProblem());
        }
        else if (archiveDir == null)
        {
            out.println("archive: no --archive-dir given, only the driver's error log is read");
        }

        final Set<String> seen = new HashSet<>();
        int distinct = 0;
        final StringBuilder text = new StringBuilder();
        for (final DiagnoseDeployment.LoggedError error : deployment.errors())
        {
            if (!seen.add(error.text()))
            {
                continue;
            }
            distinct++;
            final DiagnoseAdvice.Advice advice = DiagnoseAdvice.forError(error.text());
            final Long sessionId = DiagnoseAdvice.controlSessionId(error.text());
            text.append("  [").append(error.source()).append("] ").append(error.observations())
                .append("x, first ").append(Instant.ofEpochMilli(error.firstMs()))
                .append(", last ").append(Instant.ofEpochMilli(error.lastMs())).append('\n');
            text.append("    ").append(error.text().lines().findFirst().orElse("")).append('\n');
            text.append("    kind:   ").append(advice.kind())
                .append(sessionId == null ? "" : " (controlSessionId=" + sessionId + ")").append('\n');
            text.append("    cause:  ").append(advice.cause()).append('\n');
            text.append("    remedy: ").append(advice.remedy()).append('\n');
        }

        out.println("logged errors: " + distinct + (distinct == 0 ? "" : " distinct"));
        out.print(text);
        if (distinct > 0)
        {
            out.println("advice:");
            DiagnoseAdvice.GENERAL.forEach((line) -> out.println("  - " + line));
        }
        return distinct > 0;
    }
}
