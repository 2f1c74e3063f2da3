/*
 * The conductor against a real Java Media Driver (client liveness timeout 2 s here): driver errors come
 * back to the call that caused them, session ids come from the driver, keepalives hold an idle client in
 * both modes, the driver's client-timeout notice closes a client that stopped its conductor, and a driver
 * whose heartbeat goes stale fails every later call. With a live client, each argument after it is given NULL or an
 * out-of-range value in turn (the rest of api_arguments_test.c, which needs no driver).
 */
#include <signal.h>
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

static abr_test_driver_t g_driver;

static void test_driver_errors_come_back_to_their_call(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_publication_t *publication = NULL;
    ABR_CHECK(-1 == abr_client_add_publication(&publication, client, "aeron:udp?endpoint=localhost:24340|mtu=100",
        4001));
    printf("    rejected: %s\n", abr_errmsg());
    ABR_CHECK(ABR_ERROR_DRIVER_REJECTED == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "add publication") && NULL != strstr(abr_errmsg(), "streamId=4001"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "mtu"));
    ABR_CHECK(NULL == publication);

    abr_async_add_t *async = NULL;
    CHECK_OK(abr_client_async_add_subscription(&async, client, "aeron:udp?endpoint=no-such-host-abr:1", 4002));
    abr_subscription_t *subscription = NULL;
    int status;
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (0 == (status = abr_async_add_subscription_poll(&subscription, async)))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(-1 == status && ABR_ERROR_DRIVER_REJECTED == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "no-such-host-abr"));

    /* The client stays usable after a rejection. */
    CHECK_OK(abr_client_add_publication(&publication, client, "aeron:ipc", 4003));
    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_client_close(client));
}

/* One rejected command: what the thread's error says, beside what the driver sent (RegistrationException's parts). */
static void expect_rejection(int status, int32_t driver_code, const char *driver_needle)
{
    printf("    rejected: driverCode=%d correlationId=%lld driverMessage=\"%s\"\n", abr_errdriver_code(),
        (long long)abr_errcorrelation_id(), abr_errdriver_message());
    ABR_CHECK(-1 == status);
    ABR_CHECK(ABR_ERROR_DRIVER_REJECTED == abr_errcode());
    ABR_CHECK(driver_code == abr_errdriver_code());
    ABR_CHECK(NULL != strstr(abr_errdriver_message(), driver_needle));
    /* abr_errmsg() says which command and where, then the driver's words. */
    ABR_CHECK(NULL != strstr(abr_errmsg(), abr_errdriver_message()));
    char correlation[64];
    snprintf(correlation, sizeof(correlation), "correlationId=%lld", (long long)abr_errcorrelation_id());
    ABR_CHECK(abr_errcorrelation_id() > 0 && NULL != strstr(abr_errmsg(), correlation));
}

