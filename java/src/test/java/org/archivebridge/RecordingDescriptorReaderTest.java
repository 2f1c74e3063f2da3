package org.archivebridge;

import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_descriptor_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The descriptor's strings as the direct reader decodes them: NULL as "", the empty string, UTF-8 beyond ASCII, and
 * lengths across the reader's window and past its first buffer (NativeStructRoundTripTest checks every field).
 */
class RecordingDescriptorReaderTest
{
    @Test
    void stringsOfAnyLengthAndNullReachTheConsumerWhole()
    {
        final String longChannel = "aeron:udp?endpoint=localhost:4444|alias=" + "é-x".repeat(400);
        final String windowEdge = "a".repeat(255);
        assertStrings(longChannel, windowEdge, "", List.of(longChannel, windowEdge, ""));
        assertStrings(null, "b".repeat(256), "aeron:ipc", List.of("", "b".repeat(256), "aeron:ipc"));
        assertStrings("Ω", null, "c".repeat(513), List.of("Ω", "", "c".repeat(513)));
    }

    @Test
    void oneReaderServesOneDescriptorAfterAnother()
    {
        final RecordingDescriptorReader reader = new RecordingDescriptorReader();
        final List<Object> received = new ArrayList<>();
        try (PointerScope ignored = new PointerScope())
        {
            for (int i = 0; i < 3; i++)
            {
                final abr_archive_recording_descriptor_t descriptor = new abr_archive_recording_descriptor_t();
                descriptor.recording_id(i).stream_id(-i).stop_position(Long.MIN_VALUE + i)
                    .stripped_channel(new BytePointer("x".repeat(300 * (2 - i)), StandardCharsets.UTF_8));
                reader.dispatch(descriptor, (controlSessionId, correlationId, recordingId, startTimestamp,
                    stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                    mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
                    received.addAll(List.of(recordingId, streamId, stopPosition, strippedChannel.length())));
            }
        }
        assertEquals(List.of(0L, 0, Long.MIN_VALUE, 600, 1L, -1, Long.MIN_VALUE + 1, 300, 2L, -2, Long.MIN_VALUE + 2, 0),
            received);
    }

    private static void assertStrings(
        final String stripped, final String original, final String source, final List<String> expected)
    {
        final List<String> received = new ArrayList<>();
        try (PointerScope ignored = new PointerScope())
        {
            final abr_archive_recording_descriptor_t descriptor = new abr_archive_recording_descriptor_t();
            descriptor.stripped_channel(null == stripped ? null : new BytePointer(stripped, StandardCharsets.UTF_8))
                .original_channel(null == original ? null : new BytePointer(original, StandardCharsets.UTF_8))
                .source_identity(null == source ? null : new BytePointer(source, StandardCharsets.UTF_8));
            new RecordingDescriptorReader().dispatch(descriptor, (controlSessionId, correlationId, recordingId,
                startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
                termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
                received.addAll(List.of(strippedChannel, originalChannel, sourceIdentity)));
        }
        assertEquals(expected, received);
    }
}
