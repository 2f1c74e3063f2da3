package org.archivebridge.conformance;

import java.util.List;

import static org.archivebridge.conformance.GateJunitXml.escape;

/**
 * The gate's results as one self-contained HTML page (no scripts, no external files): a matrix of scenarios
 * down and Archive versions × clients across, then for every failure its problems and the two transcripts side
 * by side with differing steps marked.
 */
final class GateHtml
{
    private GateHtml()
    {
    }

    static String render(final List<GateResult> results, final ClientKind candidate)
    {
        final List<String> versions = results.stream().map(GateResult::target).distinct().toList();
        final List<String> scenarios = results.stream().map(GateResult::scenario).distinct().toList();
        final boolean passed = results.stream().allMatch(GateResult::passed);

        final StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<title>archive-bridge gate</title><style>")
            .append("body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}")
            .append("td,th{border:1px solid #999;padding:2px 6px}td.scenario{white-space:nowrap}")
            .append(".PASS,.SAME{background:#cfc}")
            .append(".FAIL,.DIFFERENT{background:#fcc}.diff{background:#fe9}pre{margin:0}</style></head><body>\n")
            .append("<h1>archive-bridge gate: <span id=\"verdict\" class=\"").append(passed ? "PASS" : "FAIL")
            .append("\">").append(passed ? "PASSED" : "FAILED").append("</span></h1>\n")
            .append("<p>Reference AeronArchive vs candidate ").append(escape(candidate.name()))
            .append("; server: Java Media Driver and Archive of each Aeron version below.</p>\n")
            .append("<table id=\"matrix\"><thead><tr><th rowspan=\"2\">scenario</th>");
        versions.forEach((version) -> out.append("<th colspan=\"3\">Aeron ")
            .append(escape(version)).append("</th>"));
        out.append("</tr><tr>");
        versions.forEach((version) -> out.append("<th>JAVA</th><th>").append(escape(candidate.name()))
            .append("</th><th>same</th>"));
        out.append("</tr></thead><tbody>\n");
        for (final String scenario : scenarios)
        {
            out.append("<tr><td class=\"scenario\">").append(escape(scenario)).append("</td>");
            for (final String version : versions)
            {
                final GateResult result = find(results, scenario, version);
                if (result == null)
                {
                    // A scenario that sets up its own transport runs once per Archive version, in one transport cell.
                    out.append("<td colspan=\"3\">not run in this cell</td>");
                    continue;
                }
                cell(out, result.verdict().reference().passed() ? "PASS" : "FAIL");
                cell(out, result.verdict().candidate().passed() ? "PASS" : "FAIL");
                cell(out, result.verdict().comparison().equal() ? "SAME" : "DIFFERENT");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n");
        final List<String> extensions = Scenario.extensionsIn(results);
        if (!extensions.isEmpty())
        {
            out.append("<h2>Extensions</h2>\n<p>Features of the candidate that AeronArchive lacks: listed here, not ")
                .append("counted as differences.</p>\n<ul id=\"extensions\">\n");
            extensions.forEach((extension) -> out.append("<li>").append(escape(extension)).append("</li>\n"));
            out.append("</ul>\n");
        }
        final List<String> differences = ArchiveVersionDifference.declaredIn(results);
        if (!differences.isEmpty())
        {
            out.append("<h2>Declared version differences</h2>\n<p>What an older Archive does differently, expected ")
                .append("of both clients there: the scenarios check the older behaviour.</p>\n")
                .append("<ul id=\"version-differences\">\n");
            differences.forEach((difference) -> out.append("<li>").append(escape(difference)).append("</li>\n"));
            out.append("</ul>\n");
        }

        for (final GateResult result : results)
        {
            if (!result.passed())
            {
                failure(out, result);
            }
        }
        return out.append("</body></html>\n").toString();
    }

    private static void cell(final StringBuilder out, final String value)
    {
        out.append("<td class=\"").append(value).append("\">").append(value).append("</td>");
    }

    private static GateResult find(final List<GateResult> results, final String scenario, final String version)
    {
        return results.stream().filter((result) -> result.scenario().equals(scenario) &&
            result.target().equals(version)).findFirst().orElse(null);
    }

    private static void failure(final StringBuilder out, final GateResult result)
    {
        final ScenarioVerdict verdict = result.verdict();
        out.append("<h2 class=\"failure\">").append(escape(result.scenario())).append(" on Aeron ")
            .append(escape(result.target())).append("</h2>\n<pre>").append(escape(verdict.report()))
            .append("</pre>\n<table class=\"transcripts\"><tr><th>#</th><th>")
            .append(escape(verdict.reference().transcript().client())).append("</th><th>")
            .append(escape(verdict.candidate().transcript().client())).append("</th></tr>\n");
        final List<Step> reference = verdict.reference().transcript().steps();
        final List<Step> candidate = verdict.candidate().transcript().steps();
        for (int i = 0; i < Math.max(reference.size(), candidate.size()); i++)
        {
            final String left = i < reference.size() ? describe(reference.get(i)) : "";
            final String right = i < candidate.size() ? describe(candidate.get(i)) : "";
            out.append("<tr").append(left.equals(right) ? "" : " class=\"diff\"").append("><td>").append(i + 1)
                .append("</td><td><pre>").append(escape(left)).append("</pre></td><td><pre>").append(escape(right))
                .append("</pre></td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static String describe(final Step step)
    {
        return step.call() + " -> " + step.outcome() +
            (step.descriptors().isEmpty() ? "" : " " + step.descriptors());
    }
}
