package org.archivebridge.conformance.client;

import org.archivebridge.NativeAeron;
import org.archivebridge.NativeRecordingEventsAdapter;
import org.archivebridge.NativeRecordingEventsPoller;
import org.archivebridge.NativeSubscription;

import java.util.function.IntSupplier;

/**
 * The candidate's recording events: NativeRecordingEventsAdapter or NativeRecordingEventsPoller on a subscription of
 * the archive client's shared core, else of a NativeAeron of their own on the client's driver (NativeArchive does not
 * lend out a core it connected for itself), closed with the subscription.
 */
final class NativeRecordingEvents
{
    private NativeRecordingEvents()
    {
    }

    /**
     * @param shared a core the archive client shares with the application, or null to connect one to aeronDir.
     */
    static RecordingEventsReader subscribe(
        final NativeAeron shared, final String aeronDir, final String channel, final int streamId, final boolean poller)
    {
        NativeAeron aeron = shared;
        try
        {
            if (null == aeron)
            {
                aeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(aeronDir));
            }
            final NativeAeron core = aeron;
            final NativeSubscription subscription = core.addSubscription(channel, streamId);
            final RecordingEventLog log = new RecordingEventLog();
            final IntSupplier poll = poller ? pollerOf(subscription, log) :
                new NativeRecordingEventsAdapter(log, subscription, AeronRecordingEvents.FRAGMENT_LIMIT)::poll;
            return new RecordingEventsSubscription(log, subscription::isConnected, poll, () ->
            {
                subscription.close();
                if (null == shared)
                {
                    core.close();
                }
            }, NativeArchiveClient::classify);
        }
        catch (final RuntimeException ex)
        {
            if (null == shared && null != aeron)
            {
                aeron.close();
            }
            throw NativeArchiveClient.classify(ex);
        }
    }

    private static IntSupplier pollerOf(final NativeSubscription subscription, final RecordingEventLog log)
    {
        final NativeRecordingEventsPoller eventsPoller = new NativeRecordingEventsPoller(subscription);
        return () ->
        {
            final int fragments = eventsPoller.poll();
            if (fragments > 0 && eventsPoller.isPollComplete())
            {
                log.addPolled(eventsPoller.templateId(), eventsPoller.recordingId(),
                    eventsPoller.recordingStartPosition(), eventsPoller.recordingPosition(),
                    eventsPoller.recordingStopPosition());
            }
            return fragments;
        };
    }
}
