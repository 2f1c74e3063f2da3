/*
 * Publications against a real Java Media Driver: concurrent publications sharing a log, message sizes
 * from 0 B to 64 KiB over IPC and UDP, two threads offering at once, claims, back pressure, the publisher
 * limit counter, and bad arguments: with live publications, each argument after the handle given NULL or a length
 * past its maximum in turn (the rest of api_arguments_test.c, which needs no driver).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
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

static void await_image(abr_subscription_t *subscription, int images)
{
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_subscription_image_count(subscription) < images)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static uint8_t pattern(int index, size_t offset)
{
    return (uint8_t)((index * 31 + (int)offset * 7) & 0xFF);
}

typedef struct
{
    const size_t *lengths;
    int received;
}
sizes_t;

static void on_sized_message(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    sizes_t *sizes = clientd;
    int index = sizes->received;
    ABR_CHECK(length == sizes->lengths[index]);
    for (size_t i = 0; i < length; i++)
    {
        ABR_CHECK(buffer[i] == pattern(index, i));
    }
    sizes->received++;
}

static void test_concurrent_publications_share_one_log(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    const char *channel = "aeron:ipc?term-length=64k";
    abr_publication_t *first = NULL;
    abr_publication_t *second = NULL;
    CHECK_OK(abr_client_add_publication(&first, client, channel, 2001));
    CHECK_OK(abr_client_add_publication(&second, client, channel, 2001));

    ABR_CHECK(abr_publication_session_id(first) == abr_publication_session_id(second));
    ABR_CHECK(abr_publication_original_registration_id(first) == abr_publication_original_registration_id(second));
    ABR_CHECK(abr_publication_registration_id(first) != abr_publication_registration_id(second));
    ABR_CHECK(abr_publication_initial_term_id(first) == abr_publication_initial_term_id(second));
    ABR_CHECK(64 * 1024 == abr_publication_term_buffer_length(first));
    ABR_CHECK(8 * 1024 == abr_publication_max_message_length(first));
    ABR_CHECK(1408 - 32 == abr_publication_max_payload_length(first));
    ABR_CHECK(2001 == abr_publication_stream_id(first));
    ABR_CHECK_STR_EQ(channel, abr_publication_channel(first));
    /* IPC has no channel status counter: Aeron's clients report it ACTIVE. */
    ABR_CHECK(ABR_CHANNEL_STATUS_NO_ID_ALLOCATED == abr_publication_channel_status_id(first));
    ABR_CHECK(ABR_CHANNEL_STATUS_ACTIVE == abr_publication_channel_status(first));

    uint8_t message[32] = { 0 };
    ABR_CHECK(!abr_publication_is_connected(first));
    ABR_CHECK(ABR_PUBLICATION_NOT_CONNECTED == abr_publication_offer(first, message, sizeof(message)));

    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, channel, 2001));
    await_image(subscription, 1);
    abr_image_info_t info;
    CHECK_OK(abr_subscription_image_info(subscription, abr_publication_session_id(first), &info));
    ABR_CHECK(info.initial_term_id == abr_publication_initial_term_id(first));

    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (!abr_publication_is_connected(first) || abr_publication_position_limit(first) <= 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    /* The limit is the driver's publisher limit counter, found by its type and the publication's registration id. */
    int64_t original = abr_publication_original_registration_id(first);
    int32_t limit_counter_id = -1;
    ABR_CHECK(1 == abr_counters_find_by_type_id_and_key(client, 1, (const uint8_t *)&original, 8, &limit_counter_id));
    int64_t limit_value = 0;
    CHECK_OK(abr_counters_value(client, limit_counter_id, &limit_value));
    ABR_CHECK(limit_value == abr_publication_position_limit(first));

    int64_t a = abr_publication_offer(first, message, sizeof(message));
    int64_t b = abr_publication_offer(second, message, sizeof(message));
    ABR_CHECK(64 == a && 128 == b);
    ABR_CHECK(128 == abr_publication_position(first) && 128 == abr_publication_position(second));

    CHECK_OK(abr_publication_close(first));
    CHECK_OK(abr_publication_close(second));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

static void send_sizes(abr_client_t *client, const char *channel, int32_t stream_id)
{
    static uint8_t message[64 * 1024];
    static const size_t lengths[] = { 0, 1, 1408 - 32, 1408, 3 * 1408, 64 * 1024, 7 };
    const int count = (int)(sizeof(lengths) / sizeof(lengths[0]));

    abr_subscription_t *subscription = NULL;
    abr_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, channel, stream_id));
    char publication_channel[256];
    abr_test_publication_channel(client, subscription, channel, publication_channel, sizeof(publication_channel));
    CHECK_OK(abr_client_add_publication(&publication, client, publication_channel, stream_id));
    await_image(subscription, 1);
    if (NULL != strstr(channel, "udp"))
    {
        ABR_CHECK(abr_publication_channel_status_id(publication) > 0);
        ABR_CHECK(ABR_CHANNEL_STATUS_ACTIVE == abr_publication_channel_status(publication));
        ABR_CHECK(ABR_CHANNEL_STATUS_ACTIVE == abr_subscription_channel_status(subscription));
    }

    sizes_t sizes = { lengths, 0 };
    abr_fragment_assembler_t *assembler = NULL;
    CHECK_OK(abr_fragment_assembler_init(&assembler, on_sized_message, &sizes));
    int64_t deadline = abr_nano_time() + SECONDS(20);
    for (int index = 0; index < count; index++)
    {
        for (size_t i = 0; i < lengths[index]; i++)
        {
            message[i] = pattern(index, i);
        }
        int64_t result;
        while ((result = abr_publication_offer(publication, message, lengths[index])) < 0)
        {
            ABR_CHECK(ABR_PUBLICATION_ERROR != result && ABR_PUBLICATION_CLOSED != result);
            abr_subscription_poll(subscription, abr_fragment_assembler_handler, assembler, 10);
            ABR_CHECK(abr_nano_time() < deadline);
        }
    }
    while (sizes.received < count)
    {
        CHECK_OK(abr_subscription_poll(subscription, abr_fragment_assembler_handler, assembler, 10));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    printf("    %s: %d messages up to 64 KiB, position %lld\n", publication_channel, sizes.received,
        (long long)abr_publication_position(publication));
    abr_fragment_assembler_close(assembler);
    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
}

