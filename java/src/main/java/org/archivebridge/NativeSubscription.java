package org.archivebridge;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.LangUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_frame_ref_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_t;
import org.bytedeco.javacpp.Loader;

import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_FRAME_HEADER_LENGTH;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_image_count;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_is_connected;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_frames;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_poll_frames_done;

/**
 * A subscription of a {@link NativeAeron}. {@link #poll} hands each fragment to an Aeron
 * {@link FragmentHandler} as an Agrona buffer over the native term buffer itself (no copy) with an
 * {@link io.aeron.logbuffer.Header} over its frame, as io.aeron.Subscription does. The buffer and header are valid only
 * during the handler's call. Nothing is allocated per poll: C fills an array of frame addresses this subscription
 * owns, and one buffer and one header are re-pointed for each fragment. One thread polls at a time.
 */
public final class NativeSubscription implements AutoCloseable
{
    /** The most fragments one poll hands over; larger limits are capped to it. */
    public static final int MAX_FRAGMENT_LIMIT = 256;

    private static final int FRAME_REF_LENGTH = Loader.sizeof(abr_frame_ref_t.class);
    private static final int FRAME_OFFSET = 0;
    private static final int INITIAL_TERM_ID_OFFSET = 8;
    private static final int POSITION_BITS_OFFSET = 12;

    private final NativeAeron aeron;
    private final abr_subscription_t subscription;
    private final abr_frame_ref_t frames = new abr_frame_ref_t(MAX_FRAGMENT_LIMIT);
    private final UnsafeBuffer frameRefs;
    private final UnsafeBuffer fragment = new UnsafeBuffer(0, 0);
    private final Header header = new Header(0, 0);
    private volatile boolean closed;

    NativeSubscription(final NativeAeron aeron, final abr_subscription_t subscription)
    {
        this.aeron = aeron;
        this.subscription = subscription;
        this.frameRefs = new UnsafeBuffer(frames.address(), FRAME_REF_LENGTH * MAX_FRAGMENT_LIMIT);
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
        Objects.requireNonNull(handler, "handler");
        if (fragmentLimit <= 0)
        {
            throw new IllegalArgumentException("fragmentLimit must be > 0, got " + fragmentLimit);
        }
        ensureUsable();

        final int count = abr_subscription_poll_frames(
            subscription, frames, Math.min(fragmentLimit, MAX_FRAGMENT_LIMIT));
        if (count < 0)
        {
            throw NativeErrors.lastError();
        }

        // The header reads each frame through the fragment buffer, which every fragment re-points: set once a poll.
        header.buffer(fragment).offset(0);
        int consumed = 0;
        Throwable failure = null;
        try
        {
            for (; consumed < count; consumed++)
            {
                final int refOffset = consumed * FRAME_REF_LENGTH;
                final long frameAddress = frameRefs.getLong(refOffset + FRAME_OFFSET);
                // C read this length (with acquire) to find the frame: it is positive and final.
                final int frameLength = UnsafeApi.getInt(frameAddress);
                fragment.wrap(frameAddress, frameLength);
                header
                    .initialTermId(frameRefs.getInt(refOffset + INITIAL_TERM_ID_OFFSET))
                    .positionBitsToShift(frameRefs.getInt(refOffset + POSITION_BITS_OFFSET));
                handler.onFragment(fragment, ABR_FRAME_HEADER_LENGTH, frameLength - ABR_FRAME_HEADER_LENGTH, header);
            }
        }
        catch (final Throwable ex)
        {
            // The fragment that threw counts as consumed, as with io.aeron.Subscription: it is not redelivered.
            failure = ex;
            consumed++;
        }
        finally
        {
            abr_subscription_poll_frames_done(subscription, consumed >= count ? count : consumed);
        }
        if (null != failure)
        {
            LangUtil.rethrowUnchecked(failure);
        }
        return count;
    }

    /**
     * @return true when the subscription has at least one image.
     */
    public boolean isConnected()
    {
        ensureUsable();
        return abr_subscription_is_connected(subscription);
    }

    /**
     * @return the number of images (publisher sessions) the subscription has.
     */
    public int imageCount()
    {
        ensureUsable();
        return abr_subscription_image_count(subscription);
    }

    /**
     * Close the subscription; polls after it throw IllegalStateException. A second close does nothing.
     */
    public void close()
    {
        if (!closed && !aeron.isClosed())
        {
            closed = true;
            frames.close();
            NativeAeron.check(abr_subscription_close(subscription));
        }
        closed = true;
    }

    /**
     * @return true once closed (or its client closed).
     */
    public boolean isClosed()
    {
        return closed || aeron.isClosed();
    }

    private void ensureUsable()
    {
        if (closed)
        {
            throw new IllegalStateException("subscription is closed");
        }
        aeron.ensureOpen();
    }
}
