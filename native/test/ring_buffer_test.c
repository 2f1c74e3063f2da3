#include <stdlib.h>
#include <string.h>

#include "core/atomics.h"
#include "core/ring_buffer.h"
#include "abr/abr_error.h"
#include "test_assert.h"

#define CAPACITY 1024

typedef struct
{
    int count;
    int32_t last_type;
    int32_t last_length;
    uint8_t last[256];
}
received_t;

static void on_message(void *clientd, int32_t type, const uint8_t *msg, int32_t length)
{
    received_t *received = clientd;
    received->count++;
    received->last_type = type;
    received->last_length = length;
    memcpy(received->last, msg, (size_t)length);
}

static uint8_t *new_buffer(abr_ring_buffer_t *rb)
{
    uint8_t *memory = calloc(1, CAPACITY + ABR_RB_TRAILER_LENGTH);
    ABR_CHECK(0 == abr_ring_buffer_init(rb, memory, CAPACITY + ABR_RB_TRAILER_LENGTH));
    return memory;
}

static void test_write_and_read(void)
{
    abr_ring_buffer_t rb;
    uint8_t *memory = new_buffer(&rb);
    const uint8_t msg[] = "hello driver";
    ABR_CHECK(0 == abr_ring_buffer_write(&rb, 7, msg, (int32_t)sizeof(msg)));

    received_t received = { 0 };
    ABR_CHECK(1 == abr_ring_buffer_read(&rb, on_message, &received, 10));
    ABR_CHECK(7 == received.last_type);
    ABR_CHECK((int32_t)sizeof(msg) == received.last_length);
    ABR_CHECK(0 == memcmp(msg, received.last, sizeof(msg)));
    ABR_CHECK(0 == abr_ring_buffer_read(&rb, on_message, &received, 10));
    free(memory);
}

static void test_wrap_around_pads_to_end(void)
{
    abr_ring_buffer_t rb;
    uint8_t *memory = new_buffer(&rb);
    uint8_t msg[100];
    received_t received = { 0 };
    /* 100 + 8 aligned is 112: after 9 records the tail is at 1008 and a tenth cannot fit before the end. */
    for (int i = 0; i < 9; i++)
    {
        memset(msg, i, sizeof(msg));
        ABR_CHECK(0 == abr_ring_buffer_write(&rb, 1, msg, (int32_t)sizeof(msg)));
    }
    ABR_CHECK(9 == abr_ring_buffer_read(&rb, on_message, &received, 100));

    memset(msg, 42, sizeof(msg));
    ABR_CHECK(0 == abr_ring_buffer_write(&rb, 2, msg, (int32_t)sizeof(msg)));
    ABR_CHECK(ABR_RB_PADDING_MSG_TYPE_ID == abr_get_int32(memory + 1008 + 4));
    ABR_CHECK(16 == abr_get_int32(memory + 1008));
    ABR_CHECK(2 == abr_get_int32(memory + 4));

    received.count = 0;
    abr_ring_buffer_read(&rb, on_message, &received, 100);
    abr_ring_buffer_read(&rb, on_message, &received, 100);
    ABR_CHECK(1 == received.count);
    ABR_CHECK(2 == received.last_type);
    ABR_CHECK(42 == received.last[99]);
    free(memory);
}

static void test_full_buffer_is_refused(void)
{
    abr_ring_buffer_t rb;
    uint8_t *memory = new_buffer(&rb);
    uint8_t msg[120];
    memset(msg, 1, sizeof(msg));
    int written = 0;
    while (0 == abr_ring_buffer_write(&rb, 1, msg, (int32_t)sizeof(msg)))
    {
        written++;
    }
    ABR_CHECK(8 == written);
    ABR_CHECK(ABR_ERROR_BUFFER_FULL == abr_errcode());

    ABR_CHECK(-1 == abr_ring_buffer_write(&rb, 1, msg, CAPACITY));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());

    received_t received = { 0 };
    ABR_CHECK(8 == abr_ring_buffer_read(&rb, on_message, &received, 100));
    ABR_CHECK(0 == abr_ring_buffer_write(&rb, 1, msg, (int32_t)sizeof(msg)));
    free(memory);
}