static void test_sizes_over_ipc_and_udp(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    send_sizes(client, "aeron:ipc?term-length=1m", 2002);
    send_sizes(client, "aeron:udp?endpoint=localhost:0|term-length=1m", 2003);
    CHECK_OK(abr_client_close(client));
}

#define THREAD_MESSAGES 100000

typedef struct
{
    abr_publication_t *publication;
    uint8_t id;
}
offerer_t;

static void *offer_from_thread(void *arg)
{
    offerer_t *offerer = arg;
    uint8_t message[32] = { 0 };
    message[0] = offerer->id;
    int64_t deadline = abr_nano_time() + SECONDS(60);
    for (uint32_t sequence = 0; sequence < THREAD_MESSAGES; sequence++)
    {
        memcpy(message + 4, &sequence, sizeof(sequence));
        int64_t result;
        while ((result = abr_publication_offer(offerer->publication, message, sizeof(message))) < 0)
        {
            ABR_CHECK(ABR_PUBLICATION_BACK_PRESSURED == result || ABR_PUBLICATION_ADMIN_ACTION == result);
            ABR_CHECK(abr_nano_time() < deadline);
        }
    }
    return NULL;
}

typedef struct
{
    uint32_t next[2];
    int received;
}
ordered_t;

static void on_ordered(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    ordered_t *ordered = clientd;
    ABR_CHECK(32 == length && buffer[0] < 2);
    uint32_t sequence;
    memcpy(&sequence, buffer + 4, sizeof(sequence));
    ABR_CHECK(ordered->next[buffer[0]] == sequence);
    ordered->next[buffer[0]]++;
    ordered->received++;
}

