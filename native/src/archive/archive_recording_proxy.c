/*
 * Encoders for the requests that manage and query recordings beyond start and stop: extend, stop by identity,
 * positions, matching and the URI and subscription listings. Same contract as archive_proxy.c: 0 sent, -1 failed.
 */
#include <string.h>

#include "abr_codecs/messageHeader.h"
#include "abr_codecs/extendRecordingRequest.h"
#include "abr_codecs/extendRecordingRequest2.h"
#include "abr_codecs/findLastMatchingRecordingRequest.h"
#include "abr_codecs/listRecordingSubscriptionsRequest.h"
#include "abr_codecs/listRecordingsForUriRequest.h"
#include "abr_codecs/maxRecordedPositionRequest.h"
#include "abr_codecs/startPositionRequest.h"
#include "abr_codecs/stopRecordingByIdentityRequest.h"

#include "archive_proxy.h"

static int abr_archive_proxy_extend_recording_auto_stop(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t recording_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_extendRecordingRequest2 request;
    if (NULL == abr_codecs_extendRecordingRequest2_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_extendRecordingRequest2_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_extendRecordingRequest2_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_extendRecordingRequest2_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_extendRecordingRequest2_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_extendRecordingRequest2_set_sourceLocation(
            &request, abr_archive_proxy_source_location(source_location)) ||
        NULL == abr_codecs_extendRecordingRequest2_set_autoStop(
            &request, auto_stop ? abr_codecs_booleanType_TRUE : abr_codecs_booleanType_FALSE) ||
        NULL == abr_codecs_extendRecordingRequest2_put_channel(&request, channel, (uint32_t)strlen(channel)))
    {
        return abr_archive_proxy_encoding_failed("extend recording");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_extendRecordingRequest2_encoded_length(&request)),
        "extend recording");
}

int abr_archive_proxy_extend_recording(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t recording_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool with_auto_stop,
    bool auto_stop)
{
    if (with_auto_stop)
    {
        return abr_archive_proxy_extend_recording_auto_stop(
            proxy, control_session_id, correlation_id, recording_id, channel, stream_id, source_location, auto_stop);
    }

    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_extendRecordingRequest request;
    if (NULL == abr_codecs_extendRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_extendRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_extendRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_extendRecordingRequest_set_recordingId(&request, recording_id) ||
        NULL == abr_codecs_extendRecordingRequest_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_extendRecordingRequest_set_sourceLocation(
            &request, abr_archive_proxy_source_location(source_location)) ||
        NULL == abr_codecs_extendRecordingRequest_put_channel(&request, channel, (uint32_t)strlen(channel)))
    {
        return abr_archive_proxy_encoding_failed("extend recording");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_extendRecordingRequest_encoded_length(&request)),
        "extend recording");
}

int abr_archive_proxy_stop_recording_by_identity(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopRecordingByIdentityRequest request;
    if (NULL == abr_codecs_stopRecordingByIdentityRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopRecordingByIdentityRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopRecordingByIdentityRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopRecordingByIdentityRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("stop recording by identity");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_stopRecordingByIdentityRequest_encoded_length(&request)),
        "stop recording by identity");
}

int abr_archive_proxy_start_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_startPositionRequest request;
    if (NULL == abr_codecs_startPositionRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_startPositionRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_startPositionRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_startPositionRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("get start position");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_startPositionRequest_encoded_length(&request)), "get start position");
}

int abr_archive_proxy_max_recorded_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_maxRecordedPositionRequest request;
    if (NULL == abr_codecs_maxRecordedPositionRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_maxRecordedPositionRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_maxRecordedPositionRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_maxRecordedPositionRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("get max recorded position");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_maxRecordedPositionRequest_encoded_length(&request)),
        "get max recorded position");
}

int abr_archive_proxy_find_last_matching_recording(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t min_recording_id,
    const char *channel_fragment,
    int32_t stream_id,
    int32_t session_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_findLastMatchingRecordingRequest request;
    if (NULL == abr_codecs_findLastMatchingRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_findLastMatchingRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_findLastMatchingRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_findLastMatchingRecordingRequest_set_minRecordingId(&request, min_recording_id) ||
        NULL == abr_codecs_findLastMatchingRecordingRequest_set_sessionId(&request, session_id) ||
        NULL == abr_codecs_findLastMatchingRecordingRequest_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_findLastMatchingRecordingRequest_put_channel(
            &request, channel_fragment, (uint32_t)strlen(channel_fragment)))
    {
        return abr_archive_proxy_encoding_failed("find last matching recording");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_findLastMatchingRecordingRequest_encoded_length(&request)),
        "find last matching recording");
}

int abr_archive_proxy_list_recordings_for_uri(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t from_recording_id,
    int32_t record_count,
    const char *channel_fragment,
    int32_t stream_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_listRecordingsForUriRequest request;
    if (NULL == abr_codecs_listRecordingsForUriRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_listRecordingsForUriRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_listRecordingsForUriRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_listRecordingsForUriRequest_set_fromRecordingId(&request, from_recording_id) ||
        NULL == abr_codecs_listRecordingsForUriRequest_set_recordCount(&request, record_count) ||
        NULL == abr_codecs_listRecordingsForUriRequest_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_listRecordingsForUriRequest_put_channel(
            &request, channel_fragment, (uint32_t)strlen(channel_fragment)))
    {
        return abr_archive_proxy_encoding_failed("list recordings for uri");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_listRecordingsForUriRequest_encoded_length(&request)),
        "list recordings for uri");
}

int abr_archive_proxy_list_recording_subscriptions(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int32_t pseudo_index,
    int32_t subscription_count,
    const char *channel_fragment,
    int32_t stream_id,
    bool apply_stream_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_listRecordingSubscriptionsRequest request;
    if (NULL == abr_codecs_listRecordingSubscriptionsRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_set_pseudoIndex(&request, pseudo_index) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_set_subscriptionCount(&request, subscription_count) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_set_applyStreamId(
            &request, apply_stream_id ? abr_codecs_booleanType_TRUE : abr_codecs_booleanType_FALSE) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_listRecordingSubscriptionsRequest_put_channel(
            &request, channel_fragment, (uint32_t)strlen(channel_fragment)))
    {
        return abr_archive_proxy_encoding_failed("list recording subscriptions");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_listRecordingSubscriptionsRequest_encoded_length(&request)),
        "list recording subscriptions");
}
