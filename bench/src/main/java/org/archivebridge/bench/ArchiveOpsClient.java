package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.PersistentSubscription;
import io.aeron.archive.client.ReplayMerge;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativePersistentSubscription;
import org.archivebridge.NativeReplayMerge;
import org.archivebridge.NativeSubscription;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_t;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_state;

/**
 * The Java twin of the C harness {@code abr_archive_ops}: the same operations, timed the same way and printed in the
 * same lines, through {@code NativeArchive} ("native") or Aeron's {@code AeronArchive} ("aeron"). Run by
 * {@link ArchiveOpsComparison} as a child process, so each client has a process of its own.
 * <pre>
 * ArchiveOpsClient native|aeron aeron-dir request-channel response-channel recording-id connects round-trips
 *                  listings list-count replays replay-channel replay-stream-id recording-id-1024 recording-id-32
 *                  messages merges merge-recording-id merge-session-id merge-control-port merge-stream-id
 *                  [persistent-subscriptions ps-recording-id ps-live-channel ps-live-stream-id ps-replay-channel]
 * </pre>
 */
public final class ArchiveOpsClient
{
    /** The C harness's fragment limit for replays and merges. */
    private static final int POLL_FRAGMENT_LIMIT = 256;
    /** A replay that delivers nothing for this long has stalled: the run fails rather than hangs. */
    private static final long STALL_NS = 10_000_000_000L;

