package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ArchiveVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate end to end, through the same entry point as the command line: it passes on the oldest Archive of the
 * matrix (1.47.3, the release the session termination problem was reported on; ConformanceTest covers 1.51.0),
 * and it fails — false, so exit code 1 — when a negative control injects a known fault.
 */
class GateTest
{
    /** Enough of the catalogue to exercise connect, close over UDP and IPC, recording and errors on 1.47.3. */
    private static final String SUBSET = "connect-close,connect-close-ipc,list-empty,record-ipc,unknown-recording," +
        "connect-close-100";

    @Test
    void passesOnArchive1473(@TempDir final Path reportDir) throws Exception
    {
        final boolean passed = Gate.run("--archive-versions", "1.47.3", "--scenarios", SUBSET,
            "--candidate", TestSupport.candidate().name(), "--report-dir", reportDir.toString(),
            "--log-dir", TestSupport.logDir().toString());

        assertTrue(passed, () -> "gate on 1.47.3 failed; see " + reportDir.resolve("table.txt"));
        final String junit = Files.readString(reportDir.resolve("junit.xml"), StandardCharsets.UTF_8);
        assertTrue(junit.contains("Aeron 1.47.3/ipc\" tests=\"6\" failures=\"0\""), junit);
        assertTrue(junit.contains("Aeron 1.47.3/udp\" tests=\"6\" failures=\"0\""), junit);
        for (final String transport : new String[]{ "ipc", "udp" })
        {
            assertTrue(Files.exists(reportDir.resolve("record-ipc.reference-JAVA.aeron-1.47.3." + transport + ".json")));
            assertTrue(Files.exists(reportDir.resolve(
                "record-ipc.candidate-" + TestSupport.candidate() + ".aeron-1.47.3." + transport + ".json")));
        }
    }

    @Test
    void failsWhenTheCandidateSkipsCloseSession(@TempDir final Path reportDir) throws Exception
    {
        final boolean passed = Gate.run("--transport", "udp", "--scenarios", "connect-close", "--negative-control", "skip-close",
            "--candidate", TestSupport.candidate().name(), "--report-dir", reportDir.toString(),
            "--log-dir", TestSupport.logDir().toString());

        assertFalse(passed, "a candidate that never sends CloseSessionRequest must fail the gate");
        final String junit = Files.readString(reportDir.resolve("junit.xml"), StandardCharsets.UTF_8);
        assertTrue(junit.contains("failures=\"1\""), junit);
        assertTrue(junit.contains("CloseSessionRequest seen"), () -> "the close check must be what failed: " + junit);
    }

    @Test
    void failsWhenTheCandidateTranscriptDiffers(@TempDir final Path reportDir) throws Exception
    {
        final boolean passed = Gate.run("--transport", "udp", "--scenarios", "connect-close", "--negative-control", "alter-transcript",
            "--candidate", TestSupport.candidate().name(), "--report-dir", reportDir.toString(),
            "--log-dir", TestSupport.logDir().toString());

        assertFalse(passed, "a transcript that differs from the reference's must fail the gate");
        final String html = Files.readString(reportDir.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("DIFFERENT") && html.contains("injectedByNegativeControl"), html);
    }

    @Test
    void runsAgainstAnExistingDeploymentAndLeavesItRunning(@TempDir final Path reportDir) throws Exception
    {
        try (ArchiveServer deployed = ArchiveServer.start(TestSupport.logDir()))
        {
            final boolean passed = Gate.run("--aeron-dir", deployed.aeronDirectoryName(),
                "--archive-dir", deployed.archiveDir().toString(), "--control-channel", deployed.controlChannel(),
                "--control-stream", Integer.toString(deployed.controlStreamId()),
                "--scenarios", "connect-close,connect-close-ipc,list-empty",
                "--candidate", TestSupport.candidate().name(), "--report-dir", reportDir.toString());

            assertTrue(passed, () -> "gate against a running deployment failed; see " + reportDir);
            assertTrue(deployed.isAlive(), "the gate must leave a deployment it did not start running");
            assertTrue(new java.io.File(deployed.aeronDirectoryName(), "cnc.dat").exists());
            final String junit = Files.readString(reportDir.resolve("junit.xml"), StandardCharsets.UTF_8);
            assertTrue(junit.contains("Aeron deployed/udp\" tests=\"3\" failures=\"0\""), junit);
        }
    }

    @Test
    void refusesAVersionOutsideTheMatrix()
    {
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> GateOptions.parse(new String[]{ "--archive-versions", "1.2.3" }));
        assertEquals("archive version 1.2.3 is not in the matrix " + ArchiveVersions.ALL, ex.getMessage());
    }

    @Test
    void skipsFailureModesAgainstAnExistingDeploymentWithTheReason()
    {
        final String[] deployment = { "--aeron-dir", "/dev/shm/nowhere", "--archive-dir", "/tmp/nowhere",
            "--control-channel", "aeron:udp?endpoint=localhost:8010", "--scenarios" };
        final GateOptions options = GateOptions.parse(append(deployment, "connect-close,failure-archive-restarted"));

        assertEquals(java.util.List.of("connect-close"), options.scenarios().stream().map(Scenario::name).toList());
        assertEquals(java.util.List.of("failure-archive-restarted: " + GateOptions.DEPLOYMENT_SKIP_REASON),
            options.skipped());
        assertTrue(GateOptions.parse(new String[]{ "--scenarios", "failure-archive-restarted" }).skipped().isEmpty(),
            "an embedded server runs the failure modes");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> GateOptions.parse(append(deployment, "failure-archive-restarted")));
    }

    private static String[] append(final String[] args, final String last)
    {
        final String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    @Test
    void authenticationScenariosReportSkippedOnADeploymentWithoutTheSuiteAuthenticator(@TempDir final Path reportDir)
        throws Exception
    {
        try (ArchiveServer deployed = ArchiveServer.start(TestSupport.logDir()))
        {
            final boolean passed = Gate.run("--aeron-dir", deployed.aeronDirectoryName(),
                "--archive-dir", deployed.archiveDir().toString(), "--control-channel", deployed.controlChannel(),
                "--control-stream", Integer.toString(deployed.controlStreamId()), "--transport", "udp",
                "--scenarios", "auth-rejected", "--candidate", TestSupport.candidate().name(),
                "--report-dir", reportDir.toString());

            assertTrue(passed, () -> "an authentication scenario failed on a deployment; see " + reportDir);
            final String transcript = Files.readString(
                reportDir.resolve("auth-rejected.reference-JAVA.aeron-deployed.udp.json"), StandardCharsets.UTF_8);
            assertTrue(transcript.contains("needs the suite's authenticator"), transcript);
        }
    }
}
