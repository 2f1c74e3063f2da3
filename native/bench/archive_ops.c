/*
 * Archive operations through the C API, timed one by one: connect, close with the client core owned by the archive
 * client, close with a shared core, getRecordingPosition round trips, listings, replays of a whole recording and replay
 * merges up to merged, and persistent subscriptions up to live. Run by ArchiveOpsComparison (bench/) against its
 * Archive, beside NativeArchive and AeronArchive; see docs/benchmarks.md.
 *
 * abr_archive_ops <aeron-dir> <request-channel> <response-channel> <recording-id> <connects> <round-trips> <listings>
 *                 <list-count> <replays> <replay-channel> <replay-stream-id> <recording-id-1024> <recording-id-32>
 *                 <messages> <merges> <merge-recording-id> <merge-session-id> <merge-control-port> <merge-stream-id>
 *                 [<persistent-subscriptions> <ps-recording-id> <ps-live-channel> <ps-live-stream-id>
 *                  <ps-replay-channel>]
 *
 * Prints one line per operation: "op=<name> n=<samples> median_us=... p99_us=... p999_us=... max_us=...". A replay
 * sample is the time from the replay request to the last of <messages> messages polled; a merge sample the time from
 * creating the merge (from <messages> frames of 1 KiB behind the live end) to merged; a persistent subscription sample
 * the time from creating it (from position 0 of a recording still published to, whose messages start with their
 * sequence number) to live, every message up to there checked in order. Before the persistent subscriptions it prints
 * "phase=persistent_subscription", on which the comparison starts publishing to that recording. With ABR_BENCH_WARMUP=N
 * in the environment (the comparison's --warmup) each per-call phase (connect and close, shared-core close, round
 * trips, listings) makes N calls first, not timed; it prints "warmup=N" first either way. With
 * ABR_BENCH_SETTLE_HANDSHAKE=1 it prints "phase=settle" after its closes and waits for a line on stdin before its round
 * trips: the comparison sends it once the driver has let go of the closed sessions. ABR_BENCH_SETTLE_MS=N adds a pause
 * of N ms after that. ABR_BENCH_ROUND_TRIP_WARMUP_MS=N keeps the untimed round trips going for at least N ms; it prints
 * "round_trip_warmup_ms=N" either way.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static int fail(const char *what)
{
    fprintf(stderr, "abr_archive_ops: %s failed: code=%d %s\n", what, abr_errcode(), abr_errmsg());
    return 1;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* Nearest-rank percentile of sorted samples. */
static double percentile_us(const int64_t *sorted, int n, double fraction)
{
    int rank = (int)((double)n * fraction + 0.999999);
    rank = rank < 1 ? 1 : rank > n ? n : rank;
    return (double)sorted[rank - 1] / 1000.0;
}

static void report(const char *op, int64_t *samples, int n)
{
    if (n < 1)
    {
        return;
    }
    qsort(samples, (size_t)n, sizeof(int64_t), compare_int64);
    printf("op=%s n=%d median_us=%.3f p99_us=%.3f p999_us=%.3f max_us=%.3f\n", op, n,
        percentile_us(samples, n, 0.5), percentile_us(samples, n, 0.99), percentile_us(samples, n, 0.999),
        (double)samples[n - 1] / 1000.0);
}

static abr_archive_context_t *archive_context(const char *dir, const char *request, const char *response)
{
    abr_archive_context_t *ctx = NULL;
    if (abr_archive_context_init(&ctx) < 0 || abr_archive_context_set_aeron_directory_name(ctx, dir) < 0 ||
        abr_archive_context_set_control_request_channel(ctx, request) < 0 ||
        abr_archive_context_set_control_response_channel(ctx, response) < 0)
    {
        return NULL;
    }
    return ctx;
}

static void count_descriptor(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    (void)descriptor;
    (*(int64_t *)clientd)++;
}

/* What a replay or merge has delivered so far; the handler only adds, so polling allocates nothing. */
typedef struct replay_count_stct
{
    int64_t messages;
    int64_t bytes;
}
replay_count_t;

static void count_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)buffer;
    (void)header;
    replay_count_t *count = clientd;
    count->messages++;
    count->bytes += (int64_t)length;
}

