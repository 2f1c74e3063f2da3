/*
 * Recording events and recording position counters against a real Java Media Driver. The events are encoded here with
 * the SBE codecs and sent over IPC, as an Archive would send them (the scenarios in tests/ meet a real Archive): each
 * kind decoded, other messages skipped, damaged ones dropped without reading past them. The driver has no Archive, so
 * RecordingPos finds nothing and says so. Each argument is also given NULL or a value out of range.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_recording.h"
#include "abr_codecs/recordingProgress.h"
#include "abr_codecs/recordingStarted.h"
#include "abr_codecs/recordingStopped.h"
#include "abr_codecs/keepAliveRequest.h"
#include "core/clock.h"
#include "test_assert.h"
#include "test_driver.h"
#include "test_expect.h"

#define CHECK_OK ABR_TEST_CHECK_OK
#define SECONDS(n) ((int64_t)(n) * 1000000000LL)
#define STREAM_ID 5001

static abr_test_driver_t g_driver;

static void send(abr_exclusive_publication_t *publication, const char *buffer, uint64_t length)
{
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (abr_exclusive_publication_offer(publication, (const uint8_t *)buffer, (size_t)length) < 0)
    {
        ABR_CHECK(abr_nano_time() < deadline);
        abr_sleep_ms(1);
    }
}

static uint64_t encode_started(char *buffer, size_t capacity, int64_t recording_id, const char *channel, const char *source)
{
    struct abr_codecs_messageHeader header;
    struct abr_codecs_recordingStarted started;
    ABR_CHECK(NULL != abr_codecs_recordingStarted_wrap_and_apply_header(&started, buffer, 0, capacity, &header));
    abr_codecs_recordingStarted_set_recordingId(&started, recording_id);
    abr_codecs_recordingStarted_set_startPosition(&started, 64);
    abr_codecs_recordingStarted_set_sessionId(&started, -7);
    abr_codecs_recordingStarted_set_streamId(&started, 1001);
    ABR_CHECK(NULL != abr_codecs_recordingStarted_put_channel(&started, channel, (uint32_t)strlen(channel)));
    ABR_CHECK(NULL != abr_codecs_recordingStarted_put_sourceIdentity(&started, source, (uint32_t)strlen(source)));
    return abr_codecs_messageHeader_encoded_length() + abr_codecs_recordingStarted_encoded_length(&started);
}

static uint64_t encode_progress(char *buffer, size_t capacity, int64_t recording_id, int64_t position)
{
    struct abr_codecs_messageHeader header;
    struct abr_codecs_recordingProgress progress;
    ABR_CHECK(NULL != abr_codecs_recordingProgress_wrap_and_apply_header(&progress, buffer, 0, capacity, &header));
    abr_codecs_recordingProgress_set_recordingId(&progress, recording_id);
    abr_codecs_recordingProgress_set_startPosition(&progress, 64);
    abr_codecs_recordingProgress_set_position(&progress, position);
    return abr_codecs_messageHeader_encoded_length() + abr_codecs_recordingProgress_encoded_length(&progress);
}

static uint64_t encode_stopped(char *buffer, size_t capacity, int64_t recording_id, int64_t stop_position)
{
    struct abr_codecs_messageHeader header;
    struct abr_codecs_recordingStopped stopped;
    ABR_CHECK(NULL != abr_codecs_recordingStopped_wrap_and_apply_header(&stopped, buffer, 0, capacity, &header));
    abr_codecs_recordingStopped_set_recordingId(&stopped, recording_id);
    abr_codecs_recordingStopped_set_startPosition(&stopped, 64);
    abr_codecs_recordingStopped_set_stopPosition(&stopped, stop_position);
    return abr_codecs_messageHeader_encoded_length() + abr_codecs_recordingStopped_encoded_length(&stopped);
}

typedef struct
{
    int started;
    int progress;
    int stopped;
    int64_t last_recording_id;
    int64_t last_position;
    int64_t last_stop_position;
    char channel[512];
    char source_identity[256];
}
heard_t;

static void on_started(void *clientd, const abr_recording_event_t *event)
{
    heard_t *heard = clientd;
    heard->started++;
    heard->last_recording_id = event->recording_id;
    ABR_CHECK(64 == event->start_position && -7 == event->session_id && 1001 == event->stream_id);
    ABR_CHECK(-1 == event->position && -1 == event->stop_position);
    snprintf(heard->channel, sizeof(heard->channel), "%s", event->channel);
    snprintf(heard->source_identity, sizeof(heard->source_identity), "%s", event->source_identity);
}

static void on_progress(void *clientd, const abr_recording_event_t *event)
{
    heard_t *heard = clientd;
    heard->progress++;
    heard->last_recording_id = event->recording_id;
    heard->last_position = event->position;
    ABR_CHECK(64 == event->start_position && -1 == event->stop_position && '\0' == event->channel[0]);
}

static void on_stopped(void *clientd, const abr_recording_event_t *event)
{
    heard_t *heard = clientd;
    heard->stopped++;
    heard->last_recording_id = event->recording_id;
    heard->last_stop_position = event->stop_position;
    ABR_CHECK(-1 == event->position && '\0' == event->source_identity[0]);
}

static void poll_until(abr_recording_events_t *events, heard_t *heard, int wanted)
{
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (heard->started + heard->progress + heard->stopped < wanted)
    {
        CHECK_OK(abr_recording_events_poll(events, on_started, on_progress, on_stopped, heard, 10));
        ABR_CHECK(abr_nano_time() < deadline);
    }
}

static void test_each_event_is_decoded_and_other_messages_skipped(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_recording_events_t *events = NULL;
    CHECK_OK(abr_recording_events_init_channel(&events, client, "aeron:ipc", STREAM_ID));
    abr_exclusive_publication_t *publication = NULL;
    CHECK_OK(abr_client_add_exclusive_publication(&publication, client, "aeron:ipc", STREAM_ID));
    char buffer[1024];
    char long_channel[400];
    memset(long_channel, 'c', sizeof(long_channel) - 1);
    long_channel[sizeof(long_channel) - 1] = '\0';

    send(publication, buffer, encode_started(buffer, sizeof(buffer), 5, "aeron:udp?endpoint=localhost:0", "127.0.0.1:1"));
    send(publication, buffer, encode_progress(buffer, sizeof(buffer), 5, 4096));
    /* A control request of the same schema and a message of another schema are not events. */
    struct abr_codecs_messageHeader header;
    struct abr_codecs_keepAliveRequest keep_alive;
    ABR_CHECK(NULL != abr_codecs_keepAliveRequest_wrap_and_apply_header(&keep_alive, buffer, 0, sizeof(buffer), &header));
    send(publication, buffer, abr_codecs_messageHeader_encoded_length() + abr_codecs_keepAliveRequest_sbe_block_length());
    memset(buffer, 0x5a, 64);
    send(publication, buffer, 64);
    /* A start whose channel claims more bytes than the message has is dropped. */
    uint64_t length = encode_started(buffer, sizeof(buffer), 6, "aeron:ipc", "x");
    uint32_t lie = 900;
    memcpy(buffer + abr_codecs_messageHeader_encoded_length() + abr_codecs_recordingStarted_sbe_block_length(), &lie, 4);
    send(publication, buffer, length);
    send(publication, buffer, encode_stopped(buffer, sizeof(buffer), 5, 8192));
    send(publication, buffer, encode_started(buffer, sizeof(buffer), 7, long_channel, "aeron:ipc"));

    heard_t heard;
    memset(&heard, 0, sizeof(heard));
    poll_until(events, &heard, 4);
    ABR_CHECK(2 == heard.started && 1 == heard.progress && 1 == heard.stopped);
    ABR_CHECK(7 == heard.last_recording_id && 4096 == heard.last_position && 8192 == heard.last_stop_position);
    ABR_CHECK_STR_EQ(long_channel, heard.channel);
    ABR_CHECK_STR_EQ("aeron:ipc", heard.source_identity);

    /* The poller's way: one fragment at a time, 1 for an event. */
    send(publication, buffer, 64);
    send(publication, buffer, encode_progress(buffer, sizeof(buffer), 9, 128));
    abr_recording_event_t event;
    int found = 0;
    int64_t deadline = abr_nano_time() + SECONDS(10);
    while (0 == found)
    {
        found = abr_recording_events_poll_event(events, &event);
        ABR_CHECK(found >= 0 && abr_nano_time() < deadline);
    }
    ABR_CHECK(ABR_RECORDING_EVENT_PROGRESS == event.template_id && 9 == event.recording_id && 128 == event.position);
    ABR_CHECK(0 == abr_recording_events_poll_event(events, &event));

    /* A reader over the caller's subscription leaves it open; a closed subscription fails the poll. */
    abr_subscription_t *subscription = NULL;
    CHECK_OK(abr_client_add_subscription(&subscription, client, "aeron:ipc", STREAM_ID));
    abr_recording_events_t *borrowed = NULL;
    CHECK_OK(abr_recording_events_init(&borrowed, subscription));
    ABR_CHECK(subscription == abr_recording_events_subscription(borrowed));
    CHECK_OK(abr_recording_events_close(borrowed));
    ABR_CHECK(!abr_subscription_is_closed(subscription));
    CHECK_OK(abr_recording_events_init(&borrowed, subscription));
    CHECK_OK(abr_subscription_close(subscription));
    ABR_EXPECT_ERROR(abr_recording_events_poll, (borrowed, on_started, NULL, NULL, &heard, 10), -1, ABR_ERROR_CLOSED,
        "subscription is closed");
    ABR_EXPECT_ERROR(abr_recording_events_poll_event, (borrowed, &event), -1, ABR_ERROR_CLOSED, "closed");
    CHECK_OK(abr_recording_events_close(borrowed));

    CHECK_OK(abr_recording_events_close(events));
    CHECK_OK(abr_exclusive_publication_close(publication));
    CHECK_OK(abr_client_close(client));
}

