/*
 * Image handles: the caller's value naming one image of a subscription by its correlation id. Each call finds the
 * image again under the subscription's image lock, so a handle kept past its image's going finds nothing and
 * answers closed instead of reading an unmapped log.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "atomics.h"
#include "conductor.h"
#include "error.h"
#include "subscription.h"

static void abr_image_handle_fill(abr_image_handle_t *handle, abr_subscription_t *subscription, const abr_image_info_t *info)
{
    memset(handle, 0, sizeof(*handle));
    handle->subscription = subscription;
    handle->correlation_id = info->correlation_id;
    handle->join_position = info->join_position;
    handle->last_seen_position = info->position;
    handle->session_id = info->session_id;
    handle->stream_id = info->stream_id;
    handle->initial_term_id = info->initial_term_id;
    handle->term_buffer_length = info->term_buffer_length;
    handle->mtu_length = info->mtu_length;
    handle->subscriber_position_id = info->subscriber_position_id;
    handle->last_seen_end_of_stream = info->end_of_stream;
    if (NULL != info->source_identity)
    {
        snprintf(handle->source_identity, sizeof(handle->source_identity), "%s", info->source_identity);
    }
}

static int abr_image_handle_subscription_closed(abr_subscription_t *subscription, const char *what)
{
    return abr_error_set(
        ABR_ERROR_CLOSED, "%s: subscription is closed: channel=%s, streamId=%d", what, subscription->channel,
        subscription->stream_id);
}

/* The subscription usable and its images locked: 1 when this call took the lock, 0 when the calling thread already
 * held it (a poll handler of this subscription: the images cannot change under it, and reads are safe), -1 with the
 * error set and nothing locked. Only read-only calls accept 0 (allow_held). */
static int abr_image_handle_lock_subscription(abr_subscription_t *subscription, const char *what, bool allow_held)
{
    if (0 != abr_load_int_acquire(&subscription->closed))
    {
        return abr_image_handle_subscription_closed(subscription, what);
    }
    if (abr_conductor_is_closed(subscription->client))
    {
        return abr_conductor_closed_error(subscription->client);
    }
    int result = pthread_mutex_lock(&subscription->images_lock);
    if (EDEADLK == result && allow_held)
    {
        return 0;
    }
    if (0 != result)
    {
        return abr_error_set(
            EDEADLK == result ? ABR_ERROR_ILLEGAL_STATE : ABR_ERROR_INTERNAL,
            "%s called from a poll handler of the same subscription, or between poll_frames and poll_frames_done, "
            "or the image lock failed (%s): channel=%s, streamId=%d", what, strerror(result), subscription->channel,
            subscription->stream_id);
    }
    /* A close that took the lock before us released the images: nothing to find. */
    if (0 != abr_load_int_acquire(&subscription->closed))
    {
        pthread_mutex_unlock(&subscription->images_lock);
        return abr_image_handle_subscription_closed(subscription, what);
    }
    return 1;
}

int abr_subscription_image_by_session_id(
    abr_subscription_t *subscription, int32_t session_id, abr_image_handle_t *image)
{
    if (NULL == subscription || NULL == image)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_by_session_id: %s must not be null: sessionId=%d",
            NULL == subscription ? "subscription" : "image out-pointer", session_id);
    }
    int locked = abr_image_handle_lock_subscription(subscription, "image_by_session_id", true);
    if (locked < 0)
    {
        return -1;
    }
    int found = 0;
    for (int i = 0; i < subscription->image_count && 0 == found; i++)
    {
        if (subscription->images[i]->session_id == session_id)
        {
            abr_image_info_t info;
            abr_image_fill_info(subscription->images[i], &info);
            abr_image_handle_fill(image, subscription, &info);
            found = 1;
        }
    }
    if (1 == locked)
    {
        pthread_mutex_unlock(&subscription->images_lock);
    }
    return found;
}

