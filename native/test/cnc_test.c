#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abr/abr_client.h"
#include "abr/abr_error.h"
#include "core/atomics.h"
#include "core/cnc.h"
#include "test_assert.h"

static void write_fake_cnc(const char *dir, int32_t version)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/cnc.dat", dir);
    FILE *file = fopen(path, "wb");
    ABR_CHECK(NULL != file);
    uint8_t header[4096];
    memset(header, 0, sizeof(header));
    abr_put_int32(header + ABR_CNC_VERSION_FIELD_OFFSET, version);
    ABR_CHECK(1 == fwrite(header, sizeof(header), 1, file));
    fclose(file);
}

/* Lengths from a damaged file: negative, unaligned, or more than the file holds, are refused before any use. */
static void test_wrap_refuses_a_layout_the_file_cannot_hold(void)
{
    uint8_t *file = calloc(1, 4096);
    const int32_t lengths[][4] = {
        { -8, 1024, 512, 128 }, { 1024, 1028, 512, 128 }, { 1024, 1024, 516, 128 }, { 1024, 1024, 512, 4096 },
        { 1024, 1024, 512, 130 }, { INT32_MAX - 7, 8, 8, 8 } };
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
    {
        abr_put_int32(file + ABR_CNC_TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET, lengths[i][0]);
        abr_put_int32(file + ABR_CNC_TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET, lengths[i][1]);
        abr_put_int32(file + ABR_CNC_COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET, lengths[i][2]);
        abr_put_int32(file + ABR_CNC_COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET, lengths[i][3]);
        abr_cnc_t cnc;
        ABR_CHECK(-1 == abr_cnc_wrap(&cnc, file, 4096, "damaged"));
        ABR_CHECK(ABR_ERROR_IO == abr_errcode());
    }
    abr_put_int32(file + ABR_CNC_TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET, 1024);
    abr_put_int32(file + ABR_CNC_TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET, 1024);
    abr_put_int32(file + ABR_CNC_COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET, 512);
    abr_put_int32(file + ABR_CNC_COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET, 128);
    abr_cnc_t cnc;
    ABR_CHECK(0 == abr_cnc_wrap(&cnc, file, 4096, "intact"));
    free(file);
}

static void test_refuses_another_major_version(void)
{
    char dir[] = "/tmp/abr-cnc-test-XXXXXX";
    ABR_CHECK(NULL != mkdtemp(dir));
    write_fake_cnc(dir, ABR_SEMANTIC_VERSION_COMPOSE(1, 2, 3));

    abr_context_t *context = NULL;
    ABR_CHECK(0 == abr_context_init(&context));
    ABR_CHECK(0 == abr_context_set_dir(context, dir));
    ABR_CHECK(0 == abr_context_set_driver_timeout_ms(context, 200));
    abr_client_t *client = NULL;
    ABR_CHECK(-1 == abr_client_connect(&client, context));
    ABR_CHECK(NULL == client);
    ABR_CHECK(ABR_ERROR_CNC_VERSION_MISMATCH == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "0.2.0"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), "1.2.3"));
    ABR_CHECK(NULL != strstr(abr_errmsg(), dir));
    abr_context_close(context);

    char path[512];
    snprintf(path, sizeof(path), "%s/cnc.dat", dir);
    unlink(path);
    rmdir(dir);
}

static void test_missing_cnc_is_no_driver(void)
{
    char dir[] = "/tmp/abr-cnc-test-XXXXXX";
    ABR_CHECK(NULL != mkdtemp(dir));
    abr_context_t *context = NULL;
    ABR_CHECK(0 == abr_context_init(&context));
    ABR_CHECK(0 == abr_context_set_dir(context, dir));
    ABR_CHECK(0 == abr_context_set_driver_timeout_ms(context, 100));
    abr_client_t *client = NULL;
    ABR_CHECK(-1 == abr_client_connect(&client, context));
    ABR_CHECK(ABR_ERROR_NO_DRIVER == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), dir));
    abr_context_close(context);
    rmdir(dir);
}

static void test_same_major_passes_version_check(void)
{
    ABR_CHECK(0 == abr_cnc_check_version(ABR_SEMANTIC_VERSION_COMPOSE(0, 9, 1), "dir"));
    ABR_CHECK(-1 == abr_cnc_check_version(ABR_SEMANTIC_VERSION_COMPOSE(2, 0, 0), "dir"));
}

static void test_context_validates_arguments(void)
{
    ABR_CHECK(-1 == abr_context_init(NULL));
    abr_context_t *context = NULL;
    ABR_CHECK(0 == abr_context_init(&context));
    ABR_CHECK(NULL != abr_context_get_dir(context));
    ABR_CHECK(-1 == abr_context_set_dir(context, NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
    ABR_CHECK(-1 == abr_context_set_driver_timeout_ms(context, 0));
    ABR_CHECK(-1 == abr_client_connect(NULL, context));
    ABR_CHECK(0 == abr_client_close(NULL));
    ABR_CHECK(true == abr_context_get_use_conductor_thread(context));
    abr_context_close(context);
}

int main(void)
{
    ABR_RUN(test_wrap_refuses_a_layout_the_file_cannot_hold);
    ABR_RUN(test_refuses_another_major_version);
    ABR_RUN(test_missing_cnc_is_no_driver);
    ABR_RUN(test_same_major_passes_version_check);
    ABR_RUN(test_context_validates_arguments);
    return 0;
}
