#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abr_codecs/controlResponse.h"
#include "abr_codecs/recordingSignalEvent.h"

#include "archive_client.h"
#include "archive_close_proof.h"
#include "archive_debug_log.h"
#include "core/atomics.h"
#include "core/clock.h"
#include "core/conductor.h"
#include "core/counters.h"
#include "core/deferred_release.h"
#include "core/discarded_handles.h"
#include "core/error.h"
#include "core/image.h"
#include "core/subscription.h"

int64_t abr_archive_nano_time(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

void abr_archive_idle(const abr_archive_t *archive, int64_t *idle_count)
{
    abr_archive_idle_step(&archive->ctx->idle, idle_count);
}

/* This thread's error becomes code with head, then the session and response channel, tied to the request. */
static int abr_archive_error_where(abr_archive_t *archive, int code, const char *head, int64_t correlation_id)
{
    abr_error_set(
        code,
        "%s controlSessionId=%" PRId64 " responseChannel=%s responseStreamId=%" PRId32,
        head,
        archive->control_session_id,
        NULL != archive->response_channel ? archive->response_channel : "",
        archive->ctx->control_response_stream_id);
    abr_error_set_correlation_id(correlation_id);
    return -1;
}

int abr_archive_error_context(abr_archive_t *archive, int64_t correlation_id)
{
    char head[ABR_ERROR_MESSAGE_MAX_LENGTH];
    snprintf(head, sizeof(head), "%s - correlationId=%" PRId64, abr_errmsg(), correlation_id);
    if (ABR_ERROR_DRIVER_REJECTED != abr_errcode())
    {
        return abr_archive_error_where(archive, abr_errcode(), head, correlation_id);
    }
    /* The driver's rejection stays one (its code, message and the rejected command's correlation id) with ours. */
    abr_error_saved_t rejection;
    abr_error_save(&rejection);
    abr_archive_error_where(archive, rejection.code, head, correlation_id);
    snprintf(rejection.message, sizeof(rejection.message), "%s", abr_errmsg());
    return abr_error_restore(&rejection);
}

void abr_archive_on_response_image_lost(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image)
{
    (void)subscription;
    (void)image;
    abr_archive_t *archive = clientd;
    abr_put_int32_release((uint8_t *)&archive->response_image_lost, 1);
}

static int abr_archive_closed_error(abr_archive_t *archive, const char *operation, const char *reason)
{
    return abr_error_set(
        ABR_ERROR_CLOSED,
        "%s: archive client is closed%s - controlSessionId=%" PRId64 " responseChannel=%s responseStreamId=%" PRId32,
        operation,
        reason,
        archive->control_session_id,
        NULL != archive->response_channel ? archive->response_channel : "",
        archive->ctx->control_response_stream_id);
}

/* Under the lock: whether the core has closed or its driver is gone, which the core's next round of work declares
 * (Aeron's conductor thread does it by itself); noted for abr_archive_state. */
static bool abr_archive_core_is_lost(abr_archive_t *archive)
{
    if (!archive->released && NULL != archive->client &&
        (abr_client_is_closed(archive->client) || abr_conductor_driver_is_lost(archive->client)))
    {
        abr_put_int32_release((uint8_t *)&archive->core_lost, 1);
        return true;
    }
    return false;
}

void abr_archive_mark_disconnected(abr_archive_t *archive)
{
    if (ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(archive))
    {
        abr_archive_set_state(archive, ABR_ARCHIVE_STATE_DISCONNECTED);
    }
}

int abr_archive_lock_init(abr_archive_t *archive)
{
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    int result = pthread_mutex_init(&archive->lock, &attributes);
    pthread_mutexattr_destroy(&attributes);
    if (0 != result)
    {
        return abr_error_set(ABR_ERROR_INTERNAL, "archive client: cannot create its lock: %s", strerror(result));
    }
    return 0;
}

void abr_archive_lock(abr_archive_t *archive)
{
    if (!archive->lock_off)
    {
        pthread_mutex_lock(&archive->lock);
    }
    archive->lock_depth++;
}

/* Leave the mutex abr_archive_lock took, if it took it. */
static void abr_archive_unlock_mutex(abr_archive_t *archive)
{
    if (!archive->lock_off)
    {
        pthread_mutex_unlock(&archive->lock);
    }
}

void abr_archive_unlock(abr_archive_t *archive)
{
    const bool outermost = 0 == --archive->lock_depth;
    if (outermost && archive->release_pending)
    {
        archive->release_pending = false;
        abr_archive_release(archive, true);
    }
    const bool finish_close = outermost && archive->close_pending;
    abr_archive_unlock_mutex(archive);
    if (finish_close)
    {
        abr_archive_finish_close(archive, false);
    }
}

static int abr_archive_reentrant_error(abr_archive_t *archive, const char *operation)
{
    return abr_error_set(
        ABR_ERROR_ILLEGAL_STATE,
        "%s: reentrant calls not permitted during callbacks of a listing - controlSessionId=%" PRId64,
        operation,
        archive->control_session_id);
}

int abr_archive_enter_or_self_close(abr_archive_t *archive, const char *operation)
{
    if (NULL == archive)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: archive client must not be null", operation);
    }
    abr_archive_lock(archive);
    if (archive->in_listing)
    {
        /* Only the listing's own thread can hold the lock here: this is a call from one of its callbacks. */
        int result = abr_archive_reentrant_error(archive, operation);
        abr_archive_unlock(archive);
        return result;
    }
    if (0 != abr_get_int32_acquire((const uint8_t *)&archive->response_image_lost) ||
        abr_archive_core_is_lost(archive))
    {
        /* AeronArchive 1.51.0 marks itself disconnected as soon as its response image goes: the archive ended the
         * session, stopped or restarted, or the client's Media Driver was declared dead (Aeron's conductor then
         * closes the response subscription's images). Nothing can answer this call any more. */
        abr_archive_mark_disconnected(archive);
    }
    if (ABR_ARCHIVE_STATE_CONNECTED == abr_archive_get_state(archive))
    {
        return 0;
    }
    if (ABR_ARCHIVE_STATE_DISCONNECTED == abr_archive_get_state(archive))
    {
        /* As AeronArchive does: a client that lost its response channel closes itself on next use. Inside a callback
         * the calls that dispatched it still read the response channel: the release waits for the outermost. */
        abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CLOSED);
        if (archive->lock_depth > 1)
        {
            archive->release_pending = true;
        }
        else
        {
            abr_archive_release(archive, true);
        }
        return 1;
    }
    int result = abr_archive_closed_error(archive, operation, "");
    abr_archive_unlock(archive);
    return result;
}

