/*
 * Persistent subscription against a real Media Driver and Archive (an ArchivingMediaDriver): a stream recorded while it
 * is published, joined late from position 0 while publishing goes on (every message's sequence number and length
 * checked across the switch from replay to live, some messages fragmented); a join at FROM_LIVE; an unknown recording
 * and a stream id that is not the recording's, failing with their reasons; bad arguments, each in turn; and close in
 * every state the subscription passes through.
 */
#include <inttypes.h>
#include <signal.h>
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
#define STREAM_ID 4301
#define REPLAY_STREAM_ID 4302
#define LIVE_CHANNEL "aeron:ipc?term-length=64k"
/* Every eleventh message is longer than the MTU, so that it arrives in fragments and is put back together. */
#define SHORT_LENGTH 100
#define LONG_LENGTH 3000

static abr_test_driver_t g_driver;
static char g_control_channel[128];
/* The replay and live channels the subscriptions of create() use. */
static const char *g_replay_channel = "aeron:ipc";
static const char *g_live_channel = "aeron:ipc";

static size_t message_length(int64_t sequence)
{
    return 0 == sequence % 11 ? LONG_LENGTH : SHORT_LENGTH;
}

static bool offer_sequence(abr_exclusive_publication_t *publication, int64_t sequence)
{
    uint8_t message[LONG_LENGTH];
    size_t length = message_length(sequence);
    memset(message, (int)(sequence & 0x7f), length);
    memcpy(message, &sequence, sizeof(sequence));
    return abr_exclusive_publication_offer(publication, message, length) > 0;
}

typedef struct
{
    int64_t first;
    int64_t next;
    int64_t received;
    int64_t bad;
    int64_t first_bad;
}
sequence_check_t;

static void check_sequence(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)header;
    sequence_check_t *check = clientd;
    int64_t sequence = -1;
    if (length >= sizeof(sequence))
    {
        memcpy(&sequence, buffer, sizeof(sequence));
    }
    if (0 == check->received)
    {
        check->first = sequence;
        check->next = sequence;
    }
    bool whole = length == message_length(sequence) && buffer[length - 1] == (uint8_t)(sequence & 0x7f);
    if (sequence != check->next || !whole)
    {
        if (0 == check->bad++)
        {
            check->first_bad = sequence;
        }
    }
    check->next = sequence + 1;
    check->received++;
}

typedef struct
{
    int joined;
    int left;
    int errors;
    int terminal_errors;
    int last_code;
    int last_reason;
    char last_message[512];
    /* Errors told with the Media Driver's RESOURCE_TEMPORARILY_UNAVAILABLE (its ErrorCode 10). */
    int driver_refused_for_now;
}
listener_log_t;

static void on_live_joined(void *clientd)
{
    ((listener_log_t *)clientd)->joined++;
}

static void on_live_left(void *clientd)
{
    ((listener_log_t *)clientd)->left++;
}

static void on_error(void *clientd, int code, int reason, const char *message, bool terminal)
{
    listener_log_t *log = clientd;
    log->errors++;
    log->terminal_errors += terminal ? 1 : 0;
    log->last_code = code;
    log->last_reason = reason;
    snprintf(log->last_message, sizeof(log->last_message), "%s", message);
    /* Told from within the poll that saw the refusal: the thread's error is still the driver's. */
    if (ABR_ERROR_DRIVER_REJECTED == code && 10 == abr_errdriver_code())
    {
        log->driver_refused_for_now++;
    }
}

typedef struct
{
    abr_client_t *client;
    abr_archive_t *archive;
    abr_exclusive_publication_t *publication;
    int64_t recording_id;
    int64_t published;
}
recorded_stream_t;

static void publish_until(recorded_stream_t *stream, int64_t count)
{
    int64_t deadline = abr_nano_time() + SECONDS(30);
    while (stream->published < count)
    {
        if (offer_sequence(stream->publication, stream->published))
        {
            stream->published++;
        }
        else
        {
            ABR_CHECK(abr_nano_time() < deadline);
            abr_sleep_ms(1);
        }
    }
}

/* A stream on its own stream id, recorded, with `count` messages published already. */
static void start_recorded_stream(recorded_stream_t *stream, int32_t stream_id, int64_t count)
{
    memset(stream, 0, sizeof(*stream));
    stream->client = abr_test_connect(&g_driver, true, 10000);
    stream->archive = abr_test_connect_archive(&g_driver, stream->client, g_control_channel);
    int64_t subscription_id;
    CHECK_OK(abr_archive_start_recording(
        &subscription_id, stream->archive, LIVE_CHANNEL, stream_id, ABR_ARCHIVE_SOURCE_LOCATION_LOCAL, false));
    CHECK_OK(abr_client_add_exclusive_publication(&stream->publication, stream->client, LIVE_CHANNEL, stream_id));
    stream->recording_id = ABR_ARCHIVE_NULL_VALUE;
    int64_t deadline = abr_nano_time() + SECONDS(30);
    while (ABR_ARCHIVE_NULL_VALUE == stream->recording_id)
    {
        CHECK_OK(abr_archive_find_last_matching_recording(&stream->recording_id, stream->archive, 0, "aeron:ipc",
            stream_id, abr_exclusive_publication_session_id(stream->publication)));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(10);
    }
    publish_until(stream, count);
}

static void stop_recorded_stream(recorded_stream_t *stream)
{
    abr_exclusive_publication_close(stream->publication);
    CHECK_OK(abr_archive_close(stream->archive));
    abr_client_close(stream->client);
}

