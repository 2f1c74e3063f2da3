package org.archivebridge.conformance.report;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.archivebridge.conformance.server.CheckResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the gate's reports: the console table as text, a JSON transcript per scenario, client and Archive version,
 * summary.json, JUnit XML for CI systems ({@link GateJunitXml}) and one self-contained HTML page
 * ({@link GateHtml}).
 */
public final class GateReports
{
    private GateReports()
    {
    }

    public static void write(
        final Path reportDir, final List<GateResult> results, final ClientKind candidate, final String table)
        throws IOException
    {
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("table.txt"), table, StandardCharsets.UTF_8);

        final List<Object> summary = new ArrayList<>();
        for (final GateResult result : results)
        {
            final ScenarioVerdict verdict = result.verdict();
            for (final RunResult run : List.of(verdict.reference(), verdict.candidate()))
            {
                Files.writeString(reportDir.resolve(transcriptFile(result, run)), run.transcript().toJson(),
                    StandardCharsets.UTF_8);
            }

            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scenario", result.scenario());
            entry.put("archiveVersion", result.archiveVersion());
            entry.put("transport", result.transport().name());
            entry.put("reference", runSummary(result, verdict.reference()));
            entry.put("candidate", runSummary(result, verdict.candidate()));
            entry.put("transcriptsEqual", verdict.comparison().equal());
            entry.put("differences", verdict.comparison().differences());
            entry.put("passed", verdict.passed());
            summary.add(entry);
        }
        Files.writeString(reportDir.resolve("summary.json"), Json.write(summary), StandardCharsets.UTF_8);
        Files.writeString(reportDir.resolve("junit.xml"), GateJunitXml.render(results), StandardCharsets.UTF_8);
        Files.writeString(reportDir.resolve("report.html"), GateHtml.render(results, candidate),
            StandardCharsets.UTF_8);
    }

    static String transcriptFile(final GateResult result, final RunResult run)
    {
        return result.scenario() + "." + run.transcript().client() + ".aeron-" + result.archiveVersion() + "." +
            result.transport().name().toLowerCase(java.util.Locale.ROOT) + ".json";
    }

    private static Map<String, Object> runSummary(final GateResult result, final RunResult run)
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("client", run.transcript().client());
        summary.put("passed", run.passed());
        summary.put("elapsedMs", run.elapsedMs());
        summary.put("transcript", transcriptFile(result, run));
        summary.put("problems", run.problems());
        summary.put("checks", run.checks().stream().map(CheckResult::toString).toList());
        return summary;
    }
}
