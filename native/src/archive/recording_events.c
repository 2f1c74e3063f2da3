/*
 * Reading the Archive's recording events (RecordingStarted, RecordingProgress, RecordingStopped) from a subscription,
 * decoded with the SBE C codecs. The strings of a start are copied into buffers the reader keeps and grows only when a
 * longer one comes, so polling does not allocate once they have reached the longest channel seen.
 */
#include <stdlib.h>
#include <string.h>

#include "abr/abr_recording.h"
#include "abr_codecs/recordingProgress.h"
#include "abr_codecs/recordingStarted.h"
#include "abr_codecs/recordingStopped.h"
#include "archive_message.h"
#include "core/error.h"

struct abr_recording_events_stct
{
    abr_subscription_t *subscription;
    bool owns_subscription;
    char *channel;
    size_t channel_capacity;
    char *source_identity;
    size_t source_identity_capacity;

    /* Per poll: where a decoded event goes and what to do with it. */
    abr_recording_event_t event;
    bool has_event;
    bool stop_at_event;
    abr_recording_started_func_t on_started;
    abr_recording_progress_func_t on_progress;
    abr_recording_stopped_func_t on_stopped;
    void *clientd;
};

static int abr_recording_events_create(abr_recording_events_t **events, abr_subscription_t *subscription, bool owns)
{
    abr_recording_events_t *created = calloc(1, sizeof(*created));
    char *channel = calloc(1, 1);
    char *source_identity = calloc(1, 1);
    if (NULL == created || NULL == channel || NULL == source_identity)
    {
        free(created);
        free(channel);
        free(source_identity);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for a recording events reader");
    }
    created->subscription = subscription;
    created->owns_subscription = owns;
    created->channel = channel;
    created->channel_capacity = 1;
    created->source_identity = source_identity;
    created->source_identity_capacity = 1;
    *events = created;
    return 0;
}

int abr_recording_events_init(abr_recording_events_t **events, abr_subscription_t *subscription)
{
    if (NULL != events)
    {
        *events = NULL;
    }
    if (NULL == events || NULL == subscription)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "recording events: %s must not be null",
            NULL == events ? "events out-pointer" : "subscription");
    }
    return abr_recording_events_create(events, subscription, false);
}

int abr_recording_events_init_channel(
    abr_recording_events_t **events, abr_client_t *client, const char *channel, int32_t stream_id)
{
    if (NULL != events)
    {
        *events = NULL;
    }
    if (NULL == events || NULL == client || NULL == channel)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "recording events: %s must not be null: streamId=%d",
            NULL == events ? "events out-pointer" : NULL == client ? "client" : "channel", stream_id);
    }
    abr_subscription_t *subscription = NULL;
    if (abr_client_add_subscription(&subscription, client, channel, stream_id) < 0)
    {
        return abr_error_prefix("recording events: ");
    }
    if (abr_recording_events_create(events, subscription, true) < 0)
    {
        abr_subscription_close(subscription);
        return -1;
    }
    return 0;
}

abr_subscription_t *abr_recording_events_subscription(abr_recording_events_t *events)
{
    return NULL == events ? NULL : events->subscription;
}

int abr_recording_events_close(abr_recording_events_t *events)
{
    if (NULL == events)
    {
        return 0;
    }
    int result = events->owns_subscription ? abr_subscription_close(events->subscription) : 0;
    free(events->channel);
    free(events->source_identity);
    free(events);
    return result;
}

static void abr_recording_events_clear(abr_recording_event_t *event, uint16_t template_id)
{
    event->template_id = template_id;
    event->session_id = -1;
    event->stream_id = -1;
    event->recording_id = -1;
    event->start_position = -1;
    event->position = -1;
    event->stop_position = -1;
}

/* Copy the length-prefixed string at position into *buffer, growing it to fit. The bytes the field takes, or 0 when
 * it does not fit the message or memory ran out (the event is then dropped). */
static uint64_t abr_recording_events_copy_string(
    const abr_archive_message_t *message, uint64_t position, char **buffer, size_t *capacity)
{
    if (position + 4 > message->body_length)
    {
        return 0;
    }
    uint32_t length;
    memcpy(&length, message->body + position, sizeof(length));
    length = SBE_LITTLE_ENDIAN_ENCODE_32(length);
    if (length > message->body_length - position - 4)
    {
        return 0;
    }
    if ((size_t)length + 1 > *capacity)
    {
        char *grown = realloc(*buffer, (size_t)length + 1);
        if (NULL == grown)
        {
            return 0;
        }
        *buffer = grown;
        *capacity = (size_t)length + 1;
    }
    return abr_archive_message_copy_string(message->body, message->body_length, position, *buffer, *capacity);
}

