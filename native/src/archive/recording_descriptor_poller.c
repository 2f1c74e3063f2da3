#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "abr_codecs/controlResponse.h"
#include "abr_codecs/recordingDescriptor.h"
#include "abr_codecs/recordingSignalEvent.h"
#include "abr_codecs/recordingSubscriptionDescriptor.h"

#include "archive_message.h"
#include "core/error.h"
#include "recording_descriptor_poller.h"

#define ABR_DESCRIPTOR_FRAGMENT_LIMIT 10
#define ABR_DESCRIPTOR_STRINGS_INITIAL_CAPACITY 4096

int abr_recording_descriptor_poller_init(
    abr_recording_descriptor_poller_t *poller, abr_subscription_t *subscription, int64_t control_session_id)
{
    memset(poller, 0, sizeof(*poller));
    poller->subscription = subscription;
    poller->control_session_id = control_session_id;
    poller->strings = malloc(ABR_DESCRIPTOR_STRINGS_INITIAL_CAPACITY);
    if (NULL == poller->strings)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory allocating recording descriptor poller");
    }
    poller->strings_capacity = ABR_DESCRIPTOR_STRINGS_INITIAL_CAPACITY;
    return 0;
}

void abr_recording_descriptor_poller_close(abr_recording_descriptor_poller_t *poller)
{
    abr_controlled_fragment_assembler_close(poller->assembler);
    poller->assembler = NULL;
    free(poller->strings);
    poller->strings = NULL;
}

void abr_recording_descriptor_poller_reset(
    abr_recording_descriptor_poller_t *poller,
    int64_t correlation_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd)
{
    poller->correlation_id = correlation_id;
    poller->remaining_record_count = record_count;
    poller->is_dispatch_complete = false;
    poller->failed = false;
    poller->consumer = consumer;
    poller->subscription_consumer = NULL;
    poller->consumer_clientd = clientd;
    poller->end_code = abr_codecs_controlResponseCode_RECORDING_UNKNOWN;
}

void abr_recording_descriptor_poller_reset_subscriptions(
    abr_recording_descriptor_poller_t *poller,
    int64_t correlation_id,
    int32_t subscription_count,
    abr_archive_recording_subscription_descriptor_consumer_t consumer,
    void *clientd)
{
    abr_recording_descriptor_poller_reset(poller, correlation_id, subscription_count, NULL, clientd);
    poller->subscription_consumer = consumer;
    poller->end_code = abr_codecs_controlResponseCode_SUBSCRIPTION_UNKNOWN;
}

