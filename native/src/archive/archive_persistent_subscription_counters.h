/*
 * The persistent subscription's four counters, as PersistentSubscription keeps them (AeronCounters 1.51.0 type ids):
 * its state code, the join difference (live position minus replay position when it attempts the switch, INT64_MIN
 * while not consuming live), and how often it joined and left the live stream. Counters given in the context are
 * used as they are; the missing ones are allocated once the core client is there and closed with the subscription.
 */
#ifndef ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_COUNTERS_H
#define ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_archive.h"

#define ABR_PS_COUNTER_STATE 0
#define ABR_PS_COUNTER_JOIN_DIFFERENCE 1
#define ABR_PS_COUNTER_LIVE_LEFT 2
#define ABR_PS_COUNTER_LIVE_JOINED 3
#define ABR_PS_COUNTER_COUNT 4

typedef struct abr_ps_counters_stct
{
    abr_counter_t *counters[ABR_PS_COUNTER_COUNT];
    bool owned[ABR_PS_COUNTER_COUNT];
    /* What follows the name in each label: the streams and channels as configured. */
    char *label_suffix;
}
abr_ps_counters_t;

/* Take the counters given (NULL for those to allocate), set the state and join difference (INT64_MIN) in them as
 * PersistentSubscription's constructor does, and keep the streams and channels the labels name (the replay channel with
 * rejoin=false, as PersistentSubscription.Context.conclude makes it). 0, or -1 (no memory). */
int abr_ps_counters_init(
    abr_ps_counters_t *counters, abr_counter_t *const given[ABR_PS_COUNTER_COUNT], int32_t state,
    int32_t replay_stream_id, const char *replay_channel, int32_t live_stream_id, const char *live_channel);

/* Allocate the counters not given, labelled as PersistentSubscription's, then set the state and join difference.
 * 0, or -1 with the error set (those allocated stay, closed by abr_ps_counters_close). */
int abr_ps_counters_allocate(abr_ps_counters_t *counters, abr_client_t *client, int32_t state);

/* Updates, each skipped for a counter that is missing or closed, as PersistentSubscription skips closed ones. */
void abr_ps_counters_state(abr_ps_counters_t *counters, int32_t state);
void abr_ps_counters_join_difference(abr_ps_counters_t *counters, int64_t join_difference);
void abr_ps_counters_live_joined(abr_ps_counters_t *counters);
void abr_ps_counters_live_left(abr_ps_counters_t *counters);

/* Close the counters this subscription allocated and free the rest. */
void abr_ps_counters_close(abr_ps_counters_t *counters);

#endif
