/*
 * Counters in the CnC, laid out as Agrona's CountersReader reads them: a metadata record (state, type id,
 * key, label) and a value record (value, registration id, owner id, reference id) per counter id.
 */
#ifndef ABR_CORE_COUNTERS_H
#define ABR_CORE_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "abr/abr_client.h"

/* CountersReader: COUNTER_LENGTH (each value owns two cache lines) and METADATA_LENGTH, with field offsets. */
#define ABR_COUNTER_LENGTH 128
#define ABR_COUNTER_REGISTRATION_ID_OFFSET 8
#define ABR_COUNTER_METADATA_LENGTH 512
#define ABR_COUNTER_TYPE_ID_OFFSET 4
#define ABR_COUNTER_KEY_OFFSET 16
#define ABR_COUNTER_LABEL_OFFSET 128

/* LocalSocketAddressStatus (aeron-client 1.51.0): the key holds the channel status counter id, then the
 * bound address as an int32 length and ASCII bytes. */
#define ABR_COUNTER_LOCAL_SOCKET_ADDRESS_TYPE_ID 14
#define ABR_LOCAL_SOCKET_ADDRESS_CHANNEL_STATUS_ID_OFFSET 0
#define ABR_LOCAL_SOCKET_ADDRESS_LENGTH_OFFSET 4
#define ABR_LOCAL_SOCKET_ADDRESS_STRING_OFFSET 8

/* The address of a counter's value, or NULL when the id lies outside the values buffer. */
uint8_t *abr_counter_address(uint8_t *values, size_t values_length, int32_t counter_id);

/* A channel status as io.aeron's ClientConductor.channelStatus reads it (no id: ACTIVE; id 0: INITIALIZING). */
int64_t abr_client_channel_status(abr_client_t *client, int32_t channel_status_id);

#endif
