/*
 * Counter values in the CnC: the driver publishes limits there and reads subscriber positions back.
 */
#ifndef ABR_CORE_COUNTERS_H
#define ABR_CORE_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

/* Agrona CountersReader.COUNTER_LENGTH: each value owns two cache lines. */
#define ABR_COUNTER_LENGTH 128

/* The address of a counter's value, or NULL when the id lies outside the values buffer. */
uint8_t *abr_counter_address(uint8_t *values, size_t values_length, int32_t counter_id);

#endif