static abr_archive_context_t *archive_context(abr_client_t *client)
{
    abr_archive_context_t *context = NULL;
    CHECK_OK(abr_archive_context_init(&context));
    CHECK_OK(abr_archive_context_set_aeron_directory_name(context, g_driver.dir));
    CHECK_OK(abr_archive_context_set_control_request_channel(context, g_control_channel));
    CHECK_OK(abr_archive_context_set_control_response_channel(context, "aeron:udp?endpoint=localhost:0"));
    if (NULL != client)
    {
        CHECK_OK(abr_archive_context_set_client(context, client));
    }
    return context;
}

static abr_archive_persistent_subscription_t *create(
    abr_client_t *client, int64_t recording_id, int32_t live_stream_id, int64_t start_position, listener_log_t *log)
{
    abr_archive_context_t *archive = archive_context(client);
    abr_archive_persistent_subscription_context_t *context = NULL;
    CHECK_OK(abr_archive_persistent_subscription_context_init(&context));
    CHECK_OK(abr_archive_persistent_subscription_context_set_archive_context(context, archive));
    CHECK_OK(abr_archive_persistent_subscription_context_set_recording_id(context, recording_id));
    CHECK_OK(abr_archive_persistent_subscription_context_set_start_position(context, start_position));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context, g_live_channel));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_stream_id(context, live_stream_id));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, g_replay_channel));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_stream_id(context, REPLAY_STREAM_ID));
    abr_archive_persistent_subscription_listener_t listener = { on_live_joined, on_live_left, on_error, log };
    CHECK_OK(abr_archive_persistent_subscription_context_set_listener(context, &listener));
    abr_archive_persistent_subscription_t *subscription = NULL;
    CHECK_OK(abr_archive_persistent_subscription_create(&subscription, context));
    /* The subscription has its copy and its connect has copied the archive context. */
    abr_archive_persistent_subscription_context_close(context);
    abr_archive_context_close(archive);
    return subscription;
}

/* Join late from position 0 while publishing goes on, over g_replay_channel: every sequence number, in order. Returns
 * the states seen after polls, one bit each. */
