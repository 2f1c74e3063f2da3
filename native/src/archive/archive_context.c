#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "archive_context.h"
#include "core/error.h"

static int abr_archive_context_set_string(char **field, const char *value, const char *name)
{
    char *copy = NULL;
    if (NULL != value)
    {
        copy = strdup(value);
        if (NULL == copy)
        {
            return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory setting %s", name);
        }
    }
    free(*field);
    *field = copy;
    return 0;
}

static bool abr_archive_env_int64(const char *name, int64_t *value)
{
    const char *text = getenv(name);
    if (NULL == text || '\0' == *text)
    {
        return false;
    }
    errno = 0;
    char *end = NULL;
    long long parsed = strtoll(text, &end, 10);
    if (0 != errno || end == text || '\0' != *end)
    {
        return false;
    }
    *value = parsed;
    return true;
}

/* Durations take Aeron's suffixes (ns, us, ms, s); a bare number is nanoseconds. */
static bool abr_archive_env_duration_ns(const char *name, int64_t *value_ns)
{
    const char *text = getenv(name);
    if (NULL == text || '\0' == *text)
    {
        return false;
    }
    errno = 0;
    char *end = NULL;
    long long parsed = strtoll(text, &end, 10);
    if (0 != errno || end == text || parsed < 0)
    {
        return false;
    }

    int64_t multiplier;
    if ('\0' == *end || 0 == strcasecmp(end, "ns"))
    {
        multiplier = 1;
    }
    else if (0 == strcasecmp(end, "us"))
    {
        multiplier = 1000;
    }
    else if (0 == strcasecmp(end, "ms"))
    {
        multiplier = 1000 * 1000;
    }
    else if (0 == strcasecmp(end, "s"))
    {
        multiplier = 1000 * 1000 * 1000;
    }
    else
    {
        return false;
    }
    *value_ns = parsed > INT64_MAX / multiplier ? INT64_MAX : parsed * multiplier;
    return true;
}

int abr_archive_context_init(abr_archive_context_t **context)
{
    if (NULL == context)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "abr_archive_context_init: context must not be null");
    }
    *context = NULL;

    abr_archive_context_t *ctx = calloc(1, sizeof(abr_archive_context_t));
    if (NULL == ctx)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory allocating archive context");
    }

    ctx->control_request_stream_id = ABR_ARCHIVE_CONTROL_STREAM_ID_DEFAULT;
    ctx->control_response_stream_id = ABR_ARCHIVE_CONTROL_RESPONSE_STREAM_ID_DEFAULT;
    ctx->message_timeout_ns = ABR_ARCHIVE_MESSAGE_TIMEOUT_NS_DEFAULT;
    ctx->message_retry_attempts = ABR_ARCHIVE_MESSAGE_RETRY_ATTEMPTS_DEFAULT;
    ctx->control_term_buffer_length = ABR_ARCHIVE_CONTROL_TERM_BUFFER_LENGTH_DEFAULT;
    ctx->control_mtu_length = ABR_ARCHIVE_CONTROL_MTU_LENGTH_DEFAULT;
    ctx->control_term_buffer_sparse = ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_DEFAULT;
    ctx->protocol_semantic_version = ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION;
    abr_archive_idle_default(&ctx->idle);

    int64_t value;
    if (abr_archive_env_int64(ABR_ARCHIVE_CONTROL_STREAM_ID_ENV_VAR, &value))
    {
        ctx->control_request_stream_id = (int32_t)value;
    }
    if (abr_archive_env_int64(ABR_ARCHIVE_CONTROL_RESPONSE_STREAM_ID_ENV_VAR, &value))
    {
        ctx->control_response_stream_id = (int32_t)value;
    }
    if (abr_archive_env_duration_ns(ABR_ARCHIVE_MESSAGE_TIMEOUT_ENV_VAR, &value))
    {
        ctx->message_timeout_ns = value;
    }
    if (abr_archive_env_int64(ABR_ARCHIVE_MESSAGE_RETRY_ATTEMPTS_ENV_VAR, &value) && value > 0)
    {
        ctx->message_retry_attempts = (int32_t)value;
    }
    if (abr_archive_env_int64(ABR_ARCHIVE_CONTROL_TERM_BUFFER_LENGTH_ENV_VAR, &value) && value > 0)
    {
        ctx->control_term_buffer_length = (int32_t)value;
    }
    if (abr_archive_env_int64(ABR_ARCHIVE_CONTROL_MTU_LENGTH_ENV_VAR, &value) && value > 0)
    {
        ctx->control_mtu_length = (int32_t)value;
    }
    const char *sparse = getenv(ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_ENV_VAR);
    if (NULL != sparse && '\0' != *sparse)
    {
        ctx->control_term_buffer_sparse = 0 == strcasecmp(sparse, "true");
    }

    if (abr_archive_context_set_string(&ctx->aeron_directory_name, getenv(ABR_DIR_ENV_VAR), "aeron directory") < 0 ||
        abr_archive_context_set_string(
            &ctx->control_request_channel, getenv(ABR_ARCHIVE_CONTROL_CHANNEL_ENV_VAR), "control request channel") < 0 ||
        abr_archive_context_set_string(
            &ctx->control_response_channel,
            getenv(ABR_ARCHIVE_CONTROL_RESPONSE_CHANNEL_ENV_VAR),
            "control response channel") < 0 ||
        abr_archive_context_set_string(
            &ctx->client_name,
            NULL != getenv(ABR_ARCHIVE_CLIENT_NAME_ENV_VAR) ? getenv(ABR_ARCHIVE_CLIENT_NAME_ENV_VAR) : "",
            "client name") < 0 ||
        abr_archive_context_set_string(
            &ctx->debug_log,
            NULL != getenv(ABR_ARCHIVE_DEBUG_LOG_ENV_VAR) ? getenv(ABR_ARCHIVE_DEBUG_LOG_ENV_VAR) : "",
            "debug log") < 0)
    {
        abr_archive_context_close(ctx);
        return -1;
    }

    *context = ctx;
    return 0;
}

