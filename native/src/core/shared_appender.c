#include <string.h>

#include "atomics.h"
#include "error.h"
#include "shared_appender.h"
#include "term_writer.h"

int abr_shared_appender_init(abr_shared_appender_t *appender, abr_log_buffers_t *log)
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
    return 0;
}

int64_t abr_shared_appender_position(const abr_shared_appender_t *appender)
{
    int32_t term_count = abr_log_active_term_count(appender->log);
    int64_t raw_tail = abr_get_int64_acquire(
        abr_log_tail_address(appender->log, abr_log_index_by_term_count(term_count)));
    return abr_log_compute_position(
        abr_log_tail_term_id(raw_tail), abr_log_tail_term_offset(raw_tail, appender->term_length),
        appender->position_bits_to_shift, appender->initial_term_id);
}

/* Move the next partition on to the term after term_id, unless another writer did it first. */
static void abr_shared_appender_rotate(abr_shared_appender_t *appender, int32_t term_count, int32_t term_id)
{
    int32_t next_term_id = (int32_t)((uint32_t)term_id + 1);
    int32_t next_term_count = term_count + 1;
    uint8_t *next_tail = abr_log_tail_address(appender->log, abr_log_index_by_term_count(next_term_count));
    int32_t expected_term_id = (int32_t)((uint32_t)next_term_id - ABR_LOG_PARTITION_COUNT);
    int64_t raw_tail;
    do
    {
        raw_tail = abr_get_int64_acquire(next_tail);
        if (abr_log_tail_term_id(raw_tail) != expected_term_id)
        {
            break;
        }
    }
    while (!abr_cas_int64(next_tail, raw_tail, abr_log_pack_tail(next_term_id, 0)));
    abr_cas_int32(appender->log->metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET, term_count, next_term_count);
}

/* The writer whose claim crossed the term's end: pad what is left of it (if this writer is the first past the end)
 * and rotate, ADMIN_ACTION (offer again), or MAX_POSITION_EXCEEDED. Once per term, so kept out of the offer path. */
__attribute__((noinline, cold)) static int64_t abr_shared_appender_end_term(
    abr_shared_appender_t *appender, int32_t term_count, int32_t term_id, int index, int64_t claimed)
{
    abr_log_buffers_t *log = appender->log;
    int32_t claimed_term_id = abr_log_tail_term_id(claimed);
    int64_t term_offset = claimed & 0xFFFFFFFFLL;
    if (term_offset < appender->term_length)
    {
        /* The writer that crossed the end pads the rest of the term; later ones find nothing to pad. */
        abr_term_write_padding(
            appender->default_header, log->terms[index], (int32_t)term_offset, claimed_term_id,
            appender->term_length - (int32_t)term_offset);
    }
    if (abr_log_compute_position(
        claimed_term_id, 0, appender->position_bits_to_shift, appender->initial_term_id) + appender->term_length >=
        appender->max_possible_position)
    {
        return ABR_PUBLICATION_MAX_POSITION_EXCEEDED;
    }
    abr_shared_appender_rotate(appender, term_count, term_id);
    return ABR_PUBLICATION_ADMIN_ACTION;
}

/* At the limit: say why, as io.aeron.Publication does. Kept out of the offer path. */
__attribute__((noinline, cold)) static int64_t abr_shared_appender_back_pressure(
    abr_shared_appender_t *appender, int64_t position, int32_t length)
{
    if (position + abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT) >= appender->max_possible_position)
    {
        return ABR_PUBLICATION_MAX_POSITION_EXCEEDED;
    }
    return abr_log_is_connected(appender->log) ? ABR_PUBLICATION_BACK_PRESSURED : ABR_PUBLICATION_NOT_CONNECTED;
}

/*
 * The common path of offer and claim: check the limit, claim framed_length bytes of the active term and
 * return the term offset they start at (>= 0), or a negative publication result. *term_id_out and
 * *index_out are the term and the partition the range belongs to.
 */
