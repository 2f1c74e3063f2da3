/*
 * The conductor against a real Java Media Driver (client liveness timeout 2 s here): driver errors come
 * back to the call that caused them, session ids come from the driver, keepalives hold an idle client in
 * both modes, the driver's client-timeout notice closes a client that stopped its conductor, and a driver
 * whose heartbeat goes stale fails every later call.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define SECONDS(n) ((int64_t)(n) * 1000000000LL)

static abr_test_driver_t g_driver;

static void test_driver_errors_come_back_to_their_call(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_publication_t *publication = NULL;
    ABR_CHECK(-1 == abr_client_add_publication(&publication, client, "aeron:udp?endpoint=localhost:24340|mtu=100", 4001));
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
    ABR_CHECK(-1 == abr_subscription_poll(subscription, (abr_fragment_handler_t)abr_fragment_assembler_handler, NULL, 1));
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
    ABR_CHECK(-1 == abr_subscription_poll(subscription, (abr_fragment_handler_t)abr_fragment_assembler_handler, NULL, 1));
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
    ABR_CHECK(-1 == abr_subscription_poll(subscription, (abr_fragment_handler_t)abr_fragment_assembler_handler, NULL, 1));
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
    ABR_RUN(test_next_session_ids_come_from_the_driver);
    ABR_RUN(test_keepalives_hold_and_the_client_timeout_notice_closes);
    if (g_driver.pid > 0)
    {
        ABR_RUN(test_a_stale_driver_heartbeat_fails_every_later_call);
        ABR_RUN(test_a_driver_shut_down_is_reported_as_such);
    }
    abr_test_driver_stop(&g_driver);
    return 0;
}