static void test_a_rejection_keeps_the_drivers_code_and_the_correlation_id(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, false, 10000);
    abr_publication_t *publication = NULL;
    abr_exclusive_publication_t *exclusive = NULL;
    abr_subscription_t *subscription = NULL;

    expect_rejection(abr_client_add_publication(&publication, client, "aeron:udp?endpoint=localhost:24340|mtu=100",
        4101), 11, "mtuLength=100");
    int64_t first_correlation_id = abr_errcorrelation_id();
    expect_rejection(abr_client_add_publication(&publication, client, "aeron:bogus", 4102), 1, "unknown media: bogus");
    ABR_CHECK(abr_errcorrelation_id() > first_correlation_id);
    expect_rejection(abr_client_add_exclusive_publication(&exclusive, client, "aeron:ipc?term-length=3", 4103), 11,
        "Term length less than min length");
    expect_rejection(abr_client_add_subscription(&subscription, client, "not-a-channel", 4104), 1,
        "Aeron URIs must start with 'aeron:', found: not-a-channel");
    expect_rejection(abr_client_add_subscription(&subscription, client, "aeron:udp?endpoint=no-such-host-abr:1", 4105),
        1, "unresolved - endpoint=no-such-host-abr:1");

    abr_async_add_t *async = NULL;
    CHECK_OK(abr_client_async_add_publication(&async, client, "aeron:udp?endpoint=localhost:1|session-id=abc", INT32_MIN));
    int status;
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (0 == (status = abr_async_add_publication_poll(&publication, async)))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    expect_rejection(status, 1, "invalid session-id");

    /* Destinations are for UDP publications: the driver knows no such publication for an IPC one. */
    CHECK_OK(abr_client_add_exclusive_publication(&exclusive, client, "aeron:ipc", 4106));
    expect_rejection(abr_exclusive_publication_add_destination(exclusive, "aeron:udp?endpoint=localhost:24341"), 3,
        "unknown publication");

    /* The next failure of another kind forgets them. */
    ABR_CHECK(-1 == abr_client_add_publication(NULL, client, "aeron:ipc", 4107));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_errdriver_code() && '\0' == abr_errdriver_message()[0] && -1 == abr_errcorrelation_id());
    CHECK_OK(abr_exclusive_publication_close(exclusive));
    CHECK_OK(abr_client_close(client));
}

static void test_next_session_ids_come_from_the_driver(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, false, 10000);
    int32_t first = 0;
    int32_t second = 0;
    CHECK_OK(abr_client_next_session_id(client, 4004, &first));
    CHECK_OK(abr_client_next_session_id(client, 4004, &second));
    ABR_CHECK(first != second);
    /* The id is free: a publication given it explicitly gets exactly that session. */
    char channel[96];
    snprintf(channel, sizeof(channel), "aeron:ipc?session-id=%d", second);
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, channel, 4004));
    ABR_CHECK(second == abr_exclusive_publication_session_id(publication));
    ABR_CHECK(-1 == abr_client_next_session_id(client, 4004, NULL));
    ABR_CHECK(-1 == abr_client_next_session_id(NULL, 4004, &first));
    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_client_close(client));
}

static void on_image(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image)
{
    (void)clientd;
    (void)subscription;
    (void)image;
}

