package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.PersistentSubscription;
import io.aeron.archive.client.PersistentSubscriptionException;
import io.aeron.archive.client.PersistentSubscriptionListener;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronEvent;
import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativePersistentSubscription beside Aeron's PersistentSubscription, on one recording of a stream published while
 * both consume it, against a Media Driver and Archive in this JVM: the same messages in order (some fragmented), the
 * same phases (replaying, then live) and listener calls; and an unknown recording failing for the same reason.
 */
class NativePersistentSubscriptionTest
{
    private static final int STREAM_ID = 1201;
    private static final int REPLAY_STREAM_ID = 1202;
    private static final int SHORT_LENGTH = 100;
    private static final int LONG_LENGTH = 3000;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(120);

    @TempDir
    Path dir;

    private String aeronDir;
    private ArchivingMediaDriver server;
    private Aeron aeron;
    private AeronArchive aeronArchive;
    private NativeAeron nativeAeron;
    private String controlChannel;

    @BeforeEach
    void startServer() throws IOException
    {
        aeronDir = dir.resolve("aeron").toString();
        controlChannel = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        server = ArchivingMediaDriver.launch(
            new MediaDriver.Context().aeronDirectoryName(aeronDir).threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true),
            new Archive.Context().aeronDirectoryName(aeronDir).archiveDir(dir.resolve("archive").toFile())
                .controlChannel(controlChannel).replicationChannel("aeron:udp?endpoint=localhost:0")
                .threadingMode(ArchiveThreadingMode.SHARED).segmentFileLength(4 * 1024 * 1024)
                .deleteArchiveOnStart(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        aeronArchive = AeronArchive.connect(archiveContext());
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(aeronDir));
    }

    @AfterEach
    void stopServer()
    {
        CloseHelper.closeAll(nativeAeron, aeronArchive, aeron, server);
    }

    private AeronArchive.Context archiveContext()
    {
        return new AeronArchive.Context().aeron(aeron).aeronDirectoryName(aeronDir)
            .controlRequestChannel(controlChannel).controlResponseChannel("aeron:udp?endpoint=localhost:0");
    }

    private NativeArchive.Context nativeArchiveContext()
    {
        return new NativeArchive.Context().aeronDirectoryName(aeronDir).controlRequestChannel(controlChannel)
            .controlResponseChannel("aeron:udp?endpoint=localhost:0");
    }

    private PersistentSubscription reference(final long recordingId, final long startPosition, final Events events)
    {
        return reference(recordingId, startPosition, events, "aeron:ipc");
    }

    private PersistentSubscription reference(
        final long recordingId, final long startPosition, final Events events, final String replayChannel)
    {
        return PersistentSubscription.create(new PersistentSubscription.Context().aeron(aeron)
            .aeronArchiveContext(archiveContext().aeron(null)).recordingId(recordingId).startPosition(startPosition)
            .liveChannel("aeron:ipc").liveStreamId(STREAM_ID).replayChannel(replayChannel)
            .replayStreamId(REPLAY_STREAM_ID).listener(events));
    }

    private NativePersistentSubscription ours(final long recordingId, final long startPosition, final Events events)
    {
        return ours(recordingId, startPosition, events, "aeron:ipc");
    }

    private NativePersistentSubscription ours(
        final long recordingId, final long startPosition, final Events events, final String replayChannel)
    {
        return NativePersistentSubscription.create(new NativePersistentSubscription.Context().aeron(nativeAeron)
            .aeronArchiveContext(nativeArchiveContext()).recordingId(recordingId).startPosition(startPosition)
            .liveChannel("aeron:ipc").liveStreamId(STREAM_ID).replayChannel(replayChannel)
            .replayStreamId(REPLAY_STREAM_ID + 1).listener(events));
    }

    @Test
    void aLateJoinFromZeroHandsOverWhatPersistentSubscriptionDoesInTheSamePhases()
    {
        lateJoinFromZero("aeron:ipc", "aeron:ipc");
    }

