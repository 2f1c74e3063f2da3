package org.archivebridge;

import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.archivebridge.LogAppender.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java appenders on plain memory laid out as a driver lays out a log, read back with Aeron's own header flyweight:
 * frames and their headers, the term's end (padding, rotation, ADMIN_ACTION), messages fragmented over the MTU, the
 * publisher limit, and two threads offering to one concurrent log at once.
 */
class LogAppenderTest
{
    private static final int MTU = 1408;
    private static final int SESSION_ID = 0x1234_5678;
    private static final int STREAM_ID = 1001;
    /* Near the top of the int range, so rotation also checks that term ids wrap around. */
    private static final int INITIAL_TERM_ID = Integer.MAX_VALUE - 1;

    private final UnsafeBuffer positionLimit = new UnsafeBuffer(ByteBuffer.allocateDirect(8));
    private final UnsafeBuffer clientClosed = new UnsafeBuffer(ByteBuffer.allocateDirect(4));
    private UnsafeBuffer log;
    private int termLength;

    private LogAppender appender(final String kind, final int termLength)
    {
        this.termLength = termLength;
        log = new UnsafeBuffer(ByteBuffer.allocateDirect(PARTITION_COUNT * termLength + META_DATA_LENGTH));
        final UnsafeBuffer metadata = metadata();
        metadata.putInt(TERM_LENGTH_OFFSET, termLength, LITTLE_ENDIAN);
        metadata.putInt(MTU_LENGTH_OFFSET, MTU, LITTLE_ENDIAN);
        metadata.putInt(INITIAL_TERM_ID_OFFSET, INITIAL_TERM_ID, LITTLE_ENDIAN);
        metadata.putInt(DEFAULT_FRAME_HEADER_LENGTH_OFFSET, HEADER_LENGTH, LITTLE_ENDIAN);
        metadata.putInt(IS_CONNECTED_OFFSET, 1);
        final DataHeaderFlyweight defaultHeader = new DataHeaderFlyweight();
        defaultHeader.wrap(metadata, DEFAULT_FRAME_HEADER_OFFSET, HEADER_LENGTH);
        defaultHeader.version((short)0).flags((short)UNFRAGMENTED).headerType(HDR_TYPE_DATA);
        defaultHeader.sessionId(SESSION_ID).streamId(STREAM_ID);
        // As a driver starts a log: partition 0 holds the initial term, the others the terms three before theirs.
        for (int i = 0; i < PARTITION_COUNT; i++)
        {
            metadata.putLong(tailCounterOffset(i), packTail(INITIAL_TERM_ID + (i == 0 ? 0 : i - PARTITION_COUNT), 0));
        }
        positionLimit.putLong(0, Long.MAX_VALUE);
        return create(kind);
    }

    private LogAppender create(final String kind)
    {
        final long address = log.addressOffset();
        return "exclusive".equals(kind) ?
            new ExclusiveLogAppender(address, log.capacity(), positionLimit, clientClosed) :
            new ConcurrentLogAppender(address, log.capacity(), positionLimit, clientClosed);
    }

    private UnsafeBuffer metadata()
    {
        return new UnsafeBuffer(log, log.capacity() - META_DATA_LENGTH, META_DATA_LENGTH);
    }

    private UnsafeBuffer term(final int index)
    {
        return new UnsafeBuffer(log, index * termLength, termLength);
    }

