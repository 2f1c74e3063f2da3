#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomics.h"
#include "clock.h"
#include "conductor.h"
#include "counter.h"
#include "counters.h"
#include "discarded_handles.h"
#include "error.h"
#include "exclusive_publication.h"
#include "publication.h"
#include "subscription.h"

/* Reading responses defensively: the broadcast buffer is the driver's, lengths are checked before use. */
typedef struct abr_response_reader_stct
{
    const uint8_t *buffer;
    size_t length;
    size_t offset;
    bool ok;
}
abr_response_reader_t;

static int64_t abr_read_int64(abr_response_reader_t *reader)
{
    if (!reader->ok || reader->length - reader->offset < 8 || reader->offset > reader->length)
    {
        reader->ok = false;
        return 0;
    }
    int64_t value = abr_get_int64(reader->buffer + reader->offset);
    reader->offset += 8;
    return value;
}

static int32_t abr_read_int32(abr_response_reader_t *reader)
{
    if (!reader->ok || reader->offset > reader->length || reader->length - reader->offset < 4)
    {
        reader->ok = false;
        return 0;
    }
    int32_t value = abr_get_int32(reader->buffer + reader->offset);
    reader->offset += 4;
    return value;
}

/* An Agrona ASCII string (int32 length, bytes) copied NUL-terminated into out. */
static void abr_read_string(abr_response_reader_t *reader, char *out, size_t out_length)
{
    int32_t length = abr_read_int32(reader);
    if (!reader->ok || length < 0 || (size_t)length > reader->length - reader->offset || (size_t)length >= out_length)
    {
        reader->ok = false;
        out[0] = '\0';
        return;
    }
    memcpy(out, reader->buffer + reader->offset, (size_t)length);
    out[length] = '\0';
    reader->offset += (size_t)length;
}

/* As abr_read_string, but a string longer than out is cut to fit rather than failing the message:
 * for fields that only describe (a source identity), never for ones that locate (a log file). */
static void abr_read_string_cut(abr_response_reader_t *reader, char *out, size_t out_length)
{
    int32_t length = abr_read_int32(reader);
    if (!reader->ok || length < 0 || (size_t)length > reader->length - reader->offset)
    {
        reader->ok = false;
        out[0] = '\0';
        return;
    }
    size_t copied = (size_t)length < out_length - 1 ? (size_t)length : out_length - 1;
    memcpy(out, reader->buffer + reader->offset, copied);
    out[copied] = '\0';
    reader->offset += (size_t)length;
}

/* Skip to the next multiple of alignment from the start of the message, as padded fields need. */
static void abr_read_align(abr_response_reader_t *reader, size_t alignment)
{
    size_t aligned = (reader->offset + alignment - 1) & ~(alignment - 1);
    if (!reader->ok || aligned > reader->length)
    {
        reader->ok = false;
        return;
    }
    reader->offset = aligned;
}

void abr_conductor_fail_pending(abr_async_add_t *pending, int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(pending->error_message, sizeof(pending->error_message), format, args);
    va_end(args);
    pending->error_code = code;
    pending->state = ABR_PENDING_FAILED;
}

static const char *abr_pending_name(const abr_async_add_t *pending)
{
    switch (pending->kind)
    {
        case ABR_PENDING_PUBLICATION: return "add publication";
        case ABR_PENDING_EXCLUSIVE_PUBLICATION: return "add exclusive publication";
        case ABR_PENDING_SUBSCRIPTION: return "add subscription";
        case ABR_PENDING_ADD_DESTINATION: return "add destination";
        case ABR_PENDING_REMOVE_DESTINATION: return "remove destination";
        case ABR_PENDING_ADD_RCV_DESTINATION: return "add receive destination";
        case ABR_PENDING_REMOVE_RCV_DESTINATION: return "remove receive destination";
        case ABR_PENDING_COUNTER: return "add counter";
        default: return "next session id";
    }
}

