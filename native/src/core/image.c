#include <string.h>

#include "atomics.h"
#include "error.h"
#include "image.h"

void abr_image_init(
    abr_image_t *image, const abr_log_buffers_t *log, uint8_t *subscriber_position, int64_t correlation_id,
    int32_t session_id)
{
    image->log = *log;
    image->subscriber_position = subscriber_position;
    image->correlation_id = correlation_id;
    image->session_id = session_id;
    image->initial_term_id = abr_log_initial_term_id(log);
    image->term_length_mask = log->term_length - 1;
    image->position_bits_to_shift = abr_log_position_bits_to_shift(log->term_length);
    image->join_position = abr_get_int64_acquire(subscriber_position);
}

void abr_image_fill_info(const abr_image_t *image, abr_image_info_t *info)
{
    memset(info, 0, sizeof(*info));
    info->correlation_id = image->correlation_id;
    info->session_id = image->session_id;
    info->stream_id = image->stream_id;
    info->initial_term_id = image->initial_term_id;
    info->term_buffer_length = image->log.term_length;
    info->mtu_length = abr_log_mtu_length(&image->log);
    info->subscriber_position_id = image->subscriber_position_id;
    info->position = abr_image_position(image);
    info->end_of_stream = abr_image_is_end_of_stream(image);
    info->source_identity = image->source_identity;
    info->join_position = image->join_position;
}

void abr_image_fill_ref(const abr_image_t *image, abr_image_ref_t *ref)
{
    ref->terms = image->log.terms[0];
    ref->subscriber_position = image->subscriber_position;
    ref->term_length = image->log.term_length;
    ref->initial_term_id = image->initial_term_id;
    ref->position_bits_to_shift = image->position_bits_to_shift;
    ref->session_id = image->session_id;
}

static void abr_image_fill_header(const abr_image_t *image, const uint8_t *frame, int32_t frame_length, abr_header_t *header)
{
    int16_t type;
    memcpy(&type, frame + ABR_FRAME_TYPE_FIELD_OFFSET, sizeof(type));
    header->frame_length = frame_length;
    header->term_offset = abr_get_int32(frame + ABR_FRAME_TERM_OFFSET_FIELD_OFFSET);
    header->session_id = abr_get_int32(frame + ABR_FRAME_SESSION_ID_FIELD_OFFSET);
    header->stream_id = abr_get_int32(frame + ABR_FRAME_STREAM_ID_FIELD_OFFSET);
    header->term_id = abr_get_int32(frame + ABR_FRAME_TERM_ID_FIELD_OFFSET);
    header->initial_term_id = image->initial_term_id;
    header->position_bits_to_shift = image->position_bits_to_shift;
    header->flags = frame[ABR_FRAME_FLAGS_FIELD_OFFSET];
    header->type = type;
    header->reserved_value = abr_get_int64(frame + ABR_FRAME_RESERVED_VALUE_FIELD_OFFSET);
    /* In 64 bits: the frame's own term offset is whatever the log holds, and an int32 sum could overflow. */
    header->position = abr_log_compute_position(header->term_id, 0, image->position_bits_to_shift, image->initial_term_id) +
        (int64_t)header->term_offset + abr_align32(frame_length, ABR_FRAME_ALIGNMENT);
}

/* A subscriber position or frame no driver or publisher writes: report it and read no further. */
static int abr_image_damaged(const abr_image_t *image, int64_t position, int32_t term_offset, int32_t frame_length)
{
    return abr_error_set(
        ABR_ERROR_IO, "image log is damaged: a frame of length %d at termOffset=%d (position=%lld, termLength=%d) does "
        "not fit its term; reading stops there: sessionId=%d, streamId=%d, correlationId=%lld", frame_length,
        term_offset, (long long)position, image->log.term_length, image->session_id, image->stream_id,
        (long long)image->correlation_id);
}

static bool abr_image_is_padding(const uint8_t *frame)
{
    int16_t type;
    memcpy(&type, frame + ABR_FRAME_TYPE_FIELD_OFFSET, sizeof(type));
    return ABR_HDR_TYPE_PAD == type;
}

/* The term offset reading stops before: the term's end, or sooner when limit_position falls within the term. */
static int32_t abr_image_limit_offset(const abr_image_t *image, int64_t position, int32_t offset, int64_t limit_position)
{
    const int32_t capacity = image->log.term_length;
    /* Both are >= 0 here (position >= 0, limit_position > position), so the difference cannot overflow. */
    int64_t remaining = limit_position - position;
    return remaining >= (int64_t)(capacity - offset) ? capacity : offset + (int32_t)remaining;
}

