package org.archivebridge.consumer;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

import java.io.File;
import java.util.UUID;

/**
 * A Java Media Driver and Archive (Aeron's own) in this JVM, reached over IPC only: its control channel is
 * {@code aeron:ipc} on {@link #CONTROL_STREAM_ID}; its UDP control channel, which the Archive requires, takes an
 * ephemeral port no client uses. Each instance has an Aeron directory and an archive directory of its own, deleted on
 * close.
 */
final class EmbeddedArchive implements AutoCloseable
{
    static final String CONTROL_CHANNEL = "aeron:ipc";
    static final int CONTROL_STREAM_ID = 10;

    private final ArchivingMediaDriver driver;

    EmbeddedArchive()
    {
        final String aeronDir = new File(System.getProperty("java.io.tmpdir"),
            "archive-bridge-consumer-" + UUID.randomUUID()).getAbsolutePath();
        final File archiveDir = new File(System.getProperty("consumer.archiveDir", "target/archive"),
            UUID.randomUUID().toString());
        driver = ArchivingMediaDriver.launch(
            new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true),
            new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(archiveDir)
                .deleteArchiveOnStart(true)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .controlChannel("aeron:udp?endpoint=localhost:0")
                .controlStreamId(CONTROL_STREAM_ID)
                .localControlChannel(CONTROL_CHANNEL)
                .localControlStreamId(CONTROL_STREAM_ID)
                .recordingEventsEnabled(false)
                .replicationChannel("aeron:udp?endpoint=localhost:0"));
    }

    String aeronDirectoryName()
    {
        return driver.mediaDriver().aeronDirectoryName();
    }

    @Override
    public void close()
    {
        final File archiveDir = driver.archive().context().archiveDir();
        driver.close();
        driver.archive().context().deleteDirectory();
        if (archiveDir.exists())
        {
            throw new IllegalStateException("archive directory left behind: " + archiveDir);
        }
    }
}
