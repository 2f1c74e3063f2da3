#ifndef ABR_CORE_CLOCK_H
#define ABR_CORE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Wall-clock milliseconds since the epoch: the driver stamps its heartbeats with this clock. */
int64_t abr_epoch_ms(void);

/* The same clock read coarsely (Linux's CLOCK_REALTIME_COARSE: the kernel's last tick, up to 4 ms behind, about 5 ns a
 * read here against 22 for the exact clock), for a heartbeat's age checked on every call: a reading that lags can only
 * find the heartbeat younger than it is, so a live driver is never judged lost by it, and a dead one a tick later. */
int64_t abr_epoch_ms_coarse(void);

/* Monotonic nanoseconds, for intervals and deadlines of our own. */
int64_t abr_nano_time(void);

void abr_sleep_ms(int64_t ms);

/*
 * Deadlines and intervals held at INT64_MAX or INT64_MIN instead of overflowing: a timeout of INT64_MAX (Java's
 * Long.MAX_VALUE) means "never", and a wrapped deadline would lie in the past and time out at once (and is UB).
 */
static inline int64_t abr_saturated_add(int64_t a, int64_t b)
{
    int64_t sum;
    if (__builtin_add_overflow(a, b, &sum))
    {
        return b > 0 ? INT64_MAX : INT64_MIN;
    }
    return sum;
}

static inline int64_t abr_saturated_sub(int64_t a, int64_t b)
{
    int64_t difference;
    if (__builtin_sub_overflow(a, b, &difference))
    {
        return b < 0 ? INT64_MAX : INT64_MIN;
    }
    return difference;
}

static inline int64_t abr_ms_to_ns(int64_t ms)
{
    int64_t ns;
    if (__builtin_mul_overflow(ms, (int64_t)1000000, &ns))
    {
        return ms > 0 ? INT64_MAX : INT64_MIN;
    }
    return ns;
}

/*
 * now plus interval_ns as a timespec for pthread_cond_timedwait: at most ABR_TIMESPEC_MAX_INTERVAL_S ahead, so that
 * an interval of INT64_MAX waits "for ever" (68 years) instead of overflowing tv_sec; a negative interval is now.
 */
#define ABR_TIMESPEC_MAX_INTERVAL_S INT32_MAX
struct timespec abr_timespec_after(struct timespec now, int64_t interval_ns);

/* The moment timeout_ns from now_ns; a deadline of INT64_MAX is never reached. */
static inline int64_t abr_deadline_ns(int64_t now_ns, int64_t timeout_ns)
{
    return abr_saturated_add(now_ns, timeout_ns);
}

/* A duration as Agrona's SystemUtil.formatDuration writes it, which AeronArchive's timeout messages use: the largest
 * of s, ms, us that divides it exactly, else ns ("5s", "1500ms", "1500ns"); a negative one in ns. */
void abr_format_duration(char *out, size_t out_length, int64_t duration_ns);

/* Compared directly, not as now - deadline: the monotonic clock does not wrap, a saturated deadline would. */
static inline bool abr_deadline_passed(int64_t now_ns, int64_t deadline_ns)
{
    return now_ns >= deadline_ns;
}

#endif
