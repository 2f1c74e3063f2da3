/*
 * Setting the thread-local error: internal to the library.
 */
#ifndef ABR_CORE_ERROR_H
#define ABR_CORE_ERROR_H

#include "abr/abr_error.h"

#define ABR_ERROR_MESSAGE_MAX_LENGTH 2048

/* Replace this thread's error. Always returns -1 so callers can write `return abr_error_set(...)`. */
int abr_error_set(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Tie this thread's error to the request it answers, for abr_errcorrelation_id(); abr_error_set forgets it. */
void abr_error_set_correlation_id(int64_t correlation_id);

/* Tie this thread's error (ABR_ERROR_DRIVER_REJECTED) to the driver's error code and message, for abr_errdriver_code()
 * and abr_errdriver_message(); abr_error_set forgets them. */
void abr_error_set_driver_rejection(int32_t driver_code, const char *driver_message);

/* This thread's whole error (code, message, correlation id, the driver's code and message), kept across calls that may
 * set their own (a clean-up after a failure) and put back. */
typedef struct abr_error_saved_stct
{
    int code;
    int64_t correlation_id;
    int32_t driver_code;
    char message[ABR_ERROR_MESSAGE_MAX_LENGTH];
    char driver_message[ABR_ERROR_MESSAGE_MAX_LENGTH];
}
abr_error_saved_t;

void abr_error_save(abr_error_saved_t *saved);

/* Returns -1, as abr_error_set. */
int abr_error_restore(const abr_error_saved_t *saved);

/* Keep this thread's code and put more context in front of its message. Returns -1. */
int abr_error_prefix(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