static void test_two_threads_offer_at_once_without_loss(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    const char *channel = "aeron:ipc?term-length=64k";
    abr_subscription_t *subscription = NULL;
    abr_publication_t *publications[2] = { NULL, NULL };
    CHECK_OK(abr_client_add_subscription(&subscription, client, channel, 2004));
    CHECK_OK(abr_client_add_publication(&publications[0], client, channel, 2004));
    CHECK_OK(abr_client_add_publication(&publications[1], client, channel, 2004));
    await_image(subscription, 1);
    ABR_CHECK(1 == abr_subscription_image_count(subscription));

    /* One thread on each handle of the shared log: the same log, two writers, one image. */
    offerer_t offerers[2] = { { publications[0], 0 }, { publications[1], 1 } };
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
    {
        ABR_CHECK(0 == pthread_create(&threads[i], NULL, offer_from_thread, &offerers[i]));
    }
    ordered_t ordered = { { 0, 0 }, 0 };
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (ordered.received < 2 * THREAD_MESSAGES)
    {
        CHECK_OK(abr_subscription_poll(subscription, on_ordered, &ordered, 100));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    for (int i = 0; i < 2; i++)
    {
        ABR_CHECK(0 == pthread_join(threads[i], NULL));
    }
    ABR_CHECK(THREAD_MESSAGES == ordered.next[0] && THREAD_MESSAGES == ordered.next[1]);
    ABR_CHECK(abr_subscription_image_position(subscription, abr_publication_session_id(publications[0])) ==
        abr_publication_position(publications[0]));
    printf("    %d messages from two threads, in order per thread\n", ordered.received);
    CHECK_OK(abr_publication_close(publications[0]));
    CHECK_OK(abr_publication_close(publications[1]));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

typedef struct
{
    int received;
    uint8_t first_byte;
    size_t length;
}
last_t;

static void on_last(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    last_t *last = clientd;
    last->received++;
    last->length = length;
    last->first_byte = length > 0 ? buffer[0] : 0;
}

static void poll_until(abr_subscription_t *subscription, last_t *last, int received)
{
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (last->received < received)
    {
        CHECK_OK(abr_subscription_poll(subscription, on_last, last, 10));
        ABR_CHECK(abr_nano_time() < deadline);
    }
}

static void test_claims_commit_and_abort_on_both_kinds(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    abr_publication_t *shared = NULL;
    abr_exclusive_publication_t *exclusive = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc", 2005));
    CHECK_OK(abr_client_add_publication(&shared, client, "aeron:ipc", 2005));
    CHECK_OK(abr_client_add_exclusive_publication(&exclusive, client, "aeron:ipc", 2005));
    await_image(subscription, 2);
    last_t last = { 0, 0, 0 };

    abr_buffer_claim_t claim;
    ABR_CHECK(abr_publication_try_claim(shared, 100, &claim) > 0);
    memset(claim.data, 0x5A, claim.length);
    CHECK_OK(abr_buffer_claim_commit(&claim));
    poll_until(subscription, &last, 1);
    ABR_CHECK(100 == last.length && 0x5A == last.first_byte);

    ABR_CHECK(abr_exclusive_publication_try_claim(exclusive, 1376, &claim) > 0);
    CHECK_OK(abr_buffer_claim_abort(&claim));
    ABR_CHECK(abr_exclusive_publication_try_claim(exclusive, 0, &claim) > 0);
    CHECK_OK(abr_buffer_claim_commit(&claim));
    poll_until(subscription, &last, 2);
    ABR_CHECK(0 == last.length);

    /* A claim is one frame: more than the MTU's payload is refused, naming the limit; nothing is written. */
    int64_t before = abr_exclusive_publication_position(exclusive);
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_exclusive_publication_try_claim(exclusive, 1377, &claim));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode() && NULL != strstr(abr_errmsg(), "1376"));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_try_claim(shared, 1377, &claim));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_try_claim(shared, 10, NULL));
    ABR_CHECK(before == abr_exclusive_publication_position(exclusive));

    /* Vectored offers arrive as one message, on both kinds. */
    uint8_t head[3] = { 7, 7, 7 };
    uint8_t tail[2000];
    memset(tail, 9, sizeof(tail));
    abr_iovec_t vectors[] = { { head, sizeof(head) }, { tail, sizeof(tail) } };
    ABR_CHECK(abr_exclusive_publication_offerv(exclusive, vectors, 2) > 0);
    ABR_CHECK(abr_publication_offerv(shared, vectors, 1) > 0);
    abr_fragment_assembler_t *assembler = NULL;
    CHECK_OK(abr_fragment_assembler_init(&assembler, on_last, &last));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (last.received < 4)
    {
        CHECK_OK(abr_subscription_poll(subscription, abr_fragment_assembler_handler, assembler, 10));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(4 == last.received);
    abr_fragment_assembler_close(assembler);
    abr_iovec_t broken[] = { { NULL, 5 } };
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_offerv(shared, broken, 1));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "vector 0"));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_exclusive_publication_offerv(exclusive, NULL, 2));
    CHECK_OK(abr_exclusive_publication_close(exclusive));
    CHECK_OK(abr_publication_close(shared));

    /* Closed handles stay safe to call until the client goes: CLOSED, not a crash; closing again is a no-op. */
    uint8_t byte = 1;
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_publication_offer(shared, &byte, 1));
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_publication_try_claim(shared, 1, &claim));
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_publication_offerv(shared, vectors, 2));
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_exclusive_publication_offer(exclusive, &byte, 1));
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_exclusive_publication_try_claim(exclusive, 1, &claim));
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_exclusive_publication_position(exclusive));
    ABR_CHECK(abr_publication_is_closed(shared) && !abr_exclusive_publication_is_connected(exclusive));
    ABR_CHECK(ABR_CHANNEL_STATUS_NO_ID_ALLOCATED == abr_publication_channel_status(shared));
    CHECK_OK(abr_publication_close(shared));
    CHECK_OK(abr_exclusive_publication_close(exclusive));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

