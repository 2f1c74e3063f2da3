/*
 * Handing a publication's mapped log to a binding that appends with its own stores (the Java API):
 * the memory and counters an offer uses, nothing more.
 */
#include "conductor.h"
#include "error.h"
#include "exclusive_publication.h"
#include "publication.h"

static void abr_publication_mapping_fill(
    abr_publication_mapping_t *mapping, abr_client_t *client, const abr_log_buffers_t *log, uint8_t *position_limit)
{
    mapping->log = log->mapped;
    mapping->log_length = (int64_t)log->mapped_length;
    mapping->term_length = log->term_length;
    mapping->position_limit = position_limit;
    mapping->client_closed = &client->closed_code;
}

int abr_publication_mapping(abr_publication_t *publication, abr_publication_mapping_t *mapping)
{
    if (NULL == publication || NULL == mapping)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "publication mapping needs a publication and a mapping%s%s",
            NULL == publication ? ": publication=null" : "", NULL == mapping ? ": mapping=null" : "");
    }
    if (0 != abr_load_int_acquire(&publication->closed) || abr_conductor_is_closed(publication->client))
    {
        return abr_error_set(
            ABR_ERROR_CLOSED, "publication is closed: channel=%s, streamId=%d, sessionId=%d", publication->channel,
            publication->stream_id, publication->session_id);
    }
    abr_publication_mapping_fill(mapping, publication->client, &publication->log, publication->position_limit);
    return 0;
}

int abr_exclusive_publication_mapping(abr_exclusive_publication_t *publication, abr_publication_mapping_t *mapping)
{
    if (NULL == publication || NULL == mapping)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "exclusive publication mapping needs a publication and a mapping%s%s",
            NULL == publication ? ": publication=null" : "", NULL == mapping ? ": mapping=null" : "");
    }
    if (0 != abr_load_int_acquire(&publication->closed) || abr_conductor_is_closed(publication->client))
    {
        return abr_error_set(
            ABR_ERROR_CLOSED, "exclusive publication is closed: channel=%s, streamId=%d, sessionId=%d",
            publication->channel, publication->stream_id, publication->session_id);
    }
    abr_publication_mapping_fill(mapping, publication->client, &publication->log, publication->position_limit);
    return 0;
}
