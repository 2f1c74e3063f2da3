package org.archivebridge.conformance.client;

/** One recording descriptor, the 16 values both clients' descriptor consumers receive, in their order. */
public record RecordingDescriptor(
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
    String sourceIdentity)
{
}
