#include <stdlib.h>
#include <string.h>

#include "abr/abr_client.h"
#include "test_assert.h"

typedef struct
{
    int count;
    size_t length;
    uint8_t data[8192];
    int aborts_left;
}
delivered_t;

static void on_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    delivered_t *delivered = clientd;
    delivered->count++;
    delivered->length = length;
    memcpy(delivered->data, buffer, length);
    ABR_CHECK(ABR_FRAME_UNFRAGMENTED == header->flags);
}

static abr_controlled_action_t on_controlled(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    delivered_t *delivered = clientd;
    if (delivered->aborts_left > 0)
    {
        delivered->aborts_left--;
        return ABR_ACTION_ABORT;
    }
    on_message(clientd, buffer, length, header);
    return ABR_ACTION_CONTINUE;
}

static abr_header_t header_with(uint8_t flags, int32_t session_id)
{
    abr_header_t header;
    memset(&header, 0, sizeof(header));
    header.flags = flags;
    header.session_id = session_id;
    return header;
}

static void test_unfragmented_passes_through(void)
{
    delivered_t delivered = { 0 };
    abr_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, on_message, &delivered));
    abr_header_t header = header_with(ABR_FRAME_UNFRAGMENTED, 1);
    const uint8_t msg[] = "whole";
    abr_fragment_assembler_handler(assembler, msg, sizeof(msg), &header);
    ABR_CHECK(1 == delivered.count);
    ABR_CHECK(sizeof(msg) == delivered.length);
    abr_fragment_assembler_close(assembler);
}

static void test_begin_middle_end_reassembles(void)
{
    delivered_t delivered = { 0 };
    abr_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, on_message, &delivered));
    uint8_t part[3000];
    abr_header_t begin = header_with(ABR_FRAME_BEGIN_FLAG, 1);
    abr_header_t middle = header_with(0, 1);
    abr_header_t end = header_with(ABR_FRAME_END_FLAG, 1);
    memset(part, 'a', sizeof(part));
    abr_fragment_assembler_handler(assembler, part, sizeof(part), &begin);
    memset(part, 'b', sizeof(part));
    abr_fragment_assembler_handler(assembler, part, sizeof(part), &middle);
    ABR_CHECK(0 == delivered.count);
    memset(part, 'c', sizeof(part));
    abr_fragment_assembler_handler(assembler, part, 100, &end);
    ABR_CHECK(1 == delivered.count);
    ABR_CHECK(6100 == delivered.length);
    ABR_CHECK('a' == delivered.data[0] && 'b' == delivered.data[3000] && 'c' == delivered.data[6099]);

    /* A middle fragment with no BEGIN before it is dropped. */
    abr_fragment_assembler_handler(assembler, part, 10, &end);
    ABR_CHECK(1 == delivered.count);
    abr_fragment_assembler_close(assembler);
}

static void test_interleaved_sessions_reassemble_apart(void)
{
    delivered_t delivered = { 0 };
    abr_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, on_message, &delivered));
    uint8_t a[100];
    uint8_t b[100];
    memset(a, 'a', sizeof(a));
    memset(b, 'b', sizeof(b));
    abr_header_t begin_1 = header_with(ABR_FRAME_BEGIN_FLAG, 1);
    abr_header_t begin_2 = header_with(ABR_FRAME_BEGIN_FLAG, 2);
    abr_header_t end_1 = header_with(ABR_FRAME_END_FLAG, 1);
    abr_header_t end_2 = header_with(ABR_FRAME_END_FLAG, 2);
    /* A poll that stops inside session 1's message and goes on with session 2's image. */
    abr_fragment_assembler_handler(assembler, a, sizeof(a), &begin_1);
    abr_fragment_assembler_handler(assembler, b, sizeof(b), &begin_2);
    abr_fragment_assembler_handler(assembler, b, 50, &end_2);
    ABR_CHECK(1 == delivered.count && 150 == delivered.length && 'b' == delivered.data[149]);
    abr_fragment_assembler_handler(assembler, a, 20, &end_1);
    ABR_CHECK(2 == delivered.count && 120 == delivered.length && 'a' == delivered.data[0] && 'a' == delivered.data[119]);
    abr_fragment_assembler_close(assembler);
}

static void test_controlled_abort_redelivers_end(void)
{
    delivered_t delivered = { 0 };
    delivered.aborts_left = 1;
    abr_controlled_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_controlled_fragment_assembler_init(&assembler, on_controlled, &delivered));
    uint8_t part[100];
    memset(part, 'x', sizeof(part));
    abr_header_t begin = header_with(ABR_FRAME_BEGIN_FLAG, 3);
    abr_header_t end = header_with(ABR_FRAME_END_FLAG, 3);
    ABR_CHECK(ABR_ACTION_CONTINUE == abr_controlled_fragment_assembler_handler(assembler, part, 100, &begin));
    ABR_CHECK(ABR_ACTION_ABORT == abr_controlled_fragment_assembler_handler(assembler, part, 50, &end));
    ABR_CHECK(0 == delivered.count);
    ABR_CHECK(ABR_ACTION_CONTINUE == abr_controlled_fragment_assembler_handler(assembler, part, 50, &end));
    ABR_CHECK(1 == delivered.count);
    ABR_CHECK(150 == delivered.length);
    abr_controlled_fragment_assembler_close(assembler);
}

static void count_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    int *count = clientd;
    (*count)++;
}

/* A sender that never ends its message: past 16 MiB (more than any publication sends) it is dropped, not grown. */
static void test_a_message_over_16_mib_is_dropped(void)
{
    int count = 0;
    abr_fragment_assembler_t *assembler = NULL;
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, count_message, &count));
    const size_t fragment_length = 1024 * 1024;
    uint8_t *fragment = calloc(1, fragment_length);
    abr_header_t begin = header_with(ABR_FRAME_BEGIN_FLAG, 3);
    abr_header_t middle = header_with(0, 3);
    abr_header_t end = header_with(ABR_FRAME_END_FLAG, 3);
    abr_fragment_assembler_handler(assembler, fragment, fragment_length, &begin);
    for (int i = 0; i < 16; i++)
    {
        abr_fragment_assembler_handler(assembler, fragment, fragment_length, &middle);
    }
    abr_fragment_assembler_handler(assembler, fragment, fragment_length, &end);
    ABR_CHECK(0 == count);

    /* Exactly 16 MiB is still a message. */
    abr_fragment_assembler_handler(assembler, fragment, fragment_length, &begin);
    for (int i = 0; i < 14; i++)
    {
        abr_fragment_assembler_handler(assembler, fragment, fragment_length, &middle);
    }
    abr_fragment_assembler_handler(assembler, fragment, fragment_length, &end);
    ABR_CHECK(1 == count);
    free(fragment);
    abr_fragment_assembler_close(assembler);
}

int main(void)
{
    ABR_RUN(test_unfragmented_passes_through);
    ABR_RUN(test_begin_middle_end_reassembles);
    ABR_RUN(test_interleaved_sessions_reassemble_apart);
    ABR_RUN(test_controlled_abort_redelivers_end);
    ABR_RUN(test_a_message_over_16_mib_is_dropped);
    return 0;
}
