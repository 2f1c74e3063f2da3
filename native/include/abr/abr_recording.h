/*
 * What the Archive tells about its recordings outside a control session: the recording events it publishes
 * (RecordingStarted, RecordingProgress, RecordingStopped, as io.aeron.archive.client.RecordingEventsAdapter and
 * RecordingEventsPoller read them), and the recording position counters it keeps in the driver's counters
 * (io.aeron.archive.status.RecordingPos). Returns follow abr_error.h.
 */
#ifndef ABR_RECORDING_H
#define ABR_RECORDING_H

#include "abr_client.h"

ABR_EXTERN_C_BEGIN

/* AeronArchive.Configuration (1.51.0): where an Archive with recording events enabled publishes them. The Archive
 * publishes none unless its recordingEventsEnabled is set (off by default). */
#define ABR_RECORDING_EVENTS_CHANNEL_DEFAULT "aeron:udp?control-mode=dynamic|control=localhost:8030"
#define ABR_RECORDING_EVENTS_STREAM_ID_DEFAULT 30

/* The template ids of the three events (aeron-archive-codecs.xml). */
#define ABR_RECORDING_EVENT_STARTED 101
#define ABR_RECORDING_EVENT_PROGRESS 102
#define ABR_RECORDING_EVENT_STOPPED 103

typedef struct abr_recording_events_stct abr_recording_events_t;

/* One decoded event. Fields an event does not carry are ABR_ARCHIVE_NULL_VALUE (-1): a start has start_position,
 * session_id, stream_id, channel and source_identity; progress has start_position and position; a stop has
 * start_position and stop_position. The strings are owned by the events reader, valid until its next poll or close;
 * empty (never NULL) in events that do not carry them. */
typedef struct abr_recording_event_stct
{
    int32_t template_id;
    int32_t session_id;
    int32_t stream_id;
    int64_t recording_id;
    int64_t start_position;
    int64_t position;
    int64_t stop_position;
    const char *channel;
    const char *source_identity;
}
abr_recording_event_t;

/* RecordingEventsListener: each callback may be NULL (that event is then skipped). */
typedef void (*abr_recording_started_func_t)(void *clientd, const abr_recording_event_t *event);
typedef void (*abr_recording_progress_func_t)(void *clientd, const abr_recording_event_t *event);
typedef void (*abr_recording_stopped_func_t)(void *clientd, const abr_recording_event_t *event);

/* Read recording events from a subscription the caller added (to the Archive's recording events channel and stream)
 * and keeps: the reader does not close it. *events is the caller's until abr_recording_events_close. 0, or -1:
 * ABR_ERROR_INVALID_ARGUMENT (NULL), ABR_ERROR_OUT_OF_MEMORY. */
ABR_EXPORT int abr_recording_events_init(abr_recording_events_t **events, abr_subscription_t *subscription);

/* As init, adding (and then owning) a subscription of this channel and stream: close removes it. Blocks as
 * abr_client_add_subscription does, and fails as it does. */
ABR_EXPORT int abr_recording_events_init_channel(
    abr_recording_events_t **events, abr_client_t *client, const char *channel, int32_t stream_id);

/* The subscription it reads (NULL for NULL). */
ABR_EXPORT abr_subscription_t *abr_recording_events_subscription(abr_recording_events_t *events);

/* As RecordingEventsAdapter.poll: read up to fragment_limit fragments, handing each event to its callback (other
 * messages, of other templates or schemas, are skipped). The number of fragments read, or -1:
 * ABR_ERROR_INVALID_ARGUMENT (NULL events), the subscription's poll errors (ABR_ERROR_CLOSED once it is closed). */
ABR_EXPORT int abr_recording_events_poll(
    abr_recording_events_t *events,
    abr_recording_started_func_t on_started,
    abr_recording_progress_func_t on_progress,
    abr_recording_stopped_func_t on_stopped,
    void *clientd,
    int fragment_limit);

/* As RecordingEventsPoller.poll: read one fragment; 1 when it was an event, decoded into *event, 0 when there was
 * nothing to read or it was another message (skipped). -1 as abr_recording_events_poll, or for a NULL event. */
ABR_EXPORT int abr_recording_events_poll_event(abr_recording_events_t *events, abr_recording_event_t *event);

/* Release the reader (and the subscription when init_channel added it). Safe on NULL. */
ABR_EXPORT int abr_recording_events_close(abr_recording_events_t *events);

/* RecordingPos (aeron-archive 1.51.0): the Archive's counter of a recording's position, type id
 * ABR_COUNTER_TYPE_ID_RECORDING_POSITION, its key the recording id (int64 at 0), the recorded session id (int32 at 8),
 * the source identity (int32 length at 12, ASCII from 16) and the archive id (int64 right after the identity).
 * Its value, read with abr_counters_value, is the recorded position. */
#define ABR_NULL_COUNTER_ID (-1)
#define ABR_RECORDING_POS_NULL_RECORDING_ID (-1LL)

/* The counter of this recording (of this archive, or of any with archive_id ABR_ARCHIVE_NULL_VALUE, -1) into
 * *counter_id: 1 when found, 0 when none (*counter_id = ABR_NULL_COUNTER_ID), -1: ABR_ERROR_INVALID_ARGUMENT (NULL),
 * the client's reason once it is closed. */
ABR_EXPORT int abr_recording_pos_find_counter_id_by_recording(
    abr_client_t *client, int64_t recording_id, int64_t archive_id, int32_t *counter_id);

/* As by_recording, for the recording of this publisher session. */
ABR_EXPORT int abr_recording_pos_find_counter_id_by_session(
    abr_client_t *client, int32_t session_id, int64_t archive_id, int32_t *counter_id);

/* The recording id the counter is of into *recording_id: ABR_RECORDING_POS_NULL_RECORDING_ID when it is not an
 * allocated recording position counter. 0, or -1 (NULL, an id out of range, a closed client). */
ABR_EXPORT int abr_recording_pos_get_recording_id(abr_client_t *client, int32_t counter_id, int64_t *recording_id);

/* 1 when the counter is allocated, a recording position counter and of this recording; 0 when not; -1 as above. */
ABR_EXPORT int abr_recording_pos_is_active(abr_client_t *client, int32_t counter_id, int64_t recording_id);

/* Copy the recording's source identity (Image.sourceIdentity of the recorded image), NUL-terminated, into the
 * caller's buffer: 1 when copied, 0 when the counter is not an allocated recording position counter (as
 * RecordingPos.getSourceIdentity answers null; the buffer then holds ""), -1: as above, or ABR_ERROR_INVALID_ARGUMENT
 * when it does not fit (naming the length needed). */
ABR_EXPORT int abr_recording_pos_get_source_identity(
    abr_client_t *client, int32_t counter_id, char *source_identity, size_t capacity);

ABR_EXTERN_C_END

#endif
