package org.archivebridge;

import io.aeron.AeronCounters;
import io.aeron.ChannelUri;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ImageControlledFragmentAssembler;
import io.aeron.ImageFragmentAssembler;
import io.aeron.archive.client.PersistentSubscriptionException;
import io.aeron.archive.client.PersistentSubscriptionListener;
import io.aeron.exceptions.AeronEvent;
import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.PersistentSubscriptionErrorCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.PersistentSubscriptionEventCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_persistent_subscription_context_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_persistent_subscription_listener_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_persistent_subscription_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_ref_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.*;

/**
 * A persistent subscription as {@link io.aeron.archive.client.PersistentSubscription} (Aeron 1.51.0): consume a live
 * stream that is also recorded, in order and without gaps whenever its messages were published, replaying from the
 * recording before joining the live stream, and again whenever the live image goes. The C state machine of
 * {@code abr_archive_persistent_subscription_*} (its states are documented in abr_archive.h) does the work; the
 * messages are read zero-copy here, as {@link NativeSubscription#poll} reads them, and reassembled. Not thread-safe:
 * poll it in one duty cycle. The listener is Aeron's {@link PersistentSubscriptionListener}; what it is told is of
 * PersistentSubscription's types: {@link PersistentSubscriptionException} where that gives one, an
 * {@link io.aeron.exceptions.AeronEvent} for a live image slow to come, a {@link NativeRegistrationException} (a
 * RegistrationException) for an add the Media Driver refused, a {@link NativeArchiveTimeoutException} (a
 * TimeoutException) for an archive that did not answer in time, a {@link NativeArchiveException} (an ArchiveException)
 * otherwise.
 */
public final class NativePersistentSubscription extends NativeHandle implements AutoCloseable
{
    /** As PersistentSubscription.FROM_START: replay the recording from its start. */
    public static final long FROM_START = ABR_ARCHIVE_NULL_POSITION;
    /** As PersistentSubscription.FROM_LIVE: join the live stream, no history. */
    public static final long FROM_LIVE = -2;

    private static final String NO_LIVE_IMAGE = "No image became available on the live subscription";
    private static final PersistentSubscriptionException.Reason[] REASONS =
        PersistentSubscriptionException.Reason.values();

    private final Context ctx;
    private final abr_archive_persistent_subscription_t subscription;
    private final NativeArchiveCallbacks archiveCallbacks;
    private final PersistentSubscriptionEventCallback onLiveJoined;
    private final PersistentSubscriptionEventCallback onLiveLeft;
    private final PersistentSubscriptionErrorCallback onError;
    private final abr_image_ref_t ref = new abr_image_ref_t();
    private final UnsafeBuffer refView = new UnsafeBuffer(ref.address(), ImageTermReader.IMAGE_REF_LENGTH);
    private final LongPointer limitPosition = new LongPointer(1);
    private final IntPointer failureCode = new IntPointer(1);
    private final IntPointer failureReasonCode = new IntPointer(1);
    private final ImageTermReader reader = new ImageTermReader(this);
    private final ImageFragmentAssembler assembler = new ImageFragmentAssembler(this::onMessage);
    private final ImageControlledFragmentAssembler controlledAssembler =
        new ImageControlledFragmentAssembler(this::onControlledMessage);
    private FragmentHandler handler;
    private ControlledFragmentHandler controlledHandler;
    private Exception failureReason;
    private RuntimeException listenerFailure;

