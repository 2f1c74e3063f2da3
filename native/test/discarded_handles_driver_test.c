/*
 * Handles the library gives up (core/discarded_handles.h), against a real Media Driver and Archive: an archive client
 * connected and closed again and again on one shared core leaves nothing behind on it once the linger has passed
 * (before, every connection left its request publication and response subscription on the core's lists for the
 * core's lifetime); a discarded pair stays allocated through the linger and is freed after it; a user's closed
 * subscription is still kept, answering CLOSED, as the header promises; a persistent subscription on a shared core
 * leaves none of its replay and live subscriptions behind once it is live and closed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/atomics.h"
#include "core/clock.h"
#include "core/conductor.h"
#include "core/counters.h"
#include "core/deferred_release.h"
#include "core/discarded_handles.h"
#include "core/exclusive_publication.h"
#include "core/publication.h"
#include "core/subscription.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK
/* AeronCounters 1.51.0: a publication's limit. */
#define PUBLISHER_LIMIT_TYPE_ID 1
#define WAIT_NS (20LL * 1000 * 1000 * 1000)
#define CHANNEL "aeron:ipc"
#define STREAM_ID 1019
#define CONNECTIONS 40
#define RECORDED_STREAM_ID 1023
#define REPLAY_STREAM_ID 1024

static abr_test_driver_t g_driver;
static char g_control_channel[128];

typedef struct handle_counts_stct
{
    int publications;
    int shared_publications;
    int subscriptions;
}
handle_counts_t;

static abr_client_t *connect_with_linger(uint64_t linger_ns)
{
    abr_context_t *context = NULL;
    CHECK_OK(abr_context_init(&context));
    CHECK_OK(abr_context_set_dir(context, g_driver.dir));
    CHECK_OK(abr_context_set_use_conductor_thread(context, true));
    CHECK_OK(abr_context_set_driver_timeout_ms(context, 30000));
    CHECK_OK(abr_context_set_resource_linger_ns(context, linger_ns));
    abr_client_t *client = NULL;
    CHECK_OK(abr_client_connect(&client, context));
    abr_context_close(context);
    return client;
}

static handle_counts_t handle_counts(abr_client_t *client)
{
    handle_counts_t counts = { 0, 0, 0 };
    pthread_mutex_lock(&client->lock);
    for (abr_exclusive_publication_t *p = client->publications; NULL != p; p = p->next)
    {
        counts.publications++;
    }
    for (abr_publication_t *p = client->shared_publications; NULL != p; p = p->next)
    {
        counts.shared_publications++;
    }
    for (abr_subscription_t *s = client->subscriptions; NULL != s; s = s->next)
    {
        counts.subscriptions++;
    }
    pthread_mutex_unlock(&client->lock);
    return counts;
}

static int waiting_count(abr_client_t *client)
{
    pthread_mutex_lock(&client->lock);
    int count = abr_deferred_releases_count(client) + abr_discarded_handles_count(client);
    pthread_mutex_unlock(&client->lock);
    return count;
}

static void await_nothing_waiting(abr_client_t *client)
{
    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (waiting_count(client) > 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(5);
    }
}

static bool counter_present(abr_client_t *client, int32_t type_id, int64_t registration_id)
{
    uint8_t key[8];
    abr_put_int64(key, registration_id);
    return abr_counters_find(client, type_id, key, sizeof(key)) >= 0;
}

static void test_archive_connections_on_a_shared_core_leave_no_handles_behind(void)
{
    abr_client_t *core = connect_with_linger(20LL * 1000 * 1000);
    handle_counts_t before = handle_counts(core);
    for (int i = 0; i < CONNECTIONS; i++)
    {
        abr_archive_t *archive = abr_test_connect_archive(&g_driver, core, g_control_channel);
        int64_t position = 0;
        /* A request and its answer (a position, or an error for an unknown recording), so each connection is used as
         * an application would. */
        (void)abr_archive_get_recording_position(&position, archive, 0);
        CHECK_OK(abr_archive_close(archive));
    }
    await_nothing_waiting(core);
    handle_counts_t after = handle_counts(core);
    fprintf(stderr, "after %d archive connections: publications %d -> %d, subscriptions %d -> %d\n", CONNECTIONS,
        before.publications, after.publications, before.subscriptions, after.subscriptions);
    ABR_CHECK(after.publications == before.publications);
    ABR_CHECK(after.subscriptions == before.subscriptions);
    CHECK_OK(abr_client_close(core));
}

