/*
 * Subscriptions against a real Java Media Driver: image handlers with several images, end of stream,
 * the subscriber position counter, two-step zero-copy polling, controlled poll, and misuse: with a live subscription,
 * each argument after it given NULL or a value out of range in turn (the rest of api_arguments_test.c, which needs no
 * driver).
 */
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

static abr_test_driver_t g_driver;

typedef struct
{
    int available;
    int unavailable;
    int32_t sessions[4];
    abr_image_info_t last_unavailable;
    char source_identity[128];
}
images_t;

static void on_available(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image)
{
    images_t *images = clientd;
    ABR_CHECK(images->available < 4);
    images->sessions[images->available++] = image->session_id;
    snprintf(images->source_identity, sizeof(images->source_identity), "%s", image->source_identity);
}

static void on_unavailable(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image)
{
    images_t *images = clientd;
    images->unavailable++;
    images->last_unavailable = *image;
}

static int g_counted;

static void count(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    int32_t *session = clientd;
    if (NULL != session)
    {
        *session = header->session_id;
    }
    g_counted++;
}

static void offer(abr_exclusive_publication_t *publication, uint8_t byte, size_t length)
{
    uint8_t message[256];
    memset(message, byte, sizeof(message));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_exclusive_publication_offer(publication, message, length) < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static void test_images_come_and_go_with_their_handlers(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    images_t images;
    memset(&images, 0, sizeof(images));
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription_with_handlers(
        &subscription, client, "aeron:ipc", 3001, on_available, &images, on_unavailable, &images));
    abr_exclusive_publication_t *first = NULL;
    abr_exclusive_publication_t *second = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&first, client, "aeron:ipc", 3001));
    CHECK_OK(abr_client_add_exclusive_publication(&second, client, "aeron:ipc", 3001));

    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_subscription_image_count(subscription) < 2 || images.available < 2)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(images.sessions[0] != images.sessions[1]);
    abr_image_info_t listed[2];
    CHECK_OK(abr_subscription_image_at(subscription, 0, &listed[0]));
    CHECK_OK(abr_subscription_image_at(subscription, 1, &listed[1]));
    ABR_CHECK(listed[0].session_id != listed[1].session_id);
    ABR_CHECK(listed[0].session_id == images.sessions[0] || listed[0].session_id == images.sessions[1]);
    ABR_CHECK(3001 == listed[0].stream_id && listed[0].term_buffer_length > 0 && 1408 == listed[0].mtu_length);
    ABR_CHECK(-1 == abr_subscription_image_at(subscription, 2, &listed[0]));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode() && NULL != strstr(abr_errmsg(), "imageCount=2"));
    ABR_CHECK_STR_EQ("aeron:ipc", images.source_identity);
    int32_t first_session = abr_exclusive_publication_session_id(first);

    for (int i = 0; i < 5; i++)
    {
        offer(first, 1, 100);
        offer(second, 2, 100);
    }
    g_counted = 0;
    deadline = abr_nano_time() + SECONDS(10);
    while (g_counted < 10)
    {
        /* A limit of one still reaches both images, taking turns. */
        CHECK_OK(abr_subscription_poll(subscription, count, NULL, 1));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(10 == g_counted);

    /* The subscriber position counter the driver reads is the one poll moves, found by type and key. */
    abr_image_info_t info;
    CHECK_OK(abr_subscription_image_info(subscription, first_session, &info));
    int64_t counter_value = 0;
    CHECK_OK(abr_counters_value(client, info.subscriber_position_id, &counter_value));
    ABR_CHECK(counter_value == abr_subscription_image_position(subscription, first_session));
    ABR_CHECK(counter_value == abr_exclusive_publication_position(first));
    uint8_t key[12];
    int64_t registration_id = abr_subscription_registration_id(subscription);
    memcpy(key, &registration_id, 8);
    memcpy(key + 8, &first_session, 4);
    int32_t found = -1;
    ABR_CHECK(1 == abr_counters_find_by_type_id_and_key(client, 4, key, sizeof(key), &found));
    ABR_CHECK(found == info.subscriber_position_id);
    char label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
    ABR_CHECK(abr_counters_label(client, found, label, sizeof(label)) > 0);
    ABR_CHECK(NULL != strstr(label, "sub-pos"));
    int32_t type_id = -1;
    CHECK_OK(abr_counters_type_id(client, found, &type_id));
    ABR_CHECK(4 == type_id);

    ABR_CHECK(0 == abr_subscription_image_is_end_of_stream(subscription, first_session));
    offer(first, 3, 10);
    CHECK_OK(abr_exclusive_publication_close(first));
    /* Closed, the publisher's stream ends where it stopped; the image goes once that has been consumed. */
    g_counted = 0;
    deadline = abr_nano_time() + SECONDS(15);
    while (0 == images.unavailable)
    {
        CHECK_OK(abr_subscription_poll(subscription, count, NULL, 10));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(1 == g_counted);
    ABR_CHECK(first_session == images.last_unavailable.session_id);
    ABR_CHECK(images.last_unavailable.end_of_stream);
    ABR_CHECK(-1 == abr_subscription_image_is_end_of_stream(subscription, first_session));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode() && NULL != strstr(abr_errmsg(), "no image"));
    deadline = abr_nano_time() + SECONDS(5);
    while (1 != abr_subscription_image_count(subscription))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    /* Closing the subscription reports the image it still had. */
    CHECK_OK(abr_subscription_close(subscription));
    ABR_CHECK(2 == images.unavailable && abr_exclusive_publication_session_id(second) == images.last_unavailable.session_id);
    CHECK_OK(abr_exclusive_publication_close(second));
    CHECK_OK(abr_client_close(client));
}

