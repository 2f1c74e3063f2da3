/*
 * Counters a client allocates through a real Java Media Driver (ADD_COUNTER / REMOVE_COUNTER): the record the driver
 * writes (state, type id, key, label, registration and owner ids) as any CountersReader of the CnC sees it, values
 * written by the handle and read through abr_counters_value from another client, async adds and their cancel, close,
 * a counter the driver frees under its owner, misuse of every call, the driver refusing an add when its counters
 * buffer is full, and closes racing sets, gets and increments on eight threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "core/conductor.h"
#include "core/counter.h"
#include "core/counters.h"
#include "test_assert.h"
#include "test_driver.h"
#include "test_expect.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define SECONDS(n) ((int64_t)(n) * 1000000000LL)
#define TYPE_ID 1101
/* io.aeron.ErrorCode.GENERIC_ERROR: what the driver answers when its counters buffer is full. */
#define DRIVER_GENERIC_ERROR 11
/* CountersReader's value record: owner id after value and registration id. */
#define OWNER_ID_OFFSET 16
#define RACE_THREADS 8
#define RACE_ROUNDS 40

static abr_test_driver_t g_driver;

static int32_t counter_state(abr_client_t *client, int32_t counter_id)
{
    int32_t state = 0;
    CHECK_OK(abr_counters_state(client, counter_id, &state));
    return state;
}

/* Wait up to 20 s for the record to leave the allocated state (the driver reclaims it on remove). */
static void await_reclaimed(abr_client_t *client, int32_t counter_id)
{
    const int64_t deadline = abr_nano_time() + SECONDS(20);
    while (ABR_COUNTER_RECORD_ALLOCATED == counter_state(client, counter_id))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static void test_the_driver_writes_the_record_and_other_clients_read_the_value(void)
{
    abr_client_t *owner = abr_test_connect(&g_driver, true, 10000);
    abr_client_t *reader = abr_test_connect(&g_driver, false, 10000);
    const uint8_t key[ABR_COUNTER_MAX_KEY_LENGTH] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, [111] = 0x7f };
    const char label[] = "archive-bridge test counter";

    abr_counter_t *counter = NULL;
    CHECK_OK(abr_client_add_counter(&counter, owner, TYPE_ID, key, sizeof(key), label, strlen(label)));
    const int32_t id = abr_counter_id(counter);
    ABR_CHECK(id >= 0);
    ABR_CHECK(abr_counter_registration_id(counter) > 0);
    ABR_CHECK(!abr_counter_is_closed(counter));

    /* The record as CountersReader reads it, through another client's mapping of the CnC. */
    ABR_CHECK(ABR_COUNTER_RECORD_ALLOCATED == counter_state(reader, id));
    int32_t type_id = 0;
    CHECK_OK(abr_counters_type_id(reader, id, &type_id));
    ABR_CHECK(TYPE_ID == type_id);
    char read_label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
    ABR_CHECK((int)strlen(label) == abr_counters_label(reader, id, read_label, sizeof(read_label)));
    ABR_CHECK_STR_EQ(label, read_label);
    uint8_t read_key[ABR_COUNTER_MAX_KEY_LENGTH];
    ABR_CHECK(ABR_COUNTER_MAX_KEY_LENGTH == abr_counters_key(reader, id, read_key, sizeof(read_key)));
    ABR_CHECK(0 == memcmp(key, read_key, sizeof(key)));
    int64_t registration_id = 0;
    CHECK_OK(abr_counters_registration_id(reader, id, &registration_id));
    ABR_CHECK(abr_counter_registration_id(counter) == registration_id);
    const uint8_t *values = reader->cnc.counters_values + (size_t)id * ABR_COUNTER_LENGTH;
    ABR_CHECK(abr_client_id(owner) == abr_get_int64_acquire(values + OWNER_ID_OFFSET));
    int32_t found = -1;
    ABR_CHECK(1 == abr_counters_find_by_type_id_and_key(reader, TYPE_ID, key, sizeof(key), &found));
    ABR_CHECK(id == found);

    /* Values written by the handle, read by the other client, and the other way round for get. */
    int64_t value = -1;
    CHECK_OK(abr_counters_value(reader, id, &value));
    ABR_CHECK(0 == value);
    const int64_t samples[] = { 1, -1, INT64_MAX, INT64_MIN, 0, 42 };
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
    {
        CHECK_OK(abr_counter_set(counter, samples[i]));
        CHECK_OK(abr_counters_value(reader, id, &value));
        ABR_CHECK(samples[i] == value);
        CHECK_OK(abr_counter_get(counter, &value));
        ABR_CHECK(samples[i] == value);
    }
    int64_t previous = 0;
    CHECK_OK(abr_counter_increment(counter, &previous));
    ABR_CHECK(42 == previous);
    CHECK_OK(abr_counter_increment(counter, NULL));
    CHECK_OK(abr_counters_value(reader, id, &value));
    ABR_CHECK(44 == value);
    CHECK_OK(abr_counter_set(counter, INT64_MAX));
    CHECK_OK(abr_counter_increment(counter, &previous));
    CHECK_OK(abr_counter_get(counter, &value));
    ABR_CHECK(INT64_MAX == previous && INT64_MIN == value);

    /* An empty key and label are allowed, NULL with them too. */
    abr_counter_t *bare = NULL;
    CHECK_OK(abr_client_add_counter(&bare, owner, 0, NULL, 0, NULL, 0));
    ABR_CHECK(0 == abr_counters_label(reader, abr_counter_id(bare), read_label, sizeof(read_label)));
    ABR_CHECK(id != abr_counter_id(bare));

    /* Close: the driver reclaims the record, the handle reports closed, and a second close sends nothing. */
    CHECK_OK(abr_counter_close(counter));
    ABR_CHECK(abr_counter_is_closed(counter));
    await_reclaimed(reader, id);
    CHECK_OK(abr_counter_close(counter));
    ABR_EXPECT_ERROR(abr_counter_set, (counter, 1), -1, ABR_ERROR_CLOSED, "counter is closed");
    ABR_EXPECT_ERROR(abr_counter_get, (counter, &value), -1, ABR_ERROR_CLOSED, "registrationId=");
    ABR_EXPECT_ERROR(abr_counter_increment, (counter, NULL), -1, ABR_ERROR_CLOSED, "counterId=");

    /* The client's close closes what is left open. */
    const int32_t bare_id = abr_counter_id(bare);
    abr_client_close(owner);
    await_reclaimed(reader, bare_id);
    abr_client_close(reader);
}

