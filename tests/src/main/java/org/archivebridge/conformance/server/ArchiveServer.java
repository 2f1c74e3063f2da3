package org.archivebridge.conformance.server;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.archive.client.AeronArchive;
import org.agrona.IoUtil;
import org.agrona.concurrent.SystemEpochClock;
import org.archivebridge.conformance.FreePorts;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Media Driver and Archive in a child JVM ({@link ArchiveServerMain}), with its own aeron directory under
 * /dev/shm and its own archive directory, both removed on {@link #close()}.
 * <p>
 * A separate process keeps the reference server honest: nothing in the test JVM (the native client's threads,
 * a faulty client, a crash) can share its heap or its agents.
 */
public final class ArchiveServer implements AutoCloseable
{
    /** Fixed so both clients must report the same {@code archiveId()}. */
    public static final long ARCHIVE_ID = 0x5EED_1E55L;

    private static final long READY_TIMEOUT_MS = 30_000;
    private static final long EXIT_TIMEOUT_MS = 10_000;
    private static final String JVM_OPENS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /**
     * The Agrona of Aeron 1.44 replaces the selected-key set of a NIO selector by reflection when the driver's UDP
     * transport starts, and fails to start without this; those of 1.47.3 and later start without it.
     */
    private static final String JVM_OPENS_NIO = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private final String aeronDirectoryName;
    private final Path archiveDir;
    private final String controlChannel;
    private final int controlStreamId;
    private final String localControlChannel;
    private final int localControlStreamId;
    private final long archiveId;
    private final Path logFile;
    private final Process process;
    private final Thread outputForwarder;
    private final String version;
    private final List<String> command;
    private final String recordingEventsChannel;
    private final int recordingEventsStreamId;

    private ArchiveServer(
        final String aeronDirectoryName,
        final Path archiveDir,
        final String controlChannel,
        final int controlStreamId,
        final String localControlChannel,
        final int localControlStreamId,
        final long archiveId,
        final Path logFile,
        final Process process,
        final Thread outputForwarder,
        final String version,
        final List<String> command,
        final String recordingEventsChannel,
        final int recordingEventsStreamId)
    {
        this.version = version;
        this.command = command;
        this.recordingEventsChannel = recordingEventsChannel;
        this.recordingEventsStreamId = recordingEventsStreamId;
        this.aeronDirectoryName = aeronDirectoryName;
        this.archiveDir = archiveDir;
        this.controlChannel = controlChannel;
        this.controlStreamId = controlStreamId;
        this.localControlChannel = localControlChannel;
        this.localControlStreamId = localControlStreamId;
        this.archiveId = archiveId;
        this.logFile = logFile;
        this.process = process;
        this.outputForwarder = outputForwarder;
    }

    /**
     * Start a server and wait until it reports ready.
     *
     * @param logDir where the child's output is written, one file per launch.
     * @return the running server.
     */
    /**
     * An Archive someone else runs (the gate's --aeron-dir): watched and used, never started, stopped or deleted.
     *
     * @param aeronDirectoryName   its Media Driver's directory.
     * @param archiveDir           its archive directory, where its mark file (id, error log) is.
     * @param controlChannel       its control request channel, for UDP clients.
     * @param controlStreamId      its control request stream id.
     * @param localControlStreamId its local (aeron:ipc) control stream id, for IPC clients.
     */
    public static ArchiveServer attach(
        final String aeronDirectoryName,
        final Path archiveDir,
        final String controlChannel,
        final int controlStreamId,
        final int localControlStreamId)
    {
        if (!new File(aeronDirectoryName, "cnc.dat").exists())
        {
            throw new IllegalArgumentException("no running Media Driver in " + aeronDirectoryName + " (no cnc.dat)");
        }
        final long archiveId;
        try (ArchiveMarkFile markFile = new ArchiveMarkFile(
            archiveDir.toFile(), ArchiveMarkFile.FILENAME, SystemEpochClock.INSTANCE, READY_TIMEOUT_MS, (m) -> {}))
        {
            archiveId = markFile.archiveId();
        }
        return new ArchiveServer(aeronDirectoryName, archiveDir, controlChannel, controlStreamId,
            ArchiveServerMain.LOCAL_CONTROL_CHANNEL, localControlStreamId, archiveId, null, null, null, "deployed",
            List.of(), AeronArchive.Configuration.recordingEventsChannel(),
            AeronArchive.Configuration.recordingEventsStreamId());
    }

    public static ArchiveServer start(final Path logDir) throws IOException, InterruptedException
    {
        return start(logDir, ArchiveVersions.DEFAULT, List.of());
    }

    /**
     * Start a server of a chosen Aeron version and wait until it reports ready.
     *
     * @param logDir      where the child's output is written, one file per launch.
     * @param version     the Aeron release the Media Driver and Archive come from (see {@link ArchiveVersions}).
     * @param systemProps extra {@code -Dname=value} settings for the child, e.g. the Archive's timeouts.
     * @return the running server.
     */
    public static ArchiveServer start(final Path logDir, final String version, final List<String> systemProps)
        throws IOException, InterruptedException
    {
        return start(logDir, version, systemProps, ARCHIVE_ID);
    }

    /**
     * As {@link #start(Path, String, List)}, with an archive id of its own: a second archive in the same scenario
     * (replication) must not share the first one's id, as two archives of one deployment never do.
     */
    public static ArchiveServer start(
        final Path logDir, final String version, final List<String> systemProps, final long archiveId)
        throws IOException, InterruptedException
    {
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final String aeronDirectoryName = shmRoot() + "/abr-conformance-" + id;
        final Path archiveDir = Files.createTempDirectory("abr-archive-" + id + "-");
        final int controlPort = FreePorts.udp();
        final int recordingEventsPort = FreePorts.udp();
        Files.createDirectories(logDir);
        final Path logFile = logDir.resolve("archive-server-" + version + "-" + id + ".log");

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(JVM_OPENS);
        command.add(JVM_OPENS_NIO);
        systemProps.forEach((prop) -> command.add("-D" + prop));
        command.add("-cp");
        command.add(ArchiveVersions.serverClassPath(version));
        command.add(ArchiveServerMain.class.getName());
        command.add(aeronDirectoryName);
        command.add(archiveDir.toString());
        command.add(Integer.toString(controlPort));
        command.add(Long.toString(archiveId));
        command.add(Integer.toString(recordingEventsPort));

        return launch(aeronDirectoryName, archiveDir, ArchiveServerMain.controlChannel(controlPort), archiveId, logFile,
            version, List.copyOf(command), ArchiveServerMain.recordingEventsChannel(recordingEventsPort));
    }

    /**
     * Stop this server's process, keeping its directories, and start the same command again: the same aeron
     * directory, archive directory and control port, as an operator restarting an Archive. The restarted server
     * logs to a file of its own next to this one's.
     *
     * @return the restarted server; close it (not this one) to stop it and delete the directories.
     */
    public ArchiveServer restart() throws IOException, InterruptedException
    {
        if (null == process)
        {
            throw new IllegalStateException("an attached deployment is not ours to restart: " + aeronDirectoryName);
        }
        stopProcess();
        final String name = logFile.getFileName().toString().replace(".log", "");
        return launch(aeronDirectoryName, archiveDir, controlChannel, archiveId,
            logFile.resolveSibling(name + "-restarted.log"), version, command, recordingEventsChannel);
    }

    private static ArchiveServer launch(
        final String aeronDirectoryName,
        final Path archiveDir,
        final String controlChannel,
        final long archiveId,
        final Path logFile,
        final String version,
        final List<String> command,
        final String recordingEventsChannel)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread forwarder = forwardOutput(process, logFile, ready);

        final ArchiveServer server = new ArchiveServer(aeronDirectoryName, archiveDir, controlChannel,
            ArchiveServerMain.CONTROL_STREAM_ID, ArchiveServerMain.LOCAL_CONTROL_CHANNEL,
            ArchiveServerMain.CONTROL_STREAM_ID, archiveId, logFile, process, forwarder, version, command,
            recordingEventsChannel, ArchiveServerMain.RECORDING_EVENTS_STREAM_ID);
        if (!ready.await(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            server.close();
            throw new IllegalStateException("archive server not ready within " + READY_TIMEOUT_MS + "ms (alive=" +
                process.isAlive() + "), see " + logFile);
        }

        return server;
    }

    /** The Aeron release the server runs (one of {@link ArchiveVersions#ALL}). */
    public String version()
    {
        return version;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public Path archiveDir()
    {
        return archiveDir;
    }

    public Path logFile()
    {
        return logFile;
    }

    /**
     * A deployment the gate attached to (--aeron-dir) rather than one the suite started: it runs without the suite's
     * {@link ArchiveServerAuthenticator}.
     */
    public boolean isAttached()
    {
        return null == process;
    }

    public long archiveId()
    {
        return archiveId;
    }

    /** The UDP control request channel the Archive listens on. */
    public String controlChannel()
    {
        return controlChannel;
    }

    public int controlStreamId()
    {
        return controlStreamId;
    }

    /** The IPC control request channel the Archive listens on (same stream id). */
    public String localControlChannel()
    {
        return localControlChannel;
    }

    public int localControlStreamId()
    {
        return localControlStreamId;
    }

    /**
     * The channel to subscribe to for the Archive's recording events (started, progress, stopped), which it publishes
     * when started with {@link ArchiveServerMain#RECORDING_EVENTS_PROP} (the gate's shared server). For an attached
     * deployment, which the gate is not told it of, AeronArchive's setting: aeron.archive.recording.events.channel,
     * else its default.
     */
    public String recordingEventsChannel()
    {
        return recordingEventsChannel;
    }

    /** The recording events' stream id; for an attached deployment aeron.archive.recording.events.stream.id. */
    public int recordingEventsStreamId()
    {
        return recordingEventsStreamId;
    }

    public boolean isAlive()
    {
        return null == process ? new File(aeronDirectoryName, "cnc.dat").exists() : process.isAlive();
    }

    /**
     * Ask the child to stop (stdin closed, then SIGTERM, then SIGKILL as each wait runs out), wait for it, then
     * delete its directories so nothing is left in /dev/shm or the temp directory. An attached deployment is
     * left as it is.
     */
    public void close()
    {
        if (null == process)
        {
            return; // attached to someone else's deployment: theirs to stop
        }
        try
        {
            stopProcess();
        }
        finally
        {
            IoUtil.delete(new File(aeronDirectoryName), true);
            IoUtil.delete(archiveDir.toFile(), true);
        }
    }

    private void stopProcess()
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // The child is gone already; waiting below confirms it.
        }

        try
        {
            if (!process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroy();
                if (!process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    process.destroyForcibly().waitFor();
                }
            }
            outputForwarder.join(EXIT_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String shmRoot()
    {
        return new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
    }

    private static Thread forwardOutput(final Process process, final Path logFile, final CountDownLatch ready)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    out.println(line);
                    if (line.equals(ArchiveServerMain.READY))
                    {
                        ready.countDown();
                    }
                }
            }
            catch (final IOException ignore)
            {
                // The child's output ended with it; its exit is what close() waits for.
            }
        }, "archive-server-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
