package org.archivebridge;

import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_t;
import org.bytedeco.javacpp.IntPointer;

import java.util.Objects;
import java.util.function.Predicate;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_REPLAY_MERGE_PROGRESS_TIMEOUT_DEFAULT_MS;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_do_work_at;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_has_failed;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_image_session_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_is_live_added;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_is_merged;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_state;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_merge_state_name;

/**
 * Replay a recording from a position, then carry on with its live stream without a gap or a duplicate, as
 * {@link io.aeron.archive.client.ReplayMerge} does: the C state machine of {@code abr_archive_replay_merge_*} (its
 * states and transitions are documented in abr_archive.h), driven by {@link #poll} or {@link #doWork} in the caller's
 * duty cycle. The subscription must have {@code control-mode=manual}; the replay channel must carry the live stream's
 * session id ({@code aeron:udp?session-id=...}). Not thread-safe. Close it before its archive client and subscription.
 * The fragments of the merge's image are handed over zero-copy, as {@link NativeSubscription#poll} does.
 */
public final class NativeReplayMerge extends NativeHandle implements AutoCloseable
{
    private final NativeSubscription subscription;
    private final EpochClock epochClock;
    private final abr_archive_replay_merge_t merge;
    private final IntPointer sessionId = new IntPointer(1);
    /* The merge's image once it has one, kept after it closes, as ReplayMerge keeps its image. */
    private NativeImage image;

    /**
     * Create a merge with ReplayMerge's default merge progress timeout and the system epoch clock.
     *
     * @param subscription      a subscription with {@code control-mode=manual}, which the destinations are added to.
     * @param archive           the archive client that replays the recording.
     * @param replayChannel     the channel the archive replays to, with the live stream's session id.
     * @param replayDestination the endpoint channel the replay arrives on.
     * @param liveDestination   the endpoint channel the live stream arrives on.
     * @param recordingId       the recording of the live stream.
     * @param startPosition     where in the recording to start.
     */
    public NativeReplayMerge(
        final NativeSubscription subscription,
        final NativeArchive archive,
        final String replayChannel,
        final String replayDestination,
        final String liveDestination,
        final long recordingId,
        final long startPosition)
    {
        this(subscription, archive, replayChannel, replayDestination, liveDestination, recordingId, startPosition,
            SystemEpochClock.INSTANCE, ABR_ARCHIVE_REPLAY_MERGE_PROGRESS_TIMEOUT_DEFAULT_MS);
    }

    /**
     * Create a merge.
     *
     * @param subscription           a subscription with {@code control-mode=manual}.
     * @param archive                the archive client that replays the recording.
     * @param replayChannel          the channel the archive replays to, with the live stream's session id.
     * @param replayDestination      the endpoint channel the replay arrives on.
     * @param liveDestination        the endpoint channel the live stream arrives on.
     * @param recordingId            the recording of the live stream.
     * @param startPosition          where in the recording to start.
     * @param epochClock             the clock the progress timeout is measured with, read on each {@link #doWork}.
     * @param mergeProgressTimeoutMs how long the merge may make no progress before it fails, > 0.
     * @throws NativeArchiveException    for a subscription without {@code control-mode=manual}, IPC, a malformed
     *                                   channel or a closed subscription (the C layer's message kept whole).
     * @throws IllegalStateException     if the archive client or the subscription is closed.
     */
    public NativeReplayMerge(
        final NativeSubscription subscription,
        final NativeArchive archive,
        final String replayChannel,
        final String replayDestination,
        final String liveDestination,
        final long recordingId,
        final long startPosition,
        final EpochClock epochClock,
        final long mergeProgressTimeoutMs)
    {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(replayChannel, "replayChannel");
        Objects.requireNonNull(replayDestination, "replayDestination");
        Objects.requireNonNull(liveDestination, "liveDestination");
        this.epochClock = Objects.requireNonNull(epochClock, "epochClock");
        final abr_archive_replay_merge_t created = new abr_archive_replay_merge_t();
        if (abr_archive_replay_merge_init(created, subscription.handle(), archive.handle(), replayChannel,
            replayDestination, liveDestination, recordingId, startPosition, null, null, mergeProgressTimeoutMs) < 0)
        {
            final RuntimeException failure = NativeErrors.lastError();
            sessionId.close();
            throw failure;
        }
        this.merge = created;
    }

