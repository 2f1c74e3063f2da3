#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "conductor.h"
#include "deferred_release.h"
#include "discarded_handles.h"
#include "error.h"
#include "exclusive_publication.h"
#include "subscription.h"

/* How often a client's close looks again while releases are pending: short against their 100 ms bounds. */
#define ABR_DEFERRED_RELEASE_FINISH_PAUSE_NS (50LL * 1000)
/* A release whose subscription stays locked by a reader past its deadline is dropped at the client's close after this. */
#define ABR_DEFERRED_RELEASE_FINISH_GRACE_NS (100LL * 1000 * 1000)

static int abr_deferred_release_refuse(void *clientd, int code, const char *reason, abr_client_t *client)
{
    free(clientd);
    return abr_error_set(code, "release later: %s: clientId=%lld", reason, (long long)abr_client_id(client));
}

int abr_client_release_when(
    abr_client_t *client,
    abr_exclusive_publication_t *publication,
    abr_subscription_t *subscription,
    abr_release_condition_t condition,
    void *clientd,
    int64_t deadline_ns)
{
    if (NULL == client || NULL == publication || NULL == subscription || NULL == condition)
    {
        free(clientd);
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "release later needs a client, a publication, a subscription and a condition:"
            " client=%s publication=%s subscription=%s condition=%s", NULL == client ? "null" : "set",
            NULL == publication ? "null" : "set", NULL == subscription ? "null" : "set",
            NULL == condition ? "null" : "set");
    }
    if (publication->client != client || subscription->client != client)
    {
        return abr_deferred_release_refuse(
            clientd, ABR_ERROR_INVALID_ARGUMENT, "the publication and the subscription must be this client's", client);
    }
    abr_deferred_release_t *release = calloc(1, sizeof(*release));
    if (NULL == release)
    {
        return abr_deferred_release_refuse(clientd, ABR_ERROR_OUT_OF_MEMORY, "out of memory", client);
    }
    release->publication = publication;
    release->subscription = subscription;
    release->condition = condition;
    release->clientd = clientd;
    release->deadline_ns = deadline_ns;

    pthread_mutex_lock(&client->lock);
    if (abr_conductor_is_closed(client) || 0 != abr_load_int_acquire(&publication->closed) ||
        0 != abr_load_int_acquire(&subscription->closed))
    {
        pthread_mutex_unlock(&client->lock);
        free(release);
        return abr_deferred_release_refuse(
            clientd, ABR_ERROR_CLOSED, "the client, the publication or the subscription is closed", client);
    }
    /* The conductor calls image handlers under this lock: after it, none reaches the handler's clientd any more. */
    subscription->on_available_image = NULL;
    subscription->on_unavailable_image = NULL;
    release->next = client->deferred_releases;
    client->deferred_releases = release;
    pthread_mutex_unlock(&client->lock);
    return 0;
}

int abr_deferred_releases_do_work(abr_client_t *client, int64_t now_ns)
{
    int released = 0;
    abr_deferred_release_t **link = &client->deferred_releases;
    while (NULL != *link)
    {
        abr_deferred_release_t *release = *link;
        /* Images before the client is the lock order, so under the client's lock only a try: next round otherwise. */
        if (0 != pthread_mutex_trylock(&release->subscription->images_lock))
        {
            link = &release->next;
            continue;
        }
        if (!release->condition(release->clientd) && !abr_deadline_passed(now_ns, release->deadline_ns))
        {
            pthread_mutex_unlock(&release->subscription->images_lock);
            link = &release->next;
            continue;
        }
        /* Nobody is left to hear of a failed remove command: the client's close removes everything it holds anyway. */
        abr_exclusive_publication_close_locked(release->publication);
        abr_subscription_close_locked(release->subscription);
        abr_exclusive_publication_discard_closed(release->publication);
        abr_subscription_discard_closed(release->subscription);
        pthread_mutex_unlock(&release->subscription->images_lock);
        *link = release->next;
        free(release->clientd);
        free(release);
        released++;
    }
    return released;
}

int abr_deferred_releases_count(const abr_client_t *client)
{
    int count = 0;
    for (const abr_deferred_release_t *release = client->deferred_releases; NULL != release; release = release->next)
    {
        count++;
    }
    return count;
}

static int64_t abr_deferred_releases_last_deadline(const abr_client_t *client)
{
    int64_t last = INT64_MIN;
    for (const abr_deferred_release_t *release = client->deferred_releases; NULL != release; release = release->next)
    {
        last = release->deadline_ns > last ? release->deadline_ns : last;
    }
    return last;
}

void abr_deferred_releases_finish(abr_client_t *client)
{
    int64_t give_up_ns = INT64_MIN;
    for (;;)
    {
        pthread_mutex_lock(&client->lock);
        bool pending = NULL != client->deferred_releases && !abr_conductor_is_closed(client);
        if (pending)
        {
            if (INT64_MIN == give_up_ns)
            {
                give_up_ns = abr_saturated_add(
                    abr_deferred_releases_last_deadline(client), ABR_DEFERRED_RELEASE_FINISH_GRACE_NS);
            }
            /* A whole round, not only the releases: their conditions read what the driver says meanwhile. */
            abr_conductor_do_work(client);
            pending = NULL != client->deferred_releases && !abr_conductor_is_closed(client) &&
                !abr_deadline_passed(abr_nano_time(), give_up_ns);
        }
        pthread_mutex_unlock(&client->lock);
        if (!pending)
        {
            return;
        }
        struct timespec pause = { 0, ABR_DEFERRED_RELEASE_FINISH_PAUSE_NS };
        nanosleep(&pause, NULL);
    }
}

void abr_deferred_releases_drop(abr_client_t *client)
{
    while (NULL != client->deferred_releases)
    {
        abr_deferred_release_t *release = client->deferred_releases;
        client->deferred_releases = release->next;
        free(release->clientd);
        free(release);
    }
}
