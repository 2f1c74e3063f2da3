package org.archivebridge.conformance.explore;

import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingDescriptor;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.client.ReplayOptions;
import org.archivebridge.conformance.client.ReplicationOptions;
import org.archivebridge.conformance.scenario.ScenarioRun;
import org.archivebridge.conformance.transcript.Step;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_MALFORMED_CHANNEL;

/**
 * One generated sequence carried out on one client kind, every call a step of the run's transcript with the tokens
 * as its arguments. It keeps what the sequence made (recordings, recording subscriptions, replays, replications),
 * so tokens such as {@code rec@1} resolve to this client's own, and so it can undo all of it at the end, unrecorded,
 * leaving the shared Archive as it found it for the next run.
 */
final class SequenceRun
{
    /** What one generated operation reports around itself: the child JVM prints it, so a crash shows where. */
    interface Progress
    {
        /** Before an operation runs: the steps so far, so a crash in it leaves them reported. */
        void before(int index, Op op, List<org.archivebridge.conformance.transcript.Step> stepsSoFar);

        void after(int index, List<org.archivebridge.conformance.transcript.Step> stepsSoFar);

        /** The step at this index is the client refusing an argument before sending anything, for this reason. */
        void refused(int stepIndex, String reason);

        /** Before the first operation: one past the highest recording id the Archive listed when this run began. */
        void marked(long startMark);
    }

    /** A recording the sequence made and stopped: its id, stream, stop position, frame length and messages. */
    private record Made(long id, int streamId, long stop, int frameLength, int messages, int messageLength)
    {
    }

    /** Far beyond any id this Archive hands out: unknown to it on both clients' runs. */
    static final long UNKNOWN_ID = 1L << 40;
    private static final String IPC = "aeron:ipc";
    private static final String PUBLICATION_CHANNEL = "aeron:ipc?term-length=65536";
    private static final int RECORD_STREAM_BASE = 3000;
    private static final int READ_STREAM_ID = 6001;
    private static final int UNUSED_STREAM_ID = 5099;
    private static final long AWAIT_MS = 10_000;
    private static final long MESSAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long READ_TIMEOUT_MS = 3_000;
    private static final int ONE_MIB = 1 << 20;
    /** Nothing listens there: a replication from it stays connecting, so it can be stopped and makes no recording. */
    private static final String UNREACHABLE_SOURCE = "aeron:udp?endpoint=localhost:9";
    private static final String NO_CLIENT = "NO_CLIENT";

    private final ScenarioRun run;
    private final Set<Exclusion> exclusions;
    private final long hiddenFrom;
    private long startMark;
    private final List<Made> recordings = new ArrayList<>();
    private final List<Long> subscriptions = new ArrayList<>();
    private final List<Long> replays = new ArrayList<>();
    private final List<Long> replications = new ArrayList<>();
    private ArchiveClient client;
    private int recordAttempts;
    private String refusal;

    /**
     * @param hiddenFrom the reference run's start mark when this is the candidate's run of the same sequence, else
     *                   {@link Long#MAX_VALUE}: both runs share one Archive, so the candidate would otherwise list the
     *                   recordings the reference made just before it ({@code [hiddenFrom, startMark)}), which the
     *                   reference could not see; its listings drop them and their counts leave them out.
     */
    SequenceRun(final ScenarioRun run, final Set<Exclusion> exclusions, final long hiddenFrom)
    {
        this.run = run;
        this.exclusions = exclusions;
        this.hiddenFrom = hiddenFrom;
    }

    void execute(final List<Op> ops, final Progress progress)
    {
        try
        {
            startMark = catalogueMark();
            progress.marked(startMark);
            client = watched(run.connect(settings()));
            for (int i = 0; i < ops.size(); i++)
            {
                final Op op = ops.get(i);
                progress.before(i, op, run.steps());
                refusal = null;
                op.operation().run(this, op.args());
                final List<org.archivebridge.conformance.transcript.Step> steps = run.steps();
                if (null != refusal)
                {
                    progress.refused(steps.size() - 1, refusal);
                }
                progress.after(i, steps);
            }
        }
        finally
        {
            undo();
        }
    }

