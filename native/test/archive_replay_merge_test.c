/*
 * Replay merge against a real Media Driver and Archive (an ArchivingMediaDriver): a stream recorded while it is
 * published, merged from position 0 while publishing goes on, every message's sequence number checked across the switch
 * from replay to live; an unknown recording; and misuse, each argument NULL or out of range in turn.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"
#include "test_expect.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define SECONDS(n) ((int64_t)(n) * 1000000000LL)
#define STREAM_ID 4201
#define MESSAGE_LENGTH 100
/* Generous: a loaded machine may pause the merge's duty cycle for seconds. */
#define PROGRESS_TIMEOUT_MS 30000

static abr_test_driver_t g_driver;
static char g_control_channel[128];

static abr_archive_t *connect_archive(abr_client_t *client)
{
    abr_archive_context_t *context = NULL;
    CHECK_OK(abr_archive_context_init(&context));
    CHECK_OK(abr_archive_context_set_aeron_directory_name(context, g_driver.dir));
    CHECK_OK(abr_archive_context_set_control_request_channel(context, g_control_channel));
    CHECK_OK(abr_archive_context_set_control_response_channel(context, "aeron:udp?endpoint=localhost:0"));
    CHECK_OK(abr_archive_context_set_client(context, client));
    abr_archive_t *archive = NULL;
    CHECK_OK(abr_archive_connect(&archive, context));
    abr_archive_context_close(context);
    return archive;
}

typedef struct
{
    int64_t next;
    int64_t out_of_order;
    int64_t first_bad;
}
sequence_check_t;

static void check_sequence(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    sequence_check_t *check = clientd;
    int64_t sequence = -1;
    if (length == MESSAGE_LENGTH)
    {
        memcpy(&sequence, buffer, sizeof(sequence));
    }
    if (sequence != check->next)
    {
        if (0 == check->out_of_order++)
        {
            check->first_bad = sequence;
        }
    }
    check->next = sequence + 1;
}

/* Offer message `sequence`: true when it went into the log. */
static bool offer_sequence(abr_exclusive_publication_t *publication, int64_t sequence)
{
    uint8_t message[MESSAGE_LENGTH];
    memset(message, (int)(sequence & 0x7f), sizeof(message));
    memcpy(message, &sequence, sizeof(sequence));
    return abr_exclusive_publication_offer(publication, message, sizeof(message)) > 0;
}

static void publish_until(abr_exclusive_publication_t *publication, int64_t *published, int64_t count)
{
    int64_t deadline = abr_nano_time() + SECONDS(30);
    while (*published < count)
    {
        if (offer_sequence(publication, *published))
        {
            (*published)++;
        }
        else
        {
            ABR_CHECK(abr_nano_time() < deadline);
            abr_sleep_ms(1);
        }
    }
}