/* Every call of a live client with each later argument NULL in turn, or out of its documented range. */
static void test_each_bad_argument_is_named_on_a_live_client(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);

    ABR_EXPECT_INVALID(abr_client_next_session_id, (client, 4005, NULL), -1, "session_id out-pointer must not be null");

    abr_async_add_t *async = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_client_async_add_publication, (NULL, client, "aeron:ipc", 4005), -1,
        "async out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_client_async_add_publication, (&async, client, NULL, 4005), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_CHECK(NULL == async);
    ABR_EXPECT_INVALID(abr_client_async_add_publication, (&async, client, "", 4005), -1,
        "channel must not be null or empty: channel=,");
    ABR_EXPECT_INVALID(abr_client_async_add_exclusive_publication, (NULL, client, "aeron:ipc", 4005), -1,
        "async out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_client_async_add_exclusive_publication, (&async, client, NULL, 4005), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_EXPECT_INVALID(abr_client_async_add_subscription, (NULL, client, "aeron:ipc", 4005), -1,
        "async out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_client_async_add_subscription, (&async, client, NULL, 4005), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_EXPECT_INVALID(abr_client_async_add_subscription_with_handlers,
        (NULL, client, "aeron:ipc", 4005, on_image, NULL, on_image, NULL), -1, "async out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_client_async_add_subscription_with_handlers,
        (&async, client, NULL, 4005, on_image, NULL, on_image, NULL), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_CHECK(NULL == async);

    /* A poll without an out-pointer, or of another kind, fails and leaves the add the caller's: cancel releases it. */
    abr_publication_t *publication = NULL;
    abr_exclusive_publication_t *exclusive = NULL;
    abr_subscription_t *subscription = NULL;
    ABR_EXPECT_RETURNS(abr_client_async_add_subscription_with_handlers,
        (&async, client, "aeron:ipc", 4005, NULL, NULL, NULL, NULL), 0);
    ABR_EXPECT_INVALID(abr_async_add_subscription_poll, (NULL, async), -1, "subscription out-pointer");
    ABR_EXPECT_INVALID(abr_async_add_publication_poll, (&publication, async), -1, "not of the polled kind");
    ABR_EXPECT_INVALID(abr_async_add_exclusive_publication_poll, (&exclusive, async), -1, "streamId=4005");
    ABR_EXPECT_RETURNS(abr_async_add_cancel, (async), 0);
    CHECK_OK(abr_client_async_add_publication(&async, client, "aeron:ipc", 4005));
    ABR_EXPECT_INVALID(abr_async_add_publication_poll, (NULL, async), -1, "publication out-pointer");
    ABR_EXPECT_INVALID(abr_async_add_subscription_poll, (&subscription, async), -1, "not of the polled kind");
    ABR_EXPECT_RETURNS(abr_async_add_cancel, (async), 0);
    CHECK_OK(abr_client_async_add_exclusive_publication(&async, client, "aeron:ipc", 4005));
    ABR_EXPECT_INVALID(abr_async_add_exclusive_publication_poll, (NULL, async), -1, "publication out-pointer");
    ABR_EXPECT_RETURNS(abr_async_add_cancel, (async), 0);
    ABR_CHECK(NULL == publication && NULL == exclusive && NULL == subscription);

    ABR_EXPECT_INVALID(abr_client_add_publication, (NULL, client, "aeron:ipc", 4005), -1, "publication out-pointer");
    publication = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_client_add_publication, (&publication, client, NULL, 4005), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_CHECK(NULL == publication);
    ABR_EXPECT_INVALID(abr_client_add_exclusive_publication, (NULL, client, "aeron:ipc", 4005), -1,
        "publication out-pointer");
    exclusive = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_client_add_exclusive_publication, (&exclusive, client, NULL, 4005), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_CHECK(NULL == exclusive);
    ABR_EXPECT_INVALID(abr_client_add_subscription, (NULL, client, "aeron:ipc", 4005), -1, "subscription out-pointer");
    subscription = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_client_add_subscription, (&subscription, client, NULL, 4005), -1,
        "channel must not be null or empty: channel=(null)");
    ABR_CHECK(NULL == subscription);
    ABR_EXPECT_INVALID(abr_client_add_subscription_with_handlers,
        (NULL, client, "aeron:ipc", 4005, on_image, NULL, on_image, NULL), -1, "subscription out-pointer");
    ABR_EXPECT_INVALID(abr_client_add_subscription_with_handlers,
        (&subscription, client, NULL, 4005, on_image, NULL, on_image, NULL), -1,
        "channel must not be null or empty: channel=(null)");
    /* Image handlers may be NULL. */
    ABR_EXPECT_RETURNS(abr_client_add_subscription_with_handlers,
        (&subscription, client, "aeron:ipc", 4005, NULL, NULL, NULL, NULL), 0);
    CHECK_OK(abr_subscription_close(subscription));

    const int32_t max_id = abr_counters_max_counter_id(client);
    ABR_CHECK(max_id > 0);
    int64_t value = 0;
    int32_t number = 0;
    char label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
    uint8_t key[ABR_COUNTER_MAX_KEY_LENGTH + 1] = { 0 };
    ABR_EXPECT_INVALID(abr_counters_value, (client, 0, NULL), -1, "value must not be null");
    ABR_EXPECT_INVALID(abr_counters_value, (client, -1, &value), -1, "counterId=-1 is out of range");
    ABR_EXPECT_INVALID(abr_counters_value, (client, max_id + 1, &value), -1, "is out of range");
    ABR_EXPECT_INVALID(abr_counters_state, (client, 0, NULL), -1, "state must not be null");
    ABR_EXPECT_INVALID(abr_counters_state, (client, INT32_MIN, &number), -1, "is out of range");
    ABR_EXPECT_INVALID(abr_counters_type_id, (client, 0, NULL), -1, "type_id must not be null");
    ABR_EXPECT_INVALID(abr_counters_type_id, (client, INT32_MAX, &number), -1, "is out of range");
    ABR_EXPECT_INVALID(abr_counters_registration_id, (client, 0, NULL), -1, "registration_id must not be null");
    ABR_EXPECT_INVALID(abr_counters_registration_id, (client, -1, &value), -1, "is out of range");
    ABR_EXPECT_INVALID(abr_counters_label, (client, 0, NULL, sizeof(label)), -1, "label must not be null");
    ABR_EXPECT_INVALID(abr_counters_label, (client, 0, label, 0), -1, "label_capacity must be > 0");
    ABR_EXPECT_INVALID(abr_counters_label, (client, max_id + 1, label, sizeof(label)), -1, "is out of range");
    ABR_EXPECT_INVALID(abr_counters_key, (client, 0, NULL, sizeof(key)), -1, "key must not be null");
    ABR_EXPECT_INVALID(abr_counters_key, (client, -1, key, sizeof(key)), -1, "is out of range");
    /* A capacity past the key copies the key, no more. */
    ABR_EXPECT_RETURNS(abr_counters_key, (client, 0, key, sizeof(key)), ABR_COUNTER_MAX_KEY_LENGTH);
    ABR_EXPECT_INVALID(abr_counters_find_by_type_id_and_key, (client, 1, NULL, 4, &number), -1, "key must not be null");
    ABR_EXPECT_INVALID(abr_counters_find_by_type_id_and_key, (client, 1, key, 4, NULL), -1,
        "counter_id must not be null");
    ABR_EXPECT_INVALID(abr_counters_find_by_type_id_and_key, (client, 1, key, ABR_COUNTER_MAX_KEY_LENGTH + 1, &number),
        -1, "key_length must be at most 112");
    /* No key is needed to find any counter of a type: none of this one. */
    ABR_EXPECT_RETURNS(abr_counters_find_by_type_id_and_key, (client, 424242, NULL, 0, &number), 0);

    char address[64];
    ABR_EXPECT_INVALID(abr_client_find_local_socket_address, (client, 1, NULL, sizeof(address)), -1,
        "address must not be null");
    ABR_EXPECT_INVALID(abr_client_find_local_socket_address, (client, 1, address, 0), -1,
        "address_capacity must be > 0");

    /* An archive connect needs no Archive to get as far as its first poll, which must have an out-pointer. */
    abr_archive_context_t *context = NULL;
    CHECK_OK(abr_archive_context_init(&context));
    CHECK_OK(abr_archive_context_set_client(context, client));
    CHECK_OK(abr_archive_context_set_control_request_channel(context, "aeron:ipc"));
    CHECK_OK(abr_archive_context_set_control_response_channel(context, "aeron:ipc"));
    abr_archive_async_connect_t *connect = NULL;
    CHECK_OK(abr_archive_async_connect(&connect, context));
    CHECK_OK(abr_archive_context_close(context));
    ABR_EXPECT_INVALID(abr_archive_async_connect_poll, (NULL, connect), -1, "archive out-pointer");
    ABR_CHECK(abr_archive_async_connect_step(connect) >= 0);
    ABR_EXPECT_RETURNS(abr_archive_async_connect_close, (connect), 0);

    ABR_CHECK(!abr_client_is_closed(client));
    CHECK_OK(abr_client_close(client));
    ABR_EXPECT_ALL_PASSED();
}

