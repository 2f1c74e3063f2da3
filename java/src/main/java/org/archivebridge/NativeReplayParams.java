package org.archivebridge;

/**
 * Optional parameters of {@link NativeArchive#startReplay(long, String, int, NativeReplayParams)} and
 * {@link NativeArchive#replay(long, String, int, NativeReplayParams)}, with the same fluent setters and defaults as
 * AeronArchive's ReplayParams (this module does not depend on aeron-archive). Free to reuse once the call returns;
 * not thread safe.
 */
public final class NativeReplayParams
{
    /** The null value Aeron uses for ids, positions and lengths. */
    public static final long NULL_VALUE = -1;
    /** Replay to the live end and follow it (AeronArchive.REPLAY_ALL_AND_FOLLOW). */
    public static final long REPLAY_ALL_AND_FOLLOW = NULL_VALUE;
    /** Replay what is recorded when the request arrives, then stop (AeronArchive.REPLAY_ALL_AND_STOP). */
    public static final long REPLAY_ALL_AND_STOP = -2;

    private int boundingLimitCounterId;
    private int fileIoMaxLength;
    private long position;
    private long length;
    private long replayToken;
    private long subscriptionRegistrationId;

    /**
     * Parameters with every value at its default: the whole recording from its start, followed live.
     */
    public NativeReplayParams()
    {
        reset();
    }

    /**
     * Put every value back to its default.
     *
     * @return this for a fluent API.
     */
    public NativeReplayParams reset()
    {
        boundingLimitCounterId = (int)NULL_VALUE;
        fileIoMaxLength = (int)NULL_VALUE;
        position = NULL_VALUE;
        length = REPLAY_ALL_AND_FOLLOW;
        replayToken = NULL_VALUE;
        subscriptionRegistrationId = NULL_VALUE;
        return this;
    }

    /**
     * @param position to replay from, or NULL_VALUE (the default) for the recording's start.
     * @return this for a fluent API.
     */
    public NativeReplayParams position(final long position)
    {
        this.position = position;
        return this;
    }

    public long position()
    {
        return position;
    }

    /**
     * @param length bytes to replay, {@link #REPLAY_ALL_AND_FOLLOW} (the default) or {@link #REPLAY_ALL_AND_STOP}.
     * @return this for a fluent API.
     */
    public NativeReplayParams length(final long length)
    {
        this.length = length;
        return this;
    }

    public long length()
    {
        return length;
    }

    /**
     * @param boundingLimitCounterId counter whose value bounds the replay; setting it makes the request a bounded
     *                               replay.
     * @return this for a fluent API.
     */
    public NativeReplayParams boundingLimitCounterId(final int boundingLimitCounterId)
    {
        this.boundingLimitCounterId = boundingLimitCounterId;
        return this;
    }

    public int boundingLimitCounterId()
    {
        return boundingLimitCounterId;
    }

    /**
     * @param fileIoMaxLength largest file read the replay makes, or NULL_VALUE for the archive's setting; a value
     *                        above the archive's setting changes nothing, one below the recording's MTU is refused.
     * @return this for a fluent API.
     */
    public NativeReplayParams fileIoMaxLength(final int fileIoMaxLength)
    {
        this.fileIoMaxLength = fileIoMaxLength;
        return this;
    }

    public int fileIoMaxLength()
    {
        return fileIoMaxLength;
    }

    /**
     * @return true when a bounding limit counter is set, as ReplayParams.isBounded.
     */
    public boolean isBounded()
    {
        return NULL_VALUE != boundingLimitCounterId;
    }

    /**
     * @param replayToken token identifying the control session when the replay is requested over another
     *                    connection; the archive reads it only for control-mode=response replay channels, for
     *                    which the client requests one itself.
     * @return this for a fluent API.
     */
    public NativeReplayParams replayToken(final long replayToken)
    {
        this.replayToken = replayToken;
        return this;
    }

    public long replayToken()
    {
        return replayToken;
    }

    /**
     * @param registrationId of the control-mode=response subscription a startReplay to a response channel goes to.
     */
    public void subscriptionRegistrationId(final long registrationId)
    {
        this.subscriptionRegistrationId = registrationId;
    }

    public long subscriptionRegistrationId()
    {
        return subscriptionRegistrationId;
    }
}
