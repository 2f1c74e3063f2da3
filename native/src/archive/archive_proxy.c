#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "abr_codecs/messageHeader.h"
#include "abr_codecs/archiveIdRequest.h"
#include "abr_codecs/authConnectRequest.h"
#include "abr_codecs/challengeResponse.h"
#include "abr_codecs/closeSessionRequest.h"
#include "abr_codecs/keepAliveRequest.h"
#include "abr_codecs/listRecordingRequest.h"
#include "abr_codecs/listRecordingsRequest.h"
#include "abr_codecs/recordingPositionRequest.h"
#include "abr_codecs/startRecordingRequest.h"
#include "abr_codecs/startRecordingRequest2.h"
#include "abr_codecs/stopPositionRequest.h"
#include "abr_codecs/stopRecordingRequest.h"
#include "abr_codecs/stopRecordingSubscriptionRequest.h"

#include "archive_debug_log.h"
#include "archive_proxy.h"
#include "core/error.h"

/* Large enough for any fixed-size request; channels grow it up to the publication's maximum message. */
#define ABR_ARCHIVE_PROXY_MIN_BUFFER_LENGTH 4096

int abr_archive_proxy_init(abr_archive_proxy_t *proxy, abr_exclusive_publication_t *publication, int32_t retry_attempts)
{
    size_t length = abr_exclusive_publication_max_message_length(publication);
    if (length < ABR_ARCHIVE_PROXY_MIN_BUFFER_LENGTH)
    {
        length = ABR_ARCHIVE_PROXY_MIN_BUFFER_LENGTH;
    }
    proxy->buffer = calloc(1, length);
    if (NULL == proxy->buffer)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory allocating archive request buffer");
    }
    proxy->buffer_length = length;
    proxy->publication = publication;
    proxy->retry_attempts = retry_attempts;
    return 0;
}

void abr_archive_proxy_close(abr_archive_proxy_t *proxy)
{
    free(proxy->buffer);
    proxy->buffer = NULL;
    proxy->publication = NULL;
}

static int abr_archive_proxy_offer_error(abr_archive_proxy_t *proxy, int64_t result, const char *request)
{
    if (ABR_PUBLICATION_CLOSED == result)
    {
        return abr_error_set(
            ABR_ERROR_ARCHIVE_NOT_CONNECTED, "%s: connection to the archive has been closed", request);
    }
    if (ABR_PUBLICATION_NOT_CONNECTED == result)
    {
        return abr_error_set(
            ABR_ERROR_ARCHIVE_NOT_CONNECTED, "%s: connection to the archive is no longer available", request);
    }
    if (ABR_PUBLICATION_MAX_POSITION_EXCEEDED == result)
    {
        return abr_error_set(
            ABR_ERROR_ARCHIVE_GENERIC, "%s: offer failed due to max position being reached", request);
    }
    return abr_error_prefix("%s: ", request);
}

int abr_archive_proxy_offer(abr_archive_proxy_t *proxy, uint64_t length, const char *request)
{
    abr_archive_debug_log_request(proxy->debug_log, request, proxy->buffer, length);
    for (int32_t attempt = 0; attempt < proxy->retry_attempts; attempt++)
    {
        int64_t result = abr_exclusive_publication_offer(proxy->publication, (const uint8_t *)proxy->buffer, length);
        if (result > 0)
        {
            return 0;
        }
        if (ABR_PUBLICATION_BACK_PRESSURED != result && ABR_PUBLICATION_ADMIN_ACTION != result)
        {
            return abr_archive_proxy_offer_error(proxy, result, request);
        }
        sched_yield();
    }
    return abr_error_set(ABR_ERROR_ARCHIVE_GENERIC, "failed to send %s request", request);
}

int abr_archive_proxy_encoding_failed(const char *request)
{
    return abr_error_set(
        ABR_ERROR_INVALID_ARGUMENT, "%s request does not fit the control publication's maximum message length", request);
}

uint64_t abr_archive_proxy_length(uint64_t body_length)
{
    return abr_codecs_messageHeader_encoded_length() + body_length;
}

