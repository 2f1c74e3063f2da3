package org.archivebridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A native handle whose close may race its other calls on other threads. A call that uses what the close releases
 * {@link #enter() enters} first and {@link #exit() exits} after, which costs two atomic updates of one state word: no
 * lock, nothing allocated. {@link #closeHandle()} marks the handle closed, so that no call enters after it, and the
 * release runs exactly once, by whoever is last: the close itself when no call is in flight, otherwise the last call
 * to exit. So a close never frees memory under a running call and never waits for one either (a fragment handler
 * may close the subscription it is polling), and a call that loses the race finds the handle closed.
 */
abstract class NativeHandle
{
    private static final int CLOSED = Integer.MIN_VALUE;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(NativeHandle.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /* The closed flag in the sign bit, the number of calls in flight in the rest. */
    @SuppressWarnings("unused")
    private volatile int state;

    /**
     * Start a call that needs the handle's resources; when it returns true, {@link #exit()} must follow, in a finally.
     *
     * @return false once the handle is closed: the call must not touch the resources.
     */
    final boolean enter()
    {
        int current;
        do
        {
            current = state;
            if (current < 0)
            {
                return false;
            }
        }
        while (!STATE.compareAndSet(this, current, current + 1));
        return true;
    }

    /**
     * End a call that entered. The last call out of a closed handle releases it, and a failure of the release is
     * thrown from here.
     */
    final void exit()
    {
        // No call enters once the flag is set, so the count reaches zero behind it once, and only once.
        if ((int)STATE.getAndAdd(this, -1) == CLOSED + 1)
        {
            release();
        }
    }

    /**
     * Mark the handle closed and release it, now if no call is in flight, else when the last one exits. A second close
     * does nothing.
     */
    final void closeHandle()
    {
        int current;
        do
        {
            current = state;
            if (current < 0)
            {
                return;
            }
        }
        while (!STATE.compareAndSet(this, current, current | CLOSED));
        if (0 == current)
        {
            release();
        }
    }

    /**
     * @return true from the moment a close began.
     */
    final boolean isHandleClosed()
    {
        return state < 0;
    }

    /**
     * Free what the calls that enter use and close the native handle; runs once, after the close, with no call in
     * flight.
     */
    abstract void release();
}
