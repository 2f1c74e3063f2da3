/*
 * The proof that the archive is done with a client's CloseSessionRequest, so that the client may remove its request
 * publication and response subscription without the archive seeing its control publication disconnect first.
 */
#ifndef ABR_ARCHIVE_CLOSE_PROOF_H
#define ABR_ARCHIVE_CLOSE_PROOF_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_client.h"

typedef struct abr_archive_close_proof_stct
{
    abr_client_t *client;
    abr_exclusive_publication_t *publication;
    abr_subscription_t *subscription;
    int32_t request_stream_id;
    bool request_multicast;
    /* The request publication's position after the CloseSessionRequest. */
    int64_t request_end;
}
abr_archive_close_proof_t;

/*
 * Whether the proof holds (the subscription's images_lock held by the caller, as the core's deferred release holds
 * it): every receiver the client's driver holds of the request publication's session and stream has read past
 * request_end; or the archive closed the response publication (the response image is gone or has an end of stream);
 * or the request publication lost the archive. Takes a proof as void * for abr_client_release_when.
 */
bool abr_archive_close_proof_holds(void *proof);

#endif
