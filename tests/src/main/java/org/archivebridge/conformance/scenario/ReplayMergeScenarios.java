package org.archivebridge.conformance.scenario;

import io.aeron.FragmentAssembler;
import io.aeron.logbuffer.FragmentHandler;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientReplayMerge;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Replay merge (issue 11): each client's own merge (AeronArchive's ReplayMerge, NativeArchive's NativeReplayMerge)
 * replays a recording of a live UDP stream from a position and joins the live stream, while the stream is still
 * published. The suite publishes on the Archive's driver, a sequence number in every message, and the Archive records
 * the stream; the consumer must get every message from the start position on, once and in order, across the switch
 * to live. Where the live stream and the merge's image stand is deterministic (fixed message sizes), so the
 * transcripts hold positions; how many polls it takes is timing, so it stays out.
 */
final class ReplayMergeScenarios
{
    private static final int MESSAGE_LENGTH = 100;
    /** Larger than the MTU (1408): each message crosses the switch to live as three fragments. */
    private static final int FRAGMENTED_MESSAGE_LENGTH = 3_000;
    private static final int RECORDED_FIRST = 200;
    private static final int AFTER_MERGE = 200;
    private static final int MERGE_POLL_LIMIT = 10;
    /** One message at most this often while merging: a stream that moves on, which a loaded machine can follow. */
    private static final long PUBLISH_INTERVAL_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long MERGE_PROGRESS_TIMEOUT_MS = 10_000;
    private static final long DEADLINE_MS = 60_000;
    private static final String SUBSCRIPTION_CHANNEL = "aeron:udp?control-mode=manual";
    private static final String REPLAY_DESTINATION = "aeron:udp?endpoint=localhost:0";
    private static final List<Long> UNKNOWN_RECORDING_IDS = List.of(-1L, Scenarios.UNKNOWN_ID, Long.MAX_VALUE);

    private enum Start
    {
        ZERO, MIDDLE, LIVE
    }

    /** Where the live stream is published. */
    private enum Publisher
    {
        /** On the Archive's driver, recorded through a spy (LOCAL). */
        ARCHIVE_DRIVER,
        /** On a driver of its own ({@link PublisherDriver}), recorded over UDP (REMOTE). */
        OWN_DRIVER
    }

    /** What happens under the merged consumer once it has every message. */
    private enum Then
    {
        NOTHING, RECORDING_STOPPED, PUBLISHER_CLOSED
    }

    private static final List<Scenario> ALL = List.of(
        new Scenario("replay-merge-from-start",
            "late join: replay merge from position 0 of a stream still published; every message once, in order, " +
                "across the switch to live",
            (run) -> mergeLiveStream(run, 2601, Start.ZERO, MESSAGE_LENGTH, Publisher.ARCHIVE_DRIVER, Then.NOTHING)),
        new Scenario("replay-merge-from-middle",
            "replay merge from the middle of the recording: the first message is the one at the start position",
            (run) -> mergeLiveStream(run, 2602, Start.MIDDLE, MESSAGE_LENGTH, Publisher.ARCHIVE_DRIVER, Then.NOTHING)),
        new Scenario("replay-merge-at-live",
            "replay merge from the live position: nothing to replay, the next published message comes first",
            (run) -> mergeLiveStream(run, 2603, Start.LIVE, MESSAGE_LENGTH, Publisher.ARCHIVE_DRIVER, Then.NOTHING)),
        new Scenario("replay-merge-fragmented",
            "replay merge of messages larger than the MTU, reassembled, across the switch to live",
            (run) -> mergeLiveStream(run, 2604, Start.ZERO, FRAGMENTED_MESSAGE_LENGTH, Publisher.ARCHIVE_DRIVER, Then.NOTHING)),
        new Scenario("replay-merge-recording-stopped",
            "the recording stopped under a merged consumer: it carries on with the live stream, without a gap, and " +
                "the recording stops where the stream was",
            (run) -> mergeLiveStream(run, 2606, Start.ZERO, MESSAGE_LENGTH, Publisher.ARCHIVE_DRIVER, Then.RECORDING_STOPPED)),
        new Scenario("replay-merge-live-lost",
            "the live publication closed under a merged consumer: its image reaches end of stream, then closes; " +
                "the merge stays merged, does not fail, and still names its (closed) image",
            (run) -> mergeLiveStream(run, 2607, Start.ZERO, MESSAGE_LENGTH, Publisher.ARCHIVE_DRIVER, Then.PUBLISHER_CLOSED)),
        new Scenario("replay-merge-udp-publisher",
            "the live stream published on a Media Driver of its own, recorded by the Archive over UDP (REMOTE), " +
                "merged from position 0 while published",
            (run) -> mergeLiveStream(run, 2608, Start.ZERO, MESSAGE_LENGTH, Publisher.OWN_DRIVER, Then.NOTHING)),
        new Scenario("replay-merge-unknown-recording",
            "replay merge of recording ids the Archive does not know (-1, " + Scenarios.UNKNOWN_ID + ", MAX): " +
                "the merge fails with the Archive's error and says so",
            ReplayMergeScenarios::unknownRecording),
        new Scenario("replay-merge-archive-gone",
            "the Archive (a private one, with its driver) stops after a merge started and before it caught up: " +
                "the merge fails, says so, and closes without hanging",
            ReplayMergeScenarios::archiveGone, false));