static void test_keepalives_hold_and_the_client_timeout_notice_closes(void)
{
    abr_client_t *threaded = abr_test_connect(&g_driver, true, 10000);
    abr_context_t *context = NULL;
    CHECK_OK(abr_context_init(&context));
    CHECK_OK(abr_context_set_dir(context, g_driver.dir));
    CHECK_OK(abr_context_set_use_conductor_thread(context, false));
    CHECK_OK(abr_context_set_driver_timeout_ms(context, 10000));
    CHECK_OK(abr_context_set_client_name(context, "invoker-under-test"));
    abr_client_t *invoker = NULL;
    CHECK_OK(abr_client_connect(&invoker, context));
    abr_context_close(context);
    abr_client_t *neglected = abr_test_connect(&g_driver, false, 10000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, neglected, "aeron:ipc", 4005));
    /* A client the driver knows (it has sent a command) is one the driver can time out. */
    abr_subscription_t *threaded_subscription = NULL;
    abr_subscription_t *invoker_subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&threaded_subscription, threaded, "aeron:ipc", 4005));
    CHECK_OK(abr_client_add_subscription(&invoker_subscription, invoker, "aeron:ipc", 4005));

    /* Twice the driver's client liveness timeout: only the clients that keep their conductor going survive. */
    int64_t until = abr_nano_time() + SECONDS(4);
    while (abr_nano_time() < until)
    {
        CHECK_OK(abr_client_do_work(invoker));
        abr_sleep_ms(5);
    }
    ABR_CHECK(!abr_client_is_closed(threaded));
    ABR_CHECK(!abr_client_is_closed(invoker));
    int32_t session_id;
    CHECK_OK(abr_client_next_session_id(threaded, 1, &session_id));
    CHECK_OK(abr_client_next_session_id(invoker, 1, &session_id));

    /* Held alive the way Aeron's clients are: by stamping the driver's heartbeat counter of the client. */
    int64_t client_id = abr_client_id(invoker);
    int32_t heartbeat_id = -1;
    ABR_CHECK(1 == abr_counters_find_by_type_id_and_key(invoker, 11, (const uint8_t *)&client_id, 8, &heartbeat_id));
    int64_t stamped = 0;
    CHECK_OK(abr_counters_value(invoker, heartbeat_id, &stamped));
    ABR_CHECK(stamped > 0 && abr_epoch_ms() - stamped < 1500);
    char label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
    ABR_CHECK(abr_counters_label(invoker, heartbeat_id, label, sizeof(label)) > 0);
    printf("    heartbeat counter %d: %s\n", heartbeat_id, label);
    ABR_CHECK(NULL != strstr(label, " name=invoker-under-test version=archive-bridge-"));

    ABR_CHECK(!abr_client_is_closed(neglected));
    ABR_CHECK(-1 == abr_client_do_work(neglected));
    printf("    neglected client: code=%d %s\n", abr_errcode(), abr_errmsg());
    ABR_CHECK(ABR_ERROR_CLIENT_TIMEOUT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "clientId="));
    ABR_CHECK(abr_client_is_closed(neglected));
    ABR_CHECK(-1 == abr_subscription_poll(subscription, (abr_fragment_handler_t)abr_fragment_assembler_handler, NULL,
        1));
    ABR_CHECK(ABR_ERROR_CLIENT_TIMEOUT == abr_errcode());
    abr_publication_t *publication = NULL;
    ABR_CHECK(-1 == abr_client_add_publication(&publication, neglected, "aeron:ipc", 4005));
    ABR_CHECK(ABR_ERROR_CLIENT_TIMEOUT == abr_errcode());
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_subscription_close(threaded_subscription));
    CHECK_OK(abr_subscription_close(invoker_subscription));
    CHECK_OK(abr_client_close(neglected));
    CHECK_OK(abr_client_close(invoker));
    CHECK_OK(abr_client_close(threaded));
}