static void test_back_pressure_then_recovery(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    abr_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc?term-length=64k", 2006));
    CHECK_OK(abr_client_add_publication(&publication, client, "aeron:ipc?term-length=64k", 2006));
    await_image(subscription, 1);

    uint8_t message[1000] = { 0 };
    int64_t result;
    int offered = 0;
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while ((result = abr_publication_offer(publication, message, sizeof(message))) != ABR_PUBLICATION_BACK_PRESSURED)
    {
        ABR_CHECK(result > 0 || ABR_PUBLICATION_ADMIN_ACTION == result || ABR_PUBLICATION_NOT_CONNECTED == result);
        offered += result > 0 ? 1 : 0;
        ABR_CHECK(abr_nano_time() < deadline);
    }
    /* A subscriber that does not poll holds the publisher to its window: half a term for IPC. */
    ABR_CHECK(abr_publication_position(publication) >= abr_publication_position_limit(publication));
    ABR_CHECK(abr_publication_position(publication) <= 64 * 1024 / 2 + 1056);
    printf("    back pressured after %d messages at position %lld, limit %lld\n", offered,
        (long long)abr_publication_position(publication), (long long)abr_publication_position_limit(publication));

    last_t last = { 0, 0, 0 };
    poll_until(subscription, &last, offered);
    deadline = abr_nano_time() + SECONDS(10);
    while ((result = abr_publication_offer(publication, message, sizeof(message))) < 0)
    {
        ABR_CHECK(ABR_PUBLICATION_BACK_PRESSURED == result || ABR_PUBLICATION_ADMIN_ACTION == result);
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

static void test_bad_arguments_fail_without_touching_the_log(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_publication(&publication, client, "aeron:ipc?term-length=64k", 2007));
    uint8_t message[8193] = { 0 };

    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_offer(NULL, message, 10));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode() && NULL != strstr(abr_errmsg(), "publication=null"));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_offer(publication, NULL, 10));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "buffer=null"));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_offer(publication, message, sizeof(message)));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "8193") && NULL != strstr(abr_errmsg(), "streamId=2007"));
    /* A negative length from a binding arrives as a huge size_t: the same refusal. */
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_offer(publication, message, (size_t)-1));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_exclusive_publication_offer(NULL, message, 1));
    ABR_CHECK(0 == abr_publication_position(publication));
    /* Zero bytes need no buffer. */
    ABR_CHECK(ABR_PUBLICATION_NOT_CONNECTED == abr_publication_offer(publication, NULL, 0));

    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_position(NULL));
    ABR_CHECK(ABR_PUBLICATION_ERROR == abr_publication_position_limit(NULL));
    ABR_CHECK(!abr_publication_is_connected(NULL) && abr_publication_is_closed(NULL));
    ABR_CHECK(NULL == abr_publication_channel(NULL));
    ABR_CHECK(ABR_CHANNEL_STATUS_NO_ID_ALLOCATED == abr_publication_channel_status(NULL));
    ABR_CHECK(0 == abr_publication_close(NULL));
    ABR_CHECK(0 == abr_exclusive_publication_close(NULL));

    abr_publication_t *unused = NULL;
    ABR_CHECK(-1 == abr_client_add_publication(&unused, NULL, "aeron:ipc", 1));
    ABR_CHECK(-1 == abr_client_add_publication(&unused, client, NULL, 1));
    ABR_CHECK(-1 == abr_client_add_publication(NULL, client, "aeron:ipc", 1));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_client_close(client));
}

