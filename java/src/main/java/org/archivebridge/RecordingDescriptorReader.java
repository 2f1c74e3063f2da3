package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;

/**
 * Hands the descriptor records of one batch (the layout abr_archive.h gives for the batched listing) to a
 * {@link RecordingDescriptorConsumer}. A listing of thousands of descriptors used to cost a JNI upcall and a struct
 * read per descriptor; a batch costs one upcall, and here only plain memory reads. The strings are copied through one
 * reusable array. A listing mostly repeats its channels (every recording of a stream has the same stripped channel
 * and source identity), so each of the three strings keeps the last String it made with its bytes, and a record whose
 * bytes are the same gets that String again instead of a new one: Strings are immutable, so the consumer cannot tell,
 * and a listing of thousands makes a few Strings where it made three per descriptor. Used only on the thread of the
 * listing in progress (the client's lock is held), and only during the batch callback, while the buffer holds the
 * batch.
 */
final class RecordingDescriptorReader
{
    private static final int STRING_LENGTHS = 80;

    private final LastString stripped = new LastString();
    private final LastString original = new LastString();
    private final LastString source = new LastString();
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
            string(buffer, strings, strippedLength, stripped),
            string(buffer, strings + strippedLength, originalLength, original),
            string(buffer, strings + strippedLength + originalLength, sourceLength, source));

        return (end + alignment - 1) & -alignment;
    }

    private String string(final UnsafeBuffer buffer, final int index, final int length, final LastString last)
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
        if (length == last.length && Arrays.equals(bytes, 0, length, last.bytes, 0, length))
        {
            return last.string;
        }
        final String string = new String(bytes, 0, length, StandardCharsets.UTF_8);
        last.remember(bytes, length, string);
        return string;
    }

    /** The last String made for one of the three string fields, with the bytes it was made from. */
    private static final class LastString
    {
        private byte[] bytes = new byte[0];
        private int length = -1;
        private String string;

        void remember(final byte[] from, final int fromLength, final String made)
        {
            if (bytes.length < fromLength)
            {
                bytes = new byte[Math.max(fromLength, 128)];
            }
            System.arraycopy(from, 0, bytes, 0, fromLength);
            length = fromLength;
            string = made;
        }
    }
}