int abr_archive_enter(abr_archive_t *archive, const char *operation)
{
    int entered = abr_archive_enter_or_self_close(archive, operation);
    if (entered > 0)
    {
        /* The call that finds the client closing itself fails because it is closed, as AeronArchive's does. */
        int result = abr_archive_closed_error(archive, operation,
            0 != abr_get_int32_acquire((const uint8_t *)&archive->core_lost) ?
            " (it closed itself: its Media Driver is lost, and with it the response channel from the archive)" :
            " (it closed itself: its response channel from the archive is no longer connected)");
        abr_archive_unlock(archive);
        return result;
    }
    return entered;
}

void abr_archive_exit(abr_archive_t *archive)
{
    abr_archive_unlock(archive);
}

int abr_archive_check_not_closed_by_callback(abr_archive_t *archive, int64_t correlation_id)
{
    if (ABR_ARCHIVE_STATE_CLOSED != abr_archive_get_state(archive))
    {
        return 0;
    }
    abr_archive_closed_error(archive, "awaiting response", " (by a callback of this call)");
    return abr_archive_error_context(archive, correlation_id);
}

int abr_archive_check_response_channel(abr_archive_t *archive, int64_t correlation_id)
{
    if (abr_subscription_is_connected(archive->subscription))
    {
        return 0;
    }
    abr_archive_mark_disconnected(archive);
    abr_error_set(
        ABR_ERROR_ARCHIVE_NOT_CONNECTED,
        "response channel from archive is not connected, imageCount=%d",
        abr_subscription_image_count(archive->subscription));
    return abr_archive_error_context(archive, correlation_id);
}

static int abr_archive_check_deadline(abr_archive_t *archive, int64_t deadline_ns, const char *what, int64_t correlation_id)
{
    if (!abr_deadline_passed(abr_archive_nano_time(), deadline_ns))
    {
        return 0;
    }
    /* AeronArchive's words, then where. */
    char timeout[32];
    abr_format_duration(timeout, sizeof(timeout), archive->ctx->message_timeout_ns);
    char head[ABR_ERROR_MESSAGE_MAX_LENGTH];
    snprintf(head, sizeof(head), "%s - correlationId=%" PRId64 " messageTimeout=%s", what, correlation_id, timeout);
    return abr_archive_error_where(archive, ABR_ERROR_TIMEOUT, head, correlation_id);
}

