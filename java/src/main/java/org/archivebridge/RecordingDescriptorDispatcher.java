package org.archivebridge;

import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.LangUtil;
import org.archivebridge.binding.ArchiveBridgeLibrary.RecordingDescriptorConsumerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_descriptor_t;
import org.bytedeco.javacpp.Pointer;

/**
 * The one native callback of a client, allocated with it and kept referenced by it so the GC cannot free the
 * thunk while C may call it. It hands each descriptor to the consumer of the call in progress. An exception
 * must not unwind through the C frames, so it is kept and rethrown after the native call returns.
 */
final class RecordingDescriptorDispatcher extends RecordingDescriptorConsumerCallback
{
    private final RecordingDescriptorReader reader = new RecordingDescriptorReader();
    private RecordingDescriptorConsumer consumer;
    private Throwable failure;

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
    public void call(final Pointer clientd, final abr_archive_recording_descriptor_t descriptor)
    {
        if (null == consumer || null != failure)
        {
            return;
        }

        try
        {
            reader.dispatch(descriptor, consumer);
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }
}
