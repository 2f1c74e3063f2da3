#include <string.h>

#include "atomics.h"
#include "conductor.h"
#include "counters.h"
#include "error.h"

uint8_t *abr_counter_address(uint8_t *values, size_t values_length, int32_t counter_id)
{
    if (counter_id < 0 || ((size_t)counter_id + 1) * ABR_COUNTER_LENGTH > values_length)
    {
        return NULL;
    }
    return values + (size_t)counter_id * ABR_COUNTER_LENGTH;
}

static int32_t abr_counters_max_id(const abr_client_t *client)
{
    size_t by_values = client->cnc.counters_values_length / ABR_COUNTER_LENGTH;
    size_t by_metadata = client->cnc.counters_metadata_length / ABR_COUNTER_METADATA_LENGTH;
    size_t count = by_values < by_metadata ? by_values : by_metadata;
    return count > INT32_MAX ? INT32_MAX : (int32_t)count - 1;
}

static const uint8_t *abr_counters_metadata(const abr_client_t *client, int32_t counter_id)
{
    return client->cnc.counters_metadata + (size_t)counter_id * ABR_COUNTER_METADATA_LENGTH;
}

static const uint8_t *abr_counters_values(const abr_client_t *client, int32_t counter_id)
{
    return client->cnc.counters_values + (size_t)counter_id * ABR_COUNTER_LENGTH;
}

int32_t abr_counters_highest_id(const abr_client_t *client)
{
    return abr_counters_max_id(client);
}

const uint8_t *abr_counters_metadata_record(const abr_client_t *client, int32_t counter_id)
{
    return counter_id < 0 || counter_id > abr_counters_max_id(client) ? NULL : abr_counters_metadata(client, counter_id);
}

/* The client is open and the id names a counter this CnC has room for; out, named out_name, is where the answer goes. */
static int abr_counters_check(
    abr_client_t *client, int32_t counter_id, const void *out, const char *out_name, const char *what)
{
    if (NULL == client || NULL == out)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: %s must not be null: counterId=%d", what, NULL == client ? "client" : out_name,
            counter_id);
    }
    if (abr_conductor_is_closed(client))
    {
        return abr_conductor_closed_error(client);
    }
    int32_t max_id = abr_counters_max_id(client);
    if (counter_id < 0 || counter_id > max_id)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s: counterId=%d is out of range 0..%d, dir=%s", what, counter_id, max_id,
            client->dir);
    }
    return 0;
}

int32_t abr_counters_max_counter_id(abr_client_t *client)
{
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "client must not be null");
    }
    return abr_counters_max_id(client);
}

int abr_counters_value(abr_client_t *client, int32_t counter_id, int64_t *value)
{
    if (abr_counters_check(client, counter_id, value, "value", "counter value") < 0)
    {
        return -1;
    }
    *value = abr_get_int64_acquire(abr_counters_values(client, counter_id));
    return 0;
}

int abr_counters_state(abr_client_t *client, int32_t counter_id, int32_t *state)
{
    if (abr_counters_check(client, counter_id, state, "state", "counter state") < 0)
    {
        return -1;
    }
    *state = abr_get_int32_acquire(abr_counters_metadata(client, counter_id));
    return 0;
}

int abr_counters_type_id(abr_client_t *client, int32_t counter_id, int32_t *type_id)
{
    if (abr_counters_check(client, counter_id, type_id, "type_id", "counter type id") < 0)
    {
        return -1;
    }
    *type_id = abr_get_int32(abr_counters_metadata(client, counter_id) + ABR_COUNTER_TYPE_ID_OFFSET);
    return 0;
}

int abr_counters_registration_id(abr_client_t *client, int32_t counter_id, int64_t *registration_id)
{
    if (abr_counters_check(client, counter_id, registration_id, "registration_id", "counter registration id") < 0)
    {
        return -1;
    }
    *registration_id =
        abr_get_int64_acquire(abr_counters_values(client, counter_id) + ABR_COUNTER_REGISTRATION_ID_OFFSET);
    return 0;
}

int abr_counters_label(abr_client_t *client, int32_t counter_id, char *label, size_t label_capacity)
{
    if (abr_counters_check(client, counter_id, label, "label", "counter label") < 0)
    {
        return -1;
    }
    if (0 == label_capacity)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "counter label: label_capacity must be > 0: counterId=%d", counter_id);
    }
    const uint8_t *metadata = abr_counters_metadata(client, counter_id);
    int32_t length = abr_get_int32_acquire(metadata + ABR_COUNTER_LABEL_OFFSET);
    /* The driver may be rewriting the record: never trust a length outside the label field. */
    if (length < 0 || length > ABR_COUNTER_MAX_LABEL_LENGTH)
    {
        length = 0;
    }
    size_t copied = (size_t)length < label_capacity - 1 ? (size_t)length : label_capacity - 1;
    memcpy(label, metadata + ABR_COUNTER_LABEL_OFFSET + 4, copied);
    label[copied] = '\0';
    return length;
}