/* Keep the core alive while waiting, and fail early when it has lost its driver. Its callers check the channel and
 * the deadline on every idle step, as AeronArchive's wait does: making the spins cheaper (checks on every 8th spin
 * only) ends the spin phase sooner, and where a yield costs most of a microsecond a response a little slower than
 * the spins then waits out a yield: slower medians, measured (docs/benchmarks.md, rtt). */
static int abr_archive_wait_step(abr_archive_t *archive, int64_t *idle_count, int64_t correlation_id)
{
    if (abr_client_do_work(archive->client) < 0)
    {
        /* The driver is declared dead: the client is disconnected, as AeronArchive's is once its image goes. */
        abr_archive_core_is_lost(archive);
        abr_archive_mark_disconnected(archive);
        return abr_archive_error_context(archive, correlation_id);
    }
    abr_archive_idle(archive, idle_count);
    return 0;
}

void abr_archive_signal_from_poller(const abr_control_response_poller_t *poller, abr_archive_recording_signal_t *signal)
{
    signal->control_session_id = poller->control_session_id;
    signal->correlation_id = poller->correlation_id;
    signal->recording_id = poller->recording_id;
    signal->subscription_id = poller->subscription_id;
    signal->position = poller->position;
    signal->recording_signal_code = poller->recording_signal;
}

void abr_archive_dispatch_signal(abr_archive_t *archive, const abr_control_response_poller_t *poller)
{
    if (NULL == archive->ctx->recording_signal_consumer)
    {
        return;
    }
    abr_archive_recording_signal_t signal;
    abr_archive_signal_from_poller(poller, &signal);
    archive->ctx->recording_signal_consumer(archive->ctx->recording_signal_consumer_clientd, &signal);
}

bool abr_archive_handle_error(abr_archive_t *archive, const abr_control_response_poller_t *poller)
{
    if (NULL == archive->ctx->error_handler)
    {
        return false;
    }
    archive->ctx->error_handler(
        archive->ctx->error_handler_clientd,
        abr_error_code_from_archive(poller->relevant_id),
        poller->correlation_id,
        poller->error_message);
    return true;
}

bool abr_archive_pass_to_waiter(
    abr_archive_t *archive, int64_t correlation_id, int32_t code, int64_t relevant_id, const char *error_message)
{
    for (abr_archive_waiter_t *waiter = archive->waiters; NULL != waiter; waiter = waiter->outer)
    {
        if (waiter->correlation_id == correlation_id && !waiter->arrived)
        {
            waiter->arrived = true;
            waiter->code = code;
            waiter->relevant_id = relevant_id;
            /* Every response passes here, and nearly all carry no message: no formatting for those (snprintf's
             * cost was a visible part of a round trip's own time). */
            if (NULL == error_message || '\0' == error_message[0])
            {
                waiter->error_message[0] = '\0';
            }
            else
            {
                snprintf(waiter->error_message, sizeof(waiter->error_message), "%s", error_message);
            }
            return true;
        }
    }
    return false;
}

/* The outcome of a call whose response has arrived. */
static int abr_archive_answer(
    abr_archive_t *archive,
    const abr_archive_waiter_t *waiter,
    int32_t allowed_archive_code,
    int64_t *relevant_id,
    bool *allowed)
{
    const int64_t correlation_id = waiter->correlation_id;
    if (ABR_CONTROL_RESPONSE_CODE_ERROR == waiter->code)
    {
        if (allowed_archive_code >= 0 && waiter->relevant_id == allowed_archive_code)
        {
            *allowed = true;
            *relevant_id = waiter->relevant_id;
            return 0;
        }
        abr_error_set(
            abr_error_code_from_archive(waiter->relevant_id),
            "response for correlationId=%" PRId64 ", error: %s",
            correlation_id,
            waiter->error_message);
        return abr_archive_error_context(archive, correlation_id);
    }
    if (ABR_CONTROL_RESPONSE_CODE_OK != waiter->code)
    {
        /* Named as AeronArchive names it (e.g. RECORDING_UNKNOWN from updateChannel on an unknown recording): an
         * archive-generic failure, as its ArchiveException's GENERIC code. */
        const char *name = abr_control_response_code_name(waiter->code);
        if (NULL != name)
        {
            abr_error_set(ABR_ERROR_ARCHIVE_PROTOCOL, "unexpected response code: %s", name);
        }
        else
        {
            abr_error_set(ABR_ERROR_ARCHIVE_PROTOCOL, "unexpected response code: %" PRId32, waiter->code);
        }
        return abr_archive_error_context(archive, correlation_id);
    }
    *relevant_id = waiter->relevant_id;
    return 0;
}

