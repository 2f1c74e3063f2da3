#include <stdlib.h>
#include <string.h>

#include "abr/abr_client.h"
#include "error.h"
#include "log_buffers.h"

/* Enough for most messages without growing; larger ones double it, once. */
#define ABR_ASSEMBLER_INITIAL_CAPACITY 4096

typedef struct abr_assembly_buffer_stct
{
    uint8_t *data;
    size_t length;
    size_t capacity;
    int32_t session_id;
    bool active;
}
abr_assembly_buffer_t;

/* One buffer per publisher session, as Aeron's assemblers keep: a poll may stop in the middle of one
 * image's message and go on with another image, whose fragments must not disturb it. */
typedef struct abr_assembly_sessions_stct
{
    abr_assembly_buffer_t *buffers;
    int count;
    int capacity;
}
abr_assembly_sessions_t;

struct abr_fragment_assembler_stct
{
    abr_fragment_handler_t delegate;
    void *delegate_clientd;
    abr_assembly_sessions_t sessions;
};

struct abr_controlled_fragment_assembler_stct
{
    abr_controlled_fragment_handler_t delegate;
    void *delegate_clientd;
    abr_assembly_sessions_t sessions;
};

static int abr_assembly_init(abr_assembly_buffer_t *buffer)
{
    memset(buffer, 0, sizeof(*buffer));
    buffer->data = malloc(ABR_ASSEMBLER_INITIAL_CAPACITY);
    if (NULL == buffer->data)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for a fragment assembler");
    }
    buffer->capacity = ABR_ASSEMBLER_INITIAL_CAPACITY;
    return 0;
}

/* The session's buffer; a new one (allocated once per session, never per message) only when create is set. */
static abr_assembly_buffer_t *abr_assembly_for_session(abr_assembly_sessions_t *sessions, int32_t session_id, bool create)
{
    for (int i = 0; i < sessions->count; i++)
    {
        if (sessions->buffers[i].session_id == session_id)
        {
            return &sessions->buffers[i];
        }
    }
    if (!create)
    {
        return NULL;
    }
    if (sessions->count == sessions->capacity)
    {
        int capacity = 0 == sessions->capacity ? 2 : sessions->capacity * 2;
        abr_assembly_buffer_t *buffers = realloc(sessions->buffers, (size_t)capacity * sizeof(*buffers));
        if (NULL == buffers)
        {
            return NULL;
        }
        sessions->buffers = buffers;
        sessions->capacity = capacity;
    }
    abr_assembly_buffer_t *buffer = &sessions->buffers[sessions->count];
    if (abr_assembly_init(buffer) < 0)
    {
        return NULL;
    }
    buffer->session_id = session_id;
    sessions->count++;
    return buffer;
}

static void abr_assembly_sessions_free(abr_assembly_sessions_t *sessions)
{
    for (int i = 0; i < sessions->count; i++)
    {
        free(sessions->buffers[i].data);
    }
    free(sessions->buffers);
}

/* false when the buffer cannot grow: the message is dropped rather than delivered corrupt. */
static bool abr_assembly_append(abr_assembly_buffer_t *buffer, const uint8_t *fragment, size_t length)
{
    if (0 == length)
    {
        /* An empty fragment may come without bytes to point at, and memcpy must not be given a NULL source. */
        return true;
    }
    size_t needed = buffer->length + length;
    if (needed > ABR_MAX_MESSAGE_LENGTH)
    {
        /* No publication sends a message over 16 MiB (Aeron's FrameDescriptor.MAX_MESSAGE_LENGTH): fragments that
         * add up to more come from a broken or hostile sender, and would grow the buffer without bound. */
        return false;
    }
    if (needed > buffer->capacity)
    {
        size_t capacity = buffer->capacity;
        while (capacity < needed)
        {
            capacity *= 2;
        }
        uint8_t *data = realloc(buffer->data, capacity);
        if (NULL == data)
        {
            return false;
        }
        buffer->data = data;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, fragment, length);
    buffer->length = needed;
    return true;
}

/* Feed one fragment; returns true when buffer holds a whole message ready for the delegate. */
static bool abr_assembly_on_fragment(
    abr_assembly_buffer_t *buffer, const uint8_t *fragment, size_t length, const abr_header_t *header)
{
    uint8_t flags = header->flags;
    if (0 != (flags & ABR_FRAME_BEGIN_FLAG))
    {
        buffer->length = 0;
        buffer->session_id = header->session_id;
        buffer->active = abr_assembly_append(buffer, fragment, length);
        return false;
    }
    if (!buffer->active || buffer->session_id != header->session_id)
    {
        return false;
    }
    if (!abr_assembly_append(buffer, fragment, length))
    {
        buffer->active = false;
        return false;
    }
    return 0 != (flags & ABR_FRAME_END_FLAG);
}

/* The header the delegate sees for a reassembled message: the last fragment's, spanning it all. */
static void abr_assembly_header(const abr_assembly_buffer_t *buffer, const abr_header_t *last, abr_header_t *out)
{
    *out = *last;
    out->flags = ABR_FRAME_UNFRAGMENTED;
    out->frame_length = (int32_t)buffer->length + 32;
}

