/*
 * Reading an image's log as a damaged or hostile log file could hold it: the frames in the term and the subscriber
 * position are the fuzzer's. Poll and controlled poll (with every handler action, through a fragment assembler as
 * the archive's pollers use it) must hand over only fragments inside the term, or report the log damaged. The log
 * is a heap block of its exact size.
 */
#include <stdlib.h>

#include "core/error.h"
#include "core/image.h"
#include "core/log_buffers.h"
#include "fuzz_input.h"

#define FUZZ_TERM_LENGTH ABR_LOG_TERM_MIN_LENGTH
#define FUZZ_LOG_LENGTH (3 * FUZZ_TERM_LENGTH + ABR_LOG_META_DATA_LENGTH)

static volatile unsigned g_sink;

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    g_sink += abr_fuzz_touch(buffer, length) + (unsigned)header->position;
}

static abr_controlled_action_t on_controlled_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    on_fragment(clientd, buffer, length, header);
    abr_fuzz_input_t *input = clientd;
    return (abr_controlled_action_t)(1 + abr_fuzz_u8(input) % 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    static uint8_t *log_memory;
    if (NULL == log_memory && NULL == (log_memory = malloc(FUZZ_LOG_LENGTH)))
    {
        return 0;
    }
    memset(log_memory, 0, FUZZ_LOG_LENGTH);
    uint8_t *metadata = log_memory + FUZZ_LOG_LENGTH - ABR_LOG_META_DATA_LENGTH;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, FUZZ_TERM_LENGTH);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, 1408);
    abr_log_buffers_t log;
    if (abr_log_buffers_wrap(&log, log_memory, FUZZ_LOG_LENGTH, "fuzz") < 0)
    {
        abort();
    }

    /* The subscriber position picks the term and offset; the frames are written from there to the term's end. */
    int64_t position = abr_fuzz_i64(&input);
    int64_t start = position < 0 ? 0 : position;
    int term_index = abr_log_index_by_position(start, abr_log_position_bits_to_shift(FUZZ_TERM_LENGTH));
    size_t offset = (size_t)(start & (FUZZ_TERM_LENGTH - 1));
    uint16_t frame_bytes = abr_fuzz_u16(&input);
    size_t room = FUZZ_TERM_LENGTH - offset;
    size_t taken;
    const uint8_t *frames = abr_fuzz_bytes(&input, frame_bytes < room ? frame_bytes : room, &taken);
    memcpy(log.terms[term_index] + offset, frames, taken);

    abr_image_t image;
    memset(&image, 0, sizeof(image));
    abr_image_init(&image, &log, (uint8_t *)&position, 1, 2);
    int64_t initial = position;
    for (int round = 0; round < 2; round++)
    {
        int result = abr_image_poll(&image, on_fragment, NULL, 1 + abr_fuzz_u8(&input) % 16);
        if (result < 0 && ABR_ERROR_IO != abr_errcode())
        {
            abort();
        }
    }
    position = initial;
    abr_controlled_fragment_assembler_t *assembler = NULL;
    if (0 == abr_controlled_fragment_assembler_init(&assembler, on_controlled_fragment, &input))
    {
        for (int round = 0; round < 2; round++)
        {
            abr_image_controlled_poll(&image, abr_controlled_fragment_assembler_handler, assembler, 16);
        }
        abr_controlled_fragment_assembler_close(assembler);
    }
    return 0;
}
