/*
 * The archive context's idle strategy: its default, what each kind keeps, and the values it refuses (nothing changes
 * then); and that a wait step counts and sleeps no longer than the strategy says.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "archive/archive_idle.h"
#include "test_assert.h"
#include "test_expect.h"

typedef struct idle_read_stct
{
    abr_archive_idle_strategy_t kind;
    int64_t max_spins;
    int64_t max_yields;
    int64_t min_park;
    int64_t max_park;
}
idle_read_t;

static idle_read_t read_idle(abr_archive_context_t *ctx)
{
    idle_read_t read;
    memset(&read, 0xff, sizeof(read));
    ABR_CHECK(0 == abr_archive_context_get_idle_strategy(
        ctx, &read.kind, &read.max_spins, &read.max_yields, &read.min_park, &read.max_park));
    return read;
}

static void defaults_to_backoff(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    idle_read_t read = read_idle(ctx);
    ABR_CHECK(ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF == read.kind);
    ABR_CHECK(10 == read.max_spins && 20 == read.max_yields && 1000 == read.min_park && 100000 == read.max_park);
    abr_archive_context_close(ctx);
}

static void keeps_what_each_kind_reads(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));

    ABR_CHECK(0 == abr_archive_context_set_idle_strategy(ctx, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 0, 5, 0, 0));
    idle_read_t read = read_idle(ctx);
    ABR_CHECK(ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF == read.kind && 0 == read.max_spins && 5 == read.max_yields);
    ABR_CHECK(0 == read.min_park && 0 == read.max_park);

    ABR_CHECK(0 == abr_archive_context_set_idle_strategy(ctx, ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING, 7, 8, 2000, 9));
    read = read_idle(ctx);
    ABR_CHECK(ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING == read.kind && 0 == read.max_spins && 0 == read.max_yields);
    ABR_CHECK(2000 == read.min_park && 2000 == read.max_park);

    const abr_archive_idle_strategy_t plain[] = {
        ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN, ABR_ARCHIVE_IDLE_STRATEGY_YIELDING, ABR_ARCHIVE_IDLE_STRATEGY_NOOP };
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
    {
        ABR_CHECK(0 == abr_archive_context_set_idle_strategy(ctx, plain[i], -1, -1, -1, -1));
        read = read_idle(ctx);
        ABR_CHECK(plain[i] == read.kind && 0 == read.max_spins && 0 == read.max_yields);
        ABR_CHECK(0 == read.min_park && 0 == read.max_park);
    }
    abr_archive_context_close(ctx);
}

static void refuses_bad_values_keeping_what_was_set(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    ABR_CHECK(0 == abr_archive_context_set_idle_strategy(ctx, ABR_ARCHIVE_IDLE_STRATEGY_YIELDING, 0, 0, 0, 0));

    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy,
        (NULL, ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN, 0, 0, 0, 0), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy, (ctx, (abr_archive_idle_strategy_t)5, 0, 0, 0, 0), -1,
        "unknown kind=5");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy, (ctx, (abr_archive_idle_strategy_t)-1, 0, 0, 0, 0), -1,
        "unknown kind=-1");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy,
        (ctx, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, -1, 0, 0, 0), -1, "max_spins must be >= 0, got: -1");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy,
        (ctx, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 0, INT64_MIN, 0, 0), -1, "max_yields must be >= 0");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy,
        (ctx, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 0, 0, -1, 10), -1, "min_park_period_ns must be >= 0, got: -1");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy,
        (ctx, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 0, 0, 10, 9), -1,
        "max_park_period_ns must be >= min_park_period_ns, got: max_park_period_ns=9 min_park_period_ns=10");
    ABR_EXPECT_INVALID(abr_archive_context_set_idle_strategy,
        (ctx, ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING, 0, 0, INT64_MIN, 0), -1, "sleep period");

    idle_read_t read = read_idle(ctx);
    ABR_CHECK(ABR_ARCHIVE_IDLE_STRATEGY_YIELDING == read.kind);

    abr_archive_idle_strategy_t kind;
    int64_t value;
    ABR_EXPECT_INVALID(abr_archive_context_get_idle_strategy,
        (NULL, &kind, &value, &value, &value, &value), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_get_idle_strategy,
        (ctx, NULL, &value, &value, &value, &value), -1, "kind must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_get_idle_strategy,
        (ctx, &kind, NULL, &value, &value, &value), -1, "max_spins must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_get_idle_strategy,
        (ctx, &kind, &value, NULL, &value, &value), -1, "max_yields must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_get_idle_strategy,
        (ctx, &kind, &value, &value, NULL, &value), -1, "min_park_period_ns must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_get_idle_strategy,
        (ctx, &kind, &value, &value, &value, NULL), -1, "max_park_period_ns must not be null");
    abr_archive_context_close(ctx);
}

static int64_t elapsed_ns(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - start->tv_sec) * 1000000000LL + (now.tv_nsec - start->tv_nsec);
}

/* Counts saturate instead of wrapping, and a backoff whose park periods reach the cap sleeps no longer than it: the
 * first parks stay far below the old fixed 50 us sleep's 100 steps of about 100 us (bounded generously for a loaded
 * machine, never a timing assertion on the fast side). */
static void steps_count_and_park_within_the_cap(void)
{
    abr_archive_idle_t idle;
    abr_archive_idle_default(&idle);
    ABR_CHECK(0 == abr_archive_idle_set(&idle, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 2, 2, 1, 1000));
    int64_t count = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < 100; i++)
    {
        abr_archive_idle_step(&idle, &count);
    }
    ABR_CHECK(100 == count);
    ABR_CHECK(elapsed_ns(&start) < 5LL * 1000 * 1000 * 1000);

    count = INT64_MAX;
    ABR_CHECK(0 == abr_archive_idle_set(&idle, ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 0, 0, 0, 0));
    abr_archive_idle_step(&idle, &count);
    ABR_CHECK(INT64_MAX == count);
}

int main(void)
{
    ABR_RUN(defaults_to_backoff);
    ABR_RUN(keeps_what_each_kind_reads);
    ABR_EXPECT_RUN(refuses_bad_values_keeping_what_was_set);
    ABR_RUN(steps_count_and_park_within_the_cap);
    ABR_EXPECT_ALL_PASSED();
    return 0;
}
