/*
 * The concurrent publication's appender on plain memory: limits, padding and rotation at the end of a
 * term, fragmentation, claims, term ids that wrap, and several writer threads against one reader.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/atomics.h"
#include "core/image.h"
#include "core/log_buffers.h"
#include "core/shared_appender.h"
#include "test_assert.h"

#define TERM_LENGTH (64 * 1024)
#define MTU 1408
#define LOG_LENGTH (3 * TERM_LENGTH + ABR_LOG_META_DATA_LENGTH)
#define NO_LIMIT INT64_MAX

typedef struct
{
    uint8_t *memory;
    abr_log_buffers_t log;
    abr_shared_appender_t appender;
    int64_t subscriber_position;
    abr_image_t image;
}
fixture_t;

/* A log as the driver lays it out: each partition's tail primed so rotation finds the term id it expects. */
static void fixture_init(fixture_t *f, int32_t initial_term_id)
{
    memset(f, 0, sizeof(*f));
    f->memory = calloc(1, LOG_LENGTH);
    uint8_t *metadata = f->memory + 3 * TERM_LENGTH;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, TERM_LENGTH);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, MTU);
    abr_put_int32(metadata + ABR_LOG_INITIAL_TERM_ID_OFFSET, initial_term_id);
    abr_put_int32(metadata + ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET, ABR_DATA_HEADER_LENGTH);
    uint8_t *header = metadata + ABR_LOG_DEFAULT_FRAME_HEADER_OFFSET;
    header[ABR_FRAME_FLAGS_FIELD_OFFSET] = 0xC0;
    header[ABR_FRAME_TYPE_FIELD_OFFSET] = ABR_HDR_TYPE_DATA;
    abr_put_int32(header + ABR_FRAME_SESSION_ID_FIELD_OFFSET, 77);
    abr_put_int32(header + ABR_FRAME_STREAM_ID_FIELD_OFFSET, 1001);
    for (int i = 0; i < ABR_LOG_PARTITION_COUNT; i++)
    {
        int32_t term_id = (int32_t)((uint32_t)initial_term_id + (uint32_t)i - (0 == i ? 0 : ABR_LOG_PARTITION_COUNT));
        abr_put_int64(metadata + i * 8, abr_log_pack_tail(term_id, 0));
    }
    abr_put_int32(metadata + ABR_LOG_IS_CONNECTED_OFFSET, 1);

    ABR_CHECK(0 == abr_log_buffers_wrap(&f->log, f->memory, LOG_LENGTH, "test"));
    ABR_CHECK(0 == abr_shared_appender_init(&f->appender, &f->log));
    abr_image_init(&f->image, &f->log, (uint8_t *)&f->subscriber_position, 1, 77);
}

typedef struct
{
    int count;
    size_t total;
    abr_header_t last_header;
    uint8_t last_first_byte;
}
seen_t;

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    seen_t *seen = clientd;
    seen->count++;
    seen->total += length;
    seen->last_header = *header;
    seen->last_first_byte = length > 0 ? buffer[0] : 0;
}

static void test_offers_below_the_limit_only(void)
{
    fixture_t f;
    fixture_init(&f, 5);
    uint8_t msg[100] = { 1 };
    ABR_CHECK(160 == abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, 100));
    ABR_CHECK(160 == abr_shared_appender_position(&f.appender));
    ABR_CHECK(ABR_PUBLICATION_BACK_PRESSURED == abr_shared_appender_offer(&f.appender, 160, msg, 100));
    abr_put_int32(f.log.metadata + ABR_LOG_IS_CONNECTED_OFFSET, 0);
    ABR_CHECK(ABR_PUBLICATION_NOT_CONNECTED == abr_shared_appender_offer(&f.appender, 0, msg, 100));
    ABR_CHECK(160 == abr_shared_appender_position(&f.appender));

    seen_t seen = { 0 };
    ABR_CHECK(1 == abr_image_poll(&f.image, on_fragment, &seen, 10));
    ABR_CHECK(100 == seen.total && 5 == seen.last_header.term_id && 77 == seen.last_header.session_id);
    free(f.memory);
}

