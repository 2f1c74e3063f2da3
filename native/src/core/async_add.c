#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include <string.h>

#include "clock.h"
#include "conductor.h"
#include "counter.h"
#include "counters.h"
#include "error.h"
#include "exclusive_publication.h"
#include "publication.h"
#include "subscription.h"

typedef struct abr_image_handlers_stct
{
    abr_image_handler_t on_available_image;
    void *available_clientd;
    abr_image_handler_t on_unavailable_image;
    void *unavailable_clientd;
}
abr_image_handlers_t;

static void abr_async_free(abr_async_add_t *async)
{
    free(async->channel);
    free(async);
}

int abr_async_submit(
    abr_async_add_t **async, abr_client_t *client, abr_async_add_t *pending, abr_async_send_t send,
    const void *command)
{
    pending->client = client;
    pending->state = ABR_PENDING_AWAITING;
    pending->driver_error_code = -1;

    pthread_mutex_lock(&client->lock);
    int result;
    if (abr_conductor_is_closed(client))
    {
        result = abr_conductor_closed_error(client);
    }
    else
    {
        pending->correlation_id = abr_ring_buffer_next_correlation_id(&client->to_driver);
        pending->deadline_ns = abr_deadline_ns(abr_nano_time(), abr_ms_to_ns(client->driver_timeout_ms));
        result = send(client, pending, command);
    }
    if (result < 0)
    {
        pthread_mutex_unlock(&client->lock);
        abr_async_free(pending);
        return -1;
    }
    pending->next = client->pending;
    client->pending = pending;
    pthread_mutex_unlock(&client->lock);

    *async = pending;
    return 0;
}

/* The add of a publication, exclusive publication or subscription, or the next session id request. */
static int abr_async_send_add(abr_client_t *client, const abr_async_add_t *pending, const void *command)
{
    (void)command;
    int result;
    switch (pending->kind)
    {
        case ABR_PENDING_PUBLICATION:
            result = abr_driver_proxy_add_publication(
                &client->driver_proxy, pending->correlation_id, pending->channel, pending->stream_id);
            break;
        case ABR_PENDING_EXCLUSIVE_PUBLICATION:
            result = abr_driver_proxy_add_exclusive_publication(
                &client->driver_proxy, pending->correlation_id, pending->channel, pending->stream_id);
            break;
        case ABR_PENDING_SUBSCRIPTION:
            result = abr_driver_proxy_add_subscription(
                &client->driver_proxy, pending->correlation_id, pending->channel, pending->stream_id);
            break;
        default:
            result = abr_driver_proxy_next_session_id(
                &client->driver_proxy, pending->correlation_id, pending->stream_id);
            break;
    }
    if (result < 0)
    {
        return abr_error_prefix("could not send the command: channel=%s, streamId=%d: ",
            NULL == pending->channel ? "" : pending->channel, pending->stream_id);
    }
    return 0;
}

static int abr_async_start_with(
    abr_async_add_t **async, abr_client_t *client, abr_pending_kind_t kind, const char *channel, int32_t stream_id,
    const abr_image_handlers_t *handlers)
{
    if (NULL == async)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "add: async out-pointer must not be null: channel=%s, streamId=%d",
            NULL == channel ? "(null)" : channel, stream_id);
    }
    *async = NULL;
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "add: client must not be null: channel=%s, streamId=%d",
            NULL == channel ? "(null)" : channel, stream_id);
    }
    if (ABR_PENDING_NEXT_SESSION_ID != kind && (NULL == channel || '\0' == channel[0]))
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "add: channel must not be null or empty: channel=%s, streamId=%d",
            NULL == channel ? "(null)" : channel, stream_id);
    }

    abr_async_add_t *pending = calloc(1, sizeof(*pending));
    if (NULL == pending || (NULL != channel && NULL == (pending->channel = strdup(channel))))
    {
        free(pending);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory adding channel=%s, streamId=%d",
            NULL == channel ? "" : channel, stream_id);
    }
    pending->kind = kind;
    if (NULL != handlers)
    {
        pending->on_available_image = handlers->on_available_image;
        pending->available_clientd = handlers->available_clientd;
        pending->on_unavailable_image = handlers->on_unavailable_image;
        pending->unavailable_clientd = handlers->unavailable_clientd;
    }
    pending->stream_id = stream_id;
    return abr_async_submit(async, client, pending, abr_async_send_add, NULL);
}

