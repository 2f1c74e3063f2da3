/*
 * Replays and recording maintenance: requests answered by one control response each, and replay(), which also adds
 * the subscription the replay arrives on (its channel with the replay session id, as AeronArchive.replay does).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "archive_client.h"
#include "archive_replay_response.h"
#include "core/channel_uri.h"
#include "core/error.h"

static int abr_archive_send_replay(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_replay(&archive->proxy, archive->control_session_id, correlation_id, request);
}

static int abr_archive_check_replay_out(const void *out, const char *out_name, const char *channel, const char *operation)
{
    if (NULL == out || NULL == channel)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: %s must not be null", operation, NULL == out ? out_name : "replay_channel");
    }
    return 0;
}

/* The subscription out-pointer of replay() is NULL on every failure, so that closing it afterwards is safe. */
static int abr_archive_check_replay_subscription(
    abr_subscription_t **subscription, const char *channel, const char *operation)
{
    if (NULL != subscription)
    {
        *subscription = NULL;
    }
    return abr_archive_check_replay_out(subscription, "subscription out-pointer", channel, operation);
}

int abr_archive_start_replay(
    int64_t *replay_session_id,
    abr_archive_t *archive,
    int64_t recording_id,
    int64_t position,
    int64_t length,
    const char *replay_channel,
    int32_t replay_stream_id)
{
    if (abr_archive_check_replay_out(replay_session_id, "replay_session_id", replay_channel, "start replay") < 0)
    {
        return -1;
    }
    abr_archive_replay_request_t request = {
        .recording_id = recording_id, .position = position, .length = length, .channel = replay_channel,
        .stream_id = replay_stream_id, .limit_counter_id = -1, .file_io_max_length = ABR_ARCHIVE_NULL_VALUE,
        .replay_token = ABR_ARCHIVE_NULL_VALUE };
    return abr_archive_call(archive, "start replay", abr_archive_send_replay, &request, replay_session_id);
}

int abr_archive_start_bounded_replay(
    int64_t *replay_session_id,
    abr_archive_t *archive,
    int64_t recording_id,
    int64_t position,
    int64_t length,
    int32_t limit_counter_id,
    const char *replay_channel,
    int32_t replay_stream_id)
{
    if (abr_archive_check_replay_out(replay_session_id, "replay_session_id", replay_channel, "start bounded replay") < 0)
    {
        return -1;
    }
    if (limit_counter_id < 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "start bounded replay: limit_counter_id must be >= 0, got %" PRId32,
            limit_counter_id);
    }
    abr_archive_replay_request_t request = {
        .recording_id = recording_id, .position = position, .length = length, .channel = replay_channel,
        .stream_id = replay_stream_id, .limit_counter_id = limit_counter_id,
        .file_io_max_length = ABR_ARCHIVE_NULL_VALUE, .replay_token = ABR_ARCHIVE_NULL_VALUE };
    return abr_archive_call(archive, "start bounded replay", abr_archive_send_replay, &request, replay_session_id);
}

int abr_archive_replay_params_init(abr_archive_replay_params_t *params)
{
    if (NULL == params)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replay params init: params must not be null");
    }
    *params = (abr_archive_replay_params_t){
        .position = ABR_ARCHIVE_NULL_POSITION,
        .length = ABR_ARCHIVE_REPLAY_ALL_AND_FOLLOW,
        .bounding_limit_counter_id = (int32_t)ABR_ARCHIVE_NULL_VALUE,
        .file_io_max_length = (int32_t)ABR_ARCHIVE_NULL_VALUE,
        .replay_token = ABR_ARCHIVE_NULL_VALUE,
        .subscription_registration_id = ABR_ARCHIVE_NULL_VALUE };
    return 0;
}

int abr_archive_start_replay_with_params(
    int64_t *replay_session_id,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params)
{
    if (abr_archive_check_replay_out(replay_session_id, "replay_session_id", replay_channel, "start replay") < 0)
    {
        return -1;
    }
    /* AeronArchive parses the channel of a replay with parameters before it sends anything: a malformed one is
     * refused here too, not sent for the archive to leave unanswered until the message timeout. */
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, replay_channel) < 0)
    {
        return abr_error_prefix("replay channel: ");
    }
    abr_channel_uri_close(&uri);
    abr_archive_replay_params_t defaults;
    if (NULL == params)
    {
        abr_archive_replay_params_init(&defaults);
        params = &defaults;
    }
    if (abr_archive_is_response_channel(replay_channel))
    {
        return abr_archive_start_replay_via_response_channel(
            replay_session_id, archive, recording_id, replay_channel, replay_stream_id, params);
    }
    abr_archive_replay_request_t request = {
        .recording_id = recording_id, .position = params->position, .length = params->length,
        .channel = replay_channel, .stream_id = replay_stream_id,
        .limit_counter_id = params->bounding_limit_counter_id, .file_io_max_length = params->file_io_max_length,
        .replay_token = params->replay_token };
    return abr_archive_call(archive, "start replay", abr_archive_send_replay, &request, replay_session_id);
}

