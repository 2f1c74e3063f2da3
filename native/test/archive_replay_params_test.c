/*
 * Replay parameters: ReplayParams' defaults, and the calls rejecting bad arguments before anything is sent. The round
 * trip (file I/O limit, a replay token through a response channel) is the conformance scenario replay-params.
 */
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
    ABR_RUN(replay_with_params_rejects_bad_arguments);
    return 0;
}
