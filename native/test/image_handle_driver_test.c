/*
 * Image handles against a real Java Media Driver: found by session id and by index, their fixed properties, poll,
 * bounded and controlled polls, moving the position within the term, end of stream, and a handle kept after its image
 * went (unavailable, subscription closed, closed under a polling thread) answering closed. Each argument is also given
 * NULL or a value out of range.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"
#include "test_expect.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define SECONDS(n) ((int64_t)(n) * 1000000000LL)
#define CHANNEL "aeron:ipc?term-length=64k"
/* A 100-byte payload takes a 132-byte frame, 160 bytes aligned. */
#define PAYLOAD_LENGTH 100
#define FRAME_STEP 160

static abr_test_driver_t g_driver;

static void offer(abr_exclusive_publication_t *publication, uint8_t byte)
{
    uint8_t message[PAYLOAD_LENGTH];
    memset(message, byte, sizeof(message));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_exclusive_publication_offer(publication, message, sizeof(message)) < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

typedef struct
{
    int count;
    uint8_t bytes[64];
    abr_controlled_action_t action;
    abr_image_handle_t *image;
    int64_t position_inside;
    int nested_poll_result;
    int nested_poll_code;
}
received_t;

static void receive(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    received_t *received = clientd;
    if (received->count < 64)
    {
        received->bytes[received->count] = buffer[0];
    }
    received->count++;
}

static abr_controlled_action_t receive_controlled(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    received_t *received = clientd;
    receive(clientd, buffer, length, header);
    return received->action;
}

/* Reads the image's position from within its own poll (allowed) and tries to poll it again (refused). */
static void receive_and_call_back(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    received_t *received = clientd;
    receive(clientd, buffer, length, header);
    received->position_inside = abr_image_handle_position(received->image);
    received->nested_poll_result = abr_image_handle_poll(received->image, receive, received, 1);
    received->nested_poll_code = abr_errcode();
}

static int poll_until(abr_image_handle_t *image, received_t *received, int wanted)
{
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (received->count < wanted)
    {
        CHECK_OK(abr_image_handle_poll(image, receive, received, wanted - received->count));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    return received->count;
}

static void wait_for_images(abr_subscription_t *subscription, int count)
{
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_subscription_image_count(subscription) != count)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static void test_handles_found_by_session_and_index_describe_their_image(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, CHANNEL, 4001));
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, 4001));
    wait_for_images(subscription, 1);
    int32_t session_id = abr_exclusive_publication_session_id(publication);

    abr_image_handle_t by_session;
    abr_image_handle_t by_index;
    ABR_CHECK(1 == abr_subscription_image_by_session_id(subscription, session_id, &by_session));
    CHECK_OK(abr_subscription_image_at_index(subscription, 0, &by_index));
    abr_image_info_t info;
    CHECK_OK(abr_subscription_image_info(subscription, session_id, &info));
    ABR_CHECK(by_session.correlation_id == info.correlation_id && by_index.correlation_id == info.correlation_id);
    ABR_CHECK(session_id == by_session.session_id && 4001 == by_session.stream_id);
    ABR_CHECK(65536 == by_session.term_buffer_length && 1408 == by_session.mtu_length);
    ABR_CHECK(abr_exclusive_publication_initial_term_id(publication) == by_session.initial_term_id);
    ABR_CHECK(0 == by_session.join_position && 0 == info.join_position);
    ABR_CHECK(info.subscriber_position_id == by_session.subscriber_position_id);
    ABR_CHECK_STR_EQ("aeron:ipc", by_session.source_identity);
    ABR_CHECK(!abr_image_handle_is_closed(&by_session));
    ABR_CHECK(0 == abr_image_handle_position(&by_session));
    ABR_CHECK(0 == abr_image_handle_is_end_of_stream(&by_session));

    /* Unknown sessions find nothing and leave the handle as it was; indexes out of range are refused. */
    abr_image_handle_t untouched = by_session;
    const int32_t unknown_sessions[] = { session_id + 1, 0, -1, INT32_MIN, INT32_MAX };
    for (size_t i = 0; i < sizeof(unknown_sessions) / sizeof(unknown_sessions[0]); i++)
    {
        if (unknown_sessions[i] != session_id)
        {
            ABR_CHECK(0 == abr_subscription_image_by_session_id(subscription, unknown_sessions[i], &untouched));
            ABR_CHECK(0 == memcmp(&untouched, &by_session, sizeof(untouched)));
        }
    }
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (subscription, 1, &untouched), -1, "index=1");
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (subscription, -1, &untouched), -1, "imageCount=1");
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (subscription, INT_MIN, &untouched), -1, "out of range");
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (subscription, INT_MAX, &untouched), -1, "out of range");

    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

