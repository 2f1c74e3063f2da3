#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "archive_client.h"
#include "core/channel_uri.h"
#include "core/error.h"

int abr_archive_call(
    abr_archive_t *archive,
    const char *operation,
    abr_archive_send_func_t send,
    const void *request,
    int64_t *relevant_id)
{
    if (abr_archive_enter(archive, operation) < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int64_t ignored;
    int result;
    if (correlation_id < 0 || send(archive, correlation_id, request) < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_response(archive, correlation_id, NULL != relevant_id ? relevant_id : &ignored);
    }
    abr_archive_exit(archive);
    return result;
}

static int abr_archive_check_channel(const char *channel, const char *operation)
{
    /* An empty channel goes to the archive, which rejects it with its own error, as it does AeronArchive's. */
    if (NULL == channel)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: channel must not be null", operation);
    }
    return 0;
}

static int abr_archive_check_out(const void *out, const char *name, const char *operation)
{
    if (NULL == out)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: %s must not be null", operation, name);
    }
    return 0;
}

typedef struct abr_archive_channel_request_stct
{
    const char *channel;
    int32_t stream_id;
    abr_archive_source_location_t source_location;
    bool auto_stop;
    bool with_auto_stop;
}
abr_archive_channel_request_t;

static int abr_archive_send_start_recording(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_channel_request_t *start = request;
    if (start->with_auto_stop)
    {
        return abr_archive_proxy_start_recording_auto_stop(
            &archive->proxy, archive->control_session_id, correlation_id, start->channel, start->stream_id,
            start->source_location, start->auto_stop);
    }
    return abr_archive_proxy_start_recording(
        &archive->proxy, archive->control_session_id, correlation_id, start->channel, start->stream_id,
        start->source_location);
}

int abr_archive_start_recording(
    int64_t *subscription_id,
    abr_archive_t *archive,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop)
{
    if (abr_archive_check_out(subscription_id, "subscription_id", "start recording") < 0 ||
        abr_archive_check_channel(channel, "start recording") < 0)
    {
        return -1;
    }
    if (ABR_ARCHIVE_SOURCE_LOCATION_LOCAL != source_location && ABR_ARCHIVE_SOURCE_LOCATION_REMOTE != source_location)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "start recording: unknown source location %d, channel=%s streamId=%" PRId32,
            (int)source_location, channel, stream_id);
    }
    /* AeronArchive sends the older request unless auto stop is asked for; so do we, for the same bytes on the wire. */
    abr_archive_channel_request_t request = {
        .channel = channel, .stream_id = stream_id, .source_location = source_location,
        .auto_stop = auto_stop, .with_auto_stop = auto_stop };
    return abr_archive_call(archive, "start recording", abr_archive_send_start_recording, &request, subscription_id);
}

static int abr_archive_send_stop_recording(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_channel_request_t *stop = request;
    return abr_archive_proxy_stop_recording(
        &archive->proxy, archive->control_session_id, correlation_id, stop->channel, stop->stream_id);
}

int abr_archive_stop_recording_channel_and_stream(abr_archive_t *archive, const char *channel, int32_t stream_id)
{
    if (abr_archive_check_channel(channel, "stop recording") < 0)
    {
        return -1;
    }
    abr_archive_channel_request_t request = { .channel = channel, .stream_id = stream_id };
    return abr_archive_call(archive, "stop recording", abr_archive_send_stop_recording, &request, NULL);
}

