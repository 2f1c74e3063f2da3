#include <stdlib.h>
#include <string.h>

#include "core/atomics.h"
#include "core/image.h"
#include "core/log_buffers.h"
#include "core/term_appender.h"
#include "test_assert.h"

#define TERM_LENGTH (64 * 1024)
#define MTU 1408
#define INITIAL_TERM_ID 7
#define LOG_LENGTH (3 * TERM_LENGTH + ABR_LOG_META_DATA_LENGTH)

typedef struct
{
    uint8_t *memory;
    abr_log_buffers_t log;
    abr_term_appender_t appender;
    int64_t subscriber_position;
    abr_image_t image;
}
fixture_t;

static void fixture_init(fixture_t *f)
{
    memset(f, 0, sizeof(*f));
    f->memory = calloc(1, LOG_LENGTH);
    uint8_t *metadata = f->memory + 3 * TERM_LENGTH;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, TERM_LENGTH);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, MTU);
    abr_put_int32(metadata + ABR_LOG_INITIAL_TERM_ID_OFFSET, INITIAL_TERM_ID);
    abr_put_int32(metadata + ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET, ABR_DATA_HEADER_LENGTH);
    uint8_t *header = metadata + ABR_LOG_DEFAULT_FRAME_HEADER_OFFSET;
    header[ABR_FRAME_FLAGS_FIELD_OFFSET] = 0xC0;
    header[ABR_FRAME_TYPE_FIELD_OFFSET] = ABR_HDR_TYPE_DATA;
    abr_put_int32(header + ABR_FRAME_SESSION_ID_FIELD_OFFSET, 55);
    abr_put_int32(header + ABR_FRAME_STREAM_ID_FIELD_OFFSET, 1001);
    abr_put_int64(metadata, abr_log_pack_tail(INITIAL_TERM_ID, 0));

    ABR_CHECK(0 == abr_log_buffers_wrap(&f->log, f->memory, LOG_LENGTH, "test"));
    ABR_CHECK(0 == abr_term_appender_init(&f->appender, &f->log));
    abr_image_init(&f->image, &f->log, (uint8_t *)&f->subscriber_position, 1, 55);
}

typedef struct
{
    int count;
    size_t total;
    abr_header_t last_header;
    size_t last_length;
    uint8_t last_first_byte;
}
seen_t;

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    seen_t *seen = clientd;
    seen->count++;
    seen->total += length;
    seen->last_header = *header;
    seen->last_length = length;
    seen->last_first_byte = length > 0 ? buffer[0] : 0;
}

static void test_appends_and_reads_back(void)
{
    fixture_t f;
    fixture_init(&f);
    uint8_t msg[100];
    memset(msg, 9, sizeof(msg));
    ABR_CHECK(160 == abr_term_appender_append(&f.appender, msg, 100));
    ABR_CHECK(192 == abr_term_appender_append(&f.appender, msg, 0));

    seen_t seen = { 0 };
    ABR_CHECK(2 == abr_image_poll(&f.image, on_fragment, &seen, 10));
    ABR_CHECK(100 == seen.total);
    ABR_CHECK(0 == seen.last_length);
    ABR_CHECK(55 == seen.last_header.session_id);
    ABR_CHECK(1001 == seen.last_header.stream_id);
    ABR_CHECK(INITIAL_TERM_ID == seen.last_header.term_id);
    ABR_CHECK(192 == seen.last_header.position);
    ABR_CHECK(192 == f.subscriber_position);
    free(f.memory);
}

static void test_fragments_long_messages(void)
{
    fixture_t f;
    fixture_init(&f);
    int32_t length = 3 * (MTU - ABR_DATA_HEADER_LENGTH) + 10;
    uint8_t *msg = calloc(1, (size_t)length);
    int64_t position = abr_term_appender_append(&f.appender, msg, length);
    ABR_CHECK(3 * MTU + 64 == position);

    seen_t seen = { 0 };
    ABR_CHECK(4 == abr_image_poll(&f.image, on_fragment, &seen, 10));
    ABR_CHECK((size_t)length == seen.total);
    ABR_CHECK(ABR_FRAME_END_FLAG == seen.last_header.flags);
    ABR_CHECK(ABR_FRAME_BEGIN_FLAG == f.log.terms[0][ABR_FRAME_FLAGS_FIELD_OFFSET]);
    free(msg);
    free(f.memory);
}

static void test_pads_and_rotates_at_term_end(void)
{
    fixture_t f;
    fixture_init(&f);
    uint8_t msg[1000];
    int64_t position = 0;
    int messages = 0;
    while (true)
    {
        memset(msg, messages & 0xFF, sizeof(msg));
        position = abr_term_appender_append(&f.appender, msg, (int32_t)sizeof(msg));
        if (position < 0)
        {
            break;
        }
        messages++;
    }
    ABR_CHECK(ABR_APPEND_ADMIN_ACTION == position);
    /* 1032 aligned to 1056: 62 frames fit in 65536, leaving 64 bytes of padding. */
    ABR_CHECK(62 == messages);
    uint8_t *pad = f.log.terms[0] + 62 * 1056;
    ABR_CHECK(64 == abr_get_int32(pad));
    ABR_CHECK(ABR_HDR_TYPE_PAD == pad[ABR_FRAME_TYPE_FIELD_OFFSET]);
    ABR_CHECK(1 == abr_get_int32(f.memory + 3 * TERM_LENGTH + ABR_LOG_ACTIVE_TERM_COUNT_OFFSET));
    ABR_CHECK(INITIAL_TERM_ID + 1 == abr_log_tail_term_id(abr_get_int64(f.memory + 3 * TERM_LENGTH + 8)));

    position = abr_term_appender_append(&f.appender, msg, (int32_t)sizeof(msg));
    ABR_CHECK(TERM_LENGTH + 1056 == position);

    seen_t seen = { 0 };
    int total = 0;
    for (int i = 0; i < 10 && total < 63; i++)
    {
        total += abr_image_poll(&f.image, on_fragment, &seen, 100);
    }
    ABR_CHECK(63 == total);
    ABR_CHECK(TERM_LENGTH + 1056 == f.subscriber_position);
    ABR_CHECK(INITIAL_TERM_ID + 1 == seen.last_header.term_id);
    ABR_CHECK(62 == seen.last_first_byte);
    free(f.memory);
}