static abr_controlled_action_t abort_then_commit(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    int *calls = clientd;
    (*calls)++;
    return 1 == *calls ? ABR_ACTION_ABORT : ABR_ACTION_COMMIT;
}

static abr_subscription_t *g_reentrant;
static int g_reentrant_result;
static bool g_reentrant_connected;

static void call_back_in(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    g_reentrant_result = abr_subscription_image_count(g_reentrant);
    g_reentrant_connected = abr_subscription_is_connected(g_reentrant);
}

static void test_two_step_and_controlled_polling(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, false, 10000);
    abr_subscription_t *subscription = NULL;
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc", 3002));
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, "aeron:ipc", 3002));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_subscription_image_count(subscription) < 1)
    {
        CHECK_OK(abr_client_do_work(client));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    for (int i = 0; i < 5; i++)
    {
        offer(publication, (uint8_t)(10 + i), 40);
    }

    abr_frame_ref_t frames[8];
    int found = 0;
    deadline = abr_nano_time() + SECONDS(10);
    while (5 != (found = abr_subscription_poll_frames(subscription, frames, 8)))
    {
        ABR_CHECK(found >= 0 && abr_nano_time() < deadline);
        CHECK_OK(abr_subscription_poll_frames_done(subscription, 0));
    }
    ABR_CHECK(72 == *(const int32_t *)(const void *)frames[0].frame);
    ABR_CHECK(10 == frames[0].frame[ABR_FRAME_HEADER_LENGTH] && 14 == frames[4].frame[ABR_FRAME_HEADER_LENGTH]);
    /* The images stay locked between the steps: the same thread may not poll again in between. */
    ABR_CHECK(-1 == abr_subscription_poll(subscription, count, NULL, 10));
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == abr_errcode());
    CHECK_OK(abr_subscription_poll_frames_done(subscription, 2));
    int32_t session = abr_exclusive_publication_session_id(publication);
    ABR_CHECK(2 * 96 == abr_subscription_image_position(subscription, session));
    ABR_CHECK(3 == abr_subscription_poll_frames(subscription, frames, 8));
    ABR_CHECK(12 == frames[0].frame[ABR_FRAME_HEADER_LENGTH]);
    CHECK_OK(abr_subscription_poll_frames_done(subscription, 8));
    ABR_CHECK(5 * 96 == abr_subscription_image_position(subscription, session));
    ABR_CHECK(-1 == abr_subscription_poll_frames_done(subscription, 1));
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == abr_errcode());

    offer(publication, 20, 40);
    int calls = 0;
    ABR_CHECK(0 == abr_subscription_controlled_poll(subscription, abort_then_commit, &calls, 10));
    ABR_CHECK(5 * 96 == abr_subscription_image_position(subscription, session));
    ABR_CHECK(1 == abr_subscription_controlled_poll(subscription, abort_then_commit, &calls, 10));
    ABR_CHECK(6 * 96 == abr_subscription_image_position(subscription, session));

    /* Calling back into the subscription from its own handler is refused, not a deadlock; is_connected, which reads
     * no image, still answers (it read the image count under the lock, and was false there). */
    offer(publication, 21, 40);
    g_reentrant = subscription;
    ABR_CHECK(1 == abr_subscription_poll(subscription, call_back_in, NULL, 10));
    ABR_CHECK(-1 == g_reentrant_result);
    ABR_CHECK(g_reentrant_connected);

    ABR_CHECK(-1 == abr_subscription_poll(NULL, count, NULL, 1));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode() && NULL != strstr(abr_errmsg(), "subscription=null"));
    ABR_CHECK(-1 == abr_subscription_poll(subscription, NULL, NULL, 1));
    ABR_CHECK(-1 == abr_subscription_controlled_poll(subscription, NULL, NULL, 1));
    ABR_CHECK(-1 == abr_subscription_poll_frames(subscription, NULL, 1));
    ABR_CHECK(-1 == abr_subscription_poll_frames(subscription, frames, -1));
    ABR_CHECK(-1 == abr_subscription_image_position(subscription, session + 1));
    ABR_CHECK(abr_subscription_is_closed(NULL) && !abr_subscription_is_connected(NULL));
    ABR_CHECK(0 == abr_subscription_close(NULL));
    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));

    /* A closed subscription's handle stays safe until the client goes: every poll fails with CLOSED. */
    ABR_CHECK(-1 == abr_subscription_poll(subscription, count, NULL, 10));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode() && NULL != strstr(abr_errmsg(), "streamId=3002"));
    ABR_CHECK(-1 == abr_subscription_controlled_poll(subscription, abort_then_commit, &calls, 10));
    ABR_CHECK(-1 == abr_subscription_poll_frames(subscription, frames, 8));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());
    ABR_CHECK(abr_subscription_is_closed(subscription) && 0 == abr_subscription_image_count(subscription));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

