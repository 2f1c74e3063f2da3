/*
 * Requests of an archive client sent without waiting for their answer, for state machines the caller polls (replay
 * merge): send, then poll the response channel once per duty cycle until the answer is there. While a request is
 * outstanding its answer is kept for it even when another call of the client (on any thread) or the auto-poll thread
 * reads it, through the client's waiter list, so nothing that shares the client can swallow it.
 */
#ifndef ABR_ARCHIVE_ASYNC_REQUEST_H
#define ABR_ARCHIVE_ASYNC_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "archive_client.h"

typedef struct abr_archive_async_request_stct
{
    /* Linked into the client's waiters from the send until the answer is taken or the request abandoned. */
    abr_archive_waiter_t waiter;
    bool outstanding;
    const char *operation;
}
abr_archive_async_request_t;

/* Send one request (the request struct must not be outstanding): 0 sent, -1 failed (error set, naming the request). */
int abr_archive_async_max_recorded_position(
    abr_archive_async_request_t *request, abr_archive_t *archive, int64_t recording_id);
int abr_archive_async_replay(
    abr_archive_async_request_t *request, abr_archive_t *archive, const abr_archive_replay_request_t *replay);

/* Ask for a replay token for the recording (answered with the token as relevant id). */
int abr_archive_async_replay_token(abr_archive_async_request_t *request, abr_archive_t *archive, int64_t recording_id);
/* As abr_archive_async_replay, sent over another publication to the archive (a response channel's request
 * publication), for the client's control session: the answer comes on the client's response channel. */
int abr_archive_async_replay_via(abr_archive_async_request_t *request, abr_archive_t *archive,
    abr_archive_proxy_t *proxy, const abr_archive_replay_request_t *replay);

/* Ask the archive to stop a replay and forget about it: the answer, whenever it comes, is not waited for. */
int abr_archive_async_stop_replay_unanswered(abr_archive_t *archive, int64_t replay_session_id);

/* Read the response channel once (a recording signal goes to the consumer): 1 when the request's answer is an OK
 * response (*relevant_id set, request done), 0 while it has not arrived, -1 when the answer is an error (request done),
 * when an error for another request of the session arrives unclaimed, or when the archive is not connected or closed.
 * With no request outstanding (request NULL or done) it only reads, failing on those errors as well. */
int abr_archive_async_poll(abr_archive_async_request_t *request, abr_archive_t *archive, int64_t *relevant_id);

/* Stop waiting for the request's answer (a no-op when none is outstanding). */
void abr_archive_async_abandon(abr_archive_async_request_t *request, abr_archive_t *archive);

/* A list-recording request whose descriptor is read across polls, through the client's descriptor poller: no other
 * listing and no other read of the response channel (abr_archive_async_poll) may run on the client while it is
 * outstanding, or they would take its answer. For a client one state machine owns (the persistent subscription's). */
typedef struct abr_archive_async_listing_stct
{
    bool outstanding;
    int64_t correlation_id;
}
abr_archive_async_listing_t;

/* Send a ListRecording request: 0 sent, -1 failed (error set). The consumer gets the descriptor during a poll. */
int abr_archive_async_list_recording(
    abr_archive_async_listing_t *listing,
    abr_archive_t *archive,
    int64_t recording_id,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd);

/* Read the response channel once for the listing: 1 once it is complete (*count descriptors were handed over, 0 for
 * an unknown recording), 0 while it is not, -1 when the archive answered with an error, the response channel is not
 * connected or the client is closed (the listing is done then too). Never waits. */
int abr_archive_async_listing_poll(abr_archive_async_listing_t *listing, abr_archive_t *archive, int32_t *count);

#endif
