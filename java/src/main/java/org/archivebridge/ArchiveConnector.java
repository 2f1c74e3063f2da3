package org.archivebridge;

import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_async_connect_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_t;

import java.util.Objects;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_archive_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_async_connect;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_connect;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_control_session_id;

/**
 * Starts a {@link NativeArchive}'s connect, blocking or step by step: the context is checked, written into a C
 * context with the client's callbacks, and the C context released once the native connect has read it.
 */
final class ArchiveConnector
{
    private ArchiveConnector()
    {
    }

    static NativeArchive connect(final NativeArchive.Context ctx)
    {
        Objects.requireNonNull(ctx, "ctx");
        ArchiveContextBinding.validate(ctx);

        final abr_archive_context_t nativeContext = new abr_archive_context_t();
        NativeAeron.check(abr_archive_context_init(nativeContext));
        final NativeArchiveCallbacks callbacks = callbacksOf(ctx);
        boolean connected = false;
        try
        {
            ArchiveContextBinding.write(ctx, nativeContext, callbacks);
            final abr_archive_t archive = new abr_archive_t();
            if (abr_archive_connect(archive, nativeContext) < 0)
            {
                throw callbacks.connectFailure(NativeErrors.lastConnectError());
            }
            connected = true;
            return connected(ctx, archive, callbacks);
        }
        finally
        {
            if (!connected)
            {
                // A context write refused, or a failed connect: the thunks go now, not at some later GC.
                callbacks.close();
            }
            abr_archive_context_close(nativeContext);
        }
    }

    static NativeArchive.AsyncConnect asyncConnect(final NativeArchive.Context ctx)
    {
        Objects.requireNonNull(ctx, "ctx");
        ArchiveContextBinding.validate(ctx);

        final abr_archive_context_t nativeContext = new abr_archive_context_t();
        NativeAeron.check(abr_archive_context_init(nativeContext));
        final NativeArchiveCallbacks callbacks = callbacksOf(ctx);
        boolean started = false;
        try
        {
            ArchiveContextBinding.write(ctx, nativeContext, callbacks);
            final abr_archive_async_connect_t async = new abr_archive_async_connect_t();
            if (abr_archive_async_connect(async, nativeContext) < 0)
            {
                throw callbacks.connectFailure(NativeErrors.lastConnectError());
            }
            started = true;
            final NativeArchive.AsyncConnect connect = new NativeArchive.AsyncConnect(ctx, async, callbacks);
            final NativeAeron shared = ctx.sharedAeron();
            if (null != shared && !shared.addDependent(connect))
            {
                connect.close();
                throw new IllegalStateException("NativeAeron is closed: the connect started on it is closed too");
            }
            return connect;
        }
        finally
        {
            if (!started)
            {
                callbacks.close();
            }
            abr_archive_context_close(nativeContext);
        }
    }

    /* The client a completed connect yields, blocking or step by step. */
    static NativeArchive connected(
        final NativeArchive.Context ctx, final abr_archive_t archive, final NativeArchiveCallbacks callbacks)
    {
        final NativeArchive client = new NativeArchive(
            ctx, archive, abr_archive_control_session_id(archive), abr_archive_archive_id(archive), callbacks);
        final NativeAeron shared = ctx.sharedAeron();
        if (null != shared && !shared.addDependent(client))
        {
            client.close();
            throw new IllegalStateException("NativeAeron is closed: the archive client connected on it is closed too");
        }
        return client;
    }

    private static NativeArchiveCallbacks callbacksOf(final NativeArchive.Context ctx)
    {
        return NativeArchiveCallbacks.acquire(
            ctx.recordingSignalConsumer(), ctx.errorHandler(), ctx.credentialsSupplier());
    }
}
