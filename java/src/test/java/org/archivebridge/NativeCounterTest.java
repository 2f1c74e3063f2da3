package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import io.aeron.Counter;
import io.aeron.DriverProxy;
import io.aeron.UnavailableCounterHandler;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.bytedeco.javacpp.LongPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counters_value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * NativeCounter beside Aeron's Counter on one Media Driver: Aeron's CountersReader sees our counter's record and value
 * as it sees its own, we read Aeron's, close removes it (Aeron's client is told), a counter removed by another client
 * reports closed, bad arguments fail as Aeron's do, and closes race sets, gets and increments on eight threads.
 */
class NativeCounterTest
{
    private static final int TYPE_ID = 1201;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    @RegisterExtension
    final InJvmDriver driver = InJvmDriver.mediaDriver();

    @Test
    void aeronsCountersReaderSeesOurCounterAsItSeesItsOwn()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[200]);
        for (int i = 0; i < key.capacity(); i++)
        {
            key.putByte(i, (byte)(i * 7 + 1));
        }
        final UnsafeBuffer label = new UnsafeBuffer("..a counter of archive-bridge..".getBytes(StandardCharsets.US_ASCII));

        try (Counter reference = driver.aeron().addCounter(TYPE_ID, key, 3, 112, label, 2, 27);
            NativeCounter ours = driver.nativeAeron().addCounter(TYPE_ID, key, 3, 112, label, 2, 27))
        {
            final CountersReader reader = driver.aeron().countersReader();
            assertNotEquals(reference.id(), ours.id());
            assertEquals(CountersReader.RECORD_ALLOCATED, reader.getCounterState(ours.id()));
            assertEquals(TYPE_ID, reader.getCounterTypeId(ours.id()));
            assertEquals(reader.getCounterLabel(reference.id()), reader.getCounterLabel(ours.id()));
            assertEquals("a counter of archive-bridge", ours.label());
            assertEquals(reader.getCounterLabel(reference.id()), ours.label());
            assertArrayEquals(keyOf(reader, reference.id()), keyOf(reader, ours.id()));
            assertEquals(ours.registrationId(), reader.getCounterRegistrationId(ours.id()));
            assertNotEquals(driver.aeron().clientId(), reader.getCounterOwnerId(ours.id()));
            assertEquals(driver.aeron().clientId(), reader.getCounterOwnerId(reference.id()));
            assertEquals(reader.getCounterTypeId(reference.id()), reader.getCounterTypeId(ours.id()));

            // The same operations on both, values compared through Aeron's reader and through our core's.
            final long[] values = { 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0 };
            for (final long value : values)
            {
                reference.set(value);
                ours.set(value);
                assertEquals(reference.incrementRelease(), ours.incrementRelease());
                assertEquals(reference.increment(), ours.increment());
                assertEquals(reference.getAndAdd(value), ours.getAndAdd(value));
                assertEquals(reference.get(), ours.get());
                assertEquals(reader.getCounterValue(reference.id()), reader.getCounterValue(ours.id()));
                assertEquals(reference.get(), nativeValue(reference.id()));
            }
            ours.setRelease(12345);
            assertEquals(12345, reader.getCounterValue(ours.id()));
            assertEquals(12345, ours.getAcquire());
        }
    }

    @Test
    void addCounterWithALabelMatchesAeronsRecord()
    {
        try (Counter reference = driver.aeron().addCounter(TYPE_ID + 1, "label only: é");
            NativeCounter ours = driver.nativeAeron().addCounter(TYPE_ID + 1, "label only: é"))
        {
            final CountersReader reader = driver.aeron().countersReader();
            assertEquals(reader.getCounterLabel(reference.id()), reader.getCounterLabel(ours.id()));
            assertArrayEquals(keyOf(reader, reference.id()), keyOf(reader, ours.id()));
            assertEquals(0, ours.get());
        }
    }

    @Test
    void closeRemovesTheCounterAndAeronsClientIsTold()
    {
        final AtomicLong unavailableRegistrationId = new AtomicLong(-1);
        final UnavailableCounterHandler handler =
            (countersReader, registrationId, counterId) -> unavailableRegistrationId.set(registrationId);
        driver.aeron().addUnavailableCounterHandler(handler);

        final NativeCounter ours = driver.nativeAeron().addCounter(TYPE_ID, "to close");
        final int id = ours.id();
        ours.set(77);
        assertFalse(ours.isClosed());
        ours.close();
        assertTrue(ours.isClosed());
        ours.close();

        awaitTrue(() -> ours.registrationId() == unavailableRegistrationId.get());
        final CountersReader reader = driver.aeron().countersReader();
        awaitTrue(() -> CountersReader.RECORD_ALLOCATED != reader.getCounterState(id));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ours.set(1));
        assertTrue(ex.getMessage().contains("NativeCounter is closed") &&
            ex.getMessage().contains("registrationId=" + ours.registrationId()), ex::getMessage);
        assertThrows(IllegalStateException.class, ours::get);
        assertThrows(IllegalStateException.class, ours::increment);
        assertThrows(IllegalStateException.class, ours::label);
    }

    @Test
    void aCounterAnotherClientRemovesReportsClosed()
    {
        final NativeCounter ours = driver.nativeAeron().addCounter(TYPE_ID, "removed by another client");
        ours.set(3);
        // The Java driver removes a counter for any client that names its registration id (Aeron's client only sends
        // it for its own counters, hence the command written here).
        removeCounterAsAnotherClient(ours.registrationId());
        awaitTrue(ours::isClosed);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ours.set(4));
        assertTrue(ex.getMessage().contains("freed by the Media Driver"), ex::getMessage);
        ours.close();
    }

    @Test
    void aClosedClientClosesItsCounters()
    {
        final NativeCounter ours = driver.nativeAeron().addCounter(TYPE_ID, "client closes");
        final int id = ours.id();
        driver.nativeAeron().close();
        assertTrue(ours.isClosed());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ours.set(1));
        assertTrue(ex.getMessage().contains("its client is closed"), ex::getMessage);
        ours.close();
        assertThrows(IllegalStateException.class, () -> driver.nativeAeron().addCounter(TYPE_ID, "after close"));
        final CountersReader reader = driver.aeron().countersReader();
        awaitTrue(() -> CountersReader.RECORD_ALLOCATED != reader.getCounterState(id));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, 0, 0", "112, 0, 0, 0", "113, 0, 0, 0", "-1, 0, 0, 0", "2147483647, 0, 0, 0", "-2147483648, 0, 0, 0",
        "0, 380, 0, 0", "0, 381, 0, 0", "0, -1, 0, 0", "0, 2147483647, 0, 0", "0, -2147483648, 0, 0",
        "8, 8, -1, 0", "8, 8, 0, -1", "8, 8, 2147483647, 0", "8, 8, 0, -2147483648", "8, 8, 400, 0", "8, 8, 0, 400",
    })
    void badLengthsAndRangesFailAsAeronsDo(
        final int keyLength, final int labelLength, final int keyOffset, final int labelOffset)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[400]);
        final UnsafeBuffer label = new UnsafeBuffer(new byte[400]);
        label.setMemory(0, label.capacity(), (byte)'l');
        final Class<? extends Throwable> reference = outcome(() -> driver.aeron()
            .addCounter(TYPE_ID, key, keyOffset, keyLength, label, labelOffset, labelLength).close());
        final Class<? extends Throwable> ours = outcome(() -> driver.nativeAeron()
            .addCounter(TYPE_ID, key, keyOffset, keyLength, label, labelOffset, labelLength).close());
        if (null == reference)
        {
            assertEquals(null, ours);
        }
        else
        {
            // Aeron's buffer checks throw IndexOutOfBoundsException where ours name the range as a bad argument.
            assertTrue(IllegalArgumentException.class == ours, () -> "ours: " + ours + ", Aeron's: " + reference);
        }
    }

    @Test
    void badLabelsAndTypeIdsAsAeronsClientTakesThem()
    {
        final Aeron aeron = driver.aeron();
        final NativeAeron nativeAeron = driver.nativeAeron();
        assertThrows(NullPointerException.class, () -> nativeAeron.addCounter(TYPE_ID, null));
        final String tooLong = "x".repeat(381);
        assertThrows(IllegalArgumentException.class, () -> aeron.addCounter(TYPE_ID, tooLong));
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> nativeAeron.addCounter(TYPE_ID, tooLong));
        assertTrue(ex.getMessage().contains("381"), ex::getMessage);
        assertThrows(IllegalArgumentException.class, () -> nativeAeron.addCounter(TYPE_ID, "y".repeat(1 << 20)));
        assertThrows(NullPointerException.class, () -> nativeAeron.addCounter(TYPE_ID, null, 0, 4, null, 0, 0));
        assertThrows(NullPointerException.class, () -> nativeAeron.addCounter(TYPE_ID, null, 0, 0, null, 0, 4));

        for (final int typeId : new int[] { -1, 0, 1, Integer.MIN_VALUE, Integer.MAX_VALUE })
        {
            try (NativeCounter ours = nativeAeron.addCounter(typeId, "type " + typeId);
                Counter reference = aeron.addCounter(typeId, "type " + typeId))
            {
                assertEquals(aeron.countersReader().getCounterTypeId(reference.id()),
                    aeron.countersReader().getCounterTypeId(ours.id()));
                assertEquals(typeId, aeron.countersReader().getCounterTypeId(ours.id()));
            }
        }
        try (NativeCounter empty = nativeAeron.addCounter(TYPE_ID, null, 0, 0, null, 0, 0))
        {
            assertEquals("", empty.label());
        }
    }

    @Test
    void closesRacingUseOnEightThreadsEndInIllegalStateExceptions() throws Exception
    {
        final int threads = 8;
        final int rounds = 100;
        long calls = 0;
        long losses = 0;
        for (int round = 0; round < rounds; round++)
        {
            final NativeCounter counter = driver.nativeAeron().addCounter(TYPE_ID, "race " + round);
            final int id = counter.id();
            final CountDownLatch start = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicLong roundCalls = new AtomicLong();
            final AtomicLong roundLosses = new AtomicLong();
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int kind = t;
                final Thread worker = new Thread(() ->
                {
                    long made = 0;
                    try
                    {
                        start.await();
                        while (true)
                        {
                            made++;
                            switch ((int)((kind + made) % 5))
                            {
                                case 0 -> counter.set(made);
                                case 1 -> counter.get();
                                case 2 -> counter.increment();
                                case 3 -> counter.setRelease(made);
                                default -> counter.getAndAdd(2);
                            }
                        }
                    }
                    catch (final IllegalStateException expected)
                    {
                        roundLosses.incrementAndGet();
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        roundCalls.addAndGet(made);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            Thread.sleep(round % 3);
            counter.close();
            for (final Thread worker : workers)
            {
                worker.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(worker.isAlive(), "a worker did not end after the close");
            }
            if (null != failure.get())
            {
                fail("a racing call failed other than with IllegalStateException", failure.get());
            }
            assertEquals(threads, roundLosses.get());
            calls += roundCalls.get();
            losses += roundLosses.get();
            final CountersReader reader = driver.aeron().countersReader();
            awaitTrue(() -> CountersReader.RECORD_ALLOCATED != reader.getCounterState(id));
        }
        System.out.println("NativeCounter close races: " + rounds + " rounds, " + calls + " calls, " + losses +
            " IllegalStateExceptions");
    }

    private void removeCounterAsAnotherClient(final long registrationId)
    {
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(
            new File(driver.aeron().context().aeronDirectoryName(), CncFileDescriptor.CNC_FILE), "cnc");
        try
        {
            final ManyToOneRingBuffer toDriver = new ManyToOneRingBuffer(
                CncFileDescriptor.createToDriverBuffer(cnc, CncFileDescriptor.createMetaDataBuffer(cnc)));
            new DriverProxy(toDriver, toDriver.nextCorrelationId()).removeCounter(registrationId);
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    private long nativeValue(final int counterId)
    {
        try (LongPointer value = new LongPointer(1))
        {
            NativeAeron.check(abr_counters_value(driver.nativeAeron().handle(), counterId, value));
            return value.get();
        }
    }

    private static byte[] keyOf(final CountersReader reader, final int counterId)
    {
        final DirectBuffer metadata = reader.metaDataBuffer();
        final byte[] key = new byte[CountersReader.MAX_KEY_LENGTH];
        metadata.getBytes(CountersReader.metaDataOffset(counterId) + CountersReader.KEY_OFFSET, key);
        return key;
    }

    private static Class<? extends Throwable> outcome(final Executable call)
    {
        try
        {
            call.execute();
            return null;
        }
        catch (final Throwable ex)
        {
            return ex.getClass();
        }
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("condition not met within 20 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
