package org.archivebridge.conformance.scenario;

import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.ReplayOptions;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Replays with ReplayParams (issue 4, item 4): a file I/O limit changes how the Archive reads, not what it sends;
 * a replay token is what a replay to a control-mode=response channel travels with (the client asks the Archive for
 * one and sends the request over a connection of its own), while on an ordinary channel the Archive ignores any
 * token, even one it never issued; a limit below the recording's MTU and an unknown bounding counter are refused
 * the same way for both clients.
 */
final class ReplayParamsScenarios
{
    private static final int RECORDED_STREAM_ID = 2401;
    private static final int REPLAY_STREAM_ID = 2402;
    private static final int MESSAGES = 64;
    private static final int MESSAGE_LENGTH = 1000;
    private static final long REPLAY_TIMEOUT_MS = 10_000;
    /** Below the archive's default file I/O length (1 MiB) and above the MTU (1408): reads in several small steps. */
    private static final int SMALL_FILE_IO_MAX_LENGTH = 4096;
    /** Below the recording's MTU: the Archive refuses the replay. */
    private static final int BELOW_MTU_FILE_IO_MAX_LENGTH = 1024;
    /** A token the Archive never issued. */
    private static final long UNISSUED_REPLAY_TOKEN = 0x0BAD_C0DEL;
    /** No counter has this id in the Archive's driver. */
    private static final int UNKNOWN_COUNTER_ID = 99_999;
    private static final String IPC = Scenarios.IPC;
    private static final int POSITIONS_STREAM_ID = 2403;
    /** The message (and frame) a mid-recording replay starts at. */
    private static final int FROM_MESSAGE = 5;
    /** AeronArchive.REPLAY_ALL_AND_STOP. */
    private static final long REPLAY_ALL_AND_STOP = -2;
    /** No subscription has this registration id; on an ordinary replay channel nothing reads it. */
    private static final long UNKNOWN_REGISTRATION_ID = 77_777;

    private static final List<Scenario> ALL = List.of(
        new Scenario("replay-params",
            "replay with ReplayParams: the same bytes with a small file I/O limit, with a token the archive " +
                "ignores and through a response channel (replay token); a limit below the MTU and an unknown " +
                "bounding counter refused",
            ReplayParamsScenarios::replayWithParams),
        new Scenario("replay-params-positions",
            "replay with ReplayParams from the default (null) position, 0, a frame boundary inside the recording " +
                "with several lengths, and a subscription registration id the archive ignores: the bytes from there; " +
                "positions inside a frame, unaligned, past the end, negative and extreme, and an unknown recording: " +
                "the same answers (issue 10, defect 1)",
            ReplayParamsScenarios::replayFromPositions));

    private ReplayParamsScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void replayWithParams(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final RecordedStream stream = RecordedStream.record(run, client, RECORDED_STREAM_ID, MESSAGES, MESSAGE_LENGTH);
        if (stream == null)
        {
            run.close(client);
            return;
        }
        final long recordingId = stream.recordingId();
        final long published = stream.published();

        final String recording = run.symbol("recording", recordingId);
        final String replayChannel = run.environment().replayChannel();
        final String replayLabel = ScenarioEnvironment.channelLabel(replayChannel);
        final ReplayOptions whole = ReplayOptions.range(0, published);

        replayExpectingPublishedBytes(run, client, recordingId, recording, replayChannel, replayLabel,
            "defaults", whole);
        replayExpectingPublishedBytes(run, client, recordingId, recording, replayChannel, replayLabel,
            "fileIoMaxLength=" + SMALL_FILE_IO_MAX_LENGTH, whole.withFileIoMaxLength(SMALL_FILE_IO_MAX_LENGTH));
        replayExpectingPublishedBytes(run, client, recordingId, recording, replayChannel, replayLabel,
            "replayToken=unissued", whole.withReplayToken(UNISSUED_REPLAY_TOKEN));

        // A replay token at work: replay() to a control-mode=response channel makes the client ask for a token and
        // send the replay request, with it, over a connection of its own whose image the replay then answers.
        final String responseChannel = responseReplayChannel(run.environment());
        final String responseLabel = responseChannel.replaceAll("control=localhost:[0-9]+", "control=localhost:*");
        final ArchiveVersionDifference refusal = responseReplayRefusal(run.environment());
        if (refusal != null)
        {
            // Both clients must fail alike.
            final Outcome refused = run.value("replay", List.of(recording, responseLabel,
                "response channel, replay token"), () -> client.replayChecksum(recordingId, responseChannel,
                REPLAY_STREAM_ID, whole, (long)MESSAGES * MESSAGE_LENGTH, REPLAY_TIMEOUT_MS));
            run.expect(!refused.ok(), "the response channel replay fails on Aeron " +
                run.environment().server().version() + ": " + refusal.reason());
        }
        else
        {
            replayExpectingPublishedBytes(run, client, recordingId, recording, responseChannel, responseLabel,
                "response channel, replay token", whole);
        }

        final Outcome belowMtu = run.id("replaySession", "startReplay",
            List.of(recording, replayLabel, "fileIoMaxLength=" + BELOW_MTU_FILE_IO_MAX_LENGTH),
            () -> client.startReplay(recordingId, replayChannel, REPLAY_STREAM_ID,
                whole.withFileIoMaxLength(BELOW_MTU_FILE_IO_MAX_LENGTH)));
        stopIfStarted(run, client, belowMtu);
        final Outcome unknownCounter = run.id("replaySession", "startReplay",
            List.of(recording, replayLabel, "boundingLimitCounterId=unknown"),
            () -> client.startReplay(recordingId, replayChannel, REPLAY_STREAM_ID,
                whole.withBoundingLimitCounterId(UNKNOWN_COUNTER_ID)));
        stopIfStarted(run, client, unknownCounter);

        run.value("purgeRecording", List.of(recording), () -> client.purgeRecording(recordingId));
        run.close(client);
    }

