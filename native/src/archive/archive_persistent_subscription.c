/*
 * Persistent subscription: the state machine of abr_archive.h (where its states and transitions are documented), over
 * an archive client it connects asynchronously, the archive requests that do not block (archive_async_request.c),
 * and image handles of a replay subscription and a live subscription.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_async_request.h"
#include "archive_client.h"
#include "archive_context.h"
#include "archive_persistent_subscription_context.h"
#include "archive_replay_response.h"
#include "archive_persistent_subscription_counters.h"
#include "core/channel_uri.h"
#include "core/clock.h"
#include "core/error.h"

/* How often the archive's response channel is read while no request waits for an answer, so that a stop-replay's
 * answer or an error for the session does not sit there unread. */
#define ABR_PS_ARCHIVE_POLL_INTERVAL_NS (100LL * 1000 * 1000)
/* The session id the assembler keys its one message buffer by: a message may begin on the replay's image and end on
 * the live one, whose session ids differ, so the assembler must not tell them apart. */
#define ABR_PS_ASSEMBLY_KEY 0
/* The Media Driver's ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE: an add it rejected with this is tried again. */
#define ABR_PS_DRIVER_RESOURCE_TEMPORARILY_UNAVAILABLE 10

typedef enum abr_ps_max_position_state_en
{
    ABR_PS_MAX_POSITION_REQUEST,
    ABR_PS_MAX_POSITION_AWAIT,
    ABR_PS_MAX_POSITION_RECHECK
}
abr_ps_max_position_state_t;

/* How the replay reaches the subscription, as PersistentSubscription tells its replay channels apart. */
typedef enum abr_ps_replay_channel_type_en
{
    /* A fixed endpoint (or IPC): the replay is asked for first, then subscribed to with its session id. */
    ABR_PS_REPLAY_SESSION_SPECIFIC,
    /* UDP on port 0: subscribed to first, and the port the driver bound named in the replay request. */
    ABR_PS_REPLAY_DYNAMIC_PORT,
    /* control-mode=response: subscribed to first, the replay asked for over a publication of its own. */
    ABR_PS_REPLAY_RESPONSE_CHANNEL
}
abr_ps_replay_channel_type_t;

typedef struct abr_ps_descriptor_stct
{
    int64_t start_position;
    int64_t stop_position;
    int32_t term_length;
    int32_t stream_id;
}
abr_ps_descriptor_t;

struct abr_archive_persistent_subscription_stct
{
    abr_archive_persistent_subscription_state_t state;
    int64_t recording_id;
    /* Where in the stream the consumer is: the start position until the recording is looked up, then the last
     * position handed over. */
    int64_t position;
    char *live_channel;
    int32_t live_stream_id;
    char *replay_channel;
    int32_t replay_stream_id;
    abr_ps_replay_channel_type_t replay_channel_type;
    /* The channel named in the replay request when it is not replay_channel: with the bound port in its endpoint. */
    char *resolved_replay_channel;
    abr_archive_persistent_subscription_listener_t listener;
    int64_t message_timeout_ns;

    /* Its own copy, naming the client core, for connecting again once the archive is lost. */
    abr_archive_context_t *archive_context;
    abr_archive_async_connect_t *connect;
    abr_archive_t *archive;
    abr_client_t *client;
    /* The core the subscription connected for itself when the archive context named none; NULL otherwise. */
    abr_client_t *owned_client;
    int64_t next_archive_poll_ns;

    int64_t recording_start_position;
    int64_t recording_stop_position;
    int32_t recording_term_length;
    abr_archive_async_listing_t listing;
    abr_ps_descriptor_t found;
    int64_t listing_deadline_ns;

    /* A response channel's replay: the publication its request travels over, and the token naming the session. */
    abr_async_add_t *request_publication_add;
    abr_exclusive_publication_t *request_publication;
    abr_archive_proxy_t request_proxy;
    abr_archive_async_request_t token_request;
    int64_t token_request_deadline_ns;
    int64_t replay_token;

    abr_archive_async_request_t replay_request;
    int64_t replay_request_deadline_ns;
    int64_t replay_session_id;
    abr_async_add_t *replay_subscription_add;
    abr_subscription_t *replay_subscription;
    abr_image_handle_t replay_image;
    bool has_replay_image;
    int64_t replay_image_deadline_ns;

    abr_async_add_t *live_subscription_add;
    abr_subscription_t *live_subscription;
    abr_image_handle_t live_image;
    bool has_live_image;
    int64_t live_image_deadline_ns;
    bool live_image_deadline_breached;
    int64_t last_observed_live_position;
    int64_t join_difference;

    abr_ps_max_position_state_t max_position_state;
    abr_archive_async_request_t max_position_request;
    int64_t max_position_deadline_ns;
    int64_t max_recorded_position;
    int32_t close_enough;

    abr_fragment_assembler_t *assembler;
    abr_controlled_fragment_assembler_t *controlled_assembler;
    abr_fragment_handler_t handler;
    abr_controlled_fragment_handler_t controlled_handler;
    void *handler_clientd;
    int32_t delivering_session_id;
    bool in_poll;
    abr_subscription_t *ref_subscription;
    abr_image_handle_t *ref_image;

    int failure_code;
    int failure_reason;
    char failure[ABR_ERROR_MESSAGE_MAX_LENGTH];
    abr_ps_counters_t counters;
};

const char *abr_archive_persistent_subscription_state_name(int state)
{
    switch (state)
    {
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION: return "AWAIT_ARCHIVE_CONNECTION";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST: return "SEND_LIST_RECORDING_REQUEST";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIST_RECORDING_RESPONSE: return "AWAIT_LIST_RECORDING_RESPONSE";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST: return "SEND_REPLAY_REQUEST";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_RESPONSE: return "AWAIT_REPLAY_RESPONSE";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION: return "ADD_REPLAY_SUBSCRIPTION";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_SUBSCRIPTION: return "AWAIT_REPLAY_SUBSCRIPTION";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_CHANNEL_ENDPOINT: return "AWAIT_REPLAY_CHANNEL_ENDPOINT";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REQUEST_PUBLICATION: return "ADD_REQUEST_PUBLICATION";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REQUEST_PUBLICATION: return "AWAIT_REQUEST_PUBLICATION";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_TOKEN_REQUEST: return "SEND_REPLAY_TOKEN_REQUEST";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_TOKEN: return "AWAIT_REPLAY_TOKEN";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY: return "REPLAY";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH: return "ATTEMPT_SWITCH";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_LIVE_SUBSCRIPTION: return "ADD_LIVE_SUBSCRIPTION";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIVE: return "AWAIT_LIVE";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE: return "LIVE";
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED: return "FAILED";
        default: return "UNKNOWN";
    }
}

static void abr_ps_set_state(abr_archive_persistent_subscription_t *ps, abr_archive_persistent_subscription_state_t s)
{
    ps->state = s;
    abr_ps_counters_state(&ps->counters, (int32_t)s);
}

static void abr_ps_stop_replay(abr_archive_persistent_subscription_t *ps)
{
    if (ABR_ARCHIVE_NULL_VALUE == ps->replay_session_id)
    {
        return;
    }
    /* Also for a replay whose image is gone, as PersistentSubscription asks: the image may have gone on this side
     * only (the replay's subscription lost it) while the archive still replays. Should the replay have ended there
     * already, the archive's error answers no request and is passed over. */
    if (NULL != ps->archive && ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(ps->archive))
    {
        abr_archive_async_stop_replay_unanswered(ps->archive, ps->replay_session_id);
    }
    ps->replay_session_id = ABR_ARCHIVE_NULL_VALUE;
}

