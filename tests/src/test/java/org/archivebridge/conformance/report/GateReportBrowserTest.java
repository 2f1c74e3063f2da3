package org.archivebridge.conformance.report;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.gate.Gate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate's HTML report opened in a real browser (Debian's headless Chromium, installed by .ci/prerequisites):
 * the DOM Chromium builds from it must hold the matrix with one row per scenario run and the verdict.
 */
class GateReportBrowserTest
{
    private static final long BROWSER_TIMEOUT_S = 90;

    @Test
    void reportRendersTheMatrixInChromium(@TempDir final Path dir) throws Exception
    {
        final Path reportDir = dir.resolve("report");
        assertTrue(Gate.run("--scenarios", "connect-close,list-empty", "--candidate", TestSupport.candidate().name(),
            "--report-dir", reportDir.toString(), "--log-dir", TestSupport.logDir().toString()));

        final String dom = dumpDom(reportDir.resolve("report.html"), dir.resolve("chromium-profile"));

        assertTrue(dom.contains("<table id=\"matrix\""), () -> "no matrix table in the rendered DOM:\n" + dom);
        assertTrue(dom.contains("<span id=\"verdict\" class=\"PASS\">PASSED</span>"), dom);
        assertTrue(dom.contains("<td class=\"scenario\">connect-close</td>") &&
            dom.contains("<td class=\"scenario\">list-empty</td>"), dom);
        assertTrue(dom.contains("Aeron 1.51.0/ipc") && dom.contains("Aeron 1.51.0/udp"), dom);
        // Two scenarios, two columns (Aeron 1.51.0 on IPC and on UDP), three cells each: JAVA, candidate, same.
        assertEquals(12, count(dom, "<td class=\"PASS\">PASS</td>") + count(dom, "<td class=\"SAME\">SAME</td>"),
            dom);
    }

    private static String dumpDom(final Path html, final Path profile) throws Exception
    {
        final Path out = profile.resolveSibling("dom.html");
        final Process browser = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString()))
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try
        {
            assertTrue(browser.waitFor(BROWSER_TIMEOUT_S, TimeUnit.SECONDS),
                "chromium did not finish within " + BROWSER_TIMEOUT_S + "s");
            assertEquals(0, browser.exitValue(), "chromium exit code");
        }
        finally
        {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int count(final String text, final String needle)
    {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length()))
        {
            count++;
        }
        return count;
    }
}
