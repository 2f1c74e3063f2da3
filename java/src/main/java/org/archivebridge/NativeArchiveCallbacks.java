package org.archivebridge;

import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.RecordingSignalConsumer;
import io.aeron.archive.client.RecordingSubscriptionDescriptorConsumer;
import io.aeron.archive.codecs.RecordingSignal;
import io.aeron.exceptions.AeronException;
import io.aeron.security.CredentialsSupplier;
import org.agrona.ErrorHandler;
import org.agrona.LangUtil;
import org.archivebridge.binding.ArchiveBridgeLibrary.ErrorHandlerCallback;
import org.archivebridge.presets.ArchiveBridgePresets;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingSignalConsumerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingSubscriptionDescriptorConsumerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_signal_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_subscription_descriptor_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.concurrent.atomic.AtomicReference;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_error_code_to_archive;

/**
 * The native callbacks of one client besides the descriptor listing: recording signals, archive errors nobody waited
 * for, and recording subscription descriptors. Each thunk is created once with the client and kept referenced by it,
 * so the GC cannot free it while C may call it. C may call the first two from the auto-poll thread as well as from
 * the caller's: an exception thrown by the application's consumer must not unwind through C, so it is kept and thrown
 * from the client's next call (or handed to the error handler when there is one). Both may call the client, close
 * included, as AeronArchive's may.
 */
final class NativeArchiveCallbacks
{
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /* How deep the current thread is in a signal consumer or error handler of this client. */
    private final ThreadLocal<int[]> callbackDepth = ThreadLocal.withInitial(() -> new int[1]);
    private final ErrorHandler errorHandler;
    final SignalDispatcher signals;
    final ErrorDispatcher errors;
    final SubscriptionDescriptorDispatcher subscriptions = new SubscriptionDescriptorDispatcher();
    final RecordingDescriptorDispatcher descriptors = new RecordingDescriptorDispatcher();
    /** Null without a credentials supplier: the connect request then carries empty credentials. */
    final NativeCredentialsBridge credentials;

    NativeArchiveCallbacks(final RecordingSignalConsumer signalConsumer, final ErrorHandler errorHandler)
    {
        this(signalConsumer, errorHandler, null);
    }

    NativeArchiveCallbacks(
        final RecordingSignalConsumer signalConsumer,
        final ErrorHandler errorHandler,
        final CredentialsSupplier credentialsSupplier)
    {
        this.errorHandler = errorHandler;
        this.signals = null == signalConsumer ? null : new SignalDispatcher(signalConsumer);
        this.errors = null == errorHandler ? null : new ErrorDispatcher();
        this.credentials = null == credentialsSupplier ? null : new NativeCredentialsBridge(credentialsSupplier);
        if (subscriptions.isNull() || descriptors.isNull() || (null != signals && signals.isNull()) ||
            (null != errors && errors.isNull()) || (null != credentials && credentials.isExhausted()))
        {
            // JavaCPP gave an instance no C thunk: its pool (ArchiveBridgePresets.CLIENT_CALLBACK_SLOTS) is used up.
            close();
            throw new AeronException("too many live NativeArchive clients: each holds native callbacks, of which " +
                ArchiveBridgePresets.CLIENT_CALLBACK_SLOTS + " per kind can exist at once; close clients no longer used");
        }
    }

    /** The exception for a failed connect, carrying the credentials supplier's failure when that is why. */
    RuntimeException connectFailure(final RuntimeException nativeFailure)
    {
        return null == credentials ? nativeFailure : credentials.connectFailure(nativeFailure);
    }

    /** Throw what a callback raised since the last call, if anything. */
    void rethrowFailure()
    {
        final Throwable thrown = failure.getAndSet(null);
        if (null != thrown)
        {
            LangUtil.rethrowUnchecked(thrown);
        }
    }

    /** True while the current thread runs the signal consumer or error handler of this client. */
    boolean inCallback()
    {
        return callbackDepth.get()[0] > 0;
    }

    void close()
    {
        if (null != signals)
        {
            signals.close();
        }
        if (null != errors)
        {
            errors.close();
        }
        subscriptions.close();
        descriptors.close();
        if (null != credentials)
        {
            credentials.close();
        }
    }

    private void onFailure(final Throwable ex)
    {
        if (null != errorHandler)
        {
            try
            {
                errorHandler.onError(ex);
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
        private final RecordingSignalConsumer consumer;

        SignalDispatcher(final RecordingSignalConsumer consumer)
        {
            this.consumer = consumer;
        }

        @Override
        public void call(final Pointer clientd, final abr_archive_recording_signal_t signal)
        {
            final int[] depth = callbackDepth.get();
            depth[0]++;
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
                depth[0]--;
            }
        }
    }

    final class ErrorDispatcher extends ErrorHandlerCallback
    {
        @Override
        public void call(final Pointer clientd, final int errorCode, final long correlationId, final BytePointer message)
        {
            final int archiveCode = abr_error_code_to_archive(errorCode);
            final String text = NativeErrors.nativeString(message);
            // An archive's error response is worded as AeronArchive words it for its error handler.
            final NativeArchiveException ex = archiveCode < 0 ?
                new NativeArchiveException(text + " - correlationId=" + correlationId,
                    errorCode, ArchiveException.GENERIC, correlationId) :
                new NativeArchiveException("response for correlationId=" + correlationId + ", error: " + text,
                    errorCode, archiveCode, correlationId);
            final int[] depth = callbackDepth.get();
            depth[0]++;
            try
            {
                errorHandler.onError(ex);
            }
            catch (final Throwable handlerFailure)
            {
                failure.compareAndSet(null, handlerFailure);
            }
            finally
            {
                depth[0]--;
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
            consumer = null;
            thrown = null;
            if (null != ex)
            {
                LangUtil.rethrowUnchecked(ex);
            }
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
}
