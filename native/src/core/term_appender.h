/*
 * Appending messages to a log as an exclusive publisher: the only writer, so the tail is ours
 * and needs no compare-and-set.
 */
#ifndef ABR_CORE_TERM_APPENDER_H
#define ABR_CORE_TERM_APPENDER_H

#include <stddef.h>
#include <stdint.h>

#include "abr/abr_client.h"
#include "log_buffers.h"

/* Negative results, with the values of io.aeron.Publication (the same as abr_client.h's). */
#define ABR_APPEND_ADMIN_ACTION (-3)
#define ABR_APPEND_MAX_POSITION_EXCEEDED (-5)

typedef struct abr_term_appender_stct
{
    abr_log_buffers_t *log;
    uint8_t default_header[ABR_DATA_HEADER_LENGTH];
    int32_t term_length;
    int32_t initial_term_id;
    int32_t term_id;
    int32_t term_offset;
    int active_index;
    int position_bits_to_shift;
    int64_t term_begin_position;
    int32_t max_payload_length;
    int32_t max_message_length;
    int64_t max_possible_position;
}
abr_term_appender_t;

/* Take up the log where its tail is. */
int abr_term_appender_init(abr_term_appender_t *appender, abr_log_buffers_t *log);

/* The new stream position (> 0), or ABR_APPEND_ADMIN_ACTION when the term was full and has been
 * rotated (offer again), or ABR_APPEND_MAX_POSITION_EXCEEDED. length must be <= max_message_length. */
int64_t abr_term_appender_append(abr_term_appender_t *appender, const uint8_t *message, int32_t length);

/* As append, for a message gathered from vectors whose lengths add up to length. */
int64_t abr_term_appender_append_vectors(
    abr_term_appender_t *appender, const abr_iovec_t *vectors, size_t vector_count, int32_t length);

/* As append, for one unfragmented frame of length (<= max payload) left for the caller to fill and commit. */
int64_t abr_term_appender_claim(abr_term_appender_t *appender, int32_t length, abr_buffer_claim_t *claim);

static inline int64_t abr_term_appender_position(const abr_term_appender_t *appender)
{
    return appender->term_begin_position + appender->term_offset;
}

#endif
