#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "counters.h"
#include "error.h"
#include "subscription.h"

abr_subscription_t *abr_subscription_create(
    abr_client_t *client, const char *channel, int32_t stream_id, int64_t registration_id, int32_t channel_status_id)
{
    abr_subscription_t *subscription = calloc(1, sizeof(*subscription));
    if (NULL == subscription || NULL == (subscription->channel = strdup(channel)))
    {
        free(subscription);
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the subscription");
        return NULL;
    }
    /* Error-checking, so a handler that calls back into its own subscription gets an error, not a deadlock. */
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&subscription->images_lock, &attributes);
    pthread_mutexattr_destroy(&attributes);
    subscription->client = client;
    subscription->stream_id = stream_id;
    subscription->registration_id = registration_id;
    subscription->channel_status_id = channel_status_id;
    return subscription;
}

int abr_subscription_lock_images(abr_subscription_t *subscription, const char *what)
{
    int result = pthread_mutex_lock(&subscription->images_lock);
    if (EDEADLK == result)
    {
        return abr_error_set(
            ABR_ERROR_ILLEGAL_STATE, "%s called from a poll handler of the same subscription, or between poll_frames "
            "and poll_frames_done: channel=%s, streamId=%d", what, subscription->channel, subscription->stream_id);
    }
    if (0 != result)
    {
        return abr_error_set(ABR_ERROR_INTERNAL, "%s could not lock the images: %s", what, strerror(result));
    }
    return 0;
}

/* Under images_lock, the only way the count changes: is_connected reads it without the lock. */
static void abr_subscription_store_image_count(abr_subscription_t *subscription, int count)
{
    __atomic_store_n(&subscription->image_count, count, __ATOMIC_RELEASE);
}

static void abr_image_release(abr_image_t *image)
{
    abr_log_buffers_unmap(&image->log);
    free(image);
}

void abr_subscription_images_changed(abr_subscription_t *subscription)
{
    /* Sequentially consistent, as the pollers' increment: a poll either sees this change or is seen by the reclaim
     * that follows it. */
    __atomic_fetch_add(&subscription->guard.images_version, 1, __ATOMIC_SEQ_CST);
}

bool abr_subscription_has_pollers(abr_subscription_t *subscription)
{
    return 0 != __atomic_load_n(&subscription->guard.pollers, __ATOMIC_SEQ_CST);
}

/* Off the list already and the version changed since: unmapped once no lock-free poll can still be reading it. */
static void abr_subscription_retire(abr_subscription_t *subscription, abr_image_t *image)
{
    image->next_retired = subscription->retired;
    subscription->retired = image;
}

static int abr_subscription_unmap_retired(abr_subscription_t *subscription)
{
    int reclaimed = 0;
    while (NULL != subscription->retired)
    {
        abr_image_t *image = subscription->retired;
        subscription->retired = image->next_retired;
        abr_image_release(image);
        reclaimed++;
    }
    return reclaimed;
}

int abr_subscription_reclaim(abr_subscription_t *subscription)
{
    if (NULL == subscription->retired || abr_subscription_has_pollers(subscription))
    {
        return 0;
    }
    return abr_subscription_unmap_retired(subscription);
}

static int abr_subscription_queue(abr_subscription_t *subscription, abr_image_t *image, int64_t removed_correlation_id)
{
    if (subscription->change_count == subscription->change_capacity)
    {
        int capacity = 0 == subscription->change_capacity ? 4 : subscription->change_capacity * 2;
        abr_image_change_t *changes = realloc(subscription->changes, (size_t)capacity * sizeof(*changes));
        if (NULL == changes)
        {
            return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory queueing an image change");
        }
        subscription->changes = changes;
        subscription->change_capacity = capacity;
    }
    subscription->changes[subscription->change_count].added = image;
    subscription->changes[subscription->change_count].removed_correlation_id = removed_correlation_id;
    subscription->change_count++;
    abr_subscription_apply_changes(subscription);
    return 0;
}

int abr_subscription_queue_add_image(abr_subscription_t *subscription, abr_image_t *image)
{
    return abr_subscription_queue(subscription, image, 0);
}

int abr_subscription_queue_remove_image(abr_subscription_t *subscription, int64_t correlation_id)
{
    return abr_subscription_queue(subscription, NULL, correlation_id);
}