/* Wait, reading the response channel, until the waiter's response has arrived (0) or the wait fails (-1). */
static int abr_archive_await_response(abr_archive_t *archive, abr_archive_waiter_t *waiter)
{
    abr_control_response_poller_t *poller = &archive->response_poller;
    const int64_t correlation_id = waiter->correlation_id;
    const int64_t deadline_ns = abr_deadline_ns(abr_archive_nano_time(), archive->ctx->message_timeout_ns);
    int64_t idle_count = 0;

    while (!waiter->arrived)
    {
        int fragments = abr_control_response_poller_poll(poller);
        if (fragments < 0)
        {
            return abr_archive_error_context(archive, correlation_id);
        }

        if (poller->is_poll_complete && poller->control_session_id == archive->control_session_id)
        {
            if (abr_codecs_recordingSignalEvent_sbe_template_id() == poller->template_id)
            {
                abr_archive_dispatch_signal(archive, poller);
                if (abr_archive_check_not_closed_by_callback(archive, correlation_id) < 0)
                {
                    return -1;
                }
            }
            else if (abr_codecs_controlResponse_sbe_template_id() == poller->template_id &&
                !abr_archive_pass_to_waiter(
                    archive, poller->correlation_id, poller->code, poller->relevant_id, poller->error_message) &&
                ABR_CONTROL_RESPONSE_CODE_ERROR == poller->code)
            {
                /* An error answering another request nobody here waits for: the handler hears of it, as
                 * AeronArchive's does. */
                abr_archive_handle_error(archive, poller);
                if (abr_archive_check_not_closed_by_callback(archive, correlation_id) < 0)
                {
                    return -1;
                }
            }
        }

        if (waiter->arrived || poller->is_poll_complete || fragments > 0)
        {
            idle_count = 0;
            continue;
        }
        if (abr_archive_check_response_channel(archive, correlation_id) < 0 ||
            abr_archive_check_deadline(archive, deadline_ns, "awaiting response", correlation_id) < 0 ||
            abr_archive_wait_step(archive, &idle_count, correlation_id) < 0)
        {
            return -1;
        }
    }
    return 0;
}

int abr_archive_poll_for_response_allowing(
    abr_archive_t *archive, int64_t correlation_id, int32_t allowed_archive_code, int64_t *relevant_id, bool *allowed)
{
    *allowed = false;
    /* On this thread's stack, linked into the client while the lock is held: only calls of this thread see it. */
    abr_archive_waiter_t waiter = { .correlation_id = correlation_id, .arrived = false, .outer = archive->waiters };
    archive->waiters = &waiter;
    int result = abr_archive_await_response(archive, &waiter);
    /* Unlinked where it is: a callback of this wait may have linked an async request's waiter above it. */
    for (abr_archive_waiter_t **cursor = &archive->waiters; NULL != *cursor; cursor = &(*cursor)->outer)
    {
        if (*cursor == &waiter)
        {
            *cursor = waiter.outer;
            break;
        }
    }
    return result < 0 ? -1 : abr_archive_answer(archive, &waiter, allowed_archive_code, relevant_id, allowed);
}

int abr_archive_poll_for_response(abr_archive_t *archive, int64_t correlation_id, int64_t *relevant_id)
{
    bool allowed;
    return abr_archive_poll_for_response_allowing(archive, correlation_id, -1, relevant_id, &allowed);
}

