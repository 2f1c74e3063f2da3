package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.archive.client.RecordingSignalConsumer;
import io.aeron.archive.client.RecordingSubscriptionDescriptorConsumer;
import io.aeron.archive.client.ReplayParams;
import io.aeron.archive.client.ReplicationParams;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.CommonContext;
import io.aeron.archive.client.ArchiveException;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import io.aeron.security.CredentialsSupplier;
import org.agrona.ErrorHandler;
import org.agrona.SystemUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_async_connect_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_params_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replication_params_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_exclusive_publication_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_publication_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;

import java.util.Objects;
import java.util.concurrent.locks.Lock;

import static org.archivebridge.binding.ArchiveBridgeLibrary.*;

/**
 * A client of an Aeron Archive through archive-bridge's C library, with the methods of
 * {@code io.aeron.archive.client.AeronArchive} 1.51.0 under the same names, in the same order.
 * <p>
 * Calls are serialised by a lock, as AeronArchive's are ({@link Context#lock(Lock)}: a re-entrant one by default, a
 * {@link org.agrona.concurrent.NoOpLock} for none); {@link #close()} waits for a call in progress. The default lock is
 * re-entrant, as AeronArchive's is: a recording signal consumer or error handler may call the client, close included,
 * whether its callback comes from a call, a poll or the auto-poll thread. The control
 * session is closed (CloseSessionRequest sent) by an explicit {@link #close()} only: a client that is never closed
 * leaks its session rather than having a cleaner close it on an arbitrary thread at an arbitrary time.
 * <p>
 * As AeronArchive does, a client whose response image from the archive goes away (the archive ended the session,
 * stopped or restarted) closes itself when the next call starts: that call and every later one fail with a
 * {@link NativeArchiveException} whose {@link NativeArchiveException#nativeCode() nativeCode()} is ABR_ERROR_CLOSED
 * (AeronArchive: "client is closed"); {@link #close()} still releases it cleanly, and a new client can connect.
 */
public final class NativeArchive implements AutoCloseable
{
    /** The text {@link #pollForErrorResponse()} returns when the response channel is not connected, as AeronArchive. */
    public static final String NOT_CONNECTED_MSG = "not connected";
    /** The null value of positions and ids, as AeronArchive.NULL_POSITION / Aeron.NULL_VALUE. */
    public static final long NULL_VALUE = -1;
    /** A timestamp that is not set, as AeronArchive.NULL_TIMESTAMP. */
    public static final long NULL_TIMESTAMP = -1;
    /** A position that is not set (e.g. the stop position of an active recording), as AeronArchive.NULL_POSITION. */
    public static final long NULL_POSITION = -1;
    /** A length that is not set, as AeronArchive.NULL_LENGTH. */
    public static final long NULL_LENGTH = -1;
    /** A replay length: the whole recording, then follow it live, as AeronArchive.REPLAY_ALL_AND_FOLLOW. */
    public static final long REPLAY_ALL_AND_FOLLOW = -1;
    /** A replay length: the recording as it stands when the replay starts, as AeronArchive.REPLAY_ALL_AND_STOP. */
    public static final long REPLAY_ALL_AND_STOP = -2;

    private static final int ERROR_TEXT_CAPACITY = NativeArchiveCallbacks.ERROR_TEXT_CAPACITY;

    private final ClientLock lock;
    private final Context context;
    private final long controlSessionId;
    private final long archiveId;
    private final RecordingDescriptorDispatcher dispatcher;
    /* The callbacks' result slots: recycled with them once this client is closed. */
    private final LongPointer longResult;
    private final IntPointer intResult;
    /* The slots above read without a JNI call: see NativeArchiveCallbacks.longResultView. */
    private final UnsafeBuffer longResultView;
    private final UnsafeBuffer intResultView;
    private final boolean[] boolResult = new boolean[1];
    private final BytePointer errorText;
    private final NativeArchiveCallbacks callbacks;
    /* Null once closed. Volatile and swapped under stateLock as well, so state() can read it without the main lock. */
    private volatile abr_archive_t archive;
    /* Held by state() while it reads the native client, and by close() while it releases it: never the other way. */
    private final Object stateLock = new Object();
    private long lastCorrelationIdAtClose = NULL_VALUE;
    private final String responseChannel;
    /* The core client replays are added through: the context's shared one, or a view of the archive client's own. */
    private NativeAeron replayClient;

    /* Package-private so tests of the Java layer's state handling can wrap a handle of their own. */
    NativeArchive(final Context context, final abr_archive_t archive, final long controlSessionId, final long archiveId)
    {
        this(context, archive, controlSessionId, archiveId, new NativeArchiveCallbacks(null, null));
    }

    NativeArchive(
        final Context context,
        final abr_archive_t archive,
        final long controlSessionId,
        final long archiveId,
        final NativeArchiveCallbacks callbacks)
    {
        this.context = context;
        this.lock = new ClientLock(null == context ? null : context.lock());
        this.callbacks = callbacks;
        this.dispatcher = callbacks.descriptors;
        this.longResult = callbacks.longResult;
        this.intResult = callbacks.intResult;
        this.longResultView = callbacks.longResultView;
        this.intResultView = callbacks.intResultView;
        this.errorText = callbacks.errorText;
        this.archive = archive;
        this.controlSessionId = controlSessionId;
        this.archiveId = archiveId;
        // Kept for errors raised after the native client is gone: a closed client still says which session it was.
        this.responseChannel = null == archive ? null :
            NativeErrors.nativeString(abr_archive_control_response_channel(archive));
        // As AeronArchive's context names the Aeron client it connected, this one names the core connected here.
        if (null != archive && null != context && null == context.sharedAeron())
        {
            replayClient = NativeAeron.borrowed(abr_archive_client(archive));
            context.ownCore(replayClient);
        }
    }

    /**
     * Close the control session, sending CloseSessionRequest, and release the native client. Waits for a call in
     * progress on another thread; a second close does nothing.
     *
     * @throws NativeArchiveException if the native close reported a failure; the client is released all the same.
     * @throws AeronException         if called from within a {@link RecordingDescriptorConsumer} of this client.
     */
    public void close()
    {
        final abr_archive_t toClose;
        lock.lock();
        try
        {
            ensureNotReentrant();
            if (null == archive)
            {
                return;
            }
            toClose = archive;
            synchronized (stateLock)
            {
                lastCorrelationIdAtClose = abr_archive_last_correlation_id(toClose);
                archive = null;
            }
        }
        finally
        {
            lock.unlock();
        }

        // From a callback (a signal consumer or error handler of this client): the call that dispatched it, or the
        // auto-poll thread, is still inside the native client and its thunks, and the native close is finished as it
        // returns; what Java allocated is left to the GC then, which frees it once nothing refers to it any more.
        final boolean fromCallback = lock.isHeldByCurrentThread() || callbacks.inCallback();
        // Replay subscriptions on the client's own core see it closed first: one whose poll then fails in C finds out
        // why, and throws IllegalStateException as every later call does.
        if (null != replayClient && null == context.sharedAeron())
        {
            replayClient.close();
        }
        try
        {
            // Outside the lock: the native close waits for the auto-poll thread, whose callback may wait for it.
            if (abr_archive_close(toClose) < 0)
            {
                throw NativeErrors.lastError();
            }
        }
        finally
        {
            if (!fromCallback)
            {
                // The native client is closed and no thread is in its callbacks: the next client may have them.
                callbacks.recycle();
            }
            if (null != context.sharedAeron())
            {
                context.sharedAeron().removeDependent(this);
            }
            // As AeronArchive.close: the context closes what it owns, the shared core if ownsAeronClient.
            context.close();
        }
    }

    /**
     * Connect to an archive with a default {@link Context}, which reads the system properties.
     *
     * @return the connected client.
     */
    public static NativeArchive connect()
    {
        return connect(new Context());
    }

    /**
     * Connect to an archive and open a control session, within the context's message timeout.
     *
     * @param ctx the settings to connect with; kept, and returned by {@link #context()}.
     * @return the connected client.
     * @throws ConfigurationException if a required setting is missing, as AeronArchive.Context.conclude() would.
     * @throws NativeArchiveException if the driver or the archive cannot be reached; the message names them.
     */
    public static NativeArchive connect(final Context ctx)
    {
        return ArchiveConnector.connect(ctx);
    }

    /**
     * Begin connecting with a default {@link Context}, which reads the system properties, as
     * AeronArchive.asyncConnect().
     *
     * @return the connect in progress; close it to abandon it.
     */
    public static AsyncConnect asyncConnect()
    {
        return asyncConnect(new Context());
    }

