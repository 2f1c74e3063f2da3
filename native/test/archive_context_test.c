#include <stdlib.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "test_assert.h"

static void defaults_match_aeron_archive(void)
{
    unsetenv(ABR_ARCHIVE_CONTROL_STREAM_ID_ENV_VAR);
    unsetenv(ABR_ARCHIVE_MESSAGE_TIMEOUT_ENV_VAR);
    unsetenv(ABR_ARCHIVE_CONTROL_CHANNEL_ENV_VAR);
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    ABR_CHECK(10 == abr_archive_context_get_control_request_stream_id(ctx));
    ABR_CHECK(20 == abr_archive_context_get_control_response_stream_id(ctx));
    ABR_CHECK(10LL * 1000 * 1000 * 1000 == abr_archive_context_get_message_timeout_ns(ctx));
    ABR_CHECK(3 == abr_archive_context_get_message_retry_attempts(ctx));
    ABR_CHECK(NULL == abr_archive_context_get_control_request_channel(ctx));
    abr_archive_context_close(ctx);
}

static void reads_environment_variables(void)
{
    setenv(ABR_ARCHIVE_CONTROL_CHANNEL_ENV_VAR, "aeron:udp?endpoint=localhost:8010", 1);
    setenv(ABR_ARCHIVE_CONTROL_STREAM_ID_ENV_VAR, "111", 1);
    setenv(ABR_ARCHIVE_CONTROL_RESPONSE_CHANNEL_ENV_VAR, "aeron:udp?endpoint=localhost:0", 1);
    setenv(ABR_ARCHIVE_CONTROL_RESPONSE_STREAM_ID_ENV_VAR, "222", 1);
    setenv(ABR_ARCHIVE_MESSAGE_TIMEOUT_ENV_VAR, "2500ms", 1);
    setenv(ABR_DIR_ENV_VAR, "/dev/shm/somewhere", 1);

    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    ABR_CHECK_STR_EQ("aeron:udp?endpoint=localhost:8010", abr_archive_context_get_control_request_channel(ctx));
    ABR_CHECK(111 == abr_archive_context_get_control_request_stream_id(ctx));
    ABR_CHECK_STR_EQ("aeron:udp?endpoint=localhost:0", abr_archive_context_get_control_response_channel(ctx));
    ABR_CHECK(222 == abr_archive_context_get_control_response_stream_id(ctx));
    ABR_CHECK(2500LL * 1000 * 1000 == abr_archive_context_get_message_timeout_ns(ctx));
    ABR_CHECK_STR_EQ("/dev/shm/somewhere", abr_archive_context_get_aeron_directory_name(ctx));
    abr_archive_context_close(ctx);

    unsetenv(ABR_ARCHIVE_CONTROL_CHANNEL_ENV_VAR);
    unsetenv(ABR_ARCHIVE_CONTROL_STREAM_ID_ENV_VAR);
    unsetenv(ABR_ARCHIVE_CONTROL_RESPONSE_CHANNEL_ENV_VAR);
    unsetenv(ABR_ARCHIVE_CONTROL_RESPONSE_STREAM_ID_ENV_VAR);
    unsetenv(ABR_ARCHIVE_MESSAGE_TIMEOUT_ENV_VAR);
    unsetenv(ABR_DIR_ENV_VAR);
}

static void rejects_bad_arguments(void)
{
    ABR_CHECK(-1 == abr_archive_context_init(NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_archive_context_set_control_request_channel(NULL, "aeron:ipc"));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());

    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    ABR_CHECK(-1 == abr_archive_context_set_message_timeout_ns(ctx, 0));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "timeout"));
    ABR_CHECK(-1 == abr_archive_context_set_message_retry_attempts(ctx, -1));

    abr_archive_t *archive = NULL;
    ABR_CHECK(-1 == abr_archive_connect(&archive, ctx));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "control request channel must be set"));
    abr_archive_context_close(ctx);

    ABR_CHECK(-1 == abr_archive_connect(&archive, NULL));
    ABR_CHECK(0 == abr_archive_close(NULL));

    ABR_CHECK(-1 == abr_archive_state(NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "abr_archive_state"));
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == abr_archive_last_correlation_id(NULL));
}

static void rejects_a_missing_driver_naming_the_directory(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    ABR_CHECK(0 == abr_archive_context_set_aeron_directory_name(ctx, "/tmp/abr-no-driver-here"));
    ABR_CHECK(0 == abr_archive_context_set_control_request_channel(ctx, "aeron:ipc"));
    ABR_CHECK(0 == abr_archive_context_set_control_response_channel(ctx, "aeron:ipc"));
    abr_archive_t *archive = NULL;
    ABR_CHECK(-1 == abr_archive_connect(&archive, ctx));
    ABR_CHECK(ABR_ERROR_NO_DRIVER == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "/tmp/abr-no-driver-here"));
    ABR_CHECK(NULL == archive);
    abr_archive_context_close(ctx);
}

int main(void)
{
    ABR_RUN(defaults_match_aeron_archive);
    ABR_RUN(reads_environment_variables);
    ABR_RUN(rejects_bad_arguments);
    ABR_RUN(rejects_a_missing_driver_naming_the_directory);
    return 0;
}
