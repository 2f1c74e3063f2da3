package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_exclusive_publication_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_publication_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_t;

import org.agrona.DirectBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_t;
import org.bytedeco.javacpp.BytePointer;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_COUNTER_MAX_KEY_LENGTH;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_COUNTER_MAX_LABEL_LENGTH;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_add_counter;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_add_exclusive_publication;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_add_publication;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_add_subscription;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_add_subscription_with_handlers;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_connect;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_do_work;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_set_client_name;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_set_dir;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_set_driver_timeout_ms;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_set_resource_linger_ns;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_context_set_use_conductor_thread;

/**
 * A client of a Media Driver through archive-bridge's own C client core, as {@code io.aeron.Aeron} is through Java:
 * publications and subscriptions whose offers and polls run in C over the driver's shared memory. Owns one native
 * client; close releases it and every publication and subscription added through it, and a second close does nothing.
 * Adding and closing are serialised; each publication and subscription is then used by one thread at a time, as with
 * Aeron (a concurrent publication may be offered to from several).
 */
public final class NativeAeron implements AutoCloseable
{
    private final Context context;
    private final boolean owned;
    private abr_client_t client;
    /* Read on every offer and poll, without the lock: they fail cleanly once the client is closed. */
    private volatile boolean closed;
    /*
     * Archive clients, connects and persistent subscriptions that use this core from C: closed before it, so that none
     * reaches its memory once released (a call after the close fails as on a closed client; AeronArchive's calls fail
     * once their Aeron is closed). A set of its own, not under the monitor: they remove themselves as they close.
     */
    private final Set<AutoCloseable> dependents = ConcurrentHashMap.newKeySet();
    private boolean closing;
    /*
     * The publications, subscriptions and counters made on this client and not yet released, under the monitor. The
     * close closes them first and closes the C client only once the last is released: a call that entered one of them
     * before the close reads and writes what the C close frees (with no resource linger, at once), so the C close
     * waits for it to exit instead, and that exit, on the call's thread, closes the C client.
     */
    private final Set<NativeHandle> handles = new HashSet<>();
    /* The C client, from the close until the last handle is released. */
    private abr_client_t closeOnceReleased;

    private NativeAeron(final Context context, final abr_client_t client, final boolean owned)
    {
        this.context = context;
        this.client = client;
        this.owned = owned;
    }

    /* A view of a client another owner (a NativeArchive) connected and closes: close here only stops its use. */
    static NativeAeron borrowed(final abr_client_t client)
    {
        return new NativeAeron(new Context(), client, false);
    }

    /**
     * Connect to the Media Driver the context names.
     *
     * @param context the settings.
     * @return the connected client.
     * @throws NativeArchiveException if there is no driver, or it does not answer in the driver timeout.
     */
    public static NativeAeron connect(final Context context)
    {
        Objects.requireNonNull(context, "context");
        final abr_context_t nativeContext = new abr_context_t();
        check(abr_context_init(nativeContext));
        try
        {
            if (null != context.aeronDirectoryName)
            {
                check(abr_context_set_dir(nativeContext, context.aeronDirectoryName));
            }
            check(abr_context_set_driver_timeout_ms(nativeContext, context.driverTimeoutMs));
            check(abr_context_set_client_name(nativeContext, context.clientName));
            check(abr_context_set_use_conductor_thread(nativeContext, !context.useConductorAgentInvoker));
            check(abr_context_set_resource_linger_ns(nativeContext, context.resourceLingerDurationNs));
            final abr_client_t client = new abr_client_t();
            check(abr_client_connect(client, nativeContext));
            return new NativeAeron(context, client, true);
        }
        finally
        {
            abr_context_close(nativeContext);
        }
    }

    /**
     * @return the context this client was connected with.
     */
    public Context context()
    {
        return context;
    }

    /**
     * Add a concurrent publication, waiting for the driver to create it.
     *
     * @param channel  of the publication.
     * @param streamId of the publication.
     * @return the publication.
     */
    public synchronized NativePublication addPublication(final String channel, final int streamId)
    {
        requireChannel(channel);
        final abr_publication_t publication = new abr_publication_t();
        check(abr_client_add_publication(publication, usable(), channel, streamId));
        return track(new NativePublication.Concurrent(this, publication));
    }

