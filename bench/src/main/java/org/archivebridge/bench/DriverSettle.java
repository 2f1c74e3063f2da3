package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How busy the comparison's driver still is with sessions that have ended: the number of its publications and images
 * (their publisher-limit, receiver-HWM and subscriber-position counters), which its conductor walks on every duty
 * cycle. A closed session's entries stay for seconds (an IPC publication until drained and the next timer tick, a UDP
 * image until its liveness timeout, a UDP publication for its linger), so a client that ran its connects fast would
 * otherwise meet more of them in its next phase than a slow one (docs/benchmarks.md, the UDP 1 KiB replay gap). The
 * comparison waits with this until the count is back at a baseline before each child and before each child's round
 * trips.
 */
final class DriverSettle implements AutoCloseable
{
    private static final long POLL_MS = 20;

    private final Aeron aeron;
    private final CountersReader counters;

    /**
     * What one wait found: how long it took, how many entries above the target were left when it ended and, if any,
     * the labels of those not in the target's snapshot.
     */
    record Wait(long elapsedMs, int excess, List<String> extra)
    {
        @Override
        public String toString()
        {
            return excess > 0 ? String.format("%.1fs (%d left: %s)", elapsedMs / 1000.0, excess, extra) :
                String.format("%.1fs", elapsedMs / 1000.0);
        }
    }

    DriverSettle(final String aeronDir)
    {
        // A client of its own: its heartbeat counter is not one that is counted.
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        counters = aeron.countersReader();
    }

    /** The driver's publications and images now, as the number of their allocated stream-position counters. */
    int streamCounters()
    {
        final int[] count = { 0 };
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (isStreamPosition(typeId))
            {
                count[0]++;
            }
        });
        return count[0];
    }

    /** The id and label of each of those counters now, to tell afterwards which ones a wait found left over. */
    Set<String> snapshot()
    {
        final Set<String> labels = new TreeSet<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (isStreamPosition(typeId))
            {
                labels.add(counterId + ": " + label);
            }
        });
        return labels;
    }

    private static boolean isStreamPosition(final int typeId)
    {
        return AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID == typeId ||
            AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID == typeId ||
            AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID == typeId;
    }

    /**
     * A snapshot once the count has not changed for quietMs (longer than the driver's timeouts, so whatever was
     * lingering has gone), for a baseline when nothing else runs; after timeoutMs, a snapshot then.
     */
    Set<String> awaitQuiet(final long quietMs, final long timeoutMs) throws InterruptedException
    {
        final long start = System.currentTimeMillis();
        int count = streamCounters();
        long changed = start;
        while (true)
        {
            final long now = System.currentTimeMillis();
            if (now - changed >= quietMs || now - start >= timeoutMs)
            {
                return snapshot();
            }
            Thread.sleep(POLL_MS);
            final int next = streamCounters();
            if (next != count)
            {
                count = next;
                changed = System.currentTimeMillis();
            }
        }
    }

    /** Wait until the count is at or below the size of target (a snapshot), at most timeoutMs. */
    Wait awaitAtMost(final Set<String> target, final long timeoutMs) throws InterruptedException
    {
        final long start = System.currentTimeMillis();
        while (true)
        {
            final int excess = streamCounters() - target.size();
            final long elapsed = System.currentTimeMillis() - start;
            if (excess <= 0)
            {
                return new Wait(elapsed, 0, List.of());
            }
            if (elapsed >= timeoutMs)
            {
                final List<String> extra = new ArrayList<>(snapshot());
                extra.removeAll(target);
                return new Wait(elapsed, excess, extra);
            }
            Thread.sleep(POLL_MS);
        }
    }

    @Override
    public void close()
    {
        aeron.close();
    }
}
