/*
 * The persistent subscription's context (abr_archive.h), shared by its setters and the state machine that copies it.
 */
#ifndef ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_CONTEXT_H
#define ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_archive.h"

struct abr_archive_persistent_subscription_context_stct
{
    abr_archive_context_t *archive_context;
    int64_t recording_id;
    int64_t start_position;
    char *live_channel;
    char *replay_channel;
    int32_t live_stream_id;
    int32_t replay_stream_id;
    /* Stream ids have no value meaning "unset" (any int32 is a stream id), so whether each was set is kept. */
    bool live_stream_id_set;
    bool replay_stream_id_set;
    abr_archive_persistent_subscription_listener_t listener;
    /* Given counters, in the order of archive_persistent_subscription_counters.h; NULL: allocated by the subscription. */
    abr_counter_t *counters[4];
};

#endif
