#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "abr_codecs/controlResponse.h"

#include "archive_client.h"
#include "archive_credentials.h"
#include "archive_debug_log.h"
#include "core/atomics.h"
#include "core/clock.h"
#include "core/channel_uri.h"
#include "core/error.h"

/* Connect protocol versions from 1.11.0 answer an archive id request (AeronArchive.AsyncConnect). */
#define ABR_ARCHIVE_PROTOCOL_VERSION_WITH_ARCHIVE_ID ((1 << 16) | (11 << 8) | 0)
#define ABR_ARCHIVE_DEFAULT_CLIENT_NAME "archive-client"
#define ABR_ARCHIVE_CLIENT_VERSION "0.1.0"
#define ABR_URI_RESPONSE_CORRELATION_ID_PARAM "response-correlation-id"

/* The steps of a connect, named as AeronArchive.AsyncConnect.State names them, so timeouts read alike. */
typedef enum abr_archive_connect_step_en
{
    ABR_CONNECT_AWAIT_SUBSCRIPTION,
    ABR_CONNECT_RESOLVE_RESPONSE_ENDPOINT,
    ABR_CONNECT_ADD_PUBLICATION,
    ABR_CONNECT_AWAIT_PUBLICATION_CONNECTED,
    ABR_CONNECT_SEND_CONNECT_REQUEST,
    ABR_CONNECT_AWAIT_SUBSCRIPTION_CONNECTED,
    ABR_CONNECT_AWAIT_CONNECT_RESPONSE,
    ABR_CONNECT_SEND_ARCHIVE_ID_REQUEST,
    ABR_CONNECT_AWAIT_ARCHIVE_ID_RESPONSE,
    ABR_CONNECT_SEND_CHALLENGE_RESPONSE,
    ABR_CONNECT_AWAIT_CHALLENGE_RESPONSE,
    ABR_CONNECT_DONE
}
abr_archive_connect_step_t;

static const char *abr_archive_connect_step_name(abr_archive_connect_step_t step)
{
    switch (step)
    {
        case ABR_CONNECT_AWAIT_SUBSCRIPTION: return "AWAIT_SUBSCRIPTION";
        case ABR_CONNECT_RESOLVE_RESPONSE_ENDPOINT: return "RESOLVE_RESPONSE_ENDPOINT";
        case ABR_CONNECT_ADD_PUBLICATION: return "ADD_PUBLICATION";
        case ABR_CONNECT_AWAIT_PUBLICATION_CONNECTED: return "AWAIT_PUBLICATION_CONNECTED";
        case ABR_CONNECT_SEND_CONNECT_REQUEST: return "SEND_CONNECT_REQUEST";
        case ABR_CONNECT_AWAIT_SUBSCRIPTION_CONNECTED: return "AWAIT_SUBSCRIPTION_CONNECTED";
        case ABR_CONNECT_AWAIT_CONNECT_RESPONSE: return "AWAIT_CONNECT_RESPONSE";
        case ABR_CONNECT_SEND_ARCHIVE_ID_REQUEST: return "SEND_ARCHIVE_ID_REQUEST";
        case ABR_CONNECT_AWAIT_ARCHIVE_ID_RESPONSE: return "AWAIT_ARCHIVE_ID_RESPONSE";
        case ABR_CONNECT_SEND_CHALLENGE_RESPONSE: return "SEND_CHALLENGE_RESPONSE";
        case ABR_CONNECT_AWAIT_CHALLENGE_RESPONSE: return "AWAIT_CHALLENGE_RESPONSE";
        case ABR_CONNECT_DONE: return "DONE";
    }
    return "UNKNOWN";
}

struct abr_archive_async_connect_stct
{
    abr_archive_t *archive;
    abr_archive_connect_step_t step;
    int64_t deadline_ns;
    int64_t correlation_id;
    abr_async_add_t *pending_add;
    /* The answer to a challenge, held from the challenge until it is sent (or the connect is abandoned). */
    abr_archive_credentials_t challenge_response;
    bool holds_challenge_response;
};
typedef abr_archive_async_connect_t abr_archive_connect_t;

