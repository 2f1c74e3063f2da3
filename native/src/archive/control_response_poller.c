#include <stdlib.h>
#include <string.h>

#include "abr_codecs/challenge.h"
#include "abr_codecs/controlResponse.h"
#include "abr_codecs/recordingSignalEvent.h"

#include "archive_message.h"
#include "archive_debug_log.h"
#include "control_response_poller.h"
#include "core/error.h"

#define ABR_ERROR_MESSAGE_INITIAL_CAPACITY 1024

void abr_control_response_poller_reset(abr_control_response_poller_t *poller)
{
    poller->is_poll_complete = false;
    poller->template_id = -1;
    poller->control_session_id = ABR_ARCHIVE_NULL_VALUE;
    poller->correlation_id = ABR_ARCHIVE_NULL_VALUE;
    poller->relevant_id = ABR_ARCHIVE_NULL_VALUE;
    poller->code = -1;
    poller->version = 0;
    poller->error_message[0] = '\0';
    poller->recording_id = ABR_ARCHIVE_NULL_VALUE;
    poller->subscription_id = ABR_ARCHIVE_NULL_VALUE;
    poller->position = ABR_ARCHIVE_NULL_VALUE;
    poller->recording_signal = -1;
    poller->was_challenged = false;
    poller->encoded_challenge_length = 0;
}

int abr_control_response_poller_init(abr_control_response_poller_t *poller, abr_subscription_t *subscription)
{
    memset(poller, 0, sizeof(*poller));
    poller->subscription = subscription;
    poller->error_message = calloc(1, ABR_ERROR_MESSAGE_INITIAL_CAPACITY);
    if (NULL == poller->error_message)
    {
        return abr_error_set(ABR_ERROR_OUT_OF_MEMORY, "out of memory allocating control response poller");
    }
    poller->error_message_capacity = ABR_ERROR_MESSAGE_INITIAL_CAPACITY;
    abr_control_response_poller_reset(poller);
    return 0;
}

void abr_control_response_poller_close(abr_control_response_poller_t *poller)
{
    abr_controlled_fragment_assembler_close(poller->assembler);
    poller->assembler = NULL;
    free(poller->error_message);
    poller->error_message = NULL;
    free(poller->encoded_challenge);
    poller->encoded_challenge = NULL;
    poller->encoded_challenge_capacity = 0;
}

/* The message text can be as long as the message itself; grow once to that size, never per message after. */
static bool abr_control_response_poller_reserve(abr_control_response_poller_t *poller, uint64_t length)
{
    if (length + 1 <= poller->error_message_capacity)
    {
        return true;
    }
    char *grown = realloc(poller->error_message, length + 1);
    if (NULL == grown)
    {
        return false;
    }
    poller->error_message = grown;
    poller->error_message_capacity = length + 1;
    return true;
}

