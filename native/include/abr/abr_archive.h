/*
 * The archive-bridge Aeron Archive client: the operations of io.aeron.archive.client.AeronArchive,
 * in C, over the archive-bridge client core (abr_client.h).
 *
 * Returns follow abr_error.h: 0 (or a count) on success, -1 on failure with abr_errcode() and
 * abr_errmsg() set. Arguments are checked before the archive client and before anything is sent: a
 * NULL out-pointer, channel or callback, or a value outside a documented range, fails with
 * ABR_ERROR_INVALID_ARGUMENT naming the parameter, whatever the client's state; then a NULL client
 * fails the same way. Calls that hand out a handle set its out-pointer (when not NULL) to NULL on
 * failure, as abr_client.h's do. An archive that answers with an error gives ABR_ERROR_ARCHIVE_BASE plus its
 * wire code; a reply that does not come within the message timeout gives ABR_ERROR_TIMEOUT. Every
 * message names the control session id, the correlation id where there is one, and the control
 * response channel and stream id.
 *
 * One archive client may be used from several threads: its calls are serialised by a lock, as
 * AeronArchive's are. The lock is re-entrant, as AeronArchive's is: a recording signal consumer or error handler
 * may call the client, abr_archive_close included (the close then completes as the call that dispatched the
 * callback returns, and that call fails with ABR_ERROR_CLOSED). A response a nested call reads that answers the
 * call it was made from is kept for that call. The consumers of a listing may not call the client: such a call fails
 * with ABR_ERROR_ILLEGAL_STATE, as AeronArchive refuses it.
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
/* Debug log of every control request sent and response received: "stderr", or a file path to append to; unset or
 * empty: off (the default). Ours, in the spirit of -Daeron.event.archive.log=all. */
#define ABR_ARCHIVE_DEBUG_LOG_ENV_VAR "ABR_ARCHIVE_DEBUG_LOG"

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

/* A subscription the archive records, as listRecordingSubscriptions describes it. The channel is valid only during
 * the callback. */
typedef struct abr_archive_recording_subscription_descriptor_stct
{
    int64_t control_session_id;
    int64_t correlation_id;
    int64_t subscription_id;
    int32_t stream_id;
    const char *stripped_channel;
}
abr_archive_recording_subscription_descriptor_t;

typedef void (*abr_archive_recording_subscription_descriptor_consumer_t)(
    void *clientd, abr_archive_recording_subscription_descriptor_t *descriptor);

/* RecordingSignal values, from aeron-archive-codecs.xml. */
typedef enum abr_archive_recording_signal_code_en
{
    ABR_ARCHIVE_RECORDING_SIGNAL_START = 0,
    ABR_ARCHIVE_RECORDING_SIGNAL_STOP = 1,
    ABR_ARCHIVE_RECORDING_SIGNAL_EXTEND = 2,
    ABR_ARCHIVE_RECORDING_SIGNAL_REPLICATE = 3,
    ABR_ARCHIVE_RECORDING_SIGNAL_MERGE = 4,
    ABR_ARCHIVE_RECORDING_SIGNAL_SYNC = 5,
    ABR_ARCHIVE_RECORDING_SIGNAL_DELETE = 6,
    ABR_ARCHIVE_RECORDING_SIGNAL_REPLICATE_END = 7
}
abr_archive_recording_signal_code_t;

/* A recording signal the archive sent to this control session. */
typedef struct abr_archive_recording_signal_stct
{
    int64_t control_session_id;
    int64_t correlation_id;
    int64_t recording_id;
    int64_t subscription_id;
    int64_t position;
    int32_t recording_signal_code;
}
abr_archive_recording_signal_t;

/* Called on the thread that polls: a synchronous call, a poll function, or the auto-poll thread. */
typedef void (*abr_archive_recording_signal_consumer_t)(void *clientd, abr_archive_recording_signal_t *signal);

/*
 * Called for an archive error that does not answer the call in progress (its correlation id is another's), as
 * AeronArchive.Context.errorHandler is. error_code is ours (ABR_ERROR_ARCHIVE_BASE + the archive's code), correlation_id
 * the one the archive put on the error, message the archive's text (valid only during the callback).
 */
typedef void (*abr_archive_error_handler_t)(
    void *clientd, int32_t error_code, int64_t correlation_id, const char *message);

/*
 * Context.
 */

/* Create a context with defaults from the environment variables above and the core's (AERON_DIR). */
ABR_EXPORT int abr_archive_context_init(abr_archive_context_t **context);
/* Release a context. Safe on NULL. A client connected with it is unaffected (it has a copy). */
ABR_EXPORT int abr_archive_context_close(abr_archive_context_t *context);

