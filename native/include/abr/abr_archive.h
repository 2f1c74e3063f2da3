/*
 * The archive-bridge Aeron Archive client: the operations of io.aeron.archive.client.AeronArchive,
 * in C, over the archive-bridge client core (abr_client.h).
 *
 * Returns follow abr_error.h: 0 (or a count) on success, -1 on failure with abr_errcode() and
 * abr_errmsg() set. An archive that answers with an error gives ABR_ERROR_ARCHIVE_BASE plus its
 * wire code; a reply that does not come within the message timeout gives ABR_ERROR_TIMEOUT. Every
 * message names the control session id, the correlation id where there is one, and the control
 * response channel and stream id.
 *
 * One archive client may be used from several threads: its calls are serialised by a lock, as
 * AeronArchive's are.
 */
#ifndef ABR_ARCHIVE_H
#define ABR_ARCHIVE_H

#include "abr_client.h"

ABR_EXTERN_C_BEGIN

/* Environment variables read by abr_archive_context_init, spelled as Aeron's C archive client spells them. */
#define ABR_ARCHIVE_CONTROL_CHANNEL_ENV_VAR "AERON_ARCHIVE_CONTROL_CHANNEL"
#define ABR_ARCHIVE_CONTROL_STREAM_ID_ENV_VAR "AERON_ARCHIVE_CONTROL_STREAM_ID"
#define ABR_ARCHIVE_CONTROL_STREAM_ID_DEFAULT 10
#define ABR_ARCHIVE_CONTROL_RESPONSE_CHANNEL_ENV_VAR "AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL"
#define ABR_ARCHIVE_CONTROL_RESPONSE_STREAM_ID_ENV_VAR "AERON_ARCHIVE_CONTROL_RESPONSE_STREAM_ID"
#define ABR_ARCHIVE_CONTROL_RESPONSE_STREAM_ID_DEFAULT 20
#define ABR_ARCHIVE_MESSAGE_TIMEOUT_ENV_VAR "AERON_ARCHIVE_MESSAGE_TIMEOUT"
#define ABR_ARCHIVE_MESSAGE_TIMEOUT_NS_DEFAULT (10LL * 1000 * 1000 * 1000)
#define ABR_ARCHIVE_MESSAGE_RETRY_ATTEMPTS_ENV_VAR "AERON_ARCHIVE_MESSAGE_RETRY_ATTEMPTS"
#define ABR_ARCHIVE_MESSAGE_RETRY_ATTEMPTS_DEFAULT 3
#define ABR_ARCHIVE_CONTROL_TERM_BUFFER_LENGTH_ENV_VAR "AERON_ARCHIVE_CONTROL_TERM_BUFFER_LENGTH"
#define ABR_ARCHIVE_CONTROL_TERM_BUFFER_LENGTH_DEFAULT (64 * 1024)
#define ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_ENV_VAR "AERON_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE"
#define ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_DEFAULT true
#define ABR_ARCHIVE_CONTROL_MTU_LENGTH_ENV_VAR "AERON_ARCHIVE_CONTROL_MTU_LENGTH"
#define ABR_ARCHIVE_CONTROL_MTU_LENGTH_DEFAULT 1408
#define ABR_ARCHIVE_CLIENT_NAME_ENV_VAR "AERON_ARCHIVE_CLIENT_NAME"

/* The archive control protocol version this client speaks (AeronArchive 1.51.0: 1.12.0). */
#define ABR_ARCHIVE_PROTOCOL_MAJOR_VERSION 1
#define ABR_ARCHIVE_PROTOCOL_MINOR_VERSION 12
#define ABR_ARCHIVE_PROTOCOL_PATCH_VERSION 0

/* Aeron's null value for ids and positions. */
#define ABR_ARCHIVE_NULL_VALUE (-1LL)
/* Aeron's null position, as AeronArchive.NULL_POSITION. */
#define ABR_ARCHIVE_NULL_POSITION (-1LL)

typedef struct abr_archive_context_stct abr_archive_context_t;
typedef struct abr_archive_stct abr_archive_t;

typedef enum abr_archive_source_location_en
{
    ABR_ARCHIVE_SOURCE_LOCATION_LOCAL = 0,
    ABR_ARCHIVE_SOURCE_LOCATION_REMOTE = 1
}
abr_archive_source_location_t;

/* A recording as the archive describes it. Strings are NUL-terminated and valid only during the callback. */
typedef struct abr_archive_recording_descriptor_stct
{
    int64_t control_session_id;
    int64_t correlation_id;
    int64_t recording_id;
    int64_t start_timestamp;
    int64_t stop_timestamp;
    int64_t start_position;
    int64_t stop_position;
    int32_t initial_term_id;
    int32_t segment_file_length;
    int32_t term_buffer_length;
    int32_t mtu_length;
    int32_t session_id;
    int32_t stream_id;
    const char *stripped_channel;
    const char *original_channel;
    const char *source_identity;
}
abr_archive_recording_descriptor_t;

