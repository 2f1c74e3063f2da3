/*
 * Lock-free polling of cached image refs (abr_subscription_poll_guard, abr_subscription_image_refs) against a real
 * Java Media Driver: a poll that entered the guard before an image went, the subscription closed or the client closed
 * (resource linger 0) still reads mapped terms until it leaves, and the logs are unmapped once it has left. A poll
 * that reads an unmapped term dies of SIGSEGV here, so each test fails by crashing when the core unmaps too early.
 * Plus a poller thread reading every page of its images while they come and go under it.
 */
#include <pthread.h>
#include <stdio.h>
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
#define TERM_LENGTH (64 * 1024)
#define CHANNEL "aeron:ipc?term-length=64k"
#define MAX_REFS 4

static abr_test_driver_t g_driver;

typedef struct
{
    abr_subscription_t *subscription;
    abr_subscription_poll_guard_t *guard;
    abr_image_ref_t refs[MAX_REFS];
    int count;
    int64_t version;
}
cached_refs_t;

static abr_client_t *connect_with_linger(uint64_t linger_ns)
{
    abr_context_t *context = NULL;
    CHECK_OK(abr_context_init(&context));
    CHECK_OK(abr_context_set_dir(context, g_driver.dir));
    CHECK_OK(abr_context_set_use_conductor_thread(context, true));
    CHECK_OK(abr_context_set_driver_timeout_ms(context, 10000));
    CHECK_OK(abr_context_set_resource_linger_ns(context, linger_ns));
    abr_client_t *client = NULL;
    CHECK_OK(abr_client_connect(&client, context));
    abr_context_close(context);
    return client;
}

/* Read one byte of every page of every term, and the subscriber position: a SIGSEGV if any is unmapped. */
static int64_t read_every_page(const cached_refs_t *cache)
{
    int64_t sum = 0;
    for (int i = 0; i < cache->count; i++)
    {
        const volatile uint8_t *terms = cache->refs[i].terms;
        for (int64_t offset = 0; offset < 3LL * cache->refs[i].term_length; offset += 4096)
        {
            sum += terms[offset];
        }
        sum += __atomic_load_n((const int64_t *)(const void *)cache->refs[i].subscriber_position, __ATOMIC_ACQUIRE);
    }
    return sum;
}

/* Enter the guard with refs of the current version: refreshed until the version held still across the entry. */
static void enter(cached_refs_t *cache)
{
    while (true)
    {
        __atomic_fetch_add(&cache->guard->pollers, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&cache->guard->images_version, __ATOMIC_SEQ_CST) == cache->version)
        {
            return;
        }
        __atomic_fetch_sub(&cache->guard->pollers, 1, __ATOMIC_SEQ_CST);
        int count = abr_subscription_image_refs(cache->subscription, cache->refs, MAX_REFS, &cache->version);
        ABR_CHECK(count >= 0);
        cache->count = count < MAX_REFS ? count : MAX_REFS;
    }
}

static void leave(cached_refs_t *cache)
{
    __atomic_fetch_sub(&cache->guard->pollers, 1, __ATOMIC_SEQ_CST);
}

static int64_t version_now(const cached_refs_t *cache)
{
    return __atomic_load_n(&cache->guard->images_version, __ATOMIC_SEQ_CST);
}

/* How many mappings of this driver's logs this process has (/proc/self/maps): over IPC an image maps its publication's
 * log, so a publication and its image here are two. */
static int mapped_logs(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    ABR_CHECK(NULL != maps);
    char line[1024];
    int count = 0;
    while (NULL != fgets(line, sizeof(line), maps))
    {
        if (NULL != strstr(line, g_driver.dir) && NULL != strstr(line, ".logbuffer"))
        {
            count++;
        }
    }
    fclose(maps);
    return count;
}

