package org.archivebridge.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server and everything that watches it, shared by every scenario run against it: the observer, the checks,
 * and a control request tap on each of the Archive's control channels (UDP and IPC), opened before any client
 * connects so no request is missed.
 */
public final class ScenarioEnvironment implements AutoCloseable
{
    /** The response stream both clients use unless a scenario says otherwise. */
    public static final int CONTROL_RESPONSE_STREAM_ID = 20;
    public static final long MESSAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final ArchiveServer server;
    private final ServerObserver observer;
    private final ServerChecks checks;
    private final ControlRequestTap udpTap;
    private final ControlRequestTap ipcTap;

    private ScenarioEnvironment(final ArchiveServer server)
    {
        this.server = server;
        this.observer = new ServerObserver(server);
        this.checks = new ServerChecks(observer);
        this.udpTap = observer.tap(server.controlChannel(), server.controlStreamId());
        this.ipcTap = observer.tap(server.localControlChannel(), server.localControlStreamId());
    }

    public static ScenarioEnvironment start(final Path logDir) throws IOException, InterruptedException
    {
        return start(logDir, ArchiveVersions.DEFAULT);
    }

    /** Start a server of this Aeron release (see {@link ArchiveVersions}) and everything that watches it. */
    public static ScenarioEnvironment start(final Path logDir, final String archiveVersion)
        throws IOException, InterruptedException
    {
        final ArchiveServer server = ArchiveServer.start(logDir, archiveVersion, List.of());
        try
        {
            return new ScenarioEnvironment(server);
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
    }

    public ArchiveServer server()
    {
        return server;
    }

    public ServerObserver observer()
    {
        return observer;
    }

    public ServerChecks checks()
    {
        return checks;
    }

    /** Settings for a new client over UDP, with a response port of its own. */
    public ClientSettings udpSettings()
    {
        return new ClientSettings(
            server.aeronDirectoryName(),
            server.controlChannel(),
            server.controlStreamId(),
            "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
            CONTROL_RESPONSE_STREAM_ID,
            MESSAGE_TIMEOUT_NS);
    }

    /** Settings for a new client over IPC, both ways. */
    public ClientSettings ipcSettings()
    {
        return new ClientSettings(
            server.aeronDirectoryName(),
            server.localControlChannel(),
            server.localControlStreamId(),
            "aeron:ipc",
            CONTROL_RESPONSE_STREAM_ID,
            MESSAGE_TIMEOUT_NS);
    }

    /** The tap that sees the requests of a client with these settings. */
    public ControlRequestTap tapFor(final ClientSettings settings)
    {
        return settings.controlRequestChannel().startsWith("aeron:ipc") ? ipcTap : udpTap;
    }

    public void close()
    {
        try
        {
            udpTap.close();
            ipcTap.close();
            observer.close();
        }
        finally
        {
            server.close();
        }
    }
}
