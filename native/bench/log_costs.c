/*
 * The cost of offer and poll on plain memory, without a driver: one thread appends half a term of
 * 32-byte messages, then polls them back, round after round, cleaning the term it left as the driver
 * would. Prints nanoseconds per message for offer (concurrent and exclusive appenders) and for poll.
 *
 * usage: abr_log_costs [rounds=400]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/atomics.h"
#include "core/image.h"
#include "core/log_buffers.h"
#include "core/shared_appender.h"
#include "core/term_appender.h"

#define TERM_LENGTH (1024 * 1024)
#define MESSAGE_LENGTH 32
#define PER_ROUND (TERM_LENGTH / 64 / 2)

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t g_checksum;

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    g_checksum += buffer[0];
}

/* A log laid out as the driver lays it out, the partitions' tails primed for rotation. */
static uint8_t *new_log(abr_log_buffers_t *log)
{
    size_t length = 3 * (size_t)TERM_LENGTH + ABR_LOG_META_DATA_LENGTH;
    uint8_t *memory = calloc(1, length);
    uint8_t *metadata = memory + 3 * (size_t)TERM_LENGTH;
    abr_put_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET, TERM_LENGTH);
    abr_put_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET, 1408);
    abr_put_int32(metadata + ABR_LOG_DEFAULT_FRAME_HEADER_LENGTH_OFFSET, ABR_DATA_HEADER_LENGTH);
    metadata[ABR_LOG_DEFAULT_FRAME_HEADER_OFFSET + ABR_FRAME_TYPE_FIELD_OFFSET] = ABR_HDR_TYPE_DATA;
    for (int i = 0; i < ABR_LOG_PARTITION_COUNT; i++)
    {
        abr_put_int64(metadata + i * 8, abr_log_pack_tail(0 == i ? 0 : i - ABR_LOG_PARTITION_COUNT, 0));
    }
    if (NULL == memory || abr_log_buffers_wrap(log, memory, length, "memory") < 0)
    {
        fprintf(stderr, "could not lay out a log\n");
        exit(1);
    }
    return memory;
}

static void run(const char *name, bool exclusive, int rounds)
{
    abr_log_buffers_t log;
    uint8_t *memory = new_log(&log);
    abr_shared_appender_t shared;
    abr_term_appender_t single;
    if (abr_shared_appender_init(&shared, &log) < 0 || abr_term_appender_init(&single, &log) < 0)
    {
        fprintf(stderr, "could not start the appenders\n");
        exit(1);
    }
    int64_t position = 0;
    abr_image_t image;
    abr_image_init(&image, &log, (uint8_t *)&position, 1, 0);

    uint8_t message[MESSAGE_LENGTH] = { 1 };
    int64_t offer_ns = 0;
    int64_t poll_ns = 0;
    int64_t messages = 0;
    for (int round = 0; round < rounds; round++)
    {
        int64_t start = now_ns();
        for (int appended = 0; appended < PER_ROUND;)
        {
            int64_t result = exclusive ? abr_term_appender_append(&single, message, MESSAGE_LENGTH) :
                abr_shared_appender_offer(&shared, INT64_MAX, message, MESSAGE_LENGTH);
            appended += result > 0 ? 1 : 0;
        }
        offer_ns += now_ns() - start;

        start = now_ns();
        for (int polled = 0; polled < PER_ROUND;)
        {
            polled += abr_image_poll(&image, on_fragment, NULL, 256);
        }
        poll_ns += now_ns() - start;
        messages += PER_ROUND;

        int64_t term_begin = position & ~((int64_t)TERM_LENGTH - 1);
        if (term_begin >= TERM_LENGTH)
        {
            memset(log.terms[abr_log_index_by_position(term_begin - TERM_LENGTH, image.position_bits_to_shift)], 0,
                TERM_LENGTH);
        }
    }
    printf("%s: %lld messages of %d B: offer %.1f ns, poll %.1f ns per message\n", name, (long long)messages,
        MESSAGE_LENGTH, (double)offer_ns / (double)messages, (double)poll_ns / (double)messages);
    free(memory);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 400;
    if (rounds <= 0)
    {
        fprintf(stderr, "usage: %s [rounds=400]\n", argv[0]);
        return 2;
    }
    run("concurrent appender", false, rounds);
    run("exclusive appender", true, rounds);
    return g_checksum > 0 ? 0 : 1;
}