static int abr_archive_connect_timeout(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    /* AeronArchive's words; where it prints its publication and subscription objects, their channels here. Its
     * steps have none for resolving the response endpoint: that is AWAIT_SUBSCRIPTION, as AsyncConnect.state() says. */
    abr_archive_connect_step_t step =
        ABR_CONNECT_RESOLVE_RESPONSE_ENDPOINT == connect->step ? ABR_CONNECT_AWAIT_SUBSCRIPTION : connect->step;
    char timeout[32];
    abr_format_duration(timeout, sizeof(timeout), archive->ctx->message_timeout_ns);
    return abr_error_set(
        ABR_ERROR_TIMEOUT,
        "Archive connect timeout: step=%s publication=%s subscription=%s requestStreamId=%" PRId32
        " responseStreamId=%" PRId32 " messageTimeout=%s",
        abr_archive_connect_step_name(step),
        archive->request_channel,
        archive->response_channel,
        archive->ctx->control_request_stream_id,
        archive->ctx->control_response_stream_id,
        timeout);
}

static int abr_archive_apply_default_params(abr_channel_uri_t *uri, const abr_archive_context_t *ctx)
{
    char value[32];
    if (NULL == abr_channel_uri_get(uri, ABR_URI_TERM_LENGTH_PARAM))
    {
        snprintf(value, sizeof(value), "%" PRId32, ctx->control_term_buffer_length);
        if (abr_channel_uri_put(uri, ABR_URI_TERM_LENGTH_PARAM, value) < 0)
        {
            return -1;
        }
    }
    if (NULL == abr_channel_uri_get(uri, ABR_URI_MTU_LENGTH_PARAM))
    {
        snprintf(value, sizeof(value), "%" PRId32, ctx->control_mtu_length);
        if (abr_channel_uri_put(uri, ABR_URI_MTU_LENGTH_PARAM, value) < 0)
        {
            return -1;
        }
    }
    if (NULL == abr_channel_uri_get(uri, ABR_URI_SPARSE_PARAM))
    {
        if (abr_channel_uri_put(uri, ABR_URI_SPARSE_PARAM, ctx->control_term_buffer_sparse ? "true" : "false") < 0)
        {
            return -1;
        }
    }
    return 0;
}

/* An IPv4 endpoint in 224.0.0.0/4 or an IPv6 one in ff00::/8 ("[ff..]:port"); a host name counts as unicast. */
static bool abr_archive_endpoint_is_multicast(const char *endpoint)
{
    if (NULL == endpoint)
    {
        return false;
    }
    if ('[' == endpoint[0])
    {
        return 0 == strncasecmp(endpoint + 1, "ff", 2);
    }
    char *end = NULL;
    long first_octet = strtol(endpoint, &end, 10);
    return end != endpoint && '.' == *end && first_octet >= 224 && first_octet <= 239;
}

/*
 * Since 1.47 AeronArchive gives each client its own response stream: one session id from the
 * driver goes on both the request and the response channel, unless responses use control-mode=response.
 */
static int abr_archive_build_channels(abr_archive_t *archive)
{
    abr_channel_uri_t request;
    abr_channel_uri_t response;
    if (abr_channel_uri_parse(&request, archive->ctx->control_request_channel) < 0)
    {
        return abr_error_prefix("control request channel: ");
    }
    if (abr_channel_uri_parse(&response, archive->ctx->control_response_channel) < 0)
    {
        abr_channel_uri_close(&request);
        return abr_error_prefix("control response channel: ");
    }

    int result = -1;
    if (abr_archive_apply_default_params(&request, archive->ctx) < 0 ||
        abr_archive_apply_default_params(&response, archive->ctx) < 0)
    {
        goto cleanup;
    }

    const char *control_mode = abr_channel_uri_get(&response, ABR_URI_CONTROL_MODE_PARAM);
    if (NULL == control_mode || 0 != strcmp(control_mode, ABR_URI_CONTROL_MODE_RESPONSE))
    {
        int32_t session_id;
        if (abr_client_next_session_id(archive->client, archive->ctx->control_request_stream_id, &session_id) < 0)
        {
            goto cleanup;
        }
        char value[16];
        snprintf(value, sizeof(value), "%" PRId32, session_id);
        if (abr_channel_uri_put(&request, ABR_URI_SESSION_ID_PARAM, value) < 0 ||
            abr_channel_uri_put(&response, ABR_URI_SESSION_ID_PARAM, value) < 0)
        {
            goto cleanup;
        }
    }

    archive->request_channel = abr_channel_uri_to_string(&request);
    archive->response_channel = abr_channel_uri_to_string(&response);
    archive->request_multicast = abr_archive_endpoint_is_multicast(abr_channel_uri_get(&request, ABR_URI_ENDPOINT_PARAM));
    result = NULL != archive->request_channel && NULL != archive->response_channel ? 0 : -1;

cleanup:
    abr_channel_uri_close(&request);
    abr_channel_uri_close(&response);
    return result;
}

