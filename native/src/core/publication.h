/*
 * A concurrent publication: many may share one driver publication and its log, and any thread may
 * offer to it.
 */
#ifndef ABR_CORE_PUBLICATION_H
#define ABR_CORE_PUBLICATION_H

#include "abr/abr_client.h"
#include "log_buffers.h"
#include "shared_appender.h"

struct abr_publication_stct
{
    abr_client_t *client;
    abr_publication_t *next;
    char *channel;
    int32_t stream_id;
    int32_t session_id;
    /* Ours (the add's correlation id, what remove names) and the driver's shared publication's. */
    int64_t registration_id;
    int64_t original_registration_id;
    int32_t channel_status_id;
    uint8_t *position_limit;
    abr_log_buffers_t log;
    abr_shared_appender_t appender;
    int closed;
    /* Once closed: when the conductor may unmap the log (see abr_context_set_resource_linger_ns). */
    int64_t unmap_deadline_ns;
    /* Given up (discarded_handles.h): freed by the conductor after free_deadline_ns. */
    bool discarded;
    int64_t free_deadline_ns;
};

/* Build a publication from the driver's ready response: map its log and find its limit counter. */
abr_publication_t *abr_publication_create(
    abr_client_t *client, const char *channel, int32_t stream_id, int32_t session_id, int64_t registration_id,
    int64_t original_registration_id, int32_t position_limit_id, int32_t channel_status_id, const char *log_file);

/* Close with the client's lock held (abr_publication_close takes it): tell the driver, keep the handle. */
int abr_publication_close_locked(abr_publication_t *publication);

/* Unmap and free without telling the driver. */
void abr_publication_release(abr_publication_t *publication);

#endif
