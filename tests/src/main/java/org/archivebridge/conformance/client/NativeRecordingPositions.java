package org.archivebridge.conformance.client;

import org.archivebridge.NativeAeron;
import org.archivebridge.NativeRecordingPos;

import java.util.function.Supplier;

/**
 * The candidate's recording positions: NativeRecordingPos over a NativeAeron, the archive client's shared core or
 * one of its own on the client's driver (see {@link NativeRecordingEvents}), closed with it.
 */
final class NativeRecordingPositions implements RecordingPositions
{
    private final NativeAeron aeron;
    private final boolean ownsAeron;

    private NativeRecordingPositions(final NativeAeron aeron, final boolean ownsAeron)
    {
        this.aeron = aeron;
        this.ownsAeron = ownsAeron;
    }

    /**
     * @param shared a core the archive client shares with the application, or null to connect one to aeronDir.
     */
    static NativeRecordingPositions connect(final NativeAeron shared, final String aeronDir)
    {
        if (null != shared)
        {
            return new NativeRecordingPositions(shared, false);
        }
        return new NativeRecordingPositions(
            translate(() -> NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(aeronDir))), true);
    }

    public int findCounterIdByRecording(final long recordingId, final long archiveId)
    {
        return translate(() -> NativeRecordingPos.findCounterIdByRecording(aeron, recordingId, archiveId));
    }

    public int findCounterIdBySession(final int sessionId, final long archiveId)
    {
        return translate(() -> NativeRecordingPos.findCounterIdBySession(aeron, sessionId, archiveId));
    }

    public long getRecordingId(final int counterId)
    {
        return translate(() -> NativeRecordingPos.getRecordingId(aeron, counterId));
    }

    public String getSourceIdentity(final int counterId)
    {
        return translate(() -> NativeRecordingPos.getSourceIdentity(aeron, counterId));
    }

    public boolean isActive(final int counterId, final long recordingId)
    {
        return translate(() -> NativeRecordingPos.isActive(aeron, counterId, recordingId));
    }

    public long getPosition(final int counterId)
    {
        return translate(() -> NativeRecordingPos.getPosition(aeron, counterId));
    }

    public void close()
    {
        if (ownsAeron)
        {
            aeron.close();
        }
    }

    private static <T> T translate(final Supplier<T> call)
    {
        try
        {
            return call.get();
        }
        catch (final RuntimeException ex)
        {
            throw NativeArchiveClient.classify(ex);
        }
    }
}