/* Setters return 0, or -1 (ABR_ERROR_INVALID_ARGUMENT) for a NULL context or a value outside its range, keeping what
 * was set. A string setter copies its value; NULL unsets it: the Aeron directory then is the core's default, a control
 * channel is missing (the connect fails naming it), the client name and debug log are "". Getters on a NULL context
 * return NULL, 0, or for term_buffer_sparse its default. */

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
/* Above 0. */
ABR_EXPORT int abr_archive_context_set_message_timeout_ns(abr_archive_context_t *context, int64_t timeout_ns);
ABR_EXPORT int64_t abr_archive_context_get_message_timeout_ns(abr_archive_context_t *context);
/* Above 0. */
ABR_EXPORT int abr_archive_context_set_message_retry_attempts(abr_archive_context_t *context, int32_t attempts);
ABR_EXPORT int32_t abr_archive_context_get_message_retry_attempts(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_client_name(abr_archive_context_t *context, const char *name);
ABR_EXPORT const char *abr_archive_context_get_client_name(abr_archive_context_t *context);

/*
 * How a call waits for the archive (between polls of the response channel, and between offers of a request refused
 * for back pressure), as AeronArchive.Context.idleStrategy. The kinds, with the arguments each one reads (the others
 * are ignored and read back as 0):
 * - BACKOFF: max_spins busy spins, then max_yields sched_yield calls, then nanosleep from min_park_period_ns doubling up
 *   to max_park_period_ns (Agrona's BackoffIdleStrategy; its defaults are 10, 5, 1 us, 1 ms). All >= 0 and
 *   max_park_period_ns >= min_park_period_ns; a max of 0 never sleeps. The count restarts whenever the call sees
 *   progress.
 * - BUSY_SPIN: a CPU pause hint each time (BusySpinIdleStrategy).
 * - YIELDING: sched_yield each time (YieldingIdleStrategy).
 * - SLEEPING: nanosleep of min_park_period_ns (>= 0) each time (SleepingIdleStrategy, SleepingMillisIdleStrategy).
 * - NOOP: returns at once (NoOpIdleStrategy).
 * The default is BACKOFF with 10 spins, 20 yields and parks from 1 us to 100 us: more yields than Agrona's so that a
 * round trip over UDP (tens of microseconds) is mostly seen before the first sleep, and a lower cap so that a long
 * wait notices its answer within about 100 us (plus the kernel's timer slack, 50 us by default, on every sleep).
 */
typedef enum abr_archive_idle_strategy_en
{
    ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF = 0,
    ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN = 1,
    ABR_ARCHIVE_IDLE_STRATEGY_YIELDING = 2,
    ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING = 3,
    ABR_ARCHIVE_IDLE_STRATEGY_NOOP = 4
}
abr_archive_idle_strategy_t;

/* 0, or -1 (ABR_ERROR_INVALID_ARGUMENT) for a NULL context, an unknown kind or a value out of range (nothing changes). */
ABR_EXPORT int abr_archive_context_set_idle_strategy(
    abr_archive_context_t *context,
    abr_archive_idle_strategy_t kind,
    int64_t max_spins,
    int64_t max_yields,
    int64_t min_park_period_ns,
    int64_t max_park_period_ns);
/* Fills every out-pointer with what is set: 0, or -1 (ABR_ERROR_INVALID_ARGUMENT) when any argument is NULL. */
ABR_EXPORT int abr_archive_context_get_idle_strategy(
    abr_archive_context_t *context,
    abr_archive_idle_strategy_t *kind,
    int64_t *max_spins,
    int64_t *max_yields,
    int64_t *min_park_period_ns,
    int64_t *max_park_period_ns);

/* Where recording signals go: during every call that waits for the archive, and from
 * abr_archive_poll_for_recording_signals. Without one (NULL, the default) they are consumed and dropped, as
 * AeronArchive's default does. */
ABR_EXPORT int abr_archive_context_set_recording_signal_consumer(
    abr_archive_context_t *context, abr_archive_recording_signal_consumer_t consumer, void *clientd);

/* Where archive errors that answer no call in progress go. Without one (NULL, the default), a call drops them as
 * AeronArchive does, and
 * abr_archive_check_for_error_response / abr_archive_poll_for_recording_signals fail with them instead. */
ABR_EXPORT int abr_archive_context_set_error_handler(
    abr_archive_context_t *context, abr_archive_error_handler_t handler, void *clientd);

/*
 * Auto-poll (an extension AeronArchive lacks; off, 0, by default): a thread of the client polls the response channel
 * every interval_ns under the client's lock, so the session stays alive while the application makes no calls.
 * Recording signals go to the consumer and errors to the handler above; an error with no handler set is kept and
 * reported by the next abr_archive_poll_for_error_response or abr_archive_check_for_error_response. The thread calls
 * them without holding the client's lock, so they may run while a call on another thread is in progress; they may
 * call the client and close it (the thread then frees the client as the callback returns).
 */
/* 0 (off) or above. */
ABR_EXPORT int abr_archive_context_set_auto_poll_interval_ns(abr_archive_context_t *context, int64_t interval_ns);
ABR_EXPORT int64_t abr_archive_context_get_auto_poll_interval_ns(abr_archive_context_t *context);

/*
 * Locking (on by default): false turns the client's lock off, as a NoOpLock does AeronArchive's, for a caller that
 * promises to use the client from one thread only. Without auto-poll nothing else takes the lock then; with auto-poll
 * the lock stays on, since the auto-poll thread is the client's own second thread. abr_archive_state then reads only
 * what the last call noted, never the core under a call. Listing callbacks that call the client are refused as ever.
 */
ABR_EXPORT int abr_archive_context_set_locking(abr_archive_context_t *context, bool enabled);
ABR_EXPORT bool abr_archive_context_get_locking(abr_archive_context_t *context);

/* The control channels' term length: a power of two from 64 KiB to 1 GiB, as the driver accepts. */
ABR_EXPORT int abr_archive_context_set_control_term_buffer_length(abr_archive_context_t *context, int32_t length);
ABR_EXPORT int32_t abr_archive_context_get_control_term_buffer_length(abr_archive_context_t *context);
/* The control channels' MTU: a multiple of 32 from 64 to 65536. */
ABR_EXPORT int abr_archive_context_set_control_mtu_length(abr_archive_context_t *context, int32_t length);
ABR_EXPORT int32_t abr_archive_context_get_control_mtu_length(abr_archive_context_t *context);
ABR_EXPORT int abr_archive_context_set_control_term_buffer_sparse(abr_archive_context_t *context, bool sparse);
ABR_EXPORT bool abr_archive_context_get_control_term_buffer_sparse(abr_archive_context_t *context);

/* Where the debug log goes: "stderr", a file path (appended to), or NULL/"" for off. Default from
 * ABR_ARCHIVE_DEBUG_LOG. A file that cannot be opened fails the connect, naming it. */
ABR_EXPORT int abr_archive_context_set_debug_log(abr_archive_context_t *context, const char *target);
ABR_EXPORT const char *abr_archive_context_get_debug_log(abr_archive_context_t *context);

/* Use an existing core client instead of connecting one; the archive client does not close it. NULL (the default):
 * connect one of its own. */
ABR_EXPORT int abr_archive_context_set_client(abr_archive_context_t *context, abr_client_t *client);

/* For tests of the conformance gate only: a client whose close skips the CloseSessionRequest,
 * reproducing the fault this project exists to prevent. Never set it in production. */
ABR_EXPORT int abr_archive_context_set_test_fault_skip_close_session(abr_archive_context_t *context, bool skip);

/*
 * Authentication, as io.aeron.security.CredentialsSupplier. Without a supplier the connect request carries empty
 * credentials, as AeronArchive's NullCredentialsSupplier. The callbacks run on the thread that connects (or polls an
 * asynchronous connect); each buffer they hand over is given back to the free callback once sent.
 */

/* Bytes the archive's authenticator reads; data may be NULL only when length is 0. */
typedef struct abr_archive_credentials_stct
{
    const uint8_t *data;
    uint32_t length;
}
abr_archive_credentials_t;

/* Fill *credentials with the encoded credentials for the connect request; 0 done, -1 fails the connect. */
typedef int (*abr_archive_encoded_credentials_func_t)(void *clientd, abr_archive_credentials_t *credentials);

/* Answer the archive's challenge (valid only during the call): fill *response; 0 done, -1 fails the connect. */
typedef int (*abr_archive_on_challenge_func_t)(
    void *clientd, const uint8_t *challenge, uint32_t challenge_length, abr_archive_credentials_t *response);

/* Release a buffer one of the two callbacks above handed over; called once per successful call of either. */
typedef void (*abr_archive_free_credentials_func_t)(void *clientd, abr_archive_credentials_t *credentials);

/* Set the credentials supplier; none of the callbacks may be NULL. */
ABR_EXPORT int abr_archive_context_set_credentials_supplier(
    abr_archive_context_t *context,
    abr_archive_encoded_credentials_func_t encoded_credentials,
    abr_archive_on_challenge_func_t on_challenge,
    abr_archive_free_credentials_func_t on_free,
    void *clientd);

/* The protocol semantic version of the connect request, (major << 16) | (minor << 8) | patch: by default
 * ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION, AeronArchive 1.51.0's. An advanced option, for testing how an archive answers
 * a client of another version: an archive of another major version refuses the session, and the connect fails with
 * an error naming both versions. Each part must be within 0..255. */
#define ABR_ARCHIVE_PROTOCOL_SEMANTIC_VERSION \
    ((ABR_ARCHIVE_PROTOCOL_MAJOR_VERSION << 16) | (ABR_ARCHIVE_PROTOCOL_MINOR_VERSION << 8) | \
    ABR_ARCHIVE_PROTOCOL_PATCH_VERSION)
ABR_EXPORT int abr_archive_context_set_protocol_semantic_version(abr_archive_context_t *context, int32_t version);
ABR_EXPORT int32_t abr_archive_context_get_protocol_semantic_version(abr_archive_context_t *context);

/*
 * Connecting and closing.
 */

/* Connect to the archive and open a control session, within the message timeout. The response
 * channel is made session-specific as AeronArchive 1.51.0 does: unless it uses control-mode=response,
 * one session-id from the driver is put on both the request and the response channel. The context
 * is copied: it may be closed once this returns.
 * Once connected, a client whose response image goes away (the archive ended the session, stopped or
 * restarted) closes itself when the next call starts, as AeronArchive does: that call and every later
 * one fail with ABR_ERROR_CLOSED; abr_archive_close still releases the handle. */
ABR_EXPORT int abr_archive_connect(abr_archive_t **archive, abr_archive_context_t *context);

/*
 * Asynchronous connect, as AeronArchive.asyncConnect: start it, then poll it step by step from the caller's own loop
 * (each poll does a little work and never sleeps). The context is copied at start. The whole connect must complete
 * within the message timeout; a timeout names the step it stalled in.
 */
typedef struct abr_archive_async_connect_stct abr_archive_async_connect_t;

/* Start a connect: 0 with *async to poll, -1 on bad arguments or when the driver cannot be reached. */
ABR_EXPORT int abr_archive_async_connect(abr_archive_async_connect_t **async, abr_archive_context_t *context);

/* One step: 1 connected (*archive set; async is released), 0 still connecting, -1 failed (async is released), except
 * for a NULL argument, which fails with ABR_ERROR_INVALID_ARGUMENT and leaves the async the caller's. */
ABR_EXPORT int abr_archive_async_connect_poll(abr_archive_t **archive, abr_archive_async_connect_t *async);

/* The step the connect is in, as a number and by name, e.g. "AWAIT_CONNECT_RESPONSE". The number increases as the
 * connect progresses, except that the challenge steps (SEND_CHALLENGE_RESPONSE, AWAIT_CHALLENGE_RESPONSE) are numbered
 * after the archive id steps they come before, as in AeronArchive.AsyncConnect.State. For NULL: -1 and "NULL". */
ABR_EXPORT int abr_archive_async_connect_step(abr_archive_async_connect_t *async);
ABR_EXPORT const char *abr_archive_async_connect_step_name(abr_archive_async_connect_t *async);

/* Abandon a connect in progress, releasing what it holds (no session is left on the archive). Safe on NULL. */
ABR_EXPORT int abr_archive_async_connect_close(abr_archive_async_connect_t *async);

/* Close the control session: when connected, the CloseSessionRequest is sent before the control
 * publication and subscription are released, on every path (after errors and timeouts too). Then
 * releases the client core if the archive client owns it. Safe on NULL; a second close is harmless
 * only through the Java layer (in C the handle is gone after the first).
 * The publication and subscription go once the archive has read the request (or after 100 ms): an archive client
 * owning its core waits for that before closing the core; with a shared core close returns at once and the core's
 * conductor removes them (a core without a conductor thread does it in abr_client_do_work, or at the latest in
 * abr_client_close, which lets such removals finish first). */
ABR_EXPORT int abr_archive_close(abr_archive_t *archive);

/*
 * The client's state, as AeronArchive.State: CONNECTED from connect; DISCONNECTED once its response channel from
 * the archive went (the archive ended the session, stopped or restarted) or its Media Driver is lost (shut down, or
 * silent past the core's driver timeout; Aeron's client then closes the response image), which the next call turns
 * into CLOSED as it closes the client; CLOSED after abr_archive_close. Readable from any thread, without waiting for a
 * call in progress.
 */
typedef enum abr_archive_state_en
{
    ABR_ARCHIVE_STATE_CONNECTED = 0,
    ABR_ARCHIVE_STATE_DISCONNECTED = 1,
    ABR_ARCHIVE_STATE_CLOSED = 2
}
abr_archive_state_t;

/* The client's abr_archive_state_t, or -1 (ABR_ERROR_INVALID_ARGUMENT) for NULL. */
ABR_EXPORT int abr_archive_state(abr_archive_t *archive);
/* The correlation id of the last request an operation sent (connect's are not counted), as
 * AeronArchive.lastCorrelationId: ABR_ARCHIVE_NULL_VALUE before the first, and for NULL. */
ABR_EXPORT int64_t abr_archive_last_correlation_id(abr_archive_t *archive);

/* The session's ids; ABR_ARCHIVE_NULL_VALUE for NULL. */
ABR_EXPORT int64_t abr_archive_control_session_id(abr_archive_t *archive);
ABR_EXPORT int64_t abr_archive_archive_id(abr_archive_t *archive);
/* The request and response channels as used, with the session-specific parameters added; NULL for NULL. */
ABR_EXPORT const char *abr_archive_control_request_channel(abr_archive_t *archive);
ABR_EXPORT const char *abr_archive_control_response_channel(abr_archive_t *archive);

/* Poll the response channel for asynchronous traffic (pings, recording signals, errors not tied to
 * a call in progress) until it is drained. Returns the number of fragments read. Recording signals go to
 * the context's consumer; an error for this session to its error handler, or without one it is kept for
 * the next abr_archive_poll_for_error_response / abr_archive_check_for_error_response. Call it regularly on
 * an otherwise idle client, or the archive will end the session when its responses stop getting through. */
ABR_EXPORT int abr_archive_poll(abr_archive_t *archive);

/*
 * Asynchronous traffic.
 */

/* The text AeronArchive.pollForErrorResponse returns when the response channel is not connected. */
#define ABR_ARCHIVE_NOT_CONNECTED_MSG "not connected"

/* Poll the response channel once for an error for this session, as AeronArchive.pollForErrorResponse: other messages
 * are consumed (signals dispatched). buffer_length must be > 0. Returns 1 with the archive's text copied to buffer
 * (truncated, NUL-terminated)
 * when there was an error or the channel is not connected (ABR_ARCHIVE_NOT_CONNECTED_MSG), 0 when there was none,
 * -1 on failure. */
ABR_EXPORT int abr_archive_poll_for_error_response(abr_archive_t *archive, char *buffer, size_t buffer_length);

/* Poll once as above, and fail with the archive's error (or ABR_ERROR_ARCHIVE_NOT_CONNECTED) unless an error handler
 * is set, which then receives it. Returns 0 when there was nothing to report. */
ABR_EXPORT int abr_archive_check_for_error_response(abr_archive_t *archive);

/* Poll the response channel once for a recording signal and hand it to the context's consumer. Returns 1 when one was
 * dispatched, 0 when not; an archive error for this session fails the call unless an error handler is set. */
ABR_EXPORT int abr_archive_poll_for_recording_signals(abr_archive_t *archive);

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

/* Extend a stopped recording from its stop position: the channel must carry the initial position (see
 * listRecording); *subscription_id receives the archive's subscription id. */
ABR_EXPORT int abr_archive_extend_recording(
    int64_t *subscription_id,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *channel,
    int32_t stream_id,
    abr_archive_source_location_t source_location,
    bool auto_stop);

/* The try-variants succeed with *stopped false where the plain ones fail because there was nothing to stop. */
ABR_EXPORT int abr_archive_try_stop_recording_channel_and_stream(
    bool *stopped, abr_archive_t *archive, const char *channel, int32_t stream_id);
ABR_EXPORT int abr_archive_try_stop_recording_subscription(bool *stopped, abr_archive_t *archive, int64_t subscription_id);
ABR_EXPORT int abr_archive_try_stop_recording_by_identity(bool *stopped, abr_archive_t *archive, int64_t recording_id);

/* Add an exclusive publication through the archive client's core client and record its session (a session-specific
 * recording, as AeronArchive.addRecordedExclusivePublication). The caller owns *publication and closes it with
 * abr_exclusive_publication_close; if the recording cannot be started the publication is closed and -1 returned. */
ABR_EXPORT int abr_archive_add_recorded_exclusive_publication(
    abr_exclusive_publication_t **publication, abr_archive_t *archive, const char *channel, int32_t stream_id);

/* Stop the session-specific recording of a publication: its channel with its session id, and its stream. */
ABR_EXPORT int abr_archive_stop_recording_exclusive_publication(
    abr_archive_t *archive, abr_exclusive_publication_t *publication);

/* As abr_archive_add_recorded_exclusive_publication for a concurrent publication (AeronArchive.addRecordedPublication):
 * refused, and the publication closed, when one already exists on the channel and stream, since its session is then
 * not this client's alone to record. */
ABR_EXPORT int abr_archive_add_recorded_publication(
    abr_publication_t **publication, abr_archive_t *archive, const char *channel, int32_t stream_id);

/* As abr_archive_stop_recording_exclusive_publication for a concurrent publication. */
ABR_EXPORT int abr_archive_stop_recording_publication(abr_archive_t *archive, abr_publication_t *publication);

/* Start position of a recording. */
ABR_EXPORT int abr_archive_get_start_position(int64_t *position, abr_archive_t *archive, int64_t recording_id);

/* Recorded position of a recording, active or not. */
ABR_EXPORT int abr_archive_get_max_recorded_position(int64_t *position, abr_archive_t *archive, int64_t recording_id);

/* The last recording from min_recording_id on whose channel contains channel_fragment, with this stream and session;
 * *recording_id receives ABR_ARCHIVE_NULL_VALUE when none matches. */
ABR_EXPORT int abr_archive_find_last_matching_recording(
    int64_t *recording_id,
    abr_archive_t *archive,
    int64_t min_recording_id,
    const char *channel_fragment,
    int32_t stream_id,
    int32_t session_id);

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

/* Recordings from from_recording_id on whose channel contains channel_fragment, on this stream. */
ABR_EXPORT int abr_archive_list_recordings_for_uri(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    const char *channel_fragment,
    int32_t stream_id,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd);

/*
 * Batched listing, for bindings where a call per descriptor is dear (JNI): descriptors are written one after the
 * other into the caller's buffer as records, and on_batch gets the filled part whenever the next record would not
 * fit and once more at the end of the listing (also when it fails part way), then the buffer is reused. A record,
 * all in native byte order and unaligned-safe to read, is:
 *   offset  0: seven int64 -- control_session_id, correlation_id, recording_id, start_timestamp, stop_timestamp,
 *              start_position, stop_position
 *   offset 56: six int32 -- initial_term_id, segment_file_length, term_buffer_length, mtu_length, session_id,
 *              stream_id
 *   offset 80: three int32 -- byte lengths of stripped_channel, original_channel, source_identity
 *   offset 92: those strings' UTF-8 bytes, in that order, without NULs
 * and the next record starts at the next multiple of ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT. A descriptor whose
 * record is longer than capacity is passed over, and the call then fails once the listing has been read.
 */
#define ABR_ARCHIVE_DESCRIPTOR_RECORD_HEADER_LENGTH 92
#define ABR_ARCHIVE_DESCRIPTOR_RECORD_ALIGNMENT 8

typedef void (*abr_archive_recording_descriptor_batch_func_t)(
    void *clientd, const uint8_t *buffer, size_t length, int32_t count);

ABR_EXPORT int abr_archive_list_recordings_batched(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd);

ABR_EXPORT int abr_archive_list_recording_batched(
    int32_t *count,
    abr_archive_t *archive,
    int64_t recording_id,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd);

ABR_EXPORT int abr_archive_list_recordings_for_uri_batched(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    const char *channel_fragment,
    int32_t stream_id,
    uint8_t *buffer,
    size_t capacity,
    abr_archive_recording_descriptor_batch_func_t on_batch,
    void *clientd);

/* The archive's recording subscriptions from pseudo_index on, those whose channel contains channel_fragment (and, if
 * apply_stream_id, on stream_id). */
ABR_EXPORT int abr_archive_list_recording_subscriptions(
    int32_t *count,
    abr_archive_t *archive,
    int32_t pseudo_index,
    int32_t subscription_count,
    const char *channel_fragment,
    int32_t stream_id,
    bool apply_stream_id,
    abr_archive_recording_subscription_descriptor_consumer_t consumer,
    void *clientd);

/*
 * Replay and maintenance. Replays arrive on replay_channel/replay_stream_id with the replay session id's low 32 bits
 * as their session id. Lengths: a byte count, or ABR_ARCHIVE_NULL_VALUE (-1) to replay to the live end and follow it.
 */

/* Start a replay; *replay_session_id receives the archive's id for it (for abr_archive_stop_replay). */
ABR_EXPORT int abr_archive_start_replay(
    int64_t *replay_session_id,
    abr_archive_t *archive,
    int64_t recording_id,
    int64_t position,
    int64_t length,
    const char *replay_channel,
    int32_t replay_stream_id);

/* As start_replay, bounded by the value of the counter limit_counter_id (>= 0; for a replay that follows a live
 * recording no further than a position the caller publishes). */
ABR_EXPORT int abr_archive_start_bounded_replay(
    int64_t *replay_session_id,
    abr_archive_t *archive,
    int64_t recording_id,
    int64_t position,
    int64_t length,
    int32_t limit_counter_id,
    const char *replay_channel,
    int32_t replay_stream_id);

/* Start a replay and add, through the archive client's core client, the subscription it arrives on (the channel
 * with session-id set). The caller owns *subscription and closes it with abr_subscription_close. */
ABR_EXPORT int abr_archive_replay(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    int64_t recording_id,
    int64_t position,
    int64_t length,
    const char *replay_channel,
    int32_t replay_stream_id);

/* Length of a replay that runs to the recording's live end and follows it (AeronArchive.REPLAY_ALL_AND_FOLLOW). */
#define ABR_ARCHIVE_REPLAY_ALL_AND_FOLLOW (-1LL)
/* Length of a replay that stops at the recorded end as of the request (AeronArchive.REPLAY_ALL_AND_STOP). */
#define ABR_ARCHIVE_REPLAY_ALL_AND_STOP (-2LL)

/*
 * Optional replay parameters, with the meanings and defaults of AeronArchive's ReplayParams. The archive ignores
 * file_io_max_length and replay_token where its protocol predates them.
 */
typedef struct abr_archive_replay_params_stct
{
    /* Position to replay from, or ABR_ARCHIVE_NULL_POSITION for the recording's start. */
    int64_t position;
    /* Bytes to replay, ABR_ARCHIVE_REPLAY_ALL_AND_FOLLOW or ABR_ARCHIVE_REPLAY_ALL_AND_STOP. */
    int64_t length;
    /* Counter whose value bounds the replay (a bounded replay request), or ABR_ARCHIVE_NULL_VALUE for none. */
    int32_t bounding_limit_counter_id;
    /* Largest file read the replay makes (lowers a replay's priority), or ABR_ARCHIVE_NULL_VALUE for the
     * archive's own setting; below the recording's MTU the archive refuses the replay. */
    int32_t file_io_max_length;
    /* Token identifying the control session when the replay is requested over another connection; the archive
     * reads it only for replay channels with control-mode=response, for which the client fetches one itself. */
    int64_t replay_token;
    /* Registration id of the control-mode=response subscription the replay goes to: required by
     * start_replay_with_params on a response channel (replay_with_params adds its own), else unused. */
    int64_t subscription_registration_id;
}
abr_archive_replay_params_t;

/* Fill params with ReplayParams' defaults: from the start, all and follow, unbounded, archive's file I/O, no token. */
ABR_EXPORT int abr_archive_replay_params_init(abr_archive_replay_params_t *params);

/* Write into buffer (capacity bytes, NUL-terminated) a one-line description naming every field of params by its C
 * name with its value, e.g. "position=0 length=-1 bounding_limit_counter_id=-1 ...", for logs and for checking what a
 * caller (such as a language binding) actually put into the struct. Returns the length written (without the NUL), or
 * -1 (ABR_ERROR_INVALID_ARGUMENT) for NULL params or buffer, or a capacity too small (buffer then holds ""). */
ABR_EXPORT int abr_archive_replay_params_describe(
    const abr_archive_replay_params_t *params, char *buffer, size_t capacity);

/* Start a replay as described by params (NULL: the defaults); a bounded replay when params name a limit counter.
 * *replay_session_id receives the archive's id for it. On a control-mode=response channel, as AeronArchive: a replay
 * token is requested, the request goes over a connection tied to params->subscription_registration_id, and
 * *replay_session_id receives that request's correlation id. */
ABR_EXPORT int abr_archive_start_replay_with_params(
    int64_t *replay_session_id,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params);

/* As abr_archive_replay, with params (NULL: the defaults). On a control-mode=response channel, as AeronArchive: the
 * subscription is added first, the replay requested with a replay token over a connection tied to it, and the call
 * returns once the replay's image is there (within the message timeout). The caller owns *subscription. */
ABR_EXPORT int abr_archive_replay_with_params(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params);

ABR_EXPORT int abr_archive_stop_replay(abr_archive_t *archive, int64_t replay_session_id);

/* Stop every replay of a recording (ABR_ARCHIVE_NULL_VALUE: of all recordings) this archive is running. */
ABR_EXPORT int abr_archive_stop_all_replays(abr_archive_t *archive, int64_t recording_id);

/* Truncate a stopped recording to position (a frame boundary); *deleted_segments receives the segments deleted. */
ABR_EXPORT int abr_archive_truncate_recording(
    int64_t *deleted_segments, abr_archive_t *archive, int64_t recording_id, int64_t position);

/* Delete a stopped recording and its files; *deleted_segments receives the segments deleted. */
ABR_EXPORT int abr_archive_purge_recording(int64_t *deleted_segments, abr_archive_t *archive, int64_t recording_id);

/* The core client the archive client uses (its own or the one given by abr_archive_context_set_client); valid while
 * the archive client is open. NULL for NULL. */
ABR_EXPORT abr_client_t *abr_archive_client(abr_archive_t *archive);

/*
 * Segment files: detach segments before new_start_position (a segment boundary) from a recording, delete detached
 * ones, purge (detach and delete) them, attach detached ones back, migrate the segments of src to the start of dst;
 * *count receives the number of segment files acted on. Update the channel a recording is listed under.
 */
ABR_EXPORT int abr_archive_detach_segments(abr_archive_t *archive, int64_t recording_id, int64_t new_start_position);
ABR_EXPORT int abr_archive_delete_detached_segments(int64_t *count, abr_archive_t *archive, int64_t recording_id);
ABR_EXPORT int abr_archive_purge_segments(
    int64_t *count, abr_archive_t *archive, int64_t recording_id, int64_t new_start_position);
ABR_EXPORT int abr_archive_attach_segments(int64_t *count, abr_archive_t *archive, int64_t recording_id);
ABR_EXPORT int abr_archive_migrate_segments(
    int64_t *count, abr_archive_t *archive, int64_t src_recording_id, int64_t dst_recording_id);
ABR_EXPORT int abr_archive_update_channel(abr_archive_t *archive, int64_t recording_id, const char *channel);

/* The position at which the segment file holding position begins, for a recording that started at start_position
 * with these term and segment lengths (powers of two): what detach and purge take as new_start_position. -1 with
 * ABR_ERROR_INVALID_ARGUMENT for lengths that are not positive powers of two or a position before the start. */
ABR_EXPORT int64_t abr_archive_segment_file_base_position(
    int64_t start_position, int64_t position, int32_t term_buffer_length, int32_t segment_file_length);

/*
 * Replication: the archive this client is connected to copies a recording from a source archive, reached through
 * the source's control channel and stream. Field meanings and defaults are those of AeronArchive's ReplicationParams.
 */
typedef struct abr_archive_replication_params_stct
{
    /* Position to stop at, or ABR_ARCHIVE_NULL_POSITION to follow the source recording. */
    int64_t stop_position;
    /* Existing destination recording to extend, or ABR_ARCHIVE_NULL_VALUE for a new one. */
    int64_t dst_recording_id;
    /* Destination to add to a live subscription once the replication has caught up; NULL for none. */
    const char *live_destination;
    /* Channel the replay from the source arrives on; NULL for the destination archive's default. */
    const char *replication_channel;
    int64_t channel_tag_id;
    int64_t subscription_tag_id;
    int32_t file_io_max_length;
    /* Session id for the replicated stream, or ABR_ARCHIVE_NULL_VALUE; not together with live_destination. */
    int32_t replication_session_id;
    /* Credentials for the source archive; NULL (with length 0) for none. */
    const uint8_t *encoded_credentials;
    uint32_t encoded_credentials_length;
    /* Response channel the source archive answers the destination on; NULL for the default. */
    const char *src_response_channel;
}
abr_archive_replication_params_t;

/* Fill params with ReplicationParams' defaults: null positions and ids, no channels, no credentials. */
ABR_EXPORT int abr_archive_replication_params_init(abr_archive_replication_params_t *params);

/* As abr_archive_replay_params_describe, for replication params: strings quoted ('...') or null, the encoded
 * credentials as hex (encoded_credentials_length bytes) or null. */
ABR_EXPORT int abr_archive_replication_params_describe(
    const abr_archive_replication_params_t *params, char *buffer, size_t capacity);

/* Ask the connected archive to replicate src_recording_id from the archive at src_control_channel/
 * src_control_stream_id; *replication_id receives the id to stop it with. params NULL means the defaults. */
ABR_EXPORT int abr_archive_replicate(
    int64_t *replication_id,
    abr_archive_t *archive,
    int64_t src_recording_id,
    int32_t src_control_stream_id,
    const char *src_control_channel,
    const abr_archive_replication_params_t *params);

/* Stop a replication; an unknown replication id is an error (ABR_ERROR_ARCHIVE_UNKNOWN_REPLICATION). */
ABR_EXPORT int abr_archive_stop_replication(abr_archive_t *archive, int64_t replication_id);

/* As stop_replication, but an unknown replication is not a failure: *stopped is false then. */
ABR_EXPORT int abr_archive_try_stop_replication(bool *stopped, abr_archive_t *archive, int64_t replication_id);

/*
 * Replay merge: consume a recorded stream from a position of its recording, then carry on with the live stream
 * without a gap or a duplicate, as io.aeron.archive.client.ReplayMerge (1.51.0) does. The subscription must be a
 * multi-destination one (its channel has control-mode=manual, UDP: IPC cannot merge); the replay arrives on the replay
 * destination and the live stream on the live destination, both added to it, and because the replay is given the
 * session id of the live stream (in the replay channel), both feed one image, which the merge polls. A state machine
 * the caller drives from its duty cycle (abr_archive_replay_merge_poll, or do_work when it polls elsewhere); not
 * thread-safe.
 *
 * States and transitions:
 *   RESOLVE_REPLAY_PORT     the replay destination's endpoint has port 0: wait until the driver has bound it, then put
 *                           the bound address in the replay channel's endpoint -> GET_RECORDING_POSITION.
 *   GET_RECORDING_POSITION  ask the archive for the recording's max recorded position (backing off from 8 ms to
 *                           500 ms between asks while it has none) -> REPLAY with that as the target.
 *   REPLAY                  start a replay from start_position that follows the recording (replay channel with
 *                           linger=0 and eos=false), keeping its replay session id -> CATCHUP.
 *   CATCHUP                 wait for the replay's image (the session id of the replay) and for it to reach the target
 *                           -> ATTEMPT_LIVE_JOIN. An image that goes meanwhile fails the merge.
 *   ATTEMPT_LIVE_JOIN       ask the max recorded position again (the new target). When the image is within
 *                           min(term length / 4, 32 MiB) of it and the live destination is not added yet, add it
 *                           -> CATCHUP; when it is at the target with live added and the image fed by both
 *                           destinations (its log's active transport count >= 2), remove the replay destination and
 *                           stop the replay -> MERGED; otherwise -> CATCHUP.
 *   MERGED                  the image now carries on from the live stream alone; poll keeps polling it.
 *   FAILED                  an archive error response for the session, the archive or its response channel gone, a
 *                           destination command the driver refused, the image gone, or no progress within
 *                           merge_progress_timeout_ms (ABR_ERROR_TIMEOUT, naming the state and the active transport
 *                           count). The call that failed returns -1 with the error; later ones return 0 and
 *                           abr_archive_replay_merge_failure keeps the reason.
 *   CLOSED                  closing; close frees the merge, so C callers never see it (a binding's owner may).
 * Any state before MERGED makes progress when a request is sent or answered, the image appears or moves; no progress
 * for merge_progress_timeout_ms fails the merge.
 *
 * While a merge runs, the archive client may be used for other calls from the same or other threads, and with
 * auto-poll: the merge's answers are kept for it. Close the merge before its archive client and subscription.
 */
typedef struct abr_archive_replay_merge_stct abr_archive_replay_merge_t;

typedef enum abr_archive_replay_merge_state_en
{
    ABR_ARCHIVE_REPLAY_MERGE_RESOLVE_REPLAY_PORT = 0,
    ABR_ARCHIVE_REPLAY_MERGE_GET_RECORDING_POSITION = 1,
    ABR_ARCHIVE_REPLAY_MERGE_REPLAY = 2,
    ABR_ARCHIVE_REPLAY_MERGE_CATCHUP = 3,
    ABR_ARCHIVE_REPLAY_MERGE_ATTEMPT_LIVE_JOIN = 4,
    ABR_ARCHIVE_REPLAY_MERGE_MERGED = 5,
    ABR_ARCHIVE_REPLAY_MERGE_FAILED = 6,
    ABR_ARCHIVE_REPLAY_MERGE_CLOSED = 7
}
abr_archive_replay_merge_state_t;

/* ReplayMerge's default merge progress timeout: 5 s. */
#define ABR_ARCHIVE_REPLAY_MERGE_PROGRESS_TIMEOUT_DEFAULT_MS 5000
/* ReplayMerge.LIVE_ADD_MAX_WINDOW: the live destination is added no further than this behind the target. */
#define ABR_ARCHIVE_REPLAY_MERGE_LIVE_ADD_MAX_WINDOW (32 * 1024 * 1024)

/* Milliseconds since the epoch, as Agrona's EpochClock gives them; clientd passed through. */
typedef int64_t (*abr_epoch_clock_func_t)(void *clientd);

/* Create a merge (*merge set; the caller's until close) and send the add of the replay destination to the
 * subscription. replay_channel is the channel the archive replays to; it must name the live stream's session id
 * ("aeron:udp?session-id=<the recorded publication's session id>") so that the replay and the live stream feed one
 * image: the merge puts the replay destination's endpoint into it. replay_destination and live_destination are
 * endpoint channels ("aeron:udp?endpoint=localhost:0" for an ephemeral replay port). epoch_clock NULL means the
 * system clock.
 * merge_progress_timeout_ms > 0. The strings are copied. -1 for a NULL argument, a subscription without
 * control-mode=manual or on IPC, a malformed channel, a replay destination without an endpoint, a closed archive
 * client or subscription. */
ABR_EXPORT int abr_archive_replay_merge_init(
    abr_archive_replay_merge_t **merge,
    abr_subscription_t *subscription,
    abr_archive_t *archive,
    const char *replay_channel,
    const char *replay_destination,
    const char *live_destination,
    int64_t recording_id,
    int64_t start_position,
    abr_epoch_clock_func_t epoch_clock,
    void *epoch_clock_clientd,
    int64_t merge_progress_timeout_ms);

/* Stop the merge: unless merged, remove the replay destination and stop the replay (when the archive client is still
 * connected), without waiting for answers. Neither the subscription nor the archive client is closed. Safe on NULL. */
ABR_EXPORT int abr_archive_replay_merge_close(abr_archive_replay_merge_t *merge);

/* Advance the state machine one step: the work done (>= 0), or -1 when it fails now (state FAILED, error set). The
 * progress timeout counts from the first call. */
ABR_EXPORT int abr_archive_replay_merge_do_work(abr_archive_replay_merge_t *merge);

/* As do_work, at the time now_ms (epoch ms) the caller read from its own clock instead of the merge's: for a binding
 * whose clock lives on its side. */
ABR_EXPORT int abr_archive_replay_merge_do_work_at(abr_archive_replay_merge_t *merge, int64_t now_ms);

/* do_work, then poll the image of the replay (and of the live stream once merged) for up to fragment_limit fragments:
 * the number handed to handler, or -1 (do_work failed, or the poll did). 0 until the image is there. */
ABR_EXPORT int abr_archive_replay_merge_poll(
    abr_archive_replay_merge_t *merge, abr_fragment_handler_t handler, void *clientd, int fragment_limit);

/* The state (abr_archive_replay_merge_state_t), or -1 for NULL. */
ABR_EXPORT int abr_archive_replay_merge_state(abr_archive_replay_merge_t *merge);
/* The state's name as ReplayMerge.State spells it ("CATCHUP"); "UNKNOWN" for a value out of range. */
ABR_EXPORT const char *abr_archive_replay_merge_state_name(int state);
/* False for NULL. */
ABR_EXPORT bool abr_archive_replay_merge_is_merged(abr_archive_replay_merge_t *merge);
ABR_EXPORT bool abr_archive_replay_merge_has_failed(abr_archive_replay_merge_t *merge);
ABR_EXPORT bool abr_archive_replay_merge_is_live_added(abr_archive_replay_merge_t *merge);
/* The session id of the merge's image into *session_id: 1 once the image is found, 0 before, -1 for NULL arguments. */
ABR_EXPORT int abr_archive_replay_merge_image_session_id(abr_archive_replay_merge_t *merge, int32_t *session_id);
/* Why the merge failed (owned by it, valid until close) with its error code into *code (may be NULL); NULL when it has
 * not failed, or for NULL. */
ABR_EXPORT const char *abr_archive_replay_merge_failure(abr_archive_replay_merge_t *merge, int *code);

/*
 * Persistent subscription, as io.aeron.archive.client.PersistentSubscription (Aeron 1.51.0): consume a live stream
 * that is also recorded, in order and without gaps whenever its messages were published. It replays the recording
 * from the start position, asks the archive how far the recording is, adds the live subscription once the replay is
 * within a quarter of a term of that, lets the live image catch up to the replay and switches to it at one position
 * (no gap, no duplicate); when the live image goes later, it replays from where it was and joins again. Messages are
 * reassembled, also across the switch. Not thread-safe: poll it in one duty cycle; each poll does a little work and
 * never sleeps or waits for the archive: each request is sent in one state and its answer read in the next, across
 * polls. The subscriptions are added on the archive context's client core, or, when it names none, on one the
 * subscription connects at create (and closes at close). An archive client that loses its archive (Archive stopped or
 * restarted, session ended) is closed and another connected in the background, as PersistentSubscription's is; a
 * connect that fails is told to on_error (not terminal) and made again.
 *
 * States (abr_archive_persistent_subscription_state_t; the values are PersistentSubscription.State's codes, which its
 * state counter shows):
 *   AWAIT_ARCHIVE_CONNECTION     until the archive client is connected (asynchronously, from the archive context).
 *                                Entered again from any state but ATTEMPT_SWITCH and LIVE when the archive is lost
 *                                (the replay given up, the position kept) or a request cannot be sent for that.
 *   SEND_LIST_RECORDING_REQUEST  send the request to look the recording up (sent again on the next poll when it
 *                                cannot be sent yet).
 *   AWAIT_LIST_RECORDING_RESPONSE  its answer, read without waiting; none within the message timeout: sent again.
 *                                The recording is checked: unknown (RECORDING_NOT_FOUND), another stream
 *                                id (STREAM_ID_MISMATCH), a start position before its start or past its stop, or a
 *                                stop before the live position seen (INVALID_START_POSITION) fail. FROM_START becomes
 *                                the recording's start. FROM_LIVE, or a position at the stop: ADD_LIVE_SUBSCRIPTION;
 *                                otherwise SEND_REPLAY_REQUEST.
 *   SEND_REPLAY_REQUEST          ask for a replay from the position, following the recording (sent again on the next
 *                                poll when it cannot be sent yet).
 *   AWAIT_REPLAY_RESPONSE        its answer; an error fails (INVALID_START_POSITION, RECORDING_NOT_FOUND or GENERIC),
 *                                no answer within the message timeout asks again.
 *   ADD_REPLAY_SUBSCRIPTION      add the replay channel's subscription, with the replay's session id. A UDP replay
 *                                channel on port 0 (endpoint host:0) or with control-mode=response is subscribed to
 *                                first instead, before the replay is asked for: a replay's setup starts here and the
 *                                replay's answer goes to REPLAY.
 *   AWAIT_REPLAY_SUBSCRIPTION    until the driver has added it (refused with RESOURCE_TEMPORARILY_UNAVAILABLE: told,
 *                                not terminal, and the replay set up again).
 *   AWAIT_REPLAY_CHANNEL_ENDPOINT  port 0: until the driver has bound the replay subscription's socket; the replay
 *                                request then names the bound port (the host as configured). A response channel with
 *                                no port 0 goes on at once.
 *   ADD_REQUEST_PUBLICATION      control-mode=response: add a publication to the archive's control channel tied to
 *                                the replay subscription (response-correlation-id), which the replay request will
 *                                travel over. The replay channel's media (IPC or UDP) must be the control channel's.
 *   AWAIT_REQUEST_PUBLICATION    until the driver has added it (RESOURCE_TEMPORARILY_UNAVAILABLE: told, set up again).
 *   SEND_REPLAY_TOKEN_REQUEST    ask the archive for a replay token for the recording.
 *   AWAIT_REPLAY_TOKEN           its answer: an error fails (the archive's message), none within the message timeout
 *                                sets the replay up again; then AWAIT_REPLAY_CHANNEL_ENDPOINT (UDP) or
 *                                SEND_REPLAY_REQUEST (IPC), which sends over the request publication, with the token,
 *                                once the archive has connected to it. The publication goes once the replay is
 *                                answered.
 *   REPLAY                       hand over the replay's messages; no replay image within the message timeout, or the
 *                                replay image gone, replays again from where it was. Once caught up with the
 *                                recording, add the live subscription; with its image there: ATTEMPT_SWITCH.
 *   ATTEMPT_SWITCH               the live image skips what the replay has handed over; the replay goes on up to where
 *                                the live image is, then LIVE (on_live_joined). The replay image gone: look the
 *                                recording up again; the live image gone: back to REPLAY.
 *   ADD_LIVE_SUBSCRIPTION        add the live subscription (no replay needed).
 *   AWAIT_LIVE                   until it has an image: a live image ahead of the position looks the recording up
 *                                again (to replay the difference), otherwise LIVE (on_live_joined).
 *   LIVE                         hand over the live image's messages; once it is gone: on_live_left, then look the
 *                                recording up again and replay from its final position.
 *   FAILED                       a terminal error (reason and message kept; on_error told, terminal true).
 */
typedef struct abr_archive_persistent_subscription_context_stct abr_archive_persistent_subscription_context_t;
typedef struct abr_archive_persistent_subscription_stct abr_archive_persistent_subscription_t;

/* PersistentSubscription.FROM_START (replay the whole recording) and FROM_LIVE (join live, no history). */
#define ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_START ABR_ARCHIVE_NULL_POSITION
#define ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FROM_LIVE (-2)

typedef enum abr_archive_persistent_subscription_state_en
{
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_ARCHIVE_CONNECTION = 0,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_LIST_RECORDING_REQUEST = 1,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIST_RECORDING_RESPONSE = 2,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_REQUEST = 3,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_RESPONSE = 4,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REPLAY_SUBSCRIPTION = 5,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_SUBSCRIPTION = 6,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_CHANNEL_ENDPOINT = 7,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_REQUEST_PUBLICATION = 8,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REQUEST_PUBLICATION = 9,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_SEND_REPLAY_TOKEN_REQUEST = 10,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_REPLAY_TOKEN = 11,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REPLAY = 12,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ATTEMPT_SWITCH = 13,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_ADD_LIVE_SUBSCRIPTION = 14,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_AWAIT_LIVE = 15,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_LIVE = 16,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_FAILED = 17
}
abr_archive_persistent_subscription_state_t;

/* PersistentSubscriptionException.Reason, in its order; NONE for a failure that is not one of them (a driver or
 * archive client error, whose code says what it is). */
typedef enum abr_archive_persistent_subscription_reason_en
{
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_NONE = -1,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_GENERIC = 0,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_RECORDING_NOT_FOUND = 1,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_STREAM_ID_MISMATCH = 2,
    ABR_ARCHIVE_PERSISTENT_SUBSCRIPTION_REASON_INVALID_START_POSITION = 3
}
abr_archive_persistent_subscription_reason_t;

/* PersistentSubscriptionListener. Any callback may be NULL. They run inside poll, on its thread, and must not call
 * the persistent subscription. on_error: code is the abr error code, reason as above, message valid during the call;
 * terminal says the subscription is FAILED now (non-terminal: no live image within the message timeout). */
typedef void (*abr_archive_persistent_subscription_event_func_t)(void *clientd);
typedef void (*abr_archive_persistent_subscription_error_func_t)(
    void *clientd, int code, int reason, const char *message, bool terminal);

typedef struct abr_archive_persistent_subscription_listener_stct
{
    abr_archive_persistent_subscription_event_func_t on_live_joined;
    abr_archive_persistent_subscription_event_func_t on_live_left;
    abr_archive_persistent_subscription_error_func_t on_error;
    void *clientd;
}
abr_archive_persistent_subscription_listener_t;

/* A context with PersistentSubscription.Context's defaults: recording id, streams and channels unset, start position
 * FROM_LIVE, no listener, no archive context. 0, or -1 (NULL, no memory). */
ABR_EXPORT int abr_archive_persistent_subscription_context_init(abr_archive_persistent_subscription_context_t **context);
/* Safe on NULL. A subscription created with it is unaffected (it has a copy). */
ABR_EXPORT int abr_archive_persistent_subscription_context_close(abr_archive_persistent_subscription_context_t *context);
/* The archive context the subscription connects with; not copied here: it must stay open until create, which starts
 * the connect (the connect copies it). Its client (abr_archive_context_set_client), if set, also carries the replay
 * and live subscriptions; otherwise the archive client's own does. */
ABR_EXPORT int abr_archive_persistent_subscription_context_set_archive_context(
    abr_archive_persistent_subscription_context_t *context, abr_archive_context_t *archive_context);
ABR_EXPORT abr_archive_context_t *abr_archive_persistent_subscription_context_get_archive_context(
    abr_archive_persistent_subscription_context_t *context);
/* >= 0. */
ABR_EXPORT int abr_archive_persistent_subscription_context_set_recording_id(
    abr_archive_persistent_subscription_context_t *context, int64_t recording_id);
ABR_EXPORT int64_t abr_archive_persistent_subscription_context_get_recording_id(
    abr_archive_persistent_subscription_context_t *context);
/* >= 0, FROM_START or FROM_LIVE. */
ABR_EXPORT int abr_archive_persistent_subscription_context_set_start_position(
    abr_archive_persistent_subscription_context_t *context, int64_t start_position);
ABR_EXPORT int64_t abr_archive_persistent_subscription_context_get_start_position(
    abr_archive_persistent_subscription_context_t *context);
/* Channels: not NULL nor empty, at most 4095 bytes (ChannelUri.MAX_URI_LENGTH); copied. */
ABR_EXPORT int abr_archive_persistent_subscription_context_set_live_channel(
    abr_archive_persistent_subscription_context_t *context, const char *channel);
ABR_EXPORT const char *abr_archive_persistent_subscription_context_get_live_channel(
    abr_archive_persistent_subscription_context_t *context);
ABR_EXPORT int abr_archive_persistent_subscription_context_set_live_stream_id(
    abr_archive_persistent_subscription_context_t *context, int32_t stream_id);
ABR_EXPORT int32_t abr_archive_persistent_subscription_context_get_live_stream_id(
    abr_archive_persistent_subscription_context_t *context);
ABR_EXPORT int abr_archive_persistent_subscription_context_set_replay_channel(
    abr_archive_persistent_subscription_context_t *context, const char *channel);
ABR_EXPORT const char *abr_archive_persistent_subscription_context_get_replay_channel(
    abr_archive_persistent_subscription_context_t *context);
ABR_EXPORT int abr_archive_persistent_subscription_context_set_replay_stream_id(
    abr_archive_persistent_subscription_context_t *context, int32_t stream_id);
ABR_EXPORT int32_t abr_archive_persistent_subscription_context_get_replay_stream_id(
    abr_archive_persistent_subscription_context_t *context);
/* Copied; NULL: no listener. */
ABR_EXPORT int abr_archive_persistent_subscription_context_set_listener(
    abr_archive_persistent_subscription_context_t *context,
    const abr_archive_persistent_subscription_listener_t *listener);

/* PersistentSubscription.Context's counters (abr_client.h's abr_counter_t): the state code, the join difference (live
 * position minus replay position at the switch attempt, INT64_MIN while not consuming live), and how many times it left
 * and joined the live stream. A counter left NULL (the default) is allocated by the subscription once its core client
 * is there, with AeronCounters' type id (114 to 117) and PersistentSubscription's label ("Persistent Subscription
 * State: <replay stream id> <replay channel with rejoin=false> <live stream id> <live channel>", cut to 380 bytes), and closed with the
 * subscription. A counter given is only written, never closed, and must stay valid while the subscription lives.
 * Setters: 0, or -1 for a NULL context; NULL unsets. */
ABR_EXPORT int abr_archive_persistent_subscription_context_set_state_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter);
ABR_EXPORT abr_counter_t *abr_archive_persistent_subscription_context_get_state_counter(
    abr_archive_persistent_subscription_context_t *context);
