/*
 * Replay merge: the state machine of abr_archive.h (where its states and transitions are documented), over the archive
 * client's unanswered requests (archive_async_request.c) and the subscription's destinations.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_async_request.h"
#include "archive_client.h"
#include "core/channel_uri.h"
#include "core/clock.h"
#include "core/conductor.h"
#include "core/error.h"
#include "core/image.h"
#include "core/subscription.h"

/* ReplayMerge (1.51.0): the backoff between asks of the max recorded position, and how often an idle merge reads the
 * control responses so that an error for its session is not left unread. */
#define ABR_REPLAY_MERGE_INITIAL_POSITION_BACKOFF_MS 8
#define ABR_REPLAY_MERGE_MAX_POSITION_BACKOFF_MS 500
#define ABR_REPLAY_MERGE_ARCHIVE_POLL_INTERVAL_MS 100
/* LogBufferDescriptor.LOG_ACTIVE_TRANSPORT_COUNT (aeron-client 1.51.0): how many destinations feed an image. */
#define ABR_LOG_ACTIVE_TRANSPORT_COUNT_OFFSET 140
#define ABR_REPLAY_MERGE_ADDRESS_MAX_LENGTH 128

struct abr_archive_replay_merge_stct
{
    abr_archive_replay_merge_state_t state;
    abr_subscription_t *subscription;
    abr_archive_t *archive;
    abr_channel_uri_t replay_channel;
    char *replay_destination;
    char *live_destination;
    int64_t recording_id;
    int64_t start_position;
    abr_epoch_clock_func_t epoch_clock;
    void *epoch_clock_clientd;
    int64_t merge_progress_timeout_ms;

    abr_archive_async_request_t request;
    int64_t replay_session_id;
    int64_t next_target_position;
    int64_t position_of_last_progress;
    int64_t time_of_last_progress_ms;
    int64_t time_of_next_position_ask_ms;
    int64_t position_backoff_ms;
    int64_t time_of_last_archive_poll_ms;
    bool is_live_added;
    bool is_replay_active;
    bool image_found;
    /* Set by the first do_work, which reads the clock first. */
    bool started;

    /* Destination commands in flight: polled to free them and to fail the merge on the driver's refusal. */
    abr_async_add_t *destination_commands[3];

    int failure_code;
    char failure[ABR_ERROR_MESSAGE_MAX_LENGTH];
};

static int64_t abr_replay_merge_system_epoch_ms(void *clientd)
{
    (void)clientd;
    return abr_epoch_ms();
}

const char *abr_archive_replay_merge_state_name(int state)
{
    switch (state)
    {
        case ABR_ARCHIVE_REPLAY_MERGE_RESOLVE_REPLAY_PORT: return "RESOLVE_REPLAY_PORT";
        case ABR_ARCHIVE_REPLAY_MERGE_GET_RECORDING_POSITION: return "GET_RECORDING_POSITION";
        case ABR_ARCHIVE_REPLAY_MERGE_REPLAY: return "REPLAY";
        case ABR_ARCHIVE_REPLAY_MERGE_CATCHUP: return "CATCHUP";
        case ABR_ARCHIVE_REPLAY_MERGE_ATTEMPT_LIVE_JOIN: return "ATTEMPT_LIVE_JOIN";
        case ABR_ARCHIVE_REPLAY_MERGE_MERGED: return "MERGED";
        case ABR_ARCHIVE_REPLAY_MERGE_FAILED: return "FAILED";
        case ABR_ARCHIVE_REPLAY_MERGE_CLOSED: return "CLOSED";
        default: return "UNKNOWN";
    }
}

static void abr_replay_merge_set_state(abr_archive_replay_merge_t *merge, abr_archive_replay_merge_state_t state)
{
    merge->state = state;
}

static bool abr_replay_merge_starts_with_ipc(const char *channel)
{
    return 0 == strncmp(channel, "aeron:ipc", strlen("aeron:ipc"));
}

/* What the merge needs of its image, read under the subscription's image lock. */
typedef struct abr_replay_merge_image_view_stct
{
    bool present;
    int64_t position;
    int32_t term_length;
    int32_t active_transport_count;
}
abr_replay_merge_image_view_t;

