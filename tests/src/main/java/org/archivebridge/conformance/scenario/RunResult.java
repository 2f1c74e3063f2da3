package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.server.CheckResult;
import org.archivebridge.conformance.transcript.Transcript;

import java.util.ArrayList;
import java.util.List;

/** One scenario on one client: its transcript, its unmet expectations, the server checks, and how long it took. */
public record RunResult(
    Scenario scenario,
    ClientKind client,
    Transcript transcript,
    List<String> unmetExpectations,
    List<CheckResult> checks,
    Throwable unexpected,
    long elapsedMs)
{
    public boolean passed()
    {
        return unmetExpectations.isEmpty() && unexpected == null && checks.stream().allMatch(CheckResult::passed);
    }

    /** Every reason this run failed, one per line; empty when it passed. */
    public List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        unmetExpectations.forEach((text) -> problems.add("expectation: " + text));
        checks.stream().filter((check) -> !check.passed()).forEach((check) -> problems.add("server: " + check));
        if (unexpected != null)
        {
            problems.add("unexpected: " + unexpected);
        }
        return problems;
    }
}