static void test_a_stale_driver_heartbeat_fails_every_later_call(void)
{
    /* The driver stamps its heartbeat once per timer interval (1 s): 3 s is late beyond doubt. */
    abr_client_t *threaded = abr_test_connect(&g_driver, true, 3000);
    abr_client_t *invoker = abr_test_connect(&g_driver, false, 3000);
    abr_publication_t *publication = NULL;
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_publication(&publication, threaded, "aeron:ipc", 4006));
    CHECK_OK(abr_client_add_subscription(&subscription, threaded, "aeron:ipc", 4006));

    /* A stopped driver is a hung one: its process lives, its heartbeat does not move. */
    ABR_CHECK(abr_test_driver_signal(&g_driver, SIGSTOP));
    int64_t stopped_at = abr_nano_time();
    /* The invoker keeps running its conductor meanwhile, as an application in invoker mode would. */
    bool invoker_failed = false;
    while (!abr_client_is_closed(threaded) || !invoker_failed)
    {
        ABR_CHECK(abr_nano_time() - stopped_at < SECONDS(8));
        if (!invoker_failed && abr_client_do_work(invoker) < 0)
        {
            invoker_failed = true;
            ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
        }
        abr_sleep_ms(5);
    }
    ABR_CHECK(-1 == abr_client_do_work(invoker));
    printf("    noticed after %lld ms: %s\n", (long long)((abr_nano_time() - stopped_at) / 1000000), abr_errmsg());
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());

    uint8_t message[8] = { 0 };
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_publication_offer(publication, message, sizeof(message)));
    ABR_CHECK(abr_publication_is_closed(publication) && !abr_publication_is_connected(publication));
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_publication_position(publication));
    ABR_CHECK(-1 == abr_subscription_poll(subscription, (abr_fragment_handler_t)abr_fragment_assembler_handler, NULL,
        1));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode() && NULL != strstr(abr_errmsg(), "keepalive"));
    int32_t session_id;
    ABR_CHECK(-1 == abr_client_next_session_id(threaded, 1, &session_id));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
    int64_t value;
    ABR_CHECK(-1 == abr_counters_value(threaded, 0, &value));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
    ABR_CHECK(-1 == abr_client_next_correlation_id(invoker));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
    abr_exclusive_publication_t *exclusive = NULL;
    ABR_CHECK(-1 == abr_client_add_exclusive_publication(&exclusive, invoker, "aeron:ipc", 4006));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());

    ABR_CHECK(abr_test_driver_signal(&g_driver, SIGCONT));
    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(threaded));
    CHECK_OK(abr_client_close(invoker));
}