    /**
     * Advance the merge one step, as ReplayMerge.doWork does.
     *
     * @return the work done.
     * @throws NativeArchiveException the merge failed now (then {@link #hasFailed()}); later calls return 0.
     * @throws IllegalStateException  once closed.
     */
    public int doWork()
    {
        if (!enter())
        {
            throw closedException();
        }
        try
        {
            return check(abr_archive_replay_merge_do_work_at(merge, epochClock.time()));
        }
        finally
        {
            exit();
        }
    }

    /**
     * {@link #doWork()}, then poll the merge's image (the replay's, which the live stream carries on) for up to
     * fragmentLimit fragments.
     *
     * @param handler       receives each fragment, as with {@link NativeSubscription#poll}.
     * @param fragmentLimit the most fragments to hand over.
     * @return the number handed over; 0 until the image is there.
     */
    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        Objects.requireNonNull(handler, "handler");
        if (!enter())
        {
            throw closedException();
        }
        try
        {
            check(abr_archive_replay_merge_do_work_at(merge, epochClock.time()));
            if (1 != check(abr_archive_replay_merge_image_session_id(merge, sessionId)))
            {
                return 0;
            }
            if (null == image)
            {
                image = subscription.imageBySessionId(sessionId.get());
            }
            return subscription.pollSession(sessionId.get(), handler, fragmentLimit);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The image the merge consumes, as ReplayMerge.image(): the replay's, which the live stream carries on once merged.
     * Once named (by this call or a {@link #poll}), the same image is returned, closed after it went, as ReplayMerge
     * keeps its image.
     *
     * @return the image, or null until the replay's image is there.
     */
    public NativeImage image()
    {
        if (!enter())
        {
            throw closedException();
        }
        try
        {
            if (null == image && 1 == check(abr_archive_replay_merge_image_session_id(merge, sessionId)))
            {
                image = subscription.imageBySessionId(sessionId.get());
            }
            return image;
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return true once the live stream has been joined and the replay stopped.
     */
    public boolean isMerged()
    {
        return read(NativeReplayMerge::isMerged);
    }

    /**
     * @return true once the merge has failed.
     */
    public boolean hasFailed()
    {
        return read(NativeReplayMerge::hasFailed);
    }

    /**
     * @return true once the live destination has been added.
     */
    public boolean isLiveAdded()
    {
        return read(NativeReplayMerge::isLiveAdded);
    }

    /**
     * Close the merge: unless merged, remove the replay destination and stop the replay. The subscription and the
     * archive client stay open. A second close does nothing.
     */
    public void close()
    {
        closeHandle();
    }

    /**
     * @return the state, as ReplayMerge's toString names it (CLOSED once closed).
     */
    public String toString()
    {
        if (!enter())
        {
            return "NativeReplayMerge{state=CLOSED}";
        }
        try
        {
            return "NativeReplayMerge{state=" +
                abr_archive_replay_merge_state_name(abr_archive_replay_merge_state(merge)).getString() + "}";
        }
        finally
        {
            exit();
        }
    }

    void release()
    {
        try
        {
            check(abr_archive_replay_merge_close(merge));
        }
        finally
        {
            sessionId.close();
        }
    }

    /* A closed merge is neither merged nor failed, nor live-added, as a ReplayMerge in state CLOSED. */
    private boolean read(final Predicate<abr_archive_replay_merge_t> query)
    {
        if (!enter())
        {
            return false;
        }
        try
        {
            return query.test(merge);
        }
        finally
        {
            exit();
        }
    }

    private static boolean isMerged(final abr_archive_replay_merge_t merge)
    {
        return abr_archive_replay_merge_is_merged(merge);
    }

    private static boolean hasFailed(final abr_archive_replay_merge_t merge)
    {
        return abr_archive_replay_merge_has_failed(merge);
    }

    private static boolean isLiveAdded(final abr_archive_replay_merge_t merge)
    {
        return abr_archive_replay_merge_is_live_added(merge);
    }

    private static int check(final int result)
    {
        if (result < 0)
        {
            throw NativeErrors.lastError();
        }
        return result;
    }

    private static IllegalStateException closedException()
    {
        return new IllegalStateException("replay merge is closed");
    }
}
