/*
 * Encodes control requests with the generated SBE codecs and offers them on the control
 * publication, retrying back pressure as AeronArchive's proxy does.
 */
#ifndef ABR_ARCHIVE_PROXY_H
#define ABR_ARCHIVE_PROXY_H

#include <stdio.h>

#include "abr/abr_archive.h"

typedef struct abr_archive_proxy_stct
{
    abr_exclusive_publication_t *publication;
    char *buffer;
    size_t buffer_length;
    int32_t retry_attempts;
    FILE *debug_log;
}
abr_archive_proxy_t;

/* Shared by the request encoders: offer the encoded request with retries (0 sent, -1 failed), the error for a
 * request that does not fit, the length of a message with its header, and the wire value of a source location. */
int abr_archive_proxy_offer(abr_archive_proxy_t *proxy, uint64_t length, const char *request);
int abr_archive_proxy_encoding_failed(const char *request);
uint64_t abr_archive_proxy_length(uint64_t body_length);
int abr_archive_proxy_source_location(abr_archive_source_location_t location);

int abr_archive_proxy_init(abr_archive_proxy_t *proxy, abr_exclusive_publication_t *publication, int32_t retry_attempts);

/* Releases the encoding buffer; the publication belongs to the caller. */
void abr_archive_proxy_close(abr_archive_proxy_t *proxy);

/* One attempt at sending the connect request (AuthConnectRequest, announcing protocol version `version` and carrying
 * the encoded credentials): 1 sent, 0 not now (back pressure), -1 failed. */
int abr_archive_proxy_try_connect(
    abr_archive_proxy_t *proxy,
    const char *response_channel,
    int32_t response_stream_id,
    int64_t correlation_id,
    int32_t version,
    const abr_archive_credentials_t *credentials,
    const char *client_info);

/* One attempt at sending the answer to an authentication challenge: 1 sent, 0 not now (back pressure), -1 failed. */
int abr_archive_proxy_try_challenge_response(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    const abr_archive_credentials_t *credentials);

/*
 * The requests below retry up to the configured attempts: 0 sent, -1 failed (error set, naming
 * the request and why).
 */

int abr_archive_proxy_close_session(abr_archive_proxy_t *proxy, int64_t control_session_id);

int abr_archive_proxy_keep_alive(abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id);

int abr_archive_proxy_archive_id(abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id);

int abr_archive_proxy_start_recording(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location);

int abr_archive_proxy_start_recording_auto_stop(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop);

int abr_archive_proxy_stop_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, const char *channel, int32_t stream_id);

int abr_archive_proxy_stop_recording_subscription(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t subscription_id);

int abr_archive_proxy_list_recordings(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t from_recording_id,
    int32_t record_count);

int abr_archive_proxy_list_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_recording_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_stop_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

/*
 * Recording management requests (archive_recording_proxy.c).
 */

int abr_archive_proxy_extend_recording(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t recording_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool with_auto_stop,
    bool auto_stop);

int abr_archive_proxy_stop_recording_by_identity(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_start_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_max_recorded_position(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_find_last_matching_recording(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t min_recording_id,
    const char *channel_fragment,
    int32_t stream_id,
    int32_t session_id);

int abr_archive_proxy_list_recordings_for_uri(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int64_t from_recording_id,
    int32_t record_count,
    const char *channel_fragment,
    int32_t stream_id);

int abr_archive_proxy_list_recording_subscriptions(
    abr_archive_proxy_t *proxy,
    int64_t control_session_id,
    int64_t correlation_id,
    int32_t pseudo_index,
    int32_t subscription_count,
    const char *channel_fragment,
    int32_t stream_id,
    bool apply_stream_id);

/*
 * Replay and maintenance requests (archive_replay_proxy.c).
 */

/* A replay request; limit_counter_id >= 0 makes it a bounded replay. NULL values (-1) where AeronArchive sends them. */
typedef struct abr_archive_replay_request_stct
{
    int64_t recording_id;
    int64_t position;
    int64_t length;
    const char *channel;
    int32_t stream_id;
    int32_t limit_counter_id;
    int32_t file_io_max_length;
    int64_t replay_token;
}
abr_archive_replay_request_t;

int abr_archive_proxy_replay(abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id,
    const abr_archive_replay_request_t *replay);

int abr_archive_proxy_stop_replay(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t replay_session_id);

int abr_archive_proxy_stop_all_replays(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_truncate_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id,
    int64_t position);

int abr_archive_proxy_purge_recording(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

/*
 * Segment file requests and update channel (archive_segments_proxy.c).
 */

int abr_archive_proxy_detach_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id, int64_t new_start_position);

int abr_archive_proxy_delete_detached_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_purge_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id, int64_t new_start_position);

int abr_archive_proxy_attach_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id);

int abr_archive_proxy_migrate_segments(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t src_recording_id, int64_t dst_recording_id);

int abr_archive_proxy_update_channel(
    abr_archive_proxy_t *proxy, int64_t control_session_id, int64_t correlation_id, int64_t recording_id,
    const char *channel);

#endif
