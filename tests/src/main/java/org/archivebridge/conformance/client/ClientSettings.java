package org.archivebridge.conformance.client;

/**
 * What both clients are connected with; the scenarios vary one value at a time through the withers. A message
 * timeout of 0 leaves it to each client's context (aeron.archive.message.timeout, else the default).
 */
public record ClientSettings(
    String aeronDirectoryName,
    String controlRequestChannel,
    int controlRequestStreamId,
    String controlResponseChannel,
    int controlResponseStreamId,
    long messageTimeoutNs)
{
    public ClientSettings withAeronDirectoryName(final String aeronDirectoryName)
    {
        return new ClientSettings(aeronDirectoryName, controlRequestChannel, controlRequestStreamId,
            controlResponseChannel, controlResponseStreamId, messageTimeoutNs);
    }

    public ClientSettings withControlRequestStreamId(final int controlRequestStreamId)
    {
        return new ClientSettings(aeronDirectoryName, controlRequestChannel, controlRequestStreamId,
            controlResponseChannel, controlResponseStreamId, messageTimeoutNs);
    }

    public ClientSettings withControlResponseStreamId(final int controlResponseStreamId)
    {
        return new ClientSettings(aeronDirectoryName, controlRequestChannel, controlRequestStreamId,
            controlResponseChannel, controlResponseStreamId, messageTimeoutNs);
    }

    public ClientSettings withMessageTimeoutNs(final long messageTimeoutNs)
    {
        return new ClientSettings(aeronDirectoryName, controlRequestChannel, controlRequestStreamId,
            controlResponseChannel, controlResponseStreamId, messageTimeoutNs);
    }

    public ClientSettings withControlResponseChannel(final String controlResponseChannel)
    {
        return new ClientSettings(aeronDirectoryName, controlRequestChannel, controlRequestStreamId,
            controlResponseChannel, controlResponseStreamId, messageTimeoutNs);
    }
}
