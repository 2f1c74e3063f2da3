/*
 * The driver's command-and-control file: a small header followed by the to-driver ring buffer,
 * the to-clients broadcast buffer, the counters metadata and values, and the error log.
 */
#ifndef ABR_CORE_CNC_H
#define ABR_CORE_CNC_H

#include <stddef.h>
#include <stdint.h>

#define ABR_CNC_FILE "cnc.dat"

/* CncFileDescriptor.CNC_VERSION (aeron-client 1.51.0) is SemanticVersion.compose(0, 2, 0). */
#define ABR_CNC_VERSION_MAJOR 0
#define ABR_CNC_VERSION_MINOR 2
#define ABR_CNC_VERSION_PATCH 0

/* Field offsets of the CnC header, from CncFileDescriptor. */
#define ABR_CNC_VERSION_FIELD_OFFSET 0
#define ABR_CNC_TO_DRIVER_BUFFER_LENGTH_FIELD_OFFSET 4
#define ABR_CNC_TO_CLIENTS_BUFFER_LENGTH_FIELD_OFFSET 8
#define ABR_CNC_COUNTERS_METADATA_BUFFER_LENGTH_FIELD_OFFSET 12
#define ABR_CNC_COUNTERS_VALUES_BUFFER_LENGTH_FIELD_OFFSET 16
#define ABR_CNC_ERROR_LOG_BUFFER_LENGTH_FIELD_OFFSET 20
#define ABR_CNC_CLIENT_LIVENESS_TIMEOUT_FIELD_OFFSET 24
/* CncFileDescriptor.META_DATA_LENGTH: two cache lines. */
#define ABR_CNC_META_DATA_LENGTH 128

/* SemanticVersion packs major.minor.patch into one int, one byte each below the major. */
#define ABR_SEMANTIC_VERSION_COMPOSE(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define ABR_SEMANTIC_VERSION_MAJOR(version) (((version) >> 16) & 0xFF)
#define ABR_SEMANTIC_VERSION_MINOR(version) (((version) >> 8) & 0xFF)
#define ABR_SEMANTIC_VERSION_PATCH(version) ((version) & 0xFF)

typedef struct abr_cnc_stct
{
    uint8_t *base;
    size_t length;
    uint8_t *to_driver_buffer;
    size_t to_driver_length;
    uint8_t *to_clients_buffer;
    size_t to_clients_length;
    uint8_t *counters_metadata;
    size_t counters_metadata_length;
    uint8_t *counters_values;
    size_t counters_values_length;
}
abr_cnc_t;

/* Refuse a CnC of another major version (ABR_ERROR_CNC_VERSION_MISMATCH, naming both as x.y.z). */
int abr_cnc_check_version(int32_t cnc_version, const char *dir);

/* Map <dir>/cnc.dat, waiting up to timeout_ms for a driver still creating it. */
int abr_cnc_map(abr_cnc_t *cnc, const char *dir, int64_t timeout_ms);

/* Lay the buffers over an already mapped file; fails when the lengths in the header do not fit. */
int abr_cnc_wrap(abr_cnc_t *cnc, uint8_t *base, size_t length, const char *dir);

void abr_cnc_unmap(abr_cnc_t *cnc);

#endif
