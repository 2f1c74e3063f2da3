package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.client.ReplayOptions;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays and recording maintenance (issue 4, items 4 and 5): a recorded stream replayed through each client's own
 * replay() delivers the bytes that were published, and the edge cases around it.
 */
final class ReplayScenarios
{
    private static final int RECORDED_STREAM_ID = 2201;
    private static final int REPLAY_STREAM_ID = 2202;
    private static final int ACTIVE_STREAM_ID = 2203;
    private static final int ACTIVE_REPLAY_STREAM_ID = 2204;
    private static final long NULL_LENGTH = -1;
    private static final long LIVE_PUBLISH_DELAY_MS = 300;
    private static final int MESSAGES = 50;
    private static final int MESSAGE_LENGTH = 200;
    private static final long REPLAY_TIMEOUT_MS = 10_000;
    private static final String IPC = Scenarios.IPC;

    private static final List<Scenario> ALL = List.of(
        new Scenario("replay-recorded-bytes",
            "record a stream, replay it through replay(): the same bytes; replay past the end, stop replays, " +
                "truncate and purge",
            ReplayScenarios::replayRecordedBytes),
        new Scenario("replay-active-recording",
            "replay a recording while it is still recorded: bounded by its position counter it delivers what is " +
                "on disk and then what is recorded while it runs; startBoundedReplay, a start past the recorded " +
                "position, an unknown bounding counter",
            ReplayScenarios::replayActiveRecording));

    private ReplayScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void replayRecordedBytes(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final RecordedStream stream = RecordedStream.record(run, client, RECORDED_STREAM_ID, MESSAGES, MESSAGE_LENGTH);
        if (stream == null)
        {
            run.close(client);
            return;
        }
        final long recordingId = stream.recordingId();
        final long published = stream.published();
        final String recording = run.symbol("recording", recordingId);

        // Replayed where a client of the run's transport can receive it (aeron:ipc needs the Archive's driver).
        final String replayChannel = run.environment().replayChannel();
        final String replayLabel = ScenarioEnvironment.channelLabel(replayChannel);
        final Outcome checksum = run.value("replay", List.of(recording, "0", Long.toString(published), replayLabel,
            Integer.toString(REPLAY_STREAM_ID)), () -> client.replayChecksum(recordingId, 0, published, replayChannel,
            REPLAY_STREAM_ID, (long)MESSAGES * MESSAGE_LENGTH, REPLAY_TIMEOUT_MS));
        final long expected = RecordedStream.checksum(MESSAGES, MESSAGE_LENGTH);
        run.expect(checksum.ok() && checksum.value() == expected,
            "the replay delivers the published bytes (CRC-32 " + expected + ")");

        run.value("startReplay", List.of(recording, "past the stop position"),
            () -> client.startReplay(recordingId, published + 4096, 1024, replayChannel, REPLAY_STREAM_ID));
        // The Archive 1.51 answers OK to stopping a replay it does not know: both clients must simply agree.
        run.action("stopReplay", List.of("999999"), () -> client.stopReplay(999_999));
        run.action("stopAllReplays", List.of(recording), () -> client.stopAllReplays(recordingId));

        segments(run, client, recordingId, recording);
        run.value("truncateRecording", List.of(recording, "0"), () -> client.truncateRecording(recordingId, 0));
        run.value("getStopPosition", List.of(recording), () -> client.getStopPosition(recordingId));
        run.value("purgeRecording", List.of(recording), () -> client.purgeRecording(recordingId));
        final Outcome listed = run.listing("listRecording", List.of(recording),
            (consumer) -> client.listRecording(recordingId, consumer));
        run.expect(listed.ok() && listed.value() == 0, "a purged recording is no longer listed");
        run.close(client);
    }

    /*
     * The replay of a live recording, the way a late joiner catches up: from position 0, open-ended, bounded by the
     * recording's own position counter so it never reads past what is on disk. A second batch is published while
     * the replay runs; the replay must deliver both batches, in order, and nothing else.
     */
    private static void replayActiveRecording(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(ACTIVE_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, ACTIVE_STREAM_ID, RecordingSource.LOCAL));
        if (!subscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            run.close(client);
            return;
        }

        final ServerObserver observer = run.environment().observer();
        final String replayChannel = run.environment().replayChannel();
        final String replayLabel = ScenarioEnvironment.channelLabel(replayChannel);
        try (StreamPublisher publisher = new StreamPublisher(
            observer.aeron(), Scenarios.PUBLICATION_CHANNEL, ACTIVE_STREAM_ID))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            final long firstBatch = publisher.publish(MESSAGES, MESSAGE_LENGTH);
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            final long recordingId = observer.activeRecordingId(publisher.sessionId());
            final String recording = run.symbol("recording", recordingId);
            run.expect(StreamPublisher.await(() -> RecordedStream.recordedUpTo(client, recordingId, firstBatch)),
                "the recording reaches " + firstBatch);
            final int counterId = observer.recordingPositionCounterId(recordingId);
            run.expect(counterId != -1, "the Archive's driver has the recording's position counter");
            final String counter = run.symbol("counter", counterId);