static void test_pads_rotates_and_continues_in_the_next_term(void)
{
    fixture_t f;
    fixture_init(&f, 5);
    uint8_t msg[1000];
    int messages = 0;
    int64_t result;
    while (true)
    {
        memset(msg, messages & 0xFF, sizeof(msg));
        result = abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, (int32_t)sizeof(msg));
        if (result < 0)
        {
            break;
        }
        messages++;
    }
    ABR_CHECK(ABR_PUBLICATION_ADMIN_ACTION == result);
    /* 1032 aligned to 1056: 62 frames fit in 65536, leaving 64 bytes of padding. */
    ABR_CHECK(62 == messages);
    uint8_t *pad = f.log.terms[0] + 62 * 1056;
    ABR_CHECK(64 == abr_get_int32(pad) && ABR_HDR_TYPE_PAD == pad[ABR_FRAME_TYPE_FIELD_OFFSET]);
    ABR_CHECK(1 == abr_log_active_term_count(&f.log));
    ABR_CHECK(TERM_LENGTH == abr_shared_appender_position(&f.appender));

    memset(msg, 62, sizeof(msg));
    ABR_CHECK(TERM_LENGTH + 1056 == abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, (int32_t)sizeof(msg)));
    seen_t seen = { 0 };
    int total = 0;
    for (int i = 0; i < 10 && total < 63; i++)
    {
        total += abr_image_poll(&f.image, on_fragment, &seen, 100);
    }
    ABR_CHECK(63 == total && TERM_LENGTH + 1056 == f.subscriber_position);
    ABR_CHECK(6 == seen.last_header.term_id && 62 == seen.last_first_byte);
    free(f.memory);
}

static void test_fragments_up_to_the_max_message_length(void)
{
    fixture_t f;
    fixture_init(&f, 5);
    int32_t length = f.appender.max_message_length;
    ABR_CHECK(TERM_LENGTH / 8 == length);
    uint8_t *msg = malloc((size_t)length);
    for (int32_t i = 0; i < length; i++)
    {
        msg[i] = (uint8_t)(i * 13);
    }
    int32_t payload = MTU - ABR_DATA_HEADER_LENGTH;
    int32_t frames = (length + payload - 1) / payload;
    int64_t position = abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, length);
    ABR_CHECK(position == (int64_t)(frames - 1) * MTU + abr_align32(length - (frames - 1) * payload + 32, 32));

    seen_t seen = { 0 };
    ABR_CHECK(frames == abr_image_poll(&f.image, on_fragment, &seen, 100));
    ABR_CHECK((size_t)length == seen.total && ABR_FRAME_END_FLAG == seen.last_header.flags);
    ABR_CHECK(ABR_FRAME_BEGIN_FLAG == f.log.terms[0][ABR_FRAME_FLAGS_FIELD_OFFSET]);
    free(msg);
    free(f.memory);
}

typedef struct
{
    uint8_t data[4096];
    size_t length;
    int count;
}
whole_t;

static void on_whole(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    whole_t *whole = clientd;
    memcpy(whole->data, buffer, length);
    whole->length = length;
    whole->count++;
}

static void test_vectors_gather_across_frame_boundaries(void)
{
    fixture_t f;
    fixture_init(&f, 5);
    uint8_t a[1000];
    uint8_t c[2000];
    memset(a, 'a', sizeof(a));
    memset(c, 'c', sizeof(c));
    abr_iovec_t vectors[] = { { a, sizeof(a) }, { NULL, 0 }, { c, sizeof(c) } };
    /* 3000 bytes in frames of 1376: 1376 + 1376 + 248, the first frame ending inside the third vector. */
    ABR_CHECK(2 * MTU + abr_align32(248 + 32, 32) == abr_shared_appender_offer_vectors(&f.appender, NO_LIMIT, vectors, 3, 3000));

    whole_t whole = { { 0 }, 0, 0 };
    abr_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, on_whole, &whole));
    ABR_CHECK(3 == abr_image_poll(&f.image, abr_fragment_assembler_handler, assembler, 10));
    ABR_CHECK(1 == whole.count && 3000 == whole.length);
    ABR_CHECK('a' == whole.data[999] && 'c' == whole.data[1000] && 'c' == whole.data[2999]);
    abr_fragment_assembler_close(assembler);
    free(f.memory);
}

