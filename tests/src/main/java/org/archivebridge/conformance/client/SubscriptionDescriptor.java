package org.archivebridge.conformance.client;

/** One recording subscription, the 5 values both clients' subscription descriptor consumers receive, in order. */
public record SubscriptionDescriptor(
    long controlSessionId, long correlationId, long subscriptionId, int streamId, String strippedChannel)
{
}