    /**
     * Begin connecting to an archive without blocking, as AeronArchive.asyncConnect: the caller polls the returned
     * {@link AsyncConnect} until it yields the client.
     *
     * @param ctx the settings to connect with.
     * @return the connect in progress; close it to abandon it.
     * @throws NativeArchiveException if the driver cannot be reached.
     */
    public static AsyncConnect asyncConnect(final Context ctx)
    {
        return ArchiveConnector.asyncConnect(ctx);
    }

    /**
     * A connect in progress, polled step by step by the caller, as AeronArchive.AsyncConnect. One thread polls it
     * (polls on several are taken in turn); a close may come from any thread, or from a callback of the connect: while
     * a poll runs it takes effect when that poll returns.
     */
    public static final class AsyncConnect extends NativeHandle implements AutoCloseable
    {
        private final Context ctx;
        private final NativeArchiveCallbacks callbacks;
        /* Null once completed, failed or abandoned. Only touched in a poll or in the release, which never overlap. */
        private abr_archive_async_connect_t async;
        private volatile int step;
        private volatile State state;
        /* What later polls answer, as AeronArchive.AsyncConnect's: the client it returned, or null after a failure,
         * until the connect's deadline passes, then its timeout. */
        private final long startNs = System.nanoTime();
        private volatile boolean timedOut;
        private volatile NativeArchive connected;
        private volatile boolean failed;

        AsyncConnect(
            final Context ctx, final abr_archive_async_connect_t async, final NativeArchiveCallbacks callbacks)
        {
            this.ctx = ctx;
            this.async = async;
            this.callbacks = callbacks;
            this.step = abr_archive_async_connect_step(async);
            this.state = State.of(abr_archive_async_connect_step_name(async).getString());
        }

        /**
         * Do a little of the connect's work, never blocking.
         *
         * Once the connect has completed, later polls return the same client, and once it has failed, null, as
         * AeronArchive.AsyncConnect's do; either throws the connect timeout when the message timeout from the start
         * has passed.
         *
         * @return the connected client once the connect completes, else null.
         * @throws NativeArchiveTimeoutException if the message timeout passes; the message names the step.
         * @throws IllegalStateException         if the connect was closed before it completed.
         */
        public NativeArchive poll()
        {
            final NativeArchive client = connected;
            if (null != client || failed)
            {
                return pollAfterTheEnd(client);
            }
            if (!enter())
            {
                throw closedException();
            }
            try
            {
                synchronized (this)
                {
                    return pollOnce();
                }
            }
            finally
            {
                exit();
            }
        }

        private NativeArchive pollOnce()
        {
            if (null == async)
            {
                throw closedException();
            }
            final abr_archive_t archive = new abr_archive_t();
            final int result = abr_archive_async_connect_poll(archive, async);
            if (result < 0)
            {
                async = null;
                final RuntimeException failure = callbacks.connectFailure(NativeErrors.lastConnectError());
                callbacks.close();
                // The C connect's deadline passed, a moment before ours would: later polls time out too, as Aeron's.
                timedOut = failure instanceof NativeArchiveTimeoutException;
                failed = true;
                throw failure;
            }
            if (result > 0)
            {
                async = null;
                state = State.DONE;
                connected = ArchiveConnector.connected(ctx, archive, callbacks);
                return connected;
            }
            step = abr_archive_async_connect_step(async);
            state = State.of(abr_archive_async_connect_step_name(async).getString());
            return null;
        }

        /**
         * @return the step the connect is in, increasing as it progresses except that the challenge steps are
         *         numbered after the archive id steps they come before, as in AeronArchive.AsyncConnect.State.
         */
        public int step()
        {
            return step;
        }

        /**
         * The steps of a connect, with the names and order of AeronArchive.AsyncConnect.State.
         */
        public enum State
        {
            /** Adding the response subscription. */
            AWAIT_SUBSCRIPTION,
            /** Adding the request publication. */
            ADD_PUBLICATION,
            /** Waiting for the request publication to connect to the archive. */
            AWAIT_PUBLICATION_CONNECTED,
            /** Sending the connect request. */
            SEND_CONNECT_REQUEST,
            /** Waiting for the archive to connect to the response subscription. */
            AWAIT_SUBSCRIPTION_CONNECTED,
            /** Waiting for the archive's answer to the connect request. */
            AWAIT_CONNECT_RESPONSE,
            /** Sending the archive id request. */
            SEND_ARCHIVE_ID_REQUEST,
            /** Waiting for the archive id. */
            AWAIT_ARCHIVE_ID_RESPONSE,
            /** Sending the answer to the archive's challenge. */
            SEND_CHALLENGE_RESPONSE,
            /** Waiting for the archive's answer to the challenge response. */
            AWAIT_CHALLENGE_RESPONSE,
            /** Connected: the client has been returned by {@link AsyncConnect#poll()}. */
            DONE;

            /* The C steps carry these names, but for one of its own: resolving the response subscription's endpoint,
             * which AeronArchive does within AWAIT_SUBSCRIPTION. */
            static State of(final String stepName)
            {
                return "RESOLVE_RESPONSE_ENDPOINT".equals(stepName) ? AWAIT_SUBSCRIPTION : valueOf(stepName);
            }
        }

        /**
         * @return the step the connect is in, as AeronArchive.AsyncConnect.state().
         */
        public State state()
        {
            return state;
        }

        /**
         * @return the context the connect was started with, as AeronArchive.AsyncConnect.context().
         */
        public Context context()
        {
            return ctx;
        }

        /**
         * Abandon the connect if it has not completed; harmless afterwards.
         */
        public void close()
        {
            closeHandle();
        }

        /* Once, with no poll running: the C connect and the callbacks it calls go together. */
        void release()
        {
            if (null != async)
            {
                abr_archive_async_connect_close(async);
                async = null;
                callbacks.close();
            }
            if (null != ctx.sharedAeron())
            {
                ctx.sharedAeron().removeDependent(this);
            }
        }

        private NativeArchive pollAfterTheEnd(final NativeArchive client)
        {
            if (timedOut || System.nanoTime() - startNs >= ctx.messageTimeoutNs())
            {
                throw new NativeArchiveTimeoutException(
                    "Archive connect timeout: step=" + state + " publication=" + ctx.controlRequestChannel() +
                    " subscription=" + ctx.controlResponseChannel(), ABR_ERROR_TIMEOUT, NULL_VALUE);
            }
            return client;
        }

        private static IllegalStateException closedException()
        {
            return new IllegalStateException("AsyncConnect is closed");
        }
    }

    /**
     * The context this client was connected with.
     *
     * @return the context.
     */
    public Context context()
    {
        return context;
    }

    /**
     * The control session id the archive gave this client; still answered after close, as AeronArchive does.
     *
     * @return the control session id.
     */
    public long controlSessionId()
    {
        return controlSessionId;
    }

    /**
     * The state of the client, as AeronArchive's.
     */
    public enum State
    {
        /** Connected to the archive. */
        CONNECTED,
        /** The response channel from the archive went (the archive ended the session, stopped or restarted) or the
         * Media Driver is lost; the next call closes the client. */
        DISCONNECTED,
        /** Closed, by {@link #close()} or by a call that found the client disconnected. */
        CLOSED
    }

    /**
     * The client's state, as AeronArchive.state(): readable from any thread without waiting for a call in
     * progress on another.
     *
     * @return CONNECTED, DISCONNECTED or CLOSED.
     */
    public State state()
    {
        synchronized (stateLock)
        {
            final abr_archive_t current = archive;
            if (null == current)
            {
                return State.CLOSED;
            }
            final int state = abr_archive_state(current);
            if (ABR_ARCHIVE_STATE_CONNECTED == state)
            {
                return State.CONNECTED;
            }
            return ABR_ARCHIVE_STATE_DISCONNECTED == state ? State.DISCONNECTED : State.CLOSED;
        }
    }

    /**
     * The correlation id of the last request sent by a method of this client, as AeronArchive.lastCorrelationId();
     * {@link #NULL_VALUE} before the first (the connect's requests do not count).
     *
     * @return the last correlation id.
     */
    public long lastCorrelationId()
    {
        synchronized (stateLock)
        {
            final abr_archive_t current = archive;
            return null == current ? lastCorrelationIdAtClose : abr_archive_last_correlation_id(current);
        }
    }