typedef void (*abr_archive_recording_descriptor_consumer_t)(
    void *clientd, abr_archive_recording_descriptor_t *descriptor);

/*
 * Context.
 */

/* Create a context with defaults from the environment variables above and the core's (AERON_DIR). */
ABR_EXPORT int abr_archive_context_init(abr_archive_context_t **context);
ABR_EXPORT int abr_archive_context_close(abr_archive_context_t *context);

ABR_EXPORT int abr_archive_context_set_aeron_directory_name(abr_archive_context_t *context, const char *dir);
ABR_EXPORT const char *abr_archive_context_get_aeron_directory_name(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_control_request_channel(abr_archive_context_t *context, const char *channel);
ABR_EXPORT const char *abr_archive_context_get_control_request_channel(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_control_request_stream_id(abr_archive_context_t *context, int32_t stream_id);
ABR_EXPORT int32_t abr_archive_context_get_control_request_stream_id(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_control_response_channel(abr_archive_context_t *context, const char *channel);
ABR_EXPORT const char *abr_archive_context_get_control_response_channel(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_control_response_stream_id(abr_archive_context_t *context, int32_t stream_id);
ABR_EXPORT int32_t abr_archive_context_get_control_response_stream_id(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_message_timeout_ns(abr_archive_context_t *context, int64_t timeout_ns);
ABR_EXPORT int64_t abr_archive_context_get_message_timeout_ns(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_message_retry_attempts(abr_archive_context_t *context, int32_t attempts);
ABR_EXPORT int32_t abr_archive_context_get_message_retry_attempts(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_client_name(abr_archive_context_t *context, const char *name);
ABR_EXPORT const char *abr_archive_context_get_client_name(abr_archive_context_t *context);

/* Use an existing core client instead of connecting one; the archive client does not close it. */
ABR_EXPORT int abr_archive_context_set_client(abr_archive_context_t *context, abr_client_t *client);

/* For tests of the conformance gate only: a client whose close skips the CloseSessionRequest,
 * reproducing the fault this project exists to prevent. Never set it in production. */
ABR_EXPORT int abr_archive_context_set_test_fault_skip_close_session(abr_archive_context_t *context, bool skip);

/*
 * Connecting and closing.
 */

/* Connect to the archive and open a control session, within the message timeout. The response
 * channel is made session-specific as AeronArchive 1.51.0 does: unless it uses control-mode=response,
 * one session-id from the driver is put on both the request and the response channel. The context
 * is copied: it may be closed once this returns. */
ABR_EXPORT int abr_archive_connect(abr_archive_t **archive, abr_archive_context_t *context);

/* Close the control session: when connected, the CloseSessionRequest is sent before the control
 * publication and subscription are released, on every path (after errors and timeouts too). Then
 * releases the client core if the archive client owns it. Safe on NULL; a second close is harmless
 * only through the Java layer (in C the handle is gone after the first). */
ABR_EXPORT int abr_archive_close(abr_archive_t *archive);

ABR_EXPORT int64_t abr_archive_control_session_id(abr_archive_t *archive);
ABR_EXPORT int64_t abr_archive_archive_id(abr_archive_t *archive);
/* The request and response channels as used, with the session-specific parameters added. */
ABR_EXPORT const char *abr_archive_control_request_channel(abr_archive_t *archive);
ABR_EXPORT const char *abr_archive_control_response_channel(abr_archive_t *archive);

/* Poll the response channel for asynchronous traffic (pings, recording signals, errors not tied to
 * a call in progress). Returns the number of fragments read. Call it regularly on an otherwise idle
 * client, or the archive will end the session when its responses stop getting through. */
ABR_EXPORT int abr_archive_poll(abr_archive_t *archive);

/*
 * Recording.
 */

/* Start recording a channel and stream; *subscription_id receives the archive's subscription id. */
ABR_EXPORT int abr_archive_start_recording(
    int64_t *subscription_id,
    abr_archive_t *archive,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop);

ABR_EXPORT int abr_archive_stop_recording_channel_and_stream(
    abr_archive_t *archive, const char *channel, int32_t stream_id);

ABR_EXPORT int abr_archive_stop_recording_subscription(abr_archive_t *archive, int64_t subscription_id);

/* Position of an active recording, or ABR_ARCHIVE_NULL_POSITION when it is not active. */
ABR_EXPORT int abr_archive_get_recording_position(int64_t *position, abr_archive_t *archive, int64_t recording_id);

/* Stop position of a recording, or ABR_ARCHIVE_NULL_POSITION while it is active. */
ABR_EXPORT int abr_archive_get_stop_position(int64_t *position, abr_archive_t *archive, int64_t recording_id);

/*
 * Listing: descriptors go to the consumer as they arrive; *count receives how many.
 */

ABR_EXPORT int abr_archive_list_recordings(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd);

ABR_EXPORT int abr_archive_list_recording(
    int32_t *count,
    abr_archive_t *archive,
    int64_t recording_id,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd);

ABR_EXTERN_C_END

#endif