static abr_controlled_action_t abort_second(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    int *calls = clientd;
    (*calls)++;
    return 2 == *calls ? ABR_ACTION_ABORT : ABR_ACTION_CONTINUE;
}

static void test_controlled_poll_abort_leaves_fragment(void)
{
    fixture_t f;
    fixture_init(&f);
    uint8_t msg[10] = { 0 };
    abr_term_appender_append(&f.appender, msg, 10);
    abr_term_appender_append(&f.appender, msg, 10);
    int calls = 0;
    ABR_CHECK(1 == abr_image_controlled_poll(&f.image, abort_second, &calls, 10));
    ABR_CHECK(64 == f.subscriber_position);
    ABR_CHECK(1 == abr_image_controlled_poll(&f.image, abort_second, &calls, 10));
    ABR_CHECK(128 == f.subscriber_position);
    free(f.memory);
}

static abr_controlled_action_t act_by_first_byte(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    int *calls = clientd;
    (*calls)++;
    return (abr_controlled_action_t)buffer[0];
}

static void test_controlled_poll_commit_break_continue(void)
{
    fixture_t f;
    fixture_init(&f);
    uint8_t msg[10] = { 0 };
    msg[0] = ABR_ACTION_CONTINUE;
    abr_term_appender_append(&f.appender, msg, 10);
    msg[0] = ABR_ACTION_COMMIT;
    abr_term_appender_append(&f.appender, msg, 10);
    msg[0] = ABR_ACTION_BREAK;
    abr_term_appender_append(&f.appender, msg, 10);
    msg[0] = ABR_ACTION_CONTINUE;
    abr_term_appender_append(&f.appender, msg, 10);
    int calls = 0;
    /* CONTINUE, COMMIT, then BREAK stops after the third fragment, which counts as consumed. */
    ABR_CHECK(3 == abr_image_controlled_poll(&f.image, act_by_first_byte, &calls, 10));
    ABR_CHECK(3 == calls && 192 == f.subscriber_position);
    ABR_CHECK(1 == abr_image_controlled_poll(&f.image, act_by_first_byte, &calls, 10));
    ABR_CHECK(256 == f.subscriber_position);
    /* The fragment limit holds for plain poll too. */
    for (int i = 0; i < 5; i++)
    {
        abr_term_appender_append(&f.appender, msg, 10);
    }
    seen_t seen = { 0 };
    ABR_CHECK(2 == abr_image_poll(&f.image, on_fragment, &seen, 2));
    ABR_CHECK(384 == f.subscriber_position);
    free(f.memory);
}

static void test_claim_at_the_term_end_rotates_then_commits(void)
{
    fixture_t f;
    fixture_init(&f);
    uint8_t msg[1000] = { 0 };
    while (abr_term_appender_append(&f.appender, msg, (int32_t)sizeof(msg)) > 0)
    {
    }
    abr_buffer_claim_t claim;
    ABR_CHECK(TERM_LENGTH + 1056 == abr_term_appender_claim(&f.appender, 1000, &claim));
    ABR_CHECK(claim.frame_header == f.log.terms[1] && 1000 == claim.length);
    seen_t seen = { 0 };
    int total = 0;
    for (int i = 0; i < 4; i++)
    {
        total += abr_image_poll(&f.image, on_fragment, &seen, 100);
    }
    ABR_CHECK(62 == total && TERM_LENGTH == f.subscriber_position);
    memset(claim.data, 42, claim.length);
    ABR_CHECK(0 == abr_buffer_claim_commit(&claim));
    ABR_CHECK(1 == abr_image_poll(&f.image, on_fragment, &seen, 100));
    ABR_CHECK(42 == seen.last_first_byte && TERM_LENGTH + 1056 == f.subscriber_position);

    ABR_CHECK(TERM_LENGTH + 2 * 1056 == abr_term_appender_claim(&f.appender, 1000, &claim));
    ABR_CHECK(0 == abr_buffer_claim_abort(&claim));
    ABR_CHECK(0 == abr_image_poll(&f.image, on_fragment, &seen, 100));
    ABR_CHECK(TERM_LENGTH + 2 * 1056 == f.subscriber_position);
    free(f.memory);
}

int main(void)
{
    ABR_RUN(test_appends_and_reads_back);
    ABR_RUN(test_fragments_long_messages);
    ABR_RUN(test_pads_and_rotates_at_term_end);
    ABR_RUN(test_controlled_poll_abort_leaves_fragment);
    ABR_RUN(test_controlled_poll_commit_break_continue);
    ABR_RUN(test_claim_at_the_term_end_rotates_then_commits);
    return 0;
}
