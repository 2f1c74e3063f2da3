package org.archivebridge.conformance.client;

/**
 * The Archive's recording position counters as a client kind's RecordingPos reads them (io.aeron.archive.status
 * .RecordingPos for AeronArchive, NativeRecordingPos for NativeArchive) from the counters of the client's own driver:
 * only a client on the Archive's driver sees them. Failures are {@link ClientFailure}s.
 */
public interface RecordingPositions extends AutoCloseable
{
    /** @return the counter of the active recording, or -1 (NULL_COUNTER_ID); archiveId -1 matches any Archive. */
    int findCounterIdByRecording(long recordingId, long archiveId);

    /** @return the counter of the active recording of a session, or -1; archiveId -1 matches any Archive. */
    int findCounterIdBySession(int sessionId, long archiveId);

    /** @return the recording a counter counts, or -1 when it is not a recording position counter. */
    long getRecordingId(int counterId);

    /** @return the recorded image's source identity, or null when it is not a recording position counter. */
    String getSourceIdentity(int counterId);

    boolean isActive(int counterId, long recordingId);

    /** @return the counter's value: the position the recording has reached. */
    long getPosition(int counterId);

    void close();
}