int abr_counters_key(abr_client_t *client, int32_t counter_id, uint8_t *key, size_t key_capacity)
{
    if (abr_counters_check(client, counter_id, key, "key", "counter key") < 0)
    {
        return -1;
    }
    size_t copied = key_capacity < ABR_COUNTER_MAX_KEY_LENGTH ? key_capacity : ABR_COUNTER_MAX_KEY_LENGTH;
    memcpy(key, abr_counters_metadata(client, counter_id) + ABR_COUNTER_KEY_OFFSET, copied);
    return (int)copied;
}

int32_t abr_counters_find(abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length)
{
    int32_t max_id = abr_counters_max_id(client);
    for (int32_t id = 0; id <= max_id; id++)
    {
        const uint8_t *metadata = abr_counters_metadata(client, id);
        int32_t state = abr_get_int32_acquire(metadata);
        if (ABR_COUNTER_RECORD_UNUSED == state)
        {
            /* The driver allocates ids from the bottom up: nothing lies beyond the first never-used record. */
            break;
        }
        if (ABR_COUNTER_RECORD_ALLOCATED == state &&
            abr_get_int32(metadata + ABR_COUNTER_TYPE_ID_OFFSET) == type_id &&
            (0 == key_length || 0 == memcmp(metadata + ABR_COUNTER_KEY_OFFSET, key, key_length)))
        {
            return id;
        }
    }
    return -1;
}

static bool abr_counters_is_spy(const uint8_t *key)
{
    static const char spy_prefix[] = "aeron-spy:";
    const size_t prefix_length = sizeof(spy_prefix) - 1;
    int32_t channel_length = abr_get_int32(key + ABR_STREAM_COUNTER_CHANNEL_LENGTH_OFFSET);
    return channel_length >= (int32_t)prefix_length &&
        0 == memcmp(key + ABR_STREAM_COUNTER_CHANNEL_OFFSET, spy_prefix, prefix_length);
}

int32_t abr_counters_subscriber_positions(
    abr_client_t *client, int32_t session_id, int32_t stream_id, bool receivers_only, int64_t *min_position)
{
    int32_t found = 0;
    int32_t max_id = abr_counters_max_id(client);
    for (int32_t id = 0; id <= max_id; id++)
    {
        const uint8_t *metadata = abr_counters_metadata(client, id);
        int32_t state = abr_get_int32_acquire(metadata);
        if (ABR_COUNTER_RECORD_UNUSED == state)
        {
            break;
        }
        const uint8_t *key = metadata + ABR_COUNTER_KEY_OFFSET;
        if (ABR_COUNTER_RECORD_ALLOCATED == state &&
            ABR_COUNTER_SUBSCRIBER_POSITION_TYPE_ID == abr_get_int32(metadata + ABR_COUNTER_TYPE_ID_OFFSET) &&
            session_id == abr_get_int32(key + ABR_STREAM_COUNTER_SESSION_ID_OFFSET) &&
            stream_id == abr_get_int32(key + ABR_STREAM_COUNTER_STREAM_ID_OFFSET) &&
            !(receivers_only && abr_counters_is_spy(key)))
        {
            int64_t position = abr_get_int64_acquire(abr_counters_values(client, id));
            if (0 == found || position < *min_position)
            {
                *min_position = position;
            }
            found++;
        }
    }
    return found;
}

bool abr_counters_is_active(abr_client_t *client, int32_t counter_id, int32_t type_id, const uint8_t *key, size_t key_length)
{
    if (counter_id < 0 || counter_id > abr_counters_max_id(client))
    {
        return false;
    }
    const uint8_t *metadata = abr_counters_metadata(client, counter_id);
    return ABR_COUNTER_RECORD_ALLOCATED == abr_get_int32_acquire(metadata) &&
        abr_get_int32(metadata + ABR_COUNTER_TYPE_ID_OFFSET) == type_id &&
        0 == memcmp(metadata + ABR_COUNTER_KEY_OFFSET, key, key_length);
}

void abr_counters_append_label(abr_client_t *client, int32_t counter_id, const char *text)
{
    uint8_t *metadata = client->cnc.counters_metadata + (size_t)counter_id * ABR_COUNTER_METADATA_LENGTH;
    int32_t existing = abr_get_int32(metadata + ABR_COUNTER_LABEL_OFFSET);
    if (existing < 0 || existing >= ABR_COUNTER_MAX_LABEL_LENGTH)
    {
        return;
    }
    size_t room = (size_t)(ABR_COUNTER_MAX_LABEL_LENGTH - existing);
    size_t length = strlen(text) < room ? strlen(text) : room;
    memcpy(metadata + ABR_COUNTER_LABEL_OFFSET + 4 + existing, text, length);
    abr_put_int32_release(metadata + ABR_COUNTER_LABEL_OFFSET, existing + (int32_t)length);
}

