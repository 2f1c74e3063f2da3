package org.archivebridge.interop;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativePublication;
import org.archivebridge.NativeSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java API over archive-bridge's C client core, against a real Java Media Driver: Aeron's Java client publishes
 * and our NativeSubscription receives, and the reverse, over IPC and UDP, at the sizes that cross frame boundaries;
 * a long run in order; and the bad input a user can pass.
 */
class NativeAeronInteropTest
{
    private static final int MTU = 1408;
    private static final int HEADER = 32;
    private static final int[] SIZES = { 0, 1, 100, MTU - HEADER, MTU, 3 * MTU, 64 * 1024 };
    private static final long TIMEOUT_MS = 10_000;
    private static MediaDriver driver;
    private static Aeron javaAeron;
    private static NativeAeron nativeAeron;
    private static int nextStreamId = 5001;

    @BeforeAll
    static void start()
    {
        final String dir = "/dev/shm/abr-interop-" + UUID.randomUUID().toString().substring(0, 8);
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .publicationTermBufferLength(1024 * 1024)
            .ipcTermBufferLength(1024 * 1024));
        javaAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(nativeAeron, javaAeron, driver);
    }

    private static String channel(final String transport)
    {
        return "ipc".equals(transport) ? "aeron:ipc" : "aeron:udp?endpoint=localhost:" + (24500 + nextStreamId % 1000);
    }

    private static byte[] message(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
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

    @ParameterizedTest
    @ValueSource(strings = { "ipc", "udp" })
    void javaPublishesAndNativeSubscriptionReceivesEverySize(final String transport)
    {
        final int streamId = nextStreamId++;
        final String channel = channel(transport);
        try (NativeSubscription subscription = nativeAeron.addSubscription(channel, streamId);
            Publication publication = javaAeron.addPublication(channel, streamId))
        {
            await(() -> publication.isConnected() && subscription.isConnected(), () -> { }, "connected");
            final List<byte[]> received = new ArrayList<>();
            final FragmentHandler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            {
                assertEquals(streamId, header.streamId());
                assertEquals(publication.sessionId(), header.sessionId());
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                received.add(bytes);
            });
            for (int i = 0; i < SIZES.length; i++)
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(message(SIZES[i], i));
                await(() -> publication.offer(buffer, 0, buffer.capacity()) > 0, () -> { }, "offer " + buffer.capacity());
            }
            await(() -> received.size() == SIZES.length, () -> subscription.poll(assembler, 10), "all sizes received");
            for (int i = 0; i < SIZES.length; i++)
            {
                assertArrayEquals(message(SIZES[i], i), received.get(i), "message of " + SIZES[i] + " bytes");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "ipc", "udp", "ipc-exclusive", "udp-exclusive" })
    void nativePublicationReachesJavaSubscriptionAtEverySize(final String kind)
    {
        final int streamId = nextStreamId++;
        final String channel = channel(kind.substring(0, 3));
        try (Subscription subscription = javaAeron.addSubscription(channel, streamId);
            NativePublication publication = kind.endsWith("exclusive") ?
                nativeAeron.addExclusivePublication(channel, streamId) : nativeAeron.addPublication(channel, streamId))
        {
            await(() -> publication.isConnected() && subscription.isConnected(), () -> { }, "connected");
            final List<byte[]> received = new ArrayList<>();
            final FragmentHandler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            {
                assertEquals(publication.sessionId(), header.sessionId());
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                received.add(bytes);
            });
            for (int i = 0; i < SIZES.length; i++)
            {
                // Heap and off-heap buffers take different paths into C: alternate them.
                final byte[] bytes = message(SIZES[i], i);
                final DirectBuffer buffer = i % 2 == 0 ? new UnsafeBuffer(bytes) : direct(bytes);
                await(() -> publication.offer(buffer, 0, bytes.length) > 0, () -> { }, "offer " + bytes.length);
            }
            await(() -> received.size() == SIZES.length, () -> subscription.poll(assembler, 10), "all sizes received");
            for (int i = 0; i < SIZES.length; i++)
            {
                assertArrayEquals(message(SIZES[i], i), received.get(i), "message of " + SIZES[i] + " bytes");
            }
        }
    }

    private static DirectBuffer direct(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, bytes.length)), 0,
            bytes.length);
        buffer.putBytes(0, bytes);
        return buffer;
    }

    @Test
    void oneMillionSmallMessagesArriveInOrderWithoutLossOrDuplication()
    {
        final int count = 1_000_000;
        final int streamId = nextStreamId++;
        try (NativeSubscription subscription = nativeAeron.addSubscription("aeron:ipc", streamId);
            NativePublication publication = nativeAeron.addExclusivePublication("aeron:ipc", streamId);
            Subscription javaSubscription = javaAeron.addSubscription("aeron:ipc", streamId))
        {
            await(() -> publication.isConnected() && subscription.isConnected() && javaSubscription.isConnected(),
                () -> { }, "connected");
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
            final long[] expected = { 0, 0 };
            // Each 32-byte message takes one aligned 64-byte frame, so the header's position after message n is
            // (n + 1) * 64; a header left pointing at a stale frame would fail these.
            final int frameLength = BitUtil.align(HEADER + 32, FrameDescriptor.FRAME_ALIGNMENT);
            final FragmentHandler nativeSide = (b, offset, length, header) ->
            {
                assertEquals(expected[0], b.getLong(offset), "native subscription sequence");
                assertEquals((expected[0] + 1) * frameLength, header.position(), "header position");
                assertEquals(FrameDescriptor.UNFRAGMENTED, header.flags(), "header flags");
                assertEquals(streamId, header.streamId(), "header stream id");
                assertEquals(publication.sessionId(), header.sessionId(), "header session id");
                assertEquals(32, length, "payload length");
                expected[0]++;
            };
            final FragmentHandler javaSide = (b, offset, length, header) ->
            {
                assertEquals(expected[1]++, b.getLong(offset), "Java subscription sequence");
            };
            long sent = 0;
            while (sent < count || expected[0] < count || expected[1] < count)
            {
                if (sent < count)
                {
                    buffer.putLong(0, sent);
                    if (publication.offer(buffer, 0, 32) > 0)
                    {
                        sent++;
                    }
                }
                subscription.poll(nativeSide, 100);
                javaSubscription.poll(javaSide, 100);
            }
            assertEquals(count, expected[0]);
            assertEquals(count, expected[1]);
            assertEquals(0, subscription.poll(nativeSide, 100), "nothing more, nothing twice");
        }
    }

    /*
     * The Java appenders and the Java poll at the term's end: 64 KiB terms, messages whose frames leave padding at
     * every term's end, some longer than the MTU (fragmented), from one thread (exclusive) or two at once (concurrent),
     * read by our subscription and by aeron-client's; both get every message whole, in each writer's order.
     */
    @ParameterizedTest
    @ValueSource(strings = { "exclusive", "concurrent" })
    void messagesAcrossTermEndsArriveWholeAndInOrderOnBothClients(final String kind) throws Exception
    {
        final int streamId = nextStreamId++;
        final String channel = "aeron:ipc?term-length=65536";
        final int writers = "concurrent".equals(kind) ? 2 : 1;
        final int perWriter = 1500;
        final int[] lengths = { 1000, 3 * MTU + 7, 17, 2 * MTU };
        try (NativeSubscription subscription = nativeAeron.addSubscription(channel, streamId);
            Subscription javaSubscription = javaAeron.addSubscription(channel, streamId);
            NativePublication publication = writers > 1 ?
                nativeAeron.addPublication(channel, streamId) : nativeAeron.addExclusivePublication(channel, streamId))
        {
            await(() -> publication.isConnected() && subscription.isConnected() && javaSubscription.isConnected(),
                () -> { }, "connected");
            final Thread[] threads = new Thread[writers];
            final Throwable[] failures = new Throwable[writers];
            for (int w = 0; w < writers; w++)
            {
                final int writer = w;
                threads[w] = new Thread(() ->
                {
                    try
                    {
                        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * MTU));
                        for (int i = 0; i < perWriter; i++)
                        {
                            final int length = lengths[i % lengths.length];
                            buffer.putInt(0, writer);
                            buffer.putInt(4, i);
                            buffer.putByte(length - 1, (byte)i);
                            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
                            long result;
                            while ((result = publication.offer(buffer, 0, length)) < 0)
                            {
                                assertTrue(result == NativePublication.BACK_PRESSURED ||
                                    result == NativePublication.ADMIN_ACTION, "offer result " + result);
                                assertTrue(System.currentTimeMillis() < deadline, "offer timed out");
                                Thread.yield();
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failures[writer] = ex;
                    }
                });
                threads[w].start();
            }

            final int[][] next = new int[2][writers];
            final long[] lastPosition = { 0 };
            final FragmentHandler nativeSide = new FragmentAssembler((buffer, offset, length, header) ->
            {
                check(next[0], buffer, offset, length, lengths);
                assertTrue(header.position() > lastPosition[0], "positions move forward");
                lastPosition[0] = header.position();
            });
            final FragmentHandler javaSide = new FragmentAssembler(
                (buffer, offset, length, header) -> check(next[1], buffer, offset, length, lengths));
            final long total = (long)writers * perWriter;
            await(() -> sum(next[0]) == total && sum(next[1]) == total,
                () ->
                {
                    subscription.poll(nativeSide, 7);
                    javaSubscription.poll(javaSide, 7);
                },
                "every message on both subscriptions");
            for (final Thread thread : threads)
            {
                thread.join();
            }
            for (final Throwable failure : failures)
            {
                assertEquals(null, failure);
            }
            assertEquals(publication.position(), lastPosition[0], "the last message ends at the publication's position");
            assertEquals(0, subscription.poll(nativeSide, 10), "nothing more, nothing twice");
        }
    }

    private static void check(
        final int[] next, final DirectBuffer buffer, final int offset, final int length, final int[] lengths)
    {
        final int writer = buffer.getInt(offset);
        final int sequence = buffer.getInt(offset + 4);
        assertEquals(next[writer], sequence, "writer " + writer + " in order");
        assertEquals(lengths[sequence % lengths.length], length, "length of message " + sequence);
        assertEquals((byte)sequence, buffer.getByte(offset + length - 1), "last byte of message " + sequence);
        next[writer]++;
    }

    private static long sum(final int[] counts)
    {
        long sum = 0;
        for (final int count : counts)
        {
            sum += count;
        }
        return sum;
    }

    /* A handler that throws: the exception reaches the caller, the fragment counts as consumed (as with
     * io.aeron.Subscription), the images are unlocked and the next poll goes on after it. */
    @Test
    void aHandlerThatThrowsConsumesItsFragmentAndLeavesTheSubscriptionUsable()
    {
        final int streamId = nextStreamId++;
        try (NativeSubscription subscription = nativeAeron.addSubscription("aeron:ipc", streamId);
            NativePublication publication = nativeAeron.addExclusivePublication("aeron:ipc", streamId))
        {
            await(() -> publication.isConnected() && subscription.isConnected(), () -> { }, "connected");
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8));
            for (int i = 0; i < 3; i++)
            {
                buffer.putLong(0, i);
                final long position = (i + 1) * 64L;
                await(() -> publication.offer(buffer, 0, 8) == position, () -> { }, "offer " + i);
            }
            final List<Long> seen = new ArrayList<>();
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                subscription.poll((b, offset, length, header) ->
                {
                    seen.add(b.getLong(offset));
                    if (b.getLong(offset) == 1)
                    {
                        throw new IllegalStateException("handler failed on 1");
                    }
                }, 10));
            assertEquals("handler failed on 1", thrown.getMessage());
            assertEquals(List.of(0L, 1L), seen);
            await(() -> seen.size() == 3, () -> subscription.poll((b, offset, length, header) ->
                seen.add(b.getLong(offset)), 10), "the rest");
            assertEquals(List.of(0L, 1L, 2L), seen);
        }
    }

    /* A concurrent publication on the same channel and stream shares the Java one's log: every fact must agree. */
    @Test
    void aPublicationAnswersAsAJavaPublicationOnTheSameLog()
    {
        final int streamId = nextStreamId++;
        final String channel = "aeron:ipc?term-length=128k";
        try (Publication reference = javaAeron.addPublication(channel, streamId);
            Subscription subscription = javaAeron.addSubscription(channel, streamId))
        {
            final NativePublication publication = nativeAeron.addPublication(channel, streamId);
            await(publication::isConnected, nativeAeron::doWork, "the native publication connects");
            assertEquals(reference.channel(), publication.channel());
            assertEquals(reference.streamId(), publication.streamId());
            assertEquals(reference.sessionId(), publication.sessionId());
            assertEquals(reference.initialTermId(), publication.initialTermId());
            assertEquals(reference.termBufferLength(), publication.termBufferLength());
            assertEquals(reference.maxPayloadLength(), publication.maxPayloadLength());
            assertEquals(reference.maxMessageLength(), publication.maxMessageLength());
            assertEquals(reference.channelStatus(), publication.channelStatus());
            assertNotEquals(reference.registrationId(), publication.registrationId());
            assertTrue(publication.registrationId() > 0);

            final UnsafeBuffer message = new UnsafeBuffer(new byte[40]);
            final long position = publication.offer(message);
            assertTrue(position > 0, "offer(buffer) sends the whole buffer: " + position);
            assertEquals(reference.position(), publication.position());
            // The driver may raise the shared limit counter between reads; it never lowers it.
            final long limitBefore = reference.positionLimit();
            final long limit = publication.positionLimit();
            assertTrue(limitBefore <= limit && limit <= reference.positionLimit(), "limit " + limit);
            assertThrows(NullPointerException.class, () -> publication.offer((DirectBuffer)null));
            final UnsafeBuffer big = new UnsafeBuffer(new byte[publication.maxMessageLength() + 1]);
            assertThrows(IllegalArgumentException.class, () -> publication.offer(big));

            publication.close();
            assertTrue(publication.isClosed());
            assertEquals(NativePublication.CLOSED, publication.offer(message));
            assertThrows(IllegalStateException.class, publication::channel);
            assertThrows(IllegalStateException.class, publication::positionLimit);
            assertThrows(IllegalStateException.class, publication::registrationId);
            assertThrows(IllegalStateException.class, publication::channelStatus);
            assertEquals(reference.maxPayloadLength(), publication.maxPayloadLength(), "a fact of the closed log");
        }
    }

    @Test
    void badInputIsAnExceptionOrACodeNeverACrash()
    {
        final int streamId = nextStreamId++;
        final NativePublication publication = nativeAeron.addPublication("aeron:ipc", streamId);
        final NativeSubscription subscription = nativeAeron.addSubscription("aeron:ipc", streamId);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

        assertThrows(NullPointerException.class, () -> publication.offer(null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> publication.offer(buffer, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> publication.offer(buffer, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> publication.offer(buffer, 60, 10));
        final UnsafeBuffer big = new UnsafeBuffer(new byte[publication.maxMessageLength() + 1]);
        assertThrows(IllegalArgumentException.class, () -> publication.offer(big, 0, big.capacity()));
        assertThrows(NullPointerException.class, () -> subscription.poll(null, 1));
        assertThrows(IllegalArgumentException.class, () -> subscription.poll((b, o, l, h) -> { }, 0));

        publication.close();
        publication.close();
        assertEquals(NativePublication.CLOSED, publication.offer(buffer, 0, 8));
        assertThrows(IllegalStateException.class, publication::position);
        subscription.close();
        subscription.close();
        assertThrows(IllegalStateException.class, () -> subscription.poll((b, o, l, h) -> { }, 1));
        assertFalse(nativeAeron.isClosed());
    }

    @Test
    void aClosedClientFailsCleanly()
    {
        final NativeAeron client = NativeAeron.connect(
            new NativeAeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final NativePublication publication = client.addPublication("aeron:ipc", nextStreamId);
        final NativeSubscription subscription = client.addSubscription("aeron:ipc", nextStreamId++);
        client.close();
        client.close();
        assertThrows(IllegalStateException.class,
            () -> publication.offer(new UnsafeBuffer(new byte[8]), 0, 8));
        assertThrows(IllegalStateException.class, () -> subscription.poll((b, o, l, h) -> { }, 1));
        assertThrows(IllegalStateException.class, () -> client.addSubscription("aeron:ipc", 1));
        publication.close();
        subscription.close();
    }

    /*
     * A client closed while other threads still offer and poll through it: each of those calls may be past its closed
     * check when the close lands, so the logs must still be mapped under it (the client releases them after the
     * resource linger). Every thread must end with CLOSED or an IllegalStateException, and the JVM must live.
     */
    @Test
    void aClientClosedWhileOtherThreadsOfferAndPollEndsThemCleanly() throws Exception
    {
        final int rounds = 20;
        for (int round = 0; round < rounds; round++)
        {
            final NativeAeron client = NativeAeron.connect(
                new NativeAeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            final int streamId = nextStreamId++;
            final NativeSubscription subscription = client.addSubscription("aeron:ipc", streamId);
            final NativePublication exclusive = client.addExclusivePublication("aeron:ipc", streamId);
            final NativePublication concurrent = client.addPublication("aeron:ipc", streamId);
            await(() -> subscription.imageCount() == 2, () -> { }, "the subscription sees both publications");

            final List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
            final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            final List<Thread> threads = List.of(
                offerUntilClosed(exclusive, calls, unexpected),
                offerUntilClosed(concurrent, calls, unexpected),
                new Thread(() ->
                {
                    try
                    {
                        while (true)
                        {
                            subscription.poll((buffer, offset, length, header) -> { }, 10);
                            calls.incrementAndGet();
                        }
                    }
                    catch (final IllegalStateException closed)
                    {
                        // The end this test expects.
                    }
                    catch (final Throwable other)
                    {
                        unexpected.add(other);
                    }
                }, "poller"));
            threads.forEach(Thread::start);
            final int callsBeforeClose = 1000 * (1 + round % 5);
            await(() -> calls.get() > callsBeforeClose, () -> { }, "the threads offer and poll");
            client.close();
            for (final Thread thread : threads)
            {
                thread.join(TIMEOUT_MS);
                assertFalse(thread.isAlive(), thread.getName() + " ended after the close");
            }
            assertEquals(List.of(), unexpected, "round " + round + ": every thread ended with CLOSED or closed");
            exclusive.close();
            concurrent.close();
            subscription.close();
        }
    }

    private static Thread offerUntilClosed(
        final NativePublication publication,
        final java.util.concurrent.atomic.AtomicInteger calls,
        final List<Throwable> unexpected)
    {
        return new Thread(() ->
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
            try
            {
                while (publication.offer(buffer, 0, buffer.capacity()) != Publication.CLOSED)
                {
                    calls.incrementAndGet();
                }
            }
            catch (final IllegalStateException closed)
            {
                // The other end this test expects.
            }
            catch (final Throwable other)
            {
                unexpected.add(other);
            }
        }, "offerer");
    }

    @Test
    void anInvokerModeClientRunsItsConductorFromDoWork()
    {
        final int streamId = nextStreamId++;
        try (NativeAeron client = NativeAeron.connect(new NativeAeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .useConductorAgentInvoker(true));
            NativeSubscription subscription = client.addSubscription("aeron:ipc", streamId);
            NativePublication publication = client.addExclusivePublication("aeron:ipc", streamId))
        {
            assertTrue(client.context().useConductorAgentInvoker());
            await(() -> publication.isConnected() && subscription.isConnected(), client::doWork, "connected");
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
            buffer.putLong(0, 42);
            await(() -> publication.offer(buffer, 0, 16) > 0, client::doWork, "offer");
            final long[] got = { -1 };
            await(() -> got[0] == 42,
                () ->
                {
                    client.doWork();
                    subscription.poll((b, o, l, h) -> got[0] = b.getLong(o), 10);
                },
                "received");
        }
    }

    @Test
    void connectingWithoutADriverIsAnExceptionNotAHang()
    {
        assertThrows(NullPointerException.class, () -> NativeAeron.connect(null));
        final String dir = "/dev/shm/abr-interop-none-" + UUID.randomUUID().toString().substring(0, 8);
        final long start = System.currentTimeMillis();
        final RuntimeException ex = assertThrows(RuntimeException.class,
            () -> NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir).driverTimeoutMs(500)));
        assertTrue(System.currentTimeMillis() - start < TIMEOUT_MS, "fails within the timeout");
        assertTrue(ex.getMessage().contains(dir) || ex.getMessage().toLowerCase().contains("driver"), ex.getMessage());
        assertFalse(Files.exists(Path.of(dir)), "connect does not create the driver's directory");
    }

    @Test
    void aSlowSubscriberBackPressuresTheNativePublicationAndLosesNothing()
    {
        final int streamId = nextStreamId++;
        final String channel = "aeron:ipc?term-length=65536";
        try (Subscription subscription = javaAeron.addSubscription(channel, streamId);
            NativePublication publication = nativeAeron.addExclusivePublication(channel, streamId))
        {
            await(() -> publication.isConnected() && subscription.isConnected(), () -> { }, "connected");
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
            long sent = 0;
            long result;
            do
            {
                buffer.putLong(0, sent);
                result = publication.offer(buffer, 0, 256);
                if (result > 0)
                {
                    sent++;
                }
            }
            while (result > 0);
            assertEquals(NativePublication.BACK_PRESSURED, result, "a subscriber that does not poll back pressures");

            final long[] next = { 0 };
            final FragmentHandler inOrder = (b, offset, length, header) ->
                assertEquals(next[0]++, b.getLong(offset), "in order after back pressure");
            final long total = sent + 1000;
            long offered = sent;
            while (next[0] < total)
            {
                if (offered < total)
                {
                    buffer.putLong(0, offered);
                    if (publication.offer(buffer, 0, 256) > 0)
                    {
                        offered++;
                    }
                }
                subscription.poll(inOrder, 1); // slow: one fragment at a time
            }
            assertEquals(total, next[0]);
        }
    }

    @Test
    void publishersClosingWhileSubscribersPollEndTheirImagesCleanly()
    {
        final int streamId = nextStreamId++;
        final NativeSubscription nativeSubscription = nativeAeron.addSubscription("aeron:ipc", streamId);
        final Subscription javaSubscription = javaAeron.addSubscription("aeron:ipc", streamId);
        final Publication javaPublication = javaAeron.addPublication("aeron:ipc", streamId);
        final NativePublication nativePublication = nativeAeron.addExclusivePublication("aeron:ipc", streamId);
        try
        {
            await(() -> nativeSubscription.imageCount() == 2 && javaSubscription.imageCount() == 2, () -> { },
                "both subscriptions see both publishers");
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            await(() -> javaPublication.offer(buffer, 0, 64) > 0, () -> { }, "java offer");
            await(() -> nativePublication.offer(buffer, 0, 64) > 0, () -> { }, "native offer");

            final int[] polled = { 0, 0 };
            javaPublication.close();
            nativePublication.close();
            await(() -> nativeSubscription.imageCount() == 0 && javaSubscription.imageCount() == 0,
                () ->
                {
                    polled[0] += nativeSubscription.poll((b, o, l, h) -> { }, 10);
                    polled[1] += javaSubscription.poll((b, o, l, h) -> { }, 10);
                },
                "the images go once their publishers closed");
            assertEquals(2, polled[0], "the native subscription still got what was sent before the close");
            assertEquals(2, polled[1], "the Java subscription still got what was sent before the close");
            assertEquals(0, nativeSubscription.poll((b, o, l, h) -> { }, 10));
        }
        finally
        {
            CloseHelper.closeAll(nativePublication, javaPublication, javaSubscription, nativeSubscription);
        }
    }

    @Test
    void aDriverKilledMidStreamIsAnErrorNotAHang() throws Exception
    {
        final String dir = "/dev/shm/abr-interop-kill-" + UUID.randomUUID().toString().substring(0, 8);
        final Process driverProcess = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Daeron.dir=" + dir,
            "-Daeron.dir.delete.on.start=true",
            "-Daeron.threading.mode=SHARED",
            "-cp", System.getProperty("java.class.path"),
            "io.aeron.driver.MediaDriver")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try
        {
            await(() -> Files.exists(Path.of(dir, "cnc.dat")), () -> { }, "the child driver starts");
            Thread.sleep(500);
            try (NativeAeron client = NativeAeron.connect(
                new NativeAeron.Context().aeronDirectoryName(dir).driverTimeoutMs(2000)))
            {
                final NativePublication publication = client.addExclusivePublication("aeron:ipc", 77);
                final NativeSubscription subscription = client.addSubscription("aeron:ipc", 77);
                final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
                await(publication::isConnected, () -> { }, "connected");

                driverProcess.destroyForcibly().waitFor();
                final long killedAt = System.currentTimeMillis();
                RuntimeException failure = null;
                while (null == failure && System.currentTimeMillis() - killedAt < 15_000)
                {
                    try
                    {
                        client.doWork();
                        publication.offer(buffer, 0, 32);
                        subscription.poll((b, o, l, h) -> { }, 10);
                        Thread.sleep(1);
                    }
                    catch (final RuntimeException ex)
                    {
                        failure = ex;
                    }
                }
                assertTrue(null != failure, "a call fails within 15 s of the driver's death");
                assertTrue(failure.getMessage().toLowerCase().contains("driver"), failure.getMessage());
            }
        }
        finally
        {
            driverProcess.destroyForcibly();
            deleteQuietly(Path.of(dir));
        }
    }

    private static void deleteQuietly(final Path dir) throws java.io.IOException
    {
        if (Files.exists(dir))
        {
            try (java.util.stream.Stream<Path> paths = Files.walk(dir))
            {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
            }
        }
    }
}