    /*
     * The Archive leaves some requests unanswered (a replay to an empty channel, for one) and both clients then wait
     * out the message timeout: 2 s instead of the suite's 5 s keeps the seeded run short, and is still far above
     * any answer's round trip on a loaded machine.
     */
    private ClientSettings settings()
    {
        return run.environment().udpSettings().withMessageTimeoutNs(MESSAGE_TIMEOUT_NS);
    }

    // Connecting and closing.

    void reconnect(final List<String> args)
    {
        if (null != client)
        {
            run.close(client);
        }
        client = watched(run.connect(settings()));
    }

    void connectWith(final List<String> args)
    {
        if (null != client)
        {
            run.close(client);
        }
        client = watched(run.connect(settings()
            .withControlResponseChannel(channel(args.get(0)))
            .withControlResponseStreamId(intOf(args.get(1)))
            .withMessageTimeoutNs(longOf(args.get(2))), (settings) ->
            {
                try
                {
                    return run.kind().connect(settings);
                }
                catch (final ClientFailure failure)
                {
                    if (refusedBeforeSending(failure))
                    {
                        refusal = failure.getCause().toString();
                    }
                    throw failure;
                }
            }));
    }

    void close(final List<String> args)
    {
        if (present("close", args))
        {
            run.close(client);
        }
    }

    void state(final List<String> args)
    {
        if (present("state", args))
        {
            run.text("state", args, client::state);
        }
    }

    void archiveId(final List<String> args)
    {
        if (present("archiveId", args))
        {
            run.value("archiveId", args, client::archiveId);
        }
    }

    // Recording.

    void record(final List<String> args)
    {
        if (!present("record", args))
        {
            return;
        }
        final int messages = Integer.parseInt(args.get(0));
        final int length = Integer.parseInt(args.get(1));
        final int streamId = RECORD_STREAM_BASE + ++recordAttempts;
        run.id("recording", "record", args, () -> makeRecording(streamId, messages, length));
    }

