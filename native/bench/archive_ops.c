/*
 * Archive operations through the C API, timed one by one: connect, close with the client core owned by the archive
 * client, close with a shared core, getRecordingPosition round trips and listings. Run by ArchiveOpsComparison (bench/)
 * against its Archive, beside NativeArchive and AeronArchive; see docs/benchmarks.md.
 *
 * abr_archive_ops <aeron-dir> <request-channel> <response-channel> <recording-id> <connects> <round-trips> <listings>
 *                 <list-count>
 *
 * Prints one line per operation: "op=<name> n=<samples> median_us=... p99_us=... p999_us=... max_us=...".
 */
#include <inttypes.h>
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

int main(int argc, char **argv)
{
    if (argc != 9)
    {
        fprintf(stderr, "usage: abr_archive_ops <aeron-dir> <request-channel> <response-channel> <recording-id> "
            "<connects> <round-trips> <listings> <list-count>\n");
        return 2;
    }
    const char *dir = argv[1];
    const int64_t recording_id = strtoll(argv[4], NULL, 10);
    const int connects = atoi(argv[5]);
    const int round_trips = atoi(argv[6]);
    const int listings = atoi(argv[7]);
    const int list_count = atoi(argv[8]);
    int max_samples = connects > round_trips ? connects : round_trips;
    max_samples = max_samples > listings ? max_samples : listings;
    if (connects < 0 || round_trips < 0 || listings < 0 || list_count < 1 || max_samples < 1)
    {
        fprintf(stderr, "counts must be >= 0 (one at least > 0), list-count >= 1\n");
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

    for (int i = 0; i < connects; i++)
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
        close_ns[i] = now_ns() - connected;
        connect_ns[i] = connected - start;
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
    for (int i = 0; i < connects; i++)
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
        close_ns[i] = now_ns() - start;
    }
    report("close_shared_core", close_ns, connects);

    abr_archive_t *archive = NULL;
    if (abr_archive_connect(&archive, ctx) < 0)
    {
        return fail("connect for round trips");
    }
    /* As the Java clients do to warm their JIT: a tenth of the round trips first, not timed. */
    for (int i = 0; i < round_trips / 10; i++)
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

    for (int i = 0; i < listings; i++)
    {
        int64_t seen = 0;
        int32_t count = 0;
        int64_t start = now_ns();
        if (abr_archive_list_recordings(&count, archive, 0, list_count, count_descriptor, &seen) < 0)
        {
            return fail("listRecordings");
        }
        samples[i] = now_ns() - start;
        if (seen != count || count != list_count)
        {
            fprintf(stderr, "abr_archive_ops: listRecordings gave %d descriptors (%" PRId64 " seen), expected %d\n",
                count, seen, list_count);
            return 1;
        }
    }
    report("list_recordings", samples, listings);

    abr_archive_close(archive);
    abr_client_close(core);
    abr_context_close(core_context);
    abr_archive_context_close(ctx);
    free(connect_ns);
    free(close_ns);
    free(samples);
    return 0;
}