static void test_each_bad_argument_is_named_on_live_publications(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_publication_t *publication = NULL;
    abr_exclusive_publication_t *exclusive = NULL;
    CHECK_OK(abr_client_add_publication(&publication, client, "aeron:ipc?term-length=64k", 2009));
    CHECK_OK(abr_client_add_exclusive_publication(&exclusive, client, "aeron:ipc?term-length=64k", 2010));
    /* 64 KiB terms: messages of at most 8 KiB, one frame's payload of at most the MTU less its header. */
    ABR_CHECK(8192 == abr_publication_max_message_length(publication));
    ABR_CHECK(8192 == abr_exclusive_publication_max_message_length(exclusive));
    const size_t max_payload = abr_publication_max_payload_length(publication);
    ABR_CHECK(max_payload > 0 && max_payload == abr_exclusive_publication_max_payload_length(exclusive));
    static uint8_t message[8193];
    const abr_iovec_t too_long[] = { { message, 4096 }, { message, 4097 } };
    const abr_iovec_t hole[] = { { message, 4 }, { NULL, 4 } };
    abr_buffer_claim_t claim;
    abr_publication_mapping_t mapping;

    ABR_EXPECT_INVALID(abr_publication_offer, (publication, NULL, 10), ABR_PUBLICATION_ERROR, "buffer=null");
    ABR_EXPECT_INVALID(abr_publication_offer, (publication, message, 8193), ABR_PUBLICATION_ERROR, "length=8193");
    ABR_EXPECT_INVALID(abr_publication_offer, (publication, message, SIZE_MAX), ABR_PUBLICATION_ERROR,
        "exceeds the maximum of 8192");
    ABR_EXPECT_INVALID(abr_publication_offerv, (publication, NULL, 1), ABR_PUBLICATION_ERROR, "vectors=null");
    ABR_EXPECT_INVALID(abr_publication_offerv, (publication, too_long, 2), ABR_PUBLICATION_ERROR, "length=8193");
    ABR_EXPECT_INVALID(abr_publication_offerv, (publication, hole, 2), ABR_PUBLICATION_ERROR, "vector 1");
    ABR_EXPECT_INVALID(abr_publication_try_claim, (publication, 10, NULL), ABR_PUBLICATION_ERROR, "claim=null");
    ABR_EXPECT_INVALID(abr_publication_try_claim, (publication, max_payload + 1, &claim), ABR_PUBLICATION_ERROR,
        "exceeds the maximum");
    ABR_EXPECT_INVALID(abr_publication_mapping, (publication, NULL), -1, "mapping=null");

    ABR_EXPECT_INVALID(abr_exclusive_publication_offer, (exclusive, NULL, 10), ABR_PUBLICATION_ERROR, "buffer=null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offer, (exclusive, message, 8193), ABR_PUBLICATION_ERROR,
        "length=8193");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offer, (exclusive, message, SIZE_MAX), ABR_PUBLICATION_ERROR,
        "exceeds the maximum of 8192");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offerv, (exclusive, NULL, 1), ABR_PUBLICATION_ERROR, "vectors=null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offerv, (exclusive, too_long, 2), ABR_PUBLICATION_ERROR,
        "length=8193");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offerv, (exclusive, hole, 2), ABR_PUBLICATION_ERROR, "vector 1");
    ABR_EXPECT_INVALID(abr_exclusive_publication_try_claim, (exclusive, 10, NULL), ABR_PUBLICATION_ERROR, "claim=null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_try_claim, (exclusive, max_payload + 1, &claim), ABR_PUBLICATION_ERROR,
        "exceeds the maximum");
    ABR_EXPECT_INVALID(abr_exclusive_publication_mapping, (exclusive, NULL), -1, "mapping=null");

    /* Nothing reached either log; an empty message needs no vectors (and, with no subscriber, is not connected). */
    ABR_CHECK(0 == abr_publication_position(publication) && 0 == abr_exclusive_publication_position(exclusive));
    ABR_EXPECT_RETURNS(abr_publication_offerv, (publication, NULL, 0), ABR_PUBLICATION_NOT_CONNECTED);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_offerv, (exclusive, NULL, 0), ABR_PUBLICATION_NOT_CONNECTED);

    /* The archive calls that take a publication check the archive client after it. */
    ABR_EXPECT_INVALID(abr_archive_stop_recording_publication, (NULL, publication), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_stop_recording_exclusive_publication, (NULL, exclusive), -1,
        "archive client must not be null");

    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_exclusive_publication_close(exclusive));
    CHECK_OK(abr_client_close(client));
    ABR_EXPECT_ALL_PASSED();
}

