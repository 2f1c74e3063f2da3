/*
 * Channel URIs, as an application or the archive (a recording's original channel) hands them over: parse, read
 * every parameter, validate, write back and parse again. What parses must write back to a string that parses to the
 * same string.
 */
#include <stdlib.h>
#include <string.h>

#include "abr/abr_client.h"
#include "fuzz_input.h"

static volatile unsigned g_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *channel = malloc(size + 1);
    if (NULL == channel)
    {
        return 0;
    }
    memcpy(channel, data, size);
    channel[size] = '\0';

    abr_channel_uri_t *uri = NULL;
    if (0 == abr_channel_uri_parse_new(&uri, channel))
    {
        g_sink += abr_fuzz_touch((const uint8_t *)abr_channel_uri_media(uri), strlen(abr_channel_uri_media(uri)));
        g_sink += abr_channel_uri_is_spy(uri) ? 1 : 0;
        int count = abr_channel_uri_param_count(uri);
        for (int i = 0; i < count; i++)
        {
            const char *key = abr_channel_uri_param_key(uri, i);
            const char *value = abr_channel_uri_param_value(uri, i);
            g_sink += abr_fuzz_touch((const uint8_t *)key, strlen(key));
            g_sink += abr_fuzz_touch((const uint8_t *)value, strlen(value));
            if (abr_channel_uri_get(uri, key) == NULL)
            {
                abort();
            }
        }
        g_sink += (unsigned)abr_channel_uri_validate(uri);

        char small[16];
        abr_channel_uri_write(uri, small, sizeof(small));
        char *written = malloc(8192);
        if (NULL != written && abr_channel_uri_write(uri, written, 8192) >= 0)
        {
            abr_channel_uri_t *again = NULL;
            if (0 != abr_channel_uri_parse_new(&again, written))
            {
                /* What we wrote we must be able to read. */
                abort();
            }
            char *rewritten = malloc(8192);
            if (NULL == rewritten || abr_channel_uri_write(again, rewritten, 8192) < 0 || 0 != strcmp(written, rewritten))
            {
                abort();
            }
            free(rewritten);
            abr_channel_uri_free(again);
        }
        free(written);

        abr_channel_uri_put(uri, "session-id", "42");
        abr_channel_uri_remove(uri, "alias");
        abr_channel_uri_free(uri);
    }
    free(channel);
    return 0;
}
