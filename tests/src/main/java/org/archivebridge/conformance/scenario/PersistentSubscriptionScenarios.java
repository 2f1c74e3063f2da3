package org.archivebridge.conformance.scenario;

import io.aeron.logbuffer.FragmentHandler;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientPersistentSubscription;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Persistent subscriptions (issue 11): each client's own (Aeron's PersistentSubscription, archive-bridge's
 * NativePersistentSubscription) consumes a recorded live IPC stream on the Archive's driver, still published, a
 * sequence number in every message: it must hand over every message from its start once and in order, across the
 * switch from replay to live and across a recovery. The transcript holds the phases it went through (replaying,
 * live), its listener's calls and its failure reason; how many polls each phase takes is timing, so it stays out.
 * IPC both ways on either transport: the live stream and the replay share the Archive's driver with the consumer.
 */
final class PersistentSubscriptionScenarios
{
    /** Aeron's PersistentSubscription.FROM_START and FROM_LIVE. */
    static final long FROM_START = -1;
    private static final long FROM_LIVE = -2;
    private static final int MESSAGE_LENGTH = 100;
    /** Larger than the IPC MTU (1408): each message is three fragments, reassembled across the switch to live. */
    private static final int FRAGMENTED_MESSAGE_LENGTH = 3_000;
    private static final int RECORDED_FIRST = 200;
    private static final int AFTER_LIVE = 200;
    private static final int POLL_LIMIT = 10;
    /** One message at most this often while it catches up: a stream that moves on, which a loaded machine follows. */
    static final Pace PACED = new Pace(TimeUnit.MICROSECONDS.toNanos(200), 1);
    /*
     * Bursts of 8 fragmented messages (24 KiB, within the 64 KiB term's window) each millisecond: the consumer catches
     * up between bursts, but the live stream jumps ahead of the replay at each, so a live image that appears then is
     * ahead, and a switch that does not wait for the replay to reach it leaves a gap.
     */
    private static final Pace BURSTS = new Pace(TimeUnit.MILLISECONDS.toNanos(1), 8);
    private static final long DEADLINE_MS = 60_000;
    /*
     * Long enough for the driver to drop an untethered consumer that does not poll: both timeouts are 200 ms, but the
     * driver looks at them on its timer, and 3 s did not do it in the gate.
     */
    private static final long UNPOLLED_MS = 6_000;
    private static final String PUBLICATION_CHANNEL = "aeron:ipc?term-length=64k";
    private static final String LIVE_CHANNEL = "aeron:ipc";
    /** Untethered with short timeouts: a consumer that stops polling is dropped from the live stream. */
    private static final String UNTETHERED_LIVE_CHANNEL =
        "aeron:ipc?tether=false|untethered-window-limit-timeout=200ms|untethered-resting-timeout=200ms";
    static final String REPLAY_CHANNEL = "aeron:ipc";
    private static final int REPLAY_STREAM_OFFSET = 100;
    private static final List<Long> UNKNOWN_RECORDING_IDS = List.of(-1L, Scenarios.UNKNOWN_ID, Long.MAX_VALUE);

    private enum Start
    {
        FROM_START, MIDDLE, FROM_LIVE
    }

    /** What happens under the consumer once it is live and has every message. */
    private enum Then
    {
        NOTHING, RECORDING_STOPPED, LIVE_LOST
    }

