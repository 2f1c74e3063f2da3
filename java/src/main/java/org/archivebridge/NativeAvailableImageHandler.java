package org.archivebridge;

/**
 * Told of each image as it comes to a {@link NativeSubscription}, as io.aeron.AvailableImageHandler is (which cannot
 * take a {@link NativeImage}). Called on the client's conductor, with its lock held: it may keep the image and read its
 * fixed properties, but must not add or close anything, nor poll.
 */
@FunctionalInterface
public interface NativeAvailableImageHandler
{
    /**
     * @param image that came.
     */
    void onAvailableImage(NativeImage image);
}
