/*
 * The counters of a damaged or hostile CnC file: metadata and values records are the fuzzer's, and every reading
 * the client does over them runs (value, state, type, registration id, label, key, find by type and key, the local
 * socket address, the control protocol version, a channel status), for ids in and out of range. The buffers are
 * heap blocks of their exact sizes.
 */
#include <stdlib.h>

#include "core/conductor.h"
#include "core/counters.h"
#include "fuzz_input.h"

static volatile unsigned g_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    uint8_t shape = abr_fuzz_u8(&input);
    size_t counters = (size_t)(shape & 7);
    /* Metadata and values may disagree on how many counters there are, and either may end mid-record. */
    size_t metadata_length = counters * ABR_COUNTER_METADATA_LENGTH + ((shape & 0x08) ? 100 : 0);
    size_t values_length = ((shape & 0x10) ? counters + 1 : counters) * ABR_COUNTER_LENGTH + ((shape & 0x20) ? 8 : 0);

    abr_client_t *client = calloc(1, sizeof(*client));
    uint8_t *metadata = malloc(metadata_length > 0 ? metadata_length : 1);
    uint8_t *values = malloc(values_length > 0 ? values_length : 1);
    if (NULL == client || NULL == metadata || NULL == values)
    {
        free(client);
        free(metadata);
        free(values);
        return 0;
    }
    abr_fuzz_take(&input, metadata, metadata_length);
    abr_fuzz_take(&input, values, values_length);
    client->dir = "fuzz";
    client->client_name = "fuzz";
    client->cnc.counters_metadata = metadata;
    client->cnc.counters_metadata_length = metadata_length;
    client->cnc.counters_values = values;
    client->cnc.counters_values_length = values_length;

    int32_t max_id = abr_counters_max_counter_id(client);
    for (int32_t id = -1; id <= max_id + 1; id++)
    {
        int64_t value;
        int32_t number;
        char label[ABR_COUNTER_MAX_LABEL_LENGTH + 1];
        uint8_t key[ABR_COUNTER_MAX_KEY_LENGTH];
        if (abr_counters_value(client, id, &value) == 0)
        {
            g_sink += (unsigned)value;
        }
        abr_counters_state(client, id, &number);
        abr_counters_type_id(client, id, &number);
        abr_counters_registration_id(client, id, &value);
        int label_length = abr_counters_label(client, id, label, sizeof(label));
        if (label_length >= 0)
        {
            g_sink += abr_fuzz_touch((const uint8_t *)label, strlen(label));
        }
        char short_label[5];
        abr_counters_label(client, id, short_label, sizeof(short_label));
        int key_length = abr_counters_key(client, id, key, sizeof(key));
        if (key_length > 0)
        {
            g_sink += abr_fuzz_touch(key, (size_t)key_length);
        }
        g_sink += (unsigned)abr_client_channel_status(client, id);
        g_sink += abr_counters_is_active(client, id, abr_fuzz_i32(&input), key, sizeof(int64_t)) ? 1 : 0;
    }

    int32_t found;
    uint8_t wanted_key[8];
    abr_fuzz_take(&input, wanted_key, sizeof(wanted_key));
    abr_counters_find_by_type_id_and_key(client, abr_fuzz_i32(&input), wanted_key, sizeof(wanted_key), &found);
    abr_counters_find_by_type_id_and_key(client, abr_fuzz_i32(&input), NULL, 0, &found);
    g_sink += (unsigned)abr_counters_control_protocol_version(client);
    char address[64];
    char tiny[3];
    abr_client_find_local_socket_address(client, abr_fuzz_i32(&input), address, sizeof(address));
    abr_client_find_local_socket_address(client, abr_fuzz_i32(&input), tiny, sizeof(tiny));
    g_sink += (unsigned)abr_client_channel_status(client, abr_fuzz_i32(&input));

    free(values);
    free(metadata);
    free(client);
    return 0;
}
