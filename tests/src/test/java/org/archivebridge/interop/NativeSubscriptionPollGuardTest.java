package org.archivebridge.interop;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.NativeImage;
import org.archivebridge.NativeSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativeSubscription's polls read cached image refs without a call into the C core while the images stay the same.
 * These tests make the images go (a publisher closing, the client closing without a resource linger) while a poll is
 * reading, and read every byte of the term after they went: a read of an unmapped term kills the JVM (SIGSEGV), so a
 * core that unmaps under a running poll fails them by crashing. No timing is asserted.
 */
class NativeSubscriptionPollGuardTest
{
    private static final String IPC = "aeron:ipc?term-length=64k";
    private static final int PAYLOAD = 100;
    private static final long TIMEOUT_MS = 30_000;
    private static MediaDriver driver;
    private static Aeron javaAeron;
    private static String dir;
    private static int nextStreamId = 7001;

    @BeforeAll
    static void start()
    {
        dir = "/dev/shm/abr-pollguard-" + UUID.randomUUID().toString().substring(0, 8);
        // A fast timer and short lingers and liveness, so that images go within a fraction of a second.
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(10))
            .publicationLingerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(10))
            .imageLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        javaAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(javaAeron, driver);
    }

    private static NativeAeron connectWithoutLinger()
    {
        return NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir).resourceLingerDurationNs(0));
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() < deadline, "timed out: " + what);
            Thread.yield();
        }
    }

    private static void offer(final ExclusivePublication publication, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PAYLOAD]);
        for (int i = 0; i < count; i++)
        {
            buffer.putInt(0, i + 1);
            await(() -> publication.offer(buffer, 0, PAYLOAD) > 0, "offer");
        }
    }

    /* Every byte of the term the fragment is in. */
    private static long readWholeTerm(final DirectBuffer term)
    {
        long sum = 0;
        for (int i = 0; i < term.capacity(); i += Long.BYTES)
        {
            sum += term.getLong(i);
        }
        return sum;
    }

    @Test
    void aPollLoopKeepsReadingWhileImagesComeAndGoUnderIt() throws Exception
    {
        final int streamId = nextStreamId++;
        final AtomicInteger fragments = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong polls = new AtomicLong();
        try (NativeAeron nativeAeron = connectWithoutLinger();
            NativeSubscription subscription = nativeAeron.addSubscription(IPC, streamId))
        {
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                readWholeTerm(buffer);
                fragments.incrementAndGet();
            };
            final Thread poller = new Thread(() ->
            {
                try
                {
                    while (!stop.get())
                    {
                        subscription.poll(handler, 10);
                        polls.incrementAndGet();
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "poll-loop");
            poller.start();
            for (int round = 0; round < 30; round++)
            {
                final int before = fragments.get();
                try (ExclusivePublication publication = javaAeron.addExclusivePublication(IPC, streamId))
                {
                    await(() -> 1 == subscription.imageCount(), "image of round " + round);
                    offer(publication, 5);
                    await(() -> fragments.get() == before + 5, "fragments of round " + round);
                }
                await(() -> 0 == subscription.imageCount() || null != failure.get(), "image gone, round " + round);
            }
            stop.set(true);
            poller.join(TIMEOUT_MS);
            assertNull(failure.get());
            assertEquals(150, fragments.get());
            assertTrue(polls.get() > 30);
        }
    }

    @Test
    void anImageThatGoesWhileAHandlerRunsStaysMappedUntilThePollReturns() throws Exception
    {
        final int streamId = nextStreamId++;
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch gone = new CountDownLatch(1);
        try (NativeAeron nativeAeron = connectWithoutLinger();
            NativeSubscription subscription = nativeAeron.addSubscription(
                IPC, streamId, (image) -> {}, (image) -> gone.countDown()))
        {
            final ExclusivePublication publication = javaAeron.addExclusivePublication(IPC, streamId);
            await(() -> 1 == subscription.imageCount(), "image");
            offer(publication, 1);
            final NativeImage image = subscription.imageBySessionId(publication.sessionId());
            final AtomicLong sum = new AtomicLong();
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                // A closed IPC publication's image goes once its subscriber has read everything: say so now.
                image.position(header.position());
                inHandler.countDown();
                try
                {
                    assertTrue(gone.await(TIMEOUT_MS, TimeUnit.MILLISECONDS), "image gone");
                    // Many of the core's duty cycles: each would unmap the image but for this poll.
                    Thread.sleep(100);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
                sum.set(readWholeTerm(buffer));
            };
            final Thread closer = new Thread(() ->
            {
                try
                {
                    inHandler.await();
                    publication.close();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            closer.start();
            await(() -> 1 == subscription.poll(handler, 1), "the fragment");
            closer.join(TIMEOUT_MS);
            assertTrue(sum.get() != 0);
            await(() -> 0 == subscription.imageCount(), "image gone from the list");
            assertEquals(0, subscription.poll(handler, 1));
        }
    }

    @Test
    void aClientClosedWithoutLingerWhileAHandlerRunsKeepsTheTermMappedUntilThePollReturns() throws Exception
    {
        final int streamId = nextStreamId++;
        final NativeAeron nativeAeron = connectWithoutLinger();
        try (ExclusivePublication publication = javaAeron.addExclusivePublication(IPC, streamId))
        {
            final NativeSubscription subscription = nativeAeron.addSubscription(IPC, streamId);
            await(() -> 1 == subscription.imageCount(), "image");
            offer(publication, 1);
            final AtomicLong sum = new AtomicLong();
            final CountDownLatch inHandler = new CountDownLatch(1);
            final CountDownLatch closed = new CountDownLatch(1);
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                inHandler.countDown();
                try
                {
                    assertTrue(closed.await(TIMEOUT_MS, TimeUnit.MILLISECONDS), "client closed");
                    Thread.sleep(100);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
                sum.set(readWholeTerm(buffer));
            };
            final Thread closer = new Thread(() ->
            {
                try
                {
                    inHandler.await();
                    nativeAeron.close();
                    closed.countDown();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            closer.start();
            await(() -> 1 == subscription.poll(handler, 1), "the fragment");
            closer.join(TIMEOUT_MS);
            assertTrue(sum.get() != 0);
            assertThrows(IllegalStateException.class, () -> subscription.poll(handler, 1));
        }
    }

    @Test
    void aPollFromAHandlerOfTheSameSubscriptionOrOfItsImageIsRefused()
    {
        final int streamId = nextStreamId++;
        try (NativeAeron nativeAeron = connectWithoutLinger();
            NativeSubscription subscription = nativeAeron.addSubscription(IPC, streamId);
            ExclusivePublication publication = javaAeron.addExclusivePublication(IPC, streamId))
        {
            await(() -> 1 == subscription.imageCount(), "image");
            offer(publication, 2);
            final NativeImage image = subscription.imageBySessionId(publication.sessionId());
            final AtomicReference<Throwable> nested = new AtomicReference<>();
            await(() -> 1 == subscription.poll((buffer, offset, length, header) ->
                nested.set(assertThrows(NativeArchiveException.class, () -> subscription.poll((b, o, l, h) -> {}, 1))),
                1), "first fragment");
            assertTrue(nested.get().getMessage().contains("poll handler"), nested.get().getMessage());
            nested.set(null);
            await(() -> 1 == subscription.poll((buffer, offset, length, header) ->
                nested.set(assertThrows(IllegalStateException.class, () -> image.poll((b, o, l, h) -> {}, 1))),
                1), "second fragment");
            assertTrue(nested.get().getMessage().contains("poll handler"), nested.get().getMessage());
            nested.set(null);
            offer(publication, 1);
            await(() -> 1 == image.poll((buffer, offset, length, header) ->
                nested.set(assertThrows(NativeArchiveException.class, () -> subscription.poll((b, o, l, h) -> {}, 1))),
                1), "third fragment");
            assertTrue(nested.get().getMessage().contains("poll handler"), nested.get().getMessage());
        }
    }
}
