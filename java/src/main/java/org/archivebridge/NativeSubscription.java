package org.archivebridge;

import io.aeron.archive.client.ArchiveException;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_ref_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_guard_t;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Loader;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_t;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ILLEGAL_STATE;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_INVALID_ARGUMENT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errcode;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_image_at_index;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_image_by_session_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_discard;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_image_count;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_image_refs;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_guard;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_is_connected;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_images;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_images_done;

/**
 * A subscription of a {@link NativeAeron}. {@link #poll} hands each fragment to an Aeron
 * {@link FragmentHandler} as an Agrona buffer over the native term buffer itself (no copy) with an
 * {@link io.aeron.logbuffer.Header} over its frame, as io.aeron.Subscription does. The buffer and header are valid only
 * during the handler's call. The C core keeps the images (they come and go on its conductor) and hands over where
 * their terms and subscriber positions are; the frames are read and the positions moved here in Java. While the images
 * have not changed, a poll reuses what the core handed over last, calling into C not at once: it counts itself in on
 * the subscription's poll guard (abr_subscription_poll_guard_t) and checks the images' version there, and the core
 * unmaps an image that went only once no poll is counted in after the change. Nothing is allocated per poll. One thread polls at a time. A close on another thread (or from a handler) while a poll
 * runs takes effect when that poll returns: the array the C core hands the images over in is freed only then.
 */
public final class NativeSubscription extends NativeHandle implements AutoCloseable
{
    /** The most fragments one poll hands over; larger limits are capped to it. */
    public static final int MAX_FRAGMENT_LIMIT = 256;
    /** The most images one poll visits; a subscription with more reaches the rest in later polls, in turn. */
    static final int MAX_IMAGES_PER_POLL = 64;

    private static final int IMAGE_REF_LENGTH = ImageTermReader.IMAGE_REF_LENGTH;
    private static final int SESSION_ID_OFFSET = Loader.offsetof(abr_image_ref_t.class, "session_id");

    private final NativeAeron aeron;
    private final abr_subscription_t subscription;
    private final abr_image_ref_t images = new abr_image_ref_t(MAX_IMAGES_PER_POLL);
    private final UnsafeBuffer imageRefs;
    private final ImageTermReader reader = new ImageTermReader(null);
    /* Made on the first poll: a subscription with image handlers is made here before the C core has filled it. */
    private PollGuard guard;
    private final LongPointer refsVersion = new LongPointer(1);
    /* What the last abr_subscription_image_refs handed over: the images' version and how many (may exceed the refs). */
    private long cachedVersion = PollGuard.NO_VERSION;
    private int cachedCount;
    private int roundRobinIndex;
    /* The thread in a poll of this subscription or one of its images: a poll from its handler is refused, as the C
     * core refuses one (only the polling thread ever finds itself here, so a plain field is enough). */
    Thread pollingThread;

    private final ImageHandlerBridge.Registration imageHandlers;
    /* Set once a replay merge holds the C handle (see handle()). */
    private volatile boolean keptByNativeUser;

    NativeSubscription(final NativeAeron aeron, final abr_subscription_t subscription)
    {
        this(aeron, subscription, null);
    }

    /* imageHandlers: registered before the C add, or null for none. */
    NativeSubscription(
        final NativeAeron aeron, final abr_subscription_t subscription, final ImageHandlerBridge.Registration imageHandlers)
    {
        this.aeron = aeron;
        this.subscription = subscription;
        this.imageHandlers = imageHandlers;
        this.imageRefs = new UnsafeBuffer(images.address(), IMAGE_REF_LENGTH * MAX_IMAGES_PER_POLL);
    }

