package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingEvent;
import org.archivebridge.conformance.client.RecordingEventsReader;
import org.archivebridge.conformance.client.RecordingPositions;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.archivebridge.conformance.scenario.RecordedStream.recordedUpTo;

/**
 * The Archive's recording events and its recording position counters, read as an application of each client's
 * kind reads them (issue 12): AeronArchive's side with Aeron's RecordingEventsAdapter, RecordingEventsPoller and
 * RecordingPos, NativeArchive's with NativeRecordingEventsAdapter, NativeRecordingEventsPoller and
 * NativeRecordingPos. The Archive publishes its events on a dynamic multi-destination-cast channel of its own
 * ({@code ArchiveServer.recordingEventsChannel()}), which clients on either transport subscribe to.
 * <p>
 * What differs between two runs by timing stays out of the transcript: how many progress events the Archive sends
 * (one per duty cycle that recorded something, so consecutive ones are recorded as the last) and events of other
 * recordings on the shared Archive. Ids the driver or the Archive assign are symbols.
 */
final class RecordingEventsScenarios
{
    private static final int EVENTS_STREAM_ID = 2701;
    private static final int EVENTS_PUBLICATION_CLOSED_STREAM_ID = 2702;
    private static final int POSITIONS_STREAM_ID = 2703;
    private static final long EVENTS_TIMEOUT_MS = 10_000;
    private static final String IPC = Scenarios.IPC;
    private static final String EVENTS_CHANNEL_LABEL = "recording events channel";
    private static final String NULL_COUNTER_ID = "NULL_COUNTER_ID";
    private static final String POS = "RecordingPos.";

    private static final List<Scenario> ALL = List.of(
        new Scenario("recording-events",
            "recording events through the adapter and the poller: started, progress up to the published position and" +
            " stopped, for a recording stopped by stopRecording",
            (run) -> recordingEvents(run, EVENTS_STREAM_ID, false)),
        new Scenario("recording-events-publication-closed",
            "recording events through the adapter and the poller for a recording that stops because its publication" +
            " closed; stopRecording afterwards removes the subscription",
            (run) -> recordingEvents(run, EVENTS_PUBLICATION_CLOSED_STREAM_ID, true)),
        // The counters are on the Archive's driver: a client on a driver of its own never sees them, so this one
        // connects on the Archive's driver whatever the transport, once per version.
        new Scenario("recording-pos",
            "RecordingPos on the Archive's driver: the counter by recording id and by session id, its recording id," +
            " source identity and position up to the published one, active while recording and not after the stop",
            RecordingEventsScenarios::recordingPositions, false),
        new Scenario("recording-pos-unknown-ids",
            "RecordingPos lookups of recording, session, archive and counter ids nobody has (-1, 0, MAX, MIN)",
            RecordingEventsScenarios::unknownIds));