/* A fragment the handlers cannot use: the handlers return nothing to fail with, so they drop it. */
static bool abr_assembly_unusable(const void *assembler, const uint8_t *buffer, size_t length, const abr_header_t *header)
{
    return NULL == assembler || NULL == header || (NULL == buffer && length > 0);
}

/* A fragment without its bytes leaves a hole in its session's message: deliver none of it rather than a corrupt one. */
static void abr_assembly_abandon(abr_assembly_sessions_t *sessions, const abr_header_t *header)
{
    abr_assembly_buffer_t *assembly = abr_assembly_for_session(sessions, header->session_id, false);
    if (NULL != assembly)
    {
        assembly->active = false;
    }
}

static int abr_assembler_check_init(void *assembler_out, const void *delegate, const char *what)
{
    if (NULL == assembler_out)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s init: assembler out-pointer must not be null", what);
    }
    if (NULL == delegate)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s init: delegate must not be null", what);
    }
    return 0;
}

int abr_fragment_assembler_init(
    abr_fragment_assembler_t **assembler, abr_fragment_handler_t delegate, void *delegate_clientd)
{
    if (NULL != assembler)
    {
        *assembler = NULL;
    }
    if (abr_assembler_check_init(assembler, (const void *)delegate, "fragment assembler") < 0)
    {
        return -1;
    }
    abr_fragment_assembler_t *a = calloc(1, sizeof(*a));
    if (NULL == a)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for a fragment assembler");
    }
    a->delegate = delegate;
    a->delegate_clientd = delegate_clientd;
    *assembler = a;
    return 0;
}

int abr_fragment_assembler_close(abr_fragment_assembler_t *assembler)
{
    if (NULL != assembler)
    {
        abr_assembly_sessions_free(&assembler->sessions);
        free(assembler);
    }
    return 0;
}

void abr_fragment_assembler_handler(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_fragment_assembler_t *assembler = clientd;
    if (abr_assembly_unusable(assembler, buffer, length, header))
    {
        if (NULL != assembler && NULL != header)
        {
            abr_assembly_abandon(&assembler->sessions, header);
        }
        return;
    }
    if (ABR_FRAME_UNFRAGMENTED == (header->flags & ABR_FRAME_UNFRAGMENTED))
    {
        assembler->delegate(assembler->delegate_clientd, buffer, length, header);
        return;
    }
    abr_assembly_buffer_t *assembly = abr_assembly_for_session(
        &assembler->sessions, header->session_id, 0 != (header->flags & ABR_FRAME_BEGIN_FLAG));
    if (NULL != assembly && abr_assembly_on_fragment(assembly, buffer, length, header))
    {
        abr_header_t whole;
        abr_assembly_header(assembly, header, &whole);
        assembly->active = false;
        assembler->delegate(assembler->delegate_clientd, assembly->data, assembly->length, &whole);
    }
}

int abr_controlled_fragment_assembler_init(
    abr_controlled_fragment_assembler_t **assembler, abr_controlled_fragment_handler_t delegate, void *delegate_clientd)
{
    if (NULL != assembler)
    {
        *assembler = NULL;
    }
    if (abr_assembler_check_init(assembler, (const void *)delegate, "controlled fragment assembler") < 0)
    {
        return -1;
    }
    abr_controlled_fragment_assembler_t *a = calloc(1, sizeof(*a));
    if (NULL == a)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory for a fragment assembler");
    }
    a->delegate = delegate;
    a->delegate_clientd = delegate_clientd;
    *assembler = a;
    return 0;
}

int abr_controlled_fragment_assembler_close(abr_controlled_fragment_assembler_t *assembler)
{
    if (NULL != assembler)
    {
        abr_assembly_sessions_free(&assembler->sessions);
        free(assembler);
    }
    return 0;
}

abr_controlled_action_t abr_controlled_fragment_assembler_handler(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_controlled_fragment_assembler_t *assembler = clientd;
    if (abr_assembly_unusable(assembler, buffer, length, header))
    {
        if (NULL != assembler && NULL != header)
        {
            abr_assembly_abandon(&assembler->sessions, header);
        }
        return ABR_ACTION_CONTINUE;
    }
    if (ABR_FRAME_UNFRAGMENTED == (header->flags & ABR_FRAME_UNFRAGMENTED))
    {
        return assembler->delegate(assembler->delegate_clientd, buffer, length, header);
    }

    abr_assembly_buffer_t *assembly = abr_assembly_for_session(
        &assembler->sessions, header->session_id, 0 != (header->flags & ABR_FRAME_BEGIN_FLAG));
    if (NULL == assembly)
    {
        return ABR_ACTION_CONTINUE;
    }
    size_t length_before = assembly->length;
    bool was_active = assembly->active;
    if (!abr_assembly_on_fragment(assembly, buffer, length, header))
    {
        return ABR_ACTION_CONTINUE;
    }

    abr_header_t whole;
    abr_assembly_header(assembly, header, &whole);
    abr_controlled_action_t action = assembler->delegate(assembler->delegate_clientd, assembly->data, assembly->length, &whole);
    if (ABR_ACTION_ABORT == action)
    {
        /* Only the END fragment is redelivered after an abort: keep what came before it. */
        assembly->length = length_before;
        assembly->active = was_active;
    }
    else
    {
        assembly->active = false;
    }
    return action;
}
