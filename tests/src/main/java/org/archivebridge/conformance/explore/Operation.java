package org.archivebridge.conformance.explore;

import java.util.List;
import java.util.function.BiConsumer;

import static org.archivebridge.conformance.explore.Slot.CHANNEL;
import static org.archivebridge.conformance.explore.Slot.CONSUMER;
import static org.archivebridge.conformance.explore.Slot.COUNT;
import static org.archivebridge.conformance.explore.Slot.COUNTER;
import static org.archivebridge.conformance.explore.Slot.CREDENTIALS;
import static org.archivebridge.conformance.explore.Slot.FILE_IO;
import static org.archivebridge.conformance.explore.Slot.FLAG;
import static org.archivebridge.conformance.explore.Slot.FRAGMENT;
import static org.archivebridge.conformance.explore.Slot.INT_VALUE;
import static org.archivebridge.conformance.explore.Slot.LENGTH;
import static org.archivebridge.conformance.explore.Slot.LONG_VALUE;
import static org.archivebridge.conformance.explore.Slot.MESSAGES;
import static org.archivebridge.conformance.explore.Slot.MESSAGE_LENGTH;
import static org.archivebridge.conformance.explore.Slot.POSITION;
import static org.archivebridge.conformance.explore.Slot.READ_LENGTH;
import static org.archivebridge.conformance.explore.Slot.READ_POSITION;
import static org.archivebridge.conformance.explore.Slot.RECORDING;
import static org.archivebridge.conformance.explore.Slot.RECORDING_SOURCE;
import static org.archivebridge.conformance.explore.Slot.REPLAY;
import static org.archivebridge.conformance.explore.Slot.STREAM;
import static org.archivebridge.conformance.explore.Slot.SUBSCRIPTION;
import static org.archivebridge.conformance.explore.Slot.TIMEOUT;

/**
 * What the explorer can do with a client: the {@code ArchiveClient} face, operation by operation, each with the
 * kinds of its arguments and how often the generator draws it (recordings are made often, so that the calls after
 * them have something real to work on).
 */
