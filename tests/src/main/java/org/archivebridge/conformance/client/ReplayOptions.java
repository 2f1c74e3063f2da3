package org.archivebridge.conformance.client;

/**
 * The replay parameters a scenario sets, given to both clients as Aeron's ReplayParams,
 * field for field.
 */
public record ReplayOptions(
    long position,
    long length,
    int boundingLimitCounterId,
    int fileIoMaxLength,
    long replayToken,
    long subscriptionRegistrationId)
{
    public static final int NULL_VALUE = -1;

    /** From position, length bytes; nothing else set. */
    public static ReplayOptions range(final long position, final long length)
    {
        return new ReplayOptions(position, length, NULL_VALUE, NULL_VALUE, NULL_VALUE, NULL_VALUE);
    }

    public ReplayOptions withFileIoMaxLength(final int fileIoMaxLength)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }

    public ReplayOptions withReplayToken(final long replayToken)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }

    public ReplayOptions withBoundingLimitCounterId(final int boundingLimitCounterId)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }

    public ReplayOptions withSubscriptionRegistrationId(final long subscriptionRegistrationId)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }
}