static uint32_t late_join_from_zero(int32_t stream_id)
{
    uint32_t states_seen = 0;
    recorded_stream_t stream;
    start_recorded_stream(&stream, stream_id, 2000);
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = create(NULL, stream.recording_id, stream_id, 0, &log);

    sequence_check_t check = { 0 };
    bool saw_replaying = false;
    int64_t received_when_live = -1;
    int64_t deadline = abr_nano_time() + SECONDS(120);
    while (stream.published < 6000 || check.received < stream.published)
    {
        /* About as fast as a poll of 10 fragments takes them: the replay stays a little behind the live stream, so
         * the switch has to bring the replay up to the live image first. */
        for (int burst = 0; burst < 8 && stream.published < 6000; burst++)
        {
            if (offer_sequence(stream.publication, stream.published))
            {
                stream.published++;
            }
        }
        int work = abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10);
        ABR_CHECK(work >= 0);
        states_seen |= 1u << abr_archive_persistent_subscription_state(subscription);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        saw_replaying |= abr_archive_persistent_subscription_is_replaying(subscription);
        if (received_when_live < 0 && abr_archive_persistent_subscription_is_live(subscription))
        {
            received_when_live = check.received;
        }
        if (abr_nano_time() >= deadline)
        {
            fprintf(stderr, "not live and caught up in time: state=%s, published=%" PRId64 ", received=%" PRId64 "\n",
                abr_archive_persistent_subscription_state_name(abr_archive_persistent_subscription_state(subscription)),
                stream.published, check.received);
            ABR_CHECK(false);
        }
    }
    if (0 != check.bad)
    {
        fprintf(stderr, "%" PRId64 " messages out of order or damaged, the first %" PRId64 "\n", check.bad,
            check.first_bad);
    }
    ABR_CHECK(0 == check.bad);
    ABR_CHECK(0 == check.first);
    ABR_CHECK(check.received == stream.published);
    ABR_CHECK(saw_replaying);
    /* It replayed some of the stream and took the rest live. */
    /* The replay may have caught up with everything published before the live image came. */
    while (!abr_archive_persistent_subscription_is_live(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
    }
    received_when_live = received_when_live < 0 ? check.received : received_when_live;
    ABR_CHECK(received_when_live > 0);
    /* Once live, what is published comes from the live image, still in order. */
    int64_t final_count = stream.published + 500;
    while (check.received < final_count)
    {
        if (stream.published < final_count && offer_sequence(stream.publication, stream.published))
        {
            stream.published++;
        }
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(abr_archive_persistent_subscription_is_live(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(0 == check.bad && check.received == final_count);
    ABR_CHECK(abr_archive_persistent_subscription_is_live(subscription));
    ABR_CHECK(1 == log.joined && 0 == log.left && 0 == log.terminal_errors);
    ABR_CHECK(abr_archive_persistent_subscription_position(subscription) ==
        abr_exclusive_publication_position(stream.publication));

    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    stop_recorded_stream(&stream);
    return states_seen;
}

#define STATE_BIT(state) (1u << ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_##state)

static void test_a_late_join_from_position_zero_replays_then_goes_live_without_a_gap(void)
{
    late_join_from_zero(STREAM_ID);
}

/* A UDP replay channel on port 0: the replay subscription is added first and the archive sent to the port its socket
 * was bound to. */
static void test_a_late_join_over_a_replay_channel_on_a_dynamic_port(void)
{
    g_replay_channel = "aeron:udp?endpoint=localhost:0";
    uint32_t seen = late_join_from_zero(STREAM_ID + 70);
    ABR_CHECK(0 != (seen & STATE_BIT(AWAIT_REPLAY_CHANNEL_ENDPOINT)));
    ABR_CHECK(0 == (seen & STATE_BIT(AWAIT_REPLAY_TOKEN)));
    g_replay_channel = "aeron:ipc";
}

/* A control-mode=response replay channel: the replay is asked for, with a replay token, over a publication of the
 * subscription's own to the archive, and comes back over that connection. */
static void test_a_late_join_over_a_response_channel(void)
{
    char channel[128];
    snprintf(channel, sizeof(channel), "aeron:udp?control-mode=response|control=localhost:%d",
        abr_test_free_udp_port());
    g_replay_channel = channel;
    uint32_t seen = late_join_from_zero(STREAM_ID + 80);
    const uint32_t token_states = STATE_BIT(ADD_REQUEST_PUBLICATION) | STATE_BIT(AWAIT_REQUEST_PUBLICATION) |
        STATE_BIT(SEND_REPLAY_TOKEN_REQUEST) | STATE_BIT(AWAIT_REPLAY_TOKEN);
    ABR_CHECK(token_states == (seen & token_states));
    g_replay_channel = "aeron:ipc";
}

static void test_a_join_from_live_takes_what_is_published_after_it(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 10, 500);
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = create(
        stream.client, stream.recording_id, STREAM_ID + 10, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE, &log);
    sequence_check_t check = { 0 };
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (!abr_archive_persistent_subscription_is_live(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_is_replaying(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(0 == check.received && 1 == log.joined);
    int64_t first_live = stream.published;
    /* Polled while published: the consumer's position holds the IPC publication back. */
    while (check.received < 1000)
    {
        if (stream.published < first_live + 1000 && offer_sequence(stream.publication, stream.published))
        {
            stream.published++;
        }
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(0 == check.bad && first_live == check.first && 1000 == check.received);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    stop_recorded_stream(&stream);
}

typedef struct
{
    sequence_check_t check;
    int calls;
    int aborted;
}
aborting_check_t;

/* Every third message is refused once (ABORT) before it is taken: it must come again, whole, and only once taken. */
static abr_controlled_action_t check_sequence_aborting(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    aborting_check_t *aborting = clientd;
    if (0 == ++aborting->calls % 3)
    {
        aborting->aborted++;
        return ABR_ACTION_ABORT;
    }
    check_sequence(&aborting->check, buffer, length, header);
    return ABR_ACTION_CONTINUE;
}

static void test_a_controlled_poll_from_the_start_takes_aborted_messages_again(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 50, 1000);
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = create(
        stream.client, stream.recording_id, STREAM_ID + 50, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_START, &log);
    aborting_check_t aborting = { { 0 }, 0, 0 };
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (aborting.check.received < stream.published || !abr_archive_persistent_subscription_is_live(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_controlled_poll(
            subscription, check_sequence_aborting, &aborting, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(aborting.aborted > 0);
    ABR_CHECK(0 == aborting.check.bad && 0 == aborting.check.first && stream.published == aborting.check.received);
    ABR_CHECK(1 == log.joined);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    stop_recorded_stream(&stream);
}

static abr_archive_persistent_subscription_t *poll_until_failed(
    abr_archive_persistent_subscription_t *subscription)
{
    sequence_check_t check = { 0 };
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (!abr_archive_persistent_subscription_has_failed(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(0 == check.received);
    ABR_CHECK(!abr_archive_persistent_subscription_is_live(subscription));
    ABR_CHECK(!abr_archive_persistent_subscription_is_replaying(subscription));
    /* FAILED stays: more polls do nothing. */
    ABR_CHECK(0 == abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10));
    return subscription;
}

static void test_an_unknown_recording_fails_with_recording_not_found(void)
{
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = poll_until_failed(create(NULL, 987654321, STREAM_ID, 0, &log));
    int code = 0;
    int reason = -5;
    const char *failure = abr_archive_persistent_subscription_failure(subscription, &code, &reason);
    ABR_CHECK(NULL != failure && 0 == strcmp("unknown recording id: 987654321", failure));
    ABR_CHECK(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_RECORDING_NOT_FOUND == reason);
    ABR_CHECK(ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING == code);
    ABR_CHECK(1 == log.errors && 1 == log.terminal_errors && 0 == log.joined);
    ABR_CHECK(0 == strcmp(failure, log.last_message) && reason == log.last_reason);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
}

static void test_another_stream_id_fails_with_stream_id_mismatch(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 20, 10);
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription =
        poll_until_failed(create(stream.client, stream.recording_id, STREAM_ID + 21, 0, &log));
    int reason = -5;
    const char *failure = abr_archive_persistent_subscription_failure(subscription, NULL, &reason);
    char expected[256];
    snprintf(expected, sizeof(expected), "Requested live stream with ID: %d does not match stream ID: %d for "
        "recording: %" PRId64, STREAM_ID + 21, STREAM_ID + 20, stream.recording_id);
    ABR_CHECK(NULL != failure && 0 == strcmp(expected, failure));
    ABR_CHECK(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_STREAM_ID_MISMATCH == reason);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    stop_recorded_stream(&stream);
}

/* The live subscription is untethered with short timeouts, so that a consumer that stops polling is dropped from
 * the live stream (its image goes) while publishing goes on: it must replay what it missed and join again. */
/* The value of the subscription's counter of this AeronCounters type id as another client of the driver reads it; the
 * label must start with name. Fails the test when there is no such counter. */
static int64_t counter_value(abr_client_t *client, int32_t type_id, const char *name)
{
    int32_t id = -1;
    ABR_CHECK(1 == abr_counters_find_by_type_id_and_key(client, type_id, NULL, 0, &id));
    char label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
    CHECK_OK(abr_counters_label(client, id, label, sizeof(label)));
    if (0 != strncmp(label, name, strlen(name)))
    {
        fprintf(stderr, "counter of type %d: label \"%s\" does not start with \"%s\"\n", type_id, label, name);
        exit(1);
    }
    int64_t value = 0;
    CHECK_OK(abr_counters_value(client, id, &value));
    return value;
}

static void test_a_lost_live_image_replays_what_was_missed_and_joins_again(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 40, 100);
    listener_log_t log = { 0 };
    abr_archive_context_t *archive = archive_context(NULL);
    abr_archive_persistent_subscription_context_t *context = NULL;
    CHECK_OK(abr_archive_persistent_subscription_context_init(&context));
    CHECK_OK(abr_archive_persistent_subscription_context_set_archive_context(context, archive));
    CHECK_OK(abr_archive_persistent_subscription_context_set_recording_id(context, stream.recording_id));
    CHECK_OK(abr_archive_persistent_subscription_context_set_start_position(context, 0));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context,
        "aeron:ipc?tether=false|untethered-window-limit-timeout=200ms|untethered-resting-timeout=200ms"));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_stream_id(context, STREAM_ID + 40));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, "aeron:ipc"));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_stream_id(context, REPLAY_STREAM_ID));
    abr_archive_persistent_subscription_listener_t listener = { on_live_joined, on_live_left, on_error, &log };
    CHECK_OK(abr_archive_persistent_subscription_context_set_listener(context, &listener));
    abr_archive_persistent_subscription_t *subscription = NULL;
    CHECK_OK(abr_archive_persistent_subscription_create(&subscription, context));
    abr_archive_persistent_subscription_context_close(context);
    abr_archive_context_close(archive);

    sequence_check_t check = { 0 };
    int64_t deadline = abr_nano_time() + SECONDS(120);
    while (!abr_archive_persistent_subscription_is_live(subscription) || check.received < stream.published)
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(1 == log.joined && 0 == log.left);
    /* PersistentSubscription's counters (AeronCounters 114 to 117), labelled with its streams and channels. */
    char state_label[256];
    snprintf(state_label, sizeof(state_label), "Persistent Subscription State: %d aeron:ipc?rejoin=false %d aeron:ipc?tether=false",
        REPLAY_STREAM_ID, STREAM_ID + 40);
    ABR_CHECK(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE == counter_value(stream.client, 114, state_label));
    ABR_CHECK(INT64_MIN != counter_value(stream.client, 115, "Persistent Subscription Join Difference: "));
    ABR_CHECK(0 == counter_value(stream.client, 116, "Persistent Subscription Live Left Count: "));
    ABR_CHECK(1 == counter_value(stream.client, 117, "Persistent Subscription Live Joined Count: "));

    /* Not polled while a few terms' worth is published: the untethered live image is dropped. */
    int64_t pause_end = abr_nano_time() + SECONDS(6);
    while (abr_nano_time() < pause_end)
    {
        if (offer_sequence(stream.publication, stream.published))
        {
            stream.published++;
        }
        else
        {
            abr_sleep_ms(1);
        }
    }
    int64_t target = stream.published + 2000;
    bool left_seen_replaying = false;
    while (check.received < target || !abr_archive_persistent_subscription_is_live(subscription))
    {
        /* As in the late join: published about as fast as polled, so the replay is behind when the live image
         * comes back. */
        for (int burst = 0; burst < 8 && stream.published < target; burst++)
        {
            if (offer_sequence(stream.publication, stream.published))
            {
                stream.published++;
            }
        }
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        left_seen_replaying |= log.left > 0 && abr_archive_persistent_subscription_is_replaying(subscription);
        if (abr_nano_time() >= deadline)
        {
            fprintf(stderr, "no rejoin in time: state=%s, published=%" PRId64 ", received=%" PRId64 ", left=%d, "
                "joined=%d\n", abr_archive_persistent_subscription_state_name(
                abr_archive_persistent_subscription_state(subscription)), stream.published, check.received, log.left,
                log.joined);
            ABR_CHECK(false);
        }
    }
    if (0 != check.bad)
    {
        fprintf(stderr, "%" PRId64 " messages out of order or damaged, the first %" PRId64 "\n", check.bad,
            check.first_bad);
    }
    ABR_CHECK(0 == check.bad && 0 == check.first && check.received == stream.published);
    if (log.left < 1 || log.joined != log.left + 1 || 0 != log.terminal_errors)
    {
        fprintf(stderr, "left=%d joined=%d terminal errors=%d published=%" PRId64 "\n", log.left, log.joined,
            log.terminal_errors, stream.published);
    }
    ABR_CHECK(log.left >= 1 && log.joined == log.left + 1 && 0 == log.terminal_errors);
    ABR_CHECK(left_seen_replaying);
    ABR_CHECK(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE == counter_value(stream.client, 114, "Persistent "));
    ABR_CHECK(log.left == counter_value(stream.client, 116, "Persistent Subscription Live Left Count: "));
    ABR_CHECK(log.joined == counter_value(stream.client, 117, "Persistent Subscription Live Joined Count: "));
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    /* Closed with the subscription that allocated them. */
    int32_t id = -1;
    int64_t deadline_closed = abr_nano_time() + SECONDS(20);
    while (1 == abr_counters_find_by_type_id_and_key(stream.client, 114, NULL, 0, &id))
    {
        ABR_CHECK(abr_nano_time() < deadline_closed);
        abr_sleep_ms(1);
    }
    stop_recorded_stream(&stream);
}

/* For each state on the way from a late join to live: poll until it is in that state, then close there. */
static void test_close_in_every_state_releases_everything(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 30, 3000);
    const abr_archive_persistent_subscription_state_t path[] = {
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIST_RECORDING_RESPONSE,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_RESPONSE,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_SUBSCRIPTION,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE };
    int closed_in = 0;
    for (size_t target = 0; target < sizeof(path) / sizeof(path[0]); target++)
    {
        listener_log_t log = { 0 };
        abr_archive_persistent_subscription_t *subscription = create(
            0 == target % 2 ? NULL : stream.client, stream.recording_id, STREAM_ID + 30, 0, &log);
        sequence_check_t check = { 0 };
        int64_t deadline = abr_nano_time() + SECONDS(60);
        while ((int)path[target] != abr_archive_persistent_subscription_state(subscription) &&
            !abr_archive_persistent_subscription_is_live(subscription))
        {
            ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 1) >= 0);
            ABR_CHECK(abr_nano_time() < deadline);
        }
        if ((int)path[target] == abr_archive_persistent_subscription_state(subscription))
        {
            closed_in++;
        }
        else
        {
            fprintf(stderr, "passed %s within one poll\n", abr_archive_persistent_subscription_state_name(path[target]));
        }
        ABR_CHECK(0 == check.bad);
        CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    }
    /* Only a state left within the poll that entered it may be missed (ATTEMPT_SWITCH, when the live image is
     * level with the replay at once). */
    ABR_CHECK(closed_in >= 9);
    stop_recorded_stream(&stream);
}

