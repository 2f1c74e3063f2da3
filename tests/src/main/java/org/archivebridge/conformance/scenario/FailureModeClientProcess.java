package org.archivebridge.conformance.scenario;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.IoUtil;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.server.ArchiveServer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A client deployed as remote clients are: its own process with its own Media Driver, talking UDP to the Archive.
 * The failure-mode scenario starts it, waits for its control session, then kills the whole process with SIGKILL
 * (as {@code kill -9} does), so neither the client nor its driver gets a chance to say goodbye.
 * <p>
 * Child arguments: client kind, aeron dir, control request channel, control request stream id, control response
 * channel. Prints {@link #CONNECTED} and the control session id once connected, then waits for its stdin to end.
 */
final class FailureModeClientProcess implements AutoCloseable
{
    static final String CONNECTED = "CLIENT-CONNECTED";
    private static final long CONNECT_WAIT_MS = 30_000;

    private final Process process;
    private final File aeronDir;
    private final long controlSessionId;

    private FailureModeClientProcess(final Process process, final File aeronDir, final long controlSessionId)
    {
        this.process = process;
        this.aeronDir = aeronDir;
        this.controlSessionId = controlSessionId;
    }

    /**
     * Start a client process of this kind connected to an Archive.
     *
     * @return the running client, connected; its control session id is known.
     * @throws IllegalStateException when the child did not connect, with what it printed.
     */
    static FailureModeClientProcess start(final ClientKind kind, final ArchiveServer archive) throws IOException
    {
        final File aeronDir = new File("/dev/shm", "abr-killed-client-" + UUID.randomUUID().toString().substring(0, 8));
        final List<String> command = List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            FailureModeClientProcess.class.getName(),
            kind.name(), aeronDir.getPath(), archive.controlChannel(), Integer.toString(archive.controlStreamId()),
            "aeron:udp?endpoint=localhost:" + FreePorts.udp());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder printed = new StringBuilder();
        final long deadline = System.currentTimeMillis() + CONNECT_WAIT_MS;
        String line;
        while (System.currentTimeMillis() < deadline && (line = out.readLine()) != null)
        {
            if (line.startsWith(CONNECTED + " "))
            {
                final long id = Long.parseLong(line.substring(CONNECTED.length() + 1).trim());
                return new FailureModeClientProcess(process, aeronDir, id);
            }
            printed.append(line).append('\n');
        }
        process.destroyForcibly();
        IoUtil.delete(aeronDir, true);
        throw new IllegalStateException(kind + " client process did not connect to " + archive.controlChannel() +
            "; it printed:\n" + printed);
    }

    long controlSessionId()
    {
        return controlSessionId;
    }

    /** SIGKILL: the client and its driver vanish mid-session. Returns once the process is gone. */
    void killDashNine() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Make sure the process is gone and remove its driver's directory, which SIGKILL leaves behind. */
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        IoUtil.delete(aeronDir, true);
    }

    public static void main(final String[] args) throws Exception
    {
        final ClientKind kind = ClientKind.valueOf(args[0]);
        final String aeronDir = args[1];
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)))
        {
            final ClientSettings settings = new ClientSettings(driver.aeronDirectoryName(), args[2],
                Integer.parseInt(args[3]), args[4], ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID,
                ScenarioEnvironment.MESSAGE_TIMEOUT_NS);
            try (ArchiveClient client = kind.connect(settings))
            {
                System.out.println(CONNECTED + " " + client.controlSessionId());
                System.out.flush();
                // Idle until killed; a closed stdin (the parent gone) ends the process cleanly instead.
                while (System.in.read() != -1)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
