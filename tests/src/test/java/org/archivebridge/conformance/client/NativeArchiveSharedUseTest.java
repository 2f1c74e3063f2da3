package org.archivebridge.conformance.client;

import org.archivebridge.NativeAeron;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.NativeArchiveTimeoutException;
import org.archivebridge.NativePublication;
import org.archivebridge.NativeSubscription;
import io.aeron.archive.codecs.RecordingSignal;
import io.aeron.archive.codecs.SourceLocation;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.Scenarios;
import org.archivebridge.conformance.server.StreamPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativeArchive features AeronArchive has no counterpart for in the catalogue: one client shared by many threads
 * (serialised by its lock, each caller getting its own answer), and auto-poll, which delivers recording signals while
 * the application makes no call at all. Against the real Archive the conformance suite starts.
 */
class NativeArchiveSharedUseTest
{
    private static final int THREADS = 8;
    private static final int ROUNDS = 25;
    private static final int FIRST_STREAM_ID = 3001;
    private static final int AUTO_POLL_STREAM_ID = 3101;
    private static final int DEBUG_LOG_STREAM_ID = 3201;
    private static final int SHARED_CORE_STREAM_ID = 3301;
    private static final int RECORDED_PUBLICATION_STREAM_ID = 3401;
    private static final int POLL_STREAM_ID = 3501;
    private static final long UNKNOWN_RECORDING_ID = 888_888;
    private static ScenarioEnvironment environment;

    @BeforeAll
    static void startServer() throws Exception
    {
        environment = ScenarioEnvironment.start(TestSupport.logDir());
    }

    @AfterAll
    static void stopServer()
    {
        if (environment != null)
        {
            environment.close();
        }
    }

    private static NativeArchive.Context context()
    {
        return context(environment.udpSettings());
    }

    private static NativeArchive.Context context(final ClientSettings settings)
    {
        return TestSupport.nativeContext(settings);
    }

