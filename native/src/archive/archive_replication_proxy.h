/*
 * Encoders for replication requests (archive_replication_proxy.c). Same contract as archive_proxy.h: 0 sent,
 * -1 failed (error set, naming the request).
 */
#ifndef ABR_ARCHIVE_REPLICATION_PROXY_H
#define ABR_ARCHIVE_REPLICATION_PROXY_H

#include "archive_proxy.h"

/* ReplicateRequest2, the request AeronArchive 1.51.0 sends for every replicate call. */
int abr_archive_proxy_replicate(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t src_recording_id,
    int32_t src_control_stream_id,
    const char *src_control_channel,
    const abr_archive_replication_params_t *params);

int abr_archive_proxy_stop_replication(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t replication_id);

#endif
