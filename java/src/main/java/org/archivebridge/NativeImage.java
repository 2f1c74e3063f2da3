package org.archivebridge;

import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_ref_t;

import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_CLOSED;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ILLEGAL_STATE;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errcode;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errmsg;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_is_closed;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_is_end_of_stream;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_poll_ref;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_poll_ref_done;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_position;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_set_position;

/**
 * One image of a {@link NativeSubscription}: the stream of one publisher session, with the methods of io.aeron.Image a
 * consumer calls. Polls hand each fragment over as an Agrona buffer over the native term itself (no copy), as
 * {@link NativeSubscription#poll} does, and allocate nothing. The image is named in C by its correlation id, so a
 * NativeImage kept after its image went (unavailable, or the subscription or client closed) is never left pointing at
 * unmapped memory: it answers as a closed io.aeron.Image does (polls read nothing, {@link #position()} and
 * {@link #isEndOfStream()} give what they were when last seen, {@link #position(long)} does nothing). One thread polls
 * it at a time, as with io.aeron.Image. Its position may be read from within a poll handler of its subscription; its
 * polls may not (IllegalStateException). From an image handler only its fixed properties may be read.
 */
public final class NativeImage
{
    private final NativeSubscription subscription;
    private final abr_image_handle_t handle;
    private final abr_image_ref_t ref = new abr_image_ref_t();
    private final UnsafeBuffer refView = new UnsafeBuffer(ref.address(), ImageTermReader.IMAGE_REF_LENGTH);
    private final ImageTermReader reader = new ImageTermReader(this);
    private final long correlationId;
    private final long joinPosition;
    private final int sessionId;
    private final int initialTermId;
    private final int termBufferLength;
    private final int mtuLength;
    private final int subscriberPositionId;
    private final String sourceIdentity;
    private volatile boolean gone;

    /* Over a handle the C core has filled; the image takes it over. gone: the image is known to have gone already. */
    NativeImage(final NativeSubscription subscription, final abr_image_handle_t handle, final boolean gone)
    {
        this.subscription = subscription;
        this.handle = handle;
        this.correlationId = handle.correlation_id();
        this.joinPosition = handle.join_position();
        this.sessionId = handle.session_id();
        this.initialTermId = handle.initial_term_id();
        this.termBufferLength = handle.term_buffer_length();
        this.mtuLength = handle.mtu_length();
        this.subscriberPositionId = handle.subscriber_position_id();
        this.sourceIdentity = handle.source_identity().getString();
        this.gone = gone;
    }

    /**
     * @return the subscription this image belongs to.
     */
    public NativeSubscription subscription()
    {
        return subscription;
    }

    /**
     * @return the publisher's session id.
     */
    public int sessionId()
    {
        return sessionId;
    }

    /**
     * @return the id the driver knows the image by.
     */
    public long correlationId()
    {
        return correlationId;
    }

    /**
     * @return the position the subscriber joined the stream at.
     */
    public long joinPosition()
    {
        return joinPosition;
    }

    /**
     * @return the source of the stream: the publisher's address and port, or "aeron:ipc".
     */
    public String sourceIdentity()
    {
        return sourceIdentity;
    }

    /**
     * @return the length of each of the log's three terms.
     */
    public int termBufferLength()
    {
        return termBufferLength;
    }

    /**
     * @return the MTU the publisher sends with.
     */
    public int mtuLength()
    {
        return mtuLength;
    }

    /**
     * @return the term id the stream started at.
     */
    public int initialTermId()
    {
        return initialTermId;
    }

    /**
     * @return the id of the driver's subscriber position counter of this image.
     */
    public int subscriberPositionId()
    {
        return subscriberPositionId;
    }

    /**
     * @return true once the image went: unavailable, or its subscription or client closed.
     */
    public boolean isClosed()
    {
        if (gone || !subscription.enter())
        {
            return true;
        }
        try
        {
            if (subscription.isClosed() || abr_image_handle_is_closed(handle))
            {
                gone = true;
            }
            return gone;
        }
        finally
        {
            subscription.exit();
        }
    }

    /**
     * @return the position consumed to; once closed, the position last seen.
     */
    public long position()
    {
        if (!gone && subscription.enter())
        {
            try
            {
                if (!subscription.isClosed())
                {
                    final long position = abr_image_handle_position(handle);
                    if (position >= 0)
                    {
                        return position;
                    }
                    closedOrThrow();
                }
            }
            finally
            {
                subscription.exit();
            }
        }
        return handle.last_seen_position();
    }

    /**
     * Move the position forward within the current term, as io.aeron.Image.position(long) allows; nothing once closed.
     *
     * @param newPosition from the current position to the end of its term, a multiple of 32.
     * @throws IllegalArgumentException when out of that range or not aligned.
     */
    public void position(final long newPosition)
    {
        if (gone || !subscription.enter())
        {
            return;
        }
        try
        {
            if (!subscription.isClosed() && abr_image_handle_set_position(handle, newPosition) < 0)
            {
                closedOrThrow();
            }
        }
        finally
        {
            subscription.exit();
        }
    }