static void test_polls_bounded_and_controlled_and_the_position_moved_by_hand(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, CHANNEL, 4002));
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, 4002));
    wait_for_images(subscription, 1);
    abr_image_handle_t image;
    ABR_CHECK(1 == abr_subscription_image_by_session_id(
        subscription, abr_exclusive_publication_session_id(publication), &image));
    for (uint8_t i = 1; i <= 10; i++)
    {
        offer(publication, i);
    }

    received_t received;
    memset(&received, 0, sizeof(received));
    ABR_CHECK(2 == poll_until(&image, &received, 2));
    ABR_CHECK(1 == received.bytes[0] && 2 == received.bytes[1]);
    ABR_CHECK(2 * FRAME_STEP == abr_image_handle_position(&image));
    ABR_CHECK(2 * FRAME_STEP == image.last_seen_position);

    /* Bounded: nothing at or before the limit; a fragment that starts before the limit is read whole. */
    ABR_CHECK(0 == abr_image_handle_bounded_poll(&image, receive, &received, 2 * FRAME_STEP, 10));
    ABR_CHECK(0 == abr_image_handle_bounded_poll(&image, receive, &received, INT64_MIN, 10));
    ABR_CHECK(0 == abr_image_handle_bounded_poll(&image, receive, &received, -1, 10));
    ABR_CHECK(1 == abr_image_handle_bounded_poll(&image, receive, &received, 2 * FRAME_STEP + 1, 10));
    ABR_CHECK(3 == received.bytes[2] && 3 * FRAME_STEP == abr_image_handle_position(&image));
    ABR_CHECK(0 == abr_image_handle_bounded_poll(&image, receive, &received, INT64_MAX, 0));
    ABR_CHECK(0 == abr_image_handle_bounded_poll(&image, receive, &received, INT64_MAX, -5));

    /* Controlled: ABORT leaves the fragment, BREAK stops after one, COMMIT and CONTINUE go on. */
    received.action = ABR_ACTION_ABORT;
    ABR_CHECK(0 == abr_image_handle_controlled_poll(&image, receive_controlled, &received, 10));
    ABR_CHECK(3 * FRAME_STEP == abr_image_handle_position(&image));
    received.action = ABR_ACTION_BREAK;
    ABR_CHECK(1 == abr_image_handle_controlled_poll(&image, receive_controlled, &received, 10));
    ABR_CHECK(4 == received.bytes[4] && 4 * FRAME_STEP == abr_image_handle_position(&image));
    received.action = ABR_ACTION_COMMIT;
    ABR_CHECK(1 == abr_image_handle_bounded_controlled_poll(
        &image, receive_controlled, &received, 4 * FRAME_STEP + 1, 10));
    ABR_CHECK(5 == received.bytes[5] && 5 * FRAME_STEP == abr_image_handle_position(&image));

    /* The position moves within the term only, in whole frames: skip message 6. */
    const int64_t refused[] = { -1, 4 * FRAME_STEP, 5 * FRAME_STEP + 1, 5 * FRAME_STEP + 16, 65536 + 32, INT64_MAX,
        INT64_MIN };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
    {
        ABR_EXPECT_INVALID(abr_image_handle_set_position, (&image, refused[i]), -1, "out of range 800-65536");
    }
    CHECK_OK(abr_image_handle_set_position(&image, 5 * FRAME_STEP));
    CHECK_OK(abr_image_handle_set_position(&image, 6 * FRAME_STEP));
    received.action = ABR_ACTION_CONTINUE;
    ABR_CHECK(2 == abr_image_handle_controlled_poll(&image, receive_controlled, &received, 2));
    ABR_CHECK(7 == received.bytes[6] && 8 == received.bytes[7]);

    /* From within its own poll the image's position can be read, but not polled again. */
    received.image = &image;
    ABR_CHECK(1 == abr_image_handle_poll(&image, receive_and_call_back, &received, 1));
    ABR_CHECK(8 * FRAME_STEP == received.position_inside);
    ABR_CHECK(-1 == received.nested_poll_result && ABR_ERROR_ILLEGAL_STATE == received.nested_poll_code);
    ABR_CHECK(9 * FRAME_STEP == abr_image_handle_position(&image));

    /* A binding that reads the terms itself (poll_ref) moves the position past message 10; ending its poll keeps
     * that position in the handle, so a handle whose image goes next resumes after message 10, not before it. */
    abr_image_ref_t held;
    CHECK_OK(abr_image_handle_poll_ref(&image, &held));
    ABR_CHECK(9 * FRAME_STEP == image.last_seen_position);
    int32_t frame_length;
    memcpy(&frame_length, held.terms + 9 * FRAME_STEP, sizeof(frame_length));
    ABR_CHECK(frame_length > 0);
    __atomic_store_n((int64_t *)(void *)held.subscriber_position, 10 * FRAME_STEP, __ATOMIC_RELEASE);
    CHECK_OK(abr_image_handle_poll_ref_done(&image));
    ABR_CHECK(10 * FRAME_STEP == image.last_seen_position);
    ABR_EXPECT_ERROR(abr_image_handle_poll_ref_done, (&image), -1, ABR_ERROR_ILLEGAL_STATE, "without a poll_images");

    /* End of stream once the publisher closed and everything was read; then the image goes and the handle says so. */
    CHECK_OK(abr_exclusive_publication_close(publication));
    int64_t deadline = abr_nano_time() + SECONDS(30);
    while (!abr_image_handle_is_closed(&image))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        int eos = abr_image_handle_is_end_of_stream(&image);
        ABR_CHECK(0 == eos || 1 == eos || ABR_ERROR_CLOSED == abr_errcode());
        abr_sleep_ms(5);
    }
    ABR_CHECK(image.last_seen_end_of_stream);
    ABR_CHECK(10 * FRAME_STEP == image.last_seen_position);
    ABR_EXPECT_ERROR(abr_image_handle_position, (&image), -1, ABR_ERROR_CLOSED, "image is closed");
    ABR_EXPECT_ERROR(abr_image_handle_is_end_of_stream, (&image), -1, ABR_ERROR_CLOSED, "correlationId=");
    ABR_EXPECT_ERROR(abr_image_handle_poll, (&image, receive, &received, 10), -1, ABR_ERROR_CLOSED, "image is closed");
    ABR_EXPECT_ERROR(
        abr_image_handle_controlled_poll, (&image, receive_controlled, &received, 10), -1, ABR_ERROR_CLOSED, "closed");
    ABR_EXPECT_ERROR(abr_image_handle_set_position, (&image, 10 * FRAME_STEP), -1, ABR_ERROR_CLOSED, "closed");
    abr_image_ref_t ref;
    ABR_EXPECT_ERROR(abr_image_handle_poll_ref, (&image, &ref), -1, ABR_ERROR_CLOSED, "closed");

    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