static int abr_async_start(
    abr_async_add_t **async, abr_client_t *client, abr_pending_kind_t kind, const char *channel, int32_t stream_id)
{
    return abr_async_start_with(async, client, kind, channel, stream_id, NULL);
}

static void abr_async_unlink(abr_client_t *client, abr_async_add_t *async)
{
    for (abr_async_add_t **cursor = &client->pending; NULL != *cursor; cursor = &(*cursor)->next)
    {
        if (*cursor == async)
        {
            *cursor = async->next;
            return;
        }
    }
}

/* 1 done (async released; results copied out), 0 pending, -1 failed (async released, error set). */
int abr_async_poll_kind(abr_async_add_t *async, abr_pending_kind_t kind, void **result, int32_t *session_id)
{
    if (NULL == async)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "poll: async must not be null");
    }
    if (async->kind != kind)
    {
        /* Left as it is: the caller still owns it and may poll it with the right call or cancel it. */
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "poll: async is not of the polled kind: channel=%s, streamId=%d",
            NULL == async->channel ? "" : async->channel, async->stream_id);
    }
    abr_client_t *client = async->client;
    abr_conductor_invoke(client);

    pthread_mutex_lock(&client->lock);
    abr_pending_state_t state = async->state;
    if (ABR_PENDING_AWAITING == state)
    {
        pthread_mutex_unlock(&client->lock);
        return 0;
    }
    abr_async_unlink(client, async);
    pthread_mutex_unlock(&client->lock);

    if (ABR_PENDING_FAILED == state)
    {
        abr_error_set(async->error_code, "%s", async->error_message);
        if (ABR_ERROR_DRIVER_REJECTED == async->error_code)
        {
            abr_error_set_correlation_id(async->correlation_id);
            abr_error_set_driver_rejection(async->driver_error_code, async->driver_error_message);
        }
        abr_async_free(async);
        return -1;
    }
    if (NULL != result)
    {
        switch (kind)
        {
            case ABR_PENDING_PUBLICATION: *result = async->shared_publication; break;
            case ABR_PENDING_EXCLUSIVE_PUBLICATION: *result = async->publication; break;
            case ABR_PENDING_COUNTER: *result = async->counter; break;
            default: *result = async->subscription; break;
        }
    }
    if (NULL != session_id)
    {
        *session_id = async->session_id;
    }
    abr_async_free(async);
    return 1;
}

int abr_client_async_add_exclusive_publication(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id)
{
    return abr_async_start(async, client, ABR_PENDING_EXCLUSIVE_PUBLICATION, channel, stream_id);
}

int abr_async_add_exclusive_publication_poll(abr_exclusive_publication_t **publication, abr_async_add_t *async)
{
    if (NULL == publication)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "poll: publication out-pointer must not be null");
    }
    *publication = NULL;
    void *result = NULL;
    int status = abr_async_poll_kind(async, ABR_PENDING_EXCLUSIVE_PUBLICATION, &result, NULL);
    if (1 == status)
    {
        *publication = result;
    }
    return status;
}

int abr_client_async_add_subscription(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id)
{
    return abr_async_start(async, client, ABR_PENDING_SUBSCRIPTION, channel, stream_id);
}

int abr_client_async_add_subscription_with_handlers(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id,
    abr_image_handler_t on_available_image, void *available_clientd, abr_image_handler_t on_unavailable_image,
    void *unavailable_clientd)
{
    abr_image_handlers_t handlers = {
        on_available_image, available_clientd, on_unavailable_image, unavailable_clientd
    };
    return abr_async_start_with(async, client, ABR_PENDING_SUBSCRIPTION, channel, stream_id, &handlers);
}

int abr_client_async_add_publication(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id)
{
    return abr_async_start(async, client, ABR_PENDING_PUBLICATION, channel, stream_id);
}

