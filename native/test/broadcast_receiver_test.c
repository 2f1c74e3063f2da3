#include <stdlib.h>
#include <string.h>

#include "core/atomics.h"
#include "core/broadcast_receiver.h"
#include "test_assert.h"

#define CAPACITY 1024

/* A transmitter as the driver's: intent first, record, then tail and latest. */
static void transmit(uint8_t *buffer, int32_t type, const uint8_t *msg, int32_t length)
{
    uint8_t *trailer = buffer + CAPACITY;
    int64_t tail = abr_get_int64(trailer + ABR_BROADCAST_TAIL_COUNTER_OFFSET);
    int32_t record_length = length + ABR_BROADCAST_RECORD_HEADER_LENGTH;
    int32_t aligned = (record_length + 7) & ~7;
    int32_t offset = (int32_t)(tail & (CAPACITY - 1));
    int32_t to_end = CAPACITY - offset;
    if (aligned > to_end)
    {
        abr_put_int64_release(trailer + ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET, tail + to_end + aligned);
        abr_put_int32(buffer + offset, to_end);
        abr_put_int32(buffer + offset + 4, ABR_BROADCAST_PADDING_MSG_TYPE_ID);
        tail += to_end;
        offset = 0;
    }
    else
    {
        abr_put_int64_release(trailer + ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET, tail + aligned);
    }
    abr_put_int32(buffer + offset, record_length);
    abr_put_int32(buffer + offset + 4, type);
    memcpy(buffer + offset + 8, msg, (size_t)length);
    abr_put_int64(trailer + ABR_BROADCAST_LATEST_COUNTER_OFFSET, tail);
    abr_put_int64_release(trailer + ABR_BROADCAST_TAIL_COUNTER_OFFSET, tail + aligned);
}

typedef struct
{
    int count;
    int32_t types[64];
    uint8_t first_bytes[64];
}
received_t;

static void on_message(void *clientd, int32_t type, const uint8_t *msg, size_t length)
{
    received_t *received = clientd;
    if (received->count < 64)
    {
        received->types[received->count] = type;
        received->first_bytes[received->count] = length > 0 ? msg[0] : 0;
    }
    received->count++;
}

static void test_receives_in_order_across_the_end(void)
{
    uint8_t *buffer = calloc(1, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH);
    abr_broadcast_receiver_t receiver;
    ABR_CHECK(0 == abr_broadcast_receiver_init(&receiver, buffer, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH));

    uint8_t msg[100];
    received_t received = { 0 };
    for (int round = 0; round < 30; round++)
    {
        memset(msg, round, sizeof(msg));
        transmit(buffer, 10 + round, msg, (int32_t)sizeof(msg));
        received.count = 0;
        ABR_CHECK(1 == abr_broadcast_receiver_receive(&receiver, on_message, &received));
        ABR_CHECK(1 == received.count);
        ABR_CHECK(10 + round == received.types[0]);
        ABR_CHECK(round == received.first_bytes[0]);
    }
    ABR_CHECK(0 == receiver.lapped_count);
    abr_broadcast_receiver_close(&receiver);
    free(buffer);
}

static void test_lapped_receiver_resyncs_to_latest(void)
{
    uint8_t *buffer = calloc(1, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH);
    abr_broadcast_receiver_t receiver;
    ABR_CHECK(0 == abr_broadcast_receiver_init(&receiver, buffer, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH));

    uint8_t msg[100];
    for (int i = 0; i < 25; i++)
    {
        memset(msg, i, sizeof(msg));
        transmit(buffer, 100 + i, msg, (int32_t)sizeof(msg));
    }

    received_t received = { 0 };
    abr_broadcast_receiver_receive(&receiver, on_message, &received);
    ABR_CHECK(receiver.lapped_count >= 1);
    ABR_CHECK(received.count >= 1);
    ABR_CHECK(124 == received.types[received.count - 1]);

    memset(msg, 77, sizeof(msg));
    transmit(buffer, 200, msg, (int32_t)sizeof(msg));
    received.count = 0;
    ABR_CHECK(1 == abr_broadcast_receiver_receive(&receiver, on_message, &received));
    ABR_CHECK(200 == received.types[0]);
    ABR_CHECK(77 == received.first_bytes[0]);
    abr_broadcast_receiver_close(&receiver);
    free(buffer);
}

int main(void)
{
    ABR_RUN(test_receives_in_order_across_the_end);
    ABR_RUN(test_lapped_receiver_resyncs_to_latest);
    return 0;
}