int32_t abr_counters_control_protocol_version(abr_client_t *client)
{
    int32_t id = ABR_COUNTER_CONTROL_PROTOCOL_VERSION_ID;
    if (id > abr_counters_max_id(client))
    {
        return 0;
    }
    const uint8_t *metadata = abr_counters_metadata(client, id);
    const uint8_t *values = abr_counters_values(client, id);
    if (ABR_COUNTER_RECORD_ALLOCATED != abr_get_int32_acquire(metadata) ||
        ABR_COUNTER_SYSTEM_TYPE_ID != abr_get_int32(metadata + ABR_COUNTER_TYPE_ID_OFFSET) ||
        id != abr_get_int64_acquire(values + ABR_COUNTER_REGISTRATION_ID_OFFSET))
    {
        return 0;
    }
    return (int32_t)abr_get_int64_acquire(values);
}

int abr_counters_find_by_type_id_and_key(
    abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length, int32_t *counter_id)
{
    if (NULL == client || NULL == counter_id || (NULL == key && key_length > 0))
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "find counter: %s must not be null%s: typeId=%d, keyLength=%zu",
            NULL == client ? "client" : NULL == counter_id ? "counter_id" : "key",
            NULL != client && NULL != counter_id ? " when key_length > 0" : "", type_id, key_length);
    }
    if (key_length > ABR_COUNTER_MAX_KEY_LENGTH)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "find counter: key_length must be at most %d: typeId=%d, keyLength=%zu",
            ABR_COUNTER_MAX_KEY_LENGTH, type_id, key_length);
    }
    if (abr_conductor_is_closed(client))
    {
        return abr_conductor_closed_error(client);
    }
    int32_t found = abr_counters_find(client, type_id, key, key_length);
    if (found < 0)
    {
        return 0;
    }
    *counter_id = found;
    return 1;
}

int64_t abr_client_channel_status(abr_client_t *client, int32_t channel_status_id)
{
    if (ABR_CHANNEL_STATUS_NO_ID_ALLOCATED == channel_status_id)
    {
        return ABR_CHANNEL_STATUS_ACTIVE;
    }
    if (0 == channel_status_id)
    {
        return ABR_CHANNEL_STATUS_INITIALIZING;
    }
    uint8_t *address = abr_counter_address(client->cnc.counters_values, client->cnc.counters_values_length, channel_status_id);
    return NULL == address ? ABR_CHANNEL_STATUS_ERRORED : abr_get_int64_acquire(address);
}

int abr_client_find_local_socket_address(
    abr_client_t *client, int32_t channel_status_id, char *address, size_t address_capacity)
{
    if (NULL == client || NULL == address || 0 == address_capacity)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "find local socket address: %s: channelStatusId=%d",
            NULL == client ? "client must not be null" : NULL == address ? "address must not be null" :
            "address_capacity must be > 0", channel_status_id);
    }
    if (abr_conductor_is_closed(client))
    {
        return abr_conductor_closed_error(client);
    }
    address[0] = '\0';
    int32_t max_id = abr_counters_max_id(client);
    for (int32_t id = 0; id <= max_id; id++)
    {
        const uint8_t *metadata = abr_counters_metadata(client, id);
        int32_t state = abr_get_int32_acquire(metadata);
        if (ABR_COUNTER_RECORD_UNUSED == state)
        {
            break;
        }
        const uint8_t *key = metadata + ABR_COUNTER_KEY_OFFSET;
        if (ABR_COUNTER_RECORD_ALLOCATED != state ||
            ABR_COUNTER_LOCAL_SOCKET_ADDRESS_TYPE_ID != abr_get_int32(metadata + ABR_COUNTER_TYPE_ID_OFFSET) ||
            channel_status_id != abr_get_int32(key + ABR_LOCAL_SOCKET_ADDRESS_CHANNEL_STATUS_ID_OFFSET) ||
            ABR_CHANNEL_STATUS_ACTIVE != abr_get_int64_acquire(abr_counters_values(client, id)))
        {
            continue;
        }
        int32_t length = abr_get_int32(key + ABR_LOCAL_SOCKET_ADDRESS_LENGTH_OFFSET);
        if (length <= 0 || length > ABR_COUNTER_MAX_KEY_LENGTH - ABR_LOCAL_SOCKET_ADDRESS_STRING_OFFSET)
        {
            /* Bound address not written yet: the transport is still coming up. */
            return 0;
        }
        if ((size_t)length >= address_capacity)
        {
            return abr_error_set(
                ABR_ERROR_INVALID_ARGUMENT, "local socket address of %d bytes does not fit in %zu: channelStatusId=%d",
                length, address_capacity, channel_status_id);
        }
        memcpy(address, key + ABR_LOCAL_SOCKET_ADDRESS_STRING_OFFSET, (size_t)length);
        address[length] = '\0';
        return length;
    }
    return 0;
}