static void abr_ps_close_replay_subscription(abr_archive_persistent_subscription_t *ps)
{
    abr_async_add_cancel(ps->replay_subscription_add);
    ps->replay_subscription_add = NULL;
    /* Discarded, not kept: a shared core would otherwise keep one per replay for its lifetime. The image handle that
     * names it is not read again: has_replay_image goes false here, and every state that reads it without that flag
     * (ATTEMPT_SWITCH) is left in the same step that closes it. */
    abr_subscription_discard(ps->replay_subscription);
    ps->replay_subscription = NULL;
    ps->has_replay_image = false;
}

static void abr_ps_close_request_publication(abr_archive_persistent_subscription_t *ps)
{
    abr_async_add_cancel(ps->request_publication_add);
    ps->request_publication_add = NULL;
    if (NULL != ps->request_proxy.buffer)
    {
        abr_archive_proxy_close(&ps->request_proxy);
    }
    abr_exclusive_publication_discard(ps->request_publication);
    ps->request_publication = NULL;
}

static void abr_ps_close_live_subscription(abr_archive_persistent_subscription_t *ps)
{
    abr_async_add_cancel(ps->live_subscription_add);
    ps->live_subscription_add = NULL;
    /* As the replay's: LIVE and ATTEMPT_SWITCH, which read live_image without has_live_image, are left with it. */
    abr_subscription_discard(ps->live_subscription);
    ps->live_subscription = NULL;
    ps->has_live_image = false;
}

static void abr_ps_clean_up(abr_archive_persistent_subscription_t *ps)
{
    if (NULL != ps->archive)
    {
        abr_archive_async_abandon(&ps->replay_request, ps->archive);
        abr_archive_async_abandon(&ps->max_position_request, ps->archive);
        abr_archive_async_abandon(&ps->token_request, ps->archive);
    }
    abr_ps_stop_replay(ps);
    abr_ps_close_request_publication(ps);
    abr_ps_close_replay_subscription(ps);
    abr_ps_close_live_subscription(ps);
}

/* Become FAILED with this reason, tell the listener; returns 1 (work done). */
static int abr_ps_fail(abr_archive_persistent_subscription_t *ps, int code, int reason, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static int abr_ps_fail(abr_archive_persistent_subscription_t *ps, int code, int reason, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(ps->failure, sizeof(ps->failure), format, args);
    va_end(args);
    ps->failure_code = code;
    ps->failure_reason = reason;
    abr_ps_clean_up(ps);
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED);
    if (NULL != ps->listener.on_error)
    {
        ps->listener.on_error(ps->listener.clientd, code, reason, ps->failure, true);
    }
    return 1;
}

/* Fail with the thread's current error, prefixed with what was being done. */
static int abr_ps_fail_with_error(abr_archive_persistent_subscription_t *ps, const char *doing)
{
    char message[ABR_ERROR_MESSAGE_MAX_LENGTH];
    snprintf(message, sizeof(message), "%s", abr_errmsg());
    return abr_ps_fail(ps, abr_errcode(), ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_NONE,
        "persistent subscription failed to %s: recordingId=%" PRId64 ", %s", doing, ps->recording_id, message);
}

static void abr_ps_warn(abr_archive_persistent_subscription_t *ps, int code, const char *message)
{
    if (NULL != ps->listener.on_error)
    {
        ps->listener.on_error(ps->listener.clientd, code, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_NONE, message,
            false);
    }
}

static int64_t abr_ps_handle_position(abr_image_handle_t *image)
{
    int64_t position = abr_image_handle_position(image);
    return position < 0 ? image->last_seen_position : position;
}

static void abr_ps_observe_live_position(abr_archive_persistent_subscription_t *ps, int64_t live_position)
{
    if (live_position > ps->last_observed_live_position)
    {
        ps->last_observed_live_position = live_position;
    }
}

static void abr_ps_reset_catchup(abr_archive_persistent_subscription_t *ps)
{
    ps->join_difference = INT64_MIN;
    abr_ps_counters_join_difference(&ps->counters, ps->join_difference);
    ps->max_position_state = ABR_PS_MAX_POSITION_REQUEST;
    ps->close_enough = ps->recording_term_length >> 2;
    if (NULL != ps->archive)
    {
        abr_archive_async_abandon(&ps->max_position_request, ps->archive);
    }
}

static void abr_ps_set_up_replay(abr_archive_persistent_subscription_t *ps)
{
    abr_ps_reset_catchup(ps);
    abr_ps_set_state(ps, ABR_PS_REPLAY_SESSION_SPECIFIC == ps->replay_channel_type ?
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST : ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION);
}

static void abr_ps_refresh_recording(abr_archive_persistent_subscription_t *ps)
{
    abr_ps_reset_catchup(ps);
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST);
}

/* The archive client, connected (again) in every state but FAILED whenever there is none, as PersistentSubscription's
 * archive client reconnects in the background: a failed attempt is told (not terminal) and made again. */
static void abr_ps_keep_archive_connected(abr_archive_persistent_subscription_t *ps)
{
    if (NULL != ps->archive || ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED == ps->state)
    {
        return;
    }
    if (NULL == ps->connect && abr_archive_async_connect(&ps->connect, ps->archive_context) < 0)
    {
        abr_ps_fail_with_error(ps, "connect to the archive");
        return;
    }
    int status = abr_archive_async_connect_poll(&ps->archive, ps->connect);
    if (0 != status)
    {
        /* Done or failed: the poll released the connect. */
        ps->connect = NULL;
    }
    if (status < 0)
    {
        abr_ps_warn(ps, abr_errcode(), abr_errmsg());
    }
}

static bool abr_ps_archive_is_lost(abr_archive_persistent_subscription_t *ps)
{
    return NULL != ps->archive && (ABR_ARCHIVE_STATE_CONNECTED != abr_archive_get_state(ps->archive) ||
        !abr_subscription_is_connected(ps->archive->subscription));
}

/* The archive client lost its archive (stopped, restarted, or the session ended): it goes, and a new one connects.
 * As in PersistentSubscription, a subscription live or switching to live carries on meanwhile; in any other state it
 * gives its replay up, keeping the position replayed to, and waits for the new connection. */
static void abr_ps_on_archive_lost(abr_archive_persistent_subscription_t *ps)
{
    abr_archive_async_abandon(&ps->replay_request, ps->archive);
    abr_archive_async_abandon(&ps->max_position_request, ps->archive);
    abr_archive_async_abandon(&ps->token_request, ps->archive);
    ps->listing.outstanding = false;
    abr_archive_close(ps->archive);
    ps->archive = NULL;
    switch (ps->state)
    {
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION:
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH:
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE:
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED:
            return;
        default:
            break;
    }
    if (ps->has_replay_image)
    {
        ps->position = abr_ps_handle_position(&ps->replay_image);
    }
    abr_ps_close_live_subscription(ps);
    /* The replay ended with the archive's session: no stop request can reach it. */
    ps->replay_session_id = ABR_ARCHIVE_NULL_VALUE;
    abr_ps_close_request_publication(ps);
    abr_ps_close_replay_subscription(ps);
    abr_ps_reset_catchup(ps);
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION);
}

/* A request could not be sent: a lost archive is waited for again; otherwise (back pressure) it is sent again on the
 * next poll, as PersistentSubscription does. */
static int abr_ps_on_send_failed(abr_archive_persistent_subscription_t *ps)
{
    if (NULL == ps->archive || abr_ps_archive_is_lost(ps))
    {
        if (NULL != ps->archive)
        {
            abr_ps_on_archive_lost(ps);
        }
        abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION);
        return 1;
    }
    return 0;
}

static int abr_ps_await_archive_connection(abr_archive_persistent_subscription_t *ps)
{
    if (NULL == ps->archive)
    {
        return 0;
    }
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST);
    return 1;
}

static void abr_ps_on_descriptor(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    abr_ps_descriptor_t *found = clientd;
    found->start_position = descriptor->start_position;
    found->stop_position = descriptor->stop_position;
    found->term_length = descriptor->term_buffer_length;
    found->stream_id = descriptor->stream_id;
}