    /**
     * Add an exclusive publication (a log of its own, one offering thread), waiting for the driver to create it.
     *
     * @param channel  of the publication.
     * @param streamId of the publication.
     * @return the publication.
     */
    public synchronized NativePublication addExclusivePublication(final String channel, final int streamId)
    {
        requireChannel(channel);
        final abr_exclusive_publication_t publication = new abr_exclusive_publication_t();
        check(abr_client_add_exclusive_publication(publication, usable(), channel, streamId));
        return track(new NativePublication.Exclusive(this, publication));
    }

    /**
     * Add a subscription, waiting for the driver to create it.
     *
     * @param channel  of the subscription.
     * @param streamId of the subscription.
     * @return the subscription.
     */
    public synchronized NativeSubscription addSubscription(final String channel, final int streamId)
    {
        requireChannel(channel);
        final abr_subscription_t subscription = new abr_subscription_t();
        check(abr_client_add_subscription(subscription, usable(), channel, streamId));
        return track(new NativeSubscription(this, subscription));
    }

    /**
     * Add a subscription with image handlers, waiting for the driver to create it, as Aeron.addSubscription with an
     * AvailableImageHandler and UnavailableImageHandler.
     *
     * @param channel            of the subscription.
     * @param streamId           of the subscription.
     * @param availableHandler   told of each image as it comes (may be null).
     * @param unavailableHandler told of each image as it goes, closing the subscription included (may be null).
     * @return the subscription.
     */
    public synchronized NativeSubscription addSubscription(
        final String channel,
        final int streamId,
        final NativeAvailableImageHandler availableHandler,
        final NativeUnavailableImageHandler unavailableHandler)
    {
        requireChannel(channel);
        final abr_subscription_t subscription = new abr_subscription_t();
        final ImageHandlerBridge.Registration handlers =
            ImageHandlerBridge.register(availableHandler, unavailableHandler);
        final NativeSubscription result = new NativeSubscription(this, subscription, handlers);
        handlers.subscription = result;
        try
        {
            check(abr_client_add_subscription_with_handlers(
                subscription, usable(), channel, streamId, ImageHandlerBridge.ON_AVAILABLE, handlers.clientd,
                ImageHandlerBridge.ON_UNAVAILABLE, handlers.clientd));
        }
        catch (final RuntimeException ex)
        {
            ImageHandlerBridge.unregister(handlers);
            throw ex;
        }
        return track(result);
    }

    /**
     * Allocate a counter in the driver with an empty key, waiting for the driver, as Aeron.addCounter(int, String).
     *
     * @param typeId of the counter (readers find it by it).
     * @param label  of the counter, in ASCII (other characters become '?'), at most 380 characters.
     * @return the counter, the caller's to close.
     * @throws IllegalArgumentException if the label is null or too long.
     */
    public NativeCounter addCounter(final int typeId, final String label)
    {
        Objects.requireNonNull(label, "label");
        if (label.length() > ABR_COUNTER_MAX_LABEL_LENGTH)
        {
            throw new IllegalArgumentException("label length exceeds MAX_LABEL_LENGTH: " + label.length());
        }
        final byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        return addCounter(typeId, new byte[0], labelBytes);
    }

    /**
     * Allocate a counter in the driver with a key and a label copied from the buffers, waiting for the driver, as
     * Aeron.addCounter(int, DirectBuffer, int, int, DirectBuffer, int, int).
     *
     * @param typeId      of the counter (readers find it by it).
     * @param keyBuffer   holding the key (may be null when keyLength is 0).
     * @param keyOffset   of the key in the buffer.
     * @param keyLength   of the key, at most 112.
     * @param labelBuffer holding the label's ASCII bytes (may be null when labelLength is 0).
     * @param labelOffset of the label in the buffer.
     * @param labelLength of the label, at most 380.
     * @return the counter, the caller's to close.
     * @throws IllegalArgumentException if a length is out of bounds or a range outside its buffer.
     */
    public NativeCounter addCounter(
        final int typeId,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer labelBuffer,
        final int labelOffset,
        final int labelLength)
    {
        if (keyLength < 0 || keyLength > ABR_COUNTER_MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key length out of bounds: " + keyLength);
        }
        if (labelLength < 0 || labelLength > ABR_COUNTER_MAX_LABEL_LENGTH)
        {
            throw new IllegalArgumentException("label length out of bounds: " + labelLength);
        }
        return addCounter(
            typeId, copy(keyBuffer, keyOffset, keyLength, "key"), copy(labelBuffer, labelOffset, labelLength, "label"));
    }

