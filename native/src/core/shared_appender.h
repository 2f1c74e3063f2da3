/*
 * Appending to a log that several publishers share (a concurrent publication): each offer claims its
 * range of the term by fetch-and-add on the term's tail, so writers never wait for one another.
 * Everything an offer needs is read from the log each time: no state of its own but constants.
 */
#ifndef ABR_CORE_SHARED_APPENDER_H
#define ABR_CORE_SHARED_APPENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_client.h"
#include "log_buffers.h"

typedef struct abr_shared_appender_stct
{
    abr_log_buffers_t *log;
    uint8_t default_header[ABR_DATA_HEADER_LENGTH];
    int32_t term_length;
    int32_t initial_term_id;
    int position_bits_to_shift;
    int32_t max_payload_length;
    int32_t max_message_length;
    int64_t max_possible_position;
}
abr_shared_appender_t;

int abr_shared_appender_init(abr_shared_appender_t *appender, abr_log_buffers_t *log);

/* The stream position of the active term's tail. */
int64_t abr_shared_appender_position(const abr_shared_appender_t *appender);

/*
 * Append a message of length <= max_message_length when the tail is below limit (the publisher limit).
 * Returns the new position, or ABR_PUBLICATION_NOT_CONNECTED / BACK_PRESSURED / ADMIN_ACTION (the term
 * filled up or is being rotated: offer again) / MAX_POSITION_EXCEEDED.
 */
int64_t abr_shared_appender_offer(
    abr_shared_appender_t *appender, int64_t limit, const uint8_t *message, int32_t length);

/* As offer, for a message gathered from vectors whose lengths add up to length. */
int64_t abr_shared_appender_offer_vectors(
    abr_shared_appender_t *appender, int64_t limit, const abr_iovec_t *vectors, size_t vector_count, int32_t length);

/* As offer, for one frame of length <= max_payload_length that the caller fills and commits. */
int64_t abr_shared_appender_claim(
    abr_shared_appender_t *appender, int64_t limit, int32_t length, abr_buffer_claim_t *claim);

#endif
