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
 *                           [channel=aeron:ipc] [warm-up-runs=0] [threads|burst]
 * threads (the default): the publisher thread and the polling main thread above. burst: one thread offers
 * 1000 messages, then polls them back, and so on (the shape of the JMH end-to-end benchmark in bench/); the
 * line then also gives that thread's CPU time per message, which other load on the machine hardly changes.
 * Warm-up runs do the same work first, on the same publication and subscription (stream 1001), and print
 * nothing: a run of 3.2 million messages or more touches every page of the log (three terms of the default
 * IPC term length, 64 MiB), so the measured run that follows times the client rather than the kernel's page
 * faults, and the Java twin's JIT has compiled its paths. Prints one line: messages, seconds, msgs/s, MB/s,
 * and how often the publisher was back pressured in the measured run.
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
#define BURST 1000

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
    int64_t cpu_ns;
    int64_t back_pressured;
}
run_result_t;

static int64_t clock_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t offer(publisher_t *publisher, const uint8_t *message)
{
    return NULL != publisher->concurrent ?
        abr_publication_offer(publisher->concurrent, message, publisher->length) :
        abr_exclusive_publication_offer(publisher->exclusive, message, publisher->length);
}

/* Offer one message until the log takes it; 0, or 1 (failed set) on an error other than back pressure. */
static int offer_until_accepted(publisher_t *publisher, uint8_t *message, int64_t sequence)
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
            return 1;
        }
        publisher->back_pressured++;
    }
    return 0;
}

static void *publish(void *arg)
{
    publisher_t *publisher = arg;
    uint8_t message[MAX_MESSAGE_LENGTH] = { 0 };
    /* Taken here rather than before pthread_create, so thread start-up is not timed (nor is it in the Java twin). */
    publisher->start_ns = clock_ns(CLOCK_MONOTONIC);
    for (int64_t sequence = 0; sequence < publisher->count; sequence++)
    {
        if (0 != offer_until_accepted(publisher, message, sequence))
        {
            break;
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

/* Poll until the subscriber has received up to (not including) message `until`; 0, or 1 on failure. */
static int poll_until(abr_subscription_t *subscription, subscriber_t *subscriber, int64_t until, const int *other_failed)
{
    while (subscriber->received < until && !subscriber->failed && !*other_failed)
    {
        if (abr_subscription_poll(subscription, on_message, subscriber, FRAGMENT_LIMIT) < 0)
        {
            return fail("poll");
        }
    }
    return 0;
}

/* The burst shape on the calling thread: offer BURST messages, poll them back, again until count. */
static int run_bursts(abr_subscription_t *subscription, publisher_t *publisher, subscriber_t *subscriber)
{
    uint8_t message[MAX_MESSAGE_LENGTH] = { 0 };
    publisher->start_ns = clock_ns(CLOCK_MONOTONIC);
    for (int64_t sent = 0; sent < publisher->count && !subscriber->failed; )
    {
        int64_t burst_end = sent + BURST < publisher->count ? sent + BURST : publisher->count;
        for (; sent < burst_end; sent++)
        {
            if (0 != offer_until_accepted(publisher, message, sent))
            {
                return 1;
            }
        }
        if (0 != poll_until(subscription, subscriber, burst_end, &publisher->failed))
        {
            return 1;
        }
    }
    return 0;
}

/* One run of count messages on the publication and subscription given; 0, or 1 on failure. The publisher is
 * passed by value so that each run starts with its own counters. */
static int run(abr_subscription_t *subscription, publisher_t publisher, bool burst, run_result_t *result)
{
    subscriber_t subscriber = { 0, 0 };
    int64_t cpu_start_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    int failed;
    int64_t end_ns;
    if (burst)
    {
        failed = run_bursts(subscription, &publisher, &subscriber);
        end_ns = clock_ns(CLOCK_MONOTONIC);
    }
    else
    {
        pthread_t thread;
        if (0 != pthread_create(&thread, NULL, publish, &publisher))
        {
            fprintf(stderr, "could not start the publisher thread\n");
            return 1;
        }
        failed = poll_until(subscription, &subscriber, publisher.count, &publisher.failed);
        end_ns = clock_ns(CLOCK_MONOTONIC);
        pthread_join(thread, NULL);
    }
    int64_t cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start_ns;
    if (failed || subscriber.failed || publisher.failed)
    {
        return 1;
    }
    result->received = subscriber.received;
    result->elapsed_ns = end_ns - publisher.start_ns;
    result->cpu_ns = cpu_ns;
    result->back_pressured = publisher.back_pressured;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
    {
        fprintf(stderr, "usage: %s <aeron-dir> <message-count> [message-length=32] [concurrent|exclusive] "
            "[channel=aeron:ipc] [warm-up-runs=0] [threads|burst]\n", argv[0]);
        return 2;
    }
    int64_t count = atoll(argv[2]);
    size_t length = argc > 3 ? (size_t)atol(argv[3]) : 32;
    bool exclusive = argc > 4 && 0 == strcmp("exclusive", argv[4]);
    const char *channel = argc > 5 ? argv[5] : "aeron:ipc";
    int warm_up_runs = argc > 6 ? atoi(argv[6]) : 0;
    bool burst = argc > 7 && 0 == strcmp("burst", argv[7]);
    if (count <= 0 || length < sizeof(int64_t) || length > MAX_MESSAGE_LENGTH || warm_up_runs < 0 ||
        (argc > 7 && !burst && 0 != strcmp("threads", argv[7])))
    {
        fprintf(stderr, "message-count must be > 0, message-length within 8..4096, warm-up-runs >= 0, "
            "threads or burst\n");
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

    publisher_t publisher = { .count = count, .length = length };
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

    run_result_t result;
    for (int i = 0; i <= warm_up_runs; i++)
    {
        if (0 != run(subscription, publisher, burst, &result))
        {
            return 1;
        }
    }

    double seconds = (double)result.elapsed_ns / 1e9;
    double rate = (double)result.received / seconds;
    printf("C core IPC throughput (%s publication, %s, %s): %" PRId64 " messages of %zu B in %.3f s: %.0f msgs/s, "
        "%.1f MB/s, back pressured %" PRId64 " times", exclusive ? "exclusive" : "concurrent", channel,
        burst ? "bursts of 1000 on one thread" : "publisher and subscriber threads", result.received, length, seconds,
        rate, rate * (double)length / 1e6, result.back_pressured);
    if (burst)
    {
        printf(", CPU %.1f ns per message", (double)result.cpu_ns / (double)result.received);
    }
    printf("\n");

    abr_publication_close(publisher.concurrent);
    abr_exclusive_publication_close(publisher.exclusive);
    abr_subscription_close(subscription);
    abr_client_close(client);
    return 0;
}
