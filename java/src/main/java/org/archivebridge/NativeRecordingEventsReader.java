package org.archivebridge;

import org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_event_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_events_t;

import java.lang.ref.Cleaner;
import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_CLOSED;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errcode;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_events_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_events_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_events_poll_event;

/*
 * The C recording events reader under NativeRecordingEventsAdapter and NativeRecordingEventsPoller: one event a read,
 * decoded in C into a struct this keeps, so a read allocates nothing (a start's strings are made only when asked for).
 * The C reader is released when its owner becomes unreachable, as the Aeron classes it stands for have no close.
 */
final class NativeRecordingEventsReader
{
    private static final Cleaner CLEANER = Cleaner.create();

    private final NativeSubscription subscription;
    private final abr_recording_events_t events;
    final abr_recording_event_t event = new abr_recording_event_t();

    NativeRecordingEventsReader(final Object owner, final NativeSubscription subscription)
    {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        final abr_recording_events_t created = new abr_recording_events_t();
        if (!subscription.enter())
        {
            throw new IllegalStateException("subscription is closed");
        }
        try
        {
            NativeAeron.check(abr_recording_events_init(created, subscription.nativeSubscription()));
        }
        finally
        {
            subscription.exit();
        }
        this.events = created;
        CLEANER.register(owner, () -> abr_recording_events_close(created));
    }

    /* One fragment: true when it was an event (now in event); false when there was none, or the subscription closed. */
    boolean read()
    {
        if (!subscription.enter())
        {
            return false;
        }
        try
        {
            if (subscription.isClosed())
            {
                return false;
            }
            final int result = abr_recording_events_poll_event(events, event);
            if (result < 0)
            {
                if (ABR_ERROR_CLOSED == abr_errcode())
                {
                    return false;
                }
                throw NativeErrors.lastError();
            }
            return 1 == result;
        }
        finally
        {
            subscription.exit();
        }
    }
}
