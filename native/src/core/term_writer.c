#include <string.h>

#include "atomics.h"
#include "term_writer.h"

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

/* The negative length goes in first so a reader never takes a half-written header for a frame;
 * the caller publishes the frame by storing its positive length with release afterwards. */
static void abr_term_write_header(
    const uint8_t *default_header, uint8_t *frame, int32_t term_offset, int32_t term_id, int32_t frame_length,
    uint8_t flags, int16_t type)
{
    uint8_t header[ABR_DATA_HEADER_LENGTH];
    memcpy(header, default_header, sizeof(header));
    header[ABR_FRAME_FLAGS_FIELD_OFFSET] = flags;
    memcpy(header + ABR_FRAME_TYPE_FIELD_OFFSET, &type, sizeof(type));
    abr_put_int32(header + ABR_FRAME_TERM_OFFSET_FIELD_OFFSET, term_offset);
    abr_put_int32(header + ABR_FRAME_TERM_ID_FIELD_OFFSET, term_id);
    abr_put_int64(header + ABR_FRAME_RESERVED_VALUE_FIELD_OFFSET, 0);

    abr_put_int32_release(frame, -frame_length);
    abr_fence_release();
    memcpy(frame + 4, header + 4, sizeof(header) - 4);
}

void abr_term_write_message(
    const uint8_t *default_header, uint8_t *term, int32_t term_offset, int32_t term_id, const uint8_t *message,
    int32_t length, int32_t max_payload_length)
{
    int32_t frame_offset = term_offset;
    int32_t remaining = length;
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
        if (chunk > 0)
        {
            memcpy(frame + ABR_DATA_HEADER_LENGTH, message + (length - remaining), (size_t)chunk);
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