/* The recording as found, checked against what is asked of it: 0 fine, or 1 once failed. */
static int abr_ps_check_recording(abr_archive_persistent_subscription_t *ps, const abr_ps_descriptor_t *found)
{
    const int64_t id = ps->recording_id;
    if (ps->live_stream_id != found->stream_id)
    {
        return abr_ps_fail(ps, ABR_ERROR_INVALID_ARGUMENT, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_STREAM_ID_MISMATCH,
            "Requested live stream with ID: %" PRId32 " does not match stream ID: %" PRId32 " for recording: %" PRId64,
            ps->live_stream_id, found->stream_id, id);
    }
    const bool stopped = ABR_ARCHIVE_NULL_POSITION != found->stop_position;
    const int reason = ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_INVALID_START_POSITION;
    if (stopped && ps->last_observed_live_position > found->stop_position)
    {
        return abr_ps_fail(ps, ABR_ERROR_ARCHIVE_BASE + 16, reason, "recording %" PRId64 " stopped at position=%"
            PRId64 " which is earlier than last observed live position=%" PRId64, id, found->stop_position,
            ps->last_observed_live_position);
    }
    if (ps->position >= 0 && ps->position < found->start_position)
    {
        return abr_ps_fail(ps, ABR_ERROR_ARCHIVE_BASE + 16, reason, "requested replay start position=%" PRId64
            " is less than recording start position=%" PRId64 " for recording %" PRId64, ps->position,
            found->start_position, id);
    }
    if (ps->position >= 0 && stopped && ps->position > found->stop_position)
    {
        return abr_ps_fail(ps, ABR_ERROR_ARCHIVE_BASE + 16, reason, "requested replay start position=%" PRId64
            " must be less than the limit position=%" PRId64 " for recording %" PRId64, ps->position,
            found->stop_position, id);
    }
    if (ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_START == ps->position)
    {
        ps->position = found->start_position;
    }
    return 0;
}

static int abr_ps_send_list_recording_request(abr_archive_persistent_subscription_t *ps)
{
    ps->found = (abr_ps_descriptor_t){ 0, 0, 0, 0 };
    if (NULL == ps->archive ||
        abr_archive_async_list_recording(&ps->listing, ps->archive, ps->recording_id, abr_ps_on_descriptor, &ps->found) < 0)
    {
        return abr_ps_on_send_failed(ps);
    }
    ps->listing_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIST_RECORDING_RESPONSE);
    return 1;
}

static int abr_ps_await_list_recording_response(abr_archive_persistent_subscription_t *ps)
{
    int32_t count = 0;
    int status = abr_archive_async_listing_poll(&ps->listing, ps->archive, &count);
    if (0 == status)
    {
        if (abr_nano_time() - ps->listing_deadline_ns >= 0)
        {
            /* No answer within the message timeout: asked again (a late answer no longer matches). */
            ps->listing.outstanding = false;
            abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST);
            return 1;
        }
        return 0;
    }
    if (status < 0)
    {
        if (abr_ps_archive_is_lost(ps))
        {
            abr_ps_on_archive_lost(ps);
            return 1;
        }
        return abr_ps_fail_with_error(ps, "look the recording up");
    }
    if (0 == count)
    {
        return abr_ps_fail(ps, ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING,
            ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_RECORDING_NOT_FOUND, "unknown recording id: %" PRId64,
            ps->recording_id);
    }
    const abr_ps_descriptor_t found = ps->found;
    ps->recording_start_position = found.start_position;
    ps->recording_stop_position = found.stop_position;
    ps->recording_term_length = found.term_length;
    if (abr_ps_check_recording(ps, &found) > 0)
    {
        return 1;
    }
    if (ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE == ps->position ||
        (ABR_ARCHIVE_NULL_POSITION != found.stop_position && ps->position == found.stop_position))
    {
        abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_LIVE_SUBSCRIPTION);
    }
    else
    {
        abr_ps_set_up_replay(ps);
    }
    return 1;
}

static int abr_ps_send_replay_request(abr_archive_persistent_subscription_t *ps)
{
    abr_archive_replay_request_t replay = {
        .recording_id = ps->recording_id, .position = ps->position, .length = INT64_MAX,
        .channel = ABR_PS_REPLAY_SESSION_SPECIFIC == ps->replay_channel_type ? ps->replay_channel :
            ps->resolved_replay_channel,
        .stream_id = ps->replay_stream_id, .limit_counter_id = -1,
        .file_io_max_length = ABR_ARCHIVE_NULL_VALUE, .replay_token = ABR_ARCHIVE_NULL_VALUE };
    if (ABR_PS_REPLAY_RESPONSE_CHANNEL == ps->replay_channel_type)
    {
        replay.replay_token = ps->replay_token;
        /* Until the archive has connected to the request publication, the request could not reach it. */
        if (NULL != ps->archive && !abr_exclusive_publication_is_connected(ps->request_publication))
        {
            return 0;
        }
    }
    int sent = NULL == ps->archive ? -1 : ABR_PS_REPLAY_RESPONSE_CHANNEL == ps->replay_channel_type ?
        abr_archive_async_replay_via(&ps->replay_request, ps->archive, &ps->request_proxy, &replay) :
        abr_archive_async_replay(&ps->replay_request, ps->archive, &replay);
    if (sent < 0)
    {
        return abr_ps_on_send_failed(ps);
    }
    ps->replay_request_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_RESPONSE);
    return 1;
}

static int abr_ps_replay_failure_reason(int code)
{
    switch (code)
    {
        case ABR_ERROR_ARCHIVE_BASE + 16: return ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_INVALID_START_POSITION;
        case ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING: return ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_RECORDING_NOT_FOUND;
        default: return ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_GENERIC;
    }
}

/* An archive request's poll failed: its own answer an error (terminal, reason from the code), another request's
 * error response (passed over) or another failure of the session (told, not terminal), or the archive client gone
 * (terminal). */
static int abr_ps_on_request_error(
    abr_archive_persistent_subscription_t *ps, abr_archive_async_request_t *request, bool replay)
{
    int code = abr_errcode();
    if (!request->outstanding && ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(ps->archive))
    {
        if (replay)
        {
            /* The archive's own words, as PersistentSubscription quotes them. */
            return abr_ps_fail(ps, code, abr_ps_replay_failure_reason(code), "ERROR - replay request failed: %s",
                request->waiter.error_message);
        }
        return abr_ps_fail_with_error(ps, "get the max recorded position");
    }
    if (request->outstanding && ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(ps->archive))
    {
        /* Another request's error response (see abr_ps_poll_archive) is passed over; anything else is told. */
        if (code < ABR_ERROR_ARCHIVE_BASE)
        {
            abr_ps_warn(ps, code, abr_errmsg());
        }
        return 1;
    }
    if (abr_ps_archive_is_lost(ps))
    {
        abr_ps_on_archive_lost(ps);
        return 1;
    }
    return abr_ps_fail_with_error(ps, replay ? "request a replay" : "get the max recorded position");
}

static int abr_ps_await_replay_response(abr_archive_persistent_subscription_t *ps)
{
    int64_t replay_session_id = ABR_ARCHIVE_NULL_VALUE;
    int status = abr_archive_async_poll(&ps->replay_request, ps->archive, &replay_session_id);
    if (status < 0)
    {
        return abr_ps_on_request_error(ps, &ps->replay_request, true);
    }
    if (0 == status)
    {
        if (abr_nano_time() - ps->replay_request_deadline_ns >= 0)
        {
            abr_archive_async_abandon(&ps->replay_request, ps->archive);
            abr_ps_close_request_publication(ps);
            abr_ps_close_replay_subscription(ps);
            abr_ps_set_up_replay(ps);
            return 1;
        }
        return 0;
    }
    ps->replay_session_id = replay_session_id;
    if (ABR_PS_REPLAY_SESSION_SPECIFIC == ps->replay_channel_type)
    {
        abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION);
        return 1;
    }
    /* Subscribed already: the replay's image is looked for on that subscription. A response channel's request
     * publication has done its work. */
    abr_ps_close_request_publication(ps);
    ps->has_replay_image = false;
    ps->replay_image_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY);
    return 1;
}