    private static final List<Scenario> ALL = List.of(
        new Scenario("persistent-subscription-from-start",
            "late join from FROM_START of a stream still published: replay, then live, every message once and in " +
                "order across the switch",
            (run) -> consume(run, 2701, Start.FROM_START, MESSAGE_LENGTH, Then.NOTHING, PACED)),
        new Scenario("persistent-subscription-from-middle",
            "from a recorded position in the middle: the first message is the one at that position",
            (run) -> consume(run, 2702, Start.MIDDLE, MESSAGE_LENGTH, Then.NOTHING, PACED)),
        new Scenario("persistent-subscription-from-live",
            "from FROM_LIVE: nothing replayed, the next published message comes first",
            (run) -> consume(run, 2703, Start.FROM_LIVE, MESSAGE_LENGTH, Then.NOTHING, PACED)),
        new Scenario("persistent-subscription-fragmented",
            "messages larger than the MTU, reassembled, across the switch from replay to live",
            (run) -> consume(run, 2704, Start.FROM_START, FRAGMENTED_MESSAGE_LENGTH, Then.NOTHING,
                PACED)),
        new Scenario("persistent-subscription-live-lost",
            "the live image lost (an untethered consumer that stopped polling is dropped): it leaves live, replays " +
                "what it missed and joins again, without a gap",
            (run) -> consume(run, 2705, Start.FROM_START, MESSAGE_LENGTH, Then.LIVE_LOST, PACED)),
        new Scenario("persistent-subscription-recording-stopped",
            "the recording stopped under a live consumer: it carries on with the live stream, without a gap",
            (run) -> consume(run, 2706, Start.FROM_START, MESSAGE_LENGTH, Then.RECORDING_STOPPED,
                PACED)),
        new Scenario("persistent-subscription-fast-switch",
            "late join from FROM_START of fragmented messages published as fast as the consumer polls, up to and " +
                "through the switch: a switch before the replay reached the live stream shows as a gap or duplicate",
            (run) -> consume(run, 2711, Start.FROM_START, FRAGMENTED_MESSAGE_LENGTH, Then.NOTHING, BURSTS)),
        new Scenario("persistent-subscription-unknown-recording",
            "recording ids the Archive does not know (-1, " + Scenarios.UNKNOWN_ID + ", MAX): refused when " +
                "created, or failed with the reason and the listener's error",
            PersistentSubscriptionScenarios::unknownRecording));

    private PersistentSubscriptionScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    /** How a stream is published while its consumer catches up: up to burst messages each intervalNs. */
    record Pace(long intervalNs, int burst)
    {
    }

