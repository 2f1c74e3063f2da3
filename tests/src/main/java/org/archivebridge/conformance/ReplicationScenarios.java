package org.archivebridge.conformance;

import java.util.List;

/**
 * Replication (issue 4, item 6): a recording on the suite's archive is replicated into a second archive started for
 * the run, through the client under test connected to that second archive.
 */
final class ReplicationScenarios
{
    private static final int RECORDED_STREAM_ID = 2301;
    private static final int MESSAGES = 40;
    private static final int MESSAGE_LENGTH = 256;
    private static final long NULL_VALUE = -1;
    private static final long UNKNOWN_REPLICATION_ID = 987_654_321L;
    private static final String IPC = Scenarios.IPC;

    private static final List<Scenario> ALL = List.of(
        new Scenario("replicate-between-archives",
            "record a stream, replicate it into a second archive: same stop position; stop an unknown replication",
            ReplicationScenarios::replicateBetweenArchives));

    private ReplicationScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void replicateBetweenArchives(final ScenarioRun run)
    {
        final ClientSettings sourceSettings = run.environment().udpSettings();
        final ArchiveClient source = run.connect(sourceSettings);
        run.expect(source != null, "connect to the source archive succeeds");
        if (source == null)
        {
            return;
        }
        final long recordingId = record(run, source);
        if (recordingId == NULL_VALUE)
        {
            run.close(source);
            return;
        }
        final String recording = run.symbol("recording", recordingId);
        final Outcome sourceStop = run.value("getStopPosition", List.of(recording),
            () -> source.getStopPosition(recordingId));

        final ArchiveServer first = run.environment().server();
        final ArchiveServer second;
        try
        {
            second = ArchiveServer.start(first.logFile().getParent());
        }
        catch (final Exception ex)
        {
            run.expect(false, "a second archive starts: " + ex);
            run.close(source);
            return;
        }

        try
        {
            final ArchiveClient destination = run.connect(new ClientSettings(
                second.aeronDirectoryName(),
                second.controlChannel(),
                second.controlStreamId(),
                "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
                sourceSettings.controlResponseStreamId(),
                sourceSettings.messageTimeoutNs()));
            run.expect(destination != null, "connect to the second archive succeeds");
            if (destination != null)
            {
                replicate(run, destination, recordingId, recording, sourceStop, first);
                run.close(destination);
            }
        }
        finally
        {
            second.close();
        }
        run.close(source);
    }

    private static void replicate(
        final ScenarioRun run,
        final ArchiveClient destination,
        final long recordingId,
        final String recording,
        final Outcome sourceStop,
        final ArchiveServer first)
    {
        final Outcome replication = run.id("replication", "replicate",
            List.of(recording, Integer.toString(first.controlStreamId()), "source control channel", "NULL_POSITION"),
            () -> destination.replicate(recordingId, first.controlStreamId(), first.controlChannel(), NULL_VALUE));
        run.expect(replication.ok(), "the second archive accepts the replication");
        if (replication.ok())
        {
            // The second archive is fresh, so the copy is its recording 0; it is complete once it has a stop position.
            run.expect(StreamPublisher.await(() -> replicatedStopPosition(destination) != NULL_VALUE),
                "the replicated recording stops in the second archive");
            run.listing("listRecordings", List.of("0", "10"), (consumer) -> destination.listRecordings(0, 10, consumer));
            final Outcome copyStop = run.value("getStopPosition", List.of("replicated recording 0"),
                () -> destination.getStopPosition(0));
            run.expect(copyStop.ok() && sourceStop.ok() && copyStop.value() == sourceStop.value(),
                "the replicated recording stops where the source recording stopped (" + sourceStop.value() + ")");
        }
        run.flag("tryStopReplication", List.of("unknown"), () -> destination.tryStopReplication(UNKNOWN_REPLICATION_ID));
        run.action("stopReplication", List.of("unknown"), () -> destination.stopReplication(UNKNOWN_REPLICATION_ID));
    }

    /* Records Scenarios.IPC on the suite's archive until MESSAGES are in, stops it: its recording id, or NULL_VALUE. */
    private static long record(final ScenarioRun run, final ArchiveClient client)
    {
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(RECORDED_STREAM_ID), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, RECORDED_STREAM_ID, RecordingSource.LOCAL));
        if (!subscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            return NULL_VALUE;
        }
        final long recordingId;
        try (StreamPublisher publisher = new StreamPublisher(
            run.environment().observer().aeron(), Scenarios.PUBLICATION_CHANNEL, RECORDED_STREAM_ID))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            final long published = publisher.publish(MESSAGES, MESSAGE_LENGTH);
            final ServerObserver observer = run.environment().observer();
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != NULL_VALUE),
                "the Archive records session " + publisher.sessionId());
            recordingId = observer.activeRecordingId(publisher.sessionId());
            run.expect(StreamPublisher.await(() -> recordedUpTo(client, recordingId, published)),
                "the recording reaches " + published);
        }
        run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
            () -> client.stopRecording(subscription.value()));
        return recordingId;
    }

    private static long replicatedStopPosition(final ArchiveClient destination)
    {
        try
        {
            return destination.getStopPosition(0);
        }
        catch (final ClientFailure ignore)
        {
            return NULL_VALUE;
        }
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
