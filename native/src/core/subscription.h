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

    /* Owned by the conductor (under the client lock). */
    abr_image_change_t *changes;
    int change_count;
    int change_capacity;

    int closed;
};

abr_subscription_t *abr_subscription_create(
    abr_client_t *client, const char *channel, int32_t stream_id, int64_t registration_id, int32_t channel_status_id);

/* Conductor side: queue an image to add (taking ownership) or one to remove, then try to apply. */
int abr_subscription_queue_add_image(abr_subscription_t *subscription, abr_image_t *image);
int abr_subscription_queue_remove_image(abr_subscription_t *subscription, int64_t correlation_id);
int abr_subscription_apply_changes(abr_subscription_t *subscription);

/* Unmap every image and free without telling the driver. */
void abr_subscription_release(abr_subscription_t *subscription);

#endif
