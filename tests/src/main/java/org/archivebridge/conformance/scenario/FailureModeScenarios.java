package org.archivebridge.conformance.scenario;

import io.aeron.AeronCounters;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.JavaArchiveClient;
import org.archivebridge.conformance.client.NativeArchiveClient;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.diagnose.DiagnoseAdvice;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ServerObserver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The failures users hit, as scenarios. Each runs against a private Media Driver and Archive of the matrix cell's
 * version, so the shared server's checks never see the sessions these scenarios make the Archive end; what the
 * Archive must have done is checked from the body, on the private server's counters and error log. Their clients
 * connect over UDP whatever the gate's transport cell, so the gate runs each once per version. The polling
 * scenarios configure it to give up on a session within seconds (a ping every millisecond fills an unpolled
 * response window in about half a second; the Archive's connect timeout is two seconds); the killed client runs
 * against the Archive's defaults.
 */
public final class FailureModeScenarios
{
    static final String NOT_POLLING_TEXT = "failed to send response for more than connectTimeoutMs";

    /** The Archive's connect timeout on the private server, and the idle time that must outlast it. */
    private static final long CONNECT_TIMEOUT_MS = 2_000;
    private static final long TERMINATION_WAIT_MS = 20_000;
    private static final long SURVIVAL_IDLE_MS = 3 * CONNECT_TIMEOUT_MS;
    private static final long KILLED_CLOSE_WAIT_MS = 60_000;
    private static final long CLIENT_IMAGE_LIVENESS_MS = 1_000;
    private static final long IMAGES_GONE_WAIT_MS = 20_000;
    /* After the driver drops an image, the time its clients' conductors get to hear of it (they idle in ms). */
    private static final long CLIENT_NOTICE_MS = 250;
    private static final long DRIVER_STOPPED_NOTICE_MS = 3_000;
    private static final String AUTO_POLL_PROPERTY = "archivebridge.archive.auto.poll.interval";

    private static final List<String> QUICK_TERMINATION = List.of(
        "aeron.archive.session.liveness.check.interval=1ms",
        "aeron.archive.connect.timeout=" + CONNECT_TIMEOUT_MS + "ms",
        "aeron.archive.control.term.buffer.length=65536");

    private static final List<Scenario> ALL = List.of(
        new Scenario("failure-unpolled-session", "a client that never polls: the Archive terminates its session" +
            " ('" + NOT_POLLING_TEXT + "') and the next call fails", FailureModeScenarios::unpolledSession, false),
        new Scenario("extension-auto-poll", "extension, NativeArchive only (AeronArchive has no auto-poll): with" +
            " auto-poll on, an idle client's session survives; the reference only connects and closes",
            FailureModeScenarios::autoPollKeepsSession, false),
        new Scenario("failure-killed-client", "a client in its own process with its own driver, over UDP, killed" +
            " with SIGKILL: the Archive closes its session by itself (time and log printed)",
            FailureModeScenarios::killedClientProcess, false),
        new Scenario("failure-archive-restarted", "the Archive (and its driver) restarted under a client connected" +
            " over UDP from its own driver: the next call fails, the client closes, the new Archive keeps no session," +
            " and a new connect works", FailureModeScenarios::archiveRestarted, false),
        new Scenario("failure-client-driver-stopped", "the client's own Media Driver stopped under a connected" +
            " client: its core declares the driver dead, the state says so before and after the next call, which" +
            " fails", FailureModeScenarios::clientDriverStopped, false));

    private FailureModeScenarios()
    {
    }

    public static List<Scenario> all()
    {
        return ALL;
    }

    private static void unpolledSession(final ScenarioRun run) throws Exception
    {
        try (PrivateArchive archive = PrivateArchive.start(run, QUICK_TERMINATION))
        {
            final ArchiveClient client = archive.connect(run, run.kind());
            if (client == null)
            {
                return;
            }
            final long controlSessionId = client.controlSessionId();
            // From here the client makes no call, so nothing drains its response channel.
            if (ArchiveVersionDifference.NO_SESSION_LIVENESS.appliesTo(run.environment()))
            {
                unpolledSessionSurvives(run, archive, client, controlSessionId);
                return;
            }
            final String logged = archive.awaitTermination(controlSessionId);
            run.expect(logged != null && logged.contains(NOT_POLLING_TEXT),
                "the Archive terminates controlSessionId=" + controlSessionId + " with '" + NOT_POLLING_TEXT +
                "' within " + TERMINATION_WAIT_MS + "ms; logged: " + logged);
            run.expect(archive.sessionsSettleTo(0), "the Archive's control sessions drop back to 0, count=" +
                archive.observer.controlSessionCount());

            final Outcome next = run.value("listRecordings", List.of("0", "10"),
                () -> client.listRecordings(0, 10, (descriptor) -> {}));
            run.expect(!next.ok(), "the first call after the termination fails");
        }
    }

    /* An Archive without session liveness keeps an unpolled session: the same client's next call works. */
    private static void unpolledSessionSurvives(
        final ScenarioRun run, final PrivateArchive archive, final ArchiveClient client, final long controlSessionId)
    {
        Sleep.millis(SURVIVAL_IDLE_MS);
        final String logged = archive.loggedFor(controlSessionId);
        run.expect(logged == null, "an Archive " + run.environment().server().version() + " does not terminate" +
            " controlSessionId=" + controlSessionId + " after " + SURVIVAL_IDLE_MS + "ms unpolled; logged: " + logged);
        run.expect(archive.observer.controlSessionCount() == 1,
            "the session is still open on the Archive, count=" + archive.observer.controlSessionCount());
        final Outcome next = run.value("listRecordings", List.of("0", "10"),
            () -> client.listRecordings(0, 10, (descriptor) -> {}));
        run.expect(next.ok(), "the next call succeeds: " + next.failureLabel());
    }

    private static void killedClientProcess(final ScenarioRun run) throws Exception
    {
        // The Archive's default liveness settings: what a deployment sees when a client process dies.
        try (PrivateArchive archive = PrivateArchive.start(run, List.of()))
        {
            final FailureModeClientProcess[] started = new FailureModeClientProcess[1];
            run.action("connectInOwnProcess", List.of("udp"), () -> started[0] = startClientProcess(run, archive));
            if (started[0] == null)
            {
                return;
            }
            try (FailureModeClientProcess client = started[0])
            {
                final long controlSessionId = client.controlSessionId();
                run.expect(archive.sessionsSettleTo(1), "the Archive has the client's session open, count=" +
                    archive.observer.controlSessionCount());

                final long killedNs = System.nanoTime();
                client.killDashNine();
                final boolean closed = await(() -> archive.observer.controlSessionCount() == 0, KILLED_CLOSE_WAIT_MS);
                final long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
                final String logged = archive.loggedFor(controlSessionId);
                final String kind = logged == null ? "nothing logged" : DiagnoseAdvice.forError(logged).kind();
                // Whether Aeron 1.47.x logs 'control publication not connected' or closes silently is a race in the
                // Archive (seen both ways for the same client), so only the close is in the transcript; the log
                // entry's kind is printed below.
                run.text("killDashNine", List.of(), () -> closed ? "Archive closed the session" : "open");
                run.expect(closed, "the Archive closes controlSessionId=" + controlSessionId + " within " +
                    KILLED_CLOSE_WAIT_MS + "ms of the kill");
                // What the Archive did and when is the finding; the gate prints it with the progress lines.
                System.out.printf("  [%s] %s killed with SIGKILL: the Archive closed controlSessionId=%d after %d ms;" +
                    " logged (%s): %s%n", run.kind(), "client process", controlSessionId, afterMs, kind,
                    logged == null ? "nothing" : logged);
            }
        }
    }

    /* Whether the driver holds no image (no subscriber position counter) within timeoutMs. */
    private static boolean awaitNoImages(final MediaDriver driver, final long timeoutMs)
    {
        final CountersReader counters = driver.context().countersManager();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final int[] images = {0};
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID == typeId)
                {
                    images[0]++;
                }
            });
            if (0 == images[0])
            {
                return true;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return false;
            }
            Sleep.millis(10);
        }
    }

    private static void archiveRestarted(final ScenarioRun run) throws Exception
    {
        final File clientDir =
            new File("/dev/shm", "abr-restart-client-" + UUID.randomUUID().toString().substring(0, 8));
        try (MediaDriver clientDriver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(clientDir.getPath())
            .imageLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(CLIENT_IMAGE_LIVENESS_MS))
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
            PrivateArchive archive = PrivateArchive.start(run, List.of()))
        {
            final String clientAeronDir = clientDriver.aeronDirectoryName();
            final ArchiveClient client = archive.connect(run, run.kind(), clientAeronDir, "connectToPrivateArchive");
            // A second client meets the restart with the asynchronous-traffic calls, which go on after closing.
            final ArchiveClient polling = archive.connect(run, run.kind(), clientAeronDir, "connectToPrivateArchive");
            if (client == null || polling == null)
            {
                return;
            }

            archive.restart();
            // Once the client driver has dropped the old Archive's response images (no subscriber position left) and
            // told its clients, the next call meets the state every restart ends in, not a race with it. A fixed
            // sleep of twice the image liveness was not enough on a loaded CI machine.
            run.expect(awaitNoImages(clientDriver, IMAGES_GONE_WAIT_MS), "the client driver drops the old Archive's" +
                " response images within " + IMAGES_GONE_WAIT_MS + " ms");
            Sleep.millis(CLIENT_NOTICE_MS);
            run.expect(archive.sessionsSettleTo(0), "the restarted Archive starts with no session, count=" +
                archive.observer.controlSessionCount());

            // The response image went: both clients say so before any call, and the call closes them.
            run.text("state", List.of("after the restart"), client::state);
            // AeronArchive closes itself once its response image has gone, and the call that finds it so fails.
            final long callStartNs = System.nanoTime();
            final Outcome next = run.value("listRecordings", List.of("0", "10"),
                () -> client.listRecordings(0, 10, (descriptor) -> {}));
            final long callMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStartNs);
            run.expectOutcome(next, "CLOSED", "the first call after the restart");
            run.expect(callMs < TimeUnit.NANOSECONDS.toMillis(ScenarioEnvironment.MESSAGE_TIMEOUT_NS),
                "the first call after the restart fails within the message timeout, took " + callMs + "ms");
            if (!next.ok())
            {
                // The category is in the transcript; the client's own words help whoever reads a difference.
                System.out.printf("  [%s] first call after the Archive restarted (%d ms): %s%n", run.kind(), callMs,
                    next.failure().getMessage());
            }
            final Outcome later = run.value("getRecordingPosition", List.of("0"), () -> client.getRecordingPosition(0));
            run.expectOutcome(later, "CLOSED", "a later call on the client that closed itself");
            run.text("state", List.of("after the first call"), client::state);
            archive.clients.remove(client);
            run.close(client);

            final String error = run.text("pollForErrorResponse", List.of(), polling::pollForErrorResponse);
            run.expect("not connected".equals(error), "pollForErrorResponse after the restart closes the client and" +
                " answers 'not connected', got " + error);
            final Outcome check = run.action("checkForErrorResponse", List.of(), polling::checkForErrorResponse);
            run.expectOutcome(check, "CLOSED", "checkForErrorResponse on the client that closed itself");
            archive.clients.remove(polling);
            run.close(polling);
            run.expect(archive.sessionsSettleTo(0), "the restarted Archive keeps no session for the old client," +
                " count=" + archive.observer.controlSessionCount());

            final ArchiveClient fresh = archive.connect(run, run.kind(), clientAeronDir, "connectAfterRestart");
            if (fresh == null)
            {
                return;
            }
            final Outcome listed = run.listing("listRecordings", List.of("0", "10"),
                (consumer) -> fresh.listRecordings(0, 10, consumer));
            run.expect(listed.ok(), "a call on the new client works: " + listed.failureLabel());
            run.expect(archive.sessionsSettleTo(1), "the restarted Archive has the new client's session, count=" +
                archive.observer.controlSessionCount());
            archive.clients.remove(fresh);
            run.close(fresh);
            run.expect(archive.sessionsSettleTo(0), "closing the new client leaves no session on the Archive, count=" +
                archive.observer.controlSessionCount());
        }
        finally
        {
            IoUtil.delete(clientDir, true);
        }
    }

    /*
     * Issue 10, defect 8. A Media Driver that stops marks its CnC file so; Aeron's client conductor then declares it
     * dead, and closing its resources takes the archive client's response image away (AeronArchive: DISCONNECTED).
     */
    private static void clientDriverStopped(final ScenarioRun run) throws Exception
    {
        final File clientDir =
            new File("/dev/shm", "abr-stopped-client-" + UUID.randomUUID().toString().substring(0, 8));
        final MediaDriver clientDriver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(clientDir.getPath())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        try (PrivateArchive archive = PrivateArchive.start(run, List.of()))
        {
            // With an error handler: without one, AeronArchive's Aeron client exits the JVM as it declares the driver
            // dead (Aeron's default handler). What each handler hears is printed, not compared.
            final ErrorHandler errorHandler = (ex) -> System.out.printf(
                "  [%s] error handler after the client's driver stopped: %s%n", run.kind(), ex);
            final ClientSettings settings = archive.settings().withAeronDirectoryName(clientDriver.aeronDirectoryName());
            final ArchiveClient[] connected = new ArchiveClient[1];
            run.action("connectToPrivateArchive", List.of("udp", "errorHandler"), () -> connected[0] =
                run.kind() == ClientKind.JAVA ? JavaArchiveClient.connect(settings, errorHandler) :
                NativeArchiveClient.connect(settings, errorHandler));
            final ArchiveClient client = connected[0];
            if (client == null)
            {
                return;
            }
            archive.clients.add(client);
            run.text("state", List.of("connected"), client::state);
            clientDriver.close();
            // Aeron's conductor checks its driver's liveness a few times a second; a loaded machine gets longer.
            Sleep.millis(DRIVER_STOPPED_NOTICE_MS);
            run.text("state", List.of("after the driver stopped"), client::state);
            final long callStartNs = System.nanoTime();
            final Outcome next = run.value("listRecordings", List.of("0", "10"),
                () -> client.listRecordings(0, 10, (descriptor) -> {}));
            final long callMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStartNs);
            run.expect(!next.ok(), "the first call after the driver stopped fails");
            if (!next.ok())
            {
                System.out.printf("  [%s] first call after the client's driver stopped (%d ms): %s%n", run.kind(),
                    callMs, next.failure().getMessage());
            }
            run.text("state", List.of("after the first call"), client::state);
            final Outcome later = run.value("getRecordingPosition", List.of("0"), () -> client.getRecordingPosition(0));
            run.expect(!later.ok(), "a later call fails too");
            run.text("state", List.of("after a later call"), client::state);
            archive.clients.remove(client);
            run.close(client);
        }
        finally
        {
            clientDriver.close();
            IoUtil.delete(clientDir, true);
        }
    }

    private static FailureModeClientProcess startClientProcess(final ScenarioRun run, final PrivateArchive archive)
    {
        try
        {
            return FailureModeClientProcess.start(run.kind(), archive.server);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void autoPollKeepsSession(final ScenarioRun run) throws Exception
    {
        try (PrivateArchive archive = PrivateArchive.start(run, QUICK_TERMINATION))
        {
            final boolean autoPoll = run.kind() == ClientKind.NATIVE;
            final ArchiveClient client;
            if (autoPoll)
            {
                // NativeArchive.Context reads its auto-poll interval from this property when it is created; the
                // gate connects one client at a time, so setting it around this connect affects no other client.
                final String previous = System.setProperty(AUTO_POLL_PROPERTY, "1ms");
                try
                {
                    client = archive.connect(run, run.kind());
                }
                finally
                {
                    restore(AUTO_POLL_PROPERTY, previous);
                }
            }
            else
            {
                client = archive.connect(run, run.kind());
            }
            if (client == null)
            {
                return;
            }

            if (autoPoll)
            {
                final long controlSessionId = client.controlSessionId();
                Sleep.millis(SURVIVAL_IDLE_MS);
                run.expect(archive.loggedFor(controlSessionId) == null,
                    "with auto-poll on the Archive does not terminate controlSessionId=" + controlSessionId +
                    " after " + SURVIVAL_IDLE_MS + "ms without calls; logged: " + archive.loggedFor(controlSessionId));
                run.expect(archive.observer.controlSessionCount() == 1,
                    "the session is still open on the Archive, count=" + archive.observer.controlSessionCount());
                final Outcome next = attempt(() -> client.listRecordings(0, 10, (descriptor) -> {}));
                run.expect(next.ok(), "the next call succeeds: " + next.failureLabel());
            }
            archive.clients.remove(client);
            run.close(client);
            run.expect(archive.sessionsSettleTo(0), "closing leaves no session on the Archive, count=" +
                archive.observer.controlSessionCount());
        }
    }

    /** A call whose outcome only the native client's run checks, so it stays out of the transcript. */
    private static Outcome attempt(final LongSupplier call)
    {
        try
        {
            return Outcome.success(call.getAsLong());
        }
        catch (final ClientFailure failure)
        {
            return Outcome.failed(failure);
        }
    }

    private static void closeAfterTermination(final ArchiveClient client)
    {
        try
        {
            client.close();
        }
        catch (final ClientFailure | IllegalStateException ignore)
        {
            // The Archive may have ended this session already; a close that says so is not what is checked here.
        }
    }

    private static void restore(final String property, final String previous)
    {
        if (previous == null)
        {
            System.clearProperty(property);
        }
        else
        {
            System.setProperty(property, previous);
        }
    }

    /** A Media Driver and Archive of the run's version, for one failure-mode scenario, and its observer. */
    private static final class PrivateArchive implements AutoCloseable
    {
        private ArchiveServer server;
        private ServerObserver observer;
        private final List<ArchiveClient> clients = new ArrayList<>();

        private PrivateArchive(final ArchiveServer server)
        {
            this.server = server;
            this.observer = new ServerObserver(server);
        }

        static PrivateArchive start(final ScenarioRun run, final List<String> props)
            throws IOException, InterruptedException
        {
            final ArchiveServer server = PrivateArchives.start(run, props);
            try
            {
                return new PrivateArchive(server);
            }
            catch (final RuntimeException ex)
            {
                server.close();
                throw ex;
            }
        }

        /** Restart the Archive and its driver in place (same directories and port) and watch the new one. */
        void restart() throws IOException, InterruptedException
        {
            observer.close();
            server = server.restart();
            observer = new ServerObserver(server);
        }

        ClientSettings settings()
        {
            return new ClientSettings(server.aeronDirectoryName(), server.controlChannel(), server.controlStreamId(),
                "aeron:udp?endpoint=localhost:" + FreePorts.udp(), ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID,
                ScenarioEnvironment.MESSAGE_TIMEOUT_NS);
        }

        /** Connect a client of this kind, recorded as a step: its outcome is ok or the failure's label. */
        ArchiveClient connect(final ScenarioRun run, final ClientKind kind)
        {
            return connect(run, kind, server.aeronDirectoryName(), "connectToPrivateArchive");
        }

        /** As above, from the Media Driver in aeronDir (a client driver of the scenario's own) as step operation. */
        ArchiveClient connect(final ScenarioRun run, final ClientKind kind, final String aeronDir, final String operation)
        {
            final ClientSettings settings = settings().withAeronDirectoryName(aeronDir);
            final ArchiveClient[] connected = new ArchiveClient[1];
            run.action(operation, List.of("udp"), () -> connected[0] = kind.connect(settings));
            if (connected[0] != null)
            {
                clients.add(connected[0]);
            }
            return connected[0];
        }

        /** The first line the Archive logged about this session, or null. */
        String loggedFor(final long controlSessionId)
        {
            return observer.errorsContaining("controlSessionId=" + controlSessionId + " ").stream()
                .map((entry) -> entry.text().lines().findFirst().orElse("")).findFirst().orElse(null);
        }

        String awaitTermination(final long controlSessionId)
        {
            await(() -> loggedFor(controlSessionId) != null, TERMINATION_WAIT_MS);
            return loggedFor(controlSessionId);
        }

        boolean sessionsSettleTo(final long count)
        {
            return await(() -> observer.controlSessionCount() == count, TimeUnit.SECONDS.toMillis(5));
        }

        public void close()
        {
            try
            {
                clients.forEach(FailureModeScenarios::closeAfterTermination);
                observer.close();
            }
            finally
            {
                server.close();
            }
        }
    }

    private static boolean await(final BooleanSupplier condition, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Sleep.millis(20);
        }
        return true;
    }
}
