/*
 * Segment file maintenance and channel update: each a request answered by one control response, whose relevant id is
 * the count of segment files the archive acted on where AeronArchive returns one.
 */
#include <inttypes.h>

#include "archive_client.h"
#include "core/error.h"

typedef struct abr_archive_segments_request_stct
{
    int64_t first;
    int64_t second;
    const char *channel;
}
abr_archive_segments_request_t;

static int abr_archive_send_detach_segments(abr_archive_t *archive, int64_t correlation_id, const void *request_ptr)
{
    const abr_archive_segments_request_t *request = request_ptr;
    return abr_archive_proxy_detach_segments(&archive->proxy, archive->control_session_id, correlation_id, request->first, request->second);
}

static int abr_archive_send_delete_detached_segments(abr_archive_t *archive, int64_t correlation_id, const void *request_ptr)
{
    const abr_archive_segments_request_t *request = request_ptr;
    return abr_archive_proxy_delete_detached_segments(&archive->proxy, archive->control_session_id, correlation_id, request->first);
}

static int abr_archive_send_purge_segments(abr_archive_t *archive, int64_t correlation_id, const void *request_ptr)
{
    const abr_archive_segments_request_t *request = request_ptr;
    return abr_archive_proxy_purge_segments(&archive->proxy, archive->control_session_id, correlation_id, request->first, request->second);
}

static int abr_archive_send_attach_segments(abr_archive_t *archive, int64_t correlation_id, const void *request_ptr)
{
    const abr_archive_segments_request_t *request = request_ptr;
    return abr_archive_proxy_attach_segments(&archive->proxy, archive->control_session_id, correlation_id, request->first);
}

static int abr_archive_send_migrate_segments(abr_archive_t *archive, int64_t correlation_id, const void *request_ptr)
{
    const abr_archive_segments_request_t *request = request_ptr;
    return abr_archive_proxy_migrate_segments(&archive->proxy, archive->control_session_id, correlation_id, request->first, request->second);
}

static int abr_archive_send_update_channel(abr_archive_t *archive, int64_t correlation_id, const void *request_ptr)
{
    const abr_archive_segments_request_t *request = request_ptr;
    return abr_archive_proxy_update_channel(&archive->proxy, archive->control_session_id, correlation_id, request->first, request->channel);
}

int abr_archive_detach_segments(abr_archive_t *archive, int64_t recording_id, int64_t new_start_position)
{
    abr_archive_segments_request_t request = { .first = recording_id, .second = new_start_position };
    return abr_archive_call(archive, "detach segments", abr_archive_send_detach_segments, &request, NULL);
}

int abr_archive_delete_detached_segments(int64_t *count, abr_archive_t *archive, int64_t recording_id)
{
    if (NULL == count)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "delete detached segments: count must not be null");
    }
    abr_archive_segments_request_t request = { .first = recording_id };
    return abr_archive_call(archive, "delete detached segments", abr_archive_send_delete_detached_segments, &request, count);
}

int abr_archive_purge_segments(int64_t *count, abr_archive_t *archive, int64_t recording_id, int64_t new_start_position)
{
    if (NULL == count)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "purge segments: count must not be null");
    }
    abr_archive_segments_request_t request = { .first = recording_id, .second = new_start_position };
    return abr_archive_call(archive, "purge segments", abr_archive_send_purge_segments, &request, count);
}

int abr_archive_attach_segments(int64_t *count, abr_archive_t *archive, int64_t recording_id)
{
    if (NULL == count)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "attach segments: count must not be null");
    }
    abr_archive_segments_request_t request = { .first = recording_id };
    return abr_archive_call(archive, "attach segments", abr_archive_send_attach_segments, &request, count);
}

int abr_archive_migrate_segments(int64_t *count, abr_archive_t *archive, int64_t src_recording_id, int64_t dst_recording_id)
{
    if (NULL == count)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "migrate segments: count must not be null");
    }
    abr_archive_segments_request_t request = { .first = src_recording_id, .second = dst_recording_id };
    return abr_archive_call(archive, "migrate segments", abr_archive_send_migrate_segments, &request, count);
}

int abr_archive_update_channel(abr_archive_t *archive, int64_t recording_id, const char *channel)
{
    if (NULL == channel)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "update channel: channel must not be null");
    }
    abr_archive_segments_request_t request = { .first = recording_id, .channel = channel };
    return abr_archive_call(archive, "update channel", abr_archive_send_update_channel, &request, NULL);
}

int64_t abr_archive_segment_file_base_position(
    int64_t start_position, int64_t position, int32_t term_buffer_length, int32_t segment_file_length)
{
    /* Lengths must be powers of two for the masks below to mean anything; a position before the start has no
     * segment. Valid results are never negative, so -1 is free to signal bad input. */
    if (term_buffer_length <= 0 || 0 != (term_buffer_length & (term_buffer_length - 1)) ||
        segment_file_length <= 0 || 0 != (segment_file_length & (segment_file_length - 1)) ||
        start_position < 0 || position < start_position)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT,
            "segment file base position: start position %" PRId64 ", position %" PRId64 ", term length %" PRId32
            ", segment length %" PRId32 ": lengths must be positive powers of two and position >= start >= 0",
            start_position, position, term_buffer_length, segment_file_length);
    }
    /* Segment files start at the base of the term the recording started in, then every segment_file_length bytes
     * (both powers of two); the base of the segment holding position is that start plus whole segments. */
    const int64_t first_term_base = start_position & ~((int64_t)term_buffer_length - 1);
    const int64_t offset = position - first_term_base;
    return first_term_base + (offset & ~((int64_t)segment_file_length - 1));
}
