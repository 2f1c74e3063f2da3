package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.report.GateReports;
import org.archivebridge.conformance.report.GateResult;
import org.archivebridge.conformance.report.GateTable;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioRunner;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.transcript.TranscriptComparator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The conformance gate: for each chosen Archive version an embedded server, every selected scenario on
 * AeronArchive and on the candidate, server-side checks after each run, a table of the results, the reports, and
 * an exit code a release pipeline can trust (0 only if all passed).
 */
public final class Gate
{
    private Gate()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final GateOptions options;
        try
        {
            options = GateOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(GateOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help())
        {
            System.out.println(GateOptions.usage());
            return;
        }

        System.exit(run(options) ? 0 : 1);
    }

    /** Run the gate as the command line would, without exiting: true when everything passed. */
    public static boolean run(final String... args) throws IOException, InterruptedException
    {
        return run(GateOptions.parse(args));
    }

    public static boolean run(final GateOptions options) throws IOException, InterruptedException
    {
        if (options.exploration().on())
        {
            return GateExploration.run(options);
        }
        final List<GateResult> results = new ArrayList<>();
        options.skipped().forEach((note) -> System.out.println("skipped " + note));
        final long start = System.nanoTime();
        final int perVersion = options.transports().stream().mapToInt((t) -> scenariosIn(options, t).size()).sum();
        final int total = options.archiveVersions().size() * perVersion * 2;
        int n = 0;
        for (final String version : options.archiveVersions())
        {
            for (final ScenarioEnvironment.Transport transport : options.transports())
            {
                final List<Scenario> scenarios = scenariosIn(options, transport);
                if (scenarios.isEmpty())
                {
                    continue;
                }
                try (ScenarioEnvironment environment = environment(options, version, transport))
                {
                    System.out.println("archive server " + version + " up: aeron dir " +
                        environment.server().aeronDirectoryName() + ", control " +
                        environment.server().controlChannel() + ", clients on " + transport + " from " +
                        environment.clientAeronDirectoryName() + ", log " + environment.server().logFile());
                    final ScenarioRunner runner = new ScenarioRunner(environment);
                    for (final Scenario scenario : scenarios)
                    {
                        final RunResult reference =
                            runner.run(scenario, ClientKind.JAVA, "reference-" + ClientKind.JAVA);
                        progress(++n, total, version, transport, reference, start);
                        final RunResult candidate = runner.run(options.fault().forCandidate(scenario),
                            options.candidate(), "candidate-" + options.candidate());
                        options.fault().alter(candidate.transcript());
                        progress(++n, total, version, transport, candidate, start);
                        results.add(new GateResult(version, transport, new ScenarioVerdict(reference, candidate,
                            TranscriptComparator.compare(reference.transcript(), candidate.transcript()))));
                    }
                }
            }
        }

        return report(options, results, options.skipped().stream().map((note) -> "skipped " + note).toList());
    }

    /** The table, the reports and the verdict for what ran; the notes go under the table. */
    static boolean report(final GateOptions options, final List<GateResult> results, final List<String> notes)
        throws IOException
    {
        final StringBuilder tableText = new StringBuilder(GateTable.render(results, options.candidate()));
        notes.forEach((note) -> tableText.append(note).append('\n'));
        final String table = tableText.toString();
        System.out.println();
        System.out.print(table);
        GateReports.write(options.reportDir(), results, options.candidate(), table);
        results.stream().filter((result) -> !result.passed()).forEach((result) -> System.out.println(
            "\n" + result.scenario() + " on Aeron " + result.target() + ":\n" + result.verdict().report()));

        final boolean passed = results.stream().allMatch(GateResult::passed);
        System.out.println((passed ? "GATE PASSED" : "GATE FAILED") + " - reports in " +
            options.reportDir().toAbsolutePath() + " (report.html, junit.xml, summary.json)");
        return passed;
    }

    /**
     * The scenarios a transport cell runs: all of those that run per transport, and those that set up their own
     * transport only once per version, in the UDP cell when it is selected (they connect over UDP), else the first.
     */
    private static List<Scenario> scenariosIn(final GateOptions options, final ScenarioEnvironment.Transport transport)
    {
        final List<ScenarioEnvironment.Transport> transports = options.transports();
        final ScenarioEnvironment.Transport onceIn = transports.contains(ScenarioEnvironment.Transport.UDP) ?
            ScenarioEnvironment.Transport.UDP : transports.get(0);
        return options.scenarios().stream()
            .filter((scenario) -> scenario.perTransport() || transport == onceIn)
            .toList();
    }

    static ScenarioEnvironment environment(
        final GateOptions options, final String version, final ScenarioEnvironment.Transport transport)
        throws IOException, InterruptedException
    {
        final GateOptions.Deployment deployment = options.deployment();
        if (null == deployment)
        {
            return ScenarioEnvironment.start(options.logDir(), version, transport, List.of());
        }
        return ScenarioEnvironment.attach(ArchiveServer.attach(deployment.aeronDir(), deployment.archiveDir(),
            deployment.controlChannel(), deployment.controlStreamId(), deployment.localControlStreamId()), transport);
    }

    private static void progress(
        final int n,
        final int total,
        final String version,
        final ScenarioEnvironment.Transport transport,
        final RunResult run,
        final long startNs)
    {
        System.out.printf("[%d/%d] %-8s %-3s %-28s %-18s %6d ms  %s  (elapsed %ds)%n", n, total, version, transport,
            run.scenario().name(), run.transcript().client(), run.elapsedMs(), run.passed() ? "PASS" : "FAIL",
            (System.nanoTime() - startNs) / 1_000_000_000L);
    }
}