static int abr_archive_send_stop_recording_subscription(
    abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_recording_subscription(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_stop_recording_subscription(abr_archive_t *archive, int64_t subscription_id)
{
    return abr_archive_call(
        archive, "stop recording", abr_archive_send_stop_recording_subscription, &subscription_id, NULL);
}

static int abr_archive_send_recording_position(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_recording_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_get_recording_position(int64_t *position, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(position, "position", "get recording position") < 0)
    {
        return -1;
    }
    return abr_archive_call(
        archive, "get recording position", abr_archive_send_recording_position, &recording_id, position);
}

static int abr_archive_send_stop_position(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_get_stop_position(int64_t *position, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(position, "position", "get stop position") < 0)
    {
        return -1;
    }
    return abr_archive_call(archive, "get stop position", abr_archive_send_stop_position, &recording_id, position);
}

typedef struct abr_archive_extend_request_stct
{
    int64_t recording_id;
    abr_archive_channel_request_t channel;
}
abr_archive_extend_request_t;

static int abr_archive_send_extend_recording(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_extend_request_t *extend = request;
    return abr_archive_proxy_extend_recording(
        &archive->proxy, archive->control_session_id, correlation_id, extend->recording_id, extend->channel.channel,
        extend->channel.stream_id, extend->channel.source_location, extend->channel.with_auto_stop,
        extend->channel.auto_stop);
}

int abr_archive_extend_recording(
    int64_t *subscription_id,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop)
{
    if (abr_archive_check_out(subscription_id, "subscription_id", "extend recording") < 0 ||
        abr_archive_check_channel(channel, "extend recording") < 0)
    {
        return -1;
    }
    if (ABR_ARCHIVE_SOURCE_LOCATION_LOCAL != source_location && ABR_ARCHIVE_SOURCE_LOCATION_REMOTE != source_location)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "extend recording: unknown source location %d, channel=%s streamId=%" PRId32,
            (int)source_location, channel, stream_id);
    }
    /* As with start: the older request unless auto stop is asked for. */
    abr_archive_extend_request_t request = {
        .recording_id = recording_id,
        .channel = { .channel = channel, .stream_id = stream_id, .source_location = source_location,
            .auto_stop = auto_stop, .with_auto_stop = auto_stop } };
    return abr_archive_call(archive, "extend recording", abr_archive_send_extend_recording, &request, subscription_id);
}