static void test_a_driver_shut_down_is_reported_as_such(void)
{
    abr_client_t *threaded = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, threaded, "aeron:ipc", 4007));
    /* A clean stop: the driver marks its heartbeat as shut down before it goes. */
    abr_test_driver_stop(&g_driver);
    int64_t stopped_at = abr_nano_time();
    while (!abr_client_is_closed(threaded))
    {
        ABR_CHECK(abr_nano_time() - stopped_at < SECONDS(5));
        abr_sleep_ms(5);
    }
    ABR_CHECK(-1 == abr_subscription_poll(subscription, (abr_fragment_handler_t)abr_fragment_assembler_handler, NULL,
        1));
    printf("    %s\n", abr_errmsg());
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode() && NULL != strstr(abr_errmsg(), "has been shut down"));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(threaded));
}

int main(void)
{
    static const char *const properties[] = { "aeron.client.liveness.timeout=2000000000", NULL };
    abr_test_driver_start(&g_driver, properties);
    ABR_RUN(test_driver_errors_come_back_to_their_call);
    ABR_RUN(test_a_rejection_keeps_the_drivers_code_and_the_correlation_id);
    ABR_RUN(test_next_session_ids_come_from_the_driver);
    ABR_RUN(test_each_bad_argument_is_named_on_a_live_client);
    ABR_RUN(test_keepalives_hold_and_the_client_timeout_notice_closes);
    if (g_driver.pid > 0)
    {
        ABR_RUN(test_a_stale_driver_heartbeat_fails_every_later_call);
        ABR_RUN(test_a_driver_shut_down_is_reported_as_such);
    }
    abr_test_driver_stop(&g_driver);
    return 0;
}