int abr_async_add_publication_poll(abr_publication_t **publication, abr_async_add_t *async)
{
    if (NULL == publication)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "poll: publication out-pointer must not be null");
    }
    *publication = NULL;
    void *result = NULL;
    int status = abr_async_poll_kind(async, ABR_PENDING_PUBLICATION, &result, NULL);
    if (1 == status)
    {
        *publication = result;
    }
    return status;
}

int abr_async_add_subscription_poll(abr_subscription_t **subscription, abr_async_add_t *async)
{
    if (NULL == subscription)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "poll: subscription out-pointer must not be null");
    }
    *subscription = NULL;
    void *result = NULL;
    int status = abr_async_poll_kind(async, ABR_PENDING_SUBSCRIPTION, &result, NULL);
    if (1 == status)
    {
        *subscription = result;
    }
    return status;
}

int abr_async_add_cancel(abr_async_add_t *async)
{
    if (NULL == async)
    {
        return 0;
    }
    abr_client_t *client = async->client;
    abr_exclusive_publication_t *publication = NULL;
    abr_publication_t *shared_publication = NULL;
    abr_subscription_t *subscription = NULL;
    abr_counter_t *counter = NULL;

    pthread_mutex_lock(&client->lock);
    abr_async_unlink(client, async);
    bool open = !abr_conductor_is_closed(client);
    if (ABR_PENDING_DONE == async->state)
    {
        publication = async->publication;
        shared_publication = async->shared_publication;
        subscription = async->subscription;
        counter = async->counter;
    }
    if (open && ABR_PENDING_FAILED != async->state && ABR_PENDING_NEXT_SESSION_ID != async->kind &&
        !abr_pending_is_destination(async->kind))
    {
        /* Registration ids are the add's correlation id; the driver handles commands in order, so a
         * remove sent now also undoes an add it has not yet processed. */
        int64_t correlation_id = abr_ring_buffer_next_correlation_id(&client->to_driver);
        if (ABR_PENDING_COUNTER == async->kind)
        {
            abr_driver_proxy_remove_counter(&client->driver_proxy, correlation_id, async->correlation_id);
        }
        else if (ABR_PENDING_SUBSCRIPTION != async->kind)
        {
            abr_driver_proxy_remove_publication(&client->driver_proxy, correlation_id, async->correlation_id);
        }
        else
        {
            abr_driver_proxy_remove_subscription(&client->driver_proxy, correlation_id, async->correlation_id);
        }
    }
    for (abr_exclusive_publication_t **cursor = &client->publications; NULL != publication && NULL != *cursor;
        cursor = &(*cursor)->next)
    {
        if (*cursor == publication)
        {
            *cursor = publication->next;
            break;
        }
    }
    for (abr_publication_t **cursor = &client->shared_publications; NULL != shared_publication && NULL != *cursor;
        cursor = &(*cursor)->next)
    {
        if (*cursor == shared_publication)
        {
            *cursor = shared_publication->next;
            break;
        }
    }
    for (abr_subscription_t **cursor = &client->subscriptions; NULL != subscription && NULL != *cursor;
        cursor = &(*cursor)->next)
    {
        if (*cursor == subscription)
        {
            *cursor = subscription->next;
            break;
        }
    }
    for (abr_counter_t **cursor = &client->counters; NULL != counter && NULL != *cursor; cursor = &(*cursor)->next)
    {
        if (*cursor == counter)
        {
            *cursor = counter->next;
            break;
        }
    }
    pthread_mutex_unlock(&client->lock);

    if (NULL != counter)
    {
        abr_counter_release(counter);
    }
    if (NULL != publication)
    {
        abr_exclusive_publication_release(publication);
    }
    if (NULL != shared_publication)
    {
        abr_publication_release(shared_publication);
    }
    if (NULL != subscription)
    {
        abr_subscription_release(subscription);
    }
    abr_async_free(async);
    return 0;
}

/* Poll until done; the conductor's deadline on the pending add bounds the wait. */
int abr_async_await_kind(abr_async_add_t *async, abr_pending_kind_t kind, void **result, int32_t *session_id)
{
    while (true)
    {
        int status = abr_async_poll_kind(async, kind, result, session_id);
        if (0 != status)
        {
            return status < 0 ? -1 : 0;
        }
        abr_sleep_ms(1);
    }
}

