#include <stdlib.h>
#include <string.h>

#include "atomics.h"
#include "driver_proxy.h"
#include "error.h"

/* Every command starts as CorrelatedMessageFlyweight: client id, then correlation id. */
#define ABR_CMD_CLIENT_ID_OFFSET 0
#define ABR_CMD_CORRELATION_ID_OFFSET 8
#define ABR_CMD_CORRELATED_LENGTH 16
/* Aeron.NULL_VALUE, used for "no correlation" and "no registration". */
#define ABR_NULL_VALUE (-1)

int abr_driver_proxy_init(abr_driver_proxy_t *proxy, abr_ring_buffer_t *to_driver, int64_t client_id)
{
    proxy->to_driver = to_driver;
    proxy->client_id = client_id;
    proxy->scratch_length = to_driver->max_msg_length;
    proxy->scratch = calloc(1, (size_t)proxy->scratch_length);
    if (NULL == proxy->scratch)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the driver proxy");
    }
    return 0;
}

void abr_driver_proxy_close(abr_driver_proxy_t *proxy)
{
    free(proxy->scratch);
    proxy->scratch = NULL;
}

static void abr_driver_proxy_correlated(abr_driver_proxy_t *proxy, int64_t correlation_id)
{
    abr_put_int64(proxy->scratch + ABR_CMD_CLIENT_ID_OFFSET, proxy->client_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATION_ID_OFFSET, correlation_id);
}

/* Write an ASCII string as Agrona does: int32 length, then the bytes. Returns the end offset or -1. */
static int32_t abr_driver_proxy_put_string(abr_driver_proxy_t *proxy, int32_t offset, const char *value)
{
    size_t length = strlen(value);
    if ((int64_t)length > (int64_t)proxy->scratch_length - offset - 4)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "channel is too long for a driver command: length=%zu, max=%d",
            length, proxy->scratch_length - offset - 4);
    }
    abr_put_int32(proxy->scratch + offset, (int32_t)length);
    memcpy(proxy->scratch + offset + 4, value, length);
    return offset + 4 + (int32_t)length;
}

static int abr_driver_proxy_publication(
    abr_driver_proxy_t *proxy, int32_t type, int64_t correlation_id, const char *channel, int32_t stream_id)
{
    /* PublicationMessageFlyweight: correlated header, stream id, channel. */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int32(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, stream_id);
    int32_t length = abr_driver_proxy_put_string(proxy, ABR_CMD_CORRELATED_LENGTH + 4, channel);
    if (length < 0)
    {
        return -1;
    }
    return abr_ring_buffer_write(proxy->to_driver, type, proxy->scratch, length);
}

int abr_driver_proxy_add_exclusive_publication(
    abr_driver_proxy_t *proxy, int64_t correlation_id, const char *channel, int32_t stream_id)
{
    return abr_driver_proxy_publication(proxy, ABR_CMD_ADD_EXCLUSIVE_PUBLICATION, correlation_id, channel, stream_id);
}

int abr_driver_proxy_add_publication(
    abr_driver_proxy_t *proxy, int64_t correlation_id, const char *channel, int32_t stream_id)
{
    return abr_driver_proxy_publication(proxy, ABR_CMD_ADD_PUBLICATION, correlation_id, channel, stream_id);
}

int abr_driver_proxy_add_subscription(
    abr_driver_proxy_t *proxy, int64_t correlation_id, const char *channel, int32_t stream_id)
{
    /* SubscriptionMessageFlyweight: correlated header, registration correlation id, stream id, channel. */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, ABR_NULL_VALUE);
    abr_put_int32(proxy->scratch + ABR_CMD_CORRELATED_LENGTH + 8, stream_id);
    int32_t length = abr_driver_proxy_put_string(proxy, ABR_CMD_CORRELATED_LENGTH + 12, channel);
    if (length < 0)
    {
        return -1;
    }
    return abr_ring_buffer_write(proxy->to_driver, ABR_CMD_ADD_SUBSCRIPTION, proxy->scratch, length);
}

int abr_driver_proxy_remove_publication(abr_driver_proxy_t *proxy, int64_t correlation_id, int64_t registration_id)
{
    /* RemovePublicationFlyweight: correlated header, registration id, flags (0: no revoke). */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, registration_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATED_LENGTH + 8, 0);
    return abr_ring_buffer_write(
        proxy->to_driver, ABR_CMD_REMOVE_PUBLICATION, proxy->scratch, ABR_CMD_CORRELATED_LENGTH + 16);
}

