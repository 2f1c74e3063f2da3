/*
 * The driver's to-clients broadcast buffer as a damaged or hostile CnC file could hold it: the trailer's counters
 * and the records are all the fuzzer's. The receiver must hand over only messages that lie inside the data, or
 * report the buffer corrupt; never read outside it (the buffer is a heap block of its exact size).
 */
#include <stdlib.h>

#include "core/broadcast_receiver.h"
#include "core/error.h"
#include "fuzz_input.h"


static volatile unsigned g_sink;

static void on_message(void *clientd, int32_t msg_type_id, const uint8_t *msg, size_t length)
{
    g_sink += abr_fuzz_touch(msg, length) + (unsigned)msg_type_id;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    /* 64 to 1024 bytes of data: the smallest buffers reach their edges soonest. */
    size_t capacity = (size_t)64 << (abr_fuzz_u8(&input) % 5);
    size_t length = capacity + ABR_BROADCAST_TRAILER_LENGTH;
    uint8_t *buffer = calloc(1, length);
    if (NULL == buffer)
    {
        return 0;
    }
    abr_fuzz_take(&input, buffer + capacity, 24);
    size_t taken;
    const uint8_t *records = abr_fuzz_bytes(&input, capacity, &taken);
    memcpy(buffer, records, taken);

    abr_broadcast_receiver_t receiver;
    if (0 == abr_broadcast_receiver_init(&receiver, buffer, length))
    {
        for (int round = 0; round < 4; round++)
        {
            if (abr_broadcast_receiver_receive(&receiver, on_message, NULL) < 0)
            {
                /* Reported corrupt: it stays so. */
                if (abr_broadcast_receiver_receive(&receiver, on_message, NULL) >= 0 || ABR_ERROR_IO != abr_errcode())
                {
                    abort();
                }
                break;
            }
            /* Between rounds the writer moves on: a new tail (and intent), as the fuzzer says. */
            abr_fuzz_take(&input, buffer + capacity, 16);
        }
        abr_broadcast_receiver_close(&receiver);
    }
    free(buffer);
    return 0;
}
