#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomics.h"
#include "clock.h"
#include "cnc.h"
#include "error.h"

int abr_cnc_check_version(int32_t cnc_version, const char *dir)
{
    if (ABR_SEMANTIC_VERSION_MAJOR(cnc_version) != ABR_CNC_VERSION_MAJOR)
    {
        return abr_error_set(
            ABR_ERROR_CNC_VERSION_MISMATCH,
            "CnC version not compatible: app=%d.%d.%d file=%d.%d.%d, dir=%s",
            ABR_CNC_VERSION_MAJOR, ABR_CNC_VERSION_MINOR, ABR_CNC_VERSION_PATCH,
            ABR_SEMANTIC_VERSION_MAJOR(cnc_version), ABR_SEMANTIC_VERSION_MINOR(cnc_version),
            ABR_SEMANTIC_VERSION_PATCH(cnc_version), dir);
    }
    return 0;
}

/* The buffers follow one another: a length that is not a multiple of 8 would leave the next buffer's 64-bit
 * counters misaligned (the driver's lengths are powers of two plus trailers, all multiples of 64). */
static int abr_cnc_buffer_length(const uint8_t *base, size_t offset, size_t *length)
{
    int32_t value = abr_get_int32(base + offset);
    if (value < 0 || 0 != (value & 7))
    {
        return -1;
    }
    *length = (size_t)value;
    return 0;
}

int abr_cnc_wrap(abr_cnc_t *cnc, uint8_t *base, size_t length, const char *dir)
{
    memset(cnc, 0, sizeof(*cnc));
    if (length < ABR_CNC_META_DATA_LENGTH ||
        abr_cnc_buffer_length(base, ABR_CNC_TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET, &cnc->to_driver_length) < 0 ||
        abr_cnc_buffer_length(base, ABR_CNC_TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET, &cnc->to_clients_length) < 0 ||
        abr_cnc_buffer_length(
            base, ABR_CNC_COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET, &cnc->counters_metadata_length) < 0 ||
        abr_cnc_buffer_length(
            base, ABR_CNC_COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET, &cnc->counters_values_length) < 0)
    {
        return abr_error_set(ABR_ERROR_IO, "CnC file is malformed: dir=%s, length=%zu", dir, length);
    }

    size_t end = ABR_CNC_META_DATA_LENGTH + cnc->to_driver_length + cnc->to_clients_length +
        cnc->counters_metadata_length + cnc->counters_values_length;
    if (end > length)
    {
        return abr_error_set(
            ABR_ERROR_IO, "CnC file is shorter than its buffers: dir=%s, length=%zu, needed=%zu", dir, length, end);
    }

    cnc->base = base;
    cnc->length = length;
    cnc->to_driver_buffer = base + ABR_CNC_META_DATA_LENGTH;
    cnc->to_clients_buffer = cnc->to_driver_buffer + cnc->to_driver_length;
    cnc->counters_metadata = cnc->to_clients_buffer + cnc->to_clients_length;
    cnc->counters_values = cnc->counters_metadata + cnc->counters_metadata_length;
    return 0;
}

/* 1 when mapped with a published version, 0 when the driver is still creating the file, -1 on error. */
static int abr_cnc_try_map(abr_cnc_t *cnc, const char *path, const char *dir)
{
    int fd = open(path, O_RDWR);
    if (fd < 0)
    {
        if (ENOENT == errno)
        {
            return 0;
        }
        return abr_error_set(ABR_ERROR_IO, "could not open %s: %s", path, strerror(errno));
    }

    struct stat st;
    if (fstat(fd, &st) < 0)
    {
        int saved = errno;
        close(fd);
        return abr_error_set(ABR_ERROR_IO, "could not stat %s: %s", path, strerror(saved));
    }
    if ((size_t)st.st_size < ABR_CNC_META_DATA_LENGTH)
    {
        close(fd);
        return 0;
    }

    size_t length = (size_t)st.st_size;
    void *base = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int saved = errno;
    close(fd);
    if (MAP_FAILED == base)
    {
        return abr_error_set(ABR_ERROR_IO, "could not map %s: %s", path, strerror(saved));
    }

    int32_t version = abr_get_int32_acquire((uint8_t *)base + ABR_CNC_VERSION_FIELD_OFFSET);
    if (0 == version)
    {
        munmap(base, length);
        return 0;
    }
    if (abr_cnc_check_version(version, dir) < 0 || abr_cnc_wrap(cnc, base, length, dir) < 0)
    {
        munmap(base, length);
        return -1;
    }
    return 1;
}

int abr_cnc_map(abr_cnc_t *cnc, const char *dir, int64_t timeout_ms)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", dir, ABR_CNC_FILE) >= (int)sizeof(path))
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "Aeron directory name is too long: dir=%s", dir);
    }

    int64_t deadline_ns = abr_deadline_ns(abr_nano_time(), abr_ms_to_ns(timeout_ms));
    while (true)
    {
        int result = abr_cnc_try_map(cnc, path, dir);
        if (0 != result)
        {
            return result > 0 ? 0 : -1;
        }
        if (abr_deadline_passed(abr_nano_time(), deadline_ns))
        {
            return abr_error_set(
                ABR_ERROR_NO_DRIVER, "no Media Driver found: %s is missing or not ready after %lld ms, dir=%s",
                path, (long long)timeout_ms, dir);
        }
        abr_sleep_ms(16);
    }
}

void abr_cnc_unmap(abr_cnc_t *cnc)
{
    if (NULL != cnc->base)
    {
        munmap(cnc->base, cnc->length);
        cnc->base = NULL;
        cnc->length = 0;
    }
}