    /**
     * Poll the control response channel for traffic not tied to a call (pings, recording signals, errors). An idle
     * client must call it regularly, or the archive ends the session when its responses stop getting through
     * (or turn on the context's auto-poll). An extension: AeronArchive's nearest are pollForRecordingSignals(), which
     * this also does, and pollForErrorResponse(); here an error goes to the context's error handler.
     *
     * @return the number of fragments read.
     */
    public int poll()
    {
        lock.lock();
        try
        {
            ensureUsable();
            return checked(abr_archive_poll(archive));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Poll the response channel once for an error for this session, as AeronArchive.pollForErrorResponse: other
     * messages are consumed (recording signals dispatched). Only call it when no response is awaited.
     *
     * @return the archive's error text, {@link #NOT_CONNECTED_MSG} if the response channel is not connected, or null.
     */
    public String pollForErrorResponse()
    {
        lock.lock();
        try
        {
            ensureUsable();
            final int found = checked(abr_archive_poll_for_error_response(archive, errorText, ERROR_TEXT_CAPACITY));
            if (0 == found)
            {
                return null;
            }
            // The text ends at its terminating zero, not at the end of the buffer it was copied into.
            final byte[] text = new byte[(int)BytePointer.strlen(errorText)];
            errorText.get(text);
            return new String(text, java.nio.charset.StandardCharsets.UTF_8);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Poll once for an error for this session, or notice that the response channel is gone, and throw it, unless an
     * {@link Context#errorHandler(ErrorHandler) error handler} is set, which then receives it.
     *
     * @throws NativeArchiveException with the archive's error code.
     */
    public void checkForErrorResponse()
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_check_for_error_response(archive));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Poll once for a recording signal and hand it to the context's {@link RecordingSignalConsumer}.
     *
     * @return 1 if a signal was dispatched, else 0.
     */
    public int pollForRecordingSignals()
    {
        lock.lock();
        try
        {
            ensureUsable();
            return checked(abr_archive_poll_for_recording_signals(archive));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start recording a channel and stream; the recording is stopped explicitly.
     *
     * @param channel        to record.
     * @param streamId       to record.
     * @param sourceLocation of the publication.
     * @return the archive's subscription id for the recording, for {@link #stopRecording(long)}.
     */
    public long startRecording(final String channel, final int streamId, final SourceLocation sourceLocation)
    {
        return startRecording(channel, streamId, sourceLocation, false);
    }

    /**
     * Start recording a channel and stream.
     *
     * @param channel        to record.
     * @param streamId       to record.
     * @param sourceLocation of the publication.
     * @param autoStop       stop the recording when the publication goes away.
     * @return the archive's subscription id for the recording, for {@link #stopRecording(long)}.
     */
    public long startRecording(
        final String channel, final int streamId, final SourceLocation sourceLocation, final boolean autoStop)
    {
        requireChannel(channel);
        Objects.requireNonNull(sourceLocation, "sourceLocation");
        final int location = ArchiveParamsConversion.sourceLocation(sourceLocation);

        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_start_recording(longResult, archive, channel, streamId, location, autoStop));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Extend a stopped recording from its stop position; the recording is stopped explicitly.
     *
     * @param recordingId    to extend.
     * @param channel        to record, carrying the recording's initial position parameters.
     * @param streamId       to record.
     * @param sourceLocation of the publication.
     * @return the archive's subscription id for the recording.
     */
    public long extendRecording(
        final long recordingId, final String channel, final int streamId, final SourceLocation sourceLocation)
    {
        return extendRecording(recordingId, channel, streamId, sourceLocation, false);
    }

    /**
     * Extend a stopped recording from its stop position.
     *
     * @param recordingId    to extend.
     * @param channel        to record, carrying the recording's initial position parameters.
     * @param streamId       to record.
     * @param sourceLocation of the publication.
     * @param autoStop       stop the recording when the publication goes away.
     * @return the archive's subscription id for the recording.
     */
    public long extendRecording(
        final long recordingId,
        final String channel,
        final int streamId,
        final SourceLocation sourceLocation,
        final boolean autoStop)
    {
        requireChannel(channel);
        Objects.requireNonNull(sourceLocation, "sourceLocation");

        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_extend_recording(
                longResult, archive, recordingId, channel, streamId, ArchiveParamsConversion.sourceLocation(sourceLocation), autoStop));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop recording a channel and stream.
     *
     * @param channel  as given to startRecording.
     * @param streamId as given to startRecording.
     */
    public void stopRecording(final String channel, final int streamId)
    {
        requireChannel(channel);

        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_stop_recording_channel_and_stream(archive, channel, streamId));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop recording a channel and stream if it is being recorded.
     *
     * @param channel  as given to startRecording.
     * @param streamId as given to startRecording.
     * @return true if a recording was stopped, false if there was none (UNKNOWN_SUBSCRIPTION).
     */
    public boolean tryStopRecording(final String channel, final int streamId)
    {
        requireChannel(channel);

        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_try_stop_recording_channel_and_stream(boolResult, archive, channel, streamId));
            return boolResult[0];
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop the recording that startRecording returned this subscription id for.
     *
     * @param subscriptionId from startRecording.
     */
    public void stopRecording(final long subscriptionId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_stop_recording_subscription(archive, subscriptionId));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop the recording with this subscription id if it is active.
     *
     * @param subscriptionId from startRecording.
     * @return true if a recording was stopped, false if there was none (UNKNOWN_SUBSCRIPTION).
     */
    public boolean tryStopRecording(final long subscriptionId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_try_stop_recording_subscription(boolResult, archive, subscriptionId));
            return boolResult[0];
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop a recording by its id if it is active.
     *
     * @param recordingId of the recording.
     * @return true if it was active and is stopped, false if it was not active.
     */
    public boolean tryStopRecordingByIdentity(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_try_stop_recording_by_identity(boolResult, archive, recordingId));
            return boolResult[0];
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * List up to recordCount recordings from fromRecordingId on. If the consumer throws, the remaining descriptors
     * of the listing are dropped and the exception is rethrown once the native call returns.
     *
     * @param fromRecordingId the first recording id to list.
     * @param recordCount     the most descriptors to list.
     * @param consumer        to receive the descriptors, on the calling thread.
     * @return the number of descriptors listed.
     */
    public int listRecordings(
        final long fromRecordingId, final int recordCount, final RecordingDescriptorConsumer consumer)
    {
        Objects.requireNonNull(consumer, "consumer");

        lock.lock();
        try
        {
            ensureUsable();
            dispatcher.begin(consumer);
            final int result = abr_archive_list_recordings_batched(
                intResult, archive, fromRecordingId, recordCount, dispatcher.buffer(),
                RecordingDescriptorDispatcher.CAPACITY, dispatcher, null);
            dispatcher.end();
            checked(result);
            return intResultView.getInt(0);
        }
        finally
        {
            dispatcher.reset();
            lock.unlock();
        }
    }

    /**
     * List up to recordCount recordings from fromRecordingId on whose channel contains channelFragment, on streamId.
     *
     * @param fromRecordingId the first recording id to consider.
     * @param recordCount     the most descriptors to list.
     * @param channelFragment to match (may be empty: every channel matches).
     * @param streamId        to match.
     * @param consumer        to receive the descriptors, on the calling thread.
     * @return the number of descriptors listed.
     */
    public int listRecordingsForUri(
        final long fromRecordingId,
        final int recordCount,
        final String channelFragment,
        final int streamId,
        final RecordingDescriptorConsumer consumer)
    {
        requireFragment(channelFragment);
        Objects.requireNonNull(consumer, "consumer");

        lock.lock();
        try
        {
            ensureUsable();
            dispatcher.begin(consumer);
            final int result = abr_archive_list_recordings_for_uri_batched(
                intResult, archive, fromRecordingId, recordCount, channelFragment, streamId, dispatcher.buffer(),
                RecordingDescriptorDispatcher.CAPACITY, dispatcher, null);
            dispatcher.end();
            checked(result);
            return intResultView.getInt(0);
        }
        finally
        {
            dispatcher.reset();
            lock.unlock();
        }
    }

    /**
     * List one recording. If the consumer throws, the exception is rethrown once the native call returns.
     *
     * @param recordingId of the recording.
     * @param consumer    to receive the descriptor, on the calling thread.
     * @return 1 if the recording was found, else 0.
     */
    public int listRecording(final long recordingId, final RecordingDescriptorConsumer consumer)
    {
        Objects.requireNonNull(consumer, "consumer");

        lock.lock();
        try
        {
            ensureUsable();
            dispatcher.begin(consumer);
            final int result = abr_archive_list_recording_batched(
                intResult, archive, recordingId, dispatcher.buffer(), RecordingDescriptorDispatcher.CAPACITY, dispatcher,
                null);
            dispatcher.end();
            checked(result);
            return intResultView.getInt(0);
        }
        finally
        {
            dispatcher.reset();
            lock.unlock();
        }
    }

    /**
     * The start position of a recording.
     *
     * @param recordingId of the recording.
     * @return its start position.
     */
    public long getStartPosition(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_get_start_position(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The position of an active recording.
     *
     * @param recordingId of the recording.
     * @return its position, or AeronArchive.NULL_POSITION (-1) when it is not active.
     */
    public long getRecordingPosition(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_get_recording_position(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The stop position of a recording.
     *
     * @param recordingId of the recording.
     * @return its stop position, or AeronArchive.NULL_POSITION (-1) while it is active.
     */
    public long getStopPosition(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_get_stop_position(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The position recorded so far, whether the recording is active or not.
     *
     * @param recordingId of the recording.
     * @return its recorded position.
     */
    public long getMaxRecordedPosition(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_get_max_recorded_position(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The id of the archive, learnt when connecting; still answered after close, as AeronArchive does.
     *
     * @return the archive id.
     */
    public long archiveId()
    {
        return archiveId;
    }

    /**
     * The last recording from minRecordingId on whose channel contains channelFragment, with this stream and session.
     *
     * @param minRecordingId  the lowest recording id to consider.
     * @param channelFragment to match (may be empty).
     * @param streamId        to match.
     * @param sessionId       to match.
     * @return the recording id, or {@link #NULL_VALUE} if none matches.
     */
    public long findLastMatchingRecording(
        final long minRecordingId, final String channelFragment, final int streamId, final int sessionId)
    {
        requireFragment(channelFragment);

        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_find_last_matching_recording(
                longResult, archive, minRecordingId, channelFragment, streamId, sessionId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * List the archive's recording subscriptions from pseudoIndex on, those whose channel contains channelFragment
     * (and, if applyStreamId, on streamId).
     *
     * @param pseudoIndex       the first subscription to list, counting from 0.
     * @param subscriptionCount the most to list.
     * @param channelFragment   to match (may be empty).
     * @param streamId          to match when applyStreamId.
     * @param applyStreamId     whether to match the stream id.
     * @param consumer          to receive the descriptors, on the calling thread.
     * @return the number of subscriptions listed.
     */
    public int listRecordingSubscriptions(
        final int pseudoIndex,
        final int subscriptionCount,
        final String channelFragment,
        final int streamId,
        final boolean applyStreamId,
        final RecordingSubscriptionDescriptorConsumer consumer)
    {
        requireFragment(channelFragment);
        Objects.requireNonNull(consumer, "consumer");

        lock.lock();
        try
        {
            ensureUsable();
            callbacks.subscriptions.begin(consumer);
            final int result = abr_archive_list_recording_subscriptions(
                intResult, archive, pseudoIndex, subscriptionCount, channelFragment, streamId, applyStreamId,
                callbacks.subscriptions, null);
            callbacks.subscriptions.end();
            checked(result);
            return intResultView.getInt(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    // Replay and maintenance.

    /**
     * Start a replay of a recording.
     *
     * @param recordingId    to replay.
     * @param position       to replay from.
     * @param length         to replay, or {@link #NULL_VALUE} to replay to the live end and follow it.
     * @param replayChannel  the replay is published on.
     * @param replayStreamId the replay is published on.
     * @return the replay session id; its low 32 bits are the replay image's session id.
     */
    public long startReplay(
        final long recordingId, final long position, final long length, final String replayChannel,
        final int replayStreamId)
    {
        requireChannel(replayChannel);
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_start_replay(
                longResult, archive, recordingId, position, length, replayChannel, replayStreamId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start a replay as the parameters describe, as AeronArchive.startReplay with ReplayParams: by default the whole
     * recording from its start, followed live. On a control-mode=response channel, as AeronArchive: a replay token
     * is requested and the request sent with it over a connection tied to the parameters'
     * subscriptionRegistrationId (required then); the result is then that request's correlation id.
     *
     * @param recordingId    to replay.
     * @param replayChannel  the replay is published on.
     * @param replayStreamId the replay is published on.
     * @param replayParams   optional parameters (defaults when null); free to reuse once the call returns.
     * @return the replay session id; its low 32 bits are the replay image's session id.
     */
    public long startReplay(
        final long recordingId, final String replayChannel, final int replayStreamId,
        final ReplayParams replayParams)
    {
        requireChannel(replayChannel);
        lock.lock();
        try (abr_archive_replay_params_t nativeParams = ArchiveParamsConversion.replayParams(replayParams))
        {
            ensureUsable();
            checked(abr_archive_start_replay_with_params(
                longResult, archive, recordingId, replayChannel, replayStreamId, nativeParams));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start a replay as the parameters describe and subscribe to it, as AeronArchive.replay with ReplayParams. On a
     * control-mode=response channel the subscription is added first, the replay requested with a replay token over
     * a connection tied to it, and the call returns once the replay's image is there.
     *
     * @param recordingId    to replay.
     * @param replayChannel  the replay is published on.
     * @param replayStreamId the replay is published on.
     * @param replayParams   optional parameters (defaults when null); free to reuse once the call returns.
     * @return the subscription the replay arrives on; the caller closes it.
     */
    public NativeSubscription replay(
        final long recordingId, final String replayChannel, final int replayStreamId,
        final ReplayParams replayParams)
    {
        requireChannel(replayChannel);
        lock.lock();
        // No PointerScope here: it would also free what the returned subscription allocates; the params go alone.
        try (abr_archive_replay_params_t nativeParams = ArchiveParamsConversion.replayParams(replayParams))
        {
            ensureUsable();
            final abr_subscription_t subscription = new abr_subscription_t();
            checked(abr_archive_replay_with_params(
                subscription, archive, recordingId, replayChannel, replayStreamId, nativeParams));
            return coreClient().track(new NativeSubscription(coreClient(), subscription));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start a replay bounded by a counter's value.
     *
     * @param recordingId    to replay.
     * @param position       to replay from.
     * @param length         to replay, or {@link #NULL_VALUE}.
     * @param limitCounterId the counter whose value bounds the replay.
     * @param replayChannel  the replay is published on.
     * @param replayStreamId the replay is published on.
     * @return the replay session id.
     */
    public long startBoundedReplay(
        final long recordingId,
        final long position,
        final long length,
        final int limitCounterId,
        final String replayChannel,
        final int replayStreamId)
    {
        requireChannel(replayChannel);
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_start_bounded_replay(
                longResult, archive, recordingId, position, length, limitCounterId, replayChannel, replayStreamId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop a replay.
     *
     * @param replaySessionId from startReplay.
     */
    public void stopReplay(final long replaySessionId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_stop_replay(archive, replaySessionId));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop every replay of a recording.
     *
     * @param recordingId whose replays to stop, or {@link #NULL_VALUE} for all.
     */
    public void stopAllReplays(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_stop_all_replays(archive, recordingId));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Replicate a recording from a source archive, as AeronArchive.replicate(long, long, int, String, String):
     * the same as {@link #replicate(long, int, String, ReplicationParams)} with dstRecordingId and
     * liveDestination set.
     *
     * @param srcRecordingId     recording in the source archive.
     * @param dstRecordingId     recording in this archive to extend, or {@link #NULL_VALUE} for a new one.
     * @param srcControlStreamId control stream of the source archive.
     * @param srcControlChannel  control channel of the source archive.
     * @param liveDestination    destination for the live stream to merge with, or null for none.
     * @return the replication id, for stopReplication.
     */
    public long replicate(
        final long srcRecordingId,
        final long dstRecordingId,
        final int srcControlStreamId,
        final String srcControlChannel,
        final String liveDestination)
    {
        return replicate(srcRecordingId, dstRecordingId, NULL_VALUE, srcControlStreamId, srcControlChannel,
            liveDestination, null);
    }

    /**
     * Replicate a recording up to a stop position, as AeronArchive.replicate(long, long, long, int, String, String,
     * String).
     *
     * @param srcRecordingId     recording in the source archive.
     * @param dstRecordingId     recording in this archive to extend, or {@link #NULL_VALUE} for a new one.
     * @param stopPosition       position to stop at, or {@link #NULL_VALUE} to follow the source.
     * @param srcControlStreamId control stream of the source archive.
     * @param srcControlChannel  control channel of the source archive.
     * @param liveDestination    destination for the live stream to merge with, or null for none.
     * @param replicationChannel channel the replay is received on, or null for the archive's default.
     * @return the replication id, for stopReplication.
     */
    public long replicate(
        final long srcRecordingId,
        final long dstRecordingId,
        final long stopPosition,
        final int srcControlStreamId,
        final String srcControlChannel,
        final String liveDestination,
        final String replicationChannel)
    {
        return replicate(srcRecordingId, srcControlStreamId, srcControlChannel, new ReplicationParams()
            .dstRecordingId(dstRecordingId)
            .stopPosition(stopPosition)
            .liveDestination(liveDestination)
            .replicationChannel(replicationChannel));
    }

    /**
     * Replicate a recording, tagging the replication's channel and subscription, as
     * AeronArchive.taggedReplicate(long, long, long, long, int, String, String).
     *
     * @param srcRecordingId     recording in the source archive.
     * @param dstRecordingId     recording in this archive to extend, or {@link #NULL_VALUE} for a new one.
     * @param channelTagId       tag for the replication's channel.
     * @param subscriptionTagId  tag for the replication's subscription.
     * @param srcControlStreamId control stream of the source archive.
     * @param srcControlChannel  control channel of the source archive.
     * @param liveDestination    destination for the live stream to merge with, or null for none.
     * @return the replication id, for stopReplication.
     */
    public long taggedReplicate(
        final long srcRecordingId,
        final long dstRecordingId,
        final long channelTagId,
        final long subscriptionTagId,
        final int srcControlStreamId,
        final String srcControlChannel,
        final String liveDestination)
    {
        return taggedReplicate(srcRecordingId, dstRecordingId, NULL_VALUE, channelTagId, subscriptionTagId,
            srcControlStreamId, srcControlChannel, liveDestination, null);
    }

    /**
     * As {@link #taggedReplicate(long, long, long, long, int, String, String)}, up to a stop position and on a
     * replication channel, as AeronArchive.taggedReplicate(long, long, long, long, long, int, String, String, String).
     *
     * @param srcRecordingId     recording in the source archive.
     * @param dstRecordingId     recording in this archive to extend, or {@link #NULL_VALUE} for a new one.
     * @param stopPosition       position to stop at, or {@link #NULL_VALUE} to follow the source.
     * @param channelTagId       tag for the replication's channel.
     * @param subscriptionTagId  tag for the replication's subscription.
     * @param srcControlStreamId control stream of the source archive.
     * @param srcControlChannel  control channel of the source archive.
     * @param liveDestination    destination for the live stream to merge with, or null for none.
     * @param replicationChannel channel the replay is received on, or null for the archive's default.
     * @return the replication id, for stopReplication.
     */
    public long taggedReplicate(
        final long srcRecordingId,
        final long dstRecordingId,
        final long stopPosition,
        final long channelTagId,
        final long subscriptionTagId,
        final int srcControlStreamId,
        final String srcControlChannel,
        final String liveDestination,
        final String replicationChannel)
    {
        return replicate(srcRecordingId, srcControlStreamId, srcControlChannel, new ReplicationParams()
            .dstRecordingId(dstRecordingId)
            .stopPosition(stopPosition)
            .channelTagId(channelTagId)
            .subscriptionTagId(subscriptionTagId)
            .liveDestination(liveDestination)
            .replicationChannel(replicationChannel));
    }

    /**
     * Ask the connected archive to replicate a recording from a source archive, as AeronArchive.replicate.
     *
     * @param srcRecordingId     recording in the source archive.
     * @param srcControlStreamId control stream of the source archive.
     * @param srcControlChannel  control channel of the source archive.
     * @param replicationParams  optional parameters (defaults when null).
     * @return the replication id, for stopReplication.
     */
    public long replicate(
        final long srcRecordingId,
        final int srcControlStreamId,
        final String srcControlChannel,
        final ReplicationParams replicationParams)
    {
        requireChannel(srcControlChannel);
        final ReplicationParams params =
            null == replicationParams ? new ReplicationParams() : replicationParams;
        if (null != params.liveDestination() && NULL_VALUE != params.replicationSessionId())
        {
            throw new IllegalArgumentException(
                "ReplicationParams.liveDestination and ReplicationParams.sessionId can not be specified together");
        }

        lock.lock();
        try (PointerScope scope = new PointerScope())
        {
            ensureUsable();
            final abr_archive_replication_params_t nativeParams = ArchiveParamsConversion.replicationParams(params);
            checked(abr_archive_replicate(
                longResult, archive, srcRecordingId, srcControlStreamId, srcControlChannel, nativeParams));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop a replication; an unknown replication id is an error.
     *
     * @param replicationId from replicate.
     */
    public void stopReplication(final long replicationId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_stop_replication(archive, replicationId));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop a replication if the archive knows it.
     *
     * @param replicationId from replicate.
     * @return true if it was stopped, false if the archive did not know it.
     */
    public boolean tryStopReplication(final long replicationId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_try_stop_replication(boolResult, archive, replicationId));
            return boolResult[0];
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start a replay and subscribe to it, as AeronArchive.replay: the subscription's channel is the replay channel
     * with the replay's session id, added through this client's core (or the shared {@link Context#aeron()}).
     *
     * @param recordingId    to replay.
     * @param position       to replay from.
     * @param length         to replay, or {@link #NULL_VALUE}.
     * @param replayChannel  the replay is published on.
     * @param replayStreamId the replay is published on.
     * @return the subscription the replay arrives on; the caller closes it.
     */
    public NativeSubscription replay(
        final long recordingId, final long position, final long length, final String replayChannel,
        final int replayStreamId)
    {
        requireChannel(replayChannel);
        lock.lock();
        try
        {
            ensureUsable();
            final abr_subscription_t subscription = new abr_subscription_t();
            checked(abr_archive_replay(
                subscription, archive, recordingId, position, length, replayChannel, replayStreamId));
            return coreClient().track(new NativeSubscription(coreClient(), subscription));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Truncate a stopped recording.
     *
     * @param recordingId to truncate.
     * @param position    to truncate to, a frame boundary.
     * @return the number of segment files deleted.
     */
    public long truncateRecording(final long recordingId, final long position)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_truncate_recording(longResult, archive, recordingId, position));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Delete a stopped recording and its files.
     *
     * @param recordingId to purge.
     * @return the number of segment files deleted.
     */
    public long purgeRecording(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_purge_recording(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Detach the segment files of a recording before newStartPosition (a segment boundary).
     *
     * @param recordingId      to detach from.
     * @param newStartPosition the recording's new start, a segment file base position.
     */
    public void detachSegments(final long recordingId, final long newStartPosition)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_detach_segments(archive, recordingId, newStartPosition));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Delete the detached segment files of a recording.
     *
     * @param recordingId whose detached segments to delete.
     * @return the number of segment files deleted.
     */
    public long deleteDetachedSegments(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_delete_detached_segments(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Detach and delete the segment files of a recording before newStartPosition.
     *
     * @param recordingId      to purge from.
     * @param newStartPosition the recording's new start, a segment file base position.
     * @return the number of segment files deleted.
     */
    public long purgeSegments(final long recordingId, final long newStartPosition)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_purge_segments(longResult, archive, recordingId, newStartPosition));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Attach detached segment files back to the start of a recording.
     *
     * @param recordingId to attach to.
     * @return the number of segment files attached.
     */
    public long attachSegments(final long recordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_attach_segments(longResult, archive, recordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Move the segment files of one recording to the start of another that continues it.
     *
     * @param srcRecordingId whose segments move.
     * @param dstRecordingId that receives them.
     * @return the number of segment files migrated.
     */
    public long migrateSegments(final long srcRecordingId, final long dstRecordingId)
    {
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_migrate_segments(longResult, archive, srcRecordingId, dstRecordingId));
            return longResultView.getLong(0);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Change the channel a recording is listed under.
     *
     * @param recordingId to update.
     * @param newChannel  to list it under.
     */
    public void updateChannel(final long recordingId, final String newChannel)
    {
        requireChannel(newChannel);
        lock.lock();
        try
        {
            ensureUsable();
            checked(abr_archive_update_channel(archive, recordingId, newChannel));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The position at which the segment file holding position begins, as AeronArchive.segmentFileBasePosition.
     *
     * @param startPosition     of the recording.
     * @param position          within the recording.
     * @param termBufferLength  of the recording, a power of two.
     * @param segmentFileLength of the recording, a power of two multiple of the term length.
     * @return the segment file's base position.
     */
    public static long segmentFileBasePosition(
        final long startPosition, final long position, final int termBufferLength, final int segmentFileLength)
    {
        final long basePosition =
            abr_archive_segment_file_base_position(startPosition, position, termBufferLength, segmentFileLength);
        if (basePosition < 0)
        {
            throw NativeErrors.lastError();
        }
        return basePosition;
    }

    /* ---- Recorded publications (issue 4 item 2) ---- */

    /**
     * Add a concurrent publication through this client's core and record its session, as
     * AeronArchive.addRecordedPublication; refused when a publication already exists on the channel and stream.
     *
     * @param channel  to publish on.
     * @param streamId to publish on.
     * @return the publication; the caller closes it.
     */
    public NativePublication addRecordedPublication(final String channel, final int streamId)
    {
        requireChannel(channel);
        lock.lock();
        try
        {
            ensureUsable();
            final abr_publication_t publication = new abr_publication_t();
            checked(abr_archive_add_recorded_publication(publication, archive, channel, streamId));
            return coreClient().track(new NativePublication.Concurrent(coreClient(), publication));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Add an exclusive publication through this client's core and record its session, as
     * AeronArchive.addRecordedExclusivePublication.
     *
     * @param channel  to publish on.
     * @param streamId to publish on.
     * @return the publication; the caller closes it.
     */
    public NativePublication addRecordedExclusivePublication(final String channel, final int streamId)
    {
        requireChannel(channel);
        lock.lock();
        try
        {
            ensureUsable();
            final abr_exclusive_publication_t publication = new abr_exclusive_publication_t();
            checked(abr_archive_add_recorded_exclusive_publication(publication, archive, channel, streamId));
            return coreClient().track(new NativePublication.Exclusive(coreClient(), publication));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stop the session-specific recording of a publication, as AeronArchive.stopRecording(Publication).
     *
     * @param publication whose session's recording to stop.
     */
    public void stopRecording(final NativePublication publication)
    {
        Objects.requireNonNull(publication, "publication");
        lock.lock();
        try
        {
            ensureUsable();
            checked(publication.nativeStopRecording(archive));
        }
        finally
        {
            lock.unlock();
        }
    }

    /* The core client the archive client's own publications and subscriptions live on: a shared one, or a borrowed
     * view of the archive client's own (closed with this client). Called under the lock. */
    private NativeAeron coreClient()
    {
        if (null == replayClient)
        {
            replayClient = null != context.sharedAeron() ?
                context.sharedAeron() : NativeAeron.borrowed(abr_archive_client(archive));
        }
        return replayClient;
    }

    /* Every call's result: first whatever a signal consumer threw meanwhile, then the call's own failure. */
    private int checked(final int result)
    {
        if (result < 0)
        {
            final RuntimeException failure = NativeErrors.lastError();
            callbacks.rethrowFailure();
            throw failure;
        }
        callbacks.rethrowFailure();
        return result;
    }

    private void ensureUsable()
    {
        ensureNotReentrant();
        if (null == archive)
        {
            // AeronArchive's exception and words for a closed client; which client it was follows.
            throw new NativeArchiveException("client is closed - controlSessionId=" + controlSessionId +
                " responseChannel=" + responseChannel + " responseStreamId=" + context.controlResponseStreamId(),
                ABR_ERROR_CLOSED, ArchiveException.GENERIC);
        }
    }

    /*
     * A listing's consumers run while the native client reads the listing from the response channel: a call back
     * into the client would read the same channel under it, so it is refused with the exception AeronArchive throws
     * (AeronException, not an IllegalStateException: the client is not closed). Recording signal consumers and error
     * handlers may call the client.
     */
    private void ensureNotReentrant()
    {
        if (lock.getHoldCount() > 1 && (dispatcher.isActive() || callbacks.subscriptions.isActive()))
        {
            throw new AeronException("reentrant calls not permitted during callbacks");
        }
    }

    private static void requireChannel(final String channel)
    {
        // An empty channel goes to the archive, which rejects it as it does AeronArchive's.
        if (null == channel)
        {
            throw new IllegalArgumentException("channel must not be null");
        }
        // The native call reads a C string, which would end at the NUL and send another channel than the one given.
        final int nul = channel.indexOf('\0');
        if (nul >= 0)
        {
            throw new IllegalArgumentException("channel must not contain a NUL character, found at index " + nul);
        }
    }

    /* As requireChannel: a NUL would end the C string early and match on another fragment than the one given. */
    private static void requireFragment(final String channelFragment)
    {
        Objects.requireNonNull(channelFragment, "channelFragment");
        final int nul = channelFragment.indexOf('\0');
        if (nul >= 0)
        {
            throw new IllegalArgumentException(
                "channelFragment must not contain a NUL character, found at index " + nul);
        }
    }

    /* The native client, for a NativeReplayMerge over this client: package-private, never exposed to users. */
    abr_archive_t handle()
    {
        final abr_archive_t current = archive;
        if (null == current)
        {
            throw new IllegalStateException("NativeArchive is closed");
        }
        return current;
    }

    /**
     * Settings of a {@link NativeArchive}, with the names of AeronArchive.Context and defaults from the same system
     * properties, read when the context is created.
     */
    public static final class Context implements Cloneable
    {
        private String aeronDirectoryName = CommonContext.getAeronDirectoryName();
        private String controlRequestChannel = System.getProperty(ArchiveConfiguration.CONTROL_CHANNEL_PROP_NAME);
        private int controlRequestStreamId = Integer.getInteger(ArchiveConfiguration.CONTROL_STREAM_ID_PROP_NAME, ArchiveConfiguration.CONTROL_STREAM_ID_DEFAULT);
        private String controlResponseChannel = System.getProperty(ArchiveConfiguration.CONTROL_RESPONSE_CHANNEL_PROP_NAME);
        private int controlResponseStreamId =
            Integer.getInteger(ArchiveConfiguration.CONTROL_RESPONSE_STREAM_ID_PROP_NAME, ArchiveConfiguration.CONTROL_RESPONSE_STREAM_ID_DEFAULT);
        private long messageTimeoutNs =
            SystemUtil.getDurationInNanos(ArchiveConfiguration.MESSAGE_TIMEOUT_PROP_NAME, ArchiveConfiguration.MESSAGE_TIMEOUT_DEFAULT_NS);
        private int messageRetryAttempts =
            Integer.getInteger(ArchiveConfiguration.MESSAGE_RETRY_ATTEMPTS_PROP_NAME, ArchiveConfiguration.MESSAGE_RETRY_ATTEMPTS_DEFAULT);
        private String clientName = SystemUtil.getProperty(ArchiveConfiguration.CLIENT_NAME_PROP_NAME, "");
        private int controlTermBufferLength =
            SystemUtil.getSizeAsInt(ArchiveConfiguration.CONTROL_TERM_BUFFER_LENGTH_PROP_NAME, ArchiveConfiguration.CONTROL_TERM_BUFFER_LENGTH_DEFAULT);
        private int controlMtuLength = SystemUtil.getSizeAsInt(ArchiveConfiguration.CONTROL_MTU_LENGTH_PROP_NAME, ArchiveConfiguration.CONTROL_MTU_LENGTH_DEFAULT);
        private boolean controlTermBufferSparse = Boolean.parseBoolean(
            System.getProperty(ArchiveConfiguration.CONTROL_TERM_BUFFER_SPARSE_PROP_NAME, "true"));
        private long autoPollIntervalNs = SystemUtil.getDurationInNanos(ArchiveConfiguration.AUTO_POLL_INTERVAL_PROP_NAME, 0);
        private String debugLog = System.getProperty(ArchiveConfiguration.DEBUG_LOG_PROP_NAME);
        private NativeAeron aeron;
        /* A view of the core an archive client connected for itself with this context, named by aeron() as
         * AeronArchive's context names the Aeron it connected; never handed to another connect (see sharedAeron). */
        private NativeAeron ownCore;
        private RecordingSignalConsumer recordingSignalConsumer;
        private ErrorHandler errorHandler;
        private boolean testFaultSkipCloseSession;
        private CredentialsSupplier credentialsSupplier;
        private int protocolSemanticVersion = ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION;
        private IdleStrategy idleStrategy = NativeIdleStrategy.DEFAULT;
        private boolean ownsAeronClient;
        private Lock lock;
        private String recordingEventsChannel = System.getProperty(
            ArchiveConfiguration.RECORDING_EVENTS_CHANNEL_PROP_NAME,
            ArchiveConfiguration.RECORDING_EVENTS_CHANNEL_DEFAULT);
        private int recordingEventsStreamId = Integer.getInteger(
            ArchiveConfiguration.RECORDING_EVENTS_STREAM_ID_PROP_NAME,
            ArchiveConfiguration.RECORDING_EVENTS_STREAM_ID_DEFAULT);
        private volatile boolean isConcluded;

        /**
         * A context with the defaults, reading the system properties AeronArchive.Context reads.
         */
        public Context()
        {
        }

        /**
         * @param aeronDirectoryName of the media driver to connect through.
         * @return this for a fluent API.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @return the directory of the media driver to connect through; default {@code aeron.dir}.
         */
        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /**
         * @param channel on which the archive listens for control requests.
         * @return this for a fluent API.
         */
        public Context controlRequestChannel(final String channel)
        {
            this.controlRequestChannel = channel;
            return this;
        }

        /**
         * @return the control request channel; default {@code aeron.archive.control.channel}.
         */
        public String controlRequestChannel()
        {
            return controlRequestChannel;
        }

        /**
         * @param streamId on which the archive listens for control requests.
         * @return this for a fluent API.
         */
        public Context controlRequestStreamId(final int streamId)
        {
            this.controlRequestStreamId = streamId;
            return this;
        }

        /**
         * @return the control request stream id; default {@code aeron.archive.control.stream.id}, else 10.
         */
        public int controlRequestStreamId()
        {
            return controlRequestStreamId;
        }

        /**
         * @param channel on which this client receives the archive's responses.
         * @return this for a fluent API.
         */
        public Context controlResponseChannel(final String channel)
        {
            this.controlResponseChannel = channel;
            return this;
        }

        /**
         * @return the control response channel; default {@code aeron.archive.control.response.channel}.
         */
        public String controlResponseChannel()
        {
            return controlResponseChannel;
        }

        /**
         * @param streamId on which this client receives the archive's responses.
         * @return this for a fluent API.
         */
        public Context controlResponseStreamId(final int streamId)
        {
            this.controlResponseStreamId = streamId;
            return this;
        }

        /**
         * @return the control response stream id; default {@code aeron.archive.control.response.stream.id}, else 20.
         */
        public int controlResponseStreamId()
        {
            return controlResponseStreamId;
        }

        /**
         * @param messageTimeoutNs how long to wait for a message to be sent or a response to arrive.
         * @return this for a fluent API.
         */
        public Context messageTimeoutNs(final long messageTimeoutNs)
        {
            this.messageTimeoutNs = messageTimeoutNs;
            return this;
        }

        /**
         * @return the message timeout in ns; default {@code aeron.archive.message.timeout} (a duration such as
         * {@code 5s} or {@code 200ms}), else 10s.
         */
        public long messageTimeoutNs()
        {
            return messageTimeoutNs;
        }

        /**
         * @param messageRetryAttempts how often to retry offering a request to the archive.
         * @return this for a fluent API.
         */
        public Context messageRetryAttempts(final int messageRetryAttempts)
        {
            this.messageRetryAttempts = messageRetryAttempts;
            return this;
        }

        /**
         * @return the message retry attempts; default {@code aeron.archive.message.retry.attempts}, else 3.
         */
        public int messageRetryAttempts()
        {
            return messageRetryAttempts;
        }

        /**
         * @param clientName the name the archive logs this client under.
         * @return this for a fluent API.
         */
        public Context clientName(final String clientName)
        {
            this.clientName = clientName;
            return this;
        }

        /**
         * @return the client name; default {@code aeron.archive.client.name}, else empty.
         */
        public String clientName()
        {
            return clientName;
        }

        /**
         * @param length of the control response channel's term buffer, unless its channel says otherwise.
         * @return this for a fluent API.
         */
        public Context controlTermBufferLength(final int length)
        {
            this.controlTermBufferLength = length;
            return this;
        }

        /**
         * @return the control term buffer length; default {@code aeron.archive.control.term.buffer.length}, else 64 KiB.
         */
        public int controlTermBufferLength()
        {
            return controlTermBufferLength;
        }

        /**
         * @param length the MTU of the control channels, unless their channels say otherwise.
         * @return this for a fluent API.
         */
        public Context controlMtuLength(final int length)
        {
            this.controlMtuLength = length;
            return this;
        }

        /**
         * @return the control MTU length; default {@code aeron.archive.control.mtu.length}, else 1408.
         */
        public int controlMtuLength()
        {
            return controlMtuLength;
        }

        /**
         * @param sparse whether the control term buffers are sparse files, unless their channels say otherwise.
         * @return this for a fluent API.
         */
        public Context controlTermBufferSparse(final boolean sparse)
        {
            this.controlTermBufferSparse = sparse;
            return this;
        }

        /**
         * @return whether control term buffers are sparse; default {@code aeron.archive.control.term.buffer.sparse},
         * else true.
         */
        public boolean controlTermBufferSparse()
        {
            return controlTermBufferSparse;
        }

        /**
         * @param consumer of the recording signals the archive sends this session, called from calls that wait for
         *                 the archive, from {@link NativeArchive#pollForRecordingSignals()}, and from the auto-poll
         *                 thread; null drops them, as AeronArchive's default does.
         * @return this for a fluent API.
         */
        public Context recordingSignalConsumer(final RecordingSignalConsumer consumer)
        {
            this.recordingSignalConsumer = consumer;
            return this;
        }

        /**
         * @return the recording signal consumer, or null.
         */
        public RecordingSignalConsumer recordingSignalConsumer()
        {
            return recordingSignalConsumer;
        }

        /**
         * @param errorHandler for archive errors that answer no call in progress, as AeronArchive.Context's.
         * @return this for a fluent API.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @return the error handler, or null.
         */
        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * The credentials for the connect request and the answers to the archive's challenges, as
         * AeronArchive.Context.credentialsSupplier. Called on the thread that connects; a supplier that throws or
         * returns null fails the connect with a {@link NativeArchiveException} whose cause is what it did.
         *
         * @param credentialsSupplier the supplier, or null for none (empty credentials, as NullCredentialsSupplier).
         * @return this for a fluent API.
         */
        public Context credentialsSupplier(final CredentialsSupplier credentialsSupplier)
        {
            this.credentialsSupplier = credentialsSupplier;
            return this;
        }

        /**
         * @return the credentials supplier, or null for none.
         */
        public CredentialsSupplier credentialsSupplier()
        {
            return credentialsSupplier;
        }

        /**
         * Advanced, for testing how an archive treats a client of another version: the protocol semantic version
         * the connect request announces, (major << 16) | (minor << 8) | patch. An archive of another major version
         * refuses the session; the connect then fails naming both versions. AeronArchive has no such setting.
         *
         * @param protocolSemanticVersion the version to announce; by default AeronArchive 1.51.0's (1.12.0).
         * @return this for a fluent API.
         */
        public Context protocolSemanticVersion(final int protocolSemanticVersion)
        {
            this.protocolSemanticVersion = protocolSemanticVersion;
            return this;
        }

        /**
         * @return the protocol semantic version the connect request announces.
         */
        public int protocolSemanticVersion()
        {
            return protocolSemanticVersion;
        }

        /**
         * Auto-poll, an extension AeronArchive lacks: a native thread polls the response channel at this interval,
         * under the client's lock, so an idle session is not ended by the archive (since Aeron 1.47 it ends a session
         * whose responses it cannot deliver), signals reach the consumer and errors the handler; an error with no
         * handler is kept for the next {@link NativeArchive#pollForErrorResponse()} or
         * {@link NativeArchive#checkForErrorResponse()}.
         *
         * @param intervalNs between polls; 0 (the default) turns auto-poll off.
         * @return this for a fluent API.
         */
        public Context autoPollIntervalNs(final long intervalNs)
        {
            this.autoPollIntervalNs = intervalNs;
            return this;
        }

        /**
         * @return the auto-poll interval in ns; default {@code archivebridge.archive.auto.poll.interval}, else 0 (off).
         */
        public long autoPollIntervalNs()
        {
            return autoPollIntervalNs;
        }

        /**
         * The debug log, an extension in the spirit of {@code -Daeron.event.archive.log=all}: one line per control
         * request sent and response or signal received, with the control session and correlation ids.
         *
         * @param target "stderr", a file path to append to, or "" for off; null keeps the native default, the
         *               environment variable ABR_ARCHIVE_DEBUG_LOG.
         * @return this for a fluent API.
         */
        public Context debugLog(final String target)
        {
            this.debugLog = target;
            return this;
        }

        /**
         * @return the debug log target; default {@code archivebridge.archive.debug.log}, else null (off unless
         * ABR_ARCHIVE_DEBUG_LOG is set).
         */
        public String debugLog()
        {
            return debugLog;
        }

        /**
         * Share a client core with the application, as AeronArchive.Context.aeron() does: the archive client adds its
         * control publication and subscription through it and leaves it open on close. Otherwise the archive client
         * connects one of its own (to {@link #aeronDirectoryName()}) and closes it with itself.
         *
         * @param aeron to share; it must stay open while the archive client is.
         * @return this for a fluent API.
         */
        public Context aeron(final NativeAeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @return the shared client core; when none was given, the core the archive client connected for itself once
         * it is connected (as AeronArchive.Context.aeron() names the Aeron client it connected; closed with the
         * archive client), else null.
         */
        public NativeAeron aeron()
        {
            return null != aeron ? aeron : ownCore;
        }

        /* The core given with aeron(NativeAeron), the only one a connect shares: a core connected for an earlier
         * archive client is its own. */
        NativeAeron sharedAeron()
        {
            return aeron;
        }

        void ownCore(final NativeAeron ownCore)
        {
            this.ownCore = ownCore;
        }

        /**
         * How calls wait for the archive, as {@code AeronArchive.Context.idleStrategy}. The waiting happens in C, so the
         * strategy itself is never called: Agrona's {@link org.agrona.concurrent.BackoffIdleStrategy},
         * {@link org.agrona.concurrent.BusySpinIdleStrategy}, {@link org.agrona.concurrent.YieldingIdleStrategy},
         * {@link org.agrona.concurrent.SleepingIdleStrategy}, {@link org.agrona.concurrent.SleepingMillisIdleStrategy}
         * and {@link org.agrona.concurrent.NoOpIdleStrategy} run as the C client's strategy of the same kind with the
         * same parameters; any other strategy (a custom one, or a subclass whose parameters cannot be read) runs as
         * the default. Null restores the default: a backoff of 10 spins, 20 yields, then parks from 1 us doubling to
         * 100 us (Agrona's BackoffIdleStrategy defaults are 10, 5, 1 us, 1 ms).
         *
         * @param idleStrategy to wait with, or null for the default.
         * @return this for a fluent API.
         * @throws ConfigurationException when the strategy's parameters are out of the C client's range (a negative
         *                                count or period, or a max park period below the min).
         */
        public Context idleStrategy(final IdleStrategy idleStrategy)
        {
            final IdleStrategy strategy = null == idleStrategy ? NativeIdleStrategy.DEFAULT : idleStrategy;
            NativeIdleStrategy.validate(strategy);
            this.idleStrategy = strategy;
            return this;
        }

        /**
         * @return the idle strategy calls wait with; never null (the default is the backoff described at
         * {@link #idleStrategy(IdleStrategy)}).
         */
        public IdleStrategy idleStrategy()
        {
            return idleStrategy;
        }

        /**
         * The lock calls are serialised with, as AeronArchive.Context.lock: null (the default) for a
         * {@link java.util.concurrent.locks.ReentrantLock} of the client's own; a {@link org.agrona.concurrent.NoOpLock}
         * turns locking off, in Java and in the C client, for a caller that uses the client from one thread only (with
         * {@link #autoPollIntervalNs(long)} the C client keeps its own lock, for its auto-poll thread); any other lock
         * is taken around every call. Callbacks that call the client need a re-entrant lock or the NoOpLock. Calls
         * from a listing's consumers are refused whatever the lock.
         *
         * @param lock to serialise calls with, or null for the default.
         * @return this for a fluent API.
         */
        public Context lock(final Lock lock)
        {
            this.lock = lock;
            return this;
        }

        /**
         * @return the lock set with {@link #lock(Lock)}; null for the client's own re-entrant lock.
         */
        public Lock lock()
        {
            return lock;
        }

        /**
         * For the conformance gate's negative controls only: make close skip the CloseSessionRequest, reproducing
         * the missing-close fault that gets sessions terminated by the archive. Never set it in production.
         *
         * @param skip true to reproduce the fault.
         * @return this for a fluent API.
         */
        public Context testFaultSkipCloseSession(final boolean skip)
        {
            this.testFaultSkipCloseSession = skip;
            return this;
        }

        /**
         * @return true if close is to skip the CloseSessionRequest; false by default.
         */
        public boolean testFaultSkipCloseSession()
        {
            return testFaultSkipCloseSession;
        }

        /**
         * As AeronArchive.Context.ownsAeronClient: whether closing the archive client (or this context) closes the
         * shared {@link #aeron(NativeAeron)} core too. A core the archive client connects for itself is always its
         * own and closed with it.
         *
         * @param ownsAeronClient true to close the shared core with the archive client.
         * @return this for a fluent API.
         */
        public Context ownsAeronClient(final boolean ownsAeronClient)
        {
            this.ownsAeronClient = ownsAeronClient;
            return this;
        }

        /**
         * @return whether the core {@link #aeron()} names is closed with the archive client: as set for a shared
         * one (false by default), always true for one the archive client connected for itself.
         */
        public boolean ownsAeronClient()
        {
            return ownsAeronClient || (null == aeron && null != ownCore);
        }

        /**
         * The channel the archive publishes recording events on (started, progress, stopped), as
         * AeronArchive.Context.recordingEventsChannel; for a subscriber of those events, not for the control session.
         *
         * @param recordingEventsChannel the channel.
         * @return this for a fluent API.
         */
        public Context recordingEventsChannel(final String recordingEventsChannel)
        {
            this.recordingEventsChannel = recordingEventsChannel;
            return this;
        }

        /**
         * @return the recording events channel; default {@code aeron.archive.recording.events.channel}, else
         * AeronArchive's default.
         */
        public String recordingEventsChannel()
        {
            return recordingEventsChannel;
        }

        /**
         * @param recordingEventsStreamId the stream id of the recording events channel.
         * @return this for a fluent API.
         */
        public Context recordingEventsStreamId(final int recordingEventsStreamId)
        {
            this.recordingEventsStreamId = recordingEventsStreamId;
            return this;
        }

        /**
         * @return the recording events stream id; default {@code aeron.archive.recording.events.stream.id}, else 30.
         */
        public int recordingEventsStreamId()
        {
            return recordingEventsStreamId;
        }

        /**
         * Check the settings as AeronArchive.Context.conclude() does, once: a second conclude fails. A connect checks
         * the context itself, concluded or not, so a context may serve several connects.
         *
         * @throws ConfigurationException        if a required setting is missing or out of range.
         * @throws ConcurrentConcludeException if the context was already concluded.
         */
        public void conclude()
        {
            synchronized (this)
            {
                if (isConcluded)
                {
                    throw new ConcurrentConcludeException();
                }
                ArchiveContextBinding.validate(this);
                isConcluded = true;
            }
        }

        /**
         * @return true once {@link #conclude()} has succeeded.
         */
        public boolean isConcluded()
        {
            return isConcluded;
        }

        /**
         * A shallow copy, as AeronArchive.Context.clone(): the same shared core, handlers and suppliers.
         *
         * @return the copy.
         */
        public Context clone()
        {
            try
            {
                final Context copy = (Context)super.clone();
                // A copy connects a core of its own unless given one: it does not borrow this context's client's.
                copy.ownCore = null;
                return copy;
            }
            catch (final CloneNotSupportedException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        /**
         * Close what the context owns, as AeronArchive.Context.close(): the shared core when
         * {@link #ownsAeronClient()}. Called by {@link NativeArchive#close()}.
         */
        public void close()
        {
            if (ownsAeronClient && null != aeron)
            {
                aeron.close();
            }
        }

        /**
         * @return the settings, for logs.
         */
        public String toString()
        {
            return "NativeArchive.Context{" +
                "aeronDirectoryName=" + aeronDirectoryName +
                ", controlRequestChannel=" + controlRequestChannel +
                ", controlRequestStreamId=" + controlRequestStreamId +
                ", controlResponseChannel=" + controlResponseChannel +
                ", controlResponseStreamId=" + controlResponseStreamId +
                ", recordingEventsChannel=" + recordingEventsChannel +
                ", recordingEventsStreamId=" + recordingEventsStreamId +
                ", messageTimeoutNs=" + messageTimeoutNs +
                ", messageRetryAttempts=" + messageRetryAttempts +
                ", clientName=" + clientName +
                ", controlTermBufferLength=" + controlTermBufferLength +
                ", controlMtuLength=" + controlMtuLength +
                ", controlTermBufferSparse=" + controlTermBufferSparse +
                ", autoPollIntervalNs=" + autoPollIntervalNs +
                ", ownsAeronClient=" + ownsAeronClient +
                ", isConcluded=" + isConcluded +
                '}';
        }
    }

    /**
     * Start a replay and subscribe to it with image handlers, as AeronArchive.replay with an AvailableImageHandler and
     * an UnavailableImageHandler: the subscription's channel is the replay channel with the replay's session id.
     *
     * @param recordingId        to replay.
     * @param position           to replay from.
     * @param length             to replay, or {@link #NULL_VALUE}.
     * @param replayChannel      the replay is published on.
     * @param replayStreamId     the replay is published on.
     * @param availableHandler   told when the replay's image comes (may be null).
     * @param unavailableHandler told when it goes (may be null).
     * @return the subscription the replay arrives on; the caller closes it.
     */
    public NativeSubscription replay(
        final long recordingId,
        final long position,
        final long length,
        final String replayChannel,
        final int replayStreamId,
        final NativeAvailableImageHandler availableHandler,
        final NativeUnavailableImageHandler unavailableHandler)
    {
        requireChannel(replayChannel);
        lock.lock();
        try
        {
            final io.aeron.ChannelUri channel = io.aeron.ChannelUri.parse(replayChannel);
            final long replaySessionId = startReplay(recordingId, position, length, replayChannel, replayStreamId);
            channel.put(io.aeron.CommonContext.SESSION_ID_PARAM_NAME, Integer.toString((int)replaySessionId));
            return coreClient().addSubscription(
                channel.toString(), replayStreamId, availableHandler, unavailableHandler);
        }
        finally
        {
            lock.unlock();
        }
    }
}
