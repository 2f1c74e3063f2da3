/*
 * Every public function of abr_error.h, abr_client.h and abr_archive.h, given NULL for each pointer parameter in turn
 * and values outside the ranges the headers document, is checked against the one error model: the documented return,
 * abr_errcode() and an abr_errmsg() that names the bad parameter; where a header allows NULL (a close that does
 * nothing, a getter's default) the call is checked for exactly that. No Media Driver is needed: where a live client,
 * publication or subscription is needed to reach a later parameter, the driver tests check it (conductor_driver_test.c,
 * publication_driver_test.c, subscription_driver_test.c). Archive calls check their arguments before the client, as
 * abr_archive.h says, so each of their parameters is reached here with a NULL client.
 * api_arguments_coverage.py checks that these tests together give NULL to every pointer parameter of every function.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "test_assert.h"
#include "test_expect.h"

#define SENTINEL ABR_EXPECT_SENTINEL

/* A failed call that hands out a handle leaves NULL in its out-pointer, so that the matching close may follow. */
#define EXPECT_NULL_OUT(out) expect_null_out(__LINE__, #out, (out))

static void expect_null_out(int line, const char *name, const void *out)
{
    if (NULL != out)
    {
        abr_expect_failed(__FILE__, line, name);
        fprintf(stderr, "expected NULL after the failed call\n");
    }
}

static const uint8_t g_bytes[16] = { 1, 2, 3, 4 };

static void on_fragment(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    (void)buffer;
    (void)length;
    (void)header;
    (*(int *)clientd)++;
}

static abr_controlled_action_t on_controlled_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    on_fragment(clientd, buffer, length, header);
    return ABR_ACTION_CONTINUE;
}

static void on_image(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image)
{
    (void)clientd;
    (void)subscription;
    (void)image;
}

static void on_descriptor(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    (void)clientd;
    (void)descriptor;
}

static void on_subscription_descriptor(void *clientd, abr_archive_recording_subscription_descriptor_t *descriptor)
{
    (void)clientd;
    (void)descriptor;
}

static void on_signal(void *clientd, abr_archive_recording_signal_t *signal)
{
    (void)clientd;
    (void)signal;
}

static void on_archive_error(void *clientd, int32_t error_code, int64_t correlation_id, const char *message)
{
    (void)clientd;
    (void)error_code;
    (void)correlation_id;
    (void)message;
}

static int on_encoded_credentials(void *clientd, abr_archive_credentials_t *credentials)
{
    (void)clientd;
    credentials->data = NULL;
    credentials->length = 0;
    ABR_EXPECT_ALL_PASSED();
    return 0;
}

static int on_challenge(
    void *clientd, const uint8_t *challenge, uint32_t challenge_length, abr_archive_credentials_t *response)
{
    (void)clientd;
    (void)challenge;
    (void)challenge_length;
    response->data = NULL;
    response->length = 0;
    ABR_EXPECT_ALL_PASSED();
    return 0;
}

static void on_free_credentials(void *clientd, abr_archive_credentials_t *credentials)
{
    (void)clientd;
    (void)credentials;
}

static void error_calls_keep_and_clear_the_thread_error(void)
{
    abr_error_clear();
    ABR_EXPECT_RETURNS(abr_errcode, (), ABR_OK);
    ABR_EXPECT_STRING(abr_errmsg, (), "");
    ABR_CHECK(-1 == abr_context_init(NULL));
    ABR_EXPECT_RETURNS(abr_errcode, (), ABR_ERROR_INVALID_ARGUMENT);
    ABR_CHECK('\0' != abr_errmsg()[0]);
    ABR_EXPECT_NO_CRASH(abr_error_clear, ());
    ABR_CHECK(ABR_OK == abr_errcode() && '\0' == abr_errmsg()[0]);
    /* Only the failure of an archive request carries its correlation id (ArchiveExceptionParityTest reads one
     * through the binding from a real Archive); every other failure says -1. */
    ABR_EXPECT_RETURNS(abr_errcorrelation_id, (), -1);
    ABR_CHECK(-1 == abr_context_init(NULL));
    ABR_EXPECT_RETURNS(abr_errcorrelation_id, (), -1);
    /* Only a Media Driver's rejection carries its code and message (conductor_driver_test reads them from one). */
    ABR_EXPECT_RETURNS(abr_errdriver_code, (), -1);
    ABR_EXPECT_STRING(abr_errdriver_message, (), "");
    ABR_EXPECT_NO_CRASH(abr_error_clear, ());
    ABR_EXPECT_RETURNS(abr_errdriver_code, (), -1);

    /* Wire codes 0..49 map one to one; anything else the archive might send is its generic error. */
    ABR_EXPECT_RETURNS(abr_error_code_from_archive, (5), ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING);
    ABR_EXPECT_RETURNS(abr_error_code_from_archive, (ABR_ERROR_ARCHIVE_LAST_WIRE_CODE - ABR_ERROR_ARCHIVE_BASE),
        ABR_ERROR_ARCHIVE_LAST_WIRE_CODE);
    ABR_EXPECT_RETURNS(abr_error_code_from_archive, (-1), ABR_ERROR_ARCHIVE_GENERIC);
    ABR_EXPECT_RETURNS(abr_error_code_from_archive, (ABR_ERROR_ARCHIVE_LAST_WIRE_CODE - ABR_ERROR_ARCHIVE_BASE + 1),
        ABR_ERROR_ARCHIVE_GENERIC);
    ABR_EXPECT_RETURNS(abr_error_code_from_archive, (INT64_MIN), ABR_ERROR_ARCHIVE_GENERIC);
    ABR_EXPECT_RETURNS(abr_error_code_from_archive, (INT64_MAX), ABR_ERROR_ARCHIVE_GENERIC);

    ABR_EXPECT_RETURNS(abr_error_code_to_archive, (ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING), 5);
    ABR_EXPECT_RETURNS(abr_error_code_to_archive, (ABR_ERROR_ARCHIVE_LAST_WIRE_CODE), 49);
    ABR_EXPECT_RETURNS(abr_error_code_to_archive, (ABR_ERROR_INVALID_ARGUMENT), -1);
    ABR_EXPECT_RETURNS(abr_error_code_to_archive, (ABR_ERROR_ARCHIVE_PROTOCOL), -1);
    ABR_EXPECT_RETURNS(abr_error_code_to_archive, (-1), -1);
    ABR_EXPECT_RETURNS(abr_error_code_to_archive, (INT_MAX), -1);
}

