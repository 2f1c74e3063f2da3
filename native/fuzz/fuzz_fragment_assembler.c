/*
 * Fragment assembly of messages from any publisher: fragments of several sessions, with any flags, lengths and
 * order, through both assemblers. Each fragment is a session byte, a flags byte, a 16-bit length and its bytes; the
 * controlled delegate's action comes from the session byte, so aborts (redelivery) are exercised too.
 */
#include <stdlib.h>

#include "abr/abr_client.h"
#include "fuzz_input.h"

static volatile unsigned g_sink;

static void on_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    g_sink += abr_fuzz_touch(buffer, length);
    if ((size_t)header->frame_length != length + 32)
    {
        abort();
    }
}

static abr_controlled_action_t on_controlled_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    on_message(clientd, buffer, length, header);
    const abr_controlled_action_t *action = clientd;
    return *action;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    abr_controlled_action_t action = ABR_ACTION_CONTINUE;
    abr_fragment_assembler_t *assembler = NULL;
    abr_controlled_fragment_assembler_t *controlled = NULL;
    if (abr_fragment_assembler_init(&assembler, on_message, NULL) < 0 ||
        abr_controlled_fragment_assembler_init(&controlled, on_controlled_message, &action) < 0)
    {
        abr_fragment_assembler_close(assembler);
        return 0;
    }

    while (abr_fuzz_remaining(&input) > 0)
    {
        uint8_t session = abr_fuzz_u8(&input);
        uint8_t flags = abr_fuzz_u8(&input);
        uint16_t wanted = abr_fuzz_u16(&input);
        size_t length;
        const uint8_t *fragment = abr_fuzz_bytes(&input, wanted, &length);
        uint8_t *copy = malloc(length > 0 ? length : 1);
        if (NULL == copy)
        {
            break;
        }
        memcpy(copy, fragment, length);
        abr_header_t header = {
            .frame_length = (int32_t)length + 32, .session_id = session & 3, .stream_id = 1001, .flags = flags,
            .type = 1 };
        abr_fragment_assembler_handler(assembler, copy, length, &header);
        action = (abr_controlled_action_t)(1 + ((session >> 2) & 3));
        if (ABR_ACTION_ABORT == abr_controlled_fragment_assembler_handler(controlled, copy, length, &header))
        {
            /* Redelivered, as a poll does after an abort. */
            action = ABR_ACTION_CONTINUE;
            abr_controlled_fragment_assembler_handler(controlled, copy, length, &header);
        }
        /* A fragment without its bytes: the session's message is abandoned, never delivered corrupt. */
        if (0x10 == (flags & 0x30))
        {
            abr_fragment_assembler_handler(assembler, NULL, 1, &header);
            abr_controlled_fragment_assembler_handler(controlled, NULL, 1, &header);
        }
        free(copy);
    }
    abr_fragment_assembler_close(assembler);
    abr_controlled_fragment_assembler_close(controlled);
    return 0;
}