static void test_correlation_ids_and_heartbeat(void)
{
    abr_ring_buffer_t rb;
    uint8_t *memory = new_buffer(&rb);
    int64_t first = abr_ring_buffer_next_correlation_id(&rb);
    ABR_CHECK(first + 1 == abr_ring_buffer_next_correlation_id(&rb));
    abr_put_int64(memory + CAPACITY + ABR_RB_CONSUMER_HEARTBEAT_OFFSET, 12345);
    ABR_CHECK(12345 == abr_ring_buffer_consumer_heartbeat_time(&rb));
    free(memory);
}

static void test_capacity_must_be_power_of_two(void)
{
    abr_ring_buffer_t rb;
    uint8_t memory[1000 + ABR_RB_TRAILER_LENGTH];
    ABR_CHECK(-1 == abr_ring_buffer_init(&rb, memory, sizeof(memory)));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
}

/* Found by fuzz_cnc_header: a head a capacity or more behind the tail overflowed the free-space arithmetic. */
static void test_corrupt_head_and_tail_are_reported(void)
{
    const int64_t positions[][2] = {
        { -2147483431LL, 0 }, { 0, 4096 }, { -1, 0 }, { 0, -8 }, { 0, INT64_MAX }, { INT64_MIN, INT64_MAX },
        { 100, 100 + CAPACITY + 8 } };
    for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++)
    {
        abr_ring_buffer_t rb;
        uint8_t *memory = new_buffer(&rb);
        abr_put_int64(memory + CAPACITY + ABR_RB_HEAD_POSITION_OFFSET, positions[i][0]);
        abr_put_int64(memory + CAPACITY + ABR_RB_HEAD_CACHE_POSITION_OFFSET, positions[i][0]);
        abr_put_int64(memory + CAPACITY + ABR_RB_TAIL_POSITION_OFFSET, positions[i][1]);
        uint8_t msg[16] = { 0 };
        ABR_CHECK(-1 == abr_ring_buffer_write(&rb, 1, msg, sizeof(msg)));
        ABR_CHECK(ABR_ERROR_IO == abr_errcode());
        ABR_CHECK(NULL != strstr(abr_errmsg(), "ring buffer is corrupt"));
        free(memory);
    }
}

/* A stale head cache (far behind, or never written) is not corruption: the real head decides. */
static void test_a_stale_head_cache_is_not_corruption(void)
{
    abr_ring_buffer_t rb;
    uint8_t *memory = new_buffer(&rb);
    abr_put_int64(memory + CAPACITY + ABR_RB_HEAD_POSITION_OFFSET, 10 * CAPACITY);
    abr_put_int64(memory + CAPACITY + ABR_RB_HEAD_CACHE_POSITION_OFFSET, 0);
    abr_put_int64(memory + CAPACITY + ABR_RB_TAIL_POSITION_OFFSET, 10 * CAPACITY);
    uint8_t msg[16] = { 0 };
    ABR_CHECK(0 == abr_ring_buffer_write(&rb, 1, msg, sizeof(msg)));
    free(memory);
}

static void test_a_record_running_past_the_end_is_not_read(void)
{
    const int32_t lengths[] = { 4, CAPACITY + 8, INT32_MAX };
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
    {
        abr_ring_buffer_t rb;
        uint8_t *memory = new_buffer(&rb);
        abr_put_int64(memory + CAPACITY + ABR_RB_HEAD_POSITION_OFFSET, CAPACITY - 64);
        abr_put_int32(memory + CAPACITY - 64, lengths[i]);
        abr_put_int32(memory + CAPACITY - 60, 7);
        received_t received = { 0 };
        ABR_CHECK(-1 == abr_ring_buffer_read(&rb, on_message, &received, 10));
        ABR_CHECK(ABR_ERROR_IO == abr_errcode());
        ABR_CHECK(0 == received.count);
        free(memory);
    }
}

int main(void)
{
    ABR_RUN(test_write_and_read);
    ABR_RUN(test_wrap_around_pads_to_end);
    ABR_RUN(test_full_buffer_is_refused);
    ABR_RUN(test_correlation_ids_and_heartbeat);
    ABR_RUN(test_capacity_must_be_power_of_two);
    ABR_RUN(test_corrupt_head_and_tail_are_reported);
    ABR_RUN(test_a_stale_head_cache_is_not_corruption);
    ABR_RUN(test_a_record_running_past_the_end_is_not_read);
    return 0;
}