/* As the Java twin: the same fragment limit, and a yield when a poll finds nothing (the server shares the cores). */
enum { POLL_FRAGMENT_LIMIT = 256 };
/* A replay or merge that delivers nothing for this long has stalled: the run fails rather than hangs. */
static const int64_t STALL_NS = 10LL * 1000000000LL;

/* Replay the whole of a stopped recording of `messages` messages, `replays` times; one sample per replay. */
static int time_replays(
    int64_t *samples, abr_archive_t *archive, int64_t recording_id, int64_t messages, int replays,
    const char *channel, int32_t stream_id)
{
    int64_t stop_position = 0;
    if (abr_archive_get_stop_position(&stop_position, archive, recording_id) < 0)
    {
        return fail("getStopPosition");
    }
    for (int i = 0; i < replays; i++)
    {
        replay_count_t count = { 0, 0 };
        abr_subscription_t *subscription = NULL;
        int64_t start = now_ns();
        if (abr_archive_replay(&subscription, archive, recording_id, 0, stop_position, channel, stream_id) < 0)
        {
            return fail("replay");
        }
        int64_t last_progress = start;
        while (count.messages < messages)
        {
            int fragments = abr_subscription_poll(subscription, count_fragment, &count, POLL_FRAGMENT_LIMIT);
            if (fragments < 0)
            {
                return fail("replay poll");
            }
            if (0 == fragments)
            {
                if (now_ns() - last_progress > STALL_NS)
                {
                    fprintf(stderr, "abr_archive_ops: replay of recording %" PRId64 " stalled at %" PRId64
                        " of %" PRId64 " messages\n", recording_id, count.messages, messages);
                    return 1;
                }
                sched_yield();
            }
            else
            {
                last_progress = now_ns();
            }
        }
        samples[i] = now_ns() - start;
        abr_subscription_close(subscription);
    }
    return 0;
}

/* With ABR_BENCH_MERGE_STATES set, each merge's time and polls per state go to stderr (as the Java twin's): where a
 * merge spends its time, for comparing the state machines; off by default, as it adds a state read to every turn. */
enum { MERGE_STATE_COUNT = ABR_ARCHIVE_REPLAY_MERGE_CLOSED + 1 };

static void print_merge_states(const char *client, int64_t total_ns, const int64_t *state_ns, const int64_t *turns)
{
    fprintf(stderr, "merge_states client=%s total_ms=%.1f", client, (double)total_ns / 1e6);
    for (int state = 0; state < MERGE_STATE_COUNT; state++)
    {
        if (turns[state] > 0)
        {
            fprintf(stderr, " %s=%.1fms/%" PRId64, abr_archive_replay_merge_state_name(state),
                (double)state_ns[state] / 1e6, turns[state]);
        }
    }
    fprintf(stderr, "\n");
}