    private static UnsafeBuffer message(final int length, final int seed)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)(seed * 31 + i));
        }
        return buffer;
    }

    private static DataHeaderFlyweight header(final UnsafeBuffer term, final int offset)
    {
        return new DataHeaderFlyweight(new UnsafeBuffer(term, offset, HEADER_LENGTH));
    }

    @ParameterizedTest
    @ValueSource(strings = { "exclusive", "concurrent" })
    void writesOneFrameWithTheDefaultHeaderAndItsPosition(final String kind)
    {
        final LogAppender appender = appender(kind, 64 * 1024);
        final UnsafeBuffer first = message(100, 1);

        assertEquals(160, appender.offer(first, 0, 100));
        assertEquals(160 + 32, appender.offer(message(0, 2), 0, 0));
        assertEquals(192, appender.position());

        final DataHeaderFlyweight frame = header(term(0), 0);
        assertEquals(132, frame.frameLength());
        assertEquals(UNFRAGMENTED, frame.flags());
        assertEquals(HDR_TYPE_DATA, frame.headerType());
        assertEquals(0, frame.termOffset());
        assertEquals(SESSION_ID, frame.sessionId());
        assertEquals(STREAM_ID, frame.streamId());
        assertEquals(INITIAL_TERM_ID, frame.termId());
        assertEquals(0, frame.reservedValue());
        final byte[] payload = new byte[100];
        term(0).getBytes(HEADER_LENGTH, payload);
        assertArrayEquals(first.byteArray(), payload);
        assertEquals(HEADER_LENGTH, header(term(0), 160).frameLength(), "an empty message is a bare header");
        assertEquals(packTail(INITIAL_TERM_ID, 192), metadata().getLong(tailCounterOffset(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "exclusive", "concurrent" })
    void aMessagePastTheTermsEndPadsItAndMovesToTheNextTerm(final String kind)
    {
        final LogAppender appender = appender(kind, 64 * 1024);
        final UnsafeBuffer message = message(1000, 3);
        // 1000 bytes take 1056 in the term: 62 of them leave 64 KiB - 65472 = 64 bytes free.
        long position = 0;
        for (int i = 0; i < 62; i++)
        {
            position = appender.offer(message, 0, 1000);
        }
        assertEquals(62 * 1056, position);

        assertEquals(NativePublication.ADMIN_ACTION, appender.offer(message, 0, 1000));
        final DataHeaderFlyweight padding = header(term(0), 62 * 1056);
        assertEquals(64, padding.frameLength());
        assertEquals(HDR_TYPE_PAD, padding.headerType());
        assertEquals(62 * 1056, padding.termOffset());
        assertEquals(1, metadata().getInt(ACTIVE_TERM_COUNT_OFFSET));
        assertEquals(termLength, appender.position());

        assertEquals(termLength + 1056, appender.offer(message, 0, 1000));
        final DataHeaderFlyweight next = header(term(1), 0);
        assertEquals(1032, next.frameLength());
        assertEquals(Integer.MAX_VALUE, next.termId());
        assertEquals(packTail(Integer.MAX_VALUE, 1056), metadata().getLong(tailCounterOffset(1)));

        // Two more rotations: the term id wraps past Integer.MAX_VALUE and partition 0 is used again.
        for (int term = 2; term <= 3; term++)
        {
            long result;
            while ((result = appender.offer(message, 0, 1000)) > 0)
            {
                assertTrue(result <= (long)term * termLength);
            }
            assertEquals(NativePublication.ADMIN_ACTION, result);
        }
        assertEquals(3L * termLength + 1056, appender.offer(message, 0, 1000));
        assertEquals(Integer.MIN_VALUE + 1, header(term(0), 0).termId());
        assertEquals(0, header(term(0), 0).termOffset());
    }

    @ParameterizedTest
    @ValueSource(strings = { "exclusive", "concurrent" })
    void aMessageLongerThanTheMtuIsFragmentedAndReassembles(final String kind)
    {
        final LogAppender appender = appender(kind, 64 * 1024);
        final int maxPayload = MTU - HEADER_LENGTH;
        final int length = 3 * maxPayload + 100;
        final UnsafeBuffer message = message(length, 4);

        final long position = appender.offer(message, 0, length);
        assertEquals(3L * MTU + 160, position);

        final ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        final List<Short> flags = new ArrayList<>();
        int offset = 0;
        while (offset < position)
        {
            final DataHeaderFlyweight frame = header(term(0), offset);
            assertEquals(offset, frame.termOffset());
            assertEquals(HDR_TYPE_DATA, frame.headerType());
            flags.add(frame.flags());
            final byte[] chunk = new byte[frame.frameLength() - HEADER_LENGTH];
            term(0).getBytes(offset + HEADER_LENGTH, chunk);
            reassembled.writeBytes(chunk);
            offset += align(frame.frameLength());
        }
        assertEquals(List.of((short)BEGIN_FLAG, (short)0, (short)0, (short)END_FLAG), flags);
        assertArrayEquals(message.byteArray(), reassembled.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = { "exclusive", "concurrent" })
    void atThePublisherLimitNothingIsWritten(final String kind)
    {
        final LogAppender appender = appender(kind, 64 * 1024);
        final UnsafeBuffer message = message(32, 5);
        positionLimit.putLong(0, 64);
        assertEquals(64, appender.offer(message, 0, 32));
        assertEquals(NativePublication.BACK_PRESSURED, appender.offer(message, 0, 32));
        metadata().putInt(IS_CONNECTED_OFFSET, 0);
        assertEquals(NativePublication.NOT_CONNECTED, appender.offer(message, 0, 32));
        assertEquals(64, appender.position());
        assertEquals(0, term(0).getInt(64), "no frame past the limit");

        positionLimit.putLong(0, 128);
        assertEquals(128, appender.offer(message, 0, 32));
        assertFalse(appender.isClientClosed());
        clientClosed.putInt(0, 1);
        assertTrue(appender.isClientClosed());
    }

    @ParameterizedTest
    @ValueSource(strings = { "exclusive", "concurrent" })
    void takesUpTheLogWhereItsTailIs(final String kind)
    {
        appender(kind, 64 * 1024);
        final UnsafeBuffer metadata = metadata();
        metadata.putLong(tailCounterOffset(1), packTail(Integer.MAX_VALUE, 4096));
        metadata.putInt(ACTIVE_TERM_COUNT_OFFSET, 1);
        final LogAppender appender = create(kind);

        assertEquals(termLength + 4096, appender.position());
        assertEquals(termLength + 4096 + 64, appender.offer(message(8, 6), 0, 8));
        assertEquals(4096, header(term(1), 4096).termOffset());
        assertEquals(Integer.MAX_VALUE, header(term(1), 4096).termId());
    }

    @Test
    void twoThreadsOfferingAtOnceLoseAndDuplicateNothing() throws Exception
    {
        final LogAppender appender = appender("concurrent", 1024 * 1024);
        final int perThread = 12_000; // 2 x 12,000 frames of 64 bytes: the first term fills up and the log rotates
        final CyclicBarrier start = new CyclicBarrier(2);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++)
        {
            final int writer = t;
            threads[t] = new Thread(() ->
            {
                try
                {
                    final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
                    start.await();
                    for (int i = 0; i < perThread; i++)
                    {
                        message.putInt(0, writer);
                        message.putInt(4, i);
                        long result;
                        while ((result = appender.offer(message, 0, 32)) < 0)
                        {
                            assertEquals(NativePublication.ADMIN_ACTION, result);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertNull(failure.get());

        final int[] next = new int[2];
        for (int index = 0; index < 2; index++)
        {
            final UnsafeBuffer term = term(index);
            int offset = 0;
            while (offset < termLength)
            {
                final DataHeaderFlyweight frame = header(term, offset);
                if (0 == frame.frameLength())
                {
                    break;
                }
                assertEquals(INITIAL_TERM_ID + index, frame.termId());
                assertEquals(offset, frame.termOffset());
                if (HDR_TYPE_DATA == frame.headerType())
                {
                    final int writer = term.getInt(offset + HEADER_LENGTH);
                    assertEquals(next[writer]++, term.getInt(offset + HEADER_LENGTH + 4), "writer " + writer);
                }
                else
                {
                    assertEquals(0, index, "only the first term is padded");
                    assertEquals(termLength, offset + frame.frameLength(), "padding runs to the term's end");
                }
                offset += align(frame.frameLength());
            }
        }
        assertEquals(perThread, next[0]);
        assertEquals(perThread, next[1]);
    }
}
