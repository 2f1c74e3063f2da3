package org.archivebridge.conformance.client;

/**
 * Every replication parameter, given to both clients as Aeron's ReplicationParams, field for field. Null strings and credentials are passed on as null.
 */
public record ReplicationOptions(
    long stopPosition,
    long dstRecordingId,
    String liveDestination,
    String replicationChannel,
    long channelTagId,
    long subscriptionTagId,
    int fileIoMaxLength,
    int replicationSessionId,
    byte[] encodedCredentials,
    String srcResponseChannel)
{
}
