/*
 * Reads the control response channel one archive message at a time: control responses,
 * challenges and recording signals stop a poll so the caller can act on them; pings, descriptors
 * meant for a listing and templates this client does not know are passed over.
 */
#ifndef ABR_CONTROL_RESPONSE_POLLER_H
#define ABR_CONTROL_RESPONSE_POLLER_H

#include <stdio.h>

#include "abr/abr_archive.h"

#define ABR_CONTROL_RESPONSE_FRAGMENT_LIMIT 10

/* ControlResponseCode values, from aeron-archive-codecs.xml. */
#define ABR_CONTROL_RESPONSE_CODE_OK 0
#define ABR_CONTROL_RESPONSE_CODE_ERROR 1
#define ABR_CONTROL_RESPONSE_CODE_RECORDING_UNKNOWN 2
#define ABR_CONTROL_RESPONSE_CODE_SUBSCRIPTION_UNKNOWN 3

/* The ControlResponseCode's name as the codecs spell it (AeronArchive's messages name codes so), or NULL for a value
 * the codecs do not define. */
const char *abr_control_response_code_name(int32_t code);

typedef struct abr_control_response_poller_stct
{
    abr_subscription_t *subscription;
    abr_controlled_fragment_assembler_t *assembler;
    bool is_poll_complete;
    int32_t template_id;
    int64_t control_session_id;
    int64_t correlation_id;
    int64_t relevant_id;
    int32_t code;
    int32_t version;
    char *error_message;
    size_t error_message_capacity;
    int64_t recording_id;
    int64_t subscription_id;
    int64_t position;
    int32_t recording_signal;
    bool was_challenged;
    /* The last challenge's bytes, valid until the next poll; grown to the largest challenge seen, never shrunk. */
    uint8_t *encoded_challenge;
    uint32_t encoded_challenge_length;
    size_t encoded_challenge_capacity;
    FILE *debug_log;
}
abr_control_response_poller_t;

int abr_control_response_poller_init(abr_control_response_poller_t *poller, abr_subscription_t *subscription);
void abr_control_response_poller_close(abr_control_response_poller_t *poller);

/* Poll for the next complete message; returns fragments read, or -1 with the error set. */
int abr_control_response_poller_poll(abr_control_response_poller_t *poller);

/* Decode one whole message (the poll's delegate behind its fragment assembler); internal, also the fuzz target's
 * entry (native/fuzz), which feeds it bytes without a subscription. */
abr_controlled_action_t abr_control_response_poller_on_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

/* Forget the last message, as the next poll does once a message completed. */
void abr_control_response_poller_reset(abr_control_response_poller_t *poller);

#endif