static abr_controlled_action_t count_controlled(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    count(clientd, buffer, length, header);
    return ABR_ACTION_CONTINUE;
}

static void test_each_bad_argument_is_named_on_a_live_subscription(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc", 3005));
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, "aeron:ipc", 3005));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_subscription_image_count(subscription) < 1)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    offer(publication, 7, 40);
    const int32_t session = abr_exclusive_publication_session_id(publication);
    const int32_t stranger = session + 1;
    abr_frame_ref_t frames[4];
    abr_image_ref_t images[4];
    abr_image_info_t info;
    g_counted = 0;

    ABR_EXPECT_INVALID(abr_subscription_poll, (subscription, NULL, NULL, 10), -1, "handler must not be null");
    ABR_EXPECT_INVALID(abr_subscription_controlled_poll, (subscription, NULL, NULL, 10), -1, "handler must not be null");
    ABR_EXPECT_INVALID(abr_subscription_poll_frames, (subscription, NULL, 4), -1, "frames=null");
    ABR_EXPECT_INVALID(abr_subscription_poll_frames, (subscription, frames, -1), -1, "fragmentLimit=-1");
    ABR_EXPECT_INVALID(abr_subscription_poll_frames_done, (subscription, -1), -1, "consumed=-1");
    ABR_EXPECT_ERROR(abr_subscription_poll_frames_done, (subscription, 0), -1, ABR_ERROR_ILLEGAL_STATE,
        "without a poll_frames");
    ABR_EXPECT_INVALID(abr_subscription_poll_images, (subscription, NULL, 4), -1, "images=null");
    ABR_EXPECT_INVALID(abr_subscription_poll_images, (subscription, images, -1), -1, "capacity=-1");
    ABR_EXPECT_ERROR(abr_subscription_poll_images_done, (subscription), -1, ABR_ERROR_ILLEGAL_STATE,
        "without a poll_images");
    ABR_EXPECT_INVALID(abr_subscription_image_is_end_of_stream, (subscription, stranger), -1, "no image of sessionId=");
    ABR_EXPECT_INVALID(abr_subscription_image_position, (subscription, stranger), -1, "no image of sessionId=");
    ABR_EXPECT_INVALID(abr_subscription_image_info, (subscription, session, NULL), -1, "info out-pointer");
    ABR_EXPECT_INVALID(abr_subscription_image_info, (subscription, stranger, &info), -1, "no image of sessionId=");
    ABR_EXPECT_INVALID(abr_subscription_image_at, (subscription, 0, NULL), -1, "info out-pointer");
    ABR_EXPECT_INVALID(abr_subscription_image_at, (subscription, -1, &info), -1, "index=-1 is out of range");
    ABR_EXPECT_INVALID(abr_subscription_image_at, (subscription, 1, &info), -1, "index=1 is out of range, imageCount=1");

    /* Nothing was consumed by the refused calls: the message is still there for a proper poll. */
    ABR_CHECK(0 == g_counted);
    ABR_CHECK(0 == abr_subscription_image_position(subscription, session));
    ABR_EXPECT_RETURNS(abr_subscription_controlled_poll, (subscription, count_controlled, NULL, 10), 1);
    ABR_CHECK(1 == g_counted);
    /* A fragment limit of 0 (or below) reads nothing. */
    offer(publication, 8, 40);
    ABR_EXPECT_RETURNS(abr_subscription_poll, (subscription, count, NULL, 0), 0);
    ABR_EXPECT_RETURNS(abr_subscription_poll, (subscription, count, NULL, -1), 0);
    ABR_CHECK(1 == g_counted);

    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
    ABR_EXPECT_ALL_PASSED();
}

