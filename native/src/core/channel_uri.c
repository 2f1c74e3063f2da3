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

static int abr_channel_uri_add_param(abr_channel_uri_t *uri, const char *channel, const char *start, size_t length)
{
    const char *equals = memchr(start, '=', length);
    if (NULL == equals || equals == start)
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL,
            "malformed channel, parameter '%.*s' is not key=value: channel=%s", (int)length, start, channel);
    }
    if (uri->param_count >= ABR_CHANNEL_URI_MAX_PARAMS)
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL,
            "malformed channel, more than %d parameters: channel=%s", ABR_CHANNEL_URI_MAX_PARAMS, channel);
    }

    size_t key_length = (size_t)(equals - start);
    abr_channel_uri_param_t *param = &uri->params[uri->param_count];
    param->key = abr_channel_uri_dup_range(start, key_length);
    param->value = abr_channel_uri_dup_range(equals + 1, length - key_length - 1);
    if (NULL == param->key || NULL == param->value)
    {
        free(param->key);
        free(param->value);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory parsing channel=%s", channel);
    }
    uri->param_count++;
    return 0;
}

int abr_channel_uri_parse(abr_channel_uri_t *uri, const char *channel)
{
    if (NULL == uri || NULL == channel)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "channel must not be null");
    }
    memset(uri, 0, sizeof(*uri));

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

    const char *query = strchr(cursor, '?');
    size_t media_length = NULL != query ? (size_t)(query - cursor) : strlen(cursor);
    if (0 == media_length)
    {
        return abr_error_set(
            ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, media (udp or ipc) is missing: channel=%s", channel);
    }

    uri->prefix = abr_channel_uri_dup_range(channel, prefix_length);
    uri->media = abr_channel_uri_dup_range(cursor, media_length);
    if (NULL == uri->prefix || NULL == uri->media)
    {
        abr_channel_uri_close(uri);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory parsing channel=%s", channel);
    }

    if (NULL != query)
    {
        const char *param = query + 1;
        while ('\0' != *param)
        {
            const char *bar = strchr(param, '|');
            size_t length = NULL != bar ? (size_t)(bar - param) : strlen(param);
            if (length > 0 && abr_channel_uri_add_param(uri, channel, param, length) < 0)
            {
                abr_channel_uri_close(uri);
                return -1;
            }
            param += length;
            if ('|' == *param)
            {
                param++;
            }
        }
    }
    return 0;
}

const char *abr_channel_uri_get(const abr_channel_uri_t *uri, const char *key)
{
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