/* Under images_lock. A failed add (out of memory) drops the image rather than block the queue. */
static void abr_subscription_apply(abr_subscription_t *subscription, abr_image_change_t *change)
{
    if (NULL != change->added)
    {
        if (subscription->image_count == subscription->image_capacity)
        {
            int capacity = 0 == subscription->image_capacity ? 4 : subscription->image_capacity * 2;
            abr_image_t **images = realloc(subscription->images, (size_t)capacity * sizeof(*images));
            if (NULL == images)
            {
                abr_image_release(change->added);
                return;
            }
            subscription->images = images;
            subscription->image_capacity = capacity;
        }
        subscription->images[subscription->image_count] = change->added;
        abr_subscription_store_image_count(subscription, subscription->image_count + 1);
        return;
    }

    for (int i = 0; i < subscription->image_count; i++)
    {
        if (subscription->images[i]->correlation_id == change->removed_correlation_id)
        {
            abr_subscription_retire(subscription, subscription->images[i]);
            subscription->images[i] = subscription->images[subscription->image_count - 1];
            abr_subscription_store_image_count(subscription, subscription->image_count - 1);
            return;
        }
    }
}

int abr_subscription_apply_changes(abr_subscription_t *subscription)
{
    /* Every duty cycle: images retired while a poll ran go once it is over. */
    int work = abr_subscription_reclaim(subscription);
    if (0 == subscription->change_count || 0 != abr_load_int_acquire(&subscription->closed) ||
        0 != pthread_mutex_trylock(&subscription->images_lock))
    {
        return work;
    }
    int applied = subscription->change_count;
    for (int i = 0; i < applied; i++)
    {
        abr_subscription_apply(subscription, &subscription->changes[i]);
    }
    subscription->change_count = 0;
    abr_subscription_images_changed(subscription);
    pthread_mutex_unlock(&subscription->images_lock);
    return work + applied + abr_subscription_reclaim(subscription);
}

/* Take the images off and drop queued changes, keeping the handle itself (under both locks); the images are unmapped
 * at once unless a lock-free poll is running, else once it is over. */
static void abr_subscription_release_images(abr_subscription_t *subscription)
{
    for (int i = 0; i < subscription->image_count; i++)
    {
        abr_subscription_retire(subscription, subscription->images[i]);
    }
    abr_subscription_store_image_count(subscription, 0);
    abr_subscription_images_changed(subscription);
    for (int i = 0; i < subscription->change_count; i++)
    {
        if (NULL != subscription->changes[i].added)
        {
            abr_image_release(subscription->changes[i].added);
        }
    }
    subscription->change_count = 0;
    abr_subscription_reclaim(subscription);
}

bool abr_subscription_describe_image(abr_subscription_t *subscription, int64_t correlation_id, abr_image_info_t *info)
{
    /* Only the conductor changes the image list, and this is the conductor: reading it needs no lock. */
    for (int i = 0; i < subscription->image_count; i++)
    {
        if (subscription->images[i]->correlation_id == correlation_id)
        {
            abr_image_fill_info(subscription->images[i], info);
            return true;
        }
    }
    for (int i = 0; i < subscription->change_count; i++)
    {
        abr_image_t *added = subscription->changes[i].added;
        if (NULL != added && added->correlation_id == correlation_id)
        {
            abr_image_fill_info(added, info);
            return true;
        }
    }
    return false;
}

void abr_subscription_release(abr_subscription_t *subscription)
{
    if (subscription->frames_outstanding)
    {
        pthread_mutex_unlock(&subscription->images_lock);
    }
    /* The client's close waited for the lock-free polls to end (or the subscription was never handed out). */
    abr_subscription_release_images(subscription);
    abr_subscription_unmap_retired(subscription);
    pthread_mutex_destroy(&subscription->images_lock);
    free(subscription->images);
    free(subscription->changes);
    free(subscription->frame_visit);
    free(subscription->frame_end);
    free(subscription->visit_image);
    free(subscription->visit_end);
    free(subscription->channel);
    free(subscription);
}

int abr_subscription_check(abr_subscription_t *subscription, const void *handler, const char *what)
{
    if (NULL == subscription || NULL == handler)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: %s must not be null%s%s", what,
            NULL == subscription ? "subscription" : "handler", NULL == subscription ? ": subscription=null" : "",
            NULL == handler ? ": handler=null" : "");
    }
    if (0 != abr_load_int_acquire(&subscription->closed))
    {
        return abr_error_set(
            ABR_ERROR_CLOSED, "subscription is closed: channel=%s, streamId=%d", subscription->channel,
            subscription->stream_id);
    }
    if (abr_conductor_is_closed(subscription->client))
    {
        return abr_conductor_closed_error(subscription->client);
    }
    return 0;
}

