package org.archivebridge;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a recording descriptor record as abr_archive.h lays it out for the batched listing (7 int64, 6 int32, 3
 * int32 string lengths, the strings, padding to 8), so the Java reader can be tested on records of any shape.
 */
final class DescriptorRecords
{
    private DescriptorRecords()
    {
    }

    /**
     * @param fields the 16 values in the consumer's order (Long, Integer, String; a null String is written empty).
     * @return the offset of the next record.
     */
    static int write(final UnsafeBuffer buffer, final int offset, final List<Object> fields)
    {
        int at = offset;
        for (int i = 0; i < 7; i++, at += Long.BYTES)
        {
            buffer.putLong(at, (Long)fields.get(i));
        }
        for (int i = 7; i < 13; i++, at += Integer.BYTES)
        {
            buffer.putInt(at, (Integer)fields.get(i));
        }
        int stringAt = at + 3 * Integer.BYTES;
        for (int i = 13; i < 16; i++, at += Integer.BYTES)
        {
            final Object value = fields.get(i);
            final byte[] bytes = null == value ? new byte[0] : ((String)value).getBytes(StandardCharsets.UTF_8);
            buffer.putInt(at, bytes.length);
            buffer.putBytes(stringAt, bytes);
            stringAt += bytes.length;
        }
        return (stringAt + 7) & -8;
    }
}