/* With control-mode=response the request channel names the response subscription it answers. */
static int abr_archive_link_response_subscription(abr_archive_t *archive)
{
    abr_channel_uri_t response;
    if (abr_channel_uri_parse(&response, archive->response_channel) < 0)
    {
        return -1;
    }
    const char *control_mode = abr_channel_uri_get(&response, ABR_URI_CONTROL_MODE_PARAM);
    bool response_mode = NULL != control_mode && 0 == strcmp(control_mode, ABR_URI_CONTROL_MODE_RESPONSE);
    abr_channel_uri_close(&response);
    if (!response_mode)
    {
        return 0;
    }

    abr_channel_uri_t request;
    if (abr_channel_uri_parse(&request, archive->request_channel) < 0)
    {
        return -1;
    }
    char value[24];
    snprintf(value, sizeof(value), "%" PRId64, abr_subscription_registration_id(archive->subscription));
    char *linked = NULL;
    if (abr_channel_uri_put(&request, ABR_URI_RESPONSE_CORRELATION_ID_PARAM, value) == 0)
    {
        linked = abr_channel_uri_to_string(&request);
    }
    abr_channel_uri_close(&request);
    if (NULL == linked)
    {
        return -1;
    }
    free(archive->request_channel);
    archive->request_channel = linked;
    return 0;
}

static int abr_archive_connect_client(abr_archive_t *archive)
{
    if (NULL != archive->ctx->client)
    {
        archive->client = archive->ctx->client;
        archive->owns_client = false;
        return 0;
    }

    abr_context_t *client_context = NULL;
    if (abr_context_init(&client_context) < 0)
    {
        return -1;
    }
    const char *name = '\0' != archive->ctx->client_name[0] ? archive->ctx->client_name : ABR_ARCHIVE_DEFAULT_CLIENT_NAME;
    int result = 0;
    if ((NULL != archive->ctx->aeron_directory_name &&
        abr_context_set_dir(client_context, archive->ctx->aeron_directory_name) < 0) ||
        abr_context_set_client_name(client_context, name) < 0 ||
        abr_client_connect(&archive->client, client_context) < 0)
    {
        result = -1;
    }
    abr_context_close(client_context);
    archive->owns_client = 0 == result;
    return result;
}

#define ABR_SEMANTIC_VERSION_MAJOR(version) (((version) >> 16) & 0xFF)
#define ABR_SEMANTIC_VERSION_MINOR(version) (((version) >> 8) & 0xFF)
#define ABR_SEMANTIC_VERSION_PATCH(version) ((version) & 0xFF)

/*
 * An archive of another major protocol version answers the connect with an ERROR response whose relevant id is the
 * control session id, not an error code (ArchiveConductor, 1.51.0), and with its own version in the response: the
 * failure names both versions, and reports the generic archive code rather than the session id read as a code.
 */
static int abr_archive_connect_version_mismatch(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    const int32_t client_version = archive->ctx->protocol_semantic_version;
    const int32_t archive_version = archive->response_poller.version;
    abr_error_set(
        ABR_ERROR_ARCHIVE_GENERIC,
        "archive protocol version mismatch: client version %d.%d.%d, archive version %d.%d.%d: %s",
        ABR_SEMANTIC_VERSION_MAJOR(client_version),
        ABR_SEMANTIC_VERSION_MINOR(client_version),
        ABR_SEMANTIC_VERSION_PATCH(client_version),
        ABR_SEMANTIC_VERSION_MAJOR(archive_version),
        ABR_SEMANTIC_VERSION_MINOR(archive_version),
        ABR_SEMANTIC_VERSION_PATCH(archive_version),
        archive->response_poller.error_message);
    return abr_archive_error_context(archive, connect->correlation_id);
}

/* Ask the supplier for the answer to the challenge the poller holds; it is sent by the next step. */
static int abr_archive_connect_on_challenge(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    abr_control_response_poller_t *poller = &archive->response_poller;
    if (abr_archive_credentials_on_challenge(
        archive->ctx,
        poller->encoded_challenge,
        poller->encoded_challenge_length,
        archive->control_session_id,
        &connect->challenge_response) < 0)
    {
        return abr_archive_error_context(archive, connect->correlation_id);
    }
    connect->holds_challenge_response = true;
    connect->correlation_id = abr_client_next_correlation_id(archive->client);
    connect->step = ABR_CONNECT_SEND_CHALLENGE_RESPONSE;
    return 0;
}

