/*
 * Replays to control-mode=response channels, as AeronArchive 1.51.0 does them: the client asks the archive for a
 * replay token naming its control session, opens a publication of its own to the archive's control channel tied to
 * the replay's subscription (response-correlation-id), and sends the replay request, with the token, over it. The
 * archive answers on the control session's usual response channel and publishes the replay back through the image
 * of that new connection, so the replay reaches the subscriber without it naming an endpoint the archive can reach.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_client.h"
#include "archive_replay_response.h"
#include "core/channel_uri.h"
#include "core/discarded_handles.h"
#include "core/error.h"

/* Channel parameter names, as io.aeron.CommonContext spells them. */
#define ABR_URI_RESPONSE_CORRELATION_ID_PARAM "response-correlation-id"
#define ABR_URI_TERM_ID_PARAM "term-id"
#define ABR_URI_INITIAL_TERM_ID_PARAM "init-term-id"
#define ABR_URI_TERM_OFFSET_PARAM "term-offset"
#define ABR_URI_SPIES_SIMULATE_CONNECTION_PARAM "ssc"

/* The term length AeronArchive gives the publication of replay(): small, it carries one request. */
#define ABR_REPLAY_REQUEST_TERM_LENGTH (64 * 1024)

bool abr_archive_is_response_channel(const char *channel)
{
    abr_channel_uri_t uri;
    if (NULL == channel || abr_channel_uri_parse(&uri, channel) < 0)
    {
        return false;
    }
    const char *control_mode = abr_channel_uri_get(&uri, ABR_URI_CONTROL_MODE_PARAM);
    const bool response = NULL != control_mode && 0 == strcmp(control_mode, ABR_URI_CONTROL_MODE_RESPONSE);
    abr_channel_uri_close(&uri);
    return response;
}

char *abr_archive_replay_request_channel(
    abr_archive_t *archive, int64_t subscription_registration_id, int32_t term_length)
{
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, archive->ctx->control_request_channel) < 0)
    {
        abr_error_prefix("control request channel: ");
        return NULL;
    }
    char correlation[24];
    char length[16];
    snprintf(correlation, sizeof(correlation), "%" PRId64, subscription_registration_id);
    snprintf(length, sizeof(length), "%" PRId32, term_length);
    char *channel = NULL;
    if (abr_channel_uri_remove(&uri, ABR_URI_SESSION_ID_PARAM) >= 0 &&
        abr_channel_uri_remove(&uri, ABR_URI_TERM_ID_PARAM) >= 0 &&
        abr_channel_uri_remove(&uri, ABR_URI_INITIAL_TERM_ID_PARAM) >= 0 &&
        abr_channel_uri_remove(&uri, ABR_URI_TERM_OFFSET_PARAM) >= 0 &&
        abr_channel_uri_put(&uri, ABR_URI_RESPONSE_CORRELATION_ID_PARAM, correlation) == 0 &&
        abr_channel_uri_put(&uri, ABR_URI_TERM_LENGTH_PARAM, length) == 0 &&
        abr_channel_uri_put(&uri, ABR_URI_SPIES_SIMULATE_CONNECTION_PARAM, "false") == 0)
    {
        channel = abr_channel_uri_to_string(&uri);
    }
    abr_channel_uri_close(&uri);
    return channel;
}

/* Wait, within the message timeout, until the archive has connected to the request publication and granted it room. */
static int abr_archive_await_request_publication(
    abr_archive_t *archive, abr_exclusive_publication_t *publication, int64_t correlation_id)
{
    const int64_t deadline_ns = abr_deadline_ns(abr_archive_nano_time(), archive->ctx->message_timeout_ns);
    int64_t idle_count = 0;
    while (!abr_exclusive_publication_is_connected(publication) ||
        abr_exclusive_publication_position_limit(publication) <= 0)
    {
        if (abr_deadline_passed(abr_archive_nano_time(), deadline_ns))
        {
            abr_error_set(ABR_ERROR_TIMEOUT,
                "timed out waiting to establish replay connection after messageTimeout=%" PRId64 "ns, channel=%s",
                archive->ctx->message_timeout_ns, abr_exclusive_publication_channel(publication));
            return abr_archive_error_context(archive, correlation_id);
        }
        if (abr_client_do_work(archive->client) < 0)
        {
            return abr_archive_error_context(archive, correlation_id);
        }
        abr_archive_idle(archive, &idle_count);
    }
    return 0;
}