/* Wait until the reset descriptor poller has its answer. */
static int abr_archive_await_descriptors(
    abr_archive_t *archive, int64_t correlation_id, int32_t record_count, const char *what, int32_t *count)
{
    abr_recording_descriptor_poller_t *poller = &archive->descriptor_poller;
    int64_t deadline_ns = abr_deadline_ns(abr_archive_nano_time(), archive->ctx->message_timeout_ns);
    int32_t last_remaining = record_count;
    int64_t idle_count = 0;

    while (true)
    {
        int fragments = abr_recording_descriptor_poller_poll(poller);
        if (fragments < 0)
        {
            return abr_archive_error_context(archive, correlation_id);
        }
        if (abr_archive_check_not_closed_by_callback(archive, correlation_id) < 0)
        {
            return -1;
        }
        if (poller->is_dispatch_complete)
        {
            *count = record_count - poller->remaining_record_count;
            return 0;
        }
        if (poller->remaining_record_count != last_remaining)
        {
            /* Progress extends the deadline: a long listing is not a stalled one. */
            last_remaining = poller->remaining_record_count;
            deadline_ns = abr_deadline_ns(abr_archive_nano_time(), archive->ctx->message_timeout_ns);
        }
        if (fragments > 0)
        {
            idle_count = 0;
            continue;
        }
        if (abr_archive_check_response_channel(archive, correlation_id) < 0 ||
            abr_archive_check_deadline(archive, deadline_ns, what, correlation_id) < 0 ||
            abr_archive_wait_step(archive, &idle_count, correlation_id) < 0)
        {
            return -1;
        }
    }
}

/* A response a listing read that answers another request: an outer call of this thread may be waiting for it (the
 * listing was made from a callback inside that call). */
static void abr_archive_on_listing_other_response(
    void *clientd, int64_t correlation_id, int32_t code, int64_t relevant_id, const char *error_message)
{
    abr_archive_pass_to_waiter(clientd, correlation_id, code, relevant_id, error_message);
}

int abr_archive_poll_for_descriptors(
    abr_archive_t *archive,
    int64_t correlation_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd,
    int32_t *count)
{
    abr_recording_descriptor_poller_reset(&archive->descriptor_poller, correlation_id, record_count, consumer, clientd);
    archive->descriptor_poller.other_response = abr_archive_on_listing_other_response;
    archive->descriptor_poller.other_response_clientd = archive;
    archive->in_listing = true;
    int result = abr_archive_await_descriptors(
        archive, correlation_id, record_count, "awaiting recording descriptors", count);
    archive->in_listing = false;
    return result;
}

int abr_archive_poll_for_subscription_descriptors(
    abr_archive_t *archive,
    int64_t correlation_id,
    int32_t subscription_count,
    abr_archive_recording_subscription_descriptor_consumer_t consumer,
    void *clientd,
    int32_t *count)
{
    abr_recording_descriptor_poller_reset_subscriptions(
        &archive->descriptor_poller, correlation_id, subscription_count, consumer, clientd);
    archive->descriptor_poller.other_response = abr_archive_on_listing_other_response;
    archive->descriptor_poller.other_response_clientd = archive;
    archive->in_listing = true;
    int result = abr_archive_await_descriptors(
        archive, correlation_id, subscription_count, "awaiting subscription descriptors", count);
    archive->in_listing = false;
    return result;
}

static abr_archive_close_proof_t abr_archive_close_proof(abr_archive_t *archive, int64_t request_end)
{
    abr_archive_close_proof_t proof = {
        archive->client, archive->publication, archive->subscription, archive->ctx->control_request_stream_id,
        archive->request_multicast, request_end };
    return proof;
}

/* Whether the archive is done with the CloseSessionRequest that ends at request_end (archive_close_proof.h). */
static bool abr_archive_close_session_delivered(abr_archive_t *archive, int64_t request_end)
{
    if (abr_subscription_lock_images(archive->subscription, "close") < 0)
    {
        return true;
    }
    abr_archive_close_proof_t proof = abr_archive_close_proof(archive, request_end);
    bool delivered = abr_archive_close_proof_holds(&proof);
    pthread_mutex_unlock(&archive->subscription->images_lock);
    return delivered;
}

/* Bounded, so close never hangs on a silent archive (whose driver is elsewhere, so its subscriber is not seen). */
#define ABR_ARCHIVE_CLOSE_DELIVERY_TIMEOUT_NS (100LL * 1000 * 1000)

