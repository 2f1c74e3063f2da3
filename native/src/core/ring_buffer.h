/*
 * The many-to-one ring buffer every client writes its commands to and the driver reads.
 */
#ifndef ABR_CORE_RING_BUFFER_H
#define ABR_CORE_RING_BUFFER_H

#include <stddef.h>
#include <stdint.h>

/* Trailer layout after the data, from Agrona's RingBufferDescriptor: each field on its own pair of cache lines. */
#define ABR_RB_TAIL_POSITION_OFFSET 128
#define ABR_RB_HEAD_CACHE_POSITION_OFFSET 256
#define ABR_RB_HEAD_POSITION_OFFSET 384
#define ABR_RB_CORRELATION_COUNTER_OFFSET 512
#define ABR_RB_CONSUMER_HEARTBEAT_OFFSET 640
#define ABR_RB_TRAILER_LENGTH 768

/* Agrona's ring buffer RecordDescriptor: int32 length (header included) then int32 type, 8-byte aligned. */
#define ABR_RB_RECORD_HEADER_LENGTH 8
#define ABR_RB_RECORD_ALIGNMENT 8
#define ABR_RB_PADDING_MSG_TYPE_ID (-1)

/* Room for the largest record header and alignment many times over; Aeron's are megabytes. */
#define ABR_RB_MIN_CAPACITY 64

typedef struct abr_ring_buffer_stct
{
    uint8_t *buffer;
    int32_t capacity;
    int32_t max_msg_length;
}
abr_ring_buffer_t;

typedef void (*abr_ring_buffer_handler_t)(void *clientd, int32_t msg_type_id, const uint8_t *msg, int32_t length);

/* length covers the data and the trailer; the data part must be a power of two. */
int abr_ring_buffer_init(abr_ring_buffer_t *ring_buffer, uint8_t *buffer, size_t length);

/* 0 when written, -1 with ABR_ERROR_BUFFER_FULL when there is no room (or the message is too long), -1 with
 * ABR_ERROR_IO when head and tail are ones no reader or writer leaves (a damaged CnC file). */
int abr_ring_buffer_write(abr_ring_buffer_t *ring_buffer, int32_t msg_type_id, const uint8_t *msg, int32_t length);

int64_t abr_ring_buffer_next_correlation_id(abr_ring_buffer_t *ring_buffer);

/* Epoch ms of the consumer's (the driver's) last heartbeat. */
int64_t abr_ring_buffer_consumer_heartbeat_time(abr_ring_buffer_t *ring_buffer);

/* The consumer's side, as the driver does it: read up to limit messages. Used by tests. -1 with ABR_ERROR_IO when
 * the first record, or the head, could only come from a damaged buffer; a later bad record ends the read there. */
int abr_ring_buffer_read(abr_ring_buffer_t *ring_buffer, abr_ring_buffer_handler_t handler, void *clientd, int limit);

#endif