static abr_controlled_action_t abr_recording_descriptor_poller_on_response(
    abr_recording_descriptor_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_controlResponse response;
    if (message->block_length < abr_codecs_controlResponse_sbe_block_length() ||
        NULL == abr_codecs_controlResponse_wrap_for_decode(
            &response, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return ABR_ACTION_CONTINUE;
    }
    if (abr_codecs_controlResponse_controlSessionId(&response) != poller->control_session_id)
    {
        return ABR_ACTION_CONTINUE;
    }

    enum abr_codecs_controlResponseCode code;
    if (!abr_codecs_controlResponse_code(&response, &code))
    {
        return ABR_ACTION_CONTINUE;
    }
    if (abr_codecs_controlResponse_correlationId(&response) != poller->correlation_id)
    {
        if (NULL != poller->other_response)
        {
            char other_text[512];
            abr_archive_message_copy_string(
                message->body,
                message->body_length,
                abr_codecs_controlResponse_sbe_position(&response),
                other_text,
                sizeof(other_text));
            poller->other_response(
                poller->other_response_clientd,
                abr_codecs_controlResponse_correlationId(&response),
                (int32_t)code,
                abr_codecs_controlResponse_relevantId(&response),
                other_text);
        }
        return ABR_ACTION_CONTINUE;
    }
    if ((int32_t)code == poller->end_code)
    {
        poller->is_dispatch_complete = true;
        return ABR_ACTION_BREAK;
    }
    if (abr_codecs_controlResponseCode_ERROR == code)
    {
        char text[512];
        abr_archive_message_copy_string(
            message->body,
            message->body_length,
            abr_codecs_controlResponse_sbe_position(&response),
            text,
            sizeof(text));
        int64_t archive_code = abr_codecs_controlResponse_relevantId(&response);
        abr_error_set(
            abr_error_code_from_archive(archive_code),
            "response for correlationId=%" PRId64 ", error: %s",
            poller->correlation_id,
            text);
        abr_error_set_correlation_id(poller->correlation_id);
        poller->failed = true;
        return ABR_ACTION_BREAK;
    }
    return ABR_ACTION_CONTINUE;
}

/* The three strings of a descriptor cannot together be longer than the message that carries them. */
static bool abr_recording_descriptor_poller_reserve(abr_recording_descriptor_poller_t *poller, uint64_t length)
{
    uint64_t needed = length + 3;
    if (needed <= poller->strings_capacity)
    {
        return true;
    }
    char *grown = realloc(poller->strings, needed);
    if (NULL == grown)
    {
        return false;
    }
    poller->strings = grown;
    poller->strings_capacity = needed;
    return true;
}

static abr_controlled_action_t abr_recording_descriptor_poller_on_descriptor(
    abr_recording_descriptor_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingDescriptor decoder;
    if (message->block_length < abr_codecs_recordingDescriptor_sbe_block_length() ||
        NULL == abr_codecs_recordingDescriptor_wrap_for_decode(
            &decoder, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return ABR_ACTION_CONTINUE;
    }
    if (abr_codecs_recordingDescriptor_controlSessionId(&decoder) != poller->control_session_id ||
        abr_codecs_recordingDescriptor_correlationId(&decoder) != poller->correlation_id)
    {
        return ABR_ACTION_CONTINUE;
    }
    if (!abr_recording_descriptor_poller_reserve(poller, message->body_length))
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory reading recording descriptor");
        poller->failed = true;
        return ABR_ACTION_BREAK;
    }

    abr_archive_recording_descriptor_t descriptor;
    descriptor.control_session_id = abr_codecs_recordingDescriptor_controlSessionId(&decoder);
    descriptor.correlation_id = abr_codecs_recordingDescriptor_correlationId(&decoder);
    descriptor.recording_id = abr_codecs_recordingDescriptor_recordingId(&decoder);
    descriptor.start_timestamp = abr_codecs_recordingDescriptor_startTimestamp(&decoder);
    descriptor.stop_timestamp = abr_codecs_recordingDescriptor_stopTimestamp(&decoder);
    descriptor.start_position = abr_codecs_recordingDescriptor_startPosition(&decoder);
    descriptor.stop_position = abr_codecs_recordingDescriptor_stopPosition(&decoder);
    descriptor.initial_term_id = abr_codecs_recordingDescriptor_initialTermId(&decoder);
    descriptor.segment_file_length = abr_codecs_recordingDescriptor_segmentFileLength(&decoder);
    descriptor.term_buffer_length = abr_codecs_recordingDescriptor_termBufferLength(&decoder);
    descriptor.mtu_length = abr_codecs_recordingDescriptor_mtuLength(&decoder);
    descriptor.session_id = abr_codecs_recordingDescriptor_sessionId(&decoder);
    descriptor.stream_id = abr_codecs_recordingDescriptor_streamId(&decoder);

    /* The strings follow one another: each copy lands right after the previous one's terminator. */
    uint64_t position = abr_codecs_recordingDescriptor_sbe_position(&decoder);
    char *cursor = poller->strings;
    size_t space = poller->strings_capacity;
    const char **fields[3] = { &descriptor.stripped_channel, &descriptor.original_channel, &descriptor.source_identity };
    for (int i = 0; i < 3; i++)
    {
        uint64_t used = abr_archive_message_copy_string(message->body, message->body_length, position, cursor, space);
        if (0 == used)
        {
            cursor[0] = '\0';
        }
        *fields[i] = cursor;
        size_t written = strlen(cursor) + 1;
        cursor += written;
        space -= written;
        position += used;
    }

    poller->consumer(poller->consumer_clientd, &descriptor);

    if (0 == --poller->remaining_record_count)
    {
        poller->is_dispatch_complete = true;
        return ABR_ACTION_BREAK;
    }
    return ABR_ACTION_CONTINUE;
}

static abr_controlled_action_t abr_recording_descriptor_poller_on_subscription(
    abr_recording_descriptor_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingSubscriptionDescriptor decoder;
    if (NULL == poller->subscription_consumer ||
        message->block_length < abr_codecs_recordingSubscriptionDescriptor_sbe_block_length() ||
        NULL == abr_codecs_recordingSubscriptionDescriptor_wrap_for_decode(
            &decoder, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return ABR_ACTION_CONTINUE;
    }
    if (abr_codecs_recordingSubscriptionDescriptor_controlSessionId(&decoder) != poller->control_session_id ||
        abr_codecs_recordingSubscriptionDescriptor_correlationId(&decoder) != poller->correlation_id)
    {
        return ABR_ACTION_CONTINUE;
    }
    if (!abr_recording_descriptor_poller_reserve(poller, message->body_length))
    {
        abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory reading recording subscription descriptor");
        poller->failed = true;
        return ABR_ACTION_BREAK;
    }

    abr_archive_recording_subscription_descriptor_t descriptor;
    descriptor.control_session_id = abr_codecs_recordingSubscriptionDescriptor_controlSessionId(&decoder);
    descriptor.correlation_id = abr_codecs_recordingSubscriptionDescriptor_correlationId(&decoder);
    descriptor.subscription_id = abr_codecs_recordingSubscriptionDescriptor_subscriptionId(&decoder);
    descriptor.stream_id = abr_codecs_recordingSubscriptionDescriptor_streamId(&decoder);
    if (0 == abr_archive_message_copy_string(
        message->body, message->body_length, abr_codecs_recordingSubscriptionDescriptor_sbe_position(&decoder),
        poller->strings, poller->strings_capacity))
    {
        poller->strings[0] = '\0';
    }
    descriptor.stripped_channel = poller->strings;

    poller->subscription_consumer(poller->consumer_clientd, &descriptor);

    if (0 == --poller->remaining_record_count)
    {
        poller->is_dispatch_complete = true;
        return ABR_ACTION_BREAK;
    }
    return ABR_ACTION_CONTINUE;
}

static abr_controlled_action_t abr_recording_descriptor_poller_on_signal(
    abr_recording_descriptor_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingSignalEvent event;
    if (NULL == poller->signal_consumer ||
        message->block_length < abr_codecs_recordingSignalEvent_sbe_block_length() ||
        NULL == abr_codecs_recordingSignalEvent_wrap_for_decode(
            &event, message->body, 0, message->block_length, message->version, message->body_length) ||
        abr_codecs_recordingSignalEvent_controlSessionId(&event) != poller->control_session_id)
    {
        return ABR_ACTION_CONTINUE;
    }
    enum abr_codecs_recordingSignal code;
    abr_archive_recording_signal_t signal = {
        .control_session_id = abr_codecs_recordingSignalEvent_controlSessionId(&event),
        .correlation_id = abr_codecs_recordingSignalEvent_correlationId(&event),
        .recording_id = abr_codecs_recordingSignalEvent_recordingId(&event),
        .subscription_id = abr_codecs_recordingSignalEvent_subscriptionId(&event),
        .position = abr_codecs_recordingSignalEvent_position(&event),
        .recording_signal_code = abr_codecs_recordingSignalEvent_signal(&event, &code) ? (int32_t)code : -1 };
    poller->signal_consumer(poller->signal_consumer_clientd, &signal);
    return ABR_ACTION_CONTINUE;
}

abr_controlled_action_t abr_recording_descriptor_poller_on_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_recording_descriptor_poller_t *poller = clientd;
    if (poller->is_dispatch_complete || poller->failed)
    {
        return ABR_ACTION_ABORT;
    }

    abr_archive_message_t message;
    if (abr_archive_message_read(&message, buffer, length) < 0)
    {
        return ABR_ACTION_CONTINUE;
    }
    if (abr_codecs_controlResponse_sbe_template_id() == message.template_id)
    {
        return abr_recording_descriptor_poller_on_response(poller, &message);
    }
    if (abr_codecs_recordingDescriptor_sbe_template_id() == message.template_id && NULL != poller->consumer)
    {
        return abr_recording_descriptor_poller_on_descriptor(poller, &message);
    }
    if (abr_codecs_recordingSubscriptionDescriptor_sbe_template_id() == message.template_id)
    {
        return abr_recording_descriptor_poller_on_subscription(poller, &message);
    }
    if (abr_codecs_recordingSignalEvent_sbe_template_id() == message.template_id)
    {
        return abr_recording_descriptor_poller_on_signal(poller, &message);
    }
    return ABR_ACTION_CONTINUE;
}

int abr_recording_descriptor_poller_poll(abr_recording_descriptor_poller_t *poller)
{
    if (NULL == poller->assembler &&
        abr_controlled_fragment_assembler_init(
            &poller->assembler, abr_recording_descriptor_poller_on_fragment, poller) < 0)
    {
        return -1;
    }
    int fragments = abr_subscription_controlled_poll(
        poller->subscription,
        abr_controlled_fragment_assembler_handler,
        poller->assembler,
        ABR_DESCRIPTOR_FRAGMENT_LIMIT);
    return poller->failed ? -1 : fragments;
}