static void test_async_adds_complete_and_a_cancel_removes_the_counter(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, false, 10000);
    abr_async_add_t *async = NULL;
    const char label[] = "async";
    CHECK_OK(abr_client_async_add_counter(&async, client, TYPE_ID, NULL, 0, label, strlen(label)));
    abr_counter_t *counter = NULL;
    const int64_t deadline = abr_nano_time() + SECONDS(20);
    int status;
    while (0 == (status = abr_async_add_counter_poll(&counter, async)))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(1 == status && NULL != counter);
    CHECK_OK(abr_counter_set(counter, 7));

    /* A cancel once the driver answered removes what it made. */
    CHECK_OK(abr_client_async_add_counter(&async, client, TYPE_ID, NULL, 0, label, strlen(label)));
    int32_t ours = abr_counter_id(counter);
    int32_t cancelled = -1;
    while (cancelled < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        CHECK_OK(abr_client_do_work(client));
        if (ABR_PENDING_DONE == async->state)
        {
            cancelled = async->counter->counter_id;
        }
        abr_sleep_ms(1);
    }
    CHECK_OK(abr_async_add_cancel(async));
    while (ABR_COUNTER_RECORD_ALLOCATED == counter_state(client, cancelled))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        CHECK_OK(abr_client_do_work(client));
        abr_sleep_ms(1);
    }
    ABR_CHECK(ABR_COUNTER_RECORD_ALLOCATED == counter_state(client, ours));
    abr_client_close(client);
}