static void test_a_discarded_pair_lives_through_the_linger_and_goes_after_it(void)
{
    const int64_t linger_ns = 300LL * 1000 * 1000;
    abr_client_t *client = connect_with_linger((uint64_t)linger_ns);
    handle_counts_t before = handle_counts(client);
    abr_subscription_t *subscription = NULL;
    abr_exclusive_publication_t *publication = NULL;
    abr_publication_t *shared = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, CHANNEL, STREAM_ID));
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, STREAM_ID));
    CHECK_OK(abr_client_add_publication(&shared, client, CHANNEL, STREAM_ID + 1));
    const int64_t publication_id = publication->registration_id;
    ABR_CHECK(counter_present(client, PUBLISHER_LIMIT_TYPE_ID, publication_id));

    const int64_t discarded_at = abr_nano_time();
    CHECK_OK(abr_exclusive_publication_discard(publication));
    CHECK_OK(abr_subscription_discard(subscription));
    CHECK_OK(abr_publication_discard(shared));
    handle_counts_t during = handle_counts(client);
    int64_t freed_after_ns = -1;
    if (abr_nano_time() - discarded_at < linger_ns / 2)
    {
        /* Still there within the linger: a call that raced the discard finishes on mapped memory. */
        ABR_CHECK(during.publications == before.publications + 1);
        ABR_CHECK(during.shared_publications == before.shared_publications + 1);
        ABR_CHECK(during.subscriptions == before.subscriptions + 1);
        ABR_CHECK(3 == waiting_count(client));
    }
    await_nothing_waiting(client);
    freed_after_ns = abr_nano_time() - discarded_at;
    ABR_CHECK(freed_after_ns >= linger_ns);
    handle_counts_t after = handle_counts(client);
    ABR_CHECK(after.publications == before.publications);
    ABR_CHECK(after.shared_publications == before.shared_publications);
    ABR_CHECK(after.subscriptions == before.subscriptions);

    /* The driver was told as by a close. */
    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (counter_present(client, PUBLISHER_LIMIT_TYPE_ID, publication_id))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(5);
    }
    CHECK_OK(abr_client_close(client));
}

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)clientd;
    (void)buffer;
    (void)length;
    (void)header;
}

typedef struct self_discard_stct
{
    abr_subscription_t *subscription;
    int result;
    int code;
}
self_discard_t;

static void discard_own_subscription(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)buffer;
    (void)length;
    (void)header;
    self_discard_t *self = clientd;
    self->result = abr_subscription_discard(self->subscription);
    self->code = abr_errcode();
}

static void test_a_handler_cannot_discard_its_own_subscription(void)
{
    abr_client_t *client = connect_with_linger(0);
    self_discard_t self = { NULL, 0, 0 };
    abr_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&self.subscription, client, CHANNEL, STREAM_ID + 2));
    CHECK_OK(abr_client_add_publication(&publication, client, CHANNEL, STREAM_ID + 2));
    const uint8_t message[8] = { 0 };
    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (abr_publication_offer(publication, message, sizeof(message)) < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    while (0 == abr_subscription_poll(self.subscription, discard_own_subscription, &self, 1))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(-1 == self.result);
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == self.code);
    abr_sleep_ms(20);
    ABR_CHECK(0 == waiting_count(client));
    ABR_CHECK(abr_subscription_poll(self.subscription, on_fragment, NULL, 1) >= 0);
    CHECK_OK(abr_subscription_discard(self.subscription));
    CHECK_OK(abr_publication_discard(publication));
    await_nothing_waiting(client);
    CHECK_OK(abr_client_close(client));
}

static void test_a_users_closed_subscription_is_kept_and_answers_closed(void)
{
    abr_client_t *client = connect_with_linger(0);
    handle_counts_t before = handle_counts(client);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, CHANNEL, STREAM_ID));
    CHECK_OK(abr_subscription_close(subscription));
    abr_sleep_ms(50);
    ABR_CHECK(0 == waiting_count(client));
    ABR_CHECK(handle_counts(client).subscriptions == before.subscriptions + 1);
    ABR_CHECK(-1 == abr_subscription_poll(subscription, on_fragment, NULL, 10));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());

    /* Discarding what is already closed frees it too, and NULL is nothing to do. */
    CHECK_OK(abr_subscription_discard(subscription));
    CHECK_OK(abr_subscription_discard(NULL));
    CHECK_OK(abr_exclusive_publication_discard(NULL));
    await_nothing_waiting(client);
    ABR_CHECK(handle_counts(client).subscriptions == before.subscriptions);
    CHECK_OK(abr_client_close(client));
}

