package org.archivebridge.conformance.server;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.archive.ArchiveMarkFile;
import org.agrona.IoUtil;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.errors.ErrorLogReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's distinct-error logs: the Archive's (in its mark file) and the driver's (in the CnC file). The
 * Archive writes to both when embedded in an ArchivingMediaDriver, so both are read. Each read maps the files
 * afresh and unmaps them, so the observer never holds the server's files open across a scenario.
 */
public final class ServerErrorLog
{
    /** One distinct error: where it was logged, how often, and its text (message and stack trace). */
    public record Entry(String source, int observations, String text)
    {
    }

    private static final long MARK_FILE_TIMEOUT_MS = 5_000;

    private final File aeronDir;
    private final File archiveDir;

    ServerErrorLog(final File aeronDir, final File archiveDir)
    {
        this.aeronDir = aeronDir;
        this.archiveDir = archiveDir;
    }

    List<Entry> entries()
    {
        final List<Entry> entries = new ArrayList<>();
        readArchiveMarkFile(entries);
        readDriverCnc(entries);
        return entries;
    }

    private void readArchiveMarkFile(final List<Entry> entries)
    {
        try (ArchiveMarkFile markFile = new ArchiveMarkFile(
            archiveDir, ArchiveMarkFile.FILENAME, SystemEpochClock.INSTANCE, MARK_FILE_TIMEOUT_MS, (message) -> {}))
        {
            ErrorLogReader.read(markFile.errorBuffer(), (count, first, last, text) ->
                entries.add(new Entry("archive", count, text)));
        }
    }

    private void readDriverCnc(final List<Entry> entries)
    {
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(new File(aeronDir, CncFileDescriptor.CNC_FILE), "cnc");
        try
        {
            ErrorLogReader.read(CommonContext.errorLogBuffer(cnc), (count, first, last, text) ->
                entries.add(new Entry("driver", count, text)));
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }
}
