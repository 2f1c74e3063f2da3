package org.archivebridge.conformance.report;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.ArchiveVersionDifference;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioVerdict;

import java.util.List;

/** The gate's summary table: one row per scenario and Archive version; reference, candidate and comparison across. */
public final class GateTable
{
    private GateTable()
    {
    }

    public static String render(final List<GateResult> results, final ClientKind candidate)
    {
        final int width = Math.max("scenario".length(),
            results.stream().mapToInt((result) -> result.scenario().length()).max().orElse(0));
        final String format = "%-" + width + "s  %-15s  %-6s  %-6s  %-10s%n";
        final StringBuilder out = new StringBuilder();
        out.append(String.format(format, "scenario", "aeron/transport", "JAVA", candidate.name(), "same"));
        out.append("-".repeat(width + 2 + 15 + 2 + 6 + 2 + 6 + 2 + 10)).append('\n');
        for (final GateResult result : results)
        {
            final ScenarioVerdict verdict = result.verdict();
            out.append(String.format(format,
                result.scenario(),
                result.target(),
                verdict.reference().passed() ? "PASS" : "FAIL",
                verdict.candidate().passed() ? "PASS" : "FAIL",
                verdict.comparison().equal() ? "SAME" : "DIFFERENT"));
        }
        final long passed = results.stream().filter(GateResult::passed).count();
        out.append(passed).append(" of ").append(results.size()).append(" scenario runs passed\n");
        Scenario.extensionsIn(results).forEach((extension) ->
            out.append("extension, not a difference: ").append(extension).append('\n'));
        ArchiveVersionDifference.declaredIn(results).forEach((difference) ->
            out.append("declared version difference, expected of both clients: ").append(difference).append('\n'));
        return out.toString();
    }
}