int abr_archive_context_close(abr_archive_context_t *context)
{
    if (NULL != context)
    {
        free(context->aeron_directory_name);
        free(context->control_request_channel);
        free(context->control_response_channel);
        free(context->client_name);
        free(context->debug_log);
        free(context);
    }
    return 0;
}

int abr_archive_context_duplicate(abr_archive_context_t **copy, const abr_archive_context_t *original)
{
    abr_archive_context_t *ctx = calloc(1, sizeof(abr_archive_context_t));
    if (NULL == ctx)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory copying archive context");
    }
    *ctx = *original;
    ctx->aeron_directory_name = NULL;
    ctx->control_request_channel = NULL;
    ctx->control_response_channel = NULL;
    ctx->client_name = NULL;
    ctx->debug_log = NULL;

    if (abr_archive_context_set_string(&ctx->aeron_directory_name, original->aeron_directory_name, "aeron directory") < 0 ||
        abr_archive_context_set_string(
            &ctx->control_request_channel, original->control_request_channel, "control request channel") < 0 ||
        abr_archive_context_set_string(
            &ctx->control_response_channel, original->control_response_channel, "control response channel") < 0 ||
        abr_archive_context_set_string(&ctx->client_name, original->client_name, "client name") < 0 ||
        abr_archive_context_set_string(&ctx->debug_log, original->debug_log, "debug log") < 0)
    {
        abr_archive_context_close(ctx);
        return -1;
    }
    *copy = ctx;
    return 0;
}

static int abr_archive_context_missing(const char *function_name)
{
    return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: context must not be null", function_name);
}

int abr_archive_context_set_aeron_directory_name(abr_archive_context_t *context, const char *dir)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_aeron_directory_name");
    }
    return abr_archive_context_set_string(&context->aeron_directory_name, dir, "aeron directory");
}

const char *abr_archive_context_get_aeron_directory_name(abr_archive_context_t *context)
{
    return NULL == context ? NULL : context->aeron_directory_name;
}

int abr_archive_context_set_control_request_channel(abr_archive_context_t *context, const char *channel)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_request_channel");
    }
    return abr_archive_context_set_string(&context->control_request_channel, channel, "control request channel");
}

const char *abr_archive_context_get_control_request_channel(abr_archive_context_t *context)
{
    return NULL == context ? NULL : context->control_request_channel;
}

int abr_archive_context_set_control_request_stream_id(abr_archive_context_t *context, int32_t stream_id)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_request_stream_id");
    }
    context->control_request_stream_id = stream_id;
    return 0;
}

int32_t abr_archive_context_get_control_request_stream_id(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->control_request_stream_id;
}

