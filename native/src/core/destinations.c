/*
 * Destinations: adding and removing the endpoints of a multi-destination subscription (control-mode=manual) and of a
 * manual multi-destination-cast publication. Each is one driver command answered by ON_OPERATION_SUCCESS or ON_ERROR,
 * tracked as a pending command of the conductor like an add.
 */
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "error.h"
#include "exclusive_publication.h"
#include "publication.h"
#include "subscription.h"

/* What a destination command acts on: the handle as the driver knows it, and how to tell it was closed. */
typedef struct abr_destination_owner_stct
{
    const char *what;
    abr_client_t *client;
    int *closed;
    int64_t registration_id;
    const char *channel;
    int32_t stream_id;
}
abr_destination_owner_t;

static int32_t abr_destination_command(abr_pending_kind_t kind)
{
    switch (kind)
    {
        case ABR_PENDING_ADD_DESTINATION: return ABR_CMD_ADD_DESTINATION;
        case ABR_PENDING_REMOVE_DESTINATION: return ABR_CMD_REMOVE_DESTINATION;
        case ABR_PENDING_ADD_RCV_DESTINATION: return ABR_CMD_ADD_RCV_DESTINATION;
        default: return ABR_CMD_REMOVE_RCV_DESTINATION;
    }
}

static const char *abr_destination_verb(abr_pending_kind_t kind)
{
    return ABR_PENDING_ADD_DESTINATION == kind || ABR_PENDING_ADD_RCV_DESTINATION == kind ? "add" : "remove";
}

/* What a destination command sends: to whom, and the endpoint (also the pending command's channel). */
typedef struct abr_destination_command_stct
{
    const abr_destination_owner_t *owner;
    const char *destination;
}
abr_destination_command_t;

static int abr_destination_send(abr_client_t *client, const abr_async_add_t *pending, const void *command)
{
    const abr_destination_command_t *sent = command;
    const abr_destination_owner_t *owner = sent->owner;
    const char *verb = abr_destination_verb(pending->kind);
    if (0 != abr_load_int_acquire(owner->closed))
    {
        return abr_error_set(ABR_ERROR_CLOSED, "%s destination: %s is closed: channel=%s, streamId=%d, "
            "destination=%s", verb, owner->what, owner->channel, owner->stream_id, sent->destination);
    }
    if (abr_driver_proxy_destination(&client->driver_proxy, abr_destination_command(pending->kind),
        pending->correlation_id, owner->registration_id, sent->destination) < 0)
    {
        return abr_error_prefix("could not send %s destination for %s channel=%s, streamId=%d: ", verb, owner->what,
            owner->channel, owner->stream_id);
    }
    return 0;
}

static int abr_destination_start(
    abr_async_add_t **async, const abr_destination_owner_t *owner, abr_pending_kind_t kind, const char *destination)
{
    const char *verb = abr_destination_verb(kind);
    if (NULL == async)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s destination: async out-pointer must not be null: "
            "destination=%s", verb, NULL == destination ? "(null)" : destination);
    }
    *async = NULL;
    if (NULL == owner->client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s destination: %s must not be null: destination=%s", verb,
            owner->what, NULL == destination ? "(null)" : destination);
    }
    if (NULL == destination || '\0' == destination[0])
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s destination: endpoint channel must not be null or empty: "
            "%s channel=%s, streamId=%d, destination=%s", verb, owner->what, owner->channel, owner->stream_id,
            NULL == destination ? "(null)" : destination);
    }

    abr_async_add_t *pending = calloc(1, sizeof(*pending));
    if (NULL == pending || NULL == (pending->channel = strdup(destination)))
    {
        free(pending);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for %s destination=%s", verb, destination);
    }
    pending->kind = kind;
    pending->stream_id = owner->stream_id;
    const abr_destination_command_t command = { owner, destination };
    return abr_async_submit(async, owner->client, pending, abr_destination_send, &command);
}

static int abr_destination_run(const abr_destination_owner_t *owner, abr_pending_kind_t kind, const char *destination)
{
    abr_async_add_t *async = NULL;
    if (abr_destination_start(&async, owner, kind, destination) < 0)
    {
        return -1;
    }
    return abr_async_await_kind(async, kind, NULL, NULL);
}

int abr_async_destination_poll(abr_async_add_t *async)
{
    if (NULL == async)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "destination poll: async must not be null");
    }
    if (!abr_pending_is_destination(async->kind))
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "destination poll: async is not of a destination: "
            "channel=%s, streamId=%d", NULL == async->channel ? "" : async->channel, async->stream_id);
    }
    return abr_async_poll_kind(async, async->kind, NULL, NULL);
}

