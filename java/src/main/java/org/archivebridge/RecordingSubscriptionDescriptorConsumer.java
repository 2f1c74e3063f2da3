package org.archivebridge;

/**
 * Receives the archive's recording subscriptions, with the parameters of
 * {@code io.aeron.archive.client.RecordingSubscriptionDescriptorConsumer} in the same order.
 */
@FunctionalInterface
public interface RecordingSubscriptionDescriptorConsumer
{
    /**
     * @param controlSessionId of the session that listed it.
     * @param correlationId    of the listing request.
     * @param subscriptionId   of the recording subscription.
     * @param streamId         it records.
     * @param strippedChannel  it records, without the parameters the archive strips.
     */
    void onSubscriptionDescriptor(
        long controlSessionId, long correlationId, long subscriptionId, int streamId, String strippedChannel);
}
