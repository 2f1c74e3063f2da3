#include <inttypes.h>
#include <sched.h>
#include <time.h>

#include "archive_idle.h"
#include "core/error.h"

#define ABR_ARCHIVE_IDLE_DEFAULT_MAX_SPINS 10
#define ABR_ARCHIVE_IDLE_DEFAULT_MAX_YIELDS 20
#define ABR_ARCHIVE_IDLE_DEFAULT_MIN_PARK_NS 1000
#define ABR_ARCHIVE_IDLE_DEFAULT_MAX_PARK_NS 100000

void abr_archive_idle_default(abr_archive_idle_t *idle)
{
    idle->kind = ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF;
    idle->max_spins = ABR_ARCHIVE_IDLE_DEFAULT_MAX_SPINS;
    idle->max_yields = ABR_ARCHIVE_IDLE_DEFAULT_MAX_YIELDS;
    idle->min_park_period_ns = ABR_ARCHIVE_IDLE_DEFAULT_MIN_PARK_NS;
    idle->max_park_period_ns = ABR_ARCHIVE_IDLE_DEFAULT_MAX_PARK_NS;
}

static int abr_archive_idle_invalid(const char *what, int64_t value, abr_archive_idle_strategy_t kind)
{
    return abr_error_set(
        ABR_ERROR_INVALID_ARGUMENT, "idle strategy: %s must be >= 0, got: %" PRId64 " (kind=%d)", what, value, (int)kind);
}

int abr_archive_idle_set(
    abr_archive_idle_t *idle,
    abr_archive_idle_strategy_t kind,
    int64_t max_spins,
    int64_t max_yields,
    int64_t min_park_period_ns,
    int64_t max_park_period_ns)
{
    switch (kind)
    {
        case ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN:
        case ABR_ARCHIVE_IDLE_STRATEGY_YIELDING:
        case ABR_ARCHIVE_IDLE_STRATEGY_NOOP:
            break;
        case ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING:
            if (min_park_period_ns < 0)
            {
                return abr_archive_idle_invalid("sleep period (min_park_period_ns)", min_park_period_ns, kind);
            }
            break;
        case ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF:
            if (max_spins < 0)
            {
                return abr_archive_idle_invalid("max_spins", max_spins, kind);
            }
            if (max_yields < 0)
            {
                return abr_archive_idle_invalid("max_yields", max_yields, kind);
            }
            if (min_park_period_ns < 0)
            {
                return abr_archive_idle_invalid("min_park_period_ns", min_park_period_ns, kind);
            }
            if (max_park_period_ns < min_park_period_ns)
            {
                return abr_error_set(ABR_ERROR_INVALID_ARGUMENT,
                    "idle strategy: max_park_period_ns must be >= min_park_period_ns, got: max_park_period_ns=%" PRId64
                    " min_park_period_ns=%" PRId64,
                    max_park_period_ns, min_park_period_ns);
            }
            break;
        default:
            return abr_error_set(ABR_ERROR_INVALID_ARGUMENT,
                "idle strategy: unknown kind=%d, expected BACKOFF (0), BUSY_SPIN (1), YIELDING (2), SLEEPING (3) or "
                "NOOP (4)", (int)kind);
    }
    idle->kind = kind;
    idle->max_spins = ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF == kind ? max_spins : 0;
    idle->max_yields = ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF == kind ? max_yields : 0;
    idle->min_park_period_ns =
        ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF == kind || ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING == kind ? min_park_period_ns : 0;
    idle->max_park_period_ns = ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF == kind ? max_park_period_ns :
        ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING == kind ? min_park_period_ns : 0;
    return 0;
}

static void abr_archive_idle_spin_hint(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield" ::: "memory");
#endif
}

static void abr_archive_idle_park(int64_t period_ns)
{
    struct timespec pause = { (time_t)(period_ns / 1000000000LL), (long)(period_ns % 1000000000LL) };
    nanosleep(&pause, NULL);
}

/* The park period after `parks` parks without work: min doubled each time, capped at max (no shift past 62 bits). */
static int64_t abr_archive_idle_backoff_period(const abr_archive_idle_t *idle, int64_t parks)
{
    int64_t period = idle->min_park_period_ns < 1 ? 1 : idle->min_park_period_ns;
    for (int64_t i = 0; i < parks && period < idle->max_park_period_ns; i++)
    {
        period = period > INT64_MAX / 2 ? INT64_MAX : period * 2;
    }
    return period < idle->max_park_period_ns ? period : idle->max_park_period_ns;
}

void abr_archive_idle_step(const abr_archive_idle_t *idle, int64_t *idle_count)
{
    int64_t count = *idle_count;
    if (count < INT64_MAX)
    {
        *idle_count = count + 1;
    }
    switch (idle->kind)
    {
        case ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN:
            abr_archive_idle_spin_hint();
            return;
        case ABR_ARCHIVE_IDLE_STRATEGY_YIELDING:
            sched_yield();
            return;
        case ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING:
            abr_archive_idle_park(idle->min_park_period_ns);
            return;
        case ABR_ARCHIVE_IDLE_STRATEGY_NOOP:
            return;
        case ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF:
        default:
            break;
    }
    if (count < idle->max_spins)
    {
        abr_archive_idle_spin_hint();
        return;
    }
    if (count - idle->max_spins < idle->max_yields)
    {
        sched_yield();
        return;
    }
    if (idle->max_park_period_ns > 0)
    {
        abr_archive_idle_park(abr_archive_idle_backoff_period(idle, count - idle->max_spins - idle->max_yields));
    }
}
