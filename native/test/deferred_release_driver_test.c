/*
 * The core's deferred release (core/deferred_release.h) against a real Media Driver: handles given to the conductor
 * stay open while their condition does not hold and their deadline is ahead, and are removed (from the driver's
 * counters too) once it holds or the deadline passes; bad arguments are refused and the condition's clientd is freed
 * whatever happens (ASan's leak check in .ci/native-sanitized); a client closed with releases pending lets them finish
 * within their deadline, and one closed by its conductor (as on driver loss) drops them cleanly.
 */
#include <stdio.h>
#include <stdlib.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/atomics.h"
#include "core/clock.h"
#include "core/conductor.h"
#include "core/counters.h"
#include "core/deferred_release.h"
#include "core/exclusive_publication.h"
#include "core/subscription.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK
/* CountersReader type ids (AeronCounters 1.51.0): a publication's limit and a subscriber's position. */
#define PUBLISHER_LIMIT_TYPE_ID 1
#define WAIT_NS (10LL * 1000 * 1000 * 1000)
#define CHANNEL "aeron:ipc"
#define STREAM_ID 1017

static abr_test_driver_t g_driver;

typedef struct flag_stct
{
    int holds;
}
flag_t;

static bool flag_holds(void *clientd)
{
    return 0 != abr_load_int_acquire(&((flag_t *)clientd)->holds);
}

static bool counter_present(abr_client_t *client, int32_t type_id, int64_t registration_id)
{
    uint8_t key[8];
    abr_put_int64(key, registration_id);
    return abr_counters_find(client, type_id, key, sizeof(key)) >= 0;
}

static int pending_count(abr_client_t *client)
{
    pthread_mutex_lock(&client->lock);
    int count = abr_deferred_releases_count(client);
    pthread_mutex_unlock(&client->lock);
    return count;
}

static void add_pair(abr_client_t *client, abr_exclusive_publication_t **publication, abr_subscription_t **subscription)
{
    CHECK_OK(abr_client_add_subscription(subscription, client, CHANNEL, STREAM_ID));
    CHECK_OK(abr_client_add_exclusive_publication(publication, client, CHANNEL, STREAM_ID));
    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (0 == abr_subscription_image_count(*subscription))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        ABR_CHECK(abr_client_do_work(client) >= 0);
        abr_sleep_ms(1);
    }
}

static flag_t *new_flag(void)
{
    flag_t *flag = calloc(1, sizeof(*flag));
    ABR_CHECK(NULL != flag);
    return flag;
}

static void test_bad_arguments_are_refused_and_clientd_freed(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 30000);
    abr_client_t *other = abr_test_connect(&g_driver, true, 30000);
    abr_exclusive_publication_t *publication = NULL;
    abr_subscription_t *subscription = NULL;
    add_pair(client, &publication, &subscription);
    const int64_t deadline = abr_nano_time() + WAIT_NS;

    ABR_CHECK(-1 == abr_client_release_when(NULL, publication, subscription, flag_holds, new_flag(), deadline));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_client_release_when(client, NULL, subscription, flag_holds, new_flag(), deadline));
    ABR_CHECK(-1 == abr_client_release_when(client, publication, NULL, flag_holds, new_flag(), deadline));
    ABR_CHECK(-1 == abr_client_release_when(client, publication, subscription, NULL, new_flag(), deadline));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_client_release_when(other, publication, subscription, flag_holds, new_flag(), deadline));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    printf("    %s\n", abr_errmsg());
    CHECK_OK(abr_subscription_close(subscription));
    ABR_CHECK(-1 == abr_client_release_when(client, publication, subscription, flag_holds, new_flag(), deadline));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());
    ABR_CHECK(0 == pending_count(client));
    ABR_CHECK(!abr_exclusive_publication_is_closed(publication));

    CHECK_OK(abr_client_close(other));
    CHECK_OK(abr_client_close(client));
}

static void await_released(abr_client_t *client, abr_exclusive_publication_t *publication,
    abr_subscription_t *subscription, int64_t publication_id, int64_t subscription_id)
{
    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (0 != pending_count(client))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(abr_exclusive_publication_is_closed(publication));
    ABR_CHECK(abr_subscription_is_closed(subscription));
    while (counter_present(client, PUBLISHER_LIMIT_TYPE_ID, publication_id) ||
        counter_present(client, ABR_COUNTER_SUBSCRIBER_POSITION_TYPE_ID, subscription_id))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static void test_released_once_the_condition_holds(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 30000);
    abr_exclusive_publication_t *publication = NULL;
    abr_subscription_t *subscription = NULL;
    add_pair(client, &publication, &subscription);
    const int64_t publication_id = publication->registration_id;
    const int64_t subscription_id = subscription->registration_id;
    ABR_CHECK(counter_present(client, PUBLISHER_LIMIT_TYPE_ID, publication_id));
    ABR_CHECK(counter_present(client, ABR_COUNTER_SUBSCRIBER_POSITION_TYPE_ID, subscription_id));

    flag_t *flag = new_flag();
    CHECK_OK(abr_client_release_when(client, publication, subscription, flag_holds, flag, abr_nano_time() + 60 * WAIT_NS));
    /* Several conductor rounds (1 ms apart) with the condition false: nothing goes. */
    abr_sleep_ms(50);
    ABR_CHECK(1 == pending_count(client));
    ABR_CHECK(!abr_exclusive_publication_is_closed(publication));
    ABR_CHECK(!abr_subscription_is_closed(subscription));

    abr_store_int_release(&flag->holds, 1);
    await_released(client, publication, subscription, publication_id, subscription_id);
    CHECK_OK(abr_client_close(client));
}