static void test_a_persistent_subscription_on_a_shared_core_leaves_nothing_behind(void)
{
    abr_client_t *core = connect_with_linger(20LL * 1000 * 1000);
    abr_archive_t *admin = abr_test_connect_archive(&g_driver, core, g_control_channel);
    int64_t recording_subscription_id;
    CHECK_OK(abr_archive_start_recording(&recording_subscription_id, admin, CHANNEL, RECORDED_STREAM_ID,
        ABR_ARCHIVE_SOURCE_LOCATION_LOCAL, false));
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, core, CHANNEL, RECORDED_STREAM_ID));
    int64_t recording_id = ABR_ARCHIVE_NULL_VALUE;
    int64_t deadline = abr_nano_time() + WAIT_NS;
    while (ABR_ARCHIVE_NULL_VALUE == recording_id)
    {
        CHECK_OK(abr_archive_find_last_matching_recording(&recording_id, admin, 0, CHANNEL, RECORDED_STREAM_ID,
            abr_exclusive_publication_session_id(publication)));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(10);
    }
    const uint8_t message[64] = { 0 };
    for (int published = 0; published < 50;)
    {
        if (abr_exclusive_publication_offer(publication, message, sizeof(message)) > 0)
        {
            published++;
        }
        else
        {
            ABR_CHECK(abr_nano_time() < deadline);
            abr_sleep_ms(1);
        }
    }
    handle_counts_t before = handle_counts(core);

    abr_archive_context_t *archive = NULL;
    CHECK_OK(abr_archive_context_init(&archive));
    CHECK_OK(abr_archive_context_set_aeron_directory_name(archive, g_driver.dir));
    CHECK_OK(abr_archive_context_set_control_request_channel(archive, g_control_channel));
    CHECK_OK(abr_archive_context_set_control_response_channel(archive, "aeron:udp?endpoint=localhost:0"));
    CHECK_OK(abr_archive_context_set_client(archive, core));
    abr_archive_persistent_subscription_context_t *context = NULL;
    CHECK_OK(abr_archive_persistent_subscription_context_init(&context));
    CHECK_OK(abr_archive_persistent_subscription_context_set_archive_context(context, archive));
    CHECK_OK(abr_archive_persistent_subscription_context_set_recording_id(context, recording_id));
    CHECK_OK(abr_archive_persistent_subscription_context_set_start_position(context, 0));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context, CHANNEL));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_stream_id(context, RECORDED_STREAM_ID));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, CHANNEL));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_stream_id(context, REPLAY_STREAM_ID));
    abr_archive_persistent_subscription_t *subscription = NULL;
    CHECK_OK(abr_archive_persistent_subscription_create(&subscription, context));
    abr_archive_persistent_subscription_context_close(context);
    abr_archive_context_close(archive);

    /* From the recording's start to live: a replay subscription, then the live one. */
    deadline = abr_nano_time() + WAIT_NS;
    while (!abr_archive_persistent_subscription_is_live(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, on_fragment, NULL, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    await_nothing_waiting(core);
    handle_counts_t after = handle_counts(core);
    fprintf(stderr, "a persistent subscription live and closed: subscriptions %d -> %d, publications %d -> %d\n",
        before.subscriptions, after.subscriptions, before.publications, after.publications);
    ABR_CHECK(after.subscriptions == before.subscriptions);
    ABR_CHECK(after.publications == before.publications);

    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_archive_stop_recording_subscription(admin, recording_subscription_id));
    CHECK_OK(abr_archive_close(admin));
    CHECK_OK(abr_client_close(core));
}

int main(void)
{
    snprintf(g_control_channel, sizeof(g_control_channel), "aeron:udp?endpoint=localhost:%d",
        abr_test_free_udp_port());
    abr_test_archiving_driver_start(&g_driver, g_control_channel);
    ABR_RUN(test_archive_connections_on_a_shared_core_leave_no_handles_behind);
    ABR_RUN(test_a_discarded_pair_lives_through_the_linger_and_goes_after_it);
    ABR_RUN(test_a_users_closed_subscription_is_kept_and_answers_closed);
    ABR_RUN(test_a_handler_cannot_discard_its_own_subscription);
    ABR_RUN(test_a_persistent_subscription_on_a_shared_core_leaves_nothing_behind);
    abr_test_driver_stop(&g_driver);
    return 0;
}