static void test_a_counter_the_driver_frees_is_closed_for_its_owner(void)
{
    abr_client_t *owner = abr_test_connect(&g_driver, true, 10000);
    abr_client_t *other = abr_test_connect(&g_driver, true, 10000);
    abr_counter_t *counter = NULL;
    CHECK_OK(abr_client_add_counter(&counter, owner, TYPE_ID, NULL, 0, "freed", 5));
    CHECK_OK(abr_counter_set(counter, 5));

    /* The Java driver removes a counter for whichever client names its registration id; it then tells every client
     * the counter is unavailable. */
    pthread_mutex_lock(&other->lock);
    CHECK_OK(abr_driver_proxy_remove_counter(
        &other->driver_proxy, abr_ring_buffer_next_correlation_id(&other->to_driver),
        abr_counter_registration_id(counter)));
    pthread_mutex_unlock(&other->lock);

    const int64_t deadline = abr_nano_time() + SECONDS(20);
    while (!abr_counter_is_closed(counter))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_EXPECT_ERROR(abr_counter_set, (counter, 6), -1, ABR_ERROR_CLOSED, "freed by the Media Driver");
    abr_counter_mapping_t mapping;
    ABR_EXPECT_ERROR(abr_counter_mapping, (counter, &mapping), -1, ABR_ERROR_CLOSED, "freed by the Media Driver");
    CHECK_OK(abr_counter_close(counter));
    abr_client_close(other);
    abr_client_close(owner);
}