int abr_subscription_poll(
    abr_subscription_t *subscription, abr_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    if (abr_subscription_check(subscription, (const void *)handler, "poll") < 0)
    {
        return -1;
    }
    int fragments = 0;
    if (abr_subscription_lock_images(subscription, "poll") < 0)
    {
        return -1;
    }
    int count = subscription->image_count;
    if (count > 0)
    {
        int start = subscription->round_robin_index % count;
        subscription->round_robin_index = (start + 1) % count;
        for (int i = 0; i < count && fragments < fragment_limit; i++)
        {
            abr_image_t *image = subscription->images[(start + i) % count];
            int polled = abr_image_poll(image, handler, clientd, fragment_limit - fragments);
            if (polled < 0)
            {
                pthread_mutex_unlock(&subscription->images_lock);
                return abr_error_prefix("subscription poll: ");
            }
            fragments += polled;
        }
    }
    pthread_mutex_unlock(&subscription->images_lock);
    return fragments;
}

int abr_subscription_controlled_poll(
    abr_subscription_t *subscription, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    if (abr_subscription_check(subscription, (const void *)handler, "controlled_poll") < 0)
    {
        return -1;
    }
    int fragments = 0;
    if (abr_subscription_lock_images(subscription, "controlled_poll") < 0)
    {
        return -1;
    }
    int count = subscription->image_count;
    if (count > 0)
    {
        int start = subscription->round_robin_index % count;
        subscription->round_robin_index = (start + 1) % count;
        for (int i = 0; i < count && fragments < fragment_limit; i++)
        {
            abr_image_t *image = subscription->images[(start + i) % count];
            int polled = abr_image_controlled_poll(image, handler, clientd, fragment_limit - fragments);
            if (polled < 0)
            {
                pthread_mutex_unlock(&subscription->images_lock);
                return abr_error_prefix("subscription poll: ");
            }
            fragments += polled;
        }
    }
    pthread_mutex_unlock(&subscription->images_lock);
    return fragments;
}

int abr_subscription_image_count(abr_subscription_t *subscription)
{
    if (NULL == subscription)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "subscription must not be null");
    }
    if (abr_subscription_lock_images(subscription, "image_count") < 0)
    {
        return -1;
    }
    int count = subscription->image_count;
    pthread_mutex_unlock(&subscription->images_lock);
    return count;
}

/* The image of this session under images_lock, or NULL (error set, lock released). */
static abr_image_t *abr_subscription_lock_image(abr_subscription_t *subscription, int32_t session_id, const char *what)
{
    if (NULL == subscription)
    {
        abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: subscription must not be null", what);
        return NULL;
    }
    if (abr_subscription_lock_images(subscription, what) < 0)
    {
        return NULL;
    }
    for (int i = 0; i < subscription->image_count; i++)
    {
        if (subscription->images[i]->session_id == session_id)
        {
            return subscription->images[i];
        }
    }
    pthread_mutex_unlock(&subscription->images_lock);
    abr_error_set(
        ABR_ERROR_INVALID_ARGUMENT, "%s: no image of sessionId=%d: channel=%s, streamId=%d", what, session_id,
        subscription->channel, subscription->stream_id);
    return NULL;
}

int abr_subscription_image_is_end_of_stream(abr_subscription_t *subscription, int32_t session_id)
{
    abr_image_t *image = abr_subscription_lock_image(subscription, session_id, "image_is_end_of_stream");
    if (NULL == image)
    {
        return -1;
    }
    int result = abr_image_is_end_of_stream(image) ? 1 : 0;
    pthread_mutex_unlock(&subscription->images_lock);
    return result;
}

int64_t abr_subscription_image_position(abr_subscription_t *subscription, int32_t session_id)
{
    abr_image_t *image = abr_subscription_lock_image(subscription, session_id, "image_position");
    if (NULL == image)
    {
        return -1;
    }
    int64_t position = abr_image_position(image);
    pthread_mutex_unlock(&subscription->images_lock);
    return position;
}

