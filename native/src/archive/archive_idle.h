/*
 * How the archive client waits for the archive: the idle strategy set on its context, applied between polls of the
 * response channel and between offers the control publication refused for back pressure.
 */
#ifndef ABR_ARCHIVE_IDLE_H
#define ABR_ARCHIVE_IDLE_H

#include <stdint.h>

#include "abr/abr_archive.h"

typedef struct abr_archive_idle_stct
{
    abr_archive_idle_strategy_t kind;
    int64_t max_spins;
    int64_t max_yields;
    int64_t min_park_period_ns;
    int64_t max_park_period_ns;
}
abr_archive_idle_t;

/* The default: backoff, 10 spins, 20 yields, then parks from 1 us doubling up to 100 us (see abr_archive.h). */
void abr_archive_idle_default(abr_archive_idle_t *idle);

/* 0, or -1 (ABR_ERROR_INVALID_ARGUMENT) naming the value out of range; idle is left unchanged then. */
int abr_archive_idle_set(
    abr_archive_idle_t *idle,
    abr_archive_idle_strategy_t kind,
    int64_t max_spins,
    int64_t max_yields,
    int64_t min_park_period_ns,
    int64_t max_park_period_ns);

/* One idle step; idle_count counts the steps without work since the caller last set it to 0 (work was done). */
void abr_archive_idle_step(const abr_archive_idle_t *idle, int64_t *idle_count);

#endif
