package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.agrona.BufferUtil.ARRAY_BASE_OFFSET;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;

/**
 * Hands the descriptor records of one batch (the layout abr_archive.h gives for the batched listing) to a
 * {@link RecordingDescriptorConsumer}. A batch costs one upcall and one copy into a long[] of this reader's
 * ({@link #load}); a record's 13 fields and 3 string lengths are then 12 array loads, where they were 16 reads through
 * Unsafe. Most of a benchmark's listings run before the JIT has compiled this, and the interpreter makes each Unsafe
 * read two calls and a native transition, so the interpreted record is what this is shaped for: plain array loads and
 * compares, no call per field (docs/benchmarks.md, section "benchwarm"). The record's extent is checked once against
 * the batch. A listing mostly repeats its channels (every recording of a stream has the same stripped channel and
 * source identity), so the reader keeps the last record's three string lengths and string words and, when a record's
 * are the same (compared a word at a time where they are), hands over the same three Strings again; otherwise each
 * of the three that differs from its last String's bytes gets a new String. Strings are immutable, so the consumer
 * cannot tell, and a listing of thousands makes a few Strings where it made three per descriptor. Used only on the
 * thread of the listing in progress (the client's lock is held), and only during the batch callback.
 */
final class RecordingDescriptorReader
{
    private static final long LONG_ARRAY_BASE_OFFSET = UnsafeApi.arrayBaseOffset(long[].class);
    /* Shifts that take from a word read in the platform's order the int32 at its lower and at its higher address:
     * written out where used rather than in a method, as a call is what the interpreted phase is to avoid. */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int LOW = LITTLE_ENDIAN ? 0 : 32;
    private static final int HIGH = LITTLE_ENDIAN ? 32 : 0;
    /* The words grow to the largest batch loaded, in steps of this, so a client that never lists allocates none. */
    private static final int MIN_LOAD_CAPACITY = 8 * 1024;
    /* A record's header is 11.5 words (7 int64, 6 int32, 3 string lengths): its strings start in the high half of its
     * 12th word, whose low half is the third string's length. Records are 8-aligned, so this holds for every record. */
    private static final int LENGTHS_WORD = 10;
    private static final int STRINGS_WORD = 11;
    private static final int STRINGS_WORD_PREFIX = ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH - STRINGS_WORD * 8;

    private final LastString stripped = new LastString();
    private final LastString original = new LastString();
    private final LastString source = new LastString();
    private long[] words = new long[0];
    private int length;
    /* The last record whose strings were read: its first two string lengths, and its words from the 12th on (the
     * third length and the strings), so that a record with the same ones gets the same three Strings. */
    private long lastLengths = -1;
    private long[] lastStringWords = new long[0];
    private int lastStringWordCount = -1;
    private byte[] scratch = new byte[256];

    /**
     * Copy a batch of length bytes at address (the native batch buffer, readable for length bytes) for
     * {@link #dispatch}.
     */
    void load(final long address, final int length)
    {
        if (length < 0)
        {
            throw new IllegalStateException("descriptor batch of " + length + " bytes");
        }
        if (length > words.length * Long.BYTES)
        {
            words = new long[Math.max(MIN_LOAD_CAPACITY, length + Long.BYTES - 1) / Long.BYTES];
        }
        UnsafeApi.copyMemory(null, address, words, LONG_ARRAY_BASE_OFFSET, length);
        this.length = length;
    }

