package org.archivebridge.interop;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingEventsAdapter;
import io.aeron.archive.client.RecordingEventsListener;
import io.aeron.archive.client.RecordingEventsPoller;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import io.aeron.Image;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativeImage;
import org.archivebridge.NativeRecordingEventsAdapter;
import org.archivebridge.NativeRecordingEventsPoller;
import org.archivebridge.NativeRecordingPos;
import org.archivebridge.NativeSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recording events and recording position counters read through NativeAeron beside Aeron's own RecordingEventsAdapter,
 * RecordingEventsPoller and RecordingPos, on one Archive (in this JVM, recording events enabled, published over IPC):
 * the same events in the same order, the same counter ids, positions, identities and activity, before and after the
 * recording stops. And NativeArchive.replay with image handlers beside AeronArchive.replay with Aeron's.
 */
class ArchiveEventsPositionsAndReplayImagesTest
{
    private static final String RECORDED_CHANNEL = "aeron:ipc?term-length=64k";
    private static final int RECORDED_STREAM_ID = 7001;
    private static final String EVENTS_CHANNEL = "aeron:ipc";
    private static final int EVENTS_STREAM_ID = 7030;
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    static Path archiveDir;
    private static ArchivingMediaDriver server;
    private static Aeron javaAeron;
    private static NativeAeron nativeAeron;
    private static AeronArchive archive;
    private static String aeronDir;