enum Operation
{
    RECORD("record", 8, SequenceRun::record, MESSAGES, MESSAGE_LENGTH),
    RECONNECT("connect", 2, SequenceRun::reconnect),
    CONNECT_WITH("connect", 1, SequenceRun::connectWith, CHANNEL, INT_VALUE, TIMEOUT),
    CLOSE("close", 1, SequenceRun::close),
    STATE("state", 1, SequenceRun::state),
    ARCHIVE_ID("archiveId", 1, SequenceRun::archiveId),
    START_RECORDING("startRecording", 3, SequenceRun::startRecording, CHANNEL, STREAM, RECORDING_SOURCE, FLAG),
    STOP_RECORDING_CHANNEL("stopRecording", 2, SequenceRun::stopRecordingChannel, CHANNEL, STREAM),
    STOP_RECORDING_SUBSCRIPTION("stopRecording", 2, SequenceRun::stopRecordingSubscription, SUBSCRIPTION),
    TRY_STOP_RECORDING_CHANNEL("tryStopRecording", 1, SequenceRun::tryStopRecordingChannel, CHANNEL, STREAM),
    TRY_STOP_RECORDING_SUBSCRIPTION("tryStopRecording", 2, SequenceRun::tryStopRecordingSubscription, SUBSCRIPTION),
    TRY_STOP_RECORDING_BY_IDENTITY("tryStopRecordingByIdentity", 1, SequenceRun::tryStopByIdentity, RECORDING),
    GET_START_POSITION("getStartPosition", 2, SequenceRun::getStartPosition, RECORDING),
    GET_STOP_POSITION("getStopPosition", 2, SequenceRun::getStopPosition, RECORDING),
    GET_RECORDING_POSITION("getRecordingPosition", 2, SequenceRun::getRecordingPosition, RECORDING),
    GET_MAX_RECORDED_POSITION("getMaxRecordedPosition", 2, SequenceRun::getMaxRecordedPosition, RECORDING),
    LIST_RECORDINGS("listRecordings", 3, SequenceRun::listRecordings, RECORDING, COUNT, CONSUMER),
    LIST_RECORDING("listRecording", 2, SequenceRun::listRecording, RECORDING, CONSUMER),
    LIST_RECORDINGS_FOR_URI("listRecordingsForUri", 2, SequenceRun::listRecordingsForUri,
        RECORDING, COUNT, FRAGMENT, STREAM),
    FIND_LAST_MATCHING_RECORDING("findLastMatchingRecording", 1, SequenceRun::findLastMatchingRecording,
        RECORDING, FRAGMENT, STREAM, INT_VALUE),
    LIST_RECORDING_SUBSCRIPTIONS("listRecordingSubscriptions", 2, SequenceRun::listRecordingSubscriptions,
        COUNT, COUNT, FRAGMENT, STREAM, FLAG),
    START_REPLAY("startReplay", 2, SequenceRun::startReplay, RECORDING, POSITION, LENGTH, CHANNEL, STREAM),
    START_REPLAY_WITH_PARAMS("startReplay", 3, SequenceRun::startReplayWithParams,
        RECORDING, CHANNEL, STREAM, POSITION, LENGTH, COUNTER, FILE_IO, LONG_VALUE, LONG_VALUE),
    START_BOUNDED_REPLAY("startBoundedReplay", 1, SequenceRun::startBoundedReplay,
        RECORDING, POSITION, LENGTH, COUNTER, CHANNEL, STREAM),
    REPLAY_AND_READ("replay", 3, SequenceRun::replayAndRead, RECORDING, READ_POSITION, READ_LENGTH, FILE_IO),
    STOP_REPLAY("stopReplay", 2, SequenceRun::stopReplay, REPLAY),
    STOP_ALL_REPLAYS("stopAllReplays", 1, SequenceRun::stopAllReplays, RECORDING),
    TRUNCATE_RECORDING("truncateRecording", 2, SequenceRun::truncateRecording, RECORDING, POSITION),
    PURGE_RECORDING("purgeRecording", 1, SequenceRun::purgeRecording, RECORDING),
    DETACH_SEGMENTS("detachSegments", 1, SequenceRun::detachSegments, RECORDING, POSITION),
    DELETE_DETACHED_SEGMENTS("deleteDetachedSegments", 1, SequenceRun::deleteDetachedSegments, RECORDING),
    PURGE_SEGMENTS("purgeSegments", 1, SequenceRun::purgeSegments, RECORDING, POSITION),
    ATTACH_SEGMENTS("attachSegments", 1, SequenceRun::attachSegments, RECORDING),
    MIGRATE_SEGMENTS("migrateSegments", 1, SequenceRun::migrateSegments, RECORDING, RECORDING),
    UPDATE_CHANNEL("updateChannel", 1, SequenceRun::updateChannel, RECORDING, CHANNEL),
    POLL_FOR_ERROR_RESPONSE("pollForErrorResponse", 1, SequenceRun::pollForErrorResponse),
    CHECK_FOR_ERROR_RESPONSE("checkForErrorResponse", 1, SequenceRun::checkForErrorResponse),
    POLL_FOR_RECORDING_SIGNALS("pollForRecordingSignals", 1, SequenceRun::pollForRecordingSignals),
    REPLICATE("replicate", 2, SequenceRun::replicate,
        RECORDING, POSITION, RECORDING, CHANNEL, CHANNEL, LONG_VALUE, LONG_VALUE, FILE_IO, INT_VALUE, CREDENTIALS,
        CHANNEL);

    private final String label;
    private final int weight;
    private final BiConsumer<SequenceRun, List<String>> body;
    private final List<Slot> slots;

    Operation(final String label, final int weight, final BiConsumer<SequenceRun, List<String>> body, final Slot... slots)
    {
        this.label = label;
        this.weight = weight;
        this.body = body;
        this.slots = List.of(slots);
    }

    /** The client method it calls, as the transcript names it. */
    String label()
    {
        return label;
    }

    int weight()
    {
        return weight;
    }

    List<Slot> slots()
    {
        return slots;
    }

    void run(final SequenceRun run, final List<String> args)
    {
        body.accept(run, args);
    }
}