    /**
     * Hand the record at offset of the batch last loaded to the consumer.
     *
     * @return the offset of the next record.
     * @throws IllegalStateException when the offset is not a record's (past the batch, or not aligned), or the record's
     *                               string lengths are negative or take it past the batch's end.
     */
    int dispatch(final int offset, final RecordingDescriptorConsumer consumer)
    {
        final int alignment = ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
        if (offset < 0 || offset > length - ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH || 0 != (offset & 7))
        {
            throw new IllegalStateException("descriptor record at offset " + offset + " overruns the batch of " +
                length + " bytes or is not aligned to " + alignment);
        }
        final long[] words = this.words;
        final int at = offset >>> 3;
        final long lengths = words[at + LENGTHS_WORD];
        final int strippedLength = (int)(lengths >>> LOW);
        final int originalLength = (int)(lengths >>> HIGH);
        final int sourceLength = (int)(words[at + STRINGS_WORD] >>> LOW);
        final int stringsLength = strippedLength + originalLength + sourceLength;
        final long end = (long)offset + ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH + strippedLength + originalLength +
            sourceLength;
        // One check for the whole record, so that the string reads below are within the batch.
        if ((strippedLength | originalLength | sourceLength) < 0 || end > length)
        {
            throw new IllegalStateException("descriptor record at offset " + offset + " with string lengths " +
                strippedLength + ", " + originalLength + ", " + sourceLength + " overruns the batch of " + length +
                " bytes");
        }
        if (lengths != lastLengths || !sameStrings(words, at + STRINGS_WORD, stringsLength))
        {
            readStrings(words, at, strippedLength, originalLength, sourceLength, stringsLength);
            lastLengths = lengths;
        }
        final long initialTermIdAndSegment = words[at + 7];
        final long termAndMtu = words[at + 8];
        final long sessionAndStream = words[at + 9];

        consumer.onRecordingDescriptor(
            words[at],
            words[at + 1],
            words[at + 2],
            words[at + 3],
            words[at + 4],
            words[at + 5],
            words[at + 6],
            (int)(initialTermIdAndSegment >>> LOW),
            (int)(initialTermIdAndSegment >>> HIGH),
            (int)(termAndMtu >>> LOW),
            (int)(termAndMtu >>> HIGH),
            (int)(sessionAndStream >>> LOW),
            (int)(sessionAndStream >>> HIGH),
            stripped.string,
            original.string,
            source.string);

        return (int)((end + alignment - 1) & -alignment);
    }

    /*
     * Whether the record's third length and strings, from word `from` on, are the last record's: word against word,
     * the last one masked to the bytes that are the record's (the rest is padding or the next record). Plain array
     * reads and compares, which the interpreter runs without a call.
     */
    private boolean sameStrings(final long[] words, final int from, final int stringsLength)
    {
        final int bytes = STRINGS_WORD_PREFIX + stringsLength;
        final int count = (bytes + Long.BYTES - 1) >>> 3;
        if (count != lastStringWordCount)
        {
            return false;
        }
        final long[] last = lastStringWords;
        final int full = bytes >>> 3;
        for (int i = 0; i < full; i++)
        {
            if (words[from + i] != last[i])
            {
                return false;
            }
        }
        if (full < count)
        {
            final int tail = (bytes & 7) * 8;
            final long mask = LITTLE_ENDIAN ? (1L << tail) - 1 : -1L << (64 - tail);
            return ((words[from + full] ^ last[full]) & mask) == 0;
        }
        return true;
    }

    /* The strings differ from the last record's in one at least: each one that does gets a new String. */
    private void readStrings(
        final long[] words, final int at, final int strippedLength, final int originalLength, final int sourceLength,
        final int stringsLength)
    {
        final int from = at + STRINGS_WORD;
        final int count = (STRINGS_WORD_PREFIX + stringsLength + Long.BYTES - 1) >>> 3;
        if (lastStringWords.length < count)
        {
            lastStringWords = new long[Math.max(count, 32)];
        }
        System.arraycopy(words, from, lastStringWords, 0, count);
        lastStringWordCount = count;
        // The words may run past the batch's length into the copy's unused tail: only stringsLength bytes are read.
        if (scratch.length < stringsLength)
        {
            scratch = new byte[Math.max(stringsLength, scratch.length * 2)];
        }
        UnsafeApi.copyMemory(words, LONG_ARRAY_BASE_OFFSET + (long)from * Long.BYTES + STRINGS_WORD_PREFIX, scratch,
            ARRAY_BASE_OFFSET, stringsLength);
        stripped.update(scratch, 0, strippedLength);
        original.update(scratch, strippedLength, originalLength);
        source.update(scratch, strippedLength + originalLength, sourceLength);
    }

    /** The last String made for one of the three string fields, with the bytes it was made from. */
    private static final class LastString
    {
        private byte[] bytes = new byte[0];
        private int length = -1;
        private String string;

        void update(final byte[] from, final int offset, final int fromLength)
        {
            if (fromLength == length && Arrays.equals(from, offset, offset + fromLength, bytes, 0, fromLength))
            {
                return;
            }
            if (bytes.length < fromLength)
            {
                bytes = new byte[Math.max(fromLength, 128)];
            }
            System.arraycopy(from, offset, bytes, 0, fromLength);
            length = fromLength;
            string = 0 == fromLength ? "" : new String(from, offset, fromLength, StandardCharsets.UTF_8);
        }
    }
}
