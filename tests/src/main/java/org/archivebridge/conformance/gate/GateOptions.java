package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.FailureModeScenarios;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.Scenarios;
import org.archivebridge.conformance.server.ArchiveVersions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    static final String USAGE = String.join("\n",
        "usage: gate [--scenarios a,b,...] [--archive-versions V,...|all] [--transport ipc|udp|both]",
        "            [--candidate NATIVE|JAVA] [--report-dir DIR] [--log-dir DIR]",
        "            [--aeron-dir DIR --archive-dir DIR --control-channel URI [--control-stream N]",
        "             [--local-control-stream N]] [--help]",
        "",
        "Starts a Media Driver and Archive of each chosen Aeron version in a child JVM (jars copied by the build,",
        "never downloaded at run time), runs every scenario on AeronArchive (the reference) and on the candidate",
        "client, checks the Archive's side after each run (control sessions, CloseSessionRequest seen, no",
        "'terminated' error in the Archive's error log), compares the transcripts, prints a table and writes the",
        "reports. Exit code 0 only if every run passed and every pair of transcripts agreed; 1 otherwise;",
        "2 for a bad command line.",
        "",
        "  --scenarios         comma-separated scenario names (default: all, in catalogue order)",
        "  --archive-versions  Aeron versions of the server, comma-separated, or 'all' = " +
            String.join(",", ArchiveVersions.ALL) + " (default " + ArchiveVersions.DEFAULT + ")",
        "  --transport         udp: clients on a Media Driver of their own, UDP over loopback to the Archive's;",
        "                      ipc: clients on the Archive's driver over aeron:ipc; both (default)",
        "  --candidate         the client compared with AeronArchive (default NATIVE; JAVA checks the suite itself)",
        "  --report-dir        where the reports go (default target/gate-report): table.txt, junit.xml,",
        "                      report.html, summary.json and one JSON transcript per scenario, client and version",
        "  --log-dir           where the archive server's output goes (default target)",
        "  --aeron-dir         run against an Archive already running on the Media Driver in DIR instead of",
        "                      an embedded one (--archive-versions is then ignored); it is never stopped, and the",
        "                      failure modes (failure-*, extension-auto-poll) are skipped, with the reason printed",
        "  --archive-dir       that Archive's directory (its mark file holds its id and error log); required",
        "                      with --aeron-dir",
        "  --control-channel   that Archive's control request channel, e.g. aeron:udp?endpoint=localhost:8010",
        "  --control-stream    its control request stream id (default 10, Aeron's default)",
        "  --local-control-stream  its aeron:ipc control stream id (default 10)",
        "  --negative-control  " + String.join("|", GateFault.names()) + ": inject a known fault so the gate",
        "                      must fail (proves it can)",
        "  --explore N         run N generated sequences on both clients instead of the catalogue (a child JVM",
        "                      per client, so a crash or hang is a failure with its last words); failures are",
        "                      shrunk and reported with their seed and sequence (see docs/exploration.md)",
        "  --seed S            the exploration's seed (default: random, printed)",
        "  --explore-exclusions all|none|NAME,...  inputs left out while their defect is fixed elsewhere",
        "                      (default all)",
        "  --help              this text",
        "",
        "scenarios: " + String.join(", ", Scenarios.names()));

    static GateOptions parse(final String[] args)
    {
        List<Scenario> scenarios = Scenarios.all();
        ClientKind candidate = ClientKind.NATIVE;
        List<String> versions = List.of(ArchiveVersions.DEFAULT);
        List<ScenarioEnvironment.Transport> transports = ScenarioEnvironment.Transport.parse("both");
        Path reportDir = Path.of("target", "gate-report");
        Path logDir = Path.of("target");
        GateFault fault = GateFault.NONE;
        boolean help = false;
        String aeronDir = null;
        Path archiveDir = null;
        String controlChannel = null;
        int controlStream = 10;
        int localControlStream = 10;
        int exploreSequences = 0;
        Long exploreSeed = null;
        String exploreExclusions = "all";

        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--scenarios" -> scenarios = Arrays.stream(value(args, ++i).split(","))
                    .map(String::trim).filter((name) -> !name.isEmpty()).map(Scenarios::named).toList();
                case "--archive-versions" -> versions = ArchiveVersions.parse(value(args, ++i));
                case "--transport" -> transports = ScenarioEnvironment.Transport.parse(value(args, ++i));
                case "--candidate" -> candidate = ClientKind.valueOf(value(args, ++i).toUpperCase());
                case "--report-dir" -> reportDir = Path.of(value(args, ++i));
                case "--log-dir" -> logDir = Path.of(value(args, ++i));
                case "--negative-control" -> fault = GateFault.named(value(args, ++i));
                case "--aeron-dir" -> aeronDir = value(args, ++i);
                case "--archive-dir" -> archiveDir = Path.of(value(args, ++i));
                case "--control-channel" -> controlChannel = value(args, ++i);
                case "--control-stream" -> controlStream = Integer.parseInt(value(args, ++i));
                case "--local-control-stream" -> localControlStream = Integer.parseInt(value(args, ++i));
                case "--explore" -> exploreSequences = Integer.parseInt(value(args, ++i));
                case "--seed" -> exploreSeed = Long.parseLong(value(args, ++i));
                case "--explore-exclusions" -> exploreExclusions = value(args, ++i);
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
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
            deployment = new Deployment(aeronDir, archiveDir, controlChannel, controlStream, localControlStream);
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
            null == exploreSeed ? System.nanoTime() : exploreSeed, exploreExclusions);
        return new GateOptions(List.copyOf(selected), candidate, versions, transports, reportDir, logDir, fault, deployment,
            List.copyOf(skipped), help, exploration);
    }

    private static String value(final String[] args, final int index)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