    @Test
    void aLateJoinOverAReplayChannelOnADynamicPortMatchesPersistentSubscription()
    {
        lateJoinFromZero("aeron:udp?endpoint=localhost:0", "aeron:udp?endpoint=localhost:0");
    }

    @Test
    void aLateJoinOverAResponseChannelMatchesPersistentSubscription() throws IOException
    {
        lateJoinFromZero("aeron:udp?control-mode=response|control=localhost:" + freeUdpPort(),
            "aeron:udp?control-mode=response|control=localhost:" + freeUdpPort());
    }

    @Test
    void aResponseChannelOfAnotherMediaThanTheControlChannelIsRefusedInPersistentSubscriptionsWords()
    {
        final ConfigurationException expected = assertThrows(ConfigurationException.class,
            () -> reference(1, 0, new Events(), "aeron:ipc?control-mode=response"));
        final ConfigurationException actual = assertThrows(ConfigurationException.class,
            () -> ours(1, 0, new Events(), "aeron:ipc?control-mode=response"));
        assertEquals(expected.getMessage(), actual.getMessage());
    }

    private void lateJoinFromZero(final String referenceReplayChannel, final String ourReplayChannel)
    {
        final ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", STREAM_ID);
        aeronArchive.startRecording("aeron:ipc?term-length=64k", STREAM_ID, SourceLocation.LOCAL);
        long recordingId = Aeron.NULL_VALUE;
        while (Aeron.NULL_VALUE == recordingId)
        {
            recordingId = aeronArchive.findLastMatchingRecording(0, "aeron:ipc", STREAM_ID, publication.sessionId());
        }
        final Publisher publisher = new Publisher(publication);
        publisher.publishUntil(2000);

        final Events referenceEvents = new Events();
        final Events ourEvents = new Events();
        final Received reference = new Received();
        final Received received = new Received();
        final long total = 6000;
        try (PersistentSubscription persistentSubscription =
                reference(recordingId, 0, referenceEvents, referenceReplayChannel);
            NativePersistentSubscription nativeSubscription = ours(recordingId, 0, ourEvents, ourReplayChannel))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            // Until both are live too: a replay may catch up with everything published before the live image comes.
            while (publisher.published < total || reference.sequences.size() < total ||
                received.sequences.size() < total || !persistentSubscription.isLive() || !nativeSubscription.isLive())
            {
                if (publisher.published < total)
                {
                    publisher.offerNext();
                }
                persistentSubscription.poll(reference, 10);
                nativeSubscription.poll(received, 10);
                referenceEvents.phase(persistentSubscription::isReplaying, persistentSubscription::isLive);
                ourEvents.phase(nativeSubscription::isReplaying, nativeSubscription::isLive);
                assertFalse(nativeSubscription.hasFailed(), () -> String.valueOf(nativeSubscription.failureReason()));
                assertTrue(System.nanoTime() < deadline, () -> "not all received in time: published " +
                    publisher.published + ", reference " + reference.sequences.size() + ", ours " +
                    received.sequences.size() + ", " + nativeSubscription);
            }
            for (int i = 0; i < total; i++)
            {
                assertEquals(i, received.sequences.getLong(i), "native sequence at " + i);
            }
            assertEquals(reference.sequences, received.sequences);
            assertEquals(List.of("idle", "replaying", "onLiveJoined", "live"), ourEvents.log);
            assertEquals(referenceEvents.log, ourEvents.log);
            assertTrue(nativeSubscription.isLive());
            assertFalse(nativeSubscription.isReplaying());
            assertNull(nativeSubscription.failureReason());
        }
    }

    /* An Archive of its own on the same driver, stopped while both replay and launched again on its directory: both
     * go back to waiting for the archive, connect again and replay on from where they were, every message once. */
    @Test
    void anArchiveGoneMidReplayIsConnectedToAgainAsPersistentSubscriptionDoes() throws IOException
    {
        final String ownControlChannel = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        final Archive.Context ownArchiveContext = new Archive.Context().aeronDirectoryName(aeronDir)
            .archiveDir(dir.resolve("own-archive").toFile()).controlChannel(ownControlChannel)
            .replicationChannel("aeron:udp?endpoint=localhost:0").threadingMode(ArchiveThreadingMode.SHARED)
            .segmentFileLength(4 * 1024 * 1024).deleteArchiveOnStart(true).archiveId(77);
        Archive ownArchive = Archive.launch(ownArchiveContext.clone());
        final int streamId = STREAM_ID + 9;
        final long total = 20_000;
        long recordingId = Aeron.NULL_VALUE;
        try (AeronArchive ownClient = AeronArchive.connect(archiveContext().controlRequestChannel(ownControlChannel));
            ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", streamId))
        {
            ownClient.startRecording("aeron:ipc?term-length=64k", streamId, SourceLocation.LOCAL);
            while (Aeron.NULL_VALUE == recordingId)
            {
                recordingId = ownClient.findLastMatchingRecording(0, "aeron:ipc", streamId, publication.sessionId());
            }
            new Publisher(publication).publishUntil(total);
            while (ownClient.getRecordingPosition(recordingId) < publication.position())
            {
                Thread.onSpinWait();
            }
        }
        final Events referenceEvents = new Events();
        final Events ourEvents = new Events();
        final Received reference = new Received();
        final Received received = new Received();
        final long timeoutNs = TimeUnit.SECONDS.toNanos(3);
        try (PersistentSubscription persistentSubscription = PersistentSubscription.create(
                new PersistentSubscription.Context().aeron(aeron)
                .aeronArchiveContext(archiveContext().aeron(null).controlRequestChannel(ownControlChannel)
                .messageTimeoutNs(timeoutNs)).recordingId(recordingId).startPosition(0).liveChannel("aeron:ipc")
                .liveStreamId(streamId).replayChannel("aeron:ipc").replayStreamId(REPLAY_STREAM_ID)
                .listener(referenceEvents));
            NativePersistentSubscription nativeSubscription = NativePersistentSubscription.create(
                new NativePersistentSubscription.Context().aeron(nativeAeron)
                .aeronArchiveContext(nativeArchiveContext().controlRequestChannel(ownControlChannel)
                .messageTimeoutNs(timeoutNs)).recordingId(recordingId).startPosition(0).liveChannel("aeron:ipc")
                .liveStreamId(streamId).replayChannel("aeron:ipc").replayStreamId(REPLAY_STREAM_ID + 1)
                .listener(ourEvents)))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            // One fragment a poll: both are well inside the replay when the archive goes.
            while (reference.sequences.size() < 500 || received.sequences.size() < 500)
            {
                persistentSubscription.poll(reference, 1);
                nativeSubscription.poll(received, 1);
                assertTrue(System.nanoTime() < deadline, "no replay in time");
            }
            assertTrue(persistentSubscription.isReplaying() && nativeSubscription.isReplaying());
            ownArchive.close();
            final long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < gone)
            {
                persistentSubscription.poll(reference, 1);
                nativeSubscription.poll(received, 1);
            }
            ownArchive = Archive.launch(ownArchiveContext.clone().deleteArchiveOnStart(false));
            // Each is polled until it has every message and no further: the recording is stopped and nothing is
            // published live, so past its end both fail alike (the replay image ends there, and a replay asked for
            // from the recording's stop position is refused), whichever gets there first.
            while (reference.sequences.size() < total || received.sequences.size() < total)
            {
                if (reference.sequences.size() < total)
                {
                    persistentSubscription.poll(reference, 10);
                }
                if (received.sequences.size() < total)
                {
                    nativeSubscription.poll(received, 10);
                }
                assertFalse(nativeSubscription.hasFailed(), () -> String.valueOf(nativeSubscription.failureReason()));
                assertTrue(System.nanoTime() < deadline, () -> "not all replayed in time: reference " +
                    reference.sequences.size() + ", ours " + received.sequences.size() + ", " + nativeSubscription +
                    ", told " + ourEvents.log);
            }
            for (int i = 0; i < total; i++)
            {
                assertEquals(i, received.sequences.getLong(i), "native sequence at " + i);
            }
            assertEquals(reference.sequences, received.sequences);
            assertFalse(persistentSubscription.hasFailed());
        }
        finally
        {
            ownArchive.close();
        }
    }

    @Test
    void aLostLiveImageIsRecoveredAsPersistentSubscriptionRecoversIt() throws InterruptedException
    {
        final ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", STREAM_ID);
        aeronArchive.startRecording("aeron:ipc?term-length=64k", STREAM_ID, SourceLocation.LOCAL);
        long recordingId = Aeron.NULL_VALUE;
        while (Aeron.NULL_VALUE == recordingId)
        {
            recordingId = aeronArchive.findLastMatchingRecording(0, "aeron:ipc", STREAM_ID, publication.sessionId());
        }
        final Publisher publisher = new Publisher(publication);
        publisher.publishUntil(100);
        // Untethered with short timeouts: a consumer that stops polling is dropped from the live stream.
        final String liveChannel =
            "aeron:ipc?tether=false|untethered-window-limit-timeout=200ms|untethered-resting-timeout=200ms";
        final Events referenceEvents = new Events();
        final Events ourEvents = new Events();
        final Received reference = new Received();
        final Received received = new Received();
        final PersistentSubscription.Context referenceContext = new PersistentSubscription.Context().aeron(aeron)
            .aeronArchiveContext(archiveContext().aeron(null)).recordingId(recordingId).startPosition(0)
            .liveChannel(liveChannel).liveStreamId(STREAM_ID).replayChannel("aeron:ipc")
            .replayStreamId(REPLAY_STREAM_ID).listener(referenceEvents);
        final NativePersistentSubscription.Context ourContext = new NativePersistentSubscription.Context()
            .aeron(nativeAeron).aeronArchiveContext(nativeArchiveContext()).recordingId(recordingId).startPosition(0)
            .liveChannel(liveChannel).liveStreamId(STREAM_ID).replayChannel("aeron:ipc")
            .replayStreamId(REPLAY_STREAM_ID + 1).listener(ourEvents);
        final List<Integer> ourCounterIds;
        try (PersistentSubscription persistentSubscription = PersistentSubscription.create(referenceContext);
            NativePersistentSubscription nativeSubscription = NativePersistentSubscription.create(ourContext))
        {
            ourCounterIds = List.of(ourContext.stateCounter().id(), ourContext.joinDifferenceCounter().id(),
                ourContext.liveLeftCounter().id(), ourContext.liveJoinedCounter().id());
            assertCountersAsPersistentSubscriptions(referenceContext, ourContext);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (!persistentSubscription.isLive() || !nativeSubscription.isLive() ||
                reference.sequences.size() < publisher.published || received.sequences.size() < publisher.published)
            {
                persistentSubscription.poll(reference, 10);
                nativeSubscription.poll(received, 10);
                assertTrue(System.nanoTime() < deadline, "not live in time");
            }
            // Neither polls while a few terms' worth is published: both live images are dropped.
            final long pauseEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < pauseEnd)
            {
                publisher.offerNext();
                Thread.onSpinWait();
            }
            final long target = publisher.published + 2000;
            while (reference.sequences.size() < target || received.sequences.size() < target ||
                !persistentSubscription.isLive() || !nativeSubscription.isLive())
            {
                for (int burst = 0; burst < 8 && publisher.published < target; burst++)
                {
                    publisher.offerNext();
                }
                persistentSubscription.poll(reference, 10);
                nativeSubscription.poll(received, 10);
                assertFalse(nativeSubscription.hasFailed(), () -> String.valueOf(nativeSubscription.failureReason()));
                assertTrue(System.nanoTime() < deadline, () -> "no recovery in time: reference " +
                    reference.sequences.size() + " " + referenceEvents.log + ", ours " + received.sequences.size() +
                    " " + ourEvents.log + ", " + nativeSubscription + ", published " + publisher.published);
            }
            for (int i = 0; i < target; i++)
            {
                assertEquals(i, received.sequences.getLong(i), "native sequence at " + i);
            }
            assertEquals(reference.sequences, received.sequences);
            assertTrue(ourEvents.log.contains("onLiveLeft"), ourEvents.log::toString);
            assertEquals(referenceEvents.log, ourEvents.log);
            assertCountersAsPersistentSubscriptions(referenceContext, ourContext);
        }
        // Closed with the subscription, as PersistentSubscription's context closes its counters.
        final CountersReader reader = aeron.countersReader();
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (ourCounterIds.stream().anyMatch(id -> CountersReader.RECORD_ALLOCATED == reader.getCounterState(id)))
        {
            assertTrue(System.nanoTime() < deadline, "counters not removed after close");
            Thread.yield();
        }
    }

    /* The four counters of both, read through Aeron's CountersReader: same type ids, labels (but for the replay stream
     * id, which differs), state, live left and joined counts; the join difference set or unset on both. */
    private void assertCountersAsPersistentSubscriptions(
        final PersistentSubscription.Context referenceContext, final NativePersistentSubscription.Context ourContext)
    {
        final CountersReader reader = aeron.countersReader();
        final int[] referenceIds = { referenceContext.stateCounter().id(), referenceContext.joinDifferenceCounter().id(),
            referenceContext.liveLeftCounter().id(), referenceContext.liveJoinedCounter().id() };
        final int[] ourIds = { ourContext.stateCounter().id(), ourContext.joinDifferenceCounter().id(),
            ourContext.liveLeftCounter().id(), ourContext.liveJoinedCounter().id() };
        for (int i = 0; i < referenceIds.length; i++)
        {
            assertEquals(reader.getCounterTypeId(referenceIds[i]), reader.getCounterTypeId(ourIds[i]));
            assertEquals(reader.getCounterLabel(referenceIds[i]).replace(": " + REPLAY_STREAM_ID + " ",
                ": " + (REPLAY_STREAM_ID + 1) + " "), reader.getCounterLabel(ourIds[i]));
        }
        assertEquals(reader.getCounterValue(referenceIds[0]), reader.getCounterValue(ourIds[0]), "state");
        assertEquals(Long.MIN_VALUE == reader.getCounterValue(referenceIds[1]),
            Long.MIN_VALUE == reader.getCounterValue(ourIds[1]), () -> "join difference set: reference " +
            reader.getCounterValue(referenceIds[1]) + ", ours " + reader.getCounterValue(ourIds[1]) + ", states " +
            reader.getCounterValue(referenceIds[0]) + " " + reader.getCounterValue(ourIds[0]));
        assertEquals(reader.getCounterValue(referenceIds[2]), reader.getCounterValue(ourIds[2]), "live left");
        assertEquals(reader.getCounterValue(referenceIds[3]), reader.getCounterValue(ourIds[3]), "live joined");
    }

    @Test
    void anUnknownRecordingFailsForTheReasonPersistentSubscriptionGives()
    {
        final Events referenceEvents = new Events();
        final Events ourEvents = new Events();
        try (PersistentSubscription persistentSubscription = reference(987654321, 0, referenceEvents);
            NativePersistentSubscription nativeSubscription = ours(987654321, 0, ourEvents))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final FragmentHandler none = (buffer, offset, length, header) -> {};
            while (!persistentSubscription.hasFailed() || !nativeSubscription.hasFailed())
            {
                persistentSubscription.poll(none, 10);
                nativeSubscription.poll(none, 10);
                assertTrue(System.nanoTime() < deadline, "did not fail in time");
            }
            final PersistentSubscriptionException expected =
                assertInstanceOf(PersistentSubscriptionException.class, persistentSubscription.failureReason());
            final PersistentSubscriptionException actual =
                assertInstanceOf(PersistentSubscriptionException.class, nativeSubscription.failureReason());
            assertEquals(PersistentSubscriptionException.Reason.RECORDING_NOT_FOUND, actual.reason());
            assertEquals(expected.reason(), actual.reason());
            assertEquals(expected.getMessage(), actual.getMessage());
            assertEquals(referenceEvents.log, ourEvents.log);
            assertFalse(nativeSubscription.isLive());
            assertFalse(nativeSubscription.isReplaying());
        }
    }

    @Test
    void aContextMissingASettingIsRefusedWithPersistentSubscriptionsWords()
    {
        final ConfigurationException expected = assertThrows(ConfigurationException.class,
            () -> PersistentSubscription.create(new PersistentSubscription.Context().aeron(aeron).recordingId(1)));
        final ConfigurationException actual = assertThrows(ConfigurationException.class,
            () -> NativePersistentSubscription.create(
                new NativePersistentSubscription.Context().aeron(nativeAeron).recordingId(1)));
        assertEquals(expected.getMessage(), actual.getMessage());
        final ConfigurationException badStart = assertThrows(ConfigurationException.class,
            () -> NativePersistentSubscription.create(new NativePersistentSubscription.Context().aeron(nativeAeron)
                .aeronArchiveContext(nativeArchiveContext()).recordingId(1).startPosition(-3).liveChannel("aeron:ipc")
                .liveStreamId(1).replayChannel("aeron:ipc").replayStreamId(2)));
        assertTrue(badStart.getMessage().contains("invalid startPosition -3"), badStart.getMessage());
    }

    @Test
    void aClosedSubscriptionAnswersClosedAndRefusesPolls()
    {
        final NativePersistentSubscription subscription = ours(1, 0, new Events());
        subscription.close();
        subscription.close();
        assertThrows(IllegalStateException.class, () -> subscription.poll((buffer, offset, length, header) -> {}, 1));
        assertFalse(subscription.isLive());
        assertFalse(subscription.hasFailed());
        assertEquals("NativePersistentSubscription{state=CLOSED}", subscription.toString());
    }

    @Test
    void closeRacedAgainstPollsLeavesPollsRefusedNeverACrash() throws InterruptedException
    {
        final ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", STREAM_ID);
        aeronArchive.startRecording("aeron:ipc?term-length=64k", STREAM_ID, SourceLocation.LOCAL);
        long recordingId = Aeron.NULL_VALUE;
        while (Aeron.NULL_VALUE == recordingId)
        {
            recordingId = aeronArchive.findLastMatchingRecording(0, "aeron:ipc", STREAM_ID, publication.sessionId());
        }
        new Publisher(publication).publishUntil(500);
        for (int round = 0; round < 20; round++)
        {
            final NativePersistentSubscription subscription = ours(recordingId, 0, new Events());
            final Received received = new Received();
            final Thread poller = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        subscription.poll(received, 10);
                    }
                }
                catch (final IllegalStateException closed)
                {
                    // The close won: every later poll is refused.
                }
            });
            poller.start();
            Thread.sleep(round * 5L);
            subscription.close();
            poller.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(poller.isAlive());
            assertThrows(IllegalStateException.class, () -> subscription.poll(received, 10));
            assertFalse(received.sequences.containsLong(-1));
        }
    }

    @Test
    void aContextConcludesOnce()
    {
        final NativePersistentSubscription.Context context = new NativePersistentSubscription.Context()
            .aeron(nativeAeron).aeronArchiveContext(nativeArchiveContext()).recordingId(1).liveChannel("aeron:ipc")
            .liveStreamId(1).replayChannel("aeron:ipc").replayStreamId(2);
        context.conclude();
        assertThrows(ConcurrentConcludeException.class, context::conclude);
    }

    @Test
    void aLiveImageSlowToComeIsToldAsPersistentSubscriptionTellsIt()
    {
        final int streamId = STREAM_ID + 7;
        final ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", streamId);
        aeronArchive.startRecording("aeron:ipc?term-length=64k", streamId, SourceLocation.LOCAL);
        long recordingId = Aeron.NULL_VALUE;
        while (Aeron.NULL_VALUE == recordingId)
        {
            recordingId = aeronArchive.findLastMatchingRecording(0, "aeron:ipc", streamId, publication.sessionId());
        }
        new Publisher(publication).publishUntil(10);
        // No publisher on the live stream from here: the live subscription gets no image within the message timeout.
        publication.close();
        final long timeoutNs = TimeUnit.SECONDS.toNanos(2);
        final Events referenceEvents = new Events();
        final Events ourEvents = new Events();
        try (PersistentSubscription persistentSubscription = PersistentSubscription.create(
                new PersistentSubscription.Context().aeron(aeron)
                .aeronArchiveContext(archiveContext().aeron(null).messageTimeoutNs(timeoutNs)).recordingId(recordingId)
                .startPosition(PersistentSubscription.FROM_LIVE).liveChannel("aeron:ipc").liveStreamId(streamId)
                .replayChannel("aeron:ipc").replayStreamId(REPLAY_STREAM_ID).listener(referenceEvents));
            NativePersistentSubscription nativeSubscription = NativePersistentSubscription.create(
                new NativePersistentSubscription.Context().aeron(nativeAeron)
                .aeronArchiveContext(nativeArchiveContext().messageTimeoutNs(timeoutNs)).recordingId(recordingId)
                .startPosition(NativePersistentSubscription.FROM_LIVE).liveChannel("aeron:ipc").liveStreamId(streamId)
                .replayChannel("aeron:ipc").replayStreamId(REPLAY_STREAM_ID + 1).listener(ourEvents)))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final FragmentHandler none = (buffer, offset, length, header) -> {};
            while (referenceEvents.errors.isEmpty() || ourEvents.errors.isEmpty())
            {
                persistentSubscription.poll(none, 10);
                nativeSubscription.poll(none, 10);
                assertTrue(System.nanoTime() < deadline, "nothing told in time");
            }
            final Exception expected = referenceEvents.errors.get(0);
            final Exception actual = ourEvents.errors.get(0);
            assertInstanceOf(AeronEvent.class, expected);
            assertInstanceOf(AeronEvent.class, actual);
            assertEquals(expected.getMessage(), actual.getMessage());
            assertFalse(nativeSubscription.hasFailed());
            assertEquals(referenceEvents.log, ourEvents.log);
        }
    }

    private static final class Events implements PersistentSubscriptionListener
    {
        final List<String> log = new ArrayList<>();
        final List<Exception> errors = new ArrayList<>();
        private String phase;

        void phase(final BooleanSupplier isReplaying, final BooleanSupplier isLive)
        {
            final String now = isLive.getAsBoolean() ? "live" : isReplaying.getAsBoolean() ? "replaying" : "idle";
            if (!now.equals(phase))
            {
                phase = now;
                log.add(now);
            }
        }

        public void onLiveJoined()
        {
            log.add("onLiveJoined");
        }

        public void onLiveLeft()
        {
            log.add("onLiveLeft");
        }

        public void onError(final Exception e)
        {
            log.add("onError " + e.getClass().getSimpleName() + ": " + e.getMessage());
            errors.add(e);
        }
    }

    private static final class Publisher
    {
        private final ExclusivePublication publication;
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(LONG_LENGTH);
        long published;

        Publisher(final ExclusivePublication publication)
        {
            this.publication = publication;
        }

        void offerNext()
        {
            buffer.putLong(0, published);
            if (publication.offer(buffer, 0, lengthOf(published)) > 0)
            {
                published++;
            }
        }

        void publishUntil(final long count)
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (published < count)
            {
                offerNext();
                assertTrue(System.nanoTime() < deadline, "could not publish");
            }
        }
    }

    /* Every eleventh message is longer than the MTU, so that it comes in fragments and is put back together. */
    private static int lengthOf(final long sequence)
    {
        return 0 == sequence % 11 ? LONG_LENGTH : SHORT_LENGTH;
    }

    private static final class Received implements FragmentHandler
    {
        final LongArrayList sequences = new LongArrayList();

        public void onFragment(
            final org.agrona.DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header h)
        {
            final long sequence = buffer.getLong(offset);
            sequences.addLong(length == lengthOf(sequence) ? sequence : -1);
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
