/*
 * One-line descriptions of the parameter structs callers fill in (replay and replication), naming every field with
 * its C name and value. They let a log show what the library was actually given, and let the Java tests read back,
 * in C, what the JavaCPP conversion wrote into each field (a field written through the wrong accessor shows up as a
 * wrong value, not as a silent corruption).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "abr/abr_archive.h"
#include "core/error.h"

typedef struct abr_describe_buffer_stct
{
    char *buffer;
    size_t capacity;
    size_t length;
    bool truncated;
}
abr_describe_buffer_t;

__attribute__((format(printf, 2, 3)))
static void abr_describe_append(abr_describe_buffer_t *out, const char *format, ...)
{
    if (out->truncated)
    {
        return;
    }
    va_list args;
    va_start(args, format);
    int written = vsnprintf(out->buffer + out->length, out->capacity - out->length, format, args);
    va_end(args);
    if (written < 0 || (size_t)written >= out->capacity - out->length)
    {
        out->truncated = true;
        return;
    }
    out->length += (size_t)written;
}

static void abr_describe_string(abr_describe_buffer_t *out, const char *name, const char *value)
{
    if (NULL == value)
    {
        abr_describe_append(out, " %s=null", name);
    }
    else
    {
        abr_describe_append(out, " %s='%s'", name, value);
    }
}

static int abr_describe_check(const char *what, const void *params, const char *buffer, size_t capacity)
{
    if (NULL == params)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s describe: params must not be null", what);
    }
    if (NULL == buffer)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s describe: buffer must not be null", what);
    }
    if (0 == capacity)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s describe: capacity must be > 0", what);
    }
    return 0;
}

static int abr_describe_result(const char *what, abr_describe_buffer_t *out)
{
    if (out->truncated)
    {
        out->buffer[0] = '\0';
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s describe: capacity %zu is too small for the description", what,
            out->capacity);
    }
    return (int)out->length;
}

int abr_archive_replay_params_describe(const abr_archive_replay_params_t *params, char *buffer, size_t capacity)
{
    if (abr_describe_check("replay params", params, buffer, capacity) < 0)
    {
        return -1;
    }
    abr_describe_buffer_t out = { .buffer = buffer, .capacity = capacity, .length = 0, .truncated = false };
    buffer[0] = '\0';
    abr_describe_append(
        &out,
        "position=%" PRId64 " length=%" PRId64 " bounding_limit_counter_id=%" PRId32 " file_io_max_length=%" PRId32
        " replay_token=%" PRId64 " subscription_registration_id=%" PRId64,
        params->position,
        params->length,
        params->bounding_limit_counter_id,
        params->file_io_max_length,
        params->replay_token,
        params->subscription_registration_id);
    return abr_describe_result("replay params", &out);
}

int abr_archive_replication_params_describe(
    const abr_archive_replication_params_t *params, char *buffer, size_t capacity)
{
    if (abr_describe_check("replication params", params, buffer, capacity) < 0)
    {
        return -1;
    }
    abr_describe_buffer_t out = { .buffer = buffer, .capacity = capacity, .length = 0, .truncated = false };
    buffer[0] = '\0';
    abr_describe_append(
        &out,
        "stop_position=%" PRId64 " dst_recording_id=%" PRId64, params->stop_position, params->dst_recording_id);
    abr_describe_string(&out, "live_destination", params->live_destination);
    abr_describe_string(&out, "replication_channel", params->replication_channel);
    abr_describe_append(
        &out,
        " channel_tag_id=%" PRId64 " subscription_tag_id=%" PRId64 " file_io_max_length=%" PRId32
        " replication_session_id=%" PRId32,
        params->channel_tag_id,
        params->subscription_tag_id,
        params->file_io_max_length,
        params->replication_session_id);
    /* The credentials as hex: they are bytes, not text. NULL data with a length is shown as such, never read. */
    if (NULL == params->encoded_credentials)
    {
        abr_describe_append(&out, " encoded_credentials=null");
    }
    else
    {
        abr_describe_append(&out, " encoded_credentials=");
        for (uint32_t i = 0; i < params->encoded_credentials_length; i++)
        {
            abr_describe_append(&out, "%02x", params->encoded_credentials[i]);
        }
    }
    abr_describe_append(&out, " encoded_credentials_length=%" PRIu32, params->encoded_credentials_length);
    abr_describe_string(&out, "src_response_channel", params->src_response_channel);
    return abr_describe_result("replication params", &out);
}