/* Token, connection, request, response: under the client's lock; the request publication is closed on every path. */
static int abr_archive_request_replay_over_response_channel(
    abr_archive_t *archive,
    int64_t correlation_id,
    int64_t subscription_registration_id,
    int32_t term_length,
    abr_archive_replay_request_t *request)
{
    int64_t replay_token;
    if (abr_archive_proxy_replay_token(
            &archive->proxy, archive->control_session_id, correlation_id, request->recording_id) < 0)
    {
        return abr_archive_error_context(archive, correlation_id);
    }
    if (abr_archive_poll_for_response(archive, correlation_id, &replay_token) < 0)
    {
        return -1;
    }
    request->replay_token = replay_token;

    char *channel = abr_archive_replay_request_channel(archive, subscription_registration_id, term_length);
    if (NULL == channel)
    {
        return abr_archive_error_context(archive, correlation_id);
    }
    abr_exclusive_publication_t *publication = NULL;
    int result = abr_client_add_exclusive_publication(
        &publication, archive->client, channel, archive->ctx->control_request_stream_id);
    free(channel);
    if (result < 0)
    {
        return abr_archive_error_context(archive, correlation_id);
    }

    abr_archive_proxy_t proxy = { 0 };
    result = abr_archive_await_request_publication(archive, publication, correlation_id);
    if (0 == result)
    {
        result = abr_archive_proxy_init(&proxy, publication, archive->ctx->message_retry_attempts);
        proxy.debug_log = archive->proxy.debug_log;
        if (0 == result)
        {
            result = abr_archive_proxy_replay(&proxy, archive->control_session_id, correlation_id, request);
        }
        /* The archive answers with the replay session id, which the replay's image carries as well. */
        int64_t replay_session_id;
        result = result < 0 ? abr_archive_error_context(archive, correlation_id) :
            abr_archive_poll_for_response(archive, correlation_id, &replay_session_id);
        abr_archive_proxy_close(&proxy);
    }
    abr_exclusive_publication_discard(publication);
    return result;
}

int abr_archive_start_replay_via_response_channel(
    int64_t *replay_id,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params)
{
    if (ABR_ARCHIVE_NULL_VALUE == params->subscription_registration_id)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT,
            "when using start replay with a response channel, the params' subscription_registration_id must be set");
    }
    if (abr_archive_enter(archive, "start replay") < 0)
    {
        return -1;
    }
    abr_archive_replay_request_t request = {
        .recording_id = recording_id, .position = params->position, .length = params->length,
        .channel = replay_channel, .stream_id = replay_stream_id,
        .limit_counter_id = params->bounding_limit_counter_id, .file_io_max_length = params->file_io_max_length,
        .replay_token = ABR_ARCHIVE_NULL_VALUE };
    const int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int result = correlation_id < 0 ? abr_archive_error_context(archive, correlation_id) :
        abr_archive_request_replay_over_response_channel(archive, correlation_id,
            params->subscription_registration_id, archive->ctx->control_term_buffer_length, &request);
    abr_archive_exit(archive);
    /* As AeronArchive: the id returned is the request's correlation id, the replay's image shows the session. */
    if (0 == result)
    {
        *replay_id = correlation_id;
    }
    return result;
}

int abr_archive_replay_via_response_channel(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params)
{
    if (abr_archive_enter(archive, "replay") < 0)
    {
        return -1;
    }
    abr_archive_replay_request_t request = {
        .recording_id = recording_id, .position = params->position, .length = params->length,
        .channel = replay_channel, .stream_id = replay_stream_id,
        .limit_counter_id = params->bounding_limit_counter_id, .file_io_max_length = params->file_io_max_length,
        .replay_token = ABR_ARCHIVE_NULL_VALUE };
    const int64_t correlation_id = abr_archive_next_correlation_id(archive);
    abr_subscription_t *replay_subscription = NULL;
    int result = correlation_id < 0 ? -1 :
        abr_client_add_subscription(&replay_subscription, archive->client, replay_channel, replay_stream_id);
    if (result < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_request_replay_over_response_channel(archive, correlation_id,
            abr_subscription_registration_id(replay_subscription), ABR_REPLAY_REQUEST_TERM_LENGTH, &request);
    }

    /* AeronArchive waits for the replay's image before it hands the subscription over; this waits as long as a
     * response may take, so a replay that never comes fails instead of blocking the caller forever. */
    const int64_t deadline_ns = abr_deadline_ns(abr_archive_nano_time(), archive->ctx->message_timeout_ns);
    int64_t idle_count = 0;
    while (0 == result && !abr_subscription_is_connected(replay_subscription))
    {
        if (abr_deadline_passed(abr_archive_nano_time(), deadline_ns))
        {
            abr_error_set(ABR_ERROR_TIMEOUT, "timed out waiting for the replay image on channel=%s streamId=%" PRId32,
                replay_channel, replay_stream_id);
            result = abr_archive_error_context(archive, correlation_id);
        }
        else if (abr_client_do_work(archive->client) < 0)
        {
            result = abr_archive_error_context(archive, correlation_id);
        }
        else
        {
            abr_archive_idle(archive, &idle_count);
        }
    }
    /* Before the exit, which finishes a close a callback asked for, and with it the core the subscription is on. */
    if (result < 0 && NULL != replay_subscription)
    {
        abr_subscription_discard(replay_subscription);
        replay_subscription = NULL;
    }
    abr_archive_exit(archive);
    if (result < 0)
    {
        return -1;
    }
    *subscription = replay_subscription;
    return 0;
}
