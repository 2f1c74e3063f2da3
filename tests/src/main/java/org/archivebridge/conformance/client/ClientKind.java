package org.archivebridge.conformance.client;

import io.aeron.security.CredentialsSupplier;

import java.util.function.Consumer;
import java.util.function.Function;

/** The two clients the catalogue runs on: AeronArchive, the reference, and NativeArchive, the candidate. */
public enum ClientKind
{
    JAVA(JavaArchiveClient::connect, JavaArchiveClient::connect, JavaArchiveClient::connectAsync,
        JavaArchiveClient::connectWithCredentials, JavaProtocolVersionConnect::connect),
    NATIVE(NativeArchiveClient::connect, NativeArchiveClient::connectWithFaultyClose, NativeArchiveClient::connectAsync,
        NativeArchiveClient::connectWithCredentials, NativeArchiveClient::connectWithProtocolVersion);

    /** Connects with a credentials supplier; synchronously, or asynchronously reporting each state when given. */
    @FunctionalInterface
    interface CredentialsConnector
    {
        ArchiveClient connect(ClientSettings settings, CredentialsSupplier credentials, Consumer<String> asyncStates);
    }

    /** Connects announcing a chosen protocol semantic version. */
    @FunctionalInterface
    interface ProtocolVersionConnector
    {
        ArchiveClient connect(ClientSettings settings, int protocolSemanticVersion);
    }

    private final Function<ClientSettings, ArchiveClient> connector;
    private final Function<ClientSettings, FaultyClose> faultyConnector;
    private final Function<ClientSettings, ArchiveClient> asyncConnector;
    private final CredentialsConnector credentialsConnector;
    private final ProtocolVersionConnector protocolVersionConnector;

    ClientKind(
        final Function<ClientSettings, ArchiveClient> connector,
        final Function<ClientSettings, FaultyClose> faultyConnector,
        final Function<ClientSettings, ArchiveClient> asyncConnector,
        final CredentialsConnector credentialsConnector,
        final ProtocolVersionConnector protocolVersionConnector)
    {
        this.connector = connector;
        this.faultyConnector = faultyConnector;
        this.asyncConnector = asyncConnector;
        this.credentialsConnector = credentialsConnector;
        this.protocolVersionConnector = protocolVersionConnector;
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

    /**
     * Connect a client of this kind with a credentials supplier: synchronously when asyncStates is null, else through
     * its asynchronous connect, handing asyncStates the connect's state after every poll.
     *
     * @throws ClientFailure when the connect fails.
     */
    public ArchiveClient connectWithCredentials(
        final ClientSettings settings, final CredentialsSupplier credentials, final Consumer<String> asyncStates)
    {
        return credentialsConnector.connect(settings, credentials, asyncStates);
    }

    /**
     * Connect announcing another protocol semantic version. NativeArchive has a setting for it; for AeronArchive,
     * which has none, the suite sends AeronArchive's connect request itself ({@link JavaProtocolVersionConnect}).
     *
     * @throws ClientFailure when the connect fails.
     */
    public ArchiveClient connectWithProtocolVersion(final ClientSettings settings, final int protocolSemanticVersion)
    {
        return protocolVersionConnector.connect(settings, protocolSemanticVersion);
    }
}
