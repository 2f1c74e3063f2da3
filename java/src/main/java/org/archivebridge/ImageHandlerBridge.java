package org.archivebridge;

import org.archivebridge.binding.ArchiveBridgeLibrary.ImageHandlerCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_info_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_subscription_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_image_handle_from_info;

/*
 * The C image handlers of every subscription that has Java ones: one C thunk per kind for the whole JVM (JavaCPP
 * allows a few live instances of a callback class, not one per subscription), the subscription found again by its
 * clientd, a byte of native memory whose address is its key. Registered before the C add, so an image that comes
 * before the add returns finds its handlers.
 */
final class ImageHandlerBridge
{
    private static final Map<Long, Registration> REGISTRATIONS = new ConcurrentHashMap<>();
    static final ImageHandlerCallback ON_AVAILABLE = new Dispatcher(true);
    static final ImageHandlerCallback ON_UNAVAILABLE = new Dispatcher(false);

    static final class Registration
    {
        final BytePointer clientd = new BytePointer(1);
        final NativeAvailableImageHandler availableHandler;
        final NativeUnavailableImageHandler unavailableHandler;
        volatile NativeSubscription subscription;

        Registration(
            final NativeAvailableImageHandler availableHandler, final NativeUnavailableImageHandler unavailableHandler)
        {
            this.availableHandler = availableHandler;
            this.unavailableHandler = unavailableHandler;
        }
    }

    private ImageHandlerBridge()
    {
    }

    static Registration register(
        final NativeAvailableImageHandler availableHandler, final NativeUnavailableImageHandler unavailableHandler)
    {
        final Registration registration = new Registration(availableHandler, unavailableHandler);
        REGISTRATIONS.put(registration.clientd.address(), registration);
        return registration;
    }

    /* Once C can no longer call with it: its subscription closed, or its add failed. */
    static void unregister(final Registration registration)
    {
        if (null != REGISTRATIONS.remove(registration.clientd.address()))
        {
            registration.clientd.close();
        }
    }

    private static final class Dispatcher extends ImageHandlerCallback
    {
        private final boolean available;

        Dispatcher(final boolean available)
        {
            this.available = available;
        }

        @Override
        public void call(final Pointer clientd, final abr_subscription_t subscription, final abr_image_info_t info)
        {
            final Registration registration = null == clientd ? null : REGISTRATIONS.get(clientd.address());
            final NativeSubscription owner = null == registration ? null : registration.subscription;
            if (null == owner)
            {
                return;
            }
            try
            {
                final abr_image_handle_t handle = new abr_image_handle_t();
                if (abr_image_handle_from_info(handle, subscription, info) < 0)
                {
                    return;
                }
                final NativeImage image = new NativeImage(owner, handle, !available);
                if (available && null != registration.availableHandler)
                {
                    registration.availableHandler.onAvailableImage(image);
                }
                else if (!available && null != registration.unavailableHandler)
                {
                    registration.unavailableHandler.onUnavailableImage(image);
                }
            }
            catch (final Throwable ex)
            {
                // Nothing may unwind into the C conductor: the failure goes where an uncaught one would.
                final Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, ex);
            }
        }
    }
}