/* kill() only queues SIGSTOP: the test goes on once the process shows as stopped. */
static void stop_driver_process(void)
{
    ABR_CHECK(abr_test_driver_signal(&g_driver, SIGSTOP));
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)g_driver.pid);
    int64_t deadline = abr_nano_time() + SECONDS(10);
    bool stopped = false;
    while (!stopped)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        FILE *file = fopen(path, "r");
        ABR_CHECK(NULL != file);
        char stat[512];
        size_t length = fread(stat, 1, sizeof(stat) - 1, file);
        fclose(file);
        stat[length] = '\0';
        const char *after_name = strrchr(stat, ')');
        stopped = NULL != after_name && 0 == strncmp(after_name, ") T", 3);
        abr_sleep_ms(1);
    }
}

/* The recording is looked up without waiting for the archive: with the Archive (and its driver) stopped, each poll
 * returns at once, in AWAIT_LIST_RECORDING_RESPONSE, and once it runs again the answer comes to a later poll. */
static void test_the_recording_lookup_never_waits_for_the_archive(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 60, 300);
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = create(stream.client, stream.recording_id, STREAM_ID + 60, 0,
        &log);
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST !=
        abr_archive_persistent_subscription_state(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_do_work(subscription, 10) >= 0);
        ABR_CHECK(abr_nano_time() < deadline);
    }
    stop_driver_process();
    /* Well within the message timeout (10 s) and the client's driver timeout: a poll that waited for the answer
     * would take all of it. */
    int64_t stopped_until = abr_nano_time() + SECONDS(3);
    int calls = 0;
    bool awaited = false;
    while (abr_nano_time() < stopped_until)
    {
        ABR_CHECK(abr_archive_persistent_subscription_do_work(subscription, 10) >= 0);
        awaited |= ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIST_RECORDING_RESPONSE ==
            abr_archive_persistent_subscription_state(subscription);
        calls++;
        abr_sleep_ms(10);
    }
    ABR_CHECK(abr_test_driver_signal(&g_driver, SIGCONT));
    printf("    %d polls while the archive was stopped, last state %s\n", calls,
        abr_archive_persistent_subscription_state_name(abr_archive_persistent_subscription_state(subscription)));
    ABR_CHECK(calls >= 20 && awaited);
    sequence_check_t check = { 0 };
    while (!abr_archive_persistent_subscription_is_live(subscription))
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        ABR_CHECK(abr_nano_time() < deadline + SECONDS(30));
    }
    ABR_CHECK(0 == check.bad && 0 == check.first && 300 == check.received && 0 == log.terminal_errors);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    stop_recorded_stream(&stream);
}

