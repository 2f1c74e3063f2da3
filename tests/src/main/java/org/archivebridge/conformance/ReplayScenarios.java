package org.archivebridge.conformance;

import java.util.List;
import java.util.zip.CRC32;

/**
 * Replays and recording maintenance (issue 4, items 4 and 5): a recorded stream replayed through each client's own
 * replay() delivers the bytes that were published, and the edge cases around it.
 */
final class ReplayScenarios
{
    private static final int RECORDED_STREAM_ID = 2201;
    private static final int REPLAY_STREAM_ID = 2202;
    private static final int MESSAGES = 50;
    private static final int MESSAGE_LENGTH = 200;
    private static final long REPLAY_TIMEOUT_MS = 10_000;
    private static final String IPC = Scenarios.IPC;

    private static final List<Scenario> ALL = List.of(
        new Scenario("replay-recorded-bytes",
            "record a stream, replay it through replay(): the same bytes; replay past the end, stop replays, " +
                "truncate and purge",
            ReplayScenarios::replayRecordedBytes));

    private ReplayScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    /* What StreamPublisher.publish puts on the stream: message i is filled with the byte i. */
    private static long publishedChecksum()
    {
        final CRC32 crc = new CRC32();
        final byte[] message = new byte[MESSAGE_LENGTH];
        for (int i = 0; i < MESSAGES; i++)
        {
            java.util.Arrays.fill(message, (byte)i);
            crc.update(message);
        }
        return crc.getValue();
    }

    private static void replayRecordedBytes(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }

        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(RECORDED_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, RECORDED_STREAM_ID, RecordingSource.LOCAL));
        if (!subscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            run.close(client);
            return;
        }
        final long recordingId;
        final long published;
        try (StreamPublisher publisher = new StreamPublisher(
            run.environment().observer().aeron(), Scenarios.PUBLICATION_CHANNEL, RECORDED_STREAM_ID))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            published = publisher.publish(MESSAGES, MESSAGE_LENGTH);
            final ServerObserver observer = run.environment().observer();
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            recordingId = observer.activeRecordingId(publisher.sessionId());
            run.expect(StreamPublisher.await(() -> recordedUpTo(client, recordingId, published)),
                "the recording reaches " + published);
        }
        run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
            () -> client.stopRecording(subscription.value()));
        final String recording = run.symbol("recording", recordingId);

        // Replayed where a client of the run's transport can receive it (aeron:ipc needs the Archive's driver).
        final String replayChannel = run.environment().replayChannel();
        final String replayLabel = ScenarioEnvironment.channelLabel(replayChannel);
        final Outcome checksum = run.value("replay", List.of(recording, "0", Long.toString(published), replayLabel,
            Integer.toString(REPLAY_STREAM_ID)), () -> client.replayChecksum(recordingId, 0, published, replayChannel,
            REPLAY_STREAM_ID, (long)MESSAGES * MESSAGE_LENGTH, REPLAY_TIMEOUT_MS));
        run.expect(checksum.ok() && checksum.value() == publishedChecksum(),
            "the replay delivers the published bytes (CRC-32 " + publishedChecksum() + ")");

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

    private static boolean recordedUpTo(final ArchiveClient client, final long recordingId, final long position)
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
}
