/*
 * The C consumer: connects to a running Archive, records messages it publishes, lists the recording, replays it and
 * checks every message came back, then closes. Exit code 0 only when all of that held.
 *
 *   archive_bridge_c_consumer AERON_DIR CONTROL_CHANNEL CONTROL_STREAM_ID
 */
/* clock_gettime and nanosleep are POSIX: visible under -std=c11 as well as gnu11. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <abr/abr_archive.h>
#include <abr/abr_error.h>

#define MESSAGE_COUNT 10
#define RECORDED_CHANNEL "aeron:ipc"
#define RECORDED_STREAM_ID 2001
#define REPLAY_STREAM_ID 2002
#define WAIT_SECONDS 30

typedef struct listing_stct
{
    int64_t recording_id;
    int32_t matches;
}
listing_t;

typedef struct replayed_stct
{
    int count;
    int out_of_order;
}
replayed_t;

static int fail(const char *what)
{
    fprintf(stderr, "consumer: %s failed (%d): %s\n", what, abr_errcode(), abr_errmsg());
    return -1;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void pause_briefly(void)
{
    const struct timespec interval = { 0, 1000000 };
    nanosleep(&interval, NULL);
}

static void on_descriptor(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    listing_t *listing = clientd;
    if (descriptor->recording_id == listing->recording_id && descriptor->stream_id == RECORDED_STREAM_ID)
    {
        listing->matches++;
    }
}

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)header;
    replayed_t *replayed = clientd;
    int value = -1;
    if (length == sizeof(value))
    {
        memcpy(&value, buffer, sizeof(value));
    }
    if (value != replayed->count)
    {
        replayed->out_of_order++;
    }
    replayed->count++;
}

static int record(abr_archive_t *archive, int64_t *recording_id, int64_t *stop_position)
{
    abr_publication_t *publication;
    if (abr_archive_add_recorded_publication(&publication, archive, RECORDED_CHANNEL, RECORDED_STREAM_ID) < 0)
    {
        return fail("add recorded publication");
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int sent = 0;
    while (sent < MESSAGE_COUNT && seconds_since(&start) < WAIT_SECONDS)
    {
        if (abr_publication_offer(publication, (const uint8_t *)&sent, sizeof(sent)) > 0)
        {
            sent++;
        }
        else
        {
            pause_briefly();
        }
    }
    const int64_t position = abr_publication_position(publication);

    int result = 0;
    *recording_id = ABR_ARCHIVE_NULL_VALUE;
    while (ABR_ARCHIVE_NULL_VALUE == *recording_id && seconds_since(&start) < WAIT_SECONDS)
    {
        if (abr_archive_find_last_matching_recording(recording_id, archive, 0, RECORDED_CHANNEL, RECORDED_STREAM_ID,
            abr_publication_session_id(publication)) < 0)
        {
            result = fail("find last matching recording");
            break;
        }
        pause_briefly();
    }
    int64_t recorded = 0;
    while (0 == result && recorded < position && seconds_since(&start) < WAIT_SECONDS)
    {
        if (abr_archive_get_max_recorded_position(&recorded, archive, *recording_id) < 0)
        {
            result = fail("get max recorded position");
        }
        pause_briefly();
    }
    if (0 == result && (sent != MESSAGE_COUNT || recorded < position))
    {
        fprintf(stderr, "consumer: sent %d of %d messages, recorded %lld of %lld bytes in %d s\n",
            sent, MESSAGE_COUNT, (long long)recorded, (long long)position, WAIT_SECONDS);
        result = -1;
    }
    if (0 == result && abr_archive_stop_recording_publication(archive, publication) < 0)
    {
        result = fail("stop recording publication");
    }
    if (abr_publication_close(publication) < 0)
    {
        result = fail("close publication");
    }
    *stop_position = recorded;
    return result;
}

static int replay(abr_archive_t *archive, int64_t recording_id, int64_t length)
{
    abr_subscription_t *subscription;
    if (abr_archive_replay(
        &subscription, archive, recording_id, 0, length, RECORDED_CHANNEL, REPLAY_STREAM_ID) < 0)
    {
        return fail("replay");
    }

    replayed_t replayed = { 0, 0 };
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int result = 0;
    while (replayed.count < MESSAGE_COUNT && seconds_since(&start) < WAIT_SECONDS)
    {
        const int fragments = abr_subscription_poll(subscription, on_fragment, &replayed, 10);
        if (fragments < 0)
        {
            result = fail("poll replay");
            break;
        }
        if (0 == fragments)
        {
            pause_briefly();
        }
    }
    if (0 == result && (replayed.count != MESSAGE_COUNT || replayed.out_of_order != 0))
    {
        fprintf(stderr, "consumer: replayed %d of %d messages, %d out of order\n",
            replayed.count, MESSAGE_COUNT, replayed.out_of_order);
        result = -1;
    }
    if (abr_subscription_close(subscription) < 0)
    {
        result = fail("close replay subscription");
    }
    if (0 == result)
    {
        printf("consumer: replayed %d messages of recording %lld\n", replayed.count, (long long)recording_id);
    }
    return result;
}

int main(int argc, char **argv)
{
    if (argc != 4)
    {
        fprintf(stderr, "usage: %s AERON_DIR CONTROL_CHANNEL CONTROL_STREAM_ID\n", argv[0]);
        return 2;
    }
    const int control_stream_id = atoi(argv[3]);

    abr_archive_context_t *ctx;
    if (abr_archive_context_init(&ctx) < 0)
    {
        return fail("context init") < 0 ? 1 : 0;
    }
    abr_archive_t *archive = NULL;
    int result = 0;
    if (abr_archive_context_set_aeron_directory_name(ctx, argv[1]) < 0 ||
        abr_archive_context_set_control_request_channel(ctx, argv[2]) < 0 ||
        abr_archive_context_set_control_request_stream_id(ctx, control_stream_id) < 0 ||
        abr_archive_context_set_control_response_channel(ctx, argv[2]) < 0 ||
        abr_archive_connect(&archive, ctx) < 0)
    {
        result = fail("connect");
    }
    abr_archive_context_close(ctx);
    if (result < 0)
    {
        return 1;
    }
    printf("consumer: connected\n");

    int64_t recording_id = ABR_ARCHIVE_NULL_VALUE;
    int64_t stop_position = 0;
    result = record(archive, &recording_id, &stop_position);
    if (0 == result)
    {
        printf("consumer: recorded %d messages, %lld bytes, as recording %lld\n",
            MESSAGE_COUNT, (long long)stop_position, (long long)recording_id);
        listing_t listing = { recording_id, 0 };
        int32_t count = 0;
        if (abr_archive_list_recordings(&count, archive, 0, 100, on_descriptor, &listing) < 0)
        {
            result = fail("list recordings");
        }
        else if (1 != listing.matches)
        {
            fprintf(stderr, "consumer: recording %lld listed %d times among %d\n",
                (long long)recording_id, listing.matches, count);
            result = -1;
        }
        else
        {
            printf("consumer: listed %d recording(s)\n", count);
        }
    }
    if (0 == result)
    {
        result = replay(archive, recording_id, stop_position);
    }
    if (abr_archive_close(archive) < 0)
    {
        result = fail("close");
    }
    if (0 == result)
    {
        printf("consumer: closed\n");
    }
    return 0 == result ? 0 : 1;
}
