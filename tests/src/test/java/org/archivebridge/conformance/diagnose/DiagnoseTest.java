package org.archivebridge.conformance.diagnose;

import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ArchiveVersions;
import org.archivebridge.conformance.server.ServerObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The diagnose command against a real running Media Driver and Archive: it lists a live control session, then,
 * once the Archive has terminated that session because its client stopped polling, explains the logged error.
 * Its own server, configured so an unpolled response window fills in about a second (pings every millisecond)
 * and the Archive gives up two seconds later; the terminated session stays in that server's error log.
 */
class DiagnoseTest
{
    private static final long TERMINATION_WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final List<String> QUICK_TERMINATION = List.of(
        "aeron.archive.session.liveness.check.interval=1ms",
        "aeron.archive.connect.timeout=2s");

    private static ArchiveServer server;
    private static ServerObserver observer;

    /** What one run of the command printed and returned. */
    private record Output(int exitCode, String out, String err)
    {
    }

    @BeforeAll
    static void startServer() throws Exception
    {
        server = ArchiveServer.start(TestSupport.logDir(), ArchiveVersions.DEFAULT, QUICK_TERMINATION);
        observer = new ServerObserver(server);
    }

    @AfterAll
    static void stopServer()
    {
        if (observer != null)
        {
            observer.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void listsSessionsThenExplainsTheTerminationOfAnUnpolledOne() throws Exception
    {
        final ClientSettings settings = new ClientSettings(server.aeronDirectoryName(), server.controlChannel(),
            server.controlStreamId(), "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
            ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID, ScenarioEnvironment.MESSAGE_TIMEOUT_NS);
        final ArchiveClient client = ClientKind.JAVA.connect(settings);
        try
        {
            final long controlSessionId = client.controlSessionId();
            final Output live = diagnose();
            assertEquals(0, live.exitCode(), live::toString);
            assertTrue(live.out().contains("control sessions: 1 "), live::toString);
            assertTrue(live.out().contains("controlSessionId=" + controlSessionId + " archiveId=" +
                ArchiveServer.ARCHIVE_ID), live::toString);
            assertTrue(live.out().contains("logged errors: 0"), live::toString);

            // The client now makes no call, so nothing polls its response channel while the Archive pings it.
            awaitTerminationLogged(controlSessionId);

            final Output after = diagnose();
            assertEquals(1, after.exitCode(), after::toString);
            assertTrue(after.out().contains("control sessions: 0 "), after::toString);
            assertFalse(after.out().contains("controlSessionId=" + controlSessionId + " archiveId="),
                after::toString);
            assertTrue(after.out().contains("kind:   session terminated: responses undeliverable"),
                after::toString);
            assertTrue(after.out().contains("the client stopped polling"), after::toString);
            assertTrue(after.out().contains("(controlSessionId=" + controlSessionId + ")"), after::toString);
            assertTrue(after.out().contains("advice:"), after::toString);
            assertTrue(after.out().contains("close clients you do not need"), after::toString);
        }
        finally
        {
            closeTerminated(client);
        }
    }

    private static void closeTerminated(final ArchiveClient client) throws Exception
    {
        try
        {
            client.close();
        }
        catch (final RuntimeException ex)
        {
            // The Archive already ended this session; a close that says so is expected, the diagnosis is the test.
        }
    }

    @Test
    void failsClearlyWhereNoDriverRuns(@TempDir final Path empty)
    {
        final Output output = run("--aeron-dir", empty.toString());
        assertEquals(2, output.exitCode(), output::toString);
        assertTrue(output.err().contains("no cnc.dat in " + empty), output::toString);
    }

    @Test
    void rejectsAnUnknownOption()
    {
        final Output output = run("--no-such-option");
        assertEquals(2, output.exitCode(), output::toString);
        assertTrue(output.err().contains("unknown option --no-such-option"), output::toString);
    }

    private static Output diagnose()
    {
        return run("--aeron-dir", server.aeronDirectoryName(), "--archive-dir", server.archiveDir().toString());
    }

    private static Output run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = Diagnose.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void awaitTerminationLogged(final long controlSessionId)
    {
        final long deadline = System.nanoTime() + TERMINATION_WAIT_NS;
        while (observer.errorsContaining("controlSessionId=" + controlSessionId).isEmpty())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("the Archive did not log the termination of controlSessionId=" +
                    controlSessionId + " within " + TimeUnit.NANOSECONDS.toSeconds(TERMINATION_WAIT_NS) + "s");
            }
            Sleep.millis(50);
        }
    }
}
