#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "conductor.h"
#include "counters.h"
#include "error.h"
#include "exclusive_publication.h"
#include "term_writer.h"

abr_exclusive_publication_t *abr_exclusive_publication_create(
    abr_client_t *client, const char *channel, int32_t stream_id, int32_t session_id, int64_t registration_id,
    int32_t position_limit_id, int32_t channel_status_id, const char *log_file)
{
    uint8_t *position_limit = abr_counter_address(
        client->cnc.counters_values, client->cnc.counters_values_length, position_limit_id);
    if (NULL == position_limit)
    {
        abr_error_set(ABR_ERROR_INTERNAL, "publication limit counter id out of range: counterId=%d", position_limit_id);
        return NULL;
    }

    abr_exclusive_publication_t *publication = calloc(1, sizeof(*publication));
    if (NULL == publication || NULL == (publication->channel = strdup(channel)))
    {
        free(publication);
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the publication");
        return NULL;
    }
    if (abr_log_buffers_map(&publication->log, log_file) < 0 ||
        abr_term_appender_init(&publication->appender, &publication->log) < 0)
    {
        abr_log_buffers_unmap(&publication->log);
        free(publication->channel);
        free(publication);
        return NULL;
    }

    publication->client = client;
    publication->stream_id = stream_id;
    publication->session_id = session_id;
    publication->registration_id = registration_id;
    publication->channel_status_id = channel_status_id;
    publication->position_limit = position_limit;
    return publication;
}

void abr_exclusive_publication_release(abr_exclusive_publication_t *publication)
{
    abr_log_buffers_unmap(&publication->log);
    free(publication->channel);
    free(publication);
}

static bool abr_publication_closed(abr_exclusive_publication_t *publication)
{
    return 0 != abr_load_int_acquire(&publication->closed) || abr_conductor_is_closed(publication->client);
}

/* Arguments common to offer and try_claim (whose "buffer" is the claim, named as such when it is NULL);
 * ABR_PUBLICATION_ERROR (error set) or CLOSED, else 0. Out of line: its error messages would keep the compiler from
 * inlining the check into the offer. */
__attribute__((noinline)) static int64_t abr_exclusive_publication_check_slow(
    abr_exclusive_publication_t *publication, const void *buffer, size_t length, size_t max_length, const char *what)
{
    if (NULL == publication || NULL == buffer)
    {
        const bool claim = 0 == strcmp("try_claim", what);
        abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s needs a publication and a %s: length=%zu%s%s", what,
            claim ? "claim" : "buffer", length, NULL == publication ? ", publication=null" : "",
            NULL == buffer ? (claim ? ", claim=null" : ", buffer=null") : "");
        return ABR_PUBLICATION_ERROR;
    }
    if (abr_publication_closed(publication))
    {
        return ABR_PUBLICATION_CLOSED;
    }
    if (length > max_length)
    {
        abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: length=%zu exceeds the maximum of %zu: channel=%s, streamId=%d, sessionId=%d",
            what, length, max_length, publication->channel, publication->stream_id, publication->session_id);
        return ABR_PUBLICATION_ERROR;
    }
    return 0;
}

/* The check on the offer path: a few loads and compares when all is well, the full check when not. */
static inline int64_t abr_exclusive_publication_check(
    abr_exclusive_publication_t *publication, const void *buffer, size_t length, size_t max_length, const char *what)
{
    if (NULL != publication && NULL != buffer && length <= max_length && !abr_publication_closed(publication))
    {
        return 0;
    }
    return abr_exclusive_publication_check_slow(publication, buffer, length, max_length, what);
}