static void test_claim_commit_and_abort(void)
{
    fixture_t f;
    fixture_init(&f, 5);
    abr_buffer_claim_t first;
    abr_buffer_claim_t second;
    ABR_CHECK(64 == abr_shared_appender_claim(&f.appender, NO_LIMIT, 20, &first));
    ABR_CHECK(128 == abr_shared_appender_claim(&f.appender, NO_LIMIT, 30, &second));
    ABR_CHECK(20 == first.length && first.data == first.frame_header + 32);

    /* Nothing is readable while the first claim is open, even though the second is committed. */
    memset(second.data, 2, second.length);
    ABR_CHECK(0 == abr_buffer_claim_commit(&second));
    seen_t seen = { 0 };
    ABR_CHECK(0 == abr_image_poll(&f.image, on_fragment, &seen, 10));
    ABR_CHECK(0 == f.subscriber_position);

    /* Aborted, the first becomes padding that the reader steps over. */
    ABR_CHECK(0 == abr_buffer_claim_abort(&first));
    ABR_CHECK(1 == abr_image_poll(&f.image, on_fragment, &seen, 10));
    ABR_CHECK(30 == seen.total && 2 == seen.last_first_byte && 128 == f.subscriber_position);

    ABR_CHECK(-1 == abr_buffer_claim_commit(&first));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_buffer_claim_abort(&second));
    ABR_CHECK(-1 == abr_buffer_claim_commit(NULL));
    free(f.memory);
}

static void test_term_ids_that_wrap(void)
{
    fixture_t f;
    fixture_init(&f, INT32_MAX);
    uint8_t msg[1024 - 32] = { 0 };
    int64_t expected = 0;
    int admin_actions = 0;
    for (int i = 0; i < 224; i++)
    {
        int64_t result;
        while ((result = abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, (int32_t)sizeof(msg))) ==
            ABR_PUBLICATION_ADMIN_ACTION)
        {
            admin_actions++;
        }
        expected += 1024;
        ABR_CHECK(result == expected);
    }
    /* Terms INT32_MAX, then INT32_MIN, INT32_MIN + 1, INT32_MIN + 2: positions keep growing. */
    ABR_CHECK(3 == admin_actions);
    ABR_CHECK(3 == abr_log_active_term_count(&f.log));
    ABR_CHECK(INT32_MIN + 2 == abr_log_tail_term_id(abr_get_int64(abr_log_tail_address(&f.log, 0))));
    ABR_CHECK(224 * 1024 == abr_shared_appender_position(&f.appender));
    free(f.memory);
}

#define WRITERS 2
#define MESSAGES_PER_WRITER 200000

typedef struct
{
    fixture_t *fixture;
    int64_t *limit;
    uint8_t writer;
    int64_t back_pressured;
}
writer_t;

static void *write_all(void *arg)
{
    writer_t *writer = arg;
    uint8_t msg[3000] = { 0 };
    for (uint32_t sequence = 0; sequence < MESSAGES_PER_WRITER; sequence++)
    {
        msg[0] = writer->writer;
        memcpy(msg + 4, &sequence, sizeof(sequence));
        /* Every 50th message is fragmented (three frames), so whole-claim fragmentation races single frames. */
        int32_t length = 0 == sequence % 50 ? (int32_t)sizeof(msg) : 0 == sequence % 3 ? 8 : 24;
        while (abr_shared_appender_offer(
            &writer->fixture->appender, abr_get_int64_acquire((uint8_t *)writer->limit), msg, length) < 0)
        {
            writer->back_pressured++;
        }
    }
    return NULL;
}

typedef struct
{
    uint32_t next[WRITERS];
    int received;
}
order_t;

static void check_order(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    order_t *order = clientd;
    ABR_CHECK(8 == length || 24 == length || 3000 == length);
    uint8_t writer = buffer[0];
    ABR_CHECK(writer < WRITERS);
    uint32_t sequence;
    memcpy(&sequence, buffer + 4, sizeof(sequence));
    ABR_CHECK(order->next[writer] == sequence);
    order->next[writer]++;
    order->received++;
}

