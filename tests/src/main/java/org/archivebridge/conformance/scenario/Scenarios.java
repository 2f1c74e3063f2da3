package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The catalogue. Each scenario runs on a shared server, in this order, on every client kind in turn: "list on an
 * empty archive" comes before anything records. A scenario only makes recorded calls for what both clients must
 * agree on; waits and polling go around the transcript.
 */
public final class Scenarios
{
    static final String IPC = "aeron:ipc";
    /** The recorded stream's publication: a small term keeps /dev/shm lean; the recording still subscribes to IPC. */
    static final String PUBLICATION_CHANNEL = "aeron:ipc?term-length=65536";
    static final int RECORDED_STREAM_ID = 1001;
    static final int MESSAGES = 10;
    static final int MESSAGE_LENGTH = 100;
    static final long UNKNOWN_ID = 999_999;
    public static final int UNUSED_STREAM_ID = 4242;
    static final int NEGATIVE_STREAM_ID = -1001;
    static final int CYCLES = 100;
    static final long SHORT_MESSAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    private static final List<Scenario> CORE = List.of(
        new Scenario("connect-close", "connect over UDP, read the archive id, close", Scenarios::connectClose),
        new Scenario("connect-close-ipc", "connect over IPC, read the archive id, close", Scenarios::connectCloseIpc),
        new Scenario("list-empty", "list recordings on an empty archive: none", Scenarios::listEmpty),
        new Scenario("record-ipc", "record an IPC stream, stop, list it", Scenarios::recordIpcStream),
        new Scenario("unknown-recording", "ask about ids the archive does not know", Scenarios::unknownRecording),
        new Scenario("wrong-control-stream", "connect to a stream nobody serves: timeout", Scenarios::wrongStream),
        new Scenario("no-driver", "connect where no media driver runs", Scenarios::noDriver),
        new Scenario("connect-close-100", CYCLES + " connect/close cycles", Scenarios::connectCloseCycles),
        new Scenario("connect-close-100-archive-driver", CYCLES + " connect/close cycles over UDP from the " +
            "Archive's own driver", Scenarios::connectCloseCyclesOnArchiveDriver),
        new Scenario("negative-stream-id", "record and stop a negative stream id, which Aeron allows",
            Scenarios::negativeStreamId));

    /** The catalogue, part by part: each part is a class of its own, and adds one line here. */
    private static final List<Scenario> ALL = Stream.of(
        CORE,
        SessionScenarios.all(),
        RecordingScenarios.all(),
        ReplayScenarios.all(),
        ReplayParamsScenarios.all(),
        ReplayMergeScenarios.all(),
        UnknownIdScenarios.all(),
        RecordedPublicationChannelScenarios.all(),
        AuthenticationScenarios.all(),
        FailureModeScenarios.all(),
        PersistentSubscriptionScenarios.all(),
        PersistentSubscriptionFaultScenarios.all(),
        ReplicationScenarios.all(),
        ThreadingScenarios.all(),
        RecordingEventsScenarios.all())
        .flatMap(List::stream)
        .toList();

    private Scenarios()
    {
    }

    public static List<Scenario> all()
    {
        return ALL;
    }

    public static Scenario named(final String name)
    {
        return ALL.stream().filter((scenario) -> scenario.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no scenario named " + name + "; known: " + names()));
    }

    public static List<String> names()
    {
        return ALL.stream().map(Scenario::name).toList();
    }

    private static void connectClose(final ScenarioRun run)
    {
        connectReadIdClose(run, run.environment().udpSettings());
    }

    private static void connectCloseIpc(final ScenarioRun run)
    {
        connectReadIdClose(run, run.environment().ipcSettings());
    }

    private static void connectReadIdClose(final ScenarioRun run, final ClientSettings settings)
    {
        final ArchiveClient client = run.connect(settings);
        run.expect(client != null, "connect succeeds");
        if (client != null)
        {
            final Outcome archiveId = run.value("archiveId", List.of(), client::archiveId);
            run.expect(archiveId.ok() && archiveId.value() == run.environment().server().archiveId(),
                "archiveId is the server's " + run.environment().server().archiveId());
            run.text("state", List.of("connected"), client::state);
            // The connect's own requests do not count: -1 until a method sends one.
            run.value("lastCorrelationId", List.of("before any request"), client::lastCorrelationId);
            run.close(client);
            run.text("state", List.of("after close"), client::state);
        }
    }

    private static void listEmpty(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client != null)
        {
            final Outcome count = run.listing("listRecordings", List.of("0", "100"),
                (consumer) -> client.listRecordings(0, 100, consumer));
            run.expect(count.ok() && count.value() == 0, "no recordings listed");
            run.close(client);
        }
    }