/* Below the limit nothing stands in the way; at it, say why, as io.aeron.Publication does. */
static int64_t abr_exclusive_publication_back_pressure(abr_exclusive_publication_t *publication, size_t length)
{
    abr_term_appender_t *appender = &publication->appender;
    int64_t needed = abr_align32((int32_t)length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    if (abr_term_appender_position(appender) + needed >= appender->max_possible_position)
    {
        return ABR_PUBLICATION_MAX_POSITION_EXCEEDED;
    }
    return abr_log_is_connected(&publication->log) ? ABR_PUBLICATION_BACK_PRESSURED : ABR_PUBLICATION_NOT_CONNECTED;
}

int64_t abr_exclusive_publication_offer(abr_exclusive_publication_t *publication, const uint8_t *buffer, size_t length)
{
    /* A zero-length message needs no bytes: any non-null pointer will do. */
    const uint8_t *source = 0 == length && NULL == buffer ? (const uint8_t *)"" : buffer;
    int64_t checked = abr_exclusive_publication_check(
        publication, source, length,
        NULL == publication ? 0 : (size_t)publication->appender.max_message_length, "offer");
    if (0 != checked)
    {
        return checked;
    }
    if (abr_term_appender_position(&publication->appender) < abr_get_int64_acquire(publication->position_limit))
    {
        return abr_term_appender_append(&publication->appender, source, (int32_t)length);
    }
    return abr_exclusive_publication_back_pressure(publication, length);
}

int64_t abr_exclusive_publication_offerv(
    abr_exclusive_publication_t *publication, const abr_iovec_t *vectors, size_t vector_count)
{
    size_t length = 0;
    if (!abr_term_vectors_length(vectors, vector_count, &length, "offerv"))
    {
        return ABR_PUBLICATION_ERROR;
    }
    /* The vectors were checked; the check below only needs a non-null pointer for them. */
    int64_t checked = abr_exclusive_publication_check(
        publication, "", length, NULL == publication ? 0 : (size_t)publication->appender.max_message_length, "offerv");
    if (0 != checked)
    {
        return checked;
    }
    if (abr_term_appender_position(&publication->appender) < abr_get_int64_acquire(publication->position_limit))
    {
        return abr_term_appender_append_vectors(&publication->appender, vectors, vector_count, (int32_t)length);
    }
    return abr_exclusive_publication_back_pressure(publication, length);
}

int64_t abr_exclusive_publication_try_claim(
    abr_exclusive_publication_t *publication, size_t length, abr_buffer_claim_t *claim)
{
    int64_t checked = abr_exclusive_publication_check(
        publication, claim, length,
        NULL == publication ? 0 : (size_t)publication->appender.max_payload_length, "try_claim");
    if (0 != checked)
    {
        return checked;
    }
    if (abr_term_appender_position(&publication->appender) < abr_get_int64_acquire(publication->position_limit))
    {
        return abr_term_appender_claim(&publication->appender, (int32_t)length, claim);
    }
    return abr_exclusive_publication_back_pressure(publication, length);
}

bool abr_exclusive_publication_is_connected(abr_exclusive_publication_t *publication)
{
    return NULL != publication && !abr_publication_closed(publication) && abr_log_is_connected(&publication->log);
}

bool abr_exclusive_publication_is_closed(abr_exclusive_publication_t *publication)
{
    return NULL == publication || abr_publication_closed(publication);
}

int32_t abr_exclusive_publication_session_id(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : publication->session_id;
}

int32_t abr_exclusive_publication_stream_id(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : publication->stream_id;
}

int64_t abr_exclusive_publication_registration_id(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? -1 : publication->registration_id;
}

const char *abr_exclusive_publication_channel(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? NULL : publication->channel;
}

int64_t abr_exclusive_publication_position(abr_exclusive_publication_t *publication)
{
    if (NULL == publication)
    {
        abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "publication must not be null");
        return ABR_PUBLICATION_ERROR;
    }
    if (abr_publication_closed(publication))
    {
        return ABR_PUBLICATION_CLOSED;
    }
    return abr_term_appender_position(&publication->appender);
}

int64_t abr_exclusive_publication_position_limit(abr_exclusive_publication_t *publication)
{
    if (NULL == publication)
    {
        abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "publication must not be null");
        return ABR_PUBLICATION_ERROR;
    }
    if (abr_publication_closed(publication))
    {
        return ABR_PUBLICATION_CLOSED;
    }
    return abr_get_int64_acquire(publication->position_limit);
}

int64_t abr_exclusive_publication_channel_status(abr_exclusive_publication_t *publication)
{
    if (NULL == publication || abr_publication_closed(publication))
    {
        return ABR_CHANNEL_STATUS_NO_ID_ALLOCATED;
    }
    return abr_client_channel_status(publication->client, publication->channel_status_id);
}

int32_t abr_exclusive_publication_channel_status_id(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? ABR_CHANNEL_STATUS_NO_ID_ALLOCATED : publication->channel_status_id;
}

int32_t abr_exclusive_publication_initial_term_id(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : publication->appender.initial_term_id;
}

size_t abr_exclusive_publication_max_payload_length(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : (size_t)publication->appender.max_payload_length;
}

int32_t abr_exclusive_publication_term_buffer_length(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : publication->appender.term_length;
}

size_t abr_exclusive_publication_max_message_length(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : (size_t)publication->appender.max_message_length;
}

int abr_exclusive_publication_close(abr_exclusive_publication_t *publication)
{
    if (NULL == publication || 0 != abr_load_int_acquire(&publication->closed))
    {
        return 0;
    }
    abr_client_t *client = publication->client;
    pthread_mutex_lock(&client->lock);
    int result = abr_exclusive_publication_close_locked(publication);
    pthread_mutex_unlock(&client->lock);
    return result;
}

int abr_exclusive_publication_close_locked(abr_exclusive_publication_t *publication)
{
    if (0 != abr_load_int_acquire(&publication->closed))
    {
        return 0;
    }
    abr_client_t *client = publication->client;
    abr_store_int_release(&publication->closed, 1);
    publication->unmap_deadline_ns = abr_deadline_ns(abr_nano_time(), client->resource_linger_ns);
    int result = 0;
    if (!abr_conductor_is_closed(client))
    {
        result = abr_driver_proxy_remove_publication(
            &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver), publication->registration_id);
    }
    /* The handle stays on the client's list, closed, so a late offer gets CLOSED instead of freed memory; the
     * conductor unmaps its log once the linger has passed, abr_client_close frees it (the conductor, once discarded). */
    return result;
}
