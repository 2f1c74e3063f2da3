#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static _Thread_local int abr_tls_errcode = ABR_OK;
static _Thread_local char abr_tls_errmsg[ABR_ERROR_MESSAGE_MAX_LENGTH];
static _Thread_local int64_t abr_tls_error_correlation_id = -1;
static _Thread_local int32_t abr_tls_driver_error_code = -1;
static _Thread_local char abr_tls_driver_errmsg[ABR_ERROR_MESSAGE_MAX_LENGTH];

int abr_errcode(void)
{
    return abr_tls_errcode;
}

const char *abr_errmsg(void)
{
    return abr_tls_errmsg;
}

int64_t abr_errcorrelation_id(void)
{
    return abr_tls_error_correlation_id;
}

void abr_error_set_correlation_id(int64_t correlation_id)
{
    abr_tls_error_correlation_id = correlation_id;
}

int32_t abr_errdriver_code(void)
{
    return abr_tls_driver_error_code;
}

const char *abr_errdriver_message(void)
{
    return abr_tls_driver_errmsg;
}

void abr_error_set_driver_rejection(int32_t driver_code, const char *driver_message)
{
    abr_tls_driver_error_code = driver_code;
    snprintf(abr_tls_driver_errmsg, sizeof(abr_tls_driver_errmsg), "%s", NULL != driver_message ? driver_message : "");
}

static void abr_error_forget_request(void)
{
    abr_tls_error_correlation_id = -1;
    abr_tls_driver_error_code = -1;
    abr_tls_driver_errmsg[0] = '\0';
}

void abr_error_clear(void)
{
    abr_tls_errcode = ABR_OK;
    abr_tls_errmsg[0] = '\0';
    abr_error_forget_request();
}

int abr_error_set(int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(abr_tls_errmsg, sizeof(abr_tls_errmsg), format, args);
    va_end(args);
    abr_tls_errcode = code;
    abr_error_forget_request();
    return -1;
}

void abr_error_save(abr_error_saved_t *saved)
{
    saved->code = abr_tls_errcode;
    saved->correlation_id = abr_tls_error_correlation_id;
    saved->driver_code = abr_tls_driver_error_code;
    memcpy(saved->message, abr_tls_errmsg, sizeof(saved->message));
    memcpy(saved->driver_message, abr_tls_driver_errmsg, sizeof(saved->driver_message));
}

int abr_error_restore(const abr_error_saved_t *saved)
{
    abr_tls_errcode = saved->code;
    abr_tls_error_correlation_id = saved->correlation_id;
    abr_tls_driver_error_code = saved->driver_code;
    memcpy(abr_tls_errmsg, saved->message, sizeof(abr_tls_errmsg));
    memcpy(abr_tls_driver_errmsg, saved->driver_message, sizeof(abr_tls_driver_errmsg));
    return -1;
}

int abr_error_prefix(const char *format, ...)
{
    char previous[ABR_ERROR_MESSAGE_MAX_LENGTH];
    memcpy(previous, abr_tls_errmsg, sizeof(previous));

    va_list args;
    va_start(args, format);
    int written = vsnprintf(abr_tls_errmsg, sizeof(abr_tls_errmsg), format, args);
    va_end(args);

    if (written >= 0 && (size_t)written < sizeof(abr_tls_errmsg))
    {
        snprintf(abr_tls_errmsg + written, sizeof(abr_tls_errmsg) - (size_t)written, "%s", previous);
    }
    return -1;
}

int abr_error_code_from_archive(int64_t archive_error_code)
{
    if (archive_error_code >= 0 && archive_error_code <= ABR_ERROR_ARCHIVE_LAST_WIRE_CODE - ABR_ERROR_ARCHIVE_BASE)
    {
        return ABR_ERROR_ARCHIVE_BASE + (int)archive_error_code;
    }
    return ABR_ERROR_ARCHIVE_GENERIC;
}

int abr_error_code_to_archive(int code)
{
    if (code >= ABR_ERROR_ARCHIVE_BASE && code <= ABR_ERROR_ARCHIVE_LAST_WIRE_CODE)
    {
        return code - ABR_ERROR_ARCHIVE_BASE;
    }
    return -1;
}
