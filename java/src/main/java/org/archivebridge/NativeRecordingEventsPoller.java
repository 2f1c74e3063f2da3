package org.archivebridge;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_RECORDING_EVENT_PROGRESS;

/**
 * Reads the Archive's recording events one at a time from a {@link NativeSubscription}, as
 * io.aeron.archive.client.RecordingEventsPoller does: after a {@link #poll()} that completed, the getters describe the
 * event. Nothing is allocated. Polled from one thread at a time.
 */
public final class NativeRecordingEventsPoller
{
    private final NativeRecordingEventsReader reader;
    private boolean pollComplete;
    private int templateId = -1;
    private long recordingId = -1;
    private long recordingStartPosition = -1;
    private long recordingPosition = -1;
    private long recordingStopPosition = -1;

    /**
     * @param subscription to the Archive's recording events channel and stream.
     */
    public NativeRecordingEventsPoller(final NativeSubscription subscription)
    {
        this.reader = new NativeRecordingEventsReader(this, subscription);
    }

    /**
     * Read the next fragment.
     *
     * @return 1 when it was an event ({@link #isPollComplete()}), else 0.
     */
    public int poll()
    {
        pollComplete = reader.read();
        if (!pollComplete)
        {
            return 0;
        }
        final var event = reader.event;
        templateId = event.template_id();
        recordingId = event.recording_id();
        recordingStartPosition = event.start_position();
        // A start reports its start position as the position reached; a stop its stop position.
        recordingPosition = ABR_RECORDING_EVENT_PROGRESS == templateId ? event._position() :
            event.stop_position() >= 0 ? event.stop_position() : event.start_position();
        recordingStopPosition = event.stop_position();
        return 1;
    }

    /**
     * @return true when the last poll read an event.
     */
    public boolean isPollComplete()
    {
        return pollComplete;
    }

    /**
     * @return the last event's template id (RecordingStarted 101, RecordingProgress 102, RecordingStopped 103).
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * @return the last event's recording id.
     */
    public long recordingId()
    {
        return recordingId;
    }

    /**
     * @return the last event's recording start position.
     */
    public long recordingStartPosition()
    {
        return recordingStartPosition;
    }

    /**
     * @return the position the recording reached at the last event.
     */
    public long recordingPosition()
    {
        return recordingPosition;
    }

    /**
     * @return the last event's stop position, or -1 when it was not a stop.
     */
    public long recordingStopPosition()
    {
        return recordingStopPosition;
    }
}