/* A try-variant: an UNKNOWN_SUBSCRIPTION error answering the request means "nothing to stop", not a failure. */
static int abr_archive_try_call(
    abr_archive_t *archive, const char *operation, abr_archive_send_func_t send, const void *request, bool *stopped)
{
    if (abr_archive_enter(archive, operation) < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int64_t ignored;
    bool unknown = false;
    int result;
    if (correlation_id < 0 || send(archive, correlation_id, request) < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_response_allowing(
            archive, correlation_id, ABR_ERROR_ARCHIVE_UNKNOWN_SUBSCRIPTION - ABR_ERROR_ARCHIVE_BASE, &ignored, &unknown);
    }
    *stopped = 0 == result && !unknown;
    abr_archive_exit(archive);
    return result;
}

int abr_archive_try_stop_recording_channel_and_stream(
    bool *stopped, abr_archive_t *archive, const char *channel, int32_t stream_id)
{
    if (abr_archive_check_out(stopped, "stopped", "try stop recording") < 0 ||
        abr_archive_check_channel(channel, "try stop recording") < 0)
    {
        return -1;
    }
    abr_archive_channel_request_t request = { .channel = channel, .stream_id = stream_id };
    return abr_archive_try_call(archive, "try stop recording", abr_archive_send_stop_recording, &request, stopped);
}

int abr_archive_try_stop_recording_subscription(bool *stopped, abr_archive_t *archive, int64_t subscription_id)
{
    if (abr_archive_check_out(stopped, "stopped", "try stop recording") < 0)
    {
        return -1;
    }
    return abr_archive_try_call(
        archive, "try stop recording", abr_archive_send_stop_recording_subscription, &subscription_id, stopped);
}

static int abr_archive_send_stop_recording_by_identity(
    abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_stop_recording_by_identity(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_try_stop_recording_by_identity(bool *stopped, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(stopped, "stopped", "try stop recording by identity") < 0)
    {
        return -1;
    }
    /* The archive answers with relevantId 1 when it stopped something, 0 when the recording was not active. */
    int64_t relevant_id = 0;
    int result = abr_archive_call(
        archive, "try stop recording by identity", abr_archive_send_stop_recording_by_identity, &recording_id,
        &relevant_id);
    *stopped = 0 == result && 0 != relevant_id;
    return result;
}

/* The channel with session-id=<session_id> added, as the archive must see it to record one publication only: the
 * text of AeronArchive's ChannelUri.addSessionId, parameters in its order, since the archive keeps it as the
 * recording's original channel. */
static char *abr_archive_session_channel(const char *channel, int32_t session_id)
{
    abr_channel_uri_t uri;
    if (abr_channel_uri_parse(&uri, channel) < 0)
    {
        return NULL;
    }
    char value[16];
    snprintf(value, sizeof(value), "%" PRId32, session_id);
    char *result = abr_channel_uri_put(&uri, ABR_URI_SESSION_ID_PARAM, value) < 0 ? NULL :
        abr_channel_uri_to_string_in_map_order(&uri);
    abr_channel_uri_close(&uri);
    return result;
}

/* Under the lock: start the local recording of one publication's session, as the recorded-publication calls do. */
static int abr_archive_record_session(
    abr_archive_t *archive, const char *channel, int32_t stream_id, int32_t session_id)
{
    char *session_channel = abr_archive_session_channel(channel, session_id);
    if (NULL == session_channel)
    {
        return abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
    }
    int result;
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int64_t subscription_id;
    if (correlation_id < 0 ||
        abr_archive_proxy_start_recording(
            &archive->proxy, archive->control_session_id, correlation_id, session_channel, stream_id,
            ABR_ARCHIVE_SOURCE_LOCATION_LOCAL) < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_response(archive, correlation_id, &subscription_id);
    }
    free(session_channel);
    return result;
}

/* Stop the recording of one publication's session: its channel with its session id, and its stream. */
static int abr_archive_stop_session_recording(
    abr_archive_t *archive, const char *channel, int32_t stream_id, int32_t session_id)
{
    char *session_channel = abr_archive_session_channel(channel, session_id);
    if (NULL == session_channel)
    {
        return abr_error_prefix("stop recording: ");
    }
    int result = abr_archive_stop_recording_channel_and_stream(archive, session_channel, stream_id);
    free(session_channel);
    return result;
}

int abr_archive_add_recorded_exclusive_publication(
    abr_exclusive_publication_t **publication, abr_archive_t *archive, const char *channel, int32_t stream_id)
{
    if (abr_archive_check_out(publication, "publication out-pointer", "add recorded exclusive publication") < 0)
    {
        return -1;
    }
    *publication = NULL;
    if (abr_archive_check_channel(channel, "add recorded exclusive publication") < 0)
    {
        return -1;
    }
    if (abr_archive_enter(archive, "add recorded exclusive publication") < 0)
    {
        return -1;
    }
    abr_exclusive_publication_t *added = NULL;
    int result = -1;
    if (abr_client_add_exclusive_publication(&added, archive->client, channel, stream_id) < 0)
    {
        abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
    }
    else
    {
        result = abr_archive_record_session(archive, channel, stream_id, abr_exclusive_publication_session_id(added));
    }
    /* Before the exit, which finishes a close a callback asked for, and with it the core the publication is on. */
    if (result < 0 && NULL != added)
    {
        /* Keep the recording's error, not the close's. */
        abr_error_saved_t error;
        abr_error_save(&error);
        abr_exclusive_publication_close(added);
        abr_error_restore(&error);
        added = NULL;
    }
    abr_archive_exit(archive);
    *publication = added;
    return result;
}

int abr_archive_stop_recording_exclusive_publication(abr_archive_t *archive, abr_exclusive_publication_t *publication)
{
    if (NULL == publication)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "stop recording: publication must not be null");
    }
    return abr_archive_stop_session_recording(
        archive,
        abr_exclusive_publication_channel(publication),
        abr_exclusive_publication_stream_id(publication),
        abr_exclusive_publication_session_id(publication));
}

/* A concurrent publication shares the driver's log with every other one on its channel and stream: only the first
 * (original) one may start the session's recording, else two clients would race to record one session, so a
 * publication that joined an existing log is closed and refused, as AeronArchive.addRecordedPublication does. */