static void test_recording_pos_without_an_archive_finds_nothing(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    int32_t counter_id = 42;
    ABR_CHECK(0 == abr_recording_pos_find_counter_id_by_recording(client, 0, -1, &counter_id));
    ABR_CHECK(ABR_NULL_COUNTER_ID == counter_id);
    ABR_CHECK(0 == abr_recording_pos_find_counter_id_by_session(client, 0, -1, &counter_id));
    ABR_CHECK(0 == abr_recording_pos_find_counter_id_by_recording(client, INT64_MAX, INT64_MIN, &counter_id));
    ABR_CHECK(0 == abr_recording_pos_find_counter_id_by_session(client, INT32_MIN, 0, &counter_id));
    /* Counter 0 is a system counter, not a recording's. */
    int64_t recording_id = 0;
    CHECK_OK(abr_recording_pos_get_recording_id(client, 0, &recording_id));
    ABR_CHECK(ABR_RECORDING_POS_NULL_RECORDING_ID == recording_id);
    ABR_CHECK(0 == abr_recording_pos_is_active(client, 0, 0));
    char identity[64] = "untouched";
    ABR_CHECK(0 == abr_recording_pos_get_source_identity(client, 0, identity, sizeof(identity)));
    ABR_CHECK('\0' == identity[0]);
    CHECK_OK(abr_client_close(client));
}

