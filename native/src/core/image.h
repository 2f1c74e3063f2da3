/*
 * One publisher's stream as a subscription sees it: a mapped log read from the subscriber
 * position, which the driver reads back for flow control.
 */
#ifndef ABR_CORE_IMAGE_H
#define ABR_CORE_IMAGE_H

#include <stdint.h>

#include "abr/abr_client.h"
#include "log_buffers.h"

typedef struct abr_image_stct
{
    abr_log_buffers_t log;
    uint8_t *subscriber_position;
    int64_t correlation_id;
    int32_t session_id;
    int32_t initial_term_id;
    int32_t term_length_mask;
    int position_bits_to_shift;
}
abr_image_t;

/* Over a log already mapped or wrapped; subscriber_position is the position counter's address. */
void abr_image_init(
    abr_image_t *image, const abr_log_buffers_t *log, uint8_t *subscriber_position, int64_t correlation_id,
    int32_t session_id);

int abr_image_poll(abr_image_t *image, abr_fragment_handler_t handler, void *clientd, int fragment_limit);

int abr_image_controlled_poll(
    abr_image_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit);

static inline int64_t abr_image_position(const abr_image_t *image)
{
    return abr_get_int64_acquire(image->subscriber_position);
}

#endif
