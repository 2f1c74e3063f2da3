package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.client.ReplayOptions;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every call that names a recording, subscription, replay or replication by id, given ids the Archive does not know
 * (issue 10, defect 6): each answer is compared with its failure category, archive error code and the start of its
 * message, which is what a user reads. updateChannel on an unknown recording, answered by the Archive with the
 * response code RECORDING_UNKNOWN rather than an error, said "unexpected response code: 2" on NativeArchive where
 * AeronArchive names the code. 0 is left out: on the shared Archive it may be a real recording of an earlier scenario.
 */
final class UnknownIdScenarios
{
    private static final List<Long> UNKNOWN_IDS =
        List.of(-1L, 999_999_999L, (long)Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
    private static final int STREAM_ID = 2501;
    private static final int LIMIT_COUNTER_ID = 0;
    /** What NativeArchive adds after the Archive's or its own text: where it happened. */
    private static final String NATIVE_CONTEXT = " - correlationId=";
    private static final Pattern CORRELATION_ID = Pattern.compile("correlationId=-?[0-9]+");
    /** AeronException's category, which heads every AeronArchive message: ours have none. */
    private static final Pattern AERON_CATEGORY = Pattern.compile("^(ERROR|WARN|FATAL) - ");

    private static final List<Scenario> ALL = List.of(
        new Scenario("unknown-ids",
            "every call naming a recording, subscription, replay or replication by an id the archive does not know " +
                "(-1, large, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE): the same failure, error code and " +
                "message on both clients",
            UnknownIdScenarios::unknownIds));

    private UnknownIdScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void unknownIds(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final String replayChannel = run.environment().replayChannel();
        for (final long id : UNKNOWN_IDS)
        {
            final String arg = Long.toString(id);
            answer(run, "getStartPosition", arg, () -> client.getStartPosition(id));
            answer(run, "getRecordingPosition", arg, () -> client.getRecordingPosition(id));
            answer(run, "getStopPosition", arg, () -> client.getStopPosition(id));
            answer(run, "getMaxRecordedPosition", arg, () -> client.getMaxRecordedPosition(id));
            answer(run, "listRecording", arg, () -> client.listRecording(id, (descriptor) -> { }));
            answer(run, "stopRecording(subscriptionId)", arg, () ->
            {
                client.stopRecording(id);
                return "ok";
            });
            answer(run, "tryStopRecording(subscriptionId)", arg, () -> client.tryStopRecording(id));
            answer(run, "tryStopRecordingByIdentity", arg, () -> client.tryStopRecordingByIdentity(id));
            answer(run, "extendRecording", arg, () -> run.symbol("subscription",
                client.extendRecording(id, Scenarios.IPC, STREAM_ID, RecordingSource.LOCAL)));
            answer(run, "startReplay", arg, () -> run.symbol("replaySession",
                client.startReplay(id, 0, ReplayOptions.NULL_VALUE, replayChannel, STREAM_ID)));
            answer(run, "startBoundedReplay", arg, () -> run.symbol("replaySession",
                client.startBoundedReplay(id, 0, ReplayOptions.NULL_VALUE, LIMIT_COUNTER_ID, replayChannel,
                STREAM_ID)));
            answer(run, "stopReplay", arg, () ->
            {
                client.stopReplay(id);
                return "ok";
            });
            answer(run, "stopAllReplays", arg, () ->
            {
                client.stopAllReplays(id);
                return "ok";
            });
            answer(run, "truncateRecording", arg, () -> client.truncateRecording(id, 0));
            answer(run, "purgeRecording", arg, () -> client.purgeRecording(id));
            answer(run, "detachSegments", arg, () ->
            {
                client.detachSegments(id, 0);
                return "ok";
            });
            answer(run, "deleteDetachedSegments", arg, () -> client.deleteDetachedSegments(id));
            answer(run, "purgeSegments", arg, () -> client.purgeSegments(id, 0));
            answer(run, "attachSegments", arg, () -> client.attachSegments(id));
            answer(run, "migrateSegments", arg, () -> client.migrateSegments(id, id));
            // Where the Archive never answers updateChannel for an unknown recording, once is enough to show it.
            if (!ArchiveVersionDifference.SILENT_ON_UNKNOWN_UPDATE_CHANNEL.appliesTo(run.environment()) ||
                id == UNKNOWN_IDS.get(0))
            {
                answer(run, "updateChannel", arg, () ->
                {
                    client.updateChannel(id, "aeron:ipc?alias=renamed");
                    return "ok";
                });
            }
            answer(run, "stopReplication", arg, () ->
            {
                client.stopReplication(id);
                return "ok";
            });
            answer(run, "tryStopReplication", arg, () -> client.tryStopReplication(id));
        }
        run.close(client);
    }

    /* One step: the call's result, or its failure's label and the start of its message (a timeout's text is each
     * client's own: the label says it all). */
    private static void answer(final ScenarioRun run, final String operation, final String id, final Supplier<?> call)
    {
        run.text(operation, List.of(id), () ->
        {
            try
            {
                return String.valueOf(call.get());
            }
            catch (final ClientFailure failure)
            {
                return failure.category() == ClientFailure.Category.TIMEOUT ? failure.label() :
                    failure.label() + ": " + messageStart(failure.getCause().getMessage());
            }
        });
    }

    /*
     * The message as a user reads it, without what differs by design: AeronException's category in front,
     * NativeArchive's trailing context (session, correlation id, response channel) and the correlation id's value,
     * which is each client's own.
     */
    static String messageStart(final String message)
    {
        String text = AERON_CATEGORY.matcher(String.valueOf(message)).replaceFirst("");
        final int context = text.indexOf(NATIVE_CONTEXT);
        if (context >= 0)
        {
            text = text.substring(0, context);
        }
        return CORRELATION_ID.matcher(text).replaceAll("correlationId=*");
    }
}