static void test_a_merge_from_position_zero_joins_the_live_stream_without_a_gap(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_archive_t *archive = connect_archive(client);
    int control_port = abr_test_free_udp_port();
    char publication_channel[160];
    /* A dynamic multi-destination-cast publication the merge's live destination joins; its spies (the recording) count
     * as connected so that it is published to and recorded before any subscriber joins. */
    snprintf(publication_channel, sizeof(publication_channel),
        "aeron:udp?control=localhost:%d|control-mode=dynamic|term-length=64k|ssc=true", control_port);
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, publication_channel, STREAM_ID));
    int64_t recording_subscription_id;
    CHECK_OK(abr_archive_start_recording(
        &recording_subscription_id, archive, publication_channel, STREAM_ID, ABR_ARCHIVE_SOURCE_LOCATION_LOCAL, false));

    int64_t published = 0;
    publish_until(publication, &published, 300);
    char fragment[64];
    snprintf(fragment, sizeof(fragment), "control=localhost:%d", control_port);
    int64_t recording_id = ABR_ARCHIVE_NULL_VALUE;
    int64_t deadline = abr_nano_time() + SECONDS(30);
    while (ABR_ARCHIVE_NULL_VALUE == recording_id)
    {
        CHECK_OK(abr_archive_find_last_matching_recording(
            &recording_id, archive, 0, fragment, STREAM_ID, abr_exclusive_publication_session_id(publication)));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(10);
    }

    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:udp?control-mode=manual", STREAM_ID));
    char live_destination[160];
    snprintf(live_destination, sizeof(live_destination), "aeron:udp?endpoint=localhost:0|control=localhost:%d",
        control_port);
    abr_archive_replay_merge_t *merge = NULL;
    /* The replay keeps the live stream's session id, so that both feed one image. */
    char replay_channel[64];
    snprintf(replay_channel, sizeof(replay_channel), "aeron:udp?session-id=%d",
        abr_exclusive_publication_session_id(publication));
    CHECK_OK(abr_archive_replay_merge_init(&merge, subscription, archive, replay_channel,
        "aeron:udp?endpoint=localhost:0", live_destination, recording_id, 0, NULL, NULL, PROGRESS_TIMEOUT_MS));
    ABR_CHECK(!abr_archive_replay_merge_is_merged(merge) && !abr_archive_replay_merge_is_live_added(merge));

    /* Publishing goes on while the merge replays, catches up and joins: one message per round. */
    sequence_check_t check = { 0, 0, 0 };
    bool saw_replay_states = false;
    deadline = abr_nano_time() + SECONDS(120);
    while (!abr_archive_replay_merge_is_merged(merge) || published < 3000)
    {
        if (published < 100000 && offer_sequence(publication, published))
        {
            published++;
        }
        int fragments = abr_archive_replay_merge_poll(merge, check_sequence, &check, 10);
        if (fragments < 0)
        {
            fprintf(stderr, "merge poll failed: code=%d %s\n", abr_errcode(), abr_errmsg());
            ABR_CHECK(false);
        }
        /* The archive client stays usable meanwhile: a blocking call that reads the merge's answers keeps them. */
        if (0 == published % 50)
        {
            int64_t recording_position;
            CHECK_OK(abr_archive_get_recording_position(&recording_position, archive, recording_id));
        }
        int state = abr_archive_replay_merge_state(merge);
        saw_replay_states |= ABR_ARCHIVE_REPLAY_MERGE_CATCHUP == state;
        if (abr_nano_time() >= deadline)
        {
            fprintf(stderr, "not merged in time: state=%s, published=%" PRId64 ", received=%" PRId64 ", offer=%" PRId64
                ", images=%d, position=%" PRId64 ", limit=%" PRId64 "\n",
                abr_archive_replay_merge_state_name(state), published, check.next,
                abr_exclusive_publication_offer(publication, (const uint8_t *)"x", 1),
                abr_subscription_image_count(subscription), abr_exclusive_publication_position(publication),
                abr_exclusive_publication_position_limit(publication));
            int32_t merge_session = 0;
            abr_archive_replay_merge_image_session_id(merge, &merge_session);
            fprintf(stderr, "publication session=%d merge session=%d\n",
                abr_exclusive_publication_session_id(publication), merge_session);
            for (int i = 0; i < abr_subscription_image_count(subscription); i++)
            {
                abr_image_info_t info;
                abr_subscription_image_at(subscription, i, &info);
                fprintf(stderr, "image session=%d position=%" PRId64 " source=%s\n", info.session_id, info.position,
                    info.source_identity);
            }
            ABR_CHECK(false);
        }
        if (0 == fragments)
        {
            abr_sleep_ms(1);
        }
    }
    ABR_CHECK(saw_replay_states);
    ABR_CHECK(abr_archive_replay_merge_is_live_added(merge));
    int32_t session_id = 0;
    ABR_CHECK(1 == abr_archive_replay_merge_image_session_id(merge, &session_id));
    ABR_CHECK(session_id == abr_exclusive_publication_session_id(publication));

    /* After the merge, what is published arrives live, still in order. */
    int64_t final_count = published + 500;
    deadline = abr_nano_time() + SECONDS(60);
    while (check.next < final_count)
    {
        if (published < final_count && offer_sequence(publication, published))
        {
            published++;
        }
        ABR_CHECK(abr_archive_replay_merge_poll(merge, check_sequence, &check, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
    }
    if (0 != check.out_of_order)
    {
        fprintf(stderr, "%" PRId64 " messages out of sequence, the first %" PRId64 "\n", check.out_of_order,
            check.first_bad);
    }
    ABR_CHECK(0 == check.out_of_order);
    ABR_CHECK(final_count == check.next);
    ABR_CHECK(abr_archive_replay_merge_is_merged(merge));
    printf("merged after %" PRId64 " messages in order\n", check.next);

    CHECK_OK(abr_archive_replay_merge_close(merge));
    CHECK_OK(abr_archive_stop_recording_subscription(archive, recording_subscription_id));
    CHECK_OK(abr_archive_close(archive));
    abr_client_close(client);
}

static void test_an_unknown_recording_fails_the_merge_naming_it(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_archive_t *archive = connect_archive(client);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:udp?control-mode=manual", STREAM_ID + 1));
    abr_archive_replay_merge_t *merge = NULL;
    CHECK_OK(abr_archive_replay_merge_init(&merge, subscription, archive, "aeron:udp", "aeron:udp?endpoint=localhost:0",
        "aeron:udp?endpoint=localhost:0|control=localhost:20001", 987654321, 0, NULL, NULL, PROGRESS_TIMEOUT_MS));
    int64_t deadline = abr_nano_time() + SECONDS(30);
    int result = 0;
    while (0 == result || 1 == result)
    {
        result = abr_archive_replay_merge_do_work(merge);
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
        if (result > 0)
        {
            result = 0;
        }
        if (abr_archive_replay_merge_has_failed(merge))
        {
            break;
        }
    }
    ABR_CHECK(-1 == result);
    ABR_CHECK(ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "987654321"));
    ABR_CHECK(abr_archive_replay_merge_has_failed(merge));
    ABR_CHECK(ABR_ARCHIVE_REPLAY_MERGE_FAILED == abr_archive_replay_merge_state(merge));
    int code = 0;
    const char *failure = abr_archive_replay_merge_failure(merge, &code);
    ABR_CHECK(NULL != failure && NULL != strstr(failure, "GET_RECORDING_POSITION") &&
        NULL != strstr(failure, "recordingId=987654321"));
    ABR_CHECK(ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING == code);
    /* Failed for good: later calls do nothing, as ReplayMerge's do. */
    ABR_CHECK(0 == abr_archive_replay_merge_do_work(merge));
    CHECK_OK(abr_archive_replay_merge_close(merge));
    /* The archive client is still usable after the merge's failure. */
    int64_t found;
    CHECK_OK(abr_archive_find_last_matching_recording(&found, archive, 0, "", STREAM_ID + 1, 0));
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == found);
    CHECK_OK(abr_archive_close(archive));
    abr_client_close(client);
}

