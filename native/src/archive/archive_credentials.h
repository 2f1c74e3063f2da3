/*
 * The context's credentials supplier, called the way AeronArchive calls its CredentialsSupplier: for the encoded
 * credentials of every connect request offered, and for the answer to a challenge. What the application hands over is
 * checked before it is sent and always handed back to its free callback.
 */
#ifndef ABR_ARCHIVE_CREDENTIALS_H
#define ABR_ARCHIVE_CREDENTIALS_H

#include "archive_context.h"

/* The credentials to send: the supplier's, or empty without one (NullCredentialsSupplier). 0 done, -1 failed (error
 * set; nothing is held). */
int abr_archive_credentials_encoded(const abr_archive_context_t *ctx, abr_archive_credentials_t *credentials);

/* The answer to a challenge: the supplier's, or empty without one (NullCredentialsSupplier). 0 done, -1 failed. */
int abr_archive_credentials_on_challenge(
    const abr_archive_context_t *ctx,
    const uint8_t *challenge,
    uint32_t challenge_length,
    int64_t control_session_id,
    abr_archive_credentials_t *response);

/* Hand credentials from either call back to the supplier's free callback; empty ones are not the supplier's. */
void abr_archive_credentials_release(const abr_archive_context_t *ctx, abr_archive_credentials_t *credentials);

#endif
