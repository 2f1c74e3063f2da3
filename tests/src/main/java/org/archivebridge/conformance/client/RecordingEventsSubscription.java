package org.archivebridge.conformance.client;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * A {@link RecordingEventsReader} over one client kind's subscription and events adapter or poller, which fill the
 * log; the kind's own classification turns its exceptions into {@link ClientFailure}s.
 */
final class RecordingEventsSubscription implements RecordingEventsReader
{
    private final RecordingEventLog log;
    private final BooleanSupplier connected;
    private final IntSupplier poll;
    private final Runnable close;
    private final Function<RuntimeException, ClientFailure> classify;

    RecordingEventsSubscription(
        final RecordingEventLog log,
        final BooleanSupplier connected,
        final IntSupplier poll,
        final Runnable close,
        final Function<RuntimeException, ClientFailure> classify)
    {
        this.log = log;
        this.connected = connected;
        this.poll = poll;
        this.close = close;
        this.classify = classify;
    }

    public boolean isConnected()
    {
        return connected.getAsBoolean();
    }

    public int poll()
    {
        try
        {
            return poll.getAsInt();
        }
        catch (final RuntimeException ex)
        {
            throw classify.apply(ex);
        }
    }

    public List<RecordingEvent> take()
    {
        return log.take();
    }

    public void close()
    {
        close.run();
    }
}
