package org.archivebridge;

import io.aeron.CommonContext;
import io.aeron.exceptions.ConfigurationException;
import org.agrona.LangUtil;
import org.agrona.SystemUtil;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingDescriptorConsumerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_descriptor_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_t;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_SOURCE_LOCATION_LOCAL;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_SOURCE_LOCATION_REMOTE;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_archive_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_connect;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_aeron_directory_name;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_client_name;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_control_request_channel;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_control_request_stream_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_control_response_channel;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_control_response_stream_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_message_retry_attempts;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_message_timeout_ns;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_test_fault_skip_close_session;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_control_session_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_get_recording_position;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_get_stop_position;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_list_recording;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_list_recordings;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_poll;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_start_recording;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_stop_recording_channel_and_stream;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_stop_recording_subscription;

/**
 * A client of an Aeron Archive through archive-bridge's C library, with the methods of
 * {@code io.aeron.archive.client.AeronArchive} 1.51.0 under the same names, in the same order.
 * <p>
 * Calls are serialised by a lock, as AeronArchive's are; {@link #close()} waits for a call in progress. The control
 * session is closed (CloseSessionRequest sent) by an explicit {@link #close()} only: a client that is never closed
 * leaks its session rather than having a cleaner close it on an arbitrary thread at an arbitrary time.
 */
public final class NativeArchive implements AutoCloseable
{
    private final ReentrantLock lock = new ReentrantLock();
    private final Context context;
    private final long controlSessionId;
    private final long archiveId;
    private final DescriptorDispatcher dispatcher = new DescriptorDispatcher();
    private final LongPointer longResult = new LongPointer(1);
    private final IntPointer intResult = new IntPointer(1);
    private abr_archive_t archive;

    /* Package-private so tests of the Java layer's state handling can wrap a handle of their own. */
    NativeArchive(final Context context, final abr_archive_t archive, final long controlSessionId, final long archiveId)
    {
        this.context = context;
        this.archive = archive;
        this.controlSessionId = controlSessionId;
        this.archiveId = archiveId;
    }