static void test_each_bad_argument_is_named(void)
{
    abr_client_t *client = abr_test_connect(&g_driver, true, 10000);
    abr_recording_events_t *events = ABR_EXPECT_SENTINEL;
    abr_recording_event_t event;
    int32_t counter_id;
    int64_t recording_id;
    char identity[8];
    int32_t max_id = abr_counters_max_counter_id(client);

    ABR_EXPECT_INVALID(abr_recording_events_init, (NULL, NULL), -1, "events out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_recording_events_init, (&events, NULL), -1, "subscription must not be null");
    ABR_CHECK(NULL == events);
    ABR_EXPECT_INVALID(abr_recording_events_init_channel, (NULL, client, "aeron:ipc", 1), -1, "events out-pointer");
    ABR_EXPECT_INVALID(abr_recording_events_init_channel, (&events, NULL, "aeron:ipc", 1), -1, "client must not be");
    ABR_EXPECT_INVALID(abr_recording_events_init_channel, (&events, client, NULL, 1), -1, "channel must not be null");
    ABR_EXPECT_ERROR(
        abr_recording_events_init_channel, (&events, client, "aeron:bogus", 1), -1, ABR_ERROR_DRIVER_REJECTED,
        "recording events: driver rejected");
    ABR_CHECK(NULL == events);
    ABR_EXPECT_RETURNS(abr_recording_events_subscription, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_recording_events_close, (NULL), 0);
    ABR_EXPECT_INVALID(abr_recording_events_poll, (NULL, on_started, on_progress, on_stopped, NULL, 1), -1,
        "events must not be null");
    ABR_EXPECT_INVALID(abr_recording_events_poll_event, (NULL, &event), -1, "events must not be null");
    CHECK_OK(abr_recording_events_init_channel(&events, client, "aeron:ipc", STREAM_ID + 1));
    ABR_EXPECT_INVALID(abr_recording_events_poll_event, (events, NULL), -1, "event must not be null");
    /* With every callback NULL the events are read and dropped. */
    ABR_EXPECT_RETURNS(abr_recording_events_poll, (events, NULL, NULL, NULL, NULL, 10), 0);
    CHECK_OK(abr_recording_events_close(events));

    ABR_EXPECT_INVALID(abr_recording_pos_find_counter_id_by_recording, (NULL, 0, -1, &counter_id), -1, "client");
    ABR_EXPECT_INVALID(abr_recording_pos_find_counter_id_by_recording, (client, 0, -1, NULL), -1, "counter_id");
    ABR_EXPECT_INVALID(abr_recording_pos_find_counter_id_by_session, (NULL, 0, -1, &counter_id), -1, "client");
    ABR_EXPECT_INVALID(abr_recording_pos_find_counter_id_by_session, (client, 0, -1, NULL), -1, "counter_id");
    ABR_EXPECT_INVALID(abr_recording_pos_get_recording_id, (NULL, 0, &recording_id), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_recording_pos_get_recording_id, (client, 0, NULL), -1, "recording_id must not be null");
    ABR_EXPECT_INVALID(abr_recording_pos_get_recording_id, (client, -1, &recording_id), -1, "counterId=-1");
    ABR_EXPECT_INVALID(abr_recording_pos_get_recording_id, (client, max_id + 1, &recording_id), -1, "out of range");
    ABR_EXPECT_INVALID(abr_recording_pos_is_active, (NULL, 0, 0), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_recording_pos_is_active, (client, INT32_MIN, 0), -1, "out of range");
    ABR_EXPECT_INVALID(abr_recording_pos_is_active, (client, INT32_MAX, 0), -1, "out of range");
    ABR_EXPECT_INVALID(abr_recording_pos_get_source_identity, (NULL, 0, identity, 8), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_recording_pos_get_source_identity, (client, 0, NULL, 8), -1, "source_identity must not");
    ABR_EXPECT_INVALID(abr_recording_pos_get_source_identity, (client, 0, identity, 0), -1, "capacity must be > 0");
    ABR_EXPECT_INVALID(abr_recording_pos_get_source_identity, (client, -5, identity, 8), -1, "counterId=-5");

    CHECK_OK(abr_client_close(client));
    ABR_EXPECT_ERROR(
        abr_recording_pos_find_counter_id_by_recording, (client, 0, -1, &counter_id), -1, ABR_ERROR_CLOSED, "");
}

int main(void)
{
    abr_test_driver_start(&g_driver, NULL);
    ABR_RUN(test_each_event_is_decoded_and_other_messages_skipped);
    ABR_RUN(test_recording_pos_without_an_archive_finds_nothing);
    ABR_EXPECT_RUN(test_each_bad_argument_is_named);
    abr_test_driver_stop(&g_driver);
    ABR_EXPECT_ALL_PASSED();
    return 0;
}
