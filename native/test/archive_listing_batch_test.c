/*
 * The batched listing against a real Media Driver and Archive (an ArchivingMediaDriver): the records it writes decode
 * to exactly what the unbatched listing hands its consumer, whether every descriptor gets a batch of its own (a buffer
 * one record long) or all share one; a descriptor longer than the buffer fails the call after the listing; an unknown
 * recording gives no batch.
 */
#include <stdlib.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define STREAM_ID 4301
#define RECORDINGS 5
#define STRING_MAX 256

static abr_test_driver_t g_driver;
static char g_control_channel[128];

typedef struct
{
    int64_t fields[7];
    int32_t ints[6];
    char strings[3][STRING_MAX];
}
descriptor_copy_t;

typedef struct
{
    descriptor_copy_t descriptors[RECORDINGS * 2];
    int count;
    int batches;
    int largest_batch;
}
listing_t;

static void copy_string(char *to, const char *from)
{
    snprintf(to, STRING_MAX, "%s", NULL == from ? "" : from);
}

static void on_descriptor(void *clientd, abr_archive_recording_descriptor_t *d)
{
    listing_t *listing = clientd;
    ABR_CHECK(listing->count < RECORDINGS * 2);
    descriptor_copy_t *copy = &listing->descriptors[listing->count++];
    memset(copy, 0, sizeof(*copy));
    const int64_t fields[7] = { d->control_session_id, d->correlation_id, d->recording_id, d->start_timestamp,
        d->stop_timestamp, d->start_position, d->stop_position };
    const int32_t ints[6] = { d->initial_term_id, d->segment_file_length, d->term_buffer_length, d->mtu_length,
        d->session_id, d->stream_id };
    memcpy(copy->fields, fields, sizeof(fields));
    memcpy(copy->ints, ints, sizeof(ints));
    copy_string(copy->strings[0], d->stripped_channel);
    copy_string(copy->strings[1], d->original_channel);
    copy_string(copy->strings[2], d->source_identity);
}

/* Decodes the records by the layout abr_archive.h documents, independently of the library's writer. */
static void on_batch(void *clientd, const uint8_t *buffer, size_t length, int32_t count)
{
    listing_t *listing = clientd;
    listing->batches++;
    listing->largest_batch = count > listing->largest_batch ? count : listing->largest_batch;
    size_t offset = 0;
    for (int32_t i = 0; i < count; i++)
    {
        ABR_CHECK(listing->count < RECORDINGS * 2);
        ABR_CHECK(offset + ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH <= length);
        descriptor_copy_t *copy = &listing->descriptors[listing->count++];
        memset(copy, 0, sizeof(*copy));
        memcpy(copy->fields, buffer + offset, sizeof(copy->fields));
        memcpy(copy->ints, buffer + offset + 56, sizeof(copy->ints));
        int32_t lengths[3];
        memcpy(lengths, buffer + offset + 80, sizeof(lengths));
        size_t at = offset + ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;
        for (int s = 0; s < 3; s++)
        {
            ABR_CHECK(lengths[s] >= 0 && lengths[s] < STRING_MAX && at + (size_t)lengths[s] <= length);
            memcpy(copy->strings[s], buffer + at, (size_t)lengths[s]);
            at += (size_t)lengths[s];
        }
        const size_t alignment = ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
        offset = (at + alignment - 1) & ~(alignment - 1);
    }
    ABR_CHECK(offset == length);
}

/* The descriptors listed but for the correlation id, which each request has its own of. */
static void check_same_descriptors(const listing_t *expected, listing_t *actual)
{
    ABR_CHECK(expected->count == actual->count);
    for (int i = 0; i < expected->count; i++)
    {
        actual->descriptors[i].fields[1] = expected->descriptors[i].fields[1];
        ABR_CHECK(0 == memcmp(&expected->descriptors[i], &actual->descriptors[i], sizeof(descriptor_copy_t)));
    }
}

