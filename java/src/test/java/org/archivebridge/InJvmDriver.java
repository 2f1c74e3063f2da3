package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;

import java.nio.file.Path;

/**
 * A Media Driver in this JVM, in a directory of the test's own, with an Aeron client and a NativeAeron on it: for the
 * tests that put our handles beside Aeron's on one driver.
 */
final class InJvmDriver implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron aeron;
    private final NativeAeron nativeAeron;

    private InJvmDriver(final MediaDriver driver, final Aeron aeron, final NativeAeron nativeAeron)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.nativeAeron = nativeAeron;
    }

    static InJvmDriver launch(final Path dir)
    {
        final String aeronDir = dir.resolve("aeron").toString();
        final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        return new InJvmDriver(
            driver, aeron, NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(aeronDir)));
    }

    Aeron aeron()
    {
        return aeron;
    }

    NativeAeron nativeAeron()
    {
        return nativeAeron;
    }

    public void close()
    {
        CloseHelper.closeAll(nativeAeron, aeron, driver);
    }
}