static void await_mapped_logs(int expected)
{
    int64_t deadline = abr_nano_time() + SECONDS(20);
    while (mapped_logs() != expected)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static abr_exclusive_publication_t *publish_and_cache(abr_client_t *client, cached_refs_t *cache, int32_t stream_id)
{
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, stream_id));
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (1 != abr_subscription_image_count(cache->subscription))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    /* Nothing offered: a closed IPC publication's image goes once its subscriber has read everything. */
    enter(cache);
    ABR_CHECK(1 == cache->count && TERM_LENGTH == cache->refs[0].term_length);
    ABR_CHECK(abr_exclusive_publication_session_id(publication) == cache->refs[0].session_id);
    leave(cache);
    return publication;
}

static void subscribe(abr_client_t *client, cached_refs_t *cache, int32_t stream_id)
{
    memset(cache, 0, sizeof(*cache));
    cache->version = -1;
    CHECK_OK(abr_client_add_subscription(&cache->subscription, client, CHANNEL, stream_id));
    cache->guard = abr_subscription_poll_guard(cache->subscription);
    ABR_CHECK(NULL != cache->guard);
}

static void test_an_image_that_goes_under_a_poll_stays_mapped_until_the_poll_leaves(void)
{
    abr_client_t *client = connect_with_linger(0);
    cached_refs_t cache;
    subscribe(client, &cache, 4001);
    abr_exclusive_publication_t *publication = publish_and_cache(client, &cache, 4001);
    ABR_CHECK(2 == mapped_logs());

    enter(&cache);
    int64_t entered_at = cache.version;
    CHECK_OK(abr_exclusive_publication_close(publication));
    int64_t deadline = abr_nano_time() + SECONDS(20);
    while (0 != abr_subscription_image_count(cache.subscription))
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    ABR_CHECK(version_now(&cache) != entered_at);
    /* Many conductor duty cycles: each tries to unmap the image and must find the poll still in (the publication's
     * own mapping goes, without linger). */
    await_mapped_logs(1);
    abr_sleep_ms(50);
    read_every_page(&cache);
    ABR_CHECK(1 == mapped_logs());
    leave(&cache);
    await_mapped_logs(0);

    enter(&cache);
    ABR_CHECK(0 == cache.count);
    leave(&cache);
    CHECK_OK(abr_subscription_close(cache.subscription));
    CHECK_OK(abr_client_close(client));
}

static void test_a_subscription_closed_under_a_poll_keeps_its_images_mapped_until_the_poll_leaves(void)
{
    abr_client_t *client = connect_with_linger(0);
    cached_refs_t cache;
    subscribe(client, &cache, 4002);
    abr_exclusive_publication_t *publication = publish_and_cache(client, &cache, 4002);

    enter(&cache);
    int64_t entered_at = cache.version;
    CHECK_OK(abr_subscription_close(cache.subscription));
    ABR_CHECK(version_now(&cache) != entered_at);
    abr_sleep_ms(50);
    read_every_page(&cache);
    ABR_CHECK(2 == mapped_logs());
    leave(&cache);
    await_mapped_logs(1);

    /* The next poll finds the version changed and asks the core, which answers closed. */
    __atomic_fetch_add(&cache.guard->pollers, 1, __ATOMIC_SEQ_CST);
    ABR_CHECK(version_now(&cache) != cache.version);
    leave(&cache);
    ABR_CHECK(-1 == abr_subscription_image_refs(cache.subscription, cache.refs, MAX_REFS, &cache.version));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());
    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_client_close(client));
}

static void test_a_client_closed_under_a_poll_without_linger_waits_for_the_poll_before_unmapping(void)
{
    abr_client_t *client = connect_with_linger(0);
    cached_refs_t cache;
    subscribe(client, &cache, 4003);
    publish_and_cache(client, &cache, 4003);

    enter(&cache);
    int64_t entered_at = cache.version;
    CHECK_OK(abr_client_close(client));
    ABR_CHECK(version_now(&cache) != entered_at);
    abr_sleep_ms(50);
    read_every_page(&cache);
    ABR_CHECK(2 == mapped_logs());
    /* The last touch of the client's memory: after it the close's own thread may free the subscription. */
    leave(&cache);
    await_mapped_logs(0);
}

typedef struct
{
    cached_refs_t cache;
    int stop;
    int64_t polls;
    int64_t refreshes;
}
poller_t;

