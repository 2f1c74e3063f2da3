package org.archivebridge.conformance.client;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.PersistentSubscription;
import io.aeron.logbuffer.FragmentHandler;

import java.util.List;

/** Aeron's PersistentSubscription behind {@link ClientPersistentSubscription}: the reference. */
final class JavaPersistentSubscription implements ClientPersistentSubscription
{
    private final PersistentSubscription subscription;
    private final PersistentSubscriptionCalls calls;

    private JavaPersistentSubscription(
        final PersistentSubscription subscription, final PersistentSubscriptionCalls calls)
    {
        this.subscription = subscription;
        this.calls = calls;
    }

    /** Its own Aeron client and archive client, on the driver and Archive the settings name. */
    static ClientPersistentSubscription create(
        final ClientSettings archiveSettings,
        final long recordingId,
        final long startPosition,
        final String liveChannel,
        final int liveStreamId,
        final String replayChannel,
        final int replayStreamId)
    {
        final AeronArchive.Context archiveContext = new AeronArchive.Context()
            .aeronDirectoryName(archiveSettings.aeronDirectoryName())
            .controlRequestChannel(archiveSettings.controlRequestChannel())
            .controlRequestStreamId(archiveSettings.controlRequestStreamId())
            .controlResponseChannel(archiveSettings.controlResponseChannel())
            .controlResponseStreamId(archiveSettings.controlResponseStreamId())
            .messageTimeoutNs(archiveSettings.messageTimeoutNs());
        final PersistentSubscriptionCalls calls = new PersistentSubscriptionCalls();
        try
        {
            return new JavaPersistentSubscription(PersistentSubscription.create(new PersistentSubscription.Context()
                .aeronDirectoryName(archiveSettings.aeronDirectoryName()).aeronArchiveContext(archiveContext)
                .recordingId(recordingId).startPosition(startPosition).liveChannel(liveChannel)
                .liveStreamId(liveStreamId).replayChannel(replayChannel).replayStreamId(replayStreamId)
                .listener(calls)), calls);
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }

    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        try
        {
            return subscription.poll(handler, fragmentLimit);
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }

    public boolean isLive()
    {
        return subscription.isLive();
    }

    public boolean isReplaying()
    {
        return subscription.isReplaying();
    }

    public boolean hasFailed()
    {
        return subscription.hasFailed();
    }

    public String failureReason()
    {
        return PersistentSubscriptionCalls.describe(subscription.failureReason());
    }

    public List<String> listenerCalls()
    {
        return calls.calls();
    }

    public void close()
    {
        subscription.close();
    }
}