static bool abr_recording_events_on_started(abr_recording_events_t *events, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingStarted started;
    if (message->block_length < abr_codecs_recordingStarted_sbe_block_length() ||
        NULL == abr_codecs_recordingStarted_wrap_for_decode(
            &started, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return false;
    }
    abr_recording_event_t *event = &events->event;
    event->recording_id = abr_codecs_recordingStarted_recordingId(&started);
    event->start_position = abr_codecs_recordingStarted_startPosition(&started);
    event->session_id = abr_codecs_recordingStarted_sessionId(&started);
    event->stream_id = abr_codecs_recordingStarted_streamId(&started);
    uint64_t position = abr_codecs_recordingStarted_sbe_position(&started);
    uint64_t channel_length =
        abr_recording_events_copy_string(message, position, &events->channel, &events->channel_capacity);
    if (0 == channel_length ||
        0 == abr_recording_events_copy_string(
            message, position + channel_length, &events->source_identity, &events->source_identity_capacity))
    {
        return false;
    }
    return true;
}

static bool abr_recording_events_on_progress(abr_recording_events_t *events, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingProgress progress;
    if (message->block_length < abr_codecs_recordingProgress_sbe_block_length() ||
        NULL == abr_codecs_recordingProgress_wrap_for_decode(
            &progress, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return false;
    }
    events->event.recording_id = abr_codecs_recordingProgress_recordingId(&progress);
    events->event.start_position = abr_codecs_recordingProgress_startPosition(&progress);
    events->event.position = abr_codecs_recordingProgress_position(&progress);
    return true;
}

static bool abr_recording_events_on_stopped(abr_recording_events_t *events, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingStopped stopped;
    if (message->block_length < abr_codecs_recordingStopped_sbe_block_length() ||
        NULL == abr_codecs_recordingStopped_wrap_for_decode(
            &stopped, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return false;
    }
    events->event.recording_id = abr_codecs_recordingStopped_recordingId(&stopped);
    events->event.start_position = abr_codecs_recordingStopped_startPosition(&stopped);
    events->event.stop_position = abr_codecs_recordingStopped_stopPosition(&stopped);
    return true;
}

/* Decode one event into events->event; false for anything else (other templates, schemas, or a damaged message). */
static bool abr_recording_events_decode(abr_recording_events_t *events, const uint8_t *buffer, size_t length)
{
    abr_archive_message_t message;
    if (abr_archive_message_read(&message, buffer, length) < 0)
    {
        return false;
    }
    abr_recording_events_clear(&events->event, message.template_id);
    events->channel[0] = '\0';
    events->source_identity[0] = '\0';
    bool decoded = false;
    if (abr_codecs_recordingStarted_sbe_template_id() == message.template_id)
    {
        decoded = abr_recording_events_on_started(events, &message);
    }
    else if (abr_codecs_recordingProgress_sbe_template_id() == message.template_id)
    {
        decoded = abr_recording_events_on_progress(events, &message);
    }
    else if (abr_codecs_recordingStopped_sbe_template_id() == message.template_id)
    {
        decoded = abr_recording_events_on_stopped(events, &message);
    }
    /* After the decode: copying a longer string than any before moves the buffers. */
    events->event.channel = events->channel;
    events->event.source_identity = events->source_identity;
    return decoded;
}

static abr_controlled_action_t abr_recording_events_on_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_recording_events_t *events = clientd;
    if (!abr_recording_events_decode(events, buffer, length))
    {
        return ABR_ACTION_CONTINUE;
    }
    events->has_event = true;
    if (events->stop_at_event)
    {
        return ABR_ACTION_BREAK;
    }
    const abr_recording_event_t *event = &events->event;
    if (ABR_RECORDING_EVENT_STARTED == event->template_id && NULL != events->on_started)
    {
        events->on_started(events->clientd, event);
    }
    else if (ABR_RECORDING_EVENT_PROGRESS == event->template_id && NULL != events->on_progress)
    {
        events->on_progress(events->clientd, event);
    }
    else if (ABR_RECORDING_EVENT_STOPPED == event->template_id && NULL != events->on_stopped)
    {
        events->on_stopped(events->clientd, event);
    }
    return ABR_ACTION_CONTINUE;
}

int abr_recording_events_poll(
    abr_recording_events_t *events,
    abr_recording_started_func_t on_started,
    abr_recording_progress_func_t on_progress,
    abr_recording_stopped_func_t on_stopped,
    void *clientd,
    int fragment_limit)
{
    if (NULL == events)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "recording events poll: events must not be null");
    }
    events->has_event = false;
    events->stop_at_event = false;
    events->on_started = on_started;
    events->on_progress = on_progress;
    events->on_stopped = on_stopped;
    events->clientd = clientd;
    return abr_subscription_controlled_poll(
        events->subscription, abr_recording_events_on_fragment, events, fragment_limit);
}

int abr_recording_events_poll_event(abr_recording_events_t *events, abr_recording_event_t *event)
{
    if (NULL == events || NULL == event)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "recording events poll_event: %s must not be null",
            NULL == events ? "events" : "event");
    }
    events->has_event = false;
    events->stop_at_event = true;
    /* One fragment per poll, as RecordingEventsPoller reads: the caller polls again for the next. */
    int fragments = abr_subscription_controlled_poll(
        events->subscription, abr_recording_events_on_fragment, events, 1);
    if (fragments < 0)
    {
        return -1;
    }
    if (!events->has_event)
    {
        return 0;
    }
    *event = events->event;
    return 1;
}
