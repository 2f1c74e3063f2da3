/*
 * What the archive sends a session when no call is waiting: recording signals and errors. The three calls here poll
 * the response channel once each, as AeronArchive's pollForErrorResponse, checkForErrorResponse and
 * pollForRecordingSignals do; the auto-poll thread uses the same step, and keeps an error nobody handled so that the
 * next of these calls reports it instead of losing it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "abr_codecs/controlResponse.h"
#include "abr_codecs/recordingSignalEvent.h"

#include "archive_client.h"
#include "core/error.h"

abr_archive_poll_event_t abr_archive_poll_next(abr_archive_t *archive, int *fragments_read)
{
    abr_control_response_poller_t *poller = &archive->response_poller;
    int fragments = abr_control_response_poller_poll(poller);
    if (NULL != fragments_read)
    {
        *fragments_read = fragments < 0 ? 0 : fragments;
    }
    if (fragments < 0)
    {
        return ABR_ARCHIVE_POLL_FAILED;
    }
    if (!poller->is_poll_complete || poller->control_session_id != archive->control_session_id)
    {
        return ABR_ARCHIVE_POLL_NOTHING;
    }
    if (abr_codecs_recordingSignalEvent_sbe_template_id() == poller->template_id)
    {
        return ABR_ARCHIVE_POLL_SIGNAL;
    }
    if (abr_codecs_controlResponse_sbe_template_id() == poller->template_id &&
        abr_archive_pass_to_waiter(
            archive, poller->correlation_id, poller->code, poller->relevant_id, poller->error_message))
    {
        /* Polled from a callback inside a call of this thread: the response is that call's. */
        return ABR_ARCHIVE_POLL_NOTHING;
    }
    if (abr_codecs_controlResponse_sbe_template_id() == poller->template_id &&
        ABR_CONTROL_RESPONSE_CODE_ERROR == poller->code)
    {
        return ABR_ARCHIVE_POLL_ERROR;
    }
    return ABR_ARCHIVE_POLL_NOTHING;
}

abr_archive_poll_event_t abr_archive_poll_once(abr_archive_t *archive, int *fragments_read)
{
    abr_archive_poll_event_t event = abr_archive_poll_next(archive, fragments_read);
    if (ABR_ARCHIVE_POLL_SIGNAL == event)
    {
        abr_archive_dispatch_signal(archive, &archive->response_poller);
    }
    return event;
}

void abr_archive_keep_pending_error(abr_archive_t *archive)
{
    const abr_control_response_poller_t *poller = &archive->response_poller;
    archive->pending_error.present = true;
    archive->pending_error.code = abr_error_code_from_archive(poller->relevant_id);
    archive->pending_error.correlation_id = poller->correlation_id;
    snprintf(archive->pending_error.message, sizeof(archive->pending_error.message), "%s", poller->error_message);
}

/* Fail with the kept error (and forget it): the archive's code and text, with the session's identity. */
static int abr_archive_raise_pending_error(abr_archive_t *archive)
{
    archive->pending_error.present = false;
    abr_error_set(archive->pending_error.code, "%s", archive->pending_error.message);
    return abr_archive_error_context(archive, archive->pending_error.correlation_id);
}

static int abr_archive_raise_poller_error(abr_archive_t *archive)
{
    const abr_control_response_poller_t *poller = &archive->response_poller;
    abr_error_set(abr_error_code_from_archive(poller->relevant_id), "%s", poller->error_message);
    return abr_archive_error_context(archive, poller->correlation_id);
}

static int abr_archive_copy_text(char *buffer, size_t buffer_length, const char *text)
{
    snprintf(buffer, buffer_length, "%s", text);
    return 1;
}

int abr_archive_poll_for_error_response(abr_archive_t *archive, char *buffer, size_t buffer_length)
{
    if (NULL == buffer || 0 == buffer_length)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "poll for error response: %s", NULL == buffer ? "buffer must not be null" :
            "buffer_length must be > 0");
    }
    /* Closed just now, AeronArchive goes on to find its response channel not connected and says so. */
    if (abr_archive_enter_or_self_close(archive, "poll for error response") < 0)
    {
        return -1;
    }
    int result = 0;
    if (archive->pending_error.present)
    {
        archive->pending_error.present = false;
        result = abr_archive_copy_text(buffer, buffer_length, archive->pending_error.message);
    }
    else if (!abr_subscription_is_connected(archive->subscription))
    {
        abr_archive_mark_disconnected(archive);
        result = abr_archive_copy_text(buffer, buffer_length, ABR_ARCHIVE_NOT_CONNECTED_MSG);
    }
    else
    {
        switch (abr_archive_poll_once(archive, NULL))
        {
            case ABR_ARCHIVE_POLL_FAILED:
                result = abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
                break;
            case ABR_ARCHIVE_POLL_ERROR:
                result = abr_archive_copy_text(buffer, buffer_length, archive->response_poller.error_message);
                break;
            default:
                break;
        }
    }
    abr_archive_exit(archive);
    return result;
}

/* An error for this session: to the handler when there is one, else a failure of the call. */
static int abr_archive_report_error(abr_archive_t *archive)
{
    return abr_archive_handle_error(archive, &archive->response_poller) ? 0 : abr_archive_raise_poller_error(archive);
}

int abr_archive_check_for_error_response(abr_archive_t *archive)
{
    /* Closed just now, AeronArchive goes on to find its response channel not connected and reports that. */
    if (abr_archive_enter_or_self_close(archive, "check for error response") < 0)
    {
        return -1;
    }
    int result = 0;
    if (archive->pending_error.present)
    {
        result = abr_archive_raise_pending_error(archive);
    }
    else if (!abr_subscription_is_connected(archive->subscription))
    {
        abr_archive_mark_disconnected(archive);
        if (NULL != archive->ctx->error_handler)
        {
            archive->ctx->error_handler(
                archive->ctx->error_handler_clientd, ABR_ERROR_ARCHIVE_NOT_CONNECTED, ABR_ARCHIVE_NULL_VALUE,
                ABR_ARCHIVE_NOT_CONNECTED_MSG);
        }
        else
        {
            abr_error_set(ABR_ERROR_ARCHIVE_NOT_CONNECTED, ABR_ARCHIVE_NOT_CONNECTED_MSG);
            result = abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
        }
    }
    else
    {
        switch (abr_archive_poll_once(archive, NULL))
        {
            case ABR_ARCHIVE_POLL_FAILED:
                result = abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
                break;
            case ABR_ARCHIVE_POLL_ERROR:
                result = abr_archive_report_error(archive);
                break;
            default:
                break;
        }
    }
    abr_archive_exit(archive);
    return result;
}

int abr_archive_poll_for_recording_signals(abr_archive_t *archive)
{
    /* Closed just now, AeronArchive polls its closed subscription and finds nothing: 0. */
    int entered = abr_archive_enter_or_self_close(archive, "poll for recording signals");
    if (entered < 0)
    {
        return -1;
    }
    int result = 0;
    if (archive->pending_error.present)
    {
        result = abr_archive_raise_pending_error(archive);
    }
    else if (0 == entered)
    {
        switch (abr_archive_poll_once(archive, NULL))
        {
            case ABR_ARCHIVE_POLL_FAILED:
                result = abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
                break;
            case ABR_ARCHIVE_POLL_ERROR:
                result = abr_archive_report_error(archive);
                break;
            case ABR_ARCHIVE_POLL_SIGNAL:
                result = 1;
                break;
            default:
                break;
        }
    }
    abr_archive_exit(archive);
    return result;
}
