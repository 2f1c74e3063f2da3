package org.archivebridge;

import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.RecordingSignalConsumer;
import io.aeron.archive.client.RecordingSubscriptionDescriptorConsumer;
import io.aeron.archive.codecs.RecordingSignal;
import io.aeron.exceptions.AeronException;
import io.aeron.security.CredentialsSupplier;
import org.agrona.ErrorHandler;
import org.agrona.LangUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.ErrorHandlerCallback;
import org.archivebridge.presets.ArchiveBridgePresets;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingSignalConsumerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingSubscriptionDescriptorConsumerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_signal_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_subscription_descriptor_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_error_code_to_archive;

/**
 * The native callbacks of one client besides the descriptor listing: recording signals, archive errors nobody waited
 * for, and recording subscription descriptors. Each thunk is created once with the client and kept referenced by it,
 * so the GC cannot free it while C may call it. C may call the first two from the auto-poll thread as well as from
 * the caller's: an exception thrown by the application's consumer must not unwind through C, so it is kept and thrown
 * from the client's next call (or handed to the error handler when there is one). Both may call the client, close
 * included, as AeronArchive's may.
 * <p>
 * With the thunks go the result slots C writes a call's answers into. Freeing all of it (JavaCPP's deallocation of
 * each thunk and pointer, the descriptor buffer's unmapping) cost more than the rest of a client's close, so a closed
 * client hands its set back with {@link #recycle()} and the next connect takes it with {@link #acquire}; a few sets are
 * kept, the rest freed.
 */
final class NativeArchiveCallbacks
{
    /* How many idle sets are kept: a few clients closed and connected again get theirs back, and what is kept stays
     * small (about 140 KiB of native memory a set, mostly the descriptor buffer). */
    static final int IDLE_LIMIT = 4;
    static final int ERROR_TEXT_CAPACITY = 4096;
    private static final ArrayDeque<NativeArchiveCallbacks> IDLE = new ArrayDeque<>(IDLE_LIMIT);
    /* The sets whose signal consumer or error handler the current thread is in, innermost last: one per thread for
     * every client, as a thread local per client cost a map entry created on the first lookup of each close. */
    private static final ThreadLocal<Frames> FRAMES = ThreadLocal.withInitial(Frames::new);

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final SignalDispatcher signalThunk = new SignalDispatcher();
    private final ErrorDispatcher errorThunk = new ErrorDispatcher();
    private volatile RecordingSignalConsumer signalConsumer;
    private volatile ErrorHandler errorHandler;
    /** The signal thunk when there is a consumer, else null: what the C context is given. */
    volatile SignalDispatcher signals;
    /** The error thunk when there is an error handler, else null: what the C context is given. */
    volatile ErrorDispatcher errors;
    final SubscriptionDescriptorDispatcher subscriptions = new SubscriptionDescriptorDispatcher();
    final RecordingDescriptorDispatcher descriptors = new RecordingDescriptorDispatcher();
    /** Null without a credentials supplier: the connect request then carries empty credentials. One connect's own. */
    volatile NativeCredentialsBridge credentials;
    /** Where C writes a call's answers; used under the client's lock only. */
    final LongPointer longResult = new LongPointer(1);
    final IntPointer intResult = new IntPointer(1);
    /* The same slots read from Java: LongPointer.get() and IntPointer.get() are a JNI call each, a second crossing of
     * every call that returns a value. Valid as long as the slots, which only close() frees. */
    final UnsafeBuffer longResultView = new UnsafeBuffer(longResult.address(), Long.BYTES);
    final UnsafeBuffer intResultView = new UnsafeBuffer(intResult.address(), Integer.BYTES);
    final BytePointer errorText = new BytePointer(ERROR_TEXT_CAPACITY);

    NativeArchiveCallbacks(final RecordingSignalConsumer signalConsumer, final ErrorHandler errorHandler)
    {
        this(signalConsumer, errorHandler, null);
    }

    NativeArchiveCallbacks(
        final RecordingSignalConsumer signalConsumer,
        final ErrorHandler errorHandler,
        final CredentialsSupplier credentialsSupplier)
    {
        if (subscriptions.isNull() || descriptors.isNull() || signalThunk.isNull() || errorThunk.isNull())
        {
            // JavaCPP gave an instance no C thunk: its pool (ArchiveBridgePresets.CLIENT_CALLBACK_SLOTS) is used up.
            close();
            throw tooManyClients();
        }
        configure(signalConsumer, errorHandler, credentialsSupplier);
    }

