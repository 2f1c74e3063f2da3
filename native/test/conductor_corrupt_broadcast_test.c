/*
 * A conductor whose to-clients broadcast buffer turns corrupt (a damaged CnC file) closes its client with the
 * receiver's reason: every later call fails with ABR_ERROR_IO saying so, and nothing more is read from the buffer.
 * The client is built by hand over plain memory (a live driver heartbeat, no driver), as no driver writes such a
 * buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "abr/abr_error.h"
#include "core/atomics.h"
#include "core/clock.h"
#include "core/conductor.h"
#include "core/counters.h"
#include "test_assert.h"

#define RING_CAPACITY 1024
#define BROADCAST_CAPACITY 1024
#define COUNTERS 4

static void test_a_corrupt_broadcast_buffer_closes_the_client_with_the_reason(void)
{
    uint8_t *ring = calloc(1, RING_CAPACITY + ABR_RB_TRAILER_LENGTH);
    uint8_t *broadcast = calloc(1, BROADCAST_CAPACITY + ABR_BROADCAST_TRAILER_LENGTH);
    uint8_t *metadata = calloc(COUNTERS, ABR_COUNTER_METADATA_LENGTH);
    uint8_t *values = calloc(COUNTERS, ABR_COUNTER_LENGTH);
    abr_client_t *client = calloc(1, sizeof(*client));
    client->dir = "corrupt";
    client->client_name = "test";
    client->client_id = 1;
    client->driver_timeout_ms = 10000;
    client->heartbeat_counter_id = -1;
    client->inter_service_timeout_ns = INT64_MAX;
    client->last_service_ns = abr_nano_time();
    client->last_keepalive_ns = client->last_service_ns;
    client->cnc.counters_metadata = metadata;
    client->cnc.counters_metadata_length = COUNTERS * ABR_COUNTER_METADATA_LENGTH;
    client->cnc.counters_values = values;
    client->cnc.counters_values_length = COUNTERS * ABR_COUNTER_LENGTH;
    ABR_CHECK(0 == abr_ring_buffer_init(&client->to_driver, ring, RING_CAPACITY + ABR_RB_TRAILER_LENGTH));
    abr_put_int64(ring + RING_CAPACITY + ABR_RB_CONSUMER_HEARTBEAT_OFFSET, abr_epoch_ms());
    ABR_CHECK(0 == abr_driver_proxy_init(&client->driver_proxy, &client->to_driver, client->client_id));

    /* The latest record, at 1008, says it is 100 bytes long: it would run 84 bytes past the data. */
    uint8_t *trailer = broadcast + BROADCAST_CAPACITY;
    abr_put_int32(broadcast + BROADCAST_CAPACITY - 16, 100);
    abr_put_int32(broadcast + BROADCAST_CAPACITY - 12, ABR_RSP_ON_NEXT_AVAILABLE_SESSION_ID);
    abr_put_int64(trailer + ABR_BROADCAST_LATEST_COUNTER_OFFSET, BROADCAST_CAPACITY - 16);
    abr_put_int64(trailer + ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET, BROADCAST_CAPACITY + 88);
    abr_put_int64(trailer + ABR_BROADCAST_TAIL_COUNTER_OFFSET, BROADCAST_CAPACITY + 88);
    ABR_CHECK(0 == abr_broadcast_receiver_init(
        &client->to_clients, broadcast, BROADCAST_CAPACITY + ABR_BROADCAST_TRAILER_LENGTH));

    ABR_CHECK(-1 == abr_conductor_do_work(client));
    ABR_CHECK(abr_conductor_is_closed(client));
    ABR_CHECK(-1 == abr_conductor_closed_error(client));
    ABR_CHECK(ABR_ERROR_IO == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "to-clients broadcast buffer is corrupt"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "dir=corrupt"));
    ABR_CHECK(-1 == abr_conductor_do_work(client));

    abr_broadcast_receiver_close(&client->to_clients);
    abr_driver_proxy_close(&client->driver_proxy);
    free(client);
    free(values);
    free(metadata);
    free(broadcast);
    free(ring);
}

int main(void)
{
    ABR_RUN(test_a_corrupt_broadcast_buffer_closes_the_client_with_the_reason);
    return 0;
}
