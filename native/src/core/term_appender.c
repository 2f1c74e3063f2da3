#include <string.h>

#include "atomics.h"
#include "error.h"
#include "term_appender.h"
#include "term_writer.h"

int abr_term_appender_init(abr_term_appender_t *appender, abr_log_buffers_t *log)
{
    memset(appender, 0, sizeof(*appender));
    int32_t header_length = abr_get_int32(log->metadata + ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET);
    if (ABR_DATA_HEADER_LENGTH != header_length)
    {
        return abr_error_set(ABR_ERROR_IO, "log has an unexpected default frame header length: %d", header_length);
    }
    memcpy(appender->default_header, log->metadata + ABR_LOG_DEFAULT_FRAME_HEADER_OFFSET, ABR_DATA_HEADER_LENGTH);

    appender->log = log;
    appender->term_length = log->term_length;
    appender->initial_term_id = abr_log_initial_term_id(log);
    appender->position_bits_to_shift = abr_log_position_bits_to_shift(log->term_length);
    appender->max_payload_length = abr_log_mtu_length(log) - ABR_DATA_HEADER_LENGTH;
    appender->max_message_length = abr_term_max_message_length(log->term_length);
    appender->max_possible_position = abr_term_max_possible_position(log->term_length);

    int32_t term_count = abr_log_active_term_count(log);
    appender->active_index = abr_log_index_by_term_count(term_count);
    int64_t raw_tail = abr_get_int64_acquire(abr_log_tail_address(log, appender->active_index));
    appender->term_id = abr_log_tail_term_id(raw_tail);
    appender->term_offset = abr_log_tail_term_offset(raw_tail, log->term_length);
    appender->term_begin_position = abr_log_compute_position(
        appender->term_id, 0, appender->position_bits_to_shift, appender->initial_term_id);
    return 0;
}

static void abr_term_appender_pad_to_end(abr_term_appender_t *appender, uint8_t *term)
{
    int32_t offset = appender->term_offset;
    if (offset < appender->term_length)
    {
        abr_term_write_padding(
            appender->default_header, term, offset, appender->term_id, appender->term_length - offset);
    }
}

static void abr_term_appender_rotate(abr_term_appender_t *appender)
{
    int next_index = (appender->active_index + 1) % ABR_LOG_PARTITION_COUNT;
    appender->term_id = (int32_t)((uint32_t)appender->term_id + 1);
    appender->term_offset = 0;
    appender->term_begin_position += appender->term_length;
    appender->active_index = next_index;

    int32_t term_count = abr_log_term_count(appender->term_id, appender->initial_term_id);
    abr_put_int64(abr_log_tail_address(appender->log, next_index), abr_log_pack_tail(appender->term_id, 0));
    abr_put_int32_release(appender->log->metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET, term_count);
}

/* The offer that met the term's end: pad the rest of the term and rotate, ADMIN_ACTION (offer again), or
 * MAX_POSITION_EXCEEDED at the end of the stream. Once per term, so kept out of the offer path. */
__attribute__((noinline, cold)) static int64_t abr_term_appender_end_term(abr_term_appender_t *appender)
{
    abr_term_appender_pad_to_end(appender, appender->log->terms[appender->active_index]);
    if (appender->term_begin_position + appender->term_length >= appender->max_possible_position)
    {
        return ABR_APPEND_MAX_POSITION_EXCEEDED;
    }
    abr_term_appender_rotate(appender);
    return ABR_APPEND_ADMIN_ACTION;
}

/* Move the tail past framed_length bytes; 0 when they fit in the term, else the term is padded and rotated
 * and the result is ADMIN_ACTION (or MAX_POSITION_EXCEEDED at the end of the stream). */
static inline int64_t abr_term_appender_reserve(abr_term_appender_t *appender, int32_t framed_length)
{
    int32_t resulting_offset = appender->term_offset + framed_length;

    /* The tail moves first, so the driver sees the claim before any frame (as a publisher does). */
    abr_put_int64_release(
        abr_log_tail_address(appender->log, appender->active_index),
        abr_log_pack_tail(appender->term_id, resulting_offset));

    if (resulting_offset > appender->term_length)
    {
        return abr_term_appender_end_term(appender);
    }
    return 0;
}

int64_t abr_term_appender_append(abr_term_appender_t *appender, const uint8_t *message, int32_t length)
{
    if (length > appender->max_payload_length)
    {
        abr_iovec_t vector = { message, (size_t)length };
        return abr_term_appender_append_vectors(appender, &vector, 1, length);
    }
    /* One frame: the common case, written without the fragmenting loop. */
    int32_t framed_length = abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    int64_t reserved = abr_term_appender_reserve(appender, framed_length);
    if (reserved < 0)
    {
        return reserved;
    }
    abr_term_write_unfragmented(
        appender->default_header, appender->log->terms[appender->active_index], appender->term_offset,
        appender->term_id, message, length);
    appender->term_offset += framed_length;
    return appender->term_begin_position + appender->term_offset;
}

int64_t abr_term_appender_append_vectors(
    abr_term_appender_t *appender, const abr_iovec_t *vectors, size_t vector_count, int32_t length)
{
    int32_t framed_length = abr_term_framed_length(length, appender->max_payload_length);
    int64_t reserved = abr_term_appender_reserve(appender, framed_length);
    if (reserved < 0)
    {
        return reserved;
    }
    abr_term_write_vectors(
        appender->default_header, appender->log->terms[appender->active_index], appender->term_offset,
        appender->term_id, vectors, vector_count, length, appender->max_payload_length);
    appender->term_offset += framed_length;
    return appender->term_begin_position + appender->term_offset;
}

int64_t abr_term_appender_claim(abr_term_appender_t *appender, int32_t length, abr_buffer_claim_t *claim)
{
    int32_t framed_length = abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    int64_t reserved = abr_term_appender_reserve(appender, framed_length);
    if (reserved < 0)
    {
        return reserved;
    }
    abr_term_write_claim(
        appender->default_header, appender->log->terms[appender->active_index], appender->term_offset,
        appender->term_id, length, claim);
    appender->term_offset += framed_length;
    return appender->term_begin_position + appender->term_offset;
}