    /**
     * Poll the subscription's images for up to fragmentLimit fragments.
     *
     * @param handler       receives each fragment: the buffer over the term, the payload's offset and length, and
     *                      the frame's header.
     * @param fragmentLimit the most fragments to hand over, at most {@link #MAX_FRAGMENT_LIMIT}.
     * @return the number of fragments handed over.
     * @throws IllegalStateException if the subscription or its client is closed.
     */
    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        return poll(handler, fragmentLimit, false, 0);
    }

    /* As poll, for the image of one publisher session only (a replay merge's): the other images are left unread. */
    int pollSession(final int sessionId, final FragmentHandler handler, final int fragmentLimit)
    {
        return poll(handler, fragmentLimit, true, sessionId);
    }

    /* The handle, for a NativeReplayMerge over this subscription: package-private, never exposed to users. The C
     * merge keeps it and may use it after this subscription's close (its own close removes its destinations), so from
     * then on the close keeps the C handle until the client closes instead of giving it up. */
    abr_subscription_t handle()
    {
        ensureUsable();
        keptByNativeUser = true;
        return subscription;
    }

    private int poll(
        final FragmentHandler handler, final int fragmentLimit, final boolean oneSession, final int sessionId)
    {
        Objects.requireNonNull(handler, "handler");
        if (fragmentLimit <= 0)
        {
            throw new IllegalArgumentException("fragmentLimit must be > 0, got " + fragmentLimit);
        }
        if (!enter())
        {
            throw closedException(aeron);
        }
        try
        {
            aeron.ensureOpen();
            if (!enterPolling())
            {
                // As the C core answers a poll of a subscription whose images its thread holds.
                throw new NativeArchiveException(
                    "poll called from a poll handler of the same subscription", ABR_ERROR_ILLEGAL_STATE,
                    ArchiveException.GENERIC);
            }
            try
            {
                final int limit = Math.min(fragmentLimit, MAX_FRAGMENT_LIMIT);
                return pollCached(handler, limit, oneSession, sessionId);
            }
            finally
            {
                exitPolling();
            }
        }
        finally
        {
            exit();
        }
    }

    /* Read the images the guard says are current, refreshing them first when they changed. */
    private int pollCached(final FragmentHandler handler, final int limit, final boolean oneSession, final int sessionId)
    {
        if (null == guard)
        {
            guard = new PollGuard(abr_subscription_poll_guard(subscription));
        }
        while (!guard.enter(cachedVersion))
        {
            refreshImages();
        }
        final int count = cachedCount;
        if (count > MAX_IMAGES_PER_POLL)
        {
            guard.exit();
            return pollLocked(handler, limit, oneSession, sessionId);
        }
        int fragments = 0;
        try
        {
            if (0 == count)
            {
                return 0;
            }
            final int start = roundRobinIndex % count;
            roundRobinIndex = (start + 1) % count;
            for (int i = 0; i < count && fragments < limit; i++)
            {
                final int refOffset = ((start + i) % count) * IMAGE_REF_LENGTH;
                if (!oneSession || imageRefs.getInt(refOffset + SESSION_ID_OFFSET) == sessionId)
                {
                    fragments += reader.poll(imageRefs, refOffset, handler, Long.MAX_VALUE, limit - fragments);
                }
            }
        }
        finally
        {
            guard.exit();
        }
        return fragments;
    }

    /* Ask the core for the images' refs and the version they belong to. */
    private void refreshImages()
    {
        final int count = abr_subscription_image_refs(subscription, images, MAX_IMAGES_PER_POLL, refsVersion);
        if (count < 0)
        {
            throw lastPollError();
        }
        cachedCount = count;
        cachedVersion = refsVersion.get();
    }

    private RuntimeException lastPollError()
    {
        final RuntimeException failure = NativeErrors.lastError();
        // A client close on another thread that landed after the check before the call fails this poll as it fails
        // any later one.
        aeron.ensureOpen();
        return failure;
    }

    /* A poll of this subscription or of one of its images starts: false, refused, from a poll handler of either. */
    boolean enterPolling()
    {
        final Thread thread = Thread.currentThread();
        if (thread == pollingThread)
        {
            return false;
        }
        pollingThread = thread;
        return true;
    }

    void exitPolling()
    {
        pollingThread = null;
    }

    /* With more images than one poll's refs hold: each poll has the core lock them and rotate the first, as before. */
    private int pollLocked(final FragmentHandler handler, final int limit, final boolean oneSession, final int sessionId)
    {
        final int imageCount = abr_subscription_poll_images(subscription, images, MAX_IMAGES_PER_POLL);
        if (imageCount < 0)
        {
            throw lastPollError();
        }
        int fragments = 0;
        try
        {
            for (int i = 0; i < imageCount && fragments < limit; i++)
            {
                final int refOffset = i * IMAGE_REF_LENGTH;
                if (!oneSession || imageRefs.getInt(refOffset + SESSION_ID_OFFSET) == sessionId)
                {
                    fragments += reader.poll(imageRefs, refOffset, handler, Long.MAX_VALUE, limit - fragments);
                }
            }
        }
        finally
        {
            // The refs now hold this poll's order, but with more images than they hold no poll reads them cached.
            abr_subscription_poll_images_done(subscription);
        }
        return fragments;
    }

    /**
     * @return true when the subscription has at least one image.
     */
    public boolean isConnected()
    {
        enterUsable();
        try
        {
            return abr_subscription_is_connected(subscription);
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the number of images (publisher sessions) the subscription has.
     */
    public int imageCount()
    {
        enterUsable();
        try
        {
            return abr_subscription_image_count(subscription);
        }
        finally
        {
            exit();
        }
    }

    /* For a call into the C handle: entered, so a close on another thread gives the handle up only after it (exit()
     * must follow, in a finally). */
    private void enterUsable()
    {
        if (!enter())
        {
            throw closedException(aeron);
        }
        try
        {
            aeron.ensureOpen();
        }
        catch (final RuntimeException ex)
        {
            exit();
            throw ex;
        }
    }

    /**
     * The image of a publisher session, as io.aeron.Subscription.imageBySessionId.
     *
     * @param sessionId of the publisher.
     * @return its image, or null when the subscription has none of that session.
     */
    public NativeImage imageBySessionId(final int sessionId)
    {
        final abr_image_handle_t handle = new abr_image_handle_t();
        final int found = callWithImages(() -> abr_subscription_image_by_session_id(subscription, sessionId, handle));
        return 1 == found ? new NativeImage(this, handle, false) : null;
    }

    /**
     * The index-th image, as io.aeron.Subscription.imageAtIndex.
     *
     * @param index from 0 to {@link #imageCount()} - 1.
     * @return the image.
     * @throws IndexOutOfBoundsException for an index out of that range.
     */
    public NativeImage imageAtIndex(final int index)
    {
        final abr_image_handle_t handle = new abr_image_handle_t();
        final int count = imageCount();
        if (index < 0 || index >= count)
        {
            throw new IndexOutOfBoundsException("index=" + index + ", imageCount=" + count);
        }
        if (callWithImages(() -> abr_subscription_image_at_index(subscription, index, handle)) < 0)
        {
            // The image went between the count and the look-up.
            throw new IndexOutOfBoundsException("index=" + index + ", imageCount=" + imageCount());
        }
        return new NativeImage(this, handle, false);
    }

    /**
     * @return the images the subscription has now, as io.aeron.Subscription.images.
     */
    public List<NativeImage> images()
    {
        final List<NativeImage> images = new ArrayList<>();
        for (int i = 0, count = imageCount(); i < count; i++)
        {
            final abr_image_handle_t handle = new abr_image_handle_t();
            if (callWithImages(() -> abr_subscription_image_at_index(subscription, images.size(), handle)) < 0)
            {
                break;
            }
            images.add(new NativeImage(this, handle, false));
        }
        return images;
    }

    /* A look-up of images in C, under the close guard; an index out of range answers -1, any other failure throws. */
    private int callWithImages(final IntSupplier lookup)
    {
        if (!enter())
        {
            throw closedException(aeron);
        }
        try
        {
            aeron.ensureOpen();
            final int result = lookup.getAsInt();
            if (result < 0 && ABR_ERROR_INVALID_ARGUMENT != abr_errcode())
            {
                throw NativeErrors.lastError();
            }
            return result;
        }
        finally
        {
            exit();
        }
    }

    /* For NativeImage, to end a poll of its own. */
    abr_subscription_t nativeSubscription()
    {
        return subscription;
    }

    /**
     * Close the subscription; calls after it throw IllegalStateException. A second close does nothing. Safe while
     * another thread polls, or from within a poll's handler: the subscription is then closed in C when that poll
     * returns, on its thread, and a failure of that close is thrown from the poll.
     *
     * @throws NativeArchiveException if the C core could not tell the driver (when no poll was running).
     */
    public void close()
    {
        closeHandle();
    }

    /* Once, with no call into the handle running. Given up rather than kept (nothing here uses it after this, and a
     * long-lived client would otherwise keep every subscription it ever added), unless a replay merge holds it. The
     * client's close already released the C subscription (after the linger). */
    void release()
    {
        try
        {
            aeron.release(this, () -> keptByNativeUser ? abr_subscription_close(subscription) :
                abr_subscription_discard(subscription));
        }
        finally
        {
            images.close();
            refsVersion.close();
            if (null != imageHandlers)
            {
                ImageHandlerBridge.unregister(imageHandlers);
            }
        }
    }

    /**
     * @return true once closed (or its client closed).
     */
    public boolean isClosed()
    {
        return isHandleClosed() || aeron.isClosed();
    }

    private void ensureUsable()
    {
        if (isHandleClosed())
        {
            throw closedException(aeron);
        }
        aeron.ensureOpen();
    }

    /* The client's close closes its subscriptions too: say which was closed. */
    private static IllegalStateException closedException(final NativeAeron aeron)
    {
        return new IllegalStateException(aeron.isClosedFlag() ? "NativeAeron is closed" : "subscription is closed");
    }
}
