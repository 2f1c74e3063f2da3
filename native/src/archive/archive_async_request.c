#include <inttypes.h>
#include <stdio.h>

#include "abr_codecs/controlResponse.h"

#include "archive_async_request.h"
#include "core/error.h"

static void abr_archive_async_unlink(abr_archive_async_request_t *request, abr_archive_t *archive)
{
    for (abr_archive_waiter_t **cursor = &archive->waiters; NULL != *cursor; cursor = &(*cursor)->outer)
    {
        if (*cursor == &request->waiter)
        {
            *cursor = request->waiter.outer;
            break;
        }
    }
    request->outstanding = false;
}

typedef int (*abr_archive_async_send_t)(abr_archive_t *archive, int64_t correlation_id, const void *request);

static int abr_archive_async_send(
    abr_archive_async_request_t *request, abr_archive_t *archive, const char *operation, abr_archive_async_send_t send,
    const void *body)
{
    if (request->outstanding)
    {
        return abr_error_set(ABR_ERROR_ILLEGAL_STATE, "%s: the request before it (%s, correlationId=%" PRId64
            ") is still outstanding", operation, request->operation, request->waiter.correlation_id);
    }
    if (abr_archive_enter(archive, operation) < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    request->operation = operation;
    request->waiter = (abr_archive_waiter_t){ .correlation_id = correlation_id, .arrived = false,
        .outer = archive->waiters };
    /* Linked before the send: an answer read by anyone from then on is kept for this request. */
    archive->waiters = &request->waiter;
    request->outstanding = true;
    int result = send(archive, correlation_id, body);
    if (result < 0)
    {
        abr_archive_async_unlink(request, archive);
        abr_archive_error_context(archive, correlation_id);
    }
    abr_archive_exit(archive);
    return result;
}

static int abr_archive_async_send_max_recorded_position(
    abr_archive_t *archive, int64_t correlation_id, const void *recording_id)
{
    return abr_archive_proxy_max_recorded_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)recording_id);
}

static int abr_archive_async_send_replay(abr_archive_t *archive, int64_t correlation_id, const void *replay)
{
    return abr_archive_proxy_replay(&archive->proxy, archive->control_session_id, correlation_id, replay);
}

int abr_archive_async_max_recorded_position(
    abr_archive_async_request_t *request, abr_archive_t *archive, int64_t recording_id)
{
    return abr_archive_async_send(
        request, archive, "get max recorded position", abr_archive_async_send_max_recorded_position, &recording_id);
}

int abr_archive_async_replay(
    abr_archive_async_request_t *request, abr_archive_t *archive, const abr_archive_replay_request_t *replay)
{
    return abr_archive_async_send(request, archive, "start replay", abr_archive_async_send_replay, replay);
}

static int abr_archive_async_send_replay_token(abr_archive_t *archive, int64_t correlation_id, const void *recording_id)
{
    return abr_archive_proxy_replay_token(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)recording_id);
}

int abr_archive_async_replay_token(abr_archive_async_request_t *request, abr_archive_t *archive, int64_t recording_id)
{
    return abr_archive_async_send(
        request, archive, "replay token", abr_archive_async_send_replay_token, &recording_id);
}

typedef struct abr_archive_async_replay_via_stct
{
    abr_archive_proxy_t *proxy;
    const abr_archive_replay_request_t *replay;
}
abr_archive_async_replay_via_t;

static int abr_archive_async_send_replay_via(abr_archive_t *archive, int64_t correlation_id, const void *body)
{
    const abr_archive_async_replay_via_t *via = body;
    return abr_archive_proxy_replay(via->proxy, archive->control_session_id, correlation_id, via->replay);
}

int abr_archive_async_replay_via(abr_archive_async_request_t *request, abr_archive_t *archive,
    abr_archive_proxy_t *proxy, const abr_archive_replay_request_t *replay)
{
    if (NULL == proxy)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "start replay: proxy must not be null");
    }
    abr_archive_async_replay_via_t via = { proxy, replay };
    return abr_archive_async_send(request, archive, "start replay", abr_archive_async_send_replay_via, &via);
}