    private static void recordIpcStream(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final List<String> stream = List.of(IPC, Integer.toString(RECORDED_STREAM_ID));
        final Outcome subscription = run.id("subscription", "startRecording", List.of(IPC,
            Integer.toString(RECORDED_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, RECORDED_STREAM_ID, RecordingSource.LOCAL));
        run.expect(subscription.ok(), "startRecording succeeds");
        // Its value is the client's driver's; that it names the request just sent is the behaviour to compare.
        final long correlationId = client.lastCorrelationId();
        run.flag("lastCorrelationId", List.of("after startRecording", "set"), () -> correlationId != -1);
        if (subscription.ok())
        {
            try (StreamPublisher publisher =
                new StreamPublisher(run.environment().observer().aeron(), PUBLICATION_CHANNEL, RECORDED_STREAM_ID))
            {
                recordPublishedStream(run, client, publisher, subscription.value());
            }
        }
        else
        {
            run.action("stopRecording", stream, () -> client.stopRecording(IPC, RECORDED_STREAM_ID));
        }
        run.close(client);
    }

    private static void recordPublishedStream(
        final ScenarioRun run, final ArchiveClient client, final StreamPublisher publisher, final long subscriptionId)
    {
        run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
        final long published = publisher.publish(MESSAGES, MESSAGE_LENGTH);

        final ServerObserver observer = run.environment().observer();
        final boolean recordingStarted = StreamPublisher.await(() -> observer.activeRecordingId(
            publisher.sessionId()) != -1);
        run.expect(recordingStarted, "the Archive starts a recording of session " + publisher.sessionId());
        if (!recordingStarted)
        {
            run.action("stopRecording", List.of(run.symbol("subscription", subscriptionId)),
                () -> client.stopRecording(subscriptionId));
            return;
        }

        final long recordingId = observer.activeRecordingId(publisher.sessionId());
        final String recording = run.symbol("recording", recordingId);
        run.expect(StreamPublisher.await(() -> positionReached(client, recordingId, published)),
            "recording position reaches the published position " + published);

        final Outcome position = run.value("getRecordingPosition", List.of(recording),
            () -> client.getRecordingPosition(recordingId));
        run.expect(position.ok() && position.value() == published, "recording position is " + published);
        run.action("stopRecording", List.of(run.symbol("subscription", subscriptionId)),
            () -> client.stopRecording(subscriptionId));
        final Outcome stopPosition = run.value("getStopPosition", List.of(recording),
            () -> client.getStopPosition(recordingId));
        run.expect(stopPosition.ok() && stopPosition.value() == published, "stop position is " + published);

        final Outcome one = run.listing("listRecording", List.of(recording),
            (consumer) -> client.listRecording(recordingId, consumer));
        run.expect(one.ok() && one.value() == 1, "listRecording finds the recording");
        final Outcome from = run.listing("listRecordings", List.of(recording, "10"),
            (consumer) -> client.listRecordings(recordingId, 10, consumer));
        run.expect(from.ok() && from.value() == 1, "listRecordings from the recording finds only it");
    }

    // Polling goes around the transcript: how many polls it takes is timing, not behaviour.
    private static boolean positionReached(final ArchiveClient client, final long recordingId, final long position)
    {
        try
        {
            return client.getRecordingPosition(recordingId) >= position;
        }
        catch (final ClientFailure ignore)
        {
            return false;
        }
    }

    private static void unknownRecording(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final String unknown = Long.toString(UNKNOWN_ID);
        final Outcome stop = run.value("getStopPosition", List.of(unknown), () -> client.getStopPosition(UNKNOWN_ID));
        run.expectOutcome(stop, "ERROR(code=UNKNOWN_RECORDING)", "getStopPosition of an unknown recording");
        run.value("getRecordingPosition", List.of(unknown), () -> client.getRecordingPosition(UNKNOWN_ID));
        final Outcome listed = run.listing("listRecording", List.of(unknown),
            (consumer) -> client.listRecording(UNKNOWN_ID, consumer));
        run.expect(listed.ok() && listed.value() == 0, "listRecording of an unknown recording lists none");
        run.action("stopRecording", List.of(unknown), () -> client.stopRecording(UNKNOWN_ID));
        run.action("stopRecording", List.of(IPC, Integer.toString(UNUSED_STREAM_ID)),
            () -> client.stopRecording(IPC, UNUSED_STREAM_ID));
        run.close(client);
    }

    /*
     * Stream ids are any 32-bit value to Aeron, negative ones included, so a client must pass them through rather
     * than reject them: both clients have to agree with what the Archive makes of one.
     */
    private static void negativeStreamId(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final List<String> stream = List.of(IPC, Integer.toString(NEGATIVE_STREAM_ID));
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(NEGATIVE_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, NEGATIVE_STREAM_ID, RecordingSource.LOCAL));
        run.expect(subscription.ok(), "startRecording of a negative stream id succeeds");
        run.action("stopRecording", stream, () -> client.stopRecording(IPC, NEGATIVE_STREAM_ID));
        run.action("stopRecording", stream, () -> client.stopRecording(IPC, NEGATIVE_STREAM_ID));
        run.close(client);
    }

