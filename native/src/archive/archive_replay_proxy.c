/*
 * Encoders for replay and recording maintenance requests. Same contract as archive_proxy.c: 0 sent, -1 failed.
 */
#include <string.h>

#include "abr_codecs/messageHeader.h"
#include "abr_codecs/boundedReplayRequest.h"
#include "abr_codecs/purgeRecordingRequest.h"
#include "abr_codecs/replayRequest.h"
#include "abr_codecs/replayTokenRequest.h"
#include "abr_codecs/stopAllReplaysRequest.h"
#include "abr_codecs/stopReplayRequest.h"
#include "abr_codecs/truncateRecordingRequest.h"

#include "archive_proxy.h"

int abr_archive_proxy_replay(abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id,
    const abr_archive_replay_request_t *replay)
{
    struct abr_codecs_messageHeader header = { 0 };
    /* As ReplayParams.isBounded: any limit counter id but the null value asks for a bounded replay. */
    if (-1 != replay->limit_counter_id)
    {
        struct abr_codecs_boundedReplayRequest request;
        if (NULL == abr_codecs_boundedReplayRequest_wrap_and_apply_header(
                &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
            NULL == abr_codecs_boundedReplayRequest_set_controlSessionId(&request, control_session_id) ||
            NULL == abr_codecs_boundedReplayRequest_set_correlationId(&request, correlation_id) ||
            NULL == abr_codecs_boundedReplayRequest_set_recordingId(&request, replay->recording_id) ||
            NULL == abr_codecs_boundedReplayRequest_set_position(&request, replay->position) ||
            NULL == abr_codecs_boundedReplayRequest_set_length(&request, replay->length) ||
            NULL == abr_codecs_boundedReplayRequest_set_limitCounterId(&request, replay->limit_counter_id) ||
            NULL == abr_codecs_boundedReplayRequest_set_replayStreamId(&request, replay->stream_id) ||
            NULL == abr_codecs_boundedReplayRequest_set_fileIoMaxLength(&request, replay->file_io_max_length) ||
            NULL == abr_codecs_boundedReplayRequest_set_replayToken(&request, replay->replay_token) ||
            NULL == abr_codecs_boundedReplayRequest_put_replayChannel(
                &request, replay->channel, (uint32_t)strlen(replay->channel)))
        {
            return abr_archive_proxy_encoding_failed("bounded replay");
        }
        return abr_archive_proxy_offer(
            proxy, abr_archive_proxy_length(abr_codecs_boundedReplayRequest_encoded_length(&request)), "bounded replay");
    }

    struct abr_codecs_replayRequest request;
    if (NULL == abr_codecs_replayRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_replayRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_replayRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_replayRequest_set_recordingId(&request, replay->recording_id) ||
        NULL == abr_codecs_replayRequest_set_position(&request, replay->position) ||
        NULL == abr_codecs_replayRequest_set_length(&request, replay->length) ||
        NULL == abr_codecs_replayRequest_set_replayStreamId(&request, replay->stream_id) ||
        NULL == abr_codecs_replayRequest_set_fileIoMaxLength(&request, replay->file_io_max_length) ||
        NULL == abr_codecs_replayRequest_set_replayToken(&request, replay->replay_token) ||
        NULL == abr_codecs_replayRequest_put_replayChannel(&request, replay->channel, (uint32_t)strlen(replay->channel)))
    {
        return abr_archive_proxy_encoding_failed("replay");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_replayRequest_encoded_length(&request)), "replay");
}

int abr_archive_proxy_stop_replay(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t replay_session_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopReplayRequest request;
    if (NULL == abr_codecs_stopReplayRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopReplayRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopReplayRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopReplayRequest_set_replaySessionId(&request, replay_session_id))
    {
        return abr_archive_proxy_encoding_failed("stop replay");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_stopReplayRequest_encoded_length(&request)), "stop replay");
}

int abr_archive_proxy_stop_all_replays(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopAllReplaysRequest request;
    if (NULL == abr_codecs_stopAllReplaysRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopAllReplaysRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopAllReplaysRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopAllReplaysRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("stop all replays");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_stopAllReplaysRequest_encoded_length(&request)), "stop all replays");
}

int abr_archive_proxy_truncate_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id,
    int64_t position)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_truncateRecordingRequest request;
    if (NULL == abr_codecs_truncateRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_truncateRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_truncateRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_truncateRecordingRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_truncateRecordingRequest_set_position(&request, position))
    {
        return abr_archive_proxy_encoding_failed("truncate recording");
    }
    return abr_archive_proxy_offer(proxy,
        abr_archive_proxy_length(abr_codecs_truncateRecordingRequest_encoded_length(&request)), "truncate recording");
}

int abr_archive_proxy_purge_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_purgeRecordingRequest request;
    if (NULL == abr_codecs_purgeRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_purgeRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_purgeRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_purgeRecordingRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("purge recording");
    }
    return abr_archive_proxy_offer(proxy,
        abr_archive_proxy_length(abr_codecs_purgeRecordingRequest_encoded_length(&request)), "purge recording");
}

int abr_archive_proxy_replay_token(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_replayTokenRequest request;
    if (NULL == abr_codecs_replayTokenRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_replayTokenRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_replayTokenRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_replayTokenRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("replay token");
    }
    return abr_archive_proxy_offer(proxy,
        abr_archive_proxy_length(abr_codecs_replayTokenRequest_encoded_length(&request)), "replay token");
}