static void client_context_rejects_null_and_out_of_range(void)
{
    abr_context_t *context = NULL;
    ABR_EXPECT_INVALID(abr_context_init, (NULL), -1, "context out-pointer must not be null");
    ABR_CHECK(0 == abr_context_init(&context));
    ABR_CHECK(NULL != context);

    ABR_EXPECT_INVALID(abr_context_set_dir, (NULL, "/tmp/abr"), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_context_set_dir, (context, NULL), -1, "dir must not be null");
    ABR_EXPECT_INVALID(abr_context_set_dir, (context, ""), -1, "dir must not be null");
    ABR_EXPECT_NULL(abr_context_get_dir, (NULL));

    ABR_EXPECT_INVALID(abr_context_set_driver_timeout_ms, (NULL, 1000), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_context_set_driver_timeout_ms, (context, 0), -1, "timeoutMs=0");
    ABR_EXPECT_INVALID(abr_context_set_driver_timeout_ms, (context, (uint64_t)INT32_MAX + 1), -1,
        "timeoutMs=2147483648");
    ABR_EXPECT_RETURNS(abr_context_get_driver_timeout_ms, (NULL), 0);

    ABR_EXPECT_INVALID(abr_context_set_client_name, (NULL, "name"), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_context_set_client_name, (context, NULL), -1, "name must not be null");
    ABR_EXPECT_NULL(abr_context_get_client_name, (NULL));

    ABR_EXPECT_INVALID(abr_context_set_use_conductor_thread, (NULL, false), -1, "context must not be null");
    ABR_EXPECT_RETURNS(abr_context_get_use_conductor_thread, (NULL), false);

    ABR_EXPECT_INVALID(abr_context_set_resource_linger_ns, (NULL, 1), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_context_set_resource_linger_ns, (context, UINT64_MAX), -1, "linger must be at most");
    ABR_EXPECT_RETURNS(abr_context_get_resource_linger_ns, (NULL), 0);

    /* Rejected values leave what was set. */
    ABR_CHECK(ABR_DRIVER_TIMEOUT_MS_DEFAULT == abr_context_get_driver_timeout_ms(context));
    ABR_CHECK(ABR_RESOURCE_LINGER_NS_DEFAULT == abr_context_get_resource_linger_ns(context));
    ABR_CHECK(NULL != abr_context_get_dir(context) && '\0' != abr_context_get_dir(context)[0]);

    ABR_EXPECT_RETURNS(abr_context_close, (NULL), 0);
    ABR_CHECK(0 == abr_context_close(context));
}

static void client_calls_reject_a_null_client(void)
{
    abr_context_t *context = NULL;
    ABR_CHECK(0 == abr_context_init(&context));
    abr_client_t *client = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_connect, (NULL, context), -1, "client out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_client_connect, (&client, NULL), -1, "context must not be null");
    EXPECT_NULL_OUT(client);

    /* A directory without a driver, and one too long for a path, fail the connect naming the directory. */
    ABR_CHECK(0 == abr_context_set_dir(context, "/tmp/abr-api-arguments-test-no-driver"));
    ABR_CHECK(0 == abr_context_set_driver_timeout_ms(context, 1));
    client = SENTINEL;
    ABR_EXPECT_ERROR(abr_client_connect, (&client, context), -1, ABR_ERROR_NO_DRIVER,
        "abr-api-arguments-test-no-driver");
    EXPECT_NULL_OUT(client);
    char long_dir[PATH_MAX + 16];
    memset(long_dir, 'd', sizeof(long_dir) - 1);
    long_dir[0] = '/';
    long_dir[sizeof(long_dir) - 1] = '\0';
    ABR_CHECK(0 == abr_context_set_dir(context, long_dir));
    client = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_connect, (&client, context), -1, "too long");
    EXPECT_NULL_OUT(client);
    ABR_CHECK(0 == abr_context_close(context));

    ABR_EXPECT_RETURNS(abr_client_close, (NULL), 0);
    ABR_EXPECT_INVALID(abr_client_do_work, (NULL), -1, "client must not be null");
    ABR_EXPECT_RETURNS(abr_client_id, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_client_is_closed, (NULL), true);
    ABR_EXPECT_INVALID(abr_client_next_correlation_id, (NULL), -1, "client must not be null");
    int32_t session_id = 0;
    ABR_EXPECT_INVALID(abr_client_next_session_id, (NULL, 1, &session_id), -1, "client must not be null");

    abr_async_add_t *async = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_async_add_publication, (&async, NULL, "aeron:ipc", 1), -1, "client must not be null");
    EXPECT_NULL_OUT(async);
    async = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_async_add_exclusive_publication, (&async, NULL, "aeron:ipc", 1), -1,
        "client must not be null");
    EXPECT_NULL_OUT(async);
    async = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_async_add_subscription, (&async, NULL, "aeron:ipc", 1), -1,
        "client must not be null");
    EXPECT_NULL_OUT(async);
    async = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_async_add_subscription_with_handlers,
        (&async, NULL, "aeron:ipc", 1, on_image, NULL, on_image, NULL), -1, "client must not be null");
    EXPECT_NULL_OUT(async);

    abr_publication_t *publication = SENTINEL;
    abr_exclusive_publication_t *exclusive = SENTINEL;
    abr_subscription_t *subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_async_add_publication_poll, (&publication, NULL), -1, "async must not be null");
    ABR_EXPECT_INVALID(abr_async_add_exclusive_publication_poll, (&exclusive, NULL), -1, "async must not be null");
    ABR_EXPECT_INVALID(abr_async_add_subscription_poll, (&subscription, NULL), -1, "async must not be null");
    EXPECT_NULL_OUT(publication);
    EXPECT_NULL_OUT(exclusive);
    EXPECT_NULL_OUT(subscription);
    ABR_EXPECT_RETURNS(abr_async_add_cancel, (NULL), 0);

    publication = SENTINEL;
    exclusive = SENTINEL;
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_add_publication, (&publication, NULL, "aeron:ipc", 1), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_client_add_exclusive_publication, (&exclusive, NULL, "aeron:ipc", 1), -1,
        "client must not be null");
    ABR_EXPECT_INVALID(abr_client_add_subscription, (&subscription, NULL, "aeron:ipc", 1), -1,
        "client must not be null");
    EXPECT_NULL_OUT(publication);
    EXPECT_NULL_OUT(exclusive);
    EXPECT_NULL_OUT(subscription);
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_client_add_subscription_with_handlers,
        (&subscription, NULL, "aeron:ipc", 1, on_image, NULL, on_image, NULL), -1, "client must not be null");
    EXPECT_NULL_OUT(subscription);
}

