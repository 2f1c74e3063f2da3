/*
 * Collects the descriptors that answer one list request (recording descriptors, or recording subscription
 * descriptors), handing each to the caller's consumer, until the requested count arrives or the archive says there
 * are no more. Recording signals for the session that arrive meanwhile go to the signal consumer, as in AeronArchive.
 */
#ifndef ABR_RECORDING_DESCRIPTOR_POLLER_H
#define ABR_RECORDING_DESCRIPTOR_POLLER_H

#include "abr/abr_archive.h"

/* A control response for the session that answers another request than the listing's (code is the wire code). */
typedef void (*abr_recording_descriptor_poller_other_response_t)(
    void *clientd, int64_t correlation_id, int32_t code, int64_t relevant_id, const char *error_message);

typedef struct abr_recording_descriptor_poller_stct
{
    abr_subscription_t *subscription;
    abr_controlled_fragment_assembler_t *assembler;
    int64_t control_session_id;
    int64_t correlation_id;
    int32_t remaining_record_count;
    bool is_dispatch_complete;
    bool failed;
    abr_archive_recording_descriptor_consumer_t consumer;
    abr_archive_recording_subscription_descriptor_consumer_t subscription_consumer;
    void *consumer_clientd;
    int32_t end_code;
    abr_archive_recording_signal_consumer_t signal_consumer;
    void *signal_consumer_clientd;
    char *strings;
    size_t strings_capacity;
    /* May be NULL: such responses are then passed over. */
    abr_recording_descriptor_poller_other_response_t other_response;
    void *other_response_clientd;
}
abr_recording_descriptor_poller_t;

int abr_recording_descriptor_poller_init(
    abr_recording_descriptor_poller_t *poller, abr_subscription_t *subscription, int64_t control_session_id);
void abr_recording_descriptor_poller_close(abr_recording_descriptor_poller_t *poller);

void abr_recording_descriptor_poller_reset(
    abr_recording_descriptor_poller_t *poller,
    int64_t correlation_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd);

/* As reset, for a listing of recording subscriptions, which ends with SUBSCRIPTION_UNKNOWN. */
void abr_recording_descriptor_poller_reset_subscriptions(
    abr_recording_descriptor_poller_t *poller,
    int64_t correlation_id,
    int32_t subscription_count,
    abr_archive_recording_subscription_descriptor_consumer_t consumer,
    void *clientd);

/* Returns fragments read, or -1 with the error set (an archive error for this request). */
int abr_recording_descriptor_poller_poll(abr_recording_descriptor_poller_t *poller);

/* Decode one whole message (the poll's delegate behind its fragment assembler); internal, also the fuzz target's
 * entry (native/fuzz), which feeds it bytes without a subscription. */
abr_controlled_action_t abr_recording_descriptor_poller_on_fragment(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

#endif