/* The Media Driver refused an add for now only (RESOURCE_TEMPORARILY_UNAVAILABLE): PersistentSubscription tells it and
 * tries again. */
static bool abr_ps_add_may_be_retried(void)
{
    return ABR_ERROR_DRIVER_REJECTED == abr_errcode() &&
        ABR_PS_DRIVER_RESOURCE_TEMPORARILY_UNAVAILABLE == abr_errdriver_code();
}

static int abr_ps_add_replay_subscription(abr_archive_persistent_subscription_t *ps)
{
    if (ABR_PS_REPLAY_SESSION_SPECIFIC != ps->replay_channel_type)
    {
        if (abr_client_async_add_subscription(
            &ps->replay_subscription_add, ps->client, ps->replay_channel, ps->replay_stream_id) < 0)
        {
            return abr_ps_fail_with_error(ps, "add the replay subscription");
        }
        abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_SUBSCRIPTION);
        return 1;
    }
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, ps->replay_channel) < 0)
    {
        return abr_ps_fail_with_error(ps, "add the replay subscription");
    }
    char session_id[16];
    snprintf(session_id, sizeof(session_id), "%" PRId32, (int32_t)ps->replay_session_id);
    char *channel = abr_channel_uri_put(&uri, ABR_URI_SESSION_ID_PARAM, session_id) < 0 ? NULL :
        abr_channel_uri_to_string(&uri);
    abr_channel_uri_close(&uri);
    if (NULL == channel)
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the replay channel");
        return abr_ps_fail_with_error(ps, "add the replay subscription");
    }
    int result = abr_client_async_add_subscription(
        &ps->replay_subscription_add, ps->client, channel, ps->replay_stream_id);
    free(channel);
    if (result < 0)
    {
        return abr_ps_fail_with_error(ps, "add the replay subscription");
    }
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_SUBSCRIPTION);
    return 1;
}

static int abr_ps_await_replay_subscription(abr_archive_persistent_subscription_t *ps)
{
    int status = abr_async_add_subscription_poll(&ps->replay_subscription, ps->replay_subscription_add);
    if (0 == status)
    {
        return 0;
    }
    ps->replay_subscription_add = NULL;
    if (status < 0)
    {
        if (abr_ps_add_may_be_retried())
        {
            abr_ps_warn(ps, abr_errcode(), abr_errmsg());
            abr_ps_stop_replay(ps);
            abr_ps_set_up_replay(ps);
            return 1;
        }
        return abr_ps_fail_with_error(ps, "add the replay subscription");
    }
    ps->has_replay_image = false;
    if (ABR_PS_REPLAY_SESSION_SPECIFIC != ps->replay_channel_type)
    {
        abr_ps_set_state(ps, ABR_PS_REPLAY_DYNAMIC_PORT == ps->replay_channel_type ?
            ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_CHANNEL_ENDPOINT :
            ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REQUEST_PUBLICATION);
        return 1;
    }
    ps->replay_image_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY);
    return 1;
}

/* Whether a channel's endpoint names port 0 (the driver picks the port). */
static bool abr_ps_has_port_zero(const char *channel)
{
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, channel) < 0)
    {
        return false;
    }
    const char *endpoint = abr_channel_uri_get(&uri, ABR_URI_ENDPOINT_PARAM);
    size_t length = NULL == endpoint ? 0 : strlen(endpoint);
    bool port_zero = length >= 2 && 0 == strcmp(endpoint + length - 2, ":0");
    abr_channel_uri_close(&uri);
    return port_zero;
}

/* The replay channel with the port the driver bound for the replay subscription, for the archive to send to: the
 * endpoint's host stays as configured, its port 0 becomes the bound one. 0 until the driver has bound it. */
static int abr_ps_await_replay_channel_endpoint(abr_archive_persistent_subscription_t *ps)
{
    if (ABR_PS_REPLAY_DYNAMIC_PORT != ps->replay_channel_type && !abr_ps_has_port_zero(ps->replay_channel))
    {
        /* A response channel names no port of its own to resolve: the archive gets it as configured. */
        free(ps->resolved_replay_channel);
        ps->resolved_replay_channel = strdup(ps->replay_channel);
        if (NULL == ps->resolved_replay_channel)
        {
            abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the replay channel");
            return abr_ps_fail_with_error(ps, "resolve the replay channel's endpoint");
        }
        abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST);
        return 1;
    }
    char address[128];
    int length = abr_client_find_local_socket_address(
        ps->client, abr_subscription_channel_status_id(ps->replay_subscription), address, sizeof(address));
    if (0 == length)
    {
        return 0;
    }
    const char *port = length > 0 ? strrchr(address, ':') : NULL;
    abr_channel_uri_t uri;
    if (NULL == port || abr_channel_uri_parse(&uri, ps->replay_channel) < 0)
    {
        abr_error_set(ABR_ERROR_ILLEGAL_STATE, "no port in the replay subscription's bound address: %s",
            length > 0 ? address : "(not found)");
        return abr_ps_fail_with_error(ps, "resolve the replay channel's endpoint");
    }
    const char *configured = abr_channel_uri_get(&uri, ABR_URI_ENDPOINT_PARAM);
    char endpoint[256];
    int written = snprintf(endpoint, sizeof(endpoint), "%.*s%s", (int)(strrchr(configured, ':') - configured),
        configured, port);
    char *channel = written > 0 && (size_t)written < sizeof(endpoint) &&
        0 == abr_channel_uri_put(&uri, ABR_URI_ENDPOINT_PARAM, endpoint) ? abr_channel_uri_to_string(&uri) : NULL;
    abr_channel_uri_close(&uri);
    if (NULL == channel)
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the resolved replay channel");
        return abr_ps_fail_with_error(ps, "resolve the replay channel's endpoint");
    }
    free(ps->resolved_replay_channel);
    ps->resolved_replay_channel = channel;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST);
    return 1;
}

static int abr_ps_add_request_publication(abr_archive_persistent_subscription_t *ps)
{
    if (NULL == ps->archive)
    {
        return abr_ps_on_send_failed(ps);
    }
    char *channel = abr_archive_replay_request_channel(ps->archive,
        abr_subscription_registration_id(ps->replay_subscription),
        abr_archive_context_get_control_term_buffer_length(ps->archive_context));
    int result = NULL == channel ? -1 : abr_client_async_add_exclusive_publication(&ps->request_publication_add,
        ps->client, channel, abr_archive_context_get_control_request_stream_id(ps->archive_context));
    free(channel);
    if (result < 0)
    {
        return abr_ps_fail_with_error(ps, "add the replay request publication");
    }
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REQUEST_PUBLICATION);
    return 1;
}

static int abr_ps_await_request_publication(abr_archive_persistent_subscription_t *ps)
{
    int status = abr_async_add_exclusive_publication_poll(&ps->request_publication, ps->request_publication_add);
    if (0 == status)
    {
        return 0;
    }
    ps->request_publication_add = NULL;
    if (status < 0)
    {
        if (abr_ps_add_may_be_retried())
        {
            abr_ps_warn(ps, abr_errcode(), abr_errmsg());
            abr_ps_close_replay_subscription(ps);
            abr_ps_set_up_replay(ps);
            return 1;
        }
        return abr_ps_fail_with_error(ps, "add the replay request publication");
    }
    if (abr_archive_proxy_init(&ps->request_proxy, ps->request_publication,
        abr_archive_context_get_message_retry_attempts(ps->archive_context)) < 0)
    {
        return abr_ps_fail_with_error(ps, "add the replay request publication");
    }
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_TOKEN_REQUEST);
    return 1;
}

