#include <inttypes.h>

#include "archive_client.h"
#include "core/error.h"

/* The request and response of a call that answers with one control response, under the client's lock. */
typedef int (*abr_archive_send_func_t)(abr_archive_t *archive, int64_t correlation_id, const void *request);

static int abr_archive_call(
    abr_archive_t *archive,
    const char *operation,
    abr_archive_send_func_t send,
    const void *request,
    int64_t *relevant_id)
{
    if (abr_archive_enter(archive, operation) < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_client_next_correlation_id(archive->client);
    int64_t ignored;
    int result;
    if (correlation_id < 0 || send(archive, correlation_id, request) < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_response(archive, correlation_id, NULL != relevant_id ? relevant_id : &ignored);
    }
    abr_archive_exit(archive);
    return result;
}

static int abr_archive_check_channel(const char *channel, const char *operation)
{
    if (NULL == channel || '\0' == channel[0])
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: channel must not be null or empty", operation);
    }
    return 0;
}

static int abr_archive_check_out(const void *out, const char *operation)
{
    if (NULL == out)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: result pointer must not be null", operation);
    }
    return 0;
}

typedef struct abr_archive_channel_request_stct
{
    const char *channel;
    int32_t stream_id;
    abr_archive_source_location_t source_location;
    bool auto_stop;
    bool with_auto_stop;
}
abr_archive_channel_request_t;

static int abr_archive_send_start_recording(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_channel_request_t *start = request;
    if (start->with_auto_stop)
    {
        return abr_archive_proxy_start_recording_auto_stop(
            &archive->proxy, archive->control_session_id, correlation_id, start->channel, start->stream_id,
            start->source_location, start->auto_stop);
    }
    return abr_archive_proxy_start_recording(
        &archive->proxy, archive->control_session_id, correlation_id, start->channel, start->stream_id,
        start->source_location);
}

int abr_archive_start_recording(
    int64_t *subscription_id,
    abr_archive_t *archive,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop)
{
    if (abr_archive_check_out(subscription_id, "start recording") < 0 ||
        abr_archive_check_channel(channel, "start recording") < 0)
    {
        return -1;
    }
    if (ABR_ARCHIVE_SOURCE_LOCATION_LOCAL != source_location && ABR_ARCHIVE_SOURCE_LOCATION_REMOTE != source_location)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "start recording: unknown source location %d, channel=%s streamId=%" PRId32,
            (int)source_location, channel, stream_id);
    }
    /* AeronArchive sends the older request unless auto stop is asked for; so do we, for the same bytes on the wire. */
    abr_archive_channel_request_t request = {
        .channel = channel, .stream_id = stream_id, .source_location = source_location,
        .auto_stop = auto_stop, .with_auto_stop = auto_stop };
    return abr_archive_call(archive, "start recording", abr_archive_send_start_recording, &request, subscription_id);
}

static int abr_archive_send_stop_recording(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_channel_request_t *stop = request;
    return abr_archive_proxy_stop_recording(
        &archive->proxy, archive->control_session_id, correlation_id, stop->channel, stop->stream_id);
}

int abr_archive_stop_recording_channel_and_stream(abr_archive_t *archive, const char *channel, int32_t stream_id)
{
    if (abr_archive_check_channel(channel, "stop recording") < 0)
    {
        return -1;
    }
    abr_archive_channel_request_t request = { .channel = channel, .stream_id = stream_id };
    return abr_archive_call(archive, "stop recording", abr_archive_send_stop_recording, &request, NULL);
}

static int abr_archive_send_stop_recording_subscription(
    abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_recording_subscription(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_stop_recording_subscription(abr_archive_t *archive, int64_t subscription_id)
{
    return abr_archive_call(
        archive, "stop recording", abr_archive_send_stop_recording_subscription, &subscription_id, NULL);
}

static int abr_archive_send_recording_position(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_recording_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_get_recording_position(int64_t *position, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(position, "get recording position") < 0)
    {
        return -1;
    }
    return abr_archive_call(
        archive, "get recording position", abr_archive_send_recording_position, &recording_id, position);
}

static int abr_archive_send_stop_position(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_get_stop_position(int64_t *position, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(position, "get stop position") < 0)
    {
        return -1;
    }
    return abr_archive_call(archive, "get stop position", abr_archive_send_stop_position, &recording_id, position);
}
