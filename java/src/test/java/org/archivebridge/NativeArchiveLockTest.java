package org.archivebridge;

import io.aeron.archive.codecs.SourceLocation;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativeArchive.Context.lock as AeronArchive.Context.lock, against a Media Driver and Archive in this JVM: a NoOpLock
 * turns locking off for single-threaded use, a lock of the caller's is the one every call takes, null is the
 * client's own re-entrant lock, and calls from a listing's consumers are refused whatever the lock.
 */
class NativeArchiveLockTest
{
    private static final int STREAM_ID = 1201;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @RegisterExtension
    final InJvmDriver driver = InJvmDriver.archivingMediaDriver();

    @Test
    void aNoOpLockServesOneThreadThroughConnectRecordListAndClose()
    {
        final NoOpLock noOpLock = new NoOpLock();
        final NativeArchive.Context context = driver.nativeArchiveContext().lock(noOpLock);
        assertSame(noOpLock, context.lock());
        try (NativeArchive archive = NativeArchive.connect(context))
        {
            recordAndList(archive);
        }
    }

    @Test
    void aLockOfTheCallersIsTheOneEveryCallTakes()
    {
        final CountingLock lock = new CountingLock();
        try (NativeArchive archive = NativeArchive.connect(driver.nativeArchiveContext().lock(lock)))
        {
            final int afterConnect = lock.locks.get();
            recordAndList(archive);
            assertTrue(lock.locks.get() > afterConnect + 3, () -> "locks taken: " + lock.locks);
            assertEquals(lock.locks.get(), lock.unlocks.get());
            assertEquals(0, lock.getHoldCount());
        }
        assertEquals(lock.locks.get(), lock.unlocks.get());
    }

    @Test
    void noLockMeansTheClientsOwnReentrantLock()
    {
        final NativeArchive.Context context = driver.nativeArchiveContext().lock(new CountingLock()).lock(null);
        assertNull(context.lock());
        try (NativeArchive archive = NativeArchive.connect(context))
        {
            recordAndList(archive);
        }
    }

    @Test
    void aListingConsumerThatCallsTheClientIsRefusedWithANoOpLock()
    {
        try (NativeArchive archive = NativeArchive.connect(driver.nativeArchiveContext().lock(new NoOpLock())))
        {
            final long recordingId = recordAndList(archive);
            final List<AeronException> refused = new ArrayList<>();
            archive.listRecording(recordingId,
                (controlSessionId, correlationId, id, startTimestamp, stopTimestamp, startPosition, stopPosition,
                initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel,
                originalChannel, sourceIdentity) ->
                refused.add(assertThrows(AeronException.class, () -> archive.getRecordingPosition(id))));
            assertEquals(1, refused.size());
            assertEquals("ERROR - reentrant calls not permitted during callbacks", refused.get(0).getMessage());
            // The client is still usable after the refused call.
            assertEquals(NativeArchive.NULL_POSITION, archive.getRecordingPosition(recordingId));
        }
    }

    /* Record a few messages, stop, and list the recording: the id of the recording. */
    private long recordAndList(final NativeArchive archive)
    {
        final String channel = "aeron:ipc?term-length=64k";
        final long subscriptionId = archive.startRecording(channel, STREAM_ID, SourceLocation.LOCAL);
        long recordingId;
        try (NativePublication publication = driver.nativeAeron().addPublication(channel, STREAM_ID))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            int sent = 0;
            while (sent < 10)
            {
                if (publication.offer(message, 0, message.capacity()) > 0)
                {
                    sent++;
                }
                assertTrue(System.nanoTime() < deadline, "not published in time");
            }
            final long endPosition = publication.position();
            recordingId = NativeArchive.NULL_VALUE;
            while (NativeArchive.NULL_VALUE == recordingId ||
                archive.getRecordingPosition(recordingId) < endPosition)
            {
                recordingId = archive.findLastMatchingRecording(0, "aeron:ipc", STREAM_ID, publication.sessionId());
                assertTrue(System.nanoTime() < deadline, "not recorded in time");
            }
        }
        archive.stopRecording(subscriptionId);
        final long[] listed = new long[1];
        assertEquals(1, archive.listRecording(recordingId,
            (controlSessionId, correlationId, id, startTimestamp, stopTimestamp, startPosition, stopPosition,
            initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel,
            originalChannel, sourceIdentity) -> listed[0] = stopPosition));
        assertTrue(listed[0] > 0, () -> "stop position " + listed[0]);
        return recordingId;
    }

    private static final class CountingLock extends ReentrantLock
    {
        private final AtomicInteger locks = new AtomicInteger();
        private final AtomicInteger unlocks = new AtomicInteger();

        public void lock()
        {
            locks.incrementAndGet();
            super.lock();
        }

        public void unlock()
        {
            unlocks.incrementAndGet();
            super.unlock();
        }
    }
}
