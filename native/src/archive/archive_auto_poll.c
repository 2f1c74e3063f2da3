/*
 * Auto-poll: an extension AeronArchive lacks. Since Aeron 1.47 the Archive ends a control session whose responses it
 * cannot deliver for connectTimeoutMs, and an application that only starts a recording and then waits never polls.
 * This thread polls the response channel every interval under the client's lock, so the session stays alive, signals
 * reach their consumer and errors their handler (or wait, kept, for the next poll/check call). A callback may call the
 * client, close it included.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "archive_client.h"
#include "core/error.h"

/* Enough to drain a burst without holding the lock against the application for long. */
#define ABR_ARCHIVE_AUTO_POLL_MAX_MESSAGES 16

/* The client whose auto-poll thread this is, if it is one: how close knows it was called from a callback here. */
static _Thread_local abr_archive_t *abr_archive_auto_poll_client = NULL;

bool abr_archive_auto_poll_is_current_thread(const abr_archive_t *archive)
{
    return NULL != archive && abr_archive_auto_poll_client == archive;
}

void abr_archive_auto_poll_hand_over(abr_archive_t *archive)
{
    pthread_mutex_lock(&archive->auto_poll_stop_lock);
    archive->auto_poll_stopping = true;
    archive->auto_poll_frees_archive = true;
    pthread_cond_signal(&archive->auto_poll_stop_signal);
    /* The thread may free the client as soon as this is unlocked. */
    pthread_mutex_unlock(&archive->auto_poll_stop_lock);
}

/*
 * Callbacks run without the client's lock: one may call the client, and the Java layer takes its own lock first
 * in every call, so a Java thread may hold that one while it waits for this one. Holding ours here while a callback
 * waits for theirs would deadlock both. What the callback needs is copied out of the poller first.
 */
static void abr_archive_auto_poll_deliver_signal(abr_archive_t *archive)
{
    abr_archive_recording_signal_t signal;
    abr_archive_signal_from_poller(&archive->response_poller, &signal);
    abr_archive_unlock(archive);
    archive->ctx->recording_signal_consumer(archive->ctx->recording_signal_consumer_clientd, &signal);
    abr_archive_lock(archive);
}

static void abr_archive_auto_poll_deliver_error(abr_archive_t *archive)
{
    const abr_control_response_poller_t *poller = &archive->response_poller;
    abr_archive_pending_error_t error = {
        .present = true, .code = abr_error_code_from_archive(poller->relevant_id),
        .correlation_id = poller->correlation_id };
    snprintf(error.message, sizeof(error.message), "%s", poller->error_message);
    abr_archive_unlock(archive);
    archive->ctx->error_handler(archive->ctx->error_handler_clientd, error.code, error.correlation_id, error.message);
    abr_archive_lock(archive);
}

static void abr_archive_auto_poll_step(abr_archive_t *archive)
{
    abr_archive_lock(archive);
    if (ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(archive) && archive->owns_client)
    {
        /* An owned core in invoker mode has no other thread to keep it alive with the driver. */
        abr_client_do_work(archive->client);
    }
    /* The state is checked again after each callback: one may have closed the client. */
    for (int i = 0;
        i < ABR_ARCHIVE_AUTO_POLL_MAX_MESSAGES && ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(archive);
        i++)
    {
        abr_archive_poll_event_t event = abr_archive_poll_next(archive, NULL);
        if (ABR_ARCHIVE_POLL_SIGNAL == event && NULL != archive->ctx->recording_signal_consumer)
        {
            abr_archive_auto_poll_deliver_signal(archive);
        }
        else if (ABR_ARCHIVE_POLL_ERROR == event && NULL != archive->ctx->error_handler)
        {
            abr_archive_auto_poll_deliver_error(archive);
        }
        else if (ABR_ARCHIVE_POLL_ERROR == event)
        {
            abr_archive_keep_pending_error(archive);
        }
        else if (ABR_ARCHIVE_POLL_NOTHING == event || ABR_ARCHIVE_POLL_FAILED == event)
        {
            break;
        }
    }
    if (ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(archive) &&
        (!abr_subscription_is_connected(archive->subscription) || abr_client_is_closed(archive->client)))
    {
        abr_archive_set_state(archive, ABR_ARCHIVE_STATE_DISCONNECTED);
    }
    abr_archive_unlock(archive);
}

