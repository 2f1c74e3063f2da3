package org.archivebridge.interop;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeImage;
import org.archivebridge.NativeSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativeImage beside io.aeron.Image: a Java publisher's stream read by a NativeSubscription and by an Aeron
 * Subscription of the same driver, the image-level answers compared call by call: fixed properties, polls (plain,
 * bounded, controlled with each action), moving the position, end of stream, and the image closed under its holder.
 */
class NativeImageTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    /* A 100-byte payload takes a 132-byte frame, 160 bytes aligned. */
    private static final int PAYLOAD = 100;
    private static final int STEP = 160;
    private static final long TIMEOUT_MS = 20_000;
    private static MediaDriver driver;
    private static Aeron javaAeron;
    private static NativeAeron nativeAeron;
    private static int nextStreamId = 6001;

    @BeforeAll
    static void start()
    {
        final String dir = "/dev/shm/abr-image-" + UUID.randomUUID().toString().substring(0, 8);
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        javaAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(nativeAeron, javaAeron, driver);
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

    private static void offer(final Publication publication, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PAYLOAD]);
        for (int i = 0; i < count; i++)
        {
            buffer.putInt(0, i + 1);
            await(() -> publication.offer(buffer, 0, PAYLOAD) > 0, "offer");
        }
    }

    @Test
    void anImageAnswersAsAeronsImageOfTheSameStream()
    {
        final int streamId = nextStreamId++;
        final List<NativeImage> available = new CopyOnWriteArrayList<>();
        final List<NativeImage> unavailable = new CopyOnWriteArrayList<>();
        try (NativeSubscription subscription = nativeAeron.addSubscription(
                CHANNEL, streamId, available::add, unavailable::add);
            Subscription reference = javaAeron.addSubscription(CHANNEL, streamId);
            Publication publication = javaAeron.addExclusivePublication(CHANNEL, streamId))
        {
            await(() -> 1 == available.size() && reference.isConnected(), "images");
            final Image expected = reference.imageBySessionId(publication.sessionId());
            final NativeImage image = subscription.imageBySessionId(publication.sessionId());
            assertNotNull(image);
            assertEquals(available.get(0).correlationId(), image.correlationId());
            assertEquals(expected.sessionId(), image.sessionId());
            assertEquals(expected.joinPosition(), image.joinPosition());
            assertEquals(expected.sourceIdentity(), image.sourceIdentity());
            assertEquals(expected.termBufferLength(), image.termBufferLength());
            assertEquals(expected.mtuLength(), image.mtuLength());
            assertEquals(expected.initialTermId(), image.initialTermId());
            assertEquals(expected.isClosed(), image.isClosed());
            assertEquals(image.correlationId(), subscription.imageAtIndex(0).correlationId());
            assertEquals(1, subscription.images().size());
            assertNull(subscription.imageBySessionId(publication.sessionId() + 1));
            assertThrows(IndexOutOfBoundsException.class, () -> subscription.imageAtIndex(1));
            assertThrows(IndexOutOfBoundsException.class, () -> subscription.imageAtIndex(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> subscription.imageAtIndex(Integer.MIN_VALUE));

            offer(publication, 10);
            final List<Integer> seen = new ArrayList<>();
            final List<Integer> seenByReference = new ArrayList<>();
            await(() ->
            {
                image.poll((buffer, offset, length, header) ->
                {
                    assertSame(image, header.context());
                    seen.add(buffer.getInt(offset));
                }, 2 - seen.size());
                return 2 == seen.size();
            }, "poll");
            await(() ->
            {
                expected.poll((buffer, offset, length, header) -> seenByReference.add(buffer.getInt(offset)),
                    2 - seenByReference.size());
                return 2 == seenByReference.size();
            }, "reference poll");
            assertEquals(seenByReference, seen);
            assertEquals(expected.position(), image.position());

            // Bounded: nothing at or before the limit, a fragment starting before it is read whole.
            for (final long limit : new long[] { 2 * STEP, -1, Long.MIN_VALUE })
            {
                assertEquals(
                    expected.boundedPoll((b, o, l, h) -> { }, limit, 10), image.boundedPoll((b, o, l, h) -> { }, limit, 10));
            }
            assertEquals(expected.boundedPoll((b, o, l, h) -> { }, 2 * STEP + 1, 10),
                image.boundedPoll((buffer, offset, length, header) -> seen.add(buffer.getInt(offset)), 2 * STEP + 1, 10));
            assertEquals(expected.position(), image.position());

            // Controlled, one action after another, on both.
            for (final Action action : new Action[] { Action.ABORT, Action.BREAK, Action.COMMIT, Action.CONTINUE })
            {
                assertEquals(expected.controlledPoll((b, o, l, h) -> action, 2),
                    image.controlledPoll((b, o, l, h) -> action, 2), action.name());
                assertEquals(expected.position(), image.position(), action.name());
            }
            assertEquals(expected.boundedControlledPoll((b, o, l, h) -> Action.COMMIT, expected.position() + 1, 10),
                image.boundedControlledPoll((b, o, l, h) -> Action.COMMIT, image.position() + 1, 10));
            assertEquals(expected.position(), image.position());

            // Moving the position: the same values refused and allowed as Image.position(long).
            final long current = image.position();
            for (final long refused : new long[] { -1, current - STEP, current + 1, current + 16, 65536 + 32,
                Long.MAX_VALUE, Long.MIN_VALUE })
            {
                assertThrows(IllegalArgumentException.class, () -> expected.position(refused), "reference " + refused);
                assertThrows(IllegalArgumentException.class, () -> image.position(refused), Long.toString(refused));
            }
            expected.position(current + STEP);
            image.position(current + STEP);
            assertEquals(expected.position(), image.position());
            final List<Integer> rest = new ArrayList<>();
            final List<Integer> restByReference = new ArrayList<>();
            image.poll((buffer, offset, length, header) -> rest.add(buffer.getInt(offset)), 10);
            expected.poll((buffer, offset, length, header) -> restByReference.add(buffer.getInt(offset)), 10);
            assertEquals(restByReference, rest);

            // Read from within its own poll: the position; polling it again there is refused.
            offer(publication, 1);
            final AtomicReference<Throwable> nested = new AtomicReference<>();
            final long[] inside = new long[1];
            await(() -> 1 == image.poll((buffer, offset, length, header) ->
            {
                inside[0] = image.position();
                nested.set(assertThrows(IllegalStateException.class, () -> image.poll((b, o, l, h) -> { }, 1)));
            }, 1), "poll with callbacks");
            assertEquals(10 * STEP, inside[0]);
            assertNotNull(nested.get());
            await(() -> 1 == expected.poll((b, o, l, h) -> { }, 1), "reference catches up");

            // End of stream, then the image goes; a kept NativeImage answers as a closed Image.
            publication.close();
            await(() -> expected.isEndOfStream() && image.isEndOfStream(), "end of stream");
            await(() -> image.isClosed() && expected.isClosed(), "closed");
            assertEquals(expected.position(), image.position());
            assertEquals(expected.isEndOfStream(), image.isEndOfStream());
            assertEquals(0, image.poll((b, o, l, h) -> { }, 10));
            assertEquals(0, image.controlledPoll((b, o, l, h) -> Action.CONTINUE, 10));
            image.position(image.position() + STEP);
            assertEquals(expected.position(), image.position());
            await(() -> 1 == unavailable.size(), "unavailable handler");
            assertTrue(unavailable.get(0).isClosed());
            assertEquals(image.correlationId(), unavailable.get(0).correlationId());
            assertEquals(expected.position(), unavailable.get(0).position());
            assertTrue(unavailable.get(0).isEndOfStream());
            assertEquals(0, subscription.images().size());
        }
    }

    @Test
    void closingTheSubscriptionUnderAPollingThreadClosesItsImagesCleanly() throws InterruptedException
    {
        for (int round = 0; round < 20; round++)
        {
            final int streamId = nextStreamId++;
            final List<NativeImage> unavailable = new CopyOnWriteArrayList<>();
            final NativeSubscription subscription = nativeAeron.addSubscription(CHANNEL, streamId, null, unavailable::add);
            try (Publication publication = javaAeron.addExclusivePublication(CHANNEL, streamId))
            {
                await(() -> 1 == subscription.imageCount(), "image");
                final NativeImage image = subscription.imageAtIndex(0);
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final AtomicBoolean stop = new AtomicBoolean();
                final Thread poller = new Thread(() ->
                {
                    try
                    {
                        while (!stop.get())
                        {
                            image.poll((b, o, l, h) -> { }, 10);
                            image.position();
                            image.isEndOfStream();
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.set(ex);
                    }
                });
                poller.start();
                offer(publication, round);
                subscription.close();
                stop.set(true);
                poller.join();
                assertNull(failure.get());
                assertTrue(image.isClosed());
                assertEquals(0, image.poll((b, o, l, h) -> { }, 10));
                assertEquals(1, unavailable.size());
                assertEquals(image.correlationId(), unavailable.get(0).correlationId());
                assertThrows(IllegalStateException.class, () -> subscription.imageBySessionId(publication.sessionId()));
                assertThrows(IllegalStateException.class, subscription::images);
            }
        }
    }

    @Test
    void badArgumentsAreRefused()
    {
        final int streamId = nextStreamId++;
        try (NativeSubscription subscription = nativeAeron.addSubscription(CHANNEL, streamId, null, null);
            Publication publication = javaAeron.addExclusivePublication(CHANNEL, streamId))
        {
            await(() -> 1 == subscription.imageCount(), "image");
            final NativeImage image = subscription.imageAtIndex(0);
            assertThrows(NullPointerException.class, () -> image.poll(null, 1));
            assertThrows(NullPointerException.class, () -> image.controlledPoll(null, 1));
            assertThrows(NullPointerException.class, () -> image.boundedPoll(null, 0, 1));
            assertThrows(NullPointerException.class, () -> image.boundedControlledPoll(null, 0, 1));
            offer(publication, 1);
            assertEquals(0, image.poll((b, o, l, h) -> { }, 0));
            assertEquals(0, image.poll((b, o, l, h) -> { }, Integer.MIN_VALUE));
            assertEquals(0, image.position());
            for (final int sessionId : new int[] { 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE })
            {
                if (sessionId != publication.sessionId())
                {
                    assertNull(subscription.imageBySessionId(sessionId));
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> subscription.imageAtIndex(Integer.MAX_VALUE));
        }
    }

    @Test
    void aThrowingImageHandlerDoesNotStopTheClient()
    {
        final int streamId = nextStreamId++;
        final AtomicBoolean called = new AtomicBoolean();
        try (NativeSubscription subscription = nativeAeron.addSubscription(CHANNEL, streamId, image ->
            {
                called.set(true);
                throw new IllegalStateException("handler failure the client must survive");
            }, null);
            Publication publication = javaAeron.addExclusivePublication(CHANNEL, streamId))
        {
            await(() -> called.get() && 1 == subscription.imageCount(), "handler called");
            offer(publication, 1);
            final NativeImage image = subscription.imageBySessionId(publication.sessionId());
            await(() -> 1 == image.poll((b, o, l, h) -> { }, 1), "poll after the handler threw");
            assertFalse(nativeAeron.isClosed());
        }
    }
}