/* The mapping names the log the offers write and the limit they obey, and refuses bad or closed handles. */
static void test_mapping_shows_the_log_offers_write(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_subscription_t *subscription = NULL;
    abr_publication_t *publication = NULL;
    abr_exclusive_publication_t *exclusive = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc?term-length=64k", 2008));
    CHECK_OK(abr_client_add_publication(&publication, client, "aeron:ipc?term-length=64k", 2008));
    CHECK_OK(abr_client_add_exclusive_publication(&exclusive, client, "aeron:ipc?term-length=64k", 2008));
    await_image(subscription, 2);

    abr_publication_mapping_t mapping;
    CHECK_OK(abr_publication_mapping(publication, &mapping));
    ABR_CHECK(64 * 1024 == mapping.term_length);
    ABR_CHECK(mapping.log_length >= 3 * 64 * 1024 + 4096);
    ABR_CHECK(0 == *mapping.client_closed);
    int64_t limit;
    memcpy(&limit, mapping.position_limit, sizeof(limit));
    ABR_CHECK(limit == abr_publication_position_limit(publication));
    uint8_t message[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_publication_offer(publication, message, sizeof(message)) < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
    }
    /* The first frame of the first term: its length, then the payload after the 32-byte header. */
    int32_t frame_length;
    memcpy(&frame_length, mapping.log, sizeof(frame_length));
    ABR_CHECK(32 + 8 == frame_length && 0 == memcmp(mapping.log + 32, message, sizeof(message)));

    abr_publication_mapping_t exclusive_mapping;
    CHECK_OK(abr_exclusive_publication_mapping(exclusive, &exclusive_mapping));
    ABR_CHECK(exclusive_mapping.log != mapping.log && exclusive_mapping.client_closed == mapping.client_closed);

    ABR_CHECK(-1 == abr_publication_mapping(NULL, &mapping) && ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_exclusive_publication_mapping(exclusive, NULL) && ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    CHECK_OK(abr_publication_close(publication));
    ABR_CHECK(-1 == abr_publication_mapping(publication, &mapping) && ABR_ERROR_CLOSED == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "streamId=2008"));
    CHECK_OK(abr_exclusive_publication_close(exclusive));
    CHECK_OK(abr_subscription_close(subscription));
    CHECK_OK(abr_client_close(client));
}