/* What a pending command is about, for its messages: a counter's type id and label, else the channel and stream. */
static const char *abr_pending_subject(const abr_async_add_t *pending, char *out, size_t out_length)
{
    const char *text = NULL != pending->channel ? pending->channel : "";
    if (ABR_PENDING_COUNTER == pending->kind)
    {
        snprintf(out, out_length, "typeId=%d, label=%s", pending->stream_id, text);
    }
    else
    {
        snprintf(out, out_length, "channel=%s, streamId=%d", text, pending->stream_id);
    }
    return out;
}

void abr_conductor_close_with(abr_client_t *client, int code, const char *format, ...)
{
    if (abr_conductor_is_closed(client))
    {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(client->closed_message, sizeof(client->closed_message), format, args);
    va_end(args);
    abr_store_int_release(&client->closed_code, code);
    /* Lock-free polls see the change and come into the core, which answers closed. */
    for (abr_subscription_t *subscription = client->subscriptions; NULL != subscription; subscription = subscription->next)
    {
        abr_subscription_images_changed(subscription);
    }

    for (abr_async_add_t *pending = client->pending; NULL != pending; pending = pending->next)
    {
        if (ABR_PENDING_AWAITING == pending->state)
        {
            char subject[ABR_CLOSED_MESSAGE_MAX_LENGTH];
            abr_conductor_fail_pending(
                pending, code, "%s failed: %s, correlationId=%lld: %s", abr_pending_name(pending),
                abr_pending_subject(pending, subject, sizeof(subject)), (long long)pending->correlation_id,
                client->closed_message);
        }
    }
}

int abr_conductor_closed_error(abr_client_t *client)
{
    int code = abr_load_int_acquire(&client->closed_code);
    return abr_error_set(0 == code ? ABR_ERROR_CLOSED : code, "%s", client->closed_message);
}

static abr_async_add_t *abr_find_pending(abr_client_t *client, int64_t correlation_id)
{
    for (abr_async_add_t *pending = client->pending; NULL != pending; pending = pending->next)
    {
        if (pending->correlation_id == correlation_id && ABR_PENDING_AWAITING == pending->state)
        {
            return pending;
        }
    }
    return NULL;
}

static abr_subscription_t *abr_find_subscription(abr_client_t *client, int64_t registration_id)
{
    for (abr_subscription_t *subscription = client->subscriptions; NULL != subscription; subscription = subscription->next)
    {
        if (subscription->registration_id == registration_id && 0 == abr_load_int_acquire(&subscription->closed))
        {
            return subscription;
        }
    }
    return NULL;
}

static void abr_on_error(abr_client_t *client, abr_response_reader_t *reader)
{
    int64_t correlation_id = abr_read_int64(reader);
    int32_t error_code = abr_read_int32(reader);
    char message[ABR_DRIVER_ERROR_MESSAGE_MAX_LENGTH];
    abr_read_string_cut(reader, message, sizeof(message));
    abr_async_add_t *pending = abr_find_pending(client, correlation_id);
    if (NULL != pending)
    {
        if (!reader->ok)
        {
            snprintf(message, sizeof(message), "(malformed error response)");
        }
        char subject[ABR_CLOSED_MESSAGE_MAX_LENGTH];
        abr_conductor_fail_pending(
            pending, ABR_ERROR_DRIVER_REJECTED, "driver rejected %s: %s, correlationId=%lld, errorCode=%d: %s",
            abr_pending_name(pending), abr_pending_subject(pending, subject, sizeof(subject)), (long long)correlation_id,
            error_code, message);
        pending->driver_error_code = error_code;
        snprintf(pending->driver_error_message, sizeof(pending->driver_error_message), "%s", message);
    }
}

static void abr_on_publication_ready(abr_client_t *client, abr_response_reader_t *reader, bool exclusive)
{
    int64_t correlation_id = abr_read_int64(reader);
    int64_t registration_id = abr_read_int64(reader);
    int32_t session_id = abr_read_int32(reader);
    int32_t stream_id = abr_read_int32(reader);
    int32_t limit_counter_id = abr_read_int32(reader);
    int32_t channel_status_id = abr_read_int32(reader);
    char log_file[PATH_MAX];
    abr_read_string(reader, log_file, sizeof(log_file));

    abr_async_add_t *pending = abr_find_pending(client, correlation_id);
    abr_pending_kind_t expected = exclusive ? ABR_PENDING_EXCLUSIVE_PUBLICATION : ABR_PENDING_PUBLICATION;
    if (NULL == pending || expected != pending->kind)
    {
        return;
    }
    if (!reader->ok)
    {
        abr_conductor_fail_pending(
            pending, ABR_ERROR_INTERNAL, "malformed publication ready response: channel=%s, streamId=%d, correlationId=%lld",
            pending->channel, pending->stream_id, (long long)correlation_id);
        return;
    }

    bool created;
    if (exclusive)
    {
        abr_exclusive_publication_t *publication = abr_exclusive_publication_create(
            client, pending->channel, stream_id, session_id, registration_id, limit_counter_id, channel_status_id,
            log_file);
        created = NULL != publication;
        if (created)
        {
            publication->next = client->publications;
            client->publications = publication;
            pending->publication = publication;
        }
    }
    else
    {
        /* Our registration id is the add's correlation id; the driver's shared publication keeps its own. */
        abr_publication_t *publication = abr_publication_create(
            client, pending->channel, stream_id, session_id, correlation_id, registration_id, limit_counter_id,
            channel_status_id, log_file);
        created = NULL != publication;
        if (created)
        {
            publication->next = client->shared_publications;
            client->shared_publications = publication;
            pending->shared_publication = publication;
        }
    }
    if (!created)
    {
        abr_conductor_fail_pending(
            pending, abr_errcode(), "%s failed: channel=%s, streamId=%d, correlationId=%lld: %s",
            abr_pending_name(pending), pending->channel, pending->stream_id, (long long)correlation_id, abr_errmsg());
        abr_driver_proxy_remove_publication(
            &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver), correlation_id);
        return;
    }
    pending->state = ABR_PENDING_DONE;
}