static void test_bad_arguments_are_refused_naming_them(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_counter_t *counter = ABR_EXPECT_SENTINEL;
    abr_async_add_t *async = ABR_EXPECT_SENTINEL;
    uint8_t key[ABR_COUNTER_MAX_KEY_LENGTH + 1] = { 0 };
    char label[ABR_COUNTER_MAX_LABEL_LENGTH + 2];
    memset(label, 'x', sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    int64_t value = 0;

    ABR_EXPECT_INVALID(abr_client_add_counter, (NULL, client, TYPE_ID, key, 1, "l", 1), -1, "counter out-pointer");
    ABR_EXPECT_INVALID(abr_client_add_counter, (&counter, NULL, TYPE_ID, key, 1, "l", 1), -1, "client must not be null");
    ABR_CHECK(NULL == counter);
    counter = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_client_add_counter, (&counter, client, TYPE_ID, NULL, 1, "l", 1), -1, "key must not be null");
    ABR_EXPECT_INVALID(abr_client_add_counter, (&counter, client, TYPE_ID, key, 1, NULL, 1), -1, "label must not be");
    ABR_EXPECT_INVALID(
        abr_client_add_counter, (&counter, client, TYPE_ID, key, ABR_COUNTER_MAX_KEY_LENGTH + 1, "l", 1), -1,
        "key length out of bounds");
    ABR_EXPECT_INVALID(
        abr_client_add_counter, (&counter, client, TYPE_ID, key, 0, label, ABR_COUNTER_MAX_LABEL_LENGTH + 1), -1,
        "label length out of bounds");
    ABR_EXPECT_INVALID(abr_client_add_counter, (&counter, client, TYPE_ID, key, SIZE_MAX, "l", 1), -1, "keyLength=");
    ABR_EXPECT_INVALID(abr_client_add_counter, (&counter, client, TYPE_ID, key, 0, label, SIZE_MAX), -1, "labelLength=");
    ABR_CHECK(NULL == counter);
    ABR_EXPECT_INVALID(abr_client_async_add_counter, (NULL, client, TYPE_ID, key, 1, "l", 1), -1, "async out-pointer");
    ABR_EXPECT_INVALID(abr_client_async_add_counter, (&async, NULL, TYPE_ID, key, 1, "l", 1), -1, "client must not");
    ABR_CHECK(NULL == async);
    ABR_EXPECT_INVALID(abr_client_async_add_counter, (&async, client, TYPE_ID, NULL, 3, "l", 1), -1, "key must not");
    ABR_EXPECT_INVALID(abr_client_async_add_counter, (&async, client, TYPE_ID, key, 1, NULL, 2), -1, "label must not");
    ABR_EXPECT_INVALID(abr_async_add_counter_poll, (NULL, NULL), -1, "counter out-pointer");
    ABR_EXPECT_INVALID(abr_async_add_counter_poll, (&counter, NULL), -1, "async must not be null");

    /* The poll of another kind of add leaves it as it was, the caller's. */
    CHECK_OK(abr_client_async_add_subscription(&async, client, "aeron:ipc", 1));
    ABR_EXPECT_INVALID(abr_async_add_counter_poll, (&counter, async), -1, "not of the polled kind");
    CHECK_OK(abr_async_add_cancel(async));
    CHECK_OK(abr_client_async_add_counter(&async, client, TYPE_ID, NULL, 0, NULL, 0));
    abr_subscription_t *subscription = NULL;
    ABR_EXPECT_INVALID(abr_async_add_subscription_poll, (&subscription, async), -1, "not of the polled kind");
    CHECK_OK(abr_async_add_cancel(async));

    ABR_EXPECT_INVALID(abr_counter_set, (NULL, 1), -1, "counter must not be null");
    ABR_EXPECT_INVALID(abr_counter_get, (NULL, &value), -1, "counter must not be null");
    ABR_EXPECT_INVALID(abr_counter_increment, (NULL, NULL), -1, "counter must not be null");
    ABR_EXPECT_INVALID(abr_counter_mapping, (NULL, NULL), -1, "mapping must not be null");
    abr_counter_mapping_t mapping;
    ABR_EXPECT_INVALID(abr_counter_mapping, (NULL, &mapping), -1, "counter must not be null");
    ABR_EXPECT_RETURNS(abr_counter_id, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_counter_registration_id, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_counter_is_closed, (NULL), true);
    ABR_EXPECT_RETURNS(abr_counter_close, (NULL), 0);

    CHECK_OK(abr_client_add_counter(&counter, client, TYPE_ID, NULL, 0, "ok", 2));
    ABR_EXPECT_INVALID(abr_counter_get, (counter, NULL), -1, "value out-pointer");
    CHECK_OK(abr_counter_mapping(counter, &mapping));
    ABR_CHECK(0 == abr_load_int_acquire(mapping.closed) && 0 == abr_load_int_acquire(mapping.client_closed));
    ABR_CHECK(0 == ((uintptr_t)mapping.value & 7));
    abr_put_int64_release(mapping.value, 99);
    CHECK_OK(abr_counter_get(counter, &value));
    ABR_CHECK(99 == value);

    /* The persistent subscription context takes counters (NULL unsets); a NULL context is refused. */
    abr_archive_persistent_subscription_context_t *context = NULL;
    CHECK_OK(abr_archive_persistent_subscription_context_init(&context));
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_state_counter, (NULL, counter), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_join_difference_counter, (NULL, counter), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_left_counter, (NULL, counter), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_joined_counter, (NULL, counter), -1,
        "context must not be null");
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_state_counter, (NULL));
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_join_difference_counter, (NULL));
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_live_left_counter, (NULL));
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_live_joined_counter, (NULL));
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_state_counter, (context, counter), 0);
    ABR_CHECK(counter == abr_archive_persistent_subscription_context_get_state_counter(context));
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_state_counter, (context, NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_join_difference_counter, (context, NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_live_left_counter, (context, NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_live_joined_counter, (context, NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_live_joined_counter, (context, counter), 0);
    ABR_CHECK(NULL == abr_archive_persistent_subscription_context_get_state_counter(context));
    ABR_CHECK(counter == abr_archive_persistent_subscription_context_get_live_joined_counter(context));
    abr_archive_persistent_subscription_context_close(context);

    /* A closed client: adds fail CLOSED, and so does the counter it had. */
    abr_client_close(client);
    ABR_CHECK(0 != abr_load_int_acquire(mapping.client_closed));
    ABR_CHECK(abr_counter_is_closed(counter));
    ABR_EXPECT_ERROR(abr_counter_set, (counter, 1), -1, ABR_ERROR_CLOSED, "client is closed");
    ABR_EXPECT_RETURNS(abr_counter_close, (counter), 0);
}

static void test_the_driver_refuses_an_add_when_its_counters_buffer_is_full(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, false, 10000);
    const int32_t max_id = abr_counters_max_counter_id(client);
    /* More adds than the buffer has records: the last ones must be refused. */
    const int32_t count = max_id + 2;
    abr_async_add_t **asyncs = calloc((size_t)count, sizeof(*asyncs));
    ABR_CHECK(NULL != asyncs);
    int added = 0;
    int refused = 0;
    for (int32_t i = 0; i < count; i++)
    {
        CHECK_OK(abr_client_async_add_counter(&asyncs[i], client, TYPE_ID, NULL, 0, "filler", 6));
        if (0 == i % 64)
        {
            CHECK_OK(abr_client_do_work(client));
        }
    }
    const int64_t deadline = abr_nano_time() + SECONDS(60);
    for (int32_t i = 0; i < count; i++)
    {
        abr_counter_t *counter = NULL;
        int status;
        while (0 == (status = abr_async_add_counter_poll(&counter, asyncs[i])))
        {
            ABR_CHECK(abr_nano_time() < deadline);
        }
        if (1 == status)
        {
            added++;
            continue;
        }
        if (0 == refused++)
        {
            printf("# first refusal: %s\n", abr_errmsg());
        }
        if (ABR_ERROR_DRIVER_REJECTED != abr_errcode() || DRIVER_GENERIC_ERROR != abr_errdriver_code() ||
            NULL == strstr(abr_errmsg(), "buffer is full") || NULL == strstr(abr_errmsg(), "label=filler"))
        {
            fprintf(stderr, "unexpected failure of add %d: code=%d driverCode=%d %s\n", i, abr_errcode(),
                abr_errdriver_code(), abr_errmsg());
            exit(1);
        }
    }
    printf("# counters buffer of %d records: %d added, %d refused\n", max_id + 1, added, refused);
    ABR_CHECK(refused >= 2 && added > 0);
    free(asyncs);
    abr_client_close(client);
}

typedef struct
{
    abr_counter_t *counter;
    int closed_seen;
    int bad_result;
}
race_t;

static void *race_use(void *arg)
{
    race_t *race = arg;
    for (int i = 0; i < 1000000; i++)
    {
        int64_t value = 0;
        int result;
        switch (i % 3)
        {
            case 0: result = abr_counter_set(race->counter, i); break;
            case 1: result = abr_counter_get(race->counter, &value); break;
            default: result = abr_counter_increment(race->counter, &value); break;
        }
        if (result < 0)
        {
            if (ABR_ERROR_CLOSED != abr_errcode())
            {
                race->bad_result = abr_errcode();
            }
            race->closed_seen = 1;
            return NULL;
        }
    }
    return NULL;
}

static void test_closes_racing_use_on_eight_threads_end_cleanly(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    int closed_seen = 0;
    for (int round = 0; round < RACE_ROUNDS; round++)
    {
        abr_counter_t *counter = NULL;
        CHECK_OK(abr_client_add_counter(&counter, client, TYPE_ID, NULL, 0, "race", 4));
        pthread_t threads[RACE_THREADS];
        race_t races[RACE_THREADS];
        for (int t = 0; t < RACE_THREADS; t++)
        {
            races[t] = (race_t){ .counter = counter };
            ABR_CHECK(0 == pthread_create(&threads[t], NULL, race_use, &races[t]));
        }
        abr_sleep_ms(round % 3);
        CHECK_OK(abr_counter_close(counter));
        for (int t = 0; t < RACE_THREADS; t++)
        {
            pthread_join(threads[t], NULL);
            ABR_CHECK(0 == races[t].bad_result);
            closed_seen += races[t].closed_seen;
        }
    }
    printf("# %d rounds of %d threads: %d threads saw CLOSED\n", RACE_ROUNDS, RACE_THREADS, closed_seen);
    ABR_CHECK(closed_seen > 0);
    abr_client_close(client);
}

int main(void)
{
    /* The smallest counters buffer the driver takes (1 MiB, 8,192 records), so that filling it stays quick. */
    const char *properties[] = { "aeron.counters.buffer.length=1048576", NULL };
    abr_test_driver_start(&g_driver, properties);
    ABR_RUN(test_the_driver_writes_the_record_and_other_clients_read_the_value);
    ABR_RUN(test_async_adds_complete_and_a_cancel_removes_the_counter);
    ABR_RUN(test_a_counter_the_driver_frees_is_closed_for_its_owner);
    ABR_EXPECT_RUN(test_bad_arguments_are_refused_naming_them);
    ABR_RUN(test_closes_racing_use_on_eight_threads_end_cleanly);
    ABR_RUN(test_the_driver_refuses_an_add_when_its_counters_buffer_is_full);
    ABR_EXPECT_ALL_PASSED();
    abr_test_driver_stop(&g_driver);
    return 0;
}