int abr_archive_async_stop_replay_unanswered(abr_archive_t *archive, int64_t replay_session_id)
{
    if (abr_archive_enter(archive, "stop replay") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int result = abr_archive_proxy_stop_replay(
        &archive->proxy, archive->control_session_id, correlation_id, replay_session_id);
    if (result < 0)
    {
        abr_archive_error_context(archive, correlation_id);
    }
    abr_archive_exit(archive);
    return result;
}

static void abr_archive_async_on_other_response(
    void *clientd, int64_t correlation_id, int32_t code, int64_t relevant_id, const char *error_message)
{
    abr_archive_pass_to_waiter(clientd, correlation_id, code, relevant_id, error_message);
}

/* The outcome of an answered request (unlinked already). */
static int abr_archive_async_answer(abr_archive_async_request_t *request, abr_archive_t *archive, int64_t *relevant_id)
{
    const abr_archive_waiter_t *waiter = &request->waiter;
    if (ABR_CONTROL_RESPONSE_CODE_OK == waiter->code)
    {
        *relevant_id = waiter->relevant_id;
        return 1;
    }
    if (ABR_CONTROL_RESPONSE_CODE_ERROR == waiter->code)
    {
        abr_error_set(abr_error_code_from_archive(waiter->relevant_id), "%s: response for correlationId=%" PRId64
            ", error: %s", request->operation, waiter->correlation_id, waiter->error_message);
    }
    else
    {
        const char *name = abr_control_response_code_name(waiter->code);
        abr_error_set(ABR_ERROR_ARCHIVE_PROTOCOL, "%s: unexpected response code: %s (%" PRId32 ")", request->operation,
            NULL != name ? name : "unknown", waiter->code);
    }
    return abr_archive_error_context(archive, waiter->correlation_id);
}

int abr_archive_async_poll(abr_archive_async_request_t *request, abr_archive_t *archive, int64_t *relevant_id)
{
    if (abr_archive_enter(archive, NULL != request && request->outstanding ? request->operation : "poll") < 0)
    {
        /* Closed: no answer can come any more. The struct outlives the close until abr_archive_close frees it. */
        if (NULL != request && NULL != archive)
        {
            abr_error_saved_t error;
            abr_error_save(&error);
            abr_archive_async_abandon(request, archive);
            abr_error_restore(&error);
        }
        return -1;
    }
    bool outstanding = NULL != request && request->outstanding;
    int result = 0;
    if (!outstanding || !request->waiter.arrived)
    {
        int fragments = 0;
        abr_archive_poll_event_t event = abr_archive_poll_once(archive, &fragments);
        if (ABR_ARCHIVE_POLL_FAILED == event)
        {
            result = abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
        }
        else if (ABR_ARCHIVE_POLL_ERROR == event)
        {
            /* An error of this session nobody claimed: the state machine's to report, as ReplayMerge reports it. */
            const abr_control_response_poller_t *poller = &archive->response_poller;
            abr_error_set(abr_error_code_from_archive(poller->relevant_id), "archive response for correlationId=%"
                PRId64 ", error: %s", poller->correlation_id, poller->error_message);
            result = abr_archive_error_context(archive, poller->correlation_id);
        }
        else if (0 == fragments && !(outstanding && request->waiter.arrived))
        {
            result = abr_archive_check_response_channel(archive, outstanding ? request->waiter.correlation_id :
                ABR_ARCHIVE_NULL_VALUE);
        }
    }
    if (outstanding && request->waiter.arrived)
    {
        abr_archive_async_unlink(request, archive);
        result = abr_archive_async_answer(request, archive, relevant_id);
    }
    abr_archive_exit(archive);
    return result;
}

void abr_archive_async_abandon(abr_archive_async_request_t *request, abr_archive_t *archive)
{
    if (NULL == request || NULL == archive || !request->outstanding)
    {
        return;
    }
    abr_archive_lock(archive);
    abr_archive_async_unlink(request, archive);
    abr_archive_unlock(archive);
}

int abr_archive_async_list_recording(
    abr_archive_async_listing_t *listing,
    abr_archive_t *archive,
    int64_t recording_id,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd)
{
    if (NULL == listing || NULL == consumer)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "list recording: %s must not be null",
            NULL == listing ? "listing" : "consumer");
    }
    if (abr_archive_enter(archive, "list recording") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    abr_recording_descriptor_poller_t *poller = &archive->descriptor_poller;
    abr_recording_descriptor_poller_reset(poller, correlation_id, 1, consumer, clientd);
    /* Another request's answer read meanwhile goes to whoever waits for it, or is passed over. */
    poller->other_response = abr_archive_async_on_other_response;
    poller->other_response_clientd = archive;
    int result = abr_archive_proxy_list_recording(
        &archive->proxy, archive->control_session_id, correlation_id, recording_id);
    if (result < 0)
    {
        abr_archive_error_context(archive, correlation_id);
    }
    listing->outstanding = result >= 0;
    listing->correlation_id = correlation_id;
    abr_archive_exit(archive);
    return result < 0 ? -1 : 0;
}

int abr_archive_async_listing_poll(abr_archive_async_listing_t *listing, abr_archive_t *archive, int32_t *count)
{
    if (NULL == listing || NULL == count)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "list recording poll: %s must not be null",
            NULL == listing ? "listing" : "count");
    }
    if (!listing->outstanding)
    {
        return abr_error_set(ABR_ERROR_ILLEGAL_STATE, "list recording poll: no listing is outstanding");
    }
    if (abr_archive_enter(archive, "list recording") < 0)
    {
        listing->outstanding = false;
        return -1;
    }
    abr_recording_descriptor_poller_t *poller = &archive->descriptor_poller;
    int result = 0;
    if (poller->correlation_id != listing->correlation_id)
    {
        result = abr_error_set(ABR_ERROR_ILLEGAL_STATE, "list recording: another listing of the client replaced "
            "this one (correlationId=%" PRId64 ")", listing->correlation_id);
    }
    else
    {
        /* Callbacks of the poll may not make calls of the client, as during any listing. */
        archive->in_listing = true;
        int fragments = abr_recording_descriptor_poller_poll(poller);
        archive->in_listing = false;
        if (fragments < 0)
        {
            result = abr_archive_error_context(archive, listing->correlation_id);
        }
        else if (poller->is_dispatch_complete)
        {
            *count = 1 - poller->remaining_record_count;
            result = 1;
        }
        else if (0 == fragments)
        {
            result = abr_archive_check_response_channel(archive, listing->correlation_id);
        }
    }
    if (0 != result)
    {
        listing->outstanding = false;
    }
    abr_archive_exit(archive);
    return result;
}
