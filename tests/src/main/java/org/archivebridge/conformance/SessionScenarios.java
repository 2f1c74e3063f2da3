package org.archivebridge.conformance;

import java.util.List;

/**
 * How a session is set up: one scenario per behaviour of issue 4's item 1 that both clients share.
 */
final class SessionScenarios
{
    /** AeronArchive's own default response channel: the driver picks the port, the client tells the archive. */
    private static final String RESPONSE_ON_ANY_PORT = "aeron:udp?endpoint=localhost:0";
    private static final int ROUND_TRIP_STREAM_ID = 2101;

    private static final List<Scenario> ALL = List.of(
        new Scenario("response-port-0",
            "connect with the response endpoint on port 0 (AeronArchive's default); the archive answers on the bound port",
            SessionScenarios::responsePortZero),
        new Scenario("async-connect",
            "connect through the asynchronous connect, polled step by step; use the session; close",
            SessionScenarios::asyncConnect),
        new Scenario("async-connect-timeout",
            "an asynchronous connect to a stream nobody serves times out within the message timeout",
            SessionScenarios::asyncConnectTimeout));

    private SessionScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
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