    /*
     * Every position a user may put in ReplayParams. Only position 0 was ever replayed before: a non-zero one (the
     * default, NULL_POSITION, included) went through Pointer.position(long) into NativeArchive's native struct and
     * crashed the JVM or sent the Archive garbage.
     */
    private static void replayFromPositions(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final RecordedStream stream =
            RecordedStream.record(run, client, POSITIONS_STREAM_ID, MESSAGES, MESSAGE_LENGTH);
        if (stream == null)
        {
            run.close(client);
            return;
        }
        final long recordingId = stream.recordingId();
        final long published = stream.published();
        final String recording = run.symbol("recording", recordingId);
        final String replayChannel = run.environment().replayChannel();
        final String replayLabel = ScenarioEnvironment.channelLabel(replayChannel);
        final long frame = BitUtil.align(DataHeaderFlyweight.HEADER_LENGTH + MESSAGE_LENGTH,
            FrameDescriptor.FRAME_ALIGNMENT);
        // The messages, and the padding that ends the first term (the publication's terms are 64 KiB).
        run.expect(published >= MESSAGES * frame && published < (MESSAGES + 1) * frame,
            "the recording holds " + MESSAGES + " frames of " + frame + " bytes: " + published);

        // Where the Archive refuses REPLAY_ALL_AND_STOP, both clients must be refused alike.
        final boolean allAndStop = !ArchiveVersionDifference.NO_REPLAY_ALL_AND_STOP.appliesTo(run.environment());
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=NULL_POSITION (the default)", ReplayOptions.range(ReplayOptions.NULL_VALUE, published), 0,
            MESSAGES);
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=NULL_POSITION, length=REPLAY_ALL_AND_STOP",
            ReplayOptions.range(ReplayOptions.NULL_VALUE, REPLAY_ALL_AND_STOP), 0, allAndStop ? MESSAGES : -1);
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=0", ReplayOptions.range(0, published), 0, MESSAGES);
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=" + FROM_MESSAGE + " frames, to the end",
            ReplayOptions.range(FROM_MESSAGE * frame, published - FROM_MESSAGE * frame), FROM_MESSAGE, MESSAGES);
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=" + FROM_MESSAGE + " frames, length=REPLAY_ALL_AND_STOP",
            ReplayOptions.range(FROM_MESSAGE * frame, REPLAY_ALL_AND_STOP), FROM_MESSAGE, allAndStop ? MESSAGES : -1);
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=" + FROM_MESSAGE + " frames, length=2 frames",
            ReplayOptions.range(FROM_MESSAGE * frame, 2 * frame), FROM_MESSAGE, FROM_MESSAGE + 2);
        replayExpecting(run, client, recordingId, recording, replayChannel, replayLabel,
            "position=" + FROM_MESSAGE + " frames, subscriptionRegistrationId set on an ordinary channel",
            ReplayOptions.range(FROM_MESSAGE * frame, REPLAY_ALL_AND_STOP)
                .withSubscriptionRegistrationId(UNKNOWN_REGISTRATION_ID), FROM_MESSAGE, allAndStop ? MESSAGES : -1);

        // Positions the Archive must judge: each client's request carries exactly this value, so the answers agree.
        final List<Long> judged = List.of(
            (long)FrameDescriptor.FRAME_ALIGNMENT, 33L, published + frame, published + 1024 * 1024, -2L,
            Long.MIN_VALUE, Long.MAX_VALUE, (long)Integer.MAX_VALUE + 1);
        for (final long position : judged)
        {
            final Outcome replay = run.id("replaySession", "startReplay",
                List.of(recording, replayLabel, "position=" + position + ", length=REPLAY_ALL_AND_STOP"),
                () -> client.startReplay(recordingId, replayChannel, REPLAY_STREAM_ID,
                    ReplayOptions.range(position, REPLAY_ALL_AND_STOP)));
            stopIfStarted(run, client, replay);
        }
        for (final long position : List.of((long)ReplayOptions.NULL_VALUE, 0L, frame))
        {
            final Outcome unknown = run.id("replaySession", "startReplay",
                List.of("unknown recording", replayLabel, "position=" + position),
                () -> client.startReplay(Scenarios.UNKNOWN_ID, replayChannel, REPLAY_STREAM_ID,
                    ReplayOptions.range(position, REPLAY_ALL_AND_STOP)));
            stopIfStarted(run, client, unknown);
        }

        run.value("purgeRecording", List.of(recording), () -> client.purgeRecording(recordingId));
        run.close(client);
    }

    /* A replay through replay() that must deliver messages [from, to) of the recorded stream, byte for byte; to -1:
     * one the Archive must refuse. */
    private static void replayExpecting(
        final ScenarioRun run,
        final ArchiveClient client,
        final long recordingId,
        final String recording,
        final String replayChannel,
        final String replayLabel,
        final String label,
        final ReplayOptions options,
        final int from,
        final int to)
    {
        final long expectedBytes = (long)(Math.max(to, from) - from) * MESSAGE_LENGTH;
        final Outcome checksum = run.value("replay", List.of(recording, replayLabel, label),
            () -> client.replayChecksum(recordingId, replayChannel, REPLAY_STREAM_ID, options, expectedBytes,
                REPLAY_TIMEOUT_MS));
        if (to < 0)
        {
            run.expect(!checksum.ok(), "an Archive " + run.environment().server().version() + " refuses the replay " +
                "with " + label);
            return;
        }
        final CRC32 crc = new CRC32();
        final byte[] message = new byte[MESSAGE_LENGTH];
        for (int i = from; i < to; i++)
        {
            Arrays.fill(message, (byte)i);
            crc.update(message);
        }
        run.expect(checksum.ok() && checksum.value() == crc.getValue(),
            "the replay with " + label + " delivers messages " + from + " to " + (to - 1) + " (CRC-32 " +
            crc.getValue() + "), got " + (checksum.ok() ? checksum.value() : checksum.failureLabel()));
    }

    /* Why this environment's Archive cannot replay to a response channel, or null where it can. */
    private static ArchiveVersionDifference responseReplayRefusal(final ScenarioEnvironment environment)
    {
        if (ArchiveVersionDifference.NO_REPLAY_TOKEN.appliesTo(environment))
        {
            return ArchiveVersionDifference.NO_REPLAY_TOKEN;
        }
        if (environment.transport() == ScenarioEnvironment.Transport.UDP &&
            ArchiveVersionDifference.UDP_RESPONSE_CHANNEL_EXPERIMENTAL.appliesTo(environment))
        {
            return ArchiveVersionDifference.UDP_RESPONSE_CHANNEL_EXPERIMENTAL;
        }
        return null;
    }

    /* A response channel the clients of this transport can receive on (IPC only on a shared driver). */
    private static String responseReplayChannel(final ScenarioEnvironment environment)
    {
        return environment.transport() == ScenarioEnvironment.Transport.IPC ? "aeron:ipc?control-mode=response" :
            "aeron:udp?control-mode=response|control=localhost:" + FreePorts.udp();
    }

    private static void replayExpectingPublishedBytes(
        final ScenarioRun run,
        final ArchiveClient client,
        final long recordingId,
        final String recording,
        final String replayChannel,
        final String replayLabel,
        final String label,
        final ReplayOptions options)
    {
        final Outcome checksum = run.value("replay", List.of(recording, replayLabel, label),
            () -> client.replayChecksum(recordingId, replayChannel, REPLAY_STREAM_ID, options,
                (long)MESSAGES * MESSAGE_LENGTH, REPLAY_TIMEOUT_MS));
        final long expected = RecordedStream.checksum(MESSAGES, MESSAGE_LENGTH);
        run.expect(checksum.ok() && checksum.value() == expected,
            "the replay with " + label + " delivers the published bytes (CRC-32 " + expected + ")");
    }

    /* A replay the Archive accepted after all (an older Archive may ignore a field) must not outlive the scenario. */
    private static void stopIfStarted(final ScenarioRun run, final ArchiveClient client, final Outcome replay)
    {
        if (replay.ok())
        {
            run.action("stopReplay", List.of(run.symbol("replaySession", replay.value())),
                () -> client.stopReplay(replay.value()));
        }
    }

}