static int abr_ps_send_replay_token_request(abr_archive_persistent_subscription_t *ps)
{
    if (NULL == ps->archive || abr_archive_async_replay_token(&ps->token_request, ps->archive, ps->recording_id) < 0)
    {
        return abr_ps_on_send_failed(ps);
    }
    ps->token_request_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_TOKEN);
    return 1;
}

static int abr_ps_await_replay_token(abr_archive_persistent_subscription_t *ps)
{
    int64_t token = ABR_ARCHIVE_NULL_VALUE;
    int status = abr_archive_async_poll(&ps->token_request, ps->archive, &token);
    if (0 == status)
    {
        if (abr_nano_time() - ps->token_request_deadline_ns >= 0)
        {
            abr_archive_async_abandon(&ps->token_request, ps->archive);
            abr_ps_close_request_publication(ps);
            abr_ps_close_replay_subscription(ps);
            abr_ps_set_up_replay(ps);
            return 1;
        }
        return 0;
    }
    if (status < 0)
    {
        const bool connected = ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(ps->archive);
        if (!ps->token_request.outstanding && connected)
        {
            return abr_ps_fail(ps, abr_errcode(), ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_NONE,
                "replay token request failed: %s", ps->token_request.waiter.error_message);
        }
        if (ps->token_request.outstanding && connected)
        {
            if (abr_errcode() < ABR_ERROR_ARCHIVE_BASE)
            {
                abr_ps_warn(ps, abr_errcode(), abr_errmsg());
            }
            return 1;
        }
        if (abr_ps_archive_is_lost(ps))
        {
            abr_ps_on_archive_lost(ps);
            return 1;
        }
        return abr_ps_fail_with_error(ps, "get a replay token");
    }
    ps->replay_token = token;
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_CHANNEL_ENDPOINT);
    return 1;
}

static void abr_ps_restart_replay(abr_archive_persistent_subscription_t *ps)
{
    abr_ps_stop_replay(ps);
    abr_ps_close_replay_subscription(ps);
    abr_ps_set_up_replay(ps);
}

/* Ask for the max recorded position, or read its answer: true once the replay is close enough to it to add the live
 * subscription. */
static bool abr_ps_is_caught_up(abr_archive_persistent_subscription_t *ps, int64_t replayed)
{
    switch (ps->max_position_state)
    {
        case ABR_PS_MAX_POSITION_REQUEST:
            if (abr_archive_async_max_recorded_position(&ps->max_position_request, ps->archive, ps->recording_id) == 0)
            {
                ps->max_position_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
                ps->max_position_state = ABR_PS_MAX_POSITION_AWAIT;
            }
            return false;
        case ABR_PS_MAX_POSITION_AWAIT:
        {
            int64_t max_position = ABR_ARCHIVE_NULL_POSITION;
            int status = abr_archive_async_poll(&ps->max_position_request, ps->archive, &max_position);
            if (status < 0)
            {
                abr_ps_on_request_error(ps, &ps->max_position_request, false);
                return false;
            }
            if (0 == status)
            {
                if (abr_nano_time() - ps->max_position_deadline_ns >= 0)
                {
                    abr_archive_async_abandon(&ps->max_position_request, ps->archive);
                    ps->max_position_state = ABR_PS_MAX_POSITION_REQUEST;
                }
                return false;
            }
            ps->max_recorded_position = max_position;
            if (replayed >= max_position - ps->close_enough)
            {
                return true;
            }
            ps->max_position_state = ABR_PS_MAX_POSITION_RECHECK;
            return false;
        }
        case ABR_PS_MAX_POSITION_RECHECK:
            if (replayed >= ps->max_recorded_position)
            {
                ps->max_position_state = ABR_PS_MAX_POSITION_REQUEST;
            }
            return false;
        default:
            return false;
    }
}

static int abr_ps_start_live_subscription(abr_archive_persistent_subscription_t *ps)
{
    ps->has_live_image = false;
    if (abr_client_async_add_subscription(&ps->live_subscription_add, ps->client, ps->live_channel,
        ps->live_stream_id) < 0)
    {
        return abr_ps_fail_with_error(ps, "add the live subscription");
    }
    return 0;
}

/* The live subscription's add, while pending: 0 pending or added, 1 once failed. */
static int abr_ps_poll_live_subscription(abr_archive_persistent_subscription_t *ps)
{
    if (NULL == ps->live_subscription_add)
    {
        return 0;
    }
    int status = abr_async_add_subscription_poll(&ps->live_subscription, ps->live_subscription_add);
    if (0 == status)
    {
        return 0;
    }
    ps->live_subscription_add = NULL;
    if (status < 0)
    {
        if (abr_ps_add_may_be_retried())
        {
            /* Added again: in REPLAY once caught up again, in AWAIT_LIVE at once. */
            abr_ps_warn(ps, abr_errcode(), abr_errmsg());
            if (ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIVE == ps->state)
            {
                abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_LIVE_SUBSCRIPTION);
            }
            return 1;
        }
        return abr_ps_fail_with_error(ps, "add the live subscription");
    }
    ps->live_image_deadline_ns = abr_nano_time() + ps->message_timeout_ns;
    ps->live_image_deadline_breached = false;
    return 0;
}

/* The live subscription's first image into live_image: 1 found, 0 not (the listener told once when none came within
 * the message timeout), -1 the lookup failed (error set). */
static int abr_ps_find_live_image(abr_archive_persistent_subscription_t *ps)
{
    if (abr_subscription_image_count(ps->live_subscription) > 0)
    {
        if (abr_subscription_image_at_index(ps->live_subscription, 0, &ps->live_image) < 0)
        {
            return -1;
        }
        ps->has_live_image = true;
        return 1;
    }
    if (!ps->live_image_deadline_breached && abr_nano_time() - ps->live_image_deadline_ns >= 0)
    {
        ps->live_image_deadline_breached = true;
        char timeout[32];
        abr_format_duration(timeout, sizeof(timeout), ps->message_timeout_ns);
        char message[256];
        snprintf(message, sizeof(message), "No image became available on the live subscription within %s. This "
            "could be caused by the publisher being down, or by a misconfiguration of the subscriber or a firewall "
            "between them.", timeout);
        abr_ps_warn(ps, ABR_ERROR_TIMEOUT, message);
    }
    return 0;
}

static void abr_ps_on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_archive_persistent_subscription_t *ps = clientd;
    abr_header_t keyed = *header;
    keyed.session_id = ABR_PS_ASSEMBLY_KEY;
    abr_fragment_assembler_handler(ps->assembler, buffer, length, &keyed);
}

static void abr_ps_on_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_archive_persistent_subscription_t *ps = clientd;
    abr_header_t delivered = *header;
    delivered.session_id = ps->delivering_session_id;
    ps->handler(ps->handler_clientd, buffer, length, &delivered);
}

static abr_controlled_action_t abr_ps_on_controlled_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_archive_persistent_subscription_t *ps = clientd;
    abr_header_t keyed = *header;
    keyed.session_id = ABR_PS_ASSEMBLY_KEY;
    return abr_controlled_fragment_assembler_handler(ps->controlled_assembler, buffer, length, &keyed);
}

static abr_controlled_action_t abr_ps_on_controlled_message(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_archive_persistent_subscription_t *ps = clientd;
    abr_header_t delivered = *header;
    delivered.session_id = ps->delivering_session_id;
    return ps->controlled_handler(ps->handler_clientd, buffer, length, &delivered);
}

/* Hand fragments of image over (none starting at or past limit), through the assembler of the poll in progress; 0
 * when this call is a binding's do_work, which hands nothing over. */
