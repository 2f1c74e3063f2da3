package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /* PersistentSubscription's state codes, as its state counter holds them. */
    private static final long REPLAY = 12;
    private static final long ATTEMPT_SWITCH = 13;
    private static final long LIVE = 16;

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
        final Archive.Context ownArchiveContext = ownArchiveContext(ownControlChannel);
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

    /* An Archive of the test's own on the same driver, for the tests that take it away. */
    private Archive.Context ownArchiveContext(final String ownControlChannel)
    {
        return new Archive.Context().aeronDirectoryName(aeronDir)
            .archiveDir(dir.resolve("own-archive").toFile()).controlChannel(ownControlChannel)
            .replicationChannel("aeron:udp?endpoint=localhost:0").threadingMode(ArchiveThreadingMode.SHARED)
            .segmentFileLength(4 * 1024 * 1024).deleteArchiveOnStart(true).archiveId(77);
    }

    /* The stream recorded on the Archive at controlChannel, count messages published and recorded: its recording id. */
    private long recordOn(
        final String controlChannel, final int streamId, final ExclusivePublication publication,
        final Publisher publisher, final long count)
    {
        try (AeronArchive client = AeronArchive.connect(archiveContext().controlRequestChannel(controlChannel)))
        {
            client.startRecording("aeron:ipc?term-length=64k", streamId, SourceLocation.LOCAL);
            long recordingId = Aeron.NULL_VALUE;
            while (Aeron.NULL_VALUE == recordingId)
            {
                recordingId = client.findLastMatchingRecording(0, "aeron:ipc", streamId, publication.sessionId());
            }
            publisher.publishUntil(count);
            while (client.getRecordingPosition(recordingId) < publication.position())
            {
                Thread.onSpinWait();
            }
            return recordingId;
        }
    }

    /* Images of control response subscriptions (Aeron's default stream 20) on this driver, from its subscriber position
     * counters, labelled "sub-pos: registrationId sessionId streamId channel @joinPosition". */
    private int controlResponseImages()
    {
        final String streamId = String.valueOf(AeronArchive.Configuration.CONTROL_RESPONSE_STREAM_ID_DEFAULT);
        final int[] count = { 0 };
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            final String[] words = label.split(" ");
            if (AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID == typeId && words.length > 3 &&
                streamId.equals(words[3]))
            {
                count[0]++;
            }
        });
        return count[0];
    }

    /* The Archive closed, and waited for until both subscriptions' archive clients have lost their response images,
     * so that a poll from here on finds the archive lost. */
    private void closeArchiveUntilBothClientsLostIt(final Archive archive, final Runnable meanwhile)
    {
        final int before = controlResponseImages();
        archive.close();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (controlResponseImages() > before - 2)
        {
            meanwhile.run();
            assertTrue(System.nanoTime() < deadline, () -> "control response images still there: " +
                controlResponseImages() + " of " + before);
        }
    }

    /* The Archive goes while both are live and stays away: as PersistentSubscription, ours takes the live stream on
     * (only its archive client is connected to again, in the background), every message once and in order. */
    @Test
    void anArchiveLostWhileLiveLeavesTheLiveStreamFlowingAsPersistentSubscriptionDoes() throws IOException
    {
        final String ownControlChannel = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        final Archive ownArchive = Archive.launch(ownArchiveContext(ownControlChannel));
        final int streamId = STREAM_ID + 11;
        try (ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", streamId))
        {
            final Publisher publisher = new Publisher(publication);
            final long recordingId = recordOn(ownControlChannel, streamId, publication, publisher, 1000);
            try (Both both = new Both(ownControlChannel, recordingId, streamId, "aeron:ipc"))
            {
                final long deadline = System.nanoTime() + DEADLINE_NS;
                while (!both.areLive() || !both.haveReceived(publisher.published))
                {
                    both.poll(10);
                    assertTrue(System.nanoTime() < deadline, "not live in time");
                }
                closeArchiveUntilBothClientsLostIt(ownArchive, () -> both.poll(10));
                final long target = publisher.published + 2000;
                while (!both.haveReceived(target))
                {
                    if (publisher.published < target)
                    {
                        publisher.offerNext();
                    }
                    both.poll(10);
                    assertEquals(LIVE, both.referenceState(), "reference state");
                    assertEquals(LIVE, both.ourState(), () -> "ours left LIVE with the archive gone: " + both);
                    assertTrue(System.nanoTime() < deadline, () -> "not all received in time: " + both);
                }
                both.assertReceivedInOrder(target);
            }
        }
        finally
        {
            ownArchive.close();
        }
    }

    /* Both are left in ATTEMPT_SWITCH (the live image there, the replay behind it), then the Archive goes: as
     * PersistentSubscription, ours carries on switching with what the replay had sent already and goes live without
     * the archive, every message once and in order. */
    @Test
    void anArchiveLostWhileSwitchingToLiveLetsTheSwitchFinishAsPersistentSubscriptionDoes() throws IOException
    {
        final String ownControlChannel = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        final Archive ownArchive = Archive.launch(ownArchiveContext(ownControlChannel));
        final int streamId = STREAM_ID + 12;
        try (ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", streamId))
        {
            final Publisher publisher = new Publisher(publication);
            final long recordingId = recordOn(ownControlChannel, streamId, publication, publisher, 2000);
            try (Both both = new Both(ownControlChannel, recordingId, streamId, "aeron:ipc"))
            {
                final long deadline = System.nanoTime() + DEADLINE_NS;
                // One fragment a poll, each left alone once in ATTEMPT_SWITCH; the state enters there on a poll of its
                // own (the live image found), so neither passes it unseen.
                boolean referenceSwitching = false;
                boolean oursSwitching = false;
                while (!referenceSwitching || !oursSwitching)
                {
                    if (!referenceSwitching)
                    {
                        both.persistentSubscription.poll(both.reference, 1);
                        referenceSwitching = ATTEMPT_SWITCH == both.referenceState();
                    }
                    if (!oursSwitching)
                    {
                        both.nativeSubscription.poll(both.received, 1);
                        oursSwitching = ATTEMPT_SWITCH == both.ourState();
                    }
                    assertFalse(both.areLive(), "went live without being seen in ATTEMPT_SWITCH");
                    assertTrue(System.nanoTime() < deadline, () -> "not switching in time: " + both);
                }
                closeArchiveUntilBothClientsLostIt(ownArchive, Thread::onSpinWait);
                final long switchDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!both.areLive())
                {
                    both.poll(10);
                    assertFalse(both.nativeSubscription.hasFailed(), () -> String.valueOf(
                        both.nativeSubscription.failureReason()));
                    assertTrue(System.nanoTime() < switchDeadline, () -> "not live with the archive gone: " + both);
                }
                final long target = publisher.published + 500;
                while (!both.haveReceived(target))
                {
                    if (publisher.published < target)
                    {
                        publisher.offerNext();
                    }
                    both.poll(10);
                    assertTrue(System.nanoTime() < deadline, () -> "not all received in time: " + both);
                }
                both.assertReceivedInOrder(target);
                assertTrue(both.areLive());
            }
        }
        finally
        {
            ownArchive.close();
        }
    }

    /* The replay's image goes on the subscription's side only, while the Archive goes on replaying: the replay
     * subscription is untethered, and the test's own subscriber of the replay stream takes the replay on while neither
     * polls, so each is left behind a window and dropped. As PersistentSubscription does, ours asks for the replay
     * again from where it was and stops the one it lost. Every replay the test's subscriber saw begin has ended once
     * both are live: none is left behind on the Archive. */
    @Test
    void aReplayWhoseImageWentIsStoppedOnTheArchiveAsPersistentSubscriptionStopsIt()
    {
        final int streamId = STREAM_ID + 13;
        final String replayChannel =
            "aeron:ipc?tether=false|untethered-window-limit-timeout=200ms|untethered-resting-timeout=200ms";
        final Set<Integer> referenceReplays = ConcurrentHashMap.newKeySet();
        final Set<Integer> ourReplays = ConcurrentHashMap.newKeySet();
        final FragmentHandler none = (buffer, offset, length, header) -> {};
        try (ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc?term-length=64k", streamId);
            Subscription referenceReplayWatcher = aeron.addSubscription(
                "aeron:ipc", REPLAY_STREAM_ID, image -> referenceReplays.add(image.sessionId()), image -> {});
            Subscription ourReplayWatcher = aeron.addSubscription(
                "aeron:ipc", REPLAY_STREAM_ID + 1, image -> ourReplays.add(image.sessionId()), image -> {}))
        {
            final Publisher publisher = new Publisher(publication);
            final long total = 3000;
            final long recordingId = recordOn(controlChannel, streamId, publication, publisher, total);
            final Runnable watch = () ->
            {
                referenceReplayWatcher.poll(none, 1000);
                ourReplayWatcher.poll(none, 1000);
            };
            try (Both both = new Both(controlChannel, recordingId, streamId, replayChannel))
            {
                final long deadline = System.nanoTime() + DEADLINE_NS;
                // Each stops at 200, mid-replay, whichever is first there: polled together, one whose connect was
                // quicker had taken all 3,000 and gone live while the other was still connecting (seen in CI).
                while (!both.haveReceived(200))
                {
                    both.pollUpTo(200, 10);
                    watch.run();
                    assertTrue(System.nanoTime() < deadline, () -> "no replay in time: " + both);
                }
                // Neither polled for a second at a time, then each polled for one fragment: once its replay image has
                // gone, that poll takes it out of REPLAY (and it is left alone until both are out).
                boolean referenceLeft = false;
                boolean oursLeft = false;
                while (!referenceLeft || !oursLeft)
                {
                    final long pauseEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (System.nanoTime() < pauseEnd)
                    {
                        watch.run();
                    }
                    if (!referenceLeft)
                    {
                        both.persistentSubscription.poll(both.reference, 1);
                        referenceLeft = REPLAY != both.referenceState();
                    }
                    if (!oursLeft)
                    {
                        both.nativeSubscription.poll(both.received, 1);
                        oursLeft = REPLAY != both.ourState();
                    }
                    assertTrue(System.nanoTime() < deadline, () -> "replay images not dropped in time: " + both);
                }
                // Until both are live with the last message, not every message: the test's subscriber takes each new
                // replay from its start before the subscription's session-specific subscription is added (after the
                // replay's answer), and an IPC subscriber joins where the subscribers already there are, so both
                // skip what lies between (a gap of about 100 to 200 messages seen for each).
                while (!both.areLive() || !both.haveReceivedUpTo(total - 1))
                {
                    both.poll(100);
                    watch.run();
                    assertFalse(both.nativeSubscription.hasFailed(), () -> String.valueOf(
                        both.nativeSubscription.failureReason()));
                    assertTrue(System.nanoTime() < deadline, () -> "not live in time: " + both);
                }
                assertInOrderOnce(both.reference.sequences);
                assertInOrderOnce(both.received.sequences);
                assertTrue(referenceReplays.size() >= 2, () -> "reference replays " + referenceReplays + "; " + both);
                assertTrue(ourReplays.size() >= 2, () -> "our replays " + ourReplays + "; " + both);
                final long stoppedDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (referenceReplayWatcher.imageCount() > 0 || ourReplayWatcher.imageCount() > 0)
                {
                    both.poll(10);
                    watch.run();
                    assertTrue(System.nanoTime() < stoppedDeadline, () -> "replays left behind on the archive: " +
                        "reference " + referenceReplayWatcher.imageCount() + " of " + referenceReplays + ", ours " +
                        ourReplayWatcher.imageCount() + " of " + ourReplays);
                }
            }
        }
    }

    /* PersistentSubscription and ours on one recording of the Archive at controlChannel, each with its listener, what
     * it received and its state counter. */
    private final class Both implements AutoCloseable
    {
        final Events referenceEvents = new Events();
        final Events ourEvents = new Events();
        final Received reference = new Received();
        final Received received = new Received();
        final PersistentSubscription.Context referenceContext;
        final NativePersistentSubscription.Context ourContext;
        final PersistentSubscription persistentSubscription;
        final NativePersistentSubscription nativeSubscription;

        Both(final String controlChannel, final long recordingId, final int streamId, final String replayChannel)
        {
            final long timeoutNs = TimeUnit.SECONDS.toNanos(3);
            referenceContext = new PersistentSubscription.Context().aeron(aeron)
                .aeronArchiveContext(archiveContext().aeron(null).controlRequestChannel(controlChannel)
                .messageTimeoutNs(timeoutNs)).recordingId(recordingId).startPosition(0).liveChannel("aeron:ipc")
                .liveStreamId(streamId).replayChannel(replayChannel).replayStreamId(REPLAY_STREAM_ID)
                .listener(referenceEvents);
            ourContext = new NativePersistentSubscription.Context().aeron(nativeAeron)
                .aeronArchiveContext(nativeArchiveContext().controlRequestChannel(controlChannel)
                .messageTimeoutNs(timeoutNs)).recordingId(recordingId).startPosition(0).liveChannel("aeron:ipc")
                .liveStreamId(streamId).replayChannel(replayChannel).replayStreamId(REPLAY_STREAM_ID + 1)
                .listener(ourEvents);
            persistentSubscription = PersistentSubscription.create(referenceContext);
            try
            {
                nativeSubscription = NativePersistentSubscription.create(ourContext);
            }
            catch (final RuntimeException e)
            {
                persistentSubscription.close();
                throw e;
            }
        }

        void poll(final int fragmentLimit)
        {
            persistentSubscription.poll(reference, fragmentLimit);
            nativeSubscription.poll(received, fragmentLimit);
        }

        /* Each polled only while it has received fewer than count, never past it. */
        void pollUpTo(final long count, final int fragmentLimit)
        {
            if (reference.sequences.size() < count)
            {
                persistentSubscription.poll(
                    reference, (int)Math.min(fragmentLimit, count - reference.sequences.size()));
            }
            if (received.sequences.size() < count)
            {
                nativeSubscription.poll(received, (int)Math.min(fragmentLimit, count - received.sequences.size()));
            }
        }

        boolean areLive()
        {
            return persistentSubscription.isLive() && nativeSubscription.isLive();
        }

        boolean haveReceived(final long count)
        {
            return reference.sequences.size() >= count && received.sequences.size() >= count;
        }

        boolean haveReceivedUpTo(final long last)
        {
            return endsWith(reference.sequences, last) && endsWith(received.sequences, last);
        }

        private boolean endsWith(final LongArrayList sequences, final long last)
        {
            return !sequences.isEmpty() && last == sequences.getLong(sequences.size() - 1);
        }

        long referenceState()
        {
            return aeron.countersReader().getCounterValue(referenceContext.stateCounter().id());
        }

        long ourState()
        {
            return aeron.countersReader().getCounterValue(ourContext.stateCounter().id());
        }

        /* Ours has 0 to count - 1 once each, as the reference has; both told the same but for their errors (the
         * failed connects to a lost archive are timing). */
        void assertReceivedInOrder(final long count)
        {
            assertEquals(count, received.sequences.size(), this::toString);
            for (int i = 0; i < count; i++)
            {
                assertEquals(i, received.sequences.getLong(i), "native sequence at " + i);
            }
            assertEquals(reference.sequences, received.sequences);
            assertEquals(withoutErrors(referenceEvents.log), withoutErrors(ourEvents.log));
            assertFalse(persistentSubscription.hasFailed());
            assertFalse(nativeSubscription.hasFailed());
        }

        private List<String> withoutErrors(final List<String> log)
        {
            return log.stream().filter(entry -> !entry.startsWith("onError")).toList();
        }

        public void close()
        {
            CloseHelper.closeAll(nativeSubscription, persistentSubscription);
        }

        public String toString()
        {
            return "reference state " + referenceState() + " received " + describe(reference.sequences) + " told " +
                referenceEvents.log + "; ours " + nativeSubscription + " state " + ourState() + " received " +
                describe(received.sequences) + " told " + ourEvents.log;
        }
    }

    /* How many, the last, and the first place the sequence does not go up by one. */
    private static String describe(final LongArrayList sequences)
    {
        String gap = "none";
        for (int i = 1; i < sequences.size() && "none".equals(gap); i++)
        {
            if (sequences.getLong(i) != sequences.getLong(i - 1) + 1)
            {
                gap = sequences.getLong(i - 1) + " then " + sequences.getLong(i);
            }
        }
        return sequences.size() + " (last " + (sequences.isEmpty() ? "none" : sequences.getLong(sequences.size() - 1)) +
            ", first gap " + gap + ")";
    }

    /* Each message at most once, in order, and whole. */
    private static void assertInOrderOnce(final LongArrayList sequences)
    {
        for (int i = 1; i < sequences.size(); i++)
        {
            final int at = i;
            assertTrue(sequences.getLong(i - 1) >= 0 && sequences.getLong(i) > sequences.getLong(i - 1),
                () -> "out of order or damaged at " + at + ": " + describe(sequences));
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
