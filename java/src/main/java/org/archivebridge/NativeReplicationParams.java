package org.archivebridge;

import java.util.Arrays;

/**
 * Optional parameters of {@link NativeArchive#replicate(long, int, String, NativeReplicationParams)}, with the same
 * fluent setters and defaults as AeronArchive's ReplicationParams (this module does not depend on aeron-archive).
 * Free to reuse once the call returns.
 */
public final class NativeReplicationParams
{
    /** The null value Aeron uses for ids, positions and lengths. */
    public static final long NULL_VALUE = -1;

    private static final byte[] NO_CREDENTIALS = new byte[0];

    private long stopPosition;
    private long dstRecordingId;
    private String liveDestination;
    private String replicationChannel;
    private long channelTagId;
    private long subscriptionTagId;
    private int fileIoMaxLength;
    private int replicationSessionId;
    private byte[] encodedCredentials;
    private String srcResponseChannel;

    /**
     * Parameters with every value at its default.
     */
    public NativeReplicationParams()
    {
        reset();
    }

    /**
     * Put every value back to its default.
     *
     * @return this for a fluent API.
     */
    public NativeReplicationParams reset()
    {
        stopPosition = NULL_VALUE;
        dstRecordingId = NULL_VALUE;
        liveDestination = null;
        replicationChannel = null;
        channelTagId = NULL_VALUE;
        subscriptionTagId = NULL_VALUE;
        fileIoMaxLength = (int)NULL_VALUE;
        replicationSessionId = (int)NULL_VALUE;
        encodedCredentials = NO_CREDENTIALS;
        srcResponseChannel = null;
        return this;
    }

    /**
     * @param stopPosition position to stop the replication at, or NULL_VALUE to follow the source.
     * @return this for a fluent API.
     */
    public NativeReplicationParams stopPosition(final long stopPosition)
    {
        this.stopPosition = stopPosition;
        return this;
    }

    /**
     * @return position to stop the replication at.
     */
    public long stopPosition()
    {
        return stopPosition;
    }

    /**
     * @param dstRecordingId existing destination recording to extend, or NULL_VALUE for a new one.
     * @return this for a fluent API.
     */
    public NativeReplicationParams dstRecordingId(final long dstRecordingId)
    {
        this.dstRecordingId = dstRecordingId;
        return this;
    }

    /**
     * @return destination recording id.
     */
    public long dstRecordingId()
    {
        return dstRecordingId;
    }

    /**
     * @param liveChannel destination added to a live subscription once the replication has caught up, or null.
     * @return this for a fluent API.
     */
    public NativeReplicationParams liveDestination(final String liveChannel)
    {
        this.liveDestination = liveChannel;
        return this;
    }

    /**
     * @return live destination, or null.
     */
    public String liveDestination()
    {
        return liveDestination;
    }

    /**
     * @param replicationChannel channel the replay from the source arrives on, or null for the archive's default.
     * @return this for a fluent API.
     */
    public NativeReplicationParams replicationChannel(final String replicationChannel)
    {
        this.replicationChannel = replicationChannel;
        return this;
    }

    /**
     * @return replication channel, or null.
     */
    public String replicationChannel()
    {
        return replicationChannel;
    }

    /**
     * @param channelTagId tag for the replication's channel, or NULL_VALUE.
     * @return this for a fluent API.
     */
    public NativeReplicationParams channelTagId(final long channelTagId)
    {
        this.channelTagId = channelTagId;
        return this;
    }

    /**
     * @return channel tag id.
     */
    public long channelTagId()
    {
        return channelTagId;
    }

    /**
     * @param subscriptionTagId tag for the replication's subscription, or NULL_VALUE.
     * @return this for a fluent API.
     */
    public NativeReplicationParams subscriptionTagId(final long subscriptionTagId)
    {
        this.subscriptionTagId = subscriptionTagId;
        return this;
    }

    /**
     * @return subscription tag id.
     */
    public long subscriptionTagId()
    {
        return subscriptionTagId;
    }

    /**
     * @param fileIoMaxLength largest file read the source's replay makes, or NULL_VALUE for its default.
     * @return this for a fluent API.
     */
    public NativeReplicationParams fileIoMaxLength(final int fileIoMaxLength)
    {
        this.fileIoMaxLength = fileIoMaxLength;
        return this;
    }

    /**
     * @return file I/O max length.
     */
    public int fileIoMaxLength()
    {
        return fileIoMaxLength;
    }

    /**
     * @param replicationSessionId session id for the replicated stream, or NULL_VALUE; not with a live destination.
     * @return this for a fluent API.
     */
    public NativeReplicationParams replicationSessionId(final int replicationSessionId)
    {
        this.replicationSessionId = replicationSessionId;
        return this;
    }

    /**
     * @return replication session id.
     */
    public int replicationSessionId()
    {
        return replicationSessionId;
    }

    /**
     * @param encodedCredentials credentials for the source archive; null means none.
     * @return this for a fluent API.
     */
    public NativeReplicationParams encodedCredentials(final byte[] encodedCredentials)
    {
        this.encodedCredentials = null == encodedCredentials ? NO_CREDENTIALS : encodedCredentials;
        return this;
    }

    /**
     * @return encoded credentials, empty when none.
     */
    public byte[] encodedCredentials()
    {
        return encodedCredentials;
    }

    /**
     * @param responseChannel channel the source archive answers the destination archive on, or null.
     * @return this for a fluent API.
     */
    public NativeReplicationParams srcResponseChannel(final String responseChannel)
    {
        this.srcResponseChannel = responseChannel;
        return this;
    }

    /**
     * @return source response channel, or null.
     */
    public String srcResponseChannel()
    {
        return srcResponseChannel;
    }

    @Override
    public String toString()
    {
        return "NativeReplicationParams{stopPosition=" + stopPosition + ", dstRecordingId=" + dstRecordingId +
            ", liveDestination='" + liveDestination + "', replicationChannel='" + replicationChannel +
            "', channelTagId=" + channelTagId + ", subscriptionTagId=" + subscriptionTagId +
            ", fileIoMaxLength=" + fileIoMaxLength + ", replicationSessionId=" + replicationSessionId +
            ", encodedCredentials=" + Arrays.toString(encodedCredentials) + ", srcResponseChannel='" +
            srcResponseChannel + "'}";
    }
}
