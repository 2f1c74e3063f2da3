package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_descriptor_t;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * Hands one C recording descriptor to a {@link RecordingDescriptorConsumer} by reading the struct's memory directly
 * (offsets from the binding, fetched once) instead of through its generated getters: each getter is a JNI call, and
 * each string getter also allocates a BytePointer. A listing of thousands of descriptors spent most of its Java-side
 * time there. The strings are copied through one reusable array; only the Strings the consumer receives are new.
 * Used only on the thread of the listing in progress (the client's lock is held), and only during the callback, while
 * the struct and its strings are valid.
 */
final class RecordingDescriptorReader
{
    private static final int CONTROL_SESSION_ID = offset("control_session_id");
    private static final int CORRELATION_ID = offset("correlation_id");
    private static final int RECORDING_ID = offset("recording_id");
    private static final int START_TIMESTAMP = offset("start_timestamp");
    private static final int STOP_TIMESTAMP = offset("stop_timestamp");
    private static final int START_POSITION = offset("start_position");
    private static final int STOP_POSITION = offset("stop_position");
    private static final int INITIAL_TERM_ID = offset("initial_term_id");
    private static final int SEGMENT_FILE_LENGTH = offset("segment_file_length");
    private static final int TERM_BUFFER_LENGTH = offset("term_buffer_length");
    private static final int MTU_LENGTH = offset("mtu_length");
    private static final int SESSION_ID = offset("session_id");
    private static final int STREAM_ID = offset("stream_id");
    private static final int STRIPPED_CHANNEL = offset("stripped_channel");
    private static final int ORIGINAL_CHANNEL = offset("original_channel");
    private static final int SOURCE_IDENTITY = offset("source_identity");
    private static final int POINTER_SIZE = Loader.sizeof(Pointer.class);
    private static final int STRUCT_LENGTH = Loader.sizeof(abr_archive_recording_descriptor_t.class);
    /* Strings are read a window at a time while looking for their NUL; no bound is placed on their length. */
    private static final int WINDOW = 256;

    private final UnsafeBuffer struct = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer chars = new UnsafeBuffer(0, 0);
    private byte[] bytes = new byte[WINDOW];

    void dispatch(final Pointer descriptor, final RecordingDescriptorConsumer consumer)
    {
        struct.wrap(descriptor.address(), STRUCT_LENGTH);
        consumer.onRecordingDescriptor(
            struct.getLong(CONTROL_SESSION_ID),
            struct.getLong(CORRELATION_ID),
            struct.getLong(RECORDING_ID),
            struct.getLong(START_TIMESTAMP),
            struct.getLong(STOP_TIMESTAMP),
            struct.getLong(START_POSITION),
            struct.getLong(STOP_POSITION),
            struct.getInt(INITIAL_TERM_ID),
            struct.getInt(SEGMENT_FILE_LENGTH),
            struct.getInt(TERM_BUFFER_LENGTH),
            struct.getInt(MTU_LENGTH),
            struct.getInt(SESSION_ID),
            struct.getInt(STREAM_ID),
            string(STRIPPED_CHANNEL),
            string(ORIGINAL_CHANNEL),
            string(SOURCE_IDENTITY));
    }

    /* The NUL-terminated UTF-8 string the pointer at this offset names; "" for NULL, as NativeErrors.nativeString. */
    private String string(final int pointerOffset)
    {
        final long address = POINTER_SIZE == Long.BYTES ?
            struct.getLong(pointerOffset) : Integer.toUnsignedLong(struct.getInt(pointerOffset));
        if (0 == address)
        {
            return "";
        }
        int length = 0;
        while (true)
        {
            chars.wrap(address + length, WINDOW);
            for (int i = 0; i < WINDOW; i++)
            {
                final byte b = chars.getByte(i);
                if (0 == b)
                {
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                if (length == bytes.length)
                {
                    final byte[] larger = new byte[bytes.length * 2];
                    System.arraycopy(bytes, 0, larger, 0, length);
                    bytes = larger;
                }
                bytes[length++] = b;
            }
        }
    }

    private static int offset(final String member)
    {
        return Loader.offsetof(abr_archive_recording_descriptor_t.class, member);
    }
}
