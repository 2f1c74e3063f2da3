package org.archivebridge.conformance.client;

import io.aeron.logbuffer.FragmentHandler;

/**
 * A replay merge a client started on a subscription of its own (AeronArchive's {@code ReplayMerge} or NativeArchive's
 * {@code NativeReplayMerge}), so a scenario drives both alike. Every failure is a {@link ClientFailure}.
 */
public interface ClientReplayMerge extends AutoCloseable
{
    /** Do the merge's work, then hand over up to fragmentLimit fragments of its image. */
    int poll(FragmentHandler handler, int fragmentLimit);

    boolean isMerged();

    boolean hasFailed();

    boolean isLiveAdded();

    /** The state as the merge's toString names it (RESOLVE_REPLAY_PORT ... MERGED, FAILED, CLOSED). */
    String state();

    /** The join position of the merge's image, or -1 while it has none. */
    long imageJoinPosition();

    /** Whether the merge's image is at its end of stream; false while it has none. */
    boolean isImageEndOfStream();

    /** Whether the merge's image is closed; false while it has none. */
    boolean isImageClosed();

    /** Close the merge, then the subscription it was started on. */
    @Override
    void close();
}
