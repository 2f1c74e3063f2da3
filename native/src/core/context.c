#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "error.h"

static char *abr_strdup_or_error(const char *value, const char *what)
{
    char *copy = strdup(value);
    if (NULL == copy)
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory copying %s", what);
    }
    return copy;
}

/* As CommonContext: /dev/shm/aeron-<user> on Linux when /dev/shm exists, else <tmp>/aeron-<user>. */
static char *abr_default_dir(void)
{
    /* Java's user.name comes from the password database, not from $USER. */
    struct passwd *pw = getpwuid(getuid());
    const char *user = NULL != pw && NULL != pw->pw_name && '\0' != pw->pw_name[0] ? pw->pw_name : getenv("USER");
    if (NULL == user || '\0' == user[0])
    {
        user = "default";
    }
    const char *base = "/dev/shm";
    if (0 != access(base, F_OK))
    {
        const char *tmp = getenv("TMPDIR");
        base = NULL != tmp && '\0' != tmp[0] ? tmp : "/tmp";
    }

    size_t length = strlen(base) + strlen("/aeron-") + strlen(user) + 1;
    char *dir = malloc(length);
    if (NULL == dir)
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the Aeron directory name");
        return NULL;
    }
    size_t base_length = strlen(base);
    const char *separator = base_length > 0 && '/' == base[base_length - 1] ? "" : "/";
    snprintf(dir, length, "%s%saeron-%s", base, separator, user);
    return dir;
}

int abr_context_init(abr_context_t **context)
{
    if (NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "context out-pointer must not be null");
    }
    *context = NULL;

    abr_context_t *ctx = calloc(1, sizeof(*ctx));
    if (NULL == ctx)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the client context");
    }
    ctx->use_conductor_thread = true;
    ctx->driver_timeout_ms = ABR_DRIVER_TIMEOUT_MS_DEFAULT;
    ctx->resource_linger_ns = ABR_RESOURCE_LINGER_NS_DEFAULT;

    const char *dir = getenv(ABR_DIR_ENV_VAR);
    ctx->dir = NULL != dir && '\0' != dir[0] ? abr_strdup_or_error(dir, "the Aeron directory") : abr_default_dir();

    const char *name = getenv(ABR_CLIENT_NAME_ENV_VAR);
    ctx->client_name = abr_strdup_or_error(NULL != name ? name : "", "the client name");

    if (NULL == ctx->dir || NULL == ctx->client_name)
    {
        abr_context_close(ctx);
        return -1;
    }

    const char *timeout = getenv(ABR_DRIVER_TIMEOUT_ENV_VAR);
    if (NULL != timeout && '\0' != timeout[0])
    {
        char *end = NULL;
        errno = 0;
        unsigned long long value = strtoull(timeout, &end, 10);
        if (0 != errno || '\0' != *end || 0 == value || '-' == timeout[0])
        {
            abr_context_close(ctx);
            return abr_error_set(
                ABR_ERROR_INVALID_ARGUMENT, "%s must be a positive number of milliseconds: %s=%s",
                ABR_DRIVER_TIMEOUT_ENV_VAR, ABR_DRIVER_TIMEOUT_ENV_VAR, timeout);
        }
        ctx->driver_timeout_ms = value;
    }

    *context = ctx;
    return 0;
}

int abr_context_close(abr_context_t *context)
{
    if (NULL != context)
    {
        free(context->dir);
        free(context->client_name);
        free(context);
    }
    return 0;
}

static int abr_context_replace(char **field, const char *value, const char *what)
{
    char *copy = abr_strdup_or_error(value, what);
    if (NULL == copy)
    {
        return -1;
    }
    free(*field);
    *field = copy;
    return 0;
}

static int abr_context_missing(const char *what)
{
    return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: context must not be null", what);
}

int abr_context_set_dir(abr_context_t *context, const char *dir)
{
    if (NULL == context)
    {
        return abr_context_missing("set Aeron directory");
    }
    if (NULL == dir || '\0' == dir[0])
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "set Aeron directory: dir must not be null or empty: dir=%s",
            NULL == dir ? "(null)" : dir);
    }
    return abr_context_replace(&context->dir, dir, "the Aeron directory");
}

const char *abr_context_get_dir(abr_context_t *context)
{
    return NULL == context ? NULL : context->dir;
}

int abr_context_set_driver_timeout_ms(abr_context_t *context, uint64_t timeout_ms)
{
    if (NULL == context)
    {
        return abr_context_missing("set driver timeout");
    }
    if (0 == timeout_ms || timeout_ms > INT32_MAX)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "driver timeout must be between 1 and %d ms: timeoutMs=%llu",
            INT32_MAX, (unsigned long long)timeout_ms);
    }
    context->driver_timeout_ms = timeout_ms;
    return 0;
}

uint64_t abr_context_get_driver_timeout_ms(abr_context_t *context)
{
    return NULL == context ? 0 : context->driver_timeout_ms;
}

int abr_context_set_client_name(abr_context_t *context, const char *name)
{
    if (NULL == context)
    {
        return abr_context_missing("set client name");
    }
    if (NULL == name)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "set client name: name must not be null (may be empty)");
    }
    return abr_context_replace(&context->client_name, name, "the client name");
}

const char *abr_context_get_client_name(abr_context_t *context)
{
    return NULL == context ? NULL : context->client_name;
}

int abr_context_set_use_conductor_thread(abr_context_t *context, bool use_thread)
{
    if (NULL == context)
    {
        return abr_context_missing("set use conductor thread");
    }
    context->use_conductor_thread = use_thread;
    return 0;
}

bool abr_context_get_use_conductor_thread(abr_context_t *context)
{
    return NULL != context && context->use_conductor_thread;
}

int abr_context_set_resource_linger_ns(abr_context_t *context, uint64_t linger_ns)
{
    if (NULL == context)
    {
        return abr_context_missing("set resource linger");
    }
    if (linger_ns > (uint64_t)INT64_MAX / 2)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "resource linger must be at most %lld ns: %llu",
            (long long)(INT64_MAX / 2), (unsigned long long)linger_ns);
    }
    context->resource_linger_ns = linger_ns;
    return 0;
}

uint64_t abr_context_get_resource_linger_ns(abr_context_t *context)
{
    return NULL == context ? 0 : context->resource_linger_ns;
}
