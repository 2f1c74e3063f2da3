package org.archivebridge.conformance.client;

import io.aeron.security.CredentialsSupplier;
import org.agrona.ErrorHandler;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.NativeArchiveTimeoutException;
import org.archivebridge.NativeFailure;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.archive.codecs.SourceLocation;

import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_CLOSED;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_DRIVER_TIMEOUT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_NO_DRIVER;

/** The client under test: archive-bridge's {@link NativeArchive}, the C client behind JavaCPP. */
public final class NativeArchiveClient implements FaultyClose
{
    private final NativeArchive archive;
    private final SignalLog signals;

    private NativeArchiveClient(final NativeArchive archive, final SignalLog signals)
    {
        this.archive = archive;
        this.signals = signals;
    }

    /* 0 in the settings leaves the timeout to the context: aeron.archive.message.timeout, else the default. */
    private static long messageTimeoutNs(final ClientSettings settings)
    {
        return settings.messageTimeoutNs() > 0 ?
            settings.messageTimeoutNs() : new NativeArchive.Context().messageTimeoutNs();
    }

    static NativeArchiveClient connect(final ClientSettings settings)
    {
        return connect(settings, false, null);
    }

    /** As above, with an error handler (as JavaArchiveClient's, for the scenarios that need one there). */
    public static NativeArchiveClient connect(final ClientSettings settings, final ErrorHandler errorHandler)
    {
        return connect(settings, false, errorHandler);
    }

    /**
     * Connected with the native library's test fault switched on: every close of this client, through
     * {@link #close()} or {@link #releaseWithoutClosingSession()}, releases the transport without sending
     * CloseSessionRequest.
     */
    static NativeArchiveClient connectWithFaultyClose(final ClientSettings settings)
    {
        return connect(settings, true, null);
    }

