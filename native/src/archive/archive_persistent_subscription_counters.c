#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_persistent_subscription_counters.h"
#include "core/error.h"

/* AeronCounters.PERSISTENT_SUBSCRIPTION_*_TYPE_ID (aeron-client 1.51.0) and the names PersistentSubscription's labels
 * begin with, in the order of the ABR_PS_COUNTER_* indexes. */
static const int32_t abr_ps_counter_type_ids[ABR_PS_COUNTER_COUNT] = { 114, 115, 116, 117 };
static const char *const abr_ps_counter_names[ABR_PS_COUNTER_COUNT] = {
    "Persistent Subscription State",
    "Persistent Subscription Join Difference",
    "Persistent Subscription Live Left Count",
    "Persistent Subscription Live Joined Count"
};

int abr_ps_counters_init(
    abr_ps_counters_t *counters, abr_counter_t *const given[ABR_PS_COUNTER_COUNT], int32_t state,
    int32_t replay_stream_id, const char *replay_channel, int32_t live_stream_id, const char *live_channel)
{
    memcpy(counters->counters, given, sizeof(counters->counters));
    abr_ps_counters_state(counters, state);
    abr_ps_counters_join_difference(counters, INT64_MIN);
    int length = snprintf(NULL, 0, "%d %s %d %s", replay_stream_id, replay_channel, live_stream_id, live_channel);
    counters->label_suffix = length < 0 ? NULL : malloc((size_t)length + 1);
    if (NULL == counters->label_suffix)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the counters' labels");
    }
    snprintf(counters->label_suffix, (size_t)length + 1, "%d %s %d %s", replay_stream_id, replay_channel,
        live_stream_id, live_channel);
    return 0;
}

int abr_ps_counters_allocate(abr_ps_counters_t *counters, abr_client_t *client, int32_t state)
{
    for (int i = 0; i < ABR_PS_COUNTER_COUNT; i++)
    {
        if (NULL != counters->counters[i])
        {
            continue;
        }
        /* The label PersistentSubscription gives, cut to the most a counter holds where Aeron's client would refuse
         * it (a label over 380 bytes needs channels of some 300 bytes). */
        char label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
        int length = snprintf(label, sizeof(label), "%s: %s", abr_ps_counter_names[i], counters->label_suffix);
        size_t label_length = length < 0 ? 0 : (size_t)length > ABR_COUNTER_MAX_LABEL_LENGTH ?
            ABR_COUNTER_MAX_LABEL_LENGTH : (size_t)length;
        if (abr_client_add_counter(
            &counters->counters[i], client, abr_ps_counter_type_ids[i], NULL, 0, label, label_length) < 0)
        {
            return abr_error_prefix("could not allocate the counter \"%s\": ", abr_ps_counter_names[i]);
        }
        counters->owned[i] = true;
    }
    abr_ps_counters_state(counters, state);
    abr_ps_counters_join_difference(counters, INT64_MIN);
    return 0;
}

static abr_counter_t *abr_ps_counter(abr_ps_counters_t *counters, int index)
{
    abr_counter_t *counter = counters->counters[index];
    return abr_counter_is_closed(counter) ? NULL : counter;
}

void abr_ps_counters_state(abr_ps_counters_t *counters, int32_t state)
{
    abr_counter_t *counter = abr_ps_counter(counters, ABR_PS_COUNTER_STATE);
    if (NULL != counter)
    {
        abr_counter_set(counter, state);
    }
}

void abr_ps_counters_join_difference(abr_ps_counters_t *counters, int64_t join_difference)
{
    abr_counter_t *counter = abr_ps_counter(counters, ABR_PS_COUNTER_JOIN_DIFFERENCE);
    if (NULL != counter)
    {
        abr_counter_set(counter, join_difference);
    }
}

void abr_ps_counters_live_joined(abr_ps_counters_t *counters)
{
    abr_counter_t *counter = abr_ps_counter(counters, ABR_PS_COUNTER_LIVE_JOINED);
    if (NULL != counter)
    {
        abr_counter_increment(counter, NULL);
    }
}

void abr_ps_counters_live_left(abr_ps_counters_t *counters)
{
    abr_counter_t *counter = abr_ps_counter(counters, ABR_PS_COUNTER_LIVE_LEFT);
    if (NULL != counter)
    {
        abr_counter_increment(counter, NULL);
    }
}

void abr_ps_counters_close(abr_ps_counters_t *counters)
{
    for (int i = 0; i < ABR_PS_COUNTER_COUNT; i++)
    {
        if (counters->owned[i])
        {
            abr_counter_close(counters->counters[i]);
            counters->counters[i] = NULL;
            counters->owned[i] = false;
        }
    }
    free(counters->label_suffix);
    counters->label_suffix = NULL;
}
