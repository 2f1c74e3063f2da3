/*
 * The archive client's configuration, shared by connect and the client it produces.
 */
#ifndef ABR_ARCHIVE_CONTEXT_H
#define ABR_ARCHIVE_CONTEXT_H

#include "abr/abr_archive.h"
#include "archive_idle.h"

struct abr_archive_context_stct
{
    char *aeron_directory_name;
    char *control_request_channel;
    int32_t control_request_stream_id;
    char *control_response_channel;
    int32_t control_response_stream_id;
    int64_t message_timeout_ns;
    int32_t message_retry_attempts;
    int32_t control_term_buffer_length;
    int32_t control_mtu_length;
    bool control_term_buffer_sparse;
    char *client_name;
    char *debug_log;
    abr_client_t *client;
    bool test_fault_skip_close_session;
    abr_archive_recording_signal_consumer_t recording_signal_consumer;
    void *recording_signal_consumer_clientd;
    abr_archive_error_handler_t error_handler;
    void *error_handler_clientd;
    int64_t auto_poll_interval_ns;
    abr_archive_encoded_credentials_func_t encoded_credentials;
    abr_archive_on_challenge_func_t on_challenge;
    abr_archive_free_credentials_func_t free_credentials;
    void *credentials_clientd;
    int32_t protocol_semantic_version;
    abr_archive_idle_t idle;
    bool locking_disabled;
};

/* A deep copy, so a client never depends on the caller's context after connect. */
int abr_archive_context_duplicate(abr_archive_context_t **copy, const abr_archive_context_t *original);

#endif
