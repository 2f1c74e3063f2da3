/*
 * Two-step polling for bindings that hand each fragment over by address rather than by callback: the
 * first step finds the frames and keeps the images locked, the second moves the subscriber positions
 * past what the caller consumed and unlocks.
 */
#include <stdlib.h>
#include <string.h>

#include "atomics.h"
#include "error.h"
#include "subscription.h"

/* Grow an array to hold at least `needed` elements; only ever grows, so polling stops allocating. */
static int abr_frames_reserve(void **array, int *capacity, int needed, size_t element_size)
{
    if (needed <= *capacity)
    {
        return 0;
    }
    void *grown = realloc(*array, (size_t)needed * element_size);
    if (NULL == grown)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for %d polled frames", needed);
    }
    *array = grown;
    *capacity = needed;
    return 0;
}

static int abr_frames_reserve_all(abr_subscription_t *subscription, int fragment_limit)
{
    int frame_capacity = subscription->frame_capacity;
    int visit_capacity = subscription->visit_capacity;
    if (abr_frames_reserve((void **)&subscription->frame_visit, &frame_capacity, fragment_limit, sizeof(int)) < 0)
    {
        return -1;
    }
    frame_capacity = subscription->frame_capacity;
    if (abr_frames_reserve((void **)&subscription->frame_end, &frame_capacity, fragment_limit, sizeof(int64_t)) < 0)
    {
        return -1;
    }
    subscription->frame_capacity = frame_capacity;

    int images = subscription->image_count;
    if (abr_frames_reserve(
        (void **)&subscription->visit_image, &visit_capacity, images, sizeof(abr_image_t *)) < 0)
    {
        return -1;
    }
    visit_capacity = subscription->visit_capacity;
    if (abr_frames_reserve((void **)&subscription->visit_end, &visit_capacity, images, sizeof(int64_t)) < 0)
    {
        return -1;
    }
    subscription->visit_capacity = visit_capacity;
    return 0;
}

/* Scan one image from its subscriber position without moving it; returns the frames added. */
static int abr_frames_scan_image(
    abr_subscription_t *subscription, abr_image_t *image, abr_frame_ref_t *frames, int first, int limit)
{
    int64_t position = abr_get_int64_acquire(image->subscriber_position);
    int32_t offset = (int32_t)(position & image->term_length_mask);
    const int32_t initial_offset = offset;
    /* A position outside the log (a damaged counter) scans nothing: the log has no term for it. */
    const bool in_log = abr_image_position_in_log(image, position);
    const int32_t capacity = in_log ? image->log.term_length : 0;
    const uint8_t *term =
        image->log.terms[in_log ? abr_log_index_by_position(position, image->position_bits_to_shift) : 0];
    int visit = subscription->visit_count;
    int count = 0;

    while (first + count < limit && offset < capacity)
    {
        const uint8_t *frame = term + offset;
        int32_t frame_length = abr_get_int32_acquire(frame);
        /* A frame outside its term (a damaged log) ends the scan as the end of data does: nothing past it is read. */
        if (frame_length <= 0 || !abr_term_frame_fits(frame_length, offset, capacity))
        {
            break;
        }
        offset += abr_align32(frame_length, ABR_FRAME_ALIGNMENT);
        int16_t type;
        memcpy(&type, frame + ABR_FRAME_TYPE_FIELD_OFFSET, sizeof(type));
        if (ABR_HDR_TYPE_PAD == type)
        {
            continue;
        }
        int index = first + count;
        frames[index].frame = frame;
        frames[index].initial_term_id = image->initial_term_id;
        frames[index].position_bits_to_shift = image->position_bits_to_shift;
        subscription->frame_visit[index] = visit;
        subscription->frame_end[index] = position + (offset - initial_offset);
        count++;
    }

    subscription->visit_image[visit] = image;
    subscription->visit_end[visit] = position + (offset - initial_offset);
    subscription->visit_count++;
    return count;
}

int abr_subscription_poll_frames(abr_subscription_t *subscription, abr_frame_ref_t *frames, int fragment_limit)
{
    if (NULL == frames || fragment_limit < 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "poll_frames needs a frames array and a fragment limit >= 0: fragmentLimit=%d%s",
            fragment_limit, NULL == frames ? ", frames=null" : "");
    }
    if (abr_subscription_check(subscription, frames, "poll_frames") < 0 ||
        abr_subscription_lock_images(subscription, "poll_frames") < 0)
    {
        return -1;
    }
    if (abr_frames_reserve_all(subscription, fragment_limit) < 0)
    {
        pthread_mutex_unlock(&subscription->images_lock);
        return -1;
    }

    int found = 0;
    subscription->visit_count = 0;
    int count = subscription->image_count;
    if (count > 0)
    {
        int start = subscription->round_robin_index % count;
        subscription->round_robin_index = (start + 1) % count;
        for (int i = 0; i < count && found < fragment_limit; i++)
        {
            found += abr_frames_scan_image(subscription, subscription->images[(start + i) % count], frames, found,
                fragment_limit);
        }
    }
    subscription->frame_count = found;
    subscription->frames_outstanding = true;
    return found;
}

int abr_subscription_poll_frames_done(abr_subscription_t *subscription, int consumed)
{
    if (NULL == subscription || consumed < 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "poll_frames_done: %s: consumed=%d",
            NULL == subscription ? "subscription must not be null" : "consumed must be >= 0", consumed);
    }
    if (!subscription->frames_outstanding)
    {
        return abr_error_set(
            ABR_ERROR_ILLEGAL_STATE, "poll_frames_done without a poll_frames before it: channel=%s, streamId=%d",
            subscription->channel, subscription->stream_id);
    }

    if (consumed >= subscription->frame_count)
    {
        /* Everything was taken: move past the padding that followed too, as poll does. */
        for (int v = 0; v < subscription->visit_count; v++)
        {
            abr_put_int64_release(subscription->visit_image[v]->subscriber_position, subscription->visit_end[v]);
        }
    }
    else
    {
        /* Frames of one image are contiguous in frames[], in order: the last consumed one of each sets its end. */
        for (int i = 0; i < consumed; i++)
        {
            bool last_of_image = i + 1 == consumed || subscription->frame_visit[i + 1] != subscription->frame_visit[i];
            if (last_of_image)
            {
                abr_image_t *image = subscription->visit_image[subscription->frame_visit[i]];
                abr_put_int64_release(image->subscriber_position, subscription->frame_end[i]);
            }
        }
    }
    subscription->frames_outstanding = false;
    subscription->frame_count = 0;
    subscription->visit_count = 0;
    pthread_mutex_unlock(&subscription->images_lock);
    return 0;
}
