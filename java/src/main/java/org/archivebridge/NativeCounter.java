package org.archivebridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_mapping_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_t;
import org.bytedeco.javacpp.BytePointer;

import java.nio.charset.StandardCharsets;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_COUNTER_MAX_LABEL_LENGTH;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_mapping;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counter_registration_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counters_label;

/**
 * A counter this client allocated in the Media Driver's CnC, as {@code io.aeron.Counter} from
 * {@link NativeAeron#addCounter(int, String)}: any reader of the CnC (Aeron's CountersReader among them) sees its type
 * id, key, label and value. The value is read and written from Java straight in the CnC, with the memory ordering each
 * method names, so no call crosses JNI. Any number of threads may use it at once and one may close it meanwhile: a
 * call that started before the close completes before the driver is told to remove the counter, and a call after it
 * throws {@link IllegalStateException} (where Aeron's Counter reads and writes the released record). A counter the
 * driver freed (another client removed it) or whose client closed reports closed as well.
 */
public final class NativeCounter extends NativeHandle implements AutoCloseable
{
    private final NativeAeron aeron;
    private final abr_counter_t counter;
    private final int id;
    private final long registrationId;
    private final UnsafeBuffer value;
    private final UnsafeBuffer closed;
    private final UnsafeBuffer clientClosed;

    NativeCounter(final NativeAeron aeron, final abr_counter_t counter)
    {
        this.aeron = aeron;
        this.counter = counter;
        this.id = abr_counter_id(counter);
        this.registrationId = abr_counter_registration_id(counter);
        try (abr_counter_mapping_t mapping = new abr_counter_mapping_t())
        {
            NativeAeron.check(abr_counter_mapping(counter, mapping));
            value = new UnsafeBuffer(mapping.value().address(), Long.BYTES);
            closed = new UnsafeBuffer(mapping.closed().address(), Integer.BYTES);
            clientClosed = new UnsafeBuffer(mapping.client_closed().address(), Integer.BYTES);
        }
        catch (final RuntimeException ex)
        {
            // Nothing else holds the handle yet: remove it rather than leave it to the client's close.
            abr_counter_close(counter);
            throw ex;
        }
    }

    /* The native handle, for the persistent subscription's context: C writes the value through it. */
    abr_counter_t handle()
    {
        return counter;
    }

    /**
     * @return the counter's id in the CnC, what CountersReader takes.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the id the driver registered the counter by (the add's correlation id), as Counter.registrationId.
     */
    public long registrationId()
    {
        return registrationId;
    }

    /**
     * @return the label the driver holds for the counter, as AtomicCounter.label.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public String label()
    {
        enterOpen();
        try (BytePointer label = new BytePointer(ABR_COUNTER_MAX_LABEL_LENGTH + 1))
        {
            final int length = NativeAeron.check(abr_counters_label(aeron.handle(), id, label, label.capacity()));
            final byte[] bytes = new byte[Math.min(length, ABR_COUNTER_MAX_LABEL_LENGTH)];
            label.get(bytes);
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the value, read with volatile semantics, as AtomicCounter.get.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public long get()
    {
        enterOpen();
        try
        {
            return value.getLongVolatile(0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the value, read with acquire semantics, as AtomicCounter.getAcquire.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public long getAcquire()
    {
        enterOpen();
        try
        {
            return value.getLongAcquire(0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * @param newValue stored with volatile semantics, as AtomicCounter.set.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public void set(final long newValue)
    {
        enterOpen();
        try
        {
            value.putLongVolatile(0, newValue);
        }
        finally
        {
            exit();
        }
    }

    /**
     * @param newValue stored with release semantics, as AtomicCounter.setRelease.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public void setRelease(final long newValue)
    {
        enterOpen();
        try
        {
            value.putLongRelease(0, newValue);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Add 1 atomically, safe from any number of threads, as AtomicCounter.increment.
     *
     * @return the value before.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public long increment()
    {
        return getAndAdd(1);
    }

    /**
     * Add 1 with a release store, for a single writer, as AtomicCounter.incrementRelease.
     *
     * @return the value before.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public long incrementRelease()
    {
        enterOpen();
        try
        {
            final long before = value.getLong(0);
            value.putLongRelease(0, before + 1);
            return before;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Add delta atomically, safe from any number of threads, as AtomicCounter.getAndAdd.
     *
     * @param delta to add.
     * @return the value before.
     * @throws IllegalStateException if the counter or its client is closed.
     */
    public long getAndAdd(final long delta)
    {
        enterOpen();
        try
        {
            return value.getAndAddLong(0, delta);
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return true once closed: by {@link #close()}, by its client's close, or by the driver freeing it.
     */
    public boolean isClosed()
    {
        // Entered, and the client's flag first: once the client is closed, the native flags may be gone with it.
        if (!enter())
        {
            return true;
        }
        try
        {
            return aeron.isClosedFlag() || 0 != clientClosed.getIntVolatile(0) || 0 != closed.getIntVolatile(0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Remove the counter from the driver, once the calls on other threads that started before are done. A second close
     * does nothing.
     */
    public void close()
    {
        closeHandle();
    }

    void release()
    {
        aeron.release(this, () -> abr_counter_close(counter));
    }

    @Override
    public String toString()
    {
        return "NativeCounter{id=" + id + ", registrationId=" + registrationId + ", closed=" + isClosed() + "}";
    }

    /* Enter the handle, failing with the reason when the counter can no longer be used; exit() must follow. */
    private void enterOpen()
    {
        if (!enter())
        {
            // The client's close closes its counters too: say so.
            throw closedException(aeron.isClosedFlag() ? " (its client is closed)" : "");
        }
        // The client's flag first: once it is closed, the native flags may be gone with it.
        final boolean clientGone = aeron.isClosedFlag() || 0 != clientClosed.getIntVolatile(0);
        if (clientGone || 0 != closed.getIntVolatile(0))
        {
            exit();
            throw closedException(clientGone ? " (its client is closed)" : " (freed by the Media Driver)");
        }
    }

    private IllegalStateException closedException(final String reason)
    {
        return new IllegalStateException(
            "NativeCounter is closed" + reason + ": id=" + id + ", registrationId=" + registrationId);
    }
}
