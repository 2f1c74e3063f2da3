package org.archivebridge.conformance.client;

import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.NativeCounter;
import org.archivebridge.NativePublication;
import org.archivebridge.NativeSubscription;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.archive.client.RecordingSubscriptionDescriptorConsumer;
import io.aeron.archive.codecs.SourceLocation;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.server.StreamPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_CLOSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Close racing every other call of each public handle of the Java API: 8 threads call the handle while the test
 * closes it at a random moment, round after round (open, race, close) for a few seconds per handle, against a real
 * Media Driver and Archive. The JVM must live through it; every call must either answer as an open handle does or
 * lose cleanly (an IllegalStateException, or CLOSED where the API returns it); no call may lose before the close
 * began; and every thread must end. Calls the API leaves to one thread at a time (a subscription's poll, an exclusive
 * publication's offer, an async connect's poll) run on one of the eight only. The counts are printed.
 */
class NativeHandleRacesTest
{
    private static final int THREADS = 8;
    /* Per handle; -Draces.ms=60000 races a minute each. */
    private static final long RACE_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("races.ms", 2500));
    private static final int MIN_ROUNDS = 5;
    /* The close lands after up to this many calls of the round, so it meets them at every stage. */
    private static final int MAX_CALLS_BEFORE_CLOSE = 400;
    /* Each thread makes this many calls after the close returned before it stops: they must all lose or answer. */
    private static final int CALLS_AFTER_CLOSE = 3;
    /* Archive calls wait for the archive's answer: fewer of them before the close keeps the rounds many. */
    private static final int MAX_ARCHIVE_CALLS_BEFORE_CLOSE = 40;
    private static final long TIMEOUT_MS = 30_000;
    private static final String IPC = "aeron:ipc?term-length=65536";
    private static final int SUBSCRIPTION_STREAM_ID = 7101;
    private static final int PUBLICATION_STREAM_ID = 7201;
    private static final int EXCLUSIVE_STREAM_ID = 7202;
    private static final int CLIENT_STREAM_ID = 7301;
    private static final int RECORDED_STREAM_ID = 7401;
    /* And the next THREADS - 1: each caller records a stream of its own, as two recordings of one are refused. */
    private static final int RACE_RECORDING_STREAM_ID = 7410;
    private static final int REPLAY_STREAM_ID = 7501;
    private static final long UNKNOWN_ID = 777_777;
    private static final FragmentHandler TOUCH_EVERY_BYTE = (buffer, offset, length, header) ->
    {
        long sum = header.position();
        for (int i = 0; i < length; i++)
        {
            sum += buffer.getByte(offset + i);
        }
        if (sum == Long.MIN_VALUE)
        {
            throw new AssertionError("unreachable: keeps the reads");
        }
    };
    private static final RecordingDescriptorConsumer IGNORE_DESCRIPTOR =
        (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition, stopPosition,
        initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel,
        originalChannel, sourceIdentity) -> { };
    private static final RecordingSubscriptionDescriptorConsumer IGNORE_SUBSCRIPTION =
        (controlSessionId, correlationId, subscriptionId, streamId, strippedChannel) -> { };
    private static final UnsafeBuffer MESSAGE = new UnsafeBuffer(new byte[64]);

    private static final ThreadLocal<Integer> CALLER = ThreadLocal.withInitial(() -> 0);

    private static ScenarioEnvironment environment;
    private static NativeAeron aeron;
    /* Without a resource linger: a handle given up at its close is freed on the conductor's next duty cycle. */
    private static NativeAeron lingerless;
    private static NativeArchive admin;
    private static long recordingId;
    private static NativePublication feed;
    private static NativeSubscription drain;
    private static Thread feeder;
    private static volatile boolean feeding = true;

    @BeforeAll
    static void start() throws Exception
    {
        environment = ScenarioEnvironment.start(TestSupport.logDir());
        aeron = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(environment.clientAeronDirectoryName()));
        lingerless = NativeAeron.connect(new NativeAeron.Context()
            .aeronDirectoryName(environment.clientAeronDirectoryName()).resourceLingerDurationNs(0));
        admin = NativeArchive.connect(context());
        recordingId = record();

        // Traffic for the subscriptions under test to read, and a reader for the publications under test to fill.
        feed = aeron.addPublication(IPC, SUBSCRIPTION_STREAM_ID);
        drain = aeron.addSubscription(IPC, PUBLICATION_STREAM_ID);
        final NativeSubscription exclusiveDrain = aeron.addSubscription(IPC, EXCLUSIVE_STREAM_ID);
        feeder = new Thread(() ->
        {
            while (feeding)
            {
                feed.offer(MESSAGE, 0, MESSAGE.capacity());
                drain.poll((buffer, offset, length, header) -> { }, 100);
                exclusiveDrain.poll((buffer, offset, length, header) -> { }, 100);
                Thread.onSpinWait();
            }
        }, "feeder");
        feeder.start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        feeding = false;
        if (null != feeder)
        {
            feeder.join(TIMEOUT_MS);
        }
        try
        {
            if (null != admin)
            {
                admin.close();
            }
            if (null != aeron)
            {
                aeron.close();
            }
            if (null != lingerless)
            {
                lingerless.close();
            }
        }
        finally
        {
            if (null != environment)
            {
                environment.close();
            }
        }
    }

    private static NativeArchive.Context context()
    {
        return TestSupport.nativeContext(environment.udpSettings());
    }

    /* A stopped recording of 200 messages for the replays to read. */
    private static long record()
    {
        final long subscriptionId = admin.startRecording("aeron:ipc", RECORDED_STREAM_ID, SourceLocation.LOCAL);
        try (StreamPublisher publisher =
            new StreamPublisher(environment.observer().aeron(), "aeron:ipc", RECORDED_STREAM_ID))
        {
            assertTrue(publisher.awaitConnected(), "the recording subscribes");
            final long end = publisher.publish(200, 100);
            final long[] id = { NativeArchive.NULL_VALUE };
            assertTrue(StreamPublisher.await(() ->
                (id[0] = admin.findLastMatchingRecording(0, "aeron:ipc", RECORDED_STREAM_ID, publisher.sessionId())) !=
                NativeArchive.NULL_VALUE && admin.getRecordingPosition(id[0]) == end), "the recording has it all");
            admin.stopRecording(subscriptionId);
            assertTrue(StreamPublisher.await(() -> admin.getStopPosition(id[0]) == end), "the recording stopped");
            return id[0];
        }
    }

    @Test
    void closeRacesEveryCallOfASubscription() throws Exception
    {
        raceSubscription("NativeSubscription", aeron);
    }

    /* The C handle is given up at the close and freed by the next duty cycle: no call may reach it after that. */
    @Test
    void closeRacesEveryCallOfASubscriptionWithoutResourceLinger() throws Exception
    {
        raceSubscription("NativeSubscription (no linger)", lingerless);
    }

    private static void raceSubscription(final String what, final NativeAeron client) throws Exception
    {
        race(what,
            () ->
            {
                final NativeSubscription subscription = client.addSubscription(IPC, SUBSCRIPTION_STREAM_ID);
                await(() -> subscription.imageCount() > 0, "the subscription has the feed's image");
                return subscription;
            },
            NativeSubscription::close,
            List.of(
                Call.oneThread("poll", (subscription, round) -> answered(subscription.poll(TOUCH_EVERY_BYTE, 10))),
                Call.oneThread("poll, its handler closing once the close began", (subscription, round) ->
                    answered(subscription.poll((buffer, offset, length, header) ->
                    {
                        if (round.closing)
                        {
                            subscription.close();
                        }
                    }, 10))),
                Call.any("isConnected", (subscription, round) -> answered(subscription.isConnected())),
                Call.any("imageCount", (subscription, round) -> answered(subscription.imageCount())),
                Call.any("isClosed", (subscription, round) -> answered(subscription.isClosed())),
                Call.any("close", (subscription, round) -> closeAsCall(round, subscription::close))),
            subscription -> { });
    }

    @Test
    void closeRacesEveryCallOfAConcurrentPublication() throws Exception
    {
        racePublication(
            "NativePublication (concurrent)", () -> aeron.addPublication(IPC, PUBLICATION_STREAM_ID), false, true);
    }

    @Test
    void closeRacesEveryCallOfAnExclusivePublication() throws Exception
    {
        racePublication(
            "NativePublication (exclusive)", () -> aeron.addExclusivePublication(IPC, EXCLUSIVE_STREAM_ID), true, true);
    }

    /* As the two above, without a resource linger, so the C handles given up at the close are freed by the next duty
     * cycle. Offers are left out: without a linger the log itself is unmapped as soon as the close lands, for Aeron's
     * clients as for ours, so an offer racing the close is the application's to avoid. */
    @Test
    void closeRacesEveryCallButOffersOfPublicationsWithoutResourceLinger() throws Exception
    {
        racePublication("NativePublication (concurrent, no linger)",
            () -> lingerless.addPublication(IPC, PUBLICATION_STREAM_ID), false, false);
        racePublication("NativePublication (exclusive, no linger)",
            () -> lingerless.addExclusivePublication(IPC, EXCLUSIVE_STREAM_ID + 1), true, false);
    }

    /* The position reads alone, so that the close lands on a read of the log in most rounds. The race above mixes
     * them with 13 other calls and met it once in hundreds of CI runs; this one crashed the JVM within 2 s while a
     * concurrent publication's position() read the log's metadata without entering the handle. */
    @Test
    void closeRacesThePositionReadsOfPublicationsWithoutResourceLinger() throws Exception
    {
        final List<Call<NativePublication>> positionReads = List.of(
            Call.any("position", (publication, round) -> publication.position() == NativePublication.CLOSED),
            Call.any("positionLimit", (publication, round) -> publication.positionLimit() == NativePublication.CLOSED));
        race("NativePublication positions (concurrent, no linger)",
            () -> lingerless.addPublication(IPC, PUBLICATION_STREAM_ID), NativePublication::close, positionReads,
            publication -> { });
        race("NativePublication positions (exclusive, no linger)",
            () -> lingerless.addExclusivePublication(IPC, EXCLUSIVE_STREAM_ID + 1), NativePublication::close,
            positionReads, publication -> { });
    }

    private static void racePublication(
        final String what, final Opener<NativePublication> open, final boolean oneOfferer, final boolean offers)
        throws Exception
    {
        // An exclusive publication has one writer: its offers and claims take turns on one thread.
        final CallBody<NativePublication> offerAndClaim =
            (publication, round) -> offerAnswer(publication) | claimAnswer(publication);
        final List<Call<NativePublication>> offerCalls = !offers ? List.of() : List.of(
            oneOfferer ? Call.oneThread("offer+tryClaim", offerAndClaim) : Call.any("offer+tryClaim", offerAndClaim));
        race(what,
            open,
            NativePublication::close,
            Stream.concat(offerCalls.stream(), Stream.<Call<NativePublication>>of(
                Call.any("position", (publication, round) -> publication.position() == NativePublication.CLOSED),
                Call.any("isConnected", (publication, round) -> answered(publication.isConnected())),
                Call.any("sessionId", (publication, round) -> answered(publication.sessionId())),
                Call.any("streamId", (publication, round) -> answered(publication.streamId())),
                Call.any("maxMessageLength", (publication, round) -> answered(publication.maxMessageLength())),
                Call.any("maxPayloadLength", (publication, round) -> answered(publication.maxPayloadLength())),
                Call.any("termBufferLength", (publication, round) -> answered(publication.termBufferLength())),
                Call.any("positionLimit", (publication, round) ->
                    publication.positionLimit() == NativePublication.CLOSED),
                Call.any("channel", (publication, round) -> answered(publication.channel())),
                Call.any("registrationId", (publication, round) -> answered(publication.registrationId())),
                Call.any("channelStatus", (publication, round) -> answered(publication.channelStatus())),
                Call.any("isClosed", (publication, round) -> answered(publication.isClosed())),
                Call.any("close", (publication, round) -> closeAsCall(round, publication::close)))).toList(),
            publication -> { });
    }

    /* As an offer: CLOSED is the clean loss. A claim granted is filled and committed, or aborted every other time. */
    private static boolean claimAnswer(final NativePublication publication)
    {
        final BufferClaim claim = new BufferClaim();
        final long result = publication.tryClaim(MESSAGE.capacity(), claim);
        if (result > 0)
        {
            claim.buffer().putBytes(claim.offset(), MESSAGE, 0, MESSAGE.capacity());
            if (0 == (result & 64))
            {
                claim.commit();
            }
            else
            {
                claim.abort();
            }
            return false;
        }
        if (result == NativePublication.CLOSED)
        {
            return true;
        }
        if (result != NativePublication.NOT_CONNECTED && result != NativePublication.BACK_PRESSURED &&
            result != NativePublication.ADMIN_ACTION)
        {
            throw new AssertionError("tryClaim returned " + result);
        }
        return false;
    }

    /* CLOSED is the offer's clean loss; the other codes are answers of an open publication. */
    private static boolean offerAnswer(final NativePublication publication)
    {
        final long result = publication.offer(MESSAGE, 0, MESSAGE.capacity());
        if (result == NativePublication.CLOSED)
        {
            return true;
        }
        if (result < 0 && result != NativePublication.NOT_CONNECTED && result != NativePublication.BACK_PRESSURED &&
            result != NativePublication.ADMIN_ACTION)
        {
            throw new AssertionError("offer returned " + result);
        }
        return false;
    }

    @Test
    void closeRacesEveryCallOfAClient() throws Exception
    {
        race("NativeAeron",
            () ->
            {
                final NativeAeron client = NativeAeron.connect(
                    new NativeAeron.Context().aeronDirectoryName(environment.clientAeronDirectoryName()));
                final NativeSubscription subscription = client.addSubscription(IPC, CLIENT_STREAM_ID);
                final NativePublication publication = client.addPublication(IPC, CLIENT_STREAM_ID);
                await(() -> subscription.imageCount() > 0, "the client's subscription sees its publication");
                return new ClientUnderTest(client, publication, subscription);
            },
            under -> under.client.close(),
            List.of(
                Call.oneThread("addPublication", (under, round) ->
                    answered(under.client.addPublication(IPC, CLIENT_STREAM_ID))),
                Call.oneThread("addExclusivePublication", (under, round) ->
                    answered(under.client.addExclusivePublication(IPC, CLIENT_STREAM_ID))),
                Call.oneThread("addSubscription", (under, round) ->
                    answered(under.client.addSubscription(IPC, CLIENT_STREAM_ID))),
                Call.any("doWork", (under, round) -> answered(under.client.doWork())),
                Call.any("isClosed", (under, round) -> answered(under.client.isClosed())),
                Call.any("context", (under, round) -> answered(under.client.context())),
                Call.any("publication.offer", (under, round) -> offerAnswer(under.publication)),
                Call.oneThread("subscription.poll", (under, round) ->
                    answered(under.subscription.poll(TOUCH_EVERY_BYTE, 10))),
                Call.any("close", (under, round) -> closeAsCall(round, under.client::close))),
            under ->
            {
                under.publication.close();
                under.subscription.close();
            });
    }

    /* Without a resource linger the client's close frees every handle's memory at once, unless a call is still in
     * one: that call, when it exits, closes the C client. Offers and claims are left out, as for a publication's close
     * without a linger. Before the close waited for them, an isConnected() crashed the JVM within seconds. */
    @Test
    void closeRacesEveryCallButOffersOfAClientWithoutResourceLinger() throws Exception
    {
        race("NativeAeron (no linger)",
            () ->
            {
                final NativeAeron client = NativeAeron.connect(new NativeAeron.Context()
                    .aeronDirectoryName(environment.clientAeronDirectoryName()).resourceLingerDurationNs(0));
                final NativeSubscription subscription = client.addSubscription(IPC, CLIENT_STREAM_ID + 1);
                final NativePublication publication = client.addPublication(IPC, CLIENT_STREAM_ID + 1);
                final NativeCounter counter = client.addCounter(1001, "races");
                await(() -> subscription.imageCount() > 0, "the client's subscription sees its publication");
                return new LingerlessClientUnderTest(client, publication, subscription, counter);
            },
            under -> under.client.close(),
            List.of(
                Call.any("publication.position", (under, round) ->
                    under.publication.position() == NativePublication.CLOSED),
                Call.any("publication.positionLimit", (under, round) ->
                    under.publication.positionLimit() == NativePublication.CLOSED),
                Call.any("publication.isConnected", (under, round) -> answered(under.publication.isConnected())),
                Call.any("publication.sessionId", (under, round) -> answered(under.publication.sessionId())),
                Call.any("publication.channel", (under, round) -> answered(under.publication.channel())),
                Call.any("publication.channelStatus", (under, round) -> answered(under.publication.channelStatus())),
                Call.any("publication.isClosed", (under, round) -> answered(under.publication.isClosed())),
                Call.oneThread("subscription.poll", (under, round) ->
                    answered(under.subscription.poll(TOUCH_EVERY_BYTE, 10))),
                Call.any("subscription.imageCount", (under, round) -> answered(under.subscription.imageCount())),
                Call.any("subscription.isConnected", (under, round) -> answered(under.subscription.isConnected())),
                Call.any("subscription.isClosed", (under, round) -> answered(under.subscription.isClosed())),
                Call.any("counter.getAndAdd", (under, round) -> answered(under.counter.getAndAdd(1))),
                Call.any("counter.get", (under, round) -> answered(under.counter.get())),
                Call.any("counter.label", (under, round) -> answered(under.counter.label())),
                Call.any("counter.isClosed", (under, round) -> answered(under.counter.isClosed())),
                Call.any("close", (under, round) -> closeAsCall(round, under.client::close))),
            under -> { });
    }

    private record LingerlessClientUnderTest(
        NativeAeron client, NativePublication publication, NativeSubscription subscription, NativeCounter counter)
    {
    }

    private record ClientUnderTest(NativeAeron client, NativePublication publication, NativeSubscription subscription)
    {
    }

    @Test
    void closeRacesEveryCallOfAnArchiveClient() throws Exception
    {
        raceArchiveClient("NativeArchive", () -> NativeArchive.connect(context()));
    }

    /* With a shared core, close hands the control publication and subscription to the core, which removes them later. */
    @Test
    void closeRacesEveryCallOfAnArchiveClientOnASharedCore() throws Exception
    {
        raceArchiveClient("NativeArchive on a shared core", () -> NativeArchive.connect(context().aeron(aeron)));
    }

    private static void raceArchiveClient(final String what, final Opener<NativeArchive> open) throws Exception
    {
        final String replayChannel = environment.replayChannel();
        race(what,
            open,
            NativeArchive::close,
            List.of(
                Call.any("state", (archive, round) -> archive.state() == NativeArchive.State.CLOSED),
                Call.any("lastCorrelationId", (archive, round) -> answered(archive.lastCorrelationId())),
                Call.any("controlSessionId", (archive, round) -> answered(archive.controlSessionId())),
                Call.any("archiveId", (archive, round) -> answered(archive.archiveId())),
                Call.any("context", (archive, round) -> answered(archive.context())),
                Call.any("poll", (archive, round) -> answered(archive.poll())),
                Call.any("pollForErrorResponse", (archive, round) -> answered(archive.pollForErrorResponse())),
                Call.any("checkForErrorResponse", (archive, round) ->
                {
                    archive.checkForErrorResponse();
                    return false;
                }),
                Call.any("pollForRecordingSignals", (archive, round) -> answered(archive.pollForRecordingSignals())),
                Call.any("listRecordings", (archive, round) -> answered(archive.listRecordings(0, 5, IGNORE_DESCRIPTOR))),
                Call.any("listRecordingsForUri", (archive, round) ->
                    answered(archive.listRecordingsForUri(0, 5, "aeron:ipc", RECORDED_STREAM_ID, IGNORE_DESCRIPTOR))),
                Call.any("listRecording", (archive, round) ->
                    answered(archive.listRecording(recordingId, IGNORE_DESCRIPTOR))),
                Call.any("listRecordingSubscriptions", (archive, round) ->
                    answered(archive.listRecordingSubscriptions(0, 5, "aeron:ipc", 0, false, IGNORE_SUBSCRIPTION))),
                Call.any("getStartPosition", (archive, round) -> answered(archive.getStartPosition(recordingId))),
                Call.any("getRecordingPosition", (archive, round) ->
                    answered(archive.getRecordingPosition(recordingId))),
                Call.any("getStopPosition", (archive, round) -> answered(archive.getStopPosition(recordingId))),
                Call.any("getMaxRecordedPosition", (archive, round) ->
                    answered(archive.getMaxRecordedPosition(recordingId))),
                Call.any("findLastMatchingRecording", (archive, round) ->
                    answered(archive.findLastMatchingRecording(0, "aeron:ipc", RECORDED_STREAM_ID, -1))),
                Call.any("startRecording+tryStopRecording", (archive, round) ->
                    answered(archive.tryStopRecording(
                        archive.startRecording("aeron:ipc", raceRecordingStreamId(), SourceLocation.LOCAL)))),
                Call.any("tryStopRecording(unknown)", (archive, round) ->
                    answered(archive.tryStopRecording(UNKNOWN_ID))),
                Call.any("startReplay+stopReplay", (archive, round) ->
                {
                    final long replaySessionId = archive.startReplay(
                        recordingId, 0, NativeArchive.NULL_VALUE, replayChannel, REPLAY_STREAM_ID);
                    // The replay may have ended already, without a subscriber: the archive says so.
                    return answerOrArchiveError(() -> archive.stopReplay(replaySessionId));
                }),
                Call.any("replay", (archive, round) ->
                {
                    archive.replay(recordingId, 0, NativeArchive.NULL_VALUE, environment.replayChannel(),
                        REPLAY_STREAM_ID).close();
                    return false;
                }),
                Call.any("stopAllReplays(unknown)", (archive, round) ->
                    answerOrArchiveError(() -> archive.stopAllReplays(UNKNOWN_ID))),
                Call.any("getStopPosition(unknown)", (archive, round) ->
                    archiveError(() -> archive.getStopPosition(UNKNOWN_ID))),
                Call.any("truncateRecording(unknown)", (archive, round) ->
                    archiveError(() -> archive.truncateRecording(UNKNOWN_ID, 0))),
                Call.any("purgeSegments(unknown)", (archive, round) ->
                    archiveError(() -> archive.purgeSegments(UNKNOWN_ID, 0))),
                Call.any("addRecordedPublication+stopRecording", (archive, round) ->
                {
                    final NativePublication publication = archive.addRecordedPublication(
                        IPC, raceRecordingStreamId());
                    try
                    {
                        archive.stopRecording(publication);
                    }
                    finally
                    {
                        publication.close();
                    }
                    return false;
                }),
                Call.any("close", (archive, round) -> closeAsCall(round, archive::close))),
            archive ->
            {
                stopRaceRecordings();
                stopReplays();
            },
            MAX_ARCHIVE_CALLS_BEFORE_CLOSE);
    }

    /* A replay goes on after its subscription's close, to no one: the archive allows only so many at once. */
    private static void stopReplays()
    {
        admin.stopAllReplays(recordingId);
    }

    private static int raceRecordingStreamId()
    {
        return RACE_RECORDING_STREAM_ID + CALLER.get();
    }

    /* A recording a race started and the close kept from stopping: stopped here, so none outlives the test. */
    private static void stopRaceRecordings()
    {
        final List<Long> subscriptionIds = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            admin.listRecordingSubscriptions(0, 100, "aeron:ipc", RACE_RECORDING_STREAM_ID + t, true,
                (controlSessionId, correlationId, subscriptionId, streamId, strippedChannel) ->
                    subscriptionIds.add(subscriptionId));
        }
        subscriptionIds.forEach(admin::tryStopRecording);
    }

    @Test
    void closeRacesEveryCallOfAnAsyncConnect() throws Exception
    {
        race("NativeArchive.AsyncConnect",
            () -> NativeArchive.asyncConnect(context()),
            NativeArchive.AsyncConnect::close,
            List.of(
                Call.oneThread("poll", (connect, round) ->
                {
                    final NativeArchive archive = connect.poll();
                    if (null != archive)
                    {
                        round.ended = true;
                        archive.close();
                    }
                    return false;
                }),
                Call.any("step", (connect, round) -> answered(connect.step())),
                Call.any("state", (connect, round) -> answered(connect.state())),
                Call.any("close", (connect, round) -> closeAsCall(round, connect::close))),
            connect -> { });
    }

    /* Closed either directly or by closing the archive client whose core it lives on, in turn. */
    @Test
    void closeRacesEveryCallOfAReplaySubscription() throws Exception
    {
        final AtomicLong rounds = new AtomicLong();
        race("replay subscription",
            () ->
            {
                final NativeArchive archive = NativeArchive.connect(context());
                return new ReplayUnderTest(archive, archive.replay(
                    recordingId, 0, NativeArchive.NULL_VALUE, environment.replayChannel(), REPLAY_STREAM_ID));
            },
            under ->
            {
                if (rounds.getAndIncrement() % 2 == 0)
                {
                    under.subscription.close();
                }
                else
                {
                    under.archive.close();
                }
            },
            List.of(
                Call.oneThread("poll", (under, round) -> answered(under.subscription.poll(TOUCH_EVERY_BYTE, 10))),
                Call.any("isConnected", (under, round) -> answered(under.subscription.isConnected())),
                Call.any("imageCount", (under, round) -> answered(under.subscription.imageCount())),
                Call.any("isClosed", (under, round) -> answered(under.subscription.isClosed())),
                Call.any("close", (under, round) -> closeAsCall(round, under.subscription::close))),
            under ->
            {
                under.subscription.close();
                under.archive.close();
                stopReplays();
            });
    }

    private record ReplayUnderTest(NativeArchive archive, NativeSubscription subscription)
    {
    }

    /*
     * Rounds of: open a handle, let THREADS threads call it, close it after a random number of calls, let every thread
     * make CALLS_AFTER_CLOSE more calls, join them, tidy up. Until RACE_NS has passed and MIN_ROUNDS are done.
     */
    private static <H> void race(
        final String what,
        final Opener<H> open,
        final Closer<H> close,
        final List<Call<H>> calls,
        final Closer<H> tidy) throws Exception
    {
        race(what, open, close, calls, tidy, MAX_CALLS_BEFORE_CLOSE);
    }

    private static <H> void race(
        final String what,
        final Opener<H> open,
        final Closer<H> close,
        final List<Call<H>> calls,
        final Closer<H> tidy,
        final int maxCallsBeforeClose) throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong callCount = new AtomicLong();
        final AtomicLong answers = new AtomicLong();
        final AtomicLong losses = new AtomicLong();
        final long deadline = System.nanoTime() + RACE_NS;
        int rounds = 0;
        while (rounds < MIN_ROUNDS || System.nanoTime() - deadline < 0)
        {
            final H handle = open.open();
            final Round round = new Round();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int threadIndex = t;
                final Thread thread = new Thread(
                    () -> callUntilClosed(what, handle, round, calls, threadIndex, failures, answers, losses),
                    what + "-caller-" + t);
                threads.add(thread);
                thread.start();
            }
            final long callsBeforeClose = random.nextInt(maxCallsBeforeClose);
            final long waitDeadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (round.calls.get() < callsBeforeClose && System.currentTimeMillis() < waitDeadline &&
                threads.stream().anyMatch(Thread::isAlive))
            {
                Thread.onSpinWait();
            }
            round.closing = true;
            try
            {
                close.close(handle);
            }
            catch (final Throwable ex)
            {
                failures.add(what + ".close: " + ex);
            }
            round.closed = true;
            for (final Thread thread : threads)
            {
                thread.join(TIMEOUT_MS);
                assertFalse(thread.isAlive(), what + ": " + thread.getName() + " still running after the close");
            }
            callCount.addAndGet(round.calls.get());
            tidy.close(handle);
            rounds++;
            if (failures.size() > 20)
            {
                break;
            }
        }
        System.out.printf("races %s: %d rounds, %d calls from %d threads, %d answered, %d lost cleanly " +
            "(IllegalStateException or CLOSED), seed %d%n", what, rounds, callCount.get(), THREADS, answers.get(),
            losses.get(), seed);
        assertEquals(List.of(), failures, what + ": every call answered or lost cleanly (seed " + seed + ")");
        assertNotEquals(0, losses.get(), what + ": calls met the close");
    }

    private static <H> void callUntilClosed(
        final String what,
        final H handle,
        final Round round,
        final List<Call<H>> calls,
        final int threadIndex,
        final List<String> failures,
        final AtomicLong answers,
        final AtomicLong losses)
    {
        CALLER.set(threadIndex);
        int next = threadIndex;
        int callsAfterClose = 0;
        while (callsAfterClose < CALLS_AFTER_CLOSE)
        {
            final Call<H> call = calls.get(next++ % calls.size());
            if (call.oneThread && 0 != threadIndex)
            {
                continue;
            }
            final boolean afterClose = round.closed;
            boolean lost;
            try
            {
                lost = call.body.call(handle, round);
            }
            catch (final IllegalStateException | NativeArchiveException ex)
            {
                // A NativeArchive closed under the call fails it as AeronArchive does: "client is closed".
                lost = ex instanceof IllegalStateException ||
                    ABR_ERROR_CLOSED == ((NativeArchiveException)ex).nativeCode();
                if (!lost)
                {
                    failures.add(what + "." + call.name + ": " + ex);
                }
            }
            catch (final Throwable ex)
            {
                failures.add(what + "." + call.name + ": " + ex);
                lost = false;
            }
            round.calls.incrementAndGet();
            if (lost)
            {
                losses.incrementAndGet();
                if (!round.closing && !round.ended)
                {
                    failures.add(what + "." + call.name + " lost before the close began");
                }
            }
            else
            {
                answers.incrementAndGet();
            }
            if (afterClose)
            {
                callsAfterClose++;
            }
        }
    }

    /* A second close by one of the racing threads, once the test's own began: the two race each other too. */
    private static boolean closeAsCall(final Round round, final Runnable close)
    {
        if (round.closing)
        {
            close.run();
        }
        return false;
    }

    private static boolean answered(final Object answer)
    {
        return false;
    }

    /* The archive's own refusal (an unknown recording) is an answer; the client's failure would not be. */
    private static boolean archiveError(final Runnable call)
    {
        try
        {
            call.run();
            throw new AssertionError("the archive accepted an unknown recording");
        }
        catch (final NativeArchiveException ex)
        {
            if (NativeArchiveException.GENERIC == ex.errorCode())
            {
                throw ex;
            }
            return false;
        }
    }

    private static boolean answerOrArchiveError(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final NativeArchiveException ex)
        {
            if (NativeArchiveException.GENERIC == ex.errorCode())
            {
                throw ex;
            }
        }
        return false;
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() < deadline, "timed out: " + what);
            Thread.yield();
        }
    }

    /* What the threads of one round share. */
    private static final class Round
    {
        final AtomicLong calls = new AtomicLong();
        volatile boolean closing;
        volatile boolean closed;
        /* Set by a call after which the handle is done without a close (an async connect that completed). */
        volatile boolean ended;
    }

    @FunctionalInterface
    private interface Opener<H>
    {
        H open() throws Exception;
    }

    @FunctionalInterface
    private interface Closer<H>
    {
        void close(H handle) throws Exception;
    }

    /* One call: true when it answered CLOSED (a clean loss), false when it answered as on an open handle. */
    @FunctionalInterface
    private interface CallBody<H>
    {
        boolean call(H handle, Round round) throws Exception;
    }

    private record Call<H>(String name, boolean oneThread, CallBody<H> body)
    {
        static <H> Call<H> any(final String name, final CallBody<H> body)
        {
            return new Call<>(name, false, body);
        }

        static <H> Call<H> oneThread(final String name, final CallBody<H> body)
        {
            return new Call<>(name, true, body);
        }
    }
}
