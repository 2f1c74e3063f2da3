package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.FailureModeScenarios;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.Scenarios;
import org.archivebridge.conformance.server.ArchiveVersions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The gate's command line. */
record GateOptions(
    List<Scenario> scenarios,
    ClientKind candidate,
    List<String> archiveVersions,
    List<ScenarioEnvironment.Transport> transports,
    Path reportDir,
    Path logDir,
    GateFault fault,
    Deployment deployment,
    List<String> skipped,
    boolean help,
    Exploration exploration)
{
    /** --explore N: N generated sequences instead of the catalogue (0: the catalogue), from this seed. */
    record Exploration(int sequences, long seed, String exclusions)
    {
        boolean on()
        {
            return sequences > 0;
        }
    }

    /** An Archive already running, used instead of an embedded one (the --aeron-dir options). */
    record Deployment(
        String aeronDir, Path archiveDir, String controlChannel, int controlStreamId, int localControlStreamId)
    {
    }

    static final String DEPLOYMENT_SKIP_REASON = "a failure mode starts a Media Driver and Archive of its own (Aeron " +
        ArchiveVersions.DEFAULT + ") to starve, kill or restart them, which says nothing about the deployment" +
        " (--aeron-dir), and the gate never stops or restarts a deployment it did not start";

    /**
     * The command line as picocli reads it: option syntax, unknown options, missing values, numbers and the usage
     * text. The values are turned into the gate's own types afterwards, by the parsers that name what is wrong.
     */
    @Command(name = "gate", usageHelpWidth = 110, sortOptions = false,
        description = {
            "Starts a Media Driver and Archive of each chosen Aeron version in a child JVM (jars copied by the " +
                "build, never downloaded at run time), runs every scenario on AeronArchive (the reference) and on " +
                "the candidate client, checks the Archive's side after each run (control sessions, " +
                "CloseSessionRequest seen, no 'terminated' error in the Archive's error log), compares the " +
                "transcripts, prints a table and writes the reports.",
            "Exit code 0 only if every run passed and every pair of transcripts agreed; 1 otherwise; 2 for a bad " +
                "command line.",
            ""})
    static final class Arguments
    {
        @Option(names = "--scenarios", paramLabel = "a,b,...",
            description = "comma-separated scenario names (default: all, in catalogue order)")
        String scenarios;

        @Option(names = "--archive-versions", paramLabel = "V,...|all",
            description = "Aeron versions of the server, comma-separated, or 'all' (default: the newest)")
        String archiveVersions;

        @Option(names = "--transport", paramLabel = "ipc|udp|both", defaultValue = "both",
            description = "udp: clients on a Media Driver of their own, UDP over loopback to the Archive's; " +
                "ipc: clients on the Archive's driver over aeron:ipc; both (default)")
        String transport;

        @Option(names = "--candidate", paramLabel = "NATIVE|JAVA", defaultValue = "NATIVE",
            description = "the client compared with AeronArchive (default NATIVE; JAVA checks the suite itself)")
        String candidate;

        @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "target/gate-report",
            description = "where the reports go (default ${DEFAULT-VALUE}): table.txt, junit.xml, report.html, " +
                "summary.json and one JSON transcript per scenario, client and version")
        Path reportDir;

        @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "target",
            description = "where the archive server's output goes (default ${DEFAULT-VALUE})")
        Path logDir;

        @Option(names = "--aeron-dir", paramLabel = "DIR",
            description = "run against an Archive already running on the Media Driver in DIR instead of an " +
                "embedded one (--archive-versions is then ignored); it is never stopped, and the failure modes " +
                "(failure-*, extension-auto-poll) are skipped, with the reason printed")
        String aeronDir;

        @Option(names = "--archive-dir", paramLabel = "DIR",
            description = "that Archive's directory (its mark file holds its id and error log); required with " +
                "--aeron-dir")
        Path archiveDir;

        @Option(names = "--control-channel", paramLabel = "URI",
            description = "that Archive's control request channel, e.g. aeron:udp?endpoint=localhost:8010")
        String controlChannel;

        @Option(names = "--control-stream", paramLabel = "N", defaultValue = "10",
            description = "its control request stream id (default ${DEFAULT-VALUE}, Aeron's default)")
        int controlStream;

        @Option(names = "--local-control-stream", paramLabel = "N", defaultValue = "10",
            description = "its aeron:ipc control stream id (default ${DEFAULT-VALUE})")
        int localControlStream;

        @Option(names = "--negative-control", paramLabel = "FAULT",
            description = "inject a known fault so the gate must fail (proves it can)")
        String negativeControl;

        @Option(names = "--explore", paramLabel = "N", defaultValue = "0",
            description = "run N generated sequences on both clients instead of the catalogue (a child JVM per " +
                "client, so a crash or hang is a failure with its last words); failures are shrunk and reported " +
                "with their seed and sequence (see docs/exploration.md)")
        int explore;

        @Option(names = "--seed", paramLabel = "S", description = "the exploration's seed (default: random, printed)")
        Long seed;

        @Option(names = "--explore-exclusions", paramLabel = "all|none|NAME,...", defaultValue = "all",
            description = "inputs left out while their defect is fixed elsewhere (default ${DEFAULT-VALUE})")
        String exploreExclusions;

        @Option(names = {"--help", "-h"}, usageHelp = true, description = "this text")
        boolean help;
    }

    /** The command line with its usage text: option descriptions, the version matrix, faults and scenario names. */
    static CommandLine commandLine()
    {
        // An option given twice takes its last value, as the gate's command line always did.
        final CommandLine commandLine = new CommandLine(new Arguments()).setOverwrittenOptionsAllowed(true);
        commandLine.getCommandSpec().usageMessage().footer(
            "",
            "archive versions: " + String.join(",", ArchiveVersions.ALL) + " (default " + ArchiveVersions.DEFAULT +
                ")",
            "negative controls: " + String.join("|", GateFault.names()),
            "scenarios: " + String.join(", ", Scenarios.names()));
        return commandLine;
    }

    static String usage()
    {
        return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** @throws IllegalArgumentException naming what is wrong with the command line */
    static GateOptions parse(final String[] args)
    {
        final CommandLine commandLine = commandLine();
        try
        {
            commandLine.parseArgs(args);
        }
        catch (final CommandLine.UnmatchedArgumentException ex)
        {
            throw new IllegalArgumentException("unknown option " + String.join(" ", ex.getUnmatched()), ex);
        }
        catch (final CommandLine.ParameterException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        final Arguments arguments = commandLine.getCommand();

        List<Scenario> scenarios = Scenarios.all();
        if (null != arguments.scenarios)
        {
            scenarios = Arrays.stream(arguments.scenarios.split(","))
                .map(String::trim).filter((name) -> !name.isEmpty()).map(Scenarios::named).toList();
        }
        List<String> versions = null == arguments.archiveVersions ?
            List.of(ArchiveVersions.DEFAULT) : ArchiveVersions.parse(arguments.archiveVersions);
        final List<ScenarioEnvironment.Transport> transports =
            ScenarioEnvironment.Transport.parse(arguments.transport);
        final ClientKind candidate = ClientKind.valueOf(arguments.candidate.toUpperCase(Locale.ROOT));
        final GateFault fault = null == arguments.negativeControl ?
            GateFault.NONE : GateFault.named(arguments.negativeControl);
        final boolean help = commandLine.isUsageHelpRequested();
        final String aeronDir = arguments.aeronDir;
        final Path archiveDir = arguments.archiveDir;
        final String controlChannel = arguments.controlChannel;
        final int exploreSequences = arguments.explore;

        if (scenarios.isEmpty())
        {
            throw new IllegalArgumentException("--scenarios selected no scenario");
        }
        Deployment deployment = null;
        if (null != aeronDir)
        {
            if (null == archiveDir || null == controlChannel)
            {
                throw new IllegalArgumentException("--aeron-dir needs --archive-dir and --control-channel");
            }
            deployment = new Deployment(
                aeronDir, archiveDir, controlChannel, arguments.controlStream, arguments.localControlStream);
            versions = List.of("deployed");
        }
        final List<Scenario> selected = new ArrayList<>(scenarios);
        selected.addAll(fault.extraScenarios());
        final List<String> skipped = new ArrayList<>();
        if (null != deployment)
        {
            // A failure mode ends, kills or restarts an Archive, so it runs on one of its own, never on the deployment:
            // run there it would say nothing about the deployment, only about the default version's Archive.
            for (final Scenario failureMode : FailureModeScenarios.all())
            {
                if (selected.remove(failureMode))
                {
                    skipped.add(failureMode.name() + ": " + DEPLOYMENT_SKIP_REASON);
                }
            }
            if (selected.isEmpty())
            {
                throw new IllegalArgumentException("--scenarios selected only failure modes, which --aeron-dir skips: " +
                    DEPLOYMENT_SKIP_REASON);
            }
        }

        if (exploreSequences < 0)
        {
            throw new IllegalArgumentException("--explore takes a number of sequences, not " + exploreSequences);
        }
        final Exploration exploration = new Exploration(exploreSequences,
            null == arguments.seed ? System.nanoTime() : arguments.seed, arguments.exploreExclusions);
        return new GateOptions(List.copyOf(selected), candidate, versions, transports, arguments.reportDir,
            arguments.logDir, fault, deployment, List.copyOf(skipped), help, exploration);
    }
}
