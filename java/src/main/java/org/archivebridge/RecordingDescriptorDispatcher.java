package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.LangUtil;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingDescriptorBatchCallback;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The one native batch callback of a client, allocated with it and kept referenced by it so the GC cannot free the
 * thunk while C may call it, with the buffer the batched listing fills. It hands each descriptor of a batch to the
 * consumer of the call in progress. An exception must not unwind through the C frames, so it is kept, the rest of
 * the listing dropped, and it is rethrown after the native call returns.
 */
final class RecordingDescriptorDispatcher extends RecordingDescriptorBatchCallback
{
    /* Far above a descriptor's size (three strings the archive bounds, mostly channels); a batch of some hundreds. */
    static final int CAPACITY = 128 * 1024;

    private final RecordingDescriptorReader reader = new RecordingDescriptorReader();
    private final BytePointer buffer = new BytePointer(CAPACITY);
    private RecordingDescriptorConsumer consumer;
    private Throwable failure;

    BytePointer buffer()
    {
        return buffer;
    }

    void begin(final RecordingDescriptorConsumer consumer)
    {
        this.consumer = consumer;
        this.failure = null;
    }

    boolean isActive()
    {
        return null != consumer;
    }

    void end()
    {
        final Throwable thrown = failure;
        reset();
        if (null != thrown)
        {
            LangUtil.rethrowUnchecked(thrown);
        }
    }

    void reset()
    {
        consumer = null;
        failure = null;
    }

    @Override
    public void call(final Pointer clientd, final BytePointer batch, final long length, final int count)
    {
        dispatch(count, length);
    }

    /* The count records of a batch of length bytes the native listing wrote into buffer(). */
    void dispatch(final int count, final long length)
    {
        if (null == consumer || null != failure)
        {
            return;
        }
        try
        {
            if (length < 0 || length > CAPACITY)
            {
                throw new IllegalStateException("descriptor batch of " + length + " bytes in a buffer of " + CAPACITY);
            }
            reader.load(buffer.address(), (int)length);
            int offset = 0;
            for (int i = 0; i < count && null != consumer; i++)
            {
                offset = reader.dispatch(offset, consumer);
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    @Override
    public void close()
    {
        buffer.close();
        super.close();
    }
}
