package org.archivebridge;

import io.aeron.archive.client.RecordingSignalConsumer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_signal_t;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The callback sets a closed client hands back for the next one: the next connect gets the same thunks, and nothing
 * of the closed client's (consumers, a failure not thrown yet, a listing consumer) reaches it; beyond the idle limit
 * a set handed back is freed. Without C: the thunks are called from Java, as C would call them.
 */
class NativeArchiveCallbacksTest
{
    private static final RecordingSignalConsumer FAILING_CONSUMER =
        (controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
        {
            throw new IllegalStateException("the closed client's consumer failed");
        };

    @Test
    void aRecycledSetServesTheNextClientWithItsOwnConsumersOnly()
    {
        drainIdle();
        final NativeArchiveCallbacks closed = NativeArchiveCallbacks.acquire(FAILING_CONSUMER, null, null);
        assertNotNull(closed.signals);
        assertNull(closed.errors);
        closed.subscriptions.begin((controlSessionId, correlationId, subscriptionId, streamId, channel) -> {});
        // A failure the closed client never threw: kept for a next call that never came.
        try (abr_archive_recording_signal_t signal = new abr_archive_recording_signal_t())
        {
            closed.signals.call(null, signal);
        }
        closed.recycle();

        final List<String> seen = new ArrayList<>();
        final NativeArchiveCallbacks next = NativeArchiveCallbacks.acquire(null, ex -> seen.add("next"), null);
        assertSame(closed, next, "the idle set is taken before a new one is made");
        assertNull(next.signals, "no signal consumer given: C gets no signal thunk");
        assertNotNull(next.errors, "an error handler given: C gets the error thunk");
        assertFalse(next.subscriptions.isActive(), "the closed client's listing consumer is gone");
        assertFalse(next.descriptors.isActive());
        assertDoesNotThrow(next::rethrowFailure, "the closed client's failure is not the next client's");
        next.errors.call(null, 1, 5, null);
        assertEquals(List.of("next"), seen);

        final NativeArchiveCallbacks.ErrorDispatcher thunk = next.errors;
        next.recycle();
        thunk.call(null, 1, 5, null);
        assertEquals(List.of("next"), seen, "an idle set's thunk reaches no handler");
        drainIdle();
    }

    @Test
    void setsHandedBackBeyondTheIdleLimitAreFreed()
    {
        drainIdle();
        final List<NativeArchiveCallbacks> sets = new ArrayList<>();
        for (int i = 0; i <= NativeArchiveCallbacks.IDLE_LIMIT; i++)
        {
            sets.add(NativeArchiveCallbacks.acquire(null, null, null));
        }
        sets.forEach(NativeArchiveCallbacks::recycle);
        assertEquals(NativeArchiveCallbacks.IDLE_LIMIT, NativeArchiveCallbacks.idleCount());
        final NativeArchiveCallbacks freed = sets.get(NativeArchiveCallbacks.IDLE_LIMIT);
        assertTrue(freed.subscriptions.isNull() && freed.descriptors.isNull() && freed.longResult.isNull() &&
            freed.errorText.isNull(), "the set past the limit released its thunks and result slots");
        drainIdle();
    }

    @Test
    void aCallbackIsKnownAsItsOwnClientsOnly()
    {
        final NativeArchiveCallbacks[] outer = new NativeArchiveCallbacks[1];
        final NativeArchiveCallbacks inner = new NativeArchiveCallbacks(null, null);
        final boolean[] seen = new boolean[3];
        outer[0] = new NativeArchiveCallbacks(
            (controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
            {
                seen[0] = outer[0].inCallback();
                seen[1] = inner.inCallback();
            }, null);
        try (abr_archive_recording_signal_t signal = new abr_archive_recording_signal_t())
        {
            outer[0].signals.call(null, signal);
        }
        seen[2] = outer[0].inCallback();
        assertTrue(seen[0], "inside its own signal consumer");
        assertFalse(seen[1], "another client's set is not in a callback");
        assertFalse(seen[2], "not after the consumer returned");
        outer[0].close();
        inner.close();
    }

    private static void drainIdle()
    {
        while (NativeArchiveCallbacks.idleCount() > 0)
        {
            NativeArchiveCallbacks.acquire(null, null, null).close();
        }
    }
}