/* No archive answers at the control channel: as PersistentSubscription's archive client, each failed connect is told
 * (not terminal) and another made; the subscription waits in AWAIT_ARCHIVE_CONNECTION. */
static void test_an_archive_that_cannot_be_reached_is_connected_to_again(void)
{
    char nobody[128];
    snprintf(nobody, sizeof(nobody), "aeron:udp?endpoint=localhost:%d", abr_test_free_udp_port());
    abr_archive_context_t *archive = archive_context(NULL);
    CHECK_OK(abr_archive_context_set_control_request_channel(archive, nobody));
    CHECK_OK(abr_archive_context_set_message_timeout_ns(archive, 300LL * 1000 * 1000));
    abr_archive_persistent_subscription_context_t *context = NULL;
    CHECK_OK(abr_archive_persistent_subscription_context_init(&context));
    CHECK_OK(abr_archive_persistent_subscription_context_set_archive_context(context, archive));
    CHECK_OK(abr_archive_persistent_subscription_context_set_recording_id(context, 1));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context, "aeron:ipc"));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_stream_id(context, STREAM_ID));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, "aeron:ipc"));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_stream_id(context, REPLAY_STREAM_ID));
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_listener_t listener = { on_live_joined, on_live_left, on_error, &log };
    CHECK_OK(abr_archive_persistent_subscription_context_set_listener(context, &listener));
    abr_archive_persistent_subscription_t *subscription = NULL;
    CHECK_OK(abr_archive_persistent_subscription_create(&subscription, context));
    abr_archive_persistent_subscription_context_close(context);
    abr_archive_context_close(archive);
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (log.errors < 3)
    {
        ABR_CHECK(abr_archive_persistent_subscription_do_work(subscription, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
    printf("    told: %s\n", log.last_message);
    ABR_CHECK(0 == log.terminal_errors && ABR_ERROR_TIMEOUT == log.last_code);
    ABR_CHECK(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_NONE == log.last_reason);
    ABR_CHECK(ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION ==
        abr_archive_persistent_subscription_state(subscription));
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
}

/* The driver's refusal "for now" (RESOURCE_TEMPORARILY_UNAVAILABLE): an add on a UDP endpoint that is closing (its last
 * subscription removed, the receiver not done with it yet) is refused so. Such a window exists only on a driver whose
 * receiver has a thread of its own (with SHARED threading the endpoint closes within the remove), so these
 * subscriptions run on a second driver, DEDICATED, and reach the archive over UDP. The add is made to land in the
 * window: the driver is paused (SIGSTOP) while the test's own subscription, the only one on the endpoint, is closed and
 * the poll that makes the add is run, so that its conductor finds the remove and the add one after the other in its
 * command buffer once resumed. It takes one command per duty cycle, and the endpoint leaves its map only when the
 * receiver's "closed" comes back through the conductor's own queue, drained after each read: for the add not to find
 * the endpoint closing, the receiver would have to close it between the read of the remove and the drain right after
 * it (the same duty cycle, microseconds, with a receiver just resumed from its idle park). That holds only with the driver's async executor off
 * (aeron.driver.async.executor.enabled=false): on (1.51.0's default), the add's channel is parsed on the executor's
 * thread, which sleeps 1 ms when idle, and the add raced the receiver's close: refused at attempt 1 or not in 150
 * attempts, half of the runs each. An attempt whose add was taken all the same is made again, up to 150 times. Returns
 * the subscription whose add in `state` was refused, on client, with g_live_channel and g_replay_channel. */
static abr_archive_persistent_subscription_t *create_until_an_add_is_refused_for_now(abr_test_driver_t *driver,
    abr_client_t *client, const char *endpoint_channel, int64_t recording_id, int32_t stream_id, int64_t start_position,
    abr_archive_persistent_subscription_state_t state, listener_log_t *log)
{
    abr_archive_persistent_subscription_t *subscription = NULL;
    int attempts = 0;
    while (0 == log->driver_refused_for_now)
    {
        ABR_CHECK(++attempts <= 150);
        if (NULL != subscription)
        {
            CHECK_OK(abr_archive_persistent_subscription_close(subscription));
        }
        memset(log, 0, sizeof(*log));
        int64_t deadline = abr_nano_time() + SECONDS(30);
        abr_subscription_t *holder = NULL;
        /* The endpoint of the attempt before may still be closing: refused for now here too. */
        while (abr_client_add_subscription(&holder, client, endpoint_channel, stream_id + 1) < 0)
        {
            ABR_CHECK(ABR_ERROR_DRIVER_REJECTED == abr_errcode() && 10 == abr_errdriver_code());
            ABR_CHECK(abr_nano_time() < deadline);
            abr_sleep_ms(10);
        }
        subscription = create(client, recording_id, stream_id, start_position, log);
        while ((int)state != abr_archive_persistent_subscription_state(subscription))
        {
            ABR_CHECK(abr_archive_persistent_subscription_do_work(subscription, 10) >= 0);
            ABR_CHECK(abr_nano_time() < deadline);
        }
        abr_test_driver_pause(driver);
        CHECK_OK(abr_subscription_close(holder));
        /* The add is a write to the driver's command buffer: it is made while the driver cannot read it. */
        for (int i = 0; i < 3; i++)
        {
            ABR_CHECK(abr_archive_persistent_subscription_do_work(subscription, 10) >= 0);
        }
        ABR_CHECK(abr_test_driver_signal(driver, SIGCONT));
        /* The driver's answer to the add: a refusal comes within a few of its duty cycles. */
        int64_t answered = abr_nano_time() + 200LL * 1000 * 1000;
        while (0 == log->driver_refused_for_now && abr_nano_time() < answered)
        {
            ABR_CHECK(abr_archive_persistent_subscription_do_work(subscription, 10) >= 0);
            if (abr_archive_persistent_subscription_has_failed(subscription))
            {
                fprintf(stderr, "failed: %s\n", abr_archive_persistent_subscription_failure(subscription, NULL, NULL));
                ABR_CHECK(false);
            }
            abr_sleep_ms(1);
        }
    }
    printf("    refused for now at attempt %d: %s\n", attempts, log->last_message);
    return subscription;
}

/* The second driver, DEDICATED, a client of it, and a channel on a fixed UDP endpoint of a free port. */
static abr_client_t *start_dedicated_driver(abr_test_driver_t *dedicated, char *channel, size_t channel_length)
{
    const char *const properties[] = { "aeron.threading.mode=DEDICATED", "aeron.driver.async.executor.enabled=false",
        NULL };
    abr_test_driver_start(dedicated, properties);
    snprintf(channel, channel_length, "aeron:udp?endpoint=localhost:%d", abr_test_free_udp_port());
    return abr_test_connect(dedicated, true, 10000);
}

/* The live subscription's add refused for now: as PersistentSubscription does, told (not terminal) and made again; then
 * the live stream comes over that channel. */
static void test_a_live_add_refused_for_now_is_made_again(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 90, 10);
    abr_test_driver_t dedicated;
    char live_channel[128];
    abr_client_t *client = start_dedicated_driver(&dedicated, live_channel, sizeof(live_channel));
    g_live_channel = live_channel;
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = create_until_an_add_is_refused_for_now(&dedicated, client,
        live_channel, stream.recording_id, STREAM_ID + 90, ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_LIVE_SUBSCRIPTION, &log);
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, live_channel, STREAM_ID + 90));
    sequence_check_t check = { 0 };
    int64_t published = 0;
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (check.received < 100)
    {
        if (abr_archive_persistent_subscription_is_live(subscription) && published < 100 &&
            offer_sequence(publication, published))
        {
            published++;
        }
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(0 == check.bad && 0 == check.first && 100 == check.received);
    ABR_CHECK(1 == log.joined && 0 == log.terminal_errors && log.driver_refused_for_now >= 1);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    abr_exclusive_publication_close(publication);
    abr_client_close(client);
    abr_test_driver_stop(&dedicated);
    g_live_channel = "aeron:ipc";
    stop_recorded_stream(&stream);
}

