package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static org.agrona.BufferUtil.ARRAY_BASE_OFFSET;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;

/**
 * Hands the descriptor records of one batch (the layout abr_archive.h gives for the batched listing) to a
 * {@link RecordingDescriptorConsumer}. A listing of thousands of descriptors used to cost a JNI upcall and a struct
 * read per descriptor; a batch costs one upcall, and here only plain memory reads: the record's extent is checked once
 * against the buffer, then its fields are read without a check each, which makes a record about half as dear once
 * compiled and much cheaper before the JIT has compiled this (docs/benchmarks.md). The strings are copied through one
 * reusable array. A listing mostly repeats its channels (every recording of a stream has the same stripped channel
 * and source identity), so each of the three strings keeps the last String it made with its bytes, and a record whose
 * bytes are the same (compared where they are, not copied) gets that String again instead of a new one: Strings are
 * immutable, so the consumer cannot tell, and a listing of thousands makes a few Strings where it made three per
 * descriptor. Used only on the thread of the listing in progress (the client's lock is held), and only during the
 * batch callback, while the buffer holds the batch.
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
     * @throws IllegalStateException when the record's string lengths are negative or take it past the buffer's end.
     */
    int dispatch(final UnsafeBuffer buffer, final int offset, final RecordingDescriptorConsumer consumer)
    {
        if (offset < 0 || offset > buffer.capacity() - ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH)
        {
            throw new IllegalStateException("descriptor record at offset " + offset + " overruns the batch buffer of " +
                buffer.capacity() + " bytes");
        }
        final Object array = buffer.byteArray();
        final long at = buffer.addressOffset() + offset;
        final int strippedLength = UnsafeApi.getInt(array, at + STRING_LENGTHS);
        final int originalLength = UnsafeApi.getInt(array, at + STRING_LENGTHS + Integer.BYTES);
        final int sourceLength = UnsafeApi.getInt(array, at + STRING_LENGTHS + 2 * Integer.BYTES);
        final int strings = offset + ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;
        final long end = (long)strings + strippedLength + originalLength + sourceLength;
        // One check for the whole record, so that the reads below need none of their own.
        if ((strippedLength | originalLength | sourceLength) < 0 || end > buffer.capacity())
        {
            throw new IllegalStateException("descriptor record at offset " + offset + " with string lengths " +
                strippedLength + ", " + originalLength + ", " + sourceLength + " overruns the batch buffer of " +
                buffer.capacity() + " bytes");
        }
        final long stringsAt = at + ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;
        final int alignment = ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;

        consumer.onRecordingDescriptor(
            UnsafeApi.getLong(array, at),
            UnsafeApi.getLong(array, at + 8),
            UnsafeApi.getLong(array, at + 16),
            UnsafeApi.getLong(array, at + 24),
            UnsafeApi.getLong(array, at + 32),
            UnsafeApi.getLong(array, at + 40),
            UnsafeApi.getLong(array, at + 48),
            UnsafeApi.getInt(array, at + 56),
            UnsafeApi.getInt(array, at + 60),
            UnsafeApi.getInt(array, at + 64),
            UnsafeApi.getInt(array, at + 68),
            UnsafeApi.getInt(array, at + 72),
            UnsafeApi.getInt(array, at + 76),
            string(array, stringsAt, strippedLength, stripped),
            string(array, stringsAt + strippedLength, originalLength, original),
            string(array, stringsAt + strippedLength + originalLength, sourceLength, source));

        return (int)((end + alignment - 1) & -alignment);
    }

    /* The record's bytes are compared where they are and copied only when they make a new String. */
    private String string(final Object array, final long address, final int length, final LastString last)
    {
        if (0 == length)
        {
            return "";
        }
        if (length == last.length && last.matches(array, address))
        {
            return last.string;
        }
        if (length > bytes.length)
        {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        UnsafeApi.copyMemory(array, address, bytes, ARRAY_BASE_OFFSET, length);
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

        /* Whether the length bytes at address are the remembered ones: eight at a time, then one at a time. */
        boolean matches(final Object array, final long address)
        {
            int i = 0;
            for (final int words = length & ~(Long.BYTES - 1); i < words; i += Long.BYTES)
            {
                if (UnsafeApi.getLong(array, address + i) != UnsafeApi.getLong(bytes, ARRAY_BASE_OFFSET + i))
                {
                    return false;
                }
            }
            for (; i < length; i++)
            {
                if (UnsafeApi.getByte(array, address + i) != bytes[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