    private NativePersistentSubscription(final Context ctx)
    {
        this.ctx = ctx;
        final PersistentSubscriptionListener listener = ctx.listener();
        onLiveJoined = new PersistentSubscriptionEventCallback()
        {
            public void call(final Pointer clientd)
            {
                deliverEvent(listener::onLiveJoined);
            }
        };
        onLiveLeft = new PersistentSubscriptionEventCallback()
        {
            public void call(final Pointer clientd)
            {
                deliverEvent(listener::onLiveLeft);
            }
        };
        onError = new PersistentSubscriptionErrorCallback()
        {
            public void call(
                final Pointer clientd, final int code, final int reason, final BytePointer message, final boolean terminal)
            {
                final Exception error = toException(code, reason, NativeErrors.nativeString(message));
                if (terminal)
                {
                    failureReason = error;
                }
                deliverEvent(() -> listener.onError(error));
            }
        };
        archiveCallbacks = new NativeArchiveCallbacks(null, null, ctx.aeronArchiveContext().credentialsSupplier());
        final abr_archive_context_t archiveContext = new abr_archive_context_t();
        final abr_archive_persistent_subscription_context_t nativeContext =
            new abr_archive_persistent_subscription_context_t();
        final abr_archive_persistent_subscription_listener_t nativeListener =
            new abr_archive_persistent_subscription_listener_t();
        final abr_archive_persistent_subscription_t created = new abr_archive_persistent_subscription_t();
        boolean done = false;
        try
        {
            NativeAeron.check(abr_archive_context_init(archiveContext));
            ArchiveContextBinding.write(ctx.aeronArchiveContext(), archiveContext, archiveCallbacks);
            NativeAeron.check(abr_archive_context_set_client(archiveContext, ctx.aeron().handle()));
            NativeAeron.check(abr_archive_persistent_subscription_context_init(nativeContext));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_archive_context(
                nativeContext, archiveContext));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_recording_id(
                nativeContext, ctx.recordingId()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_start_position(
                nativeContext, ctx.startPosition()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_live_channel(
                nativeContext, ctx.liveChannel()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_live_stream_id(
                nativeContext, ctx.liveStreamId()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_replay_channel(
                nativeContext, ctx.replayChannel()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_replay_stream_id(
                nativeContext, ctx.replayStreamId()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_state_counter(
                nativeContext, ctx.stateCounter().handle()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_join_difference_counter(
                nativeContext, ctx.joinDifferenceCounter().handle()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_live_left_counter(
                nativeContext, ctx.liveLeftCounter().handle()));
            NativeAeron.check(abr_archive_persistent_subscription_context_set_live_joined_counter(
                nativeContext, ctx.liveJoinedCounter().handle()));
            nativeListener.on_live_joined(onLiveJoined).on_live_left(onLiveLeft).on_error(onError);
            NativeAeron.check(abr_archive_persistent_subscription_context_set_listener(nativeContext, nativeListener));
            NativeAeron.check(abr_archive_persistent_subscription_create(created, nativeContext));
            done = true;
        }
        finally
        {
            abr_archive_persistent_subscription_context_close(nativeContext);
            abr_archive_context_close(archiveContext);
            nativeListener.close();
            if (!done)
            {
                releaseJavaSide();
            }
        }
        subscription = created;
    }

    /**
     * Create a persistent subscription, as PersistentSubscription.create: the context is concluded here; poll the
     * result to do any work.
     *
     * @param ctx the settings.
     * @return the new subscription.
     * @throws ConfigurationException for a setting missing or out of range, with PersistentSubscription's words.
     */
    public static NativePersistentSubscription create(final Context ctx)
    {
        Objects.requireNonNull(ctx, "ctx");
        ctx.conclude();
        final NativePersistentSubscription created;
        try
        {
            created = new NativePersistentSubscription(ctx);
        }
        catch (final RuntimeException ex)
        {
            ctx.close();
            throw ex;
        }
        if (!ctx.aeron().addDependent(created))
        {
            created.close();
            throw new IllegalStateException("NativeAeron is closed: the persistent subscription created on it is closed");
        }
        return created;
    }

    /**
     * Do the work of the current state and hand whole messages over, as PersistentSubscription.poll.
     *
     * @param fragmentHandler receives each assembled message.
     * @param fragmentLimit   the most fragments to read.
     * @return the work done.
     */
    public int poll(final FragmentHandler fragmentHandler, final int fragmentLimit)
    {
        Objects.requireNonNull(fragmentHandler, "fragmentHandler");
        handler = fragmentHandler;
        try
        {
            return doPoll(fragmentLimit, false);
        }
        finally
        {
            handler = null;
        }
    }

    /**
     * As {@link #poll}, the handler's action applying to the whole message, as PersistentSubscription.controlledPoll.
     *
     * @param fragmentHandler receives each assembled message.
     * @param fragmentLimit   the most fragments to read.
     * @return the work done.
     */
    public int controlledPoll(final ControlledFragmentHandler fragmentHandler, final int fragmentLimit)
    {
        Objects.requireNonNull(fragmentHandler, "fragmentHandler");
        controlledHandler = fragmentHandler;
        try
        {
            return doPoll(fragmentLimit, true);
        }
        finally
        {
            controlledHandler = null;
        }
    }

    private int doPoll(final int fragmentLimit, final boolean controlled)
    {
        if (!enter())
        {
            throw new IllegalStateException("persistent subscription is closed");
        }
        try
        {
            int work = NativeAeron.check(abr_archive_persistent_subscription_do_work(subscription, fragmentLimit));
            rethrowListenerFailure();
            if (1 == NativeAeron.check(abr_archive_persistent_subscription_poll_ref(subscription, ref, limitPosition)))
            {
                try
                {
                    work += controlled ?
                        reader.controlledPoll(refView, 0, controlledAssembler, limitPosition.get(), fragmentLimit) :
                        reader.poll(refView, 0, assembler, limitPosition.get(), fragmentLimit);
                }
                finally
                {
                    abr_archive_persistent_subscription_poll_ref_done(subscription);
                }
            }
            return work;
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return true while reading the live stream.
     */
    public boolean isLive()
    {
        return query(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE, -1);
    }

    /**
     * @return true while replaying from the recording (also while switching to live).
     */
    public boolean isReplaying()
    {
        return query(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH);
    }

    /**
     * @return true once it has failed; {@link #failureReason()} says why.
     */
    public boolean hasFailed()
    {
        return query(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED, -1);
    }

    /**
     * @return the terminal error, or null while it has not failed.
     */
    public Exception failureReason()
    {
        return hasFailed() ? failureReason : null;
    }

    /**
     * Stop the replay, close the subscriptions and the archive client, and the Aeron client if it was made here.
     */
    public void close()
    {
        closeHandle();
    }

    /**
     * @return the state, as PersistentSubscription.State names it (CLOSED once closed).
     */
    public String toString()
    {
        if (!enter())
        {
            return "NativePersistentSubscription{state=CLOSED}";
        }
        try
        {
            return "NativePersistentSubscription{state=" + abr_archive_persistent_subscription_state_name(
                abr_archive_persistent_subscription_state(subscription)).getString() + "}";
        }
        finally
        {
            exit();
        }
    }

    void release()
    {
        try
        {
            NativeAeron.check(abr_archive_persistent_subscription_close(subscription));
        }
        finally
        {
            releaseJavaSide();
            ctx.aeron().removeDependent(this);
            ctx.close();
        }
    }

    private void releaseJavaSide()
    {
        archiveCallbacks.close();
        onLiveJoined.close();
        onLiveLeft.close();
        onError.close();
        ref.close();
        limitPosition.close();
        failureCode.close();
        failureReasonCode.close();
    }

    private boolean query(final int state, final int otherState)
    {
        if (!enter())
        {
            return false;
        }
        try
        {
            final int current = abr_archive_persistent_subscription_state(subscription);
            return state == current || otherState == current;
        }
        finally
        {
            exit();
        }
    }

    /* A listener's exception cannot cross the native frame that called it: kept, and thrown once poll is back. */
    private void deliverEvent(final Runnable event)
    {
        try
        {
            event.run();
        }
        catch (final RuntimeException ex)
        {
            if (null == listenerFailure)
            {
                listenerFailure = ex;
            }
        }
    }

    private void rethrowListenerFailure()
    {
        final RuntimeException failure = listenerFailure;
        if (null != failure)
        {
            listenerFailure = null;
            throw failure;
        }
    }

    private static Exception toException(final int code, final int reason, final String message)
    {
        if (reason >= 0 && reason < REASONS.length)
        {
            return new PersistentSubscriptionException(REASONS[reason], message);
        }
        final String text = message.isEmpty() ? "persistent subscription error " + code : message;
        if (text.startsWith(NO_LIVE_IMAGE))
        {
            // PersistentSubscription tells a live image that is slow to come as an event, not an error.
            return new AeronEvent(text);
        }
        if (ABR_ERROR_TIMEOUT == code)
        {
            // An archive connect or request that timed out: PersistentSubscription tells Aeron's TimeoutException.
            return new NativeArchiveTimeoutException(text, code, ABR_ARCHIVE_NULL_VALUE);
        }
        if (ABR_ERROR_NO_DRIVER == code || ABR_ERROR_DRIVER_TIMEOUT == code)
        {
            return new NativeDriverTimeoutException(text, code);
        }
        if (ABR_ERROR_DRIVER_REJECTED == code)
        {
            // The driver's own code is on this thread while the callback runs, as the add that failed left it.
            return new NativeRegistrationException(
                ABR_ARCHIVE_NULL_VALUE, abr_errcode() == code ? abr_errdriver_code() : -1, text, code, "");
        }
        return new NativeArchiveException(text, code, code >= ABR_ERROR_ARCHIVE_BASE ?
            code - ABR_ERROR_ARCHIVE_BASE : -1, ABR_ARCHIVE_NULL_VALUE);
    }

    private void onMessage(
        final org.agrona.DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        handler.onFragment(buffer, offset, length, header);
    }

    private ControlledFragmentHandler.Action onControlledMessage(
        final org.agrona.DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        return controlledHandler.onFragment(buffer, offset, length, header);
    }

    /**
     * The settings of a {@link NativePersistentSubscription}, as PersistentSubscription.Context, taking a
     * {@link NativeArchive.Context} where it takes an AeronArchive.Context and a {@link NativeAeron} where it takes an
     * Aeron, and a {@link NativeCounter} where it takes a Counter. Its counters (state, join difference, live left and
     * joined counts) are allocated on conclude when not given, labelled as PersistentSubscription's, and closed by
     * {@link #close()} as PersistentSubscription.Context closes them.
     */
    public static final class Context implements Cloneable
    {
        private boolean isConcluded;
        private NativeAeron aeron;
        private boolean ownsAeronClient;
        private String aeronDirectoryName;
        private long recordingId = ABR_ARCHIVE_NULL_VALUE;
        private long startPosition = FROM_LIVE;
        private String liveChannel;
        private int liveStreamId = (int)ABR_ARCHIVE_NULL_VALUE;
        private String replayChannel;
        private int replayStreamId = (int)ABR_ARCHIVE_NULL_VALUE;
        private PersistentSubscriptionListener listener;
        private NativeArchive.Context aeronArchiveContext;
        private NativeCounter stateCounter;
        private NativeCounter joinDifferenceCounter;
        private NativeCounter liveLeftCounter;
        private NativeCounter liveJoinedCounter;

        /**
         * @return a shallow copy.
         */
        public Context clone()
        {
            try
            {
                return (Context)super.clone();
            }
            catch (final CloneNotSupportedException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        /**
         * Check the settings as PersistentSubscription.Context.conclude does, with its messages, and connect an Aeron
         * client when none is given.
         */
        public void conclude()
        {
            if (isConcluded)
            {
                throw new ConcurrentConcludeException();
            }
            isConcluded = true;
            require(ABR_ARCHIVE_NULL_VALUE != recordingId, "recordingId must be set");
            require(ABR_ARCHIVE_NULL_VALUE != liveStreamId, "liveStreamId must be set");
            require(null != liveChannel && !liveChannel.isEmpty(), "liveChannel must be set");
            require(null != replayChannel && !replayChannel.isEmpty(), "replayChannel must be set");
            require(ABR_ARCHIVE_NULL_VALUE != replayStreamId, "replayStreamId must be set");
            require(null != aeronArchiveContext, "aeronArchiveContext must be set");
            if (null == listener)
            {
                listener = NoOpListener.INSTANCE;
            }
            require(recordingId >= 0, "invalid recordingId " + recordingId);
            require(startPosition >= FROM_LIVE, "invalid startPosition " + startPosition);
            // As PersistentSubscription's conclude: a replay image that goes stays gone (replayed again from where it
            // was), and the counters' labels name the channel so.
            replayChannel = new ChannelUriStringBuilder(ChannelUri.parse(replayChannel)).rejoin(false).build();
            final ChannelUri replayChannelUri = ChannelUri.parse(replayChannel);
            final String controlRequestChannel = aeronArchiveContext.controlRequestChannel();
            // A response channel's replay is asked for over the control channel's media: they must be the same.
            require(!replayChannelUri.hasControlModeResponse() || null == controlRequestChannel ||
                replayChannelUri.isIpc() == ChannelUri.parse(controlRequestChannel).isIpc(),
                "Channel media type mismatch. When using `control-mode=response`, the `replayChannel` media type " +
                "must match the media type for the archive control channel.");
            if (null == aeron)
            {
                final NativeAeron.Context aeronContext = new NativeAeron.Context().clientName("PersistentSubscription");
                if (null != aeronDirectoryName)
                {
                    aeronContext.aeronDirectoryName(aeronDirectoryName);
                }
                aeron = NativeAeron.connect(aeronContext);
                ownsAeronClient = true;
            }
            stateCounter = null != stateCounter ? stateCounter : counter("Persistent Subscription State",
                AeronCounters.PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID);
            joinDifferenceCounter = null != joinDifferenceCounter ? joinDifferenceCounter : counter(
                "Persistent Subscription Join Difference", AeronCounters.PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID);
            liveLeftCounter = null != liveLeftCounter ? liveLeftCounter : counter(
                "Persistent Subscription Live Left Count", AeronCounters.PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID);
            liveJoinedCounter = null != liveJoinedCounter ? liveJoinedCounter : counter(
                "Persistent Subscription Live Joined Count",
                AeronCounters.PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID);
        }

        /* A counter as PersistentSubscription allocates it: an empty key, the name then the streams and channels. */
        private NativeCounter counter(final String name, final int typeId)
        {
            return aeron.addCounter(
                typeId, name + ": " + replayStreamId + " " + replayChannel + " " + liveStreamId + " " + liveChannel);
        }

        private static void require(final boolean condition, final String message)
        {
            if (!condition)
            {
                throw new ConfigurationException(message);
            }
        }

        /**
         * @return true once concluded.
         */
        public boolean isConcluded()
        {
            return isConcluded;
        }

        /**
         * @param aeron the client the subscriptions and the archive client use.
         * @return this.
         */
        public Context aeron(final NativeAeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @return the Aeron client.
         */
        public NativeAeron aeron()
        {
            return aeron;
        }

        /**
         * @param ownsAeronClient whether close closes the Aeron client.
         * @return this.
         */
        public Context ownsAeronClient(final boolean ownsAeronClient)
        {
            this.ownsAeronClient = ownsAeronClient;
            return this;
        }

        /**
         * @return whether close closes the Aeron client.
         */
        public boolean ownsAeronClient()
        {
            return ownsAeronClient;
        }

        /**
         * @param aeronDirectoryName the directory of the driver, for an Aeron client made here.
         * @return this.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @return the directory of the driver.
         */
        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /**
         * @param recordingId the recording of the live stream.
         * @return this.
         */
        public Context recordingId(final long recordingId)
        {
            this.recordingId = recordingId;
            return this;
        }

        /**
         * @return the recording id.
         */
        public long recordingId()
        {
            return recordingId;
        }

        /**
         * @param startPosition where to start: a position, {@link #FROM_START} or {@link #FROM_LIVE} (the default).
         * @return this.
         */
        public Context startPosition(final long startPosition)
        {
            this.startPosition = startPosition;
            return this;
        }

        /**
         * @return the start position.
         */
        public long startPosition()
        {
            return startPosition;
        }

        /**
         * @param liveChannel the live stream's channel.
         * @return this.
         */
        public Context liveChannel(final String liveChannel)
        {
            this.liveChannel = liveChannel;
            return this;
        }

        /**
         * @return the live channel.
         */
        public String liveChannel()
        {
            return liveChannel;
        }

        /**
         * @param liveStreamId the live stream's stream id (the recording's).
         * @return this.
         */
        public Context liveStreamId(final int liveStreamId)
        {
            this.liveStreamId = liveStreamId;
            return this;
        }

        /**
         * @return the live stream id.
         */
        public int liveStreamId()
        {
            return liveStreamId;
        }

        /**
         * @param replayChannel the channel replays come on.
         * @return this.
         */
        public Context replayChannel(final String replayChannel)
        {
            this.replayChannel = replayChannel;
            return this;
        }

        /**
         * @return the replay channel.
         */
        public String replayChannel()
        {
            return replayChannel;
        }

        /**
         * @param replayStreamId the stream id replays come on.
         * @return this.
         */
        public Context replayStreamId(final int replayStreamId)
        {
            this.replayStreamId = replayStreamId;
            return this;
        }

        /**
         * @return the replay stream id.
         */
        public int replayStreamId()
        {
            return replayStreamId;
        }

        /**
         * @param listener told of live joined, live left and errors; none by default.
         * @return this.
         */
        public Context listener(final PersistentSubscriptionListener listener)
        {
            this.listener = listener;
            return this;
        }

        /**
         * @return the listener.
         */
        public PersistentSubscriptionListener listener()
        {
            return listener;
        }

        /**
         * @param aeronArchiveContext the settings of the archive client it connects (its Aeron client, if set, is
         *                            replaced by this context's).
         * @return this.
         */
        public Context aeronArchiveContext(final NativeArchive.Context aeronArchiveContext)
        {
            this.aeronArchiveContext = aeronArchiveContext;
            return this;
        }

        /**
         * @return the archive client's settings.
         */
        public NativeArchive.Context aeronArchiveContext()
        {
            return aeronArchiveContext;
        }

        /**
         * @param stateCounter for the state's code; allocated on conclude when not given.
         * @return this.
         */
        public Context stateCounter(final NativeCounter stateCounter)
        {
            this.stateCounter = stateCounter;
            return this;
        }

        /**
         * @return the state counter.
         */
        public NativeCounter stateCounter()
        {
            return stateCounter;
        }

        /**
         * @param joinDifferenceCounter for the live position minus the replay position when the switch to live is
         *                              attempted, Long.MIN_VALUE while not consuming live; allocated on conclude when
         *                              not given.
         * @return this.
         */
        public Context joinDifferenceCounter(final NativeCounter joinDifferenceCounter)
        {
            this.joinDifferenceCounter = joinDifferenceCounter;
            return this;
        }

        /**
         * @return the join difference counter.
         */
        public NativeCounter joinDifferenceCounter()
        {
            return joinDifferenceCounter;
        }

        /**
         * @param liveLeftCounter for how many times the live stream was left; allocated on conclude when not given.
         * @return this.
         */
        public Context liveLeftCounter(final NativeCounter liveLeftCounter)
        {
            this.liveLeftCounter = liveLeftCounter;
            return this;
        }

        /**
         * @return the live left counter.
         */
        public NativeCounter liveLeftCounter()
        {
            return liveLeftCounter;
        }

        /**
         * @param liveJoinedCounter for how many times the live stream was joined; allocated on conclude when not
         *                          given.
         * @return this.
         */
        public Context liveJoinedCounter(final NativeCounter liveJoinedCounter)
        {
            this.liveJoinedCounter = liveJoinedCounter;
            return this;
        }

        /**
         * @return the live joined counter.
         */
        public NativeCounter liveJoinedCounter()
        {
            return liveJoinedCounter;
        }

        /**
         * Close the Aeron client if it was made here or handed over with {@link #ownsAeronClient(boolean)}, which
         * closes the counters with it; otherwise close the four counters, as PersistentSubscription.Context does.
         */
        public void close()
        {
            if (ownsAeronClient && null != aeron)
            {
                aeron.close();
            }
            else if (null != aeron && !aeron.isClosed())
            {
                CloseHelper.closeAll(stateCounter, joinDifferenceCounter, liveLeftCounter, liveJoinedCounter);
            }
        }
    }

    private static final class NoOpListener implements PersistentSubscriptionListener
    {
        static final NoOpListener INSTANCE = new NoOpListener();

        public void onLiveJoined()
        {
        }

        public void onLiveLeft()
        {
        }

        public void onError(final Exception e)
        {
        }
    }
}
