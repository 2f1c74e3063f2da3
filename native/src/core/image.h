/*
 * One publisher's stream as a subscription sees it: a mapped log read from the subscriber
 * position, which the driver reads back for flow control.
 */
#ifndef ABR_CORE_IMAGE_H
#define ABR_CORE_IMAGE_H

#include <stdint.h>

#include "abr/abr_client.h"
#include "log_buffers.h"

/* Enough for any source identity the driver reports (an address and port, or "aeron:ipc"). */
#define ABR_IMAGE_SOURCE_IDENTITY_MAX_LENGTH 128

typedef struct abr_image_stct
{
    abr_log_buffers_t log;
    uint8_t *subscriber_position;
    int64_t correlation_id;
    /* The subscriber position when the image came, as io.aeron.Image reads it at construction. */
    int64_t join_position;
    int32_t session_id;
    int32_t stream_id;
    int32_t subscriber_position_id;
    char source_identity[ABR_IMAGE_SOURCE_IDENTITY_MAX_LENGTH];
    int32_t initial_term_id;
    int32_t term_length_mask;
    int position_bits_to_shift;
    /* On its subscription's retired list: off the image list, still mapped for a lock-free poll that may read it. */
    struct abr_image_stct *next_retired;
}
abr_image_t;

/* Over a log already mapped or wrapped; subscriber_position is the position counter's address. */
void abr_image_init(
    abr_image_t *image, const abr_log_buffers_t *log, uint8_t *subscriber_position, int64_t correlation_id,
    int32_t session_id);

/* Fragments handed over; -1 with ABR_ERROR_IO when the subscriber position or a frame could only come from a damaged
 * log (the position stays before that frame, nothing outside the term is read). */
int abr_image_poll(abr_image_t *image, abr_fragment_handler_t handler, void *clientd, int fragment_limit);

int abr_image_controlled_poll(
    abr_image_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit);

/* As the polls above, reading no fragment that starts at or past limit_position (Image.boundedPoll). */
int abr_image_bounded_poll(
    abr_image_t *image, abr_fragment_handler_t handler, void *clientd, int64_t limit_position, int fragment_limit);
int abr_image_bounded_controlled_poll(
    abr_image_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int64_t limit_position,
    int fragment_limit);

/* The log's end of stream position (LogBufferDescriptor.endOfStreamPosition): INT64_MAX while the publisher is open. */
static inline int64_t abr_image_end_of_stream_position(const abr_image_t *image)
{
    return abr_get_int64_acquire(image->log.metadata + ABR_LOG_END_OF_STREAM_POSITION_OFFSET);
}

/* As io.aeron.Image.isEndOfStream: the subscriber has consumed everything up to the end of the stream. */
static inline bool abr_image_is_end_of_stream(const abr_image_t *image)
{
    return abr_get_int64_acquire(image->subscriber_position) >= abr_image_end_of_stream_position(image);
}

void abr_image_fill_info(const abr_image_t *image, abr_image_info_t *info);

/* Where the image's terms and subscriber position are, for a caller that reads the terms itself. */
void abr_image_fill_ref(const abr_image_t *image, abr_image_ref_t *ref);

/*
 * Whether a subscriber position can be one of this log's: term ids are 32-bit, so no term starts more than INT32_MAX
 * terms in (at most 2^61 bytes, with 1 GiB terms). A position outside that range is a damaged counter, not read from;
 * within it, adding a term length or less cannot overflow.
 */
static inline bool abr_image_position_in_log(const abr_image_t *image, int64_t position)
{
    return position >= 0 && position <= ((int64_t)INT32_MAX << image->position_bits_to_shift);
}

static inline int64_t abr_image_position(const abr_image_t *image)
{
    return abr_get_int64_acquire(image->subscriber_position);
}

#endif