    private static void consume(
        final ScenarioRun run,
        final int streamId,
        final Start start,
        final int messageLength,
        final Then then,
        final Pace pace)
    {
        final ClientSettings settings = run.environment().ipcSettings();
        final ArchiveClient client = run.connect(settings);
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final Outcome recordingSubscription = run.id("subscription", "startRecording",
            List.of(PUBLICATION_CHANNEL, Integer.toString(streamId), RecordingSource.LOCAL.name()),
            () -> client.startRecording(PUBLICATION_CHANNEL, streamId, RecordingSource.LOCAL));
        if (!recordingSubscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            run.close(client);
            return;
        }
        final ServerObserver observer = run.environment().observer();
        try (SequencedPublisher publisher =
            new SequencedPublisher(observer.aeron(), PUBLICATION_CHANNEL, streamId, messageLength))
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
            // The client before this one may still be leaving the stream: its live subscription would hold this
            // session's image at 0, and a live subscriber added now would join there.
            run.expect(StreamPublisher.await(() -> observer.subscriberCount(publisher.sessionId(), streamId) == 1),
                "the Archive's recording is the only subscriber of session " + publisher.sessionId());

            final long startPosition = switch (start)
            {
                case FROM_START -> FROM_START;
                case MIDDLE -> middle;
                case FROM_LIVE -> FROM_LIVE;
            };
            final SequenceCheck check =
                new SequenceCheck(start == Start.MIDDLE ? RECORDED_FIRST / 2 : start == Start.FROM_LIVE ?
                RECORDED_FIRST : 0, messageLength);
            final String liveChannel = then == Then.LIVE_LOST ? UNTETHERED_LIVE_CHANNEL : LIVE_CHANNEL;
            final ClientPersistentSubscription subscription = create(run, client, settings,
                run.symbol("recording", recordingId), recordingId, start.name() + " " +
                (start == Start.MIDDLE ? Long.toString(middle) : ""), startPosition, liveChannel, streamId);
            if (null != subscription)
            {
                final Phases phases = new Phases(subscription);
                // From FROM_LIVE nothing is published until it is live, so the first message it gets is known.
                run.text("pollUntilLive", List.of(start == Start.FROM_LIVE ? "not publishing" : "publishing meanwhile"),
                    () -> pollUntilLive(subscription, check, phases, start == Start.FROM_LIVE ? null : publisher,
                    pace));
                consumeThrough(run, subscription, check, phases, publisher, "after it went live");
                switch (then)
                {
                    case RECORDING_STOPPED ->
                    {
                        run.action("stopRecording", List.of(run.symbol("subscription", recordingSubscription.value())),
                            () -> client.stopRecording(recordingSubscription.value()));
                        consumeThrough(run, subscription, check, phases, publisher, "after the recording stopped");
                    }
                    case LIVE_LOST ->
                    {
                        publishUnpolled(publisher);
                        consumeThrough(run, subscription, check, phases, publisher, "after the live image was lost");
                        run.expect(subscription.listenerCalls().contains("onLiveLeft"),
                            "the live image is lost while not polled: " + subscription.listenerCalls());
                    }
                    case NOTHING ->
                    {
                    }
                }
                run.text("phases", List.of(), phases::toString);
                run.text("listenerCalls", List.of(), () -> String.join(", ", subscription.listenerCalls()));
                run.flag("isLive", List.of(), subscription::isLive);
                run.flag("isReplaying", List.of(), subscription::isReplaying);
                run.flag("hasFailed", List.of(), subscription::hasFailed);
                run.text("failureReason", List.of(), subscription::failureReason);
                run.action("closePersistentSubscription", List.of(), subscription::close);
            }
        }
        if (then != Then.RECORDING_STOPPED)
        {
            run.action("stopRecording", List.of(run.symbol("subscription", recordingSubscription.value())),
                () -> client.stopRecording(recordingSubscription.value()));
        }
        run.close(client);
    }

    static ClientPersistentSubscription create(
        final ScenarioRun run,
        final ArchiveClient client,
        final ClientSettings settings,
        final String recording,
        final long recordingId,
        final String startLabel,
        final long startPosition,
        final String liveChannel,
        final int streamId)
    {
        return create(run, client, settings, recording, recordingId, startLabel, startPosition, liveChannel,
            liveChannel, streamId, REPLAY_CHANNEL, REPLAY_CHANNEL);
    }

    /* As above, with channels of the caller's; each label is its channel as the transcript shows it (ports masked). */
    static ClientPersistentSubscription create(
        final ScenarioRun run,
        final ArchiveClient client,
        final ClientSettings settings,
        final String recording,
        final long recordingId,
        final String startLabel,
        final long startPosition,
        final String liveChannel,
        final String liveLabel,
        final int streamId,
        final String replayChannel,
        final String replayLabel)
    {
        final ClientPersistentSubscription[] subscription = new ClientPersistentSubscription[1];
        run.action("persistentSubscription", List.of(recording, startLabel.trim(), liveLabel,
            Integer.toString(streamId), replayLabel, Integer.toString(streamId + REPLAY_STREAM_OFFSET)),
            () -> subscription[0] = client.persistentSubscription(settings, recordingId, startPosition, liveChannel,
                streamId, replayChannel, streamId + REPLAY_STREAM_OFFSET));
        return subscription[0];
    }

    /* Poll (publishing paced meanwhile, unless publisher is null) until live or failed: the phase it ends in. */
    static String pollUntilLive(
        final ClientPersistentSubscription subscription,
        final FragmentHandler handler,
        final Phases phases,
        final SequencedPublisher publisher)
    {
        return pollUntilLive(subscription, handler, phases, publisher, PACED);
    }

    static String pollUntilLive(
        final ClientPersistentSubscription subscription,
        final FragmentHandler handler,
        final Phases phases,
        final SequencedPublisher publisher,
        final Pace pace)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        long nextOfferNs = System.nanoTime();
        while (!subscription.isLive() && !subscription.hasFailed() && System.nanoTime() - deadline < 0)
        {
            final long now = System.nanoTime();
            if (null != publisher && now - nextOfferNs >= 0)
            {
                int offered = 0;
                while (offered < pace.burst() && publisher.offerNext())
                {
                    offered++;
                }
                nextOfferNs = now + pace.intervalNs();
            }
            pollOnce(subscription, handler, phases);
        }
        return subscription.hasFailed() ? "failed" : subscription.isLive() ? "live" : "neither live nor failed";
    }

    /* Publish AFTER_LIVE more while polling, until the consumer has every message or the deadline passes. */
    static void consumeThrough(
        final ScenarioRun run,
        final ClientPersistentSubscription subscription,
        final SequenceCheck check,
        final Phases phases,
        final SequencedPublisher publisher,
        final String when)
    {
        final long lastSequence = publisher.published() + AFTER_LIVE - 1;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while ((!check.completeThrough(lastSequence) || !subscription.isLive()) && !subscription.hasFailed() &&
            System.nanoTime() - deadline < 0)
        {
            if (publisher.published() <= lastSequence)
            {
                publisher.offerNext();
            }
            pollOnce(subscription, check, phases);
        }
        run.text("sequences", List.of(when), () -> check.verdict(lastSequence));
        run.expect(check.completeThrough(lastSequence), "every message once and in order " + when + ": " +
            check.verdict(lastSequence));
    }

    /* Publish while the consumer does not poll, long enough for the driver to drop its untethered live image. */
    private static void publishUnpolled(final SequencedPublisher publisher)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UNPOLLED_MS);
        while (System.nanoTime() - end < 0)
        {
            publisher.offerNext();
            Thread.onSpinWait();
        }
    }

    static void pollOnce(
        final ClientPersistentSubscription subscription, final FragmentHandler handler, final Phases phases)
    {
        final int fragments = subscription.poll(handler, POLL_LIMIT);
        phases.sample();
        if (0 == fragments)
        {
            Thread.onSpinWait();
        }
    }

    /*
     * Created (or refused) for ids the Archive does not know: polled until it fails, its reason and the listener's
     * calls in the transcript. Nothing is published.
     */
    private static void unknownRecording(final ScenarioRun run)
    {
        final ClientSettings settings = run.environment().ipcSettings();
        final ArchiveClient client = run.connect(settings);
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        for (final long recordingId : UNKNOWN_RECORDING_IDS)
        {
            final ClientPersistentSubscription subscription = create(run, client, settings,
                Long.toString(recordingId), recordingId, "FROM_START", FROM_START, LIVE_CHANNEL, 2707);
            if (null != subscription)
            {
                final Phases phases = new Phases(subscription);
                final FragmentHandler none = (buffer, offset, length, header) ->
                {
                };
                run.text("pollUntilLive", List.of(Long.toString(recordingId)),
                    () -> pollUntilLive(subscription, none, phases, null, PACED));
                run.text("phases", List.of(), phases::toString);
                run.text("listenerCalls", List.of(), () -> String.join(", ", subscription.listenerCalls()));
                run.flag("hasFailed", List.of(), subscription::hasFailed);
                run.text("failureReason", List.of(), subscription::failureReason);
                // What a poll returns counts its archive client's work too, which is timing: only messages count here.
                final long[] messages = new long[1];
                run.value("messages", List.of("polled after the failure"), () ->
                {
                    subscription.poll((buffer, offset, length, header) -> messages[0]++, POLL_LIMIT);
                    return messages[0];
                });
                run.action("closePersistentSubscription", List.of(), subscription::close);
            }
        }
        run.close(client);
    }

    /** The phases a subscription went through, each written down once when it changes: idle, replaying, live. */
    static final class Phases
    {
        private final ClientPersistentSubscription subscription;
        private final List<String> seen = new ArrayList<>();

        Phases(final ClientPersistentSubscription subscription)
        {
            this.subscription = subscription;
            sample();
        }

        void sample()
        {
            final String now = subscription.hasFailed() ? "failed" : subscription.isLive() ? "live" :
                subscription.isReplaying() ? "replaying" : "idle";
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now))
            {
                seen.add(now);
            }
        }

        public String toString()
        {
            return String.join(" -> ", seen);
        }
    }
}
