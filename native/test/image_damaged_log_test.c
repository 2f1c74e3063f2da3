/*
 * An image reading a log that holds what no publisher writes (a damaged or hostile log file): a frame running past
 * its term, a frame shorter than its header, a length near INT32_MAX, a negative subscriber position or one past any
 * the log's 32-bit term ids can reach (where moving it on would overflow: found by fuzz_term_reader). The poll
 * reports ABR_ERROR_IO and reads nothing outside the term; intact frames before the damage are still delivered.
 * The log lies in a heap block of exactly its size, so ASan sees any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_error.h"
#include "core/atomics.h"
#include "core/image.h"
#include "core/log_buffers.h"
#include "test_assert.h"

#define TERM_LENGTH ABR_LOG_TERM_MIN_LENGTH
#define LOG_LENGTH (3 * TERM_LENGTH + ABR_LOG_META_DATA_LENGTH)

typedef struct
{
    uint8_t *memory;
    int64_t position;
    abr_image_t image;
}
damaged_log_t;

static void open_log(damaged_log_t *log, int64_t position)
{
    log->memory = calloc(1, LOG_LENGTH);
    uint8_t *metadata = log->memory + LOG_LENGTH - ABR_LOG_META_DATA_LENGTH;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, TERM_LENGTH);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, 1408);
    abr_log_buffers_t buffers;
    ABR_CHECK(0 == abr_log_buffers_wrap(&buffers, log->memory, LOG_LENGTH, "damaged"));
    log->position = position;
    abr_image_init(&log->image, &buffers, (uint8_t *)&log->position, 7, 11);
}

static void put_frame(damaged_log_t *log, int term, int32_t offset, int32_t frame_length)
{
    uint8_t *frame = log->memory + (size_t)term * TERM_LENGTH + (size_t)offset;
    abr_put_int32(frame, frame_length);
    frame[ABR_FRAME_FLAGS_FIELD_OFFSET] = ABR_FRAME_UNFRAGMENTED_FLAGS;
    frame[ABR_FRAME_TYPE_FIELD_OFFSET] = ABR_HDR_TYPE_DATA;
    abr_put_int32(frame + ABR_FRAME_TERM_OFFSET_FIELD_OFFSET, INT32_MAX);
}

static size_t g_bytes_seen;
static volatile unsigned g_sink;

/* Touches every byte it is given, so ASan sees a fragment that reaches past the log. */
static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    unsigned sum = 0;
    for (size_t i = 0; i < length; i++)
    {
        sum += buffer[i];
    }
    g_sink += sum;
    g_bytes_seen += length;
}

static abr_controlled_action_t on_controlled_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    on_fragment(clientd, buffer, length, header);
    return ABR_ACTION_CONTINUE;
}

static void check_damage_reported(damaged_log_t *log, int64_t stopped_at)
{
    for (int controlled = 0; controlled < 2; controlled++)
    {
        int64_t start = log->position;
        int result = controlled ?
            abr_image_controlled_poll(&log->image, on_controlled_fragment, NULL, 10) :
            abr_image_poll(&log->image, on_fragment, NULL, 10);
        ABR_CHECK(-1 == result);
        ABR_CHECK(ABR_ERROR_IO == abr_errcode());
        ABR_CHECK(NULL != strstr(abr_errmsg(), "image log is damaged"));
        ABR_CHECK(stopped_at == log->position);
        log->position = start;
    }
}

static void test_a_frame_running_past_its_term_is_reported(void)
{
    damaged_log_t log;
    open_log(&log, 2 * TERM_LENGTH + TERM_LENGTH - 64);
    put_frame(&log, 2, TERM_LENGTH - 64, 4096);
    g_bytes_seen = 0;
    check_damage_reported(&log, 2 * TERM_LENGTH + TERM_LENGTH - 64);
    ABR_CHECK(0 == g_bytes_seen);
    free(log.memory);
}

static void test_frames_shorter_than_a_header_or_near_int32_max_are_reported(void)
{
    const int32_t lengths[] = { 1, 31, INT32_MAX, INT32_MAX - 31, TERM_LENGTH + 1 };
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
    {
        damaged_log_t log;
        open_log(&log, 0);
        put_frame(&log, 0, 0, 64);
        put_frame(&log, 0, 64, lengths[i]);
        g_bytes_seen = 0;
        /* The intact first frame is delivered and passed; the damaged one stops the poll. */
        check_damage_reported(&log, 64);
        ABR_CHECK(2 * 32 == g_bytes_seen);
        free(log.memory);
    }
}

static void test_a_negative_subscriber_position_is_reported(void)
{
    damaged_log_t log;
    open_log(&log, -TERM_LENGTH);
    put_frame(&log, 0, 0, 64);
    check_damage_reported(&log, -TERM_LENGTH);
    free(log.memory);
}

static void test_a_subscriber_position_past_the_log_is_reported(void)
{
    /* The last frame slot before INT64_MAX: reading the frame there would move the position past INT64_MAX. */
    const int64_t near_max = INT64_MAX - 127;
    damaged_log_t log;
    open_log(&log, near_max);
    put_frame(&log, abr_log_index_by_position(near_max, log.image.position_bits_to_shift), TERM_LENGTH - 128, 128);
    g_bytes_seen = 0;
    check_damage_reported(&log, near_max);
    ABR_CHECK(0 == g_bytes_seen);
    free(log.memory);

    /* The furthest term start a log can have is still read. */
    const int64_t last_term = (int64_t)INT32_MAX << log.image.position_bits_to_shift;
    open_log(&log, last_term);
    put_frame(&log, abr_log_index_by_position(last_term, log.image.position_bits_to_shift), 0, 64);
    ABR_CHECK(1 == abr_image_poll(&log.image, on_fragment, NULL, 10));
    ABR_CHECK(last_term + 64 == log.position);
    free(log.memory);
}

static void test_an_intact_log_reads_as_before(void)
{
    damaged_log_t log;
    open_log(&log, 0);
    put_frame(&log, 0, 0, 64);
    put_frame(&log, 0, 64, 100);
    g_bytes_seen = 0;
    ABR_CHECK(2 == abr_image_poll(&log.image, on_fragment, NULL, 10));
    ABR_CHECK(64 + 128 == log.position);
    ABR_CHECK(32 + 68 == g_bytes_seen);
    free(log.memory);
}

int main(void)
{
    ABR_RUN(test_an_intact_log_reads_as_before);
    ABR_RUN(test_a_frame_running_past_its_term_is_reported);
    ABR_RUN(test_frames_shorter_than_a_header_or_near_int32_max_are_reported);
    ABR_RUN(test_a_negative_subscriber_position_is_reported);
    ABR_RUN(test_a_subscriber_position_past_the_log_is_reported);
    return 0;
}
