/*
 * The connected archive client: what connect builds, the operations use and close releases.
 */
#ifndef ABR_ARCHIVE_CLIENT_H
#define ABR_ARCHIVE_CLIENT_H

#include <pthread.h>
#include <stdio.h>

#include "abr/abr_archive.h"
#include "archive_context.h"
#include "core/atomics.h"
#include "core/clock.h"
#include "archive_proxy.h"
#include "control_response_poller.h"
#include "recording_descriptor_poller.h"

typedef enum abr_archive_poll_event_en
{
    ABR_ARCHIVE_POLL_FAILED = -1,
    ABR_ARCHIVE_POLL_NOTHING = 0,
    ABR_ARCHIVE_POLL_SIGNAL = 1,
    ABR_ARCHIVE_POLL_ERROR = 2
}
abr_archive_poll_event_t;

#define ABR_ARCHIVE_PENDING_ERROR_MAX_LENGTH 1024

/* An archive error for this session that arrived when nobody waited for it and no handler was set (auto-poll). */
typedef struct abr_archive_pending_error_stct
{
    bool present;
    int32_t code;
    int64_t correlation_id;
    char message[ABR_ARCHIVE_PENDING_ERROR_MAX_LENGTH];
}
abr_archive_pending_error_t;

/*
 * A call of this thread waiting for its control response. A callback inside the wait may make a call of its own
 * (AeronArchive's lock is re-entrant too); whatever that nested call reads answering an outer call is left here for
 * it instead of being passed over, so the outer call neither loses its answer nor waits out its timeout.
 */
typedef struct abr_archive_waiter_stct
{
    int64_t correlation_id;
    bool arrived;
    int32_t code;
    int64_t relevant_id;
    char error_message[ABR_ARCHIVE_PENDING_ERROR_MAX_LENGTH];
    struct abr_archive_waiter_stct *outer;
}
abr_archive_waiter_t;

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
    /* An abr_archive_state_t, changed under the lock; stored with release so abr_archive_state may read it from any
     * thread (with acquire) without the lock, as AeronArchive's state() reads its field. */
    int state;
    /* The correlation id of the last request an operation sent (not connect's), ABR_ARCHIVE_NULL_VALUE before one;
     * as state, read without the lock. */
    int64_t last_correlation_id;
    /* Set (release) by the core's conductor when the response image goes unavailable; read (acquire) by the next
     * call, which then closes the client, as AeronArchive's unavailable image handler and ensureConnected do. */
    int32_t response_image_lost;
    /* The request channel's endpoint is a multicast group: a receiver of it in this driver need not be the archive,
     * so close does not take receivers' positions as proof (see release). */
    bool request_multicast;
    /* Set (release) once a call or the auto-poll thread found the core closed, its Media Driver declared dead: the
     * core's close takes the response image away, as Aeron's does, so the client is as one whose image went. */
    int32_t core_lost;
    /* Recursive: a callback may call the client on the thread that dispatched it. */
    pthread_mutex_t lock;
    /* How many times the owning thread holds the lock; only that thread reads or changes it. */
    int lock_depth;
    /* Set once at connect from the context (locking off, no auto-poll): the lock is then never taken by calls. */
    bool lock_off;
    /* While a listing dispatches descriptors, calls from its callbacks are refused, as AeronArchive refuses them: the
     * listing is in the middle of reading the response channel. */
    bool in_listing;
    /* The client closed itself (its response channel went) inside a callback: the control publication and
     * subscription are released when the outermost call of the thread exits, since the outer calls still use them. */
    bool release_pending;
    /* abr_archive_close was called from a callback inside a call: the outermost call finishes it as it exits. */
    bool close_pending;
    /* The publication, subscription and core were released (a second release does nothing). */
    bool released;
    /* The calls of the lock's owner waiting for responses, innermost first. */
    abr_archive_waiter_t *waiters;
    abr_archive_pending_error_t pending_error;
    FILE *debug_log;
    pthread_t auto_poll_thread;
    pthread_mutex_t auto_poll_stop_lock;
    pthread_cond_t auto_poll_stop_signal;
    bool auto_poll_started;
    bool auto_poll_stopping;
    /* abr_archive_close ran on the auto-poll thread (from a callback): it cannot join itself, so the thread frees the
     * client once the callback has returned, and detaches. */
    bool auto_poll_frees_archive;
};

static inline abr_archive_state_t abr_archive_get_state(const abr_archive_t *archive)
{
    return (abr_archive_state_t)abr_load_int_acquire(&archive->state);
}

static inline void abr_archive_set_state(abr_archive_t *archive, abr_archive_state_t state)
{
    abr_store_int_release(&archive->state, (int)state);
}

/* A correlation id for the next request of an operation, kept as the client's last (AeronArchive.lastCorrelationId). */
int64_t abr_archive_next_correlation_id(abr_archive_t *archive);

/* Monotonic time, for deadlines. */
int64_t abr_archive_nano_time(void);

/* One step of waiting for the archive, as the context's idle strategy says (idle_count: steps since progress). */
void abr_archive_idle(const abr_archive_t *archive, int64_t *idle_count);

/* The response subscription's unavailable image handler (clientd is the archive): marks the response image lost. */
void abr_archive_on_response_image_lost(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image);

/* Create the client's recursive lock; take and leave it, counting the owner's depth. Leaving the outermost level
 * finishes what a callback left pending: the self-close's release, and abr_archive_close (the client is freed then,
 * so nothing may touch it after abr_archive_unlock unless the caller knows no close can be pending). */
int abr_archive_lock_init(abr_archive_t *archive);
void abr_archive_lock(abr_archive_t *archive);
void abr_archive_unlock(abr_archive_t *archive);

