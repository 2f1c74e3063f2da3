package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Batches of descriptor records as the reader and dispatcher decode them: strings empty, beyond ASCII, longer than
 * the reader's first array, records one after another with their padding, repeated strings handed over as one
 * String without mixing up strings of the same length, and a consumer that throws part way (NativeStructRoundTripTest
 * checks every field of one record).
 */
class RecordingDescriptorReaderTest
{
    @Test
    void stringsOfAnyLengthReachTheConsumerWhole()
    {
        final String longChannel = "aeron:udp?endpoint=localhost:4444|alias=" + "é-x".repeat(400);
        assertEquals(List.of(List.of(longChannel, "a".repeat(255), "")),
            strings(List.of(List.of(longChannel, "a".repeat(255), ""))));
        assertEquals(List.of(List.of("", "b".repeat(257), "aeron:ipc"), List.of("Ω", "", "c".repeat(513))),
            strings(List.of(Arrays.asList(null, "b".repeat(257), "aeron:ipc"), Arrays.asList("Ω", null,
                "c".repeat(513)))));
    }

    @Test
    void recordsFollowOneAnotherWithTheirPadding()
    {
        final List<List<String>> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++)
        {
            batch.add(List.of("x".repeat(i), "y".repeat(7 - i % 8), "z".repeat(i * 3)));
        }
        assertEquals(batch, strings(batch));
    }

    @Test
    void aStringRepeatedFromTheRecordBeforeIsTheSameStringAndOthersAreNot()
    {
        final String channel = "aeron:udp?endpoint=localhost:4444|term-length=65536";
        final String sameLength = "aeron:udp?endpoint=localhost:4445|term-length=65536";
        final List<List<String>> batch = List.of(
            List.of(channel, "original-1", "aeron:ipc"),
            List.of(channel, "original-2", "aeron:ipc"),
            List.of(sameLength, "original-2", "aeron:ipc"),
            List.of(channel, "original-22", "aeron:ipc"),
            Arrays.asList(null, "original-2", "aeron:ipc"),
            List.of(channel, "original-2", "aeron:ipcc"));
        final List<List<String>> received = strings(batch);
        assertEquals(batch.stream().map((row) -> row.stream().map((s) -> null == s ? "" : s).toList()).toList(),
            received);
        assertSame(received.get(0).get(0), received.get(1).get(0));
        assertSame(received.get(1).get(1), received.get(2).get(1));
        for (int i = 1; i < received.size() - 1; i++)
        {
            assertSame(received.get(0).get(2), received.get(i).get(2), "source identity of record " + i);
        }
    }

    @Test
    void stringsAreReusedAcrossBatchesOfOneReaderOnlyWhenTheirBytesMatch()
    {
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        final List<String> received = new ArrayList<>();
        dispatcher.begin((controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) -> received.add(strippedChannel));
        dispatcher.dispatch(1, DescriptorRecords.write(buffer, 0, fields(0, "aeron:ipc", "a", "b")));
        dispatcher.dispatch(1, DescriptorRecords.write(buffer, 0, fields(1, "aeron:ipc", "a", "b")));
        dispatcher.dispatch(1, DescriptorRecords.write(buffer, 0, fields(2, "aeron:ipX", "a", "b")));
        dispatcher.end();
        dispatcher.close();
        assertEquals(List.of("aeron:ipc", "aeron:ipc", "aeron:ipX"), received);
        assertSame(received.get(0), received.get(1));
    }

    @Test
    void stringsOfOneLengthThatDifferInTheirLastBytesOrFirstByteAreNotMixedUp()
    {
        // Lengths 7, 8 and 17 take the byte-wise tail, the word-wise part and both of the reader's comparison.
        final String word = "aeron:ud";
        final String wordAndTail = "aeron:udp?alias=é";
        final List<List<String>> batch = List.of(
            List.of("abcdefg", word, wordAndTail),
            List.of("abcdefh", "Aeron:ud", "aeron:udp?alias=è"),
            List.of("bbcdefh", word, "aeron:udp?alias=è"),
            List.of("bbcdefh", "aeron:uD", "Aeron:udp?alias=è"));
        final List<List<String>> received = strings(batch);
        assertEquals(batch, received);
        assertSame(received.get(1).get(2), received.get(2).get(2));
        assertSame(received.get(2).get(0), received.get(3).get(0));
    }

    @Test
    void repeatedStringsAreFoundWhateverThePaddingHoldsAndOnlyWithTheSameSplitOfTheirBytes()
    {
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        // The strings of "abcdef", "ghijkl" end on a word (with the third length, 4 + 12 bytes from the 12th word);
        // the others end within one, followed by padding made non-zero here.
        final List<List<String>> batch = List.of(
            List.of("abcdef", "ghijkl", ""),
            List.of("abcdef", "ghijkl", ""),
            List.of("abcdefg", "hijkl", ""),
            List.of("abc", "de", "f"),
            List.of("abc", "de", "f"),
            List.of("abc", "d", "ef"),
            List.of("abc", "d", "eg"));
        int offset = 0;
        long id = 0;
        for (final List<String> strings : batch)
        {
            final int next = DescriptorRecords.write(
                buffer, offset, fields(id++, strings.get(0), strings.get(1), strings.get(2)));
            final int end = offset + 92 + strings.stream().mapToInt(String::length).sum();
            for (int i = end; i < next; i++)
            {
                buffer.putByte(i, (byte)(0x5a + id + i));
            }
            offset = next;
        }
        final List<List<String>> received = new ArrayList<>();
        dispatcher.begin((controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) ->
            received.add(List.of(strippedChannel, originalChannel, sourceIdentity)));
        dispatcher.dispatch(batch.size(), offset);
        dispatcher.end();
        dispatcher.close();
        assertEquals(batch, received);
        assertSame(received.get(0).get(1), received.get(1).get(1));
        assertSame(received.get(3).get(2), received.get(4).get(2));
        assertSame(received.get(4).get(0), received.get(5).get(0));
        assertSame(received.get(5).get(1), received.get(6).get(1));
    }

    @Test
    void everyFieldAtItsExtremesReachesTheConsumerFromARecordThatEndsTheBuffer()
    {
        final List<Object> extremes = Arrays.asList(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L, Long.MIN_VALUE + 1,
            Long.MAX_VALUE - 1, Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1, Integer.MIN_VALUE + 1, "Ωμέγα-ü",
            "aeron:ipc", "源-" + "y".repeat(300));
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        final int length = DescriptorRecords.write(buffer, 0, extremes);
        final int offset = RecordingDescriptorDispatcher.CAPACITY - length;
        DescriptorRecords.write(buffer, offset, extremes);
        final List<Object> received = new ArrayList<>();
        final RecordingDescriptorReader reader = new RecordingDescriptorReader();
        reader.load(buffer.addressOffset(), RecordingDescriptorDispatcher.CAPACITY);
        final int next = reader.dispatch(offset, (controlSessionId, correlationId,
            recordingId, startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
            termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            received.addAll(List.of(controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
            streamId, strippedChannel, originalChannel, sourceIdentity)));
        dispatcher.close();
        assertEquals(extremes, received);
        assertEquals(RecordingDescriptorDispatcher.CAPACITY, next);
    }

    @Test
    void aRecordWhoseStringLengthsOverrunTheBufferOrAreNegativeIsRefusedWithThem()
    {
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        final int offset = RecordingDescriptorDispatcher.CAPACITY - 96;
        DescriptorRecords.write(buffer, offset, fields(1, "abcd", "", ""));
        buffer.putInt(offset + 80, 5);
        final List<Long> received = new ArrayList<>();
        final RecordingDescriptorReader reader = new RecordingDescriptorReader();
        final RecordingDescriptorConsumer consumer = (controlSessionId, correlationId, recordingId, startTimestamp,
            stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> received.add(recordingId);
        final int capacity = RecordingDescriptorDispatcher.CAPACITY;

        reader.load(buffer.addressOffset(), capacity);
        final IllegalStateException overrun =
            assertThrows(IllegalStateException.class, () -> reader.dispatch(offset, consumer));
        assertEquals("descriptor record at offset " + offset + " with string lengths 5, 0, 0 overruns the batch " +
            "of " + capacity + " bytes", overrun.getMessage());

        buffer.putInt(offset + 80, 4);
        buffer.putInt(offset + 84, -1);
        reader.load(buffer.addressOffset(), capacity);
        final IllegalStateException negative =
            assertThrows(IllegalStateException.class, () -> reader.dispatch(offset, consumer));
        assertEquals("descriptor record at offset " + offset + " with string lengths 4, -1, 0 overruns the batch " +
            "of " + capacity + " bytes", negative.getMessage());
        final IllegalStateException header =
            assertThrows(IllegalStateException.class, () -> reader.dispatch(capacity - 96 + 8, consumer));
        assertEquals("descriptor record at offset " + (capacity - 88) + " overruns the batch of " + capacity +
            " bytes or is not aligned to 8", header.getMessage());
        final IllegalStateException unaligned =
            assertThrows(IllegalStateException.class, () -> reader.dispatch(offset - 4, consumer));
        assertEquals("descriptor record at offset " + (offset - 4) + " overruns the batch of " + capacity +
            " bytes or is not aligned to 8", unaligned.getMessage());
        assertThrows(IllegalStateException.class, () -> reader.dispatch(-8, consumer));
        // A record is within the batch loaded, not the buffer: the same record in a batch that ends before it.
        buffer.putInt(offset + 84, 0);
        reader.load(buffer.addressOffset(), offset + 91);
        assertThrows(IllegalStateException.class, () -> reader.dispatch(offset, consumer));
        reader.load(buffer.addressOffset(), offset + 95);
        final IllegalStateException shortBatch =
            assertThrows(IllegalStateException.class, () -> reader.dispatch(offset, consumer));
        assertEquals("descriptor record at offset " + offset + " with string lengths 4, 0, 0 overruns the batch " +
            "of " + (offset + 95) + " bytes", shortBatch.getMessage());
        reader.load(buffer.addressOffset(), offset + 96);
        assertEquals(capacity, reader.dispatch(offset, consumer));
        assertThrows(IllegalStateException.class, () -> reader.load(buffer.addressOffset(), -1));
        dispatcher.close();
        assertEquals(List.of(1L), received);
    }

    @Test
    void aThrowingConsumerStopsTheBatchAndIsRethrownAtTheEnd()
    {
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        int offset = 0;
        for (long id = 0; id < 3; id++)
        {
            offset = DescriptorRecords.write(buffer, offset, fields(id, "a", "b", "c"));
        }
        final List<Long> received = new ArrayList<>();
        final IllegalStateException thrown = new IllegalStateException("consumer failed");
        dispatcher.begin((controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) ->
        {
            received.add(recordingId);
            if (1 == recordingId)
            {
                throw thrown;
            }
        });
        dispatcher.dispatch(3, offset);
        dispatcher.dispatch(3, offset);
        assertSame(thrown, assertThrows(IllegalStateException.class, dispatcher::end));
        assertEquals(List.of(0L, 1L), received);
        dispatcher.close();
    }

    @Test
    void aBatchLengthBeyondTheBufferOrNegativeIsRethrownAtTheEndWithNothingDispatched()
    {
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        final int length = DescriptorRecords.write(buffer, 0, fields(7, "a", "b", "c"));
        final List<Long> received = new ArrayList<>();
        for (final long badLength : new long[]{ -1, RecordingDescriptorDispatcher.CAPACITY + 1L, Long.MAX_VALUE })
        {
            dispatcher.begin((controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
                startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
                streamId, strippedChannel, originalChannel, sourceIdentity) -> received.add(recordingId));
            dispatcher.dispatch(1, badLength);
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, dispatcher::end);
            assertEquals("descriptor batch of " + badLength + " bytes in a buffer of " +
                RecordingDescriptorDispatcher.CAPACITY, thrown.getMessage());
        }
        assertEquals(List.of(), received);
        dispatcher.begin((controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) -> received.add(recordingId));
        dispatcher.dispatch(1, length);
        dispatcher.end();
        dispatcher.close();
        assertEquals(List.of(7L), received);
    }

    private static List<List<String>> strings(final List<List<String>> batch)
    {
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final UnsafeBuffer buffer =
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY);
        int offset = 0;
        long id = 0;
        for (final List<String> strings : batch)
        {
            offset = DescriptorRecords.write(
                buffer, offset, fields(id++, strings.get(0), strings.get(1), strings.get(2)));
        }
        final List<List<String>> received = new ArrayList<>();
        final RecordingDescriptorConsumer consumer = (controlSessionId, correlationId, recordingId, startTimestamp,
            stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            received.add(List.of(strippedChannel, originalChannel, sourceIdentity));
        dispatcher.begin(consumer);
        dispatcher.dispatch(batch.size(), offset);
        dispatcher.end();
        dispatcher.close();
        return received;
    }

    private static List<Object> fields(final long recordingId, final String stripped, final String original,
        final String source)
    {
        return Arrays.asList(1L, 2L, recordingId, 4L, 5L, 6L, 7L, 8, 9, 10, 11, 12, 13, stripped, original, source);
    }
}
