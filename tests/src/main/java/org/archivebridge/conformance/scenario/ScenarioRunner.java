package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.server.CheckResult;
import org.archivebridge.conformance.server.ControlRequestTap;
import org.archivebridge.conformance.server.ServerChecks;
import org.archivebridge.conformance.transcript.Transcript;
import org.archivebridge.conformance.transcript.TranscriptComparator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs one scenario on one client kind against a shared environment, then checks the Archive's side. */
public final class ScenarioRunner
{
    private final ScenarioEnvironment environment;

    public ScenarioRunner(final ScenarioEnvironment environment)
    {
        this.environment = environment;
    }

    /**
     * Run a scenario on the reference (AeronArchive) and then on the candidate, and compare their transcripts.
     */
    public ScenarioVerdict compare(final Scenario scenario, final ClientKind candidate)
    {
        final RunResult reference = run(scenario, ClientKind.JAVA, "reference-" + ClientKind.JAVA);
        final RunResult other = run(scenario, candidate, "candidate-" + candidate);
        return new ScenarioVerdict(reference, other,
            TranscriptComparator.compare(reference.transcript(), other.transcript()));
    }

    public RunResult run(final Scenario scenario, final ClientKind kind, final String label)
    {
        final ServerChecks checks = environment.checks();
        final ServerChecks.Baseline baseline = checks.baseline();
        final Transcript transcript = new Transcript(scenario.name(), label);
        final ScenarioRun run = new ScenarioRun(environment, kind, transcript);

        final long start = System.nanoTime();
        Throwable unexpected = null;
        try
        {
            scenario.body().run(run);
        }
        catch (final Exception | AssertionError | LinkageError ex)
        {
            // LinkageError too: a missing or broken native library must fail the run, not stop the gate.
            unexpected = ex;
        }
        finally
        {
            run.closeLeftovers();
        }
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        final List<CheckResult> results = new ArrayList<>();
        results.add(checks.sessionsBackTo(baseline));
        closedSessionsByTap(run).forEach((tap, ids) -> results.add(checks.closeSessionsSeen(tap, ids)));
        results.add(checks.noNewTerminatedErrors(baseline));
        results.add(checks.driverResourcesBackTo(baseline));

        return new RunResult(scenario, kind, transcript, run.unmetExpectations(), results, unexpected, elapsedMs);
    }

    private static Map<ControlRequestTap, List<Long>> closedSessionsByTap(final ScenarioRun run)
    {
        final Map<ControlRequestTap, List<Long>> byTap = new LinkedHashMap<>();
        for (final ScenarioRun.Connection connection : run.connections())
        {
            byTap.computeIfAbsent(connection.tap(), (tap) -> new ArrayList<>()).add(connection.controlSessionId());
        }
        return byTap;
    }
}
