/*
 * Auto-poll: an extension AeronArchive lacks. Since Aeron 1.47 the Archive ends a control session whose responses it
 * cannot deliver for connectTimeoutMs, and an application that only starts a recording and then waits never polls.
 * This thread polls the response channel every interval under the client's lock, so the session stays alive, signals
 * reach their consumer and errors their handler (or wait, kept, for the next poll/check call).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "archive_client.h"
#include "core/error.h"

/* Enough to drain a burst without holding the lock against the application for long. */
#define ABR_ARCHIVE_AUTO_POLL_MAX_MESSAGES 16

static void abr_archive_auto_poll_step(abr_archive_t *archive)
{
    pthread_mutex_lock(&archive->lock);
    if (ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(archive))
    {
        if (archive->owns_client)
        {
            /* An owned core in invoker mode has no other thread to keep it alive with the driver. */
            abr_client_do_work(archive->client);
        }
        for (int i = 0; i < ABR_ARCHIVE_AUTO_POLL_MAX_MESSAGES; i++)
        {
            abr_archive_poll_event_t event = abr_archive_poll_once(archive, NULL);
            if (ABR_ARCHIVE_POLL_ERROR == event && !abr_archive_handle_error(archive, &archive->response_poller))
            {
                abr_archive_keep_pending_error(archive);
            }
            if (ABR_ARCHIVE_POLL_NOTHING == event || ABR_ARCHIVE_POLL_FAILED == event)
            {
                break;
            }
        }
        if (!abr_subscription_is_connected(archive->subscription))
        {
            abr_archive_set_state(archive, ABR_ARCHIVE_STATE_DISCONNECTED);
        }
    }
    pthread_mutex_unlock(&archive->lock);
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
    pthread_mutex_unlock(&archive->auto_poll_stop_lock);
    return NULL;
}

int abr_archive_auto_poll_start(abr_archive_t *archive)
{
    archive->auto_poll_started = false;
    archive->auto_poll_stopping = false;
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