int abr_archive_context_set_control_response_channel(abr_archive_context_t *context, const char *channel)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_response_channel");
    }
    return abr_archive_context_set_string(&context->control_response_channel, channel, "control response channel");
}

const char *abr_archive_context_get_control_response_channel(abr_archive_context_t *context)
{
    return NULL == context ? NULL : context->control_response_channel;
}

int abr_archive_context_set_control_response_stream_id(abr_archive_context_t *context, int32_t stream_id)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_response_stream_id");
    }
    context->control_response_stream_id = stream_id;
    return 0;
}

int32_t abr_archive_context_get_control_response_stream_id(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->control_response_stream_id;
}

int abr_archive_context_set_message_timeout_ns(abr_archive_context_t *context, int64_t timeout_ns)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_message_timeout_ns");
    }
    if (timeout_ns <= 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "message timeout must be > 0 ns, got: %" PRId64, timeout_ns);
    }
    context->message_timeout_ns = timeout_ns;
    return 0;
}

int64_t abr_archive_context_get_message_timeout_ns(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->message_timeout_ns;
}

int abr_archive_context_set_idle_strategy(
    abr_archive_context_t *context,
    abr_archive_idle_strategy_t kind,
    int64_t max_spins,
    int64_t max_yields,
    int64_t min_park_period_ns,
    int64_t max_park_period_ns)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_idle_strategy");
    }
    return abr_archive_idle_set(&context->idle, kind, max_spins, max_yields, min_park_period_ns, max_park_period_ns);
}

int abr_archive_context_get_idle_strategy(
    abr_archive_context_t *context,
    abr_archive_idle_strategy_t *kind,
    int64_t *max_spins,
    int64_t *max_yields,
    int64_t *min_park_period_ns,
    int64_t *max_park_period_ns)
{
    if (NULL == context || NULL == kind || NULL == max_spins || NULL == max_yields || NULL == min_park_period_ns ||
        NULL == max_park_period_ns)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT,
            "abr_archive_context_get_idle_strategy: %s must not be null",
            NULL == context ? "context" : NULL == kind ? "kind" : NULL == max_spins ? "max_spins" :
            NULL == max_yields ? "max_yields" : NULL == min_park_period_ns ? "min_park_period_ns" : "max_park_period_ns");
    }
    *kind = context->idle.kind;
    *max_spins = context->idle.max_spins;
    *max_yields = context->idle.max_yields;
    *min_park_period_ns = context->idle.min_park_period_ns;
    *max_park_period_ns = context->idle.max_park_period_ns;
    return 0;
}

int abr_archive_context_set_message_retry_attempts(abr_archive_context_t *context, int32_t attempts)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_message_retry_attempts");
    }
    if (attempts <= 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "message retry attempts must be > 0, got: %" PRId32, attempts);
    }
    context->message_retry_attempts = attempts;
    return 0;
}

int32_t abr_archive_context_get_message_retry_attempts(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->message_retry_attempts;
}

int abr_archive_context_set_client_name(abr_archive_context_t *context, const char *name)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_client_name");
    }
    return abr_archive_context_set_string(&context->client_name, NULL == name ? "" : name, "client name");
}

const char *abr_archive_context_get_client_name(abr_archive_context_t *context)
{
    return NULL == context ? NULL : context->client_name;
}

int abr_archive_context_set_debug_log(abr_archive_context_t *context, const char *target)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_debug_log");
    }
    return abr_archive_context_set_string(&context->debug_log, NULL == target ? "" : target, "debug log");
}

const char *abr_archive_context_get_debug_log(abr_archive_context_t *context)
{
    return NULL == context ? NULL : context->debug_log;
}

int abr_archive_context_set_client(abr_archive_context_t *context, abr_client_t *client)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_client");
    }
    context->client = client;
    return 0;
}

int abr_archive_context_set_test_fault_skip_close_session(abr_archive_context_t *context, bool skip)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_test_fault_skip_close_session");
    }
    context->test_fault_skip_close_session = skip;
    return 0;
}

int abr_archive_context_set_recording_signal_consumer(
    abr_archive_context_t *context, abr_archive_recording_signal_consumer_t consumer, void *clientd)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_recording_signal_consumer");
    }
    context->recording_signal_consumer = consumer;
    context->recording_signal_consumer_clientd = clientd;
    return 0;
}