static int abr_archive_connect_on_response(abr_archive_connect_t *connect, bool *done)
{
    abr_archive_t *archive = connect->archive;
    abr_control_response_poller_t *poller = &archive->response_poller;

    archive->control_session_id = poller->control_session_id;
    if (poller->was_challenged)
    {
        return abr_archive_connect_on_challenge(connect);
    }
    if (ABR_CONTROL_RESPONSE_CODE_OK != poller->code)
    {
        if (ABR_CONTROL_RESPONSE_CODE_ERROR == poller->code)
        {
            if (0 != poller->version && ABR_SEMANTIC_VERSION_MAJOR(poller->version) !=
                ABR_SEMANTIC_VERSION_MAJOR(archive->ctx->protocol_semantic_version))
            {
                return abr_archive_connect_version_mismatch(connect);
            }
            abr_error_set(
                abr_error_code_from_archive(poller->relevant_id), "archive connect rejected: %s", poller->error_message);
            return abr_archive_error_context(archive, connect->correlation_id);
        }
        /* The code by name where the codecs define it, as AeronArchive's connect says it. */
        const char *name = abr_control_response_code_name(poller->code);
        if (NULL != name)
        {
            abr_error_set(ABR_ERROR_ARCHIVE_PROTOCOL, "unexpected response: code=%s", name);
        }
        else
        {
            abr_error_set(ABR_ERROR_ARCHIVE_PROTOCOL, "unexpected response: code=%" PRId32, poller->code);
        }
        return abr_archive_error_context(archive, connect->correlation_id);
    }

    if (ABR_CONNECT_AWAIT_ARCHIVE_ID_RESPONSE == connect->step)
    {
        archive->archive_id = poller->relevant_id;
        *done = true;
    }
    else if (poller->version < ABR_ARCHIVE_PROTOCOL_VERSION_WITH_ARCHIVE_ID)
    {
        *done = true;
    }
    else
    {
        connect->correlation_id = abr_client_next_correlation_id(archive->client);
        connect->step = ABR_CONNECT_SEND_ARCHIVE_ID_REQUEST;
    }
    return 0;
}

/* A UDP response endpoint on port 0 (AeronArchive's default, localhost:0) is bound by the driver to a free port, which
 * the archive must be told: 1 when the response channel needs that, 0 when not, -1 on a malformed channel. */
static int abr_archive_response_endpoint_unbound(abr_archive_t *archive)
{
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, archive->response_channel) < 0)
    {
        return -1;
    }
    const char *endpoint = abr_channel_uri_get(&uri, ABR_URI_ENDPOINT_PARAM);
    size_t length = NULL == endpoint ? 0 : strlen(endpoint);
    int result = length > 2 && 0 == strcmp(endpoint + length - 2, ":0") ? 1 : 0;
    abr_channel_uri_close(&uri);
    return result;
}

/* Replace the response endpoint with the address the driver bound: 1 done, 0 not bound yet, -1 failed. */
static int abr_archive_resolve_response_endpoint(abr_archive_t *archive)
{
    char address[128];
    int found = abr_client_find_local_socket_address(
        archive->client, abr_subscription_channel_status_id(archive->subscription), address, sizeof(address));
    if (found <= 0)
    {
        return found;
    }
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, archive->response_channel) < 0)
    {
        return -1;
    }
    char *resolved = abr_channel_uri_put(&uri, ABR_URI_ENDPOINT_PARAM, address) < 0 ? NULL : abr_channel_uri_to_string(&uri);
    abr_channel_uri_close(&uri);
    if (NULL == resolved)
    {
        return -1;
    }
    free(archive->response_channel);
    archive->response_channel = resolved;
    return 1;
}

static int abr_archive_connect_add_publication(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    if (abr_client_async_add_exclusive_publication(
        &connect->pending_add, archive->client, archive->request_channel, archive->ctx->control_request_stream_id) < 0)
    {
        return -1;
    }
    connect->step = ABR_CONNECT_ADD_PUBLICATION;
    return 0;
}

/* One try at the connect request, with the supplier's credentials of the moment (AeronArchive asks for them on every
 * try), handed back once offered or not. */