static void abr_on_subscription_ready(abr_client_t *client, abr_response_reader_t *reader)
{
    int64_t correlation_id = abr_read_int64(reader);
    int32_t channel_status_id = abr_read_int32(reader);
    abr_async_add_t *pending = abr_find_pending(client, correlation_id);
    if (NULL == pending || ABR_PENDING_SUBSCRIPTION != pending->kind || !reader->ok)
    {
        return;
    }

    abr_subscription_t *subscription = abr_subscription_create(
        client, pending->channel, pending->stream_id, correlation_id, channel_status_id);
    if (NULL != subscription)
    {
        subscription->on_available_image = pending->on_available_image;
        subscription->available_clientd = pending->available_clientd;
        subscription->on_unavailable_image = pending->on_unavailable_image;
        subscription->unavailable_clientd = pending->unavailable_clientd;
    }
    if (NULL == subscription)
    {
        abr_conductor_fail_pending(
            pending, abr_errcode(), "add subscription failed: channel=%s, streamId=%d, correlationId=%lld: %s",
            pending->channel, pending->stream_id, (long long)correlation_id, abr_errmsg());
        abr_driver_proxy_remove_subscription(
            &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver), correlation_id);
        return;
    }
    subscription->next = client->subscriptions;
    client->subscriptions = subscription;
    pending->subscription = subscription;
    pending->state = ABR_PENDING_DONE;
}

