#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "test_assert.h"
#include "test_driver.h"

#define ABR_TEST_MAX_ARGS 48

static abr_test_driver_t *g_started[8];
static int g_started_count;

static void abr_test_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static int abr_test_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* A test that fails exits through exit(): take its drivers down with it. */
static void abr_test_stop_all(void)
{
    for (int i = 0; i < g_started_count; i++)
    {
        abr_test_driver_stop(g_started[i]);
    }
    g_started_count = 0;
}

static void abr_test_driver_start_main(
    abr_test_driver_t *driver, const char *const *properties, const char *main_class)
{
    memset(driver, 0, sizeof(*driver));
    const char *external = getenv("ABR_TEST_AERON_DIR");
    if (NULL != external && '\0' != external[0])
    {
        snprintf(driver->dir, sizeof(driver->dir), "%s", external);
        const char *pid = getenv("ABR_TEST_DRIVER_PID");
        driver->pid = NULL != pid ? (pid_t)atoi(pid) : 0;
        return;
    }
    const char *classpath = getenv("ABR_TEST_DRIVER_CLASSPATH");
    const char *java = getenv("ABR_TEST_JAVA");
    if (NULL == classpath || '\0' == classpath[0] || NULL == java || '\0' == java[0])
    {
        printf("no Media Driver: neither ABR_TEST_AERON_DIR nor ABR_TEST_DRIVER_CLASSPATH and ABR_TEST_JAVA set\n");
        exit(ABR_TEST_SKIPPED);
    }

    static int sequence;
    snprintf(driver->dir, sizeof(driver->dir), "/dev/shm/abr-ctest-%d-%d", (int)getpid(), sequence++);
    char dir_property[300];
    snprintf(dir_property, sizeof(dir_property), "-Daeron.dir=%s", driver->dir);

    const char *args[ABR_TEST_MAX_ARGS];
    int n = 0;
    args[n++] = java;
    args[n++] = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    args[n++] = "-Xmx256m";
    args[n++] = "-XX:+UseSerialGC";
    args[n++] = "-cp";
    args[n++] = classpath;
    args[n++] = dir_property;
    args[n++] = "-Daeron.dir.delete.on.start=true";
    args[n++] = "-Daeron.dir.delete.on.shutdown=true";
    args[n++] = "-Daeron.threading.mode=SHARED";
    /* Small terms by default keep /dev/shm small; tests that want others say so in the channel. */
    args[n++] = "-Daeron.term.buffer.length=1048576";
    args[n++] = "-Daeron.ipc.term.buffer.length=1048576";
    char extra[ABR_TEST_MAX_ARGS][256];
    for (int i = 0; NULL != properties && NULL != properties[i] && n < ABR_TEST_MAX_ARGS - 3; i++)
    {
        snprintf(extra[i], sizeof(extra[i]), "-D%s", properties[i]);
        args[n++] = extra[i];
    }
    args[n++] = main_class;
    args[n] = NULL;

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
    {
        fprintf(stderr, "fork failed: %s\n", strerror(errno));
        exit(1);
    }
    if (0 == pid)
    {
        /* The driver must not outlive a test that crashed without running its exit handlers. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
        {
            _exit(1);
        }
        int null_fd = open("/dev/null", O_WRONLY);
        if (null_fd >= 0)
        {
            dup2(null_fd, STDOUT_FILENO);
        }
        execv(java, (char *const *)args);
        fprintf(stderr, "could not run %s: %s\n", java, strerror(errno));
        _exit(127);
    }
    driver->pid = pid;
    driver->owned = true;
    if (0 == g_started_count)
    {
        atexit(abr_test_stop_all);
    }
    if (g_started_count < (int)(sizeof(g_started) / sizeof(g_started[0])))
    {
        g_started[g_started_count++] = driver;
    }

    char cnc[320];
    snprintf(cnc, sizeof(cnc), "%s/cnc.dat", driver->dir);
    for (int waited = 0; 0 != access(cnc, F_OK); waited += 20)
    {
        int status;
        if (waited > 60000 || pid == waitpid(pid, &status, WNOHANG))
        {
            fprintf(stderr, "Media Driver did not start in %s\n", driver->dir);
            exit(1);
        }
        abr_test_sleep_ms(20);
    }
}

bool abr_test_driver_signal(abr_test_driver_t *driver, int signal_number)
{
    return driver->pid > 0 && 0 == kill(driver->pid, signal_number);
}

/* kill() only queues SIGSTOP: the process has stopped once /proc says its state is T. */
static bool abr_test_process_stopped(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *file = fopen(path, "r");
    if (NULL == file)
    {
        return false;
    }
    char stat[512];
    size_t length = fread(stat, 1, sizeof(stat) - 1, file);
    fclose(file);
    stat[length] = '\0';
    const char *after_name = strrchr(stat, ')');
    return NULL != after_name && 0 == strncmp(after_name, ") T", 3);
}

void abr_test_driver_pause(abr_test_driver_t *driver)
{
    ABR_CHECK(abr_test_driver_signal(driver, SIGSTOP));
    struct timespec pause = { 0, 1000 * 1000 };
    for (int i = 0; i < 10 * 1000 && !abr_test_process_stopped(driver->pid); i++)
    {
        nanosleep(&pause, NULL);
    }
    ABR_CHECK(abr_test_process_stopped(driver->pid));
}

void abr_test_driver_start(abr_test_driver_t *driver, const char *const *properties)
{
    abr_test_driver_start_main(driver, properties, "io.aeron.driver.MediaDriver");
}

void abr_test_archiving_driver_start(abr_test_driver_t *driver, const char *control_channel)
{
    const char *external = getenv("ABR_TEST_AERON_DIR");
    if (NULL != external && '\0' != external[0])
    {
        printf("an Archive is needed: the test starts its own, not with ABR_TEST_AERON_DIR set\n");
        exit(ABR_TEST_SKIPPED);
    }
    static int sequence;
    char archive_dir[300];
    char control[300];
    snprintf(archive_dir, sizeof(archive_dir), "/dev/shm/abr-ctest-archive-%d-%d", (int)getpid(), sequence++);
    char archive_dir_property[320];
    snprintf(archive_dir_property, sizeof(archive_dir_property), "aeron.archive.dir=%s", archive_dir);
    snprintf(control, sizeof(control), "aeron.archive.control.channel=%s", control_channel);
    const char *properties[] = {
        archive_dir_property, control, "aeron.archive.replication.channel=aeron:udp?endpoint=localhost:0",
        "aeron.archive.dir.delete.on.start=true", "aeron.archive.threading.mode=SHARED",
        "aeron.archive.segment.file.length=4m", NULL };
    abr_test_driver_start_main(driver, properties, "io.aeron.archive.ArchivingMediaDriver");
    snprintf(driver->archive_dir, sizeof(driver->archive_dir), "%s", archive_dir);
}

void abr_test_driver_stop(abr_test_driver_t *driver)
{
    if (!driver->owned)
    {
        return;
    }
    driver->owned = false;
    kill(driver->pid, SIGCONT);
    kill(driver->pid, SIGTERM);
    int status;
    int waited = 0;
    while (0 == waitpid(driver->pid, &status, WNOHANG))
    {
        if (waited > 10000)
        {
            kill(driver->pid, SIGKILL);
            waitpid(driver->pid, &status, 0);
            break;
        }
        abr_test_sleep_ms(10);
        waited += 10;
    }
    nftw(driver->dir, abr_test_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if ('\0' != driver->archive_dir[0])
    {
        nftw(driver->archive_dir, abr_test_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    for (int i = 0; i < g_started_count; i++)
    {
        if (g_started[i] == driver)
        {
            g_started[i] = g_started[--g_started_count];
            break;
        }
    }
}

abr_client_t *abr_test_connect(const abr_test_driver_t *driver, bool use_conductor_thread, uint64_t driver_timeout_ms)
{
    abr_context_t *context = NULL;
    ABR_TEST_CHECK_OK(abr_context_init(&context));
    ABR_TEST_CHECK_OK(abr_context_set_dir(context, driver->dir));
    ABR_TEST_CHECK_OK(abr_context_set_use_conductor_thread(context, use_conductor_thread));
    ABR_TEST_CHECK_OK(abr_context_set_driver_timeout_ms(context, driver_timeout_ms));
    abr_client_t *client = NULL;
    ABR_TEST_CHECK_OK(abr_client_connect(&client, context));
    abr_context_close(context);
    return client;
}

abr_archive_t *abr_test_connect_archive(
    const abr_test_driver_t *driver, abr_client_t *client, const char *control_request_channel)
{
    abr_archive_context_t *context = NULL;
    ABR_TEST_CHECK_OK(abr_archive_context_init(&context));
    ABR_TEST_CHECK_OK(abr_archive_context_set_aeron_directory_name(context, driver->dir));
    ABR_TEST_CHECK_OK(abr_archive_context_set_control_request_channel(context, control_request_channel));
    ABR_TEST_CHECK_OK(abr_archive_context_set_control_response_channel(context, "aeron:udp?endpoint=localhost:0"));
    ABR_TEST_CHECK_OK(abr_archive_context_set_client(context, client));
    abr_archive_t *archive = NULL;
    ABR_TEST_CHECK_OK(abr_archive_connect(&archive, context));
    abr_archive_context_close(context);
    return archive;
}

void abr_test_publication_channel(
    abr_client_t *client, abr_subscription_t *subscription, const char *channel, char *out, size_t out_length)
{
    abr_channel_uri_t *uri = NULL;
    ABR_TEST_CHECK_OK(abr_channel_uri_parse_new(&uri, channel));
    const char *endpoint = abr_channel_uri_get(uri, "endpoint");
    if (NULL != endpoint && 0 == strcmp("localhost:0", endpoint))
    {
        char address[64];
        int length = 0;
        for (int waited = 0; 0 == length; waited++)
        {
            ABR_TEST_CHECK_OK(length = abr_client_find_local_socket_address(
                client, abr_subscription_channel_status_id(subscription), address, sizeof(address)));
            ABR_CHECK(waited < 10000);
            if (0 == length)
            {
                abr_client_do_work(client);
                abr_test_sleep_ms(1);
            }
        }
        ABR_TEST_CHECK_OK(abr_channel_uri_put(uri, "endpoint", address));
    }
    ABR_TEST_CHECK_OK(abr_channel_uri_write(uri, out, out_length));
    abr_channel_uri_free(uri);
}

int abr_test_free_udp_port(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd < 0 || 0 != bind(fd, (struct sockaddr *)&address, sizeof(address)) ||
        0 != getsockname(fd, (struct sockaddr *)&address, &length))
    {
        fprintf(stderr, "no free UDP port: %s\n", strerror(errno));
        exit(1);
    }
    close(fd);
    return ntohs(address.sin_port);
}