static int abr_archive_connect_send_connect_request(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    char client_info[256];
    snprintf(client_info, sizeof(client_info), "name=%s version=%s archive-bridge",
        '\0' != archive->ctx->client_name[0] ? archive->ctx->client_name : ABR_ARCHIVE_DEFAULT_CLIENT_NAME,
        ABR_ARCHIVE_CLIENT_VERSION);
    abr_archive_credentials_t credentials;
    if (abr_archive_credentials_encoded(archive->ctx, &credentials) < 0)
    {
        return abr_archive_error_context(archive, connect->correlation_id);
    }
    int result = abr_archive_proxy_try_connect(
        &archive->proxy, archive->response_channel, archive->ctx->control_response_stream_id,
        connect->correlation_id, archive->ctx->protocol_semantic_version, &credentials, client_info);
    abr_archive_credentials_release(archive->ctx, &credentials);
    if (result > 0)
    {
        connect->step = ABR_CONNECT_AWAIT_SUBSCRIPTION_CONNECTED;
    }
    return result < 0 ? abr_archive_error_context(archive, connect->correlation_id) : 0;
}

/* One step of the connect; 0 to go on, -1 failed. */
static int abr_archive_connect_do_step(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    int result;
    switch (connect->step)
    {
        case ABR_CONNECT_AWAIT_SUBSCRIPTION:
            result = abr_async_add_subscription_poll(&archive->subscription, connect->pending_add);
            if (0 != result)
            {
                connect->pending_add = NULL;
            }
            if (result < 0 || (result > 0 && abr_archive_link_response_subscription(archive) < 0))
            {
                return -1;
            }
            if (result > 0)
            {
                archive->response_poller.subscription = archive->subscription;
                archive->descriptor_poller.subscription = archive->subscription;
                int unbound = abr_archive_response_endpoint_unbound(archive);
                if (unbound < 0)
                {
                    return -1;
                }
                if (unbound > 0)
                {
                    connect->step = ABR_CONNECT_RESOLVE_RESPONSE_ENDPOINT;
                    return 0;
                }
                return abr_archive_connect_add_publication(connect);
            }
            return 0;

        case ABR_CONNECT_RESOLVE_RESPONSE_ENDPOINT:
            result = abr_archive_resolve_response_endpoint(archive);
            if (result < 0)
            {
                return -1;
            }
            return result > 0 ? abr_archive_connect_add_publication(connect) : 0;

        case ABR_CONNECT_ADD_PUBLICATION:
            result = abr_async_add_exclusive_publication_poll(&archive->publication, connect->pending_add);
            if (0 != result)
            {
                connect->pending_add = NULL;
            }
            if (result < 0 || (result > 0 &&
                abr_archive_proxy_init(&archive->proxy, archive->publication, archive->ctx->message_retry_attempts) < 0))
            {
                return -1;
            }
            if (result > 0)
            {
                connect->step = ABR_CONNECT_AWAIT_PUBLICATION_CONNECTED;
            }
            return 0;

        case ABR_CONNECT_AWAIT_PUBLICATION_CONNECTED:
            if (abr_exclusive_publication_is_connected(archive->publication))
            {
                connect->correlation_id = abr_client_next_correlation_id(archive->client);
                connect->step = ABR_CONNECT_SEND_CONNECT_REQUEST;
            }
            return 0;

        case ABR_CONNECT_SEND_CONNECT_REQUEST:
            return abr_archive_connect_send_connect_request(connect);

        case ABR_CONNECT_SEND_CHALLENGE_RESPONSE:
            result = abr_archive_proxy_try_challenge_response(
                &archive->proxy, archive->control_session_id, connect->correlation_id, &connect->challenge_response);
            if (result > 0)
            {
                abr_archive_credentials_release(archive->ctx, &connect->challenge_response);
                connect->holds_challenge_response = false;
                connect->step = ABR_CONNECT_AWAIT_CHALLENGE_RESPONSE;
            }
            return result < 0 ? abr_archive_error_context(archive, connect->correlation_id) : 0;

        case ABR_CONNECT_AWAIT_SUBSCRIPTION_CONNECTED:
            if (abr_subscription_is_connected(archive->subscription))
            {
                connect->step = ABR_CONNECT_AWAIT_CONNECT_RESPONSE;
            }
            return 0;

        case ABR_CONNECT_SEND_ARCHIVE_ID_REQUEST:
            if (abr_archive_proxy_archive_id(&archive->proxy, archive->control_session_id, connect->correlation_id) < 0)
            {
                return -1;
            }
            connect->step = ABR_CONNECT_AWAIT_ARCHIVE_ID_RESPONSE;
            return 0;

        case ABR_CONNECT_AWAIT_CONNECT_RESPONSE:
        case ABR_CONNECT_AWAIT_ARCHIVE_ID_RESPONSE:
        case ABR_CONNECT_AWAIT_CHALLENGE_RESPONSE:
        {
            abr_control_response_poller_t *poller = &archive->response_poller;
            if (abr_control_response_poller_poll(poller) < 0)
            {
                return -1;
            }
            if (poller->is_poll_complete && poller->correlation_id == connect->correlation_id &&
                (abr_codecs_controlResponse_sbe_template_id() == poller->template_id || poller->was_challenged))
            {
                bool done = false;
                if (abr_archive_connect_on_response(connect, &done) < 0)
                {
                    return -1;
                }
                if (done)
                {
                    connect->step = ABR_CONNECT_DONE;
                }
            }
            return 0;
        }

        case ABR_CONNECT_DONE:
            return 0;
    }
    return 0;
}

