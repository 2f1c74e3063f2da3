package org.archivebridge.conformance.scenario;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;

/**
 * A Media Driver of a live stream's own, apart from the Archive's and the clients', with an Aeron client on it: the
 * stream then reaches the Archive and the consumers only over UDP, as a publisher on another host does.
 */
final class PublisherDriver implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron aeron;

    private PublisherDriver(final MediaDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
    }

    static PublisherDriver launch()
    {
        final MediaDriver driver = MediaDriver.launch(ScenarioEnvironment.ownDriverContext("/dev/shm/abr-publisher-"));
        try
        {
            return new PublisherDriver(driver, Aeron.connect(
                new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    /*
     * The live stream's channel on such a driver: dynamic MDC, so the Archive and each consumer add themselves as
     * destinations through the control port over UDP, and min flow control holds the stream to the slowest of them, so
     * none loses data.
     */
    static String publicationChannel(final int controlPort)
    {
        return "aeron:udp?control=localhost:" + controlPort + "|control-mode=dynamic|term-length=64k|fc=min";
    }

    /* A subscriber's channel to that stream (the Archive's recording, a consumer's live channel or destination). */
    static String subscriberChannel(final int controlPort)
    {
        return "aeron:udp?endpoint=localhost:0|control=localhost:" + controlPort;
    }

    Aeron aeron()
    {
        return aeron;
    }

    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