static abr_image_t *abr_replay_merge_find_image(abr_archive_replay_merge_t *merge)
{
    abr_subscription_t *subscription = merge->subscription;
    for (int i = 0; i < subscription->image_count; i++)
    {
        if (subscription->images[i]->session_id == (int32_t)merge->replay_session_id)
        {
            return subscription->images[i];
        }
    }
    return NULL;
}

static int abr_replay_merge_view_image(abr_archive_replay_merge_t *merge, abr_replay_merge_image_view_t *view)
{
    memset(view, 0, sizeof(*view));
    if (abr_subscription_lock_images(merge->subscription, "replay merge") < 0)
    {
        return -1;
    }
    const abr_image_t *image = abr_replay_merge_find_image(merge);
    if (NULL != image)
    {
        view->present = true;
        view->position = abr_image_position(image);
        view->term_length = image->log.term_length;
        view->active_transport_count =
            abr_get_int32_acquire(image->log.metadata + ABR_LOG_ACTIVE_TRANSPORT_COUNT_OFFSET);
    }
    pthread_mutex_unlock(&merge->subscription->images_lock);
    return 0;
}

/* Keep the reason, become FAILED and return -1 with the reason set. An archive client that is closed (it closes itself
 * on its next call once its response channel went) fails the merge as one whose response channel is not connected:
 * ReplayMerge talks to the archive past AeronArchive's own state, so it reports "archive is not connected" whichever
 * it meets first, and which one the C client meets first is a matter of timing. */
static int abr_replay_merge_fail(abr_archive_replay_merge_t *merge)
{
    if (ABR_ERROR_CLOSED == abr_errcode() && ABR_ARCHIVE_STATE_CLOSED == abr_archive_get_state(merge->archive))
    {
        char reason[sizeof(merge->failure)];
        snprintf(reason, sizeof(reason), "%s", abr_errmsg());
        abr_error_set(ABR_ERROR_ARCHIVE_NOT_CONNECTED, "archive is not connected: %s", reason);
    }
    merge->failure_code = abr_errcode();
    snprintf(merge->failure, sizeof(merge->failure), "replay merge failed in state %s: recordingId=%" PRId64 ", %s",
        abr_archive_replay_merge_state_name(merge->state), merge->recording_id, abr_errmsg());
    abr_replay_merge_set_state(merge, ABR_ARCHIVE_REPLAY_MERGE_FAILED);
    return abr_error_set(merge->failure_code, "%s", merge->failure);
}

static void abr_replay_merge_progress(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    merge->time_of_last_progress_ms = now_ms;
}

static int abr_replay_merge_start_destination(
    abr_archive_replay_merge_t *merge, int slot, const char *destination, bool add)
{
    abr_async_add_cancel(merge->destination_commands[slot]);
    merge->destination_commands[slot] = NULL;
    return add ?
        abr_subscription_async_add_destination(&merge->destination_commands[slot], merge->subscription, destination) :
        abr_subscription_async_remove_destination(
            &merge->destination_commands[slot], merge->subscription, destination);
}

static int abr_replay_merge_poll_destinations(abr_archive_replay_merge_t *merge)
{
    int work = 0;
    for (size_t i = 0; i < sizeof(merge->destination_commands) / sizeof(merge->destination_commands[0]); i++)
    {
        if (NULL == merge->destination_commands[i])
        {
            continue;
        }
        int status = abr_async_destination_poll(merge->destination_commands[i]);
        if (0 != status)
        {
            /* Done or failed, the poll has released it. */
            merge->destination_commands[i] = NULL;
            work++;
        }
        if (status < 0)
        {
            return -1;
        }
    }
    return work;
}

static int abr_replay_merge_resolve_replay_port(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    char address[ABR_REPLAY_MERGE_ADDRESS_MAX_LENGTH];
    int length = abr_client_find_local_socket_address(
        merge->subscription->client, merge->subscription->channel_status_id, address, sizeof(address));
    if (length < 0)
    {
        return -1;
    }
    if (0 == length)
    {
        return 0;
    }
    if (abr_channel_uri_put(&merge->replay_channel, ABR_URI_ENDPOINT_PARAM, address) < 0)
    {
        return -1;
    }
    abr_replay_merge_progress(merge, now_ms);
    abr_replay_merge_set_state(merge, ABR_ARCHIVE_REPLAY_MERGE_GET_RECORDING_POSITION);
    return 1;
}