int abr_driver_proxy_remove_subscription(abr_driver_proxy_t *proxy, int64_t correlation_id, int64_t registration_id)
{
    /* RemoveSubscriptionFlyweight: correlated header, registration id. */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, registration_id);
    return abr_ring_buffer_write(
        proxy->to_driver, ABR_CMD_REMOVE_SUBSCRIPTION, proxy->scratch, ABR_CMD_CORRELATED_LENGTH + 8);
}

int abr_driver_proxy_next_session_id(abr_driver_proxy_t *proxy, int64_t correlation_id, int32_t stream_id)
{
    /* GetNextAvailableSessionIdMessageFlyweight: correlated header, stream id. */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int32(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, stream_id);
    return abr_ring_buffer_write(
        proxy->to_driver, ABR_CMD_GET_NEXT_AVAILABLE_SESSION_ID, proxy->scratch, ABR_CMD_CORRELATED_LENGTH + 4);
}

int abr_driver_proxy_destination(
    abr_driver_proxy_t *proxy, int32_t type, int64_t correlation_id, int64_t registration_id, const char *channel)
{
    /* DestinationMessageFlyweight: correlated header, registration correlation id, channel. */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, registration_id);
    int32_t length = abr_driver_proxy_put_string(proxy, ABR_CMD_CORRELATED_LENGTH + 8, channel);
    if (length < 0)
    {
        return -1;
    }
    return abr_ring_buffer_write(proxy->to_driver, type, proxy->scratch, length);
}

int abr_driver_proxy_add_counter(
    abr_driver_proxy_t *proxy, int64_t correlation_id, int32_t type_id, const uint8_t *key, int32_t key_length,
    const uint8_t *label, int32_t label_length)
{
    /* CounterMessageFlyweight: correlated header, type id, key length and key, then the label's length at the next
     * multiple of 4 and the label. */
    const int32_t key_offset = ABR_CMD_CORRELATED_LENGTH + 8;
    const int32_t label_length_offset = key_offset + ((key_length + 3) & ~3);
    const int64_t length = (int64_t)label_length_offset + 4 + label_length;
    if (key_length < 0 || label_length < 0 || length > proxy->scratch_length)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "counter command does not fit: keyLength=%d, labelLength=%d, max=%d",
            key_length, label_length, proxy->scratch_length);
    }
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int32(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, type_id);
    abr_put_int32(proxy->scratch + ABR_CMD_CORRELATED_LENGTH + 4, key_length);
    memset(proxy->scratch + key_offset, 0, (size_t)(label_length_offset - key_offset));
    if (key_length > 0)
    {
        memcpy(proxy->scratch + key_offset, key, (size_t)key_length);
    }
    abr_put_int32(proxy->scratch + label_length_offset, label_length);
    if (label_length > 0)
    {
        memcpy(proxy->scratch + label_length_offset + 4, label, (size_t)label_length);
    }
    return abr_ring_buffer_write(proxy->to_driver, ABR_CMD_ADD_COUNTER, proxy->scratch, (int32_t)length);
}

int abr_driver_proxy_remove_counter(abr_driver_proxy_t *proxy, int64_t correlation_id, int64_t registration_id)
{
    /* RemoveCounterFlyweight (a RemoveMessageFlyweight): correlated header, registration id. */
    abr_driver_proxy_correlated(proxy, correlation_id);
    abr_put_int64(proxy->scratch + ABR_CMD_CORRELATED_LENGTH, registration_id);
    return abr_ring_buffer_write(
        proxy->to_driver, ABR_CMD_REMOVE_COUNTER, proxy->scratch, ABR_CMD_CORRELATED_LENGTH + 8);
}

int abr_driver_proxy_keepalive(abr_driver_proxy_t *proxy)
{
    abr_driver_proxy_correlated(proxy, 0);
    return abr_ring_buffer_write(proxy->to_driver, ABR_CMD_CLIENT_KEEPALIVE, proxy->scratch, ABR_CMD_CORRELATED_LENGTH);
}

int abr_driver_proxy_client_close(abr_driver_proxy_t *proxy)
{
    abr_driver_proxy_correlated(proxy, ABR_NULL_VALUE);
    return abr_ring_buffer_write(proxy->to_driver, ABR_CMD_CLIENT_CLOSE, proxy->scratch, ABR_CMD_CORRELATED_LENGTH);
}
