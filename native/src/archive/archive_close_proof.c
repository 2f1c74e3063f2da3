#include "archive_close_proof.h"
#include "core/counters.h"
#include "core/image.h"
#include "core/subscription.h"

/*
 * The archive ends the session while it reads the request, before its subscriber position moves past it, so a
 * position past request_end proves the archive is done. Spies are not receivers: a spy's position (such as the gate's
 * tap of the control channel, on the clients' driver when the archive is on another) proves nothing about the archive,
 * and taking it made Archive 1.47.3 log "terminated: control publication not connected" for a client that removed its
 * response subscription before the archive had read the request. For a multicast request endpoint only the response
 * channel's end counts. With an archive on another driver no receiver is seen here,
 * and the proof waits for the end of the response stream, which comes with the archive sender's next heartbeat.
 */
bool abr_archive_close_proof_holds(void *clientd)
{
    const abr_archive_close_proof_t *proof = clientd;
    int64_t consumed = 0;
    if (!proof->request_multicast &&
        abr_counters_subscriber_positions(proof->client, abr_exclusive_publication_session_id(proof->publication),
        proof->request_stream_id, true, &consumed) > 0 && consumed >= proof->request_end)
    {
        return true;
    }
    if (!abr_exclusive_publication_is_connected(proof->publication))
    {
        return true;
    }
    abr_subscription_t *subscription = proof->subscription;
    bool response_closed = 0 == subscription->image_count;
    for (int i = 0; i < subscription->image_count && !response_closed; i++)
    {
        response_closed = INT64_MAX != abr_image_end_of_stream_position(subscription->images[i]);
    }
    return response_closed;
}
