#include <pthread.h>
#include <stdbool.h>

#include "clock.h"
#include "conductor.h"
#include "discarded_handles.h"
#include "exclusive_publication.h"
#include "publication.h"
#include "subscription.h"

void abr_subscription_discard_closed(abr_subscription_t *subscription)
{
    if (NULL == subscription || subscription->discarded)
    {
        return;
    }
    abr_client_t *client = subscription->client;
    subscription->discarded = true;
    subscription->free_deadline_ns = abr_deadline_ns(abr_nano_time(), client->resource_linger_ns);
    client->discarded_count++;
}

void abr_exclusive_publication_discard_closed(abr_exclusive_publication_t *publication)
{
    if (NULL == publication || publication->discarded)
    {
        return;
    }
    abr_client_t *client = publication->client;
    publication->discarded = true;
    publication->free_deadline_ns = abr_deadline_ns(abr_nano_time(), client->resource_linger_ns);
    client->discarded_count++;
}

void abr_publication_discard_closed(abr_publication_t *publication)
{
    if (NULL == publication || publication->discarded)
    {
        return;
    }
    abr_client_t *client = publication->client;
    publication->discarded = true;
    publication->free_deadline_ns = abr_deadline_ns(abr_nano_time(), client->resource_linger_ns);
    client->discarded_count++;
}

int abr_subscription_discard(abr_subscription_t *subscription)
{
    if (NULL == subscription)
    {
        return 0;
    }
    /* Images before the client: the lock order of close. */
    if (abr_subscription_lock_images(subscription, "discard") < 0)
    {
        return -1;
    }
    abr_client_t *client = subscription->client;
    pthread_mutex_lock(&client->lock);
    int result = abr_subscription_close_locked(subscription);
    abr_subscription_discard_closed(subscription);
    pthread_mutex_unlock(&client->lock);
    pthread_mutex_unlock(&subscription->images_lock);
    return result;
}

int abr_exclusive_publication_discard(abr_exclusive_publication_t *publication)
{
    if (NULL == publication)
    {
        return 0;
    }
    abr_client_t *client = publication->client;
    pthread_mutex_lock(&client->lock);
    int result = abr_exclusive_publication_close_locked(publication);
    abr_exclusive_publication_discard_closed(publication);
    pthread_mutex_unlock(&client->lock);
    return result;
}

int abr_publication_discard(abr_publication_t *publication)
{
    if (NULL == publication)
    {
        return 0;
    }
    abr_client_t *client = publication->client;
    pthread_mutex_lock(&client->lock);
    int result = abr_publication_close_locked(publication);
    abr_publication_discard_closed(publication);
    pthread_mutex_unlock(&client->lock);
    return result;
}

static int abr_free_discarded_subscriptions(abr_client_t *client, int64_t now_ns)
{
    int freed = 0;
    abr_subscription_t **link = &client->subscriptions;
    while (NULL != *link)
    {
        abr_subscription_t *subscription = *link;
        /* A reader still inside the images, locked or lock-free (it cannot be the owner, who gave the handle up), keeps
         * it one more round. */
        if (!subscription->discarded || !abr_deadline_passed(now_ns, subscription->free_deadline_ns) ||
            abr_subscription_has_pollers(subscription) || 0 != pthread_mutex_trylock(&subscription->images_lock))
        {
            link = &subscription->next;
            continue;
        }
        pthread_mutex_unlock(&subscription->images_lock);
        *link = subscription->next;
        abr_subscription_release(subscription);
        freed++;
    }
    return freed;
}

static int abr_free_discarded_publications(abr_client_t *client, int64_t now_ns)
{
    int freed = 0;
    abr_exclusive_publication_t **link = &client->publications;
    while (NULL != *link)
    {
        abr_exclusive_publication_t *publication = *link;
        if (!publication->discarded || !abr_deadline_passed(now_ns, publication->free_deadline_ns))
        {
            link = &publication->next;
            continue;
        }
        *link = publication->next;
        abr_exclusive_publication_release(publication);
        freed++;
    }
    return freed;
}

static int abr_free_discarded_shared_publications(abr_client_t *client, int64_t now_ns)
{
    int freed = 0;
    abr_publication_t **link = &client->shared_publications;
    while (NULL != *link)
    {
        abr_publication_t *publication = *link;
        if (!publication->discarded || !abr_deadline_passed(now_ns, publication->free_deadline_ns))
        {
            link = &publication->next;
            continue;
        }
        *link = publication->next;
        abr_publication_release(publication);
        freed++;
    }
    return freed;
}

int abr_discarded_handles_free(abr_client_t *client, int64_t now_ns)
{
    if (0 == client->discarded_count)
    {
        return 0;
    }
    int freed = abr_free_discarded_subscriptions(client, now_ns) + abr_free_discarded_publications(client, now_ns) +
        abr_free_discarded_shared_publications(client, now_ns);
    client->discarded_count -= freed;
    return freed;
}

int abr_discarded_handles_count(const abr_client_t *client)
{
    return client->discarded_count;
}
