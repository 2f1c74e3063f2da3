package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ControlRequestTap;

import java.util.List;

/**
 * How a session is set up: one scenario per behaviour of issue 4's item 1 that both clients share.
 */
final class SessionScenarios
{
    /** AeronArchive's own default response channel: the driver picks the port, the client tells the archive. */
    private static final String RESPONSE_ON_ANY_PORT = "aeron:udp?endpoint=localhost:0";
    private static final int ROUND_TRIP_STREAM_ID = 2101;
    private static final long UNKNOWN_RECORDING_ID = 987_654;
    private static final String CLIENT_NAME_PROPERTY = "aeron.archive.client.name";
    private static final String MESSAGE_TIMEOUT_PROPERTY = "aeron.archive.message.timeout";
    private static final String DEBUG_LOG_PROPERTY = "archivebridge.archive.debug.log";
    private static final int DEBUG_LOG_STREAM_ID = 2102;
    private static final String CLIENT_NAME = "conformance-named-client";
    private static final long CONNECT_SEEN_WAIT_MS = 2_000;

    private static final List<Scenario> ALL = List.of(
        new Scenario("response-port-0",
            "connect with the response endpoint on port 0 (AeronArchive's default); the archive answers on the bound port",
            SessionScenarios::responsePortZero),
        new Scenario("async-connect",
            "connect through the asynchronous connect, polled step by step; use the session; close",
            SessionScenarios::asyncConnect),
        new Scenario("async-connect-timeout",
            "an asynchronous connect to a stream nobody serves times out within the message timeout",
            SessionScenarios::asyncConnectTimeout),
        new Scenario("client-name",
            "a client named by aeron.archive.client.name tells the archive its name in the connect request",
            SessionScenarios::clientName),
        new Scenario("message-timeout-property",
            "aeron.archive.message.timeout=1s, read by the client's context, bounds a wait for an answer that never " +
                "comes",
            SessionScenarios::messageTimeoutProperty),
        new Scenario("extension-debug-log",
            "extension, NativeArchive's debug log (archivebridge.archive.debug.log, in the spirit of " +
                "aeron.event.archive.log): every request sent and response received, with the session and " +
                "correlation ids; the reference runs the same calls",
            SessionScenarios::debugLog),
        new Scenario("extension-errors-say-where",
            "extension, NativeArchive's error texts: an archive error, a timeout and a call on a closed client each " +
                "name the control session, the correlation id where there is one, and the response channel and " +
                "stream; both clients must fail alike, only the candidate's words are checked",
            SessionScenarios::errorsSayWhere));

    private SessionScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    /*
     * Both contexts read the name from the system property when they are created, as a deployment would set it; the
     * archive sees it as the "name=" part of the connect request's client info (the rest names each client's build).
     */
    private static void clientName(final ScenarioRun run)
    {
        final ClientSettings settings = run.environment().udpSettings();
        final ControlRequestTap tap = run.environment().tapFor(settings);
        final ArchiveClient client = connectWithProperty(run, settings, CLIENT_NAME_PROPERTY, CLIENT_NAME);
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        run.text("clientInfo", List.of("name"), () -> announcedName(tap));
        run.close(client);
    }

    /* Connect while a system property is set, as a deployment sets it: both clients' contexts read it when created. */
    private static ArchiveClient connectWithProperty(
        final ScenarioRun run, final ClientSettings settings, final String property, final String value)
    {
        final String before = System.getProperty(property);
        System.setProperty(property, value);
        try
        {
            return run.connect(settings);
        }
        finally
        {
            if (null == before)
            {
                System.clearProperty(property);
            }
            else
            {
                System.setProperty(property, before);
            }
        }
    }