    /**
     * A set for a new client: an idle one a closed client handed back, else a new one.
     *
     * @throws AeronException if JavaCPP has no thunk left for one of the callbacks.
     */
    static NativeArchiveCallbacks acquire(
        final RecordingSignalConsumer signalConsumer,
        final ErrorHandler errorHandler,
        final CredentialsSupplier credentialsSupplier)
    {
        final NativeArchiveCallbacks idle;
        synchronized (IDLE)
        {
            idle = IDLE.poll();
        }
        if (null == idle)
        {
            return new NativeArchiveCallbacks(signalConsumer, errorHandler, credentialsSupplier);
        }
        idle.configure(signalConsumer, errorHandler, credentialsSupplier);
        return idle;
    }

    /** How many sets are idle, for tests. */
    static int idleCount()
    {
        synchronized (IDLE)
        {
            return IDLE.size();
        }
    }

    private void configure(
        final RecordingSignalConsumer signalConsumer,
        final ErrorHandler errorHandler,
        final CredentialsSupplier credentialsSupplier)
    {
        this.signalConsumer = signalConsumer;
        this.errorHandler = errorHandler;
        this.signals = null == signalConsumer ? null : signalThunk;
        this.errors = null == errorHandler ? null : errorThunk;
        if (null != credentialsSupplier)
        {
            final NativeCredentialsBridge bridge = new NativeCredentialsBridge(credentialsSupplier);
            credentials = bridge;
            if (bridge.isExhausted())
            {
                close();
                throw tooManyClients();
            }
        }
    }

    private static AeronException tooManyClients()
    {
        return new AeronException("too many live NativeArchive clients: each holds native callbacks, of which " +
            ArchiveBridgePresets.CLIENT_CALLBACK_SLOTS + " per kind can exist at once; close clients no longer used");
    }

    /** The exception for a failed connect, carrying the credentials supplier's failure when that is why. */
    RuntimeException connectFailure(final RuntimeException nativeFailure)
    {
        return null == credentials ? nativeFailure : credentials.connectFailure(nativeFailure);
    }

    /** Throw what a callback raised since the last call, if anything. */
    void rethrowFailure()
    {
        // A volatile read first: every call passes here and nearly all without a failure, and getAndSet is a locked
        // instruction. A failure set before the read is seen as before; one set after it, as before, by a later call.
        if (null == failure.get())
        {
            return;
        }
        final Throwable thrown = failure.getAndSet(null);
        if (null != thrown)
        {
            LangUtil.rethrowUnchecked(thrown);
        }
    }

    /** True while the current thread runs the signal consumer or error handler of this client. */
    boolean inCallback()
    {
        // Without a consumer or handler there is no such callback to be in, and no thread local to look up.
        return (null != signals || null != errors) && FRAMES.get().contains(this);
    }

    /**
     * Hand the set back for another client, once the native client that was given it is closed and no thread is in
     * one of its callbacks: what the closed client left (its consumers, a failure not thrown yet) is dropped. Freed
     * instead when enough sets are idle.
     */
    void recycle()
    {
        signalConsumer = null;
        errorHandler = null;
        signals = null;
        errors = null;
        failure.set(null);
        subscriptions.reset();
        descriptors.reset();
        closeCredentials();
        final boolean kept;
        synchronized (IDLE)
        {
            kept = IDLE.size() < IDLE_LIMIT && IDLE.offer(this);
        }
        if (!kept)
        {
            close();
        }
    }

    /** Free the thunks and the result slots; nothing may use the set afterwards. */
    void close()
    {
        signalThunk.close();
        errorThunk.close();
        subscriptions.close();
        descriptors.close();
        closeCredentials();
        longResult.close();
        intResult.close();
        errorText.close();
    }

    private void closeCredentials()
    {
        final NativeCredentialsBridge bridge = credentials;
        if (null != bridge)
        {
            credentials = null;
            bridge.close();
        }
    }

    private void onFailure(final Throwable ex)
    {
        final ErrorHandler handler = errorHandler;
        if (null != handler)
        {
            try
            {
                handler.onError(ex);
                return;
            }
            catch (final Throwable handlerFailure)
            {
                ex.addSuppressed(handlerFailure);
            }
        }
        failure.compareAndSet(null, ex);
    }