static int abr_ps_deliver(
    abr_archive_persistent_subscription_t *ps, abr_image_handle_t *image, int64_t limit, int fragment_limit)
{
    ps->delivering_session_id = image->session_id;
    int fragments = 0;
    if (NULL != ps->handler)
    {
        fragments = abr_image_handle_bounded_poll(image, abr_ps_on_fragment, ps, limit, fragment_limit);
    }
    else if (NULL != ps->controlled_handler)
    {
        fragments = abr_image_handle_bounded_controlled_poll(
            image, abr_ps_on_controlled_fragment, ps, limit, fragment_limit);
    }
    /* A poll of an image that has just gone is not an error here: the next step sees it closed. */
    return fragments < 0 ? 0 : fragments;
}

static int abr_ps_replay(abr_archive_persistent_subscription_t *ps, int fragment_limit)
{
    if (!ps->has_replay_image)
    {
        int found = abr_subscription_image_by_session_id(
            ps->replay_subscription, (int32_t)ps->replay_session_id, &ps->replay_image);
        if (found < 0)
        {
            return abr_ps_fail_with_error(ps, "find the replay image");
        }
        if (0 == found)
        {
            if (abr_nano_time() - ps->replay_image_deadline_ns >= 0)
            {
                abr_ps_restart_replay(ps);
                return 1;
            }
            return 0;
        }
        ps->has_replay_image = true;
    }
    if (abr_image_handle_is_closed(&ps->replay_image))
    {
        ps->position = ps->replay_image.last_seen_position;
        abr_ps_close_live_subscription(ps);
        abr_ps_restart_replay(ps);
        return 1;
    }
    if (abr_ps_poll_live_subscription(ps) > 0)
    {
        return 1;
    }
    if (NULL != ps->live_subscription)
    {
        int found = abr_ps_find_live_image(ps);
        if (found < 0)
        {
            return abr_ps_fail_with_error(ps, "find the live image");
        }
        if (found > 0)
        {
            ps->join_difference = abr_ps_handle_position(&ps->live_image) - abr_ps_handle_position(&ps->replay_image);
            abr_ps_counters_join_difference(&ps->counters, ps->join_difference);
            abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH);
            return 1;
        }
    }
    int fragments = abr_ps_deliver(ps, &ps->replay_image, INT64_MAX, fragment_limit);
    ps->position = abr_ps_handle_position(&ps->replay_image);
    if (NULL == ps->live_subscription_add && NULL == ps->live_subscription && abr_ps_is_caught_up(ps, ps->position) &&
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED != ps->state)
    {
        if (abr_ps_start_live_subscription(ps) > 0)
        {
            return 1;
        }
    }
    return fragments;
}

static void abr_ps_join_live(abr_archive_persistent_subscription_t *ps)
{
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE);
    abr_ps_stop_replay(ps);
    abr_ps_close_replay_subscription(ps);
    abr_ps_counters_live_joined(&ps->counters);
    if (NULL != ps->listener.on_live_joined)
    {
        ps->listener.on_live_joined(ps->listener.clientd);
    }
}

/* The live image's catch-up: what the replay has handed over already (fragments ending at or before its position)
 * is skipped, up to the first fragment beyond it. */
static abr_controlled_action_t abr_ps_skip_replayed(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)buffer;
    (void)length;
    const int64_t *replay_position = clientd;
    return header->position <= *replay_position ? ABR_ACTION_CONTINUE : ABR_ACTION_ABORT;
}

/* Where the replay may hand over up to while switching: the live image's position once the live image has caught
 * up past the replay's (the switch happens there), otherwise no bound. */
static int64_t abr_ps_switch_limit(int64_t live_position, int64_t replay_position)
{
    return live_position > replay_position ? live_position : INT64_MAX;
}

static int abr_ps_attempt_switch(abr_archive_persistent_subscription_t *ps, int fragment_limit)
{
    int64_t live_position = abr_ps_handle_position(&ps->live_image);
    int64_t replay_position = abr_ps_handle_position(&ps->replay_image);
    if (live_position == replay_position)
    {
        abr_ps_join_live(ps);
        return 1;
    }
    if (abr_image_handle_is_closed(&ps->replay_image))
    {
        ps->position = replay_position;
        abr_ps_observe_live_position(ps, live_position);
        abr_ps_close_live_subscription(ps);
        abr_ps_stop_replay(ps);
        abr_ps_close_replay_subscription(ps);
        abr_ps_refresh_recording(ps);
        return 1;
    }
    if (abr_image_handle_is_closed(&ps->live_image))
    {
        abr_ps_close_live_subscription(ps);
        abr_ps_reset_catchup(ps);
        abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY);
        return 1;
    }
    int fragments = abr_image_handle_controlled_poll(&ps->live_image, abr_ps_skip_replayed, &replay_position,
        fragment_limit);
    fragments = fragments < 0 ? 0 : fragments;
    live_position = abr_ps_handle_position(&ps->live_image);
    if (live_position != replay_position)
    {
        fragments += abr_ps_deliver(
            ps, &ps->replay_image, abr_ps_switch_limit(live_position, replay_position), fragment_limit);
        replay_position = abr_ps_handle_position(&ps->replay_image);
        ps->position = replay_position;
    }
    if (live_position == replay_position)
    {
        abr_ps_join_live(ps);
    }
    return fragments;
}

static int abr_ps_add_live_subscription(abr_archive_persistent_subscription_t *ps)
{
    if (abr_ps_start_live_subscription(ps) > 0)
    {
        return 1;
    }
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIVE);
    return 1;
}

static int abr_ps_await_live(abr_archive_persistent_subscription_t *ps)
{
    if (abr_ps_poll_live_subscription(ps) > 0)
    {
        return 1;
    }
    if (NULL == ps->live_subscription)
    {
        return 0;
    }
    int found = abr_ps_find_live_image(ps);
    if (found < 0)
    {
        return abr_ps_fail_with_error(ps, "find the live image");
    }
    if (0 == found)
    {
        return 0;
    }
    int64_t live_position = abr_ps_handle_position(&ps->live_image);
    abr_ps_observe_live_position(ps, live_position);
    if (ps->position >= 0 && live_position > ps->position)
    {
        /* The live stream is past where the consumer is: what lies between comes from the recording. */
        abr_ps_close_live_subscription(ps);
        abr_ps_refresh_recording(ps);
        return 1;
    }
    ps->position = live_position;
    ps->join_difference = 0;
    abr_ps_counters_join_difference(&ps->counters, ps->join_difference);
    abr_ps_set_state(ps, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE);
    abr_ps_counters_live_joined(&ps->counters);
    if (NULL != ps->listener.on_live_joined)
    {
        ps->listener.on_live_joined(ps->listener.clientd);
    }
    return 1;
}

static int abr_ps_live(abr_archive_persistent_subscription_t *ps, int fragment_limit)
{
    int fragments = abr_ps_deliver(ps, &ps->live_image, INT64_MAX, fragment_limit);
    if (0 == fragments && abr_image_handle_is_closed(&ps->live_image))
    {
        int64_t final_position = ps->live_image.last_seen_position;
        abr_ps_observe_live_position(ps, final_position);
        ps->position = final_position;
        abr_ps_close_live_subscription(ps);
        abr_ps_refresh_recording(ps);
        abr_ps_counters_live_left(&ps->counters);
        if (NULL != ps->listener.on_live_left)
        {
            ps->listener.on_live_left(ps->listener.clientd);
        }
        return 1;
    }
    ps->position = abr_ps_handle_position(&ps->live_image);
    return fragments;
}

/* Read the archive's response channel now and then while no request waits: an error response answers no request of
 * this subscription and is passed over; another failure of the session is told (not terminal). A client that lost
 * its archive is noticed by the next request. */