static abr_destination_owner_t abr_subscription_owner(abr_subscription_t *subscription)
{
    abr_destination_owner_t owner = { "subscription", NULL, NULL, -1, "", 0 };
    if (NULL != subscription)
    {
        owner.client = subscription->client;
        owner.closed = &subscription->closed;
        /* Subscription.addDestination names the subscription by its registration id (aeron-client 1.51.0). */
        owner.registration_id = subscription->registration_id;
        owner.channel = subscription->channel;
        owner.stream_id = subscription->stream_id;
    }
    return owner;
}

static abr_destination_owner_t abr_publication_owner(abr_publication_t *publication)
{
    abr_destination_owner_t owner = { "publication", NULL, NULL, -1, "", 0 };
    if (NULL != publication)
    {
        owner.client = publication->client;
        owner.closed = &publication->closed;
        /* Publication.addDestination names the driver's shared publication: originalRegistrationId (1.51.0). */
        owner.registration_id = publication->original_registration_id;
        owner.channel = publication->channel;
        owner.stream_id = publication->stream_id;
    }
    return owner;
}

static abr_destination_owner_t abr_exclusive_publication_owner(abr_exclusive_publication_t *publication)
{
    abr_destination_owner_t owner = { "exclusive publication", NULL, NULL, -1, "", 0 };
    if (NULL != publication)
    {
        owner.client = publication->client;
        owner.closed = &publication->closed;
        owner.registration_id = publication->registration_id;
        owner.channel = publication->channel;
        owner.stream_id = publication->stream_id;
    }
    return owner;
}

int abr_subscription_async_add_destination(
    abr_async_add_t **async, abr_subscription_t *subscription, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_subscription_owner(subscription);
    return abr_destination_start(async, &owner, ABR_PENDING_ADD_RCV_DESTINATION, endpoint_channel);
}

int abr_subscription_async_remove_destination(
    abr_async_add_t **async, abr_subscription_t *subscription, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_subscription_owner(subscription);
    return abr_destination_start(async, &owner, ABR_PENDING_REMOVE_RCV_DESTINATION, endpoint_channel);
}

int abr_subscription_add_destination(abr_subscription_t *subscription, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_subscription_owner(subscription);
    return abr_destination_run(&owner, ABR_PENDING_ADD_RCV_DESTINATION, endpoint_channel);
}

int abr_subscription_remove_destination(abr_subscription_t *subscription, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_subscription_owner(subscription);
    return abr_destination_run(&owner, ABR_PENDING_REMOVE_RCV_DESTINATION, endpoint_channel);
}

int abr_publication_async_add_destination(
    abr_async_add_t **async, abr_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_publication_owner(publication);
    return abr_destination_start(async, &owner, ABR_PENDING_ADD_DESTINATION, endpoint_channel);
}

int abr_publication_async_remove_destination(
    abr_async_add_t **async, abr_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_publication_owner(publication);
    return abr_destination_start(async, &owner, ABR_PENDING_REMOVE_DESTINATION, endpoint_channel);
}

int abr_publication_add_destination(abr_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_publication_owner(publication);
    return abr_destination_run(&owner, ABR_PENDING_ADD_DESTINATION, endpoint_channel);
}

int abr_publication_remove_destination(abr_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_publication_owner(publication);
    return abr_destination_run(&owner, ABR_PENDING_REMOVE_DESTINATION, endpoint_channel);
}

int abr_exclusive_publication_async_add_destination(
    abr_async_add_t **async, abr_exclusive_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_exclusive_publication_owner(publication);
    return abr_destination_start(async, &owner, ABR_PENDING_ADD_DESTINATION, endpoint_channel);
}

int abr_exclusive_publication_async_remove_destination(
    abr_async_add_t **async, abr_exclusive_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_exclusive_publication_owner(publication);
    return abr_destination_start(async, &owner, ABR_PENDING_REMOVE_DESTINATION, endpoint_channel);
}

int abr_exclusive_publication_add_destination(abr_exclusive_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_exclusive_publication_owner(publication);
    return abr_destination_run(&owner, ABR_PENDING_ADD_DESTINATION, endpoint_channel);
}

int abr_exclusive_publication_remove_destination(
    abr_exclusive_publication_t *publication, const char *endpoint_channel)
{
    abr_destination_owner_t owner = abr_exclusive_publication_owner(publication);
    return abr_destination_run(&owner, ABR_PENDING_REMOVE_DESTINATION, endpoint_channel);
}