static void abr_control_response_poller_on_response(
    abr_control_response_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_controlResponse response;
    if (message->block_length < abr_codecs_controlResponse_sbe_block_length() ||
        NULL == abr_codecs_controlResponse_wrap_for_decode(
            &response, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return;
    }

    enum abr_codecs_controlResponseCode code;
    poller->control_session_id = abr_codecs_controlResponse_controlSessionId(&response);
    poller->correlation_id = abr_codecs_controlResponse_correlationId(&response);
    poller->relevant_id = abr_codecs_controlResponse_relevantId(&response);
    poller->code = abr_codecs_controlResponse_code(&response, &code) ? (int32_t)code : -1;
    poller->version = abr_codecs_controlResponse_version(&response);

    if (abr_control_response_poller_reserve(poller, message->body_length))
    {
        abr_archive_message_copy_string(
            message->body,
            message->body_length,
            abr_codecs_controlResponse_sbe_position(&response),
            poller->error_message,
            poller->error_message_capacity);
    }
    poller->is_poll_complete = true;
}

static void abr_control_response_poller_on_challenge(
    abr_control_response_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_challenge challenge;
    if (message->block_length < abr_codecs_challenge_sbe_block_length() ||
        NULL == abr_codecs_challenge_wrap_for_decode(
            &challenge, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return;
    }
    poller->control_session_id = abr_codecs_challenge_controlSessionId(&challenge);
    poller->correlation_id = abr_codecs_challenge_correlationId(&challenge);
    poller->version = abr_codecs_challenge_version(&challenge);

    /* Grown to the largest challenge seen, so a repeated challenge costs no allocation; at least one byte, so the
     * copy below never targets a null buffer. */
    if (abr_codecs_challenge_sbe_position(&challenge) + sizeof(uint32_t) > message->body_length)
    {
        return;
    }
    const uint32_t declared = abr_codecs_challenge_encodedChallenge_length(&challenge);
    if (declared > message->body_length)
    {
        return;
    }
    const size_t needed = declared > 0 ? declared : 1;
    if (needed > poller->encoded_challenge_capacity)
    {
        uint8_t *grown = realloc(poller->encoded_challenge, needed);
        if (NULL == grown)
        {
            return;
        }
        poller->encoded_challenge = grown;
        poller->encoded_challenge_capacity = needed;
    }
    const uint64_t length = abr_codecs_challenge_get_encodedChallenge(
        &challenge, (char *)poller->encoded_challenge, poller->encoded_challenge_capacity);
    if (length != declared)
    {
        return;
    }
    poller->encoded_challenge_length = (uint32_t)length;
    poller->was_challenged = true;
    poller->is_poll_complete = true;
}

static void abr_control_response_poller_on_signal(
    abr_control_response_poller_t *poller, const abr_archive_message_t *message)
{
    struct abr_codecs_recordingSignalEvent event;
    if (message->block_length < abr_codecs_recordingSignalEvent_sbe_block_length() ||
        NULL == abr_codecs_recordingSignalEvent_wrap_for_decode(
            &event, message->body, 0, message->block_length, message->version, message->body_length))
    {
        return;
    }
    enum abr_codecs_recordingSignal signal;
    poller->control_session_id = abr_codecs_recordingSignalEvent_controlSessionId(&event);
    poller->correlation_id = abr_codecs_recordingSignalEvent_correlationId(&event);
    poller->recording_id = abr_codecs_recordingSignalEvent_recordingId(&event);
    poller->subscription_id = abr_codecs_recordingSignalEvent_subscriptionId(&event);
    poller->position = abr_codecs_recordingSignalEvent_position(&event);
    poller->recording_signal = abr_codecs_recordingSignalEvent_signal(&event, &signal) ? (int32_t)signal : -1;
    poller->is_poll_complete = true;
}

abr_controlled_action_t abr_control_response_poller_on_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header)
{
    abr_control_response_poller_t *poller = clientd;
    if (poller->is_poll_complete)
    {
        return ABR_ACTION_ABORT;
    }

    abr_archive_message_t message;
    if (abr_archive_message_read(&message, buffer, length) < 0)
    {
        return ABR_ACTION_CONTINUE;
    }

    poller->template_id = message.template_id;
    if (abr_codecs_controlResponse_sbe_template_id() == message.template_id)
    {
        abr_control_response_poller_on_response(poller, &message);
    }
    else if (abr_codecs_challenge_sbe_template_id() == message.template_id)
    {
        abr_control_response_poller_on_challenge(poller, &message);
    }
    else if (abr_codecs_recordingSignalEvent_sbe_template_id() == message.template_id)
    {
        abr_control_response_poller_on_signal(poller, &message);
    }

    if (poller->is_poll_complete)
    {
        abr_archive_debug_log_response(poller->debug_log, poller);
        return ABR_ACTION_BREAK;
    }
    return ABR_ACTION_CONTINUE;
}

int abr_control_response_poller_poll(abr_control_response_poller_t *poller)
{
    if (NULL == poller->assembler &&
        abr_controlled_fragment_assembler_init(
            &poller->assembler, abr_control_response_poller_on_fragment, poller) < 0)
    {
        return -1;
    }
    if (poller->is_poll_complete)
    {
        abr_control_response_poller_reset(poller);
    }
    return abr_subscription_controlled_poll(
        poller->subscription,
        abr_controlled_fragment_assembler_handler,
        poller->assembler,
        ABR_CONTROL_RESPONSE_FRAGMENT_LIMIT);
}

const char *abr_control_response_code_name(int32_t code)
{
    switch (code)
    {
        case ABR_CONTROL_RESPONSE_CODE_OK:
            return "OK";
        case ABR_CONTROL_RESPONSE_CODE_ERROR:
            return "ERROR";
        case ABR_CONTROL_RESPONSE_CODE_RECORDING_UNKNOWN:
            return "RECORDING_UNKNOWN";
        case ABR_CONTROL_RESPONSE_CODE_SUBSCRIPTION_UNKNOWN:
            return "SUBSCRIPTION_UNKNOWN";
        default:
            return NULL;
    }
}
