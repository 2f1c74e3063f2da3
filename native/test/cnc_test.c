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
    ABR_RUN(test_refuses_another_major_version);
    ABR_RUN(test_missing_cnc_is_no_driver);
    ABR_RUN(test_same_major_passes_version_check);
    ABR_RUN(test_context_validates_arguments);
    return 0;
}