/* A single offer for the connect handshake: AeronArchive makes one attempt per poll and tries again on the next. */
static int abr_archive_proxy_try_offer(abr_archive_proxy_t *proxy, uint64_t length, const char *request)
{
    int64_t result = abr_exclusive_publication_offer(proxy->publication, (const uint8_t *)proxy->buffer, length);
    if (result > 0)
    {
        abr_archive_debug_log_request(proxy->debug_log, request, proxy->buffer, length);
        return 1;
    }
    if (ABR_PUBLICATION_CLOSED == result || ABR_PUBLICATION_MAX_POSITION_EXCEEDED == result ||
        ABR_PUBLICATION_ERROR == result)
    {
        return abr_archive_proxy_offer_error(proxy, result, request);
    }
    return 0;
}

int abr_archive_proxy_try_connect(
    abr_archive_proxy_t *proxy,
    const char *response_channel,
    int32_t response_stream_id,
    int64_t correlation_id,
    int32_t version,
    const abr_archive_credentials_t *credentials,
    const char *client_info)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_authConnectRequest request;
    const char *encoded = NULL == credentials || NULL == credentials->data ? "" : (const char *)credentials->data;
    const uint32_t encoded_length = NULL == credentials ? 0 : credentials->length;

    if (NULL == abr_codecs_authConnectRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_authConnectRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_authConnectRequest_set_responseStreamId(&request, response_stream_id) ||
        NULL == abr_codecs_authConnectRequest_set_version(&request, version) ||
        NULL == abr_codecs_authConnectRequest_put_responseChannel(
            &request, response_channel, (uint32_t)strlen(response_channel)) ||
        NULL == abr_codecs_authConnectRequest_put_encodedCredentials(&request, encoded, encoded_length) ||
        NULL == abr_codecs_authConnectRequest_put_clientInfo(&request, client_info, (uint32_t)strlen(client_info)))
    {
        return abr_archive_proxy_encoding_failed("connect");
    }

    return abr_archive_proxy_try_offer(
        proxy, abr_archive_proxy_length(abr_codecs_authConnectRequest_encoded_length(&request)), "connect");
}

int abr_archive_proxy_try_challenge_response(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    const abr_archive_credentials_t *credentials)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_challengeResponse request;
    const char *encoded = NULL == credentials->data ? "" : (const char *)credentials->data;

    if (NULL == abr_codecs_challengeResponse_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_challengeResponse_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_challengeResponse_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_challengeResponse_put_encodedCredentials(&request, encoded, credentials->length))
    {
        return abr_archive_proxy_encoding_failed("challenge response");
    }

    return abr_archive_proxy_try_offer(
        proxy, abr_archive_proxy_length(abr_codecs_challengeResponse_encoded_length(&request)), "challenge response");
}

int abr_archive_proxy_close_session(abr_archive_proxy_t *proxy, int64_t control_session_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_closeSessionRequest request;
    if (NULL == abr_codecs_closeSessionRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_closeSessionRequest_set_controlSessionId(&request, control_session_id))
    {
        return abr_archive_proxy_encoding_failed("close session");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_closeSessionRequest_encoded_length(&request)), "close session");
}

int abr_archive_proxy_keep_alive(abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_keepAliveRequest request;
    if (NULL == abr_codecs_keepAliveRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_keepAliveRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_keepAliveRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("keep alive");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_keepAliveRequest_encoded_length(&request)), "keep alive");
}

int abr_archive_proxy_archive_id(abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_archiveIdRequest request;
    if (NULL == abr_codecs_archiveIdRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_archiveIdRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_archiveIdRequest_set_correlationId(&request, correlation_id))
    {
        return abr_archive_proxy_encoding_failed("archive id");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_archiveIdRequest_encoded_length(&request)), "archive id");
}

int abr_archive_proxy_source_location(abr_archive_source_location_t location)
{
    return ABR_ARCHIVE_SOURCE_LOCATION_REMOTE == location ?
        abr_codecs_sourceLocation_REMOTE : abr_codecs_sourceLocation_LOCAL;
}

