package org.archivebridge;

import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_ref_t;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_IO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java term reader on a log holding what no publisher writes (a damaged or hostile log file): a frame running past
 * its term, one shorter than its header, a length near Integer.MAX_VALUE, a subscriber position at a misaligned
 * offset, negative, or past any term id. Each poll delivers the intact frames before the damage, leaves the position
 * there and fails with NativeArchiveException (ABR_ERROR_IO), never reading outside the term; the same log undamaged
 * is read to the term's last byte. The log is plain memory laid out as a driver lays it out, described by the same
 * abr_image_ref_t the C core hands over, so nothing of the driver is stood in for but the memory.
 */
class ImageTermReaderDamagedLogTest
{
    private static final int TERM_LENGTH = 64 * 1024;
    private static final int POSITION_BITS_TO_SHIFT = 16; // log2(TERM_LENGTH)
    private static final int SESSION_ID = 4711;
    private static final int FRAME_LENGTH = 64;
    private static final short HDR_TYPE_DATA = 1;

    private final UnsafeBuffer terms = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * TERM_LENGTH));
    private final UnsafeBuffer subscriberPosition = new UnsafeBuffer(ByteBuffer.allocateDirect(Long.BYTES));
    private final UnsafeBuffer ref = new UnsafeBuffer(new byte[ImageTermReader.IMAGE_REF_LENGTH]);
    private final ImageTermReader reader = new ImageTermReader(null);
    private final List<Integer> delivered = new ArrayList<>();
    private final FragmentHandler handler = (buffer, offset, length, header) -> delivered.add(offset);
    private final ControlledFragmentHandler controlledHandler =
        (buffer, offset, length, header) ->
        {
            delivered.add(offset);
            return ControlledFragmentHandler.Action.CONTINUE;
        };

    ImageTermReaderDamagedLogTest()
    {
        ref.putLong(offsetOf("terms"), terms.addressOffset());
        ref.putLong(offsetOf("subscriber_position"), subscriberPosition.addressOffset());
        ref.putInt(offsetOf("term_length"), TERM_LENGTH);
        ref.putInt(offsetOf("initial_term_id"), 0);
        ref.putInt(offsetOf("position_bits_to_shift"), POSITION_BITS_TO_SHIFT);
        ref.putInt(offsetOf("session_id"), SESSION_ID);
    }

    private static int offsetOf(final String field)
    {
        return Loader.offsetof(abr_image_ref_t.class, field);
    }

    /* Two intact frames at the start of the first term, then a frame of the given length. */
    private void logWithDamagedThirdFrame(final int damagedLength)
    {
        frame(0, FRAME_LENGTH);
        frame(FRAME_LENGTH, FRAME_LENGTH);
        frame(2 * FRAME_LENGTH, damagedLength);
    }

    private void frame(final int termOffset, final int length)
    {
        terms.putShort(termOffset + 6, HDR_TYPE_DATA, LITTLE_ENDIAN);
        terms.putInt(termOffset, length, LITTLE_ENDIAN);
    }

    private int poll(final boolean controlled)
    {
        return controlled ?
            reader.controlledPoll(ref, 0, controlledHandler, Long.MAX_VALUE, 10) :
            reader.poll(ref, 0, handler, Long.MAX_VALUE, 10);
    }

    @ParameterizedTest
    @ValueSource(ints = { 16, 31, TERM_LENGTH, TERM_LENGTH - 2 * FRAME_LENGTH + 1, Integer.MAX_VALUE - 31,
        Integer.MAX_VALUE })
    void aFrameThatDoesNotFitItsTermEndsThePollAfterTheIntactFrames(final int damagedLength)
    {
        for (final boolean controlled : new boolean[]{ false, true })
        {
            delivered.clear();
            subscriberPosition.putLong(0, 0);
            logWithDamagedThirdFrame(damagedLength);

            final NativeArchiveException failure = assertThrows(NativeArchiveException.class, () -> poll(controlled));

            assertEquals(ABR_ERROR_IO, failure.nativeCode());
            assertTrue(failure.getMessage().contains("a frame of length " + damagedLength + " at termOffset=128"),
                failure.getMessage());
            assertTrue(failure.getMessage().contains("sessionId=" + SESSION_ID), failure.getMessage());
            assertEquals(List.of(32, 96), delivered, "controlled=" + controlled);
            assertEquals(2 * FRAME_LENGTH, subscriberPosition.getLong(0), "controlled=" + controlled);
            // The next poll meets the same damage and moves nothing.
            assertThrows(NativeArchiveException.class, () -> poll(controlled));
            assertEquals(2 * FRAME_LENGTH, subscriberPosition.getLong(0));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = { -1, Long.MIN_VALUE, ((long)Integer.MAX_VALUE << POSITION_BITS_TO_SHIFT) + 32,
        Long.MAX_VALUE })
    void aSubscriberPositionOutsideTheLogIsReportedAndLeftAlone(final long position)
    {
        frame(0, FRAME_LENGTH);
        for (final boolean controlled : new boolean[]{ false, true })
        {
            subscriberPosition.putLong(0, position);

            final NativeArchiveException failure = assertThrows(NativeArchiveException.class, () -> poll(controlled));

            assertEquals(ABR_ERROR_IO, failure.nativeCode());
            assertTrue(failure.getMessage().contains("position=" + position), failure.getMessage());
            assertEquals(position, subscriberPosition.getLong(0));
            assertEquals(List.of(), delivered);
        }
    }

    @Test
    void aSubscriberPositionBetweenFramesIsReported()
    {
        frame(0, FRAME_LENGTH);
        terms.putInt(8, FRAME_LENGTH, LITTLE_ENDIAN);
        subscriberPosition.putLong(0, 8);

        final NativeArchiveException failure = assertThrows(NativeArchiveException.class, () -> poll(false));

        assertTrue(failure.getMessage().contains("at termOffset=8"), failure.getMessage());
        assertEquals(8, subscriberPosition.getLong(0));
        assertEquals(List.of(), delivered);
    }

    @Test
    void anIntactTermIsReadToItsLastByte()
    {
        final int start = TERM_LENGTH - 2 * FRAME_LENGTH;
        frame(start, FRAME_LENGTH);
        frame(start + FRAME_LENGTH, FRAME_LENGTH);
        // The last position of the highest term id the log can reach is still inside it.
        final long lastTermStart = (long)Integer.MAX_VALUE << POSITION_BITS_TO_SHIFT;
        final int partition = (int)((lastTermStart >>> POSITION_BITS_TO_SHIFT) % 3);
        terms.putShort(partition * TERM_LENGTH + 6, HDR_TYPE_DATA, LITTLE_ENDIAN);
        terms.putInt(partition * TERM_LENGTH, TERM_LENGTH, LITTLE_ENDIAN);

        subscriberPosition.putLong(0, start);
        assertEquals(2, poll(false));
        assertEquals(TERM_LENGTH, subscriberPosition.getLong(0));

        subscriberPosition.putLong(0, lastTermStart);
        assertEquals(1, poll(true));
        assertEquals(lastTermStart + TERM_LENGTH, subscriberPosition.getLong(0));
        assertEquals(List.of(start + 32, start + FRAME_LENGTH + 32, 32), delivered);
    }
}