int abr_archive_context_set_error_handler(
    abr_archive_context_t *context, abr_archive_error_handler_t handler, void *clientd)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_error_handler");
    }
    context->error_handler = handler;
    context->error_handler_clientd = clientd;
    return 0;
}

int abr_archive_context_set_auto_poll_interval_ns(abr_archive_context_t *context, int64_t interval_ns)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_auto_poll_interval_ns");
    }
    if (interval_ns < 0)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "auto-poll interval must be >= 0 ns (0 = off), got: %" PRId64, interval_ns);
    }
    context->auto_poll_interval_ns = interval_ns;
    return 0;
}

int64_t abr_archive_context_get_auto_poll_interval_ns(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->auto_poll_interval_ns;
}

int abr_archive_context_set_locking(abr_archive_context_t *context, bool enabled)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_locking");
    }
    context->locking_disabled = !enabled;
    return 0;
}

bool abr_archive_context_get_locking(abr_archive_context_t *context)
{
    return NULL == context || !context->locking_disabled;
}

/* Term lengths the driver accepts: a power of two from 64 KiB to 1 GiB (io.aeron.logbuffer.LogBufferDescriptor). */
int abr_archive_context_set_control_term_buffer_length(abr_archive_context_t *context, int32_t length)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_term_buffer_length");
    }
    if (length < 64 * 1024 || length > 1024 * 1024 * 1024 || 0 != (length & (length - 1)))
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT,
            "control term buffer length must be a power of 2 between 64KiB and 1GiB, got: %" PRId32, length);
    }
    context->control_term_buffer_length = length;
    return 0;
}

int32_t abr_archive_context_get_control_term_buffer_length(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->control_term_buffer_length;
}

/* MTUs the driver accepts: a multiple of the 32-byte frame alignment, from a header's worth to 64 KiB. */
int abr_archive_context_set_control_mtu_length(abr_archive_context_t *context, int32_t length)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_mtu_length");
    }
    if (length < 64 || length > 64 * 1024 || 0 != (length % 32))
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT,
            "control MTU length must be a multiple of 32 between 64 and 65536, got: %" PRId32, length);
    }
    context->control_mtu_length = length;
    return 0;
}

int32_t abr_archive_context_get_control_mtu_length(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->control_mtu_length;
}

int abr_archive_context_set_control_term_buffer_sparse(abr_archive_context_t *context, bool sparse)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_control_term_buffer_sparse");
    }
    context->control_term_buffer_sparse = sparse;
    return 0;
}

bool abr_archive_context_get_control_term_buffer_sparse(abr_archive_context_t *context)
{
    return NULL == context ? ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_DEFAULT : context->control_term_buffer_sparse;
}

int abr_archive_context_set_credentials_supplier(
    abr_archive_context_t *context,
    abr_archive_encoded_credentials_func_t encoded_credentials,
    abr_archive_on_challenge_func_t on_challenge,
    abr_archive_free_credentials_func_t on_free,
    void *clientd)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_credentials_supplier");
    }
    if (NULL == encoded_credentials || NULL == on_challenge || NULL == on_free)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT,
            "abr_archive_context_set_credentials_supplier: encoded_credentials, on_challenge and on_free must not be "
            "null, got encoded_credentials=%s on_challenge=%s on_free=%s",
            NULL == encoded_credentials ? "null" : "set",
            NULL == on_challenge ? "null" : "set",
            NULL == on_free ? "null" : "set");
    }
    context->encoded_credentials = encoded_credentials;
    context->on_challenge = on_challenge;
    context->free_credentials = on_free;
    context->credentials_clientd = clientd;
    return 0;
}

/* org.agrona.SemanticVersion, as AeronArchive uses it, packs three parts of 0..255 each. */
int abr_archive_context_set_protocol_semantic_version(abr_archive_context_t *context, int32_t version)
{
    if (NULL == context)
    {
        return abr_archive_context_missing("abr_archive_context_set_protocol_semantic_version");
    }
    if (version < 0 || version > 0xFFFFFF)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT,
            "protocol semantic version must be (major << 16) | (minor << 8) | patch with each part in 0..255, got: %"
            PRId32, version);
    }
    context->protocol_semantic_version = version;
    return 0;
}

int32_t abr_archive_context_get_protocol_semantic_version(abr_archive_context_t *context)
{
    return NULL == context ? 0 : context->protocol_semantic_version;
}