    /*
     * Start recording a stream of the sequence's own, publish it from the suite on the Archive's driver, wait until
     * the recording holds it all, stop it and wait for its stop position: one step, whatever the timing.
     */
    private long makeRecording(final int streamId, final int messages, final int length)
    {
        final long subscriptionId = client.startRecording(IPC, streamId, RecordingSource.LOCAL);
        final long recordingId;
        final long published;
        try (ExclusivePublication publication =
            run.environment().observer().aeron().addExclusivePublication(PUBLICATION_CHANNEL, streamId))
        {
            harness(await(publication::isConnected), "the recording of stream " + streamId + " connects");
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(length));
            for (int i = 0; i < messages; i++)
            {
                buffer.setMemory(0, length, (byte)i);
                harness(await(() -> publication.offer(buffer, 0, length) > 0), "message " + i + " is published");
            }
            published = publication.position();
            harness(await(() -> run.environment().observer().activeRecordingId(publication.sessionId()) != -1),
                "the Archive records session " + publication.sessionId());
            recordingId = run.environment().observer().activeRecordingId(publication.sessionId());
            harness(await(() -> quietly(() -> client.getRecordingPosition(recordingId)) >= published),
                "recording " + recordingId + " reaches " + published);
        }
        client.stopRecording(subscriptionId);
        harness(await(() -> quietly(() -> client.getStopPosition(recordingId)) == published),
            "recording " + recordingId + " stops at " + published);
        recordings.add(new Made(recordingId, streamId, published, align(length + 32, 32), messages, length));
        return recordingId;
    }

    void startRecording(final List<String> args)
    {
        if (present("startRecording", args))
        {
            final Outcome outcome = run.id("subscription", "startRecording", args, () -> client.startRecording(
                channel(args.get(0)), intOf(args.get(1)), RecordingSource.valueOf(args.get(2)),
                Boolean.parseBoolean(args.get(3))));
            if (outcome.ok())
            {
                subscriptions.add(outcome.value());
            }
        }
    }

    void stopRecordingChannel(final List<String> args)
    {
        if (present("stopRecording", args))
        {
            run.action("stopRecording", args, () -> client.stopRecording(channel(args.get(0)), intOf(args.get(1))));
        }
    }

    void stopRecordingSubscription(final List<String> args)
    {
        if (present("stopRecording", args))
        {
            run.action("stopRecording", args, () -> client.stopRecording(subscription(args.get(0))));
        }
    }

    void tryStopRecordingChannel(final List<String> args)
    {
        if (present("tryStopRecording", args))
        {
            run.flag("tryStopRecording", args, () -> client.tryStopRecording(channel(args.get(0)), intOf(args.get(1))));
        }
    }

    void tryStopRecordingSubscription(final List<String> args)
    {
        if (present("tryStopRecording", args))
        {
            run.flag("tryStopRecording", args, () -> client.tryStopRecording(subscription(args.get(0))));
        }
    }

    void tryStopByIdentity(final List<String> args)
    {
        if (present("tryStopRecordingByIdentity", args))
        {
            run.flag("tryStopRecordingByIdentity", args,
                () -> client.tryStopRecordingByIdentity(recording(args.get(0))));
        }
    }

    // Positions and listings.

    void getStartPosition(final List<String> args)
    {
        value("getStartPosition", args, () -> client.getStartPosition(recording(args.get(0))));
    }

    void getStopPosition(final List<String> args)
    {
        value("getStopPosition", args, () -> client.getStopPosition(recording(args.get(0))));
    }

    void getRecordingPosition(final List<String> args)
    {
        value("getRecordingPosition", args, () -> client.getRecordingPosition(recording(args.get(0))));
    }

    void getMaxRecordedPosition(final List<String> args)
    {
        value("getMaxRecordedPosition", args, () -> client.getMaxRecordedPosition(recording(args.get(0))));
    }

    void listRecordings(final List<String> args)
    {
        if (present("listRecordings", args))
        {
            final List<String> reentered = new ArrayList<>();
            run.listing("listRecordings", args, (collect) -> visibleCount((visible) -> client.listRecordings(
                recording(args.get(0)), intOf(args.get(1)), visible), consumer(args.get(2), collect, reentered)));
            reported(args.get(2), reentered);
        }
    }

    void listRecording(final List<String> args)
    {
        if (present("listRecording", args))
        {
            final List<String> reentered = new ArrayList<>();
            run.listing("listRecording", args, (collect) -> visibleCount((visible) -> client.listRecording(
                recording(args.get(0)), visible), consumer(args.get(1), collect, reentered)));
            reported(args.get(1), reentered);
        }
    }

    void listRecordingsForUri(final List<String> args)
    {
        if (present("listRecordingsForUri", args))
        {
            run.listing("listRecordingsForUri", args, (collect) -> visibleCount((visible) -> client.listRecordingsForUri(
                recording(args.get(0)), intOf(args.get(1)), fragment(args.get(2)), intOf(args.get(3)), visible),
                collect));
        }
    }

    void findLastMatchingRecording(final List<String> args)
    {
        if (present("findLastMatchingRecording", args))
        {
            // -1 (none found) stays a number: as a symbol it would take the name of the next recording made.
            run.text("findLastMatchingRecording", args, () ->
            {
                final long found = client.findLastMatchingRecording(
                    recording(args.get(0)), fragment(args.get(1)), intOf(args.get(2)), intOf(args.get(3)));
                return -1 == found ? "-1" : run.symbol("recording", found);
            });
        }
    }

    void listRecordingSubscriptions(final List<String> args)
    {
        if (present("listRecordingSubscriptions", args))
        {
            run.subscriptionListing("listRecordingSubscriptions", args, (collect) -> client.listRecordingSubscriptions(
                intOf(args.get(0)), intOf(args.get(1)), fragment(args.get(2)), intOf(args.get(3)),
                Boolean.parseBoolean(args.get(4)), collect));
        }
    }

    // Replay.

    void startReplay(final List<String> args)
    {
        if (present("startReplay", args))
        {
            replayStarted(run.id("replay", "startReplay", args, () -> client.startReplay(recording(args.get(0)),
                position(args.get(1)), length(args.get(2)), channel(args.get(3)), intOf(args.get(4)))));
        }
    }

    void startReplayWithParams(final List<String> args)
    {
        if (present("startReplay", args))
        {
            final ReplayOptions options = new ReplayOptions(position(args.get(3)), length(args.get(4)),
                intOf(args.get(5)), intOf(args.get(6)), longOf(args.get(7)), longOf(args.get(8)));
            replayStarted(run.id("replay", "startReplay", args, () -> client.startReplay(
                recording(args.get(0)), channel(args.get(1)), intOf(args.get(2)), options)));
        }
    }

    void startBoundedReplay(final List<String> args)
    {
        if (present("startBoundedReplay", args))
        {
            replayStarted(run.id("replay", "startBoundedReplay", args, () -> client.startBoundedReplay(
                recording(args.get(0)), position(args.get(1)), length(args.get(2)), intOf(args.get(3)),
                channel(args.get(4)), intOf(args.get(5)))));
        }
    }

    /** replay() with parameters, read to its end: the CRC-32 of what arrived, or -1 if not what the range holds. */
    void replayAndRead(final List<String> args)
    {
        if (present("replay", args))
        {
            final long position = position(args.get(1));
            final long length = length(args.get(2));
            final ReplayOptions options = new ReplayOptions(position, length, -1, intOf(args.get(3)), -1, -1);
            final long expected = expectedPayload(args.get(0), position, length);
            run.value("replay", args, () -> client.replayChecksum(recording(args.get(0)),
                run.environment().replayChannel(), READ_STREAM_ID, options, expected, READ_TIMEOUT_MS));
        }
    }

    void stopReplay(final List<String> args)
    {
        if (present("stopReplay", args))
        {
            run.action("stopReplay", args, () -> client.stopReplay(replay(args.get(0))));
        }
    }

    void stopAllReplays(final List<String> args)
    {
        if (present("stopAllReplays", args))
        {
            run.action("stopAllReplays", args, () -> client.stopAllReplays(recording(args.get(0))));
        }
    }

    // Maintenance.

    void truncateRecording(final List<String> args)
    {
        value("truncateRecording", args, () -> client.truncateRecording(recording(args.get(0)), position(args.get(1))));
    }

    void purgeRecording(final List<String> args)
    {
        value("purgeRecording", args, () -> client.purgeRecording(recording(args.get(0))));
    }

    void detachSegments(final List<String> args)
    {
        if (present("detachSegments", args))
        {
            run.action("detachSegments", args,
                () -> client.detachSegments(recording(args.get(0)), position(args.get(1))));
        }
    }

    void deleteDetachedSegments(final List<String> args)
    {
        value("deleteDetachedSegments", args, () -> client.deleteDetachedSegments(recording(args.get(0))));
    }

    void purgeSegments(final List<String> args)
    {
        value("purgeSegments", args, () -> client.purgeSegments(recording(args.get(0)), position(args.get(1))));
    }

    void attachSegments(final List<String> args)
    {
        value("attachSegments", args, () -> client.attachSegments(recording(args.get(0))));
    }

    void migrateSegments(final List<String> args)
    {
        value("migrateSegments", args,
            () -> client.migrateSegments(recording(args.get(0)), recording(args.get(1))));
    }

    void updateChannel(final List<String> args)
    {
        if (!present("updateChannel", args))
        {
            return;
        }
        final long recordingId = recording(args.get(0));
        run.action("updateChannel", args, () -> client.updateChannel(recordingId, channel(args.get(1))));
    }

    // Asynchronous traffic: how many signals a poll finds is timing, so only whether the call worked is compared.

    void pollForErrorResponse(final List<String> args)
    {
        if (present("pollForErrorResponse", args))
        {
            run.text("pollForErrorResponse", args, client::pollForErrorResponse);
        }
    }

    void checkForErrorResponse(final List<String> args)
    {
        if (present("checkForErrorResponse", args))
        {
            run.action("checkForErrorResponse", args, client::checkForErrorResponse);
        }
    }

    void pollForRecordingSignals(final List<String> args)
    {
        if (present("pollForRecordingSignals", args))
        {
            run.action("pollForRecordingSignals", args, client::pollForRecordingSignals);
            client.takeSignals();
        }
    }

    // Replication, from a source that never answers, stopped at once: the request's own checks are what is compared.

    void replicate(final List<String> args)
    {
        if (!present("replicate", args))
        {
            return;
        }
        final ReplicationOptions options = new ReplicationOptions(position(args.get(1)), recording(args.get(2)),
            channel(args.get(3)), channel(args.get(4)), longOf(args.get(5)), longOf(args.get(6)), intOf(args.get(7)),
            intOf(args.get(8)), credentials(args.get(9)), channel(args.get(10)));
        final Outcome outcome = run.id("replication", "replicate", args, () -> client.replicate(
            recording(args.get(0)), run.environment().server().controlStreamId(), UNREACHABLE_SOURCE, options));
        if (outcome.ok())
        {
            replications.add(outcome.value());
            run.flag("tryStopReplication", List.of(run.symbol("replication", outcome.value())),
                () -> client.tryStopReplication(outcome.value()));
        }
    }

    // Undoing what the sequence made, unrecorded, with a client of its own.

    /**
     * A listing seen as this run may see it: descriptors of recordings in {@code [hiddenFrom, startMark)} do not reach
     * the consumer, and the count the client returned goes without them.
     */
    private int visibleCount(
        final ToIntFunction<Consumer<RecordingDescriptor>> listing, final Consumer<RecordingDescriptor> consumer)
    {
        final int[] hidden = { 0 };
        final int count = listing.applyAsInt((descriptor) ->
        {
            if (descriptor.recordingId() >= hiddenFrom && descriptor.recordingId() < startMark)
            {
                hidden[0]++;
            }
            else
            {
                consumer.accept(descriptor);
            }
        });
        return count - hidden[0];
    }

    /** One past the highest recording id the Archive lists now, read by a harness client of this kind, unrecorded. */
    private long catalogueMark()
    {
        final ArchiveClient reader;
        try
        {
            reader = run.kind().connect(settings());
        }
        catch (final ClientFailure ex)
        {
            throw new IllegalStateException("explorer: no client to read the catalogue before the sequence", ex);
        }
        try (reader)
        {
            final long[] highest = { -1 };
            reader.listRecordings(0, Integer.MAX_VALUE,
                (descriptor) -> highest[0] = Math.max(highest[0], descriptor.recordingId()));
            return highest[0] + 1;
        }
    }

    private void undo()
    {
        final ArchiveClient cleaner;
        try
        {
            cleaner = run.kind().connect(settings());
        }
        catch (final ClientFailure ex)
        {
            throw new IllegalStateException("explorer: no client to undo the sequence's recordings and replays", ex);
        }
        try (cleaner)
        {
            replications.forEach((id) -> quietly(() -> cleaner.tryStopReplication(id) ? 1 : 0));
            replays.forEach((id) -> quietly(() ->
            {
                cleaner.stopReplay(id);
                return 0;
            }));
            recordings.forEach((made) -> quietly(() ->
            {
                cleaner.stopAllReplays(made.id());
                return 0;
            }));
            subscriptions.forEach((id) -> quietly(() -> cleaner.tryStopRecording(id) ? 1 : 0));
        }
    }

    // Tokens to values.

    private long recording(final String token)
    {
        if (token.startsWith("rec@"))
        {
            final Made made = made(token.substring(4));
            return null == made ? UNKNOWN_ID : made.id();
        }
        return "unknown".equals(token) ? UNKNOWN_ID + 1 : longOf(token);
    }

    private long subscription(final String token)
    {
        return token.startsWith("sub@") ? madeBy(subscriptions, token.substring(4)) :
            "unknown".equals(token) ? UNKNOWN_ID : longOf(token);
    }

    private long replay(final String token)
    {
        return token.startsWith("replay@") ? madeBy(replays, token.substring(7)) :
            "unknown".equals(token) ? UNKNOWN_ID : longOf(token);
    }

    /** stop@K[+-N] is recording K's stop position moved by N; frame@K its second frame; 0 for a recording not made. */
    private long position(final String token)
    {
        if (token.startsWith("stop@"))
        {
            final String rest = token.substring(5);
            final int sign = Math.max(rest.indexOf('+'), rest.indexOf('-'));
            final Made made = made(sign < 0 ? rest : rest.substring(0, sign));
            final long stop = null == made ? 0 : made.stop();
            return sign < 0 ? stop : stop + Long.parseLong(rest.substring(rest.charAt(sign) == '+' ? sign + 1 : sign));
        }
        if (token.startsWith("frame@"))
        {
            final Made made = made(token.substring(6));
            return null == made ? 0 : made.frameLength();
        }
        return longOf(token);
    }

    private long length(final String token)
    {
        return position(token);
    }

    private static long longOf(final String token)
    {
        return switch (token)
        {
            case "MAX" -> Long.MAX_VALUE;
            case "MIN" -> Long.MIN_VALUE;
            default -> Long.parseLong(token);
        };
    }

    private int intOf(final String token)
    {
        if (token.startsWith("stream@"))
        {
            final Made made = made(token.substring(7));
            return null == made ? UNUSED_STREAM_ID : made.streamId();
        }
        return switch (token)
        {
            case "MAX" -> Integer.MAX_VALUE;
            case "MIN" -> Integer.MIN_VALUE;
            default -> Integer.parseInt(token);
        };
    }

    static String channel(final String token)
    {
        return switch (token)
        {
            case "ipc" -> IPC;
            case "ipc-alias" -> "aeron:ipc?alias=explore";
            case "udp-any-port" -> "aeron:udp?endpoint=localhost:0";
            case "no-scheme" -> "ipc";
            case "unknown-media" -> "aeron:tcp?endpoint=localhost:9";
            case "bad-term-length" -> "aeron:ipc?term-length=3";
            case "spy" -> "aeron-spy:aeron:ipc";
            default -> string(token);
        };
    }

    private static String fragment(final String token)
    {
        return switch (token)
        {
            case "ipc" -> IPC;
            case "alias" -> "alias=explore";
            default -> string(token);
        };
    }

    private static String string(final String token)
    {
        return switch (token)
        {
            case "null" -> null;
            case "empty" -> "";
            case "garbage" -> "aeron:\u0001\u00e9\u6f22?=;|\u0000tail";
            case "huge" -> "aeron:ipc?alias=" + "x".repeat(ONE_MIB);
            default -> throw new IllegalArgumentException("no string token " + token);
        };
    }

    private static byte[] credentials(final String token)
    {
        return switch (token)
        {
            case "null" -> null;
            case "empty" -> new byte[0];
            default -> "\u0000\u00ffcredentials".getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private Made made(final String index)
    {
        final int k = Integer.parseInt(index);
        return k <= recordings.size() ? recordings.get(k - 1) : null;
    }

    private static long madeBy(final List<Long> ids, final String index)
    {
        final int k = Integer.parseInt(index);
        return k <= ids.size() ? ids.get(k - 1) : UNKNOWN_ID;
    }

    /** The payload bytes a replay of a made recording delivers over this range; 1 when it cannot be read. */
    private long expectedPayload(final String recordingToken, final long position, final long length)
    {
        final Made made = recordingToken.startsWith("rec@") ? made(recordingToken.substring(4)) : null;
        if (null == made || position < 0 || position > made.stop() || position % made.frameLength() != 0)
        {
            return 1;
        }
        final long end = length < 0 || length > made.stop() - position ? made.stop() : position + length;
        return (end - position) / made.frameLength() * made.messageLength();
    }

    // Recording helpers.

    /**
     * The client, watched for a call it refuses before sending anything: AeronArchive throws
     * IllegalArgumentException or IllegalStateException from its URI parser, NullPointerException for some nulls;
     * NativeArchive throws NullPointerException or IllegalArgumentException naming the argument, or its exception for
     * a malformed channel. The explorer accepts a step both clients refused (with different exceptions) and a null
     * NativeArchive refuses where AeronArchive writes an empty string ("a clear exception naming the argument", as
     * the issue allows), and lists each such step as an accepted difference.
     */
    private ArchiveClient watched(final ArchiveClient raw)
    {
        if (null == raw)
        {
            return null;
        }
        return (ArchiveClient)Proxy.newProxyInstance(ArchiveClient.class.getClassLoader(),
            new Class<?>[]{ ArchiveClient.class }, (proxy, method, methodArgs) ->
            {
                try
                {
                    return method.invoke(raw, methodArgs);
                }
                catch (final InvocationTargetException ex)
                {
                    final Throwable cause = ex.getCause();
                    if (cause instanceof ClientFailure failure && refusedBeforeSending(failure))
                    {
                        refusal = failure.getCause().toString();
                    }
                    throw cause;
                }
            });
    }

    private static boolean refusedBeforeSending(final ClientFailure failure)
    {
        final Throwable cause = failure.getCause();
        if (cause instanceof NativeArchiveException nativeEx)
        {
            return ABR_ERROR_MALFORMED_CHANNEL == nativeEx.nativeCode();
        }
        return failure.category() == ClientFailure.Category.OTHER && (cause instanceof NullPointerException ||
            cause instanceof IllegalArgumentException || cause instanceof IllegalStateException);
    }

    /** A call on the current client; with none (its connect failed), the step says so and nothing is called. */
    private boolean present(final String operation, final List<String> args)
    {
        if (null == client)
        {
            run.text(operation, args, () -> NO_CLIENT);
            return false;
        }
        return true;
    }

    private void value(final String operation, final List<String> args, final LongSupplier call)
    {
        if (present(operation, args))
        {
            run.value(operation, args, call);
        }
    }

    private void replayStarted(final Outcome outcome)
    {
        if (outcome.ok())
        {
            replays.add(outcome.value());
        }
    }

    /** The consumer a listing token asks for: collect, collect and throw, or collect and call the client again. */
    private Consumer<RecordingDescriptor> consumer(
        final String token, final Consumer<RecordingDescriptor> collect, final List<String> reentered)
    {
        return switch (token)
        {
            case "throw" -> (descriptor) ->
            {
                collect.accept(descriptor);
                throw new ExplorerCallbackException("explorer: the consumer throws after recording " +
                    descriptor.recordingId());
            };
            case "reenter" -> (descriptor) ->
            {
                collect.accept(descriptor);
                try
                {
                    reentered.add(Long.toString(client.getStopPosition(descriptor.recordingId())));
                }
                catch (final ClientFailure failure)
                {
                    reentered.add(failure.label());
                }
            };
            default -> collect;
        };
    }

    private void reported(final String consumerToken, final List<String> reentered)
    {
        if ("reenter".equals(consumerToken))
        {
            run.text("reentered getStopPosition", List.of(), () -> String.join(" ", reentered));
        }
    }

    private static long quietly(final LongSupplier call)
    {
        try
        {
            return call.getAsLong();
        }
        catch (final ClientFailure ex)
        {
            return Long.MIN_VALUE;
        }
    }

    private static boolean await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** A step the harness needs (publishing, waiting for the Archive), not the client: its failure ends the run. */
    private static void harness(final boolean done, final String what)
    {
        if (!done)
        {
            throw new IllegalStateException("explorer: within " + AWAIT_MS + " ms, expected that " + what);
        }
    }

    private static int align(final int value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