static int abr_archive_validate_context(abr_archive_context_t *context)
{
    if (NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "archive connect: context must not be null");
    }
    if (NULL == context->control_request_channel || '\0' == context->control_request_channel[0])
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "archive context: control request channel must be set");
    }
    if (NULL == context->control_response_channel || '\0' == context->control_response_channel[0])
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "archive context: control response channel must be set");
    }
    return 0;
}

/* Release a connect that did not complete, keeping its error: the clean-up may set its own. */
static int abr_archive_connect_abandon(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    abr_error_saved_t error;
    abr_error_save(&error);

    abr_async_add_cancel(connect->pending_add);
    if (connect->holds_challenge_response)
    {
        abr_archive_credentials_release(archive->ctx, &connect->challenge_response);
    }
    if (NULL != archive->ctx)
    {
        abr_archive_release(archive, true);
    }
    else
    {
        abr_control_response_poller_close(&archive->response_poller);
        abr_recording_descriptor_poller_close(&archive->descriptor_poller);
    }
    pthread_mutex_destroy(&archive->lock);
    abr_archive_debug_log_close(archive->debug_log);
    free(archive->request_channel);
    free(archive->response_channel);
    abr_archive_context_close(archive->ctx);
    free(archive);
    free(connect);
    return abr_error_restore(&error);
}

int abr_archive_async_connect(abr_archive_async_connect_t **async, abr_archive_context_t *context)
{
    if (NULL == async)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "abr_archive_async_connect: async must not be null");
    }
    *async = NULL;
    if (abr_archive_validate_context(context) < 0)
    {
        return -1;
    }

    abr_archive_connect_t *connect = calloc(1, sizeof(abr_archive_connect_t));
    abr_archive_t *archive = calloc(1, sizeof(abr_archive_t));
    if (NULL == connect || NULL == archive)
    {
        free(connect);
        free(archive);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory allocating archive client");
    }
    archive->control_session_id = ABR_ARCHIVE_NULL_VALUE;
    archive->archive_id = ABR_ARCHIVE_NULL_VALUE;
    archive->last_correlation_id = ABR_ARCHIVE_NULL_VALUE;
    abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CLOSED);
    if (abr_archive_lock_init(archive) < 0)
    {
        free(connect);
        free(archive);
        return -1;
    }
    connect->archive = archive;
    connect->correlation_id = ABR_ARCHIVE_NULL_VALUE;

    if (abr_archive_context_duplicate(&archive->ctx, context) < 0 ||
        abr_control_response_poller_init(&archive->response_poller, NULL) < 0 ||
        abr_archive_debug_log_open(&archive->debug_log, archive->ctx->debug_log) < 0 ||
        abr_recording_descriptor_poller_init(&archive->descriptor_poller, NULL, ABR_ARCHIVE_NULL_VALUE) < 0 ||
        abr_archive_connect_client(archive) < 0 ||
        abr_archive_build_channels(archive) < 0)
    {
        return abr_archive_connect_abandon(connect);
    }
    archive->response_poller.debug_log = archive->debug_log;
    archive->proxy.debug_log = archive->debug_log;
    archive->lock_off = archive->ctx->locking_disabled && 0 == archive->ctx->auto_poll_interval_ns;
    connect->deadline_ns = abr_deadline_ns(abr_archive_nano_time(), archive->ctx->message_timeout_ns);

    if (abr_client_async_add_subscription_with_handlers(
        &connect->pending_add,
        archive->client,
        archive->response_channel,
        archive->ctx->control_response_stream_id,
        NULL,
        NULL,
        abr_archive_on_response_image_lost,
        archive) < 0)
    {
        return abr_archive_connect_abandon(connect);
    }
    connect->step = ABR_CONNECT_AWAIT_SUBSCRIPTION;
    *async = connect;
    return 0;
}

