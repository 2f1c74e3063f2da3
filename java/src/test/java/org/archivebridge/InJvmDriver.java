package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Media Driver in this JVM for each test, in a directory of the test's own, with an Aeron client and a NativeAeron
 * on it, and an Archive on it where the test class asks for one: for the tests that put our handles beside Aeron's on
 * one driver. A JUnit extension: a test class registers it as a field,
 * {@code @RegisterExtension final InJvmDriver driver = InJvmDriver.mediaDriver();}, and it starts before each test's
 * own {@code @BeforeEach} methods and closes (directory deleted) after its {@code @AfterEach} methods.
 */
final class InJvmDriver implements BeforeEachCallback, AfterEachCallback
{
    private static final String RESPONSE_CHANNEL = "aeron:udp?endpoint=localhost:0";

    private final boolean withArchive;
    private Path dir;
    private String aeronDir;
    private String controlChannel;
    private AutoCloseable server;
    private Aeron aeron;
    private NativeAeron nativeAeron;

    private InJvmDriver(final boolean withArchive)
    {
        this.withArchive = withArchive;
    }

    /** A Media Driver with the defaults, but for its directory and the shared threading mode. */
    static InJvmDriver mediaDriver()
    {
        return new InJvmDriver(false);
    }

    /**
     * A Media Driver (64 KiB publication terms) and an Archive (4 MiB segments) on it, controlled over UDP on a free
     * port of loopback: {@link #archiveContext()} and {@link #nativeArchiveContext()} connect to it.
     */
    static InJvmDriver archivingMediaDriver()
    {
        return new InJvmDriver(true);
    }

    public void beforeEach(final ExtensionContext context) throws IOException
    {
        dir = Files.createTempDirectory("abr-in-jvm-driver-");
        aeronDir = dir.resolve("aeron").toString();
        final MediaDriver.Context driverContext = new MediaDriver.Context().aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true);
        if (withArchive)
        {
            controlChannel = "aeron:udp?endpoint=localhost:" + FreePorts.udp();
            server = ArchivingMediaDriver.launch(driverContext.publicationTermBufferLength(64 * 1024),
                new Archive.Context().aeronDirectoryName(aeronDir).archiveDir(dir.resolve("archive").toFile())
                    .controlChannel(controlChannel).replicationChannel("aeron:udp?endpoint=localhost:0")
                    .threadingMode(ArchiveThreadingMode.SHARED).segmentFileLength(4 * 1024 * 1024)
                    .deleteArchiveOnStart(true));
        }
        else
        {
            server = MediaDriver.launch(driverContext);
        }
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        nativeAeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(aeronDir));
    }

    /* Also after a beforeEach that failed part way: whatever it opened is closed. */
    public void afterEach(final ExtensionContext context)
    {
        try
        {
            CloseHelper.closeAll(nativeAeron, aeron, server);
        }
        finally
        {
            if (null != dir)
            {
                IoUtil.delete(dir.toFile(), true);
            }
        }
    }

    Aeron aeron()
    {
        return aeron;
    }

    NativeAeron nativeAeron()
    {
        return nativeAeron;
    }

    private void requireArchive()
    {
        if (!withArchive)
        {
            throw new IllegalStateException("no Archive on this driver: use InJvmDriver.archivingMediaDriver()");
        }
    }

    /** Aeron's archive client of this driver's Archive, through {@link #aeron()}. */
    AeronArchive.Context archiveContext()
    {
        requireArchive();
        return new AeronArchive.Context().aeron(aeron).aeronDirectoryName(aeronDir)
            .controlRequestChannel(controlChannel).controlResponseChannel(RESPONSE_CHANNEL);
    }

    /** Our archive client of this driver's Archive, through {@link #nativeAeron()}. */
    NativeArchive.Context nativeArchiveContext()
    {
        requireArchive();
        return new NativeArchive.Context().aeron(nativeAeron).aeronDirectoryName(aeronDir)
            .controlRequestChannel(controlChannel).controlResponseChannel(RESPONSE_CHANNEL);
    }
}