ABR_EXPORT int abr_archive_persistent_subscription_context_set_join_difference_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter);
ABR_EXPORT abr_counter_t *abr_archive_persistent_subscription_context_get_join_difference_counter(
    abr_archive_persistent_subscription_context_t *context);
ABR_EXPORT int abr_archive_persistent_subscription_context_set_live_left_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter);
ABR_EXPORT abr_counter_t *abr_archive_persistent_subscription_context_get_live_left_counter(
    abr_archive_persistent_subscription_context_t *context);
ABR_EXPORT int abr_archive_persistent_subscription_context_set_live_joined_counter(
    abr_archive_persistent_subscription_context_t *context, abr_counter_t *counter);
ABR_EXPORT abr_counter_t *abr_archive_persistent_subscription_context_get_live_joined_counter(
    abr_archive_persistent_subscription_context_t *context);

/* Create it from the context (copied) and start the archive connect: 0 with *subscription (the caller's until close),
 * or -1: a NULL argument, a context without recording id, live channel or stream id, replay channel or stream id, or
 * archive context (naming the one missing), a malformed channel, a replay channel over a dynamic port
 * (endpoint=...:0) or with control-mode=response, or a connect that cannot start. */
ABR_EXPORT int abr_archive_persistent_subscription_create(
    abr_archive_persistent_subscription_t **subscription, abr_archive_persistent_subscription_context_t *context);
