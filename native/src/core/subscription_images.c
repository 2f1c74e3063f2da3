/*
 * Polling for bindings that walk the terms themselves: hand out where each image's terms and subscriber
 * position are, with the images locked so none is unmapped meanwhile, and unlock when the caller is done.
 */
#include "error.h"
#include "subscription.h"

int abr_subscription_poll_images(abr_subscription_t *subscription, abr_image_ref_t *images, int capacity)
{
    if (NULL == images || capacity < 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "poll_images needs an images array and a capacity >= 0: capacity=%d%s",
            capacity, NULL == images ? ", images=null" : "");
    }
    if (abr_subscription_check(subscription, images, "poll_images") < 0 ||
        abr_subscription_lock_images(subscription, "poll_images") < 0)
    {
        return -1;
    }

    int filled = 0;
    int count = subscription->image_count;
    if (count > 0)
    {
        int start = subscription->round_robin_index % count;
        subscription->round_robin_index = (start + 1) % count;
        for (int i = 0; i < count && filled < capacity; i++)
        {
            abr_image_fill_ref(subscription->images[(start + i) % count], &images[filled++]);
        }
    }
    abr_subscription_hold_images(subscription);
    return filled;
}

void abr_subscription_hold_images(abr_subscription_t *subscription)
{
    /* The same state poll_frames leaves, with nothing for poll_frames_done to move: closing the subscription
     * meanwhile unlocks it as it would after poll_frames. */
    subscription->frame_count = 0;
    subscription->visit_count = 0;
    subscription->frames_outstanding = true;
}

int abr_subscription_poll_images_done(abr_subscription_t *subscription)
{
    if (NULL == subscription)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "poll_images_done needs a subscription: subscription=null");
    }
    if (!subscription->frames_outstanding)
    {
        return abr_error_set(
            ABR_ERROR_ILLEGAL_STATE, "poll_images_done without a poll_images before it: channel=%s, streamId=%d",
            subscription->channel, subscription->stream_id);
    }
    subscription->frames_outstanding = false;
    pthread_mutex_unlock(&subscription->images_lock);
    return 0;
}

abr_subscription_poll_guard_t *abr_subscription_poll_guard(abr_subscription_t *subscription)
{
    return NULL == subscription ? NULL : &subscription->guard;
}

int abr_subscription_image_refs(
    abr_subscription_t *subscription, abr_image_ref_t *images, int capacity, int64_t *images_version)
{
    if (NULL == images || capacity < 0 || NULL == images_version)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "image_refs needs an images array, a capacity >= 0 and an images_version "
            "out-pointer: capacity=%d%s%s", capacity, NULL == images ? ", images=null" : "",
            NULL == images_version ? ", images_version=null" : "");
    }
    if (abr_subscription_check(subscription, images, "image_refs") < 0 ||
        abr_subscription_lock_images(subscription, "image_refs") < 0)
    {
        return -1;
    }
    /* Under the lock the version cannot move with the list: these refs are exactly the list of this version. */
    int count = subscription->image_count;
    for (int i = 0; i < count && i < capacity; i++)
    {
        abr_image_fill_ref(subscription->images[i], &images[i]);
    }
    *images_version = __atomic_load_n(&subscription->guard.images_version, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&subscription->images_lock);
    return count;
}