static void abr_archive_await_session_closed(abr_archive_t *archive, int64_t request_end)
{
    const int64_t deadline_ns = abr_deadline_ns(abr_archive_nano_time(), ABR_ARCHIVE_CLOSE_DELIVERY_TIMEOUT_NS);
    int64_t idle_count = 0;
    while (!abr_archive_close_session_delivered(archive, request_end) &&
        !abr_deadline_passed(abr_archive_nano_time(), deadline_ns))
    {
        if (archive->owns_client && abr_client_do_work(archive->client) < 0)
        {
            return;
        }
        abr_archive_idle(archive, &idle_count);
    }
}

/*
 * With a shared core the caller does not wait for the proof: the core's conductor, which keeps running for the core's
 * other users, removes the request publication and the response subscription once it holds or the bound passes (the
 * proof travels with them; the archive client is freed meanwhile). 0 when handed over, -1 when the caller must wait.
 */
static int abr_archive_release_after_proof(abr_archive_t *archive, int64_t request_end)
{
    abr_archive_close_proof_t *proof = malloc(sizeof(*proof));
    if (NULL == proof)
    {
        return -1;
    }
    *proof = abr_archive_close_proof(archive, request_end);
    return abr_client_release_when(
        archive->client, archive->publication, archive->subscription, abr_archive_close_proof_holds, proof,
        abr_deadline_ns(abr_nano_time(), ABR_ARCHIVE_CLOSE_DELIVERY_TIMEOUT_NS));
}

int abr_archive_release(abr_archive_t *archive, bool send_close_session)
{
    if (archive->released)
    {
        return 0;
    }
    archive->released = true;
    int result = 0;
    bool handed_over = false;
    if (send_close_session && NULL != archive->publication && ABR_ARCHIVE_NULL_VALUE != archive->control_session_id &&
        !archive->ctx->test_fault_skip_close_session &&
        abr_exclusive_publication_is_connected(archive->publication))
    {
        if (abr_archive_proxy_close_session(&archive->proxy, archive->control_session_id) < 0)
        {
            abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
            result = -1;
        }
        else
        {
            /* An owned core closes below, and its close must come after the proof: that wait stays the caller's. */
            const int64_t request_end = abr_exclusive_publication_position(archive->publication);
            handed_over = !archive->owns_client && 0 == abr_archive_release_after_proof(archive, request_end);
            if (!handed_over)
            {
                abr_archive_await_session_closed(archive, request_end);
            }
        }
    }

    abr_archive_proxy_close(&archive->proxy);
    abr_control_response_poller_close(&archive->response_poller);
    abr_recording_descriptor_poller_close(&archive->descriptor_poller);

    /* Nothing uses them after this: discarded, so a shared core does not keep one pair per connection it served. */
    if (!handed_over && abr_exclusive_publication_discard(archive->publication) < 0)
    {
        result = -1;
    }
    archive->publication = NULL;
    if (!handed_over && abr_subscription_discard(archive->subscription) < 0)
    {
        result = -1;
    }
    archive->subscription = NULL;

    if (archive->owns_client && NULL != archive->client)
    {
        if (abr_client_close(archive->client) < 0)
        {
            result = -1;
        }
    }
    archive->client = NULL;
    return result;
}

void abr_archive_free(abr_archive_t *archive)
{
    pthread_mutex_destroy(&archive->lock);
    abr_archive_debug_log_close(archive->debug_log);
    free(archive->request_channel);
    free(archive->response_channel);
    abr_archive_context_close(archive->ctx);
    free(archive);
}

int abr_archive_finish_close(abr_archive_t *archive, bool may_join)
{
    const bool on_auto_poll_thread = abr_archive_auto_poll_is_current_thread(archive);
    if (archive->auto_poll_started && (on_auto_poll_thread || !may_join))
    {
        /* From a callback on the auto-poll thread, which cannot wait for itself to end, or from a call that a callback
         * closed, whose thread may hold a lock that callback waits for (the Java layer's). The session is closed here;
         * the auto-poll thread frees the client as it ends, and nothing may touch it after the hand-over. */
        pthread_mutex_lock(&archive->lock);
        int result = abr_archive_release(archive, true);
        abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CLOSED);
        pthread_mutex_unlock(&archive->lock);
        abr_archive_auto_poll_hand_over(archive);
        return result;
    }
    /* Outside the lock: the auto-poll thread takes it for each step, and a callback of its may call the client. */
    abr_archive_auto_poll_stop(archive);
    pthread_mutex_lock(&archive->lock);
    int result = abr_archive_release(archive, true);
    abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CLOSED);
    pthread_mutex_unlock(&archive->lock);
    abr_archive_free(archive);
    return result;
}

