#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_uri.h"
#include "error.h"

#define ABR_URI_SCHEME "aeron:"
#define ABR_URI_SPY_PREFIX "aeron-spy:"

static char *abr_channel_uri_dup_range(const char *start, size_t length)
{
    char *copy = malloc(length + 1);
    if (NULL != copy)
    {
        memcpy(copy, start, length);
        copy[length] = '\0';
    }
    return copy;
}

/* Store key=value; a key given twice keeps its last value, as ChannelUri's map does. */
static int abr_channel_uri_add_param(
    abr_channel_uri_t *uri, const char *channel, const char *key, size_t key_length, const char *value,
    size_t value_length)
{
    char *key_copy = abr_channel_uri_dup_range(key, key_length);
    char *value_copy = abr_channel_uri_dup_range(value, value_length);
    if (NULL == key_copy || NULL == value_copy)
    {
        free(key_copy);
        free(value_copy);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory parsing channel=%s", channel);
    }
    for (size_t i = 0; i < uri->param_count; i++)
    {
        if (0 == strcmp(uri->params[i].key, key_copy))
        {
            free(key_copy);
            free(uri->params[i].value);
            uri->params[i].value = value_copy;
            return 0;
        }
    }
    if (uri->param_count >= ABR_CHANNEL_URI_MAX_PARAMS)
    {
        free(key_copy);
        free(value_copy);
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL,
            "malformed channel, more than %d parameters: channel=%s", ABR_CHANNEL_URI_MAX_PARAMS, channel);
    }
    uri->params[uri->param_count].key = key_copy;
    uri->params[uri->param_count].value = value_copy;
    uri->param_count++;
    return 0;
}

static int abr_channel_uri_malformed(abr_channel_uri_t *uri, const char *channel, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int abr_channel_uri_malformed(abr_channel_uri_t *uri, const char *channel, const char *format, ...)
{
    char detail[256];
    va_list args;
    va_start(args, format);
    vsnprintf(detail, sizeof(detail), format, args);
    va_end(args);
    abr_channel_uri_close(uri);
    return abr_error_set(ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, %s: channel=%s", detail, channel);
}

int abr_channel_uri_parse(abr_channel_uri_t *uri, const char *channel)
{
    if (NULL == uri || NULL == channel)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "channel must not be null");
    }
    memset(uri, 0, sizeof(*uri));
    size_t length = strlen(channel);
    if (length > ABR_URI_MAX_LENGTH)
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, its length %zu exceeds %d: channel=%.64s...", length,
            ABR_URI_MAX_LENGTH, channel);
    }

    const char *cursor = channel;
    size_t prefix_length = 0;
    if (0 == strncmp(cursor, ABR_URI_SPY_PREFIX, strlen(ABR_URI_SPY_PREFIX)))
    {
        prefix_length = strlen(ABR_URI_SPY_PREFIX);
        cursor += prefix_length;
    }
    if (0 != strncmp(cursor, ABR_URI_SCHEME, strlen(ABR_URI_SCHEME)))
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, it must start with 'aeron:': channel='%s'", channel);
    }
    cursor += strlen(ABR_URI_SCHEME);

    size_t media_length = strcspn(cursor, "?:|=");
    if ('\0' != cursor[media_length] && '?' != cursor[media_length])
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, '%c' within the media at index %zu: channel=%s",
            cursor[media_length], (size_t)(cursor + media_length - channel), channel);
    }
    if (!(3 == media_length && (0 == strncmp(cursor, "udp", 3) || 0 == strncmp(cursor, "ipc", 3))))
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, media '%.*s' is %s (udp or ipc): channel=%s",
            (int)media_length, cursor, 0 == media_length ? "missing" : "unknown", channel);
    }

    uri->prefix = abr_channel_uri_dup_range(channel, prefix_length);
    uri->media = abr_channel_uri_dup_range(cursor, media_length);
    if (NULL == uri->prefix || NULL == uri->media)
    {
        abr_channel_uri_close(uri);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory parsing channel=%s", channel);
    }
    if ('?' != cursor[media_length])
    {
        return 0;
    }

    /* key=value pairs separated by '|': a key is never empty and never holds '|'; a value may be empty. */
    const char *param = cursor + media_length + 1;
    do
    {
        size_t key_length = strcspn(param, "=|");
        size_t index = (size_t)(param - channel);
        if ('=' != param[key_length])
        {
            return abr_channel_uri_malformed(
                uri, channel, "parameter '%.*s' at index %zu is not key=value", (int)key_length, param, index);
        }
        if (0 == key_length)
        {
            return abr_channel_uri_malformed(uri, channel, "empty key at index %zu", index);
        }
        const char *value = param + key_length + 1;
        size_t value_length = strcspn(value, "|");
        if (abr_channel_uri_add_param(uri, channel, param, key_length, value, value_length) < 0)
        {
            abr_channel_uri_close(uri);
            return -1;
        }
        param = value + value_length;
    }
    while ('|' == *param++);
    return 0;
}