    private static void messageTimeoutProperty(final ScenarioRun run)
    {
        final ArchiveClient client = connectWithProperty(
            run, run.environment().udpSettings().withMessageTimeoutNs(0), MESSAGE_TIMEOUT_PROPERTY, "1s");
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        // A listing of no descriptors is never answered: only the message timeout ends the wait.
        final long startNs = System.nanoTime();
        final Outcome unanswered = run.listing("listRecordings", List.of("0", "0"),
            (consumer) -> client.listRecordings(0, 0, consumer));
        final long elapsedMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        run.expect(!unanswered.ok(), "the unanswered listing fails");
        run.expect(elapsedMs >= 900 && elapsedMs < 3_000,
            "the wait ends after the property's 1 s, not the default timeout: took " + elapsedMs + "ms");
        run.close(client);
    }

    private static void debugLog(final ScenarioRun run) throws java.io.IOException
    {
        final java.nio.file.Path log = java.nio.file.Files.createTempFile("abr-debug-log-", ".log");
        try
        {
            final ArchiveClient client = connectWithProperty(
                run, run.environment().udpSettings(), DEBUG_LOG_PROPERTY, log.toString());
            run.expect(client != null, "connect succeeds");
            if (client == null)
            {
                return;
            }
            final long controlSessionId = client.controlSessionId();
            final Outcome subscription = run.id("subscription", "startRecording",
                List.of(Scenarios.IPC, Integer.toString(DEBUG_LOG_STREAM_ID), RecordingSource.LOCAL.name()),
                () -> client.startRecording(Scenarios.IPC, DEBUG_LOG_STREAM_ID, RecordingSource.LOCAL));
            final long startCorrelationId = client.lastCorrelationId();
            if (subscription.ok())
            {
                run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
                    () -> client.stopRecording(subscription.value()));
            }
            run.close(client);
            if (run.kind() == ClientKind.NATIVE)
            {
                final List<String> lines = java.nio.file.Files.readAllLines(log);
                final String session = "controlSessionId=" + controlSessionId;
                run.expect(lines.stream().anyMatch((line) -> line.contains("SEND connect")), "connect logged: " + lines);
                run.expect(lines.stream().anyMatch((line) -> line.contains("SEND start recording") &&
                    line.contains(session) && line.contains("correlationId=" + startCorrelationId)),
                    "startRecording logged with its session and correlation id " + startCorrelationId + ": " + lines);
                run.expect(lines.stream().anyMatch((line) -> line.contains("RECV ControlResponse") &&
                    line.contains(session) && line.contains("correlationId=" + startCorrelationId)),
                    "its response logged with the same ids: " + lines);
                run.expect(!lines.isEmpty() && lines.get(lines.size() - 1).contains("SEND close session") &&
                    lines.get(lines.size() - 1).contains(session), "the close session request is last: " + lines);
            }
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    /* The name part of the newest connect request naming CLIENT_NAME, or what was seen instead. */
    private static String announcedName(final ControlRequestTap tap)
    {
        final long deadline = System.currentTimeMillis() + CONNECT_SEEN_WAIT_MS;
        List<ControlRequestTap.ConnectRequest> requests = tap.connectRequests();
        while (requests.stream().noneMatch((request) -> request.clientInfo().contains(CLIENT_NAME)) &&
            System.currentTimeMillis() < deadline)
        {
            Sleep.millis(10);
            requests = tap.connectRequests();
        }
        return requests.stream()
            .map(ControlRequestTap.ConnectRequest::clientInfo)
            .filter((info) -> info.contains(CLIENT_NAME))
            .map((info) -> info.split(" ")[0])
            .reduce((first, second) -> second)
            .orElse("no connect request named " + CLIENT_NAME + " among " + requests.size());
    }

    /*
     * AeronArchive's messages say less (its archive errors name the correlation id only), so the texts are checked on
     * the native candidate alone; the failures themselves are compared as always.
     */
    private static void errorsSayWhere(final ScenarioRun run)
    {
        final ClientSettings settings = run.environment().udpSettings().withMessageTimeoutNs(
            Scenarios.SHORT_MESSAGE_TIMEOUT_NS);
        final ArchiveClient client = run.connect(settings);
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final boolean checkWords = run.kind() == ClientKind.NATIVE;
        final long controlSessionId = client.controlSessionId();

        final Outcome unknown = run.value("getStopPosition", List.of("unknown recording"),
            () -> client.getStopPosition(UNKNOWN_RECORDING_ID));
        if (checkWords)
        {
            expectWhere(run, unknown, controlSessionId, true, "an archive error");
        }
        // A listing of no descriptors is never answered: the wait ends in the message timeout.
        final Outcome unanswered = run.listing("listRecordings", List.of("0", "0"),
            (consumer) -> client.listRecordings(0, 0, consumer));
        if (checkWords && !unanswered.ok())
        {
            expectWhere(run, unanswered, controlSessionId, true, "a timeout");
        }
        run.close(client);
        final Outcome closed = run.value("getStopPosition", List.of("after close"),
            () -> client.getStopPosition(UNKNOWN_RECORDING_ID));
        if (checkWords)
        {
            expectWhere(run, closed, controlSessionId, false, "a call on a closed client");
        }
    }

    private static void expectWhere(
        final ScenarioRun run,
        final Outcome outcome,
        final long controlSessionId,
        final boolean withCorrelationId,
        final String what)
    {
        final String text = outcome.ok() ? "" : String.valueOf(outcome.failure().getMessage());
        run.expect(!outcome.ok(), what + " fails");
        run.expect(text.contains("controlSessionId=" + controlSessionId), what + " names controlSessionId=" +
            controlSessionId + ": " + text);
        run.expect(!withCorrelationId || text.contains("correlationId="), what + " names its correlationId: " + text);
        run.expect(text.contains("responseChannel=aeron:") &&
            text.contains("responseStreamId=" + ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID),
            what + " names the response channel and stream: " + text);
    }

    private static void responsePortZero(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(
            run.environment().udpSettings().withControlResponseChannel(RESPONSE_ON_ANY_PORT));
        run.expect(client != null, "connect with " + RESPONSE_ON_ANY_PORT + " succeeds");
        if (client == null)
        {
            return;
        }
        final Outcome archiveId = run.value("archiveId", List.of(), client::archiveId);
        run.expect(archiveId.ok() && archiveId.value() == run.environment().server().archiveId(),
            "archiveId is the server's");
        final List<String> stream = List.of(Scenarios.IPC, Integer.toString(ROUND_TRIP_STREAM_ID));
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(Scenarios.IPC, Integer.toString(ROUND_TRIP_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(Scenarios.IPC, ROUND_TRIP_STREAM_ID, RecordingSource.LOCAL));
        run.expect(subscription.ok(), "a request and its response go through");
        run.action("stopRecording", stream, () -> client.stopRecording(Scenarios.IPC, ROUND_TRIP_STREAM_ID));
        run.close(client);
    }

    private static void asyncConnect(final ScenarioRun run)
    {
        final ArchiveClient client = run.connectAsync(run.environment().udpSettings());
        run.expect(client != null, "the asynchronous connect completes");
        if (client == null)
        {
            return;
        }
        final Outcome archiveId = run.value("archiveId", List.of(), client::archiveId);
        run.expect(archiveId.ok() && archiveId.value() == run.environment().server().archiveId(),
            "archiveId is the server's");
        final Outcome listed = run.listing("listRecordings", List.of("0", "1"),
            (consumer) -> client.listRecordings(0, 1, consumer));
        run.expect(listed.ok(), "a call on the session works");
        run.close(client);
    }

    private static void asyncConnectTimeout(final ScenarioRun run)
    {
        final ClientSettings settings = run.environment().udpSettings()
            .withControlRequestStreamId(Scenarios.UNUSED_STREAM_ID)
            .withMessageTimeoutNs(Scenarios.SHORT_MESSAGE_TIMEOUT_NS);
        final long start = System.nanoTime();
        final ArchiveClient client = run.connectAsync(settings);
        final long elapsedNs = System.nanoTime() - start;
        run.expect(client == null && run.lastOutcome().equals("TIMEOUT"),
            "the asynchronous connect times out, got " + run.lastOutcome());
        run.expect(elapsedNs < 3 * Scenarios.SHORT_MESSAGE_TIMEOUT_NS, "within 3 x the message timeout");
    }
}
