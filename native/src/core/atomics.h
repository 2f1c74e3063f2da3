/*
 * Every access to memory shared with the driver or between threads goes through these helpers,
 * so the ordering each one needs is visible at the call site.
 */
#ifndef ABR_CORE_ATOMICS_H
#define ABR_CORE_ATOMICS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline int32_t abr_get_int32(const uint8_t *address)
{
    int32_t value;
    memcpy(&value, address, sizeof(value));
    return value;
}

static inline int64_t abr_get_int64(const uint8_t *address)
{
    int64_t value;
    memcpy(&value, address, sizeof(value));
    return value;
}

static inline void abr_put_int32(uint8_t *address, int32_t value)
{
    memcpy(address, &value, sizeof(value));
}

static inline void abr_put_int64(uint8_t *address, int64_t value)
{
    memcpy(address, &value, sizeof(value));
}

static inline int32_t abr_get_int32_acquire(const uint8_t *address)
{
    return __atomic_load_n((const int32_t *)(const void *)address, __ATOMIC_ACQUIRE);
}

static inline int64_t abr_get_int64_acquire(const uint8_t *address)
{
    return __atomic_load_n((const int64_t *)(const void *)address, __ATOMIC_ACQUIRE);
}

static inline void abr_put_int32_release(uint8_t *address, int32_t value)
{
    __atomic_store_n((int32_t *)(void *)address, value, __ATOMIC_RELEASE);
}

static inline void abr_put_int64_release(uint8_t *address, int64_t value)
{
    __atomic_store_n((int64_t *)(void *)address, value, __ATOMIC_RELEASE);
}

static inline bool abr_cas_int64(uint8_t *address, int64_t expected, int64_t desired)
{
    return __atomic_compare_exchange_n(
        (int64_t *)(void *)address, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline bool abr_cas_int32(uint8_t *address, int32_t expected, int32_t desired)
{
    return __atomic_compare_exchange_n(
        (int32_t *)(void *)address, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline int64_t abr_get_and_add_int64(uint8_t *address, int64_t delta)
{
    return __atomic_fetch_add((int64_t *)(void *)address, delta, __ATOMIC_SEQ_CST);
}

static inline void abr_fence_acquire(void)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void abr_fence_release(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Flags shared between our own threads (closed, running). */
static inline int abr_load_int_acquire(const int *address)
{
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}

static inline void abr_store_int_release(int *address, int value)
{
    __atomic_store_n(address, value, __ATOMIC_RELEASE);
}

#endif
