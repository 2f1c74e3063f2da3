/*
 * Counters in the CnC, laid out as Agrona's CountersReader reads them: a metadata record (state, type id,
 * key, label) and a value record (value, registration id, owner id, reference id) per counter id.
 */
#ifndef ABR_CORE_COUNTERS_H
#define ABR_CORE_COUNTERS_H

#include <stdbool.h>
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

/* HeartbeatTimestamp: the driver's counter of a client's last heartbeat, keyed by the client id. */
#define ABR_COUNTER_CLIENT_HEARTBEAT_TYPE_ID 11
/* AeronCounters.SYSTEM_COUNTER_ID_CONTROL_PROTOCOL_VERSION, a system counter (type 0) whose registration
 * id is its own id; drivers before it have no such counter. */
#define ABR_COUNTER_CONTROL_PROTOCOL_VERSION_ID 43
#define ABR_COUNTER_SYSTEM_TYPE_ID 0

/* The address of a counter's value, or NULL when the id lies outside the values buffer. */
uint8_t *abr_counter_address(uint8_t *values, size_t values_length, int32_t counter_id);

/* The highest counter id the CnC has room for (no argument checks). */
int32_t abr_counters_highest_id(const abr_client_t *client);

/* A counter's metadata record (state, type id at ABR_COUNTER_TYPE_ID_OFFSET, key at ABR_COUNTER_KEY_OFFSET), or NULL
 * for an id out of range (no other checks). */
const uint8_t *abr_counters_metadata_record(const abr_client_t *client, int32_t counter_id);

/* A channel status as io.aeron's ClientConductor.channelStatus reads it (no id: ACTIVE; id 0: INITIALIZING). */
int64_t abr_client_channel_status(abr_client_t *client, int32_t channel_status_id);

/* The first allocated counter of this type whose key starts with key, or -1: no argument checks. */
int32_t abr_counters_find(abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length);

/* StreamCounter keys (aeron-client 1.51.0): registration id (int64), session id, stream id (int32 each), channel. The
 * driver's subscriber position of an image is AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID. */
#define ABR_COUNTER_SUBSCRIBER_POSITION_TYPE_ID 4
#define ABR_STREAM_COUNTER_SESSION_ID_OFFSET 8
#define ABR_STREAM_COUNTER_STREAM_ID_OFFSET 12

#define ABR_STREAM_COUNTER_CHANNEL_LENGTH_OFFSET 16
#define ABR_STREAM_COUNTER_CHANNEL_OFFSET 20

/* How many subscriber positions of this session and stream the driver holds (every subscriber's image of one
 * publication), with the lowest of them in *min_position when there is one: no argument checks. Spies (a channel
 * of "aeron-spy:...") are left out when receivers_only: their positions say what a reader in this driver took from
 * the publication's own log, not what a receiver of the stream has read. */
int32_t abr_counters_subscriber_positions(
    abr_client_t *client, int32_t session_id, int32_t stream_id, bool receivers_only, int64_t *min_position);

/* The counter is allocated, of this type, and its key starts with key. */
bool abr_counters_is_active(abr_client_t *client, int32_t counter_id, int32_t type_id, const uint8_t *key, size_t key_length);

/* Append text to a counter's label, cut to the room left, as AeronCounters.appendToLabel does. */
void abr_counters_append_label(abr_client_t *client, int32_t counter_id, const char *text);

/* The driver's control protocol version (a SemanticVersion), 0 when it does not publish one. */
int32_t abr_counters_control_protocol_version(abr_client_t *client);

#endif
