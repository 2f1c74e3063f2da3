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
