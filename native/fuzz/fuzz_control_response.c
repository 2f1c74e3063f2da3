/*
 * Control responses, challenges and recording signals as the archive sends them on the control response channel:
 * each input is a run of fragments (a 16-bit length, then that many bytes) fed through a controlled fragment
 * assembler into the control response poller's decoding, the path every archive call waits on.
 */
#include <stdlib.h>

#include "archive/control_response_poller.h"
#include "fuzz_input.h"

static volatile unsigned g_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    abr_control_response_poller_t poller;
    if (abr_control_response_poller_init(&poller, NULL) < 0)
    {
        return 0;
    }
    abr_header_t header = { .flags = ABR_FRAME_UNFRAGMENTED, .session_id = 1 };
    while (abr_fuzz_remaining(&input) > 0)
    {
        size_t length;
        uint16_t wanted = abr_fuzz_u16(&input);
        const uint8_t *fragment = abr_fuzz_bytes(&input, wanted, &length);
        /* A copy of its exact size, so ASan sees any read past the fragment. */
        uint8_t *copy = malloc(length > 0 ? length : 1);
        if (NULL == copy)
        {
            break;
        }
        memcpy(copy, fragment, length);
        abr_control_response_poller_on_fragment(&poller, copy, length, &header);
        free(copy);
        if (poller.is_poll_complete)
        {
            g_sink += abr_fuzz_touch((const uint8_t *)poller.error_message, strlen(poller.error_message));
            if (poller.was_challenged)
            {
                g_sink += abr_fuzz_touch(poller.encoded_challenge, poller.encoded_challenge_length);
            }
            abr_control_response_poller_reset(&poller);
        }
    }
    abr_control_response_poller_close(&poller);
    return 0;
}
