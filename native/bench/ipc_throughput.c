/*
 * Small-message IPC throughput through the archive-bridge C core: one thread offers fixed-size messages
 * on a publication, the main thread polls them from a subscription on the same channel, against the
 * Media Driver running in the given Aeron directory. Every message carries its sequence number, which
 * the subscriber checks, so a run that loses or reorders anything fails instead of reporting a number.
 *
 * usage: abr_ipc_throughput <aeron-dir> <message-count> [message-length=32] [concurrent|exclusive]
 *                           [channel=aeron:ipc]
 * Prints one line: messages, seconds, msgs/s, MB/s, and how often the publisher was back pressured.
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

typedef struct
{
    abr_publication_t *concurrent;
    abr_exclusive_publication_t *exclusive;
    int64_t count;
    size_t length;
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
    uint8_t message[4096] = { 0 };
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

int main(int argc, char **argv)
{
    if (argc < 3)
    {
        fprintf(stderr, "usage: %s <aeron-dir> <message-count> [message-length=32] [concurrent|exclusive] "
            "[channel=aeron:ipc]\n", argv[0]);
        return 2;
    }
    publisher_t publisher = { .count = atoll(argv[2]), .length = argc > 3 ? (size_t)atol(argv[3]) : 32 };
    bool exclusive = argc > 4 && 0 == strcmp("exclusive", argv[4]);
    const char *channel = argc > 5 ? argv[5] : "aeron:ipc";
    if (publisher.count <= 0 || publisher.length < sizeof(int64_t) || publisher.length > 4096)
    {
        fprintf(stderr, "message-count must be > 0 and message-length within 8..4096\n");
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

    abr_subscription_t *subscription = NULL;
    if (abr_client_add_subscription(&subscription, client, channel, STREAM_ID) < 0 ||
        (exclusive ? abr_client_add_exclusive_publication(&publisher.exclusive, client, channel, STREAM_ID) :
            abr_client_add_publication(&publisher.concurrent, client, channel, STREAM_ID)) < 0)
    {
        return fail("add");
    }
    while (abr_subscription_image_count(subscription) < 1)
    {
        struct timespec pause = { 0, 1000000 };
        nanosleep(&pause, NULL);
    }

    subscriber_t subscriber = { 0, 0 };
    int64_t start = now_ns();
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
    int64_t elapsed = now_ns() - start;
    pthread_join(thread, NULL);
    if (subscriber.failed || publisher.failed)
    {
        return 1;
    }

    double seconds = (double)elapsed / 1e9;
    double rate = (double)subscriber.received / seconds;
    printf("C core IPC throughput (%s publication, %s): %" PRId64 " messages of %zu B in %.3f s: %.0f msgs/s, "
        "%.1f MB/s, back pressured %" PRId64 " times\n", exclusive ? "exclusive" : "concurrent", channel,
        subscriber.received, publisher.length, seconds, rate, rate * (double)publisher.length / 1e6,
        publisher.back_pressured);

    abr_publication_close(publisher.concurrent);
    abr_exclusive_publication_close(publisher.exclusive);
    abr_subscription_close(subscription);
    abr_client_close(client);
    return 0;
}