    @BeforeAll
    static void start()
    {
        final String dir = "/dev/shm/abr-recevents-" + UUID.randomUUID().toString().substring(0, 8);
        aeronDir = dir;
        server = ArchivingMediaDriver.launch(
            new MediaDriver.Context()
                .aeronDirectoryName(dir)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true),
            new Archive.Context()
                .aeronDirectoryName(dir)
                .archiveDir(archiveDir.toFile())
                .deleteArchiveOnStart(true)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .controlChannelEnabled(false)
                .localControlChannel("aeron:ipc")
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=localhost:0"))
                .replicationChannel("aeron:udp?endpoint=localhost:0")
                .recordingEventsEnabled(true)
                .recordingEventsChannel(EVENTS_CHANNEL)
                .recordingEventsStreamId(EVENTS_STREAM_ID));
        javaAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
        archive = AeronArchive.connect(new AeronArchive.Context()
            .aeron(javaAeron)
            .controlRequestChannel("aeron:ipc")
            .controlResponseChannel("aeron:ipc"));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(archive, nativeAeron, javaAeron, server);
    }

    private static void await(final BooleanSupplier condition, final Runnable work, final String what)
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() < deadline, "timed out: " + what);
            work.run();
            Thread.yield();
        }
    }

    private static final class Transcript implements RecordingEventsListener
    {
        final List<String> events = new ArrayList<>();

        public void onStart(
            final long recordingId,
            final long startPosition,
            final int sessionId,
            final int streamId,
            final String channel,
            final String sourceIdentity)
        {
            events.add("start " + recordingId + " " + startPosition + " " + sessionId + " " + streamId + " " + channel +
                " " + sourceIdentity);
        }

        public void onProgress(final long recordingId, final long startPosition, final long position)
        {
            events.add("progress " + recordingId + " " + startPosition + " " + position);
        }

        public void onStop(final long recordingId, final long startPosition, final long stopPosition)
        {
            events.add("stop " + recordingId + " " + startPosition + " " + stopPosition);
        }
    }

    private static String pollerState(
        final int templateId, final long recordingId, final long start, final long position, final long stop)
    {
        return templateId + " " + recordingId + " " + start + " " + position + " " + stop;
    }

    @Test
    void eventsAndCountersMatchAeronsOnOneRecording()
    {
        final Transcript expected = new Transcript();
        final Transcript actual = new Transcript();
        final List<String> expectedPolled = new ArrayList<>();
        final List<String> actualPolled = new ArrayList<>();
        try (Subscription referenceEvents = javaAeron.addSubscription(EVENTS_CHANNEL, EVENTS_STREAM_ID);
            Subscription referencePollerEvents = javaAeron.addSubscription(EVENTS_CHANNEL, EVENTS_STREAM_ID);
            NativeSubscription nativeEvents = nativeAeron.addSubscription(EVENTS_CHANNEL, EVENTS_STREAM_ID);
            NativeSubscription nativePollerEvents = nativeAeron.addSubscription(EVENTS_CHANNEL, EVENTS_STREAM_ID))
        {
            final RecordingEventsAdapter referenceAdapter = new RecordingEventsAdapter(expected, referenceEvents, 10);
            final NativeRecordingEventsAdapter adapter = new NativeRecordingEventsAdapter(actual, nativeEvents, 10);
            final RecordingEventsPoller referencePoller = new RecordingEventsPoller(referencePollerEvents);
            final NativeRecordingEventsPoller poller = new NativeRecordingEventsPoller(nativePollerEvents);
            final Runnable pollAll = () ->
            {
                referenceAdapter.poll();
                adapter.poll();
                if (referencePoller.poll() > 0 && referencePoller.isPollComplete())
                {
                    expectedPolled.add(pollerState(referencePoller.templateId(), referencePoller.recordingId(),
                        referencePoller.recordingStartPosition(), referencePoller.recordingPosition(),
                        referencePoller.recordingStopPosition()));
                }
                if (poller.poll() > 0 && poller.isPollComplete())
                {
                    actualPolled.add(pollerState(poller.templateId(), poller.recordingId(),
                        poller.recordingStartPosition(), poller.recordingPosition(), poller.recordingStopPosition()));
                }
            };
            await(() -> referenceEvents.isConnected() && nativeEvents.isConnected(), pollAll, "events connected");

            final long subscriptionId = archive.startRecording(RECORDED_CHANNEL, RECORDED_STREAM_ID, SourceLocation.LOCAL);
            final CountersReader counters = javaAeron.countersReader();
            try (Publication publication = javaAeron.addExclusivePublication(RECORDED_CHANNEL, RECORDED_STREAM_ID))
            {
                final int sessionId = publication.sessionId();
                await(() -> RecordingPos.findCounterIdBySession(counters, sessionId, archive.archiveId()) !=
                    CountersReader.NULL_COUNTER_ID, pollAll, "recording counter");
                final int counterId = RecordingPos.findCounterIdBySession(counters, sessionId, archive.archiveId());
                final long recordingId = RecordingPos.getRecordingId(counters, counterId);

                assertEquals(counterId, NativeRecordingPos.findCounterIdBySession(nativeAeron, sessionId));
                assertEquals(counterId, NativeRecordingPos.findCounterIdBySession(nativeAeron, sessionId, -1));
                assertEquals(counterId,
                    NativeRecordingPos.findCounterIdBySession(nativeAeron, sessionId, archive.archiveId()));
                assertEquals(counterId, NativeRecordingPos.findCounterIdByRecording(nativeAeron, recordingId));
                assertEquals(counterId,
                    NativeRecordingPos.findCounterIdByRecording(nativeAeron, recordingId, archive.archiveId()));
                assertEquals(RecordingPos.findCounterIdByRecording(counters, recordingId, archive.archiveId() + 1),
                    NativeRecordingPos.findCounterIdByRecording(nativeAeron, recordingId, archive.archiveId() + 1));
                assertEquals(RecordingPos.findCounterIdBySession(counters, sessionId + 1, -1),
                    NativeRecordingPos.findCounterIdBySession(nativeAeron, sessionId + 1, -1));
                assertEquals(RecordingPos.findCounterIdByRecording(counters, recordingId + 1000, -1),
                    NativeRecordingPos.findCounterIdByRecording(nativeAeron, recordingId + 1000, -1));
                assertEquals(recordingId, NativeRecordingPos.getRecordingId(nativeAeron, counterId));
                assertEquals(RecordingPos.getSourceIdentity(counters, counterId),
                    NativeRecordingPos.getSourceIdentity(nativeAeron, counterId));
                assertEquals(RecordingPos.isActive(counters, counterId, recordingId),
                    NativeRecordingPos.isActive(nativeAeron, counterId, recordingId));
                assertEquals(RecordingPos.isActive(counters, counterId, recordingId + 1),
                    NativeRecordingPos.isActive(nativeAeron, counterId, recordingId + 1));
                // Counter 0 is the driver's, not a recording's.
                assertEquals(RecordingPos.getRecordingId(counters, 0), NativeRecordingPos.getRecordingId(nativeAeron, 0));
                assertNull(NativeRecordingPos.getSourceIdentity(nativeAeron, 0));
                assertEquals(RecordingPos.isActive(counters, 0, 0), NativeRecordingPos.isActive(nativeAeron, 0, 0));

                final UnsafeBuffer message = new UnsafeBuffer(new byte[200]);
                for (int i = 0; i < 50; i++)
                {
                    message.putInt(0, i);
                    await(() -> publication.offer(message) > 0, pollAll, "offer");
                }
                final long published = publication.position();
                await(() -> counters.getCounterValue(counterId) == published, pollAll, "recorded");
                assertEquals(counters.getCounterValue(counterId), NativeRecordingPos.getPosition(nativeAeron, counterId));

                archive.stopRecording(subscriptionId);
                await(() -> !RecordingPos.isActive(counters, counterId, recordingId), pollAll, "recording stopped");
                assertFalse(NativeRecordingPos.isActive(nativeAeron, counterId, recordingId));
                assertEquals(CountersReader.NULL_COUNTER_ID,
                    NativeRecordingPos.findCounterIdByRecording(nativeAeron, recordingId));
                final String stop = "stop " + recordingId + " 0 " + published;
                await(() -> expected.events.contains(stop) && actual.events.contains(stop) &&
                    expectedPolled.size() == expected.events.size() && actualPolled.size() == actual.events.size(),
                    pollAll, "stop events");
            }
        }
        assertTrue(expected.events.get(0).startsWith("start "), expected.events.toString());
        assertEquals(expected.events, actual.events);
        assertEquals(expectedPolled, actualPolled);
    }

    @Test
    void replayImageHandlersAreToldAsAeronsAre()
    {
        final int streamId = RECORDED_STREAM_ID + 1;
        final long subscriptionId = archive.startRecording(RECORDED_CHANNEL, streamId, SourceLocation.LOCAL);
        final long recordingId;
        final long stopPosition;
        try (Publication publication = javaAeron.addExclusivePublication(RECORDED_CHANNEL, streamId))
        {
            final CountersReader counters = javaAeron.countersReader();
            await(() -> CountersReader.NULL_COUNTER_ID !=
                RecordingPos.findCounterIdBySession(counters, publication.sessionId(), archive.archiveId()), () -> { },
                "recording");
            final int counterId = RecordingPos.findCounterIdBySession(counters, publication.sessionId(), -1);
            recordingId = RecordingPos.getRecordingId(counters, counterId);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < 20; i++)
            {
                message.putInt(0, i);
                await(() -> publication.offer(message) > 0, () -> { }, "offer");
            }
            stopPosition = publication.position();
            await(() -> counters.getCounterValue(counterId) == stopPosition, () -> { }, "recorded");
        }
        archive.stopRecording(subscriptionId);

        final List<Image> expectedAvailable = new CopyOnWriteArrayList<>();
        final List<Image> expectedUnavailable = new CopyOnWriteArrayList<>();
        final List<NativeImage> available = new CopyOnWriteArrayList<>();
        final List<NativeImage> unavailable = new CopyOnWriteArrayList<>();
        try (NativeArchive nativeArchive = NativeArchive.connect(new NativeArchive.Context()
                .aeronDirectoryName(aeronDir)
                .controlRequestChannel("aeron:ipc")
                .controlResponseChannel("aeron:ipc"));
            Subscription expected = archive.replay(
                recordingId, 0, stopPosition, "aeron:ipc", streamId + 100, expectedAvailable::add,
                expectedUnavailable::add);
            NativeSubscription actual = nativeArchive.replay(
                recordingId, 0, stopPosition, "aeron:ipc", streamId + 200, available::add, unavailable::add))
        {
            final long[] received = new long[2];
            await(() -> 1 == available.size() && 1 == expectedAvailable.size(), () -> { }, "replay images");
            final NativeImage image = available.get(0);
            final Image expectedImage = expectedAvailable.get(0);
            assertEquals(expectedImage.joinPosition(), image.joinPosition());
            assertEquals(expectedImage.sourceIdentity(), image.sourceIdentity());
            assertEquals(expectedImage.termBufferLength(), image.termBufferLength());
            assertEquals(image.correlationId(), actual.imageAtIndex(0).correlationId());
            await(() -> received[0] == 20 && received[1] == 20, () ->
            {
                received[0] += image.poll((b, o, l, h) -> { }, 10);
                received[1] += expectedImage.poll((b, o, l, h) -> { }, 10);
            }, "replayed messages");
            assertEquals(expectedImage.position(), image.position());
            assertEquals(stopPosition, image.position());
            await(() -> 1 == unavailable.size() && 1 == expectedUnavailable.size(), () -> { }, "replays end");
            assertTrue(unavailable.get(0).isClosed());
            assertEquals(expectedUnavailable.get(0).position(), unavailable.get(0).position());
            assertEquals(expectedUnavailable.get(0).isEndOfStream(), unavailable.get(0).isEndOfStream());
            assertTrue(image.isClosed());
            assertEquals(stopPosition, image.position());
        }
    }

    @Test
    void badCounterIdsAreRefusedAndAClosedSubscriptionReadsNothing()
    {
        final int beyond = javaAeron.countersReader().maxCounterId() + 1;
        for (final int counterId : new int[] { -1, beyond, Integer.MIN_VALUE, Integer.MAX_VALUE })
        {
            assertThrows(IllegalArgumentException.class, () -> NativeRecordingPos.getRecordingId(nativeAeron, counterId));
            assertThrows(IllegalArgumentException.class, () -> NativeRecordingPos.isActive(nativeAeron, counterId, 0));
            assertThrows(
                IllegalArgumentException.class, () -> NativeRecordingPos.getSourceIdentity(nativeAeron, counterId));
        }
        assertEquals(NativeRecordingPos.NULL_COUNTER_ID,
            NativeRecordingPos.findCounterIdBySession(nativeAeron, Integer.MIN_VALUE, Long.MAX_VALUE));
        assertThrows(NullPointerException.class, () -> new NativeRecordingEventsAdapter(new Transcript(), null, 10));
        assertThrows(NullPointerException.class, () -> new NativeRecordingEventsPoller(null));

        final NativeSubscription subscription = nativeAeron.addSubscription(EVENTS_CHANNEL, EVENTS_STREAM_ID + 1);
        final Transcript transcript = new Transcript();
        final NativeRecordingEventsAdapter adapter = new NativeRecordingEventsAdapter(transcript, subscription, 10);
        final NativeRecordingEventsPoller poller = new NativeRecordingEventsPoller(subscription);
        subscription.close();
        assertEquals(0, adapter.poll());
        assertEquals(0, poller.poll());
        assertFalse(poller.isPollComplete());
        assertNotEquals(null, transcript.events);
        assertThrows(IllegalStateException.class, () -> new NativeRecordingEventsPoller(subscription));
    }
}
