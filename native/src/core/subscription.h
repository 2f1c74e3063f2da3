#ifndef ABR_CORE_SUBSCRIPTION_H
#define ABR_CORE_SUBSCRIPTION_H

#include <pthread.h>

#include "abr/abr_client.h"
#include "image.h"

typedef struct abr_image_change_stct
{
    abr_image_t *added;
    int64_t removed_correlation_id;
}
abr_image_change_t;

struct abr_subscription_stct
{
    abr_client_t *client;
    abr_subscription_t *next;
    char *channel;
    int32_t stream_id;
    int64_t registration_id;
    int32_t channel_status_id;

    /* Guards images: poll takes it once per call. The conductor only ever try-locks it, queueing
     * changes in `changes` meanwhile, so a handler calling back into the client cannot deadlock. */
    pthread_mutex_t images_lock;
    abr_image_t **images;
    int image_count;
    int image_capacity;
    int round_robin_index;

    /* For lock-free polls of cached image refs (abr_subscription_poll_guard): the version changes under images_lock
     * with the image list, and with a close. Images taken off the list wait on `retired` (owned by the conductor, under
     * the client's lock) until pollers has been seen at 0 after the change that took them off. */
    abr_subscription_poll_guard_t guard;
    abr_image_t *retired;

    /* Called by the conductor as images come and go; set before the subscription is published. */
    abr_image_handler_t on_available_image;
    void *available_clientd;
    abr_image_handler_t on_unavailable_image;
    void *unavailable_clientd;

    /* Two-step polling (poll_frames, then poll_frames_done): what the first step found, per frame and per
     * image visited. images_lock stays held between the steps. */
    bool frames_outstanding;
    int frame_count;
    int frame_capacity;
    int *frame_visit;
    int64_t *frame_end;
    int visit_count;
    int visit_capacity;
    abr_image_t **visit_image;
    int64_t *visit_end;

    /* Owned by the conductor (under the client lock). */
    abr_image_change_t *changes;
    int change_count;
    int change_capacity;

    int closed;
    /* Given up by the library (discarded_handles.h): freed by the conductor after free_deadline_ns. */
    bool discarded;
    int64_t free_deadline_ns;
};

abr_subscription_t *abr_subscription_create(
    abr_client_t *client, const char *channel, int32_t stream_id, int64_t registration_id, int32_t channel_status_id);

/* Conductor side: queue an image to add (taking ownership) or one to remove, then try to apply. */
int abr_subscription_queue_add_image(abr_subscription_t *subscription, abr_image_t *image);
int abr_subscription_queue_remove_image(abr_subscription_t *subscription, int64_t correlation_id);
int abr_subscription_apply_changes(abr_subscription_t *subscription);

/* Under the client's lock: the image list (or the subscription's state) changed; lock-free polls refresh their refs. */
void abr_subscription_images_changed(abr_subscription_t *subscription);

/* Under the client's lock: unmap the retired images if no lock-free poll is running; how many were unmapped. */
int abr_subscription_reclaim(abr_subscription_t *subscription);

/* Whether a lock-free poll is running now (a client's close waits for none before it unmaps). */
bool abr_subscription_has_pollers(abr_subscription_t *subscription);

/* Take images_lock for the calling thread; -1 with ABR_ERROR_ILLEGAL_STATE when it already holds it. */
int abr_subscription_lock_images(abr_subscription_t *subscription, const char *what);

/* Arguments and state every poll (what) checks: 0, or -1 with the error set. handler is the caller's second pointer
 * argument, already checked when it is not a handler. */
int abr_subscription_check(abr_subscription_t *subscription, const void *handler, const char *what);

/* With images_lock held: leave it held for the caller that reads the images itself, until poll_images_done (or a
 * close meanwhile) releases it, as poll_images does. */
void abr_subscription_hold_images(abr_subscription_t *subscription);

/* Conductor side: describe the image of this correlation id (queued or in use); false when unknown. */
bool abr_subscription_describe_image(abr_subscription_t *subscription, int64_t correlation_id, abr_image_info_t *info);

/* Close with images_lock and the client's lock held (abr_subscription_close takes both, images first): tell the
 * driver, report the images unavailable, keep the handle. */
int abr_subscription_close_locked(abr_subscription_t *subscription);

/* Unmap every image and free without telling the driver. */
void abr_subscription_release(abr_subscription_t *subscription);

#endif