/* The replay subscription's add refused for now (a replay channel on a fixed UDP endpoint): as PersistentSubscription
 * does, told (not terminal), the replay asked for stopped and asked for again; then the recording is replayed from the
 * start, every message once and in order. */
static void test_a_replay_add_refused_for_now_asks_for_the_replay_again(void)
{
    recorded_stream_t stream;
    start_recorded_stream(&stream, STREAM_ID + 92, 500);
    abr_test_driver_t dedicated;
    char replay_channel[128];
    abr_client_t *client = start_dedicated_driver(&dedicated, replay_channel, sizeof(replay_channel));
    g_replay_channel = replay_channel;
    listener_log_t log = { 0 };
    abr_archive_persistent_subscription_t *subscription = create_until_an_add_is_refused_for_now(&dedicated, client,
        replay_channel, stream.recording_id, STREAM_ID + 92, 0,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION, &log);
    sequence_check_t check = { 0 };
    int64_t deadline = abr_nano_time() + SECONDS(60);
    while (check.received < stream.published)
    {
        ABR_CHECK(abr_archive_persistent_subscription_poll(subscription, check_sequence, &check, 10) >= 0);
        ABR_CHECK(!abr_archive_persistent_subscription_has_failed(subscription));
        ABR_CHECK(abr_nano_time() < deadline);
    }
    ABR_CHECK(0 == check.bad && 0 == check.first && stream.published == check.received);
    ABR_CHECK(0 == log.terminal_errors && log.driver_refused_for_now >= 1);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    abr_client_close(client);
    abr_test_driver_stop(&dedicated);
    g_replay_channel = "aeron:ipc";
    stop_recorded_stream(&stream);
}

