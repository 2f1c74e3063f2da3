/*
 * Finding and reading the Archive's recording position counters (RecordingPos) in the driver's counters. Every field
 * of a key is read within the key: a length the driver (or anything writing the CnC) put there is never trusted.
 */
#include <string.h>

#include "abr/abr_recording.h"
#include "core/atomics.h"
#include "core/conductor.h"
#include "core/counters.h"
#include "core/error.h"

/* RecordingPos key offsets (aeron-archive 1.51.0). */
#define ABR_RECORDING_POS_RECORDING_ID_OFFSET 0
#define ABR_RECORDING_POS_SESSION_ID_OFFSET 8
#define ABR_RECORDING_POS_SOURCE_IDENTITY_LENGTH_OFFSET 12
#define ABR_RECORDING_POS_SOURCE_IDENTITY_OFFSET 16

static int abr_recording_pos_check_client(abr_client_t *client, const void *out, const char *out_name, const char *what)
{
    if (NULL == client || NULL == out)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: %s must not be null", what, NULL == client ? "client" : out_name);
    }
    if (abr_conductor_is_closed(client))
    {
        return abr_conductor_closed_error(client);
    }
    return 0;
}

/* The key of an allocated recording position counter, or NULL. */
static const uint8_t *abr_recording_pos_key(const abr_client_t *client, int32_t counter_id)
{
    const uint8_t *metadata = abr_counters_metadata_record(client, counter_id);
    if (NULL == metadata || ABR_COUNTER_RECORD_ALLOCATED != abr_get_int32_acquire(metadata) ||
        ABR_COUNTER_TYPE_ID_RECORDING_POSITION != abr_get_int32(metadata + ABR_COUNTER_TYPE_ID_OFFSET))
    {
        return NULL;
    }
    return metadata + ABR_COUNTER_KEY_OFFSET;
}

/* The source identity's length when it fits the key, else -1. */
static int32_t abr_recording_pos_identity_length(const uint8_t *key)
{
    int32_t length = abr_get_int32(key + ABR_RECORDING_POS_SOURCE_IDENTITY_LENGTH_OFFSET);
    return length < 0 || length > ABR_COUNTER_MAX_KEY_LENGTH - ABR_RECORDING_POS_SOURCE_IDENTITY_OFFSET ? -1 : length;
}

static bool abr_recording_pos_archive_matches(const uint8_t *key, int64_t archive_id)
{
    if (-1 == archive_id)
    {
        return true;
    }
    int32_t identity_length = abr_recording_pos_identity_length(key);
    int32_t archive_id_offset = ABR_RECORDING_POS_SOURCE_IDENTITY_OFFSET + identity_length;
    if (identity_length < 0 || archive_id_offset + (int32_t)sizeof(int64_t) > ABR_COUNTER_MAX_KEY_LENGTH)
    {
        return false;
    }
    return abr_get_int64(key + archive_id_offset) == archive_id;
}

/* Scan from the bottom up to the first never-used record, as CountersReader allocates. by_session picks the field. */
static int abr_recording_pos_find(
    abr_client_t *client, bool by_session, int64_t recording_id, int32_t session_id, int64_t archive_id,
    int32_t *counter_id)
{
    *counter_id = ABR_NULL_COUNTER_ID;
    int32_t highest = abr_counters_highest_id(client);
    for (int32_t id = 0; id <= highest; id++)
    {
        const uint8_t *metadata = abr_counters_metadata_record(client, id);
        if (ABR_COUNTER_RECORD_UNUSED == abr_get_int32_acquire(metadata))
        {
            break;
        }
        const uint8_t *key = abr_recording_pos_key(client, id);
        if (NULL == key)
        {
            continue;
        }
        bool matches = by_session ? abr_get_int32(key + ABR_RECORDING_POS_SESSION_ID_OFFSET) == session_id :
            abr_get_int64(key + ABR_RECORDING_POS_RECORDING_ID_OFFSET) == recording_id;
        if (matches && abr_recording_pos_archive_matches(key, archive_id))
        {
            *counter_id = id;
            return 1;
        }
    }
    return 0;
}

int abr_recording_pos_find_counter_id_by_recording(
    abr_client_t *client, int64_t recording_id, int64_t archive_id, int32_t *counter_id)
{
    if (abr_recording_pos_check_client(client, counter_id, "counter_id", "find recording counter by recording") < 0)
    {
        return -1;
    }
    return abr_recording_pos_find(client, false, recording_id, 0, archive_id, counter_id);
}

int abr_recording_pos_find_counter_id_by_session(
    abr_client_t *client, int32_t session_id, int64_t archive_id, int32_t *counter_id)
{
    if (abr_recording_pos_check_client(client, counter_id, "counter_id", "find recording counter by session") < 0)
    {
        return -1;
    }
    return abr_recording_pos_find(client, true, 0, session_id, archive_id, counter_id);
}

static int abr_recording_pos_check_id(abr_client_t *client, int32_t counter_id, const char *what)
{
    int32_t highest = abr_counters_highest_id(client);
    if (counter_id < 0 || counter_id > highest)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: counterId=%d is out of range 0..%d", what, counter_id, highest);
    }
    return 0;
}

int abr_recording_pos_get_recording_id(abr_client_t *client, int32_t counter_id, int64_t *recording_id)
{
    if (abr_recording_pos_check_client(client, recording_id, "recording_id", "recording counter's recording id") < 0 ||
        abr_recording_pos_check_id(client, counter_id, "recording counter's recording id") < 0)
    {
        return -1;
    }
    const uint8_t *key = abr_recording_pos_key(client, counter_id);
    *recording_id = NULL == key ?
        ABR_RECORDING_POS_NULL_RECORDING_ID : abr_get_int64(key + ABR_RECORDING_POS_RECORDING_ID_OFFSET);
    return 0;
}

int abr_recording_pos_is_active(abr_client_t *client, int32_t counter_id, int64_t recording_id)
{
    if (abr_recording_pos_check_client(client, &counter_id, "counter_id", "recording counter is active") < 0 ||
        abr_recording_pos_check_id(client, counter_id, "recording counter is active") < 0)
    {
        return -1;
    }
    const uint8_t *key = abr_recording_pos_key(client, counter_id);
    return NULL != key && abr_get_int64(key + ABR_RECORDING_POS_RECORDING_ID_OFFSET) == recording_id ? 1 : 0;
}

int abr_recording_pos_get_source_identity(abr_client_t *client, int32_t counter_id, char *source_identity, size_t capacity)
{
    if (abr_recording_pos_check_client(client, source_identity, "source_identity", "recording source identity") < 0 ||
        abr_recording_pos_check_id(client, counter_id, "recording source identity") < 0)
    {
        return -1;
    }
    if (0 == capacity)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "recording source identity: capacity must be > 0: counterId=%d", counter_id);
    }
    source_identity[0] = '\0';
    const uint8_t *key = abr_recording_pos_key(client, counter_id);
    if (NULL == key)
    {
        return 0;
    }
    int32_t length = abr_recording_pos_identity_length(key);
    if (length < 0)
    {
        return abr_error_set(
            ABR_ERROR_IO, "recording source identity: the counter's key holds an identity length that does not fit "
            "the key: counterId=%d", counter_id);
    }
    if ((size_t)length >= capacity)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "recording source identity of %d bytes does not fit in %zu: counterId=%d",
            length, capacity, counter_id);
    }
    memcpy(source_identity, key + ABR_RECORDING_POS_SOURCE_IDENTITY_OFFSET, (size_t)length);
    source_identity[length] = '\0';
    return 1;
}
