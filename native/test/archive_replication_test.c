/*
 * Replication arguments: ReplicationParams' defaults, and the calls rejecting what the archive could never accept
 * before anything is sent. The round trip through two archives is the conformance scenario replicate-between-archives.
 */
#include <stdint.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "test_assert.h"

static void params_default_to_aeron_archive_values(void)
{
    abr_archive_replication_params_t params;
    memset(&params, 0x5a, sizeof(params));
    ABR_CHECK(0 == abr_archive_replication_params_init(&params));
    ABR_CHECK(ABR_ARCHIVE_NULL_POSITION == params.stop_position);
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == params.dst_recording_id);
    ABR_CHECK(NULL == params.live_destination);
    ABR_CHECK(NULL == params.replication_channel);
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == params.channel_tag_id);
    ABR_CHECK(ABR_ARCHIVE_NULL_VALUE == params.subscription_tag_id);
    ABR_CHECK(-1 == params.file_io_max_length);
    ABR_CHECK(-1 == params.replication_session_id);
    ABR_CHECK(NULL == params.encoded_credentials);
    ABR_CHECK(0 == params.encoded_credentials_length);
    ABR_CHECK(NULL == params.src_response_channel);

    ABR_CHECK(-1 == abr_archive_replication_params_init(NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
}

/* Every field by its C name and value; strings quoted or null, credentials as hex. */
static void describe_names_every_field(void)
{
    static const uint8_t credentials[] = { 0x00, 0xab, 0x7f };
    abr_archive_replication_params_t params = {
        .stop_position = 101,
        .dst_recording_id = 202,
        .live_destination = "aeron:udp?endpoint=localhost:3",
        .replication_channel = "aeron:udp?endpoint=localhost:4",
        .channel_tag_id = 505,
        .subscription_tag_id = 606,
        .file_io_max_length = 707,
        .replication_session_id = 808,
        .encoded_credentials = credentials,
        .encoded_credentials_length = sizeof(credentials),
        .src_response_channel = "aeron:udp?endpoint=localhost:9" };
    char description[512];
    const char *expected = "stop_position=101 dst_recording_id=202 live_destination='aeron:udp?endpoint=localhost:3' "
        "replication_channel='aeron:udp?endpoint=localhost:4' channel_tag_id=505 subscription_tag_id=606 "
        "file_io_max_length=707 replication_session_id=808 encoded_credentials=00ab7f encoded_credentials_length=3 "
        "src_response_channel='aeron:udp?endpoint=localhost:9'";
    ABR_CHECK((int)strlen(expected) ==
        abr_archive_replication_params_describe(&params, description, sizeof(description)));
    ABR_CHECK(0 == strcmp(expected, description));

    ABR_CHECK(0 == abr_archive_replication_params_init(&params));
    ABR_CHECK(abr_archive_replication_params_describe(&params, description, sizeof(description)) > 0);
    ABR_CHECK(NULL != strstr(description, " live_destination=null replication_channel=null "));
    ABR_CHECK(NULL != strstr(description, " encoded_credentials=null encoded_credentials_length=0 "
        "src_response_channel=null"));
}

static void replicate_rejects_bad_arguments(void)
{
    int64_t replication_id = 0;
    abr_archive_replication_params_t params;
    abr_archive_replication_params_init(&params);

    ABR_CHECK(-1 == abr_archive_replicate(NULL, NULL, 7, 10, "aeron:udp?endpoint=localhost:8010", &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_archive_replicate(&replication_id, NULL, 7, 10, NULL, &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "srcRecordingId=7"));

    params.live_destination = "aeron:udp?endpoint=localhost:9000";
    params.replication_session_id = 42;
    ABR_CHECK(-1 == abr_archive_replicate(&replication_id, NULL, 7, 10, "aeron:udp?endpoint=localhost:8010", &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "live destination"));

    abr_archive_replication_params_init(&params);
    params.encoded_credentials_length = 4;
    ABR_CHECK(-1 == abr_archive_replicate(&replication_id, NULL, 7, 10, "aeron:udp?endpoint=localhost:8010", &params));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());

    /* Valid arguments reach the client check: a NULL client is an error, not a crash. */
    abr_archive_replication_params_init(&params);
    ABR_CHECK(-1 == abr_archive_replicate(&replication_id, NULL, 7, 10, "aeron:udp?endpoint=localhost:8010", &params));
    ABR_CHECK(-1 == abr_archive_replicate(&replication_id, NULL, 7, 10, "aeron:udp?endpoint=localhost:8010", NULL));
}

static void stop_replication_rejects_bad_arguments(void)
{
    bool stopped = true;
    ABR_CHECK(-1 == abr_archive_try_stop_replication(NULL, NULL, 3));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_archive_try_stop_replication(&stopped, NULL, 3));
    ABR_CHECK(!stopped);
    ABR_CHECK(-1 == abr_archive_stop_replication(NULL, 3));
}

int main(void)
{
    ABR_RUN(params_default_to_aeron_archive_values);
    ABR_RUN(describe_names_every_field);
    ABR_RUN(replicate_rejects_bad_arguments);
    ABR_RUN(stop_replication_rejects_bad_arguments);
    return 0;
}
