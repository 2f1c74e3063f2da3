/*
 * Publishing into a log whose metadata a damaged or hostile log file holds: the active term count, the three
 * partition tails and the initial term id are the fuzzer's. Both appenders (exclusive and concurrent) offer and
 * claim messages of any length over it; neither may write outside the log (a heap block of its exact size).
 */
#include <stdlib.h>

#include "core/log_buffers.h"
#include "core/shared_appender.h"
#include "core/term_appender.h"
#include "fuzz_input.h"

#define FUZZ_TERM_LENGTH ABR_LOG_TERM_MIN_LENGTH
#define FUZZ_LOG_LENGTH (3 * FUZZ_TERM_LENGTH + ABR_LOG_META_DATA_LENGTH)

static uint8_t g_message[FUZZ_TERM_LENGTH];

static void fuzz_log(abr_fuzz_input_t *input, uint8_t *memory, abr_log_buffers_t *log)
{
    memset(memory, 0, FUZZ_LOG_LENGTH);
    uint8_t *metadata = memory + 3 * FUZZ_TERM_LENGTH;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, FUZZ_TERM_LENGTH);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, 1408);
    abr_put_int32(metadata + ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET, ABR_DATA_HEADER_LENGTH);
    abr_fuzz_take(input, metadata + ABR_LOG_TERM_TAIL_COUNTERS_OFFSET, 3 * 8);
    abr_fuzz_take(input, metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET, 4);
    abr_fuzz_take(input, metadata + ABR_LOG_INITIAL_TERM_ID_OFFSET, 4);
    if (abr_log_buffers_wrap(log, memory, FUZZ_LOG_LENGTH, "fuzz") < 0)
    {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    static uint8_t *memory;
    if (NULL == memory && NULL == (memory = malloc(FUZZ_LOG_LENGTH)))
    {
        return 0;
    }
    abr_log_buffers_t log;
    uint8_t shared = abr_fuzz_u8(&input) & 1;
    fuzz_log(&input, memory, &log);

    abr_term_appender_t exclusive;
    abr_shared_appender_t concurrent;
    if (shared ? abr_shared_appender_init(&concurrent, &log) < 0 : abr_term_appender_init(&exclusive, &log) < 0)
    {
        return 0;
    }
    int32_t max_message = shared ? concurrent.max_message_length : exclusive.max_message_length;
    int32_t max_payload = shared ? concurrent.max_payload_length : exclusive.max_payload_length;
    for (int op = 0; op < 64 && abr_fuzz_remaining(&input) > 0; op++)
    {
        uint8_t kind = abr_fuzz_u8(&input);
        int32_t length = (int32_t)(abr_fuzz_u16(&input) % (uint32_t)(max_message + 1));
        abr_buffer_claim_t claim;
        int64_t result;
        if (kind & 1)
        {
            length = length % (max_payload + 1);
            result = shared ? abr_shared_appender_claim(&concurrent, INT64_MAX, length, &claim) :
                abr_term_appender_claim(&exclusive, length, &claim);
            if (result > 0)
            {
                memset(claim.data, 0x5a, claim.length);
                if (kind & 2)
                {
                    abr_buffer_claim_commit(&claim);
                }
                else
                {
                    abr_buffer_claim_abort(&claim);
                }
            }
        }
        else
        {
            result = shared ? abr_shared_appender_offer(&concurrent, INT64_MAX, g_message, length) :
                abr_term_appender_append(&exclusive, g_message, length);
        }
        if (shared)
        {
            abr_shared_appender_position(&concurrent);
        }
    }
    return 0;
}
