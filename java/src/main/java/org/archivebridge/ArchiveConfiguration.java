package org.archivebridge;

import java.util.concurrent.TimeUnit;

/**
 * The system properties {@link NativeArchive.Context} reads its defaults from, under the names AeronArchive's
 * Configuration gives them, with the same defaults; and the two of our own.
 */
final class ArchiveConfiguration
{
    static final String CONTROL_CHANNEL_PROP_NAME = "aeron.archive.control.channel";
    static final String CONTROL_STREAM_ID_PROP_NAME = "aeron.archive.control.stream.id";
    static final int CONTROL_STREAM_ID_DEFAULT = 10;
    static final String CONTROL_RESPONSE_CHANNEL_PROP_NAME = "aeron.archive.control.response.channel";
    static final String CONTROL_RESPONSE_STREAM_ID_PROP_NAME = "aeron.archive.control.response.stream.id";
    static final int CONTROL_RESPONSE_STREAM_ID_DEFAULT = 20;
    static final String MESSAGE_TIMEOUT_PROP_NAME = "aeron.archive.message.timeout";
    static final long MESSAGE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
    static final String MESSAGE_RETRY_ATTEMPTS_PROP_NAME = "aeron.archive.message.retry.attempts";
    static final int MESSAGE_RETRY_ATTEMPTS_DEFAULT = 3;
    static final String CLIENT_NAME_PROP_NAME = "aeron.archive.client.name";
    static final String CONTROL_TERM_BUFFER_LENGTH_PROP_NAME = "aeron.archive.control.term.buffer.length";
    static final int CONTROL_TERM_BUFFER_LENGTH_DEFAULT = 64 * 1024;
    static final String CONTROL_MTU_LENGTH_PROP_NAME = "aeron.archive.control.mtu.length";
    static final int CONTROL_MTU_LENGTH_DEFAULT = 1408;
    static final String CONTROL_TERM_BUFFER_SPARSE_PROP_NAME = "aeron.archive.control.term.buffer.sparse";
    /** Ours, not AeronArchive's: auto-poll is an extension. */
    static final String AUTO_POLL_INTERVAL_PROP_NAME = "archivebridge.archive.auto.poll.interval";
    /** Ours: the debug log of control requests and responses, "stderr" or a file; as ABR_ARCHIVE_DEBUG_LOG. */
    static final String DEBUG_LOG_PROP_NAME = "archivebridge.archive.debug.log";
    static final String RECORDING_EVENTS_CHANNEL_PROP_NAME = "aeron.archive.recording.events.channel";
    static final String RECORDING_EVENTS_CHANNEL_DEFAULT = "aeron:udp?control-mode=dynamic|control=localhost:8030";
    static final String RECORDING_EVENTS_STREAM_ID_PROP_NAME = "aeron.archive.recording.events.stream.id";
    static final int RECORDING_EVENTS_STREAM_ID_DEFAULT = 30;
    /* As AeronArchive.Context.conclude() checks it. */
    static final int MAX_CLIENT_NAME_LENGTH = 100;

    private ArchiveConfiguration()
    {
    }
}
