/*
 * Safe first look at a message from the archive: its SBE header, checked against the fragment's
 * length, before any codec reads a field.
 */
#ifndef ABR_ARCHIVE_MESSAGE_H
#define ABR_ARCHIVE_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "abr_codecs/messageHeader.h"

/* The schema id of aeron-archive-codecs.xml; messages of any other schema are not ours to read. */
#define ABR_ARCHIVE_SCHEMA_ID 101

typedef struct abr_archive_message_stct
{
    char *body;
    uint64_t body_length;
    uint16_t template_id;
    uint16_t block_length;
    uint16_t version;
}
abr_archive_message_t;

/* 0 when the fragment holds a header of our schema whose block fits; -1 otherwise (no error set). */
static inline int abr_archive_message_read(abr_archive_message_t *message, const uint8_t *buffer, size_t length)
{
    struct abr_codecs_messageHeader header;
    const uint64_t header_length = abr_codecs_messageHeader_encoded_length();
    if (length < header_length ||
        NULL == abr_codecs_messageHeader_wrap(
            &header, (char *)buffer, 0, abr_codecs_messageHeader_sbe_schema_version(), length))
    {
        return -1;
    }
    if (ABR_ARCHIVE_SCHEMA_ID != abr_codecs_messageHeader_schemaId(&header))
    {
        return -1;
    }

    message->template_id = abr_codecs_messageHeader_templateId(&header);
    message->block_length = abr_codecs_messageHeader_blockLength(&header);
    message->version = abr_codecs_messageHeader_version(&header);
    message->body = (char *)buffer + header_length;
    message->body_length = length - header_length;
    return message->block_length <= message->body_length ? 0 : -1;
}

/* Copy a length-prefixed string at a codec position into dst (NUL-terminated, truncated to fit).
 * Returns the number of bytes the field takes (4 + its length), or 0 when it does not fit the message. */
static inline uint64_t abr_archive_message_copy_string(
    const char *message_buffer, uint64_t message_length, uint64_t position, char *dst, size_t dst_capacity)
{
    if (position + 4 > message_length)
    {
        return 0;
    }
    uint32_t field_length;
    memcpy(&field_length, message_buffer + position, sizeof(field_length));
    field_length = SBE_LITTLE_ENDIAN_ENCODE_32(field_length);
    if (position + 4 + field_length > message_length)
    {
        return 0;
    }
    size_t copy_length = field_length < dst_capacity - 1 ? field_length : dst_capacity - 1;
    memcpy(dst, message_buffer + position + 4, copy_length);
    dst[copy_length] = '\0';
    return 4 + (uint64_t)field_length;
}

#endif
