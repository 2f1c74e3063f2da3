/*
 * The to-driver ring buffer as a damaged CnC file could hold it: head, tail, head cache and records are the
 * fuzzer's, and then commands are written into it (as every client call does) and read back (as the driver, and
 * the tests, do). Neither side may touch memory outside the buffer (a heap block of its exact size).
 */
#include <stdlib.h>

#include "core/ring_buffer.h"
#include "fuzz_input.h"

#define FUZZ_CAPACITY 1024

static volatile unsigned g_sink;

static void on_message(void *clientd, int32_t msg_type_id, const uint8_t *msg, int32_t length)
{
    if (length < 0)
    {
        abort();
    }
    g_sink += abr_fuzz_touch(msg, (size_t)length) + (unsigned)msg_type_id;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    const size_t length = FUZZ_CAPACITY + ABR_RB_TRAILER_LENGTH;
    uint8_t *buffer = calloc(1, length);
    if (NULL == buffer)
    {
        return 0;
    }
    abr_fuzz_take(&input, buffer + FUZZ_CAPACITY + ABR_RB_TAIL_POSITION_OFFSET, 8);
    abr_fuzz_take(&input, buffer + FUZZ_CAPACITY + ABR_RB_HEAD_CACHE_POSITION_OFFSET, 8);
    abr_fuzz_take(&input, buffer + FUZZ_CAPACITY + ABR_RB_HEAD_POSITION_OFFSET, 8);
    abr_fuzz_take(&input, buffer + FUZZ_CAPACITY + ABR_RB_CORRELATION_COUNTER_OFFSET, 8);
    uint16_t record_bytes = abr_fuzz_u16(&input) % (FUZZ_CAPACITY + 1);
    abr_fuzz_take(&input, buffer, record_bytes);

    abr_ring_buffer_t ring_buffer;
    if (0 == abr_ring_buffer_init(&ring_buffer, buffer, length))
    {
        uint8_t message[FUZZ_CAPACITY];
        memset(message, 0xab, sizeof(message));
        while (abr_fuzz_remaining(&input) > 0)
        {
            uint8_t op = abr_fuzz_u8(&input);
            if (op & 1)
            {
                int32_t type = (int32_t)(op >> 1) - 8;
                int32_t message_length = (int32_t)(abr_fuzz_u16(&input) % (FUZZ_CAPACITY + 64)) - 32;
                abr_ring_buffer_write(&ring_buffer, type, message, message_length);
            }
            else
            {
                abr_ring_buffer_read(&ring_buffer, on_message, NULL, 1 + (op >> 1));
            }
            g_sink += (unsigned)abr_ring_buffer_next_correlation_id(&ring_buffer);
        }
    }
    free(buffer);
    return 0;
}