    private static void wrongStream(final ScenarioRun run)
    {
        final ClientSettings settings = run.environment().udpSettings()
            .withControlRequestStreamId(UNUSED_STREAM_ID)
            .withMessageTimeoutNs(SHORT_MESSAGE_TIMEOUT_NS);
        final long start = System.nanoTime();
        final ArchiveClient client = run.connect(settings);
        final long elapsedNs = System.nanoTime() - start;

        run.expect(client == null && run.lastOutcome().equals("TIMEOUT"),
            "connect times out, got " + run.lastOutcome());
        run.expect(elapsedNs < 3 * SHORT_MESSAGE_TIMEOUT_NS, "fails within 3 x the message timeout of " +
            TimeUnit.NANOSECONDS.toMillis(SHORT_MESSAGE_TIMEOUT_NS) + "ms, took " +
            TimeUnit.NANOSECONDS.toMillis(elapsedNs) + "ms");
    }

    private static void noDriver(final ScenarioRun run)
    {
        final String nowhere = run.environment().server().aeronDirectoryName() + "-no-driver-" +
            UUID.randomUUID().toString().substring(0, 8);
        final ArchiveClient client = run.connect(run.environment().udpSettings().withAeronDirectoryName(nowhere));
        run.expect(client == null && run.lastOutcome().equals("NO_DRIVER"),
            "connect fails for want of a driver, got " + run.lastOutcome());
    }

    private static void connectCloseCycles(final ScenarioRun run)
    {
        for (int i = 0; i < CYCLES; i++)
        {
            final ArchiveClient client = run.connect(run.environment().udpSettings());
            if (client == null)
            {
                run.expect(false, "connect " + (i + 1) + " of " + CYCLES + " succeeds");
                return;
            }
            run.close(client);
        }
    }

    /*
     * As connect-close-100, with the clients on the Archive's driver: close then ends on the Archive's position. Run on
     * the UDP transport only: on the IPC transport the clients' driver, which the leak check reads, is the Archive's,
     * whose images of the closed request publications outlive the check's wait.
     */
    private static void connectCloseCyclesOnArchiveDriver(final ScenarioRun run)
    {
        if (run.environment().transport() == ScenarioEnvironment.Transport.IPC)
        {
            run.text("skipped", List.of(), () -> "runs on the UDP transport");
            return;
        }
        for (int i = 0; i < CYCLES; i++)
        {
            final ArchiveClient client = run.connect(
                run.environment().udpOnArchiveDriverSettings(), run.environment().archiveDriverUdpTap());
            if (client == null)
            {
                run.expect(false, "connect " + (i + 1) + " of " + CYCLES + " succeeds");
                return;
            }
            run.close(client);
        }
    }
}
