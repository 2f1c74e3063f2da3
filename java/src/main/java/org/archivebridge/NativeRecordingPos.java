package org.archivebridge;

import org.archivebridge.binding.ArchiveBridgeLibrary.abr_client_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_COUNTER_MAX_KEY_LENGTH;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_COUNTER_TYPE_ID_RECORDING_POSITION;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_NULL_COUNTER_ID;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_counters_value;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_pos_find_counter_id_by_recording;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_pos_find_counter_id_by_session;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_pos_get_recording_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_pos_get_source_identity;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_recording_pos_is_active;

/**
 * The Archive's recording position counters, read from the driver's counters through a {@link NativeAeron}, as
 * io.aeron.archive.status.RecordingPos reads them through an Aeron's CountersReader: find a recording's counter by its
 * recording id or its session id, then read its position (the counter's value) while {@link #isActive} holds.
 * Ids out of the driver's counters range throw IllegalArgumentException.
 */
public final class NativeRecordingPos
{
    /** The counters' type id, as RecordingPos.RECORDING_POSITION_TYPE_ID. */
    public static final int RECORDING_POSITION_TYPE_ID = ABR_COUNTER_TYPE_ID_RECORDING_POSITION;
    /** What {@link #getRecordingId} answers for a counter that is not a recording's. */
    public static final long NULL_RECORDING_ID = -1;
    /** What the finds answer when there is no such counter, as CountersReader.NULL_COUNTER_ID. */
    public static final int NULL_COUNTER_ID = ABR_NULL_COUNTER_ID;
    private static final long ANY_ARCHIVE = -1;

    private NativeRecordingPos()
    {
    }

    /**
     * @param aeron       whose driver's counters to search.
     * @param recordingId of an active recording.
     * @return its counter's id, or {@link #NULL_COUNTER_ID}.
     */
    public static int findCounterIdByRecording(final NativeAeron aeron, final long recordingId)
    {
        return findCounterIdByRecording(aeron, recordingId, ANY_ARCHIVE);
    }

    /**
     * @param aeron       whose driver's counters to search.
     * @param recordingId of an active recording.
     * @param archiveId   of the Archive recording it, or -1 (Aeron.NULL_VALUE) for any.
     * @return its counter's id, or {@link #NULL_COUNTER_ID}.
     */
    public static int findCounterIdByRecording(final NativeAeron aeron, final long recordingId, final long archiveId)
    {
        try (IntPointer counterId = new IntPointer(1))
        {
            NativeAeron.check(abr_recording_pos_find_counter_id_by_recording(
                aeron.handle(), recordingId, archiveId, counterId));
            return counterId.get();
        }
    }

    /**
     * @param aeron     whose driver's counters to search.
     * @param sessionId of the recorded publication.
     * @return its recording's counter's id, or {@link #NULL_COUNTER_ID}.
     */
    public static int findCounterIdBySession(final NativeAeron aeron, final int sessionId)
    {
        return findCounterIdBySession(aeron, sessionId, ANY_ARCHIVE);
    }

    /**
     * @param aeron     whose driver's counters to search.
     * @param sessionId of the recorded publication.
     * @param archiveId of the Archive recording it, or -1 (Aeron.NULL_VALUE) for any.
     * @return its recording's counter's id, or {@link #NULL_COUNTER_ID}.
     */
    public static int findCounterIdBySession(final NativeAeron aeron, final int sessionId, final long archiveId)
    {
        try (IntPointer counterId = new IntPointer(1))
        {
            NativeAeron.check(abr_recording_pos_find_counter_id_by_session(
                aeron.handle(), sessionId, archiveId, counterId));
            return counterId.get();
        }
    }

    /**
     * @param aeron     whose driver's counters to read.
     * @param counterId of a recording position counter.
     * @return the recording it counts, or {@link #NULL_RECORDING_ID} when it is not an allocated recording counter.
     */
    public static long getRecordingId(final NativeAeron aeron, final int counterId)
    {
        try (LongPointer recordingId = new LongPointer(1))
        {
            NativeAeron.check(abr_recording_pos_get_recording_id(aeron.handle(), counterId, recordingId));
            return recordingId.get();
        }
    }

    /**
     * @param aeron     whose driver's counters to read.
     * @param counterId of a recording position counter.
     * @return the recorded image's source identity, or null when it is not an allocated recording counter.
     */
    public static String getSourceIdentity(final NativeAeron aeron, final int counterId)
    {
        try (BytePointer identity = new BytePointer(ABR_COUNTER_MAX_KEY_LENGTH + 1))
        {
            final int found = NativeAeron.check(
                abr_recording_pos_get_source_identity(aeron.handle(), counterId, identity, identity.capacity()));
            // A limit of 0 makes getString stop at the NUL; at the capacity it would read the whole buffer.
            return 1 == found ? identity.limit(0).getString() : null;
        }
    }

    /**
     * @param aeron       whose driver's counters to read.
     * @param counterId   found for the recording.
     * @param recordingId the counter was found for.
     * @return true while the counter is allocated and still that recording's.
     */
    public static boolean isActive(final NativeAeron aeron, final int counterId, final long recordingId)
    {
        return 1 == NativeAeron.check(abr_recording_pos_is_active(aeron.handle(), counterId, recordingId));
    }

    /**
     * @param aeron     whose driver's counters to read.
     * @param counterId of a recording position counter.
     * @return its value: the position the recording has reached (check {@link #isActive} before trusting it).
     */
    public static long getPosition(final NativeAeron aeron, final int counterId)
    {
        final abr_client_t client = aeron.handle();
        try (LongPointer value = new LongPointer(1))
        {
            NativeAeron.check(abr_counters_value(client, counterId, value));
            return value.get();
        }
    }
}