/* The subscription a replay arrives on: the replay channel with the replay's session id (its low 32 bits). */
static int abr_archive_add_replay_subscription(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    abr_channel_uri_t *uri,
    int64_t replay_session_id,
    int32_t replay_stream_id)
{
    char value[16];
    snprintf(value, sizeof(value), "%" PRId32, (int32_t)replay_session_id);
    char *session_channel = abr_channel_uri_put(uri, ABR_URI_SESSION_ID_PARAM, value) < 0 ?
        NULL : abr_channel_uri_to_string(uri);
    int result = NULL == session_channel ? -1 :
        abr_client_add_subscription(subscription, archive->client, session_channel, replay_stream_id);
    free(session_channel);
    return result;
}

int abr_archive_replay_with_params(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params)
{
    if (abr_archive_check_replay_subscription(subscription, replay_channel, "replay") < 0)
    {
        return -1;
    }
    abr_archive_replay_params_t defaults;
    if (NULL == params)
    {
        abr_archive_replay_params_init(&defaults);
        params = &defaults;
    }
    if (abr_archive_is_response_channel(replay_channel))
    {
        return abr_archive_replay_via_response_channel(
            subscription, archive, recording_id, replay_channel, replay_stream_id, params);
    }
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, replay_channel) < 0)
    {
        return abr_error_prefix("replay channel: ");
    }
    int64_t replay_session_id;
    int result = abr_archive_start_replay_with_params(
        &replay_session_id, archive, recording_id, replay_channel, replay_stream_id, params);
    if (0 == result)
    {
        result = abr_archive_add_replay_subscription(subscription, archive, &uri, replay_session_id, replay_stream_id);
    }
    abr_channel_uri_close(&uri);
    return result;
}

int abr_archive_replay(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    int64_t recording_id,
    int64_t position,
    int64_t length,
    const char *replay_channel,
    int32_t replay_stream_id)
{
    if (abr_archive_check_replay_subscription(subscription, replay_channel, "replay") < 0)
    {
        return -1;
    }
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, replay_channel) < 0)
    {
        return abr_error_prefix("replay channel: ");
    }
    int64_t replay_session_id;
    int result = abr_archive_start_replay(
        &replay_session_id, archive, recording_id, position, length, replay_channel, replay_stream_id);
    if (0 == result)
    {
        result = abr_archive_add_replay_subscription(subscription, archive, &uri, replay_session_id, replay_stream_id);
    }
    abr_channel_uri_close(&uri);
    return result;
}

static int abr_archive_send_stop_replay(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_replay(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_stop_replay(abr_archive_t *archive, int64_t replay_session_id)
{
    return abr_archive_call(archive, "stop replay", abr_archive_send_stop_replay, &replay_session_id, NULL);
}

static int abr_archive_send_stop_all_replays(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_all_replays(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_stop_all_replays(abr_archive_t *archive, int64_t recording_id)
{
    return abr_archive_call(archive, "stop all replays", abr_archive_send_stop_all_replays, &recording_id, NULL);
}

typedef struct abr_archive_truncate_request_stct
{
    int64_t recording_id;
    int64_t position;
}
abr_archive_truncate_request_t;

static int abr_archive_send_truncate(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_truncate_request_t *truncate = request;
    return abr_archive_proxy_truncate_recording(
        &archive->proxy, archive->control_session_id, correlation_id, truncate->recording_id, truncate->position);
}

int abr_archive_truncate_recording(int64_t *deleted_segments, abr_archive_t *archive, int64_t recording_id, int64_t position)
{
    if (NULL == deleted_segments)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "truncate recording: deleted_segments must not be null");
    }
    abr_archive_truncate_request_t request = { .recording_id = recording_id, .position = position };
    return abr_archive_call(archive, "truncate recording", abr_archive_send_truncate, &request, deleted_segments);
}

static int abr_archive_send_purge(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_purge_recording(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_purge_recording(int64_t *deleted_segments, abr_archive_t *archive, int64_t recording_id)
{
    if (NULL == deleted_segments)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "purge recording: deleted_segments must not be null");
    }
    return abr_archive_call(archive, "purge recording", abr_archive_send_purge, &recording_id, deleted_segments);
}

abr_client_t *abr_archive_client(abr_archive_t *archive)
{
    return NULL == archive ? NULL : archive->client;
}