    /**
     * @return true when the publisher closed and everything it sent has been consumed; once closed, as last seen.
     */
    public boolean isEndOfStream()
    {
        if (!gone && subscription.enter())
        {
            try
            {
                if (!subscription.isClosed())
                {
                    final int result = abr_image_handle_is_end_of_stream(handle);
                    if (result >= 0)
                    {
                        return 1 == result;
                    }
                    closedOrThrow();
                }
            }
            finally
            {
                subscription.exit();
            }
        }
        return handle.last_seen_end_of_stream();
    }

    /**
     * Poll this image for up to fragmentLimit fragments of its current term.
     *
     * @param handler       receives each fragment: the buffer over the term, the payload's offset and length, and the
     *                      frame's header (whose context is this image).
     * @param fragmentLimit the most fragments to hand over.
     * @return the number handed over; 0 once closed.
     */
    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        return boundedPoll(handler, Long.MAX_VALUE, fragmentLimit);
    }

    /**
     * As {@link #poll}, reading no fragment that starts at or past limitPosition.
     *
     * @param handler       receives each fragment.
     * @param limitPosition to read up to.
     * @param fragmentLimit the most fragments to hand over.
     * @return the number handed over; 0 once closed.
     */
    public int boundedPoll(final FragmentHandler handler, final long limitPosition, final int fragmentLimit)
    {
        Objects.requireNonNull(handler, "handler");
        if (!begin(fragmentLimit))
        {
            return 0;
        }
        try
        {
            return reader.poll(refView, 0, handler, limitPosition, fragmentLimit);
        }
        finally
        {
            end();
        }
    }

    /**
     * Poll this image with the handler steering consumption (ABORT, BREAK, COMMIT, CONTINUE as io.aeron.Image).
     *
     * @param handler       receives each fragment and says what to do next.
     * @param fragmentLimit the most fragments to hand over.
     * @return the number consumed; 0 once closed.
     */
    public int controlledPoll(final ControlledFragmentHandler handler, final int fragmentLimit)
    {
        return boundedControlledPoll(handler, Long.MAX_VALUE, fragmentLimit);
    }

    /**
     * As {@link #controlledPoll}, reading no fragment that starts at or past limitPosition.
     *
     * @param handler       receives each fragment and says what to do next.
     * @param limitPosition to read up to.
     * @param fragmentLimit the most fragments to hand over.
     * @return the number consumed; 0 once closed.
     */
    public int boundedControlledPoll(
        final ControlledFragmentHandler handler, final long limitPosition, final int fragmentLimit)
    {
        Objects.requireNonNull(handler, "handler");
        if (!begin(fragmentLimit))
        {
            return 0;
        }
        try
        {
            return reader.controlledPoll(refView, 0, handler, limitPosition, fragmentLimit);
        }
        finally
        {
            end();
        }
    }

    /* Enter the subscription and have the C core hold the image mapped: false (nothing held) when there is nothing to
     * read, the image having gone. */
    private boolean begin(final int fragmentLimit)
    {
        if (fragmentLimit <= 0 || gone || !subscription.enter())
        {
            return false;
        }
        boolean held = false;
        try
        {
            if (subscription.isClosed())
            {
                return false;
            }
            // Before the core's lock: its own subscription's lock-free poll holds none to refuse this one with.
            if (!subscription.enterPolling())
            {
                throw new IllegalStateException("image poll called from a poll handler of its subscription: " + this);
            }
            try
            {
                held = abr_image_handle_poll_ref(handle, ref) >= 0 || closedOrThrow();
            }
            finally
            {
                if (!held)
                {
                    subscription.exitPolling();
                }
            }
            return held;
        }
        finally
        {
            if (!held)
            {
                subscription.exit();
            }
        }
    }

    private void end()
    {
        try
        {
            subscription.exitPolling();
            abr_image_handle_poll_ref_done(handle);
        }
        finally
        {
            subscription.exit();
        }
    }

    /* After a failed call: false when it failed because the image went (remembered), else the failure thrown. */
    private boolean closedOrThrow()
    {
        final int code = abr_errcode();
        if (ABR_ERROR_CLOSED == code)
        {
            gone = true;
            return false;
        }
        if (ABR_ERROR_ILLEGAL_STATE == code)
        {
            // Polled from a poll handler of its own subscription.
            throw new IllegalStateException(NativeErrors.nativeString(abr_errmsg()));
        }
        throw NativeErrors.lastError();
    }

    void markGone()
    {
        gone = true;
    }

    public String toString()
    {
        return "NativeImage{correlationId=" + correlationId + ", sessionId=" + sessionId + ", joinPosition=" +
            joinPosition + ", sourceIdentity='" + sourceIdentity + "'}";
    }
}
