package org.archivebridge;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The close guard every racing handle relies on, without native code: the release runs exactly once, never while a
 * call is in flight, and no call enters after the close began.
 */
class NativeHandleTest
{
    private static final int THREADS = 8;
    private static final int ROUNDS = 500;

    /* Counts releases, and records a call that was still in flight (or entered) when the release ran. */
    private static final class CountingHandle extends NativeHandle
    {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        final AtomicBoolean releasedUnderACall = new AtomicBoolean();
        volatile boolean released;

        boolean call()
        {
            if (!enter())
            {
                return false;
            }
            try
            {
                inFlight.incrementAndGet();
                if (released)
                {
                    releasedUnderACall.set(true);
                }
                inFlight.decrementAndGet();
                return true;
            }
            finally
            {
                exit();
            }
        }

        void release()
        {
            if (inFlight.get() != 0)
            {
                releasedUnderACall.set(true);
            }
            released = true;
            releases.incrementAndGet();
        }
    }

    @Test
    void aCloseWithNoCallInFlightReleasesAtOnceAndOnce()
    {
        final CountingHandle handle = new CountingHandle();
        assertFalse(handle.isHandleClosed());
        handle.closeHandle();
        assertTrue(handle.isHandleClosed());
        assertEquals(1, handle.releases.get());
        handle.closeHandle();
        assertEquals(1, handle.releases.get(), "a second close does nothing");
        assertFalse(handle.enter(), "no call enters a closed handle");
    }

    @Test
    void aCloseDuringACallReleasesWhenTheLastCallExits()
    {
        final CountingHandle handle = new CountingHandle();
        assertTrue(handle.enter());
        assertTrue(handle.enter());
        handle.closeHandle();
        assertTrue(handle.isHandleClosed());
        assertEquals(0, handle.releases.get(), "two calls are in flight");
        assertFalse(handle.enter(), "no call enters once the close began");
        handle.exit();
        assertEquals(0, handle.releases.get(), "one call is still in flight");
        handle.exit();
        assertEquals(1, handle.releases.get(), "the last call out released");
    }

    @Test
    void closesRacingCallsFromEightThreadsReleaseOnceAndNeverUnderACall() throws Exception
    {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        for (int round = 0; round < ROUNDS; round++)
        {
            final CountingHandle handle = new CountingHandle();
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final boolean closer = t % 4 == 0;
                final int callsBeforeClose = round % 50;
                final Thread thread = new Thread(() ->
                {
                    awaitQuietly(start);
                    for (int i = 0; i < 100; i++)
                    {
                        if (closer && i == callsBeforeClose)
                        {
                            handle.closeHandle();
                        }
                        if (handle.call())
                        {
                            calls.incrementAndGet();
                        }
                        else
                        {
                            refused.incrementAndGet();
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertEquals(1, handle.releases.get(), "round " + round + ": released once");
            assertFalse(handle.releasedUnderACall.get(), "round " + round + ": never under a call");
        }
        System.out.printf("NativeHandle: %d rounds, %d calls in, %d refused after a close%n",
            ROUNDS, calls.get(), refused.get());
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
