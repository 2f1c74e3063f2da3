package org.archivebridge.conformance;

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
    static final int NULL_VALUE = -1;

    /** From position, length bytes; nothing else set. */
    static ReplayOptions range(final long position, final long length)
    {
        return new ReplayOptions(position, length, NULL_VALUE, NULL_VALUE, NULL_VALUE, NULL_VALUE);
    }

    ReplayOptions withFileIoMaxLength(final int fileIoMaxLength)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }

    ReplayOptions withReplayToken(final long replayToken)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }

    ReplayOptions withBoundingLimitCounterId(final int boundingLimitCounterId)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }

    ReplayOptions withSubscriptionRegistrationId(final long subscriptionRegistrationId)
    {
        return new ReplayOptions(
            position, length, boundingLimitCounterId, fileIoMaxLength, replayToken, subscriptionRegistrationId);
    }
}
