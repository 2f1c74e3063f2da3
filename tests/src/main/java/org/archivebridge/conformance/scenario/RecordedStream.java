package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import static org.archivebridge.conformance.scenario.Scenarios.IPC;

/**
 * A finished recording for the scenarios that replay, replicate or inspect one: the client under test starts
 * recording {@link Scenarios#IPC} on a stream of the scenario's own, the suite publishes the messages on the
 * Archive's driver (message i filled with the byte i), waits until the recording holds them all, and the client
 * stops the recording. The steps go into the run's transcript like any other.
 *
 * @param recordingId the Archive's id of the recording.
 * @param published   the stream position after the last message: the recording's stop position.
 */
record RecordedStream(long recordingId, long published)
{
    /**
     * @return the finished recording, or null when it could not be started (the run has the failed expectation).
     */
    static RecordedStream record(
        final ScenarioRun run, final ArchiveClient client, final int streamId, final int messages,
        final int messageLength)
    {
        final Outcome subscription = run.id("subscription", "startRecording",
            List.of(IPC, Integer.toString(streamId), RecordingSource.LOCAL.name()),
            () -> client.startRecording(IPC, streamId, RecordingSource.LOCAL));
        if (!subscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            return null;
        }
        final long recordingId;
        final long published;
        try (StreamPublisher publisher = new StreamPublisher(
            run.environment().observer().aeron(), Scenarios.PUBLICATION_CHANNEL, streamId))
        {
            run.expect(publisher.awaitConnected(), "the recording subscribes to the published stream");
            published = publisher.publish(messages, messageLength);
            final ServerObserver observer = run.environment().observer();
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            recordingId = observer.activeRecordingId(publisher.sessionId());
            run.expect(StreamPublisher.await(() -> recordedUpTo(client, recordingId, published)),
                "the recording reaches " + published);
        }
        run.action("stopRecording", List.of(run.symbol("subscription", subscription.value())),
            () -> client.stopRecording(subscription.value()));
        return new RecordedStream(recordingId, published);
    }

    /**
     * @return the CRC-32 of what {@link StreamPublisher#publish} puts on the stream, which a replay must deliver.
     */
    static long checksum(final int messages, final int messageLength)
    {
        return checksum(1, messages, messageLength);
    }

    /**
     * @return the CRC-32 of that many {@link StreamPublisher#publish} batches, one after the other.
     */
    static long checksum(final int batches, final int messages, final int messageLength)
    {
        final CRC32 crc = new CRC32();
        final byte[] message = new byte[messageLength];
        for (int batch = 0; batch < batches; batch++)
        {
            for (int i = 0; i < messages; i++)
            {
                Arrays.fill(message, (byte)i);
                crc.update(message);
            }
        }
        return crc.getValue();
    }

    /*
     * Whether the active recording holds position; a failing call (the recording not yet known) counts as not yet.
     * The polls go around the transcript: how many it takes is timing, not behaviour.
     */
    static boolean recordedUpTo(final ArchiveClient client, final long recordingId, final long position)
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
