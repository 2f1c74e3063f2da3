package org.archivebridge.conformance.scenario;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ArchiveServerMain;
import org.archivebridge.conformance.server.ArchiveVersions;
import org.archivebridge.conformance.server.ControlRequestTap;
import org.archivebridge.conformance.server.ServerChecks;
import org.archivebridge.conformance.server.ServerObserver;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One server and everything that watches it, shared by every scenario run against it: the observer, the checks,
 * and a control request tap on each of the Archive's control channels (UDP and IPC), opened before any client
 * connects so no request is missed.
 * <p>
 * The {@link Transport} decides where the clients live: on the Archive's own driver talking IPC, or on a Media
 * Driver of their own (separate Aeron directory) talking UDP over loopback, as remote archive clients are deployed.
 */
public final class ScenarioEnvironment implements AutoCloseable
{
    /** How the clients reach the Archive. */
    public enum Transport
    {
        /** Clients on the Archive's Media Driver, control requests and responses over aeron:ipc. */
        IPC,
        /** Clients on their own Media Driver, control requests and responses over UDP on loopback. */
        UDP;

        /** Parse "ipc", "udp" or "both". */
        public static List<Transport> parse(final String value)
        {
            final String name = value.trim().toUpperCase(Locale.ROOT);
            if ("BOTH".equals(name))
            {
                return List.of(IPC, UDP);
            }
            try
            {
                return List.of(valueOf(name));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--transport takes ipc, udp or both, not " + value, ex);
            }
        }
    }

