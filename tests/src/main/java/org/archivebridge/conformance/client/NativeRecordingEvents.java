package org.archivebridge.conformance.client;

import org.archivebridge.NativeAeron;
import org.archivebridge.NativeRecordingEventsAdapter;
import org.archivebridge.NativeRecordingEventsPoller;
import org.archivebridge.NativeSubscription;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * The candidate's recording events: NativeRecordingEventsAdapter or NativeRecordingEventsPoller on a subscription of
 * a NativeAeron of its own on the client's driver (NativeArchive does not lend out a core it connected for itself;
 * an application shares one through NativeArchive.Context.aeron, or connects one as here). Closing it closes both.
 */
final class NativeRecordingEvents implements RecordingEventsReader
{
    /** As {@link AeronRecordingEvents}'s. */
    private static final int FRAGMENT_LIMIT = 10;

    private final NativeAeron aeron;
    private final boolean ownsAeron;
    private final NativeSubscription subscription;
    private final RecordingEventLog log = new RecordingEventLog();
    private final IntSupplier poll;

    private NativeRecordingEvents(
        final NativeAeron aeron, final boolean ownsAeron, final NativeSubscription subscription, final boolean poller)
    {
        this.aeron = aeron;
        this.ownsAeron = ownsAeron;
        this.subscription = subscription;
        if (poller)
        {
            final NativeRecordingEventsPoller eventsPoller = new NativeRecordingEventsPoller(subscription);
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
            poll = new NativeRecordingEventsAdapter(log, subscription, FRAGMENT_LIMIT)::poll;
        }
    }

    /**
     * @param shared a core the archive client shares with the application, or null to connect one to aeronDir.
     */
    static NativeRecordingEvents subscribe(
        final NativeAeron shared, final String aeronDir, final String channel, final int streamId, final boolean poller)
    {
        NativeAeron aeron = shared;
        try
        {
            if (null == aeron)
            {
                aeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(aeronDir));
            }
            return new NativeRecordingEvents(aeron, null == shared, aeron.addSubscription(channel, streamId), poller);
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
            throw NativeArchiveClient.classify(ex);
        }
    }

    public List<RecordingEvent> take()
    {
        return log.take();
    }

    public void close()
    {
        subscription.close();
        if (ownsAeron)
        {
            aeron.close();
        }
    }
}