static void ignore_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)clientd;
    (void)buffer;
    (void)length;
    (void)header;
}

static abr_controlled_action_t ignore_controlled(void *clientd, const uint8_t *buffer, size_t length,
    abr_header_t *header)
{
    ignore_fragment(clientd, buffer, length, header);
    return ABR_ACTION_CONTINUE;
}

static void test_bad_arguments_are_refused_naming_them(void)
{
    typedef abr_archive_persistent_subscription_context_t context_t;
    context_t *context = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_init, (NULL), -1, "context must not be null");
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_close, (NULL), 0);
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_recording_id, (NULL, 1), -1, "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_start_position, (NULL, 1), -1, "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_channel, (NULL, "aeron:ipc"), -1,
        "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_replay_channel, (NULL, "aeron:ipc"), -1,
        "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_stream_id, (NULL, 1), -1, "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_replay_stream_id, (NULL, 1), -1, "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_listener, (NULL, NULL), -1, "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_archive_context, (NULL, NULL), -1, "context");
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_recording_id, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_start_position, (NULL), -2);
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_live_channel, (NULL));
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_replay_channel, (NULL));
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_context_get_archive_context, (NULL));
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_live_stream_id, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_replay_stream_id, (NULL), -1);

    CHECK_OK(abr_archive_persistent_subscription_context_init(&context));
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_start_position, (context),
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE);
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_recording_id, (context, -1), -1,
        "invalid recordingId -1");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_recording_id, (context, INT64_MIN), -1,
        "invalid recordingId -9223372036854775808");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_start_position, (context, -3), -1,
        "invalid startPosition -3");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_start_position, (context, INT64_MIN), -1,
        "invalid startPosition");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_channel, (context, NULL), -1,
        "liveChannel must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_channel, (context, ""), -1,
        "liveChannel must not be empty");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_replay_channel, (context, NULL), -1,
        "replayChannel must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_replay_channel, (context, ""), -1,
        "replayChannel must not be empty");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_archive_context, (context, NULL), -1,
        "archive_context must not be null");
    char *huge = malloc(5000);
    memset(huge, 'a', 4999);
    huge[4999] = '\0';
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_context_set_live_channel, (context, huge), -1,
        "longer than 4095");
    free(huge);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_recording_id, (context), -1);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_recording_id, (context, INT64_MAX), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_recording_id, (context), INT64_MAX);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_start_position, (context, INT64_MAX), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_set_start_position, (context,
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_START), 0);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_context_get_start_position, (context), -1);

    /* create names what is missing, one at a time, in PersistentSubscription.Context.conclude's order. */
    abr_archive_persistent_subscription_t *subscription = ABR_EXPECT_SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (NULL, context), -1, "subscription out-pointer");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, NULL), -1, "context");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        "liveStreamId must be set");
    ABR_CHECK(NULL == subscription);
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_stream_id(context, INT32_MIN));
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        "liveChannel must be set");
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context, "aeron:ipc"));
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        "replayChannel must be set");
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, "aeron:ipc"));
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        "replayStreamId must be set");
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_stream_id(context, INT32_MAX));
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        "aeronArchiveContext must be set");
    abr_archive_context_t *archive = archive_context(NULL);
    CHECK_OK(abr_archive_persistent_subscription_context_set_archive_context(context, archive));
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, "aeron:ipc?control-mode=response"));
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        "Channel media type mismatch. When using `control-mode=response`, the `replayChannel` media type must match");
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, "not a channel"));
    ABR_EXPECT_ERROR(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        ABR_ERROR_MALFORMED_CHANNEL, "replayChannel");
    CHECK_OK(abr_archive_persistent_subscription_context_set_replay_channel(context, "aeron:ipc"));
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context, "aeron:tcp"));
    ABR_EXPECT_ERROR(abr_archive_persistent_subscription_create, (&subscription, context), -1,
        ABR_ERROR_MALFORMED_CHANNEL, "liveChannel");
    ABR_CHECK(NULL == subscription);

    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll, (NULL, ignore_fragment, NULL, 10), -1,
        "subscription must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_controlled_poll, (NULL, ignore_controlled, NULL, 10), -1,
        "subscription must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_do_work, (NULL, 10), -1, "subscription must not be null");
    abr_image_ref_t ref;
    int64_t limit = 0;
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll_ref, (NULL, &ref, &limit), -1, "subscription");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll_ref_done, (NULL), -1, "subscription");
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_state, (NULL), -1);
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (13), "ATTEMPT_SWITCH");
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (7), "AWAIT_REPLAY_CHANNEL_ENDPOINT");
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (11), "AWAIT_REPLAY_TOKEN");
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (2), "AWAIT_LIST_RECORDING_RESPONSE");
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (18), "UNKNOWN");
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (-1), "UNKNOWN");
    ABR_EXPECT_STRING(abr_archive_persistent_subscription_state_name, (INT32_MAX), "UNKNOWN");
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_is_live, (NULL), false);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_is_replaying, (NULL), false);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_has_failed, (NULL), false);
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_failure, (NULL, NULL, NULL));
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_position, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_close, (NULL), 0);

    /* On a real one (it never gets to connect here): the other arguments. */
    CHECK_OK(abr_archive_persistent_subscription_context_set_live_channel(context, "aeron:ipc"));
    CHECK_OK(abr_archive_persistent_subscription_create(&subscription, context));
    abr_archive_context_close(archive);
    abr_archive_persistent_subscription_context_close(context);
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll, (subscription, NULL, NULL, 10), -1,
        "handler must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_controlled_poll, (subscription, NULL, NULL, 10), -1,
        "handler must not be null");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll, (subscription, ignore_fragment, NULL, 0), -1,
        "fragment_limit must be > 0, got 0");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll, (subscription, ignore_fragment, NULL, INT32_MIN), -1,
        "fragment_limit must be > 0");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_do_work, (subscription, -1), -1, "fragment_limit");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll_ref, (subscription, NULL, &limit), -1, "ref");
    ABR_EXPECT_INVALID(abr_archive_persistent_subscription_poll_ref, (subscription, &ref, NULL), -1, "limit_position");
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_poll_ref, (subscription, &ref, &limit), 0);
    ABR_EXPECT_ERROR(abr_archive_persistent_subscription_poll_ref_done, (subscription), -1, ABR_ERROR_ILLEGAL_STATE,
        "no poll_ref before it");
    ABR_EXPECT_NULL(abr_archive_persistent_subscription_failure, (subscription, NULL, NULL));
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_position, (subscription), -1);
    ABR_EXPECT_RETURNS(abr_archive_persistent_subscription_state, (subscription),
        ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION);
    CHECK_OK(abr_archive_persistent_subscription_close(subscription));
    ABR_EXPECT_ALL_PASSED();
}

