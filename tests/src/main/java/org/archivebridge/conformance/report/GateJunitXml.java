package org.archivebridge.conformance.report;

import org.archivebridge.conformance.report.GateResult;

import java.util.List;

/** The gate's results as JUnit XML: one test suite per Archive version, one test case per scenario. */
final class GateJunitXml
{
    private GateJunitXml()
    {
    }

    static String render(final List<GateResult> results)
    {
        final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        results.stream().map(GateResult::target).distinct().forEach((version) ->
        {
            final List<GateResult> ofVersion =
                results.stream().filter((result) -> result.target().equals(version)).toList();
            final long failures = ofVersion.stream().filter((result) -> !result.passed()).count();
            final double seconds = ofVersion.stream().mapToLong(GateJunitXml::elapsedMs).sum() / 1000.0;
            out.append("  <testsuite name=\"archive-bridge gate, Aeron ").append(escape(version))
                .append("\" tests=\"").append(ofVersion.size()).append("\" failures=\"").append(failures)
                .append("\" errors=\"0\" time=\"").append(seconds).append("\">\n");
            for (final GateResult result : ofVersion)
            {
                out.append("    <testcase classname=\"gate.aeron-").append(escape(version)).append("\" name=\"")
                    .append(escape(result.scenario())).append("\" time=\"").append(elapsedMs(result) / 1000.0)
                    .append('"');
                if (result.passed())
                {
                    out.append("/>\n");
                }
                else
                {
                    out.append(">\n      <failure message=\"reference, candidate or comparison failed\">")
                        .append(escape(result.verdict().report())).append("</failure>\n    </testcase>\n");
                }
            }
            out.append("  </testsuite>\n");
        });
        return out.append("</testsuites>\n").toString();
    }

    private static long elapsedMs(final GateResult result)
    {
        return result.verdict().reference().elapsedMs() + result.verdict().candidate().elapsedMs();
    }

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
                    // XML 1.0 has no way to carry most control characters: drop them rather than write bad XML.
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