            // Published from another thread while the replay is read; the replay's content does not depend on when.
            final AtomicLong secondBatch = new AtomicLong(-1);
            final Thread live = new Thread(() ->
            {
                Sleep.millis(LIVE_PUBLISH_DELAY_MS);
                secondBatch.set(publisher.publish(MESSAGES, MESSAGE_LENGTH));
            }, "replay-active-recording-publisher");
            live.start();
            final ReplayOptions bounded = ReplayOptions.range(0, NULL_LENGTH).withBoundingLimitCounterId(counterId);
            final Outcome checksum = run.value("replay",
                List.of(recording, "0", "open-ended", "bounded by " + counter, replayLabel,
                    Integer.toString(ACTIVE_REPLAY_STREAM_ID)),
                () -> client.replayChecksum(recordingId, replayChannel, ACTIVE_REPLAY_STREAM_ID, bounded,
                    2L * MESSAGES * MESSAGE_LENGTH, REPLAY_TIMEOUT_MS));
            join(live);
            run.expect(secondBatch.get() == 2 * firstBatch, "the second batch is published, up to " + 2 * firstBatch);
            final long expected = RecordedStream.checksum(2, MESSAGES, MESSAGE_LENGTH);
            run.expect(checksum.ok() && checksum.value() == expected,
                "the replay delivers the recorded and then the live bytes (CRC-32 " + expected + ")");

            final Outcome boundedReplay = run.id("replay", "startBoundedReplay",
                List.of(recording, "0", "open-ended", counter, replayLabel, Integer.toString(ACTIVE_REPLAY_STREAM_ID)),
                () -> client.startBoundedReplay(
                    recordingId, 0, NULL_LENGTH, counterId, replayChannel, ACTIVE_REPLAY_STREAM_ID));
            if (boundedReplay.ok())
            {
                run.action("stopReplay", List.of(run.symbol("replay", boundedReplay.value())),
                    () -> client.stopReplay(boundedReplay.value()));
            }
            // Whether the Archive refuses these or starts a replay, both clients must report the same.
            stopIfStarted(run, client, run.id("replay", "startReplay",
                List.of(recording, "past the recorded position", replayLabel),
                () -> client.startReplay(recordingId, 4 * firstBatch, 1024, replayChannel, ACTIVE_REPLAY_STREAM_ID)));
            stopIfStarted(run, client, run.id("replay", "startBoundedReplay",
                List.of(recording, "unknown counter", replayLabel),
                () -> client.startBoundedReplay(
                    recordingId, 0, NULL_LENGTH, 999_999, replayChannel, ACTIVE_REPLAY_STREAM_ID)));

            run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
                () -> client.stopRecording(subscription.value()));
            run.value("getStopPosition", List.of(recording), () -> client.getStopPosition(recordingId));
        }
        run.close(client);
    }

    private static void stopIfStarted(final ScenarioRun run, final ArchiveClient client, final Outcome replay)
    {
        if (replay.ok())
        {
            run.action("stopReplay", List.of(run.symbol("replay", replay.value())),
                () -> client.stopReplay(replay.value()));
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(REPLAY_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /* Segment maintenance on a recording shorter than one segment file: nothing to detach, but both clients must
     * send the same requests and agree on every answer; and a channel update shows in the listing. */
    private static void segments(
        final ScenarioRun run, final ArchiveClient client, final long recordingId, final String recording)
    {
        run.action("detachSegments", List.of(recording, "0"), () -> client.detachSegments(recordingId, 0));
        run.value("deleteDetachedSegments", List.of(recording), () -> client.deleteDetachedSegments(recordingId));
        run.value("purgeSegments", List.of(recording, "0"), () -> client.purgeSegments(recordingId, 0));
        run.value("attachSegments", List.of(recording), () -> client.attachSegments(recordingId));
        run.value("migrateSegments", List.of(recording, recording),
            () -> client.migrateSegments(recordingId, recordingId));
        final String renamed = "aeron:ipc?alias=renamed-by-scenario";
        run.action("updateChannel", List.of(recording, renamed), () -> client.updateChannel(recordingId, renamed));
        run.listing("listRecording", List.of(recording), (consumer) -> client.listRecording(recordingId, consumer));
    }

}