static void abr_on_available_image(abr_client_t *client, abr_response_reader_t *reader)
{
    int64_t correlation_id = abr_read_int64(reader);
    int32_t session_id = abr_read_int32(reader);
    int32_t stream_id = abr_read_int32(reader);
    int64_t subscription_registration_id = abr_read_int64(reader);
    int32_t position_id = abr_read_int32(reader);
    char log_file[PATH_MAX];
    abr_read_string(reader, log_file, sizeof(log_file));
    /* ImageBuffersReadyFlyweight aligns the source identity to an int after the log file name. */
    abr_read_align(reader, 4);
    char source_identity[ABR_IMAGE_SOURCE_IDENTITY_MAX_LENGTH];
    abr_read_string_cut(reader, source_identity, sizeof(source_identity));
    if (!reader->ok)
    {
        return;
    }

    abr_subscription_t *subscription = abr_find_subscription(client, subscription_registration_id);
    if (NULL == subscription)
    {
        return;
    }

    uint8_t *position = abr_counter_address(client->cnc.counters_values, client->cnc.counters_values_length, position_id);
    abr_image_t *image = calloc(1, sizeof(*image));
    abr_log_buffers_t log;
    if (NULL == position || NULL == image || abr_log_buffers_map(&log, log_file) < 0)
    {
        /* An image we cannot map is one we cannot read: skip it, as there is nobody to report to. */
        free(image);
        return;
    }
    abr_image_init(image, &log, position, correlation_id, session_id);
    image->stream_id = stream_id;
    image->subscriber_position_id = position_id;
    snprintf(image->source_identity, sizeof(image->source_identity), "%s", source_identity);
    abr_image_info_t info;
    abr_image_fill_info(image, &info);
    if (abr_subscription_queue_add_image(subscription, image) < 0)
    {
        abr_log_buffers_unmap(&image->log);
        free(image);
        return;
    }
    if (NULL != subscription->on_available_image)
    {
        subscription->on_available_image(subscription->available_clientd, subscription, &info);
    }
}

static void abr_on_unavailable_image(abr_client_t *client, abr_response_reader_t *reader)
{
    int64_t correlation_id = abr_read_int64(reader);
    int64_t subscription_registration_id = abr_read_int64(reader);
    abr_subscription_t *subscription = abr_find_subscription(client, subscription_registration_id);
    if (!reader->ok || NULL == subscription)
    {
        return;
    }
    /* Describe the image before it goes: its log stays mapped until the queued removal is applied. */
    abr_image_info_t info;
    bool found = abr_subscription_describe_image(subscription, correlation_id, &info);
    if (abr_subscription_queue_remove_image(subscription, correlation_id) < 0 || !found)
    {
        return;
    }
    if (NULL != subscription->on_unavailable_image)
    {
        subscription->on_unavailable_image(subscription->unavailable_clientd, subscription, &info);
    }
}

static void abr_on_next_session_id(abr_client_t *client, abr_response_reader_t *reader)
{
    int64_t correlation_id = abr_read_int64(reader);
    int32_t session_id = abr_read_int32(reader);
    abr_async_add_t *pending = abr_find_pending(client, correlation_id);
    if (reader->ok && NULL != pending && ABR_PENDING_NEXT_SESSION_ID == pending->kind)
    {
        pending->session_id = session_id;
        pending->state = ABR_PENDING_DONE;
    }
}

static void abr_on_counter_ready(abr_client_t *client, abr_response_reader_t *reader)
{
    /* CounterUpdateFlyweight: the add's correlation id, the counter id. Every client hears of every counter. */
    int64_t correlation_id = abr_read_int64(reader);
    int32_t counter_id = abr_read_int32(reader);
    abr_async_add_t *pending = abr_find_pending(client, correlation_id);
    if (!reader->ok || NULL == pending || ABR_PENDING_COUNTER != pending->kind)
    {
        return;
    }
    abr_counter_t *counter = abr_counter_create(client, counter_id, pending->stream_id, correlation_id);
    if (NULL == counter)
    {
        char subject[ABR_CLOSED_MESSAGE_MAX_LENGTH];
        abr_conductor_fail_pending(
            pending, abr_errcode(), "add counter failed: %s, correlationId=%lld: %s",
            abr_pending_subject(pending, subject, sizeof(subject)), (long long)correlation_id, abr_errmsg());
        abr_driver_proxy_remove_counter(
            &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver), correlation_id);
        return;
    }
    counter->next = client->counters;
    client->counters = counter;
    pending->counter = counter;
    pending->state = ABR_PENDING_DONE;
}

static void abr_on_unavailable_counter(abr_client_t *client, abr_response_reader_t *reader)
{
    /* CounterUpdateFlyweight: the counter's registration id and id; ours only when we added it. */
    int64_t registration_id = abr_read_int64(reader);
    int32_t counter_id = abr_read_int32(reader);
    if (!reader->ok)
    {
        return;
    }
    for (abr_counter_t *counter = client->counters; NULL != counter; counter = counter->next)
    {
        if (counter->registration_id == registration_id && counter->counter_id == counter_id)
        {
            abr_counter_on_unavailable(counter);
        }
    }
}

