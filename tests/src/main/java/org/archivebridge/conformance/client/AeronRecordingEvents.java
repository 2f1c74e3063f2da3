package org.archivebridge.conformance.client;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.archive.client.RecordingEventsAdapter;
import io.aeron.archive.client.RecordingEventsPoller;

import java.util.List;
import java.util.function.IntSupplier;

/** The reference's recording events: Aeron's RecordingEventsAdapter or RecordingEventsPoller on a Subscription. */
final class AeronRecordingEvents implements RecordingEventsReader
{
    /** As many events per poll as the adapter's users commonly ask for; the transcript does not depend on it. */
    private static final int FRAGMENT_LIMIT = 10;

    private final Subscription subscription;
    private final RecordingEventLog log = new RecordingEventLog();
    private final IntSupplier poll;

    private AeronRecordingEvents(final Subscription subscription, final boolean poller)
    {
        this.subscription = subscription;
        if (poller)
        {
            final RecordingEventsPoller eventsPoller = new RecordingEventsPoller(subscription);
            poll = () ->
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
        else
        {
            poll = new RecordingEventsAdapter(log, subscription, FRAGMENT_LIMIT)::poll;
        }
    }

    static AeronRecordingEvents subscribe(
        final Aeron aeron, final String channel, final int streamId, final boolean poller)
    {
        try
        {
            return new AeronRecordingEvents(aeron.addSubscription(channel, streamId), poller);
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }

    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    public int poll()
    {
        try
        {
            return poll.getAsInt();
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }

    public List<RecordingEvent> take()
    {
        return log.take();
    }

    public void close()
    {
        subscription.close();
    }
}
