package org.archivebridge.migration;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.ReplicationParams;
import io.aeron.archive.codecs.RecordingSignal;
import io.aeron.archive.codecs.SourceLocation;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An application written against AeronArchive: connect, record, list, replay, replicate, and catch an
 * ArchiveException. ArchiveMigrationTest compiles this very source a second time with the handle types replaced
 * (AeronArchive by NativeArchive, Aeron by NativeAeron, Publication and Subscription by NativePublication and
 * NativeSubscription) and runs both against the same Archive. What it prints holds no id or time that differs
 * between two runs, so the two outputs must be equal. The application has a Media Driver of its own, apart from the
 * Archive's: its streams reach the Archive over UDP, recorded as REMOTE.
 */
public final class ArchiveMigrationProgram
{
    private static final int MESSAGES = 10;
    private static final int MESSAGE_LENGTH = 100;
    private static final long UNKNOWN_RECORDING_ID = 999_999;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private ArchiveMigrationProgram()
    {
    }

    public static List<String> run(
        final String aeronDirectoryName,
        final String controlRequestChannel,
        final int controlRequestStreamId,
        final String controlResponseChannel,
        final int controlResponseStreamId,
        final String channel,
        final String replayChannel,
        final int streamId)
    {
        final List<String> out = new ArrayList<>();
        final List<long[]> replicationEnds = new ArrayList<>();
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(controlRequestChannel)
                .controlRequestStreamId(controlRequestStreamId)
                .controlResponseChannel(controlResponseChannel)
                .controlResponseStreamId(controlResponseStreamId)
                .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position,
                    signal) ->
                {
                    if (RecordingSignal.REPLICATE_END == signal)
                    {
                        replicationEnds.add(new long[]{ recordingId });
                    }
                })))
        {
            final long subscriptionId = archive.startRecording(channel, streamId, SourceLocation.REMOTE);
            final long recordingId;
            try (Publication publication = aeron.addPublication(channel, streamId))
            {
                final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
                for (int i = 0; i < MESSAGES; i++)
                {
                    message.putInt(0, i);
                    final int index = i;
                    await(() -> publication.offer(message, 0, MESSAGE_LENGTH) > 0, "offer " + index);
                }
                final long[] found = { -1 };
                await(() -> (found[0] = archive.findLastMatchingRecording(
                    0, "aeron:udp", streamId, publication.sessionId())) >= 0, "the recording");
                recordingId = found[0];
                final long end = publication.position();
                await(() -> archive.getRecordingPosition(recordingId) >= end, "the recording reaching " + end);
            }
            archive.stopRecording(subscriptionId);
            await(() -> archive.getStopPosition(recordingId) != AeronArchive.NULL_POSITION, "the recording stops");

            archive.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp, stopTimestamp,
                startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
                recordedStreamId, strippedChannel, originalChannel, sourceIdentity) ->
                out.add("listed streamIdAsGiven=" + (recordedStreamId == streamId) +
                    " length=" + (stopPosition - startPosition) + " termBufferLength=" + termBufferLength +
                    " channelAsGiven=" + channel.equals(strippedChannel)));

            final long length = archive.getStopPosition(recordingId) - archive.getStartPosition(recordingId);
            try (Subscription replay = archive.replay(recordingId, 0, length, replayChannel, streamId + 1))
            {
                final int[] counts = new int[2];
                await(() ->
                {
                    replay.poll((buffer, offset, fragmentLength, header) ->
                    {
                        counts[0]++;
                        counts[1] += buffer.getInt(offset);
                    }, 10);
                    return counts[0] == MESSAGES;
                }, "the replay");
                out.add("replayed messages=" + counts[0] + " sumOfIndices=" + counts[1]);
            }

            archive.replicate(recordingId, controlRequestStreamId, controlRequestChannel, new ReplicationParams());
            await(() ->
            {
                archive.pollForRecordingSignals();
                return !replicationEnds.isEmpty();
            }, "the replication's end");
            final long replicaId = replicationEnds.get(0)[0];
            await(() -> archive.getStopPosition(replicaId) != AeronArchive.NULL_POSITION, "the replica stops");
            out.add("replicated length=" + (archive.getStopPosition(replicaId) - archive.getStartPosition(replicaId)) +
                " newRecording=" + (replicaId != recordingId));

            try
            {
                archive.getStopPosition(UNKNOWN_RECORDING_ID);
                out.add("no error");
            }
            catch (final ArchiveException ex)
            {
                out.add("error code=" + ArchiveException.errorCodeAsString(ex.errorCode()) +
                    " correlationIdIsTheRequests=" + (ex.correlationId() == archive.lastCorrelationId()) +
                    " category=" + ex.category());
            }
        }
        return out;
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("timed out awaiting " + what);
            }
            Thread.yield();
        }
    }
}
