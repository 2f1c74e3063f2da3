/*
 * Replay parameters: ReplayParams' defaults, and the calls rejecting bad arguments before anything is sent. The round
 * trip (file I/O limit, a replay token through a response channel) is the conformance scenario replay-params.
 */
#include <stdint.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "test_assert.h"

static void params_default_to_aeron_archive_values(void)
{
    abr_archive_replay_params_t params;
    memset(&params, 0x5a, sizeof(params));
    ABR_CHECK(0 == abr_archive_replay_params_init(&params));
    ABR_CHECK(ABR_ARCHIVE_NULL_POSITION == params.position);
    ABR_CHECK(ABR_ARCHIVE_REPLAY_ALL_AND_FOLLOW == params.length);
    ABR_CHECK(-1 == params.bounding_limit_counter_id);
    ABR_CHECK(-1 == params.file_io_max_length);
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == params.replay_token);
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == params.subscription_registration_id);

    ABR_CHECK(-1 == abr_archive_replay_params_init(NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
}

/* Every field by its C name and value, distinct values so that two fields swapped or one written twice show. */
static void describe_names_every_field(void)
{
    abr_archive_replay_params_t params = {
        .position = 1111,
        .length = -2,
        .bounding_limit_counter_id = 3333,
        .file_io_max_length = 4444,
        .replay_token = INT64_MIN,
        .subscription_registration_id = INT64_MAX };
    char description[256];
    const char *expected = "position=1111 length=-2 bounding_limit_counter_id=3333 file_io_max_length=4444 "
        "replay_token=-9223372036854775808 subscription_registration_id=9223372036854775807";
    ABR_CHECK((int)strlen(expected) == abr_archive_replay_params_describe(&params, description, sizeof(description)));
    ABR_CHECK(0 == strcmp(expected, description));

    /* Exactly the room for the text and its NUL is enough; one byte less is refused, leaving "". */
    ABR_CHECK((int)strlen(expected) == abr_archive_replay_params_describe(&params, description, strlen(expected) + 1));
    ABR_CHECK(-1 == abr_archive_replay_params_describe(&params, description, strlen(expected)));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK('\0' == description[0]);
}

static void replay_with_params_rejects_bad_arguments(void)
{
    int64_t replay_session_id = 0;
    abr_subscription_t *subscription = NULL;
    abr_archive_replay_params_t params;
    abr_archive_replay_params_init(&params);

    ABR_CHECK(-1 == abr_archive_start_replay_with_params(NULL, NULL, 1, "aeron:ipc", 2, &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(&replay_session_id, NULL, 1, NULL, 2, &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_archive_replay_with_params(NULL, NULL, 1, "aeron:ipc", 2, &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());

    /* A response channel needs the response subscription's registration id for start_replay, as AeronArchive. */
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(
        &replay_session_id, NULL, 1, "aeron:udp?control-mode=response|control=localhost:9000", 2, &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "subscription_registration_id"));
    params.subscription_registration_id = 5;
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(
        &replay_session_id, NULL, 1, "aeron:udp?control-mode=response|control=localhost:9000", 2, &params));
    ABR_CHECK(-1 == abr_archive_replay_with_params(
        &subscription, NULL, 1, "aeron:udp?control-mode=response|control=localhost:9000", 2, NULL));
    ABR_CHECK(NULL == subscription);
    abr_archive_replay_params_init(&params);

    /* A malformed replay channel is refused before anything is sent, as AeronArchive's URI parser refuses it. */
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(&replay_session_id, NULL, 1, "ipc", 2, &params));
    ABR_CHECK(ABR_ERROR_MALFORMED_CHANNEL == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "replay channel"));
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(&replay_session_id, NULL, 1, "", 2, NULL));
    ABR_CHECK(ABR_ERROR_MALFORMED_CHANNEL == abr_errcode());

    /* Valid arguments reach the client check: a NULL client is an error, not a crash, with or without params. */
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(&replay_session_id, NULL, 1, "aeron:ipc", 2, &params));
    ABR_CHECK(-1 == abr_archive_start_replay_with_params(&replay_session_id, NULL, 1, "aeron:ipc", 2, NULL));
    ABR_CHECK(-1 == abr_archive_replay_with_params(&subscription, NULL, 1, "aeron:ipc", 2, NULL));
    ABR_CHECK(NULL == subscription);
}

int main(void)
{
    ABR_RUN(params_default_to_aeron_archive_values);
    ABR_RUN(describe_names_every_field);
    ABR_RUN(replay_with_params_rejects_bad_arguments);
    return 0;
}