static void abr_on_operation_success(abr_client_t *client, abr_response_reader_t *reader)
{
    /* OperationSucceededFlyweight: the correlation id of the command that succeeded. */
    int64_t correlation_id = abr_read_int64(reader);
    abr_async_add_t *pending = abr_find_pending(client, correlation_id);
    if (reader->ok && NULL != pending && abr_pending_is_destination(pending->kind))
    {
        pending->state = ABR_PENDING_DONE;
    }
}

void abr_conductor_on_response(abr_client_t *client, int32_t msg_type_id, const uint8_t *msg, size_t length)
{
    abr_response_reader_t reader = { .buffer = msg, .length = length, .offset = 0, .ok = true };

    switch (msg_type_id)
    {
        case ABR_RSP_ON_ERROR:
            abr_on_error(client, &reader);
            break;
        case ABR_RSP_ON_PUBLICATION_READY:
            abr_on_publication_ready(client, &reader, false);
            break;
        case ABR_RSP_ON_EXCLUSIVE_PUBLICATION_READY:
            abr_on_publication_ready(client, &reader, true);
            break;
        case ABR_RSP_ON_SUBSCRIPTION_READY:
            abr_on_subscription_ready(client, &reader);
            break;
        case ABR_RSP_ON_AVAILABLE_IMAGE:
            abr_on_available_image(client, &reader);
            break;
        case ABR_RSP_ON_UNAVAILABLE_IMAGE:
            abr_on_unavailable_image(client, &reader);
            break;
        case ABR_RSP_ON_OPERATION_SUCCESS:
            abr_on_operation_success(client, &reader);
            break;
        case ABR_RSP_ON_COUNTER_READY:
            abr_on_counter_ready(client, &reader);
            break;
        case ABR_RSP_ON_UNAVAILABLE_COUNTER:
            abr_on_unavailable_counter(client, &reader);
            break;
        case ABR_RSP_ON_NEXT_AVAILABLE_SESSION_ID:
            abr_on_next_session_id(client, &reader);
            break;
        case ABR_RSP_ON_CLIENT_TIMEOUT:
            if (abr_read_int64(&reader) == client->client_id && reader.ok)
            {
                abr_conductor_close_with(
                    client, ABR_ERROR_CLIENT_TIMEOUT, "client timed out by the Media Driver: clientId=%lld, dir=%s",
                    (long long)client->client_id, client->dir);
            }
            break;
        default:
            break;
    }
}

static void abr_conductor_on_broadcast(void *clientd, int32_t msg_type_id, const uint8_t *msg, size_t length)
{
    abr_conductor_on_response(clientd, msg_type_id, msg, length);
}

/*
 * A client's keepalive, as Aeron's clients send it since the driver keeps a heartbeat timestamp counter per
 * client (type 11, keyed by the client id): stamp that counter with the time. Until the counter shows up
 * (the driver makes it on the client's first command; older drivers have none) send CLIENT_KEEPALIVE.
 * A counter that was ours and is gone means the driver has timed the client out.
 */
static int abr_send_keepalive(abr_client_t *client)
{
    const uint8_t *key = (const uint8_t *)&client->client_id;
    if (client->heartbeat_counter_id < 0)
    {
        client->heartbeat_counter_id =
            abr_counters_find(client, ABR_COUNTER_CLIENT_HEARTBEAT_TYPE_ID, key, sizeof(client->client_id));
        if (client->heartbeat_counter_id < 0)
        {
            abr_driver_proxy_keepalive(&client->driver_proxy);
            return 0;
        }
        char label[ABR_CLOSED_MESSAGE_MAX_LENGTH];
        snprintf(label, sizeof(label), " name=%s version=archive-bridge-%s", client->client_name, ABR_VERSION_TEXT);
        abr_counters_append_label(client, client->heartbeat_counter_id, label);
    }
    else if (!abr_counters_is_active(
        client, client->heartbeat_counter_id, ABR_COUNTER_CLIENT_HEARTBEAT_TYPE_ID, key, sizeof(client->client_id)))
    {
        abr_conductor_close_with(
            client, ABR_ERROR_CLIENT_TIMEOUT, "the driver closed this client's heartbeat counter (timed out): "
            "counterId=%d, clientId=%lld, dir=%s", client->heartbeat_counter_id, (long long)client->client_id,
            client->dir);
        return -1;
    }
    uint8_t *value = abr_counter_address(
        client->cnc.counters_values, client->cnc.counters_values_length, client->heartbeat_counter_id);
    abr_put_int64_release(value, abr_epoch_ms());
    return 0;
}