/* Stop the replay (if any, without waiting for the answer), close the replay and live subscriptions and the archive
 * client (and its own core client, if it has one). Safe on NULL. */
ABR_EXPORT int abr_archive_persistent_subscription_close(abr_archive_persistent_subscription_t *subscription);
/* Do the work of the current state and hand up to fragment_limit fragments over, whole messages to handler: > 0 if
 * work was done, 0 if none; -1 only for bad arguments (NULL, fragment_limit <= 0) or when called from its own
 * handler. Failures of the subscription itself are not -1: it becomes FAILED and tells the listener. */
ABR_EXPORT int abr_archive_persistent_subscription_poll(
    abr_archive_persistent_subscription_t *subscription, abr_fragment_handler_t handler, void *clientd,
    int fragment_limit);
/* As poll, the handler's action applying to the whole message (ABORT: the message comes again). */
ABR_EXPORT int abr_archive_persistent_subscription_controlled_poll(
    abr_archive_persistent_subscription_t *subscription, abr_controlled_fragment_handler_t handler, void *clientd,
    int fragment_limit);
/*
 * For a binding that reads the terms itself (as with abr_subscription_poll_images): do_work does what poll does
 * except handing messages over; then poll_ref, 1: *ref is the image to read now (its images locked until
 * abr_archive_persistent_subscription_poll_ref_done), reading no fragment that starts at or past *limit_position;
 * 0: nothing to read now. The binding reassembles messages across images itself. -1 for bad arguments.
 */
