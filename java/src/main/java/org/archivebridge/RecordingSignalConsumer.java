package org.archivebridge;

/**
 * Receives the recording signals the archive sends a control session, with the parameters of
 * {@code io.aeron.archive.client.RecordingSignalConsumer} in the same order (our own {@link RecordingSignal}, since
 * this module does not depend on aeron-archive).
 */
@FunctionalInterface
public interface RecordingSignalConsumer
{
    /**
     * @param controlSessionId of the session the signal is for.
     * @param correlationId    of the request that caused it.
     * @param recordingId      of the recording.
     * @param subscriptionId   of the recording's subscription, or the null value.
     * @param position         of the recording when the signal was sent, or the null value.
     * @param signal           what happened.
     */
    void onSignal(
        long controlSessionId,
        long correlationId,
        long recordingId,
        long subscriptionId,
        long position,
        RecordingSignal signal);
}