int abr_subscription_image_at_index(abr_subscription_t *subscription, int index, abr_image_handle_t *image)
{
    if (NULL == subscription || NULL == image)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_at_index: %s must not be null: index=%d",
            NULL == subscription ? "subscription" : "image out-pointer", index);
    }
    int locked = abr_image_handle_lock_subscription(subscription, "image_at_index", true);
    if (locked < 0)
    {
        return -1;
    }
    int count = subscription->image_count;
    if (index < 0 || index >= count)
    {
        if (1 == locked)
        {
            pthread_mutex_unlock(&subscription->images_lock);
        }
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_at_index: index=%d is out of range, imageCount=%d: channel=%s, "
            "streamId=%d", index, count, subscription->channel, subscription->stream_id);
    }
    abr_image_info_t info;
    abr_image_fill_info(subscription->images[index], &info);
    abr_image_handle_fill(image, subscription, &info);
    if (1 == locked)
    {
        pthread_mutex_unlock(&subscription->images_lock);
    }
    return 0;
}

int abr_image_handle_from_info(abr_image_handle_t *image, abr_subscription_t *subscription, const abr_image_info_t *info)
{
    if (NULL == image || NULL == subscription || NULL == info)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_handle_from_info: %s must not be null",
            NULL == image ? "image" : NULL == subscription ? "subscription" : "info");
    }
    abr_image_handle_fill(image, subscription, info);
    return 0;
}

static void abr_image_handle_unlock(abr_image_handle_t *handle, bool locked)
{
    if (locked)
    {
        pthread_mutex_unlock(&handle->subscription->images_lock);
    }
}

/* The handle's image under the image lock, or NULL with the error set and nothing locked. *locked says whether this
 * call took the lock (false when a read-only call, allow_held, runs in a poll handler that holds it). On success the
 * handle's last seen position and end of stream are brought up to date. */
static abr_image_t *abr_image_handle_lock(abr_image_handle_t *handle, const char *what, bool allow_held, bool *locked)
{
    if (NULL == handle || NULL == handle->subscription)
    {
        abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: %s must not be null", what, NULL == handle ? "image" : "image.subscription");
        return NULL;
    }
    abr_subscription_t *subscription = handle->subscription;
    int result = abr_image_handle_lock_subscription(subscription, what, allow_held);
    if (result < 0)
    {
        return NULL;
    }
    *locked = 1 == result;
    for (int i = 0; i < subscription->image_count; i++)
    {
        abr_image_t *image = subscription->images[i];
        if (image->correlation_id == handle->correlation_id)
        {
            handle->last_seen_position = abr_image_position(image);
            handle->last_seen_end_of_stream = abr_image_is_end_of_stream(image);
            return image;
        }
    }
    abr_image_handle_unlock(handle, *locked);
    abr_error_set(
        ABR_ERROR_CLOSED, "%s: image is closed: correlationId=%lld, sessionId=%d, channel=%s, streamId=%d", what,
        (long long)handle->correlation_id, handle->session_id, subscription->channel, subscription->stream_id);
    return NULL;
}

bool abr_image_handle_is_closed(abr_image_handle_t *image)
{
    if (NULL == image || NULL == image->subscription)
    {
        return true;
    }
    bool locked = false;
    if (NULL == abr_image_handle_lock(image, "image_is_closed", true, &locked))
    {
        return true;
    }
    abr_image_handle_unlock(image, locked);
    return false;
}

int64_t abr_image_handle_position(abr_image_handle_t *image)
{
    bool locked = false;
    if (NULL == abr_image_handle_lock(image, "image_position", true, &locked))
    {
        return -1;
    }
    int64_t position = image->last_seen_position;
    abr_image_handle_unlock(image, locked);
    return position;
}

int abr_image_handle_set_position(abr_image_handle_t *image, int64_t new_position)
{
    bool locked = false;
    abr_image_t *found = abr_image_handle_lock(image, "image_set_position", false, &locked);
    if (NULL == found)
    {
        return -1;
    }
    int64_t current = abr_image_position(found);
    if (!abr_image_position_in_log(found, current))
    {
        abr_image_handle_unlock(image, locked);
        return abr_error_set(ABR_ERROR_IO, "image_set_position: the image's subscriber position %lld is outside its "
            "log (a damaged counter): sessionId=%d, streamId=%d", (long long)current, found->session_id,
            found->stream_id);
    }
    /* The end of the current term: a position past it would skip a term the driver may not have written. */
    int64_t term_end = (current - (current & found->term_length_mask)) + found->term_length_mask + 1;
    if (new_position < current || new_position > term_end || 0 != (new_position & (ABR_FRAME_ALIGNMENT - 1)))
    {
        abr_image_handle_unlock(image, locked);
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_set_position: newPosition=%lld is out of range %lld-%lld or not a "
            "multiple of %d: sessionId=%d, streamId=%d", (long long)new_position, (long long)current,
            (long long)term_end, ABR_FRAME_ALIGNMENT, image->session_id, image->stream_id);
    }
    abr_put_int64_release(found->subscriber_position, new_position);
    image->last_seen_position = new_position;
    image->last_seen_end_of_stream = abr_image_is_end_of_stream(found);
    abr_image_handle_unlock(image, locked);
    return 0;
}

