/*
 * Against a real Java Media Driver the test starts (test_driver.h): messages of every size over IPC and
 * UDP, term rotations, driver errors, and at the end the driver killed, which both a threaded and an
 * invoker client must notice within their driver timeout.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK

static abr_test_driver_t g_driver;

typedef struct
{
    const size_t *lengths;
    int expected;
    int received;
}
expectation_t;

static uint8_t pattern(int index, size_t offset)
{
    return (uint8_t)((index * 31 + (int)offset * 7) & 0xFF);
}

static void on_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    expectation_t *expectation = clientd;
    int index = expectation->received;
    ABR_CHECK(index < expectation->expected);
    if (length != expectation->lengths[index])
    {
        fprintf(stderr, "message %d: expected length %zu, got %zu\n", index, expectation->lengths[index], length);
        exit(1);
    }
    for (size_t i = 0; i < length; i++)
    {
        if (buffer[i] != pattern(index, i))
        {
            fprintf(stderr, "message %d: byte %zu differs\n", index, i);
            exit(1);
        }
    }
    ABR_CHECK(header->position > 0);
    expectation->received++;
}

static abr_client_t *connect_client(bool use_thread, uint64_t timeout_ms)
{
    return abr_test_connect(&g_driver, use_thread, timeout_ms);
}

static void await_connected(abr_client_t *client, abr_exclusive_publication_t *publication, abr_subscription_t *subscription)
{
    int64_t deadline = abr_nano_time() + 5000000000LL;
    while (!abr_exclusive_publication_is_connected(publication) || !abr_subscription_is_connected(subscription))
    {
        CHECK_OK(abr_client_do_work(client));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static void offer_all(
    abr_client_t *client, abr_exclusive_publication_t *publication, abr_subscription_t *subscription,
    abr_fragment_assembler_t *assembler, expectation_t *expectation)
{
    static uint8_t message[128 * 1024];
    int64_t deadline = abr_nano_time() + 20000000000LL;
    for (int index = 0; index < expectation->expected; index++)
    {
        size_t length = expectation->lengths[index];
        for (size_t i = 0; i < length; i++)
        {
            message[i] = pattern(index, i);
        }
        while (true)
        {
            int64_t result = abr_exclusive_publication_offer(publication, message, length);
            if (result > 0)
            {
                break;
            }
            if (ABR_PUBLICATION_ERROR == result || ABR_PUBLICATION_CLOSED == result ||
                ABR_PUBLICATION_MAX_POSITION_EXCEEDED == result)
            {
                fprintf(stderr, "offer %d failed: %lld %s\n", index, (long long)result, abr_errmsg());
                exit(1);
            }
            CHECK_OK(abr_subscription_poll(subscription, abr_fragment_assembler_handler, assembler, 100));
            CHECK_OK(abr_client_do_work(client));
            ABR_CHECK(abr_nano_time() < deadline);
        }
    }
    while (expectation->received < expectation->expected)
    {
        if (0 == abr_subscription_poll(subscription, abr_fragment_assembler_handler, assembler, 100))
        {
            CHECK_OK(abr_client_do_work(client));
            abr_sleep_ms(1);
        }
        ABR_CHECK(abr_nano_time() < deadline);
    }
}

static void exchange(abr_client_t *client, const char *channel, int32_t stream_id, const size_t *lengths, int count)
{
    abr_subscription_t *subscription = NULL;
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, channel, stream_id));
    char publication_channel[256];
    abr_test_publication_channel(client, subscription, channel, publication_channel, sizeof(publication_channel));
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, publication_channel, stream_id));
    await_connected(client, publication, subscription);

    expectation_t expectation = { .lengths = lengths, .expected = count, .received = 0 };
    abr_fragment_assembler_t *assembler = NULL;
    CHECK_OK(abr_fragment_assembler_init(&assembler, on_message, &expectation));
    offer_all(client, publication, subscription, assembler, &expectation);
    printf("    %s stream %d: %d messages, position %lld\n", publication_channel, stream_id, expectation.received,
        (long long)abr_exclusive_publication_position(publication));

    abr_fragment_assembler_close(assembler);
    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
}

static const size_t g_sizes[] = { 0, 1, 100, 1376, 3 * 1408, 65536, 1377, 5000, 0, 7 };

static void test_sizes_over_ipc_and_udp(void)
{
    abr_client_t *client = connect_client(true, 10000);
    int32_t session_id = 0;
    CHECK_OK(abr_client_next_session_id(client, 1001, &session_id));
    printf("    client id %lld, next session id %d\n", (long long)abr_client_id(client), session_id);

    int count = (int)(sizeof(g_sizes) / sizeof(g_sizes[0]));
    exchange(client, "aeron:ipc?term-length=1m", 1001, g_sizes, count);
    exchange(client, "aeron:udp?endpoint=localhost:0|term-length=1m", 1002, g_sizes, count);
    CHECK_OK(abr_client_close(client));
}

static void test_many_small_messages_across_rotations_invoker_mode(void)
{
    abr_client_t *client = connect_client(false, 10000);
    enum { COUNT = 5000 };
    static size_t lengths[COUNT];
    for (int i = 0; i < COUNT; i++)
    {
        lengths[i] = (size_t)(i % 200);
    }
    exchange(client, "aeron:ipc?term-length=65536", 1001, lengths, COUNT);
    exchange(client, "aeron:udp?endpoint=localhost:0|term-length=65536", 1002, lengths, COUNT);
    CHECK_OK(abr_client_close(client));
}

static void test_driver_errors_come_back(void)
{
    abr_client_t *client = connect_client(true, 10000);
    abr_exclusive_publication_t *publication = NULL;
    ABR_CHECK(-1 == abr_client_add_exclusive_publication(&publication, client, "aeron:udp?endpoint=no-such-host-x:1", 7));
    printf("    rejected: code=%d %s\n", abr_errcode(), abr_errmsg());
    ABR_CHECK(ABR_ERROR_DRIVER_REJECTED == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "streamId=7"));

    ABR_CHECK(-1 == abr_client_add_subscription(NULL, client, "aeron:ipc", 1));
    abr_subscription_t *subscription = NULL;
    ABR_CHECK(-1 == abr_client_add_subscription(&subscription, client, NULL, 1));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());

    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, "aeron:ipc?term-length=65536", 9));
    uint8_t big[9000] = { 0 };
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_exclusive_publication_offer(publication, big, sizeof(big)));
    ABR_CHECK(ABR_PUBLICATION_NOT_CONNECTED == abr_exclusive_publication_offer(publication, big, 10) ||
        0 < abr_exclusive_publication_offer(publication, big, 10));

    abr_async_add_t *async = NULL;
    CHECK_OK(abr_client_async_add_subscription(&async, client, "aeron:ipc", 55));
    CHECK_OK(abr_async_add_cancel(async));
    CHECK_OK(abr_client_async_add_subscription(&async, client, "aeron:ipc", 56));
    abr_subscription_t *polled = NULL;
    int status;
    while (0 == (status = abr_async_add_subscription_poll(&polled, async)))
    {
        abr_sleep_ms(1);
    }
    ABR_CHECK(1 == status && NULL != polled);
    CHECK_OK(abr_client_close(client));
}

static void test_killed_driver_is_noticed(void)
{
    if (g_driver.pid <= 0)
    {
        printf("    (the driver's pid is unknown: not killing it)\n");
        return;
    }
    /* The driver stamps its heartbeat once per timer interval (1 s): 3 s is late beyond doubt. */
    abr_client_t *threaded = connect_client(true, 3000);
    abr_client_t *invoker = connect_client(false, 3000);
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, threaded, "aeron:ipc", 77));
    abr_subscription_t *invoker_subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&invoker_subscription, invoker, "aeron:ipc", 77));

    /* Longer than the driver's client liveness timeout (3 s here): keepalives must hold both clients. */
    for (int i = 0; i < 4500; i++)
    {
        CHECK_OK(abr_client_do_work(invoker));
        abr_sleep_ms(1);
    }
    ABR_CHECK(!abr_client_is_closed(threaded));
    ABR_CHECK(!abr_client_is_closed(invoker));

    ABR_CHECK(abr_test_driver_signal(&g_driver, SIGKILL));
    int64_t killed_at = abr_nano_time();
    /* The invoker keeps running its conductor meanwhile, as an application in invoker mode would. */
    bool invoker_failed = false;
    while (!abr_client_is_closed(threaded) || !invoker_failed)
    {
        ABR_CHECK(abr_nano_time() - killed_at < 7000000000LL);
        if (!invoker_failed && abr_client_do_work(invoker) < 0)
        {
            invoker_failed = true;
            ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
        }
        abr_sleep_ms(1);
    }
    ABR_CHECK(-1 == abr_client_do_work(invoker));
    printf("    noticed after %lld ms: code=%d %s\n", (long long)((abr_nano_time() - killed_at) / 1000000),
        abr_errcode(), abr_errmsg());
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
    ABR_CHECK(-1 == abr_subscription_poll(subscription, abr_fragment_assembler_handler, NULL, 10));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
    int32_t session_id;
    ABR_CHECK(-1 == abr_client_next_session_id(threaded, 1, &session_id));
    ABR_CHECK(ABR_ERROR_DRIVER_TIMEOUT == abr_errcode());
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(threaded));
    CHECK_OK(abr_client_close(invoker));
}

int main(void)
{
    static const char *const properties[] = { "aeron.client.liveness.timeout=3000000000", NULL };
    abr_test_driver_start(&g_driver, properties);
    ABR_RUN(test_sizes_over_ipc_and_udp);
    ABR_RUN(test_many_small_messages_across_rotations_invoker_mode);
    ABR_RUN(test_driver_errors_come_back);
    ABR_RUN(test_killed_driver_is_noticed);
    abr_test_driver_stop(&g_driver);
    return 0;
}