static void test_released_at_the_deadline_when_the_condition_never_holds(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 30000);
    abr_exclusive_publication_t *publication = NULL;
    abr_subscription_t *subscription = NULL;
    add_pair(client, &publication, &subscription);
    const int64_t start = abr_nano_time();
    const int64_t bound_ns = 200LL * 1000 * 1000;
    CHECK_OK(abr_client_release_when(client, publication, subscription, flag_holds, new_flag(), start + bound_ns));
    await_released(client, publication, subscription, publication->registration_id, subscription->registration_id);
    ABR_CHECK(abr_nano_time() - start >= bound_ns);
    CHECK_OK(abr_client_close(client));
}

static void test_a_client_closed_with_releases_pending_lets_them_finish_within_their_deadline(bool conductor_thread)
{
    abr_client_t *client = abr_test_connect(&g_driver, conductor_thread, 30000);
    abr_client_t *observer = abr_test_connect(&g_driver, true, 30000);
    abr_exclusive_publication_t *publication = NULL;
    abr_subscription_t *subscription = NULL;
    add_pair(client, &publication, &subscription);
    const int64_t publication_id = publication->registration_id;
    const int64_t subscription_id = subscription->registration_id;
    flag_t *flag = new_flag();
    const int64_t start = abr_nano_time();
    const int64_t bound_ns = 200LL * 1000 * 1000;
    CHECK_OK(abr_client_release_when(client, publication, subscription, flag_holds, flag, start + bound_ns));
    CHECK_OK(abr_client_close(client));
    const int64_t took = abr_nano_time() - start;
    printf("    closed with a release pending (conductor thread %s) in %.1f ms\n", conductor_thread ? "yes" : "no",
        (double)took / 1e6);
    ABR_CHECK(took >= bound_ns && took < WAIT_NS);

    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (counter_present(observer, PUBLISHER_LIMIT_TYPE_ID, publication_id) ||
        counter_present(observer, ABR_COUNTER_SUBSCRIBER_POSITION_TYPE_ID, subscription_id))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    CHECK_OK(abr_client_close(observer));
}

static void test_a_client_closed_with_a_thread_and_releases_pending(void)
{
    test_a_client_closed_with_releases_pending_lets_them_finish_within_their_deadline(true);
}

static void test_a_client_closed_without_a_thread_and_releases_pending(void)
{
    test_a_client_closed_with_releases_pending_lets_them_finish_within_their_deadline(false);
}

static void test_a_client_closed_by_its_conductor_drops_pending_releases(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 30000);
    abr_exclusive_publication_t *publication = NULL;
    abr_subscription_t *subscription = NULL;
    add_pair(client, &publication, &subscription);
    CHECK_OK(abr_client_release_when(
        client, publication, subscription, flag_holds, new_flag(), abr_nano_time() + 60 * WAIT_NS));
    /* As the conductor closes a client whose driver it found gone. */
    pthread_mutex_lock(&client->lock);
    abr_conductor_close_with(client, ABR_ERROR_DRIVER_TIMEOUT, "driver declared gone by the test");
    pthread_mutex_unlock(&client->lock);
    const int64_t start = abr_nano_time();
    CHECK_OK(abr_client_close(client));
    ABR_CHECK(abr_nano_time() - start < WAIT_NS);
}

int main(void)
{
    abr_test_driver_start(&g_driver, NULL);
    ABR_RUN(test_bad_arguments_are_refused_and_clientd_freed);
    ABR_RUN(test_released_once_the_condition_holds);
    ABR_RUN(test_released_at_the_deadline_when_the_condition_never_holds);
    ABR_RUN(test_a_client_closed_with_a_thread_and_releases_pending);
    ABR_RUN(test_a_client_closed_without_a_thread_and_releases_pending);
    ABR_RUN(test_a_client_closed_by_its_conductor_drops_pending_releases);
    abr_test_driver_stop(&g_driver);
    return 0;
}