ABR_EXPORT int abr_archive_persistent_subscription_do_work(
    abr_archive_persistent_subscription_t *subscription, int fragment_limit);
ABR_EXPORT int abr_archive_persistent_subscription_poll_ref(
    abr_archive_persistent_subscription_t *subscription, abr_image_ref_t *ref, int64_t *limit_position);
ABR_EXPORT int abr_archive_persistent_subscription_poll_ref_done(abr_archive_persistent_subscription_t *subscription);

/* The state, or -1 for NULL; its name ("ATTEMPT_SWITCH"), "UNKNOWN" out of range. */
ABR_EXPORT int abr_archive_persistent_subscription_state(abr_archive_persistent_subscription_t *subscription);
ABR_EXPORT const char *abr_archive_persistent_subscription_state_name(int state);
/* isLive (LIVE), isReplaying (REPLAY or ATTEMPT_SWITCH), hasFailed (FAILED); false for NULL. */
ABR_EXPORT bool abr_archive_persistent_subscription_is_live(abr_archive_persistent_subscription_t *subscription);
ABR_EXPORT bool abr_archive_persistent_subscription_is_replaying(abr_archive_persistent_subscription_t *subscription);
ABR_EXPORT bool abr_archive_persistent_subscription_has_failed(abr_archive_persistent_subscription_t *subscription);
/* Why it failed (owned by it, valid until close), its error code and reason into *code and *reason (either may be
 * NULL); NULL when it has not failed, or for NULL. */
ABR_EXPORT const char *abr_archive_persistent_subscription_failure(
    abr_archive_persistent_subscription_t *subscription, int *code, int *reason);
/* Where it is in the stream: the last position handed over (or the start position before any), -1 for NULL. */
ABR_EXPORT int64_t abr_archive_persistent_subscription_position(abr_archive_persistent_subscription_t *subscription);

ABR_EXTERN_C_END


#endif
