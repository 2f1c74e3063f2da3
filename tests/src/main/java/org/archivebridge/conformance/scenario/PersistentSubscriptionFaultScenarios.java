package org.archivebridge.conformance.scenario;

import org.agrona.CloseHelper;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientPersistentSubscription;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.ControlRequestTap;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.archivebridge.conformance.scenario.PersistentSubscriptionScenarios.FROM_START;

/**
 * Persistent subscriptions (issue 11) whose live stream comes over UDP from a Media Driver of its own
 * ({@link PublisherDriver}), recorded by the Archive over UDP (REMOTE), as from a publisher on another host: a late
 * join, the publisher's driver stopped and a new one resuming the session, and the Archive gone under the consumer.
 * Every message carries its sequence number; the transcript holds the phases, the listener's calls and the failure.
 */
final class PersistentSubscriptionFaultScenarios
{
    private static final int MESSAGE_LENGTH = 100;
    private static final int RECORDED_FIRST = 200;
    /** So many recorded that the replay is still going when the Archive stops after its first message. */
    private static final int RECORDED_BEFORE_GONE = 5_000;
    private static final long DEADLINE_MS = 60_000;
    /*
     * How long the consumer is polled once the Archive is gone: more than twice the archive client's message timeout
     * (5 s), so a client that reconnects has tried and failed at least once.
     */
    private static final long ARCHIVE_GONE_POLL_MS = 12_000;
    private static final String REPLAY_LABEL = "aeron:udp?endpoint=localhost:*";

    private enum Then
    {
        NOTHING, PUBLISHER_DRIVER_RESTARTED
    }

    private static final List<Scenario> ALL = List.of(
        new Scenario("persistent-subscription-udp-publisher",
            "the live stream published on a Media Driver of its own, recorded over UDP (REMOTE): late join from " +
                "FROM_START while published, every message once and in order across the switch to live",
            (run) -> udpPublisher(run, 2708, Then.NOTHING)),
        new Scenario("persistent-subscription-publisher-restarted",
            "the live stream's own Media Driver stopped under a live consumer (on a driver of its own that drops a " +
                "silent image before the Archive's does), then a new driver resumes the session where it stopped: " +
                "the consumer leaves live, replays, joins the resumed stream, without a gap",
            (run) -> udpPublisher(run, 2709, Then.PUBLISHER_DRIVER_RESTARTED)),
        new Scenario("persistent-subscription-archive-gone",
            "the Archive (a private one, with its driver) stops while the consumer replays, and is gone when a " +
                "second one starts: whether each fails, its reason, exception type and listener calls",
            PersistentSubscriptionFaultScenarios::archiveGone, false));

    private PersistentSubscriptionFaultScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void udpPublisher(final ScenarioRun run, final int streamId, final Then then)
    {
        if (then == Then.NOTHING)
        {
            udpPublisher(run, streamId, then, run.environment().udpSettings(), null);
            return;
        }
        /*
         * The consumer must leave live before the Archive's recording stops, so it is on a driver of its own (see
         * ConsumerDriver), over UDP on either transport. Run on the UDP transport only: on the IPC transport the
         * clients' driver, which the leak check reads, is the Archive's, where the images of the consumer's closed
         * request publications linger for the image liveness (10 s), beyond the check's wait.
         */
        if (run.environment().transport() == ScenarioEnvironment.Transport.IPC)
        {
            run.text("skipped", List.of(), () -> "runs on the UDP transport");
            return;
        }
        final ArchiveServer server = run.environment().server();
        try (ConsumerDriver consumerDriver = ConsumerDriver.launch();
            ControlRequestTap tap = consumerDriver.tap(server))
        {
            udpPublisher(run, streamId, then, consumerDriver.settings(server), tap);
        }
    }