static void publication_calls_reject_a_null_publication(void)
{
    abr_buffer_claim_t claim;
    memset(&claim, 0, sizeof(claim));
    ABR_EXPECT_INVALID(abr_buffer_claim_commit, (NULL), -1, "claim=null");
    ABR_EXPECT_INVALID(abr_buffer_claim_commit, (&claim), -1, "claim filled by try_claim");
    ABR_EXPECT_INVALID(abr_buffer_claim_abort, (NULL), -1, "claim=null");
    ABR_EXPECT_INVALID(abr_buffer_claim_abort, (&claim), -1, "claim filled by try_claim");

    const abr_iovec_t vectors[] = { { g_bytes, 4 }, { NULL, 0 } };
    const abr_iovec_t broken[] = { { g_bytes, 4 }, { NULL, 3 } };
    abr_publication_mapping_t mapping;

    ABR_EXPECT_INVALID(abr_publication_offer, (NULL, g_bytes, 4), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_INVALID(abr_publication_offer, (NULL, NULL, 0), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_INVALID(abr_publication_offerv, (NULL, vectors, 2), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_INVALID(abr_publication_offerv, (NULL, broken, 2), ABR_PUBLICATION_ERROR, "vector 1");
    ABR_EXPECT_INVALID(abr_publication_try_claim, (NULL, 4, &claim), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_RETURNS(abr_publication_is_connected, (NULL), false);
    ABR_EXPECT_RETURNS(abr_publication_is_closed, (NULL), true);
    ABR_EXPECT_RETURNS(abr_publication_session_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_publication_stream_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_publication_initial_term_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_publication_registration_id, (NULL), -1);
    ABR_EXPECT_RETURNS(abr_publication_original_registration_id, (NULL), -1);
    ABR_EXPECT_NULL(abr_publication_channel, (NULL));
    ABR_EXPECT_INVALID(abr_publication_position, (NULL), ABR_PUBLICATION_ERROR, "publication must not be null");
    ABR_EXPECT_INVALID(abr_publication_position_limit, (NULL), ABR_PUBLICATION_ERROR, "publication must not be null");
    ABR_EXPECT_RETURNS(abr_publication_channel_status, (NULL), ABR_CHANNEL_STATUS_NO_ID_ALLOCATED);
    ABR_EXPECT_RETURNS(abr_publication_channel_status_id, (NULL), ABR_CHANNEL_STATUS_NO_ID_ALLOCATED);
    ABR_EXPECT_RETURNS(abr_publication_max_message_length, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_publication_max_payload_length, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_publication_term_buffer_length, (NULL), 0);
    ABR_EXPECT_INVALID(abr_publication_mapping, (NULL, &mapping), -1, "publication=null");
    ABR_EXPECT_RETURNS(abr_publication_close, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_publication_discard, (NULL), 0);

    ABR_EXPECT_INVALID(abr_exclusive_publication_offer, (NULL, g_bytes, 4), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offer, (NULL, NULL, 0), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offerv, (NULL, vectors, 2), ABR_PUBLICATION_ERROR, "publication=null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_offerv, (NULL, broken, 2), ABR_PUBLICATION_ERROR, "vector 1");
    ABR_EXPECT_INVALID(abr_exclusive_publication_try_claim, (NULL, 4, &claim), ABR_PUBLICATION_ERROR,
        "publication=null");
    ABR_EXPECT_RETURNS(abr_exclusive_publication_is_connected, (NULL), false);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_is_closed, (NULL), true);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_session_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_stream_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_initial_term_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_registration_id, (NULL), -1);
    ABR_EXPECT_NULL(abr_exclusive_publication_channel, (NULL));
    ABR_EXPECT_INVALID(abr_exclusive_publication_position, (NULL), ABR_PUBLICATION_ERROR,
        "publication must not be null");
    ABR_EXPECT_INVALID(abr_exclusive_publication_position_limit, (NULL), ABR_PUBLICATION_ERROR,
        "publication must not be null");
    ABR_EXPECT_RETURNS(abr_exclusive_publication_channel_status, (NULL), ABR_CHANNEL_STATUS_NO_ID_ALLOCATED);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_channel_status_id, (NULL), ABR_CHANNEL_STATUS_NO_ID_ALLOCATED);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_max_message_length, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_max_payload_length, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_term_buffer_length, (NULL), 0);
    ABR_EXPECT_INVALID(abr_exclusive_publication_mapping, (NULL, &mapping), -1, "publication=null");
    ABR_EXPECT_RETURNS(abr_exclusive_publication_close, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_exclusive_publication_discard, (NULL), 0);
}

static void subscription_calls_reject_a_null_subscription(void)
{
    int fragments = 0;
    abr_frame_ref_t frames[4];
    abr_image_ref_t images[4];
    abr_image_info_t info;

    ABR_EXPECT_INVALID(abr_subscription_poll, (NULL, on_fragment, &fragments, 10), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_controlled_poll, (NULL, on_controlled_fragment, &fragments, 10), -1,
        "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_poll_frames, (NULL, frames, 4), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_poll_frames_done, (NULL, 0), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_poll_images, (NULL, images, 4), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_poll_images_done, (NULL), -1, "subscription=null");
    ABR_EXPECT_INVALID(abr_subscription_image_is_end_of_stream, (NULL, 1), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_image_position, (NULL, 1), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_image_info, (NULL, 1, &info), -1, "subscription must not be null");
    ABR_EXPECT_INVALID(abr_subscription_image_at, (NULL, 0, &info), -1, "subscription must not be null");
    ABR_EXPECT_RETURNS(abr_subscription_is_connected, (NULL), false);
    ABR_EXPECT_INVALID(abr_subscription_image_count, (NULL), -1, "subscription must not be null");
    ABR_EXPECT_RETURNS(abr_subscription_is_closed, (NULL), true);
    ABR_EXPECT_RETURNS(abr_subscription_stream_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_subscription_registration_id, (NULL), -1);
    ABR_EXPECT_NULL(abr_subscription_channel, (NULL));
    ABR_EXPECT_RETURNS(abr_subscription_channel_status, (NULL), ABR_CHANNEL_STATUS_NO_ID_ALLOCATED);
    ABR_EXPECT_RETURNS(abr_subscription_channel_status_id, (NULL), ABR_CHANNEL_STATUS_NO_ID_ALLOCATED);
    ABR_EXPECT_RETURNS(abr_subscription_close, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_subscription_discard, (NULL), 0);
    ABR_CHECK(0 == fragments);
}

static void counter_calls_reject_a_null_client(void)
{
    int64_t value = 0;
    int32_t number = 0;
    char label[32];
    uint8_t key[ABR_COUNTER_MAX_KEY_LENGTH];
    ABR_EXPECT_INVALID(abr_counters_max_counter_id, (NULL), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_value, (NULL, 0, &value), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_state, (NULL, 0, &number), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_type_id, (NULL, 0, &number), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_registration_id, (NULL, 0, &value), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_label, (NULL, 0, label, sizeof(label)), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_key, (NULL, 0, key, sizeof(key)), -1, "client must not be null");
    ABR_EXPECT_INVALID(abr_counters_find_by_type_id_and_key, (NULL, 1, key, 4, &number), -1, "client must not be null");
    char address[64];
    ABR_EXPECT_INVALID(abr_client_find_local_socket_address, (NULL, 1, address, sizeof(address)), -1,
        "client must not be null");
}

static void channel_uri_calls_reject_null_and_malformed_parts(void)
{
    abr_channel_uri_t *uri = SENTINEL;
    ABR_EXPECT_INVALID(abr_channel_uri_parse_new, (NULL, "aeron:ipc"), -1, "uri out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_channel_uri_parse_new, (&uri, NULL), -1, "channel must not be null");
    EXPECT_NULL_OUT(uri);
    uri = SENTINEL;
    ABR_EXPECT_ERROR(abr_channel_uri_parse_new, (&uri, "aeron:tcp?x=1"), -1, ABR_ERROR_MALFORMED_CHANNEL, "tcp");
    EXPECT_NULL_OUT(uri);
    ABR_EXPECT_INVALID(abr_channel_uri_new, (NULL, "udp"), -1, "uri out-pointer must not be null");
    uri = SENTINEL;
    ABR_EXPECT_INVALID(abr_channel_uri_new, (&uri, NULL), -1, "media=null");
    EXPECT_NULL_OUT(uri);
    uri = SENTINEL;
    ABR_EXPECT_INVALID(abr_channel_uri_new, (&uri, "tcp"), -1, "media=tcp");
    EXPECT_NULL_OUT(uri);
    ABR_EXPECT_RETURNS(abr_channel_uri_free, (NULL), 0);

    ABR_EXPECT_NULL(abr_channel_uri_media, (NULL));
    ABR_EXPECT_RETURNS(abr_channel_uri_is_spy, (NULL), false);
    ABR_EXPECT_RETURNS(abr_channel_uri_param_count, (NULL), -1);
    ABR_EXPECT_NULL(abr_channel_uri_param_key, (NULL, 0));
    ABR_EXPECT_NULL(abr_channel_uri_param_value, (NULL, 0));
    ABR_EXPECT_NULL(abr_channel_uri_get, (NULL, "mtu"));
    ABR_EXPECT_INVALID(abr_channel_uri_put, (NULL, "mtu", "1408"), -1, "uri must not be null");
    ABR_EXPECT_INVALID(abr_channel_uri_remove, (NULL, "mtu"), -1, "uri must not be null");
    ABR_EXPECT_INVALID(abr_channel_uri_validate, (NULL), -1, "uri must not be null");
    char text[64];
    ABR_EXPECT_INVALID(abr_channel_uri_write, (NULL, text, sizeof(text)), -1, "uri must not be null");

    ABR_CHECK(0 == abr_channel_uri_parse_new(&uri, "aeron:udp?endpoint=localhost:0"));
    ABR_EXPECT_NULL(abr_channel_uri_param_key, (uri, -1));
    ABR_EXPECT_NULL(abr_channel_uri_param_key, (uri, 1));
    ABR_EXPECT_NULL(abr_channel_uri_param_value, (uri, -1));
    ABR_EXPECT_NULL(abr_channel_uri_param_value, (uri, INT_MAX));
    ABR_EXPECT_NULL(abr_channel_uri_get, (uri, NULL));
    ABR_EXPECT_INVALID(abr_channel_uri_put, (uri, NULL, "1408"), -1, "key must not be null");
    ABR_EXPECT_INVALID(abr_channel_uri_put, (uri, "mtu", NULL), -1, "value must not be null");
    ABR_EXPECT_ERROR(abr_channel_uri_put, (uri, "", "1"), -1, ABR_ERROR_MALFORMED_CHANNEL, "non-empty key");
    ABR_EXPECT_ERROR(abr_channel_uri_put, (uri, "a=b", "1"), -1, ABR_ERROR_MALFORMED_CHANNEL, "key=a=b");
    ABR_EXPECT_ERROR(abr_channel_uri_put, (uri, "alias", "x|y"), -1, ABR_ERROR_MALFORMED_CHANNEL, "value=x|y");
    ABR_EXPECT_INVALID(abr_channel_uri_remove, (uri, NULL), -1, "key must not be null");
    ABR_EXPECT_INVALID(abr_channel_uri_write, (uri, NULL, sizeof(text)), -1, "buffer must not be null");
    ABR_EXPECT_INVALID(abr_channel_uri_write, (uri, text, 0), -1, "needs a buffer of 31 bytes, has capacity=0");
    ABR_EXPECT_INVALID(abr_channel_uri_write, (uri, text, strlen("aeron:udp?endpoint=localhost:0")), -1,
        "has capacity=30");
    ABR_CHECK(0 == abr_channel_uri_put(uri, "term-length", "1000"));
    ABR_EXPECT_ERROR(abr_channel_uri_validate, (uri), -1, ABR_ERROR_MALFORMED_CHANNEL, "term-length=1000");

    /* The parameter table is bounded: one past it is refused and the URI stays as it was. */
    int count = abr_channel_uri_param_count(uri);
    int put = 0;
    char name[16];
    do
    {
        snprintf(name, sizeof(name), "p%d", put++);
    }
    while (0 == abr_channel_uri_put(uri, name, "1") && put < 1000);
    ABR_CHECK(put < 1000);
    ABR_CHECK(ABR_ERROR_MALFORMED_CHANNEL == abr_errcode() && NULL != strstr(abr_errmsg(), name));
    ABR_CHECK(count + put - 1 == abr_channel_uri_param_count(uri));
    ABR_CHECK(NULL == abr_channel_uri_get(uri, name));
    ABR_CHECK(0 == abr_channel_uri_free(uri));
}

static void fragment_assemblers_reject_null_and_ignore_broken_fragments(void)
{
    int delivered = 0;
    abr_fragment_assembler_t *assembler = SENTINEL;
    abr_controlled_fragment_assembler_t *controlled = SENTINEL;
    ABR_EXPECT_INVALID(abr_fragment_assembler_init, (NULL, on_fragment, &delivered), -1,
        "assembler out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_fragment_assembler_init, (&assembler, NULL, &delivered), -1, "delegate must not be null");
    EXPECT_NULL_OUT(assembler);
    ABR_EXPECT_INVALID(abr_controlled_fragment_assembler_init, (NULL, on_controlled_fragment, &delivered), -1,
        "assembler out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_controlled_fragment_assembler_init, (&controlled, NULL, &delivered), -1,
        "delegate must not be null");
    EXPECT_NULL_OUT(controlled);
    ABR_EXPECT_RETURNS(abr_fragment_assembler_close, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_close, (NULL), 0);

    /* The handlers return nothing to fail with: a fragment they cannot use is dropped, and nothing is delivered. */
    ABR_CHECK(0 == abr_fragment_assembler_init(&assembler, on_fragment, &delivered));
    ABR_CHECK(0 == abr_controlled_fragment_assembler_init(&controlled, on_controlled_fragment, &delivered));
    abr_header_t begin = { .frame_length = 36, .session_id = 7, .flags = ABR_FRAME_BEGIN_FLAG };
    abr_header_t end = { .frame_length = 36, .session_id = 7, .flags = ABR_FRAME_END_FLAG };
    abr_header_t whole = { .frame_length = 36, .session_id = 7, .flags = ABR_FRAME_UNFRAGMENTED };
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (NULL, g_bytes, 4, &whole));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, g_bytes, 4, NULL));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, NULL, 4, &whole));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, NULL, 4, &begin));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, NULL, 4, &end));
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (NULL, g_bytes, 4, &whole), ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, g_bytes, 4, NULL), ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, NULL, 4, &whole), ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, NULL, 4, &begin), ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, NULL, 4, &end), ABR_ACTION_CONTINUE);
    ABR_CHECK(0 == delivered);

    /* A broken fragment within a message abandons the message: its end delivers nothing. */
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, g_bytes, 4, &begin));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, NULL, 4, &end));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, g_bytes, 4, &end));
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, g_bytes, 4, &begin),
        ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, NULL, 4, &end), ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, g_bytes, 4, &end), ABR_ACTION_CONTINUE);
    ABR_CHECK(0 == delivered);

    /* An empty fragment has no bytes to point at; it is still a fragment of the message. */
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, NULL, 0, &begin));
    ABR_EXPECT_NO_CRASH(abr_fragment_assembler_handler, (assembler, g_bytes, 4, &end));
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, NULL, 0, &begin), ABR_ACTION_CONTINUE);
    ABR_EXPECT_RETURNS(abr_controlled_fragment_assembler_handler, (controlled, g_bytes, 4, &end), ABR_ACTION_CONTINUE);
    ABR_CHECK(2 == delivered);
    ABR_CHECK(0 == abr_fragment_assembler_close(assembler));
    ABR_CHECK(0 == abr_controlled_fragment_assembler_close(controlled));
}

