/*
 * Reading a fuzzer's bytes as the values a target needs: each read takes the next bytes, and reads past the end give
 * zeros, so every input means something and the fuzzer's mutations stay meaningful.
 */
#ifndef ABR_FUZZ_INPUT_H
#define ABR_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct abr_fuzz_input_stct
{
    const uint8_t *data;
    size_t size;
    size_t offset;
}
abr_fuzz_input_t;

static inline void abr_fuzz_take(abr_fuzz_input_t *input, void *out, size_t length)
{
    size_t available = input->size - input->offset;
    size_t taken = length < available ? length : available;
    memset(out, 0, length);
    if (taken > 0)
    {
        memcpy(out, input->data + input->offset, taken);
    }
    input->offset += taken;
}

static inline uint8_t abr_fuzz_u8(abr_fuzz_input_t *input)
{
    uint8_t value;
    abr_fuzz_take(input, &value, sizeof(value));
    return value;
}

static inline uint16_t abr_fuzz_u16(abr_fuzz_input_t *input)
{
    uint16_t value;
    abr_fuzz_take(input, &value, sizeof(value));
    return value;
}

static inline int32_t abr_fuzz_i32(abr_fuzz_input_t *input)
{
    int32_t value;
    abr_fuzz_take(input, &value, sizeof(value));
    return value;
}

static inline int64_t abr_fuzz_i64(abr_fuzz_input_t *input)
{
    int64_t value;
    abr_fuzz_take(input, &value, sizeof(value));
    return value;
}

/* The next `length` bytes (fewer at the end) in place; *taken says how many. */
static inline const uint8_t *abr_fuzz_bytes(abr_fuzz_input_t *input, size_t length, size_t *taken)
{
    size_t available = input->size - input->offset;
    *taken = length < available ? length : available;
    const uint8_t *bytes = input->data + input->offset;
    input->offset += *taken;
    return bytes;
}

static inline size_t abr_fuzz_remaining(const abr_fuzz_input_t *input)
{
    return input->size - input->offset;
}

/* Every byte handed to a callback is read, so ASan sees a view that reaches outside its buffer. */
static inline unsigned abr_fuzz_touch(const uint8_t *buffer, size_t length)
{
    unsigned sum = 0;
    for (size_t i = 0; i < length; i++)
    {
        sum += buffer[i];
    }
    return sum;
}

#endif
