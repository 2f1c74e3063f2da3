package org.archivebridge.conformance.scenario;

import io.aeron.AeronCounters;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.SignalLog;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ControlRequestTap;
import org.archivebridge.conformance.server.ServerObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Replication (issue 4, item 6): a recording on the suite's archive is replicated into a second archive started for
 * the run, through the client under test connected to that second archive.
 * <p>
 * The source recording is stopped before the replication starts, and the replication's stop position is
 * NULL_POSITION: the Archive then replays the source up to its stop position and ends the replication with SYNC, so
 * the copy is exact. (With an active source, NULL_POSITION would follow it live instead.) The copy is complete when
 * the destination signals REPLICATE_END; its catalogue entry holds the start position as stop position from the
 * moment the descriptor is replicated, so polling the stop position alone reports too early.
 */
final class ReplicationScenarios
{
    private static final int RECORDED_STREAM_ID = 2301;
    private static final int MESSAGES = 40;
    private static final int MESSAGE_LENGTH = 256;
    private static final long NULL_VALUE = -1;
    private static final long UNKNOWN_REPLICATION_ID = 987_654_321L;
    /** The second archive's own id: two archives of a deployment never share one. */
    private static final long SECOND_ARCHIVE_ID = ArchiveServer.ARCHIVE_ID + 1;
    /** A fresh archive numbers its first recording 0: the copy. */
    private static final long REPLICA_ID = 0;
    /** The symbol kind of the second archive's recording ids, apart from the first archive's "recording". */
    private static final String REPLICA = "replica";
    private static final long SIGNAL_TIMEOUT_MS = 15_000;
    private static final long SESSIONS_SETTLE_MS = 5_000;
    /* Two image liveness timeouts (10 s each by default) and a margin: an image that never saw its end of stream
     * times out while active, then lingers as long again for the Archive's control subscription. */
    private static final long IMAGE_GONE_MS = 25_000;
    private static final long CLOSE_SEEN_MS = 2_000;
    private static final String IPC = Scenarios.IPC;

    private static final List<Scenario> ALL = List.of(
        new Scenario("replicate-between-archives",
            "record a stream, replicate it into a second archive: same stop position; stop an unknown replication",
            ReplicationScenarios::replicateBetweenArchives));

    private ReplicationScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void replicateBetweenArchives(final ScenarioRun run)
    {
        final ClientSettings sourceSettings = run.environment().udpSettings();
        final ArchiveClient source = run.connect(sourceSettings);
        run.expect(source != null, "connect to the source archive succeeds");
        if (source == null)
        {
            return;
        }
        final RecordedStream stream = RecordedStream.record(run, source, RECORDED_STREAM_ID, MESSAGES, MESSAGE_LENGTH);
        if (stream == null)
        {
            run.close(source);
            return;
        }
        final long recordingId = stream.recordingId();
        final String recording = run.symbol("recording", recordingId);
        final Outcome sourceStop = run.value("getStopPosition", List.of(recording),
            () -> source.getStopPosition(recordingId));

        final ArchiveServer first = run.environment().server();
        final ArchiveServer second;
        try
        {
            // Lingers as short as the first archive's: the replication's control publication to the first archive
            // must be gone (its image there too) by the time the runner counts the first driver's subscriptions.
            second = ArchiveServer.start(first.logFile().getParent(), first.version(), List.of(
                "aeron.publication.linger.timeout=" + ScenarioEnvironment.PUBLICATION_LINGER_NS,
                "aeron.timer.interval=" + ScenarioEnvironment.DRIVER_TIMER_INTERVAL_NS), SECOND_ARCHIVE_ID);
        }
        catch (final Exception ex)
        {
            run.expect(false, "a second archive starts: " + ex);
            run.close(source);
            return;
        }

        try (ServerObserver secondObserver = new ServerObserver(second))
        {
            onSecondArchive(run, second, secondObserver, recordingId, recording, sourceStop);
        }
        finally
        {
            second.close();
        }
        run.close(source);
        if (run.environment().transport() == ScenarioEnvironment.Transport.IPC)
        {
            // The second archive talked to the first over UDP: the first archive's control subscription holds an
            // image of that connection (a subscriber position) until the image's liveness timeout (10 s by default)
            // after it ended, or twice that if it never saw the end of stream. On the IPC transport the runner's leak check counts the first archive's driver, so
            // wait until that image is gone rather than report the Archive's own image as the client's leak.
            run.expect(await(() -> controlImages(run.environment().observer(), first.controlChannel()) == 0,
                IMAGE_GONE_MS), "the second archive's control image on the first archive goes within " +
                IMAGE_GONE_MS + "ms");
        }
    }

