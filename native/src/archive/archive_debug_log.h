/*
 * The archive client's debug log: one line per control request sent and per message received, with the session and
 * correlation ids, to stderr or a file. Off unless asked for; when off, each hook costs one NULL check.
 */
#ifndef ABR_ARCHIVE_DEBUG_LOG_H
#define ABR_ARCHIVE_DEBUG_LOG_H

#include <stdint.h>
#include <stdio.h>

#include "control_response_poller.h"

/* Open the log the target names ("stderr" or a path); *log is NULL when the target is NULL or empty (off).
 * 0, or -1 when the file cannot be opened (error set, naming it). */
int abr_archive_debug_log_open(FILE **log, const char *target);
void abr_archive_debug_log_close(FILE *log);

/* A request about to be offered: its name and the encoded message (header and body). */
void abr_archive_debug_log_request(FILE *log, const char *request, const char *message, uint64_t length);

/* The message the control response poller has just completed. */
void abr_archive_debug_log_response(FILE *log, const abr_control_response_poller_t *poller);

#endif
