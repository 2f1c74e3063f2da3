#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "conductor.h"
#include "context.h"
#include "counter.h"
#include "error.h"
#include "exclusive_publication.h"
#include "publication.h"
#include "subscription.h"

static int abr_client_check_driver_alive(abr_client_t *client)
{
    int64_t deadline_ns = abr_deadline_ns(abr_nano_time(), abr_ms_to_ns(client->driver_timeout_ms));
    /* A driver that is still starting has not stamped its first heartbeat yet. */
    while (0 == abr_ring_buffer_consumer_heartbeat_time(&client->to_driver))
    {
        if (abr_deadline_passed(abr_nano_time(), deadline_ns))
        {
            return abr_error_set(
                ABR_ERROR_NO_DRIVER, "no Media Driver heartbeat within %lld ms: dir=%s",
                (long long)client->driver_timeout_ms, client->dir);
        }
        abr_sleep_ms(16);
    }

    int64_t age_ms = abr_saturated_sub(abr_epoch_ms(), abr_ring_buffer_consumer_heartbeat_time(&client->to_driver));
    if (age_ms > client->driver_timeout_ms)
    {
        return abr_error_set(
            ABR_ERROR_NO_DRIVER, "no live Media Driver: its last heartbeat is %lld ms old (timeout %lld ms), dir=%s",
            (long long)age_ms, (long long)client->driver_timeout_ms, client->dir);
    }
    return 0;
}

static void abr_client_free(abr_client_t *client)
{
    abr_driver_proxy_close(&client->driver_proxy);
    abr_broadcast_receiver_close(&client->to_clients);
    abr_cnc_unmap(&client->cnc);
    pthread_mutex_destroy(&client->lock);
    free(client->dir);
    free(client->client_name);
    free(client);
}

int abr_client_connect(abr_client_t **client, abr_context_t *context)
{
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "connect: client out-pointer must not be null");
    }
    *client = NULL;
    if (NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "connect: context must not be null");
    }

    abr_client_t *c = calloc(1, sizeof(*c));
    if (NULL == c)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the client");
    }
    pthread_mutex_init(&c->lock, NULL);
    c->dir = strdup(context->dir);
    c->client_name = strdup(context->client_name);
    c->driver_timeout_ms = (int64_t)context->driver_timeout_ms;
    c->use_conductor_thread = context->use_conductor_thread;
    c->resource_linger_ns = (int64_t)context->resource_linger_ns;
    if (NULL == c->dir || NULL == c->client_name)
    {
        abr_client_free(c);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the client");
    }

    if (abr_cnc_map(&c->cnc, c->dir, c->driver_timeout_ms) < 0 ||
        abr_ring_buffer_init(&c->to_driver, c->cnc.to_driver_buffer, c->cnc.to_driver_length) < 0 ||
        abr_client_check_driver_alive(c) < 0 ||
        abr_broadcast_receiver_init(&c->to_clients, c->cnc.to_clients_buffer, c->cnc.to_clients_length) < 0)
    {
        abr_client_free(c);
        return abr_error_prefix("could not connect to the Media Driver: ");
    }

    /* As Aeron does, the client id is the next correlation id of the driver's ring buffer. */
    c->client_id = abr_ring_buffer_next_correlation_id(&c->to_driver);
    c->last_keepalive_ns = abr_nano_time();
    c->last_service_ns = c->last_keepalive_ns;
    c->heartbeat_counter_id = -1;
    int64_t liveness_ns = abr_get_int64(c->cnc.base + ABR_CNC_CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET);
    c->inter_service_timeout_ns = liveness_ns > 0 ? liveness_ns : ABR_CLIENT_LIVENESS_TIMEOUT_NS_DEFAULT;
    if (abr_driver_proxy_init(&c->driver_proxy, &c->to_driver, c->client_id) < 0 ||
        (c->use_conductor_thread && abr_conductor_start_thread(c) < 0))
    {
        abr_client_free(c);
        return -1;
    }

    *client = c;
    return 0;
}

