package org.archivebridge.conformance.report;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.gate.Gate;
import org.archivebridge.conformance.scenario.Scenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate's HTML report opened in a real browser (Debian's headless Chromium, installed by .ci/prerequisites):
 * the DOM Chromium builds from it must hold the matrix with one row per scenario run and the verdict, and per run
 * the scenario's description, both clients' duration bars, what the Archive saw and links to both transcripts.
 */
class GateReportBrowserTest
{
    private static final long BROWSER_TIMEOUT_S = 90;
    private static final String CHROMIUM = "chromium";

    @Test
    void reportRendersTheMatrixInChromium(@TempDir final Path dir) throws Exception
    {
        assertTrue(onPath(CHROMIUM), () -> CHROMIUM + " is not on PATH (" + System.getenv("PATH") + "); install it " +
            "with: bash .ci/prerequisites (Debian's chromium package)");
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

        // One section per scenario and cell, each with what the scenario checks, two bars, the server's evidence
        // for both clients and both transcripts, linked relative to the page and present beside it.
        assertEquals(4, count(dom, "<section class=\"run\""), dom);
        final String description = domText(Scenarios.named("connect-close").description());
        assertTrue(dom.contains("<td class=\"description\">" + description + "</td>"), dom);
        assertTrue(dom.contains("<p class=\"description\">" + description + "</p>"), dom);
        assertEquals(4, count(dom, "<svg class=\"durations\""), dom);
        assertEquals(4, count(dom, "<rect class=\"reference\""), dom);
        assertEquals(4, count(dom, "<rect class=\"candidate\""), dom);
        assertTrue(dom.contains("<li class=\"PASS\">PASS control sessions back to 0: count=0</li>"), dom);
        assertTrue(dom.contains(
            "<li class=\"PASS\">PASS CloseSessionRequest seen for 1 closed client(s): all seen</li>"), dom);
        for (final String transcript : List.of("connect-close.reference-JAVA.aeron-1.51.0.udp.json",
            "connect-close.candidate-" + TestSupport.candidate() + ".aeron-1.51.0.udp.json"))
        {
            assertTrue(dom.contains("<a href=\"" + transcript + "\">"), () -> "no link to " + transcript + ":\n" + dom);
            assertTrue(Files.exists(reportDir.resolve(transcript)), transcript);
        }
    }

    /** Text as a browser serialises it in a DOM dump: only these three are escaped in text content. */
    private static String domText(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static boolean onPath(final String command)
    {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter((dir) -> !dir.isEmpty())
            .anyMatch((dir) -> Files.isExecutable(Path.of(dir, command)));
    }

    private static String dumpDom(final Path html, final Path profile) throws Exception
    {
        final Path out = profile.resolveSibling("dom.html");
        final Process browser = new ProcessBuilder(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
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
