package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.ReplayMerge;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativeReplayMerge beside Aeron's ReplayMerge, on one recording of a stream published while both merge, against a
 * Media Driver and Archive in this JVM: both hand over every message once, in order, across the switch to live.
 */
class NativeReplayMergeTest
{
    private static final int STREAM_ID = 1101;
    private static final int MESSAGE_LENGTH = 100;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(120);

    @RegisterExtension
    final InJvmDriver driver = InJvmDriver.archivingMediaDriver();

    private AeronArchive aeronArchive;
    private NativeArchive nativeArchive;

    @BeforeEach
    void connectArchiveClients()
    {
        aeronArchive = AeronArchive.connect(driver.archiveContext());
        nativeArchive = NativeArchive.connect(driver.nativeArchiveContext());
    }

    @AfterEach
    void closeArchiveClients()
    {
        CloseHelper.closeAll(nativeArchive, aeronArchive);
    }

    @Test
    void mergesTheSameMessagesInOrderAsAeronReplayMerge()
    {
        final int controlPort = FreePorts.udp();
        // Min flow control: two merges join the live stream, and the publisher must wait for the slower, or it
        // would overrun that one's live image by more than a term while it still catches up (a loss nobody can
        // repair, with either client).
        final ExclusivePublication publication = driver.aeron().addExclusivePublication("aeron:udp?control=localhost:" +
            controlPort + "|control-mode=dynamic|term-length=64k|ssc=true|fc=min", STREAM_ID);
        aeronArchive.startRecording(publication.channel(), STREAM_ID, SourceLocation.LOCAL);
        final Publisher publisher = new Publisher(publication);
        publisher.publishUntil(300);
        long recordingId = Aeron.NULL_VALUE;
        while (Aeron.NULL_VALUE == recordingId)
        {
            recordingId = aeronArchive.findLastMatchingRecording(
                0, "control=localhost:" + controlPort, STREAM_ID, publication.sessionId());
        }

        final String replayChannel = "aeron:udp?session-id=" + publication.sessionId();
        final String replayDestination = "aeron:udp?endpoint=localhost:0";
        final String liveDestination = "aeron:udp?endpoint=localhost:0|control=localhost:" + controlPort;
        final Subscription subscription = driver.aeron().addSubscription("aeron:udp?control-mode=manual", STREAM_ID);
        final NativeSubscription nativeSubscription =
            driver.nativeAeron().addSubscription("aeron:udp?control-mode=manual", STREAM_ID);
        final Received reference = new Received();
        final Received ours = new Received();
        try (ReplayMerge replayMerge = new ReplayMerge(subscription, aeronArchive, replayChannel, replayDestination,
            liveDestination, recordingId, 0);
            NativeReplayMerge nativeReplayMerge = new NativeReplayMerge(nativeSubscription, nativeArchive,
                replayChannel, replayDestination, liveDestination, recordingId, 0))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (!replayMerge.isMerged() || !nativeReplayMerge.isMerged() || publisher.published < 3000)
            {
                publisher.offerNext();
                final int fragments = replayMerge.poll(reference, 10) + nativeReplayMerge.poll(ours, 10);
                assertTrue(System.nanoTime() < deadline, () -> "not merged in time: " + replayMerge + ", " +
                    nativeReplayMerge + ", published " + publisher.published);
                if (0 == fragments)
                {
                    Thread.onSpinWait();
                }
            }
            assertTrue(nativeReplayMerge.isLiveAdded());
            assertFalse(nativeReplayMerge.hasFailed());
            final NativeImage image = nativeReplayMerge.image();
            assertEquals(replayMerge.image().sessionId(), image.sessionId());
            assertEquals(replayMerge.image().joinPosition(), image.joinPosition());
            assertFalse(image.isClosed());

            final long finalCount = publisher.published + 500;
            final long liveDeadline = System.nanoTime() + DEADLINE_NS;
            while (reference.sequences.size() < finalCount || ours.sequences.size() < finalCount)
            {
                if (publisher.published < finalCount)
                {
                    publisher.offerNext();
                }
                replayMerge.poll(reference, 10);
                nativeReplayMerge.poll(ours, 10);
                assertTrue(System.nanoTime() < liveDeadline, () -> "live messages did not all arrive: expected " +
                    finalCount + ", published " + publisher.published + ", reference " + reference.sequences.size() +
                    ", ours " + ours.sequences.size() + ", " + replayMerge + ", " + nativeReplayMerge);
            }
            assertEquals(finalCount, ours.sequences.size());
            for (int i = 0; i < finalCount; i++)
            {
                assertEquals(i, ours.sequences.getLong(i), "native sequence at " + i);
            }
            assertEquals(reference.sequences, ours.sequences);

            // The live stream ends: ReplayMerge keeps naming its image, closed, and so must NativeReplayMerge.
            publication.close();
            final long closeDeadline = System.nanoTime() + DEADLINE_NS;
            while (!replayMerge.image().isClosed() || !image.isClosed())
            {
                replayMerge.poll(reference, 10);
                nativeReplayMerge.poll(ours, 10);
                assertTrue(System.nanoTime() < closeDeadline, "the merged images did not close");
            }
            assertSame(image, nativeReplayMerge.image());
            assertTrue(nativeReplayMerge.isMerged());
            assertFalse(nativeReplayMerge.hasFailed());
        }
    }

    @Test
    void aClosedMergeAnswersAsAClosedReplayMergeAndRefusesWork()
    {
        final NativeSubscription nativeSubscription =
            driver.nativeAeron().addSubscription("aeron:udp?control-mode=manual", STREAM_ID);
        final NativeReplayMerge merge = new NativeReplayMerge(nativeSubscription, nativeArchive, "aeron:udp",
            "aeron:udp?endpoint=localhost:0", "aeron:udp?endpoint=localhost:0|control=localhost:20001", 0, 0);
        merge.close();
        merge.close();
        assertThrows(IllegalStateException.class, merge::doWork);
        assertThrows(IllegalStateException.class, merge::image);
        assertThrows(IllegalStateException.class, () -> merge.poll((buffer, offset, length, header) -> {}, 10));
        assertFalse(merge.isMerged());
        assertFalse(merge.hasFailed());
        assertFalse(merge.isLiveAdded());
        assertEquals("NativeReplayMerge{state=CLOSED}", merge.toString());
    }

    @Test
    void anUnknownRecordingFailsAsAeronReplayMergeFails()
    {
        final NativeSubscription nativeSubscription =
            driver.nativeAeron().addSubscription("aeron:udp?control-mode=manual", STREAM_ID);
        try (NativeReplayMerge merge = new NativeReplayMerge(nativeSubscription, nativeArchive, "aeron:udp",
            "aeron:udp?endpoint=localhost:0", "aeron:udp?endpoint=localhost:0|control=localhost:20001", 987654321, 0))
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final NativeArchiveException failure = assertThrows(NativeArchiveException.class, () ->
            {
                while (System.nanoTime() < deadline)
                {
                    merge.doWork();
                }
            });
            assertTrue(merge.hasFailed());
            assertFalse(merge.isMerged());
            assertEquals(ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING, failure.nativeCode());
            assertEquals(ArchiveException.UNKNOWN_RECORDING, failure.errorCode());
            assertTrue(failure.getMessage().contains("987654321"), failure.getMessage());
            assertEquals(0, merge.doWork());
        }
    }

    @Test
    void refusesWhatReplayMergeRefuses()
    {
        final NativeSubscription plain =
            driver.nativeAeron().addSubscription("aeron:udp?endpoint=localhost:0", STREAM_ID);
        final IllegalArgumentException notManual = assertThrows(IllegalArgumentException.class, () -> new NativeReplayMerge(
            plain, nativeArchive, "aeron:udp", "aeron:udp?endpoint=localhost:0", "aeron:udp?endpoint=localhost:0", 0, 0));
        assertTrue(notManual.getMessage().contains("control-mode=manual"), notManual.getMessage());
        assertThrows(NullPointerException.class, () -> new NativeReplayMerge(
            plain, nativeArchive, null, "aeron:udp?endpoint=localhost:0", "aeron:udp?endpoint=localhost:0", 0, 0));
        plain.close();
        assertThrows(IllegalStateException.class, () -> new NativeReplayMerge(
            plain, nativeArchive, "aeron:udp", "aeron:udp?endpoint=localhost:0", "aeron:udp?endpoint=localhost:0", 0, 0));
    }

    private static final class Publisher
    {
        private final ExclusivePublication publication;
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(MESSAGE_LENGTH);
        long published;

        Publisher(final ExclusivePublication publication)
        {
            this.publication = publication;
        }

        void offerNext()
        {
            buffer.putLong(0, published);
            if (publication.offer(buffer, 0, MESSAGE_LENGTH) > 0)
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

    private static final class Received implements FragmentHandler
    {
        final LongArrayList sequences = new LongArrayList();

        public void onFragment(
            final org.agrona.DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header h)
        {
            sequences.addLong(length == MESSAGE_LENGTH ? buffer.getLong(offset) : -1);
        }
    }
}
