package org.archivebridge.conformance;

import java.util.function.Function;

/** The two clients the catalogue runs on: AeronArchive, the reference, and NativeArchive, the candidate. */
public enum ClientKind
{
    JAVA(JavaArchiveClient::connect, JavaArchiveClient::connect, JavaArchiveClient::connectAsync),
    NATIVE(NativeArchiveClient::connect, NativeArchiveClient::connectWithFaultyClose, NativeArchiveClient::connectAsync);

    private final Function<ClientSettings, ArchiveClient> connector;
    private final Function<ClientSettings, FaultyClose> faultyConnector;
    private final Function<ClientSettings, ArchiveClient> asyncConnector;

    ClientKind(
        final Function<ClientSettings, ArchiveClient> connector,
        final Function<ClientSettings, FaultyClose> faultyConnector,
        final Function<ClientSettings, ArchiveClient> asyncConnector)
    {
        this.connector = connector;
        this.faultyConnector = faultyConnector;
        this.asyncConnector = asyncConnector;
    }

    /**
     * Connect a client of this kind through its asynchronous connect, polled to completion.
     *
     * @throws ClientFailure when the connect fails.
     */
    public ArchiveClient connectAsync(final ClientSettings settings)
    {
        return asyncConnector.apply(settings);
    }

    /**
     * Connect a client of this kind.
     *
     * @throws ClientFailure when the connect fails, categorised like any other call.
     */
    public ArchiveClient connect(final ClientSettings settings)
    {
        return connector.apply(settings);
    }

    /**
     * Connect a client of this kind in its deliberately faulty mode, for the negative controls only: a client
     * that can leave without sending CloseSessionRequest.
     *
     * @throws ClientFailure when the connect fails.
     */
    public FaultyClose connectWithFaultyClose(final ClientSettings settings)
    {
        return faultyConnector.apply(settings);
    }
}