    /** The response stream both clients use unless a scenario says otherwise. */
    public static final int CONTROL_RESPONSE_STREAM_ID = 20;
    public static final long MESSAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Publications linger this long after their close on both drivers (default 5 s), so the driver-resource check
     * after each scenario sees closed publications go away without waiting seconds per scenario.
     */
    static final long PUBLICATION_LINGER_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** How often the drivers look at lingering resources (default 1 s); see {@link #PUBLICATION_LINGER_NS}. */
    static final long DRIVER_TIMER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * The settings of a Media Driver of the tests' own, in this JVM (the UDP clients', a scenario's publisher or
     * consumer): SHARED threading, the short linger and timer above, its directory the prefix and a random suffix,
     * made fresh and removed on close.
     */
    static MediaDriver.Context ownDriverContext(final String dirPrefix)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(dirPrefix + UUID.randomUUID().toString().substring(0, 8))
            .threadingMode(ThreadingMode.SHARED)
            .publicationLingerTimeoutNs(PUBLICATION_LINGER_NS)
            .timerIntervalNs(DRIVER_TIMER_INTERVAL_NS)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
    }

    private final ArchiveServer server;
    private final Transport transport;
    private final MediaDriver clientDriver;
    private final Aeron clientDriverObserver;
    private final ServerObserver observer;
    private final ServerChecks checks;
    private final ControlRequestTap udpTap;
    private final ControlRequestTap ipcTap;
    private final ControlRequestTap archiveDriverUdpTap;

    private ScenarioEnvironment(final ArchiveServer server, final Transport transport, final MediaDriver clientDriver)
    {
        this.server = server;
        this.transport = transport;
        this.clientDriver = clientDriver;
        this.observer = new ServerObserver(server);
        this.clientDriverObserver = null == clientDriver ? null :
            Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        this.checks = new ServerChecks(observer,
            null == clientDriverObserver ? observer.aeron().countersReader() : clientDriverObserver.countersReader());
        // A spy sees only publications on its own driver: the UDP tap goes where the UDP clients' publications are.
        this.udpTap = null == clientDriverObserver ? observer.tap(server.controlChannel(), server.controlStreamId()) :
            new ControlRequestTap(clientDriverObserver, ControlRequestTap.tapChannelFor(server.controlChannel()),
                server.controlStreamId());
        this.ipcTap = observer.tap(server.localControlChannel(), server.localControlStreamId());
        this.archiveDriverUdpTap = null == clientDriverObserver ? udpTap :
            observer.tap(server.controlChannel(), server.controlStreamId());
    }

    public static ScenarioEnvironment start(final Path logDir) throws IOException, InterruptedException
    {
        return start(logDir, ArchiveVersions.DEFAULT, Transport.UDP, List.of());
    }

    /** Start a server of this Aeron release (see {@link ArchiveVersions}) and everything that watches it. */
    public static ScenarioEnvironment start(final Path logDir, final String archiveVersion)
        throws IOException, InterruptedException
    {
        return start(logDir, archiveVersion, Transport.UDP, List.of());
    }

    /**
     * Start a server of this Aeron release, with the clients on the given transport.
     *
     * @param serverProps extra system properties for the server's JVM ({@code name=value}), e.g. Archive timeouts.
     */
    public static ScenarioEnvironment start(
        final Path logDir, final String archiveVersion, final Transport transport, final List<String> serverProps)
        throws IOException, InterruptedException
    {
        final List<String> props = new java.util.ArrayList<>(serverProps);
        props.add("aeron.publication.linger.timeout=" + PUBLICATION_LINGER_NS);
        props.add("aeron.timer.interval=" + DRIVER_TIMER_INTERVAL_NS);
        props.add(ArchiveServerMain.RECORDING_EVENTS_PROP + "=true");
        return around(ArchiveServer.start(logDir, archiveVersion, props), transport);
    }

    /**
     * Watch and use a server that is already running (see {@link ArchiveServer#attach}); closing the environment
     * leaves it running.
     */
    public static ScenarioEnvironment attach(final ArchiveServer server, final Transport transport)
    {
        return around(server, transport);
    }

    private static ScenarioEnvironment around(final ArchiveServer server, final Transport transport)
    {
        MediaDriver clientDriver = null;
        try
        {
            if (transport == Transport.UDP)
            {
                clientDriver = MediaDriver.launch(ownDriverContext(server.aeronDirectoryName() + "-client-"));
            }
            return new ScenarioEnvironment(server, transport, clientDriver);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(clientDriver);
            server.close();
            throw ex;
        }
    }

    public ArchiveServer server()
    {
        return server;
    }

    public Transport transport()
    {
        return transport;
    }

    public ServerObserver observer()
    {
        return observer;
    }

    public ServerChecks checks()
    {
        return checks;
    }

    /** The Aeron directory of the driver the clients use: their own (UDP) or the Archive's (IPC). */
    public String clientAeronDirectoryName()
    {
        return null == clientDriver ? server.aeronDirectoryName() : clientDriver.aeronDirectoryName();
    }

    /**
     * Settings for a new client on this environment's transport: UDP from the clients' own driver, with a
     * response port of its own, or IPC both ways on the Archive's driver. (The name predates the transport choice:
     * scenarios use it for "the normal way to connect".)
     */
    public ClientSettings udpSettings()
    {
        if (transport == Transport.IPC)
        {
            return ipcSettings();
        }
        return new ClientSettings(
            clientAeronDirectoryName(),
            server.controlChannel(),
            server.controlStreamId(),
            "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
            CONTROL_RESPONSE_STREAM_ID,
            MESSAGE_TIMEOUT_NS);
    }

    /**
     * Settings for a new client over UDP from the Archive's own driver, on any transport: the Archive's image of the
     * client's requests is then in the client's driver, where close may read the Archive's subscriber position.
     */
    public ClientSettings udpOnArchiveDriverSettings()
    {
        return new ClientSettings(
            server.aeronDirectoryName(),
            server.controlChannel(),
            server.controlStreamId(),
            "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
            CONTROL_RESPONSE_STREAM_ID,
            MESSAGE_TIMEOUT_NS);
    }

    /** The tap that sees the requests of clients with {@link #udpOnArchiveDriverSettings()}. */
    public ControlRequestTap archiveDriverUdpTap()
    {
        return archiveDriverUdpTap;
    }

    /** Settings for a new client over IPC, both ways, which needs the Archive's own driver on any transport. */
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

    /**
     * A channel the Archive can replay to and a client of this transport can subscribe to: aeron:ipc works only on
     * a shared driver, so UDP clients get a loopback endpoint of their own.
     */
    public String replayChannel()
    {
        return transport == Transport.IPC ? "aeron:ipc" : "aeron:udp?endpoint=localhost:" + FreePorts.udp();
    }

    /** A channel as a transcript shows it: without the port, which differs from run to run. */
    public static String channelLabel(final String channel)
    {
        return channel.replaceAll("endpoint=localhost:[0-9]+", "endpoint=localhost:*");
    }

    /**
     * A tap on the clients' own driver (UDP transport) for the control channel of an archive other than this
     * environment's, e.g. replication's second archive; the caller closes it. Null on the IPC transport, where the
     * clients share the Archive's driver and a tap belongs on the other archive's driver instead.
     */
    public ControlRequestTap clientDriverTap(final String controlRequestChannel, final int streamId)
    {
        return null == clientDriverObserver ? null : new ControlRequestTap(
            clientDriverObserver, ControlRequestTap.tapChannelFor(controlRequestChannel), streamId);
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
            if (archiveDriverUdpTap != udpTap)
            {
                archiveDriverUdpTap.close();
            }
            observer.close();
            CloseHelper.quietClose(clientDriverObserver);
            if (null != clientDriver)
            {
                clientDriver.close();
                IoUtil.delete(new File(clientDriver.aeronDirectoryName()), true);
            }
        }
        finally
        {
            server.close();
        }
    }
}
