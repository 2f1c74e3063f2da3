package org.archivebridge.conformance.client;

import java.util.function.Consumer;

/**
 * The archive operations both clients offer, so a scenario is written once. Every failure is a
 * {@link ClientFailure}, already sorted into a category both clients can be compared on.
 */
public interface ArchiveClient extends AutoCloseable
{
    long controlSessionId();

    long archiveId();

    /** The client's state as AeronArchive.State names it: CONNECTED, DISCONNECTED or CLOSED. Never fails. */
    String state();

    /** The correlation id of the last request a method sent, as AeronArchive.lastCorrelationId(); -1 before one. */
    long lastCorrelationId();

    /** @return the subscription id of the recording. */
    long startRecording(String channel, int streamId, RecordingSource source);

    void stopRecording(String channel, int streamId);

    void stopRecording(long subscriptionId);

    long getRecordingPosition(long recordingId);

    long getStopPosition(long recordingId);

    int listRecordings(long fromRecordingId, int recordCount, Consumer<RecordingDescriptor> consumer);

    int listRecording(long recordingId, Consumer<RecordingDescriptor> consumer);

    // Recording management, listing and asynchronous traffic (issue 4).

    /** @return the subscription id of the recording. */
    long startRecording(String channel, int streamId, RecordingSource source, boolean autoStop);

    /** @return the subscription id of the extension. */
    long extendRecording(long recordingId, String channel, int streamId, RecordingSource source);

    boolean tryStopRecording(String channel, int streamId);

    boolean tryStopRecording(long subscriptionId);

    boolean tryStopRecordingByIdentity(long recordingId);

    long getStartPosition(long recordingId);

    long getMaxRecordedPosition(long recordingId);

    long findLastMatchingRecording(long minRecordingId, String channelFragment, int streamId, int sessionId);

    int listRecordingsForUri(
        long fromRecordingId, int recordCount, String channelFragment, int streamId, Consumer<RecordingDescriptor> consumer);

    int listRecordingSubscriptions(
        int pseudoIndex,
        int subscriptionCount,
        String channelFragment,
        int streamId,
        boolean applyStreamId,
        Consumer<SubscriptionDescriptor> consumer);

    /** @return the archive's error text, the not-connected text, or null. */
    String pollForErrorResponse();

    void checkForErrorResponse();

    /** Poll once for a recording signal; it lands in {@link #takeSignals()}. @return 1 if one was dispatched. */
    int pollForRecordingSignals();

    /** The recording signals the client's consumer received since the last take, in order. */
    java.util.List<SignalLog.Signal> takeSignals();

    // Replay and maintenance.

    /**
     * Replay a recording through the client's replay() and read it to the end: the CRC-32 of every payload byte in
     * order, or -1 if fewer than expectedBytes arrived within timeoutMs.
     */
    long replayChecksum(
        long recordingId, long position, long length, String channel, int streamId, long expectedBytes, long timeoutMs);

    long startReplay(long recordingId, long position, long length, String channel, int streamId);

    /** As {@link #replayChecksum}, through replay() with replay parameters (ReplayParams or ReplayParams). */
    long replayChecksum(
        long recordingId, String channel, int streamId, ReplayOptions options, long expectedBytes, long timeoutMs);

    /** startReplay with replay parameters. */
    long startReplay(long recordingId, String channel, int streamId, ReplayOptions options);

    /** A replay that never passes the value of a counter on the Archive's driver: the replay session id. */
    long startBoundedReplay(
        long recordingId, long position, long length, int limitCounterId, String channel, int streamId);

    void stopReplay(long replaySessionId);

    void stopAllReplays(long recordingId);

    long truncateRecording(long recordingId, long position);

    long purgeRecording(long recordingId);

    void detachSegments(long recordingId, long newStartPosition);

    long deleteDetachedSegments(long recordingId);

    long purgeSegments(long recordingId, long newStartPosition);

    long attachSegments(long recordingId);

    long migrateSegments(long srcRecordingId, long dstRecordingId);

    void updateChannel(long recordingId, String newChannel);

    /** Close the control session (the client sends CloseSessionRequest) and release the client. */
    void close();

    /* Replication (issue 4, item 6): the connected archive copies a recording from a source archive. */

    /** Replicate with default parameters except the stop position (NULL_VALUE: follow the source). */
    long replicate(long srcRecordingId, int srcControlStreamId, String srcControlChannel, long stopPosition);

    /** Replicate with every replication parameter given (ReplicationParams or ReplicationParams). */
    long replicate(long srcRecordingId, int srcControlStreamId, String srcControlChannel, ReplicationOptions options);

    void stopReplication(long replicationId);

    boolean tryStopReplication(long replicationId);

    /* Recorded publications (issue 4, item 2): added through the client's own Aeron client, recorded by session. */

    RecordedPublication addRecordedPublication(String channel, int streamId, boolean exclusive);

    void stopRecording(RecordedPublication publication);

    /*
     * Recording events and recording position counters (issue 12), read as an application of this client's kind
     * reads them: AeronArchive's through its own Aeron client's RecordingEventsAdapter, RecordingEventsPoller and
     * RecordingPos, NativeArchive's through a NativeAeron's NativeRecordingEventsAdapter/Poller and NativeRecordingPos.
     */

    /** Subscribe to the Archive's recording events, read by the events poller when poller is true, else the adapter. */
    RecordingEventsReader recordingEvents(String channel, int streamId, boolean poller);

    /** The recording position counters on this client's driver. */
    RecordingPositions recordingPositions();

    /* Replay merge (issue 11): the client's own replay merge on a subscription added through its Aeron client. */

    /**
     * Add a subscription to subscriptionChannel (control-mode=manual) and start a replay merge on it.
     *
     * @param mergeProgressTimeoutMs how long the merge may make no progress before it fails.
     */
    ClientReplayMerge replayMerge(
        String subscriptionChannel,
        int streamId,
        String replayChannel,
        String replayDestination,
        String liveDestination,
        long recordingId,
        long startPosition,
        long mergeProgressTimeoutMs);

    /* Persistent subscription (issue 11): the client's own, with an archive client of its own on these settings. */

    ClientPersistentSubscription persistentSubscription(
        ClientSettings archiveSettings,
        long recordingId,
        long startPosition,
        String liveChannel,
        int liveStreamId,
        String replayChannel,
        int replayStreamId);
}
