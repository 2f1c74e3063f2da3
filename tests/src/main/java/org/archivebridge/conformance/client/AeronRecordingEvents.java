package org.archivebridge.conformance.client;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.archive.client.RecordingEventsAdapter;
import io.aeron.archive.client.RecordingEventsPoller;

import java.util.function.IntSupplier;

/** The reference's recording events: Aeron's RecordingEventsAdapter or RecordingEventsPoller on a Subscription. */
final class AeronRecordingEvents
{
    /** As many events per poll as the adapter's users commonly ask for; the transcript does not depend on it. */
    static final int FRAGMENT_LIMIT = 10;

    private AeronRecordingEvents()
    {
    }

    static RecordingEventsReader subscribe(
        final Aeron aeron, final String channel, final int streamId, final boolean poller)
    {
        try
        {
            final Subscription subscription = aeron.addSubscription(channel, streamId);
            final RecordingEventLog log = new RecordingEventLog();
            final IntSupplier poll = poller ? pollerOf(subscription, log) :
                new RecordingEventsAdapter(log, subscription, FRAGMENT_LIMIT)::poll;
            return new RecordingEventsSubscription(
                log, subscription::isConnected, poll, subscription::close, JavaArchiveClient::classify);
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }

    private static IntSupplier pollerOf(final Subscription subscription, final RecordingEventLog log)
    {
        final RecordingEventsPoller eventsPoller = new RecordingEventsPoller(subscription);
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
