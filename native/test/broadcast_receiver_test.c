#include <stdlib.h>
#include <string.h>

#include "abr/abr_error.h"
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

/* A damaged buffer: one record written by hand at position, the trailer's counters saying it is the latest. */
static uint8_t *corrupt_buffer(int64_t position, int32_t length, int32_t type, abr_broadcast_receiver_t *receiver)
{
    uint8_t *buffer = calloc(1, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH);
    uint8_t *trailer = buffer + CAPACITY;
    int32_t offset = (int32_t)(position & (CAPACITY - 1));
    if (offset <= CAPACITY - 8)
    {
        abr_put_int32(buffer + offset, length);
        abr_put_int32(buffer + offset + 4, type);
    }
    memset(trailer + 24, 0x5a, ABR_BROADCAST_TRAILER_LENGTH - 24);
    abr_put_int64(trailer + ABR_BROADCAST_LATEST_COUNTER_OFFSET, position);
    abr_put_int64(trailer + ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET, position + 8);
    abr_put_int64(trailer + ABR_BROADCAST_TAIL_COUNTER_OFFSET, position + 8);
    ABR_CHECK(0 == abr_broadcast_receiver_init(receiver, buffer, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH));
    return buffer;
}

static void check_reported_and_stopped(abr_broadcast_receiver_t *receiver, const char *why)
{
    received_t received = { 0 };
    ABR_CHECK(-1 == abr_broadcast_receiver_receive(receiver, on_message, &received));
    ABR_CHECK(ABR_ERROR_IO == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "to-clients broadcast buffer is corrupt"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), why));
    ABR_CHECK(0 == received.count);
    /* Stopped: the next call fails alike and reads nothing. */
    ABR_CHECK(-1 == abr_broadcast_receiver_receive(receiver, on_message, &received));
    ABR_CHECK(ABR_ERROR_IO == abr_errcode());
    ABR_CHECK(0 == received.count);
}

static void test_a_record_running_past_the_end_is_reported_not_copied(void)
{
    abr_broadcast_receiver_t receiver;
    uint8_t *buffer = corrupt_buffer(CAPACITY - 16, 100, 42, &receiver);
    check_reported_and_stopped(&receiver, "record length out of bounds");
    abr_broadcast_receiver_close(&receiver);
    free(buffer);
}

static void test_a_padding_record_of_int32_max_is_reported(void)
{
    abr_broadcast_receiver_t receiver;
    uint8_t *buffer = corrupt_buffer(CAPACITY - 64, INT32_MAX, ABR_BROADCAST_PADDING_MSG_TYPE_ID, &receiver);
    check_reported_and_stopped(&receiver, "padding not to the end");
    abr_broadcast_receiver_close(&receiver);
    free(buffer);
}

static void test_lengths_no_transmitter_writes_are_reported(void)
{
    const int32_t lengths[] = { 0, 7, -8, INT32_MIN, INT32_MAX, 8 + CAPACITY / 8 + 1 };
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
    {
        abr_broadcast_receiver_t receiver;
        uint8_t *buffer = corrupt_buffer(256, lengths[i], 42, &receiver);
        check_reported_and_stopped(&receiver, "record length out of bounds");
        abr_broadcast_receiver_close(&receiver);
        free(buffer);
    }
}

static void test_an_unaligned_or_extreme_position_is_reported(void)
{
    const int64_t positions[] = { CAPACITY - 4, 3, INT64_MAX - 9, INT64_MIN + 1 };
    for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++)
    {
        abr_broadcast_receiver_t receiver;
        uint8_t *buffer = corrupt_buffer(positions[i], 16, 42, &receiver);
        abr_put_int64(buffer + CAPACITY + ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET, INT64_MAX);
        abr_put_int64(buffer + CAPACITY + ABR_BROADCAST_TAIL_COUNTER_OFFSET, INT64_MAX);
        received_t received = { 0 };
        ABR_CHECK(-1 == abr_broadcast_receiver_receive(&receiver, on_message, &received));
        ABR_CHECK(ABR_ERROR_IO == abr_errcode());
        ABR_CHECK(0 == received.count);
        abr_broadcast_receiver_close(&receiver);
        free(buffer);
    }
}

static void test_a_capacity_too_small_or_not_a_power_of_two_is_refused(void)
{
    uint8_t *buffer = calloc(1, CAPACITY + ABR_BROADCAST_TRAILER_LENGTH);
    abr_broadcast_receiver_t receiver;
    const size_t capacities[] = { 1, 8, 32, 1000 };
    for (size_t i = 0; i < sizeof(capacities) / sizeof(capacities[0]); i++)
    {
        ABR_CHECK(-1 == abr_broadcast_receiver_init(&receiver, buffer, capacities[i] + ABR_BROADCAST_TRAILER_LENGTH));
        ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    }
    ABR_CHECK(0 == abr_broadcast_receiver_init(&receiver, buffer, 64 + ABR_BROADCAST_TRAILER_LENGTH));
    abr_broadcast_receiver_close(&receiver);
    free(buffer);
}

int main(void)
{
    ABR_RUN(test_receives_in_order_across_the_end);
    ABR_RUN(test_lapped_receiver_resyncs_to_latest);
    ABR_RUN(test_a_record_running_past_the_end_is_reported_not_copied);
    ABR_RUN(test_a_padding_record_of_int32_max_is_reported);
    ABR_RUN(test_lengths_no_transmitter_writes_are_reported);
    ABR_RUN(test_an_unaligned_or_extreme_position_is_reported);
    ABR_RUN(test_a_capacity_too_small_or_not_a_power_of_two_is_refused);
    return 0;
}
