#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "counters.h"
#include "error.h"
#include "exclusive_publication.h"

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

int64_t abr_exclusive_publication_offer(abr_exclusive_publication_t *publication, const uint8_t *buffer, size_t length)
{
    if (NULL == publication || (NULL == buffer && length > 0))
    {
        abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "offer needs a publication and a buffer: length=%zu%s", length,
            NULL == publication ? ", publication=null" : "");
        return ABR_PUBLICATION_ERROR;
    }
    if (abr_publication_closed(publication))
    {
        return ABR_PUBLICATION_CLOSED;
    }

    abr_term_appender_t *appender = &publication->appender;
    if (length > (size_t)appender->max_message_length)
    {
        abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "message exceeds maxMessageLength of %d, length=%zu: channel=%s, streamId=%d",
            appender->max_message_length, length, publication->channel, publication->stream_id);
        return ABR_PUBLICATION_ERROR;
    }

    int64_t limit = abr_get_int64_acquire(publication->position_limit);
    int64_t position = abr_term_appender_position(appender);
    if (position < limit)
    {
        return abr_term_appender_append(appender, buffer, (int32_t)length);
    }

    int64_t needed = abr_align32((int32_t)length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    if (position + needed >= appender->max_possible_position)
    {
        return ABR_PUBLICATION_MAX_POSITION_EXCEEDED;
    }
    return abr_log_is_connected(&publication->log) ? ABR_PUBLICATION_BACK_PRESSURED : ABR_PUBLICATION_NOT_CONNECTED;
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
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "publication must not be null");
    }
    if (abr_publication_closed(publication))
    {
        return ABR_PUBLICATION_CLOSED;
    }
    return abr_term_appender_position(&publication->appender);
}

size_t abr_exclusive_publication_max_message_length(abr_exclusive_publication_t *publication)
{
    return NULL == publication ? 0 : (size_t)publication->appender.max_message_length;
}

int abr_exclusive_publication_close(abr_exclusive_publication_t *publication)
{
    if (NULL == publication)
    {
        return 0;
    }
    abr_client_t *client = publication->client;
    abr_store_int_release(&publication->closed, 1);

    pthread_mutex_lock(&client->lock);
    for (abr_exclusive_publication_t **cursor = &client->publications; NULL != *cursor; cursor = &(*cursor)->next)
    {
        if (*cursor == publication)
        {
            *cursor = publication->next;
            break;
        }
    }
    int result = 0;
    if (!abr_conductor_is_closed(client))
    {
        result = abr_driver_proxy_remove_publication(
            &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver), publication->registration_id);
    }
    pthread_mutex_unlock(&client->lock);

    abr_exclusive_publication_release(publication);
    return result;
}
