/*
 * Writing frames into a term: the part of appending that exclusive and concurrent publications
 * share once they own a range of the term (by plain store or by fetch-and-add on the tail).
 */
#ifndef ABR_CORE_TERM_WRITER_H
#define ABR_CORE_TERM_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "abr/abr_client.h"
#include "atomics.h"
#include "log_buffers.h"

/* FrameDescriptor.computeMaxMessageLength: an eighth of a term, at most 16 MiB. */
static inline int32_t abr_term_max_message_length(int32_t term_length)
{
    return term_length / 8 < ABR_MAX_MESSAGE_LENGTH ? term_length / 8 : ABR_MAX_MESSAGE_LENGTH;
}

/* LogBufferDescriptor.computeMaxPossiblePosition: 2^31 terms. */
static inline int64_t abr_term_max_possible_position(int32_t term_length)
{
    return (int64_t)term_length * ((int64_t)1 << 31);
}

/* The total length of a vectored message into *length: false (error set, naming what) when vectors is NULL
 * with a count, a part has a NULL base and a length, or the total overflows. */
bool abr_term_vectors_length(const abr_iovec_t *vectors, size_t vector_count, size_t *length, const char *what);

/* The framed (aligned, header-carrying) length a message of this length takes in a term. */
int32_t abr_term_framed_length(int32_t length, int32_t max_payload_length);

/* The negative length goes in first so a reader never takes a half-written header for a frame; the caller
 * publishes the frame by storing its positive length with release afterwards. The fields are written
 * straight into the frame: building the header elsewhere and copying it stalls on store forwarding.
 * Here rather than in term_writer.c so the appenders' offer paths can inline it. */
static inline void abr_term_write_header(
    const uint8_t *default_header, uint8_t *frame, int32_t term_offset, int32_t term_id, int32_t frame_length,
    uint8_t flags, int16_t type)
{
    abr_put_int32_release(frame, -frame_length);
    abr_fence_release();
    memcpy(frame + 4, default_header + 4, ABR_DATA_HEADER_LENGTH - 4);
    frame[ABR_FRAME_FLAGS_FIELD_OFFSET] = flags;
    memcpy(frame + ABR_FRAME_TYPE_FIELD_OFFSET, &type, sizeof(type));
    abr_put_int32(frame + ABR_FRAME_TERM_OFFSET_FIELD_OFFSET, term_offset);
    abr_put_int32(frame + ABR_FRAME_TERM_ID_FIELD_OFFSET, term_id);
    abr_put_int64(frame + ABR_FRAME_RESERVED_VALUE_FIELD_OFFSET, 0);
}

/*
 * Write a message that fits in one frame (length <= max payload) at term_offset, in a range the caller owns:
 * the common case of offer, inlined into the appenders so that a small message costs one header, one copy and
 * one release store, without the vector and fragmentation loop of abr_term_write_vectors.
 */
static inline void abr_term_write_unfragmented(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, const uint8_t *message,
    int32_t length)
{
    uint8_t *frame = term + term_offset;
    int32_t frame_length = length + ABR_DATA_HEADER_LENGTH;
    abr_term_write_header(
        default_header, frame, term_offset, term_id, frame_length, ABR_FRAME_UNFRAGMENTED_FLAGS, ABR_HDR_TYPE_DATA);
    memcpy(frame + ABR_DATA_HEADER_LENGTH, message, (size_t)length);
    abr_put_int32_release(frame, frame_length);
}

/* Write a message as one or more frames from term_offset; the range must be owned by the caller. */
void abr_term_write_message(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, const uint8_t *message,
    int32_t length, int32_t max_payload_length);

/* The same for a message gathered from vectors whose lengths add up to length. */
void abr_term_write_vectors(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, const abr_iovec_t *vectors,
    size_t vector_count, int32_t length, int32_t max_payload_length);

/* Fill the rest of a term from term_offset with one padding frame, so readers skip to the next term. */
void abr_term_write_padding(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, int32_t padding_length);

/* Write the header of a claimed frame (its length still negative, so readers wait) and fill the claim. */
void abr_term_write_claim(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, int32_t length,
    abr_buffer_claim_t *claim);

#endif
