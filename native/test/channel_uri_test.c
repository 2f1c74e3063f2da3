#include "core/channel_uri.h"
#include "abr/abr_error.h"
#include "test_assert.h"

static void parses_media_and_params(void)
{
    abr_channel_uri_t uri;
    ABR_CHECK(0 == abr_channel_uri_parse(&uri, "aeron:udp?endpoint=localhost:8010|term-length=65536"));
    ABR_CHECK_STR_EQ("udp", uri.media);
    ABR_CHECK_STR_EQ("localhost:8010", abr_channel_uri_get(&uri, "endpoint"));
    ABR_CHECK_STR_EQ("65536", abr_channel_uri_get(&uri, "term-length"));
    ABR_CHECK(NULL == abr_channel_uri_get(&uri, "mtu"));
    abr_channel_uri_close(&uri);
}

static void round_trips_with_added_and_replaced_params(void)
{
    abr_channel_uri_t uri;
    ABR_CHECK(0 == abr_channel_uri_parse(&uri, "aeron:ipc?term-length=64k"));
    ABR_CHECK(0 == abr_channel_uri_put(&uri, "session-id", "42"));
    ABR_CHECK(0 == abr_channel_uri_put(&uri, "term-length", "128k"));
    char *text = abr_channel_uri_to_string(&uri);
    ABR_CHECK_STR_EQ("aeron:ipc?term-length=128k|session-id=42", text);
    free(text);
    abr_channel_uri_close(&uri);
}

static void keeps_spy_prefix(void)
{
    abr_channel_uri_t uri;
    ABR_CHECK(0 == abr_channel_uri_parse(&uri, "aeron-spy:aeron:udp?endpoint=localhost:1"));
    char *text = abr_channel_uri_to_string(&uri);
    ABR_CHECK_STR_EQ("aeron-spy:aeron:udp?endpoint=localhost:1", text);
    free(text);
    abr_channel_uri_close(&uri);
}

static void handles_no_params(void)
{
    abr_channel_uri_t uri;
    ABR_CHECK(0 == abr_channel_uri_parse(&uri, "aeron:ipc"));
    ABR_CHECK(0 == uri.param_count);
    char *text = abr_channel_uri_to_string(&uri);
    ABR_CHECK_STR_EQ("aeron:ipc", text);
    free(text);
    abr_channel_uri_close(&uri);
}

static void rejects_malformed_channels_naming_the_part(void)
{
    abr_channel_uri_t uri;
    ABR_CHECK(-1 == abr_channel_uri_parse(&uri, "udp?endpoint=x"));
    ABR_CHECK(ABR_ERROR_MALFORMED_CHANNEL == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "aeron:"));

    ABR_CHECK(-1 == abr_channel_uri_parse(&uri, "aeron:?endpoint=x"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "media"));

    ABR_CHECK(-1 == abr_channel_uri_parse(&uri, "aeron:udp?endpoint"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "'endpoint'"));

    ABR_CHECK(-1 == abr_channel_uri_parse(&uri, NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
}

int main(void)
{
    ABR_RUN(parses_media_and_params);
    ABR_RUN(round_trips_with_added_and_replaced_params);
    ABR_RUN(keeps_spy_prefix);
    ABR_RUN(handles_no_params);
    ABR_RUN(rejects_malformed_channels_naming_the_part);
    return 0;
}