static void archive_context_rejects_null_and_out_of_range(void)
{
    abr_archive_context_t *context = NULL;
    ABR_EXPECT_INVALID(abr_archive_context_init, (NULL), -1, "context must not be null");
    ABR_CHECK(0 == abr_archive_context_init(&context));
    ABR_CHECK(NULL != context);
    ABR_EXPECT_RETURNS(abr_archive_context_close, (NULL), 0);

    ABR_EXPECT_INVALID(abr_archive_context_set_aeron_directory_name, (NULL, "/tmp/abr"), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_request_channel, (NULL, "aeron:ipc"), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_request_stream_id, (NULL, 10), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_response_channel, (NULL, "aeron:ipc"), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_response_stream_id, (NULL, 20), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_message_timeout_ns, (NULL, 1), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_message_retry_attempts, (NULL, 1), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_client_name, (NULL, "name"), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_recording_signal_consumer, (NULL, on_signal, NULL), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_error_handler, (NULL, on_archive_error, NULL), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_auto_poll_interval_ns, (NULL, 0), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_locking, (NULL, false), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_term_buffer_length, (NULL, 65536), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_mtu_length, (NULL, 1408), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_term_buffer_sparse, (NULL, true), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_debug_log, (NULL, "stderr"), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_client, (NULL, NULL), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_test_fault_skip_close_session, (NULL, false), -1,
        "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_credentials_supplier,
        (NULL, on_encoded_credentials, on_challenge, on_free_credentials, NULL), -1, "context must not be null");
    ABR_EXPECT_INVALID(abr_archive_context_set_protocol_semantic_version, (NULL,
        ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION), -1,
        "context must not be null");

    ABR_EXPECT_NULL(abr_archive_context_get_aeron_directory_name, (NULL));
    ABR_EXPECT_NULL(abr_archive_context_get_control_request_channel, (NULL));
    ABR_EXPECT_RETURNS(abr_archive_context_get_control_request_stream_id, (NULL), 0);
    ABR_EXPECT_NULL(abr_archive_context_get_control_response_channel, (NULL));
    ABR_EXPECT_RETURNS(abr_archive_context_get_control_response_stream_id, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_get_message_timeout_ns, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_get_message_retry_attempts, (NULL), 0);
    ABR_EXPECT_NULL(abr_archive_context_get_client_name, (NULL));
    ABR_EXPECT_RETURNS(abr_archive_context_get_auto_poll_interval_ns, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_get_locking, (NULL), true);
    ABR_EXPECT_RETURNS(abr_archive_context_get_control_term_buffer_length, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_get_control_mtu_length, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_get_control_term_buffer_sparse, (NULL),
        ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_DEFAULT);
    ABR_EXPECT_NULL(abr_archive_context_get_debug_log, (NULL));
    ABR_EXPECT_RETURNS(abr_archive_context_get_protocol_semantic_version, (NULL), 0);

    /* Values out of the documented ranges are refused and leave what was set. */
    ABR_CHECK(0 == abr_archive_context_set_message_timeout_ns(context, 5000000000LL));
    ABR_EXPECT_INVALID(abr_archive_context_set_message_timeout_ns, (context, 0), -1, "timeout must be > 0 ns, got: 0");
    ABR_EXPECT_INVALID(abr_archive_context_set_message_timeout_ns, (context, -1), -1, "got: -1");
    ABR_CHECK(5000000000LL == abr_archive_context_get_message_timeout_ns(context));
    ABR_CHECK(0 == abr_archive_context_set_message_retry_attempts(context, 5));
    ABR_EXPECT_INVALID(abr_archive_context_set_message_retry_attempts, (context, 0), -1,
        "attempts must be > 0, got: 0");
    ABR_EXPECT_INVALID(abr_archive_context_set_message_retry_attempts, (context, INT32_MIN), -1, "got: -2147483648");
    ABR_CHECK(5 == abr_archive_context_get_message_retry_attempts(context));
    ABR_CHECK(0 == abr_archive_context_set_auto_poll_interval_ns(context, 0));
    ABR_EXPECT_INVALID(abr_archive_context_set_auto_poll_interval_ns, (context, -1), -1,
        "interval must be >= 0 ns (0 = off), got: -1");
    ABR_CHECK(0 == abr_archive_context_get_auto_poll_interval_ns(context));
    ABR_CHECK(abr_archive_context_get_locking(context));
    ABR_CHECK(0 == abr_archive_context_set_locking(context, false));
    ABR_CHECK(!abr_archive_context_get_locking(context));
    ABR_CHECK(0 == abr_archive_context_set_locking(context, true));
    ABR_CHECK(abr_archive_context_get_locking(context));
    ABR_CHECK(0 == abr_archive_context_set_control_term_buffer_length(context, 128 * 1024));
    ABR_EXPECT_INVALID(abr_archive_context_set_control_term_buffer_length, (context, 32 * 1024), -1,
        "term buffer length must be a power of 2 between 64KiB and 1GiB, got: 32768");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_term_buffer_length, (context, 96 * 1024), -1, "got: 98304");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_term_buffer_length, (context, INT32_MIN), -1,
        "got: -2147483648");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_term_buffer_length, (context, INT32_MAX), -1, "got: 2147483647");
    ABR_CHECK(128 * 1024 == abr_archive_context_get_control_term_buffer_length(context));
    ABR_CHECK(0 == abr_archive_context_set_control_mtu_length(context, 4096));
    ABR_EXPECT_INVALID(abr_archive_context_set_control_mtu_length, (context, 0), -1,
        "MTU length must be a multiple of 32 between 64 and 65536, got: 0");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_mtu_length, (context, 1000), -1, "got: 1000");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_mtu_length, (context, 64 * 1024 + 32), -1, "got: 65568");
    ABR_EXPECT_INVALID(abr_archive_context_set_control_mtu_length, (context, -32), -1, "got: -32");
    ABR_CHECK(4096 == abr_archive_context_get_control_mtu_length(context));
    ABR_EXPECT_INVALID(abr_archive_context_set_protocol_semantic_version, (context, -1), -1, "version must be");
    ABR_EXPECT_INVALID(abr_archive_context_set_protocol_semantic_version, (context, 0x1000000), -1, "got: 16777216");
    ABR_CHECK(ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION == abr_archive_context_get_protocol_semantic_version(context));

    ABR_EXPECT_INVALID(abr_archive_context_set_credentials_supplier,
        (context, NULL, on_challenge, on_free_credentials, NULL), -1, "encoded_credentials=null");
    ABR_EXPECT_INVALID(abr_archive_context_set_credentials_supplier,
        (context, on_encoded_credentials, NULL, on_free_credentials, NULL), -1, "on_challenge=null");
    ABR_EXPECT_INVALID(abr_archive_context_set_credentials_supplier,
        (context, on_encoded_credentials, on_challenge, NULL, NULL), -1, "on_free=null");

    /* NULL where the header allows it: a string back to its unset value, a callback back to none. */
    ABR_CHECK(0 == abr_archive_context_set_aeron_directory_name(context, "/tmp/abr"));
    ABR_EXPECT_RETURNS(abr_archive_context_set_aeron_directory_name, (context, NULL), 0);
    ABR_EXPECT_NULL(abr_archive_context_get_aeron_directory_name, (context));
    ABR_CHECK(0 == abr_archive_context_set_control_request_channel(context, "aeron:ipc"));
    ABR_EXPECT_RETURNS(abr_archive_context_set_control_request_channel, (context, NULL), 0);
    ABR_EXPECT_NULL(abr_archive_context_get_control_request_channel, (context));
    ABR_CHECK(0 == abr_archive_context_set_control_response_channel(context, "aeron:ipc"));
    ABR_EXPECT_RETURNS(abr_archive_context_set_control_response_channel, (context, NULL), 0);
    ABR_EXPECT_NULL(abr_archive_context_get_control_response_channel, (context));
    ABR_CHECK(0 == abr_archive_context_set_client_name(context, "name"));
    ABR_EXPECT_RETURNS(abr_archive_context_set_client_name, (context, NULL), 0);
    ABR_EXPECT_STRING(abr_archive_context_get_client_name, (context), "");
    ABR_CHECK(0 == abr_archive_context_set_debug_log(context, "stderr"));
    ABR_EXPECT_RETURNS(abr_archive_context_set_debug_log, (context, NULL), 0);
    ABR_EXPECT_STRING(abr_archive_context_get_debug_log, (context), "");
    ABR_EXPECT_RETURNS(abr_archive_context_set_recording_signal_consumer, (context, NULL, NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_set_error_handler, (context, NULL, NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_context_set_client, (context, NULL), 0);

    ABR_CHECK(0 == abr_archive_context_close(context));
}

static void archive_connect_rejects_null_and_an_incomplete_context(void)
{
    abr_archive_context_t *context = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&context));
    ABR_CHECK(0 == abr_archive_context_set_control_request_channel(context, NULL));
    ABR_CHECK(0 == abr_archive_context_set_control_response_channel(context, NULL));
    abr_archive_t *archive = SENTINEL;
    abr_archive_async_connect_t *async = SENTINEL;

    ABR_EXPECT_INVALID(abr_archive_connect, (NULL, context), -1, "archive out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_archive_connect, (&archive, NULL), -1, "context must not be null");
    EXPECT_NULL_OUT(archive);
    archive = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_connect, (&archive, context), -1, "control request channel");
    EXPECT_NULL_OUT(archive);
    ABR_EXPECT_INVALID(abr_archive_async_connect, (NULL, context), -1, "async must not be null");
    ABR_EXPECT_INVALID(abr_archive_async_connect, (&async, NULL), -1, "context must not be null");
    EXPECT_NULL_OUT(async);
    async = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_async_connect, (&async, context), -1, "control request channel");
    EXPECT_NULL_OUT(async);
    ABR_CHECK(0 == abr_archive_context_set_control_request_channel(context, "aeron:ipc"));
    async = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_async_connect, (&async, context), -1, "control response channel");
    EXPECT_NULL_OUT(async);
    ABR_CHECK(0 == abr_archive_context_close(context));

    archive = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_async_connect_poll, (&archive, NULL), -1, "async must not be null");
    EXPECT_NULL_OUT(archive);
    ABR_EXPECT_RETURNS(abr_archive_async_connect_step, (NULL), -1);
    ABR_EXPECT_STRING(abr_archive_async_connect_step_name, (NULL), "NULL");
    ABR_EXPECT_RETURNS(abr_archive_async_connect_close, (NULL), 0);
    ABR_EXPECT_RETURNS(abr_archive_close, (NULL), 0);

    ABR_EXPECT_INVALID(abr_archive_state, (NULL), -1, "archive client must not be null");
    ABR_EXPECT_RETURNS(abr_archive_last_correlation_id, (NULL), ABR_ARCHIVE_NULL_VALUE);
    ABR_EXPECT_RETURNS(abr_archive_control_session_id, (NULL), ABR_ARCHIVE_NULL_VALUE);
    ABR_EXPECT_RETURNS(abr_archive_archive_id, (NULL), ABR_ARCHIVE_NULL_VALUE);
    ABR_EXPECT_NULL(abr_archive_control_request_channel, (NULL));
    ABR_EXPECT_NULL(abr_archive_control_response_channel, (NULL));
    ABR_EXPECT_NULL(abr_archive_client, (NULL));
    ABR_EXPECT_INVALID(abr_archive_poll, (NULL), -1, "archive client must not be null");

    char text[64];
    ABR_EXPECT_INVALID(abr_archive_poll_for_error_response, (NULL, text, sizeof(text)), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_poll_for_error_response, (NULL, NULL, sizeof(text)), -1, "buffer must not be null");
    ABR_EXPECT_INVALID(abr_archive_poll_for_error_response, (NULL, text, 0), -1, "buffer_length must be > 0");
    ABR_EXPECT_INVALID(abr_archive_check_for_error_response, (NULL), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_poll_for_recording_signals, (NULL), -1, "archive client must not be null");
}

