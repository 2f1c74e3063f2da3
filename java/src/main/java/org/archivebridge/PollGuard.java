package org.archivebridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_guard_t;
import org.bytedeco.javacpp.Loader;

/*
 * A subscription's poll guard in the C core (abr_subscription_poll_guard_t), read and written in place: a poll counts
 * itself in and then checks the images' version; the core changes the version first and then checks the count before
 * it unmaps an image that went. Both sides use sequentially consistent atomics (a volatile add and a volatile read
 * here), so either this poll sees the new version and refreshes its refs, or the core sees this poll counted in and
 * keeps the image mapped until a later duty cycle. Valid while the subscription's client is open; no allocation.
 */
final class PollGuard
{
    /* No version the core gives: the core's versions start at 0 and only grow. */
    static final long NO_VERSION = -1;

    private static final int IMAGES_VERSION_OFFSET =
        Loader.offsetof(abr_subscription_poll_guard_t.class, "images_version");
    private static final int POLLERS_OFFSET = Loader.offsetof(abr_subscription_poll_guard_t.class, "pollers");

    private final UnsafeBuffer guard;

    PollGuard(final abr_subscription_poll_guard_t nativeGuard)
    {
        guard = new UnsafeBuffer(nativeGuard.address(), Loader.sizeof(abr_subscription_poll_guard_t.class));
    }

    /*
     * Count a poll in, for refs of the given images version: true when they are still current (exit must follow, in a
     * finally); false, counted out again, when the images changed since and the refs must be asked for anew.
     */
    boolean enter(final long version)
    {
        guard.getAndAddLong(POLLERS_OFFSET, 1);
        if (guard.getLongVolatile(IMAGES_VERSION_OFFSET) == version)
        {
            return true;
        }
        guard.getAndAddLong(POLLERS_OFFSET, -1);
        return false;
    }

    void exit()
    {
        guard.getAndAddLong(POLLERS_OFFSET, -1);
    }

    /* The images' version now: read while the core holds them locked, it is the version of what it handed over. */
    long version()
    {
        return guard.getLongVolatile(IMAGES_VERSION_OFFSET);
    }
}
