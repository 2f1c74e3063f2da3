package org.archivebridge.conformance.client;

import org.agrona.DirectBuffer;

import java.util.zip.CRC32;

/** The CRC-32 of a replayed stream's payloads, in the order they arrived, and how many bytes it covered. */
final class ReplayDigest
{
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[4096];
    private long bytes;

    void add(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        for (int done = 0; done < length; )
        {
            final int n = Math.min(chunk.length, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            crc.update(chunk, 0, n);
            done += n;
        }
        bytes += length;
    }

    long bytes()
    {
        return bytes;
    }

    /** The checksum when exactly the expected bytes arrived, else -1. */
    long result(final long expectedBytes)
    {
        return bytes == expectedBytes ? crc.getValue() : -1;
    }
}
