package org.archivebridge.conformance.client;

import java.util.List;

/**
 * A subscription to the Archive's recording events read through a client kind's own events adapter or poller
 * (RecordingEventsAdapter or RecordingEventsPoller for AeronArchive, their Native counterparts for NativeArchive).
 * Closing it closes the subscription. Failures are {@link ClientFailure}s.
 */
public interface RecordingEventsReader extends AutoCloseable
{
    /** Whether the subscription has an image of the Archive's events publication. */
    boolean isConnected();

    /** Poll once; what arrived lands in {@link #take()}. @return the number of events handed over. */
    int poll();

    /** The events received since the last take, in order. */
    List<RecordingEvent> take();

    void close();
}
