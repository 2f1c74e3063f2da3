/*
 * Aeron channel URIs: `aeron:<media>?key=value|key=value`, optionally behind a `aeron-spy:` prefix.
 * Parsed into an owned copy so parameters can be read, added and replaced, then written back.
 */
#ifndef ABR_CORE_CHANNEL_URI_H
#define ABR_CORE_CHANNEL_URI_H

#include <stddef.h>

#include "abr/abr_client.h"

#define ABR_CHANNEL_URI_MAX_PARAMS 32

/* Parameter names from Aeron's CommonContext, as they appear in channel URIs. */
#define ABR_URI_SESSION_ID_PARAM "session-id"
#define ABR_URI_TERM_LENGTH_PARAM "term-length"
#define ABR_URI_MTU_LENGTH_PARAM "mtu"
#define ABR_URI_SPARSE_PARAM "sparse"
#define ABR_URI_CONTROL_MODE_PARAM "control-mode"
#define ABR_URI_CONTROL_MODE_RESPONSE "response"
#define ABR_URI_CONTROL_MODE_MANUAL "manual"
#define ABR_URI_CONTROL_MODE_DYNAMIC "dynamic"
#define ABR_URI_ALIAS_PARAM "alias"
#define ABR_URI_ENDPOINT_PARAM "endpoint"
/* ChannelUri.MAX_URI_LENGTH. */
#define ABR_URI_MAX_LENGTH 4095

typedef struct abr_channel_uri_param_stct
{
    char *key;
    char *value;
}
abr_channel_uri_param_t;

struct abr_channel_uri_stct
{
    char *prefix;
    char *media;
    abr_channel_uri_param_t params[ABR_CHANNEL_URI_MAX_PARAMS];
    size_t param_count;
};

/* Parse a channel into a caller-owned struct, with the syntax rules of io.aeron.ChannelUri.parse; on
 * failure the error names the channel and the part that is wrong (and its index). */
int abr_channel_uri_parse(abr_channel_uri_t *uri, const char *channel);

/* The value of a parameter, or NULL when absent. */
const char *abr_channel_uri_get(const abr_channel_uri_t *uri, const char *key);

/* Add a parameter, or replace its value when present. */
int abr_channel_uri_put(abr_channel_uri_t *uri, const char *key, const char *value);

/* Write the URI back as a newly allocated string, owned by the caller (free). */
char *abr_channel_uri_to_string(const abr_channel_uri_t *uri);

/* As abr_channel_uri_to_string, with the parameters in the order io.aeron.ChannelUri.toString() writes them (the
 * iteration order of the hash map it keeps them in; see channel_uri_map_order.c): the text AeronArchive sends for the
 * same URI. NULL with the error set for a NULL uri or no memory. */
char *abr_channel_uri_to_string_in_map_order(const abr_channel_uri_t *uri);

void abr_channel_uri_close(abr_channel_uri_t *uri);

#endif