typedef struct
{
    abr_image_handle_t kept;
    int unavailable;
}
kept_t;

static void keep_unavailable(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *info)
{
    kept_t *kept = clientd;
    ABR_CHECK(0 == abr_image_handle_from_info(&kept->kept, subscription, info));
    kept->unavailable++;
}

static void test_a_handle_outlives_its_subscription_and_handlers_keep_images(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    kept_t kept;
    memset(&kept, 0, sizeof(kept));
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription_with_handlers(
        &subscription, client, CHANNEL, 4003, NULL, NULL, keep_unavailable, &kept));
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, 4003));
    wait_for_images(subscription, 1);
    offer(publication, 1);
    abr_image_handle_t image;
    CHECK_OK(abr_subscription_image_at_index(subscription, 0, &image));
    received_t received;
    memset(&received, 0, sizeof(received));
    poll_until(&image, &received, 1);

    CHECK_OK(abr_subscription_close(subscription));
    ABR_CHECK(1 == kept.unavailable);
    ABR_CHECK(kept.kept.correlation_id == image.correlation_id && FRAME_STEP == kept.kept.last_seen_position);
    ABR_CHECK(abr_image_handle_is_closed(&image) && abr_image_handle_is_closed(&kept.kept));
    ABR_EXPECT_ERROR(abr_image_handle_position, (&image), -1, ABR_ERROR_CLOSED, "subscription is closed");
    ABR_EXPECT_ERROR(abr_image_handle_poll, (&kept.kept, receive, &received, 1), -1, ABR_ERROR_CLOSED, "closed");
    ABR_EXPECT_ERROR(abr_subscription_image_at_index, (subscription, 0, &image), -1, ABR_ERROR_CLOSED, "closed");
    ABR_EXPECT_ERROR(
        abr_subscription_image_by_session_id, (subscription, image.session_id, &image), -1, ABR_ERROR_CLOSED, "closed");

    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_client_close(client));
}

typedef struct
{
    abr_image_handle_t image;
    _Atomic int stop;
    _Atomic int closed_errors;
    _Atomic int other_errors;
}
racer_t;

static void *poll_until_closed(void *argument)
{
    racer_t *racer = argument;
    received_t received;
    memset(&received, 0, sizeof(received));
    while (!racer->stop)
    {
        received.count = 0;
        if (abr_image_handle_poll(&racer->image, receive, &received, 10) < 0 ||
            abr_image_handle_position(&racer->image) < 0)
        {
            if (ABR_ERROR_CLOSED == abr_errcode())
            {
                racer->closed_errors++;
                return NULL;
            }
            racer->other_errors++;
            return NULL;
        }
    }
    return NULL;
}