int abr_archive_proxy_start_recording(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_startRecordingRequest request;
    if (NULL == abr_codecs_startRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_startRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_startRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_startRecordingRequest_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_startRecordingRequest_set_sourceLocation(
            &request, abr_archive_proxy_source_location(source_location)) ||
        NULL == abr_codecs_startRecordingRequest_put_channel(&request, channel, (uint32_t)strlen(channel)))
    {
        return abr_archive_proxy_encoding_failed("start recording");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_startRecordingRequest_encoded_length(&request)), "start recording");
}

int abr_archive_proxy_start_recording_auto_stop(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_startRecordingRequest2 request;
    if (NULL == abr_codecs_startRecordingRequest2_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_startRecordingRequest2_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_startRecordingRequest2_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_startRecordingRequest2_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_startRecordingRequest2_set_sourceLocation(
            &request, abr_archive_proxy_source_location(source_location)) ||
        NULL == abr_codecs_startRecordingRequest2_set_autoStop(
            &request, auto_stop ? abr_codecs_booleanType_TRUE : abr_codecs_booleanType_FALSE) ||
        NULL == abr_codecs_startRecordingRequest2_put_channel(&request, channel, (uint32_t)strlen(channel)))
    {
        return abr_archive_proxy_encoding_failed("start recording");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_startRecordingRequest2_encoded_length(&request)), "start recording");
}

int abr_archive_proxy_stop_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, const char *channel, int32_t stream_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopRecordingRequest request;
    if (NULL == abr_codecs_stopRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopRecordingRequest_set_streamId(&request, stream_id) ||
        NULL == abr_codecs_stopRecordingRequest_put_channel(&request, channel, (uint32_t)strlen(channel)))
    {
        return abr_archive_proxy_encoding_failed("stop recording");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_stopRecordingRequest_encoded_length(&request)), "stop recording");
}

int abr_archive_proxy_stop_recording_subscription(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t subscription_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopRecordingSubscriptionRequest request;
    if (NULL == abr_codecs_stopRecordingSubscriptionRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopRecordingSubscriptionRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopRecordingSubscriptionRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopRecordingSubscriptionRequest_set_subscriptionId(&request, subscription_id))
    {
        return abr_archive_proxy_encoding_failed("stop recording");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_stopRecordingSubscriptionRequest_encoded_length(&request)),
        "stop recording");
}

int abr_archive_proxy_list_recordings(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t from_recording_id,
    int32_t record_count)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_listRecordingsRequest request;
    if (NULL == abr_codecs_listRecordingsRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_listRecordingsRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_listRecordingsRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_listRecordingsRequest_set_fromRecordingId(&request, from_recording_id) ||
        NULL == abr_codecs_listRecordingsRequest_set_recordCount(&request, record_count))
    {
        return abr_archive_proxy_encoding_failed("list recordings");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_listRecordingsRequest_encoded_length(&request)), "list recordings");
}

int abr_archive_proxy_list_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_listRecordingRequest request;
    if (NULL == abr_codecs_listRecordingRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_listRecordingRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_listRecordingRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_listRecordingRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("list recording");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_listRecordingRequest_encoded_length(&request)), "list recording");
}

int abr_archive_proxy_recording_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_recordingPositionRequest request;
    if (NULL == abr_codecs_recordingPositionRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_recordingPositionRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_recordingPositionRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_recordingPositionRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("get recording position");
    }
    return abr_archive_proxy_offer(
        proxy,
        abr_archive_proxy_length(abr_codecs_recordingPositionRequest_encoded_length(&request)),
        "get recording position");
}

int abr_archive_proxy_stop_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id)
{
    struct abr_codecs_messageHeader header = { 0 };
    struct abr_codecs_stopPositionRequest request;
    if (NULL == abr_codecs_stopPositionRequest_wrap_and_apply_header(
            &request, proxy->buffer, 0, proxy->buffer_length, &header) ||
        NULL == abr_codecs_stopPositionRequest_set_controlSessionId(&request, control_session_id) ||
        NULL == abr_codecs_stopPositionRequest_set_correlationId(&request, correlation_id) ||
        NULL == abr_codecs_stopPositionRequest_set_recordingId(&request, recording_id))
    {
        return abr_archive_proxy_encoding_failed("get stop position");
    }
    return abr_archive_proxy_offer(
        proxy, abr_archive_proxy_length(abr_codecs_stopPositionRequest_encoded_length(&request)), "get stop position");
}