/* Ask for the max recorded position when the backoff allows: 1 asked, 0 not yet, -1 failed. */
static int abr_replay_merge_ask_position(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    if (now_ms < merge->time_of_next_position_ask_ms)
    {
        return 0;
    }
    int result = abr_archive_async_max_recorded_position(&merge->request, merge->archive, merge->recording_id);
    int64_t doubled = merge->position_backoff_ms * 2;
    merge->position_backoff_ms =
        doubled < ABR_REPLAY_MERGE_MAX_POSITION_BACKOFF_MS ? doubled : ABR_REPLAY_MERGE_MAX_POSITION_BACKOFF_MS;
    merge->time_of_next_position_ask_ms = now_ms + merge->position_backoff_ms;
    if (result < 0)
    {
        return -1;
    }
    abr_replay_merge_progress(merge, now_ms);
    return 1;
}

/* The answer to the position asked: 1 with *position set, 0 not yet, -1 failed. */
static int abr_replay_merge_poll_answer(abr_archive_replay_merge_t *merge, int64_t *answer)
{
    return abr_archive_async_poll(&merge->request, merge->archive, answer);
}

/* Ask for the max recorded position, or read the answer: 1 when it is the new target (ABR_ARCHIVE_NULL_POSITION while the
 * archive has none), 0 while asked or waited for, -1 failed. *asked says whether this call asked. */
static int abr_replay_merge_next_target(abr_archive_replay_merge_t *merge, int64_t now_ms, bool *asked)
{
    *asked = !merge->request.outstanding;
    if (*asked)
    {
        return abr_replay_merge_ask_position(merge, now_ms);
    }
    int64_t position;
    int status = abr_replay_merge_poll_answer(merge, &position);
    if (status > 0)
    {
        merge->next_target_position = position;
    }
    return status;
}

static int abr_replay_merge_get_recording_position(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    bool asked;
    int status = abr_replay_merge_next_target(merge, now_ms, &asked);
    if (status <= 0 || asked)
    {
        return status;
    }
    if (ABR_ARCHIVE_NULL_POSITION != merge->next_target_position)
    {
        abr_replay_merge_progress(merge, now_ms);
        abr_replay_merge_set_state(merge, ABR_ARCHIVE_REPLAY_MERGE_REPLAY);
    }
    return 1;
}

static int abr_replay_merge_replay(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    if (!merge->request.outstanding)
    {
        char *channel = abr_channel_uri_to_string(&merge->replay_channel);
        if (NULL == channel)
        {
            return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "replay merge: out of memory for the replay channel");
        }
        abr_archive_replay_request_t replay = {
            .recording_id = merge->recording_id, .position = merge->start_position, .length = INT64_MAX,
            .channel = channel, .stream_id = merge->subscription->stream_id, .limit_counter_id = -1,
            .file_io_max_length = ABR_ARCHIVE_NULL_VALUE, .replay_token = ABR_ARCHIVE_NULL_VALUE };
        int result = abr_archive_async_replay(&merge->request, merge->archive, &replay);
        free(channel);
        if (result < 0)
        {
            return -1;
        }
        abr_replay_merge_progress(merge, now_ms);
        return 1;
    }
    int64_t replay_session_id;
    int status = abr_replay_merge_poll_answer(merge, &replay_session_id);
    if (status <= 0)
    {
        return status;
    }
    merge->is_replay_active = true;
    merge->replay_session_id = replay_session_id;
    merge->position_backoff_ms = ABR_REPLAY_MERGE_INITIAL_POSITION_BACKOFF_MS;
    merge->time_of_next_position_ask_ms = now_ms;
    abr_replay_merge_progress(merge, now_ms);
    abr_replay_merge_set_state(merge, ABR_ARCHIVE_REPLAY_MERGE_CATCHUP);
    return 1;
}

static int abr_replay_merge_image_gone(abr_archive_replay_merge_t *merge)
{
    return abr_error_set(ABR_ERROR_ILLEGAL_STATE, "the replay's image closed unexpectedly: sessionId=%" PRId32
        ", replaySessionId=%" PRId64 ", channel=%s, streamId=%" PRId32, (int32_t)merge->replay_session_id,
        merge->replay_session_id, merge->subscription->channel, merge->subscription->stream_id);
}