static void test_a_close_racing_image_calls_gives_them_a_clean_closed(void)
{
    for (int round = 0; round < 20; round++)
    {
        abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
        abr_subscription_t *subscription = NULL;
        CHECK_OK(abr_client_add_subscription(&subscription, client, CHANNEL, 4004));
        abr_exclusive_publication_t *publication = NULL;
        CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, 4004));
        wait_for_images(subscription, 1);
        racer_t racer;
        memset(&racer, 0, sizeof(racer));
        CHECK_OK(abr_subscription_image_at_index(subscription, 0, &racer.image));
        pthread_t thread;
        ABR_CHECK(0 == pthread_create(&thread, NULL, poll_until_closed, &racer));
        for (int i = 0; i < round; i++)
        {
            offer(publication, (uint8_t)i);
        }
        CHECK_OK(abr_subscription_close(subscription));
        int64_t deadline = abr_nano_time() + SECONDS(10);
        while (0 == racer.closed_errors + racer.other_errors && abr_nano_time() < deadline)
        {
            abr_sleep_ms(1);
        }
        racer.stop = 1;
        ABR_CHECK(0 == pthread_join(thread, NULL));
        ABR_CHECK(1 == racer.closed_errors && 0 == racer.other_errors);
        CHECK_OK(abr_exclusive_publication_close(publication));
        CHECK_OK(abr_client_close(client));
    }
}

static void test_each_bad_argument_is_named(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, CHANNEL, 4005));
    abr_image_handle_t image;
    memset(&image, 0, sizeof(image));
    abr_image_info_t info;
    memset(&info, 0, sizeof(info));
    abr_image_ref_t ref;
    received_t received;

    ABR_EXPECT_INVALID(abr_subscription_image_by_session_id, (NULL, 1, &image), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_image_by_session_id, (subscription, 1, NULL), -1, "image out-pointer");
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (NULL, 0, &image), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (subscription, 0, NULL), -1, "image out-pointer");
    ABR_EXPECT_INVALID(abr_subscription_image_at_index, (subscription, 0, &image), -1, "imageCount=0");
    ABR_EXPECT_INVALID(abr_image_handle_from_info, (NULL, subscription, &info), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_from_info, (&image, NULL, &info), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_from_info, (&image, subscription, NULL), -1, "info must not be null");
    ABR_EXPECT_RETURNS(abr_image_handle_is_closed, (NULL), true);
    /* A handle never filled names no subscription. */
    ABR_EXPECT_RETURNS(abr_image_handle_is_closed, (&image), true);
    ABR_EXPECT_INVALID(abr_image_handle_position, (NULL), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_position, (&image), -1, "image.subscription must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_set_position, (NULL, 0), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_is_end_of_stream, (NULL), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_poll, (NULL, receive, &received, 1), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_poll, (&image, NULL, &received, 1), -1, "handler must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_controlled_poll, (NULL, receive_controlled, &received, 1), -1, "image must");
    ABR_EXPECT_INVALID(abr_image_handle_controlled_poll, (&image, NULL, &received, 1), -1, "handler must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_bounded_poll, (NULL, receive, &received, 0, 1), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_bounded_poll, (&image, NULL, &received, 0, 1), -1, "handler must not be null");
    ABR_EXPECT_INVALID(
        abr_image_handle_bounded_controlled_poll, (NULL, receive_controlled, &received, 0, 1), -1, "image must");
    ABR_EXPECT_INVALID(
        abr_image_handle_bounded_controlled_poll, (&image, NULL, &received, 0, 1), -1, "handler must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_poll_ref, (NULL, &ref), -1, "image must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_poll_ref, (&image, NULL), -1, "ref must not be null");
    ABR_EXPECT_INVALID(abr_image_handle_poll_ref_done, (NULL), -1, "image must not be null");

    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
    ABR_EXPECT_ALL_PASSED();
}

int main(void)
{
    abr_test_driver_start(&g_driver, NULL);
    ABR_RUN(test_handles_found_by_session_and_index_describe_their_image);
    ABR_RUN(test_polls_bounded_and_controlled_and_the_position_moved_by_hand);
    ABR_RUN(test_a_handle_outlives_its_subscription_and_handlers_keep_images);
    ABR_RUN(test_a_close_racing_image_calls_gives_them_a_clean_closed);
    ABR_EXPECT_RUN(test_each_bad_argument_is_named);
    abr_test_driver_stop(&g_driver);
    ABR_EXPECT_ALL_PASSED();
    return 0;
}