int main(void)
{
    snprintf(g_control_channel, sizeof(g_control_channel), "aeron:udp?endpoint=localhost:%d",
        abr_test_free_udp_port());
    abr_test_archiving_driver_start(&g_driver, g_control_channel);
    ABR_EXPECT_RUN(test_bad_arguments_are_refused_naming_them);
    ABR_RUN(test_an_unknown_recording_fails_with_recording_not_found);
    ABR_RUN(test_another_stream_id_fails_with_stream_id_mismatch);
    ABR_RUN(test_a_join_from_live_takes_what_is_published_after_it);
    ABR_RUN(test_a_late_join_from_position_zero_replays_then_goes_live_without_a_gap);
    ABR_RUN(test_a_controlled_poll_from_the_start_takes_aborted_messages_again);
    ABR_RUN(test_a_lost_live_image_replays_what_was_missed_and_joins_again);
    ABR_RUN(test_close_in_every_state_releases_everything);
    ABR_RUN(test_the_recording_lookup_never_waits_for_the_archive);
    ABR_RUN(test_a_late_join_over_a_replay_channel_on_a_dynamic_port);
    ABR_RUN(test_a_late_join_over_a_response_channel);
    ABR_RUN(test_an_archive_that_cannot_be_reached_is_connected_to_again);
    ABR_RUN(test_a_live_add_refused_for_now_is_made_again);
    ABR_RUN(test_a_replay_add_refused_for_now_asks_for_the_replay_again);
    abr_test_driver_stop(&g_driver);
    return 0;
}
