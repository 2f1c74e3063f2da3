#include <stdbool.h>
#include <string.h>

#include "atomics.h"
#include "error.h"
#include "ring_buffer.h"

#define ABR_RB_INSUFFICIENT_CAPACITY (-2)
#define ABR_RB_CORRUPT (-3)

static int32_t abr_rb_align(int32_t value, int32_t alignment)
{
    return (value + (alignment - 1)) & ~(alignment - 1);
}

int abr_ring_buffer_init(abr_ring_buffer_t *ring_buffer, uint8_t *buffer, size_t length)
{
    if (length <= ABR_RB_TRAILER_LENGTH || length - ABR_RB_TRAILER_LENGTH > INT32_MAX)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "ring buffer length invalid: length=%zu", length);
    }
    size_t capacity = length - ABR_RB_TRAILER_LENGTH;
    if (0 != (capacity & (capacity - 1)) || capacity < ABR_RB_MIN_CAPACITY)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "ring buffer capacity must be a power of two of at least %d: capacity=%zu",
            ABR_RB_MIN_CAPACITY, capacity);
    }
    ring_buffer->buffer = buffer;
    ring_buffer->capacity = (int32_t)capacity;
    /* Agrona allows a message of up to an eighth of the capacity. */
    ring_buffer->max_msg_length = (int32_t)(capacity >> 3);
    return 0;
}

static uint8_t *abr_rb_trailer(abr_ring_buffer_t *ring_buffer, int32_t offset)
{
    return ring_buffer->buffer + ring_buffer->capacity + offset;
}

static void abr_rb_write_padding(abr_ring_buffer_t *ring_buffer, int32_t index, int32_t length)
{
    uint8_t *record = ring_buffer->buffer + index;
    abr_put_int32_release(record, -length);
    abr_fence_release();
    abr_put_int32(record + 4, ABR_RB_PADDING_MSG_TYPE_ID);
    abr_put_int32_release(record, length);
}

/* A position no reader or writer leaves: negative, or so large that adding a record could overflow. */
static bool abr_rb_position_insane(int64_t position, int32_t capacity)
{
    return position < 0 || position > INT64_MAX - 2 * (int64_t)capacity;
}

static int32_t abr_rb_corrupt(int64_t head, int64_t tail, int32_t capacity)
{
    abr_error_set(
        ABR_ERROR_IO, "to-driver ring buffer is corrupt: head=%lld, tail=%lld, capacity=%d", (long long)head,
        (long long)tail, capacity);
    return ABR_RB_CORRUPT;
}

/*
 * Bytes the tail is ahead of head, in 64 bits. A tail read before another writer moved it may lag a head read
 * later (negative: nothing in use, the CAS below then fails and the claim retries); a real head more than a
 * capacity behind the tail, or any insane position, comes only from a damaged CnC file.
 */
static int64_t abr_rb_used(int64_t head, int64_t tail)
{
    return tail > head ? tail - head : 0;
}

/* The index the record may be written at, ABR_RB_INSUFFICIENT_CAPACITY, or ABR_RB_CORRUPT (error set). */
static int32_t abr_rb_claim(abr_ring_buffer_t *ring_buffer, int32_t required)
{
    const int32_t capacity = ring_buffer->capacity;
    const int32_t mask = capacity - 1;
    uint8_t *tail_address = abr_rb_trailer(ring_buffer, ABR_RB_TAIL_POSITION_OFFSET);
    uint8_t *head_cache_address = abr_rb_trailer(ring_buffer, ABR_RB_HEAD_CACHE_POSITION_OFFSET);
    uint8_t *head_address = abr_rb_trailer(ring_buffer, ABR_RB_HEAD_POSITION_OFFSET);

    int64_t head = abr_get_int64_acquire(head_cache_address);
    int64_t tail;
    int64_t new_tail;
    int32_t tail_index;
    int32_t padding;
    int32_t write_index;
    do
    {
        tail = abr_get_int64_acquire(tail_address);
        if (abr_rb_position_insane(tail, capacity))
        {
            return abr_rb_corrupt(head, tail, capacity);
        }
        if (abr_rb_position_insane(head, capacity) || required > capacity - abr_rb_used(head, tail))
        {
            head = abr_get_int64_acquire(head_address);
            if (abr_rb_position_insane(head, capacity) || abr_rb_used(head, tail) > capacity)
            {
                return abr_rb_corrupt(head, tail, capacity);
            }
            if (required > capacity - abr_rb_used(head, tail))
            {
                return ABR_RB_INSUFFICIENT_CAPACITY;
            }
            abr_put_int64_release(head_cache_address, head);
        }

        new_tail = tail + required;
        padding = 0;
        tail_index = (int32_t)(tail & mask);
        write_index = tail_index;
        int32_t to_end = capacity - tail_index;
        if (required > to_end)
        {
            /* The record does not fit before the end: pad to the end and write at the start, if the head has moved on. */
            int32_t head_index = (int32_t)(head & mask);
            write_index = 0;
            if (required > head_index)
            {
                head = abr_get_int64_acquire(head_address);
                if (abr_rb_position_insane(head, capacity))
                {
                    return abr_rb_corrupt(head, tail, capacity);
                }
                head_index = (int32_t)(head & mask);
                if (required > head_index)
                {
                    write_index = ABR_RB_INSUFFICIENT_CAPACITY;
                    new_tail = tail;
                }
                abr_put_int64_release(head_cache_address, head);
            }
            padding = to_end;
            new_tail += padding;
        }
    }
    while (!abr_cas_int64(tail_address, tail, new_tail));

    if (0 != padding)
    {
        abr_rb_write_padding(ring_buffer, tail_index, padding);
    }
    return write_index;
}