static void archive_recording_calls_check_each_argument(void)
{
    int64_t id = 0;
    bool stopped = true;
    const abr_archive_source_location_t local = ABR_ARCHIVE_SOURCE_LOCATION_LOCAL;
    const abr_archive_source_location_t unknown = (abr_archive_source_location_t)7;

    ABR_EXPECT_INVALID(abr_archive_start_recording, (NULL, NULL, "aeron:ipc", 1, local, false), -1,
        "subscription_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_recording, (&id, NULL, NULL, 1, local, false), -1, "channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_recording, (&id, NULL, "aeron:ipc", 1, unknown, false), -1,
        "source location 7");
    ABR_EXPECT_INVALID(abr_archive_start_recording, (&id, NULL, "aeron:ipc", 1, local, false), -1,
        "archive client must not be null");

    ABR_EXPECT_INVALID(abr_archive_stop_recording_channel_and_stream, (NULL, NULL, 1), -1, "channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_stop_recording_channel_and_stream, (NULL, "aeron:ipc", 1), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_stop_recording_subscription, (NULL, 1), -1, "archive client must not be null");

    ABR_EXPECT_INVALID(abr_archive_extend_recording, (NULL, NULL, 1, "aeron:ipc", 1, local, false), -1,
        "subscription_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_extend_recording, (&id, NULL, 1, NULL, 1, local, false), -1,
        "channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_extend_recording, (&id, NULL, 1, "aeron:ipc", 1, unknown, false), -1,
        "source location 7");
    ABR_EXPECT_INVALID(abr_archive_extend_recording, (&id, NULL, 1, "aeron:ipc", 1, local, true), -1,
        "archive client must not be null");

    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_channel_and_stream, (NULL, NULL, "aeron:ipc", 1), -1,
        "stopped must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_channel_and_stream, (&stopped, NULL, NULL, 1), -1,
        "channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_channel_and_stream, (&stopped, NULL, "aeron:ipc", 1), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_subscription, (NULL, NULL, 1), -1, "stopped must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_subscription, (&stopped, NULL, 1), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_by_identity, (NULL, NULL, 1), -1, "stopped must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_recording_by_identity, (&stopped, NULL, 1), -1,
        "archive client must not be null");
    ABR_CHECK(!stopped);

    abr_exclusive_publication_t *exclusive = SENTINEL;
    abr_publication_t *publication = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_add_recorded_exclusive_publication, (NULL, NULL, "aeron:ipc", 1), -1,
        "publication out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_archive_add_recorded_exclusive_publication, (&exclusive, NULL, NULL, 1), -1,
        "channel must not be null");
    EXPECT_NULL_OUT(exclusive);
    exclusive = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_add_recorded_exclusive_publication, (&exclusive, NULL, "aeron:ipc", 1), -1,
        "archive client must not be null");
    EXPECT_NULL_OUT(exclusive);
    ABR_EXPECT_INVALID(abr_archive_stop_recording_exclusive_publication, (NULL, NULL), -1,
        "publication must not be null");
    ABR_EXPECT_INVALID(abr_archive_add_recorded_publication, (NULL, NULL, "aeron:ipc", 1), -1,
        "publication out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_archive_add_recorded_publication, (&publication, NULL, NULL, 1), -1,
        "channel must not be null");
    EXPECT_NULL_OUT(publication);
    publication = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_add_recorded_publication, (&publication, NULL, "aeron:ipc", 1), -1,
        "archive client must not be null");
    EXPECT_NULL_OUT(publication);
    ABR_EXPECT_INVALID(abr_archive_stop_recording_publication, (NULL, NULL), -1, "publication must not be null");

    ABR_EXPECT_INVALID(abr_archive_get_start_position, (NULL, NULL, 1), -1, "position must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_start_position, (&id, NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_max_recorded_position, (NULL, NULL, 1), -1, "position must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_max_recorded_position, (&id, NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_recording_position, (NULL, NULL, 1), -1, "position must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_recording_position, (&id, NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_stop_position, (NULL, NULL, 1), -1, "position must not be null");
    ABR_EXPECT_INVALID(abr_archive_get_stop_position, (&id, NULL, 1), -1, "archive client must not be null");

    ABR_EXPECT_INVALID(abr_archive_find_last_matching_recording, (NULL, NULL, 0, "", 1, 2), -1,
        "recording_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_find_last_matching_recording, (&id, NULL, 0, NULL, 1, 2), -1,
        "channel_fragment must not be null");
    ABR_EXPECT_INVALID(abr_archive_find_last_matching_recording, (&id, NULL, 0, "", 1, 2), -1,
        "archive client must not be null");
}

static void on_descriptor_batch(void *clientd, const uint8_t *buffer, size_t length, int32_t count)
{
    (void)clientd;
    (void)buffer;
    (void)length;
    (void)count;
}

/* The batch's own arguments are checked first, then the listing's, with the listing's messages. */
static void archive_batched_listing_calls_check_each_argument(void)
{
    int32_t count = 0;
    uint8_t buffer[ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH];
    const size_t capacity = sizeof(buffer);
    ABR_EXPECT_INVALID(abr_archive_list_recordings_batched,
        (&count, NULL, 0, 10, NULL, capacity, on_descriptor_batch, NULL), -1, "buffer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_batched,
        (&count, NULL, 0, 10, buffer, capacity - 1, on_descriptor_batch, NULL), -1,
        "capacity 91 is less than one record header (92 bytes)");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_batched,
        (&count, NULL, 0, 10, buffer, 0, on_descriptor_batch, NULL), -1, "capacity 0 is less");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_batched,
        (&count, NULL, 0, 10, buffer, capacity, NULL, NULL), -1, "on_batch must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_batched,
        (NULL, NULL, 0, 10, buffer, capacity, on_descriptor_batch, NULL), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_batched,
        (&count, NULL, 0, 10, buffer, SIZE_MAX, on_descriptor_batch, NULL), -1, "archive client must not be null");

    ABR_EXPECT_INVALID(abr_archive_list_recording_batched,
        (&count, NULL, 0, NULL, capacity, on_descriptor_batch, NULL), -1, "buffer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_batched,
        (&count, NULL, 0, buffer, 1, on_descriptor_batch, NULL), -1, "capacity 1 is less");
    ABR_EXPECT_INVALID(abr_archive_list_recording_batched,
        (&count, NULL, 0, buffer, capacity, NULL, NULL), -1, "on_batch must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_batched,
        (NULL, NULL, 0, buffer, capacity, on_descriptor_batch, NULL), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_batched,
        (&count, NULL, -1, buffer, capacity, on_descriptor_batch, NULL), -1, "archive client must not be null");

    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri_batched,
        (&count, NULL, 0, 10, "ipc", 1, NULL, capacity, on_descriptor_batch, NULL), -1, "buffer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri_batched,
        (&count, NULL, 0, 10, "ipc", 1, buffer, 0, on_descriptor_batch, NULL), -1, "capacity 0 is less");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri_batched,
        (&count, NULL, 0, 10, "ipc", 1, buffer, capacity, NULL, NULL), -1, "on_batch must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri_batched,
        (NULL, NULL, 0, 10, "ipc", 1, buffer, capacity, on_descriptor_batch, NULL), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri_batched,
        (&count, NULL, 0, 10, NULL, 1, buffer, capacity, on_descriptor_batch, NULL), -1,
        "channel_fragment must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri_batched,
        (&count, NULL, INT64_MIN, INT32_MAX, "", INT32_MIN, buffer, capacity, on_descriptor_batch, NULL), -1,
        "archive client must not be null");
}