    /* With the environment's tap for settings when tap is null. */
    private static void udpPublisher(
        final ScenarioRun run, final int streamId, final Then then, final ClientSettings settings,
        final ControlRequestTap tap)
    {
        final ArchiveClient client = null == tap ? run.connect(settings) : run.connect(settings, tap);
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final int controlPort = FreePorts.udp();
        final String subscriberChannel = PublisherDriver.subscriberChannel(controlPort);
        final String subscriberLabel = subscriberChannel.replace(Integer.toString(controlPort), "*");
        final Outcome recordingSubscription = run.id("subscription", "startRecording",
            List.of(subscriberLabel, Integer.toString(streamId), RecordingSource.REMOTE.name()),
            () -> client.startRecording(subscriberChannel, streamId, RecordingSource.REMOTE));
        if (!recordingSubscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            run.close(client);
            return;
        }
        PublisherDriver publisherDriver = PublisherDriver.launch();
        try
        {
            final SequencedPublisher publisher = new SequencedPublisher(
                publisherDriver.aeron(), PublisherDriver.publicationChannel(controlPort), streamId, MESSAGE_LENGTH);
            run.expect(publisher.publish(RECORDED_FIRST), "the recorded messages go out");
            final ServerObserver observer = run.environment().observer();
            run.expect(StreamPublisher.await(() -> observer.activeRecordingId(publisher.sessionId()) != -1),
                "the Archive records session " + publisher.sessionId());
            final long recordingId = observer.activeRecordingId(publisher.sessionId());
            final long recorded = publisher.position();
            run.expect(StreamPublisher.await(() -> RecordedStream.recordedUpTo(client, recordingId, recorded)),
                "the recording reaches " + recorded);

            final SequenceCheck check = new SequenceCheck(0, MESSAGE_LENGTH);
            final ClientPersistentSubscription subscription = PersistentSubscriptionScenarios.create(run, client,
                settings, run.symbol("recording", recordingId), recordingId, "FROM_START", FROM_START,
                subscriberChannel, subscriberLabel, streamId, replayChannel(), REPLAY_LABEL);
            if (null != subscription)
            {
                final PersistentSubscriptionScenarios.Phases phases =
                    new PersistentSubscriptionScenarios.Phases(subscription);
                run.text("pollUntilLive", List.of("publishing meanwhile"),
                    () -> PersistentSubscriptionScenarios.pollUntilLive(subscription, check, phases, publisher));
                PersistentSubscriptionScenarios.consumeThrough(
                    run, subscription, check, phases, publisher, "after it went live");
                if (then == Then.PUBLISHER_DRIVER_RESTARTED)
                {
                    final String resumeChannel =
                        publisher.resumeChannel(PublisherDriver.publicationChannel(controlPort));
                    final long nextSequence = publisher.published();
                    run.action("stopPublisherDriver", List.of(), publisherDriver::close);
                    publisherDriver = null;
                    run.flag("pollUntilLiveLeft", List.of(), () -> pollUntil(subscription, check, phases,
                        () -> subscription.listenerCalls().contains("onLiveLeft")));
                    publisherDriver = PublisherDriver.launch();
                    final SequencedPublisher resumed = new SequencedPublisher(
                        publisherDriver.aeron(), resumeChannel, streamId, MESSAGE_LENGTH, nextSequence);
                    run.flag("resumedSession", List.of(), () -> resumed.sessionId() == publisher.sessionId());
                    run.text("pollUntilLive", List.of("after the publisher resumed", "publishing meanwhile"),
                        () -> PersistentSubscriptionScenarios.pollUntilLive(subscription, check, phases, resumed));
                    PersistentSubscriptionScenarios.consumeThrough(
                        run, subscription, check, phases, resumed, "after the publisher resumed");
                }
                run.text("phases", List.of(), phases::toString);
                run.text("listenerCalls", List.of(), () -> String.join(", ", subscription.listenerCalls()));
                run.flag("isLive", List.of(), subscription::isLive);
                run.flag("hasFailed", List.of(), subscription::hasFailed);
                run.text("failureReason", List.of(), subscription::failureReason);
                run.action("closePersistentSubscription", List.of(), subscription::close);
            }
        }
        finally
        {
            CloseHelper.close(publisherDriver);
        }
        run.action("stopRecording", List.of(run.symbol("subscription", recordingSubscription.value())),
            () -> client.stopRecording(recordingSubscription.value()));
        run.close(client);
    }

    /* A replay channel on a port of its own: a persistent subscription takes no dynamic replay port. */
    private static String replayChannel()
    {
        return "aeron:udp?endpoint=localhost:" + FreePorts.udp();
    }