int abr_image_handle_is_end_of_stream(abr_image_handle_t *image)
{
    bool locked = false;
    if (NULL == abr_image_handle_lock(image, "image_is_end_of_stream", true, &locked))
    {
        return -1;
    }
    int result = image->last_seen_end_of_stream ? 1 : 0;
    abr_image_handle_unlock(image, locked);
    return result;
}

static int abr_image_handle_check_handler(const void *handler, const char *what)
{
    return NULL == handler ? abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: handler must not be null", what) : 0;
}

/* After a poll under the lock: bring the handle's last seen state up to date and unlock; the poll's result. */
static int abr_image_handle_polled(abr_image_handle_t *handle, abr_image_t *image, int polled)
{
    handle->last_seen_position = abr_image_position(image);
    handle->last_seen_end_of_stream = abr_image_is_end_of_stream(image);
    abr_image_handle_unlock(handle, true);
    return polled < 0 ? abr_error_prefix("image poll: ") : polled;
}

int abr_image_handle_poll(abr_image_handle_t *image, abr_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    return abr_image_handle_bounded_poll(image, handler, clientd, INT64_MAX, fragment_limit);
}

int abr_image_handle_bounded_poll(
    abr_image_handle_t *image, abr_fragment_handler_t handler, void *clientd, int64_t limit_position,
    int fragment_limit)
{
    if (abr_image_handle_check_handler((const void *)handler, "image_poll") < 0)
    {
        return -1;
    }
    bool locked = false;
    abr_image_t *found = abr_image_handle_lock(image, "image_poll", false, &locked);
    if (NULL == found)
    {
        return -1;
    }
    return abr_image_handle_polled(
        image, found, abr_image_bounded_poll(found, handler, clientd, limit_position, fragment_limit));
}

int abr_image_handle_controlled_poll(
    abr_image_handle_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    return abr_image_handle_bounded_controlled_poll(image, handler, clientd, INT64_MAX, fragment_limit);
}

int abr_image_handle_bounded_controlled_poll(
    abr_image_handle_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int64_t limit_position,
    int fragment_limit)
{
    if (abr_image_handle_check_handler((const void *)handler, "image_controlled_poll") < 0)
    {
        return -1;
    }
    bool locked = false;
    abr_image_t *found = abr_image_handle_lock(image, "image_controlled_poll", false, &locked);
    if (NULL == found)
    {
        return -1;
    }
    return abr_image_handle_polled(
        image, found, abr_image_bounded_controlled_poll(found, handler, clientd, limit_position, fragment_limit));
}

int abr_image_handle_poll_ref(abr_image_handle_t *image, abr_image_ref_t *ref)
{
    if (NULL == ref)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "image_poll_ref: ref must not be null");
    }
    bool locked = false;
    abr_image_t *found = abr_image_handle_lock(image, "image_poll_ref", false, &locked);
    if (NULL == found)
    {
        return -1;
    }
    abr_image_fill_ref(found, ref);
    abr_subscription_hold_images(image->subscription);
    return 0;
}

int abr_image_handle_poll_ref_done(abr_image_handle_t *image)
{
    if (NULL == image || NULL == image->subscription)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "image_poll_ref_done: %s must not be null",
            NULL == image ? "image" : "image.subscription");
    }
    abr_subscription_t *subscription = image->subscription;
    /* Only while this thread holds the images from its poll_ref is the list stable to read. */
    if (subscription->frames_outstanding)
    {
        for (int i = 0; i < subscription->image_count; i++)
        {
            abr_image_t *found = subscription->images[i];
            if (found->correlation_id == image->correlation_id)
            {
                image->last_seen_position = abr_image_position(found);
                image->last_seen_end_of_stream = abr_image_is_end_of_stream(found);
                break;
            }
        }
    }
    return abr_subscription_poll_images_done(subscription);
}