int abr_archive_close(abr_archive_t *archive)
{
    if (NULL == archive)
    {
        return 0;
    }
    abr_archive_lock(archive);
    if (archive->lock_depth > 1)
    {
        /* From a callback of a call in progress on this thread: that call still uses the client. It stops as the
         * callback returns, and its exit finishes the close. */
        abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CLOSED);
        archive->close_pending = true;
        archive->lock_depth--;
        abr_archive_unlock_mutex(archive);
        return 0;
    }
    archive->lock_depth--;
    abr_archive_unlock_mutex(archive);
    return abr_archive_finish_close(archive, true);
}

/* Whether the core has declared its driver dead since the last call noticed. Only when no call holds the client
 * (the core may be released under a call that finds the client disconnected): state never waits for one. */
static bool abr_archive_core_lost_now(abr_archive_t *archive)
{
    /* Without the lock a call may be releasing the core right now: only what a call noted counts. */
    if (archive->lock_off || 0 != pthread_mutex_trylock(&archive->lock))
    {
        return false;
    }
    const bool lost = abr_archive_core_is_lost(archive);
    pthread_mutex_unlock(&archive->lock);
    return lost;
}

int abr_archive_state(abr_archive_t *archive)
{
    if (NULL == archive)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "abr_archive_state: archive client must not be null");
    }
    abr_archive_state_t state = abr_archive_get_state(archive);
    /* The response image may have gone since the last call: AeronArchive's unavailable image handler marks the
     * client disconnected at once, so this says DISCONNECTED too, before the next call closes the client. */
    if (ABR_ARCHIVE_STATE_CONNECTED == state &&
        (0 != abr_get_int32_acquire((const uint8_t *)&archive->response_image_lost) ||
        0 != abr_get_int32_acquire((const uint8_t *)&archive->core_lost) ||
        abr_archive_core_lost_now(archive)))
    {
        return ABR_ARCHIVE_STATE_DISCONNECTED;
    }
    return (int)state;
}

int64_t abr_archive_last_correlation_id(abr_archive_t *archive)
{
    return NULL == archive ?
        ABR_ARCHIVE_NULL_VALUE : abr_get_int64_acquire((const uint8_t *)&archive->last_correlation_id);
}

int64_t abr_archive_next_correlation_id(abr_archive_t *archive)
{
    int64_t correlation_id = abr_client_next_correlation_id(archive->client);
    abr_put_int64_release((uint8_t *)&archive->last_correlation_id, correlation_id);
    return correlation_id;
}

int64_t abr_archive_control_session_id(abr_archive_t *archive)
{
    return NULL == archive ? ABR_ARCHIVE_NULL_VALUE : archive->control_session_id;
}

int64_t abr_archive_archive_id(abr_archive_t *archive)
{
    return NULL == archive ? ABR_ARCHIVE_NULL_VALUE : archive->archive_id;
}

const char *abr_archive_control_request_channel(abr_archive_t *archive)
{
    return NULL == archive ? NULL : archive->request_channel;
}

const char *abr_archive_control_response_channel(abr_archive_t *archive)
{
    return NULL == archive ? NULL : archive->response_channel;
}

int abr_archive_poll(abr_archive_t *archive)
{
    if (abr_archive_enter(archive, "poll") < 0)
    {
        return -1;
    }
    /* Nothing read here is thrown away: signals go to the consumer, an error for this session to the error handler,
     * or, without one, it is kept for the next pollForErrorResponse / checkForErrorResponse, as with auto-poll. */
    int total = 0;
    int fragments;
    do
    {
        abr_archive_poll_event_t event = abr_archive_poll_once(archive, &fragments);
        if (ABR_ARCHIVE_POLL_FAILED == event)
        {
            abr_archive_error_context(archive, ABR_ARCHIVE_NULL_VALUE);
            abr_archive_exit(archive);
            return -1;
        }
        if (ABR_ARCHIVE_POLL_ERROR == event && !abr_archive_handle_error(archive, &archive->response_poller))
        {
            abr_archive_keep_pending_error(archive);
        }
        total += fragments;
    }
    while (fragments > 0 && ABR_ARCHIVE_STATE_CLOSED != abr_archive_get_state(archive));

    abr_archive_exit(archive);
    return total;
}
