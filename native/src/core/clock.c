#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"

int64_t abr_epoch_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t abr_epoch_ms_coarse(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t abr_nano_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void abr_sleep_ms(int64_t ms)
{
    struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (0 != nanosleep(&ts, &ts) && EINTR == errno)
    {
    }
}

struct timespec abr_timespec_after(struct timespec now, int64_t interval_ns)
{
    if (interval_ns <= 0)
    {
        return now;
    }
    int64_t seconds = interval_ns / 1000000000LL;
    int64_t nanos = (int64_t)now.tv_nsec + interval_ns % 1000000000LL;
    seconds += nanos / 1000000000LL;
    nanos %= 1000000000LL;
    if (seconds > ABR_TIMESPEC_MAX_INTERVAL_S)
    {
        seconds = ABR_TIMESPEC_MAX_INTERVAL_S;
    }
    struct timespec after = { .tv_sec = now.tv_sec + (time_t)seconds, .tv_nsec = (long)nanos };
    return after;
}

void abr_format_duration(char *out, size_t out_length, int64_t duration_ns)
{
    static const struct
    {
        int64_t ns;
        const char *unit;
    }
    units[] = { { 1000000000LL, "s" }, { 1000000LL, "ms" }, { 1000LL, "us" } };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    {
        if (duration_ns >= units[i].ns && 0 == duration_ns % units[i].ns)
        {
            snprintf(out, out_length, "%" PRId64 "%s", duration_ns / units[i].ns, units[i].unit);
            return;
        }
    }
    snprintf(out, out_length, "%" PRId64 "ns", duration_ns);
}
