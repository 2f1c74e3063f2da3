package org.archivebridge.conformance;

import java.util.List;

/** The gate's summary table: scenarios down, the reference, the candidate and the comparison across. */
final class GateTable
{
    private GateTable()
    {
    }

    static String render(final List<ScenarioVerdict> verdicts, final ClientKind candidate)
    {
        final int width = Math.max("scenario".length(),
            verdicts.stream().mapToInt((verdict) -> verdict.reference().scenario().name().length()).max().orElse(0));
        final String format = "%-" + width + "s  %-6s  %-6s  %-10s%n";
        final StringBuilder out = new StringBuilder();
        out.append(String.format(format, "scenario", "JAVA", candidate.name(), "same"));
        out.append("-".repeat(width + 2 + 6 + 2 + 6 + 2 + 10)).append('\n');
        for (final ScenarioVerdict verdict : verdicts)
        {
            out.append(String.format(format,
                verdict.reference().scenario().name(),
                verdict.reference().passed() ? "PASS" : "FAIL",
                verdict.candidate().passed() ? "PASS" : "FAIL",
                verdict.comparison().equal() ? "SAME" : "DIFFERENT"));
        }
        return out.toString();
    }
}