bool abr_conductor_driver_is_lost(abr_client_t *client)
{
    int64_t heartbeat_ms = abr_ring_buffer_consumer_heartbeat_time(&client->to_driver);
    return ABR_DRIVER_HEARTBEAT_SHUT_DOWN == heartbeat_ms ||
        abr_epoch_ms_coarse() - heartbeat_ms > client->driver_timeout_ms;
}

static int abr_check_liveness(abr_client_t *client, int64_t now_ns)
{
    /* A conductor that did not run for longer than the driver gives a silent client has been timed out. */
    int64_t interval_ns = abr_saturated_sub(now_ns, client->last_service_ns);
    client->last_service_ns = now_ns;
    if (interval_ns > client->inter_service_timeout_ns)
    {
        abr_conductor_close_with(
            client, ABR_ERROR_CLIENT_TIMEOUT, "service interval exceeded: timeout=%lldms, interval=%lldms, "
            "clientId=%lld, dir=%s", (long long)(client->inter_service_timeout_ns / 1000000),
            (long long)(interval_ns / 1000000), (long long)client->client_id, client->dir);
        return -1;
    }

    int64_t heartbeat_ms = abr_ring_buffer_consumer_heartbeat_time(&client->to_driver);
    if (ABR_DRIVER_HEARTBEAT_SHUT_DOWN == heartbeat_ms)
    {
        abr_conductor_close_with(
            client, ABR_ERROR_DRIVER_TIMEOUT, "Media Driver (%s) has been shut down", client->dir);
        return -1;
    }
    int64_t age_ms = abr_saturated_sub(abr_epoch_ms(), heartbeat_ms);
    if (age_ms > client->driver_timeout_ms)
    {
        abr_conductor_close_with(
            client, ABR_ERROR_DRIVER_TIMEOUT, "Media Driver (%s) keepalive: age=%lldms > timeout=%lldms",
            client->dir, (long long)age_ms, (long long)client->driver_timeout_ms);
        return -1;
    }

    if (now_ns - client->last_keepalive_ns >= ABR_KEEPALIVE_INTERVAL_NS)
    {
        client->last_keepalive_ns = now_ns;
        return abr_send_keepalive(client) < 0 ? -1 : 1;
    }
    return 0;
}

static int abr_check_pending_timeouts(abr_client_t *client, int64_t now_ns)
{
    int work = 0;
    for (abr_async_add_t *pending = client->pending; NULL != pending; pending = pending->next)
    {
        if (ABR_PENDING_AWAITING == pending->state && abr_deadline_passed(now_ns, pending->deadline_ns))
        {
            /* A client that fell a whole broadcast buffer behind the driver skipped responses unread: say so, since
             * then the driver may well have answered and the remedy is to run the conductor more often. */
            char lapped[192] = "";
            if (client->to_clients.lapped_count > 0)
            {
                snprintf(lapped, sizeof(lapped), "; this client fell behind the driver's responses and skipped "
                    "some (lapped %lld times): run its conductor more often",
                    (long long)client->to_clients.lapped_count);
            }
            char subject[ABR_CLOSED_MESSAGE_MAX_LENGTH];
            abr_conductor_fail_pending(
                pending, ABR_ERROR_TIMEOUT, "no response from the Media Driver to %s within %lld ms: "
                "%s, correlationId=%lld, dir=%s%s", abr_pending_name(pending), (long long)client->driver_timeout_ms,
                abr_pending_subject(pending, subject, sizeof(subject)), (long long)pending->correlation_id, client->dir,
                lapped);
            int64_t correlation_id = abr_ring_buffer_next_correlation_id(&client->to_driver);
            if (ABR_PENDING_PUBLICATION == pending->kind || ABR_PENDING_EXCLUSIVE_PUBLICATION == pending->kind)
            {
                abr_driver_proxy_remove_publication(&client->driver_proxy, correlation_id, pending->correlation_id);
            }
            else if (ABR_PENDING_SUBSCRIPTION == pending->kind)
            {
                abr_driver_proxy_remove_subscription(&client->driver_proxy, correlation_id, pending->correlation_id);
            }
            else if (ABR_PENDING_COUNTER == pending->kind)
            {
                abr_driver_proxy_remove_counter(&client->driver_proxy, correlation_id, pending->correlation_id);
            }
            work++;
        }
    }
    return work;
}

