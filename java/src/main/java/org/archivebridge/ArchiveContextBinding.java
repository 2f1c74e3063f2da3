package org.archivebridge;

import io.aeron.exceptions.ConfigurationException;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_t;

import static org.archivebridge.binding.ArchiveBridgeLibrary.*;

/**
 * Checks a {@link NativeArchive.Context} as AeronArchive.Context.conclude() would, and writes it into the C context
 * a connect reads.
 */
final class ArchiveContextBinding
{
    private ArchiveContextBinding()
    {
    }

    static void validate(final NativeArchive.Context ctx)
    {
        if (null == ctx.controlRequestChannel())
        {
            throw new ConfigurationException("NativeArchive.Context.controlRequestChannel must be set");
        }
        if (null == ctx.controlResponseChannel())
        {
            throw new ConfigurationException("NativeArchive.Context.controlResponseChannel must be set");
        }
        if (ctx.messageRetryAttempts() <= 0)
        {
            throw new ConfigurationException(
                "NativeArchive.Context.messageRetryAttempts must be > 0, got: " + ctx.messageRetryAttempts());
        }
        if (null != ctx.clientName() && ctx.clientName().length() > ArchiveConfiguration.MAX_CLIENT_NAME_LENGTH)
        {
            throw new ConfigurationException("NativeArchive.Context.clientName length must be <= " +
                ArchiveConfiguration.MAX_CLIENT_NAME_LENGTH + ", got: " + ctx.clientName().length());
        }
    }

    /* Every setting is written, so the native context's environment-variable defaults do not apply (only a
     * directory set to null keeps the native default: AERON_DIR, else /dev/shm/aeron-<user>). */
    static void write(
        final NativeArchive.Context ctx,
        final abr_archive_context_t nativeContext,
        final NativeArchiveCallbacks callbacks)
    {
        if (null != callbacks.signals)
        {
            check(abr_archive_context_set_recording_signal_consumer(nativeContext, callbacks.signals, null));
        }
        if (null != callbacks.errors)
        {
            check(abr_archive_context_set_error_handler(nativeContext, callbacks.errors, null));
        }
        if (null != ctx.aeronDirectoryName())
        {
            check(abr_archive_context_set_aeron_directory_name(nativeContext, ctx.aeronDirectoryName()));
        }
        check(abr_archive_context_set_control_request_channel(nativeContext, ctx.controlRequestChannel()));
        check(abr_archive_context_set_control_request_stream_id(nativeContext, ctx.controlRequestStreamId()));
        check(abr_archive_context_set_control_response_channel(nativeContext, ctx.controlResponseChannel()));
        check(abr_archive_context_set_control_response_stream_id(nativeContext, ctx.controlResponseStreamId()));
        check(abr_archive_context_set_message_timeout_ns(nativeContext, ctx.messageTimeoutNs()));
        check(abr_archive_context_set_message_retry_attempts(nativeContext, ctx.messageRetryAttempts()));
        check(abr_archive_context_set_client_name(nativeContext, null == ctx.clientName() ? "" : ctx.clientName()));
        check(abr_archive_context_set_control_term_buffer_length(nativeContext, ctx.controlTermBufferLength()));
        check(abr_archive_context_set_control_mtu_length(nativeContext, ctx.controlMtuLength()));
        check(abr_archive_context_set_control_term_buffer_sparse(nativeContext, ctx.controlTermBufferSparse()));
        check(abr_archive_context_set_auto_poll_interval_ns(nativeContext, ctx.autoPollIntervalNs()));
        check(NativeIdleStrategy.apply(nativeContext, ctx.idleStrategy()));
        check(abr_archive_context_set_locking(nativeContext, !ClientLock.isNoOp(ctx.lock())));
        if (null != ctx.debugLog())
        {
            check(abr_archive_context_set_debug_log(nativeContext, ctx.debugLog()));
        }
        if (null != ctx.sharedAeron())
        {
            check(abr_archive_context_set_client(nativeContext, ctx.sharedAeron().handle()));
        }
        check(abr_archive_context_set_test_fault_skip_close_session(nativeContext, ctx.testFaultSkipCloseSession()));
        if (null != callbacks.credentials)
        {
            check(abr_archive_context_set_credentials_supplier(nativeContext, callbacks.credentials.encoded,
                callbacks.credentials.challenge, callbacks.credentials.free, null));
        }
        check(abr_archive_context_set_protocol_semantic_version(nativeContext, ctx.protocolSemanticVersion()));
    }

    private static int check(final int result)
    {
        if (result < 0)
        {
            throw NativeErrors.lastError();
        }
        return result;
    }
}
