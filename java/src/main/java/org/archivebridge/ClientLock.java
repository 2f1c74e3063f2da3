package org.archivebridge;

import org.agrona.concurrent.NoOpLock;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock a {@link NativeArchive} serialises its calls with: the context's {@link NativeArchive.Context#lock(Lock)},
 * a {@link ReentrantLock} when none is set. It counts how deep its holder is in, whatever the lock, so the client can
 * tell a call from a callback of a call (refused during listings) with a {@link NoOpLock} or a lock of the caller's
 * that does not count holds itself. The count and holder are only changed by the thread that holds the lock (or, with
 * a NoOpLock, by the one thread the caller promised to use).
 */
final class ClientLock
{
    private final Lock lock;
    private Thread holder;
    private int holdCount;

    ClientLock(final Lock lock)
    {
        this.lock = null == lock ? new ReentrantLock() : lock;
    }

    /** True when the lock turns locking off: the caller promised to use the client from one thread only. */
    static boolean isNoOp(final Lock lock)
    {
        return lock instanceof NoOpLock;
    }

    void lock()
    {
        lock.lock();
        holder = Thread.currentThread();
        holdCount++;
    }

    void unlock()
    {
        if (0 == --holdCount)
        {
            holder = null;
        }
        lock.unlock();
    }

    boolean isHeldByCurrentThread()
    {
        return holdCount > 0 && Thread.currentThread() == holder;
    }

    int getHoldCount()
    {
        return isHeldByCurrentThread() ? holdCount : 0;
    }
}
