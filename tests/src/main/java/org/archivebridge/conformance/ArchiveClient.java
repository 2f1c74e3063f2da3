package org.archivebridge.conformance;

import java.util.function.Consumer;

/**
 * The archive operations both clients offer, so a scenario is written once. Every failure is a
 * {@link ClientFailure}, already sorted into a category both clients can be compared on.
 */
public interface ArchiveClient extends AutoCloseable
{
    long controlSessionId();

    long archiveId();

    /** @return the subscription id of the recording. */
    long startRecording(String channel, int streamId, RecordingSource source);

    void stopRecording(String channel, int streamId);

    void stopRecording(long subscriptionId);

    long getRecordingPosition(long recordingId);

    long getStopPosition(long recordingId);

    int listRecordings(long fromRecordingId, int recordCount, Consumer<RecordingDescriptor> consumer);

    int listRecording(long recordingId, Consumer<RecordingDescriptor> consumer);

    /** Close the control session (the client sends CloseSessionRequest) and release the client. */
    void close();
}