/* Two writers and one reader; the reader plays the driver too: it cleans the term it left and moves the limit. */
static void test_concurrent_writers_lose_and_duplicate_nothing(void)
{
    fixture_t f;
    fixture_init(&f, -17);
    int64_t limit = TERM_LENGTH / 2;
    writer_t writers[WRITERS];
    pthread_t threads[WRITERS];
    for (int i = 0; i < WRITERS; i++)
    {
        writers[i] = (writer_t){ .fixture = &f, .limit = &limit, .writer = (uint8_t)i };
        ABR_CHECK(0 == pthread_create(&threads[i], NULL, write_all, &writers[i]));
    }

    order_t order = { { 0 }, 0 };
    abr_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, check_order, &order));
    int64_t cleaned_up_to = 0;
    while (order.received < WRITERS * MESSAGES_PER_WRITER)
    {
        abr_image_poll(&f.image, abr_fragment_assembler_handler, assembler, 64);
        int64_t position = f.subscriber_position;
        int64_t term_begin = position & ~((int64_t)TERM_LENGTH - 1);
        if (term_begin - TERM_LENGTH >= cleaned_up_to && term_begin >= TERM_LENGTH)
        {
            int index = abr_log_index_by_position(term_begin - TERM_LENGTH, f.image.position_bits_to_shift);
            memset(f.log.terms[index], 0, TERM_LENGTH);
            cleaned_up_to = term_begin;
        }
        abr_put_int64_release((uint8_t *)&limit, position + TERM_LENGTH / 2);
    }
    for (int i = 0; i < WRITERS; i++)
    {
        ABR_CHECK(0 == pthread_join(threads[i], NULL));
        ABR_CHECK(MESSAGES_PER_WRITER == order.next[i]);
    }
    ABR_CHECK(f.subscriber_position == abr_shared_appender_position(&f.appender));
    abr_fragment_assembler_close(assembler);
    printf("    %d messages, %d terms, back pressured %lld + %lld times\n", order.received,
        (int)(f.subscriber_position / TERM_LENGTH), (long long)writers[0].back_pressured,
        (long long)writers[1].back_pressured);
    free(f.memory);
}

/*
 * A damaged log's negative active term count picks a partition like any other count, never one before them: with
 * count -1 the partition is 2, whose primed tail holds the term id -1 expects, so the offer lands in term 2. The
 * 8 bytes before the metadata (the end of term 2), where a negative index would look for a tail, hold the same
 * tail, so an index of -1 went on to write through the pointer before terms[0] (UBSan: index -1 out of bounds).
 */
static void test_a_negative_active_term_count_stays_inside_the_log(void)
{
    fixture_t f;
    fixture_init(&f, 5);
    abr_put_int32(f.log.metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET, -1);
    abr_put_int64(f.log.metadata - 8, abr_log_pack_tail(4, 0));
    const uint8_t msg[64] = { 1 };
    /* Its position is negative (term count -1), a damaged log's own answer; what matters is where it was written. */
    abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, (int32_t)sizeof(msg));
    ABR_CHECK(64 + ABR_DATA_HEADER_LENGTH == abr_get_int32(f.log.terms[2]));
    free(f.memory);

    const int32_t counts[] = { -2, -3, INT32_MIN };
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
    {
        fixture_init(&f, 5);
        abr_put_int32(f.log.metadata + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET, counts[i]);
        abr_shared_appender_offer(&f.appender, NO_LIMIT, msg, (int32_t)sizeof(msg));
        abr_shared_appender_position(&f.appender);
        free(f.memory);
    }
}

int main(void)
{
    ABR_RUN(test_a_negative_active_term_count_stays_inside_the_log);
    ABR_RUN(test_offers_below_the_limit_only);
    ABR_RUN(test_pads_rotates_and_continues_in_the_next_term);
    ABR_RUN(test_fragments_up_to_the_max_message_length);
    ABR_RUN(test_vectors_gather_across_frame_boundaries);
    ABR_RUN(test_claim_commit_and_abort);
    ABR_RUN(test_term_ids_that_wrap);
    ABR_RUN(test_concurrent_writers_lose_and_duplicate_nothing);
    return 0;
}
