package org.archivebridge.conformance.scenario;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ControlRequestTap;

import java.util.concurrent.TimeUnit;

/**
 * A Media Driver of a consumer's own, in the test's JVM, that gives up on a silent image well before the Archive's
 * driver does (its default is 10 s), and an Aeron client on it for the control-request tap.
 * <p>
 * When a publisher's driver stops without an end of stream, the consumer's live image and the Archive's recording
 * image both wait out their driver's image liveness. With equal timeouts on two drivers, which one goes first is up to
 * the drivers' duty cycles, and a persistent subscription takes a different path for each order (replay from the
 * still-active recording, straight to live at a stopped one, or a replay refused because the recording stopped
 * between its lookup and the request). A consumer on this driver always leaves live first, by seconds.
 */
final class ConsumerDriver implements AutoCloseable
{
    static final long IMAGE_LIVENESS_NS = TimeUnit.SECONDS.toNanos(2);

    private final MediaDriver driver;
    private final Aeron aeron;

    private ConsumerDriver(final MediaDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
    }

    static ConsumerDriver launch()
    {
        final MediaDriver driver = MediaDriver.launch(
            ScenarioEnvironment.ownDriverContext("/dev/shm/abr-consumer-").imageLivenessTimeoutNs(IMAGE_LIVENESS_NS));
        try
        {
            return new ConsumerDriver(driver, Aeron.connect(
                new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    /** A client on this driver of the server's Archive, over UDP, with the environment's stream ids and timeout. */
    ClientSettings settings(final ArchiveServer server)
    {
        return new ClientSettings(driver.aeronDirectoryName(), server.controlChannel(), server.controlStreamId(),
            "aeron:udp?endpoint=localhost:" + FreePorts.udp(), ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID,
            ScenarioEnvironment.MESSAGE_TIMEOUT_NS);
    }

    /**
     * A tap of the server's control requests sent from this driver (a spy sees only its own driver's publications),
     * for the CloseSessionRequest check of a client connected with {@link #settings}; start it before that connect.
     */
    ControlRequestTap tap(final ArchiveServer server)
    {
        return new ControlRequestTap(aeron, ControlRequestTap.tapChannelFor(server.controlChannel()),
            server.controlStreamId());
    }

    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
