package org.archivebridge.conformance.client;

import org.agrona.DirectBuffer;

/**
 * A publication a client added through its own Aeron client and had the Archive record (addRecordedPublication /
 * addRecordedExclusivePublication): AeronArchive hands out an io.aeron.Publication, NativeArchive a NativePublication.
 */
public interface RecordedPublication extends AutoCloseable
{
    int sessionId();

    boolean isConnected();

    /** The new stream position, or one of io.aeron.Publication's negative codes. */
    long offer(DirectBuffer buffer, int offset, int length);

    long position();

    @Override
    void close();
}