int abr_ring_buffer_write(abr_ring_buffer_t *ring_buffer, int32_t msg_type_id, const uint8_t *msg, int32_t length)
{
    if (msg_type_id < 1 || length < 0 || length > ring_buffer->max_msg_length)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "invalid command for the driver: type=%d, length=%d, max length=%d",
            msg_type_id, length, ring_buffer->max_msg_length);
    }

    int32_t record_length = length + ABR_RB_RECORD_HEADER_LENGTH;
    int32_t index = abr_rb_claim(ring_buffer, abr_rb_align(record_length, ABR_RB_RECORD_ALIGNMENT));
    if (ABR_RB_CORRUPT == index)
    {
        return -1;
    }
    if (ABR_RB_INSUFFICIENT_CAPACITY == index)
    {
        return abr_error_set(
            ABR_ERROR_BUFFER_FULL, "to-driver ring buffer is full: type=%d, length=%d", msg_type_id, length);
    }

    uint8_t *record = ring_buffer->buffer + index;
    /* A negative length tells the reader the record is claimed but not yet complete. */
    abr_put_int32_release(record, -record_length);
    abr_fence_release();
    if (length > 0)
    {
        memcpy(record + ABR_RB_RECORD_HEADER_LENGTH, msg, (size_t)length);
    }
    abr_put_int32(record + 4, msg_type_id);
    abr_put_int32_release(record, record_length);
    return 0;
}

int64_t abr_ring_buffer_next_correlation_id(abr_ring_buffer_t *ring_buffer)
{
    return abr_get_and_add_int64(abr_rb_trailer(ring_buffer, ABR_RB_CORRELATION_COUNTER_OFFSET), 1);
}

int64_t abr_ring_buffer_consumer_heartbeat_time(abr_ring_buffer_t *ring_buffer)
{
    return abr_get_int64_acquire(abr_rb_trailer(ring_buffer, ABR_RB_CONSUMER_HEARTBEAT_OFFSET));
}

int abr_ring_buffer_read(abr_ring_buffer_t *ring_buffer, abr_ring_buffer_handler_t handler, void *clientd, int limit)
{
    uint8_t *head_address = abr_rb_trailer(ring_buffer, ABR_RB_HEAD_POSITION_OFFSET);
    int64_t head = abr_get_int64(head_address);
    if (head < 0 || head > INT64_MAX - ring_buffer->capacity)
    {
        return abr_error_set(
            ABR_ERROR_IO, "ring buffer is corrupt: head=%lld, capacity=%d", (long long)head, ring_buffer->capacity);
    }
    int32_t head_index = (int32_t)(head & (ring_buffer->capacity - 1));
    int32_t contiguous = ring_buffer->capacity - head_index;
    int32_t bytes_read = 0;
    int count = 0;

    while (bytes_read < contiguous && count < limit)
    {
        uint8_t *record = ring_buffer->buffer + head_index + bytes_read;
        int32_t record_length = abr_get_int32_acquire(record);
        if (record_length <= 0)
        {
            break;
        }
        /* A record must hold its header and end before the buffer does: a writer never makes another. */
        if (record_length < ABR_RB_RECORD_HEADER_LENGTH || record_length > contiguous - bytes_read)
        {
            if (bytes_read > 0)
            {
                break;
            }
            return abr_error_set(
                ABR_ERROR_IO, "ring buffer is corrupt: record of length %d at index %d, capacity=%d", record_length,
                head_index, ring_buffer->capacity);
        }
        bytes_read += abr_rb_align(record_length, ABR_RB_RECORD_ALIGNMENT);
        int32_t type = abr_get_int32(record + 4);
        if (ABR_RB_PADDING_MSG_TYPE_ID == type)
        {
            continue;
        }
        handler(clientd, type, record + ABR_RB_RECORD_HEADER_LENGTH, record_length - ABR_RB_RECORD_HEADER_LENGTH);
        count++;
    }

    if (bytes_read > 0)
    {
        memset(ring_buffer->buffer + head_index, 0, (size_t)bytes_read);
        abr_put_int64_release(head_address, head + bytes_read);
    }
    return count;
}