static int abr_replay_merge_catchup(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    abr_replay_merge_image_view_t view;
    if (abr_replay_merge_view_image(merge, &view) < 0)
    {
        return -1;
    }
    if (!merge->image_found)
    {
        if (!view.present)
        {
            return 0;
        }
        merge->image_found = true;
        merge->position_of_last_progress = view.position;
        abr_replay_merge_progress(merge, now_ms);
    }
    if (!view.present)
    {
        return abr_replay_merge_image_gone(merge);
    }
    if (view.position >= merge->next_target_position)
    {
        merge->position_of_last_progress = view.position;
        abr_replay_merge_progress(merge, now_ms);
        abr_replay_merge_set_state(merge, ABR_ARCHIVE_REPLAY_MERGE_ATTEMPT_LIVE_JOIN);
        return 1;
    }
    if (view.position > merge->position_of_last_progress)
    {
        merge->position_of_last_progress = view.position;
        abr_replay_merge_progress(merge, now_ms);
    }
    return 0;
}

static int abr_replay_merge_attempt_live_join(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    bool asked;
    int status = abr_replay_merge_next_target(merge, now_ms, &asked);
    if (status <= 0 || asked)
    {
        return status;
    }
    const int64_t position = merge->next_target_position;
    if (ABR_ARCHIVE_NULL_POSITION == position)
    {
        return 1;
    }
    abr_replay_merge_image_view_t view;
    if (abr_replay_merge_view_image(merge, &view) < 0)
    {
        return -1;
    }
    if (!view.present)
    {
        return abr_replay_merge_image_gone(merge);
    }
    abr_archive_replay_merge_state_t next = ABR_ARCHIVE_REPLAY_MERGE_CATCHUP;
    int64_t window = view.term_length >> 2;
    if (window > ABR_ARCHIVE_REPLAY_MERGE_LIVE_ADD_MAX_WINDOW)
    {
        window = ABR_ARCHIVE_REPLAY_MERGE_LIVE_ADD_MAX_WINDOW;
    }
    int64_t behind = position - view.position;
    if (!merge->is_live_added && behind <= window)
    {
        if (abr_replay_merge_start_destination(merge, 1, merge->live_destination, true) < 0)
        {
            return -1;
        }
        merge->is_live_added = true;
        merge->position_of_last_progress = view.position;
        abr_replay_merge_progress(merge, now_ms);
    }
    else if (merge->is_live_added && behind <= 0 && view.active_transport_count >= 2)
    {
        if (abr_replay_merge_start_destination(merge, 2, merge->replay_destination, false) < 0 ||
            abr_archive_async_stop_replay_unanswered(merge->archive, merge->replay_session_id) < 0)
        {
            return -1;
        }
        merge->is_replay_active = false;
        merge->position_of_last_progress = view.position;
        abr_replay_merge_progress(merge, now_ms);
        next = ABR_ARCHIVE_REPLAY_MERGE_MERGED;
    }
    abr_replay_merge_set_state(merge, next);
    return 1;
}

static int abr_replay_merge_check_progress(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    if (now_ms > merge->time_of_last_progress_ms + merge->merge_progress_timeout_ms)
    {
        abr_replay_merge_image_view_t view;
        int32_t transports = abr_replay_merge_view_image(merge, &view) == 0 ? view.active_transport_count : 0;
        return abr_error_set(ABR_ERROR_TIMEOUT, "no progress within mergeProgressTimeoutMs=%" PRId64 ": state=%s, "
            "activeTransportCount=%" PRId32 ", position=%" PRId64 ", nextTargetPosition=%" PRId64,
            merge->merge_progress_timeout_ms, abr_archive_replay_merge_state_name(merge->state), transports,
            view.position, merge->next_target_position);
    }
    if (!merge->request.outstanding && now_ms > merge->time_of_last_archive_poll_ms +
        ABR_REPLAY_MERGE_ARCHIVE_POLL_INTERVAL_MS)
    {
        merge->time_of_last_archive_poll_ms = now_ms;
        int64_t ignored;
        return abr_archive_async_poll(NULL, merge->archive, &ignored) < 0 ? -1 : 0;
    }
    return 0;
}