static void ignore_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
}

static void test_bad_arguments_are_refused_naming_them(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_archive_t *archive = connect_archive(client);
    abr_subscription_t *mds = NULL;
    CHECK_OK(abr_client_add_subscription(&mds, client, "aeron:udp?control-mode=manual", STREAM_ID + 2));
    abr_subscription_t *plain = NULL;
    CHECK_OK(abr_client_add_subscription(&plain, client, "aeron:udp?endpoint=localhost:0", STREAM_ID + 2));
    abr_subscription_t *ipc = NULL;
    CHECK_OK(abr_client_add_subscription(&ipc, client, "aeron:ipc?control-mode=manual", STREAM_ID + 2));
    const char *replay = "aeron:udp";
    const char *replay_destination = "aeron:udp?endpoint=localhost:0";
    const char *live = "aeron:udp?endpoint=localhost:0|control=localhost:20002";
    abr_archive_replay_merge_t *merge = ABR_EXPECT_SENTINEL;

    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (NULL, mds, archive, replay, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "merge out-pointer");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, NULL, archive, replay, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "subscription");
    ABR_CHECK(NULL == merge);
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, NULL, replay, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "archive");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, NULL, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "replay_channel");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, NULL, live, 0, 0, NULL, NULL, 1000), -1, "replay_destination");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, replay_destination, NULL, 0, 0, NULL, NULL, 1000), -1, "live_destination");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, replay_destination, live, 0, 0, NULL, NULL, 0), -1, "merge_progress_timeout_ms");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, replay_destination, live, 0, 0, NULL, NULL, -1), -1, "got -1");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, plain, archive, replay, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "control-mode=manual");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, ipc, archive, replay, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "IPC merging");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, "aeron:ipc", replay_destination, live, 0, 0, NULL, NULL, 1000), -1, "IPC merging");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, "aeron:udp?interface=localhost", live, 0, 0, NULL, NULL, 1000), -1,
        "must have an endpoint");
    ABR_EXPECT_ERROR(abr_archive_replay_merge_init,
        (&merge, mds, archive, "not a channel", replay_destination, live, 0, 0, NULL, NULL, 1000), -1,
        ABR_ERROR_MALFORMED_CHANNEL, "replay channel");
    ABR_EXPECT_ERROR(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, "aeron:udp?endpoint", live, 0, 0, NULL, NULL, 1000), -1,
        ABR_ERROR_MALFORMED_CHANNEL, "replay destination");
    ABR_CHECK(NULL == merge);

    ABR_EXPECT_INVALID(abr_archive_replay_merge_do_work, (NULL), -1, "merge must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_do_work_at, (NULL, 0), -1, "merge must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_poll, (NULL, ignore_fragment, NULL, 10), -1, "merge must not be null");
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_state, (NULL), -1);
    ABR_EXPECT_STRING(abr_archive_replay_merge_state_name, (ABR_ARCHIVE_REPLAY_MERGE_ATTEMPT_LIVE_JOIN),
        "ATTEMPT_LIVE_JOIN");
    ABR_EXPECT_STRING(abr_archive_replay_merge_state_name, (-1), "UNKNOWN");
    ABR_EXPECT_STRING(abr_archive_replay_merge_state_name, (8), "UNKNOWN");
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_is_merged, (NULL), false);
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_has_failed, (NULL), false);
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_is_live_added, (NULL), false);
    int32_t session_id = 0;
    ABR_EXPECT_INVALID(abr_archive_replay_merge_image_session_id, (NULL, &session_id), -1, "merge must not be null");
    ABR_EXPECT_NULL(abr_archive_replay_merge_failure, (NULL, NULL));
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_close, (NULL), 0);

    /* On a live merge: the other pointer arguments. */
    CHECK_OK(abr_archive_replay_merge_init(
        &merge, mds, archive, replay, replay_destination, live, 0, 0, NULL, NULL, PROGRESS_TIMEOUT_MS));
    ABR_EXPECT_INVALID(abr_archive_replay_merge_poll, (merge, NULL, NULL, 10), -1, "handler must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay_merge_image_session_id, (merge, NULL), -1, "session_id must not be null");
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_image_session_id, (merge, &session_id), 0);
    ABR_EXPECT_NULL(abr_archive_replay_merge_failure, (merge, NULL));
    ABR_EXPECT_RETURNS(abr_archive_replay_merge_poll, (merge, ignore_fragment, NULL, 0), 0);
    CHECK_OK(abr_archive_replay_merge_close(merge));

    /* A closed subscription cannot merge. */
    CHECK_OK(abr_subscription_close(mds));
    ABR_EXPECT_ERROR(abr_archive_replay_merge_init,
        (&merge, mds, archive, replay, replay_destination, live, 0, 0, NULL, NULL, 1000), -1, ABR_ERROR_CLOSED,
        "subscription is closed");
    CHECK_OK(abr_archive_close(archive));
    abr_client_close(client);
    ABR_EXPECT_ALL_PASSED();
}

int main(void)
{
    snprintf(g_control_channel, sizeof(g_control_channel), "aeron:udp?endpoint=localhost:%d",
        abr_test_free_udp_port());
    abr_test_archiving_driver_start(&g_driver, g_control_channel);
    ABR_EXPECT_RUN(test_bad_arguments_are_refused_naming_them);
    ABR_RUN(test_an_unknown_recording_fails_the_merge_naming_it);
    ABR_RUN(test_a_merge_from_position_zero_joins_the_live_stream_without_a_gap);
    abr_test_driver_stop(&g_driver);
    return 0;
}