const char *abr_channel_uri_get(const abr_channel_uri_t *uri, const char *key)
{
    if (NULL == uri || NULL == key)
    {
        return NULL;
    }
    for (size_t i = 0; i < uri->param_count; i++)
    {
        if (0 == strcmp(uri->params[i].key, key))
        {
            return uri->params[i].value;
        }
    }
    return NULL;
}

int abr_channel_uri_put(abr_channel_uri_t *uri, const char *key, const char *value)
{
    if (NULL == uri || NULL == key || NULL == value)
    {
        /* A missing argument is the caller's mistake, not a malformed channel: the error model's code for it. */
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "put channel parameter: %s must not be null: key=%s",
            NULL == uri ? "uri" : NULL == key ? "key" : "value", NULL == key ? "null" : key);
    }
    if ('\0' == key[0] || NULL != strpbrk(key, "=|") || NULL != strchr(value, '|'))
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "channel parameter must be a non-empty key without '=' or '|' and a value "
            "without '|': key=%s, value=%s", key, value);
    }
    char *value_copy = abr_channel_uri_dup_range(value, strlen(value));
    if (NULL == value_copy)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory setting channel parameter %s", key);
    }
    for (size_t i = 0; i < uri->param_count; i++)
    {
        if (0 == strcmp(uri->params[i].key, key))
        {
            free(uri->params[i].value);
            uri->params[i].value = value_copy;
            return 0;
        }
    }
    if (uri->param_count >= ABR_CHANNEL_URI_MAX_PARAMS)
    {
        free(value_copy);
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "channel has more than %d parameters, cannot add %s",
            ABR_CHANNEL_URI_MAX_PARAMS, key);
    }
    char *key_copy = abr_channel_uri_dup_range(key, strlen(key));
    if (NULL == key_copy)
    {
        free(value_copy);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory setting channel parameter %s", key);
    }
    uri->params[uri->param_count].key = key_copy;
    uri->params[uri->param_count].value = value_copy;
    uri->param_count++;
    return 0;
}

char *abr_channel_uri_to_string(const abr_channel_uri_t *uri)
{
    size_t length = strlen(uri->prefix) + strlen(ABR_URI_SCHEME) + strlen(uri->media) + 1;
    for (size_t i = 0; i < uri->param_count; i++)
    {
        length += strlen(uri->params[i].key) + strlen(uri->params[i].value) + 2;
    }

    char *result = malloc(length + 1);
    if (NULL == result)
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory writing channel");
        return NULL;
    }

    char *out = result;
    out = stpcpy(out, uri->prefix);
    out = stpcpy(out, ABR_URI_SCHEME);
    out = stpcpy(out, uri->media);
    for (size_t i = 0; i < uri->param_count; i++)
    {
        *out++ = 0 == i ? '?' : '|';
        out = stpcpy(out, uri->params[i].key);
        *out++ = '=';
        out = stpcpy(out, uri->params[i].value);
    }
    *out = '\0';
    return result;
}

void abr_channel_uri_close(abr_channel_uri_t *uri)
{
    if (NULL == uri)
    {
        return;
    }
    free(uri->prefix);
    free(uri->media);
    for (size_t i = 0; i < uri->param_count; i++)
    {
        free(uri->params[i].key);
        free(uri->params[i].value);
    }
    memset(uri, 0, sizeof(*uri));
}
