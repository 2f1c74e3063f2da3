package org.archivebridge.conformance.scenario;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ArchiveVersions;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Archives of a scenario's own, each in a process of its own with its Media Driver, for the scenarios that stop,
 * restart or provoke the Archive where the shared server's checks must not see it.
 */
final class PrivateArchives
{
    /** A client's driver gives up on a stopped Archive's images after this, instead of the default 10 s. */
    private static final long CLIENT_IMAGE_LIVENESS_MS = 1_000;

    /** What a scenario does with its client of a private Archive; stopping that Archive is the body's to do. */
    @FunctionalInterface
    interface ClientBody
    {
        void run(ArchiveClient client, ClientSettings settings, ArchiveServer server) throws Exception;
    }

    private PrivateArchives()
    {
    }

    /**
     * Start an Archive of the matrix cell's version, logging beside the shared server's log; against a deployment the
     * gate did not start (no log file, no version of ours) the default version, logging under target.
     */
    static ArchiveServer start(final ScenarioRun run, final List<String> props)
        throws IOException, InterruptedException
    {
        final ArchiveServer shared = run.environment().server();
        final String version = ArchiveVersions.ALL.contains(shared.version()) ? shared.version() :
            ArchiveVersions.DEFAULT;
        final Path logDir = shared.logFile() != null ? shared.logFile().toAbsolutePath().getParent() :
            Path.of("target");
        return ArchiveServer.start(logDir, version, props);
    }

    /**
     * Start an Archive (the defaults) and connect the run's client kind to it over UDP from a Media Driver of the
     * scenario's own (its directory named clientDirPrefix and a random suffix, under /dev/shm), as the step
     * connectToPrivateArchive; then run body with that client and close it (the step close, "after the Archive
     * stopped"). A failed connect is an expectation that failed, and body does not run.
     */
    static void withClientOverOwnDriver(final ScenarioRun run, final String clientDirPrefix, final ClientBody body)
        throws Exception
    {
        try (MediaDriver clientDriver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName("/dev/shm/" + clientDirPrefix + UUID.randomUUID().toString().substring(0, 8))
            .imageLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(CLIENT_IMAGE_LIVENESS_MS))
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
            ArchiveServer server = start(run, List.of()))
        {
            final ClientSettings settings = new ClientSettings(clientDriver.aeronDirectoryName(),
                server.controlChannel(), server.controlStreamId(), "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
                ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID, ScenarioEnvironment.MESSAGE_TIMEOUT_NS);
            final ArchiveClient[] connected = new ArchiveClient[1];
            run.action("connectToPrivateArchive", List.of("udp"), () -> connected[0] = run.kind().connect(settings));
            final ArchiveClient client = connected[0];
            if (null == client)
            {
                run.expect(false, "connect to the private Archive succeeds");
                return;
            }
            try
            {
                body.run(client, settings, server);
            }
            finally
            {
                run.action("close", List.of("after the Archive stopped"), client::close);
            }
        }
    }

    /**
     * The id of the private Archive's recording of the publisher's session, once the client sees it hold all that was
     * published; both waits are expectations of the run. The Archive is watched through a client of its driver that
     * is closed before this returns: one still open when the body stops that driver would declare it dead.
     */
    static long awaitRecording(
        final ScenarioRun run, final ArchiveClient client, final ArchiveServer server,
        final SequencedPublisher publisher)
    {
        final long recordingId;
        try (ServerObserver observer = new ServerObserver(server))
        {
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            recordingId = observer.activeRecordingId(publisher.sessionId());
        }
        final long recorded = publisher.position();
        run.expect(StreamPublisher.await(() -> RecordedStream.recordedUpTo(client, recordingId, recorded)),
            "the recording reaches " + recorded);
        return recordingId;
    }
}
