#include <string.h>

#include "atomics.h"
#include "error.h"
#include "term_writer.h"

bool abr_term_vectors_length(const abr_iovec_t *vectors, size_t vector_count, size_t *length, const char *what)
{
    if (NULL == vectors && vector_count > 0)
    {
        abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: vectors=null with vector_count=%zu", what, vector_count);
        return false;
    }
    size_t total = 0;
    for (size_t i = 0; i < vector_count; i++)
    {
        if (NULL == vectors[i].base && vectors[i].length > 0)
        {
            abr_error_set(
                ABR_ERROR_INVALID_ARGUMENT, "%s: vector %zu has base=null and length=%zu", what, i, vectors[i].length);
            return false;
        }
        if (vectors[i].length > SIZE_MAX - total)
        {
            abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: the vectors' total length overflows", what);
            return false;
        }
        total += vectors[i].length;
    }
    *length = total;
    return true;
}

int32_t abr_term_framed_length(int32_t length, int32_t max_payload_length)
{
    if (length <= max_payload_length)
    {
        return abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    }
    int32_t full_frames = length / max_payload_length;
    int32_t remainder = length % max_payload_length;
    int32_t last = remainder > 0 ? abr_align32(remainder + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT) : 0;
    return full_frames * (max_payload_length + ABR_DATA_HEADER_LENGTH) + last;
}

void abr_term_write_message(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, const uint8_t *message,
    int32_t length, int32_t max_payload_length)
{
    abr_iovec_t vector = { message, (size_t)length };
    abr_term_write_vectors(default_header, term, term_offset, term_id, &vector, 1, length, max_payload_length);
}

void abr_term_write_vectors(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, const abr_iovec_t *vectors,
    size_t vector_count, int32_t length, int32_t max_payload_length)
{
    int32_t frame_offset = term_offset;
    int32_t remaining = length;
    size_t vector = 0;
    size_t vector_offset = 0;
    uint8_t flags = ABR_FRAME_BEGIN_FLAGS;
    do
    {
        int32_t chunk = remaining < max_payload_length ? remaining : max_payload_length;
        int32_t frame_length = chunk + ABR_DATA_HEADER_LENGTH;
        if (remaining <= max_payload_length)
        {
            flags |= ABR_FRAME_END_FLAGS;
        }

        uint8_t *frame = term + frame_offset;
        abr_term_write_header(default_header, frame, frame_offset, term_id, frame_length, flags, ABR_HDR_TYPE_DATA);
        /* Fill the frame's payload from as many vectors as it spans. */
        size_t written = 0;
        while (written < (size_t)chunk && vector < vector_count)
        {
            size_t available = vectors[vector].length - vector_offset;
            size_t wanted = (size_t)chunk - written;
            size_t take = available < wanted ? available : wanted;
            if (take > 0)
            {
                memcpy(frame + ABR_DATA_HEADER_LENGTH + written, vectors[vector].base + vector_offset, take);
            }
            written += take;
            vector_offset += take;
            if (vector_offset == vectors[vector].length)
            {
                vector++;
                vector_offset = 0;
            }
        }
        abr_put_int32_release(frame, frame_length);

        flags = 0;
        frame_offset += abr_align32(frame_length, ABR_FRAME_ALIGNMENT);
        remaining -= chunk;
    }
    while (remaining > 0);
}

void abr_term_write_padding(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, int32_t padding_length)
{
    uint8_t *frame = term + term_offset;
    abr_term_write_header(
        default_header, frame, term_offset, term_id, padding_length, ABR_FRAME_UNFRAGMENTED_FLAGS, ABR_HDR_TYPE_PAD);
    abr_put_int32_release(frame, padding_length);
}

void abr_term_write_claim(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, int32_t length,
    abr_buffer_claim_t *claim)
{
    uint8_t *frame = term + term_offset;
    abr_term_write_header(
        default_header, frame, term_offset, term_id, length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_UNFRAGMENTED_FLAGS,
        ABR_HDR_TYPE_DATA);
    claim->frame_header = frame;
    claim->data = frame + ABR_DATA_HEADER_LENGTH;
    claim->length = (size_t)length;
}