static inline int64_t abr_shared_appender_reserve(
    abr_shared_appender_t *appender, int64_t limit, int32_t length, int32_t framed_length, int32_t *term_id_out,
    int *index_out)
{
    abr_log_buffers_t *log = appender->log;
    int32_t term_count = abr_log_active_term_count(log);
    int index = abr_log_index_by_term_count(term_count);
    uint8_t *tail = abr_log_tail_address(log, index);
    int64_t raw_tail = abr_get_int64_acquire(tail);
    int32_t term_id = abr_log_tail_term_id(raw_tail);
    if (term_count != abr_log_term_count(term_id, appender->initial_term_id))
    {
        /* Another writer is half way through rotating: its next offer, or ours, will see the new term. */
        return ABR_PUBLICATION_ADMIN_ACTION;
    }

    int64_t position = abr_log_compute_position(
        term_id, abr_log_tail_term_offset(raw_tail, appender->term_length), appender->position_bits_to_shift,
        appender->initial_term_id);
    if (position >= limit)
    {
        return abr_shared_appender_back_pressure(appender, position, length);
    }

    int64_t claimed = abr_get_and_add_int64(tail, framed_length);
    /* The offset half can run past the term length (every late writer adds to it), so keep it 64-bit. */
    int64_t term_offset = claimed & 0xFFFFFFFFLL;
    if (term_offset + framed_length > appender->term_length)
    {
        return abr_shared_appender_end_term(appender, term_count, term_id, index, claimed);
    }
    *term_id_out = abr_log_tail_term_id(claimed);
    *index_out = index;
    return term_offset;
}

static int64_t abr_shared_appender_end_position(
    const abr_shared_appender_t *appender, int32_t term_id, int64_t term_offset, int32_t framed_length)
{
    return abr_log_compute_position(
        term_id, (int32_t)term_offset + framed_length, appender->position_bits_to_shift, appender->initial_term_id);
}

int64_t abr_shared_appender_offer(
    abr_shared_appender_t *appender, int64_t limit, const uint8_t *message, int32_t length)
{
    if (length > appender->max_payload_length)
    {
        abr_iovec_t vector = { message, (size_t)length };
        return abr_shared_appender_offer_vectors(appender, limit, &vector, 1, length);
    }
    /* One frame: the common case, written without the fragmenting loop. */
    int32_t framed_length = abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    int32_t term_id = 0;
    int index = 0;
    int64_t term_offset = abr_shared_appender_reserve(appender, limit, length, framed_length, &term_id, &index);
    if (term_offset < 0)
    {
        return term_offset;
    }
    abr_term_write_unfragmented(
        appender->default_header, appender->log->terms[index], (int32_t)term_offset, term_id, message, length);
    return abr_shared_appender_end_position(appender, term_id, term_offset, framed_length);
}

int64_t abr_shared_appender_offer_vectors(
    abr_shared_appender_t *appender, int64_t limit, const abr_iovec_t *vectors, size_t vector_count, int32_t length)
{
    int32_t framed_length = abr_term_framed_length(length, appender->max_payload_length);
    int32_t term_id = 0;
    int index = 0;
    int64_t term_offset = abr_shared_appender_reserve(appender, limit, length, framed_length, &term_id, &index);
    if (term_offset < 0)
    {
        return term_offset;
    }
    abr_term_write_vectors(
        appender->default_header, appender->log->terms[index], (int32_t)term_offset, term_id, vectors, vector_count,
        length, appender->max_payload_length);
    return abr_shared_appender_end_position(appender, term_id, term_offset, framed_length);
}

int64_t abr_shared_appender_claim(
    abr_shared_appender_t *appender, int64_t limit, int32_t length, abr_buffer_claim_t *claim)
{
    int32_t framed_length = abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    int32_t term_id = 0;
    int index = 0;
    int64_t term_offset = abr_shared_appender_reserve(appender, limit, length, framed_length, &term_id, &index);
    if (term_offset < 0)
    {
        return term_offset;
    }
    abr_term_write_claim(
        appender->default_header, appender->log->terms[index], (int32_t)term_offset, term_id, length, claim);
    return abr_shared_appender_end_position(appender, term_id, term_offset, framed_length);
}
