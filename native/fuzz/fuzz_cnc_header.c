/*
 * The CnC file's header and layout as a damaged or foreign file could hold them: the client wraps it only when
 * every buffer length it declares fits the file, and then lays its ring buffer, broadcast receiver and counters
 * over it. The file is a heap block of its exact size.
 */
#include <stdlib.h>

#include "core/broadcast_receiver.h"
#include "core/atomics.h"
#include "core/cnc.h"
#include "core/ring_buffer.h"
#include "fuzz_input.h"

static volatile unsigned g_sink;

static void on_message(void *clientd, int32_t msg_type_id, const uint8_t *msg, size_t length)
{
    g_sink += abr_fuzz_touch(msg, length);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *file = malloc(size > 0 ? size : 1);
    if (NULL == file)
    {
        return 0;
    }
    memcpy(file, data, size);

    abr_cnc_t cnc;
    if (size >= ABR_CNC_META_DATA_LENGTH)
    {
        g_sink += (unsigned)abr_cnc_check_version(abr_get_int32(file + ABR_CNC_VERSION_FIELD_OFFSET), "fuzz");
    }
    if (0 == abr_cnc_wrap(&cnc, file, size, "fuzz"))
    {
        if (cnc.to_driver_buffer + cnc.to_driver_length > file + size ||
            cnc.counters_values + cnc.counters_values_length > file + size)
        {
            abort();
        }
        abr_ring_buffer_t to_driver;
        if (0 == abr_ring_buffer_init(&to_driver, cnc.to_driver_buffer, cnc.to_driver_length))
        {
            g_sink += (unsigned)abr_ring_buffer_consumer_heartbeat_time(&to_driver);
            uint8_t command[16] = { 0 };
            abr_ring_buffer_write(&to_driver, 1, command, sizeof(command));
        }
        abr_broadcast_receiver_t to_clients;
        if (0 == abr_broadcast_receiver_init(&to_clients, cnc.to_clients_buffer, cnc.to_clients_length))
        {
            abr_broadcast_receiver_receive(&to_clients, on_message, NULL);
            abr_broadcast_receiver_close(&to_clients);
        }
        g_sink += abr_fuzz_touch(cnc.counters_metadata, cnc.counters_metadata_length > 64 ? 64 : cnc.counters_metadata_length);
    }
    free(file);
    return 0;
}
