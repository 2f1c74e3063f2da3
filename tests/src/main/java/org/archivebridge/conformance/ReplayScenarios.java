package org.archivebridge.conformance;

import java.util.List;

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