int abr_client_add_exclusive_publication(
    abr_exclusive_publication_t **publication, abr_client_t *client, const char *channel, int32_t stream_id)
{
    if (NULL == publication)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "publication out-pointer must not be null");
    }
    *publication = NULL;
    abr_async_add_t *async = NULL;
    void *result = NULL;
    if (abr_async_start(&async, client, ABR_PENDING_EXCLUSIVE_PUBLICATION, channel, stream_id) < 0 ||
        abr_async_await_kind(async, ABR_PENDING_EXCLUSIVE_PUBLICATION, &result, NULL) < 0)
    {
        return -1;
    }
    *publication = result;
    return 0;
}

int abr_client_add_publication(
    abr_publication_t **publication, abr_client_t *client, const char *channel, int32_t stream_id)
{
    if (NULL == publication)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "publication out-pointer must not be null");
    }
    *publication = NULL;
    abr_async_add_t *async = NULL;
    void *result = NULL;
    if (abr_async_start(&async, client, ABR_PENDING_PUBLICATION, channel, stream_id) < 0 ||
        abr_async_await_kind(async, ABR_PENDING_PUBLICATION, &result, NULL) < 0)
    {
        return -1;
    }
    *publication = result;
    return 0;
}

int abr_client_add_subscription(
    abr_subscription_t **subscription, abr_client_t *client, const char *channel, int32_t stream_id)
{
    return abr_client_add_subscription_with_handlers(subscription, client, channel, stream_id, NULL, NULL, NULL, NULL);
}

int abr_client_add_subscription_with_handlers(
    abr_subscription_t **subscription, abr_client_t *client, const char *channel, int32_t stream_id,
    abr_image_handler_t on_available_image, void *available_clientd, abr_image_handler_t on_unavailable_image,
    void *unavailable_clientd)
{
    if (NULL == subscription)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "subscription out-pointer must not be null");
    }
    *subscription = NULL;
    abr_async_add_t *async = NULL;
    void *result = NULL;
    abr_image_handlers_t handlers = {
        on_available_image, available_clientd, on_unavailable_image, unavailable_clientd
    };
    if (abr_async_start_with(&async, client, ABR_PENDING_SUBSCRIPTION, channel, stream_id, &handlers) < 0 ||
        abr_async_await_kind(async, ABR_PENDING_SUBSCRIPTION, &result, NULL) < 0)
    {
        return -1;
    }
    *subscription = result;
    return 0;
}

/* The command appeared with control protocol 1.0.0 (ClientConductor, aeron-client 1.51.0). */
#define ABR_CONTROL_PROTOCOL_WITH_NEXT_SESSION_ID ABR_SEMANTIC_VERSION_COMPOSE(1, 0, 0)

int abr_client_next_session_id(abr_client_t *client, int32_t stream_id, int32_t *session_id)
{
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "next session id: client must not be null: streamId=%d", stream_id);
    }
    if (NULL == session_id)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "next session id: session_id out-pointer must not be null: streamId=%d", stream_id);
    }
    if (!abr_conductor_is_closed(client) &&
        abr_counters_control_protocol_version(client) < ABR_CONTROL_PROTOCOL_WITH_NEXT_SESSION_ID)
    {
        /* A driver too old for the command: a random id, as Aeron.nextSessionId falls back to. */
        uint32_t random_id = 0;
        if ((ssize_t)sizeof(random_id) != getrandom(&random_id, sizeof(random_id), 0))
        {
            return abr_error_set(ABR_ERROR_INTERNAL, "no random session id: %s", strerror(errno));
        }
        *session_id = (int32_t)random_id;
        return 0;
    }
    abr_async_add_t *async = NULL;
    if (abr_async_start(&async, client, ABR_PENDING_NEXT_SESSION_ID, NULL, stream_id) < 0 ||
        abr_async_await_kind(async, ABR_PENDING_NEXT_SESSION_ID, NULL, session_id) < 0)
    {
        return -1;
    }
    return 0;
}