static int abr_replay_merge_step(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    int work;
    switch (merge->state)
    {
        case ABR_ARCHIVE_REPLAY_MERGE_RESOLVE_REPLAY_PORT:
            work = abr_replay_merge_resolve_replay_port(merge, now_ms);
            break;
        case ABR_ARCHIVE_REPLAY_MERGE_GET_RECORDING_POSITION:
            work = abr_replay_merge_get_recording_position(merge, now_ms);
            break;
        case ABR_ARCHIVE_REPLAY_MERGE_REPLAY: work = abr_replay_merge_replay(merge, now_ms); break;
        case ABR_ARCHIVE_REPLAY_MERGE_CATCHUP: work = abr_replay_merge_catchup(merge, now_ms); break;
        case ABR_ARCHIVE_REPLAY_MERGE_ATTEMPT_LIVE_JOIN:
            work = abr_replay_merge_attempt_live_join(merge, now_ms);
            break;
        default: return 0;
    }
    if (work < 0 || abr_replay_merge_check_progress(merge, now_ms) < 0)
    {
        return -1;
    }
    return work;
}

int abr_archive_replay_merge_do_work(abr_archive_replay_merge_t *merge)
{
    if (NULL == merge)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge do_work: merge must not be null");
    }
    return abr_archive_replay_merge_do_work_at(merge, merge->epoch_clock(merge->epoch_clock_clientd));
}

int abr_archive_replay_merge_do_work_at(abr_archive_replay_merge_t *merge, int64_t now_ms)
{
    if (NULL == merge)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge do_work_at: merge must not be null");
    }
    if (!merge->started)
    {
        /* The clock's first reading: the progress timeout and the first ask count from here. */
        merge->started = true;
        merge->time_of_last_progress_ms = now_ms;
        merge->time_of_next_position_ask_ms = now_ms;
    }
    if (ABR_ARCHIVE_REPLAY_MERGE_FAILED == merge->state || ABR_ARCHIVE_REPLAY_MERGE_CLOSED == merge->state)
    {
        return 0;
    }
    int destinations = abr_replay_merge_poll_destinations(merge);
    if (destinations < 0)
    {
        return abr_replay_merge_fail(merge);
    }
    int work = abr_replay_merge_step(merge, now_ms);
    if (work < 0)
    {
        return abr_replay_merge_fail(merge);
    }
    return work + destinations;
}

int abr_archive_replay_merge_poll(
    abr_archive_replay_merge_t *merge, abr_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    if (NULL == merge || NULL == handler)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge poll: %s must not be null",
            NULL == merge ? "merge" : "handler");
    }
    if (ABR_ARCHIVE_REPLAY_MERGE_CLOSED == merge->state)
    {
        return abr_error_set(ABR_ERROR_CLOSED, "replay merge poll: the merge is closed: recordingId=%" PRId64,
            merge->recording_id);
    }
    if (abr_archive_replay_merge_do_work(merge) < 0)
    {
        return -1;
    }
    if (!merge->image_found || fragment_limit <= 0)
    {
        return 0;
    }
    abr_subscription_t *subscription = merge->subscription;
    if (abr_subscription_check(subscription, (const void *)handler, "replay merge poll") < 0 ||
        abr_subscription_lock_images(subscription, "replay merge poll") < 0)
    {
        return -1;
    }
    abr_image_t *image = abr_replay_merge_find_image(merge);
    int fragments = NULL == image ? 0 : abr_image_poll(image, handler, clientd, fragment_limit);
    pthread_mutex_unlock(&subscription->images_lock);
    return fragments < 0 ? abr_error_prefix("replay merge poll: ") : fragments;
}

