/*
 * Replication between archives: replicate (answered by one control response carrying the replication id),
 * stopReplication, and tryStopReplication, for which an UNKNOWN_REPLICATION answer means "nothing to stop".
 */
#include <inttypes.h>

#include "archive_client.h"
#include "archive_replication_proxy.h"
#include "core/error.h"

int abr_archive_replication_params_init(abr_archive_replication_params_t *params)
{
    if (NULL == params)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "replication params init: params must not be null");
    }
    *params = (abr_archive_replication_params_t){
        .stop_position = ABR_ARCHIVE_NULL_POSITION,
        .dst_recording_id = ABR_ARCHIVE_NULL_VALUE,
        .live_destination = NULL,
        .replication_channel = NULL,
        .channel_tag_id = ABR_ARCHIVE_NULL_VALUE,
        .subscription_tag_id = ABR_ARCHIVE_NULL_VALUE,
        .file_io_max_length = (int32_t)ABR_ARCHIVE_NULL_VALUE,
        .replication_session_id = (int32_t)ABR_ARCHIVE_NULL_VALUE,
        .encoded_credentials = NULL,
        .encoded_credentials_length = 0,
        .src_response_channel = NULL };
    return 0;
}

typedef struct abr_archive_replicate_request_stct
{
    int64_t src_recording_id;
    int32_t src_control_stream_id;
    const char *src_control_channel;
    const abr_archive_replication_params_t *params;
}
abr_archive_replicate_request_t;

static int abr_archive_send_replicate(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_replicate_request_t *replicate = request;
    return abr_archive_proxy_replicate(
        &archive->proxy,
        archive->control_session_id,
        correlation_id,
        replicate->src_recording_id,
        replicate->src_control_stream_id,
        replicate->src_control_channel,
        replicate->params);
}

int abr_archive_replicate(
    int64_t *replication_id,
    abr_archive_t *archive,
    int64_t src_recording_id,
    int32_t src_control_stream_id,
    const char *src_control_channel,
    const abr_archive_replication_params_t *params)
{
    if (NULL == replication_id || NULL == src_control_channel)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "replicate: %s must not be null, srcRecordingId=%" PRId64
            " srcControlStreamId=%" PRId32, NULL == replication_id ? "replication_id" : "src_control_channel",
            src_recording_id, src_control_stream_id);
    }
    abr_archive_replication_params_t defaults;
    if (NULL == params)
    {
        abr_archive_replication_params_init(&defaults);
        params = &defaults;
    }
    /* The archive cannot both merge into a live destination and replay under a chosen session id. */
    if (NULL != params->live_destination && ABR_ARCHIVE_NULL_VALUE != params->replication_session_id)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "replicate: live destination and replication session id can not be given "
            "together, srcRecordingId=%" PRId64 " srcControlChannel=%s srcControlStreamId=%" PRId32,
            src_recording_id, src_control_channel, src_control_stream_id);
    }
    if (NULL == params->encoded_credentials && 0 != params->encoded_credentials_length)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "replicate: encoded credentials are null but their length is %" PRIu32
            ", srcRecordingId=%" PRId64, params->encoded_credentials_length, src_recording_id);
    }
    abr_archive_replicate_request_t request = {
        .src_recording_id = src_recording_id, .src_control_stream_id = src_control_stream_id,
        .src_control_channel = src_control_channel, .params = params };
    return abr_archive_call(archive, "replicate", abr_archive_send_replicate, &request, replication_id);
}

static int abr_archive_send_stop_replication(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_replication(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_stop_replication(abr_archive_t *archive, int64_t replication_id)
{
    return abr_archive_call(
        archive, "stop replication", abr_archive_send_stop_replication, &replication_id, NULL);
}

int abr_archive_try_stop_replication(bool *stopped, abr_archive_t *archive, int64_t replication_id)
{
    if (NULL == stopped)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "try stop replication: stopped must not be null, replicationId=%" PRId64,
            replication_id);
    }
    *stopped = false;
    if (abr_archive_enter(archive, "try stop replication") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int64_t ignored;
    bool unknown = false;
    int result;
    if (correlation_id < 0 || abr_archive_send_stop_replication(archive, correlation_id, &replication_id) < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_response_allowing(
            archive, correlation_id, ABR_ERROR_ARCHIVE_UNKNOWN_REPLICATION - ABR_ERROR_ARCHIVE_BASE, &ignored, &unknown);
    }
    *stopped = 0 == result && !unknown;
    abr_archive_exit(archive);
    return result;
}
