package org.archivebridge.conformance.report;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.ArchiveVersionDifference;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.archivebridge.conformance.transcript.Step;

import java.util.List;

/**
 * The gate's results as one self-contained HTML page (no scripts, no external files): a matrix of scenarios, with
 * what each checks, down and Archive versions × clients across; then one section per scenario run with each
 * client's duration as a bar, what the Archive saw after each client (control sessions before and after,
 * CloseSessionRequests, errors, leaked resources) and links to both JSON transcripts beside the page; then for
 * every failure its problems and the two transcripts side by side with differing steps marked.
 */
final class GateHtml
{
    /** Where the duration bars start (after the client names) and the longer bar's width, in pixels. */
    private static final int BAR_X = 70;
    private static final int BAR_MAX_WIDTH = 240;

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
            .append(".FAIL,.DIFFERENT{background:#fcc}.diff{background:#fe9}pre{margin:0}")
            .append("td.description{font-size:90%;max-width:40em}section.run{border-top:1px solid #999;margin-top:1em}")
            .append("rect.reference{fill:#58a}rect.candidate{fill:#d83}svg text{font-size:12px}")
            .append("ul.checks{margin:0;padding-left:1.2em}</style></head><body>\n")
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
            out.append("<tr><td class=\"scenario\">").append(escape(scenario)).append("</td><td class=\"description\">")
                .append(escape(description(results, scenario))).append("</td>");
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

        out.append("<h2>Runs</h2>\n<p>Each scenario in each matrix cell: how long each client took, what the ")
            .append("Archive saw after each, and both transcripts.</p>\n");
        results.forEach((result) -> run(out, result, candidate));

        for (final GateResult result : results)
        {
            if (!result.passed())
            {
                failure(out, result);
            }
        }
        return out.append("</body></html>\n").toString();
    }

    private static String description(final List<GateResult> results, final String scenario)
    {
        return results.stream().filter((result) -> result.scenario().equals(scenario)).findFirst()
            .map((result) -> result.verdict().reference().scenario().description()).orElse("");
    }

    /** One scenario run: its description, the clients' durations, the server's evidence and the transcripts. */
    private static void run(final StringBuilder out, final GateResult result, final ClientKind candidate)
    {
        final ScenarioVerdict verdict = result.verdict();
        final String verdictText = result.passed() ? "PASS" : "FAIL";
        out.append("<section class=\"run\" id=\"").append(escape(runId(result))).append("\"><h3>")
            .append(escape(result.scenario())).append(" on Aeron ").append(escape(result.target()))
            .append(" <span class=\"").append(verdictText).append("\">").append(verdictText).append("</span></h3>\n")
            .append("<p class=\"description\">").append(escape(verdict.reference().scenario().description()))
            .append("</p>\n");
        durations(out, ClientKind.JAVA.name(), verdict.reference().elapsedMs(), candidate.name(),
            verdict.candidate().elapsedMs());
        out.append("<table class=\"evidence\"><tr><th>what the Archive saw after ").append(ClientKind.JAVA.name())
            .append("</th><th>after ").append(escape(candidate.name())).append("</th></tr>\n<tr>");
        evidence(out, verdict.reference());
        evidence(out, verdict.candidate());
        out.append("</tr></table>\n<p class=\"transcripts\">transcripts: ");
        transcriptLink(out, result, verdict.reference());
        out.append(", ");
        transcriptLink(out, result, verdict.candidate());
        out.append("</p></section>\n");
    }

    private static String runId(final GateResult result)
    {
        return "run-" + result.scenario() + "-" + result.target().replace('/', '-');
    }

    /** The two clients' durations as bars scaled to the longer one, each labelled with its milliseconds. */
    private static void durations(
        final StringBuilder out, final String reference, final long referenceMs, final String candidate,
        final long candidateMs)
    {
        final long longest = Math.max(1, Math.max(referenceMs, candidateMs));
        out.append("<svg class=\"durations\" width=\"").append(BAR_X + BAR_MAX_WIDTH + 80)
            .append("\" height=\"40\" role=\"img\" aria-label=\"duration: ").append(escape(reference)).append(' ')
            .append(referenceMs).append(" ms, ").append(escape(candidate)).append(' ').append(candidateMs)
            .append(" ms\">");
        bar(out, "reference", reference, referenceMs, longest, 2);
        bar(out, "candidate", candidate, candidateMs, longest, 21);
        out.append("</svg>\n");
    }

    private static void bar(
        final StringBuilder out, final String role, final String client, final long ms, final long longest,
        final int y)
    {
        final long width = Math.max(1, ms * BAR_MAX_WIDTH / longest);
        out.append("<text x=\"0\" y=\"").append(y + 12).append("\">").append(escape(client)).append("</text>")
            .append("<rect class=\"").append(role).append("\" x=\"").append(BAR_X).append("\" y=\"").append(y)
            .append("\" width=\"").append(width).append("\" height=\"16\"/>")
            .append("<text class=\"ms\" x=\"").append(BAR_X + width + 4).append("\" y=\"").append(y + 12)
            .append("\">").append(ms).append(" ms</text>");
    }

    /** The server checks after one client's run: sessions before and after, close requests, errors, resources. */
    private static void evidence(final StringBuilder out, final RunResult run)
    {
        out.append("<td><ul class=\"checks\">");
        run.checks().forEach((check) -> out.append("<li class=\"").append(check.passed() ? "PASS" : "FAIL")
            .append("\">").append(escape(check.toString())).append("</li>"));
        out.append("</ul></td>");
    }

    private static void transcriptLink(final StringBuilder out, final GateResult result, final RunResult run)
    {
        out.append("<a href=\"").append(escape(GateReports.transcriptFile(result, run))).append("\">")
            .append(escape(run.transcript().client())).append("</a>");
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

    /** Text as HTML content or attribute value; control characters HTML cannot show are dropped. */
    static String escape(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default ->
                {
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r')
                    {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
