#include "counters.h"

uint8_t *abr_counter_address(uint8_t *values, size_t values_length, int32_t counter_id)
{
    if (counter_id < 0 || ((size_t)counter_id + 1) * ABR_COUNTER_LENGTH > values_length)
    {
        return NULL;
    }
    return values + (size_t)counter_id * ABR_COUNTER_LENGTH;
}
