package org.archivebridge;

/**
 * Receives the recording descriptors of a listing, with the parameters of
 * {@code io.aeron.archive.client.RecordingDescriptorConsumer} in the same order, so the same lambda fits both.
 */
@FunctionalInterface
public interface RecordingDescriptorConsumer
{
    /**
     * One recording as the archive describes it.
     *
     * @param controlSessionId  of the control session that listed it.
     * @param correlationId     of the listing request.
     * @param recordingId       of the recording.
     * @param startTimestamp    of the recording, in the archive's epoch clock.
     * @param stopTimestamp     of the recording, or the null value while it is active.
     * @param startPosition     of the recorded stream.
     * @param stopPosition      of the recorded stream, or the null position while it is active.
     * @param initialTermId     of the recorded stream.
     * @param segmentFileLength of the recording's segment files.
     * @param termBufferLength  of the recorded stream.
     * @param mtuLength         of the recorded stream.
     * @param sessionId         of the recorded stream.
     * @param streamId          of the recorded stream.
     * @param strippedChannel   the channel without the parameters that do not identify the stream.
     * @param originalChannel   the channel as given when the recording was started.
     * @param sourceIdentity    of the publication, e.g. its address for a network stream.
     */
    void onRecordingDescriptor(
        long controlSessionId,
        long correlationId,
        long recordingId,
        long startTimestamp,
        long stopTimestamp,
        long startPosition,
        long stopPosition,
        int initialTermId,
        int segmentFileLength,
        int termBufferLength,
        int mtuLength,
        int sessionId,
        int streamId,
        String strippedChannel,
        String originalChannel,
        String sourceIdentity);
}