int abr_image_poll(abr_image_t *image, abr_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    return abr_image_bounded_poll(image, handler, clientd, INT64_MAX, fragment_limit);
}

int abr_image_bounded_poll(
    abr_image_t *image, abr_fragment_handler_t handler, void *clientd, int64_t limit_position, int fragment_limit)
{
    int64_t position = abr_get_int64(image->subscriber_position);
    int32_t offset = (int32_t)(position & image->term_length_mask);
    const int32_t initial_offset = offset;
    const int32_t capacity = image->log.term_length;
    abr_header_t header;
    int fragments = 0;
    if (!abr_image_position_in_log(image, position))
    {
        return abr_image_damaged(image, position, offset, 0);
    }
    if (position >= limit_position)
    {
        return 0;
    }
    const int32_t limit_offset = abr_image_limit_offset(image, position, offset, limit_position);
    uint8_t *term = image->log.terms[abr_log_index_by_position(position, image->position_bits_to_shift)];

    while (fragments < fragment_limit && offset < limit_offset)
    {
        const uint8_t *frame = term + offset;
        int32_t frame_length = abr_get_int32_acquire(frame);
        if (frame_length <= 0)
        {
            break;
        }
        if (!abr_term_frame_fits(frame_length, offset, capacity))
        {
            abr_put_int64_release(image->subscriber_position, position + (offset - initial_offset));
            return abr_image_damaged(image, position + (offset - initial_offset), offset, frame_length);
        }
        offset += abr_align32(frame_length, ABR_FRAME_ALIGNMENT);
        if (abr_image_is_padding(frame))
        {
            continue;
        }
        abr_image_fill_header(image, frame, frame_length, &header);
        handler(clientd, frame + ABR_DATA_HEADER_LENGTH, (size_t)(frame_length - ABR_DATA_HEADER_LENGTH), &header);
        fragments++;
    }

    if (offset > initial_offset)
    {
        abr_put_int64_release(image->subscriber_position, position + (offset - initial_offset));
    }
    return fragments;
}

int abr_image_controlled_poll(
    abr_image_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit)
{
    return abr_image_bounded_controlled_poll(image, handler, clientd, INT64_MAX, fragment_limit);
}

int abr_image_bounded_controlled_poll(
    abr_image_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int64_t limit_position,
    int fragment_limit)
{
    int64_t position = abr_get_int64(image->subscriber_position);
    int32_t offset = (int32_t)(position & image->term_length_mask);
    int32_t initial_offset = offset;
    const int32_t capacity = image->log.term_length;
    abr_header_t header;
    int fragments = 0;
    if (!abr_image_position_in_log(image, position))
    {
        return abr_image_damaged(image, position, offset, 0);
    }
    if (position >= limit_position)
    {
        return 0;
    }
    const int32_t limit_offset = abr_image_limit_offset(image, position, offset, limit_position);
    uint8_t *term = image->log.terms[abr_log_index_by_position(position, image->position_bits_to_shift)];

    while (fragments < fragment_limit && offset < limit_offset)
    {
        const uint8_t *frame = term + offset;
        int32_t frame_length = abr_get_int32_acquire(frame);
        if (frame_length <= 0)
        {
            break;
        }
        if (!abr_term_frame_fits(frame_length, offset, capacity))
        {
            abr_put_int64_release(image->subscriber_position, position + (offset - initial_offset));
            return abr_image_damaged(image, position + (offset - initial_offset), offset, frame_length);
        }
        int32_t aligned_length = abr_align32(frame_length, ABR_FRAME_ALIGNMENT);
        offset += aligned_length;
        if (abr_image_is_padding(frame))
        {
            continue;
        }

        fragments++;
        abr_image_fill_header(image, frame, frame_length, &header);
        abr_controlled_action_t action = handler(
            clientd, frame + ABR_DATA_HEADER_LENGTH, (size_t)(frame_length - ABR_DATA_HEADER_LENGTH), &header);
        if (ABR_ACTION_ABORT == action)
        {
            fragments--;
            offset -= aligned_length;
            break;
        }
        if (ABR_ACTION_BREAK == action)
        {
            break;
        }
        if (ABR_ACTION_COMMIT == action)
        {
            position += offset - initial_offset;
            initial_offset = offset;
            abr_put_int64_release(image->subscriber_position, position);
        }
    }

    if (offset > initial_offset)
    {
        abr_put_int64_release(image->subscriber_position, position + (offset - initial_offset));
    }
    return fragments;
}
