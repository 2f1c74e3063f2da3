package org.archivebridge.conformance.client;

import io.aeron.archive.client.RecordingEventsListener;

import java.util.ArrayList;
import java.util.List;

/** Collects the events an adapter hands its listener, or a poller's getters after each completed poll, in order. */
final class RecordingEventLog implements RecordingEventsListener
{
    private final List<RecordingEvent> received = new ArrayList<>();

    void addPolled(
        final int templateId,
        final long recordingId,
        final long startPosition,
        final long position,
        final long stopPosition)
    {
        received.add(RecordingEvent.polled(templateId, recordingId, startPosition, position, stopPosition));
    }

    List<RecordingEvent> take()
    {
        final List<RecordingEvent> events = List.copyOf(received);
        received.clear();
        return events;
    }

    public void onStart(
        final long recordingId,
        final long startPosition,
        final int sessionId,
        final int streamId,
        final String channel,
        final String sourceIdentity)
    {
        received.add(RecordingEvent.start(recordingId, startPosition, sessionId, streamId, channel, sourceIdentity));
    }

    public void onProgress(final long recordingId, final long startPosition, final long position)
    {
        received.add(RecordingEvent.progress(recordingId, startPosition, position));
    }

    public void onStop(final long recordingId, final long startPosition, final long stopPosition)
    {
        received.add(RecordingEvent.stop(recordingId, startPosition, stopPosition));
    }
}