    @Test
    void eightThreadsShareOneClientAndEachGetsItsOwnAnswers() throws Exception
    {
        final long sessionsBefore = environment.observer().controlSessionCount();
        final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try (NativeArchive archive = NativeArchive.connect(context()))
        {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int streamId = FIRST_STREAM_ID + t;
                results.add(executor.submit(() -> hammer(archive, streamId)));
            }
            for (final Future<Integer> result : results)
            {
                assertEquals(ROUNDS, result.get(120, TimeUnit.SECONDS));
            }
            assertNull(archive.pollForErrorResponse(), "no error left behind by the concurrent calls");
        }
        finally
        {
            executor.shutdownNow();
        }
        assertTrue(StreamPublisher.await(() -> environment.observer().controlSessionCount() == sessionsBefore),
            "the session ended after close");
    }

    /* Every answer is checked against what this thread asked: a response handed to the wrong caller fails it. */
    private static int hammer(final NativeArchive archive, final int streamId)
    {
        int rounds = 0;
        for (int i = 0; i < ROUNDS; i++)
        {
            final long subscriptionId = archive.startRecording("aeron:ipc", streamId, SourceLocation.LOCAL);
            final List<Integer> streams = new ArrayList<>();
            final int listed = archive.listRecordingSubscriptions(
                0, 100, "aeron:ipc", streamId, true,
                (controlSessionId, correlationId, id, subscribedStreamId, channel) -> streams.add(subscribedStreamId));
            assertEquals(1, listed, "stream " + streamId + " has exactly its own recording subscription");
            assertEquals(List.of(streamId), streams);
            final NativeArchiveException unknown = assertThrows(
                NativeArchiveException.class, () -> archive.getStopPosition(UNKNOWN_RECORDING_ID));
            assertEquals(5, unknown.errorCode(), "UNKNOWN_RECORDING, as ArchiveException reports it");
            assertTrue(archive.tryStopRecording(subscriptionId));
            rounds++;
        }
        return rounds;
    }

    /*
     * Each client holds native callback thunks for its whole life; JavaCPP's default pool of 10 per callback class
     * left the eleventh live client's listings with a NULL consumer ("consumer must not be null").
     */
    @Test
    void moreThanTenLiveClientsEachListWithTheirOwnConsumers()
    {
        final List<NativeArchive> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < 24; i++)
            {
                clients.add(NativeArchive.connect(context().recordingSignalConsumer(
                    (controlSessionId, correlationId, recordingId, subscriptionId, position, signal) -> {})
                    .errorHandler((ex) -> {})));
            }
            for (final NativeArchive client : clients)
            {
                final int[] descriptors = new int[1];
                client.listRecordings(0, 1, (controlSessionId, correlationId, recordingId, startTimestamp,
                    stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                    mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
                    descriptors[0]++);
                client.listRecordingSubscriptions(0, 1, "", 0, false,
                    (controlSessionId, correlationId, subscriptionId, streamId, strippedChannel) -> {});
                assertTrue(descriptors[0] <= 1);
            }
        }
        finally
        {
            clients.forEach(NativeArchive::close);
        }
    }

    @Test
    void autoPollDeliversSignalsWhileTheApplicationMakesNoCall() throws Exception
    {
        final List<RecordingSignal> signals = new CopyOnWriteArrayList<>();
        final NativeArchive.Context context = context()
            .autoPollIntervalNs(TimeUnit.MILLISECONDS.toNanos(5))
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(signal));
        try (NativeArchive archive = NativeArchive.connect(context);
            StreamPublisher publisher = new StreamPublisher(
                environment.observer().aeron(), "aeron:ipc?term-length=65536", AUTO_POLL_STREAM_ID))
        {
            final long subscriptionId = archive.startRecording(
                "aeron:ipc", AUTO_POLL_STREAM_ID, SourceLocation.LOCAL, true);
            assertTrue(publisher.awaitConnected(), "the recording subscribes");
            publisher.publish(10, 100);

            // No call is made here: only the auto-poll thread reads the response channel.
            assertTrue(StreamPublisher.await(() -> signals.contains(RecordingSignal.START)),
                "START arrives without a call, got " + signals);
            archive.stopRecording(subscriptionId);
            assertTrue(StreamPublisher.await(() -> signals.contains(RecordingSignal.STOP)),
                "STOP arrives, got " + signals);
        }
    }

    /* poll() is what an application without auto-poll calls while idle: it must hand on what it reads, not drop it. */
    @Test
    void pollDeliversTheSignalsItReads() throws Exception
    {
        final List<RecordingSignal> signals = new CopyOnWriteArrayList<>();
        final NativeArchive.Context context = context()
            .recordingSignalConsumer((controlSessionId, correlationId, recordingId, subscriptionId, position, signal) ->
                signals.add(signal));
        try (NativeArchive archive = NativeArchive.connect(context);
            StreamPublisher publisher = new StreamPublisher(
                environment.observer().aeron(), "aeron:ipc?term-length=65536", POLL_STREAM_ID))
        {
            archive.startRecording("aeron:ipc", POLL_STREAM_ID, SourceLocation.LOCAL, true);
            assertTrue(publisher.awaitConnected(), "the recording subscribes");
            publisher.publish(10, 100);

            // The START signal arrives after startRecording's response: only poll() reads it.
            assertTrue(StreamPublisher.await(() ->
            {
                archive.poll();
                return signals.contains(RecordingSignal.START);
            }), "poll() hands START to the consumer, got " + signals);
        }
    }

    @Test
    void debugLogShowsEveryRequestAndResponseWithTheirIds(@TempDir final Path dir) throws Exception
    {
        final Path log = dir.resolve("archive-debug.log");
        final long controlSessionId;
        try (NativeArchive archive = NativeArchive.connect(context().debugLog(log.toString())))
        {
            controlSessionId = archive.controlSessionId();
            final long subscriptionId = archive.startRecording("aeron:ipc", DEBUG_LOG_STREAM_ID, SourceLocation.LOCAL);
            archive.stopRecording(subscriptionId);
        }

        final List<String> lines = Files.readAllLines(log);
        final String session = "controlSessionId=" + controlSessionId;
        assertTrue(lines.stream().anyMatch((line) -> line.contains("SEND connect")), "connect logged: " + lines);
        assertTrue(lines.stream().anyMatch((line) -> line.contains("SEND start recording") && line.contains(session)),
            "start recording logged with the session: " + lines);
        assertTrue(lines.stream().anyMatch((line) -> line.contains("RECV ControlResponse") && line.contains(session) &&
            line.contains("correlationId=")), "responses logged: " + lines);
        assertTrue(lines.get(lines.size() - 1).contains("SEND close session") && lines.get(lines.size() - 1)
            .contains(session), "the close session request is the last line: " + lines);
    }

    @Test
    void debugLogThatCannotBeOpenedFailsTheConnectNamingIt(@TempDir final Path dir)
    {
        final String path = dir.resolve("no-such-dir").resolve("archive-debug.log").toString();
        final NativeArchiveException ex = assertThrows(
            NativeArchiveException.class, () -> NativeArchive.connect(context().debugLog(path)));
        assertTrue(ex.getMessage().contains(path), ex.getMessage());
    }

    @Test
    void asyncConnectReportsItsStepsAndCompletes()
    {
        final List<String> states = new ArrayList<>();
        try (NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(context()))
        {
            NativeArchive archive = null;
            int lastStep = async.step();
            states.add(async.state().name());
            while (null == archive)
            {
                archive = async.poll();
                assertTrue(async.step() >= lastStep || null != archive, "steps only move forward");
                lastStep = async.step();
                if (!states.get(states.size() - 1).equals(async.state().name()))
                {
                    states.add(async.state().name());
                }
            }
            try (NativeArchive connected = archive)
            {
                assertEquals(environment.server().archiveId(), connected.archiveId());
            }
        }
        assertEquals("AWAIT_SUBSCRIPTION", states.get(0), states.toString());
        assertTrue(states.contains("AWAIT_CONNECT_RESPONSE") && "DONE".equals(states.get(states.size() - 1)),
            states.toString());
    }

    @Test
    void asyncConnectTimeoutNamesTheStepItStalledIn()
    {
        final NativeArchive.Context context = context()
            .controlRequestStreamId(Scenarios.UNUSED_STREAM_ID)
            .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500));
        try (NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(context))
        {
            final NativeArchiveTimeoutException ex = assertThrows(NativeArchiveTimeoutException.class, () ->
            {
                while (null == async.poll())
                {
                    Thread.yield();
                }
            });
            assertTrue(ex.getMessage().contains("step=AWAIT_PUBLICATION_CONNECTED"), ex.getMessage());
            // Polled again, it times out again at the same step, as AeronArchive.AsyncConnect (its deadline passed).
            final NativeArchiveTimeoutException again = assertThrows(NativeArchiveTimeoutException.class, async::poll);
            assertTrue(again.getMessage().contains("step=AWAIT_PUBLICATION_CONNECTED"), again.getMessage());
        }
    }

    @Test
    void anArchiveClientThatOwnsTheSharedCoreClosesItAsAeronArchiveDoes()
    {
        final ClientSettings settings = environment.udpSettings();
        try (NativeAeron kept = NativeAeron.connect(
            new NativeAeron.Context().aeronDirectoryName(settings.aeronDirectoryName()));
            NativeAeron owned = NativeAeron.connect(
                new NativeAeron.Context().aeronDirectoryName(settings.aeronDirectoryName())))
        {
            NativeArchive.connect(context().aeron(kept)).close();
            assertFalse(kept.isClosed(), "a shared core is the application's by default");

            final NativeArchive.Context ctx = context().aeron(owned).ownsAeronClient(true);
            final NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(ctx);
            assertSame(ctx, async.context());
            NativeArchive archive = null;
            while (null == archive)
            {
                archive = async.poll();
            }
            assertEquals(NativeArchive.AsyncConnect.State.DONE, async.state());
            archive.close();
            assertTrue(owned.isClosed(), "ownsAeronClient: the archive client's close closes the core");
        }
    }

    @Test
    void theContextNamesTheCoreTheArchiveClientConnectedAsAeronArchivesNamesItsAeron()
    {
        final ClientSettings settings = environment.udpSettings();
        final io.aeron.archive.client.AeronArchive.Context referenceContext =
            TestSupport.referenceContext(settings, null).aeronDirectoryName(settings.aeronDirectoryName());
        final NativeArchive.Context candidateContext = context();
        assertNull(candidateContext.aeron());
        assertFalse(candidateContext.ownsAeronClient());

        final io.aeron.archive.client.AeronArchive reference =
            io.aeron.archive.client.AeronArchive.connect(referenceContext);
        final NativeArchive candidate = NativeArchive.connect(candidateContext);
        final io.aeron.Aeron referenceAeron = reference.context().aeron();
        final NativeAeron candidateAeron = candidate.context().aeron();
        assertEquals(null != referenceAeron, null != candidateAeron, "a connected client's context names its core");
        assertEquals(reference.context().ownsAeronClient(), candidate.context().ownsAeronClient());
        assertTrue(candidate.context().ownsAeronClient());
        assertNull(candidateContext.clone().aeron(), "a copy connects a core of its own");
        // An application takes the core from the context, as from AeronArchive's, to add its own subscription.
        try (NativeSubscription subscription = candidateAeron.addSubscription("aeron:ipc", SHARED_CORE_STREAM_ID))
        {
            assertEquals(0, subscription.imageCount());
        }

        reference.close();
        candidate.close();
        assertEquals(referenceAeron.isClosed(), candidateAeron.isClosed(), "the core is closed with its client");
        assertTrue(candidateAeron.isClosed());
    }

    @Test
    void anArchiveClientCanShareTheApplicationsClientCore()
    {
        final ClientSettings settings = environment.udpSettings();
        try (NativeAeron aeron = NativeAeron.connect(
            new NativeAeron.Context().aeronDirectoryName(settings.aeronDirectoryName())))
        {
            try (NativeArchive archive = NativeArchive.connect(context().aeron(aeron)))
            {
                final long subscriptionId = archive.startRecording("aeron:ipc", SHARED_CORE_STREAM_ID, SourceLocation.LOCAL);
                archive.stopRecording(subscriptionId);
            }
            // The archive client left the shared core open: it still adds and closes.
            try (NativeSubscription subscription = aeron.addSubscription("aeron:ipc", SHARED_CORE_STREAM_ID))
            {
                assertEquals(0, subscription.imageCount());
            }
        }
    }

    @Test
    void anArchiveClientWhoseSharedCoreWasClosedFirstFailsItsCallsCleanlyAndCloses() throws Exception
    {
        final ClientSettings settings = environment.udpSettings();
        // No linger: the core's memory goes with its close, so a call that still reached it would crash the JVM.
        final NativeAeron aeron = NativeAeron.connect(new NativeAeron.Context()
            .aeronDirectoryName(settings.aeronDirectoryName()).resourceLingerDurationNs(0));
        final NativeArchive archive = NativeArchive.connect(context().aeron(aeron));
        final NativeArchive second = NativeArchive.connect(context().aeron(aeron));
        final NativeArchive.AsyncConnect connecting = NativeArchive.asyncConnect(context().aeron(aeron));
        aeron.close();
        Thread.sleep(50);

        assertThrows(IllegalStateException.class, connecting::poll, "a connect whose core was closed under it");
        connecting.close();
        assertThrows(IllegalStateException.class, () -> NativeArchive.connect(context().aeron(aeron)));

        final RuntimeException failure = assertThrows(RuntimeException.class, () -> archive.getRecordingPosition(0));
        assertTrue(failure instanceof IllegalStateException || failure instanceof NativeArchiveException,
            () -> "a call after its core closed: " + failure);
        archive.close();
        archive.close();
        second.close();
        assertTrue(aeron.isClosed());
    }

    @Test
    void recordedPublicationsAreRecordedAndStoppedByPublication()
    {
        // On the Archive's own driver: an IPC publication added through a client on another driver never reaches it.
        try (NativeArchive archive = NativeArchive.connect(context(environment.ipcSettings())))
        {
            for (final boolean exclusive : new boolean[] {false, true})
            {
                final int streamId = RECORDED_PUBLICATION_STREAM_ID + (exclusive ? 1 : 0);
                try (NativePublication publication = exclusive ?
                    archive.addRecordedExclusivePublication("aeron:ipc", streamId) :
                    archive.addRecordedPublication("aeron:ipc", streamId))
                {
                    if (!exclusive)
                    {
                        final NativeArchiveException twice = assertThrows(NativeArchiveException.class,
                            () -> archive.addRecordedPublication("aeron:ipc", streamId));
                        assertTrue(twice.getMessage().contains("publication already added"), twice.getMessage());
                    }
                    /* The archive creates the recording when the publication's image reaches it, after it
                     * answered the start request. */
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    long recordingId;
                    while ((recordingId = archive.findLastMatchingRecording(
                        0, "aeron:ipc", streamId, publication.sessionId())) < 0 && System.nanoTime() < deadline)
                    {
                        Thread.onSpinWait();
                    }
                    assertTrue(recordingId >= 0, "recording of session " + publication.sessionId());
                    archive.stopRecording(publication);
                    assertThrows(NativeArchiveException.class, () -> archive.stopRecording(publication));
                }
            }
        }
    }
}