/* The session is open: announce it with a keep alive, as AeronArchive does, and hand the client over. */
static int abr_archive_connect_complete(abr_archive_connect_t *connect)
{
    abr_archive_t *archive = connect->archive;
    if (abr_archive_proxy_keep_alive(&archive->proxy, archive->control_session_id, ABR_ARCHIVE_NULL_VALUE) < 0)
    {
        abr_error_prefix("failed to send keep alive after archive connect: ");
        return -1;
    }
    archive->descriptor_poller.control_session_id = archive->control_session_id;
    archive->descriptor_poller.signal_consumer = archive->ctx->recording_signal_consumer;
    archive->descriptor_poller.signal_consumer_clientd = archive->ctx->recording_signal_consumer_clientd;
    /* Only an image lost from here on counts, as AeronArchive's handler only acts once the client exists. */
    abr_put_int32_release((uint8_t *)&archive->response_image_lost, 0);
    abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CONNECTED);
    return abr_archive_auto_poll_start(archive);
}

int abr_archive_async_connect_poll(abr_archive_t **archive_out, abr_archive_async_connect_t *connect)
{
    if (NULL == archive_out || NULL == connect)
    {
        if (NULL != archive_out)
        {
            *archive_out = NULL;
        }
        /* Nothing is released: a live async stays the caller's, to poll again or close. */
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "abr_archive_async_connect_poll: %s must not be null",
            NULL == archive_out ? "archive out-pointer" : "async");
    }
    *archive_out = NULL;
    abr_archive_connect_step_t step_before = connect->step;
    if (abr_archive_connect_do_step(connect) < 0)
    {
        return abr_archive_connect_abandon(connect);
    }
    if (ABR_CONNECT_DONE == connect->step)
    {
        if (abr_archive_connect_complete(connect) < 0)
        {
            abr_archive_set_state(connect->archive, ABR_ARCHIVE_STATE_CLOSED);
            return abr_archive_connect_abandon(connect);
        }
        *archive_out = connect->archive;
        free(connect);
        return 1;
    }
    if (connect->step == step_before)
    {
        if (abr_deadline_passed(abr_archive_nano_time(), connect->deadline_ns))
        {
            abr_archive_connect_timeout(connect);
            return abr_archive_connect_abandon(connect);
        }
        if (abr_client_do_work(connect->archive->client) < 0)
        {
            return abr_archive_connect_abandon(connect);
        }
    }
    return 0;
}

int abr_archive_async_connect_step(abr_archive_async_connect_t *connect)
{
    return NULL == connect ? -1 : (int)connect->step;
}

const char *abr_archive_async_connect_step_name(abr_archive_async_connect_t *connect)
{
    return NULL == connect ? "NULL" : abr_archive_connect_step_name(connect->step);
}

int abr_archive_async_connect_close(abr_archive_async_connect_t *connect)
{
    if (NULL != connect)
    {
        abr_error_set(ABR_ERROR_CLOSED, "archive connect cancelled");
        abr_archive_connect_abandon(connect);
    }
    return 0;
}

int abr_archive_connect(abr_archive_t **archive_out, abr_archive_context_t *context)
{
    if (NULL == archive_out)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "abr_archive_connect: archive out-pointer must not be null");
    }
    *archive_out = NULL;
    abr_archive_async_connect_t *connect = NULL;
    if (abr_archive_async_connect(&connect, context) < 0)
    {
        return -1;
    }
    int64_t idle_count = 0;
    while (true)
    {
        abr_archive_connect_step_t step_before = connect->step;
        int result = abr_archive_async_connect_poll(archive_out, connect);
        if (0 != result)
        {
            return result < 0 ? -1 : 0;
        }
        if (connect->step != step_before)
        {
            idle_count = 0;
            continue;
        }
        abr_archive_idle(connect->archive, &idle_count);
    }
}