    /** Counts what a replay or merge delivers; one per client, so polling allocates nothing per message. */
    private static final class ReplayCount implements FragmentHandler
    {
        long messages;
        long bytes;

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            messages++;
            bytes += length;
        }
    }

    /** Counts what a persistent subscription hands over and checks each message's leading sequence number. */
    private static final class SequenceCheck implements FragmentHandler
    {
        long next;
        long outOfOrder;

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final long sequence = length >= Long.BYTES ? buffer.getLong(offset) : -1;
            if (sequence != next)
            {
                outOfOrder++;
            }
            next++;
        }
    }

    /** A persistent subscription of either kind, polled up to live. */
    private interface Persistent extends AutoCloseable
    {
        int poll(FragmentHandler handler, int fragmentLimit);

        boolean isLive();

        /** The failure, or null while it has not failed. */
        Exception failure();

        @Override
        void close();
    }

    /**
     * With ABR_BENCH_MERGE_STATES set, each merge's time and polls per state go to stderr (as the C harness's): where a
     * merge spends its time, for comparing the state machines; off by default, as it adds a state read to every turn.
     * The state is ReplayMerge.State's ordinal, which the C enum's values follow; read by reflection, as neither
     * ReplayMerge nor NativeReplayMerge tells it other than in toString.
     */
    private static final class MergeStates
    {
        private static final String[] NAMES =
            { "RESOLVE_REPLAY_PORT", "GET_RECORDING_POSITION", "REPLAY", "CATCHUP", "ATTEMPT_LIVE_JOIN", "MERGED",
            "FAILED", "CLOSED" };
        private static final Field REPLAY_MERGE_STATE = accessible(ReplayMerge.class, "state");
        private static final Field NATIVE_REPLAY_MERGE_HANDLE = accessible(NativeReplayMerge.class, "merge");

        private final long[] stateNs = new long[NAMES.length];
        private final long[] turns = new long[NAMES.length];

        static int state(final ReplayMerge merge)
        {
            try
            {
                return ((Enum<?>)REPLAY_MERGE_STATE.get(merge)).ordinal();
            }
            catch (final IllegalAccessException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        static int state(final NativeReplayMerge merge)
        {
            try
            {
                return abr_archive_replay_merge_state(
                    (abr_archive_replay_merge_t)NATIVE_REPLAY_MERGE_HANDLE.get(merge));
            }
            catch (final IllegalAccessException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        private static Field accessible(final Class<?> type, final String name)
        {
            try
            {
                final Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            }
            catch (final NoSuchFieldException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        void reset()
        {
            Arrays.fill(stateNs, 0);
            Arrays.fill(turns, 0);
        }

        void add(final int state, final long ns)
        {
            if (state >= 0 && state < NAMES.length)
            {
                stateNs[state] += ns;
                turns[state]++;
            }
        }

        void print(final String kind, final long totalNs)
        {
            final StringBuilder line = new StringBuilder()
                .append("merge_states client=").append(kind.equals("native") ? "NativeArchive" : "AeronArchive")
                .append(String.format(" total_ms=%.1f", totalNs / 1e6));
            for (int state = 0; state < NAMES.length; state++)
            {
                if (turns[state] > 0)
                {
                    line.append(String.format(" %s=%.1fms/%d", NAMES[state], stateNs[state] / 1e6, turns[state]));
                }
            }
            System.err.println(line);
        }
    }

    /** One archive client kind, behind the calls the benchmark makes. */
    private interface Client extends AutoCloseable
    {
        long getRecordingPosition(long recordingId);

        long getStopPosition(long recordingId);

        int listRecordings(long fromRecordingId, int recordCount, long[] seen);

        /** Start a replay and subscribe to it; the poller polls it until closed. */
        Poller replay(long recordingId, long length, String channel, int streamId);

        /** Create a merge on a new control-mode=manual subscription; the poller polls the merge. */
        Poller merge(String replayChannel, String liveDestination, long recordingId, long startPosition, int streamId);

        @Override
        void close();
    }

    /** What a replay or merge is polled through; close releases the subscription (and the merge). */
    private interface Poller extends AutoCloseable
    {
        int poll(FragmentHandler handler, int fragmentLimit);

        boolean isMerged();

        /** A merge's state as ReplayMerge.State's ordinal (the C enum's values); -1 for a replay. */
        int state();

        @Override
        void close();
    }

    /** Connects clients of one kind, with their own client core or with the shared one. */
    private interface Connector extends AutoCloseable
    {
        Client connect(boolean sharedCore);

        /** Create a persistent subscription from position 0 on the shared core, with an archive client of its own. */
        Persistent persistentSubscription(long recordingId, String liveChannel, int liveStreamId, String replayChannel);

        @Override
        void close();
    }

    private ArchiveOpsClient()
    {
    }

    private static void sleepMs(final int ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while settling", ex);
        }
    }

    /*
     * With ABR_BENCH_SETTLE_HANDSHAKE=1 (set by the comparison unless --drain-timeout-s 0): print "phase=settle" and wait
     * for a line on stdin, which the comparison sends once the driver has let go of this child's closed sessions.
     */
    private static void awaitSettled()
    {
        if (!"1".equals(System.getenv("ABR_BENCH_SETTLE_HANDSHAKE")))
        {
            return;
        }
        System.out.println("phase=settle");
        System.out.flush();
        try
        {
            int c;
            while ((c = System.in.read()) != '\n')
            {
                if (c < 0)
                {
                    throw new IllegalStateException("stdin closed before the comparison's go at the settle point");
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /* ABR_BENCH_WARMUP (set by the comparison's --warmup): untimed calls before each per-call phase's timed ones. */
    private static int warmup()
    {
        final String text = System.getenv("ABR_BENCH_WARMUP");
        if (null == text || text.isEmpty())
        {
            return 0;
        }
        final int warmup = Integer.parseInt(text);
        if (warmup < 0)
        {
            throw new IllegalArgumentException("ABR_BENCH_WARMUP must be >= 0, was " + warmup);
        }
        return warmup;
    }

    /* ABR_BENCH_SETTLE_MS (set by the comparison's --settle-ms): the pause before the round trips, as the C harness's. */
    private static int settleMs()
    {
        return envMs("ABR_BENCH_SETTLE_MS");
    }

    /*
     * ABR_BENCH_ROUND_TRIP_WARMUP_MS (set by the comparison's --round-trip-warmup-ms): how long at least the
     * untimed round trips go on, as the C harness's. Their count alone left NativeArchive's frames in C1 code for the
     * whole timed phase (docs/benchmarks.md).
     */
    private static int roundTripWarmupMs()
    {
        return envMs("ABR_BENCH_ROUND_TRIP_WARMUP_MS");
    }

    /* Milliseconds from 0 to 600000 in an environment variable, 0 when unset or empty. */
    private static int envMs(final String name)
    {
        final String text = System.getenv(name);
        if (null == text || text.isEmpty())
        {
            return 0;
        }
        final int ms = Integer.parseInt(text);
        if (ms < 0 || ms > 600_000)
        {
            throw new IllegalArgumentException(name + " must be 0 to 600000, was " + ms);
        }
        return ms;
    }

    public static void main(final String[] args)
    {
        if ((args.length != 20 && args.length != 25) || !(args[0].equals("native") || args[0].equals("aeron")))
        {
            System.err.println("usage: ArchiveOpsClient native|aeron aeron-dir request-channel response-channel " +
                "recording-id connects round-trips listings list-count replays replay-channel replay-stream-id " +
                "recording-id-1024 recording-id-32 messages merges merge-recording-id merge-session-id " +
                "merge-control-port merge-stream-id [persistent-subscriptions ps-recording-id ps-live-channel " +
                "ps-live-stream-id ps-replay-channel]");
            System.exit(2);
        }
        final String dir = args[1];
        final long recordingId = Long.parseLong(args[4]);
        final int connects = Integer.parseInt(args[5]);
        final int roundTrips = Integer.parseInt(args[6]);
        final int listings = Integer.parseInt(args[7]);
        final int listCount = Integer.parseInt(args[8]);
        final int replays = Integer.parseInt(args[9]);
        final String replayChannel = args[10];
        final int replayStreamId = Integer.parseInt(args[11]);
        final long recordingId1024 = Long.parseLong(args[12]);
        final long recordingId32 = Long.parseLong(args[13]);
        final long messages = Long.parseLong(args[14]);
        final int merges = Integer.parseInt(args[15]);
        final long mergeRecordingId = Long.parseLong(args[16]);
        final int mergeSessionId = Integer.parseInt(args[17]);
        final int mergeControlPort = Integer.parseInt(args[18]);
        final int mergeStreamId = Integer.parseInt(args[19]);
        // Without the last five arguments (as from a comparison before them) there are no persistent subscriptions.
        final boolean persistentArgs = args.length == 25;
        final int persistentSubscriptions = persistentArgs ? Integer.parseInt(args[20]) : 0;
        final long psRecordingId = persistentArgs ? Long.parseLong(args[21]) : -1;
        final String psLiveChannel = persistentArgs ? args[22] : null;
        final int psLiveStreamId = persistentArgs ? Integer.parseInt(args[23]) : 0;
        final String psReplayChannel = persistentArgs ? args[24] : null;
        final long[] connectNs = new long[connects];
        final long[] closeNs = new long[connects];
        final int warmup = warmup();
        // The comparison checks this line, so that a child that would ignore the warm-up is not taken for warm.
        System.out.println("warmup=" + warmup);
        final int settleMs = settleMs();
        System.out.println("settle_ms=" + settleMs);
        final int roundTripWarmupMs = roundTripWarmupMs();
        System.out.println("round_trip_warmup_ms=" + roundTripWarmupMs);

        try (Connector connector = args[0].equals("native") ?
            nativeConnector(dir, args[2], args[3]) : aeronConnector(dir, args[2], args[3]))
        {
            // Each per-call phase makes `warmup` calls first, not timed: samples are kept for i >= 0 only.
            for (int i = -warmup; i < connects; i++)
            {
                final long start = System.nanoTime();
                final Client client = connector.connect(false);
                final long connected = System.nanoTime();
                client.close();
                if (i >= 0)
                {
                    closeNs[i] = System.nanoTime() - connected;
                    connectNs[i] = connected - start;
                }
            }
            report("connect", connectNs);
            report("close_owned_core", closeNs);

            for (int i = -warmup; i < connects; i++)
            {
                final Client client = connector.connect(true);
                final long start = System.nanoTime();
                client.close();
                if (i >= 0)
                {
                    closeNs[i] = System.nanoTime() - start;
                }
            }
            report("close_shared_core", closeNs);

            // The server settles after the sessions the connect phases opened and closed (see the C harness).
            awaitSettled();
            sleepMs(settleMs);
            try (Client client = connector.connect(true))
            {
                final long warmupEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(roundTripWarmupMs);
                for (int i = 0; i < roundTrips / 10 + warmup || System.nanoTime() - warmupEndNs < 0; i++)
                {
                    client.getRecordingPosition(recordingId);
                }
                final long[] samples = new long[roundTrips];
                for (int i = 0; i < roundTrips; i++)
                {
                    final long start = System.nanoTime();
                    client.getRecordingPosition(recordingId);
                    samples[i] = System.nanoTime() - start;
                }
                report("get_recording_position", samples);

                final long[] listingNs = new long[listings];
                final long[] seen = new long[1];
                for (int i = -warmup; i < listings; i++)
                {
                    seen[0] = 0;
                    final long start = System.nanoTime();
                    final int count = client.listRecordings(0, listCount, seen);
                    final long end = System.nanoTime();
                    if (i >= 0)
                    {
                        listingNs[i] = end - start;
                    }
                    if (count != listCount || seen[0] != count)
                    {
                        throw new IllegalStateException("listRecordings gave " + count + " descriptors (" + seen[0] +
                            " seen), expected " + listCount);
                    }
                }
                report("list_recordings", listingNs);

                final ReplayCount count = new ReplayCount();
                if (replays > 0)
                {
                    report("replay_1024", timeReplays(
                        client, count, recordingId1024, messages, replays, replayChannel, replayStreamId));
                    report("replay_32", timeReplays(
                        client, count, recordingId32, messages, replays, replayChannel, replayStreamId));
                }
                if (merges > 0)
                {
                    report("replay_merge", timeMerges(args[0], client, count, mergeRecordingId, messages, merges,
                        mergeSessionId, mergeControlPort, mergeStreamId));
                }
            }
            if (persistentSubscriptions > 0)
            {
                System.out.println("phase=persistent_subscription");
                System.out.flush();
                report("persistent_subscription", timePersistentSubscriptions(connector, persistentSubscriptions,
                    psRecordingId, messages, psLiveChannel, psLiveStreamId, psReplayChannel));
            }
        }
    }

    private static long[] timeReplays(
        final Client client, final ReplayCount count, final long recordingId, final long messages, final int replays,
        final String channel, final int streamId)
    {
        final long stopPosition = client.getStopPosition(recordingId);
        final long[] samples = new long[replays];
        for (int i = 0; i < replays; i++)
        {
            count.messages = 0;
            final long start = System.nanoTime();
            try (Poller replay = client.replay(recordingId, stopPosition, channel, streamId))
            {
                long lastProgress = start;
                while (count.messages < messages)
                {
                    if (replay.poll(count, POLL_FRAGMENT_LIMIT) == 0)
                    {
                        if (System.nanoTime() - lastProgress > STALL_NS)
                        {
                            throw new IllegalStateException("replay of recording " + recordingId + " stalled at " +
                                count.messages + " of " + messages + " messages");
                        }
                        Thread.yield();
                    }
                    else
                    {
                        lastProgress = System.nanoTime();
                    }
                }
                samples[i] = System.nanoTime() - start;
            }
        }
        return samples;
    }

    private static long[] timeMerges(
        final String kind, final Client client, final ReplayCount count, final long recordingId, final long messages,
        final int merges, final int sessionId, final int controlPort, final int streamId)
    {
        final String replayChannel = "aeron:udp?session-id=" + sessionId;
        final String liveDestination = "aeron:udp?endpoint=localhost:0|control=localhost:" + controlPort;
        final long[] samples = new long[merges];
        final MergeStates states = null == System.getenv("ABR_BENCH_MERGE_STATES") ? null : new MergeStates();
        for (int i = 0; i < merges; i++)
        {
            final long recorded = client.getRecordingPosition(recordingId);
            final long behind = Math.max(0, recorded - messages * 1024);
            final long startPosition = behind - behind % 1024;
            final long start = System.nanoTime();
            try (Poller merge = client.merge(replayChannel, liveDestination, recordingId, startPosition, streamId))
            {
                if (null != states)
                {
                    states.reset();
                }
                while (!merge.isMerged())
                {
                    // Each turn's time goes to the state the turn began in.
                    final int state = null == states ? -1 : merge.state();
                    final long turnStart = null == states ? 0 : System.nanoTime();
                    if (merge.poll(count, POLL_FRAGMENT_LIMIT) == 0)
                    {
                        Thread.yield();
                    }
                    if (null != states)
                    {
                        states.add(state, System.nanoTime() - turnStart);
                    }
                }
                samples[i] = System.nanoTime() - start;
                if (null != states)
                {
                    states.print(kind, samples[i]);
                }
            }
        }
        return samples;
    }

    private static long[] timePersistentSubscriptions(
        final Connector connector, final int count, final long recordingId, final long messages,
        final String liveChannel, final int liveStreamId, final String replayChannel)
    {
        final SequenceCheck check = new SequenceCheck();
        final long[] samples = new long[count];
        for (int i = 0; i < count; i++)
        {
            check.next = 0;
            check.outOfOrder = 0;
            final long start = System.nanoTime();
            try (Persistent subscription =
                connector.persistentSubscription(recordingId, liveChannel, liveStreamId, replayChannel))
            {
                long lastProgress = start;
                while (!subscription.isLive())
                {
                    if (null != subscription.failure())
                    {
                        throw new IllegalStateException("persistent subscription failed", subscription.failure());
                    }
                    if (subscription.poll(check, POLL_FRAGMENT_LIMIT) == 0)
                    {
                        if (System.nanoTime() - lastProgress > STALL_NS)
                        {
                            throw new IllegalStateException("persistent subscription stalled at " + check.next +
                                " messages: " + subscription);
                        }
                        Thread.yield();
                    }
                    else
                    {
                        lastProgress = System.nanoTime();
                    }
                }
                samples[i] = System.nanoTime() - start;
            }
            if (check.outOfOrder != 0 || check.next < messages)
            {
                throw new IllegalStateException("persistent subscription live after " + check.next + " messages (" +
                    check.outOfOrder + " out of order), expected at least " + messages + " in order");
            }
        }
        return samples;
    }

    private static Connector nativeConnector(final String dir, final String request, final String response)
    {
        final NativeAeron shared = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
        return new Connector()
        {
            public Client connect(final boolean sharedCore)
            {
                final NativeArchive archive = NativeArchive.connect(new NativeArchive.Context()
                    .aeronDirectoryName(dir)
                    .controlRequestChannel(request)
                    .controlResponseChannel(response)
                    .aeron(sharedCore ? shared : null));
                return new Client()
                {
                    public long getRecordingPosition(final long recordingId)
                    {
                        return archive.getRecordingPosition(recordingId);
                    }

                    public long getStopPosition(final long recordingId)
                    {
                        return archive.getStopPosition(recordingId);
                    }

                    public int listRecordings(final long fromRecordingId, final int recordCount, final long[] seen)
                    {
                        return archive.listRecordings(fromRecordingId, recordCount,
                            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
                            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
                            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> seen[0]++);
                    }

                    public Poller replay(final long recordingId, final long length, final String channel,
                        final int streamId)
                    {
                        final NativeSubscription subscription =
                            archive.replay(recordingId, 0, length, channel, streamId);
                        return new Poller()
                        {
                            public int poll(final FragmentHandler handler, final int fragmentLimit)
                            {
                                return subscription.poll(handler, fragmentLimit);
                            }

                            public boolean isMerged()
                            {
                                return false;
                            }

                            public int state()
                            {
                                return -1;
                            }

                            public void close()
                            {
                                subscription.close();
                            }
                        };
                    }

                    public Poller merge(final String replayChannel, final String liveDestination,
                        final long recordingId, final long startPosition, final int streamId)
                    {
                        final NativeSubscription subscription =
                            shared.addSubscription("aeron:udp?control-mode=manual", streamId);
                        final NativeReplayMerge merge = new NativeReplayMerge(subscription, archive, replayChannel,
                            "aeron:udp?endpoint=localhost:0", liveDestination, recordingId, startPosition);
                        return new Poller()
                        {
                            public int poll(final FragmentHandler handler, final int fragmentLimit)
                            {
                                return merge.poll(handler, fragmentLimit);
                            }

                            public boolean isMerged()
                            {
                                return merge.isMerged();
                            }

                            public int state()
                            {
                                return MergeStates.state(merge);
                            }

                            public void close()
                            {
                                merge.close();
                                subscription.close();
                            }
                        };
                    }

                    public void close()
                    {
                        archive.close();
                    }
                };
            }

            public Persistent persistentSubscription(
                final long recordingId, final String liveChannel, final int liveStreamId, final String replayChannel)
            {
                final NativePersistentSubscription subscription = NativePersistentSubscription.create(
                    new NativePersistentSubscription.Context().aeron(shared)
                    .aeronArchiveContext(new NativeArchive.Context().aeronDirectoryName(dir)
                    .controlRequestChannel(request).controlResponseChannel(response))
                    .recordingId(recordingId).startPosition(0).liveChannel(liveChannel).liveStreamId(liveStreamId)
                    .replayChannel(replayChannel).replayStreamId(liveStreamId + 1));
                return new Persistent()
                {
                    public int poll(final FragmentHandler handler, final int fragmentLimit)
                    {
                        return subscription.poll(handler, fragmentLimit);
                    }

                    public boolean isLive()
                    {
                        return subscription.isLive();
                    }

                    public Exception failure()
                    {
                        return subscription.hasFailed() ? subscription.failureReason() : null;
                    }

                    public void close()
                    {
                        subscription.close();
                    }

                    public String toString()
                    {
                        return subscription.toString();
                    }
                };
            }

            public void close()
            {
                shared.close();
            }
        };
    }

    private static Connector aeronConnector(final String dir, final String request, final String response)
    {
        final Aeron shared = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        return new Connector()
        {
            public Client connect(final boolean sharedCore)
            {
                final AeronArchive.Context ctx = new AeronArchive.Context()
                    .aeronDirectoryName(dir)
                    .controlRequestChannel(request)
                    .controlResponseChannel(response);
                if (sharedCore)
                {
                    ctx.aeron(shared).ownsAeronClient(false);
                }
                final AeronArchive archive = AeronArchive.connect(ctx);
                return new Client()
                {
                    public long getRecordingPosition(final long recordingId)
                    {
                        return archive.getRecordingPosition(recordingId);
                    }

                    public long getStopPosition(final long recordingId)
                    {
                        return archive.getStopPosition(recordingId);
                    }

                    public int listRecordings(final long fromRecordingId, final int recordCount, final long[] seen)
                    {
                        return archive.listRecordings(fromRecordingId, recordCount,
                            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
                            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
                            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> seen[0]++);
                    }

                    public Poller replay(final long recordingId, final long length, final String channel,
                        final int streamId)
                    {
                        final Subscription subscription = archive.replay(recordingId, 0, length, channel, streamId);
                        return new Poller()
                        {
                            public int poll(final FragmentHandler handler, final int fragmentLimit)
                            {
                                return subscription.poll(handler, fragmentLimit);
                            }

                            public boolean isMerged()
                            {
                                return false;
                            }

                            public int state()
                            {
                                return -1;
                            }

                            public void close()
                            {
                                subscription.close();
                            }
                        };
                    }

                    public Poller merge(final String replayChannel, final String liveDestination,
                        final long recordingId, final long startPosition, final int streamId)
                    {
                        final Subscription subscription =
                            shared.addSubscription("aeron:udp?control-mode=manual", streamId);
                        final ReplayMerge merge = new ReplayMerge(subscription, archive, replayChannel,
                            "aeron:udp?endpoint=localhost:0", liveDestination, recordingId, startPosition);
                        return new Poller()
                        {
                            public int poll(final FragmentHandler handler, final int fragmentLimit)
                            {
                                return merge.poll(handler, fragmentLimit);
                            }

                            public boolean isMerged()
                            {
                                return merge.isMerged();
                            }

                            public int state()
                            {
                                return MergeStates.state(merge);
                            }

                            public void close()
                            {
                                merge.close();
                                subscription.close();
                            }
                        };
                    }

                    public void close()
                    {
                        archive.close();
                    }
                };
            }

            public Persistent persistentSubscription(
                final long recordingId, final String liveChannel, final int liveStreamId, final String replayChannel)
            {
                final PersistentSubscription subscription = PersistentSubscription.create(
                    new PersistentSubscription.Context().aeron(shared)
                    .aeronArchiveContext(new AeronArchive.Context().aeronDirectoryName(dir)
                    .controlRequestChannel(request).controlResponseChannel(response))
                    .recordingId(recordingId).startPosition(0).liveChannel(liveChannel).liveStreamId(liveStreamId)
                    .replayChannel(replayChannel).replayStreamId(liveStreamId + 1));
                return new Persistent()
                {
                    public int poll(final FragmentHandler handler, final int fragmentLimit)
                    {
                        return subscription.poll(handler, fragmentLimit);
                    }

                    public boolean isLive()
                    {
                        return subscription.isLive();
                    }

                    public Exception failure()
                    {
                        return subscription.hasFailed() ? subscription.failureReason() : null;
                    }

                    public void close()
                    {
                        subscription.close();
                    }

                    public String toString()
                    {
                        return subscription.toString();
                    }
                };
            }

            public void close()
            {
                shared.close();
            }
        };
    }

    /* The same nearest-rank percentiles as the C harness prints. */
    private static void report(final String op, final long[] samples)
    {
        if (samples.length < 1)
        {
            return;
        }
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        System.out.printf("op=%s n=%d median_us=%.3f p99_us=%.3f p999_us=%.3f max_us=%.3f%n", op, sorted.length,
            percentileUs(sorted, 0.5), percentileUs(sorted, 0.99), percentileUs(sorted, 0.999),
            sorted[sorted.length - 1] / 1000.0);
    }

    private static double percentileUs(final long[] sorted, final double fraction)
    {
        final int rank = Math.max(1, Math.min(sorted.length, (int)Math.ceil(sorted.length * fraction)));
        return sorted[rank - 1] / 1000.0;
    }
}