static void *poll_until_stopped(void *arg)
{
    poller_t *poller = arg;
    while (!__atomic_load_n(&poller->stop, __ATOMIC_ACQUIRE))
    {
        int64_t before = poller->cache.version;
        enter(&poller->cache);
        read_every_page(&poller->cache);
        leave(&poller->cache);
        poller->refreshes += before != poller->cache.version ? 1 : 0;
        poller->polls++;
    }
    return NULL;
}

static void test_images_coming_and_going_under_a_polling_thread(void)
{
    abr_client_t *client = connect_with_linger(0);
    poller_t poller;
    memset(&poller, 0, sizeof(poller));
    subscribe(client, &poller.cache, 4004);
    pthread_t thread;
    ABR_CHECK(0 == pthread_create(&thread, NULL, poll_until_stopped, &poller));

    for (int round = 0; round < 20; round++)
    {
        abr_exclusive_publication_t *publication = NULL;
        CHECK_OK(abr_client_add_exclusive_publication(&publication, client, CHANNEL, 4004));
        int64_t deadline = abr_nano_time() + SECONDS(20);
        while (1 != abr_subscription_image_count(poller.cache.subscription))
        {
            ABR_CHECK(abr_nano_time() < deadline);
            abr_sleep_ms(1);
        }
        abr_sleep_ms(5);
        CHECK_OK(abr_exclusive_publication_close(publication));
        while (0 != abr_subscription_image_count(poller.cache.subscription))
        {
            ABR_CHECK(abr_nano_time() < deadline);
            abr_sleep_ms(1);
        }
    }
    __atomic_store_n(&poller.stop, 1, __ATOMIC_RELEASE);
    ABR_CHECK(0 == pthread_join(thread, NULL));
    printf("    %lld polls, %lld of them after a change\n", (long long)poller.polls, (long long)poller.refreshes);
    ABR_CHECK(poller.refreshes >= 2);
    await_mapped_logs(0);
    CHECK_OK(abr_subscription_close(poller.cache.subscription));
    CHECK_OK(abr_client_close(client));
}

static void test_bad_arguments(void)
{
    abr_client_t *client = connect_with_linger(0);
    cached_refs_t cache;
    subscribe(client, &cache, 4005);
    int64_t version = 0;
    ABR_EXPECT_RETURNS(abr_subscription_poll_guard, (NULL), 0);
    ABR_EXPECT_INVALID(abr_subscription_image_refs, (NULL, cache.refs, 1, &version), -1, "subscription=null");
    ABR_EXPECT_INVALID(abr_subscription_image_refs, (cache.subscription, NULL, 1, &version), -1, "images=null");
    ABR_EXPECT_INVALID(abr_subscription_image_refs, (cache.subscription, cache.refs, -1, &version), -1, "capacity=-1");
    ABR_EXPECT_INVALID(
        abr_subscription_image_refs, (cache.subscription, cache.refs, 1, NULL), -1, "images_version=null");
    ABR_CHECK(0 == abr_subscription_image_refs(cache.subscription, cache.refs, 0, &version));
    ABR_CHECK(version == cache.guard->images_version);
    CHECK_OK(abr_subscription_close(cache.subscription));
    CHECK_OK(abr_client_close(client));
}

int main(void)
{
    /* The driver's timer at 10 ms, so a closed IPC publication's image goes within a few of its ticks. */
    static const char *const properties[] = {
        "aeron.timer.interval=10000000", "aeron.publication.linger.timeout=10000000", NULL };
    abr_test_driver_start(&g_driver, properties);
    ABR_RUN(test_an_image_that_goes_under_a_poll_stays_mapped_until_the_poll_leaves);
    ABR_RUN(test_a_subscription_closed_under_a_poll_keeps_its_images_mapped_until_the_poll_leaves);
    ABR_RUN(test_a_client_closed_under_a_poll_without_linger_waits_for_the_poll_before_unmapping);
    ABR_RUN(test_images_coming_and_going_under_a_polling_thread);
    ABR_RUN(test_bad_arguments);
    abr_test_driver_stop(&g_driver);
    return 0;
}
