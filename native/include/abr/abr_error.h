/*
 * The one error model of archive-bridge.
 *
 * Every public function returns 0 (or a non-negative count) on success and -1 on failure,
 * unless its comment says otherwise. On failure the reason is kept per thread: a code from
 * abr_error_code_t and a message that names the thing that failed and its values (channel,
 * stream id, control session id, correlation id). The next failing call on the same thread
 * replaces both.
 */
#ifndef ABR_ERROR_H
#define ABR_ERROR_H

#include "abr_common.h"

ABR_EXTERN_C_BEGIN

/*
 * Positive codes in separate ranges: 1..99 for the client core, 100..199 for the archive.
 * ABR_ERROR_ARCHIVE_BASE + n is the archive's own wire error code n (ArchiveException's codes),
 * so a Java exception can carry exactly the code AeronArchive would report.
 */
typedef enum abr_error_code_en
{
    ABR_OK = 0,

    ABR_ERROR_INVALID_ARGUMENT = 1,
    ABR_ERROR_OUT_OF_MEMORY = 2,
    ABR_ERROR_IO = 3,
    ABR_ERROR_CNC_VERSION_MISMATCH = 4,
    ABR_ERROR_NO_DRIVER = 5,
    ABR_ERROR_DRIVER_TIMEOUT = 6,
    ABR_ERROR_DRIVER_REJECTED = 7,
    ABR_ERROR_CLIENT_TIMEOUT = 8,
    ABR_ERROR_CLOSED = 9,
    ABR_ERROR_TIMEOUT = 10,
    ABR_ERROR_ILLEGAL_STATE = 11,
    ABR_ERROR_BUFFER_FULL = 12,
    ABR_ERROR_MALFORMED_CHANNEL = 13,
    ABR_ERROR_INTERNAL = 14,

    ABR_ERROR_ARCHIVE_BASE = 100,
    ABR_ERROR_ARCHIVE_GENERIC = 100,
    ABR_ERROR_ARCHIVE_ACTIVE_LISTING = 101,
    ABR_ERROR_ARCHIVE_ACTIVE_RECORDING = 102,
    ABR_ERROR_ARCHIVE_ACTIVE_SUBSCRIPTION = 103,
    ABR_ERROR_ARCHIVE_UNKNOWN_SUBSCRIPTION = 104,
    ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING = 105,
    ABR_ERROR_ARCHIVE_UNKNOWN_REPLAY = 106,
    ABR_ERROR_ARCHIVE_MAX_REPLAYS = 107,
    ABR_ERROR_ARCHIVE_MAX_RECORDINGS = 108,
    ABR_ERROR_ARCHIVE_INVALID_EXTENSION = 109,
    ABR_ERROR_ARCHIVE_AUTHENTICATION_REJECTED = 110,
    ABR_ERROR_ARCHIVE_STORAGE_SPACE = 111,
    ABR_ERROR_ARCHIVE_UNKNOWN_REPLICATION = 112,
    ABR_ERROR_ARCHIVE_UNAUTHORISED_ACTION = 113,
    ABR_ERROR_ARCHIVE_REPLICATION_CONNECTION_FAILURE = 114,
    ABR_ERROR_ARCHIVE_LAST_WIRE_CODE = 149,

    /* Client-side archive failures that have no wire code of their own. */
    ABR_ERROR_ARCHIVE_PROTOCOL = 150,
    ABR_ERROR_ARCHIVE_NOT_CONNECTED = 151
}
abr_error_code_t;

/* The code of the last failure on this thread, ABR_OK if none. */
ABR_EXPORT int abr_errcode(void);

/* The message of the last failure on this thread, "" if none. Owned by the library; valid until the next call. */
ABR_EXPORT const char *abr_errmsg(void);

/* The correlation id of the archive request the last failure on this thread answered or waited for (as
 * ArchiveException.correlationId() reports it), or of the driver command the Media Driver rejected (as
 * RegistrationException.correlationId() reports it); -1 when the failure was not tied to a request. */
ABR_EXPORT int64_t abr_errcorrelation_id(void);

/* When the last failure on this thread is ABR_ERROR_DRIVER_REJECTED: the Media Driver's own error code value (Aeron's
 * ErrorCode.value(), e.g. 1 INVALID_CHANNEL, 11 GENERIC_ERROR; what RegistrationException.errorCodeValue() reports).
 * -1 for any other failure. */
ABR_EXPORT int32_t abr_errdriver_code(void);

/* When the last failure on this thread is ABR_ERROR_DRIVER_REJECTED: the Media Driver's own message, as it sent it
 * (abr_errmsg() puts it after the command, channel and stream id). "" for any other failure. Owned by the library;
 * valid until the next call. */
ABR_EXPORT const char *abr_errdriver_message(void);

/* Forget the last failure on this thread. */
ABR_EXPORT void abr_error_clear(void);

/* Map an archive wire error code (ControlResponse.relevantId on an ERROR response) to ours: ABR_ERROR_ARCHIVE_BASE +
 * the code for 0..49, ABR_ERROR_ARCHIVE_GENERIC for any other value. */
ABR_EXPORT int abr_error_code_from_archive(int64_t archive_error_code);

/* For an archive-range code, the archive's wire code (what ArchiveException.errorCode() reports); else -1. */
ABR_EXPORT int abr_error_code_to_archive(int code);

ABR_EXTERN_C_END

#endif
