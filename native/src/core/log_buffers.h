/*
 * A publication or image log file: three terms followed by a metadata page.
 */
#ifndef ABR_CORE_LOG_BUFFERS_H
#define ABR_CORE_LOG_BUFFERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atomics.h"

/* LogBufferDescriptor (aeron-client 1.51.0). */
#define ABR_LOG_PARTITION_COUNT 3
#define ABR_LOG_TERM_MIN_LENGTH (64 * 1024)
#define ABR_LOG_TERM_MAX_LENGTH (1024 * 1024 * 1024)
#define ABR_LOG_META_DATA_LENGTH 4096
#define ABR_LOG_TERM_TAIL_COUNTERS_OFFSET 0
#define ABR_LOG_ACTIVE_TERM_COUNT_OFFSET 24
#define ABR_LOG_END_OF_STREAM_POSITION_OFFSET 128
#define ABR_LOG_IS_CONNECTED_OFFSET 136
#define ABR_LOG_CORRELATION_ID_OFFSET 256
#define ABR_LOG_INITIAL_TERM_ID_OFFSET 264
#define ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET 268
#define ABR_LOG_MTU_LENGTH_OFFSET 272
#define ABR_LOG_TERM_LENGTH_OFFSET 276
#define ABR_LOG_PAGE_SIZE_OFFSET 280
#define ABR_LOG_DEFAULT_FRAME_HEADER_OFFSET 320

/* DataHeaderFlyweight / FrameDescriptor. */
#define ABR_DATA_HEADER_LENGTH 32
#define ABR_FRAME_ALIGNMENT 32
#define ABR_FRAME_LENGTH_FIELD_OFFSET 0
#define ABR_FRAME_FLAGS_FIELD_OFFSET 5
#define ABR_FRAME_TYPE_FIELD_OFFSET 6
#define ABR_FRAME_TERM_OFFSET_FIELD_OFFSET 8
#define ABR_FRAME_SESSION_ID_FIELD_OFFSET 12
#define ABR_FRAME_STREAM_ID_FIELD_OFFSET 16
#define ABR_FRAME_TERM_ID_FIELD_OFFSET 20
#define ABR_FRAME_RESERVED_VALUE_FIELD_OFFSET 24
#define ABR_FRAME_BEGIN_FLAGS ((uint8_t)0x80)
#define ABR_FRAME_END_FLAGS ((uint8_t)0x40)
#define ABR_FRAME_UNFRAGMENTED_FLAGS ((uint8_t)0xC0)
#define ABR_HDR_TYPE_PAD 0x00
#define ABR_HDR_TYPE_DATA 0x01
/* FrameDescriptor.MAX_MESSAGE_LENGTH. */
#define ABR_MAX_MESSAGE_LENGTH (16 * 1024 * 1024)

typedef struct abr_log_buffers_stct
{
    uint8_t *mapped;
    size_t mapped_length;
    uint8_t *terms[ABR_LOG_PARTITION_COUNT];
    uint8_t *metadata;
    int32_t term_length;
}
abr_log_buffers_t;

/* Map a log file the driver named, checking its term length and size. */
int abr_log_buffers_map(abr_log_buffers_t *log, const char *path);

/* Lay out a log over memory the caller owns (the tests use this). */
int abr_log_buffers_wrap(abr_log_buffers_t *log, uint8_t *memory, size_t length, const char *name);

void abr_log_buffers_unmap(abr_log_buffers_t *log);

static inline int32_t abr_align32(int32_t value, int32_t alignment)
{
    return (value + (alignment - 1)) & ~(alignment - 1);
}

/*
 * A frame a reader may hand over or skip: its header and body lie inside the term, from a frame-aligned offset.
 * The driver and publishers never write anything else; only a damaged log does, and then reading stops there.
 */
static inline bool abr_term_frame_fits(int32_t frame_length, int32_t term_offset, int32_t term_length)
{
    return 0 == (term_offset & (ABR_FRAME_ALIGNMENT - 1)) && frame_length >= ABR_DATA_HEADER_LENGTH &&
        frame_length <= term_length - term_offset;
}

static inline int abr_log_position_bits_to_shift(int32_t term_length)
{
    return __builtin_ctz((unsigned int)term_length);
}

/* Term ids wrap around: the count is their difference in 32-bit arithmetic, as Aeron computes it. */
static inline int32_t abr_log_term_count(int32_t term_id, int32_t initial_term_id)
{
    return (int32_t)((uint32_t)term_id - (uint32_t)initial_term_id);
}

static inline int64_t abr_log_compute_position(int32_t term_id, int32_t term_offset, int bits, int32_t initial_term_id)
{
    int64_t term_count = abr_log_term_count(term_id, initial_term_id);
    return term_count * ((int64_t)1 << bits) + term_offset;
}

/* A partition index, 0 to 2 for any count or position: a damaged log's negative active term count or position
 * must not index before the partitions. */
static inline int abr_log_index_by_term_count(int64_t term_count)
{
    int index = (int)(term_count % ABR_LOG_PARTITION_COUNT);
    return index < 0 ? index + ABR_LOG_PARTITION_COUNT : index;
}

static inline int abr_log_index_by_position(int64_t position, int bits)
{
    return abr_log_index_by_term_count(position >> bits);
}

static inline int64_t abr_log_pack_tail(int32_t term_id, int32_t term_offset)
{
    return (int64_t)(((uint64_t)(uint32_t)term_id << 32) | (uint32_t)term_offset);
}

static inline int32_t abr_log_tail_term_id(int64_t raw_tail)
{
    return (int32_t)((uint64_t)raw_tail >> 32);
}

static inline int32_t abr_log_tail_term_offset(int64_t raw_tail, int32_t term_length)
{
    int64_t offset = raw_tail & 0xFFFFFFFFLL;
    return offset < term_length ? (int32_t)offset : term_length;
}

static inline uint8_t *abr_log_tail_address(const abr_log_buffers_t *log, int index)
{
    return log->metadata + ABR_LOG_TERM_TAIL_COUNTERS_OFFSET + index * 8;
}

static inline int32_t abr_log_initial_term_id(const abr_log_buffers_t *log)
{
    return abr_get_int32(log->metadata + ABR_LOG_INITIAL_TERM_ID_OFFSET);
}

static inline int32_t abr_log_mtu_length(const abr_log_buffers_t *log)
{
    return abr_get_int32(log->metadata + ABR_LOG_MTU_LENGTH_OFFSET);
}

static inline int32_t abr_log_active_term_count(const abr_log_buffers_t *log)
{
    return abr_get_int32_acquire(log->metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET);
}

static inline bool abr_log_is_connected(const abr_log_buffers_t *log)
{
    return 1 == abr_get_int32_acquire(log->metadata + ABR_LOG_IS_CONNECTED_OFFSET);
}

#endif
