/*
 * Reading the driver's to-clients broadcast buffer. The driver never waits for readers: a reader
 * that falls a whole buffer behind is lapped, and catches up at the latest record.
 */
#ifndef ABR_CORE_BROADCAST_RECEIVER_H
#define ABR_CORE_BROADCAST_RECEIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Trailer after the data, from Agrona's BroadcastBufferDescriptor. */
#define ABR_BROADCAST_TAIL_INTENT_COUNTER_OFFSET 0
#define ABR_BROADCAST_TAIL_COUNTER_OFFSET 8
#define ABR_BROADCAST_LATEST_COUNTER_OFFSET 16
#define ABR_BROADCAST_TRAILER_LENGTH 128

/* Agrona's broadcast RecordDescriptor: int32 length (header included), int32 type, 8-byte aligned. */
#define ABR_BROADCAST_RECORD_HEADER_LENGTH 8
#define ABR_BROADCAST_RECORD_ALIGNMENT 8
#define ABR_BROADCAST_PADDING_MSG_TYPE_ID (-1)

/* Room for a record header and a non-empty scratch (an eighth of the capacity). */
#define ABR_BROADCAST_MIN_CAPACITY 64

typedef void (*abr_broadcast_handler_t)(void *clientd, int32_t msg_type_id, const uint8_t *msg, size_t length);

typedef struct abr_broadcast_receiver_stct
{
    uint8_t *buffer;
    int64_t capacity;
    int64_t next_record;
    int64_t lapped_count;
    uint8_t *scratch;
    size_t scratch_length;
    bool corrupt;
}
abr_broadcast_receiver_t;

int abr_broadcast_receiver_init(abr_broadcast_receiver_t *receiver, uint8_t *buffer, size_t length);
void abr_broadcast_receiver_close(abr_broadcast_receiver_t *receiver);

/* Hand each complete, still valid message to the handler (copied, so a lapping writer cannot
 * change it underfoot); returns how many were handed over. A record no transmitter writes (a damaged CnC) is never
 * read outside the buffer: -1 with ABR_ERROR_IO, then and on every later call. */
int abr_broadcast_receiver_receive(abr_broadcast_receiver_t *receiver, abr_broadcast_handler_t handler, void *clientd);

#endif
