package org.archivebridge.conformance.diagnose;

import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.archive.ArchiveMarkFile;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One look at a running deployment from the outside: the driver's CnC file (its counters and error log) and the
 * Archive's mark file (its error log). Maps the files, copies what it needs and unmaps them; it never connects an
 * Aeron client, so looking changes nothing on the driver.
 */
record DiagnoseDeployment(
    String aeronDir,
    String cncVersion,
    long driverPid,
    long driverStartMs,
    List<Counter> counters,
    List<LoggedError> errors,
    String archiveMarkFileProblem)
{
    /** An allocated counter: id, type, value, label and the first two longs of its key. */
    record Counter(int id, int typeId, long value, String label, long key0, long key1)
    {
    }

    /** A distinct error as the error log keeps it: where, how often, first and last time, full text. */
    record LoggedError(String source, int observations, long firstMs, long lastMs, String text)
    {
    }

    private static final long MARK_FILE_TIMEOUT_MS = 2_000;

    /**
     * Read a deployment.
     *
     * @param aeronDir   the driver's Aeron directory (holds cnc.dat).
     * @param archiveDir the Archive's directory (holds archive-mark.dat), or null to read the driver only.
     * @return what was read.
     * @throws IllegalStateException when there is no CnC file to read.
     */
    static DiagnoseDeployment read(final File aeronDir, final File archiveDir)
    {
        final File cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.isFile())
        {
            throw new IllegalStateException("no " + CncFileDescriptor.CNC_FILE + " in " + aeronDir +
                ": no Media Driver runs with this aeron dir");
        }

        final List<LoggedError> driverErrors = new ArrayList<>();
        final List<Counter> counters = new ArrayList<>();
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        final String cncVersion;
        final long pid;
        final long startMs;
        try
        {
            final DirectBuffer meta = CncFileDescriptor.createMetaDataBuffer(cnc);
            cncVersion = SemanticVersion.toString(meta.getInt(CncFileDescriptor.cncVersionOffset(0)));
            pid = meta.getLong(CncFileDescriptor.pidOffset(0));
            startMs = meta.getLong(CncFileDescriptor.startTimestampOffset(0));
            final CountersReader reader = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, meta),
                CncFileDescriptor.createCountersValuesBuffer(cnc, meta));
            reader.forEach((counterId, typeId, keyBuffer, label) -> counters.add(new Counter(
                counterId, typeId, reader.getCounterValue(counterId), label, keyBuffer.getLong(0),
                keyBuffer.getLong(Long.BYTES))));
            ErrorLogReader.read(CommonContext.errorLogBuffer(cnc), (count, first, last, text) ->
                driverErrors.add(new LoggedError("driver", count, first, last, text)));
        }
        finally
        {
            IoUtil.unmap(cnc);
        }

        // The Archive's own log first: an Archive embedded with its driver logs to both, and the reader keeps the
        // first source of each text.
        final List<LoggedError> errors = new ArrayList<>();
        String markFileProblem = null;
        if (archiveDir != null)
        {
            try (ArchiveMarkFile markFile = new ArchiveMarkFile(
                archiveDir, ArchiveMarkFile.FILENAME, SystemEpochClock.INSTANCE, MARK_FILE_TIMEOUT_MS, (m) -> {}))
            {
                ErrorLogReader.read(markFile.errorBuffer(), (count, first, last, text) ->
                    errors.add(new LoggedError("archive", count, first, last, text)));
            }
            catch (final RuntimeException ex)
            {
                markFileProblem = "cannot read " + new File(archiveDir, ArchiveMarkFile.FILENAME) + ": " + ex;
            }
        }

        errors.addAll(driverErrors);
        return new DiagnoseDeployment(aeronDir.getPath(), cncVersion, pid, startMs, List.copyOf(counters),
            List.copyOf(errors), markFileProblem);
    }

    List<Counter> countersOfType(final int typeId)
    {
        return counters.stream().filter((counter) -> counter.typeId() == typeId).toList();
    }

    /** The Archive's per-session counters (Aeron 1.49 and later): key is archive id, then control session id. */
    List<Counter> controlSessions()
    {
        return countersOfType(AeronCounters.ARCHIVE_CONTROL_SESSION_TYPE_ID);
    }

    /** The Archive's count of control sessions, one counter per Archive on this driver. */
    List<Counter> controlSessionCounts()
    {
        return countersOfType(AeronCounters.ARCHIVE_CONTROL_SESSIONS_TYPE_ID);
    }
}