static void abr_archive_auto_poll_deadline(struct timespec *deadline, int64_t interval_ns)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    *deadline = abr_timespec_after(now, interval_ns);
}

static void *abr_archive_auto_poll_run(void *arg)
{
    abr_archive_t *archive = arg;
    abr_archive_auto_poll_client = archive;
    const int64_t interval_ns = archive->ctx->auto_poll_interval_ns;
    pthread_mutex_lock(&archive->auto_poll_stop_lock);
    while (!archive->auto_poll_stopping)
    {
        struct timespec deadline;
        abr_archive_auto_poll_deadline(&deadline, interval_ns);
        int waited = 0;
        while (!archive->auto_poll_stopping && ETIMEDOUT != waited)
        {
            waited = pthread_cond_timedwait(&archive->auto_poll_stop_signal, &archive->auto_poll_stop_lock, &deadline);
        }
        if (archive->auto_poll_stopping)
        {
            break;
        }
        pthread_mutex_unlock(&archive->auto_poll_stop_lock);
        abr_archive_auto_poll_step(archive);
        pthread_mutex_lock(&archive->auto_poll_stop_lock);
    }
    const bool frees_archive = archive->auto_poll_frees_archive;
    pthread_mutex_unlock(&archive->auto_poll_stop_lock);
    abr_archive_auto_poll_client = NULL;
    if (frees_archive)
    {
        /* Closed from one of this thread's callbacks, which has returned: nobody joins this thread, and nothing
         * else uses the client any more (its close was the last call). */
        pthread_detach(pthread_self());
        pthread_cond_destroy(&archive->auto_poll_stop_signal);
        pthread_mutex_destroy(&archive->auto_poll_stop_lock);
        abr_archive_free(archive);
    }
    return NULL;
}

int abr_archive_auto_poll_start(abr_archive_t *archive)
{
    archive->auto_poll_started = false;
    archive->auto_poll_stopping = false;
    archive->auto_poll_frees_archive = false;
    if (archive->ctx->auto_poll_interval_ns <= 0)
    {
        return 0;
    }

    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    int result = pthread_cond_init(&archive->auto_poll_stop_signal, &attributes);
    pthread_condattr_destroy(&attributes);
    if (0 != result)
    {
        return abr_error_set(ABR_ERROR_INTERNAL, "auto-poll: cannot create its condition: %s", strerror(result));
    }
    pthread_mutex_init(&archive->auto_poll_stop_lock, NULL);

    result = pthread_create(&archive->auto_poll_thread, NULL, abr_archive_auto_poll_run, archive);
    if (0 != result)
    {
        pthread_cond_destroy(&archive->auto_poll_stop_signal);
        pthread_mutex_destroy(&archive->auto_poll_stop_lock);
        return abr_error_set(ABR_ERROR_INTERNAL, "auto-poll: cannot start its thread: %s", strerror(result));
    }
    archive->auto_poll_started = true;
    return 0;
}

void abr_archive_auto_poll_stop(abr_archive_t *archive)
{
    if (!archive->auto_poll_started)
    {
        return;
    }
    pthread_mutex_lock(&archive->auto_poll_stop_lock);
    archive->auto_poll_stopping = true;
    pthread_cond_signal(&archive->auto_poll_stop_signal);
    pthread_mutex_unlock(&archive->auto_poll_stop_lock);
    pthread_join(archive->auto_poll_thread, NULL);
    pthread_cond_destroy(&archive->auto_poll_stop_signal);
    pthread_mutex_destroy(&archive->auto_poll_stop_lock);
    archive->auto_poll_started = false;
}
