package org.archivebridge.conformance.server;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.archive.ArchiveCounters;
import io.aeron.archive.status.RecordingPos;
import io.aeron.driver.status.StreamCounter;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Looks at the Archive from the outside, through the driver it runs on: its counters, its control request stream
 * and its error logs. Uses a plain aeron-client of its own, never an archive client, so what it sees does not
 * depend on either client under test.
 */
public final class ServerObserver implements AutoCloseable
{
    private final ArchiveServer server;
    private final Aeron aeron;
    private final ServerErrorLog errorLog;

    public ServerObserver(final ArchiveServer server)
    {
        this.server = server;
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(server.aeronDirectoryName()));
        this.errorLog = new ServerErrorLog(new File(server.aeronDirectoryName()), server.archiveDir().toFile());
    }

    /** An aeron-client on the server's driver, for publishing the streams a scenario records. */
    public Aeron aeron()
    {
        return aeron;
    }

    /** The Archive's count of open control sessions, or -1 while its counter is not (or no longer) there. */
    public long controlSessionCount()
    {
        final CountersReader counters = aeron.countersReader();
        final int counterId =
            ArchiveCounters.find(counters, AeronCounters.ARCHIVE_CONTROL_SESSIONS_TYPE_ID, server.archiveId());
        return Aeron.NULL_VALUE == counterId ? -1 : counters.getCounterValue(counterId);
    }

    /** The recording id of the active recording of a publication's session, or -1 while there is none. */
    public long activeRecordingId(final int sessionId)
    {
        final CountersReader counters = aeron.countersReader();
        final int counterId = RecordingPos.findCounterIdBySession(counters, sessionId, server.archiveId());
        return CountersReader.NULL_COUNTER_ID == counterId ? -1 : RecordingPos.getRecordingId(counters, counterId);
    }

    /** The id of the position counter of an active recording on the Archive's driver, or -1 while there is none. */
    public int recordingPositionCounterId(final long recordingId)
    {
        final int counterId =
            RecordingPos.findCounterIdByRecording(aeron.countersReader(), recordingId, server.archiveId());
        return CountersReader.NULL_COUNTER_ID == counterId ? -1 : counterId;
    }

    /**
     * How many subscribers (subscriber position counters, spies included) the driver holds of a publication's session:
     * a subscription of an earlier client still on the stream takes the new session's image at its start and holds
     * where later subscribers join (an IPC subscriber joins at the slowest existing one's position).
     */
    public int subscriberCount(final int sessionId, final int streamId)
    {
        final int[] count = new int[1];
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID == typeId &&
                keyBuffer.getInt(StreamCounter.SESSION_ID_OFFSET) == sessionId &&
                keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET) == streamId)
            {
                count[0]++;
            }
        });
        return count[0];
    }

    /**
     * Start listening to the control requests clients send on a channel; start it before the clients connect.
     *
     * @param controlRequestChannel the clients' control request channel (UDP or IPC).
     * @param streamId              the clients' control request stream id.
     */
    public ControlRequestTap tap(final String controlRequestChannel, final int streamId)
    {
        return new ControlRequestTap(aeron, ControlRequestTap.tapChannelFor(controlRequestChannel), streamId);
    }

    public List<ServerErrorLog.Entry> errors()
    {
        return errorLog.entries();
    }

    public List<ServerErrorLog.Entry> errorsContaining(final String text)
    {
        return errors().stream().filter((entry) -> entry.text().contains(text)).collect(Collectors.toList());
    }

    public void close()
    {
        aeron.close();
    }
}
