#ifndef ABR_CORE_CLOCK_H
#define ABR_CORE_CLOCK_H

#include <stdint.h>

/* Wall-clock milliseconds since the epoch: the driver stamps its heartbeats with this clock. */
int64_t abr_epoch_ms(void);

/* Monotonic nanoseconds, for intervals and deadlines of our own. */
int64_t abr_nano_time(void);

void abr_sleep_ms(int64_t ms);

#endif
