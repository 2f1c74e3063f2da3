/*
 * Encoders for replication requests. Absent strings go on the wire as empty var-data, which the archive reads as
 * "not given", as it does for AeronArchive's null strings.
 */
#include <string.h>

#include "abr_codecs/messageHeader.h"
#include "abr_codecs/replicateRequest2.h"
#include "abr_codecs/stopReplicationRequest.h"

#include "archive_replication_proxy.h"

static const char *abr_archive_proxy_or_empty(const char *value)
{
    return NULL == value ? "" : value;
}

int abr_archive_proxy_replicate(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t src_recording_id,
    int32_t src_control_stream_id,
    const char *src_control_channel,
    const abr_archive_replication_params_t *params)
{
    const char *live_destination = abr_archive_proxy_or_empty(params->live_destination);
    const char *replication_channel = abr_archive_proxy_or_empty(params->replication_channel);
    const char *src_response_channel = abr_archive_proxy_or_empty(params->src_response_channel);
    /* The codec copies from the pointer even for length 0, so it must point somewhere valid. */
    static const uint8_t no_credentials[1] = { 0 };
    const uint8_t *credentials = NULL == params->encoded_credentials ? no_credentials : params->encoded_credentials;
    const uint32_t credentials_length = NULL == params->encoded_credentials ? 0 : params->encoded_credentials_length;

    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_replicateRequest2 request;
    /* Var-data fields must be put in schema order: each one starts where the previous ended. */
    if (NULL == abr_codecs_replicateRequest2_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_replicateRequest2_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_replicateRequest2_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_replicateRequest2_set_srcRecordingId(&request, src_recording_id) ||
        NULL == abr_codecs_replicateRequest2_set_dstRecordingId(&request, params->dst_recording_id) ||
        NULL == abr_codecs_replicateRequest2_set_stopPosition(&request, params->stop_position) ||
        NULL == abr_codecs_replicateRequest2_set_channelTagId(&request, params->channel_tag_id) ||
        NULL == abr_codecs_replicateRequest2_set_subscriptionTagId(&request, params->subscription_tag_id) ||
        NULL == abr_codecs_replicateRequest2_set_srcControlStreamId(&request, src_control_stream_id) ||
        NULL == abr_codecs_replicateRequest2_set_fileIoMaxLength(&request, params->file_io_max_length) ||
        NULL == abr_codecs_replicateRequest2_set_replicationSessionId(&request, params->replication_session_id) ||
        NULL == abr_codecs_replicateRequest2_put_srcControlChannel(
            &request, src_control_channel, (uint32_t)strlen(src_control_channel)) ||
        NULL == abr_codecs_replicateRequest2_put_liveDestination(
            &request, live_destination, (uint32_t)strlen(live_destination)) ||
        NULL == abr_codecs_replicateRequest2_put_replicationChannel(
            &request, replication_channel, (uint32_t)strlen(replication_channel)) ||
        NULL == abr_codecs_replicateRequest2_put_encodedCredentials(
            &request, (const char *)credentials, credentials_length) ||
        NULL == abr_codecs_replicateRequest2_put_srcResponseChannel(
            &request, src_response_channel, (uint32_t)strlen(src_response_channel)))
    {
        return abr_archive_proxy_encoding_failed("replicate");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_replicateRequest2_encoded_length(&request)), "replicate");
}

int abr_archive_proxy_stop_replication(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t replication_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopReplicationRequest request;
    if (NULL == abr_codecs_stopReplicationRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopReplicationRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopReplicationRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopReplicationRequest_set_replicationId(&request, replication_id))
    {
        return abr_archive_proxy_encoding_failed("stop replication");
    }
    return abr_archive_proxy_offer(proxy,
        abr_archive_proxy_length(abr_codecs_stopReplicationRequest_encoded_length(&request)), "stop replication");
}
