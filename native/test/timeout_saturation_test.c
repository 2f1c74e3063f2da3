/*
 * Timeouts at the edges of int64: INT64_MAX (Java's Long.MAX_VALUE) and other huge values mean "wait", never
 * "already timed out", and no deadline arithmetic overflows (UBSan in the sanitized build fails on any that does).
 * A message timeout of 0 or below is refused by the setter, as abr_archive.h documents ("Above 0").
 */
#include <stdint.h>
#include <time.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"

static abr_test_driver_t g_driver;

static void test_deadlines_saturate(void)
{
    ABR_CHECK(INT64_MAX == abr_deadline_ns(1, INT64_MAX));
    ABR_CHECK(INT64_MAX == abr_deadline_ns(INT64_MAX, 1));
    ABR_CHECK(INT64_MAX - 1 == abr_deadline_ns(0, INT64_MAX - 1));
    ABR_CHECK(INT64_MIN == abr_deadline_ns(-2, INT64_MIN));
    ABR_CHECK(1000 == abr_deadline_ns(1000, 0));
    ABR_CHECK(990 == abr_deadline_ns(1000, -10));

    ABR_CHECK(INT64_MAX == abr_saturated_sub(1, INT64_MIN));
    ABR_CHECK(INT64_MIN == abr_saturated_sub(-2, INT64_MAX));
    ABR_CHECK(-5 == abr_saturated_sub(5, 10));

    ABR_CHECK(INT64_MAX == abr_ms_to_ns(INT64_MAX));
    ABR_CHECK(INT64_MIN == abr_ms_to_ns(INT64_MIN));
    ABR_CHECK(INT64_MAX == abr_ms_to_ns(INT64_MAX / 1000000 + 1));
    ABR_CHECK(3000000 == abr_ms_to_ns(3));

    ABR_CHECK(!abr_deadline_passed(INT64_MAX - 1, INT64_MAX));
    ABR_CHECK(abr_deadline_passed(5, 5));
    ABR_CHECK(abr_deadline_passed(5, INT64_MIN));
}

static void test_timespecs_stay_in_range(void)
{
    struct timespec now = { .tv_sec = 1000, .tv_nsec = 999999999 };

    struct timespec never = abr_timespec_after(now, INT64_MAX);
    ABR_CHECK(1000 + (time_t)ABR_TIMESPEC_MAX_INTERVAL_S == never.tv_sec);
    ABR_CHECK(never.tv_nsec >= 0 && never.tv_nsec < 1000000000L);

    struct timespec soon = abr_timespec_after(now, 2);
    ABR_CHECK(1001 == soon.tv_sec && 1 == soon.tv_nsec);

    struct timespec past = abr_timespec_after(now, -1);
    ABR_CHECK(1000 == past.tv_sec && 999999999 == past.tv_nsec);
    struct timespec also_past = abr_timespec_after(now, INT64_MIN);
    ABR_CHECK(1000 == also_past.tv_sec && 999999999 == also_past.tv_nsec);
}

static void test_a_timeout_of_zero_or_below_is_refused(void)
{
    abr_archive_context_t *context = NULL;
    ABR_TEST_CHECK_OK(abr_archive_context_init(&context));
    const int64_t refused[] = { 0, -1, INT64_MIN };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
    {
        ABR_CHECK(-1 == abr_archive_context_set_message_timeout_ns(context, refused[i]));
        ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
        ABR_CHECK(NULL != strstr(abr_errmsg(), "message timeout"));
    }
    ABR_CHECK(0 == abr_archive_context_set_message_timeout_ns(context, INT64_MAX));
    ABR_CHECK(INT64_MAX == abr_archive_context_get_message_timeout_ns(context));
    abr_archive_context_close(context);
}

static abr_archive_async_connect_t *start_connect_without_archive(int64_t message_timeout_ns)
{
    abr_archive_context_t *context = NULL;
    ABR_TEST_CHECK_OK(abr_archive_context_init(&context));
    ABR_TEST_CHECK_OK(abr_archive_context_set_aeron_directory_name(context, g_driver.dir));
    /* No archive listens on this IPC stream: the connect waits for its request publication for as long as allowed. */
    ABR_TEST_CHECK_OK(abr_archive_context_set_control_request_channel(context, "aeron:ipc"));
    ABR_TEST_CHECK_OK(abr_archive_context_set_control_request_stream_id(context, 1010));
    ABR_TEST_CHECK_OK(abr_archive_context_set_control_response_channel(context, "aeron:ipc"));
    ABR_TEST_CHECK_OK(abr_archive_context_set_control_response_stream_id(context, 1020));
    ABR_TEST_CHECK_OK(abr_archive_context_set_message_timeout_ns(context, message_timeout_ns));
    abr_archive_async_connect_t *async = NULL;
    ABR_TEST_CHECK_OK(abr_archive_async_connect(&async, context));
    abr_archive_context_close(context);
    return async;
}

/* Polled for two seconds (many polls, on a loaded machine too), the connect is still waiting, not timed out. */
static void test_a_huge_message_timeout_waits(void)
{
    const int64_t huge[] = { INT64_MAX, INT64_MAX - 1, INT64_MAX / 2 + 1 };
    for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++)
    {
        abr_archive_async_connect_t *async = start_connect_without_archive(huge[i]);
        const int64_t until_ns = abr_nano_time() + 2000000000LL;
        int polls = 0;
        while (abr_nano_time() < until_ns)
        {
            abr_archive_t *archive = NULL;
            int result = abr_archive_async_connect_poll(&archive, async);
            if (result != 0)
            {
                fprintf(stderr, "timeout=%lld: poll %d returned %d: code=%d %s\n",
                    (long long)huge[i], polls, result, abr_errcode(), abr_errmsg());
                ABR_CHECK(0 == result);
            }
            polls++;
            abr_sleep_ms(1);
        }
        ABR_CHECK(polls > 0);
        ABR_TEST_CHECK_OK(abr_archive_async_connect_close(async));
    }
}

/* The smallest allowed timeout still ends the connect, with a timeout, not a hang. */
static void test_a_tiny_message_timeout_times_out(void)
{
    abr_archive_async_connect_t *async = start_connect_without_archive(1);
    const int64_t until_ns = abr_nano_time() + 30000000000LL;
    int result = 0;
    while (0 == result && abr_nano_time() < until_ns)
    {
        abr_archive_t *archive = NULL;
        result = abr_archive_async_connect_poll(&archive, async);
        abr_sleep_ms(1);
    }
    ABR_CHECK(-1 == result);
    ABR_CHECK(ABR_ERROR_TIMEOUT == abr_errcode());
}

int main(void)
{
    ABR_RUN(test_deadlines_saturate);
    ABR_RUN(test_timespecs_stay_in_range);
    ABR_RUN(test_a_timeout_of_zero_or_below_is_refused);
    abr_test_driver_start(&g_driver, NULL);
    ABR_RUN(test_a_huge_message_timeout_waits);
    ABR_RUN(test_a_tiny_message_timeout_times_out);
    abr_test_driver_stop(&g_driver);
    return 0;
}
