/*
 * Small-message IPC throughput through the archive-bridge C core: one thread offers fixed-size messages
 * on a publication, the main thread polls them from a subscription on the same channel, against the
 * Media Driver running in the given Aeron directory. Every message carries its sequence number, which
 * the subscriber checks, so a run that loses or reorders anything fails instead of reporting a number.
 * The clock runs from the publisher's first offer to the subscriber's last poll.
 *
 * bench/ CCoreComparison runs this binary beside its aeron-client Java twin (AeronIpcThroughput), which does
 * the same work in the same shape and prints the same line: keep the two alike when changing either.
 *
 * usage: abr_ipc_throughput <aeron-dir> <message-count> [message-length=32] [concurrent|exclusive]
 *                           [channel=aeron:ipc] [warm-up-runs=0]
 * Each warm-up run does the same work on a publication and subscription of its own (stream 1002, 1003, ...),
 * closed before the measured run on stream 1001; warm-up runs print nothing. Prints one line: messages,
 * seconds, msgs/s, MB/s, and how often the publisher was back pressured.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"

#define STREAM_ID 1001
#define FRAGMENT_LIMIT 256
#define MAX_MESSAGE_LENGTH 4096

typedef struct
{
    abr_publication_t *concurrent;
    abr_exclusive_publication_t *exclusive;
    int64_t count;
    size_t length;
    int64_t start_ns;
    int64_t back_pressured;
    int failed;
}
publisher_t;

typedef struct
{
    int64_t received;
    int failed;
}
subscriber_t;

typedef struct
{
    int64_t received;
    int64_t elapsed_ns;
    int64_t back_pressured;
}
run_result_t;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t offer(publisher_t *publisher, const uint8_t *message)
{
    return NULL != publisher->concurrent ?
        abr_publication_offer(publisher->concurrent, message, publisher->length) :
        abr_exclusive_publication_offer(publisher->exclusive, message, publisher->length);
}

static void *publish(void *arg)
{
    publisher_t *publisher = arg;
    uint8_t message[MAX_MESSAGE_LENGTH] = { 0 };
    /* Taken here rather than before pthread_create, so thread start-up is not timed (nor is it in the Java twin). */
    publisher->start_ns = now_ns();
    for (int64_t sequence = 0; sequence < publisher->count; sequence++)
    {
        memcpy(message, &sequence, sizeof(sequence));
        int64_t result;
        while ((result = offer(publisher, message)) < 0)
        {
            if (ABR_PUBLICATION_BACK_PRESSURED != result && ABR_PUBLICATION_ADMIN_ACTION != result &&
                ABR_PUBLICATION_NOT_CONNECTED != result)
            {
                fprintf(stderr, "offer failed at message %" PRId64 ": %" PRId64 " %s\n", sequence, result, abr_errmsg());
                publisher->failed = 1;
                return NULL;
            }
            publisher->back_pressured++;
        }
    }
    return NULL;
}

static void on_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    subscriber_t *subscriber = clientd;
    int64_t sequence;
    memcpy(&sequence, buffer, sizeof(sequence));
    if (sequence != subscriber->received && !subscriber->failed)
    {
        fprintf(stderr, "expected message %" PRId64 ", received %" PRId64 "\n", subscriber->received, sequence);
        subscriber->failed = 1;
    }
    subscriber->received++;
}

static int fail(const char *what)
{
    fprintf(stderr, "%s failed: code=%d %s\n", what, abr_errcode(), abr_errmsg());
    return 1;
}

/* One run on a subscription and publication of its own on stream_id, closed at the end; 0, or 1 on failure. */
static int run(
    abr_client_t *client, const char *channel, int32_t stream_id, bool exclusive, int64_t count, size_t length,
    run_result_t *result)
{
    publisher_t publisher = { .count = count, .length = length };
    abr_subscription_t *subscription = NULL;
    if (abr_client_add_subscription(&subscription, client, channel, stream_id) < 0 ||
        (exclusive ? abr_client_add_exclusive_publication(&publisher.exclusive, client, channel, stream_id) :
            abr_client_add_publication(&publisher.concurrent, client, channel, stream_id)) < 0)
    {
        return fail("add");
    }
    while (abr_subscription_image_count(subscription) < 1)
    {
        struct timespec pause = { 0, 1000000 };
        nanosleep(&pause, NULL);
    }

    subscriber_t subscriber = { 0, 0 };
    pthread_t thread;
    if (0 != pthread_create(&thread, NULL, publish, &publisher))
    {
        fprintf(stderr, "could not start the publisher thread\n");
        return 1;
    }
    while (subscriber.received < publisher.count && !subscriber.failed && !publisher.failed)
    {
        if (abr_subscription_poll(subscription, on_message, &subscriber, FRAGMENT_LIMIT) < 0)
        {
            return fail("poll");
        }
    }
    int64_t end_ns = now_ns();
    pthread_join(thread, NULL);
    if (subscriber.failed || publisher.failed)
    {
        return 1;
    }
    result->received = subscriber.received;
    result->elapsed_ns = end_ns - publisher.start_ns;
    result->back_pressured = publisher.back_pressured;

    abr_publication_close(publisher.concurrent);
    abr_exclusive_publication_close(publisher.exclusive);
    abr_subscription_close(subscription);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
    {
        fprintf(stderr, "usage: %s <aeron-dir> <message-count> [message-length=32] [concurrent|exclusive] "
            "[channel=aeron:ipc] [warm-up-runs=0]\n", argv[0]);
        return 2;
    }
    int64_t count = atoll(argv[2]);
    size_t length = argc > 3 ? (size_t)atol(argv[3]) : 32;
    bool exclusive = argc > 4 && 0 == strcmp("exclusive", argv[4]);
    const char *channel = argc > 5 ? argv[5] : "aeron:ipc";
    int warm_up_runs = argc > 6 ? atoi(argv[6]) : 0;
    if (count <= 0 || length < sizeof(int64_t) || length > MAX_MESSAGE_LENGTH || warm_up_runs < 0)
    {
        fprintf(stderr, "message-count must be > 0, message-length within 8..4096, warm-up-runs >= 0\n");
        return 2;
    }

    abr_context_t *context = NULL;
    abr_client_t *client = NULL;
    if (abr_context_init(&context) < 0 || abr_context_set_dir(context, argv[1]) < 0 ||
        abr_client_connect(&client, context) < 0)
    {
        return fail("connect");
    }
    abr_context_close(context);

    run_result_t result;
    for (int i = 0; i < warm_up_runs; i++)
    {
        if (0 != run(client, channel, STREAM_ID + 1 + i, exclusive, count, length, &result))
        {
            return 1;
        }
    }
    if (0 != run(client, channel, STREAM_ID, exclusive, count, length, &result))
    {
        return 1;
    }

    double seconds = (double)result.elapsed_ns / 1e9;
    double rate = (double)result.received / seconds;
    printf("C core IPC throughput (%s publication, %s): %" PRId64 " messages of %zu B in %.3f s: %.0f msgs/s, "
        "%.1f MB/s, back pressured %" PRId64 " times\n", exclusive ? "exclusive" : "concurrent", channel,
        result.received, length, seconds, rate, rate * (double)length / 1e6, result.back_pressured);

    abr_client_close(client);
    return 0;
}
