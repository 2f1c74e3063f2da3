#include <stdlib.h>
#include <string.h>

#include "atomics.h"
#include "broadcast_receiver.h"
#include "clock.h"
#include "error.h"

/* No more than this many messages per call, so the conductor's other duties are not starved. */
#define ABR_BROADCAST_RECEIVE_LIMIT 64

int abr_broadcast_receiver_init(abr_broadcast_receiver_t *receiver, uint8_t *buffer, size_t length)
{
    memset(receiver, 0, sizeof(*receiver));
    if (length <= ABR_BROADCAST_TRAILER_LENGTH)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "broadcast buffer length invalid: length=%zu", length);
    }
    size_t capacity = length - ABR_BROADCAST_TRAILER_LENGTH;
    if (0 != (capacity & (capacity - 1)) || capacity < ABR_BROADCAST_MIN_CAPACITY || capacity > INT32_MAX)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "broadcast buffer capacity must be a power of two from %d to %d: capacity=%zu",
            ABR_BROADCAST_MIN_CAPACITY, INT32_MAX, capacity);
    }

    /* Agrona's transmitter refuses messages over an eighth of the capacity. */
    receiver->scratch_length = capacity >> 3;
    receiver->scratch = malloc(receiver->scratch_length);
    if (NULL == receiver->scratch)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the broadcast receiver");
    }
    receiver->buffer = buffer;
    receiver->capacity = (int64_t)capacity;
    receiver->next_record = abr_get_int64_acquire(buffer + capacity + ABR_BROADCAST_LATEST_COUNTER_OFFSET);
    return 0;
}

void abr_broadcast_receiver_close(abr_broadcast_receiver_t *receiver)
{
    free(receiver->scratch);
    receiver->scratch = NULL;
}

static const uint8_t *abr_broadcast_trailer(const abr_broadcast_receiver_t *receiver, int offset)
{
    return receiver->buffer + receiver->capacity + offset;
}

/* A record at cursor is intact while the writer has not begun to write over it. */
static bool abr_broadcast_is_valid(const abr_broadcast_receiver_t *receiver, int64_t cursor)
{
    int64_t tail_intent = abr_get_int64_acquire(abr_broadcast_trailer(receiver, ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET));
    return abr_saturated_add(cursor, receiver->capacity) > tail_intent;
}

static void abr_broadcast_resync(abr_broadcast_receiver_t *receiver)
{
    receiver->lapped_count++;
    receiver->next_record = abr_get_int64_acquire(abr_broadcast_trailer(receiver, ABR_BROADCAST_LATEST_COUNTER_OFFSET));
}

static int64_t abr_broadcast_aligned(int64_t length)
{
    return (length + (ABR_BROADCAST_RECORD_ALIGNMENT - 1)) & ~(int64_t)(ABR_BROADCAST_RECORD_ALIGNMENT - 1);
}

/*
 * A record the writer has not lapped, yet whose place or length the driver's transmitter never writes: only a
 * damaged CnC file does this. Latched, so every later call fails alike instead of reading on.
 */
static int abr_broadcast_corrupt(
    abr_broadcast_receiver_t *receiver, int64_t cursor, int64_t offset, int32_t length, int32_t type, const char *why)
{
    receiver->corrupt = true;
    return abr_error_set(
        ABR_ERROR_IO, "to-clients broadcast buffer is corrupt (%s): position=%lld, offset=%lld, length=%d, type=%d, "
        "capacity=%lld; the client stops reading it", why, (long long)cursor, (long long)offset, length, type,
        (long long)receiver->capacity);
}

/* 1 when a message was handed over (or skipped by a lap), 0 when there is nothing (more) to read, -1 when corrupt. */
static int abr_broadcast_receive_one(abr_broadcast_receiver_t *receiver, abr_broadcast_handler_t handler, void *clientd)
{
    const int64_t capacity = receiver->capacity;
    int64_t tail = abr_get_int64_acquire(abr_broadcast_trailer(receiver, ABR_BROADCAST_TAIL_COUNTER_OFFSET));
    int64_t cursor = receiver->next_record;
    if (tail <= cursor)
    {
        return 0;
    }
    if (!abr_broadcast_is_valid(receiver, cursor))
    {
        abr_broadcast_resync(receiver);
        cursor = receiver->next_record;
        if (tail <= cursor)
        {
            return 0;
        }
    }

    /* Records start aligned, so a header always lies whole inside the data. */
    int64_t offset = cursor & (capacity - 1);
    if (0 != (offset & (ABR_BROADCAST_RECORD_ALIGNMENT - 1)))
    {
        return abr_broadcast_corrupt(receiver, cursor, offset, 0, 0, "record position not aligned");
    }
    int32_t length = abr_get_int32(receiver->buffer + offset);
    int32_t type = abr_get_int32(receiver->buffer + offset + 4);
    if (ABR_BROADCAST_PADDING_MSG_TYPE_ID == type && length >= ABR_BROADCAST_RECORD_HEADER_LENGTH)
    {
        /* Padding fills the data to its end, never further. */
        if (length != capacity - offset)
        {
            if (abr_broadcast_is_valid(receiver, cursor))
            {
                return abr_broadcast_corrupt(receiver, cursor, offset, length, type, "padding not to the end");
            }
            abr_broadcast_resync(receiver);
            return 1;
        }
        cursor = abr_saturated_add(cursor, length);
        offset = 0;
        length = abr_get_int32(receiver->buffer);
        type = abr_get_int32(receiver->buffer + 4);
    }

    bool in_bounds = length >= ABR_BROADCAST_RECORD_HEADER_LENGTH && length <= capacity - offset &&
        (size_t)length - ABR_BROADCAST_RECORD_HEADER_LENGTH <= receiver->scratch_length;
    size_t message_length = in_bounds ? (size_t)length - ABR_BROADCAST_RECORD_HEADER_LENGTH : 0;
    if (in_bounds)
    {
        memcpy(receiver->scratch, receiver->buffer + offset + ABR_BROADCAST_RECORD_HEADER_LENGTH, message_length);
    }

    abr_fence_acquire();
    if (!abr_broadcast_is_valid(receiver, cursor))
    {
        abr_broadcast_resync(receiver);
        return 1;
    }
    if (!in_bounds)
    {
        return abr_broadcast_corrupt(receiver, cursor, offset, length, type, "record length out of bounds");
    }

    receiver->next_record = abr_saturated_add(cursor, abr_broadcast_aligned(length));
    handler(clientd, type, receiver->scratch, message_length);
    return 1;
}

int abr_broadcast_receiver_receive(abr_broadcast_receiver_t *receiver, abr_broadcast_handler_t handler, void *clientd)
{
    if (receiver->corrupt)
    {
        return abr_error_set(
            ABR_ERROR_IO, "to-clients broadcast buffer is corrupt: the client stopped reading it, capacity=%lld",
            (long long)receiver->capacity);
    }
    int count = 0;
    for (int i = 0; i < ABR_BROADCAST_RECEIVE_LIMIT; i++)
    {
        int received = abr_broadcast_receive_one(receiver, handler, clientd);
        if (received < 0)
        {
            return -1;
        }
        if (0 == received)
        {
            break;
        }
        count++;
    }
    return count;
}
