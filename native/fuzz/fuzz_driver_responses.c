/*
 * The driver's responses as the conductor handles them: errors, publication and subscription ready, images
 * available and unavailable, next session ids, client timeouts, with any lengths and contents. The client has
 * one pending add of each kind (correlation ids 5 to 8) and a subscription (registration id 9), so responses can
 * complete them; image and publication logs named by a response map only when valid (the target makes one valid
 * log, FUZZ_LOG_PATH, that the seeds name). Each input is a run of responses: a type selector byte, a 16-bit
 * length, the body.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/conductor.h"
#include "core/counters.h"
#include "core/exclusive_publication.h"
#include "core/log_buffers.h"
#include "core/publication.h"
#include "core/subscription.h"
#include "fuzz_input.h"

#define FUZZ_LOG_PATH "/tmp/abr-fuzz-driver-responses.logbuffer"
#define FUZZ_RING_CAPACITY 4096
#define FUZZ_COUNTERS 8

static const int32_t g_types[] = {
    ABR_RSP_ON_ERROR, ABR_RSP_ON_AVAILABLE_IMAGE, ABR_RSP_ON_PUBLICATION_READY, ABR_RSP_ON_OPERATION_SUCCESS,
    ABR_RSP_ON_UNAVAILABLE_IMAGE, ABR_RSP_ON_EXCLUSIVE_PUBLICATION_READY, ABR_RSP_ON_SUBSCRIPTION_READY,
    ABR_RSP_ON_CLIENT_TIMEOUT, ABR_RSP_ON_NEXT_AVAILABLE_SESSION_ID };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const size_t term_length = ABR_LOG_TERM_MIN_LENGTH;
    const size_t length = 3 * term_length + ABR_LOG_META_DATA_LENGTH;
    uint8_t *log = calloc(1, length);
    FILE *file = fopen(FUZZ_LOG_PATH, "wb");
    if (NULL == log || NULL == file)
    {
        fprintf(stderr, "cannot create %s\n", FUZZ_LOG_PATH);
        abort();
    }
    uint8_t *metadata = log + 3 * term_length;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, (int32_t)term_length);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, 1408);
    abr_put_int32(metadata + ABR_LOG_PAGE_SIZE_OFFSET, 4096);
    abr_put_int32(metadata + ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET, ABR_DATA_HEADER_LENGTH);
    if (length != fwrite(log, 1, length, file) || 0 != fclose(file))
    {
        abort();
    }
    free(log);
    return 0;
}

static void add_pending(abr_client_t *client, abr_pending_kind_t kind, int64_t correlation_id)
{
    abr_async_add_t *pending = calloc(1, sizeof(*pending));
    if (NULL == pending || NULL == (pending->channel = strdup("aeron:ipc")))
    {
        abort();
    }
    pending->client = client;
    pending->kind = kind;
    pending->state = ABR_PENDING_AWAITING;
    pending->correlation_id = correlation_id;
    pending->stream_id = 1001;
    pending->deadline_ns = INT64_MAX;
    pending->next = client->pending;
    client->pending = pending;
}

static void release_client(abr_client_t *client)
{
    abr_client_release_resources(client);
    abr_driver_proxy_close(&client->driver_proxy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    static uint8_t ring[FUZZ_RING_CAPACITY + ABR_RB_TRAILER_LENGTH];
    static uint8_t metadata[FUZZ_COUNTERS * ABR_COUNTER_METADATA_LENGTH];
    static uint8_t values[FUZZ_COUNTERS * ABR_COUNTER_LENGTH];
    memset(ring, 0, sizeof(ring));
    memset(metadata, 0, sizeof(metadata));
    memset(values, 0, sizeof(values));

    abr_client_t *client = calloc(1, sizeof(*client));
    if (NULL == client)
    {
        return 0;
    }
    client->dir = "fuzz";
    client->client_name = "fuzz";
    client->client_id = 1;
    client->driver_timeout_ms = 10000;
    client->heartbeat_counter_id = -1;
    client->cnc.counters_metadata = metadata;
    client->cnc.counters_metadata_length = sizeof(metadata);
    client->cnc.counters_values = values;
    client->cnc.counters_values_length = sizeof(values);
    if (abr_ring_buffer_init(&client->to_driver, ring, sizeof(ring)) < 0 ||
        abr_driver_proxy_init(&client->driver_proxy, &client->to_driver, client->client_id) < 0)
    {
        abort();
    }
    add_pending(client, ABR_PENDING_PUBLICATION, 5);
    add_pending(client, ABR_PENDING_EXCLUSIVE_PUBLICATION, 6);
    add_pending(client, ABR_PENDING_SUBSCRIPTION, 7);
    add_pending(client, ABR_PENDING_NEXT_SESSION_ID, 8);
    abr_subscription_t *subscription = abr_subscription_create(client, "aeron:ipc", 1001, 9, -1);
    if (NULL == subscription)
    {
        abort();
    }
    client->subscriptions = subscription;

    while (abr_fuzz_remaining(&input) > 0 && !abr_conductor_is_closed(client))
    {
        uint8_t selector = abr_fuzz_u8(&input);
        int32_t type = selector < 2 * (sizeof(g_types) / sizeof(g_types[0])) ?
            g_types[selector % (sizeof(g_types) / sizeof(g_types[0]))] : (int32_t)selector;
        uint16_t wanted = abr_fuzz_u16(&input);
        size_t length;
        const uint8_t *body = abr_fuzz_bytes(&input, wanted, &length);
        uint8_t *copy = malloc(length > 0 ? length : 1);
        if (NULL == copy)
        {
            break;
        }
        memcpy(copy, body, length);
        abr_conductor_on_response(client, type, copy, length);
        free(copy);
        for (abr_subscription_t *s = client->subscriptions; NULL != s; s = s->next)
        {
            abr_subscription_apply_changes(s);
        }
    }
    release_client(client);
    free(client);
    return 0;
}
