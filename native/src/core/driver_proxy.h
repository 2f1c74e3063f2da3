/*
 * Encoding commands to the driver (io.aeron.command flyweights) onto the to-driver ring buffer.
 * Callers serialise access: the proxy owns one scratch buffer for encoding.
 */
#ifndef ABR_CORE_DRIVER_PROXY_H
#define ABR_CORE_DRIVER_PROXY_H

#include <stdint.h>

#include "ring_buffer.h"

/* Command type ids to the driver, from ControlProtocolEvents (aeron-client 1.51.0). */
#define ABR_CMD_ADD_PUBLICATION 0x01
#define ABR_CMD_REMOVE_PUBLICATION 0x02
#define ABR_CMD_ADD_EXCLUSIVE_PUBLICATION 0x03
#define ABR_CMD_ADD_SUBSCRIPTION 0x04
#define ABR_CMD_REMOVE_SUBSCRIPTION 0x05
#define ABR_CMD_CLIENT_KEEPALIVE 0x06
#define ABR_CMD_ADD_DESTINATION 0x07
#define ABR_CMD_REMOVE_DESTINATION 0x08
#define ABR_CMD_ADD_COUNTER 0x09
#define ABR_CMD_REMOVE_COUNTER 0x0A
#define ABR_CMD_CLIENT_CLOSE 0x0B
#define ABR_CMD_ADD_RCV_DESTINATION 0x0C
#define ABR_CMD_REMOVE_RCV_DESTINATION 0x0D
#define ABR_CMD_GET_NEXT_AVAILABLE_SESSION_ID 0x12

typedef struct abr_driver_proxy_stct
{
    abr_ring_buffer_t *to_driver;
    int64_t client_id;
    uint8_t *scratch;
    int32_t scratch_length;
}
abr_driver_proxy_t;

int abr_driver_proxy_init(abr_driver_proxy_t *proxy, abr_ring_buffer_t *to_driver, int64_t client_id);
void abr_driver_proxy_close(abr_driver_proxy_t *proxy);

int abr_driver_proxy_add_exclusive_publication(
    abr_driver_proxy_t *proxy, int64_t correlation_id, const char *channel, int32_t stream_id);
/* A concurrent (shared) publication: ADD_PUBLICATION, the same message as the exclusive one. */
int abr_driver_proxy_add_publication(
    abr_driver_proxy_t *proxy, int64_t correlation_id, const char *channel, int32_t stream_id);
int abr_driver_proxy_add_subscription(
    abr_driver_proxy_t *proxy, int64_t correlation_id, const char *channel, int32_t stream_id);
int abr_driver_proxy_remove_publication(abr_driver_proxy_t *proxy, int64_t correlation_id, int64_t registration_id);
int abr_driver_proxy_remove_subscription(abr_driver_proxy_t *proxy, int64_t correlation_id, int64_t registration_id);
int abr_driver_proxy_next_session_id(abr_driver_proxy_t *proxy, int64_t correlation_id, int32_t stream_id);
/* A destination command (ADD_DESTINATION, REMOVE_DESTINATION, ADD_RCV_DESTINATION or REMOVE_RCV_DESTINATION) for the
 * publication or subscription the driver knows by registration_id. */
int abr_driver_proxy_destination(
    abr_driver_proxy_t *proxy, int32_t type, int64_t correlation_id, int64_t registration_id, const char *channel);
/* ADD_COUNTER (CounterMessageFlyweight): a counter of this type with key and label bytes (lengths checked by the
 * caller against CountersReader's maxima). */
int abr_driver_proxy_add_counter(
    abr_driver_proxy_t *proxy, int64_t correlation_id, int32_t type_id, const uint8_t *key, int32_t key_length,
    const uint8_t *label, int32_t label_length);
/* REMOVE_COUNTER for the counter the driver knows by registration_id (its add's correlation id). */
int abr_driver_proxy_remove_counter(abr_driver_proxy_t *proxy, int64_t correlation_id, int64_t registration_id);
int abr_driver_proxy_keepalive(abr_driver_proxy_t *proxy);
int abr_driver_proxy_client_close(abr_driver_proxy_t *proxy);

#endif