    private static NativeArchiveClient connect(
        final ClientSettings settings, final boolean faultyClose, final ErrorHandler errorHandler)
    {
        final SignalLog signals = new SignalLog();
        final NativeArchive.Context context = new NativeArchive.Context()
            .errorHandler(errorHandler)
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(recordingId, subscriptionId, position, signal.name()))
            .testFaultSkipCloseSession(faultyClose)
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(messageTimeoutNs(settings));
        return new NativeArchiveClient(translate(() -> NativeArchive.connect(context)), signals);
    }

    /** Connect through NativeArchive.asyncConnect, polled until it yields the client or fails. */
    static NativeArchiveClient connectAsync(final ClientSettings settings)
    {
        final SignalLog signals = new SignalLog();
        final NativeArchive.Context context = new NativeArchive.Context()
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(recordingId, subscriptionId, position, signal.name()))
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(messageTimeoutNs(settings));
        return new NativeArchiveClient(translate(() ->
        {
            try (NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(context))
            {
                NativeArchive archive;
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
            try (org.archivebridge.NativeSubscription subscription = archive.replay(recordingId, position, length, channel, streamId))
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
            try (org.archivebridge.NativeSubscription subscription = archive.replay(recordingId, channel, streamId, params(options)))
            {
                return checksum(subscription, expectedBytes, timeoutMs);
            }
        });
    }

    private static long checksum(
        final org.archivebridge.NativeSubscription subscription, final long expectedBytes, final long timeoutMs)
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

    public void releaseWithoutClosingSession()
    {
        if (!archive.context().testFaultSkipCloseSession())
        {
            throw new IllegalStateException("connect with connectWithFaultyClose to release without closing");
        }
        run(archive::close);
    }

    private static RecordingDescriptorConsumer adapt(final Consumer<RecordingDescriptor> consumer)
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

    /* The library's own code tells a missing driver apart; errorCode() folds it into GENERIC, as Java does. */
    static ClientFailure classify(final RuntimeException ex)
    {
        if (ex instanceof IllegalStateException)
        {
            return ClientFailure.of(ClientFailure.Category.CLOSED, ex);
        }
        if (ex instanceof NativeFailure nativeEx)
        {
            final int code = nativeEx.nativeCode();
            if (ABR_ERROR_NO_DRIVER == code || ABR_ERROR_DRIVER_TIMEOUT == code)
            {
                return ClientFailure.of(ClientFailure.Category.NO_DRIVER, ex);
            }
            if (ABR_ERROR_CLOSED == code)
            {
                // The C client closed itself (its response channel went), as AeronArchive does on its next call.
                return ClientFailure.of(ClientFailure.Category.CLOSED, ex);
            }
            if (nativeEx instanceof NativeArchiveTimeoutException)
            {
                return ClientFailure.of(ClientFailure.Category.TIMEOUT, ex);
            }
            if (nativeEx instanceof NativeArchiveException archiveEx)
            {
                return ClientFailure.archiveError(archiveEx.errorCode(), ex);
            }
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
        final org.archivebridge.NativePublication publication = translate(() -> exclusive ?
            archive.addRecordedExclusivePublication(channel, streamId) :
            archive.addRecordedPublication(channel, streamId));
        return new Recorded(publication);
    }

    public void stopRecording(final RecordedPublication publication)
    {
        run(() -> archive.stopRecording(((Recorded)publication).publication));
    }

    private record Recorded(org.archivebridge.NativePublication publication) implements RecordedPublication
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

    // Authentication and protocol version (issue 4, item 1).

    /**
     * Connect with a credentials supplier, synchronously, or through asyncConnect when asyncStates is given: it then
     * receives the connect's state after every poll.
     */
    static NativeArchiveClient connectWithCredentials(
        final ClientSettings settings, final CredentialsSupplier credentials, final Consumer<String> asyncStates)
    {
        return connectWith(settings, (context) -> context.credentialsSupplier(credentials), asyncStates);
    }

    /** Connect announcing another protocol semantic version than the library's own. */
    static NativeArchiveClient connectWithProtocolVersion(final ClientSettings settings, final int version)
    {
        return connectWith(settings, (context) -> context.protocolSemanticVersion(version), null);
    }

    private static NativeArchiveClient connectWith(
        final ClientSettings settings,
        final java.util.function.UnaryOperator<NativeArchive.Context> option,
        final Consumer<String> asyncStates)
    {
        final SignalLog signals = new SignalLog();
        final NativeArchive.Context context = option.apply(new NativeArchive.Context()
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(recordingId, subscriptionId, position, signal.name()))
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(messageTimeoutNs(settings)));
        if (null == asyncStates)
        {
            return new NativeArchiveClient(translate(() -> NativeArchive.connect(context)), signals);
        }
        return new NativeArchiveClient(translate(() ->
        {
            try (NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(context))
            {
                NativeArchive archive;
                while (null == (archive = async.poll()))
                {
                    asyncStates.accept(async.state().name());
                    Thread.yield();
                }
                return archive;
            }
        }), signals);
    }

    // Recording events and positions (issue 12): through the shared core, else a NativeAeron of their own.

    public RecordingEventsReader recordingEvents(final String channel, final int streamId, final boolean poller)
    {
        final NativeArchive.Context context = archive.context();
        return NativeRecordingEvents.subscribe(
            context.aeron(), context.aeronDirectoryName(), channel, streamId, poller);
    }

    public RecordingPositions recordingPositions()
    {
        final NativeArchive.Context context = archive.context();
        return NativeRecordingPositions.connect(context.aeron(), context.aeronDirectoryName());
    }

    // Replay merge (issue 11).

    /*
     * NativeArchive keeps its own client core to itself, so the merge's subscription goes through a NativeAeron of
     * its own on the same driver, closed with the merge.
     */
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
            final org.archivebridge.NativeAeron aeron = org.archivebridge.NativeAeron.connect(
                new org.archivebridge.NativeAeron.Context().aeronDirectoryName(archive.context().aeronDirectoryName()));
            try
            {
                final org.archivebridge.NativeSubscription subscription =
                    aeron.addSubscription(subscriptionChannel, streamId);
                return new Merge(aeron, new org.archivebridge.NativeReplayMerge(subscription, archive, replayChannel,
                    replayDestination, liveDestination, recordingId, startPosition,
                    org.agrona.concurrent.SystemEpochClock.INSTANCE, mergeProgressTimeoutMs));
            }
            catch (final RuntimeException ex)
            {
                aeron.close();
                throw ex;
            }
        });
    }

    private record Merge(org.archivebridge.NativeAeron aeron, org.archivebridge.NativeReplayMerge merge)
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
            return text.substring(start, text.indexOf('}', start));
        }

        public long imageJoinPosition()
        {
            final org.archivebridge.NativeImage image = translate(merge::image);
            return null == image ? -1 : image.joinPosition();
        }

        public boolean isImageEndOfStream()
        {
            final org.archivebridge.NativeImage image = translate(merge::image);
            return null != image && image.isEndOfStream();
        }

        public boolean isImageClosed()
        {
            final org.archivebridge.NativeImage image = translate(merge::image);
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
                aeron.close();
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
        return NativeClientPersistentSubscription.create(
            archiveSettings, recordingId, startPosition, liveChannel, liveStreamId, replayChannel, replayStreamId);
    }
}