/* Free what abr_archive_close leaves after the release: the lock, channels, context and the struct itself. */
void abr_archive_free(abr_archive_t *archive);

/* Close a client nobody else is inside: release it, stop its auto-poll thread and free it. Without may_join (or on
 * the auto-poll thread itself) the auto-poll thread is told to free it as it ends, instead of being waited for. */
int abr_archive_finish_close(abr_archive_t *archive, bool may_join);

/* Take the client's lock and check it may be used: 0 locked, -1 not (lock not held, error set). A client that lost
 * its response channel closes itself here, and the call fails as on a closed client. */
int abr_archive_enter(abr_archive_t *archive, const char *operation);
void abr_archive_exit(abr_archive_t *archive);

/* As abr_archive_enter, for the calls AeronArchive lets carry on after closing itself (pollForErrorResponse,
 * checkForErrorResponse, pollForRecordingSignals): 1 when the client has just closed itself, with the lock held and
 * no control publication or subscription left. */
int abr_archive_enter_or_self_close(abr_archive_t *archive, const char *operation);

/* CONNECTED becomes DISCONNECTED; a closed client stays closed, as AeronArchive's state() keeps CLOSED. */
void abr_archive_mark_disconnected(abr_archive_t *archive);

/* Wait for the control response to correlation_id; *relevant_id receives its relevant id. */
int abr_archive_poll_for_response(abr_archive_t *archive, int64_t correlation_id, int64_t *relevant_id);

/* As above, but an archive error with wire code allowed_archive_code (>= 0) answering this request is not a failure:
 * *allowed is set and 0 returned, as AeronArchive's try-variants do. */
int abr_archive_poll_for_response_allowing(
    abr_archive_t *archive, int64_t correlation_id, int32_t allowed_archive_code, int64_t *relevant_id, bool *allowed);

/* Hand the signal the poller holds to the context's consumer, if there is one. */
void abr_archive_dispatch_signal(abr_archive_t *archive, const abr_control_response_poller_t *poller);

/* The signal the poller holds, as the consumer receives it. */
void abr_archive_signal_from_poller(const abr_control_response_poller_t *poller, abr_archive_recording_signal_t *signal);

/* A control response for this session answering correlation_id: if an outer call of this thread waits for it, it is
 * kept for that call and true returned. */
bool abr_archive_pass_to_waiter(
    abr_archive_t *archive, int64_t correlation_id, int32_t code, int64_t relevant_id, const char *error_message);

/* Fail with ABR_ERROR_CLOSED when a callback just closed the client: the call that dispatched it stops there. */
int abr_archive_check_not_closed_by_callback(abr_archive_t *archive, int64_t correlation_id);

/* Hand the error the poller holds to the context's error handler: true if there is one. */
bool abr_archive_handle_error(abr_archive_t *archive, const abr_control_response_poller_t *poller);

/* 0 while the response channel is connected; otherwise marks the client disconnected and fails naming the session. */
int abr_archive_check_response_channel(abr_archive_t *archive, int64_t correlation_id);

/* Wait for the descriptors answering correlation_id; *count receives how many arrived. */
int abr_archive_poll_for_descriptors(
    abr_archive_t *archive,
    int64_t correlation_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd,
    int32_t *count);

/* Wait for the recording subscription descriptors answering correlation_id; *count receives how many arrived. */
int abr_archive_poll_for_subscription_descriptors(
    abr_archive_t *archive,
    int64_t correlation_id,
    int32_t subscription_count,
    abr_archive_recording_subscription_descriptor_consumer_t consumer,
    void *clientd,
    int32_t *count);

/* Sends one request: 0 sent, -1 failed (error set). */
typedef int (*abr_archive_send_func_t)(abr_archive_t *archive, int64_t correlation_id, const void *request);

/* A call answered by one control response, under the client's lock: send, then wait for the response to its
 * correlation id; *relevant_id (may be NULL) receives the response's relevant id. */
int abr_archive_call(
    abr_archive_t *archive,
    const char *operation,
    abr_archive_send_func_t send,
    const void *request,
    int64_t *relevant_id);

/* Put the session's identity in front of the thread's error message, so every failure says where. */
int abr_archive_error_context(abr_archive_t *archive, int64_t correlation_id);

/* Poll the response channel once: a signal for this session is dispatched; an error for it is left in the poller.
 * *fragments_read (may be NULL) receives how many fragments the poll read. */
abr_archive_poll_event_t abr_archive_poll_once(abr_archive_t *archive, int *fragments_read);

/* As abr_archive_poll_once, but a signal is left in the poller too, for a caller that dispatches it later. */
abr_archive_poll_event_t abr_archive_poll_next(abr_archive_t *archive, int *fragments_read);

/* Keep the error the poller holds for the next poll/check call to report. */
void abr_archive_keep_pending_error(abr_archive_t *archive);

/* Start the auto-poll thread when the context asks for one (after connect), and stop it (before close). */
int abr_archive_auto_poll_start(abr_archive_t *archive);
void abr_archive_auto_poll_stop(abr_archive_t *archive);

/* True on the client's auto-poll thread (in one of its callbacks). */
bool abr_archive_auto_poll_is_current_thread(const abr_archive_t *archive);

/* Tell the auto-poll thread, from one of its callbacks, to stop and free the client once the callback returns. */
void abr_archive_auto_poll_hand_over(abr_archive_t *archive);

/* Release everything the client holds, sending CloseSessionRequest first when the session is connected. */
int abr_archive_release(abr_archive_t *archive, bool send_close_session);

#endif
