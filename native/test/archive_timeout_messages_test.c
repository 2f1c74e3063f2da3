/*
 * Timeouts read as AeronArchive's, word for word, with our details after: a request the Archive does not answer (its
 * process stopped with SIGSTOP, well within the driver timeout) fails with "awaiting response - correlationId=N
 * messageTimeout=1500ms", a listing with "awaiting recording descriptors" or "awaiting subscription descriptors"; a
 * connect to no Archive with "Archive connect timeout: step=...". Durations as Agrona's SystemUtil.formatDuration
 * writes them (the expected texts are what it returned for the same values).
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define MESSAGE_TIMEOUT_NS (1500LL * 1000 * 1000)

static abr_test_driver_t g_driver;
static char g_control_channel[128];

static void expect_duration(int64_t duration_ns, const char *expected)
{
    char text[32];
    abr_format_duration(text, sizeof(text), duration_ns);
    if (0 != strcmp(expected, text))
    {
        fprintf(stderr, "duration %" PRId64 "ns: expected \"%s\", got \"%s\"\n", duration_ns, expected, text);
    }
    ABR_CHECK(0 == strcmp(expected, text));
}

static void test_durations_are_written_as_agrona_writes_them(void)
{
    expect_duration(5000000000LL, "5s");
    expect_duration(1500000000LL, "1500ms");
    expect_duration(250000000LL, "250ms");
    expect_duration(2000LL, "2us");
    expect_duration(1500LL, "1500ns");
    expect_duration(7LL, "7ns");
    expect_duration(0LL, "0ns");
    expect_duration(INT64_MAX, "9223372036854775807ns");
}

static abr_archive_t *connect_archive(abr_client_t *client, const char *request_channel, int64_t timeout_ns)
{
    abr_archive_context_t *context = NULL;
    CHECK_OK(abr_archive_context_init(&context));
    CHECK_OK(abr_archive_context_set_aeron_directory_name(context, g_driver.dir));
    CHECK_OK(abr_archive_context_set_control_request_channel(context, request_channel));
    CHECK_OK(abr_archive_context_set_control_response_channel(context, "aeron:udp?endpoint=localhost:0"));
    CHECK_OK(abr_archive_context_set_message_timeout_ns(context, timeout_ns));
    CHECK_OK(abr_archive_context_set_client(context, client));
    abr_archive_t *archive = NULL;
    int result = abr_archive_connect(&archive, context);
    abr_archive_context_close(context);
    return result < 0 ? NULL : archive;
}

static void on_descriptor(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    (void)clientd;
    (void)descriptor;
}

static void on_subscription_descriptor(void *clientd, abr_archive_recording_subscription_descriptor_t *descriptor)
{
    (void)clientd;
    (void)descriptor;
}

static void expect_timeout(int result, abr_archive_t *archive, const char *what)
{
    char expected[256];
    snprintf(expected, sizeof(expected), "%s - correlationId=%" PRId64 " messageTimeout=1500ms ", what,
        abr_archive_last_correlation_id(archive));
    printf("    %s\n", abr_errmsg());
    if (-1 != result || ABR_ERROR_TIMEOUT != abr_errcode())
    {
        fprintf(stderr, "expected a timeout, got %d: code %d, %s\n", result, abr_errcode(), abr_errmsg());
    }
    ABR_CHECK(-1 == result && ABR_ERROR_TIMEOUT == abr_errcode());
    ABR_CHECK(0 == strncmp(expected, abr_errmsg(), strlen(expected)));
    ABR_CHECK(abr_archive_last_correlation_id(archive) == abr_errcorrelation_id());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "controlSessionId="));
}

static void test_an_unanswered_request_times_out_in_aeron_archives_words(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 30000);
    abr_archive_t *archive = connect_archive(client, g_control_channel, MESSAGE_TIMEOUT_NS);
    ABR_CHECK(NULL != archive);
    abr_test_driver_pause(&g_driver);

    int64_t position = 0;
    expect_timeout(abr_archive_get_start_position(&position, archive, 1), archive, "awaiting response");
    int32_t count = 0;
    expect_timeout(abr_archive_list_recordings(&count, archive, 0, 10, on_descriptor, NULL), archive,
        "awaiting recording descriptors");
    expect_timeout(abr_archive_list_recording_subscriptions(
        &count, archive, 0, 10, "", 1, false, on_subscription_descriptor, NULL), archive,
        "awaiting subscription descriptors");

    ABR_CHECK(abr_test_driver_signal(&g_driver, SIGCONT));
    CHECK_OK(abr_archive_close(archive));
    CHECK_OK(abr_client_close(client));
}

static void test_a_connect_to_no_archive_times_out_in_aeron_archives_words(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 30000);
    char nowhere[128];
    snprintf(nowhere, sizeof(nowhere), "aeron:udp?endpoint=localhost:%d", abr_test_free_udp_port());
    ABR_CHECK(NULL == connect_archive(client, nowhere, 1500LL * 1000 * 1000));
    printf("    %s\n", abr_errmsg());
    ABR_CHECK(ABR_ERROR_TIMEOUT == abr_errcode());
    /* The step it stopped at depends on how fast a loaded driver adds the publication; it is named all the same. */
    const char *expected = "Archive connect timeout: step=";
    ABR_CHECK(0 == strncmp(expected, abr_errmsg(), strlen(expected)));
    const char *publication = strstr(abr_errmsg(), " publication=");
    ABR_CHECK(NULL != publication && NULL == memchr(abr_errmsg() + strlen(expected), ' ',
        (size_t)(publication - abr_errmsg()) - strlen(expected)));
    ABR_CHECK(0 == strncmp(publication + strlen(" publication="), nowhere, strlen(nowhere)));
    ABR_CHECK(NULL != strstr(abr_errmsg(), " subscription=aeron:udp?") &&
        NULL != strstr(abr_errmsg(), "messageTimeout=1500ms"));
    CHECK_OK(abr_client_close(client));
}

int main(void)
{
    ABR_RUN(test_durations_are_written_as_agrona_writes_them);
    snprintf(g_control_channel, sizeof(g_control_channel), "aeron:udp?endpoint=localhost:%d",
        abr_test_free_udp_port());
    abr_test_archiving_driver_start(&g_driver, g_control_channel);
    ABR_RUN(test_a_connect_to_no_archive_times_out_in_aeron_archives_words);
    if (g_driver.pid > 0)
    {
        ABR_RUN(test_an_unanswered_request_times_out_in_aeron_archives_words);
    }
    abr_test_driver_stop(&g_driver);
    return 0;
}
