/*
 * A real Java Media Driver for the C tests that need one. The test starts its own driver in a child
 * process (java from ABR_TEST_JAVA, classpath from ABR_TEST_DRIVER_CLASSPATH, both set by CTest from what
 * Maven resolved), in a fresh Aeron directory under /dev/shm that is removed when the driver stops.
 * With ABR_TEST_AERON_DIR set instead, the driver already running there is used (and
 * ABR_TEST_DRIVER_PID, when set, names its process). With neither, the test is skipped (exit 77).
 */
#ifndef ABR_TEST_DRIVER_H
#define ABR_TEST_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "abr/abr_archive.h"
#include "abr/abr_client.h"

typedef struct abr_test_driver_stct
{
    pid_t pid;
    bool owned;
    char dir[256];
    /* The archive's directory, for a driver started with abr_test_archiving_driver_start; empty otherwise. */
    char archive_dir[256];
}
abr_test_driver_t;

/* Start a driver with these extra system properties ("name=value", NULL-terminated list, may be NULL)
 * and wait until its CnC file exists. Exits with 77 (skip) when no driver can be had. */
void abr_test_driver_start(abr_test_driver_t *driver, const char *const *properties);

/* As abr_test_driver_start, an ArchivingMediaDriver (Media Driver and Archive in one process, from the classpath's
 * aeron-archive) whose archive listens on control_channel and keeps its files in a directory of its own under /dev/shm,
 * removed when it stops. */
void abr_test_archiving_driver_start(abr_test_driver_t *driver, const char *control_channel);

/* Stop it (SIGTERM, then SIGKILL after 10 s) and remove its directory. A driver we did not start is left alone. */
void abr_test_driver_stop(abr_test_driver_t *driver);

/* Send a signal to the driver process (SIGKILL, SIGSTOP, SIGCONT); false when its pid is unknown. */
bool abr_test_driver_signal(abr_test_driver_t *driver, int signal_number);

/* Stop the driver process with SIGSTOP and wait (up to about 10 s) until it has stopped, failing the test otherwise;
 * SIGCONT through abr_test_driver_signal resumes it. */
void abr_test_driver_pause(abr_test_driver_t *driver);

/* A client of the driver, failing the test when it cannot connect. */
abr_client_t *abr_test_connect(const abr_test_driver_t *driver, bool use_conductor_thread, uint64_t driver_timeout_ms);

/* An archive client over that client core, its control responses on UDP localhost, failing the test when it cannot
 * connect. */
abr_archive_t *abr_test_connect_archive(
    const abr_test_driver_t *driver, abr_client_t *client, const char *control_request_channel);

/* For a subscription's channel with endpoint=localhost:0, the channel a publication sends to: the same, with
 * the address the driver bound (so test runs in parallel never fight over a fixed port). Other channels
 * are copied unchanged. Fails the test when the address does not appear within 10 s. */
void abr_test_publication_channel(
    abr_client_t *client, abr_subscription_t *subscription, const char *channel, char *out, size_t out_length);

/* A UDP port on localhost nothing is bound to right now (the OS picks it for a socket that is then closed). */
int abr_test_free_udp_port(void);

#define ABR_TEST_CHECK_OK(call) \
    do \
    { \
        if ((call) < 0) \
        { \
            fprintf(stderr, "%s:%d: %s failed: code=%d %s\n", __FILE__, __LINE__, #call, abr_errcode(), abr_errmsg()); \
            exit(1); \
        } \
    } \
    while (0)

#endif
