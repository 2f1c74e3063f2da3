package org.archivebridge.conformance.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The recording signals a client's consumer received, in order. Consumers may run on a client's own thread (the
 * native auto-poll), so access is synchronised.
 */
public final class SignalLog
{
    /** One signal, with the fields a transcript compares. */
    public record Signal(long recordingId, long subscriptionId, long position, String signal)
    {
    }

    private final List<Signal> signals = new ArrayList<>();

    synchronized void add(final long recordingId, final long subscriptionId, final long position, final String signal)
    {
        signals.add(new Signal(recordingId, subscriptionId, position, signal));
    }

    /** The signals received since the last take. */
    synchronized List<Signal> take()
    {
        final List<Signal> taken = List.copyOf(signals);
        signals.clear();
        return taken;
    }
}
