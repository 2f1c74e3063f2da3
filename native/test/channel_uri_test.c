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

static void expect_malformed(const char *channel, const char *part)
{
    abr_channel_uri_t *uri = NULL;
    if (-1 != abr_channel_uri_parse_new(&uri, channel) || ABR_ERROR_MALFORMED_CHANNEL != abr_errcode() ||
        NULL == strstr(abr_errmsg(), part))
    {
        fprintf(stderr, "%s: expected malformed naming '%s', got code=%d %s\n", channel, part, abr_errcode(), abr_errmsg());
        exit(1);
    }
    ABR_CHECK(NULL == uri);
}

static void rejects_what_aeron_rejects_naming_the_part(void)
{
    expect_malformed("aeron:udp?endpoint", "'endpoint' at index 10");
    expect_malformed("aeron:udp?=1", "empty key at index 10");
    expect_malformed("aeron:udp?a=1||b=2", "parameter '' at index 14");
    expect_malformed("aeron:udp?a|b=2", "'a'");
    expect_malformed("aeron:udp?", "'' at index 10");
    expect_malformed("aeron:udp:x", "':' within the media at index 9");
    expect_malformed("aeron:tcp?endpoint=x:1", "media 'tcp' is unknown");
    expect_malformed("aeron:", "media '' is missing");
    expect_malformed("aeron-spy:udp", "must start with 'aeron:'");
    char long_channel[5000];
    memset(long_channel, 'x', sizeof(long_channel) - 1);
    memcpy(long_channel, "aeron:ipc?alias=", 16);
    long_channel[sizeof(long_channel) - 1] = '\0';
    expect_malformed(long_channel, "exceeds 4095");
}

static void public_api_parses_builds_and_validates(void)
{
    abr_channel_uri_t *uri = NULL;
    ABR_CHECK(0 == abr_channel_uri_parse_new(&uri, "aeron-spy:aeron:udp?endpoint=localhost:0|alias=a=b|mtu=8k|mtu=1408"));
    ABR_CHECK(abr_channel_uri_is_spy(uri));
    ABR_CHECK_STR_EQ("udp", abr_channel_uri_media(uri));
    /* A key given twice keeps its last value; '=' is allowed inside a value. */
    ABR_CHECK(3 == abr_channel_uri_param_count(uri));
    ABR_CHECK_STR_EQ("1408", abr_channel_uri_get(uri, "mtu"));
    ABR_CHECK_STR_EQ("a=b", abr_channel_uri_get(uri, "alias"));
    ABR_CHECK_STR_EQ("endpoint", abr_channel_uri_param_key(uri, 0));
    ABR_CHECK_STR_EQ("localhost:0", abr_channel_uri_param_value(uri, 0));
    ABR_CHECK(NULL == abr_channel_uri_param_key(uri, 3) && NULL == abr_channel_uri_param_key(uri, -1));
    ABR_CHECK(0 == abr_channel_uri_validate(uri));
    ABR_CHECK(1 == abr_channel_uri_remove(uri, "alias") && 0 == abr_channel_uri_remove(uri, "alias"));
    ABR_CHECK(0 == abr_channel_uri_put(uri, "session-id", "-5"));
    ABR_CHECK(0 == abr_channel_uri_put(uri, "term-length", "64k"));
    ABR_CHECK(0 == abr_channel_uri_put(uri, "control-mode", "response"));
    ABR_CHECK(0 == abr_channel_uri_validate(uri));
    char text[128];
    int length = abr_channel_uri_write(uri, text, sizeof(text));
    ABR_CHECK_STR_EQ("aeron-spy:aeron:udp?endpoint=localhost:0|mtu=1408|session-id=-5|term-length=64k|control-mode=response", text);
    ABR_CHECK((size_t)length == strlen(text));
    ABR_CHECK(-1 == abr_channel_uri_write(uri, text, (size_t)length));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "needs a buffer of"));

    ABR_CHECK(-1 == abr_channel_uri_put(uri, "bad|key", "1"));
    ABR_CHECK(-1 == abr_channel_uri_put(uri, "", "1"));
    ABR_CHECK(-1 == abr_channel_uri_put(uri, "alias", "x|y"));
    ABR_CHECK(ABR_ERROR_MALFORMED_CHANNEL == abr_errcode());
    /* A NULL is the caller's mistake, not a malformed channel. */
    ABR_CHECK(-1 == abr_channel_uri_put(uri, "alias", NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());

    static const char *const bad[][2] = {
        { "session-id", "12x" }, { "session-id", "tag:" }, { "session-id", "4294967296" },
        { "term-length", "65535" }, { "term-length", "2g" }, { "term-length", "96k" },
        { "mtu", "100" }, { "mtu", "65536" }, { "mtu", "" }, { "control-mode", "auto" }
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        abr_channel_uri_t *candidate = NULL;
        ABR_CHECK(0 == abr_channel_uri_new(&candidate, "ipc"));
        ABR_CHECK(0 == abr_channel_uri_put(candidate, bad[i][0], bad[i][1]));
        ABR_CHECK(-1 == abr_channel_uri_validate(candidate));
        ABR_CHECK(ABR_ERROR_MALFORMED_CHANNEL == abr_errcode() && NULL != strstr(abr_errmsg(), bad[i][0]));
        abr_channel_uri_free(candidate);
    }
    /* A failed call sets its out-pointer to NULL: it must not be the variable holding a live URI. */
    abr_channel_uri_t *failed = uri;
    ABR_CHECK(-1 == abr_channel_uri_new(&failed, "tcp"));
    ABR_CHECK(NULL == failed);
    ABR_CHECK(-1 == abr_channel_uri_parse_new(NULL, "aeron:ipc"));
    ABR_CHECK(-1 == abr_channel_uri_parse_new(&failed, NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL == abr_channel_uri_get(NULL, "mtu") && -1 == abr_channel_uri_param_count(NULL));
    ABR_CHECK(0 == abr_channel_uri_free(NULL));
    abr_channel_uri_free(uri);
}

int main(void)
{
    ABR_RUN(parses_media_and_params);
    ABR_RUN(round_trips_with_added_and_replaced_params);
    ABR_RUN(keeps_spy_prefix);
    ABR_RUN(handles_no_params);
    ABR_RUN(rejects_malformed_channels_naming_the_part);
    ABR_RUN(rejects_what_aeron_rejects_naming_the_part);
    ABR_RUN(public_api_parses_builds_and_validates);
    return 0;
}