    /**
     * Close the control session, sending CloseSessionRequest, and release the native client. Waits for a call in
     * progress on another thread; a second close does nothing.
     *
     * @throws NativeArchiveException if the native close reported a failure; the client is released all the same.
     * @throws IllegalStateException  if called from within a {@link RecordingDescriptorConsumer} of this client.
     */
    public void close()
    {
        lock.lock();
        try
        {
            ensureNotReentrant();
            if (null != archive)
            {
                final abr_archive_t toClose = archive;
                archive = null;
                try
                {
                    if (abr_archive_close(toClose) < 0)
                    {
                        throw NativeErrors.lastError();
                    }
                }
                finally
                {
                    dispatcher.close();
                    longResult.close();
                    intResult.close();
                }
            }
        }
        finally
        {
            lock.unlock();
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
        Objects.requireNonNull(ctx, "ctx");
        ctx.validate();

        final abr_archive_context_t nativeContext = new abr_archive_context_t();
        check(abr_archive_context_init(nativeContext));
        try
        {
            ctx.applyTo(nativeContext);
            final abr_archive_t archive = new abr_archive_t();
            check(abr_archive_connect(archive, nativeContext));
            return new NativeArchive(
                ctx, archive, abr_archive_control_session_id(archive), abr_archive_archive_id(archive));
        }
        finally
        {
            abr_archive_context_close(nativeContext);
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
     * Poll the control response channel for traffic not tied to a call (pings, recording signals, errors). An idle
     * client must call it regularly, or the archive ends the session when its responses stop getting through.
     * It stands for AeronArchive's pollForErrorResponse() and pollForRecordingSignals(), which it does not yet
     * split into.
     *
     * @return the number of fragments read.
     */
    public int poll()
    {
        lock.lock();
        try
        {
            ensureUsable();
            return check(abr_archive_poll(archive));
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
        final int location = SourceLocation.LOCAL == sourceLocation ?
            ABR_ARCHIVE_SOURCE_LOCATION_LOCAL : ABR_ARCHIVE_SOURCE_LOCATION_REMOTE;

        lock.lock();
        try
        {
            ensureUsable();
            check(abr_archive_start_recording(longResult, archive, channel, streamId, location, autoStop));
            return longResult.get();
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
            check(abr_archive_stop_recording_channel_and_stream(archive, channel, streamId));
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
            check(abr_archive_stop_recording_subscription(archive, subscriptionId));
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
            final int result = abr_archive_list_recordings(
                intResult, archive, fromRecordingId, recordCount, dispatcher, null);
            dispatcher.end();
            check(result);
            return intResult.get();
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
            final int result = abr_archive_list_recording(intResult, archive, recordingId, dispatcher, null);
            dispatcher.end();
            check(result);
            return intResult.get();
        }
        finally
        {
            dispatcher.reset();
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
            check(abr_archive_get_recording_position(longResult, archive, recordingId));
            return longResult.get();
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
            check(abr_archive_get_stop_position(longResult, archive, recordingId));
            return longResult.get();
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

    private void ensureUsable()
    {
        ensureNotReentrant();
        if (null == archive)
        {
            throw new IllegalStateException("NativeArchive is closed");
        }
    }

    /*
     * A consumer runs inside a native call that holds the C client's lock: a call back into the client would
     * deadlock on that lock, and a close would free the client under the listing.
     */
    private void ensureNotReentrant()
    {
        if (lock.getHoldCount() > 1)
        {
            throw new IllegalStateException("reentrant calls not permitted during callbacks");
        }
    }

    private static void requireChannel(final String channel)
    {
        if (null == channel || channel.isEmpty())
        {
            throw new IllegalArgumentException("channel must not be null or empty: " + channel);
        }
    }

    private static int check(final int result)
    {
        if (result < 0)
        {
            throw NativeErrors.lastError();
        }
        return result;
    }

    /**
     * The one native callback of a client, allocated with it and kept referenced by it so the GC cannot free the
     * thunk while C may call it. It hands each descriptor to the consumer of the call in progress. An exception
     * must not unwind through the C frames, so it is kept and rethrown after the native call returns.
     */
    private static final class DescriptorDispatcher extends RecordingDescriptorConsumerCallback
    {
        private RecordingDescriptorConsumer consumer;
        private Throwable failure;

        void begin(final RecordingDescriptorConsumer consumer)
        {
            this.consumer = consumer;
            this.failure = null;
        }

        void end()
        {
            final Throwable thrown = failure;
            reset();
            if (null != thrown)
            {
                LangUtil.rethrowUnchecked(thrown);
            }
        }

        void reset()
        {
            consumer = null;
            failure = null;
        }

        @Override
        public void call(final Pointer clientd, final abr_archive_recording_descriptor_t descriptor)
        {
            if (null == consumer || null != failure)
            {
                return;
            }

            try
            {
                consumer.onRecordingDescriptor(
                    descriptor.control_session_id(),
                    descriptor.correlation_id(),
                    descriptor.recording_id(),
                    descriptor.start_timestamp(),
                    descriptor.stop_timestamp(),
                    descriptor.start_position(),
                    descriptor.stop_position(),
                    descriptor.initial_term_id(),
                    descriptor.segment_file_length(),
                    descriptor.term_buffer_length(),
                    descriptor.mtu_length(),
                    descriptor.session_id(),
                    descriptor.stream_id(),
                    NativeErrors.nativeString(descriptor.stripped_channel()),
                    NativeErrors.nativeString(descriptor.original_channel()),
                    NativeErrors.nativeString(descriptor.source_identity()));
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }
    }

    /**
     * Settings of a {@link NativeArchive}, with the names of AeronArchive.Context and defaults from the same system
     * properties, read when the context is created.
     */
    public static final class Context
    {
        private static final String CONTROL_CHANNEL_PROP_NAME = "aeron.archive.control.channel";
        private static final String CONTROL_STREAM_ID_PROP_NAME = "aeron.archive.control.stream.id";
        private static final int CONTROL_STREAM_ID_DEFAULT = 10;
        private static final String CONTROL_RESPONSE_CHANNEL_PROP_NAME = "aeron.archive.control.response.channel";
        private static final String CONTROL_RESPONSE_STREAM_ID_PROP_NAME = "aeron.archive.control.response.stream.id";
        private static final int CONTROL_RESPONSE_STREAM_ID_DEFAULT = 20;
        private static final String MESSAGE_TIMEOUT_PROP_NAME = "aeron.archive.message.timeout";
        private static final long MESSAGE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
        private static final String MESSAGE_RETRY_ATTEMPTS_PROP_NAME = "aeron.archive.message.retry.attempts";
        private static final int MESSAGE_RETRY_ATTEMPTS_DEFAULT = 3;
        private static final String CLIENT_NAME_PROP_NAME = "aeron.archive.client.name";

        private String aeronDirectoryName = CommonContext.getAeronDirectoryName();
        private String controlRequestChannel = System.getProperty(CONTROL_CHANNEL_PROP_NAME);
        private int controlRequestStreamId = Integer.getInteger(CONTROL_STREAM_ID_PROP_NAME, CONTROL_STREAM_ID_DEFAULT);
        private String controlResponseChannel = System.getProperty(CONTROL_RESPONSE_CHANNEL_PROP_NAME);
        private int controlResponseStreamId =
            Integer.getInteger(CONTROL_RESPONSE_STREAM_ID_PROP_NAME, CONTROL_RESPONSE_STREAM_ID_DEFAULT);
        private long messageTimeoutNs =
            SystemUtil.getDurationInNanos(MESSAGE_TIMEOUT_PROP_NAME, MESSAGE_TIMEOUT_DEFAULT_NS);
        private int messageRetryAttempts =
            Integer.getInteger(MESSAGE_RETRY_ATTEMPTS_PROP_NAME, MESSAGE_RETRY_ATTEMPTS_DEFAULT);
        private String clientName = SystemUtil.getProperty(CLIENT_NAME_PROP_NAME, "");
        private boolean testFaultSkipCloseSession;

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

        void validate()
        {
            if (null == controlRequestChannel)
            {
                throw new ConfigurationException("NativeArchive.Context.controlRequestChannel must be set");
            }
            if (null == controlResponseChannel)
            {
                throw new ConfigurationException("NativeArchive.Context.controlResponseChannel must be set");
            }
            if (messageRetryAttempts <= 0)
            {
                throw new ConfigurationException(
                    "NativeArchive.Context.messageRetryAttempts must be > 0, got: " + messageRetryAttempts);
            }
        }

        /* Every setting is written, so the native context's environment-variable defaults do not apply (only a
         * directory set to null keeps the native default: AERON_DIR, else /dev/shm/aeron-<user>). */
        void applyTo(final abr_archive_context_t nativeContext)
        {
            if (null != aeronDirectoryName)
            {
                check(abr_archive_context_set_aeron_directory_name(nativeContext, aeronDirectoryName));
            }
            check(abr_archive_context_set_control_request_channel(nativeContext, controlRequestChannel));
            check(abr_archive_context_set_control_request_stream_id(nativeContext, controlRequestStreamId));
            check(abr_archive_context_set_control_response_channel(nativeContext, controlResponseChannel));
            check(abr_archive_context_set_control_response_stream_id(nativeContext, controlResponseStreamId));
            check(abr_archive_context_set_message_timeout_ns(nativeContext, messageTimeoutNs));
            check(abr_archive_context_set_message_retry_attempts(nativeContext, messageRetryAttempts));
            check(abr_archive_context_set_client_name(nativeContext, null == clientName ? "" : clientName));
            check(abr_archive_context_set_test_fault_skip_close_session(nativeContext, testFaultSkipCloseSession));
        }
    }
}
