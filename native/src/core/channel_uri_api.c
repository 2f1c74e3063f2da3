/*
 * The public face of channel URIs: heap-owned handles over channel_uri.c, parameter iteration, removal,
 * value checks for the parameters the core knows, and writing into a caller's buffer.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "channel_uri.h"
#include "error.h"

#define ABR_URI_MTU_MAX 65504

int abr_channel_uri_parse_new(abr_channel_uri_t **uri, const char *channel)
{
    if (NULL == uri)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "parse channel URI: uri out-pointer must not be null");
    }
    *uri = NULL;
    if (NULL == channel)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "parse channel URI: channel must not be null");
    }
    abr_channel_uri_t *parsed = calloc(1, sizeof(*parsed));
    if (NULL == parsed)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory parsing channel=%s", channel);
    }
    if (abr_channel_uri_parse(parsed, channel) < 0)
    {
        free(parsed);
        return -1;
    }
    *uri = parsed;
    return 0;
}

int abr_channel_uri_new(abr_channel_uri_t **uri, const char *media)
{
    if (NULL == uri)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "new channel URI: uri out-pointer must not be null");
    }
    *uri = NULL;
    if (NULL == media || (0 != strcmp("udp", media) && 0 != strcmp("ipc", media)))
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "new channel URI: media must be udp or ipc: media=%s", NULL == media ? "null" : media);
    }
    return abr_channel_uri_parse_new(uri, 0 == strcmp("udp", media) ? "aeron:udp" : "aeron:ipc");
}

int abr_channel_uri_free(abr_channel_uri_t *uri)
{
    if (NULL != uri)
    {
        abr_channel_uri_close(uri);
        free(uri);
    }
    return 0;
}

const char *abr_channel_uri_media(const abr_channel_uri_t *uri)
{
    return NULL == uri ? NULL : uri->media;
}

bool abr_channel_uri_is_spy(const abr_channel_uri_t *uri)
{
    return NULL != uri && NULL != uri->prefix && '\0' != uri->prefix[0];
}

int abr_channel_uri_param_count(const abr_channel_uri_t *uri)
{
    return NULL == uri ? -1 : (int)uri->param_count;
}

const char *abr_channel_uri_param_key(const abr_channel_uri_t *uri, int index)
{
    return NULL == uri || index < 0 || (size_t)index >= uri->param_count ? NULL : uri->params[index].key;
}

const char *abr_channel_uri_param_value(const abr_channel_uri_t *uri, int index)
{
    return NULL == uri || index < 0 || (size_t)index >= uri->param_count ? NULL : uri->params[index].value;
}

int abr_channel_uri_remove(abr_channel_uri_t *uri, const char *key)
{
    if (NULL == uri || NULL == key)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "remove channel parameter: %s must not be null", NULL == uri ? "uri" : "key");
    }
    for (size_t i = 0; i < uri->param_count; i++)
    {
        if (0 == strcmp(uri->params[i].key, key))
        {
            free(uri->params[i].key);
            free(uri->params[i].value);
            memmove(&uri->params[i], &uri->params[i + 1], (uri->param_count - i - 1) * sizeof(uri->params[0]));
            uri->param_count--;
            return 1;
        }
    }
    return 0;
}

/* A whole decimal number within [min, max], optionally followed by one size suffix when suffixes is set. */
static bool abr_uri_parse_number(const char *text, bool suffixes, int64_t min, int64_t max, int64_t *value)
{
    if (NULL == text || '\0' == text[0])
    {
        return false;
    }
    char *end = NULL;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (0 != errno || end == text)
    {
        return false;
    }
    if (parsed < 0)
    {
        *value = parsed;
        return '\0' == *end && parsed >= min;
    }
    int64_t multiplier = 1;
    if (suffixes && '\0' != *end && '\0' == end[1])
    {
        switch (*end)
        {
            case 'k': case 'K': multiplier = 1024; break;
            case 'm': case 'M': multiplier = 1024 * 1024; break;
            case 'g': case 'G': multiplier = 1024 * 1024 * 1024; break;
            default: return false;
        }
        end++;
    }
    if ('\0' != *end || parsed > INT64_MAX / multiplier)
    {
        return false;
    }
    *value = parsed * multiplier;
    return *value >= min && *value <= max;
}

static int abr_uri_invalid(const char *key, const char *value, const char *expected)
{
    return abr_error_set(
        ABR_ERROR_MALFORMED_CHANNEL, "malformed channel, %s=%s is not %s", key, value, expected);
}

int abr_channel_uri_validate(const abr_channel_uri_t *uri)
{
    if (NULL == uri)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "validate channel URI: uri must not be null");
    }
    int64_t number = 0;
    const char *session_id = abr_channel_uri_get(uri, ABR_URI_SESSION_ID_PARAM);
    if (NULL != session_id)
    {
        const char *id = 0 == strncmp(session_id, "tag:", 4) ? session_id + 4 : session_id;
        if (!abr_uri_parse_number(id, false, INT32_MIN, INT32_MAX, &number))
        {
            return abr_uri_invalid(ABR_URI_SESSION_ID_PARAM, session_id, "an int32 or tag:<id>");
        }
    }
    const char *term_length = abr_channel_uri_get(uri, ABR_URI_TERM_LENGTH_PARAM);
    if (NULL != term_length &&
        (!abr_uri_parse_number(term_length, true, 64 * 1024, 1024 * 1024 * 1024, &number) ||
        0 != (number & (number - 1))))
    {
        return abr_uri_invalid(ABR_URI_TERM_LENGTH_PARAM, term_length, "a power of two from 64k to 1g");
    }
    const char *mtu = abr_channel_uri_get(uri, ABR_URI_MTU_LENGTH_PARAM);
    if (NULL != mtu && (!abr_uri_parse_number(mtu, true, 64, ABR_URI_MTU_MAX, &number) || 0 != number % 32))
    {
        return abr_uri_invalid(ABR_URI_MTU_LENGTH_PARAM, mtu, "a multiple of 32 from 64 to 65504");
    }
    const char *control_mode = abr_channel_uri_get(uri, ABR_URI_CONTROL_MODE_PARAM);
    if (NULL != control_mode && 0 != strcmp(control_mode, ABR_URI_CONTROL_MODE_MANUAL) &&
        0 != strcmp(control_mode, ABR_URI_CONTROL_MODE_DYNAMIC) &&
        0 != strcmp(control_mode, ABR_URI_CONTROL_MODE_RESPONSE))
    {
        return abr_uri_invalid(ABR_URI_CONTROL_MODE_PARAM, control_mode, "manual, dynamic or response");
    }
    return 0;
}

int abr_channel_uri_write(const abr_channel_uri_t *uri, char *buffer, size_t capacity)
{
    if (NULL == uri || NULL == buffer)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "write channel URI: %s must not be null", NULL == uri ? "uri" : "buffer");
    }
    char *text = abr_channel_uri_to_string(uri);
    if (NULL == text)
    {
        return -1;
    }
    size_t length = strlen(text);
    if (length >= capacity)
    {
        free(text);
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "channel URI needs a buffer of %zu bytes, has capacity=%zu", length + 1, capacity);
    }
    memcpy(buffer, text, length + 1);
    free(text);
    return (int)length;
}