static void abr_ps_poll_archive(abr_archive_persistent_subscription_t *ps)
{
    if (NULL == ps->archive || ps->replay_request.outstanding || ps->max_position_request.outstanding ||
        ps->listing.outstanding || ps->token_request.outstanding ||
        ABR_ARCHIVE_STATE_CONNECTED != abr_archive_get_state(ps->archive))
    {
        return;
    }
    int64_t now_ns = abr_nano_time();
    if (now_ns - ps->next_archive_poll_ns < 0)
    {
        return;
    }
    ps->next_archive_poll_ns = now_ns + ABR_PS_ARCHIVE_POLL_INTERVAL_NS;
    int64_t ignored;
    if (abr_archive_async_poll(NULL, ps->archive, &ignored) < 0 &&
        ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(ps->archive))
    {
        /* An archive's error response answers a request no longer awaited here (none is outstanding), such as the
         * replay whose subscription went at the switch to live ("stream closed before replay complete" from 1.44):
         * PersistentSubscription passes over responses that match none of its requests, and so does this. */
        if (abr_errcode() >= ABR_ERROR_ARCHIVE_BASE)
        {
            return;
        }
        abr_ps_warn(ps, abr_errcode(), abr_errmsg());
    }
}

static int abr_ps_step(abr_archive_persistent_subscription_t *ps, int fragment_limit)
{
    if (abr_ps_archive_is_lost(ps))
    {
        abr_ps_on_archive_lost(ps);
    }
    abr_ps_keep_archive_connected(ps);
    abr_ps_poll_archive(ps);
    switch (ps->state)
    {
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION: return abr_ps_await_archive_connection(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST:
            return abr_ps_send_list_recording_request(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIST_RECORDING_RESPONSE:
            return abr_ps_await_list_recording_response(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST: return abr_ps_send_replay_request(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_RESPONSE: return abr_ps_await_replay_response(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION: return abr_ps_add_replay_subscription(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_SUBSCRIPTION: return abr_ps_await_replay_subscription(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_CHANNEL_ENDPOINT:
            return abr_ps_await_replay_channel_endpoint(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REQUEST_PUBLICATION: return abr_ps_add_request_publication(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REQUEST_PUBLICATION: return abr_ps_await_request_publication(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_TOKEN_REQUEST: return abr_ps_send_replay_token_request(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_TOKEN: return abr_ps_await_replay_token(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY: return abr_ps_replay(ps, fragment_limit);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH: return abr_ps_attempt_switch(ps, fragment_limit);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_LIVE_SUBSCRIPTION: return abr_ps_add_live_subscription(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIVE: return abr_ps_await_live(ps);
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE: return abr_ps_live(ps, fragment_limit);
        default: return 0;
    }
}

static int abr_ps_check_poll(abr_archive_persistent_subscription_t *ps, bool handler_null, int fragment_limit,
    const char *operation)
{
    if (NULL == ps || handler_null)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription %s: %s must not be null", operation,
            NULL == ps ? "subscription" : "handler");
    }
    if (fragment_limit <= 0)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription %s: fragment_limit must be > 0, got %d",
            operation, fragment_limit);
    }
    if (ps->in_poll || NULL != ps->ref_subscription)
    {
        return abr_error_set(ABR_ERROR_ILLEGAL_STATE, "persistent subscription %s: called from its own handler or "
            "between poll_ref and poll_ref_done: recordingId=%" PRId64, operation, ps->recording_id);
    }
    return 0;
}

static int abr_ps_run(abr_archive_persistent_subscription_t *ps, int fragment_limit)
{
    ps->in_poll = true;
    int work = abr_ps_step(ps, fragment_limit);
    ps->in_poll = false;
    ps->handler = NULL;
    ps->controlled_handler = NULL;
    ps->handler_clientd = NULL;
    return work;
}

int abr_archive_persistent_subscription_poll(
    abr_archive_persistent_subscription_t *subscription, abr_fragment_handler_t handler, void *clientd,
    int fragment_limit)
{
    if (abr_ps_check_poll(subscription, NULL == handler, fragment_limit, "poll") < 0)
    {
        return -1;
    }
    subscription->handler = handler;
    subscription->handler_clientd = clientd;
    return abr_ps_run(subscription, fragment_limit);
}

int abr_archive_persistent_subscription_controlled_poll(
    abr_archive_persistent_subscription_t *subscription, abr_controlled_fragment_handler_t handler, void *clientd,
    int fragment_limit)
{
    if (abr_ps_check_poll(subscription, NULL == handler, fragment_limit, "controlled poll") < 0)
    {
        return -1;
    }
    subscription->controlled_handler = handler;
    subscription->handler_clientd = clientd;
    return abr_ps_run(subscription, fragment_limit);
}

int abr_archive_persistent_subscription_do_work(abr_archive_persistent_subscription_t *subscription, int fragment_limit)
{
    if (abr_ps_check_poll(subscription, false, fragment_limit, "do work") < 0)
    {
        return -1;
    }
    return abr_ps_run(subscription, fragment_limit);
}

int abr_archive_persistent_subscription_poll_ref(
    abr_archive_persistent_subscription_t *subscription, abr_image_ref_t *ref, int64_t *limit_position)
{
    if (NULL == subscription || NULL == ref || NULL == limit_position)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription poll ref: %s must not be null",
            NULL == subscription ? "subscription" : NULL == ref ? "ref" : "limit_position");
    }
    if (subscription->in_poll || NULL != subscription->ref_subscription)
    {
        return abr_error_set(ABR_ERROR_ILLEGAL_STATE, "persistent subscription poll ref: a poll_ref is not done yet");
    }
    abr_image_handle_t *image = NULL;
    int64_t limit = INT64_MAX;
    switch (subscription->state)
    {
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY:
            image = subscription->has_replay_image ? &subscription->replay_image : NULL;
            break;
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH:
            image = &subscription->replay_image;
            limit = abr_ps_switch_limit(abr_ps_handle_position(&subscription->live_image),
                abr_ps_handle_position(&subscription->replay_image));
            break;
        case ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE:
            image = &subscription->live_image;
            break;
        default:
            break;
    }
    /* A closed image has nothing more to read: the next do_work moves on from it. */
    if (NULL == image || abr_image_handle_poll_ref(image, ref) < 0)
    {
        return 0;
    }
    subscription->ref_subscription = image->subscription;
    subscription->ref_image = image;
    *limit_position = limit;
    return 1;
}

int abr_archive_persistent_subscription_poll_ref_done(abr_archive_persistent_subscription_t *subscription)
{
    if (NULL == subscription)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription poll ref done: subscription must "
            "not be null");
    }
    if (NULL == subscription->ref_subscription)
    {
        return abr_error_set(ABR_ERROR_ILLEGAL_STATE, "persistent subscription poll ref done: no poll_ref before it");
    }
    abr_image_handle_t *image = subscription->ref_image;
    subscription->ref_subscription = NULL;
    subscription->ref_image = NULL;
    /* The binding moved the image's position itself: the handle keeps it, for the position to resume from should the
     * image go before the next poll (a stale one would hand the last messages over twice). */
    return abr_image_handle_poll_ref_done(image);
}

/* The context checked, its replay channel type (abr_ps_replay_channel_type_t) returned; -1 with the error set. */
static int abr_ps_check_context(const abr_archive_persistent_subscription_context_t *context)
{
    const char *missing = ABR_ARCHIVE_NULL_VALUE == context->recording_id ? "recordingId" :
        !context->live_stream_id_set ? "liveStreamId" : NULL == context->live_channel ? "liveChannel" :
        NULL == context->replay_channel ? "replayChannel" : !context->replay_stream_id_set ? "replayStreamId" :
        NULL == context->archive_context ? "aeronArchiveContext" : NULL;
    if (NULL != missing)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription create: %s must be set", missing);
    }
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, context->live_channel) < 0)
    {
        return abr_error_prefix("persistent subscription create: liveChannel: ");
    }
    abr_channel_uri_close(&uri);
    if (abr_channel_uri_parse(&uri, context->replay_channel) < 0)
    {
        return abr_error_prefix("persistent subscription create: replayChannel: ");
    }
    const char *control_mode = abr_channel_uri_get(&uri, ABR_URI_CONTROL_MODE_PARAM);
    const char *endpoint = abr_channel_uri_get(&uri, ABR_URI_ENDPOINT_PARAM);
    size_t endpoint_length = NULL == endpoint ? 0 : strlen(endpoint);
    bool response = NULL != control_mode && 0 == strcmp(control_mode, ABR_URI_CONTROL_MODE_RESPONSE);
    bool dynamic_port = 0 == strcmp(uri.media, "udp") && endpoint_length >= 2 &&
        0 == strcmp(endpoint + endpoint_length - 2, ":0");
    bool replay_ipc = 0 == strcmp(uri.media, "ipc");
    abr_channel_uri_close(&uri);
    if (response)
    {
        const char *control_channel = context->archive_context->control_request_channel;
        if (NULL != control_channel && abr_channel_uri_parse(&uri, control_channel) == 0)
        {
            bool control_ipc = 0 == strcmp(uri.media, "ipc");
            abr_channel_uri_close(&uri);
            if (replay_ipc != control_ipc)
            {
                /* PersistentSubscription.Context's words. */
                return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "Channel media type mismatch. When using "
                    "`control-mode=response`, the `replayChannel` media type must match the media type for the "
                    "archive control channel.");
            }
        }
        return ABR_PS_REPLAY_RESPONSE_CHANNEL;
    }
    return dynamic_port ? ABR_PS_REPLAY_DYNAMIC_PORT : ABR_PS_REPLAY_SESSION_SPECIFIC;
}

/* The archive context's copy, naming the client core the subscriptions are added on (and each archive client connects
 * over): the context's own, or one connected here, as PersistentSubscription's context connects an Aeron when given
 * none. The client core outlives archive clients lost and connected again. */
static int abr_ps_set_up_client(abr_archive_persistent_subscription_t *ps, const abr_archive_context_t *archive_context)
{
    if (abr_archive_context_duplicate(&ps->archive_context, archive_context) < 0)
    {
        return -1;
    }
    if (NULL == ps->archive_context->client)
    {
        abr_context_t *client_context = NULL;
        if (abr_context_init(&client_context) < 0)
        {
            return -1;
        }
        int result = (NULL != ps->archive_context->aeron_directory_name &&
            abr_context_set_dir(client_context, ps->archive_context->aeron_directory_name) < 0) ||
            abr_client_connect(&ps->owned_client, client_context) < 0 ? -1 : 0;
        abr_context_close(client_context);
        if (result < 0 || abr_archive_context_set_client(ps->archive_context, ps->owned_client) < 0)
        {
            return -1;
        }
    }
    ps->client = ps->archive_context->client;
    return 0;
}

/* The replay channel as PersistentSubscription uses it: with rejoin=false, so that a replay image that goes stays
 * gone and the replay is asked for again from where it was. */
static char *abr_ps_replay_channel(const char *configured)
{
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, configured) < 0)
    {
        return NULL;
    }
    char *channel = abr_channel_uri_put(&uri, "rejoin", "false") < 0 ? NULL : abr_channel_uri_to_string(&uri);
    abr_channel_uri_close(&uri);
    return channel;
}

