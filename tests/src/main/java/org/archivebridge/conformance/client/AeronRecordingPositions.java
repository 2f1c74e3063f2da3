package org.archivebridge.conformance.client;

import io.aeron.archive.status.RecordingPos;
import org.agrona.concurrent.status.CountersReader;

import java.util.function.Supplier;

/** The reference's recording positions: Aeron's RecordingPos over an Aeron client's CountersReader. */
final class AeronRecordingPositions implements RecordingPositions
{
    private final CountersReader counters;

    AeronRecordingPositions(final CountersReader counters)
    {
        this.counters = counters;
    }

    public int findCounterIdByRecording(final long recordingId, final long archiveId)
    {
        return translate(() -> RecordingPos.findCounterIdByRecording(counters, recordingId, archiveId));
    }

    public int findCounterIdBySession(final int sessionId, final long archiveId)
    {
        return translate(() -> RecordingPos.findCounterIdBySession(counters, sessionId, archiveId));
    }

    public long getRecordingId(final int counterId)
    {
        return translate(() -> RecordingPos.getRecordingId(counters, counterId));
    }

    public String getSourceIdentity(final int counterId)
    {
        return translate(() -> RecordingPos.getSourceIdentity(counters, counterId));
    }

    public boolean isActive(final int counterId, final long recordingId)
    {
        return translate(() -> RecordingPos.isActive(counters, counterId, recordingId));
    }

    public long getPosition(final int counterId)
    {
        return translate(() -> counters.getCounterValue(counterId));
    }

    /** The counters belong to AeronArchive's Aeron client, which closes with it. */
    public void close()
    {
    }

    private static <T> T translate(final Supplier<T> call)
    {
        try
        {
            return call.get();
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }
}
