/*
 * Subscriber positions of one publication's session and stream, as archive close reads them for proof that the
 * archive has read its CloseSessionRequest, against a real Java Media Driver: a spy's position counts among all
 * subscribers but not among receivers, since a spy reads the publication's own log in this driver and says nothing
 * about whether a receiver of the stream (the archive) has read it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/clock.h"
#include "core/counters.h"
#include "test_assert.h"
#include "test_driver.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define STREAM_ID 7
#define DEADLINE_NS (20LL * 1000000000LL)

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)buffer;
    (void)length;
    (void)header;
    (*(int *)clientd)++;
}

/* Wait until the driver holds `count` subscriber positions of the session (all kinds); fail after 20 s. */
static void await_positions(abr_client_t *client, int32_t session_id, int32_t count)
{
    const int64_t deadline = abr_nano_time() + DEADLINE_NS;
    int64_t position = 0;
    while (abr_counters_subscriber_positions(client, session_id, STREAM_ID, false, &position) != count)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static void poll_one(abr_subscription_t *subscription)
{
    const int64_t deadline = abr_nano_time() + DEADLINE_NS;
    int received = 0;
    while (received < 1)
    {
        ABR_CHECK(abr_subscription_poll(subscription, on_fragment, &received, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

int main(void)
{
    abr_test_driver_t driver;
    abr_test_driver_start(&driver, NULL);
    abr_client_t *client = abr_test_connect(&driver, true, 10000);

    char channel[96];
    char publication_channel[128];
    char spy_channel[128];
    snprintf(channel, sizeof(channel), "aeron:udp?endpoint=localhost:%d", abr_test_free_udp_port());
    /* Spies simulate a connection, so that the publication takes a message with no receiver yet. */
    snprintf(publication_channel, sizeof(publication_channel), "%s|ssc=true", channel);
    snprintf(spy_channel, sizeof(spy_channel), "aeron-spy:%s", channel);

    abr_exclusive_publication_t *publication = NULL;
    abr_subscription_t *spy = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, publication_channel, STREAM_ID));
    CHECK_OK(abr_client_add_subscription(&spy, client, spy_channel, STREAM_ID));
    const int32_t session_id = abr_exclusive_publication_session_id(publication);
    await_positions(client, session_id, 1);

    /* The spy alone has read a message: all subscribers are past it, but no receiver has it. */
    const uint8_t message[32] = { 0 };
    const int64_t deadline = abr_nano_time() + DEADLINE_NS;
    int64_t end = -1;
    while ((end = abr_exclusive_publication_offer(publication, message, sizeof(message))) < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    poll_one(spy);
    int64_t position = -1;
    ABR_CHECK(1 == abr_counters_subscriber_positions(client, session_id, STREAM_ID, false, &position));
    ABR_CHECK(position >= end);
    position = -1;
    ABR_CHECK(0 == abr_counters_subscriber_positions(client, session_id, STREAM_ID, true, &position));
    ABR_CHECK(-1 == position);

    /* A receiver joins: it counts among receivers, the spy still does not. */
    abr_subscription_t *receiver = NULL;
    CHECK_OK(abr_client_add_subscription(&receiver, client, channel, STREAM_ID));
    await_positions(client, session_id, 2);
    ABR_CHECK(1 == abr_counters_subscriber_positions(client, session_id, STREAM_ID, true, &position));

    /* Other sessions and streams are not counted. */
    ABR_CHECK(0 == abr_counters_subscriber_positions(client, session_id + 1, STREAM_ID, false, &position));
    ABR_CHECK(0 == abr_counters_subscriber_positions(client, session_id, STREAM_ID + 1, false, &position));

    CHECK_OK(abr_subscription_close(receiver));
    CHECK_OK(abr_subscription_close(spy));
    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_client_close(client));
    abr_test_driver_stop(&driver);
    return 0;
}
