package org.archivebridge.conformance.server;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;

/**
 * The child JVM's entry point: a Java Media Driver and Archive in one process, so the clients under test talk to
 * the reference server over real IPC and UDP, never to something running in their own JVM.
 * <p>
 * Compiled against Aeron 1.51.0 but run on the jars of whichever Archive version the gate selects
 * ({@link ArchiveVersions}): it only uses API that every version in the matrix has.
 * <p>
 * Arguments: aeron directory, archive directory, control port, archive id, recording events port. Prints
 * {@link #READY} once both are up and shuts down cleanly when its stdin closes (the parent went away or asked) or on
 * SIGTERM/SIGINT.
 */
public final class ArchiveServerMain
{
    static final String READY = "ARCHIVE-SERVER-READY";
    static final int CONTROL_STREAM_ID = 10;
    static final String LOCAL_CONTROL_CHANNEL = "aeron:ipc";
    /** AeronArchive.Configuration's default recording events stream id. */
    static final int RECORDING_EVENTS_STREAM_ID = 30;
    /**
     * The system property that turns the recording events on: the gate's shared server has them, the private
     * Archives of the failure modes and replication do not, so their timing stays as it was.
     */
    public static final String RECORDING_EVENTS_PROP = "archivebridge.server.recording.events";

    private ArchiveServerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 5)
        {
            System.err.println(
                "usage: ArchiveServerMain <aeronDir> <archiveDir> <controlPort> <archiveId> <recordingEventsPort>");
            System.exit(2);
        }

        final String aeronDir = args[0];
        final File archiveDir = new File(args[1]);
        final String controlChannel = controlChannel(Integer.parseInt(args[2]));
        final long archiveId = Long.parseLong(args[3]);
        final String recordingEventsChannel = recordingEventsPublicationChannel(Integer.parseInt(args[4]));

        // Not try-with-resources: ShutdownSignalBarrier.close() only exists since Agrona 2.x, and this class runs
        // on the Agrona of every Archive version in the matrix (1.47.x bundles Agrona 1.x). The process exits next.
        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
        run(barrier, aeronDir, archiveDir, controlChannel, archiveId, recordingEventsChannel);
    }

    @SuppressWarnings("try")
    private static void run(
        final ShutdownSignalBarrier barrier,
        final String aeronDir,
        final File archiveDir,
        final String controlChannel,
        final long archiveId,
        final String recordingEventsChannel)
    {
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .terminationHook(barrier::signalAll);
        final Archive.Context archiveCtx = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(archiveDir)
            .deleteArchiveOnStart(true)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .archiveId(archiveId)
            .controlChannel(controlChannel)
            .controlStreamId(CONTROL_STREAM_ID)
            .localControlChannel(LOCAL_CONTROL_CHANNEL)
            .localControlStreamId(CONTROL_STREAM_ID)
            .recordingEventsEnabled(Boolean.getBoolean(RECORDING_EVENTS_PROP))
            .recordingEventsChannel(recordingEventsChannel)
            .recordingEventsStreamId(RECORDING_EVENTS_STREAM_ID)
            .replicationChannel("aeron:udp?endpoint=localhost:0")
            // A no-op for clients without credentials; decides by the credentials for the authentication scenarios.
            .authenticatorSupplier(ArchiveServerAuthenticator::new);

        try (ArchivingMediaDriver ignore = ArchivingMediaDriver.launch(driverCtx, archiveCtx))
        {
            startStdinWatcher(barrier);
            System.out.println(READY);
            System.out.flush();
            barrier.await();
            System.out.println("archive server shutting down");
        }
    }

    static String controlChannel(final int port)
    {
        return "aeron:udp?endpoint=localhost:" + port;
    }

    /*
     * Where subscribers of the recording events go: a dynamic multi-destination-cast control address, so clients on
     * the Archive's driver and on a driver of their own can both subscribe. Its port is the launcher's free port, not
     * AeronArchive's default 8030, so servers side by side never collide.
     */
    static String recordingEventsChannel(final int port)
    {
        return "aeron:udp?control-mode=dynamic|control=localhost:" + port;
    }

    // The events publication's term is small, as the recorded streams' are, to keep /dev/shm lean.
    private static String recordingEventsPublicationChannel(final int port)
    {
        return recordingEventsChannel(port) + "|term-length=65536";
    }

    // The parent closes our stdin to ask for a clean shutdown; a dead parent closes it too, so no orphan survives.
    private static void startStdinWatcher(final ShutdownSignalBarrier barrier)
    {
        final Thread watcher = new Thread(() ->
        {
            try (InputStream in = System.in)
            {
                while (in.read() != -1)
                {
                    // Anything written is ignored; only end of stream matters.
                }
            }
            catch (final IOException ignore)
            {
                // A broken pipe means the same as end of stream.
            }
            barrier.signalAll();
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
