package org.archivebridge;

import io.aeron.archive.client.RecordingEventsListener;

import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_RECORDING_EVENT_PROGRESS;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_RECORDING_EVENT_STARTED;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_RECORDING_EVENT_STOPPED;

/**
 * Hands the Archive's recording events, read from a {@link NativeSubscription} to its recording events channel and
 * stream, to an Aeron {@link RecordingEventsListener}, as io.aeron.archive.client.RecordingEventsAdapter does. The
 * events are decoded in C; progress and stop events allocate nothing, a start makes its two strings. A message that is
 * not an event ends a poll early (the next poll goes on past it). Polled from one thread at a time.
 */
public final class NativeRecordingEventsAdapter
{
    private final RecordingEventsListener listener;
    private final int fragmentLimit;
    private final NativeRecordingEventsReader reader;

    /**
     * @param listener      told of each event.
     * @param subscription  to the Archive's recording events channel and stream.
     * @param fragmentLimit the most events one poll hands over.
     */
    public NativeRecordingEventsAdapter(
        final RecordingEventsListener listener, final NativeSubscription subscription, final int fragmentLimit)
    {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.fragmentLimit = fragmentLimit;
        this.reader = new NativeRecordingEventsReader(this, subscription);
    }

    /**
     * @return the number of events handed to the listener; 0 once the subscription is closed.
     */
    public int poll()
    {
        int events = 0;
        while (events < fragmentLimit && reader.read())
        {
            events++;
            final var event = reader.event;
            final int templateId = event.template_id();
            if (ABR_RECORDING_EVENT_STARTED == templateId)
            {
                listener.onStart(
                    event.recording_id(),
                    event.start_position(),
                    event.session_id(),
                    event.stream_id(),
                    event.channel().getString(),
                    event.source_identity().getString());
            }
            else if (ABR_RECORDING_EVENT_PROGRESS == templateId)
            {
                listener.onProgress(event.recording_id(), event.start_position(), event._position());
            }
            else if (ABR_RECORDING_EVENT_STOPPED == templateId)
            {
                listener.onStop(event.recording_id(), event.start_position(), event.stop_position());
            }
        }
        return events;
    }
}
