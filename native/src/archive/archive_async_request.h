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

/* Ask the archive to stop a replay and forget about it: the answer, whenever it comes, is not waited for. */
int abr_archive_async_stop_replay_unanswered(abr_archive_t *archive, int64_t replay_session_id);

/* Read the response channel once (a recording signal goes to the consumer): 1 when the request's answer is an OK
 * response (*relevant_id set, request done), 0 while it has not arrived, -1 when the answer is an error (request done),
 * when an error for another request of the session arrives unclaimed, or when the archive is not connected or closed.
 * With no request outstanding (request NULL or done) it only reads, failing on those errors as well. */
int abr_archive_async_poll(abr_archive_async_request_t *request, abr_archive_t *archive, int64_t *relevant_id);

/* Stop waiting for the request's answer (a no-op when none is outstanding). */
void abr_archive_async_abandon(abr_archive_async_request_t *request, abr_archive_t *archive);

#endif
