/*
 * Batched listing: a consumer that packs each descriptor as a record into the caller's buffer (layout in
 * abr_archive.h) and hands the buffer over when full, so a binding pays one call per buffer, not per descriptor.
 */
#include <stdint.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "core/error.h"

typedef struct abr_archive_descriptor_batch_stct
{
    uint8_t *buffer;
    size_t capacity;
    size_t length;
    int32_t count;
    abr_archive_recording_descriptor_batch_func_t on_batch;
    void *clientd;
    size_t oversize_length;
}
abr_archive_descriptor_batch_t;

static int abr_archive_descriptor_batch_init(
    abr_archive_descriptor_batch_t *batch,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd,
    const char *operation)
{
    if (NULL == buffer)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: buffer must not be null", operation);
    }
    if (capacity < ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: capacity %zu is less than one record header (%d bytes)",
            operation, capacity, ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH);
    }
    if (NULL == on_batch)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: on_batch must not be null", operation);
    }
    batch->buffer = buffer;
    batch->capacity = capacity;
    batch->length = 0;
    batch->count = 0;
    batch->on_batch = on_batch;
    batch->clientd = clientd;
    batch->oversize_length = 0;
    return 0;
}

static void abr_archive_descriptor_batch_flush(abr_archive_descriptor_batch_t *batch)
{
    if (batch->count > 0)
    {
        batch->on_batch(batch->clientd, batch->buffer, batch->length, batch->count);
    }
    batch->length = 0;
    batch->count = 0;
}

static size_t abr_archive_descriptor_string_length(const char *value)
{
    return NULL == value ? 0 : strlen(value);
}

static void abr_archive_descriptor_put_int64(uint8_t *at, int64_t value)
{
    memcpy(at, &value, sizeof(value));
}

static void abr_archive_descriptor_put_int32(uint8_t *at, int32_t value)
{
    memcpy(at, &value, sizeof(value));
}

static void abr_archive_descriptor_batch_add(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    abr_archive_descriptor_batch_t *batch = clientd;
    const char *strings[3] = {
        descriptor->stripped_channel, descriptor->original_channel, descriptor->source_identity };
    size_t lengths[3];
    size_t record_length = ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;
    for (int i = 0; i < 3; i++)
    {
        lengths[i] = abr_archive_descriptor_string_length(strings[i]);
        /* Each length is bounded by the message it came from, so the sum cannot wrap; only the capacity limits. */
        record_length += lengths[i];
    }
    const size_t alignment = ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT;
    record_length = (record_length + alignment - 1) & ~(alignment - 1);
    if (record_length > batch->capacity || lengths[0] > INT32_MAX || lengths[1] > INT32_MAX || lengths[2] > INT32_MAX)
    {
        if (0 == batch->oversize_length)
        {
            batch->oversize_length = record_length;
        }
        return;
    }
    if (record_length > batch->capacity - batch->length)
    {
        abr_archive_descriptor_batch_flush(batch);
    }

    uint8_t *record = batch->buffer + batch->length;
    abr_archive_descriptor_put_int64(record, descriptor->control_session_id);
    abr_archive_descriptor_put_int64(record + 8, descriptor->correlation_id);
    abr_archive_descriptor_put_int64(record + 16, descriptor->recording_id);
    abr_archive_descriptor_put_int64(record + 24, descriptor->start_timestamp);
    abr_archive_descriptor_put_int64(record + 32, descriptor->stop_timestamp);
    abr_archive_descriptor_put_int64(record + 40, descriptor->start_position);
    abr_archive_descriptor_put_int64(record + 48, descriptor->stop_position);
    abr_archive_descriptor_put_int32(record + 56, descriptor->initial_term_id);
    abr_archive_descriptor_put_int32(record + 60, descriptor->segment_file_length);
    abr_archive_descriptor_put_int32(record + 64, descriptor->term_buffer_length);
    abr_archive_descriptor_put_int32(record + 68, descriptor->mtu_length);
    abr_archive_descriptor_put_int32(record + 72, descriptor->session_id);
    abr_archive_descriptor_put_int32(record + 76, descriptor->stream_id);
    size_t offset = ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH;
    for (int i = 0; i < 3; i++)
    {
        abr_archive_descriptor_put_int32(record + 80 + 4 * i, (int32_t)lengths[i]);
        if (lengths[i] > 0)
        {
            memcpy(record + offset, strings[i], lengths[i]);
        }
        offset += lengths[i];
    }
    batch->length += record_length;
    batch->count++;
}

/* Hands over what is left, even after a failure (the consumer saw those descriptors before it, unbatched). */
static int abr_archive_descriptor_batch_finish(abr_archive_descriptor_batch_t *batch, int result, const char *operation)
{
    abr_archive_descriptor_batch_flush(batch);
    if (result < 0)
    {
        return result;
    }
    if (0 != batch->oversize_length)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: a descriptor needs a record of %zu bytes, more than the capacity %zu",
            operation, batch->oversize_length, batch->capacity);
    }
    return 0;
}

int abr_archive_list_recordings_batched(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd)
{
    const char *operation = "list recordings batched";
    abr_archive_descriptor_batch_t batch;
    if (abr_archive_descriptor_batch_init(&batch, buffer, capacity, on_batch, clientd, operation) < 0)
    {
        return -1;
    }
    int result = abr_archive_list_recordings(
        count, archive, from_recording_id, record_count, abr_archive_descriptor_batch_add, &batch);
    return abr_archive_descriptor_batch_finish(&batch, result, operation);
}

int abr_archive_list_recording_batched(
    int32_t *count,
    abr_archive_t *archive,
    int64_t recording_id,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd)
{
    const char *operation = "list recording batched";
    abr_archive_descriptor_batch_t batch;
    if (abr_archive_descriptor_batch_init(&batch, buffer, capacity, on_batch, clientd, operation) < 0)
    {
        return -1;
    }
    int result = abr_archive_list_recording(count, archive, recording_id, abr_archive_descriptor_batch_add, &batch);
    return abr_archive_descriptor_batch_finish(&batch, result, operation);
}

int abr_archive_list_recordings_for_uri_batched(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    const char *channel_fragment,
    int32_t stream_id,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd)
{
    const char *operation = "list recordings for uri batched";
    abr_archive_descriptor_batch_t batch;
    if (abr_archive_descriptor_batch_init(&batch, buffer, capacity, on_batch, clientd, operation) < 0)
    {
        return -1;
    }
    int result = abr_archive_list_recordings_for_uri(
        count, archive, from_recording_id, record_count, channel_fragment, stream_id, abr_archive_descriptor_batch_add,
        &batch);
    return abr_archive_descriptor_batch_finish(&batch, result, operation);
}
