#include <stdlib.h>
#include <string.h>

#include "atomics.h"
#include "conductor.h"
#include "counter.h"
#include "counters.h"
#include "error.h"

abr_counter_t *abr_counter_create(abr_client_t *client, int32_t counter_id, int32_t type_id, int64_t registration_id)
{
    uint8_t *value = abr_counter_address(client->cnc.counters_values, client->cnc.counters_values_length, counter_id);
    if (NULL == value)
    {
        abr_error_set(
            ABR_ERROR_INTERNAL, "counter id from the driver out of range: counterId=%d, registrationId=%lld", counter_id,
            (long long)registration_id);
        return NULL;
    }
    abr_counter_t *counter = calloc(1, sizeof(*counter));
    if (NULL == counter)
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for the counter: counterId=%d", counter_id);
        return NULL;
    }
    counter->client = client;
    counter->counter_id = counter_id;
    counter->type_id = type_id;
    counter->registration_id = registration_id;
    counter->value = value;
    return counter;
}

void abr_counter_on_unavailable(abr_counter_t *counter)
{
    if (0 == abr_load_int_acquire(&counter->closed))
    {
        counter->freed_by_driver = true;
        abr_store_int_release(&counter->closed, 1);
    }
}

void abr_counter_release(abr_counter_t *counter)
{
    free(counter);
}

static int abr_counter_check_lengths(
    const uint8_t *key, size_t key_length, const char *label, size_t label_length, int32_t type_id)
{
    if ((NULL == key && key_length > 0) || (NULL == label && label_length > 0))
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "add counter: %s must not be null when its length is > 0: typeId=%d, "
            "keyLength=%zu, labelLength=%zu", NULL == key && key_length > 0 ? "key" : "label", type_id, key_length,
            label_length);
    }
    if (key_length > ABR_COUNTER_MAX_KEY_LENGTH || label_length > ABR_COUNTER_MAX_LABEL_LENGTH)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "add counter: %s length out of bounds: typeId=%d, keyLength=%zu (max %d), "
            "labelLength=%zu (max %d)", key_length > ABR_COUNTER_MAX_KEY_LENGTH ? "key" : "label", type_id, key_length,
            ABR_COUNTER_MAX_KEY_LENGTH, label_length, ABR_COUNTER_MAX_LABEL_LENGTH);
    }
    return 0;
}

/* What ADD_COUNTER carries besides the type id (the pending add's stream id). */
typedef struct abr_counter_command_stct
{
    const uint8_t *key;
    size_t key_length;
    const char *label;
    size_t label_length;
}
abr_counter_command_t;

static int abr_counter_send_add(abr_client_t *client, const abr_async_add_t *pending, const void *command)
{
    const abr_counter_command_t *counter = command;
    if (abr_driver_proxy_add_counter(
        &client->driver_proxy, pending->correlation_id, pending->stream_id, counter->key, (int32_t)counter->key_length,
        (const uint8_t *)counter->label, (int32_t)counter->label_length) < 0)
    {
        return abr_error_prefix("could not send the add counter command: typeId=%d: ", pending->stream_id);
    }
    return 0;
}

int abr_client_async_add_counter(
    abr_async_add_t **async, abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length,
    const char *label, size_t label_length)
{
    if (NULL == async)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "add counter: async out-pointer must not be null: typeId=%d",
            type_id);
    }
    *async = NULL;
    if (NULL == client)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "add counter: client must not be null: typeId=%d", type_id);
    }
    if (abr_counter_check_lengths(key, key_length, label, label_length, type_id) < 0)
    {
        return -1;
    }

    abr_async_add_t *pending = calloc(1, sizeof(*pending));
    /* The label, NUL-terminated, names the counter in messages. */
    char *label_copy = malloc(label_length + 1);
    if (NULL == pending || NULL == label_copy)
    {
        free(pending);
        free(label_copy);
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory adding a counter: typeId=%d", type_id);
    }
    if (label_length > 0)
    {
        memcpy(label_copy, label, label_length);
    }
    label_copy[label_length] = '\0';
    pending->kind = ABR_PENDING_COUNTER;
    pending->channel = label_copy;
    pending->stream_id = type_id;
    const abr_counter_command_t command = { key, key_length, label, label_length };
    return abr_async_submit(async, client, pending, abr_counter_send_add, &command);
}

