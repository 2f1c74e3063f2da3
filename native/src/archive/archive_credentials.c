#include <inttypes.h>
#include <string.h>

#include "archive_credentials.h"
#include "core/error.h"

/* A buffer the application returned and the library must give back, told apart from the empty default. */
static bool abr_archive_credentials_from_supplier(const abr_archive_context_t *ctx)
{
    return NULL != ctx->encoded_credentials;
}

/* Checked before anything is sent: bytes without an address would be read from NULL. */
static int abr_archive_credentials_check(
    const abr_archive_context_t *ctx, abr_archive_credentials_t *credentials, const char *callback)
{
    if (NULL == credentials->data && 0 != credentials->length)
    {
        const uint32_t length = credentials->length;
        abr_archive_credentials_release(ctx, credentials);
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT,
            "credentials supplier: %s returned null data with length=%" PRIu32, callback, length);
    }
    return 0;
}

int abr_archive_credentials_encoded(const abr_archive_context_t *ctx, abr_archive_credentials_t *credentials)
{
    memset(credentials, 0, sizeof(*credentials));
    if (!abr_archive_credentials_from_supplier(ctx))
    {
        return 0;
    }
    if (ctx->encoded_credentials(ctx->credentials_clientd, credentials) < 0)
    {
        memset(credentials, 0, sizeof(*credentials));
        return abr_error_set(
            ABR_ERROR_ILLEGAL_STATE, "credentials supplier: encoded_credentials failed, the connect request is not sent");
    }
    return abr_archive_credentials_check(ctx, credentials, "encoded_credentials");
}

int abr_archive_credentials_on_challenge(
    const abr_archive_context_t *ctx,
    const uint8_t *challenge,
    uint32_t challenge_length,
    int64_t control_session_id,
    abr_archive_credentials_t *response)
{
    memset(response, 0, sizeof(*response));
    if (!abr_archive_credentials_from_supplier(ctx))
    {
        return 0;
    }
    if (ctx->on_challenge(ctx->credentials_clientd, challenge, challenge_length, response) < 0)
    {
        memset(response, 0, sizeof(*response));
        return abr_error_set(
            ABR_ERROR_ILLEGAL_STATE,
            "credentials supplier: on_challenge failed to answer the archive's challenge of %" PRIu32
            " bytes, controlSessionId=%" PRId64,
            challenge_length,
            control_session_id);
    }
    return abr_archive_credentials_check(ctx, response, "on_challenge");
}

void abr_archive_credentials_release(const abr_archive_context_t *ctx, abr_archive_credentials_t *credentials)
{
    if (abr_archive_credentials_from_supplier(ctx) && NULL != ctx->free_credentials)
    {
        ctx->free_credentials(ctx->credentials_clientd, credentials);
    }
    memset(credentials, 0, sizeof(*credentials));
}
