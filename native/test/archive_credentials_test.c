#include <stdlib.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "archive/archive_credentials.h"
#include "test_assert.h"

/* What the supplier below returns and how often the library gave a buffer back. */
typedef struct test_supplier_stct
{
    const char *credentials;
    uint32_t claimed_length;
    int result;
    int free_count;
    char challenge_seen[32];
}
test_supplier_t;

static int test_encoded_credentials(void *clientd, abr_archive_credentials_t *credentials)
{
    test_supplier_t *supplier = clientd;
    credentials->data = (const uint8_t *)supplier->credentials;
    credentials->length = supplier->claimed_length;
    return supplier->result;
}

static int test_on_challenge(
    void *clientd, const uint8_t *challenge, uint32_t challenge_length, abr_archive_credentials_t *response)
{
    test_supplier_t *supplier = clientd;
    size_t copied = challenge_length < sizeof(supplier->challenge_seen) - 1 ?
        challenge_length : sizeof(supplier->challenge_seen) - 1;
    memcpy(supplier->challenge_seen, challenge, copied);
    supplier->challenge_seen[copied] = '\0';
    response->data = (const uint8_t *)supplier->credentials;
    response->length = supplier->claimed_length;
    return supplier->result;
}

static void test_free_credentials(void *clientd, abr_archive_credentials_t *credentials)
{
    test_supplier_t *supplier = clientd;
    (void)credentials;
    supplier->free_count++;
}

static void supplier_setter_rejects_null_arguments(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    test_supplier_t supplier = { 0 };

    ABR_CHECK(-1 == abr_archive_context_set_credentials_supplier(
        NULL, test_encoded_credentials, test_on_challenge, test_free_credentials, &supplier));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "context must not be null"));

    ABR_CHECK(-1 == abr_archive_context_set_credentials_supplier(
        ctx, NULL, test_on_challenge, test_free_credentials, &supplier));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "encoded_credentials=null"));

    ABR_CHECK(-1 == abr_archive_context_set_credentials_supplier(
        ctx, test_encoded_credentials, NULL, test_free_credentials, &supplier));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "on_challenge=null"));

    ABR_CHECK(-1 == abr_archive_context_set_credentials_supplier(
        ctx, test_encoded_credentials, test_on_challenge, NULL, &supplier));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "on_free=null"));

    ABR_CHECK(0 == abr_archive_context_set_credentials_supplier(
        ctx, test_encoded_credentials, test_on_challenge, test_free_credentials, NULL));
    abr_archive_context_close(ctx);
}

static void protocol_version_defaults_to_aeron_archive_and_is_checked(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    ABR_CHECK(((1 << 16) | (12 << 8) | 0) == abr_archive_context_get_protocol_semantic_version(ctx));
    ABR_CHECK(ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION == abr_archive_context_get_protocol_semantic_version(ctx));

    ABR_CHECK(-1 == abr_archive_context_set_protocol_semantic_version(NULL, ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_archive_context_set_protocol_semantic_version(ctx, -1));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "got: -1"));
    ABR_CHECK(-1 == abr_archive_context_set_protocol_semantic_version(ctx, 1 << 24));
    ABR_CHECK(ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION == abr_archive_context_get_protocol_semantic_version(ctx));

    ABR_CHECK(0 == abr_archive_context_set_protocol_semantic_version(ctx, (2 << 16) | (12 << 8)));
    ABR_CHECK(((2 << 16) | (12 << 8)) == abr_archive_context_get_protocol_semantic_version(ctx));
    ABR_CHECK(0 == abr_archive_context_get_protocol_semantic_version(NULL));
    abr_archive_context_close(ctx);
}

static void without_a_supplier_credentials_are_empty(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    abr_archive_credentials_t credentials = { .data = (const uint8_t *)"stale", .length = 5 };
    ABR_CHECK(0 == abr_archive_credentials_encoded(ctx, &credentials));
    ABR_CHECK(NULL == credentials.data && 0 == credentials.length);
    ABR_CHECK(0 == abr_archive_credentials_on_challenge(ctx, (const uint8_t *)"c", 1, 7, &credentials));
    ABR_CHECK(NULL == credentials.data && 0 == credentials.length);
    abr_archive_credentials_release(ctx, &credentials);
    abr_archive_context_close(ctx);
}

static void supplier_results_are_checked_and_given_back(void)
{
    abr_archive_context_t *ctx = NULL;
    ABR_CHECK(0 == abr_archive_context_init(&ctx));
    test_supplier_t supplier = { .credentials = "user:accept", .claimed_length = 11, .result = 0 };
    ABR_CHECK(0 == abr_archive_context_set_credentials_supplier(
        ctx, test_encoded_credentials, test_on_challenge, test_free_credentials, &supplier));

    abr_archive_credentials_t credentials;
    ABR_CHECK(0 == abr_archive_credentials_encoded(ctx, &credentials));
    ABR_CHECK(11 == credentials.length && 0 == memcmp("user:accept", credentials.data, 11));
    abr_archive_credentials_release(ctx, &credentials);
    ABR_CHECK(1 == supplier.free_count);

    ABR_CHECK(0 == abr_archive_credentials_on_challenge(ctx, (const uint8_t *)"nonce", 5, 7, &credentials));
    ABR_CHECK_STR_EQ("nonce", supplier.challenge_seen);
    abr_archive_credentials_release(ctx, &credentials);
    ABR_CHECK(2 == supplier.free_count);

    /* Bytes claimed without an address are refused before anything is sent, and still handed back. */
    supplier.credentials = NULL;
    supplier.claimed_length = 4;
    ABR_CHECK(-1 == abr_archive_credentials_encoded(ctx, &credentials));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "encoded_credentials returned null data with length=4"));
    ABR_CHECK(3 == supplier.free_count);
    ABR_CHECK(-1 == abr_archive_credentials_on_challenge(ctx, (const uint8_t *)"nonce", 5, 7, &credentials));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "on_challenge returned null data with length=4"));
    ABR_CHECK(4 == supplier.free_count);

    /* A supplier that fails hands nothing over: nothing to give back. */
    supplier.result = -1;
    ABR_CHECK(-1 == abr_archive_credentials_encoded(ctx, &credentials));
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == abr_errcode());
    ABR_CHECK(-1 == abr_archive_credentials_on_challenge(ctx, (const uint8_t *)"nonce", 5, 42, &credentials));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "controlSessionId=42"));
    ABR_CHECK(4 == supplier.free_count);
    abr_archive_context_close(ctx);
}

int main(void)
{
    ABR_RUN(supplier_setter_rejects_null_arguments);
    ABR_RUN(protocol_version_defaults_to_aeron_archive_and_is_checked);
    ABR_RUN(without_a_supplier_credentials_are_empty);
    ABR_RUN(supplier_results_are_checked_and_given_back);
    return 0;
}
