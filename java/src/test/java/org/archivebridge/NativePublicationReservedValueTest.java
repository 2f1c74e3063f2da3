package org.archivebridge;

import io.aeron.DirectBufferVector;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offers with a ReservedValueSupplier, two buffers and vectors, beside io.aeron.Publication's on a stream of its
 * own, read frame by frame (no assembler) by an Aeron subscription after each offer: the same frames (flags, length, payload) with the
 * same reserved values in their headers, and the supplier called as often, with the same frame lengths, for
 * unfragmented and fragmented messages, on exclusive and concurrent publications.
 */
class NativePublicationReservedValueTest
{
    private static final String IPC = "aeron:ipc?term-length=256k|mtu=1408";
    private static final int JAVA_STREAM_ID = 1501;
    private static final int NATIVE_STREAM_ID = 1502;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @RegisterExtension
    final InJvmDriver driver = InJvmDriver.mediaDriver();

    private Subscription referenceSubscription;
    private Subscription ourSubscription;
    private final List<String> referenceFrames = new ArrayList<>();
    private final List<String> ourFrames = new ArrayList<>();

    @Test
    void anExclusivePublicationWritesTheSuppliedValuesAsAeronsDoes()
    {
        try (Publication reference = driver.aeron().addExclusivePublication(IPC, JAVA_STREAM_ID);
            NativePublication ours = driver.nativeAeron().addExclusivePublication(IPC, NATIVE_STREAM_ID))
        {
            writesAsAeron(reference, ours);
        }
    }

    @Test
    void aConcurrentPublicationWritesTheSuppliedValuesAsAeronsDoes()
    {
        try (Publication reference = driver.aeron().addPublication(IPC, JAVA_STREAM_ID);
            NativePublication ours = driver.nativeAeron().addPublication(IPC, NATIVE_STREAM_ID))
        {
            writesAsAeron(reference, ours);
        }
    }