/* Closed publications keep their logs mapped for the resource linger, so that an offer racing the close (from
 * C, or from a binding writing into the log itself) never touches unmapped memory; after it, unmap. */
static int abr_unmap_lingering_logs(abr_client_t *client, int64_t now_ns)
{
    int work = 0;
    for (abr_exclusive_publication_t *p = client->publications; NULL != p; p = p->next)
    {
        if (0 != abr_load_int_acquire(&p->closed) && NULL != p->log.mapped &&
            abr_deadline_passed(now_ns, p->unmap_deadline_ns))
        {
            abr_log_buffers_unmap(&p->log);
            work++;
        }
    }
    for (abr_publication_t *p = client->shared_publications; NULL != p; p = p->next)
    {
        if (0 != abr_load_int_acquire(&p->closed) && NULL != p->log.mapped &&
            abr_deadline_passed(now_ns, p->unmap_deadline_ns))
        {
            abr_log_buffers_unmap(&p->log);
            work++;
        }
    }
    return work;
}

int abr_conductor_do_work(abr_client_t *client)
{
    if (abr_conductor_is_closed(client))
    {
        return -1;
    }

    int64_t now_ns = abr_nano_time();
    int work = abr_broadcast_receiver_receive(&client->to_clients, abr_conductor_on_broadcast, client);
    if (work < 0)
    {
        abr_conductor_close_with(client, abr_errcode(), "%s, dir=%s", abr_errmsg(), client->dir);
        return -1;
    }
    int liveness = abr_check_liveness(client, now_ns);
    if (liveness < 0 || abr_conductor_is_closed(client))
    {
        return -1;
    }
    work += liveness;
    work += abr_check_pending_timeouts(client, now_ns);
    work += abr_unmap_lingering_logs(client, now_ns);
    for (abr_subscription_t *subscription = client->subscriptions; NULL != subscription; subscription = subscription->next)
    {
        work += abr_subscription_apply_changes(subscription);
    }
    work += abr_deferred_releases_do_work(client, now_ns);
    work += abr_discarded_handles_free(client, now_ns);
    return work;
}

static void *abr_conductor_run(void *arg)
{
    abr_client_t *client = arg;
    while (abr_load_int_acquire(&client->running))
    {
        pthread_mutex_lock(&client->lock);
        abr_conductor_do_work(client);
        pthread_mutex_unlock(&client->lock);
        abr_sleep_ms(ABR_CONDUCTOR_IDLE_SLEEP_MS);
    }
    return NULL;
}

int abr_conductor_start_thread(abr_client_t *client)
{
    abr_store_int_release(&client->running, 1);
    int result = pthread_create(&client->thread, NULL, abr_conductor_run, client);
    if (0 != result)
    {
        abr_store_int_release(&client->running, 0);
        return abr_error_set(ABR_ERROR_INTERNAL, "could not start the conductor thread: %s", strerror(result));
    }
    client->thread_started = true;
    return 0;
}

void abr_conductor_stop_thread(abr_client_t *client)
{
    if (client->thread_started)
    {
        abr_store_int_release(&client->running, 0);
        pthread_join(client->thread, NULL);
        client->thread_started = false;
    }
}

int abr_conductor_invoke(abr_client_t *client)
{
    if (client->use_conductor_thread)
    {
        return 0;
    }
    pthread_mutex_lock(&client->lock);
    int result = abr_conductor_do_work(client);
    pthread_mutex_unlock(&client->lock);
    return result;
}
