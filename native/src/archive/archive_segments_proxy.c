/*
 * Encoders for the segment file requests (detach, delete detached, purge, attach, migrate) and update channel. Same
 * contract as archive_proxy.c: 0 sent, -1 failed.
 */
#include <string.h>

#include "abr_codecs/messageHeader.h"
#include "abr_codecs/detachSegmentsRequest.h"
#include "abr_codecs/deleteDetachedSegmentsRequest.h"
#include "abr_codecs/purgeSegmentsRequest.h"
#include "abr_codecs/attachSegmentsRequest.h"
#include "abr_codecs/migrateSegmentsRequest.h"
#include "abr_codecs/updateChannelRequest.h"

#include "archive_proxy.h"

int abr_archive_proxy_detach_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id, int64_t new_start_position)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_detachSegmentsRequest request;
    if (NULL == abr_codecs_detachSegmentsRequest_wrap_and_apply_header(&request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_detachSegmentsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_detachSegmentsRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_detachSegmentsRequest_set_newStartPosition(&request, new_start_position) ||
        NULL == abr_codecs_detachSegmentsRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("detach segments");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_detachSegmentsRequest_encoded_length(&request)), "detach segments");
}

int abr_archive_proxy_delete_detached_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_deleteDetachedSegmentsRequest request;
    if (NULL == abr_codecs_deleteDetachedSegmentsRequest_wrap_and_apply_header(&request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_deleteDetachedSegmentsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_deleteDetachedSegmentsRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_deleteDetachedSegmentsRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("delete detached segments");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_deleteDetachedSegmentsRequest_encoded_length(&request)), "delete detached segments");
}

int abr_archive_proxy_purge_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id, int64_t new_start_position)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_purgeSegmentsRequest request;
    if (NULL == abr_codecs_purgeSegmentsRequest_wrap_and_apply_header(&request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_purgeSegmentsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_purgeSegmentsRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_purgeSegmentsRequest_set_newStartPosition(&request, new_start_position) ||
        NULL == abr_codecs_purgeSegmentsRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("purge segments");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_purgeSegmentsRequest_encoded_length(&request)), "purge segments");
}

int abr_archive_proxy_attach_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_attachSegmentsRequest request;
    if (NULL == abr_codecs_attachSegmentsRequest_wrap_and_apply_header(&request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_attachSegmentsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_attachSegmentsRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_attachSegmentsRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("attach segments");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_attachSegmentsRequest_encoded_length(&request)), "attach segments");
}

int abr_archive_proxy_migrate_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t src_recording_id, int64_t dst_recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_migrateSegmentsRequest request;
    if (NULL == abr_codecs_migrateSegmentsRequest_wrap_and_apply_header(&request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_migrateSegmentsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_migrateSegmentsRequest_set_srcRecordingId(&request, src_recording_id) ||
        NULL == abr_codecs_migrateSegmentsRequest_set_dstRecordingId(&request, dst_recording_id) ||
        NULL == abr_codecs_migrateSegmentsRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("migrate segments");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_migrateSegmentsRequest_encoded_length(&request)), "migrate segments");
}

int abr_archive_proxy_update_channel(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id,
    const char *channel)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_updateChannelRequest request;
    if (NULL == abr_codecs_updateChannelRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_updateChannelRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_updateChannelRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_updateChannelRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_updateChannelRequest_put_channel(&request, channel, (uint32_t)strlen(channel)))
    {
        return abr_archive_proxy_encoding_failed("update channel");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_updateChannelRequest_encoded_length(&request)), "update channel");
}