/* poll_images hands out the terms and position for the caller to walk; the images stay locked until done. */
static void test_polling_over_handed_out_images(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, false, 10000);
    abr_subscription_t *subscription = NULL;
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc?term-length=64k", 3004));
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, "aeron:ipc?term-length=64k", 3004));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_subscription_image_count(subscription) < 1)
    {
        CHECK_OK(abr_client_do_work(client));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    for (int i = 0; i < 3; i++)
    {
        offer(publication, (uint8_t)(30 + i), 40);
    }

    abr_image_ref_t images[2];
    ABR_CHECK(1 == abr_subscription_poll_images(subscription, images, 2));
    int32_t session = abr_exclusive_publication_session_id(publication);
    ABR_CHECK(session == images[0].session_id && 64 * 1024 == images[0].term_length);
    ABR_CHECK(16 == images[0].position_bits_to_shift);
    ABR_CHECK(abr_exclusive_publication_initial_term_id(publication) == images[0].initial_term_id);
    int64_t position;
    memcpy(&position, images[0].subscriber_position, sizeof(position));
    ABR_CHECK(0 == position);
    /* Three frames of 40 + 32 bytes, each taking 96 in the term, the first payload byte telling which. */
    for (int i = 0; i < 3; i++)
    {
        int32_t frame_length;
        memcpy(&frame_length, images[0].terms + i * 96, sizeof(frame_length));
        ABR_CHECK(72 == frame_length && 30 + i == images[0].terms[i * 96 + ABR_FRAME_HEADER_LENGTH]);
    }
    /* Locked until done: another poll on this thread is refused. */
    ABR_CHECK(-1 == abr_subscription_poll(subscription, count, NULL, 10));
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == abr_errcode());
    __atomic_store_n((int64_t *)(void *)images[0].subscriber_position, (int64_t)(2 * 96), __ATOMIC_RELEASE);
    CHECK_OK(abr_subscription_poll_images_done(subscription));
    ABR_CHECK(2 * 96 == abr_subscription_image_position(subscription, session));
    g_counted = 0;
    ABR_CHECK(1 == abr_subscription_poll(subscription, count, NULL, 10) && 1 == g_counted);

    ABR_CHECK(-1 == abr_subscription_poll_images_done(subscription));
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == abr_errcode() && NULL != strstr(abr_errmsg(), "streamId=3004"));
    ABR_CHECK(-1 == abr_subscription_poll_images(subscription, NULL, 1));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_subscription_poll_images(subscription, images, -1));
    ABR_CHECK(-1 == abr_subscription_poll_images(NULL, images, 1));
    ABR_CHECK(-1 == abr_subscription_poll_images_done(NULL));
    ABR_CHECK(0 == abr_subscription_poll_images(subscription, images, 0));
    CHECK_OK(abr_subscription_poll_images_done(subscription));

    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
    ABR_CHECK(-1 == abr_subscription_poll_images(subscription, images, 2));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());
    CHECK_OK(abr_client_close(client));
}

static void test_local_socket_address_of_an_ephemeral_port(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:udp?endpoint=localhost:0", 3003));
    int32_t status_id = abr_subscription_channel_status_id(subscription);
    ABR_CHECK(status_id > 0);
    char address[64];
    int length = 0;
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (0 == (length = abr_client_find_local_socket_address(client, status_id, address, sizeof(address))))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(length > 0 && (size_t)length == strlen(address));
    const char *port = strrchr(address, ':');
    ABR_CHECK(NULL != port && atoi(port + 1) > 0);
    printf("    endpoint=localhost:0 is bound to %s\n", address);
    ABR_CHECK(-1 == abr_client_find_local_socket_address(client, status_id, address, 4));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(0 == abr_client_find_local_socket_address(client, 999999, address, sizeof(address)));

    int32_t type_id = -1;
    CHECK_OK(abr_counters_type_id(client, status_id, &type_id));
    ABR_CHECK(7 == type_id);
    int64_t value = 0;
    ABR_CHECK(-1 == abr_counters_value(client, -1, &value));
    ABR_CHECK(-1 == abr_counters_value(client, abr_counters_max_counter_id(client) + 1, &value));
    ABR_CHECK(-1 == abr_counters_value(client, 0, NULL));
    ABR_CHECK(-1 == abr_counters_value(NULL, 0, &value));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

int main(void)
{
    abr_test_driver_start(&g_driver, NULL);
    ABR_RUN(test_images_come_and_go_with_their_handlers);
    ABR_RUN(test_two_step_and_controlled_polling);
    ABR_RUN(test_polling_over_handed_out_images);
    ABR_RUN(test_each_bad_argument_is_named_on_a_live_subscription);
    ABR_RUN(test_local_socket_address_of_an_ephemeral_port);
    abr_test_driver_stop(&g_driver);
    return 0;
}
