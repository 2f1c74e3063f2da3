package org.archivebridge.conformance;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.exceptions.TimeoutException;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** The reference: Aeron's own {@link AeronArchive}, which owns the Aeron client its context creates. */
final class JavaArchiveClient implements FaultyClose
{
    private final AeronArchive archive;

    private JavaArchiveClient(final AeronArchive archive)
    {
        this.archive = archive;
    }

    static JavaArchiveClient connect(final ClientSettings settings)
    {
        final AeronArchive.Context context = new AeronArchive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(settings.messageTimeoutNs());
        return new JavaArchiveClient(translate(() -> AeronArchive.connect(context)));
    }

    public long controlSessionId()
    {
        return archive.controlSessionId();
    }

    public long archiveId()
    {
        return translate(archive::archiveId);
    }

    public long startRecording(final String channel, final int streamId, final RecordingSource source)
    {
        final SourceLocation location = source == RecordingSource.LOCAL ? SourceLocation.LOCAL : SourceLocation.REMOTE;
        return translate(() -> archive.startRecording(channel, streamId, location));
    }

    public void stopRecording(final String channel, final int streamId)
    {
        run(() -> archive.stopRecording(channel, streamId));
    }

    public void stopRecording(final long subscriptionId)
    {
        run(() -> archive.stopRecording(subscriptionId));
    }

    public long getRecordingPosition(final long recordingId)
    {
        return translate(() -> archive.getRecordingPosition(recordingId));
    }

    public long getStopPosition(final long recordingId)
    {
        return translate(() -> archive.getStopPosition(recordingId));
    }

    public int listRecordings(
        final long fromRecordingId, final int recordCount, final Consumer<RecordingDescriptor> consumer)
    {
        return translate(() -> archive.listRecordings(fromRecordingId, recordCount, adapt(consumer)));
    }

    public int listRecording(final long recordingId, final Consumer<RecordingDescriptor> consumer)
    {
        return translate(() -> archive.listRecording(recordingId, adapt(consumer)));
    }

    public void close()
    {
        run(archive::close);
    }

    /** Closes the Aeron client under AeronArchive, so its publication goes without a CloseSessionRequest. */
    public void releaseWithoutClosingSession()
    {
        archive.context().aeron().close();
    }

    private static io.aeron.archive.client.RecordingDescriptorConsumer adapt(
        final Consumer<RecordingDescriptor> consumer)
    {
        return (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) -> consumer.accept(new RecordingDescriptor(
            controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity));
    }

    private static void run(final Runnable action)
    {
        translate(() ->
        {
            action.run();
            return null;
        });
    }

    // Boxing keeps one translation point for every result type; these calls are nowhere near a hot path.
    private static <T> T translate(final Supplier<T> action)
    {
        try
        {
            return action.get();
        }
        catch (final RuntimeException ex)
        {
            throw classify(ex);
        }
    }

    // DriverTimeoutException is a TimeoutException: the narrower type must be tested first.
    static ClientFailure classify(final RuntimeException ex)
    {
        if (ex instanceof DriverTimeoutException)
        {
            return ClientFailure.of(ClientFailure.Category.NO_DRIVER, ex);
        }
        if (ex instanceof TimeoutException)
        {
            return ClientFailure.of(ClientFailure.Category.TIMEOUT, ex);
        }
        if (ex instanceof ArchiveException archiveEx)
        {
            return "client is closed".equals(archiveEx.getMessage()) ?
                ClientFailure.of(ClientFailure.Category.CLOSED, ex) :
                ClientFailure.archiveError(archiveEx.errorCode(), ex);
        }
        return ClientFailure.of(ClientFailure.Category.OTHER, ex);
    }
}