    private synchronized NativeCounter addCounter(final int typeId, final byte[] key, final byte[] label)
    {
        final abr_counter_t counter = new abr_counter_t();
        try (BytePointer nativeKey = new BytePointer(Math.max(1, key.length));
            BytePointer nativeLabel = new BytePointer(Math.max(1, label.length)))
        {
            nativeKey.put(key);
            nativeLabel.put(label);
            check(abr_client_add_counter(
                counter, usable(), typeId, nativeKey, key.length, nativeLabel, label.length));
        }
        return track(new NativeCounter(this, counter));
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length, final String name)
    {
        if (0 == length)
        {
            return new byte[0];
        }
        Objects.requireNonNull(buffer, name + "Buffer");
        if (offset < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException(name + "Offset=" + offset + " " + name + "Length=" + length +
                " outside the buffer's capacity=" + buffer.capacity());
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /**
     * Run the client's conductor once, when it was connected with {@link Context#useConductorAgentInvoker(boolean)}:
     * keepalives to the driver and its notices. Harmless otherwise.
     *
     * @return the work done.
     */
    public synchronized int doWork()
    {
        return check(abr_client_do_work(usable()));
    }

    /**
     * Close the client and everything added through it; a second close does nothing. Calls on other threads end with
     * CLOSED or an IllegalStateException. A call already inside one of the client's publications, subscriptions or
     * counters when the close lands keeps the C client open until it returns, and then closes it on its own thread, so
     * the close does not wait for it. The logs an offer or a poll may still be using are released after the resource
     * linger, on a native thread.
     */
    public void close()
    {
        final List<AutoCloseable> usingThisCore;
        synchronized (this)
        {
            if (null == client)
            {
                return;
            }
            closing = true;
            usingThisCore = List.copyOf(dependents);
        }
        final RuntimeException failure = closeEach(usingThisCore, AutoCloseable::close);
        closeCore();
        if (null != failure)
        {
            throw failure;
        }
    }

    private synchronized void closeCore()
    {
        if (null != client)
        {
            final abr_client_t toClose = client;
            client = null;
            closed = true;
            if (owned)
            {
                closeOnceReleased = toClose;
            }
            // Each one with no call in flight is released here, at once (the monitor is reentrant); the others when
            // their last call exits.
            final RuntimeException failure = closeEach(List.copyOf(handles), NativeHandle::closeHandle);
            closeClientOnceReleased();
            if (null != failure)
            {
                throw failure;
            }
        }
    }

    @FunctionalInterface
    private interface Closer<T>
    {
        void close(T toClose) throws Exception;
    }

    /* Close each one, going on past failures: the first failure, the later ones suppressed in it, or null. */
    private static <T> RuntimeException closeEach(final List<T> toClose, final Closer<T> closer)
    {
        RuntimeException failure = null;
        for (final T one : toClose)
        {
            try
            {
                closer.close(one);
            }
            catch (final Exception ex)
            {
                final RuntimeException wrapped = ex instanceof RuntimeException runtime ? runtime :
                    new IllegalStateException("closing a user of the core failed", ex);
                if (null == failure)
                {
                    failure = wrapped;
                }
                else
                {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        return failure;
    }

    /* The C client's close, once the client is closed and none of its handles is left with a call in flight. */
    private void closeClientOnceReleased()
    {
        if (null != closeOnceReleased && handles.isEmpty())
        {
            final abr_client_t toClose = closeOnceReleased;
            closeOnceReleased = null;
            check(abr_client_close(toClose));
        }
    }

    /**
     * @return true once closed.
     */
    public synchronized boolean isClosed()
    {
        return null == client;
    }

    /* A publication, subscription or counter made on this client, released by release(handle, ...) below. */
    synchronized <H extends NativeHandle> H track(final H handle)
    {
        if (null != client)
        {
            handles.add(handle);
        }
        return handle;
    }

    /*
     * A handle's release, with no call in flight in it: close it in C, unless the client is closed, whose C close
     * releases it (after the resource linger). The last one released after the client's close closes the C client.
     * Under the client's monitor, so the client's close cannot run meanwhile.
     */
    synchronized void release(final NativeHandle handle, final IntSupplier nativeClose)
    {
        handles.remove(handle);
        final int result = null != client ? nativeClose.getAsInt() : 0;
        closeClientOnceReleased();
        check(result);
    }

    /* A user of the core in C, closed before it; false once the core is closing or closed (the user must not start). */
    synchronized boolean addDependent(final AutoCloseable dependent)
    {
        if (closing || null == client)
        {
            return false;
        }
        dependents.add(dependent);
        return true;
    }

    void removeDependent(final AutoCloseable dependent)
    {
        dependents.remove(dependent);
    }

    /* Counters read it before they touch the client's memory: no lock, no exception. */
    boolean isClosedFlag()
    {
        return closed;
    }

    /* Publications and subscriptions check it before each native call. */
    void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("NativeAeron is closed");
        }
    }

    /* The handle, for NativeArchive.Context.aeron(): package-private, never exposed to users. */
    synchronized abr_client_t handle()
    {
        return usable();
    }

    private abr_client_t usable()
    {
        if (null == client)
        {
            throw new IllegalStateException("NativeAeron is closed");
        }
        return client;
    }

    /* The C core reads a C string: a NUL would end it early and add another channel than the one given. */
    private static void requireChannel(final String channel)
    {
        Objects.requireNonNull(channel, "channel");
        final int nul = channel.indexOf('\0');
        if (nul >= 0)
        {
            throw new IllegalArgumentException("channel must not contain a NUL character, found at index " + nul);
        }
    }

    static int check(final int result)
    {
        if (result < 0)
        {
            throw NativeErrors.lastError();
        }
        return result;
    }

    /**
     * Settings of a {@link NativeAeron}, named as in io.aeron.Aeron.Context.
     */
    public static final class Context
    {
        private String aeronDirectoryName = CommonContext.getAeronDirectoryName();
        private long driverTimeoutMs = CommonContext.DEFAULT_DRIVER_TIMEOUT_MS;
        private String clientName = "";
        private boolean useConductorAgentInvoker;
        private long resourceLingerDurationNs = Aeron.Configuration.resourceLingerDurationNs();

        /**
         * @param aeronDirectoryName of the Media Driver.
         * @return this for a fluent API.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @return the Media Driver's directory; default {@code aeron.dir}.
         */
        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /**
         * @param driverTimeoutMs after which a driver that stopped answering is declared gone.
         * @return this for a fluent API.
         */
        public Context driverTimeoutMs(final long driverTimeoutMs)
        {
            this.driverTimeoutMs = driverTimeoutMs;
            return this;
        }

        /**
         * @return the driver timeout in ms; default 10 s.
         */
        public long driverTimeoutMs()
        {
            return driverTimeoutMs;
        }

        /**
         * @param clientName the driver shows for this client.
         * @return this for a fluent API.
         */
        public Context clientName(final String clientName)
        {
            this.clientName = null == clientName ? "" : clientName;
            return this;
        }

        /**
         * @return the client name; default empty.
         */
        public String clientName()
        {
            return clientName;
        }

        /**
         * @param useConductorAgentInvoker true to run the conductor from {@link NativeAeron#doWork()} calls instead of
         *                                 a thread of its own.
         * @return this for a fluent API.
         */
        public Context useConductorAgentInvoker(final boolean useConductorAgentInvoker)
        {
            this.useConductorAgentInvoker = useConductorAgentInvoker;
            return this;
        }

        /**
         * @return true when the conductor runs from doWork calls; false (a thread of its own) by default.
         */
        public boolean useConductorAgentInvoker()
        {
            return useConductorAgentInvoker;
        }

        /**
         * @param resourceLingerDurationNs how long a closed publication's log (and, after the client's close, every
         *                                 log and image of the client) stays mapped, so that an offer or a poll
         *                                 racing the close on another thread reads and writes mapped memory instead
         *                                 of crashing the JVM; as Aeron.Context.resourceLingerDurationNs. 0 releases
         *                                 at once, for callers that never close a publication or the client under a
         *                                 running offer or claim (the other calls of its publications,
         *                                 subscriptions and counters are safe against either close).
         * @return this for a fluent API.
         */
        public Context resourceLingerDurationNs(final long resourceLingerDurationNs)
        {
            if (resourceLingerDurationNs < 0)
            {
                throw new IllegalArgumentException("resourceLingerDurationNs must not be negative: " +
                    resourceLingerDurationNs);
            }
            this.resourceLingerDurationNs = resourceLingerDurationNs;
            return this;
        }

        /**
         * @return the resource linger in ns; default {@code aeron.client.resource.linger.duration} (3 s).
         */
        public long resourceLingerDurationNs()
        {
            return resourceLingerDurationNs;
        }
    }
}
