/*
 * The connected archive client: what connect builds, the operations use and close releases.
 */
#ifndef ABR_ARCHIVE_CLIENT_H
#define ABR_ARCHIVE_CLIENT_H

#include <pthread.h>

#include "abr/abr_archive.h"
#include "archive_context.h"
#include "archive_proxy.h"
#include "control_response_poller.h"
#include "recording_descriptor_poller.h"

typedef enum abr_archive_state_en
{
    ABR_ARCHIVE_STATE_CONNECTED,
    ABR_ARCHIVE_STATE_DISCONNECTED,
    ABR_ARCHIVE_STATE_CLOSED
}
abr_archive_state_t;

struct abr_archive_stct
{
    abr_archive_context_t *ctx;
    abr_client_t *client;
    bool owns_client;
    char *request_channel;
    char *response_channel;
    abr_exclusive_publication_t *publication;
    abr_subscription_t *subscription;
    abr_archive_proxy_t proxy;
    abr_control_response_poller_t response_poller;
    abr_recording_descriptor_poller_t descriptor_poller;
    int64_t control_session_id;
    int64_t archive_id;
    abr_archive_state_t state;
    pthread_mutex_t lock;
};

/* Monotonic time, for deadlines. */
int64_t abr_archive_nano_time(void);

/* Back off while waiting for the archive: spin a little, then yield, then sleep briefly. */
void abr_archive_idle(int *idle_count);

/* Take the client's lock and check it may be used: 0 locked, -1 not (lock not held, error set). */
int abr_archive_enter(abr_archive_t *archive, const char *operation);
void abr_archive_exit(abr_archive_t *archive);

/* Wait for the control response to correlation_id; *relevant_id receives its relevant id. */
int abr_archive_poll_for_response(abr_archive_t *archive, int64_t correlation_id, int64_t *relevant_id);

/* Wait for the descriptors answering correlation_id; *count receives how many arrived. */
int abr_archive_poll_for_descriptors(
    abr_archive_t *archive,
    int64_t correlation_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd,
    int32_t *count);

/* Put the session's identity in front of the thread's error message, so every failure says where. */
int abr_archive_error_context(abr_archive_t *archive, int64_t correlation_id);

/* Release everything the client holds, sending CloseSessionRequest first when the session is connected. */
int abr_archive_release(abr_archive_t *archive, bool send_close_session);

#endif
