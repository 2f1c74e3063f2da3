package org.archivebridge.conformance.scenario;

import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordedPublication;
import org.archivebridge.conformance.client.RecordingDescriptor;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.client.SignalLog;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.nio.ByteBuffer;
import java.util.List;

import static org.archivebridge.conformance.scenario.RecordedStream.recordedUpTo;

/**
 * Recording management beyond start and stop, the listings, recording signals and asynchronous errors: one scenario
 * per behaviour of issue 4's items 2, 3 and 7, with the edge cases users meet. Each uses its own stream ids, since
 * recordings outlive a scenario on the shared server; listings start from this run's recording for the same reason.
 */
final class RecordingScenarios
{
    private static final int LIFECYCLE_STREAM_ID = 2001;
    private static final int EDGE_STREAM_ID = 2002;
    private static final int LONG_CHANNEL_STREAM_ID = 2003;
    /** The concurrent recorded publication's stream; the exclusive one uses the next. */
    private static final int RECORDED_PUBLICATION_STREAM_ID = 2004;
    /** Longer than the control response MTU, so its descriptor arrives in several fragments. */
    private static final int LONG_ALIAS_LENGTH = 3000;
    private static final long SIGNAL_TIMEOUT_MS = 5_000;
    private static final String IPC = Scenarios.IPC;

    private static final List<Scenario> ALL = List.of(
        new Scenario("recording-lifecycle",
            "auto-stop recording: positions, find, list for URI and subscriptions, try-stop, signals, extend",
            RecordingScenarios::lifecycle),
        new Scenario("recording-edge-cases",
            "recording twice, stopping what does not exist, unknown ids, no match, empty channel, closed client",
            RecordingScenarios::edgeCases),
        new Scenario("long-channel-listing",
            "a recording whose channel is several KiB: its descriptor arrives fragmented and is reassembled",
            RecordingScenarios::longChannel),
        new Scenario("recorded-publication",
            "addRecordedPublication and addRecordedExclusivePublication: publish, positions, stop by publication," +
            " the descriptor; a second concurrent one on the same stream is refused",
            RecordingScenarios::recordedPublications));