    /* Poll (nothing published) until done, failed or the deadline: whether done came true. */
    private static boolean pollUntil(
        final ClientPersistentSubscription subscription,
        final SequenceCheck check,
        final PersistentSubscriptionScenarios.Phases phases,
        final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!done.getAsBoolean() && !subscription.hasFailed() && System.nanoTime() - deadline < 0)
        {
            PersistentSubscriptionScenarios.pollOnce(subscription, check, phases);
        }
        return done.getAsBoolean();
    }

    /*
     * An Archive of the scenario's own, in its own process with its driver, records a stream published on a driver
     * of its own; the consumer is on a driver of the scenario's own, over UDP. The Archive stops once the consumer has
     * its first replayed message (the replay has thousands to go), then a second consumer is created with the Archive
     * gone. Each is polled for a while: whether it fails, its reason, and which kinds of listener calls it made
     * (how many reconnection attempts fail in that time is timing, so only the kinds are compared; the calls
     * themselves are printed).
     */
    private static void archiveGone(final ScenarioRun run) throws Exception
    {
        PrivateArchives.withClientOverOwnDriver(run, "abr-psub-client-",
            (client, settings, server) -> consumeWhileArchiveStops(run, client, settings, server));
    }

    private static void consumeWhileArchiveStops(
        final ScenarioRun run, final ArchiveClient client, final ClientSettings settings, final ArchiveServer server)
    {
        final int streamId = 2710;
        final int controlPort = FreePorts.udp();
        final String subscriberChannel = PublisherDriver.subscriberChannel(controlPort);
        final String subscriberLabel = subscriberChannel.replace(Integer.toString(controlPort), "*");
        final Outcome recordingSubscription = run.id("subscription", "startRecording",
            List.of(subscriberLabel, Integer.toString(streamId), RecordingSource.REMOTE.name()),
            () -> client.startRecording(subscriberChannel, streamId, RecordingSource.REMOTE));
        if (!recordingSubscription.ok())
        {
            run.expect(false, "startRecording succeeds");
            return;
        }
        // The live stream outlives the Archive: it is published on a driver of its own.
        try (PublisherDriver publisherDriver = PublisherDriver.launch();
            SequencedPublisher publisher = new SequencedPublisher(
                publisherDriver.aeron(), PublisherDriver.publicationChannel(controlPort), streamId, MESSAGE_LENGTH))
        {
            run.expect(publisher.publish(RECORDED_BEFORE_GONE), "the recorded messages go out");
            final long recordingId = PrivateArchives.awaitRecording(run, client, server, publisher);
            final String recording = run.symbol("recording", recordingId);

            final SequenceCheck check = new SequenceCheck(0, MESSAGE_LENGTH);
            final ClientPersistentSubscription replaying = PersistentSubscriptionScenarios.create(run, client,
                settings, recording, recordingId, "FROM_START", FROM_START, subscriberChannel, subscriberLabel,
                streamId, replayChannel(), REPLAY_LABEL);
            if (null != replaying)
            {
                try
                {
                    final PersistentSubscriptionScenarios.Phases before =
                        new PersistentSubscriptionScenarios.Phases(replaying);
                    run.flag("pollUntilFirstMessage", List.of(),
                        () -> pollUntil(replaying, check, before, () -> check.received() > 0));
                    run.flag("isReplaying", List.of("before the Archive stops"), replaying::isReplaying);
                    server.close();
                    run.expect(!server.isAlive(), "the private Archive's process stopped");
                    pollWithArchiveGone(run, replaying, check, "while replaying");
                    run.flag("inOrder", List.of("what was replayed"), check::inOrder);
                }
                finally
                {
                    run.action("closePersistentSubscription", List.of("while replaying"), replaying::close);
                }
            }
            final ClientPersistentSubscription unconnected = PersistentSubscriptionScenarios.create(run, client,
                settings, recording, recordingId, "FROM_START", FROM_START, subscriberChannel, subscriberLabel,
                streamId, replayChannel(), REPLAY_LABEL);
            if (null != unconnected)
            {
                try
                {
                    pollWithArchiveGone(run, unconnected, new SequenceCheck(0, MESSAGE_LENGTH), "before it connects");
                }
                finally
                {
                    run.action("closePersistentSubscription", List.of("before it connects"), unconnected::close);
                }
            }
        }
    }

    /* Poll until it fails or for ARCHIVE_GONE_POLL_MS, then write down where it ended. */
    private static void pollWithArchiveGone(
        final ScenarioRun run,
        final ClientPersistentSubscription subscription,
        final SequenceCheck check,
        final String when)
    {
        final PersistentSubscriptionScenarios.Phases phases = new PersistentSubscriptionScenarios.Phases(subscription);
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ARCHIVE_GONE_POLL_MS);
        while (!subscription.hasFailed() && System.nanoTime() - end < 0)
        {
            PersistentSubscriptionScenarios.pollOnce(subscription, check, phases);
        }
        System.out.printf("  [%s] persistent subscription with the Archive gone %s: %s; listener: %s%n", run.kind(),
            when, subscription.failureReason(), subscription.listenerCalls());
        run.text("phases", List.of(when), phases::toString);
        run.flag("hasFailed", List.of(when), subscription::hasFailed);
        run.flag("isLive", List.of(when), subscription::isLive);
        run.flag("isReplaying", List.of(when), subscription::isReplaying);
        run.text("failureReason", List.of(when), subscription::failureReason);
        run.text("listenerCallKinds", List.of(when), () -> String.join(", ", kinds(subscription.listenerCalls())));
    }

    /* Each kind of call once, in the order first made: the call without its message. */
    private static Set<String> kinds(final List<String> calls)
    {
        final Set<String> kinds = new LinkedHashSet<>();
        for (final String call : calls)
        {
            final int colon = call.indexOf(':');
            kinds.add(colon < 0 ? call : call.substring(0, colon));
        }
        return kinds;
    }
}