static void test_batched_listings_decode_to_the_unbatched_descriptors(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_archive_t *archive = abr_test_connect_archive(&g_driver, client, g_control_channel);
    abr_exclusive_publication_t *publications[RECORDINGS];
    for (int i = 0; i < RECORDINGS; i++)
    {
        /* Aliases of different lengths, so the records' padding differs. */
        char channel[128];
        snprintf(
            channel, sizeof(channel), "aeron:ipc?term-length=64k|alias=batch-%.*s", i * 3 + 1, "xxxxxxxxxxxxxxxxx");
        CHECK_OK(abr_archive_add_recorded_exclusive_publication(&publications[i], archive, channel, STREAM_ID));
    }
    static listing_t plain;
    int32_t count = 0;
    int64_t deadline = abr_nano_time() + 30000000000LL;
    do
    {
        ABR_CHECK(abr_nano_time() < deadline);
        plain.count = 0;
        CHECK_OK(abr_archive_list_recordings(&count, archive, 0, 100, on_descriptor, &plain));
    }
    while (count < RECORDINGS);
    ABR_CHECK(RECORDINGS == count && RECORDINGS == plain.count);

    uint8_t *buffer = malloc(4096);
    ABR_CHECK(NULL != buffer);
    static listing_t one_per_batch;
    /* Each record here is about 200 to 220 bytes (two channels of about 50, an identity): one fits, two do not. */
    size_t record_capacity = 300;
    CHECK_OK(abr_archive_list_recordings_batched(&count, archive, 0, 100, buffer, record_capacity, on_batch,
        &one_per_batch));
    ABR_CHECK(RECORDINGS == count && RECORDINGS == one_per_batch.batches && 1 == one_per_batch.largest_batch);
    check_same_descriptors(&plain, &one_per_batch);

    static listing_t all_in_one;
    CHECK_OK(abr_archive_list_recordings_for_uri_batched(&count, archive, 0, 100, "ipc", STREAM_ID, buffer,
        4096, on_batch, &all_in_one));
    ABR_CHECK(RECORDINGS == count && 1 == all_in_one.batches && RECORDINGS == all_in_one.largest_batch);
    check_same_descriptors(&plain, &all_in_one);

    static listing_t single;
    CHECK_OK(abr_archive_list_recording_batched(&count, archive, plain.descriptors[2].fields[2], buffer, 4096, on_batch,
        &single));
    ABR_CHECK(1 == count && 1 == single.batches);
    single.descriptors[0].fields[1] = plain.descriptors[2].fields[1];
    ABR_CHECK(0 == memcmp(&plain.descriptors[2], &single.descriptors[0], sizeof(descriptor_copy_t)));

    static listing_t unknown;
    CHECK_OK(abr_archive_list_recording_batched(&count, archive, 1000000, buffer, 4096, on_batch, &unknown));
    ABR_CHECK(0 == count && 0 == unknown.batches);

    static listing_t too_small;
    ABR_CHECK(-1 == abr_archive_list_recordings_batched(&count, archive, 0, 100, buffer,
        ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH, on_batch, &too_small));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode() && NULL != strstr(abr_errmsg(), "more than the capacity 92"));
    ABR_CHECK(0 == too_small.batches);
    /* The failed call read its whole listing: the client goes on. */
    static listing_t after;
    CHECK_OK(abr_archive_list_recordings_batched(&count, archive, 0, 100, buffer, 4096, on_batch, &after));
    ABR_CHECK(RECORDINGS == count && RECORDINGS == after.count);

    free(buffer);
    for (int i = 0; i < RECORDINGS; i++)
    {
        CHECK_OK(abr_archive_stop_recording_exclusive_publication(archive, publications[i]));
        abr_exclusive_publication_close(publications[i]);
    }
    abr_archive_close(archive);
    abr_client_close(client);
}

int main(void)
{
    snprintf(g_control_channel, sizeof(g_control_channel), "aeron:udp?endpoint=localhost:%d",
        abr_test_free_udp_port());
    abr_test_archiving_driver_start(&g_driver, g_control_channel);
    ABR_RUN(test_batched_listings_decode_to_the_unbatched_descriptors);
    abr_test_driver_stop(&g_driver);
    return 0;
}