static void archive_listing_calls_check_each_argument(void)
{
    int32_t count = 0;
    ABR_EXPECT_INVALID(abr_archive_list_recordings, (NULL, NULL, 0, 10, on_descriptor, NULL), -1,
        "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings, (&count, NULL, 0, 10, NULL, NULL), -1, "consumer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings, (&count, NULL, 0, 10, on_descriptor, NULL), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording, (NULL, NULL, 0, on_descriptor, NULL), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording, (&count, NULL, 0, NULL, NULL), -1, "consumer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording, (&count, NULL, 0, on_descriptor, NULL), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri, (NULL, NULL, 0, 10, "ipc", 1, on_descriptor, NULL), -1,
        "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri, (&count, NULL, 0, 10, NULL, 1, on_descriptor, NULL), -1,
        "channel_fragment must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri, (&count, NULL, 0, 10, "ipc", 1, NULL, NULL), -1,
        "consumer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recordings_for_uri, (&count, NULL, 0, 10, "ipc", 1, on_descriptor, NULL), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_subscriptions,
        (NULL, NULL, 0, 10, "ipc", 1, true, on_subscription_descriptor, NULL), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_subscriptions,
        (&count, NULL, 0, 10, NULL, 1, true, on_subscription_descriptor, NULL), -1,
        "channel_fragment must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_subscriptions, (&count, NULL, 0, 10, "ipc", 1, true, NULL, NULL),
        -1, "consumer must not be null");
    ABR_EXPECT_INVALID(abr_archive_list_recording_subscriptions,
        (&count, NULL, 0, 10, "ipc", 1, true, on_subscription_descriptor, NULL), -1, "archive client must not be null");
}