int abr_subscription_image_info(abr_subscription_t *subscription, int32_t session_id, abr_image_info_t *info)
{
    if (NULL == info)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "image_info: info out-pointer must not be null");
    }
    abr_image_t *image = abr_subscription_lock_image(subscription, session_id, "image_info");
    if (NULL == image)
    {
        return -1;
    }
    abr_image_fill_info(image, info);
    pthread_mutex_unlock(&subscription->images_lock);
    return 0;
}

int abr_subscription_image_at(abr_subscription_t *subscription, int index, abr_image_info_t *info)
{
    if (NULL == subscription || NULL == info)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_at: %s must not be null: index=%d",
            NULL == subscription ? "subscription" : "info out-pointer", index);
    }
    if (abr_subscription_lock_images(subscription, "image_at") < 0)
    {
        return -1;
    }
    int count = subscription->image_count;
    if (index < 0 || index >= count)
    {
        pthread_mutex_unlock(&subscription->images_lock);
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_at: index=%d is out of range, imageCount=%d: channel=%s, streamId=%d",
            index, count, subscription->channel, subscription->stream_id);
    }
    abr_image_fill_info(subscription->images[index], info);
    pthread_mutex_unlock(&subscription->images_lock);
    return 0;
}

int64_t abr_subscription_channel_status(abr_subscription_t *subscription)
{
    if (abr_subscription_is_closed(subscription))
    {
        return ABR_CHANNEL_STATUS_NO_ID_ALLOCATED;
    }
    return abr_client_channel_status(subscription->client, subscription->channel_status_id);
}

int32_t abr_subscription_channel_status_id(abr_subscription_t *subscription)
{
    return NULL == subscription ? ABR_CHANNEL_STATUS_NO_ID_ALLOCATED : subscription->channel_status_id;
}

bool abr_subscription_is_connected(abr_subscription_t *subscription)
{
    /* Without the images lock: every wait of the archive client asks this between polls, and a count read alone
     * needs no stable list. It also answers from a poll handler of this subscription, where the lock is held. */
    return NULL != subscription && !abr_subscription_is_closed(subscription) &&
        __atomic_load_n(&subscription->image_count, __ATOMIC_ACQUIRE) > 0;
}

bool abr_subscription_is_closed(abr_subscription_t *subscription)
{
    return NULL == subscription || 0 != abr_load_int_acquire(&subscription->closed) ||
        abr_conductor_is_closed(subscription->client);
}

int32_t abr_subscription_stream_id(abr_subscription_t *subscription)
{
    return NULL == subscription ? 0 : subscription->stream_id;
}

int64_t abr_subscription_registration_id(abr_subscription_t *subscription)
{
    return NULL == subscription ? -1 : subscription->registration_id;
}

const char *abr_subscription_channel(abr_subscription_t *subscription)
{
    return NULL == subscription ? NULL : subscription->channel;
}

int abr_subscription_close(abr_subscription_t *subscription)
{
    if (NULL == subscription || 0 != abr_load_int_acquire(&subscription->closed))
    {
        return 0;
    }
    /* Images first, then the client: the order a poll handler that calls into the client takes them. */
    if (abr_subscription_lock_images(subscription, "close") < 0)
    {
        return -1;
    }
    abr_client_t *client = subscription->client;
    pthread_mutex_lock(&client->lock);
    int result = abr_subscription_close_locked(subscription);
    pthread_mutex_unlock(&client->lock);
    pthread_mutex_unlock(&subscription->images_lock);
    return result;
}

int abr_subscription_close_locked(abr_subscription_t *subscription)
{
    if (0 != abr_load_int_acquire(&subscription->closed))
    {
        return 0;
    }
    abr_client_t *client = subscription->client;
    abr_store_int_release(&subscription->closed, 1);
    int result = 0;
    if (!abr_conductor_is_closed(client))
    {
        result = abr_driver_proxy_remove_subscription(
            &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver),
            subscription->registration_id);
    }
    /* As Aeron's clients do, the images a close takes away are reported unavailable. */
    for (int i = 0; i < subscription->image_count && NULL != subscription->on_unavailable_image; i++)
    {
        abr_image_info_t info;
        abr_image_fill_info(subscription->images[i], &info);
        subscription->on_unavailable_image(subscription->unavailable_clientd, subscription, &info);
    }
    /* The handle stays on the client's list, closed and without images, so a late call on it gets
     * ABR_ERROR_CLOSED instead of freed memory; abr_client_close frees it (the conductor, once discarded). */
    abr_subscription_release_images(subscription);
    return result;
}
