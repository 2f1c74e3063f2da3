/*
 * A channel URI written with its parameters in the order io.aeron.ChannelUri.toString() gives them. AeronArchive's
 * recorded-publication calls send ChannelUri.addSessionId(channel, sessionId) to the Archive, which keeps that text as
 * the recording's original channel; for our catalogue entries to read the same (and a listRecordingsForUri fragment to
 * match the same), we must write the same text. ChannelUri keeps its parameters in an Agrona Object2ObjectHashMap and
 * writes them in that map's iteration order, which follows from a few facts of Agrona 2.4.1 (the version aeron-client
 * 1.51.0 is built with), simulated here:
 * - the map starts with 8 slots and doubles when its size passes (int)(slots * 0.65f), moving the entries in slot
 *   order into the larger table;
 * - a key's first slot comes from String.hashCode() (UTF-16 code units) mixed by Hashing.hash(int) and spread by
 *   Hashing.evenHash; a taken slot sends the key on to the next slot, wrapping;
 * - iteration walks the slots downwards, starting below the first free slot when the last slot is taken (so that a
 *   run of taken slots wrapping round the end is walked in one piece), else from the last slot.
 * Parameters are put in the order the URI holds them (parse order, a key given twice in its first place), as
 * ChannelUri.parse and put do.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channel_uri.h"
#include "error.h"

#define ABR_MAP_INITIAL_SLOTS 8
#define ABR_MAP_LOAD_FACTOR 0.65f
/* Agrona's Hashing.hash(int) multiplier. */
#define ABR_MAP_HASH_MULTIPLIER 0x119de1f3u
#define ABR_UTF16_REPLACEMENT 0xfffdu

/* One UTF-8 sequence at *cursor as a code point, advancing the cursor; a malformed byte counts as U+FFFD, as Java's
 * decoder replaces it. */
static uint32_t abr_map_next_code_point(const unsigned char **cursor)
{
    const unsigned char *s = *cursor;
    uint32_t lead = s[0];
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
    if (0 == length)
    {
        *cursor = s + 1;
        return ABR_UTF16_REPLACEMENT;
    }
    uint32_t code_point = 1 == length ? lead : lead & (0x7fu >> length);
    for (size_t i = 1; i < length; i++)
    {
        if ((s[i] & 0xc0) != 0x80)
        {
            *cursor = s + 1;
            return ABR_UTF16_REPLACEMENT;
        }
        code_point = (code_point << 6) | (s[i] & 0x3fu);
    }
    *cursor = s + length;
    return code_point;
}

/* String.hashCode() of the key as Java holds it: 31 * h + c over its UTF-16 code units, wrapping at 32 bits. */
static uint32_t abr_map_java_string_hash(const char *key)
{
    uint32_t hash = 0;
    const unsigned char *cursor = (const unsigned char *)key;
    while ('\0' != *cursor)
    {
        uint32_t code_point = abr_map_next_code_point(&cursor);
        if (code_point >= 0x10000)
        {
            code_point -= 0x10000;
            hash = 31u * hash + (0xd800u + (code_point >> 10));
            hash = 31u * hash + (0xdc00u + (code_point & 0x3ffu));
        }
        else
        {
            hash = 31u * hash + code_point;
        }
    }
    return hash;
}

/* The first slot of a key in a table of slot_count slots (a power of two). */
static size_t abr_map_first_slot(uint32_t key_hash, size_t slot_count)
{
    uint32_t x = key_hash;
    x = (x ^ (x >> 16)) * ABR_MAP_HASH_MULTIPLIER;
    x = (x ^ (x >> 16)) * ABR_MAP_HASH_MULTIPLIER;
    x = x ^ (x >> 16);
    /* evenHash: an even index into the table's key/value pairs, i.e. twice a slot number. */
    uint32_t even_index = ((x << 1) - (x << 8)) & (uint32_t)(2 * slot_count - 1);
    return even_index / 2;
}

static void abr_map_place(int *slots, size_t slot_count, const uint32_t *hashes, int param)
{
    size_t slot = abr_map_first_slot(hashes[param], slot_count);
    while (slots[slot] >= 0)
    {
        slot = (slot + 1) & (slot_count - 1);
    }
    slots[slot] = param;
}

char *abr_channel_uri_to_string_in_map_order(const abr_channel_uri_t *uri)
{
    if (NULL == uri)
    {
        abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "channel URI to string: uri must not be null");
        return NULL;
    }
    /* ABR_CHANNEL_URI_MAX_PARAMS (32) parameters never need more than 64 slots (32 > (int)(32 * 0.65f)). */
    enum { max_slots = 64 };
    int slots[max_slots];
    int moved[max_slots];
    uint32_t hashes[ABR_CHANNEL_URI_MAX_PARAMS];
    size_t slot_count = ABR_MAP_INITIAL_SLOTS;
    for (size_t i = 0; i < max_slots; i++)
    {
        slots[i] = -1;
    }

    for (size_t i = 0; i < uri->param_count; i++)
    {
        hashes[i] = abr_map_java_string_hash(uri->params[i].key);
        abr_map_place(slots, slot_count, hashes, (int)i);
        /* The threshold as Java computes it: a float product, truncated to int. */
        const int32_t threshold = (int32_t)((float)slot_count * ABR_MAP_LOAD_FACTOR);
        if ((int32_t)(i + 1) > threshold)
        {
            memcpy(moved, slots, sizeof(moved));
            const size_t old_count = slot_count;
            slot_count *= 2;
            for (size_t s = 0; s < max_slots; s++)
            {
                slots[s] = -1;
            }
            for (size_t s = 0; s < old_count; s++)
            {
                if (moved[s] >= 0)
                {
                    abr_map_place(slots, slot_count, hashes, moved[s]);
                }
            }
        }
    }

    abr_channel_uri_t ordered = *uri;
    size_t stop = slot_count;
    if (slots[slot_count - 1] >= 0)
    {
        for (stop = 0; stop < slot_count && slots[stop] >= 0; stop++)
        {
        }
    }
    size_t next = 0;
    for (size_t step = 1; step <= slot_count; step++)
    {
        const int param = slots[(stop + slot_count - step) & (slot_count - 1)];
        if (param >= 0)
        {
            ordered.params[next++] = uri->params[param];
        }
    }
    return abr_channel_uri_to_string(&ordered);
}