static void archive_replay_calls_check_each_argument(void)
{
    int64_t id = 0;
    abr_subscription_t *subscription = SENTINEL;
    abr_archive_replay_params_t params;
    ABR_EXPECT_INVALID(abr_archive_replay_params_init, (NULL), -1, "params must not be null");
    ABR_CHECK(0 == abr_archive_replay_params_init(&params));
    char description[256];
    ABR_EXPECT_INVALID(abr_archive_replay_params_describe, (NULL, description, sizeof(description)), -1,
        "params must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay_params_describe, (&params, NULL, sizeof(description)), -1,
        "buffer must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay_params_describe, (&params, description, 0), -1, "capacity must be > 0");
    ABR_EXPECT_INVALID(abr_archive_replay_params_describe, (&params, description, 8), -1, "capacity 8 is too small");

    ABR_EXPECT_INVALID(abr_archive_start_replay, (NULL, NULL, 1, 0, -1, "aeron:ipc", 2), -1,
        "replay_session_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_replay, (&id, NULL, 1, 0, -1, NULL, 2), -1, "replay_channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_replay, (&id, NULL, 1, 0, -1, "aeron:ipc", 2), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_bounded_replay, (NULL, NULL, 1, 0, -1, 3, "aeron:ipc", 2), -1,
        "replay_session_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_bounded_replay, (&id, NULL, 1, 0, -1, 3, NULL, 2), -1,
        "replay_channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_bounded_replay, (&id, NULL, 1, 0, -1, -1, "aeron:ipc", 2), -1,
        "limit_counter_id must be >= 0, got -1");
    ABR_EXPECT_INVALID(abr_archive_start_bounded_replay, (&id, NULL, 1, 0, -1, 3, "aeron:ipc", 2), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay, (NULL, NULL, 1, 0, -1, "aeron:ipc", 2), -1,
        "subscription out-pointer must not be null");
    ABR_EXPECT_INVALID(abr_archive_replay, (&subscription, NULL, 1, 0, -1, NULL, 2), -1,
        "replay_channel must not be null");
    EXPECT_NULL_OUT(subscription);
    subscription = SENTINEL;
    ABR_EXPECT_ERROR(abr_archive_replay, (&subscription, NULL, 1, 0, -1, "aeron:tcp", 2), -1,
        ABR_ERROR_MALFORMED_CHANNEL, "replay channel");
    EXPECT_NULL_OUT(subscription);
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_replay, (&subscription, NULL, 1, 0, -1, "aeron:ipc", 2), -1,
        "archive client must not be null");
    EXPECT_NULL_OUT(subscription);

    ABR_EXPECT_INVALID(abr_archive_start_replay_with_params, (NULL, NULL, 1, "aeron:ipc", 2, &params), -1,
        "replay_session_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_replay_with_params, (&id, NULL, 1, NULL, 2, &params), -1,
        "replay_channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_replay_with_params, (&id, NULL, 1, "aeron:ipc", 2, NULL), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_replay_with_params, (&id, NULL, 1, "aeron:ipc", 2, &params), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_start_replay_with_params,
        (&id, NULL, 1, "aeron:udp?control-mode=response|control=localhost:9000", 2, &params), -1,
        "subscription_registration_id");
    ABR_EXPECT_INVALID(abr_archive_replay_with_params, (NULL, NULL, 1, "aeron:ipc", 2, &params), -1,
        "subscription out-pointer must not be null");
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_replay_with_params, (&subscription, NULL, 1, NULL, 2, &params), -1,
        "replay_channel must not be null");
    EXPECT_NULL_OUT(subscription);
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_replay_with_params, (&subscription, NULL, 1, "aeron:ipc", 2, NULL), -1,
        "archive client must not be null");
    EXPECT_NULL_OUT(subscription);
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_replay_with_params, (&subscription, NULL, 1, "aeron:ipc", 2, &params), -1,
        "archive client must not be null");
    EXPECT_NULL_OUT(subscription);
    subscription = SENTINEL;
    ABR_EXPECT_INVALID(abr_archive_replay_with_params,
        (&subscription, NULL, 1, "aeron:udp?control-mode=response|control=localhost:9000", 2, NULL), -1,
        "archive client must not be null");
    EXPECT_NULL_OUT(subscription);

    ABR_EXPECT_INVALID(abr_archive_stop_replay, (NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_stop_all_replays, (NULL, ABR_ARCHIVE_NULL_VALUE), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_truncate_recording, (NULL, NULL, 1, 0), -1, "deleted_segments must not be null");
    ABR_EXPECT_INVALID(abr_archive_truncate_recording, (&id, NULL, 1, 0), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_purge_recording, (NULL, NULL, 1), -1, "deleted_segments must not be null");
    ABR_EXPECT_INVALID(abr_archive_purge_recording, (&id, NULL, 1), -1, "archive client must not be null");
}