/* Merge from `messages` 1 KiB frames behind the live recording's end to merged, `merges` times; one sample each. */
static int time_merges(
    int64_t *samples, abr_client_t *core, abr_archive_t *archive, int merges, int64_t recording_id, int64_t messages,
    int32_t session_id, int control_port, int32_t stream_id)
{
    char live_destination[128];
    char replay_channel[64];
    snprintf(live_destination, sizeof(live_destination), "aeron:udp?endpoint=localhost:0|control=localhost:%d",
        control_port);
    snprintf(replay_channel, sizeof(replay_channel), "aeron:udp?session-id=%" PRId32, session_id);
    const bool count_states = NULL != getenv("ABR_BENCH_MERGE_STATES");
    for (int i = 0; i < merges; i++)
    {
        int64_t state_ns[MERGE_STATE_COUNT] = { 0 };
        int64_t turns[MERGE_STATE_COUNT] = { 0 };
        int64_t recorded = 0;
        abr_subscription_t *subscription = NULL;
        if (abr_archive_get_recording_position(&recorded, archive, recording_id) < 0 ||
            abr_client_add_subscription(&subscription, core, "aeron:udp?control-mode=manual", stream_id) < 0)
        {
            return fail("merge setup");
        }
        int64_t start_position = recorded - messages * 1024;
        start_position = start_position < 0 ? 0 : start_position - start_position % 1024;
        replay_count_t count = { 0, 0 };
        abr_archive_replay_merge_t *merge = NULL;
        int64_t start = now_ns();
        if (abr_archive_replay_merge_init(&merge, subscription, archive, replay_channel,
            "aeron:udp?endpoint=localhost:0", live_destination, recording_id, start_position, NULL, NULL,
            ABR_ARCHIVE_REPLAY_MERGE_PROGRESS_TIMEOUT_DEFAULT_MS) < 0)
        {
            return fail("replay merge init");
        }
        while (!abr_archive_replay_merge_is_merged(merge))
        {
            /* Each turn's time goes to the state the turn began in. */
            int state = count_states ? abr_archive_replay_merge_state(merge) : -1;
            int64_t turn_start = count_states ? now_ns() : 0;
            int fragments = abr_archive_replay_merge_poll(merge, count_fragment, &count, POLL_FRAGMENT_LIMIT);
            if (fragments < 0)
            {
                return fail("replay merge poll");
            }
            if (0 == fragments)
            {
                sched_yield();
            }
            if (state >= 0 && state < MERGE_STATE_COUNT)
            {
                state_ns[state] += now_ns() - turn_start;
                turns[state]++;
            }
        }
        samples[i] = now_ns() - start;
        if (count_states)
        {
            print_merge_states("C-API", samples[i], state_ns, turns);
        }
        abr_archive_replay_merge_close(merge);
        abr_subscription_close(subscription);
    }
    return 0;
}

/* Counts what a persistent subscription hands over and checks each message's leading sequence number. */
typedef struct sequence_check_stct
{
    int64_t next;
    int64_t out_of_order;
}
sequence_check_t;

static void check_sequence(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)header;
    sequence_check_t *check = clientd;
    int64_t sequence = -1;
    if (length >= sizeof(sequence))
    {
        memcpy(&sequence, buffer, sizeof(sequence));
    }
    if (sequence != check->next)
    {
        check->out_of_order++;
    }
    check->next++;
}

/* From creating a persistent subscription at position 0 of the recording to live, `count` times; one sample each. */
static int time_persistent_subscriptions(
    int64_t *samples, abr_archive_context_t *archive_ctx, int count, int64_t recording_id, int64_t messages,
    const char *live_channel, int32_t live_stream_id, const char *replay_channel)
{
    abr_archive_persistent_subscription_context_t *ctx = NULL;
    if (abr_archive_persistent_subscription_context_init(&ctx) < 0 ||
        abr_archive_persistent_subscription_context_set_archive_context(ctx, archive_ctx) < 0 ||
        abr_archive_persistent_subscription_context_set_recording_id(ctx, recording_id) < 0 ||
        abr_archive_persistent_subscription_context_set_start_position(ctx, 0) < 0 ||
        abr_archive_persistent_subscription_context_set_live_channel(ctx, live_channel) < 0 ||
        abr_archive_persistent_subscription_context_set_live_stream_id(ctx, live_stream_id) < 0 ||
        abr_archive_persistent_subscription_context_set_replay_channel(ctx, replay_channel) < 0 ||
        abr_archive_persistent_subscription_context_set_replay_stream_id(ctx, live_stream_id + 1) < 0)
    {
        return fail("persistent subscription context");
    }
    for (int i = 0; i < count; i++)
    {
        sequence_check_t check = { 0, 0 };
        abr_archive_persistent_subscription_t *subscription = NULL;
        int64_t start = now_ns();
        if (abr_archive_persistent_subscription_create(&subscription, ctx) < 0)
        {
            return fail("persistent subscription create");
        }
        int64_t last_progress = start;
        while (!abr_archive_persistent_subscription_is_live(subscription))
        {
            if (abr_archive_persistent_subscription_has_failed(subscription))
            {
                fprintf(stderr, "abr_archive_ops: persistent subscription failed: %s\n",
                    abr_archive_persistent_subscription_failure(subscription, NULL, NULL));
                return 1;
            }
            int work = abr_archive_persistent_subscription_poll(subscription, check_sequence, &check,
                POLL_FRAGMENT_LIMIT);
            if (work < 0)
            {
                return fail("persistent subscription poll");
            }
            if (0 == work)
            {
                if (now_ns() - last_progress > STALL_NS)
                {
                    fprintf(stderr, "abr_archive_ops: persistent subscription stalled in %s at %" PRId64
                        " messages\n", abr_archive_persistent_subscription_state_name(
                        abr_archive_persistent_subscription_state(subscription)), check.next);
                    return 1;
                }
                sched_yield();
            }
            else
            {
                last_progress = now_ns();
            }
        }
        samples[i] = now_ns() - start;
        abr_archive_persistent_subscription_close(subscription);
        if (check.out_of_order != 0 || check.next < messages)
        {
            fprintf(stderr, "abr_archive_ops: persistent subscription live after %" PRId64 " messages (%" PRId64
                " out of order), expected at least %" PRId64 " in order\n", check.next, check.out_of_order, messages);
            return 1;
        }
    }
    abr_archive_persistent_subscription_context_close(ctx);
    return 0;
}