    private RecordingScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void lifecycle(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final String streamId = Integer.toString(LIFECYCLE_STREAM_ID);
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, streamId, RecordingSource.LOCAL.name(), "autoStop=true"),
            () -> client.startRecording(IPC, LIFECYCLE_STREAM_ID, RecordingSource.LOCAL, true));
        run.expect(subscription.ok(), "startRecording with auto stop succeeds");
        if (!subscription.ok())
        {
            run.close(client);
            return;
        }
        final String subscriptionSymbol = run.symbol("subscription", subscription.value());

        try (StreamPublisher publisher = new StreamPublisher(
            run.environment().observer().aeron(), Scenarios.PUBLICATION_CHANNEL, LIFECYCLE_STREAM_ID))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            final long published = publisher.publish(Scenarios.MESSAGES, Scenarios.MESSAGE_LENGTH);
            final ServerObserver observer = run.environment().observer();
            if (!StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1))
            {
                run.expect(false, "the Archive starts a recording of session " + publisher.sessionId());
                run.action("stopRecording", List.of(subscriptionSymbol),
                    () -> client.stopRecording(subscription.value()));
                run.close(client);
                return;
            }
            final long recordingId = observer.activeRecordingId(publisher.sessionId());
            final String recording = run.symbol("recording", recordingId);
            run.expect(StreamPublisher.await(() -> recordedUpTo(client, recordingId, published)),
                "the recording position reaches the published position " + published);

            final Outcome start = run.value("getStartPosition", List.of(recording),
                () -> client.getStartPosition(recordingId));
            run.expect(start.ok() && start.value() == 0, "start position is 0");
            final Outcome max = run.value("getMaxRecordedPosition", List.of(recording),
                () -> client.getMaxRecordedPosition(recordingId));
            run.expect(max.ok() && max.value() == published, "max recorded position is " + published);

            final Outcome found = run.id("recording", "findLastMatchingRecording",
                List.of("0", IPC, streamId, "session"),
                () -> client.findLastMatchingRecording(0, IPC, LIFECYCLE_STREAM_ID, publisher.sessionId()));
            run.expect(found.ok() && found.value() == recordingId, "findLastMatchingRecording finds the recording");

            final Outcome forUri = run.listing("listRecordingsForUri", List.of(recording, "10", IPC, streamId),
                (consumer) -> client.listRecordingsForUri(recordingId, 10, IPC, LIFECYCLE_STREAM_ID, consumer));
            run.expect(forUri.ok() && forUri.value() == 1, "listRecordingsForUri lists the recording");
            final Outcome subscriptions = run.subscriptionListing("listRecordingSubscriptions",
                List.of("0", "10", IPC, streamId, "applyStreamId=true"),
                (consumer) -> client.listRecordingSubscriptions(0, 10, IPC, LIFECYCLE_STREAM_ID, true, consumer));
            run.expect(subscriptions.ok() && subscriptions.value() == 1, "listRecordingSubscriptions lists one");

            final Outcome stopped = run.flag("tryStopRecording", List.of(subscriptionSymbol),
                () -> client.tryStopRecording(subscription.value()));
            run.expect(stopped.ok() && stopped.value() == 1, "tryStopRecording stops the recording");
            final Outcome again = run.flag("tryStopRecording", List.of(subscriptionSymbol),
                () -> client.tryStopRecording(subscription.value()));
            run.expect(again.ok() && again.value() == 0, "a second tryStopRecording finds nothing to stop");
            final Outcome stop = run.value("getStopPosition", List.of(recording),
                () -> client.getStopPosition(recordingId));
            run.expect(stop.ok() && stop.value() == published, "stop position is " + published);

            final List<SignalLog.Signal> signals = run.signals(client, 2, SIGNAL_TIMEOUT_MS, List.of());
            run.expect(signals.size() >= 2 && "START".equals(signals.get(0).signal()) &&
                "STOP".equals(signals.get(signals.size() - 1).signal()),
                "recording signals START then STOP, got " + signals);

            extend(run, client, publisher, recordingId, recording);
        }
        run.close(client);
    }

    /* The stopped recording goes on from its stop position with the same publication, then stops by identity. */
    private static void extend(
        final ScenarioRun run,
        final ArchiveClient client,
        final StreamPublisher publisher,
        final long recordingId,
        final String recording)
    {
        final Outcome extension = run.id("subscription", "extendRecording",
            List.of(recording, IPC, Integer.toString(LIFECYCLE_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.extendRecording(recordingId, IPC, LIFECYCLE_STREAM_ID, RecordingSource.LOCAL));
        run.expect(extension.ok(), "extendRecording succeeds");
        if (!extension.ok())
        {
            return;
        }
        final ServerObserver observer = run.environment().observer();
        run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) == recordingId),
            "the Archive extends the recording");
        final List<SignalLog.Signal> signals = run.signals(client, 1, SIGNAL_TIMEOUT_MS, List.of());
        run.expect(!signals.isEmpty() && "EXTEND".equals(signals.get(0).signal()), "signal EXTEND, got " + signals);

        final Outcome stopped = run.flag("tryStopRecordingByIdentity", List.of(recording),
            () -> client.tryStopRecordingByIdentity(recordingId));
        run.expect(stopped.ok() && stopped.value() == 1, "tryStopRecordingByIdentity stops the extension");
        final Outcome again = run.flag("tryStopRecordingByIdentity", List.of(recording),
            () -> client.tryStopRecordingByIdentity(recordingId));
        run.expect(again.ok() && again.value() == 0, "a second tryStopRecordingByIdentity finds it inactive");
        // The extension's subscription outlives the stopped recording unless auto stop was asked for.
        run.flag("tryStopRecording", List.of(run.symbol("subscription", extension.value())),
            () -> client.tryStopRecording(extension.value()));
    }

    private static void edgeCases(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final String streamId = Integer.toString(EDGE_STREAM_ID);
        final List<String> stream = List.of(IPC, streamId, RecordingSource.LOCAL.name());
        final Outcome first = run.id("subscription", "startRecording", stream,
            () -> client.startRecording(IPC, EDGE_STREAM_ID, RecordingSource.LOCAL));
        run.expect(first.ok(), "startRecording succeeds");
        final Outcome second = run.id("subscription", "startRecording", stream,
            () -> client.startRecording(IPC, EDGE_STREAM_ID, RecordingSource.LOCAL));
        run.expectOutcome(second, "ERROR(code=ACTIVE_SUBSCRIPTION)", "recording the same stream twice");
        if (first.ok())
        {
            run.action("stopRecording", List.of(run.symbol("subscription", first.value())),
                () -> client.stopRecording(first.value()));
        }

        final String unknown = Long.toString(Scenarios.UNKNOWN_ID);
        final Outcome nothing = run.flag("tryStopRecording", List.of(IPC, Integer.toString(Scenarios.UNUSED_STREAM_ID)),
            () -> client.tryStopRecording(IPC, Scenarios.UNUSED_STREAM_ID));
        run.expect(nothing.ok() && nothing.value() == 0, "tryStopRecording of an unrecorded stream is false");
        final Outcome unknownSubscription = run.flag("tryStopRecording", List.of(unknown),
            () -> client.tryStopRecording(Scenarios.UNKNOWN_ID));
        run.expect(unknownSubscription.ok() && unknownSubscription.value() == 0,
            "tryStopRecording of an unknown subscription is false");
        run.flag("tryStopRecordingByIdentity", List.of(unknown),
            () -> client.tryStopRecordingByIdentity(Scenarios.UNKNOWN_ID));
        final Outcome start = run.value("getStartPosition", List.of(unknown),
            () -> client.getStartPosition(Scenarios.UNKNOWN_ID));
        run.expectOutcome(start, "ERROR(code=UNKNOWN_RECORDING)", "getStartPosition of an unknown recording");
        run.value("getMaxRecordedPosition", List.of(unknown), () -> client.getMaxRecordedPosition(Scenarios.UNKNOWN_ID));

        final String noMatch = "aeron:udp?endpoint=no-such-host:1";
        final Outcome found = run.value("findLastMatchingRecording", List.of("0", noMatch, streamId, "1"),
            () -> client.findLastMatchingRecording(0, noMatch, EDGE_STREAM_ID, 1));
        run.expect(found.ok() && found.value() == -1, "findLastMatchingRecording with no match answers -1");
        final Outcome forUri = run.listing("listRecordingsForUri", List.of("0", "10", noMatch, streamId),
            (consumer) -> client.listRecordingsForUri(0, 10, noMatch, EDGE_STREAM_ID, consumer));
        run.expect(forUri.ok() && forUri.value() == 0, "listRecordingsForUri with no match lists none");
        final Outcome subscriptions = run.subscriptionListing("listRecordingSubscriptions",
            List.of("0", "10", noMatch, streamId, "applyStreamId=true"),
            (consumer) -> client.listRecordingSubscriptions(0, 10, noMatch, EDGE_STREAM_ID, true, consumer));
        run.expect(subscriptions.ok() && subscriptions.value() == 0, "listRecordingSubscriptions with no match");

        final Outcome empty = run.id("subscription", "startRecording", List.of("", streamId, "LOCAL"),
            () -> client.startRecording("", EDGE_STREAM_ID, RecordingSource.LOCAL));
        run.expect(!empty.ok(), "startRecording of an empty channel fails");

        final String error = run.text("pollForErrorResponse", List.of(), client::pollForErrorResponse);
        run.expect(error == null, "no error waiting, got " + error);
        run.action("checkForErrorResponse", List.of(), client::checkForErrorResponse);
        run.close(client);

        final Outcome closed = run.id("subscription", "startRecording", stream,
            () -> client.startRecording(IPC, EDGE_STREAM_ID, RecordingSource.LOCAL));
        run.expectOutcome(closed, "CLOSED", "a call on a closed client");
    }

    private static void longChannel(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final String channel = IPC + "?alias=" + "a".repeat(LONG_ALIAS_LENGTH);
        final String streamId = Integer.toString(LONG_CHANNEL_STREAM_ID);
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of("aeron:ipc?alias=a*" + LONG_ALIAS_LENGTH, streamId, RecordingSource.LOCAL.name()),
            () -> client.startRecording(channel, LONG_CHANNEL_STREAM_ID, RecordingSource.LOCAL));
        run.expect(subscription.ok(), "startRecording of a " + channel.length() + "-byte channel succeeds");
        if (!subscription.ok())
        {
            run.close(client);
            return;
        }

        try (StreamPublisher publisher = new StreamPublisher(
            run.environment().observer().aeron(), Scenarios.PUBLICATION_CHANNEL, LONG_CHANNEL_STREAM_ID))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            final long published = publisher.publish(1, Scenarios.MESSAGE_LENGTH);
            final ServerObserver observer = run.environment().observer();
            final boolean started = StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1);
            run.expect(started, "the Archive starts a recording of session " + publisher.sessionId());
            final long recordingId = observer.activeRecordingId(publisher.sessionId());
            // Stop only once the message is on disk, so the stop position is the same on every run.
            run.expect(started && StreamPublisher.await(() -> recordedUpTo(client, recordingId, published)),
                "the recording reaches the published position " + published);
            run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
                () -> client.stopRecording(subscription.value()));
            if (started)
            {
                final int[] originalLength = new int[1];
                final Outcome listed = run.listing("listRecording", List.of(run.symbol("recording", recordingId)),
                    (consumer) -> client.listRecording(recordingId, (descriptor) ->
                    {
                        originalLength[0] = descriptor.originalChannel().length();
                        consumer.accept(descriptor);
                    }));
                run.expect(listed.ok() && listed.value() == 1 && originalLength[0] == channel.length(),
                    "the descriptor carries the whole " + channel.length() + "-byte channel, got " + originalLength[0]);
            }
        }
        run.close(client);
    }

    /*
     * The publication lives on the client's own Aeron client, so the scenario connects over IPC, on the Archive's
     * driver, in both transport cells: an IPC publication on a driver of the client's own never reaches the Archive.
     */
    private static void recordedPublications(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().ipcSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        recordPublication(run, client, false);
        recordPublication(run, client, true);
        run.close(client);
    }

    private static void recordPublication(final ScenarioRun run, final ArchiveClient client, final boolean exclusive)
    {
        final int streamId = RECORDED_PUBLICATION_STREAM_ID + (exclusive ? 1 : 0);
        final String channel = Scenarios.PUBLICATION_CHANNEL;
        final String operation = exclusive ? "addRecordedExclusivePublication" : "addRecordedPublication";
        final List<String> stream = List.of(channel, Integer.toString(streamId));
        final RecordedPublication[] added = new RecordedPublication[1];
        run.action(operation, stream, () -> added[0] = client.addRecordedPublication(channel, streamId, exclusive));
        run.expect(added[0] != null, operation + " succeeds");
        if (added[0] == null)
        {
            return;
        }

        try (RecordedPublication publication = added[0])
        {
            if (!exclusive)
            {
                final Outcome twice = run.action(operation, stream,
                    () -> client.addRecordedPublication(channel, streamId, false).close());
                run.expectOutcome(twice, "ERROR(code=GENERIC)", "a second recorded publication on the same stream");
            }
            final ServerObserver observer = run.environment().observer();
            final int sessionId = publication.sessionId();
            final List<String> byPublication = List.of(operation + "(" + streamId + ")");
            if (!StreamPublisher.await(() -> observer.activeRecordingId(sessionId) != -1))
            {
                run.expect(false, "the Archive starts a recording of session " + sessionId);
                run.action("stopRecording", byPublication, () -> client.stopRecording(publication));
                return;
            }
            final long recordingId = observer.activeRecordingId(sessionId);
            final String recording = run.symbol("recording", recordingId);
            final long published = publish(publication);
            run.expect(published > 0 && StreamPublisher.await(() -> recordedUpTo(client, recordingId, published)),
                "the recording reaches the position published through the recorded publication, " + published);

            final Outcome position = run.value("getRecordingPosition", List.of(recording),
                () -> client.getRecordingPosition(recordingId));
            run.expect(position.ok() && position.value() == published, "recording position is " + published);
            run.action("stopRecording", byPublication, () -> client.stopRecording(publication));
            final Outcome stop = run.value("getStopPosition", List.of(recording),
                () -> client.getStopPosition(recordingId));
            run.expect(stop.ok() && stop.value() == published, "stop position is " + published);
            final Outcome listed = run.listing("listRecording", List.of(recording), (consumer) ->
                client.listRecording(recordingId, (descriptor) -> consumer.accept(sessionAsSymbol(run, descriptor))));
            run.expect(listed.ok() && listed.value() == 1, "listRecording finds the recording of the publication");
            final Outcome again = run.action("stopRecording", byPublication, () -> client.stopRecording(publication));
            run.expect(!again.ok(), "stopping the publication's recording a second time fails");
        }
    }

    /** Publish the standard messages through the recorded publication: the position after the last, or -1. */
    private static long publish(final RecordedPublication publication)
    {
        final int length = Scenarios.MESSAGE_LENGTH;
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(length));
        for (int i = 0; i < Scenarios.MESSAGES; i++)
        {
            buffer.setMemory(0, length, (byte)i);
            if (!StreamPublisher.await(() -> publication.offer(buffer, 0, length) > 0))
            {
                return -1;
            }
        }
        return publication.position();
    }

    /* A recorded publication's channels carry its session id, which differs from run to run: name it as a symbol. */
    static RecordingDescriptor sessionAsSymbol(final ScenarioRun run, final RecordingDescriptor d)
    {
        final String id = "session-id=" + d.sessionId();
        final String symbol = "session-id=" + run.symbol("session", d.sessionId());
        return new RecordingDescriptor(d.controlSessionId(), d.correlationId(), d.recordingId(), d.startTimestamp(),
            d.stopTimestamp(), d.startPosition(), d.stopPosition(), d.initialTermId(), d.segmentFileLength(),
            d.termBufferLength(), d.mtuLength(), d.sessionId(), d.streamId(), d.strippedChannel().replace(id, symbol),
            d.originalChannel().replace(id, symbol), d.sourceIdentity());
    }
}