static void archive_segment_calls_check_each_argument(void)
{
    int64_t count = 0;
    ABR_EXPECT_INVALID(abr_archive_detach_segments, (NULL, 1, 0), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_delete_detached_segments, (NULL, NULL, 1), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_delete_detached_segments, (&count, NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_purge_segments, (NULL, NULL, 1, 0), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_purge_segments, (&count, NULL, 1, 0), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_attach_segments, (NULL, NULL, 1), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_attach_segments, (&count, NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_migrate_segments, (NULL, NULL, 1, 2), -1, "count must not be null");
    ABR_EXPECT_INVALID(abr_archive_migrate_segments, (&count, NULL, 1, 2), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_update_channel, (NULL, 1, NULL), -1, "channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_update_channel, (NULL, 1, "aeron:ipc"), -1, "archive client must not be null");

    const int32_t term = 64 * 1024;
    const int32_t segment = 1024 * 1024;
    /* Segments start at the base of the recording's first term: at term, term + segment, term + 2 * segment, ... */
    ABR_EXPECT_RETURNS(abr_archive_segment_file_base_position, (term + 96, 3 * segment + 5, term, segment),
        term + 2 * segment);
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (0, 0, 0, segment), -1, "term length 0");
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (0, 0, term + 1, segment), -1, "term length 65537");
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (0, 0, INT32_MIN, segment), -1, "term length");
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (0, 0, term, 3 * term), -1, "segment length 196608");
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (0, 0, term, -segment), -1, "segment length");
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (-1, 0, term, segment), -1, "start position -1");
    ABR_EXPECT_INVALID(abr_archive_segment_file_base_position, (100, 99, term, segment), -1, "position 99");
}

static void archive_replication_calls_check_each_argument(void)
{
    int64_t id = 0;
    bool stopped = true;
    abr_archive_replication_params_t params;
    ABR_EXPECT_INVALID(abr_archive_replication_params_init, (NULL), -1, "params must not be null");
    ABR_CHECK(0 == abr_archive_replication_params_init(&params));
    char description[512];
    ABR_EXPECT_INVALID(abr_archive_replication_params_describe, (NULL, description, sizeof(description)), -1,
        "params must not be null");
    ABR_EXPECT_INVALID(abr_archive_replication_params_describe, (&params, NULL, sizeof(description)), -1,
        "buffer must not be null");
    ABR_EXPECT_INVALID(abr_archive_replication_params_describe, (&params, description, 0), -1,
        "capacity must be > 0");
    ABR_EXPECT_INVALID(abr_archive_replication_params_describe, (&params, description, 8), -1,
        "capacity 8 is too small");

    ABR_EXPECT_INVALID(abr_archive_replicate, (NULL, NULL, 1, 10, "aeron:ipc", &params), -1,
        "replication_id must not be null");
    ABR_EXPECT_INVALID(abr_archive_replicate, (&id, NULL, 1, 10, NULL, &params), -1,
        "src_control_channel must not be null");
    ABR_EXPECT_INVALID(abr_archive_replicate, (&id, NULL, 1, 10, "aeron:ipc", NULL), -1,
        "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_replicate, (&id, NULL, 1, 10, "aeron:ipc", &params), -1,
        "archive client must not be null");
    params.live_destination = "aeron:udp?endpoint=localhost:0";
    params.replication_session_id = 5;
    ABR_EXPECT_INVALID(abr_archive_replicate, (&id, NULL, 1, 10, "aeron:ipc", &params), -1, "live destination");
    ABR_CHECK(0 == abr_archive_replication_params_init(&params));
    params.encoded_credentials_length = 4;
    ABR_EXPECT_INVALID(abr_archive_replicate, (&id, NULL, 1, 10, "aeron:ipc", &params), -1, "encoded credentials");

    ABR_EXPECT_INVALID(abr_archive_stop_replication, (NULL, 1), -1, "archive client must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_replication, (NULL, NULL, 1), -1, "stopped must not be null");
    ABR_EXPECT_INVALID(abr_archive_try_stop_replication, (&stopped, NULL, 1), -1, "archive client must not be null");
    ABR_CHECK(!stopped);
}

int main(void)
{
    ABR_EXPECT_RUN(error_calls_keep_and_clear_the_thread_error);
    ABR_EXPECT_RUN(client_context_rejects_null_and_out_of_range);
    ABR_EXPECT_RUN(client_calls_reject_a_null_client);
    ABR_EXPECT_RUN(publication_calls_reject_a_null_publication);
    ABR_EXPECT_RUN(subscription_calls_reject_a_null_subscription);
    ABR_EXPECT_RUN(counter_calls_reject_a_null_client);
    ABR_EXPECT_RUN(channel_uri_calls_reject_null_and_malformed_parts);
    ABR_EXPECT_RUN(fragment_assemblers_reject_null_and_ignore_broken_fragments);
    ABR_EXPECT_RUN(archive_context_rejects_null_and_out_of_range);
    ABR_EXPECT_RUN(archive_connect_rejects_null_and_an_incomplete_context);
    ABR_EXPECT_RUN(archive_recording_calls_check_each_argument);
    ABR_EXPECT_RUN(archive_listing_calls_check_each_argument);
    ABR_EXPECT_RUN(archive_batched_listing_calls_check_each_argument);
    ABR_EXPECT_RUN(archive_replay_calls_check_each_argument);
    ABR_EXPECT_RUN(archive_segment_calls_check_each_argument);
    ABR_EXPECT_RUN(archive_replication_calls_check_each_argument);
    ABR_EXPECT_ALL_PASSED();
    return 0;
}
