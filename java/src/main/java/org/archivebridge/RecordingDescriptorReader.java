package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;

/**
 * Hands the descriptor records of one batch (the layout abr_archive.h gives for the batched listing) to a
 * {@link RecordingDescriptorConsumer}. A listing of thousands of descriptors used to cost a JNI upcall and a struct
 * read per descriptor; a batch costs one upcall, and here only plain memory reads. The strings are copied through one
 * reusable array; only the Strings the consumer receives are new. Used only on the thread of the listing in progress
 * (the client's lock is held), and only during the batch callback, while the buffer holds the batch.
 */
final class RecordingDescriptorReader
{
    private static final int STRING_LENGTHS = 80;

    private byte[] bytes = new byte[256];

    /**
     * Hand the record at offset to the consumer.
     *
     * @return the offset of the next record.
     */
    int dispatch(final UnsafeBuffer buffer, final int offset, final RecordingDescriptorConsumer consumer)
    {
        final int strippedLength = buffer.getInt(offset + STRING_LENGTHS);
        final int originalLength = buffer.getInt(offset + STRING_LENGTHS + Integer.BYTES);
        final int sourceLength = buffer.getInt(offset + STRING_LENGTHS + 2 * Integer.BYTES);
        final int strings = offset + ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;
        final int end = strings + strippedLength + originalLength + sourceLength;
        final int alignment = ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;

        consumer.onRecordingDescriptor(
            buffer.getLong(offset),
            buffer.getLong(offset + 8),
            buffer.getLong(offset + 16),
            buffer.getLong(offset + 24),
            buffer.getLong(offset + 32),
            buffer.getLong(offset + 40),
            buffer.getLong(offset + 48),
            buffer.getInt(offset + 56),
            buffer.getInt(offset + 60),
            buffer.getInt(offset + 64),
            buffer.getInt(offset + 68),
            buffer.getInt(offset + 72),
            buffer.getInt(offset + 76),
            string(buffer, strings, strippedLength),
            string(buffer, strings + strippedLength, originalLength),
            string(buffer, strings + strippedLength + originalLength, sourceLength));

        return (end + alignment - 1) & -alignment;
    }

    private String string(final UnsafeBuffer buffer, final int index, final int length)
    {
        if (0 == length)
        {
            return "";
        }
        if (length > bytes.length)
        {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        buffer.getBytes(index, bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
