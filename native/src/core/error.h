/*
 * Setting the thread-local error: internal to the library.
 */
#ifndef ABR_CORE_ERROR_H
#define ABR_CORE_ERROR_H

#include "abr/abr_error.h"

#define ABR_ERROR_MESSAGE_MAX_LENGTH 2048

/* Replace this thread's error. Always returns -1 so callers can write `return abr_error_set(...)`. */
int abr_error_set(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Keep this thread's code and put more context in front of its message. Returns -1. */
int abr_error_prefix(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