int abr_archive_persistent_subscription_close(abr_archive_persistent_subscription_t *subscription)
{
    if (NULL == subscription)
    {
        return 0;
    }
    if (NULL != subscription->ref_subscription)
    {
        abr_archive_persistent_subscription_poll_ref_done(subscription);
    }
    abr_ps_clean_up(subscription);
    abr_archive_async_connect_close(subscription->connect);
    abr_ps_counters_close(&subscription->counters);
    int result = abr_archive_close(subscription->archive);
    abr_archive_context_close(subscription->archive_context);
    if (NULL != subscription->owned_client && abr_client_close(subscription->owned_client) < 0)
    {
        result = -1;
    }
    abr_fragment_assembler_close(subscription->assembler);
    abr_controlled_fragment_assembler_close(subscription->controlled_assembler);
    free(subscription->live_channel);
    free(subscription->replay_channel);
    free(subscription->resolved_replay_channel);
    free(subscription);
    return result;
}

int abr_archive_persistent_subscription_create(
    abr_archive_persistent_subscription_t **subscription, abr_archive_persistent_subscription_context_t *context)
{
    if (NULL == subscription || NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription create: %s must not be null",
            NULL == subscription ? "subscription out-pointer" : "context");
    }
    *subscription = NULL;
    int replay_channel_type = abr_ps_check_context(context);
    if (replay_channel_type < 0)
    {
        return -1;
    }
    abr_archive_persistent_subscription_t *ps = calloc(1, sizeof(*ps));
    if (NULL == ps)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "persistent subscription create: out of memory");
    }
    ps->state = ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION;
    ps->recording_id = context->recording_id;
    ps->position = context->start_position;
    ps->live_stream_id = context->live_stream_id;
    ps->replay_stream_id = context->replay_stream_id;
    ps->replay_channel_type = (abr_ps_replay_channel_type_t)replay_channel_type;
    ps->listener = context->listener;
    ps->message_timeout_ns = abr_archive_context_get_message_timeout_ns(context->archive_context);
    ps->replay_session_id = ABR_ARCHIVE_NULL_VALUE;
    ps->last_observed_live_position = ABR_ARCHIVE_NULL_VALUE;
    ps->join_difference = INT64_MIN;
    ps->failure_reason = ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_NONE;
    ps->live_channel = strdup(context->live_channel);
    ps->replay_channel = abr_ps_replay_channel(context->replay_channel);
    int result = NULL == ps->live_channel || NULL == ps->replay_channel ?
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory") : 0;
    if (0 == result)
    {
        result = abr_ps_counters_init(&ps->counters, context->counters, (int32_t)ps->state,
            context->replay_stream_id, ps->replay_channel, context->live_stream_id, context->live_channel);
    }
    if (0 == result)
    {
        result = abr_fragment_assembler_init(&ps->assembler, abr_ps_on_message, ps) < 0 ||
            abr_controlled_fragment_assembler_init(&ps->controlled_assembler, abr_ps_on_controlled_message, ps) < 0 ||
            abr_ps_set_up_client(ps, context->archive_context) < 0 ||
            abr_ps_counters_allocate(&ps->counters, ps->client, (int32_t)ps->state) < 0 ? -1 : 0;
    }
    if (result < 0)
    {
        abr_error_prefix("persistent subscription create: ");
        char message[ABR_ERROR_MESSAGE_MAX_LENGTH];
        int code = abr_errcode();
        snprintf(message, sizeof(message), "%s", abr_errmsg());
        abr_archive_persistent_subscription_close(ps);
        return abr_error_set(code, "%s", message);
    }
    *subscription = ps;
    return 0;
}

int abr_archive_persistent_subscription_state(abr_archive_persistent_subscription_t *subscription)
{
    return NULL == subscription ? -1 : (int)subscription->state;
}

bool abr_archive_persistent_subscription_is_live(abr_archive_persistent_subscription_t *subscription)
{
    return NULL != subscription && ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE == subscription->state;
}

bool abr_archive_persistent_subscription_is_replaying(abr_archive_persistent_subscription_t *subscription)
{
    return NULL != subscription && (ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY == subscription->state ||
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH == subscription->state);
}

bool abr_archive_persistent_subscription_has_failed(abr_archive_persistent_subscription_t *subscription)
{
    return NULL != subscription && ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED == subscription->state;
}

const char *abr_archive_persistent_subscription_failure(
    abr_archive_persistent_subscription_t *subscription, int *code, int *reason)
{
    if (NULL == subscription || ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED != subscription->state)
    {
        return NULL;
    }
    if (NULL != code)
    {
        *code = subscription->failure_code;
    }
    if (NULL != reason)
    {
        *reason = subscription->failure_reason;
    }
    return subscription->failure;
}

int64_t abr_archive_persistent_subscription_position(abr_archive_persistent_subscription_t *subscription)
{
    return NULL == subscription ? -1 : subscription->position;
}