    /*
     * Images on the first archive's UDP control subscription (on the IPC transport only the second archive's), known
     * by the endpoint in their label: the Archive adds parameters (sparse=true) to the channel it subscribes to.
     */
    private static long controlImages(final ServerObserver observer, final String controlChannel)
    {
        final String endpoint = controlChannel.substring(controlChannel.indexOf("endpoint="));
        final long[] count = { 0 };
        observer.aeron().countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID && label.contains(endpoint))
            {
                count[0]++;
            }
        });
        return count[0];
    }

    /*
     * The destination client lives where the run's transport puts clients: on the clients' own driver talking UDP to
     * the second archive, or on the second archive's driver talking IPC. Its tap sees its CloseSessionRequest, and the
     * second archive's sessions and error log are checked here, since the runner's checks watch the first archive.
     */
    private static void onSecondArchive(
        final ScenarioRun run,
        final ArchiveServer second,
        final ServerObserver secondObserver,
        final long recordingId,
        final String recording,
        final Outcome sourceStop)
    {
        final ScenarioEnvironment environment = run.environment();
        final boolean ipc = environment.transport() == ScenarioEnvironment.Transport.IPC;
        final ClientSettings settings = ipc ?
            new ClientSettings(second.aeronDirectoryName(), second.localControlChannel(), second.localControlStreamId(),
                "aeron:ipc", ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID, ScenarioEnvironment.MESSAGE_TIMEOUT_NS) :
            new ClientSettings(environment.clientAeronDirectoryName(), second.controlChannel(),
                second.controlStreamId(), "aeron:udp?endpoint=localhost:" + FreePorts.udp(),
                ScenarioEnvironment.CONTROL_RESPONSE_STREAM_ID, ScenarioEnvironment.MESSAGE_TIMEOUT_NS);
        try (ControlRequestTap tap = ipc ?
            secondObserver.tap(second.localControlChannel(), second.localControlStreamId()) :
            environment.clientDriverTap(second.controlChannel(), second.controlStreamId()))
        {
            final ArchiveClient destination = run.connect(settings, tap);
            run.expect(destination != null, "connect to the second archive succeeds");
            if (destination != null)
            {
                run.value("archiveId", List.of("second archive"), destination::archiveId);
                replicate(run, destination, recordingId, recording, sourceStop, environment.server());
                final long controlSessionId = destination.controlSessionId();
                run.close(destination);
                // The tap closes with this block, before the runner's check asks it: let it read the request first.
                await(() -> tap.sawCloseSession(controlSessionId), CLOSE_SEEN_MS);
            }
        }
        run.expect(await(() -> secondObserver.controlSessionCount() == 0, SESSIONS_SETTLE_MS),
            "the second archive's control sessions go back to 0 (count=" + secondObserver.controlSessionCount() + ")");
        final String terminated = secondObserver.errorsContaining("terminated").stream()
            .map((entry) -> entry.text().lines().findFirst().orElse(""))
            .collect(Collectors.joining(" | "));
        run.expect(terminated.isEmpty(), "no 'terminated' error in the second archive's error log: " + terminated);
    }

    private static void replicate(
        final ScenarioRun run,
        final ArchiveClient destination,
        final long recordingId,
        final String recording,
        final Outcome sourceStop,
        final ArchiveServer first)
    {
        final Outcome replication = run.id("replication", "replicate",
            List.of(recording, Integer.toString(first.controlStreamId()), "source control channel", "NULL_POSITION"),
            () -> destination.replicate(recordingId, first.controlStreamId(), first.controlChannel(), NULL_VALUE));
        run.expect(replication.ok(), "the second archive accepts the replication");
        if (replication.ok())
        {
            final List<SignalLog.Signal> signals = awaitReplicationEnd(destination);
            run.expect(signals.stream().allMatch((signal) -> signal.recordingId() == REPLICA_ID),
                "every signal is about the replica (recording " + REPLICA_ID + "): " + signals);
            run.expect(ended(signals), "the replication ends (REPLICATE_END) and the replica's recording stops " +
                "(STOP) within " + SIGNAL_TIMEOUT_MS + "ms: " + signals);
            // SYNC is left out and the rest sorted: whether the replication sees its image reach the source's stop
            // position (SYNC, then REPLICATE_END, then STOP) before the recorder ends the replica's recording at
            // the replay's end of stream (STOP, then REPLICATE_END, no SYNC) is a race inside the Archive.
            run.text("recordingSignals", List.of("until REPLICATE_END and STOP", "without SYNC, sorted"),
                () -> signals.stream()
                    .filter((signal) -> !signal.signal().equals("SYNC"))
                    .map((signal) -> signal.signal() + "@" + signal.position())
                    .sorted()
                    .collect(Collectors.joining(",")));
            run.listing("listRecordings", List.of("0", "10"), (consumer) -> destination.listRecordings(0, 10, consumer),
                REPLICA);
            final Outcome copyStop = run.value("getStopPosition", List.of("replica"),
                () -> destination.getStopPosition(REPLICA_ID));
            run.expect(copyStop.ok() && sourceStop.ok() && copyStop.value() == sourceStop.value(),
                "the replicated recording stops where the source recording stopped (" + sourceStop.value() +
                    "), got " + (copyStop.ok() ? copyStop.value() : copyStop.failureLabel()));
        }
        run.flag("tryStopReplication", List.of("unknown"), () -> destination.tryStopReplication(UNKNOWN_REPLICATION_ID));
        run.action("stopReplication", List.of("unknown"), () -> destination.stopReplication(UNKNOWN_REPLICATION_ID));
    }

    /* Polls the destination's recording signals (timing, so outside the transcript) until the replication ended. */
    private static List<SignalLog.Signal> awaitReplicationEnd(final ArchiveClient destination)
    {
        final List<SignalLog.Signal> received = new ArrayList<>();
        final long deadline = System.currentTimeMillis() + SIGNAL_TIMEOUT_MS;
        while (!ended(received) && System.currentTimeMillis() < deadline)
        {
            try
            {
                destination.pollForRecordingSignals();
            }
            catch (final ClientFailure failure)
            {
                break;
            }
            received.addAll(destination.takeSignals());
            Sleep.millis(1);
        }
        received.addAll(destination.takeSignals());
        return received;
    }

    private static boolean ended(final List<SignalLog.Signal> signals)
    {
        return signals.stream().anyMatch((signal) -> signal.signal().equals("REPLICATE_END")) &&
            signals.stream().anyMatch((signal) -> signal.signal().equals("STOP"));
    }

    private static boolean await(final java.util.function.BooleanSupplier condition, final long timeoutMs)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Sleep.millis(10);
        }
        return true;
    }

}