int abr_archive_add_recorded_publication(
    abr_publication_t **publication, abr_archive_t *archive, const char *channel, int32_t stream_id)
{
    if (abr_archive_check_out(publication, "publication out-pointer", "add recorded publication") < 0)
    {
        return -1;
    }
    *publication = NULL;
    if (abr_archive_check_channel(channel, "add recorded publication") < 0)
    {
        return -1;
    }
    if (abr_archive_enter(archive, "add recorded publication") < 0)
    {
        return -1;
    }
    abr_publication_t *added = NULL;
    int result = -1;
    if (abr_client_add_publication(&added, archive->client, channel, stream_id) < 0)
    {
        abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
    }
    else if (abr_publication_registration_id(added) != abr_publication_original_registration_id(added))
    {
        abr_error_set(
            ABR_ERROR_ARCHIVE_GENERIC, "publication already added for channel=%s streamId=%" PRId32, channel, stream_id);
        abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
    }
    else
    {
        result = abr_archive_record_session(archive, channel, stream_id, abr_publication_session_id(added));
    }
    /* Before the exit, which finishes a close a callback asked for, and with it the core the publication is on. */
    if (result < 0 && NULL != added)
    {
        /* Keep the recording's error, not the close's. */
        abr_error_saved_t error;
        abr_error_save(&error);
        abr_publication_close(added);
        abr_error_restore(&error);
        added = NULL;
    }
    abr_archive_exit(archive);
    *publication = added;
    return result;
}

int abr_archive_stop_recording_publication(abr_archive_t *archive, abr_publication_t *publication)
{
    if (NULL == publication)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "stop recording: publication must not be null");
    }
    return abr_archive_stop_session_recording(
        archive,
        abr_publication_channel(publication),
        abr_publication_stream_id(publication),
        abr_publication_session_id(publication));
}

static int abr_archive_send_start_position(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_start_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_get_start_position(int64_t *position, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(position, "position", "get start position") < 0)
    {
        return -1;
    }
    return abr_archive_call(archive, "get start position", abr_archive_send_start_position, &recording_id, position);
}

static int abr_archive_send_max_recorded_position(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    return abr_archive_proxy_max_recorded_position(
        &archive->proxy, archive->control_session_id, correlation_id, *(const int64_t *)request);
}

int abr_archive_get_max_recorded_position(int64_t *position, abr_archive_t *archive, int64_t recording_id)
{
    if (abr_archive_check_out(position, "position", "get max recorded position") < 0)
    {
        return -1;
    }
    return abr_archive_call(
        archive, "get max recorded position", abr_archive_send_max_recorded_position, &recording_id, position);
}

typedef struct abr_archive_match_request_stct
{
    int64_t min_recording_id;
    const char *channel_fragment;
    int32_t stream_id;
    int32_t session_id;
}
abr_archive_match_request_t;

static int abr_archive_send_find_last_matching(abr_archive_t *archive, int64_t correlation_id, const void *request)
{
    const abr_archive_match_request_t *match = request;
    return abr_archive_proxy_find_last_matching_recording(
        &archive->proxy, archive->control_session_id, correlation_id, match->min_recording_id, match->channel_fragment,
        match->stream_id, match->session_id);
}

int abr_archive_find_last_matching_recording(
    int64_t *recording_id,
    abr_archive_t *archive,
    int64_t min_recording_id,
    const char *channel_fragment,
    int32_t stream_id,
    int32_t session_id)
{
    if (abr_archive_check_out(recording_id, "recording_id", "find last matching recording") < 0)
    {
        return -1;
    }
    if (NULL == channel_fragment)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "find last matching recording: channel_fragment must not be null (may be empty)");
    }
    abr_archive_match_request_t request = {
        .min_recording_id = min_recording_id, .channel_fragment = channel_fragment, .stream_id = stream_id,
        .session_id = session_id };
    return abr_archive_call(
        archive, "find last matching recording", abr_archive_send_find_last_matching, &request, recording_id);
}
