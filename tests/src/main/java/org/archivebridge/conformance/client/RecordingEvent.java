package org.archivebridge.conformance.client;

import io.aeron.archive.codecs.RecordingProgressDecoder;
import io.aeron.archive.codecs.RecordingStartedDecoder;
import io.aeron.archive.codecs.RecordingStoppedDecoder;

/**
 * One of the Archive's recording events as a client's events adapter or poller handed it over. The adapter's
 * listener gets a start's session, stream, channel and source identity, a progress's position and a stop's stop
 * position; the poller gets the recording id and the three positions of each event. What an event does not carry is
 * -1 (a number) or null (a text).
 *
 * @param type           START, PROGRESS or STOP (the poller's template ids 101, 102, 103), or TEMPLATE-n for others.
 * @param recordingId    the recording it is about.
 * @param startPosition  the recording's start position.
 * @param position       the position reached: a progress's (adapter), the poller's recordingPosition().
 * @param stopPosition   a stop's stop position (adapter), the poller's recordingStopPosition().
 * @param sessionId      a start's session id.
 * @param streamId       a start's stream id.
 * @param channel        a start's channel.
 * @param sourceIdentity a start's source identity.
 */
public record RecordingEvent(
    String type,
    long recordingId,
    long startPosition,
    long position,
    long stopPosition,
    int sessionId,
    int streamId,
    String channel,
    String sourceIdentity)
{
    static RecordingEvent start(
        final long recordingId,
        final long startPosition,
        final int sessionId,
        final int streamId,
        final String channel,
        final String sourceIdentity)
    {
        return new RecordingEvent("START", recordingId, startPosition, -1, -1, sessionId, streamId, channel,
            sourceIdentity);
    }

    static RecordingEvent progress(final long recordingId, final long startPosition, final long position)
    {
        return new RecordingEvent("PROGRESS", recordingId, startPosition, position, -1, -1, -1, null, null);
    }

    static RecordingEvent stop(final long recordingId, final long startPosition, final long stopPosition)
    {
        return new RecordingEvent("STOP", recordingId, startPosition, -1, stopPosition, -1, -1, null, null);
    }

    /** What a poller's getters said after a completed poll. */
    static RecordingEvent polled(
        final int templateId,
        final long recordingId,
        final long startPosition,
        final long position,
        final long stopPosition)
    {
        final String type = switch (templateId)
        {
            case RecordingStartedDecoder.TEMPLATE_ID -> "START";
            case RecordingProgressDecoder.TEMPLATE_ID -> "PROGRESS";
            case RecordingStoppedDecoder.TEMPLATE_ID -> "STOP";
            default -> "TEMPLATE-" + templateId;
        };
        return new RecordingEvent(type, recordingId, startPosition, position, stopPosition, -1, -1, null, null);
    }
}
