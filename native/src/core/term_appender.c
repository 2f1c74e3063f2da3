#include <string.h>

#include "atomics.h"
#include "error.h"
#include "term_appender.h"

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
    /* FrameDescriptor.computeMaxMessageLength: an eighth of a term, at most 16 MiB. */
    appender->max_message_length =
        log->term_length / 8 < ABR_MAX_MESSAGE_LENGTH ? log->term_length / 8 : ABR_MAX_MESSAGE_LENGTH;
    appender->max_possible_position = (int64_t)log->term_length * ((int64_t)1 << 31);

    int32_t term_count = abr_log_active_term_count(log);
    appender->active_index = abr_log_index_by_term_count(term_count);
    int64_t raw_tail = abr_get_int64_acquire(abr_log_tail_address(log, appender->active_index));
    appender->term_id = abr_log_tail_term_id(raw_tail);
    appender->term_offset = abr_log_tail_term_offset(raw_tail, log->term_length);
    appender->term_begin_position = abr_log_compute_position(
        appender->term_id, 0, appender->position_bits_to_shift, appender->initial_term_id);
    return 0;
}

/* Everything but the length goes in first; the length, stored last with release, publishes the frame. */
static void abr_term_appender_write_header(
    abr_term_appender_t *appender, uint8_t *frame, int32_t offset, int32_t frame_length, uint8_t flags, int16_t type)
{
    uint8_t header[ABR_DATA_HEADER_LENGTH];
    memcpy(header, appender->default_header, sizeof(header));
    abr_put_int32(header + ABR_FRAME_LENGTH_FIELD_OFFSET, -frame_length);
    header[ABR_FRAME_FLAGS_FIELD_OFFSET] = flags;
    memcpy(header + ABR_FRAME_TYPE_FIELD_OFFSET, &type, sizeof(type));
    abr_put_int32(header + ABR_FRAME_TERM_OFFSET_FIELD_OFFSET, offset);
    abr_put_int32(header + ABR_FRAME_TERM_ID_FIELD_OFFSET, appender->term_id);
    abr_put_int64(header + ABR_FRAME_RESERVED_VALUE_FIELD_OFFSET, 0);

    abr_put_int32_release(frame, -frame_length);
    abr_fence_release();
    memcpy(frame + 4, header + 4, sizeof(header) - 4);
}

static void abr_term_appender_pad_to_end(abr_term_appender_t *appender, uint8_t *term)
{
    int32_t offset = appender->term_offset;
    if (offset < appender->term_length)
    {
        int32_t padding = appender->term_length - offset;
        abr_term_appender_write_header(
            appender, term + offset, offset, padding, ABR_FRAME_UNFRAGMENTED_FLAGS, ABR_HDR_TYPE_PAD);
        abr_put_int32_release(term + offset, padding);
    }
}

static void abr_term_appender_rotate(abr_term_appender_t *appender)
{
    int next_index = (appender->active_index + 1) % ABR_LOG_PARTITION_COUNT;
    appender->term_id++;
    appender->term_offset = 0;
    appender->term_begin_position += appender->term_length;
    appender->active_index = next_index;

    int32_t term_count = appender->term_id - appender->initial_term_id;
    abr_put_int64(abr_log_tail_address(appender->log, next_index), abr_log_pack_tail(appender->term_id, 0));
    abr_put_int32_release(appender->log->metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET, term_count);
}

static int32_t abr_term_appender_framed_length(const abr_term_appender_t *appender, int32_t length)
{
    int32_t max_payload = appender->max_payload_length;
    if (length <= max_payload)
    {
        return abr_align32(length + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT);
    }
    int32_t full_frames = length / max_payload;
    int32_t remainder = length % max_payload;
    int32_t last = remainder > 0 ? abr_align32(remainder + ABR_DATA_HEADER_LENGTH, ABR_FRAME_ALIGNMENT) : 0;
    return full_frames * (max_payload + ABR_DATA_HEADER_LENGTH) + last;
}

int64_t abr_term_appender_append(abr_term_appender_t *appender, const uint8_t *message, int32_t length)
{
    uint8_t *term = appender->log->terms[appender->active_index];
    int32_t framed_length = abr_term_appender_framed_length(appender, length);
    int32_t resulting_offset = appender->term_offset + framed_length;

    /* The tail moves first, so the driver sees the claim before any frame (as a publisher does). */
    abr_put_int64_release(
        abr_log_tail_address(appender->log, appender->active_index),
        abr_log_pack_tail(appender->term_id, resulting_offset));

    if (resulting_offset > appender->term_length)
    {
        abr_term_appender_pad_to_end(appender, term);
        if (appender->term_begin_position + appender->term_length >= appender->max_possible_position)
        {
            return ABR_APPEND_MAX_POSITION_EXCEEDED;
        }
        abr_term_appender_rotate(appender);
        return ABR_APPEND_ADMIN_ACTION;
    }

    int32_t frame_offset = appender->term_offset;
    int32_t remaining = length;
    uint8_t flags = ABR_FRAME_BEGIN_FLAGS;
    do
    {
        int32_t chunk = remaining < appender->max_payload_length ? remaining : appender->max_payload_length;
        int32_t frame_length = chunk + ABR_DATA_HEADER_LENGTH;
        if (remaining <= appender->max_payload_length)
        {
            flags |= ABR_FRAME_END_FLAGS;
        }

        uint8_t *frame = term + frame_offset;
        abr_term_appender_write_header(appender, frame, frame_offset, frame_length, flags, ABR_HDR_TYPE_DATA);
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

    appender->term_offset = resulting_offset;
    return appender->term_begin_position + resulting_offset;
}