static int abr_replay_merge_check_init(
    abr_archive_replay_merge_t **merge,
    abr_subscription_t *subscription,
    abr_archive_t *archive,
    const char *replay_channel,
    const char *replay_destination,
    const char *live_destination,
    int64_t merge_progress_timeout_ms)
{
    const char *missing = NULL == merge ? "merge out-pointer" : NULL == subscription ? "subscription" :
        NULL == archive ? "archive" : NULL == replay_channel ? "replay_channel" :
        NULL == replay_destination ? "replay_destination" : NULL == live_destination ? "live_destination" : NULL;
    if (NULL != missing)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge init: %s must not be null", missing);
    }
    if (merge_progress_timeout_ms <= 0)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge init: merge_progress_timeout_ms must be > 0, "
            "got %" PRId64, merge_progress_timeout_ms);
    }
    if (abr_subscription_is_closed(subscription))
    {
        return abr_error_set(ABR_ERROR_CLOSED, "replay merge init: the subscription is closed: channel=%s, streamId=%"
            PRId32, subscription->channel, subscription->stream_id);
    }
    /* ReplayMerge refuses the same: a merge needs the destinations of a UDP multi-destination subscription. */
    if (abr_replay_merge_starts_with_ipc(subscription->channel) || abr_replay_merge_starts_with_ipc(replay_channel) ||
        abr_replay_merge_starts_with_ipc(replay_destination) || abr_replay_merge_starts_with_ipc(live_destination))
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge init: IPC merging is not supported: "
            "subscription channel=%s, replay channel=%s, replay destination=%s, live destination=%s",
            subscription->channel, replay_channel, replay_destination, live_destination);
    }
    if (NULL == strstr(subscription->channel, "control-mode=manual"))
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT,
            "replay merge init: the subscription's channel must have 'control-mode=manual': channel=%s",
            subscription->channel);
    }
    return 0;
}

int abr_archive_replay_merge_init(
    abr_archive_replay_merge_t **merge,
    abr_subscription_t *subscription,
    abr_archive_t *archive,
    const char *replay_channel,
    const char *replay_destination,
    const char *live_destination,
    int64_t recording_id,
    int64_t start_position,
    abr_epoch_clock_func_t epoch_clock,
    void *epoch_clock_clientd,
    int64_t merge_progress_timeout_ms)
{
    if (NULL != merge)
    {
        *merge = NULL;
    }
    if (abr_replay_merge_check_init(merge, subscription, archive, replay_channel, replay_destination,
        live_destination, merge_progress_timeout_ms) < 0)
    {
        return -1;
    }
    abr_channel_uri_t destination;
    if (abr_channel_uri_parse(&destination, replay_destination) < 0)
    {
        return abr_error_prefix("replay merge init: replay destination: ");
    }
    const char *endpoint = abr_channel_uri_get(&destination, ABR_URI_ENDPOINT_PARAM);
    if (NULL == endpoint || '\0' == endpoint[0])
    {
        abr_channel_uri_close(&destination);
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge init: the replay destination must have an "
            "endpoint: replay destination=%s", replay_destination);
    }
    size_t endpoint_length = strlen(endpoint);
    bool wildcard_port = endpoint_length >= 2 && 0 == strcmp(endpoint + endpoint_length - 2, ":0");

    abr_archive_replay_merge_t *created = calloc(1, sizeof(*created));
    if (NULL == created)
    {
        abr_channel_uri_close(&destination);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "replay merge init: out of memory");
    }
    if (abr_channel_uri_parse(&created->replay_channel, replay_channel) < 0)
    {
        abr_channel_uri_close(&destination);
        free(created);
        return abr_error_prefix("replay merge init: replay channel: ");
    }
    /* As ReplayMerge: the replay's publication lingers not and sends no end of stream, which would end the image the
     * live stream carries on. */
    int result = abr_channel_uri_put(&created->replay_channel, "linger", "0") < 0 ||
        abr_channel_uri_put(&created->replay_channel, "eos", "false") < 0 ||
        (!wildcard_port && abr_channel_uri_put(&created->replay_channel, ABR_URI_ENDPOINT_PARAM, endpoint) < 0) ?
        -1 : 0;
    abr_channel_uri_close(&destination);
    created->replay_destination = strdup(replay_destination);
    created->live_destination = strdup(live_destination);
    if (0 == result && (NULL == created->replay_destination || NULL == created->live_destination))
    {
        result = abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "replay merge init: out of memory");
    }
    created->subscription = subscription;
    created->archive = archive;
    created->recording_id = recording_id;
    created->start_position = start_position;
    created->epoch_clock = NULL != epoch_clock ? epoch_clock : abr_replay_merge_system_epoch_ms;
    created->epoch_clock_clientd = epoch_clock_clientd;
    created->merge_progress_timeout_ms = merge_progress_timeout_ms;
    created->replay_session_id = ABR_ARCHIVE_NULL_VALUE;
    created->next_target_position = ABR_ARCHIVE_NULL_POSITION;
    created->position_of_last_progress = ABR_ARCHIVE_NULL_POSITION;
    created->position_backoff_ms = ABR_REPLAY_MERGE_INITIAL_POSITION_BACKOFF_MS;
    created->state = wildcard_port ?
        ABR_ARCHIVE_REPLAY_MERGE_RESOLVE_REPLAY_PORT : ABR_ARCHIVE_REPLAY_MERGE_GET_RECORDING_POSITION;
    if (0 == result && ABR_ARCHIVE_STATE_CONNECTED != abr_archive_get_state(archive))
    {
        result = abr_error_set(ABR_ERROR_CLOSED, "replay merge init: the archive client is not connected: state=%d",
            abr_archive_get_state(archive));
    }
    if (0 == result)
    {
        result = abr_replay_merge_start_destination(created, 0, replay_destination, true);
    }
    if (result < 0)
    {
        abr_channel_uri_close(&created->replay_channel);
        free(created->replay_destination);
        free(created->live_destination);
        free(created);
        return abr_error_prefix("replay merge init: ");
    }
    *merge = created;
    return 0;
}