/* ABR_BENCH_WARMUP (set by the comparison's --warmup): untimed calls before each per-call phase's timed ones. */
enum { MAX_WARMUP = 1000000 };

enum { MAX_SETTLE_MS = 600000 };

/* ABR_BENCH_ROUND_TRIP_WARMUP_MS (the comparison's --round-trip-warmup-ms): the untimed round trips go on for at least
 * this long, besides their count. */
enum { MAX_ROUND_TRIP_WARMUP_MS = 600000 };

/* A whole number from 0 to max in the environment variable name, 0 when unset or empty, -1 when anything else. */
static int bench_env_count(const char *name, long max)
{
    const char *text = getenv(name);
    if (NULL == text || '\0' == *text)
    {
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (0 != errno || '\0' != *end || value < 0 || value > max)
    {
        return -1;
    }
    return (int)value;
}

static int bench_warmup(void)
{
    return bench_env_count("ABR_BENCH_WARMUP", MAX_WARMUP);
}

/* The server (driver and archive) is still busy with the sessions the connect phases opened and closed for seconds
 * after them (the driver walks their lingering publications and images every duty cycle), and a client that connects
 * fast meets more of that in its next phases than a slow one (docs/benchmarks.md): with the handshake the comparison
 * holds every client here until the driver is back at its baseline; ABR_BENCH_SETTLE_MS adds a fixed pause. */
static int bench_settle(int settle_ms)
{
    const char *handshake = getenv("ABR_BENCH_SETTLE_HANDSHAKE");
    if (NULL != handshake && 0 == strcmp(handshake, "1"))
    {
        printf("phase=settle\n");
        fflush(stdout);
        int c;
        while ('\n' != (c = getchar()))
        {
            if (EOF == c)
            {
                fprintf(stderr, "stdin closed before the comparison's go at the settle point\n");
                return -1;
            }
        }
    }
    struct timespec pause = { settle_ms / 1000, (long)(settle_ms % 1000) * 1000000L };
    while (0 != nanosleep(&pause, &pause) && EINTR == errno)
    {
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 20 && argc != 25)
    {
        fprintf(stderr, "usage: abr_archive_ops <aeron-dir> <request-channel> <response-channel> <recording-id> "
            "<connects> <round-trips> <listings> <list-count> <replays> <replay-channel> <replay-stream-id> "
            "<recording-id-1024> <recording-id-32> <messages> <merges> <merge-recording-id> <merge-session-id> "
            "<merge-control-port> <merge-stream-id> [<persistent-subscriptions> <ps-recording-id> <ps-live-channel> "
            "<ps-live-stream-id> <ps-replay-channel>]\n");
        return 2;
    }
    const char *dir = argv[1];
    const int64_t recording_id = strtoll(argv[4], NULL, 10);
    const int connects = atoi(argv[5]);
    const int round_trips = atoi(argv[6]);
    const int listings = atoi(argv[7]);
    const int list_count = atoi(argv[8]);
    const int replays = atoi(argv[9]);
    const char *replay_channel = argv[10];
    const int32_t replay_stream_id = (int32_t)atoi(argv[11]);
    const int64_t recording_id_1024 = strtoll(argv[12], NULL, 10);
    const int64_t recording_id_32 = strtoll(argv[13], NULL, 10);
    const int64_t messages = strtoll(argv[14], NULL, 10);
    const int merges = atoi(argv[15]);
    const int64_t merge_recording_id = strtoll(argv[16], NULL, 10);
    const int32_t merge_session_id = (int32_t)strtol(argv[17], NULL, 10);
    const int merge_control_port = atoi(argv[18]);
    const int32_t merge_stream_id = (int32_t)atoi(argv[19]);
    /* Without the last five arguments (as from a comparison before them) there are no persistent subscriptions. */
    const bool persistent_args = 25 == argc;
    const int persistent_subscriptions = persistent_args ? atoi(argv[20]) : 0;
    const int64_t ps_recording_id = persistent_args ? strtoll(argv[21], NULL, 10) : -1;
    const char *ps_live_channel = persistent_args ? argv[22] : NULL;
    const int32_t ps_live_stream_id = persistent_args ? (int32_t)atoi(argv[23]) : 0;
    const char *ps_replay_channel = persistent_args ? argv[24] : NULL;
    const int warmup = bench_warmup();
    if (warmup < 0)
    {
        fprintf(stderr, "ABR_BENCH_WARMUP must be a whole number from 0 to %d, was '%s'\n", MAX_WARMUP,
            getenv("ABR_BENCH_WARMUP"));
        return 2;
    }
    const int settle_ms = bench_env_count("ABR_BENCH_SETTLE_MS", MAX_SETTLE_MS);
    if (settle_ms < 0)
    {
        fprintf(stderr, "ABR_BENCH_SETTLE_MS must be a whole number from 0 to %d, was '%s'\n", MAX_SETTLE_MS,
            getenv("ABR_BENCH_SETTLE_MS"));
        return 2;
    }
    const int round_trip_warmup_ms = bench_env_count("ABR_BENCH_ROUND_TRIP_WARMUP_MS", MAX_ROUND_TRIP_WARMUP_MS);
    if (round_trip_warmup_ms < 0)
    {
        fprintf(stderr, "ABR_BENCH_ROUND_TRIP_WARMUP_MS must be a whole number from 0 to %d, was '%s'\n",
            MAX_ROUND_TRIP_WARMUP_MS, getenv("ABR_BENCH_ROUND_TRIP_WARMUP_MS"));
        return 2;
    }
    /* The comparison checks these lines, so that a child that would ignore the warm-up or the settling is not taken
     * for warm or settled. */
    printf("warmup=%d\n", warmup);
    printf("settle_ms=%d\n", settle_ms);
    printf("round_trip_warmup_ms=%d\n", round_trip_warmup_ms);
    int max_samples = connects > round_trips ? connects : round_trips;
    max_samples = max_samples > listings ? max_samples : listings;
    max_samples = max_samples > replays ? max_samples : replays;
    max_samples = max_samples > merges ? max_samples : merges;
    max_samples = max_samples > persistent_subscriptions ? max_samples : persistent_subscriptions;
    if (connects < 0 || round_trips < 0 || listings < 0 || list_count < 1 || replays < 0 || merges < 0 ||
        persistent_subscriptions < 0 ||
        messages < 1 || max_samples < 1)
    {
        fprintf(stderr, "counts must be >= 0 (one at least > 0), list-count and messages >= 1\n");
        return 2;
    }
    int64_t *connect_ns = calloc((size_t)max_samples, sizeof(int64_t));
    int64_t *close_ns = calloc((size_t)max_samples, sizeof(int64_t));
    int64_t *samples = calloc((size_t)max_samples, sizeof(int64_t));
    abr_archive_context_t *ctx = archive_context(dir, argv[2], argv[3]);
    if (NULL == connect_ns || NULL == close_ns || NULL == samples || NULL == ctx)
    {
        return fail("setup");
    }

    /* Each per-call phase runs `warmup` calls first, not timed: samples are kept for i >= 0 only. */
    for (int i = -warmup; i < connects; i++)
    {
        abr_archive_t *archive = NULL;
        int64_t start = now_ns();
        if (abr_archive_connect(&archive, ctx) < 0)
        {
            return fail("connect");
        }
        int64_t connected = now_ns();
        if (abr_archive_close(archive) < 0)
        {
            return fail("close (owned core)");
        }
        if (i >= 0)
        {
            close_ns[i] = now_ns() - connected;
            connect_ns[i] = connected - start;
        }
    }
    report("connect", connect_ns, connects);
    report("close_owned_core", close_ns, connects);

    abr_context_t *core_context = NULL;
    abr_client_t *core = NULL;
    if (abr_context_init(&core_context) < 0 || abr_context_set_dir(core_context, dir) < 0 ||
        abr_client_connect(&core, core_context) < 0 || abr_archive_context_set_client(ctx, core) < 0)
    {
        return fail("shared core");
    }
    for (int i = -warmup; i < connects; i++)
    {
        abr_archive_t *archive = NULL;
        if (abr_archive_connect(&archive, ctx) < 0)
        {
            return fail("connect (shared core)");
        }
        int64_t start = now_ns();
        if (abr_archive_close(archive) < 0)
        {
            return fail("close (shared core)");
        }
        if (i >= 0)
        {
            close_ns[i] = now_ns() - start;
        }
    }
    report("close_shared_core", close_ns, connects);

    if (bench_settle(settle_ms) < 0)
    {
        return 2;
    }
    abr_archive_t *archive = NULL;
    if (abr_archive_connect(&archive, ctx) < 0)
    {
        return fail("connect for round trips");
    }
    /* As the Java clients do to warm their JIT: a tenth of the round trips (and the warm-up's) first, not timed, and
     * for at least the round-trip warm-up time. */
    const int64_t warmup_end_ns = now_ns() + (int64_t)round_trip_warmup_ms * 1000000LL;
    for (int64_t i = 0; i < (int64_t)round_trips / 10 + warmup || now_ns() - warmup_end_ns < 0; i++)
    {
        int64_t position = 0;
        if (abr_archive_get_recording_position(&position, archive, recording_id) < 0)
        {
            return fail("getRecordingPosition (warm-up)");
        }
    }
    for (int i = 0; i < round_trips; i++)
    {
        int64_t position = 0;
        int64_t start = now_ns();
        if (abr_archive_get_recording_position(&position, archive, recording_id) < 0)
        {
            return fail("getRecordingPosition");
        }
        samples[i] = now_ns() - start;
    }
    report("get_recording_position", samples, round_trips);

    for (int i = -warmup; i < listings; i++)
    {
        int64_t seen = 0;
        int32_t count = 0;
        int64_t start = now_ns();
        if (abr_archive_list_recordings(&count, archive, 0, list_count, count_descriptor, &seen) < 0)
        {
            return fail("listRecordings");
        }
        if (i >= 0)
        {
            samples[i] = now_ns() - start;
        }
        if (seen != count || count != list_count)
        {
            fprintf(stderr, "abr_archive_ops: listRecordings gave %d descriptors (%" PRId64 " seen), expected %d\n",
                count, seen, list_count);
            return 1;
        }
    }
    report("list_recordings", samples, listings);

    if (replays > 0)
    {
        if (time_replays(samples, archive, recording_id_1024, messages, replays, replay_channel, replay_stream_id) != 0)
        {
            return 1;
        }
        report("replay_1024", samples, replays);
        if (time_replays(samples, archive, recording_id_32, messages, replays, replay_channel, replay_stream_id) != 0)
        {
            return 1;
        }
        report("replay_32", samples, replays);
    }
    if (merges > 0)
    {
        if (time_merges(samples, core, archive, merges, merge_recording_id, messages, merge_session_id,
            merge_control_port, merge_stream_id) != 0)
        {
            return 1;
        }
        report("replay_merge", samples, merges);
    }
    if (persistent_subscriptions > 0)
    {
        printf("phase=persistent_subscription\n");
        fflush(stdout);
        if (time_persistent_subscriptions(samples, ctx, persistent_subscriptions, ps_recording_id, messages,
            ps_live_channel, ps_live_stream_id, ps_replay_channel) != 0)
        {
            return 1;
        }
        report("persistent_subscription", samples, persistent_subscriptions);
    }

    abr_archive_close(archive);
    abr_client_close(core);
    abr_context_close(core_context);
    abr_archive_context_close(ctx);
    free(connect_ns);
    free(close_ns);
    free(samples);
    return 0;
}
