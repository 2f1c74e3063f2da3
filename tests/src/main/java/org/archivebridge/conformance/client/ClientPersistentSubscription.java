package org.archivebridge.conformance.client;

import io.aeron.logbuffer.FragmentHandler;

import java.util.List;

/**
 * A persistent subscription a client created with an archive client of its own (Aeron's
 * {@code PersistentSubscription} or archive-bridge's {@code NativePersistentSubscription}), so a scenario drives both
 * alike. Every failure a call throws is a {@link ClientFailure}.
 */
public interface ClientPersistentSubscription extends AutoCloseable
{
    /** Do the subscription's work, then hand over up to fragmentLimit fragments, messages reassembled. */
    int poll(FragmentHandler handler, int fragmentLimit);

    boolean isLive();

    boolean isReplaying();

    boolean hasFailed();

    /** The failure's exception type, reason (if it has one) and message; "none" while it has not failed. */
    String failureReason();

    /** The listener's calls so far, in order. */
    List<String> listenerCalls();

    @Override
    void close();
}