/* Whether any mapping of this process starts at address (read from /proc/self/maps). */
static bool is_mapped(const uint8_t *address)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    ABR_CHECK(NULL != maps);
    char line[1024];
    bool found = false;
    while (!found && NULL != fgets(line, sizeof(line), maps))
    {
        found = (uintptr_t)address == (uintptr_t)strtoull(line, NULL, 16);
    }
    fclose(maps);
    return found;
}

/* A closed publication's log stays mapped for the resource linger, so an append racing the close lands in
 * mapped memory; after the linger the conductor unmaps it. */
static void test_closed_publication_log_lingers_then_goes(void)
{
    abr_context_t *context = NULL;
    CHECK_OK(abr_context_init(&context));
    ABR_CHECK(ABR_RESOURCE_LINGER_NS_DEFAULT == abr_context_get_resource_linger_ns(context));
    ABR_CHECK(-1 == abr_context_set_resource_linger_ns(NULL, 1) && ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_context_set_resource_linger_ns(context, UINT64_MAX) &&
        ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    CHECK_OK(abr_context_set_dir(context, g_driver.dir));
    CHECK_OK(abr_context_set_resource_linger_ns(context, 500000000ULL));
    abr_client_t *client = NULL;
    CHECK_OK(abr_client_connect(&client, context));
    abr_context_close(context);

    abr_publication_t *publication = NULL;
    abr_exclusive_publication_t *exclusive = NULL;
    CHECK_OK(abr_client_add_publication(&publication, client, "aeron:ipc?term-length=64k", 2009));
    CHECK_OK(abr_client_add_exclusive_publication(&exclusive, client, "aeron:ipc?term-length=64k", 2009));
    abr_publication_mapping_t mapping;
    abr_publication_mapping_t exclusive_mapping;
    CHECK_OK(abr_publication_mapping(publication, &mapping));
    CHECK_OK(abr_exclusive_publication_mapping(exclusive, &exclusive_mapping));

    int64_t closed_at = abr_nano_time();
    CHECK_OK(abr_publication_close(publication));
    CHECK_OK(abr_exclusive_publication_close(exclusive));
    /* What a late append would do: touch the log after the close. Unmapped, this would fault. */
    uint8_t *tail_page = mapping.log + mapping.log_length - 1;
    *(volatile uint8_t *)tail_page = *(volatile uint8_t *)tail_page;
    ABR_CHECK(ABR_PUBLICATION_CLOSED == abr_publication_offer(publication, (const uint8_t *)"x", 1));
    ABR_CHECK(is_mapped(mapping.log) && is_mapped(exclusive_mapping.log));

    int64_t deadline = closed_at + SECONDS(10);
    while (is_mapped(mapping.log) || is_mapped(exclusive_mapping.log))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(10);
    }
    ABR_CHECK(abr_nano_time() - closed_at >= 500000000LL);
    CHECK_OK(abr_client_close(client));
}

int main(void)
{
    abr_test_driver_start(&g_driver, NULL);
    ABR_RUN(test_concurrent_publications_share_one_log);
    ABR_RUN(test_sizes_over_ipc_and_udp);
    ABR_RUN(test_two_threads_offer_at_once_without_loss);
    ABR_RUN(test_claims_commit_and_abort_on_both_kinds);
    ABR_RUN(test_back_pressure_then_recovery);
    ABR_RUN(test_bad_arguments_fail_without_touching_the_log);
    ABR_RUN(test_each_bad_argument_is_named_on_live_publications);
    ABR_RUN(test_mapping_shows_the_log_offers_write);
    ABR_RUN(test_closed_publication_log_lingers_then_goes);
    abr_test_driver_stop(&g_driver);
    return 0;
}
