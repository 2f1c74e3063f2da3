package org.archivebridge;

/**
 * Told of each image as it goes from a {@link NativeSubscription} (the publisher gone, or the subscription closed), as
 * io.aeron.UnavailableImageHandler is. The image is already closed: its position and end of stream are their final
 * values. Called on the client's conductor (or the thread closing the subscription), under the same rules as
 * {@link NativeAvailableImageHandler}.
 */
@FunctionalInterface
public interface NativeUnavailableImageHandler
{
    /**
     * @param image that went.
     */
    void onUnavailableImage(NativeImage image);
}