    private static final Runnable NOTHING_MORE = () ->
    {
    };

    private ReplayMergeScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    /*
     * The live stream's channel: dynamic MDC, so a merge adds itself as a destination through the control port; the
     * recording's spy counts as a subscriber (ssc), so the stream is published and recorded before any merge joins.
     */
    private static String liveChannel(final int controlPort)
    {
        return "aeron:udp?control=localhost:" + controlPort + "|control-mode=dynamic|term-length=64k|ssc=true";
    }

    private static void mergeLiveStream(
        final ScenarioRun run,
        final int streamId,
        final Start start,
        final int messageLength,
        final Publisher where,
        final Then then)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        try (PublisherDriver publisherDriver = where == Publisher.OWN_DRIVER ? PublisherDriver.launch() : null)
        {
            mergeLiveStream(run, client, streamId, start, messageLength, publisherDriver, then);
        }
        run.close(client);
    }

    private static void mergeLiveStream(
        final ScenarioRun run,
        final ArchiveClient client,
        final int streamId,
        final Start start,
        final int messageLength,
        final PublisherDriver publisherDriver,
        final Then then)
    {
        final int controlPort = FreePorts.udp();
        final String channel =
            null == publisherDriver ? liveChannel(controlPort) : PublisherDriver.publicationChannel(controlPort);
        final String recordingChannel =
            null == publisherDriver ? channel : PublisherDriver.subscriberChannel(controlPort);
        final RecordingSource source = null == publisherDriver ? RecordingSource.LOCAL : RecordingSource.REMOTE;
        final String channelLabel = recordingChannel.replace(Integer.toString(controlPort), "*");
        final Outcome recordingSubscription = run.id("subscription", "startRecording",
            List.of(channelLabel, Integer.toString(streamId), source.name()),
            () -> client.startRecording(recordingChannel, streamId, source));
        if (!recordingSubscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            return;
        }

        final ServerObserver observer = run.environment().observer();
        try (SequencedPublisher publisher = new SequencedPublisher(
            null == publisherDriver ? observer.aeron() : publisherDriver.aeron(), channel, streamId, messageLength))
        {
            run.expect(publisher.publish(RECORDED_FIRST / 2), "the first half of the recorded messages go out");
            final long middle = publisher.position();
            run.expect(publisher.publish(RECORDED_FIRST / 2), "the second half of the recorded messages go out");
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            final long recordingId = observer.activeRecordingId(publisher.sessionId());
            final long recorded = publisher.position();
            run.expect(StreamPublisher.await(() -> RecordedStream.recordedUpTo(client, recordingId, recorded)),
                "the recording reaches " + recorded);

            final long startPosition = switch (start)
            {
                case ZERO -> 0;
                case MIDDLE -> middle;
                case LIVE -> recorded;
            };
            final long firstSequence = switch (start)
            {
                case ZERO -> 0;
                case MIDDLE -> RECORDED_FIRST / 2;
                case LIVE -> RECORDED_FIRST;
            };
            final SequenceCheck check = new SequenceCheck(firstSequence, messageLength);
            final ClientReplayMerge merge = startMerge(run, client, channel, controlPort, streamId,
                publisher.sessionId(), recordingId, run.symbol("recording", recordingId), startPosition,
                start.name().toLowerCase());
            if (null != merge)
            {
                final FragmentAssembler assembler = new FragmentAssembler(check);
                run.text("pollUntilMerged", List.of("publishing meanwhile"),
                    () -> pollUntilMerged(merge, assembler, publisher));
                run.flag("isLiveAdded", List.of(), merge::isLiveAdded);
                run.flag("hasFailed", List.of(), merge::hasFailed);
                run.value("imageJoinPosition", List.of(), merge::imageJoinPosition);
                run.expect(merge.imageJoinPosition() == startPosition,
                    "the merged image joined at the start position " + startPosition);

                final long lastSequence = publisher.published() + AFTER_MERGE - 1;
                pollWhilePublishing(merge, assembler, publisher, lastSequence, check);
                run.expect(publisher.published() == lastSequence + 1, AFTER_MERGE + " messages go out after the merge");
                run.value("firstSequence", List.of(), check::first);
                run.text("sequences", List.of("through the last published"), () -> check.verdict(lastSequence));
                run.expect(check.completeThrough(lastSequence), "every message from " + firstSequence +
                    " through " + lastSequence + " once and in order: " + check.verdict(lastSequence));
                switch (then)
                {
                    case RECORDING_STOPPED -> stopRecordingUnderConsumer(run, client, recordingSubscription.value(),
                        recordingId, merge, assembler, publisher, check);
                    case PUBLISHER_CLOSED -> closePublisherUnderConsumer(run, merge, assembler, publisher);
                    case NOTHING ->
                    {
                    }
                }
                run.action("closeReplayMerge", List.of(), merge::close);
                run.text("state", List.of("after close"), merge::state);
            }
        }
        if (then != Then.RECORDING_STOPPED)
        {
            run.action("stopRecording", List.of(run.symbol("subscription", recordingSubscription.value())),
                () -> client.stopRecording(recordingSubscription.value()));
        }
    }

    /*
     * Once the recording has all that was published, stop it: the merged consumer reads the live stream alone, so the
     * messages published after the stop must arrive as before.
     */
    private static void stopRecordingUnderConsumer(
        final ScenarioRun run,
        final ArchiveClient client,
        final long subscriptionId,
        final long recordingId,
        final ClientReplayMerge merge,
        final FragmentAssembler assembler,
        final SequencedPublisher publisher,
        final SequenceCheck check)
    {
        final long stoppedAt = publisher.position();
        run.expect(StreamPublisher.await(() -> RecordedStream.recordedUpTo(client, recordingId, stoppedAt)),
            "the recording reaches " + stoppedAt + " before it is stopped");
        run.action("stopRecording", List.of(run.symbol("subscription", subscriptionId)),
            () -> client.stopRecording(subscriptionId));
        run.flag("getStopPosition", List.of("is where the stream was"),
            () -> client.getStopPosition(recordingId) == stoppedAt);

        final long lastSequence = publisher.published() + AFTER_MERGE - 1;
        pollWhilePublishing(merge, assembler, publisher, lastSequence, check);
        run.text("sequences", List.of("after the recording stopped"), () -> check.verdict(lastSequence));
        run.expect(check.completeThrough(lastSequence), "the merged consumer carries on after the recording " +
            "stopped: " + check.verdict(lastSequence));
        run.flag("isMerged", List.of("after the recording stopped"), merge::isMerged);
        run.flag("hasFailed", List.of("after the recording stopped"), merge::hasFailed);
    }

    /*
     * Close the live publication: its end of stream reaches the merged image. ReplayMerge has no recovery of its
     * own (that is PersistentSubscription's), so what is compared is what the merge reports afterwards.
     */
    private static void closePublisherUnderConsumer(
        final ScenarioRun run,
        final ClientReplayMerge merge,
        final FragmentAssembler assembler,
        final SequencedPublisher publisher)
    {
        publisher.close();
        pollUntil(merge, assembler, merge::isImageEndOfStream, NOTHING_MORE);
        run.flag("isImageEndOfStream", List.of("after the publication closed"), merge::isImageEndOfStream);
        pollUntil(merge, assembler, merge::isImageClosed, NOTHING_MORE);
        run.flag("isImageClosed", List.of("after its end of stream"), merge::isImageClosed);
        run.value("poll", List.of("after the publication closed"), () -> merge.poll(assembler, MERGE_POLL_LIMIT));
        run.flag("isMerged", List.of("after the publication closed"), merge::isMerged);
        run.flag("hasFailed", List.of("after the publication closed"), merge::hasFailed);
        run.text("state", List.of("after the publication closed"), merge::state);
        run.value("imageJoinPosition", List.of("after the publication closed"), merge::imageJoinPosition);
    }

    /** Start the client's merge, recorded as a step; null (with the failure in the transcript) if it refused. */
    private static ClientReplayMerge startMerge(
        final ScenarioRun run,
        final ArchiveClient client,
        final String liveChannel,
        final int controlPort,
        final int streamId,
        final int sessionId,
        final long recordingId,
        final String recording,
        final long startPosition,
        final String startLabel)
    {
        // The replay must carry the live stream's session id, or the replay's image never becomes the live one.
        final String replayChannel = "aeron:udp?session-id=" + sessionId;
        final String liveDestination = "aeron:udp?endpoint=localhost:0|control=localhost:" + controlPort;
        final ClientReplayMerge[] merge = new ClientReplayMerge[1];
        run.action("replayMerge", List.of(recording, startLabel + " " + startPosition,
            SUBSCRIPTION_CHANNEL, "aeron:udp?session-id=<live>", REPLAY_DESTINATION,
            "aeron:udp?endpoint=localhost:0|control=localhost:*"),
            () -> merge[0] = client.replayMerge(SUBSCRIPTION_CHANNEL, streamId, replayChannel, REPLAY_DESTINATION,
                liveDestination, recordingId, startPosition, MERGE_PROGRESS_TIMEOUT_MS));
        run.expect(null != merge[0], "the replay merge starts on " + liveChannel);
        return merge[0];
    }

    /*
     * Poll the merge while the stream moves on, until it is merged or fails: the state it ends in, or the failure.
     * The stream is paced so that the replay can catch up on a loaded machine.
     */
    private static String pollUntilMerged(
        final ClientReplayMerge merge, final FragmentAssembler assembler, final SequencedPublisher publisher)
    {
        final long[] nextOfferNs = {System.nanoTime()};
        pollUntil(merge, assembler, () -> merge.isMerged() || merge.hasFailed(), () ->
        {
            final long now = System.nanoTime();
            if (now - nextOfferNs[0] >= 0)
            {
                publisher.offerNext();
                nextOfferNs[0] = now + PUBLISH_INTERVAL_NS;
            }
        });
        return merge.state();
    }

    /*
     * Publish through lastSequence while polling the merged stream (the consumer's window is what lets the publisher
     * on), until the consumer has it all or the deadline passes.
     */
    private static void pollWhilePublishing(
        final ClientReplayMerge merge,
        final FragmentAssembler assembler,
        final SequencedPublisher publisher,
        final long lastSequence,
        final SequenceCheck check)
    {
        pollUntil(merge, assembler, () -> check.completeThrough(lastSequence), () ->
        {
            if (publisher.published() <= lastSequence)
            {
                publisher.offerNext();
            }
        });
    }

    /* Poll the merge, doing eachTurn before every poll, until done or the deadline passes; a failure propagates. */
    private static void pollUntil(
        final ClientReplayMerge merge,
        final FragmentHandler handler,
        final BooleanSupplier done,
        final Runnable eachTurn)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            eachTurn.run();
            if (0 == merge.poll(handler, MERGE_POLL_LIMIT))
            {
                Thread.onSpinWait();
            }
        }
    }

    /*
     * A merge of a recording the Archive does not know: its first request (the recording's position) is answered
     * with an error, which the next poll throws, and the merge is then failed. Nothing is published.
     */
    private static void unknownRecording(final ScenarioRun run)
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final int controlPort = FreePorts.udp();
        for (final long recordingId : UNKNOWN_RECORDING_IDS)
        {
            final ClientReplayMerge merge = startMerge(run, client, liveChannel(controlPort), controlPort, 2605, 1,
                recordingId, Long.toString(recordingId), 0, "zero");
            if (null != merge)
            {
                final Outcome failure = run.value("pollUntilFailed", List.of(Long.toString(recordingId)),
                    () -> pollUntilFailed(merge));
                run.expectOutcome(failure, "ERROR(code=UNKNOWN_RECORDING)",
                    "the merge of recording " + recordingId + " fails");
                run.flag("hasFailed", List.of(), merge::hasFailed);
                run.flag("isMerged", List.of(), merge::isMerged);
                run.text("state", List.of(), merge::state);
                run.value("poll", List.of("after the failure"), () -> merge.poll((buffer, offset, length, header) ->
                {
                }, MERGE_POLL_LIMIT));
                run.action("closeReplayMerge", List.of(), merge::close);
            }
        }
        run.close(client);
    }

    /* Poll until a poll throws (the failure is the step's outcome); 0 if the merge neither failed nor merged. */
    private static long pollUntilFailed(final ClientReplayMerge merge)
    {
        pollUntil(merge, (buffer, offset, length, header) ->
        {
        }, merge::isMerged, NOTHING_MORE);
        return 0;
    }

    /*
     * An Archive of the scenario's own, in its own process with its driver, recording a stream published there; the
     * client and its merge live on a driver of the scenario's own over UDP. The Archive's process is stopped right
     * after the merge started, so the merge meets it gone while it asks for the recording's position or replays.
     * Which failure a merge meets first (no answer, the response image gone, the replay image gone, no progress) is a
     * matter of timing, so the transcript holds that it failed, not how; the clients' own words are printed.
     */
    private static void archiveGone(final ScenarioRun run) throws Exception
    {
        PrivateArchives.withClientOverOwnDriver(
            run, "abr-merge-client-", (client, settings, server) -> mergeWhileArchiveStops(run, client, server));
    }

    private static void mergeWhileArchiveStops(
        final ScenarioRun run, final ArchiveClient client, final ArchiveServer server)
    {
        final int streamId = 2609;
        final int controlPort = FreePorts.udp();
        final String channel = PublisherDriver.publicationChannel(controlPort);
        final String recordingChannel = PublisherDriver.subscriberChannel(controlPort);
        final Outcome recordingSubscription = run.id("subscription", "startRecording",
            List.of(recordingChannel.replace(Integer.toString(controlPort), "*"), Integer.toString(streamId),
            RecordingSource.REMOTE.name()),
            () -> client.startRecording(recordingChannel, streamId, RecordingSource.REMOTE));
        if (!recordingSubscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            return;
        }
        // The live stream outlives the Archive: it is published on a driver of its own.
        try (PublisherDriver publisherDriver = PublisherDriver.launch();
            SequencedPublisher publisher = new SequencedPublisher(
                publisherDriver.aeron(), channel, streamId, MESSAGE_LENGTH))
        {
            run.expect(publisher.publish(RECORDED_FIRST), "the recorded messages go out");
            final long recordingId = PrivateArchives.awaitRecording(run, client, server, publisher);
            final ClientReplayMerge merge = startMerge(run, client, channel, controlPort,
                streamId, publisher.sessionId(), recordingId, run.symbol("recording", recordingId), 0, "zero");
            if (null != merge)
            {
                try
                {
                    server.close();
                    run.expect(!server.isAlive(), "the private Archive's process stopped");
                    failWithArchiveGone(run, merge);
                }
                finally
                {
                    run.action("closeReplayMerge", List.of(), merge::close);
                }
            }
        }
    }

    private static void failWithArchiveGone(final ScenarioRun run, final ClientReplayMerge merge)
    {
        final Outcome failure = run.value("pollUntilFailed", List.of("the Archive stopped"),
            () -> pollUntilFailed(merge));
        run.flag("failed", List.of("the Archive stopped"), () -> !failure.ok());
        run.expect(!failure.ok(), "polling the merge fails once the Archive is gone");
        if (!failure.ok())
        {
            System.out.printf("  [%s] replay merge with the Archive gone: %s%n", run.kind(),
                failure.failure().getMessage());
        }
        run.flag("hasFailed", List.of("the Archive stopped"), merge::hasFailed);
        run.flag("isMerged", List.of("the Archive stopped"), merge::isMerged);
        run.text("state", List.of("the Archive stopped"), merge::state);
    }
}