    /* Aeron's RecordingSignal.get throws for a code it does not know; a newer archive's signal becomes NULL_VAL. */
    static RecordingSignal recordingSignal(final int code)
    {
        for (final RecordingSignal signal : RecordingSignal.values())
        {
            if (signal.value() == code && RecordingSignal.NULL_VAL != signal)
            {
                return signal;
            }
        }
        return RecordingSignal.NULL_VAL;
    }

    final class SignalDispatcher extends RecordingSignalConsumerCallback
    {
        @Override
        public void call(final Pointer clientd, final abr_archive_recording_signal_t signal)
        {
            final RecordingSignalConsumer consumer = signalConsumer;
            if (null == consumer)
            {
                return;
            }
            final Frames frames = FRAMES.get();
            frames.push(NativeArchiveCallbacks.this);
            try
            {
                consumer.onSignal(
                    signal.control_session_id(),
                    signal.correlation_id(),
                    signal.recording_id(),
                    signal.subscription_id(),
                    signal._position(), // JavaCPP renames the field: position() is Pointer's own.
                    recordingSignal(signal.recording_signal_code()));
            }
            catch (final Throwable ex)
            {
                onFailure(ex);
            }
            finally
            {
                frames.pop();
            }
        }
    }

    final class ErrorDispatcher extends ErrorHandlerCallback
    {
        @Override
        public void call(final Pointer clientd, final int errorCode, final long correlationId, final BytePointer message)
        {
            final ErrorHandler handler = errorHandler;
            if (null == handler)
            {
                return;
            }
            final int archiveCode = abr_error_code_to_archive(errorCode);
            final String text = NativeErrors.nativeString(message);
            // An archive's error response is worded as AeronArchive words it for its error handler.
            final NativeArchiveException ex = archiveCode < 0 ?
                new NativeArchiveException(text + " - correlationId=" + correlationId,
                    errorCode, ArchiveException.GENERIC, correlationId) :
                new NativeArchiveException("response for correlationId=" + correlationId + ", error: " + text,
                    errorCode, archiveCode, correlationId);
            final Frames frames = FRAMES.get();
            frames.push(NativeArchiveCallbacks.this);
            try
            {
                handler.onError(ex);
            }
            catch (final Throwable handlerFailure)
            {
                failure.compareAndSet(null, handlerFailure);
            }
            finally
            {
                frames.pop();
            }
        }
    }

    /** Hands each descriptor of a subscription listing to the consumer of the call in progress. */
    static final class SubscriptionDescriptorDispatcher extends RecordingSubscriptionDescriptorConsumerCallback
    {
        private RecordingSubscriptionDescriptorConsumer consumer;
        private Throwable thrown;

        void begin(final RecordingSubscriptionDescriptorConsumer consumer)
        {
            this.consumer = consumer;
            this.thrown = null;
        }

        boolean isActive()
        {
            return null != consumer;
        }

        void end()
        {
            final Throwable ex = thrown;
            reset();
            if (null != ex)
            {
                LangUtil.rethrowUnchecked(ex);
            }
        }

        void reset()
        {
            consumer = null;
            thrown = null;
        }

        @Override
        public void call(final Pointer clientd, final abr_archive_recording_subscription_descriptor_t descriptor)
        {
            if (null == consumer || null != thrown)
            {
                return;
            }
            try
            {
                consumer.onSubscriptionDescriptor(
                    descriptor.control_session_id(),
                    descriptor.correlation_id(),
                    descriptor.subscription_id(),
                    descriptor.stream_id(),
                    NativeErrors.nativeString(descriptor.stripped_channel()));
            }
            catch (final Throwable ex)
            {
                thrown = ex;
            }
        }
    }

    /* A thread's stack of the sets whose consumer or handler it is in; a few deep at most. */
    private static final class Frames
    {
        private NativeArchiveCallbacks[] sets = new NativeArchiveCallbacks[4];
        private int depth;

        void push(final NativeArchiveCallbacks set)
        {
            if (depth == sets.length)
            {
                sets = Arrays.copyOf(sets, depth * 2);
            }
            sets[depth++] = set;
        }

        void pop()
        {
            sets[--depth] = null;
        }

        boolean contains(final NativeArchiveCallbacks set)
        {
            for (int i = depth - 1; i >= 0; i--)
            {
                if (sets[i] == set)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