int abr_async_add_counter_poll(abr_counter_t **counter, abr_async_add_t *async)
{
    if (NULL == counter)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "poll: counter out-pointer must not be null");
    }
    *counter = NULL;
    void *result = NULL;
    int status = abr_async_poll_kind(async, ABR_PENDING_COUNTER, &result, NULL);
    if (1 == status)
    {
        *counter = result;
    }
    return status;
}

int abr_client_add_counter(
    abr_counter_t **counter, abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length,
    const char *label, size_t label_length)
{
    if (NULL == counter)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "add counter: counter out-pointer must not be null: typeId=%d",
            type_id);
    }
    *counter = NULL;
    abr_async_add_t *async = NULL;
    void *result = NULL;
    if (abr_client_async_add_counter(&async, client, type_id, key, key_length, label, label_length) < 0 ||
        abr_async_await_kind(async, ABR_PENDING_COUNTER, &result, NULL) < 0)
    {
        return -1;
    }
    *counter = result;
    return 0;
}

/* The counter is usable: 0, or -1 with the error set (NULL, closed by whom, or its client closed). */
static int abr_counter_check(abr_counter_t *counter, const char *what)
{
    if (NULL == counter)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "counter %s: counter must not be null", what);
    }
    if (abr_conductor_is_closed(counter->client))
    {
        return abr_conductor_closed_error(counter->client);
    }
    if (0 != abr_load_int_acquire(&counter->closed))
    {
        return abr_error_set(
            ABR_ERROR_CLOSED, "counter %s: counter is closed%s: counterId=%d, registrationId=%lld, typeId=%d", what,
            counter->freed_by_driver ? " (freed by the Media Driver)" : "", counter->counter_id,
            (long long)counter->registration_id, counter->type_id);
    }
    return 0;
}

int abr_counter_set(abr_counter_t *counter, int64_t value)
{
    if (abr_counter_check(counter, "set") < 0)
    {
        return -1;
    }
    abr_put_int64_release(counter->value, value);
    return 0;
}

int abr_counter_get(abr_counter_t *counter, int64_t *value)
{
    if (NULL == value)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "counter get: value out-pointer must not be null");
    }
    if (abr_counter_check(counter, "get") < 0)
    {
        return -1;
    }
    *value = abr_get_int64_acquire(counter->value);
    return 0;
}

int abr_counter_increment(abr_counter_t *counter, int64_t *previous)
{
    if (abr_counter_check(counter, "increment") < 0)
    {
        return -1;
    }
    int64_t before = abr_get_and_add_int64(counter->value, 1);
    if (NULL != previous)
    {
        *previous = before;
    }
    return 0;
}

int32_t abr_counter_id(abr_counter_t *counter)
{
    return NULL == counter ? -1 : counter->counter_id;
}

int64_t abr_counter_registration_id(abr_counter_t *counter)
{
    return NULL == counter ? -1 : counter->registration_id;
}

bool abr_counter_is_closed(abr_counter_t *counter)
{
    return NULL == counter || 0 != abr_load_int_acquire(&counter->closed) || abr_conductor_is_closed(counter->client);
}

int abr_counter_close(abr_counter_t *counter)
{
    if (NULL == counter || 0 != abr_load_int_acquire(&counter->closed))
    {
        return 0;
    }
    abr_client_t *client = counter->client;
    pthread_mutex_lock(&client->lock);
    int result = 0;
    /* Under the lock: the conductor may have seen the driver free it meanwhile, and then nothing is to be removed. */
    if (0 == abr_load_int_acquire(&counter->closed))
    {
        abr_store_int_release(&counter->closed, 1);
        if (!abr_conductor_is_closed(client))
        {
            result = abr_driver_proxy_remove_counter(
                &client->driver_proxy, abr_ring_buffer_next_correlation_id(&client->to_driver),
                counter->registration_id);
        }
    }
    pthread_mutex_unlock(&client->lock);
    return result < 0 ? abr_error_prefix("counter close: counterId=%d, registrationId=%lld: ", counter->counter_id,
        (long long)counter->registration_id) : 0;
}

int abr_counter_mapping(abr_counter_t *counter, abr_counter_mapping_t *mapping)
{
    if (NULL == mapping)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "counter mapping: mapping must not be null");
    }
    if (abr_counter_check(counter, "mapping") < 0)
    {
        return -1;
    }
    mapping->value = counter->value;
    mapping->closed = &counter->closed;
    mapping->client_closed = &counter->client->closed_code;
    return 0;
}