void abr_client_release_resources(abr_client_t *client)
{
    abr_deferred_releases_drop(client);
    while (NULL != client->pending)
    {
        abr_async_add_t *pending = client->pending;
        client->pending = pending->next;
        free(pending->channel);
        free(pending);
    }
    while (NULL != client->publications)
    {
        abr_exclusive_publication_t *publication = client->publications;
        client->publications = publication->next;
        abr_exclusive_publication_release(publication);
    }
    while (NULL != client->shared_publications)
    {
        abr_publication_t *publication = client->shared_publications;
        client->shared_publications = publication->next;
        abr_publication_release(publication);
    }
    while (NULL != client->subscriptions)
    {
        abr_subscription_t *subscription = client->subscriptions;
        client->subscriptions = subscription->next;
        abr_subscription_release(subscription);
    }
    while (NULL != client->counters)
    {
        abr_counter_t *counter = client->counters;
        client->counters = counter->next;
        abr_counter_release(counter);
    }
}

/* Everything the client allocated and mapped: pending adds, publications, subscriptions, the CnC. */
static void abr_client_release(abr_client_t *client)
{
    abr_client_release_resources(client);
    abr_client_free(client);
}

/* A lock-free poll (a binding's, on cached image refs) still reading a term: it saw the close's version change, or
 * will at its next poll, and comes into the core, which answers closed. */
static bool abr_client_has_pollers(abr_client_t *client)
{
    for (abr_subscription_t *subscription = client->subscriptions; NULL != subscription; subscription = subscription->next)
    {
        if (abr_subscription_has_pollers(subscription))
        {
            return true;
        }
    }
    return false;
}

static void *abr_client_release_after_linger(void *arg)
{
    abr_client_t *client = arg;
    abr_sleep_ms((client->resource_linger_ns + 999999) / 1000000);
    while (abr_client_has_pollers(client))
    {
        abr_sleep_ms(1);
    }
    abr_client_release(client);
    return NULL;
}

int abr_client_close(abr_client_t *client)
{
    if (NULL == client)
    {
        return 0;
    }

    abr_deferred_releases_finish(client);
    pthread_mutex_lock(&client->lock);
    if (!abr_conductor_is_closed(client))
    {
        abr_driver_proxy_client_close(&client->driver_proxy);
        abr_conductor_close_with(client, ABR_ERROR_CLOSED, "client is closed: clientId=%lld", (long long)client->client_id);
    }
    pthread_mutex_unlock(&client->lock);
    abr_conductor_stop_thread(client);

    /*
     * From here every call through the client's handles answers CLOSED, but one may be past that check already, on
     * another thread: an offer about to write into a log (the Java API's appenders write into it themselves), a poll
     * reading a term. As for a closed publication, the memory stays mapped for the resource linger and is released
     * after it, on a thread of its own so the close does not block; without a linger, or without a thread, at once.
     * A lock-free poll running is waited for in any case, on that thread (the poll may be this thread's own, the
     * close called from its handler).
     */
    if (client->resource_linger_ns > 0 || abr_client_has_pollers(client))
    {
        pthread_attr_t attributes;
        pthread_t releaser;
        if (0 == pthread_attr_init(&attributes))
        {
            int result = pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
            if (0 == result)
            {
                result = pthread_create(&releaser, &attributes, abr_client_release_after_linger, client);
            }
            pthread_attr_destroy(&attributes);
            if (0 == result)
            {
                return 0;
            }
        }
    }
    abr_client_release(client);
    return 0;
}

int abr_client_do_work(abr_client_t *client)
{
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "client must not be null");
    }
    if (client->use_conductor_thread)
    {
        return abr_conductor_is_closed(client) ? abr_conductor_closed_error(client) : 0;
    }
    int result = abr_conductor_invoke(client);
    return result < 0 ? abr_conductor_closed_error(client) : result;
}

int64_t abr_client_id(abr_client_t *client)
{
    return NULL == client ? -1 : client->client_id;
}

bool abr_client_is_closed(abr_client_t *client)
{
    return NULL == client || abr_conductor_is_closed(client);
}

int64_t abr_client_next_correlation_id(abr_client_t *client)
{
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "client must not be null");
    }
    if (abr_conductor_is_closed(client))
    {
        return abr_conductor_closed_error(client);
    }
    return abr_ring_buffer_next_correlation_id(&client->to_driver);
}
