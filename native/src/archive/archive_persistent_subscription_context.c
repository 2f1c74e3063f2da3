#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "archive_persistent_subscription_context.h"
#include "core/channel_uri.h"
#include "core/error.h"

int abr_archive_persistent_subscription_context_init(abr_archive_persistent_subscription_context_t **context)
{
    if (NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context init: context must not be "
            "null");
    }
    abr_archive_persistent_subscription_context_t *created = calloc(1, sizeof(*created));
    if (NULL == created)
    {
        *context = NULL;
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "persistent subscription context init: out of memory");
    }
    created->recording_id = ABR_ARCHIVE_NULL_VALUE;
    created->start_position = ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE;
    *context = created;
    return 0;
}

int abr_archive_persistent_subscription_context_close(abr_archive_persistent_subscription_context_t *context)
{
    if (NULL != context)
    {
        free(context->live_channel);
        free(context->replay_channel);
        free(context);
    }
    return 0;
}

static int abr_ps_context_check(const abr_archive_persistent_subscription_context_t *context, const char *setter)
{
    if (NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context %s: context must not be null",
            setter);
    }
    return 0;
}

int abr_archive_persistent_subscription_context_set_archive_context(
    abr_archive_persistent_subscription_context_t *context, abr_archive_context_t *archive_context)
{
    if (abr_ps_context_check(context, "set archive context") < 0)
    {
        return -1;
    }
    if (NULL == archive_context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context set archive context: "
            "archive_context must not be null");
    }
    context->archive_context = archive_context;
    return 0;
}

abr_archive_context_t *abr_archive_persistent_subscription_context_get_archive_context(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->archive_context;
}

int abr_archive_persistent_subscription_context_set_recording_id(
    abr_archive_persistent_subscription_context_t *context, int64_t recording_id)
{
    if (abr_ps_context_check(context, "set recording id") < 0)
    {
        return -1;
    }
    if (recording_id < 0)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context: invalid recordingId %" PRId64,
            recording_id);
    }
    context->recording_id = recording_id;
    return 0;
}

int64_t abr_archive_persistent_subscription_context_get_recording_id(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? ABR_ARCHIVE_NULL_VALUE : context->recording_id;
}

int abr_archive_persistent_subscription_context_set_start_position(
    abr_archive_persistent_subscription_context_t *context, int64_t start_position)
{
    if (abr_ps_context_check(context, "set start position") < 0)
    {
        return -1;
    }
    if (start_position < ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context: invalid startPosition %"
            PRId64 " (>= 0, FROM_START -1 or FROM_LIVE -2)", start_position);
    }
    context->start_position = start_position;
    return 0;
}

int64_t abr_archive_persistent_subscription_context_get_start_position(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE : context->start_position;
}

static int abr_ps_context_set_channel(
    abr_archive_persistent_subscription_context_t *context, char **field, const char *channel, const char *name)
{
    if (abr_ps_context_check(context, name) < 0)
    {
        return -1;
    }
    if (NULL == channel || '\0' == channel[0])
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context: %s must not be %s", name,
            NULL == channel ? "null" : "empty");
    }
    size_t length = strnlen(channel, ABR_URI_MAX_LENGTH + 1);
    if (length > ABR_URI_MAX_LENGTH)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "persistent subscription context: %s longer than %d bytes",
            name, ABR_URI_MAX_LENGTH);
    }
    char *copy = strdup(channel);
    if (NULL == copy)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "persistent subscription context: out of memory for %s", name);
    }
    free(*field);
    *field = copy;
    return 0;
}

int abr_archive_persistent_subscription_context_set_live_channel(
    abr_archive_persistent_subscription_context_t *context, const char *channel)
{
    return abr_ps_context_set_channel(context, NULL == context ? NULL : &context->live_channel, channel, "liveChannel");
}

const char *abr_archive_persistent_subscription_context_get_live_channel(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->live_channel;
}

int abr_archive_persistent_subscription_context_set_replay_channel(
    abr_archive_persistent_subscription_context_t *context, const char *channel)
{
    return abr_ps_context_set_channel(
        context, NULL == context ? NULL : &context->replay_channel, channel, "replayChannel");
}

const char *abr_archive_persistent_subscription_context_get_replay_channel(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->replay_channel;
}

int abr_archive_persistent_subscription_context_set_live_stream_id(
    abr_archive_persistent_subscription_context_t *context, int32_t stream_id)
{
    if (abr_ps_context_check(context, "set live stream id") < 0)
    {
        return -1;
    }
    context->live_stream_id = stream_id;
    context->live_stream_id_set = true;
    return 0;
}

int32_t abr_archive_persistent_subscription_context_get_live_stream_id(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context || !context->live_stream_id_set ? ABR_ARCHIVE_NULL_VALUE : context->live_stream_id;
}

int abr_archive_persistent_subscription_context_set_replay_stream_id(
    abr_archive_persistent_subscription_context_t *context, int32_t stream_id)
{
    if (abr_ps_context_check(context, "set replay stream id") < 0)
    {
        return -1;
    }
    context->replay_stream_id = stream_id;
    context->replay_stream_id_set = true;
    return 0;
}

int32_t abr_archive_persistent_subscription_context_get_replay_stream_id(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context || !context->replay_stream_id_set ? ABR_ARCHIVE_NULL_VALUE : context->replay_stream_id;
}

int abr_archive_persistent_subscription_context_set_listener(
    abr_archive_persistent_subscription_context_t *context,
    const abr_archive_persistent_subscription_listener_t *listener)
{
    if (abr_ps_context_check(context, "set listener") < 0)
    {
        return -1;
    }
    if (NULL == listener)
    {
        memset(&context->listener, 0, sizeof(context->listener));
    }
    else
    {
        context->listener = *listener;
    }
    return 0;
}

static int abr_ps_context_set_counter(
    abr_archive_persistent_subscription_context_t *context, int index, abr_counter_t *counter, const char *setter)
{
    if (abr_ps_context_check(context, setter) < 0)
    {
        return -1;
    }
    context->counters[index] = counter;
    return 0;
}

int abr_archive_persistent_subscription_context_set_state_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter)
{
    return abr_ps_context_set_counter(context, 0, counter, "set state counter");
}

abr_counter_t *abr_archive_persistent_subscription_context_get_state_counter(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->counters[0];
}

int abr_archive_persistent_subscription_context_set_join_difference_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter)
{
    return abr_ps_context_set_counter(context, 1, counter, "set join difference counter");
}

abr_counter_t *abr_archive_persistent_subscription_context_get_join_difference_counter(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->counters[1];
}

int abr_archive_persistent_subscription_context_set_live_left_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter)
{
    return abr_ps_context_set_counter(context, 2, counter, "set live left counter");
}

abr_counter_t *abr_archive_persistent_subscription_context_get_live_left_counter(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->counters[2];
}

int abr_archive_persistent_subscription_context_set_live_joined_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter)
{
    return abr_ps_context_set_counter(context, 3, counter, "set live joined counter");
}

abr_counter_t *abr_archive_persistent_subscription_context_get_live_joined_counter(
    abr_archive_persistent_subscription_context_t *context)
{
    return NULL == context ? NULL : context->counters[3];
}
