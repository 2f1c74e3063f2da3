package org.archivebridge.conformance.client;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.exceptions.TimeoutException;
import io.aeron.security.CredentialsSupplier;
import org.agrona.ErrorHandler;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** The reference: Aeron's own {@link AeronArchive}, which owns the Aeron client its context creates. */
public final class JavaArchiveClient implements FaultyClose
{
    /** How AeronArchive and its Aeron client end the message of a call on a closed client. */
    private static final String CLIENT_IS_CLOSED = "client is closed";

    private final AeronArchive archive;
    private final SignalLog signals;

    private JavaArchiveClient(final AeronArchive archive, final SignalLog signals)
    {
        this.archive = archive;
        this.signals = signals;
    }

    /* 0 in the settings leaves the timeout to the context: aeron.archive.message.timeout, else Aeron's default. */
    private static long messageTimeoutNs(final ClientSettings settings)
    {
        return settings.messageTimeoutNs() > 0 ?
            settings.messageTimeoutNs() : AeronArchive.Configuration.messageTimeoutNs();
    }

    static JavaArchiveClient connect(final ClientSettings settings)
    {
        return connect(settings, null);
    }

    /**
     * As above, with an error handler, which AeronArchive also hands to the Aeron client it creates: without one,
     * Aeron's default handler exits the JVM when the client's Media Driver is declared dead.
     */
    public static JavaArchiveClient connect(final ClientSettings settings, final ErrorHandler errorHandler)
    {
        final SignalLog signals = new SignalLog();
        final AeronArchive.Context context = new AeronArchive.Context()
            .errorHandler(errorHandler)
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(recordingId, subscriptionId, position, signal.name()))
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(messageTimeoutNs(settings));
        return new JavaArchiveClient(translate(() -> AeronArchive.connect(context)), signals);
    }

    /** Connect through AeronArchive.asyncConnect, polled until it yields the client or fails. */
    static JavaArchiveClient connectAsync(final ClientSettings settings)
    {
        final SignalLog signals = new SignalLog();
        final AeronArchive.Context context = new AeronArchive.Context()
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(recordingId, subscriptionId, position, signal.name()))
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(messageTimeoutNs(settings));
        return new JavaArchiveClient(translate(() ->
        {
            try (AeronArchive.AsyncConnect async = AeronArchive.asyncConnect(context))
            {
                AeronArchive archive;
                while (null == (archive = async.poll()))
                {
                    Thread.yield();
                }
                return archive;
            }
        }), signals);
    }

    public long controlSessionId()
    {
        return archive.controlSessionId();
    }

    public long archiveId()
    {
        return translate(archive::archiveId);
    }

    public String state()
    {
        return archive.state().name();
    }

    public long lastCorrelationId()
    {
        return archive.lastCorrelationId();
    }

    public long startRecording(final String channel, final int streamId, final RecordingSource source)
    {
        final SourceLocation location = source == RecordingSource.LOCAL ? SourceLocation.LOCAL : SourceLocation.REMOTE;
        return translate(() -> archive.startRecording(channel, streamId, location));
    }

    public void stopRecording(final String channel, final int streamId)
    {
        run(() -> archive.stopRecording(channel, streamId));
    }

    public void stopRecording(final long subscriptionId)
    {
        run(() -> archive.stopRecording(subscriptionId));
    }

    public long getRecordingPosition(final long recordingId)
    {
        return translate(() -> archive.getRecordingPosition(recordingId));
    }

    public long getStopPosition(final long recordingId)
    {
        return translate(() -> archive.getStopPosition(recordingId));
    }

    public int listRecordings(
        final long fromRecordingId, final int recordCount, final Consumer<RecordingDescriptor> consumer)
    {
        return translate(() -> archive.listRecordings(fromRecordingId, recordCount, adapt(consumer)));
    }

    public int listRecording(final long recordingId, final Consumer<RecordingDescriptor> consumer)
    {
        return translate(() -> archive.listRecording(recordingId, adapt(consumer)));
    }

    public void close()
    {
        run(archive::close);
    }

    // Recording management, listing and asynchronous traffic.

    public long startRecording(
        final String channel, final int streamId, final RecordingSource source, final boolean autoStop)
    {
        return translate(() -> archive.startRecording(channel, streamId, location(source), autoStop));
    }

    public long extendRecording(
        final long recordingId, final String channel, final int streamId, final RecordingSource source)
    {
        return translate(() -> archive.extendRecording(recordingId, channel, streamId, location(source)));
    }

    public boolean tryStopRecording(final String channel, final int streamId)
    {
        return translate(() -> archive.tryStopRecording(channel, streamId));
    }

    public boolean tryStopRecording(final long subscriptionId)
    {
        return translate(() -> archive.tryStopRecording(subscriptionId));
    }

    public boolean tryStopRecordingByIdentity(final long recordingId)
    {
        return translate(() -> archive.tryStopRecordingByIdentity(recordingId));
    }

    public long getStartPosition(final long recordingId)
    {
        return translate(() -> archive.getStartPosition(recordingId));
    }

    public long getMaxRecordedPosition(final long recordingId)
    {
        return translate(() -> archive.getMaxRecordedPosition(recordingId));
    }

    public long findLastMatchingRecording(
        final long minRecordingId, final String channelFragment, final int streamId, final int sessionId)
    {
        return translate(() -> archive.findLastMatchingRecording(minRecordingId, channelFragment, streamId, sessionId));
    }

    public int listRecordingsForUri(
        final long fromRecordingId,
        final int recordCount,
        final String channelFragment,
        final int streamId,
        final Consumer<RecordingDescriptor> consumer)
    {
        return translate(() -> archive.listRecordingsForUri(
            fromRecordingId, recordCount, channelFragment, streamId, adapt(consumer)));
    }

    public int listRecordingSubscriptions(
        final int pseudoIndex,
        final int subscriptionCount,
        final String channelFragment,
        final int streamId,
        final boolean applyStreamId,
        final Consumer<SubscriptionDescriptor> consumer)
    {
        return translate(() -> archive.listRecordingSubscriptions(
            pseudoIndex, subscriptionCount, channelFragment, streamId, applyStreamId,
            (controlSessionId, correlationId, subscriptionId, subscribedStreamId, strippedChannel) ->
                consumer.accept(new SubscriptionDescriptor(
                    controlSessionId, correlationId, subscriptionId, subscribedStreamId, strippedChannel))));
    }

    public String pollForErrorResponse()
    {
        return translate(archive::pollForErrorResponse);
    }

    public void checkForErrorResponse()
    {
        run(archive::checkForErrorResponse);
    }

    // Replay and maintenance.

    public long replayChecksum(
        final long recordingId,
        final long position,
        final long length,
        final String channel,
        final int streamId,
        final long expectedBytes,
        final long timeoutMs)
    {
        return translate(() ->
        {
            try (io.aeron.Subscription subscription = archive.replay(recordingId, position, length, channel, streamId))
            {
                return checksum(subscription, expectedBytes, timeoutMs);
            }
        });
    }

    public long replayChecksum(
        final long recordingId,
        final String channel,
        final int streamId,
        final ReplayOptions options,
        final long expectedBytes,
        final long timeoutMs)
    {
        return translate(() ->
        {
            try (io.aeron.Subscription subscription = archive.replay(recordingId, channel, streamId, params(options)))
            {
                return checksum(subscription, expectedBytes, timeoutMs);
            }
        });
    }

    private static long checksum(
        final io.aeron.Subscription subscription, final long expectedBytes, final long timeoutMs)
    {
        final ReplayDigest digest = new ReplayDigest();
        final io.aeron.FragmentAssembler assembler = new io.aeron.FragmentAssembler(digest::add);
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (digest.bytes() < expectedBytes && System.currentTimeMillis() < deadline)
        {
            if (0 == subscription.poll(assembler, 10))
            {
                Thread.yield();
            }
        }
        return digest.result(expectedBytes);
    }

    private static io.aeron.archive.client.ReplayParams params(final ReplayOptions options)
    {
        final io.aeron.archive.client.ReplayParams params = new io.aeron.archive.client.ReplayParams()
            .position(options.position())
            .length(options.length())
            .boundingLimitCounterId(options.boundingLimitCounterId())
            .fileIoMaxLength(options.fileIoMaxLength())
            .replayToken(options.replayToken());
        // Not fluent in ReplayParams either.
        params.subscriptionRegistrationId(options.subscriptionRegistrationId());
        return params;
    }

    public long startReplay(
        final long recordingId, final String channel, final int streamId, final ReplayOptions options)
    {
        return translate(() -> archive.startReplay(recordingId, channel, streamId, params(options)));
    }

    public long startReplay(
        final long recordingId, final long position, final long length, final String channel, final int streamId)
    {
        return translate(() -> archive.startReplay(recordingId, position, length, channel, streamId));
    }

    public long startBoundedReplay(
        final long recordingId,
        final long position,
        final long length,
        final int limitCounterId,
        final String channel,
        final int streamId)
    {
        return translate(() ->
            archive.startBoundedReplay(recordingId, position, length, limitCounterId, channel, streamId));
    }

    public void stopReplay(final long replaySessionId)
    {
        run(() -> archive.stopReplay(replaySessionId));
    }

    public void stopAllReplays(final long recordingId)
    {
        run(() -> archive.stopAllReplays(recordingId));
    }

    public long truncateRecording(final long recordingId, final long position)
    {
        return translate(() -> archive.truncateRecording(recordingId, position));
    }

    public long purgeRecording(final long recordingId)
    {
        return translate(() -> archive.purgeRecording(recordingId));
    }

    public void detachSegments(final long recordingId, final long newStartPosition)
    {
        run(() -> archive.detachSegments(recordingId, newStartPosition));
    }

    public long deleteDetachedSegments(final long recordingId)
    {
        return translate(() -> archive.deleteDetachedSegments(recordingId));
    }

    public long purgeSegments(final long recordingId, final long newStartPosition)
    {
        return translate(() -> archive.purgeSegments(recordingId, newStartPosition));
    }

    public long attachSegments(final long recordingId)
    {
        return translate(() -> archive.attachSegments(recordingId));
    }

    public long migrateSegments(final long srcRecordingId, final long dstRecordingId)
    {
        return translate(() -> archive.migrateSegments(srcRecordingId, dstRecordingId));
    }

    public void updateChannel(final long recordingId, final String newChannel)
    {
        run(() -> archive.updateChannel(recordingId, newChannel));
    }

    public int pollForRecordingSignals()
    {
        return translate(archive::pollForRecordingSignals);
    }

    public java.util.List<SignalLog.Signal> takeSignals()
    {
        return signals.take();
    }

    private static SourceLocation location(final RecordingSource source)
    {
        return source == RecordingSource.LOCAL ? SourceLocation.LOCAL : SourceLocation.REMOTE;
    }

    /** Closes the Aeron client under AeronArchive, so its publication goes without a CloseSessionRequest. */
    public void releaseWithoutClosingSession()
    {
        archive.context().aeron().close();
    }

    private static io.aeron.archive.client.RecordingDescriptorConsumer adapt(
        final Consumer<RecordingDescriptor> consumer)
    {
        return (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) -> consumer.accept(new RecordingDescriptor(
            controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity));
    }

    private static void run(final Runnable action)
    {
        translate(() ->
        {
            action.run();
            return null;
        });
    }

    // Boxing keeps one translation point for every result type; these calls are nowhere near a hot path.
    private static <T> T translate(final Supplier<T> action)
    {
        try
        {
            return action.get();
        }
        catch (final RuntimeException ex)
        {
            throw classify(ex);
        }
    }

    // DriverTimeoutException is a TimeoutException: the narrower type must be tested first.
    static ClientFailure classify(final RuntimeException ex)
    {
        if (ex instanceof DriverTimeoutException)
        {
            return ClientFailure.of(ClientFailure.Category.NO_DRIVER, ex);
        }
        if (ex instanceof TimeoutException)
        {
            return ClientFailure.of(ClientFailure.Category.TIMEOUT, ex);
        }
        if (ex instanceof ArchiveException archiveEx)
        {
            return archiveEx.getMessage().endsWith(CLIENT_IS_CLOSED) ?
                ClientFailure.of(ClientFailure.Category.CLOSED, ex) :
                ClientFailure.archiveError(archiveEx.errorCode(), ex);
        }
        if (ex instanceof AeronException && ex.getMessage().endsWith(CLIENT_IS_CLOSED))
        {
            // AeronArchive whose response image went (archive gone or restarted) closes itself, with the Aeron client
            // it owns, when the next call starts; that call then fails on the closed Aeron client.
            return ClientFailure.of(ClientFailure.Category.CLOSED, ex);
        }
        return ClientFailure.of(ClientFailure.Category.OTHER, ex);
    }

    public long replicate(
        final long srcRecordingId, final int srcControlStreamId, final String srcControlChannel, final long stopPosition)
    {
        return translate(() -> archive.replicate(srcRecordingId, srcControlStreamId, srcControlChannel,
            new io.aeron.archive.client.ReplicationParams().stopPosition(stopPosition)));
    }

    public long replicate(
        final long srcRecordingId,
        final int srcControlStreamId,
        final String srcControlChannel,
        final ReplicationOptions options)
    {
        return translate(() -> archive.replicate(srcRecordingId, srcControlStreamId, srcControlChannel,
            new io.aeron.archive.client.ReplicationParams()
                .stopPosition(options.stopPosition())
                .dstRecordingId(options.dstRecordingId())
                .liveDestination(options.liveDestination())
                .replicationChannel(options.replicationChannel())
                .channelTagId(options.channelTagId())
                .subscriptionTagId(options.subscriptionTagId())
                .fileIoMaxLength(options.fileIoMaxLength())
                .replicationSessionId(options.replicationSessionId())
                .encodedCredentials(options.encodedCredentials())
                .srcResponseChannel(options.srcResponseChannel())));
    }

    public void stopReplication(final long replicationId)
    {
        run(() -> archive.stopReplication(replicationId));
    }

    public boolean tryStopReplication(final long replicationId)
    {
        return translate(() -> archive.tryStopReplication(replicationId));
    }

    public RecordedPublication addRecordedPublication(final String channel, final int streamId, final boolean exclusive)
    {
        final io.aeron.Publication publication = translate(() -> exclusive ?
            archive.addRecordedExclusivePublication(channel, streamId) :
            archive.addRecordedPublication(channel, streamId));
        return new Recorded(publication);
    }

    public void stopRecording(final RecordedPublication publication)
    {
        run(() -> archive.stopRecording(((Recorded)publication).publication));
    }

    private record Recorded(io.aeron.Publication publication) implements RecordedPublication
    {
        public int sessionId()
        {
            return publication.sessionId();
        }

        public boolean isConnected()
        {
            return publication.isConnected();
        }

        public long offer(final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            return publication.offer(buffer, offset, length);
        }

        public long position()
        {
            return publication.position();
        }

        public void close()
        {
            publication.close();
        }
    }

    // Authentication (issue 4, item 1).

    /**
     * Connect with a credentials supplier, synchronously, or through asyncConnect when asyncStates is given: it then
     * receives the connect's state after every poll.
     */
    static JavaArchiveClient connectWithCredentials(
        final ClientSettings settings, final CredentialsSupplier credentials, final Consumer<String> asyncStates)
    {
        final SignalLog signals = new SignalLog();
        final AeronArchive.Context context = new AeronArchive.Context()
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(recordingId, subscriptionId, position, signal.name()))
            .credentialsSupplier(credentials)
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(messageTimeoutNs(settings));
        if (null == asyncStates)
        {
            return new JavaArchiveClient(translate(() -> AeronArchive.connect(context)), signals);
        }
        return new JavaArchiveClient(translate(() ->
        {
            try (AeronArchive.AsyncConnect async = AeronArchive.asyncConnect(context))
            {
                AeronArchive archive;
                while (null == (archive = async.poll()))
                {
                    asyncStates.accept(async.state().name());
                    Thread.yield();
                }
                return archive;
            }
        }), signals);
    }

    // Recording events and positions (issue 12): through the Aeron client AeronArchive owns, archive.context().aeron().

    public RecordingEventsReader recordingEvents(final String channel, final int streamId, final boolean poller)
    {
        return AeronRecordingEvents.subscribe(archive.context().aeron(), channel, streamId, poller);
    }

    public RecordingPositions recordingPositions()
    {
        return new AeronRecordingPositions(archive.context().aeron().countersReader());
    }

    // Replay merge (issue 11).

    public ClientReplayMerge replayMerge(
        final String subscriptionChannel,
        final int streamId,
        final String replayChannel,
        final String replayDestination,
        final String liveDestination,
        final long recordingId,
        final long startPosition,
        final long mergeProgressTimeoutMs)
    {
        return translate(() ->
        {
            final io.aeron.Subscription subscription =
                archive.context().aeron().addSubscription(subscriptionChannel, streamId);
            try
            {
                return new Merge(subscription, new io.aeron.archive.client.ReplayMerge(subscription, archive,
                    replayChannel, replayDestination, liveDestination, recordingId, startPosition,
                    org.agrona.concurrent.SystemEpochClock.INSTANCE, mergeProgressTimeoutMs));
            }
            catch (final RuntimeException ex)
            {
                subscription.close();
                throw ex;
            }
        });
    }

    private record Merge(io.aeron.Subscription subscription, io.aeron.archive.client.ReplayMerge merge)
        implements ClientReplayMerge
    {
        public int poll(final io.aeron.logbuffer.FragmentHandler handler, final int fragmentLimit)
        {
            return translate(() -> merge.poll(handler, fragmentLimit));
        }

        public boolean isMerged()
        {
            return merge.isMerged();
        }

        public boolean hasFailed()
        {
            return merge.hasFailed();
        }

        public boolean isLiveAdded()
        {
            return merge.isLiveAdded();
        }

        public String state()
        {
            final String text = merge.toString();
            final int start = text.indexOf("state=") + "state=".length();
            final int end = text.indexOf(',', start);
            return text.substring(start, end < 0 ? text.indexOf('}', start) : end);
        }

        public long imageJoinPosition()
        {
            final io.aeron.Image image = merge.image();
            return null == image ? -1 : image.joinPosition();
        }

        public boolean isImageEndOfStream()
        {
            final io.aeron.Image image = merge.image();
            return null != image && image.isEndOfStream();
        }

        public boolean isImageClosed()
        {
            final io.aeron.Image image = merge.image();
            return null != image && image.isClosed();
        }

        public void close()
        {
            try
            {
                run(merge::close);
            }
            finally
            {
                subscription.close();
            }
        }
    }

    // Persistent subscription (issue 11).

    public ClientPersistentSubscription persistentSubscription(
        final ClientSettings archiveSettings,
        final long recordingId,
        final long startPosition,
        final String liveChannel,
        final int liveStreamId,
        final String replayChannel,
        final int replayStreamId)
    {
        return JavaPersistentSubscription.create(
            archiveSettings, recordingId, startPosition, liveChannel, liveStreamId, replayChannel, replayStreamId);
    }
}
