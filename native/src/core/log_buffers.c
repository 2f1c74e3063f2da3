#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "log_buffers.h"

int abr_log_buffers_wrap(abr_log_buffers_t *log, uint8_t *memory, size_t length, const char *name)
{
    if (length < ABR_LOG_META_DATA_LENGTH)
    {
        return abr_error_set(ABR_ERROR_IO, "log buffer is too short: file=%s, length=%zu", name, length);
    }
    uint8_t *metadata = memory + length - ABR_LOG_META_DATA_LENGTH;
    int32_t term_length = abr_get_int32(metadata + ABR_LOG_TERM_LENGTH_OFFSET);
    int32_t mtu = abr_get_int32(metadata + ABR_LOG_MTU_LENGTH_OFFSET);
    if (term_length < ABR_LOG_TERM_MIN_LENGTH || term_length > ABR_LOG_TERM_MAX_LENGTH ||
        0 != (term_length & (term_length - 1)) ||
        (size_t)term_length * ABR_LOG_PARTITION_COUNT > length - ABR_LOG_META_DATA_LENGTH)
    {
        return abr_error_set(
            ABR_ERROR_IO, "log buffer has an invalid term length: file=%s, termLength=%d, length=%zu",
            name, term_length, length);
    }
    if (mtu <= ABR_DATA_HEADER_LENGTH || mtu > term_length || 0 != (mtu % ABR_FRAME_ALIGNMENT))
    {
        return abr_error_set(ABR_ERROR_IO, "log buffer has an invalid MTU: file=%s, mtu=%d", name, mtu);
    }

    log->mapped = memory;
    log->mapped_length = length;
    log->metadata = metadata;
    log->term_length = term_length;
    for (int i = 0; i < ABR_LOG_PARTITION_COUNT; i++)
    {
        log->terms[i] = memory + (size_t)i * (size_t)term_length;
    }
    return 0;
}

int abr_log_buffers_map(abr_log_buffers_t *log, const char *path)
{
    memset(log, 0, sizeof(*log));
    int fd = open(path, O_RDWR);
    if (fd < 0)
    {
        return abr_error_set(ABR_ERROR_IO, "could not open log buffer %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0)
    {
        int saved = errno;
        close(fd);
        return abr_error_set(ABR_ERROR_IO, "could not stat log buffer %s: %s", path, strerror(saved));
    }
    size_t length = (size_t)st.st_size;
    void *memory = length > 0 ? mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    int saved = errno;
    close(fd);
    if (MAP_FAILED == memory)
    {
        return abr_error_set(
            ABR_ERROR_IO, "could not map log buffer %s (length=%zu): %s", path, length, strerror(saved));
    }
    if (abr_log_buffers_wrap(log, memory, length, path) < 0)
    {
        munmap(memory, length);
        memset(log, 0, sizeof(*log));
        return -1;
    }
    return 0;
}

void abr_log_buffers_unmap(abr_log_buffers_t *log)
{
    if (NULL != log->mapped)
    {
        munmap(log->mapped, log->mapped_length);
        memset(log, 0, sizeof(*log));
    }
}