int abr_archive_replay_merge_close(abr_archive_replay_merge_t *merge)
{
    if (NULL == merge)
    {
        return 0;
    }
    int result = 0;
    abr_archive_async_abandon(&merge->request, merge->archive);
    for (size_t i = 0; i < sizeof(merge->destination_commands) / sizeof(merge->destination_commands[0]); i++)
    {
        abr_async_add_cancel(merge->destination_commands[i]);
        merge->destination_commands[i] = NULL;
    }
    if (!abr_subscription_is_closed(merge->subscription))
    {
        abr_async_add_t *remove = NULL;
        if (ABR_ARCHIVE_REPLAY_MERGE_MERGED != merge->state &&
            abr_subscription_async_remove_destination(&remove, merge->subscription, merge->replay_destination) < 0)
        {
            result = -1;
        }
        /* Sent: the command stands without anyone waiting for its answer. */
        abr_async_add_cancel(remove);
    }
    if (merge->is_replay_active && ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(merge->archive) &&
        abr_archive_async_stop_replay_unanswered(merge->archive, merge->replay_session_id) < 0)
    {
        result = -1;
    }
    abr_channel_uri_close(&merge->replay_channel);
    free(merge->replay_destination);
    free(merge->live_destination);
    free(merge);
    return result;
}

int abr_archive_replay_merge_state(abr_archive_replay_merge_t *merge)
{
    return NULL == merge ? -1 : (int)merge->state;
}

bool abr_archive_replay_merge_is_merged(abr_archive_replay_merge_t *merge)
{
    return NULL != merge && ABR_ARCHIVE_REPLAY_MERGE_MERGED == merge->state;
}

bool abr_archive_replay_merge_has_failed(abr_archive_replay_merge_t *merge)
{
    return NULL != merge && ABR_ARCHIVE_REPLAY_MERGE_FAILED == merge->state;
}

bool abr_archive_replay_merge_is_live_added(abr_archive_replay_merge_t *merge)
{
    return NULL != merge && merge->is_live_added;
}

int abr_archive_replay_merge_image_session_id(abr_archive_replay_merge_t *merge, int32_t *session_id)
{
    if (NULL == merge || NULL == session_id)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay merge image session id: %s must not be null",
            NULL == merge ? "merge" : "session_id");
    }
    if (!merge->image_found)
    {
        return 0;
    }
    *session_id = (int32_t)merge->replay_session_id;
    return 1;
}

const char *abr_archive_replay_merge_failure(abr_archive_replay_merge_t *merge, int *code)
{
    if (NULL == merge || ABR_ARCHIVE_REPLAY_MERGE_FAILED != merge->state)
    {
        return NULL;
    }
    if (NULL != code)
    {
        *code = merge->failure_code;
    }
    return merge->failure;
}