    @Test
    void badRangesAreRefusedWithASupplierToo()
    {
        try (NativePublication ours = driver.nativeAeron().addExclusivePublication(IPC, NATIVE_STREAM_ID))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            final ReservedValueSupplier supplier = (termBuffer, termOffset, frameLength) -> 1;
            assertThrows(IllegalArgumentException.class, () -> ours.offer(buffer, -1, 8, supplier));
            assertThrows(IllegalArgumentException.class, () -> ours.offer(buffer, 60, 8, supplier));
            assertThrows(IllegalArgumentException.class, () -> ours.offer(buffer, 0, 8, buffer, 0, 65, supplier));
            assertThrows(IllegalArgumentException.class, () -> ours.offer(buffer, 0, Integer.MAX_VALUE, buffer, 0,
                Integer.MAX_VALUE));
            final UnsafeBuffer big = new UnsafeBuffer(new byte[ours.maxMessageLength()]);
            assertThrows(IllegalArgumentException.class, () -> ours.offer(big, 0, big.capacity(), buffer, 0, 1));
            assertThrows(NullPointerException.class, () -> ours.offer((DirectBufferVector[])null));
            assertThrows(IllegalArgumentException.class,
                () -> ours.offer(new DirectBufferVector[] { new DirectBufferVector(buffer, 0, 65) }));
            ours.close();
            assertEquals(NativePublication.CLOSED, ours.offer(buffer, 0, 8, supplier));
            assertEquals(NativePublication.CLOSED, ours.offer(buffer, 0, 8, buffer, 0, 8, supplier));
            assertEquals(NativePublication.CLOSED, ours.offer(new DirectBufferVector[] {
                new DirectBufferVector(buffer, 0, 8) }, supplier));
        }
    }

    private void writesAsAeron(final Publication reference, final NativePublication ours)
    {
        try (Subscription referenceSubscription = driver.aeron().addSubscription(IPC, JAVA_STREAM_ID);
            Subscription ourSubscription = driver.aeron().addSubscription(IPC, NATIVE_STREAM_ID))
        {
            this.referenceSubscription = referenceSubscription;
            this.ourSubscription = ourSubscription;
            awaitConnected(reference, ours);
            final int maxPayload = ours.maxPayloadLength();
            assertEquals(reference.maxPayloadLength(), maxPayload);
            final UnsafeBuffer source = new UnsafeBuffer(new byte[maxPayload * 4 + 100]);
            for (int i = 0; i < source.capacity(); i++)
            {
                source.putByte(i, (byte)(i * 31 + 7));
            }
            final Supplier referenceSupplier = new Supplier();
            final Supplier ourSupplier = new Supplier();
            final int[] lengths = { 0, 1, 100, maxPayload, maxPayload + 1, maxPayload * 3 + 17 };
            for (final int length : lengths)
            {
                offer(() -> reference.offer(source, 3, length, referenceSupplier),
                    () -> ours.offer(source, 3, length, ourSupplier));
                // Split so the second part starts inside the first frame and, when fragmented, ends in a later one.
                final int split = Math.min(length, 50);
                offer(() -> reference.offer(source, 0, split, source, 200, length - split, referenceSupplier),
                    () -> ours.offer(source, 0, split, source, 200, length - split, ourSupplier));
                offer(() -> reference.offer(source, 0, split, source, 200, length - split),
                    () -> ours.offer(source, 0, split, source, 200, length - split));
                final int third = length / 3;
                final DirectBufferVector[] vectors = {
                    new DirectBufferVector(source, 5, third), new DirectBufferVector(source, 0, 0),
                    new DirectBufferVector(source, 11, third), new DirectBufferVector(source, 2, length - 2 * third) };
                offer(() -> reference.offer(vectors, referenceSupplier), () -> ours.offer(vectors, ourSupplier));
                offer(() -> reference.offer(vectors), () -> ours.offer(vectors));
                offer(() -> reference.offer(source, 1, length, null), () -> ours.offer(source, 1, length, null));
            }
            assertTrue(referenceSupplier.frameLengths.size() > lengths.length * 3, "supplier calls");
            assertEquals(referenceSupplier.frameLengths, ourSupplier.frameLengths);

            assertEquals(referenceFrames.size(), ourFrames.size());
            for (int i = 0; i < referenceFrames.size(); i++)
            {
                assertEquals(referenceFrames.get(i), ourFrames.get(i), "frame " + i);
            }
        }
    }

    /* Offer on each until it is taken, then read what each wrote. */
    private void offer(final LongSupplier reference, final LongSupplier ours)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        long referencePosition;
        while ((referencePosition = reference.getAsLong()) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "reference offer: " + referencePosition);
        }
        long ourPosition;
        while ((ourPosition = ours.getAsLong()) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "native offer: " + ourPosition);
        }
        assertEquals(referencePosition, ourPosition);
        readFrames(referenceSubscription, referencePosition, referenceFrames);
        readFrames(ourSubscription, ourPosition, ourFrames);
    }

    private static void awaitConnected(final Publication reference, final NativePublication ours)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!reference.isConnected() || !ours.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "publications did not connect");
            Thread.yield();
        }
    }

    /* Every frame up to the position: flags, length, reserved value and a digest of the payload. */
    private static void readFrames(final Subscription subscription, final long position, final List<String> frames)
    {
        final FragmentHandler handler = (buffer, offset, length, header) ->
        {
            long digest = 17;
            for (int i = 0; i < length; i++)
            {
                digest = digest * 31 + buffer.getByte(offset + i);
            }
            frames.add("flags=" + header.flags() + " length=" + length + " reservedValue=" + header.reservedValue() +
                " digest=" + digest);
        };
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (subscription.imageCount() == 0 || subscription.imageAtIndex(0).position() < position)
        {
            subscription.poll(handler, 100);
            assertTrue(System.nanoTime() < deadline, "frames did not all arrive");
        }
    }

    /* A value from the frame as written so far (its length, the payload's first byte and the header's flags) and the
     * call's number, so a value written from the wrong call or too early shows; the frame lengths it was given. */
    private static final class Supplier implements ReservedValueSupplier
    {
        final List<Integer> frameLengths = new ArrayList<>();

        public long get(final DirectBuffer termBuffer, final int termOffset, final int frameLength)
        {
            frameLengths.add(frameLength);
            final long firstByte = frameLength > 32 ? termBuffer.getByte(termOffset + 32) : -1;
            final long flags = termBuffer.getByte(termOffset + 5) & 0xFF;
            return ((long)frameLengths.size() << 40) | ((long)frameLength << 20) | ((firstByte & 0xFF) << 8) | flags;
        }
    }
}