    private RecordingEventsScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void recordingEvents(final ScenarioRun run, final int streamId, final boolean stopByClosing)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final RecordingEventsReader adapter = openEvents(run, client, false);
        final RecordingEventsReader poller = openEvents(run, client, true);
        try
        {
            if (null != adapter && null != poller)
            {
                final EventLog events = new EventLog(adapter, poller);
                run.expect(events.await((log) -> adapter.isConnected() && poller.isConnected()),
                    "the recording events subscriptions connect to the Archive's events publication");
                recordWithEvents(run, client, events, streamId, stopByClosing);
            }
        }
        finally
        {
            closeQuietly(adapter);
            closeQuietly(poller);
        }
        run.close(client);
    }

    private static RecordingEventsReader openEvents(
        final ScenarioRun run, final ArchiveClient client, final boolean poller)
    {
        final String channel = run.environment().server().recordingEventsChannel();
        final int streamId = run.environment().server().recordingEventsStreamId();
        final RecordingEventsReader[] reader = new RecordingEventsReader[1];
        final Outcome outcome = run.action("recordingEvents",
            List.of(EVENTS_CHANNEL_LABEL, Integer.toString(streamId), poller ? "poller" : "adapter"),
            () -> reader[0] = client.recordingEvents(channel, streamId, poller));
        run.expect(outcome.ok(), "subscribing to the recording events succeeds");
        return reader[0];
    }

    private static void recordWithEvents(
        final ScenarioRun run,
        final ArchiveClient client,
        final EventLog events,
        final int streamId,
        final boolean stopByClosing)
    {
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(streamId), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, streamId, RecordingSource.LOCAL));
        run.expect(subscription.ok(), "startRecording succeeds");
        if (!subscription.ok())
        {
            return;
        }
        final List<String> subscriptionArgs = List.of(run.symbol("subscription", subscription.value()));
        final ServerObserver observer = run.environment().observer();
        final StreamPublisher publisher =
            new StreamPublisher(observer.aeron(), Scenarios.PUBLICATION_CHANNEL, streamId);
        final long recordingId;
        final long published;
        try
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            published = publisher.publish(Scenarios.MESSAGES, Scenarios.MESSAGE_LENGTH);
            run.expect(events.await((log) -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            recordingId = observer.activeRecordingId(publisher.sessionId());
            run.expect(events.await((log) -> recordedUpTo(client, recordingId, published)),
                "the recording reaches the published position " + published);
            // The last progress event comes after the counter moved: wait for it so the stop cannot overtake it.
            run.expect(events.await((log) -> log.progressed(recordingId, published)),
                "both readers see a progress event at the published position " + published);
            if (!stopByClosing)
            {
                run.action("stopRecording", subscriptionArgs, () -> client.stopRecording(subscription.value()));
            }
        }
        finally
        {
            publisher.close();
        }
        run.expect(events.await((log) -> log.stopped(recordingId)), "both readers see the recording stop");
        if (stopByClosing)
        {
            // Without auto stop the recording subscription outlives the recording its publication ended.
            run.action("stopRecording", subscriptionArgs, () -> client.stopRecording(subscription.value()));
        }

        final String recording = run.symbol("recording", recordingId);
        final List<Map<String, String>> adapted = events.adapted(recordingId, run, publisher.sessionId());
        run.observed("adapterEvents", List.of(recording), Integer.toString(adapted.size()), adapted);
        expectLifecycle(run, adapted, "adapter", published, "-1", Long.toString(published));
        final List<Map<String, String>> polled = events.polled(recordingId, run);
        run.observed("pollerEvents", List.of(recording), Integer.toString(polled.size()), polled);
        expectLifecycle(run, polled, "poller", published, Long.toString(published), Long.toString(published));
    }

    /* START at 0, the progress events up to the published position, STOP there: what either reader must hand over. */
    private static void expectLifecycle(
        final ScenarioRun run,
        final List<Map<String, String>> events,
        final String reader,
        final long published,
        final String stopEventPosition,
        final String stopEventStopPosition)
    {
        final boolean shape = events.size() == 3 &&
            "START".equals(events.get(0).get("type")) && "0".equals(events.get(0).get("startPosition")) &&
            "PROGRESS".equals(events.get(1).get("type")) &&
            Long.toString(published).equals(events.get(1).get("position")) &&
            "STOP".equals(events.get(2).get("type")) &&
            stopEventPosition.equals(events.get(2).get("position")) &&
            stopEventStopPosition.equals(events.get(2).get("stopPosition"));
        run.expect(shape, "the " + reader + " hands over START at 0, PROGRESS up to " + published + " and STOP at " +
            published + ", got " + events);
    }

    /** What a scenario does with a connected client and its recording position counters. */
    @FunctionalInterface
    private interface PositionsBody
    {
        void run(ScenarioRun run, ArchiveClient client, RecordingPositions positions);
    }

    private static void recordingPositions(final ScenarioRun run)
    {
        withPositions(run, run.environment().ipcSettings(), RecordingEventsScenarios::recordAndReadPositions);
    }

    private static void unknownIds(final ScenarioRun run)
    {
        withPositions(run, run.environment().udpSettings(),
            (scenarioRun, client, positions) -> lookUpUnknownIds(scenarioRun, positions));
    }

    private static void withPositions(final ScenarioRun run, final ClientSettings settings, final PositionsBody body)
    {
        final ArchiveClient client = run.connect(settings);
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final RecordingPositions positions = openPositions(run, client);
        try
        {
            if (null != positions)
            {
                body.run(run, client, positions);
            }
        }
        finally
        {
            closeQuietly(positions);
        }
        run.close(client);
    }

    private static RecordingPositions openPositions(final ScenarioRun run, final ArchiveClient client)
    {
        final RecordingPositions[] positions = new RecordingPositions[1];
        final Outcome outcome = run.action("recordingPositions", List.of(),
            () -> positions[0] = client.recordingPositions());
        run.expect(outcome.ok(), "reading the recording position counters succeeds");
        return positions[0];
    }

    private static void recordAndReadPositions(
        final ScenarioRun run, final ArchiveClient client, final RecordingPositions positions)
    {
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(POSITIONS_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, POSITIONS_STREAM_ID, RecordingSource.LOCAL));
        run.expect(subscription.ok(), "startRecording succeeds");
        if (!subscription.ok())
        {
            return;
        }
        final long archiveId = run.environment().server().archiveId();
        final ServerObserver observer = run.environment().observer();
        try (StreamPublisher publisher =
            new StreamPublisher(observer.aeron(), Scenarios.PUBLICATION_CHANNEL, POSITIONS_STREAM_ID))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            final int sessionId = publisher.sessionId();
            final String session = run.symbol("session", sessionId);
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(sessionId) != -1),
                "the Archive records session " + sessionId);
            final long recordingId = observer.activeRecordingId(sessionId);
            final String recording = run.symbol("recording", recordingId);

            final int counterId = counter(run, "findCounterIdBySession", List.of(session, "archiveId"),
                () -> positions.findCounterIdBySession(sessionId, archiveId));
            run.expect(counterId != -1, "the counter is found by session id and archive id");
            final String counter = run.symbol("counter", counterId);
            run.expect(counterId == counter(run, "findCounterIdBySession", List.of(session, "-1"),
                () -> positions.findCounterIdBySession(sessionId, -1)), "any archive (-1) finds the same counter");
            run.expect(counterId == counter(run, "findCounterIdByRecording", List.of(recording, "archiveId"),
                () -> positions.findCounterIdByRecording(recordingId, archiveId)), "found by recording id alike");
            run.expect(counterId == counter(run, "findCounterIdByRecording", List.of(recording, "-1"),
                () -> positions.findCounterIdByRecording(recordingId, -1)), "any archive (-1) alike");
            run.expect(-1 == counter(run, "findCounterIdByRecording", List.of(recording, "archiveId+1"),
                () -> positions.findCounterIdByRecording(recordingId, archiveId + 1)), "another archive has none");
            run.expect(-1 == counter(run, "findCounterIdBySession", List.of(session, "archiveId+1"),
                () -> positions.findCounterIdBySession(sessionId, archiveId + 1)), "another archive has none");

            final Outcome counted = run.id("recording", POS + "getRecordingId", List.of(counter),
                () -> positions.getRecordingId(counterId));
            run.expect(counted.ok() && counted.value() == recordingId, "the counter counts the recording");
            final String identity = run.text(POS + "getSourceIdentity", List.of(counter),
                () -> positions.getSourceIdentity(counterId));
            run.expect(IPC.equals(identity), "an IPC recording's source identity is aeron:ipc, got " + identity);
            final Outcome active = run.flag(POS + "isActive", List.of(counter, recording),
                () -> positions.isActive(counterId, recordingId));
            run.expect(active.ok() && active.value() == 1, "the counter is active while recording");
            run.flag(POS + "isActive", List.of(counter, recording + "+1"),
                () -> positions.isActive(counterId, recordingId + 1));

            final long published = publisher.publish(Scenarios.MESSAGES, Scenarios.MESSAGE_LENGTH);
            run.expect(StreamPublisher.await(() -> positionReached(positions, counterId, published)),
                "the counter reaches the published position " + published);
            final Outcome position = run.value(POS + "getPosition", List.of(counter),
                () -> positions.getPosition(counterId));
            run.expect(position.ok() && position.value() == published, "the counter's position is " + published);

            run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
                () -> client.stopRecording(subscription.value()));
            run.expect(StreamPublisher.await(() -> !active(positions, counterId, recordingId)),
                "the counter goes inactive after the stop");
            final Outcome stopped = run.flag(POS + "isActive", List.of(counter, recording),
                () -> positions.isActive(counterId, recordingId));
            run.expect(stopped.ok() && stopped.value() == 0, "the counter is not active after the stop");
            run.expect(-1 == counter(run, "findCounterIdByRecording", List.of(recording, "-1"),
                () -> positions.findCounterIdByRecording(recordingId, -1)), "a stopped recording has no counter");
            run.expect(-1 == counter(run, "findCounterIdBySession", List.of(session, "-1"),
                () -> positions.findCounterIdBySession(sessionId, -1)), "nor has its session");
            run.value(POS + "getRecordingId", List.of(counter), () -> positions.getRecordingId(counterId));
        }
    }

    private static void lookUpUnknownIds(final ScenarioRun run, final RecordingPositions positions)
    {
        final long archiveId = run.environment().server().archiveId();
        final Map<String, Long> archives = new LinkedHashMap<>();
        archives.put("-1", -1L);
        archives.put("archiveId", archiveId);
        archives.put("MAX", Long.MAX_VALUE);
        for (final long recordingId : new long[] { -1, 0, Long.MAX_VALUE, Long.MIN_VALUE })
        {
            archives.forEach((archiveLabel, archive) ->
            {
                final int found = counter(run, "findCounterIdByRecording",
                    List.of(Long.toString(recordingId), archiveLabel),
                    () -> positions.findCounterIdByRecording(recordingId, archive));
                // Recording 0 may be an earlier scenario's, still active; the others are nobody's.
                run.expect(0 == recordingId || -1 == found, "no counter for recording " + recordingId);
            });
        }
        for (final int sessionId : new int[] { -1, 0, Integer.MAX_VALUE, Integer.MIN_VALUE })
        {
            archives.forEach((archiveLabel, archive) -> counter(run, "findCounterIdBySession",
                List.of(Integer.toString(sessionId), archiveLabel),
                () -> positions.findCounterIdBySession(sessionId, archive)));
        }

        // Counter 0 is the driver's own, not a recording's; the others are outside any driver's counters.
        final Outcome driverCounter =
            run.value(POS + "getRecordingId", List.of("0"), () -> positions.getRecordingId(0));
        run.expect(driverCounter.ok() && driverCounter.value() == -1, "counter 0 counts no recording");
        run.text(POS + "getSourceIdentity", List.of("0"), () -> positions.getSourceIdentity(0));
        run.flag(POS + "isActive", List.of("0", "0"), () -> positions.isActive(0, 0));
        for (final int counterId : new int[] { -1, Integer.MAX_VALUE, Integer.MIN_VALUE })
        {
            final List<String> counter = List.of(Integer.toString(counterId));
            run.value(POS + "getRecordingId", counter, () -> positions.getRecordingId(counterId));
            run.text(POS + "getSourceIdentity", counter, () -> positions.getSourceIdentity(counterId));
            run.flag(POS + "isActive", List.of(Integer.toString(counterId), "0"),
                () -> positions.isActive(counterId, 0));
            run.value(POS + "getPosition", counter, () -> positions.getPosition(counterId));
        }
    }

    /* A find, recorded as NULL_COUNTER_ID or the counter's symbol (counter ids are the driver's): -1 when none. */
    private static int counter(
        final ScenarioRun run, final String find, final List<String> arguments, final Supplier<Integer> call)
    {
        final int[] found = { -1 };
        run.text(POS + find, arguments, () ->
        {
            found[0] = call.get();
            return -1 == found[0] ? NULL_COUNTER_ID : run.symbol("counter", found[0]);
        });
        return found[0];
    }

    // Polling goes around the transcript: how many polls it takes is timing, not behaviour.
    private static boolean positionReached(
        final RecordingPositions positions, final int counterId, final long position)
    {
        try
        {
            return positions.getPosition(counterId) >= position;
        }
        catch (final ClientFailure ignore)
        {
            return false;
        }
    }

    private static boolean active(final RecordingPositions positions, final int counterId, final long recordingId)
    {
        try
        {
            return positions.isActive(counterId, recordingId);
        }
        catch (final ClientFailure ignore)
        {
            return false;
        }
    }

    private static void closeQuietly(final AutoCloseable resource)
    {
        if (null != resource)
        {
            try
            {
                resource.close();
            }
            catch (final Exception ignore)
            {
                // The driver-resource check after the run shows whether it really went.
            }
        }
    }

    /** What an adapter and a poller handed over so far; every wait of a scenario keeps both polled. */
    private static final class EventLog
    {
        private final RecordingEventsReader adapter;
        private final RecordingEventsReader poller;
        private final List<RecordingEvent> adapterEvents = new ArrayList<>();
        private final List<RecordingEvent> pollerEvents = new ArrayList<>();

        EventLog(final RecordingEventsReader adapter, final RecordingEventsReader poller)
        {
            this.adapter = adapter;
            this.poller = poller;
        }

        /** Poll both readers until the condition holds or the timeout passed. */
        boolean await(final Predicate<EventLog> condition)
        {
            final long deadline = System.currentTimeMillis() + EVENTS_TIMEOUT_MS;
            while (true)
            {
                poll();
                if (condition.test(this))
                {
                    return true;
                }
                if (System.currentTimeMillis() > deadline)
                {
                    return false;
                }
                Sleep.millis(1);
            }
        }

        private void poll()
        {
            try
            {
                adapter.poll();
                poller.poll();
            }
            catch (final ClientFailure ignore)
            {
                // A reader that fails hands over nothing more; the transcript shows what it had.
            }
            adapterEvents.addAll(adapter.take());
            pollerEvents.addAll(poller.take());
        }

        boolean progressed(final long recordingId, final long position)
        {
            return reached(adapterEvents, recordingId, position) && reached(pollerEvents, recordingId, position);
        }

        boolean stopped(final long recordingId)
        {
            return hasStop(adapterEvents, recordingId) && hasStop(pollerEvents, recordingId);
        }

        private static boolean reached(final List<RecordingEvent> events, final long recordingId, final long position)
        {
            return events.stream().anyMatch((event) -> event.recordingId() == recordingId &&
                "PROGRESS".equals(event.type()) && event.position() >= position);
        }

        private static boolean hasStop(final List<RecordingEvent> events, final long recordingId)
        {
            return events.stream().anyMatch(
                (event) -> event.recordingId() == recordingId && "STOP".equals(event.type()));
        }

        /** The adapter's events of one recording as transcript fields, a start's session named by whose it is. */
        List<Map<String, String>> adapted(final long recordingId, final ScenarioRun run, final int publisherSessionId)
        {
            final List<Map<String, String>> fields = new ArrayList<>();
            for (final RecordingEvent event : collapsed(adapterEvents, recordingId))
            {
                final Map<String, String> field = common(event, run);
                if ("START".equals(event.type()))
                {
                    field.put("sessionId", event.sessionId() == publisherSessionId ? "the publication's" :
                        run.symbol("session", event.sessionId()));
                    field.put("streamId", Integer.toString(event.streamId()));
                    field.put("channel", String.valueOf(event.channel()));
                    field.put("sourceIdentity", String.valueOf(event.sourceIdentity()));
                }
                fields.add(field);
            }
            return fields;
        }

        List<Map<String, String>> polled(final long recordingId, final ScenarioRun run)
        {
            return collapsed(pollerEvents, recordingId).stream().map((event) -> common(event, run)).toList();
        }

        private static Map<String, String> common(final RecordingEvent event, final ScenarioRun run)
        {
            final Map<String, String> field = new LinkedHashMap<>();
            field.put("type", event.type());
            field.put("recordingId", run.symbol("recording", event.recordingId()));
            field.put("startPosition", Long.toString(event.startPosition()));
            field.put("position", Long.toString(event.position()));
            field.put("stopPosition", Long.toString(event.stopPosition()));
            return field;
        }

        /*
         * One recording's events with each run of progress events cut to its last: the Archive sends one per duty
         * cycle that recorded something, so how many arrive, and at which positions on the way, is timing.
         */
        private static List<RecordingEvent> collapsed(final List<RecordingEvent> events, final long recordingId)
        {
            final List<RecordingEvent> result = new ArrayList<>();
            for (final RecordingEvent event : events)
            {
                if (event.recordingId() != recordingId)
                {
                    continue;
                }
                final boolean progressAfterProgress = "PROGRESS".equals(event.type()) && !result.isEmpty() &&
                    "PROGRESS".equals(result.get(result.size() - 1).type());
                if (progressAfterProgress)
                {
                    result.set(result.size() - 1, event);
                }
                else
                {
                    result.add(event);
                }
            }
            return result;
        }
    }
}
