/*
 * The archive-bridge Aeron client core: a client of any Media Driver (Java or C), speaking the
 * driver's protocol through the CnC file in the Aeron directory.
 *
 * Lifecycles are paired: every *_init / *_connect / *_add fills an out-pointer that the caller
 * releases with the matching *_close. Returns follow abr_error.h: 0 (or a count) on success,
 * -1 on failure with abr_errcode()/abr_errmsg() set.
 *
 * Threads: by default a client runs its conductor (keepalives, driver responses, liveness) on a
 * background thread. With abr_context_set_use_conductor_thread(ctx, false) the caller must call
 * abr_client_do_work() regularly instead (invoker mode). Publications and subscriptions may be
 * used from one application thread each while the conductor runs.
 */
#ifndef ABR_CLIENT_H
#define ABR_CLIENT_H

#include "abr_common.h"

ABR_EXTERN_C_BEGIN

/* Environment variables read by abr_context_init, with the names Aeron's C client uses. */
#define ABR_DIR_ENV_VAR "AERON_DIR"
#define ABR_DRIVER_TIMEOUT_ENV_VAR "AERON_DRIVER_TIMEOUT"
#define ABR_CLIENT_NAME_ENV_VAR "AERON_CLIENT_NAME"

/* Default driver timeout, as Aeron's clients use: a driver silent for longer is considered dead. */
#define ABR_DRIVER_TIMEOUT_MS_DEFAULT 10000

typedef struct abr_context_stct abr_context_t;
typedef struct abr_client_stct abr_client_t;
typedef struct abr_exclusive_publication_stct abr_exclusive_publication_t;
typedef struct abr_subscription_stct abr_subscription_t;
typedef struct abr_async_add_stct abr_async_add_t;
typedef struct abr_fragment_assembler_stct abr_fragment_assembler_t;
typedef struct abr_controlled_fragment_assembler_stct abr_controlled_fragment_assembler_t;

/*
 * Client context.
 */

/* Create a context with defaults: the Aeron directory from AERON_DIR, else /dev/shm/aeron-<user>;
 * the driver timeout from AERON_DRIVER_TIMEOUT (ms); the client name from AERON_CLIENT_NAME. */
ABR_EXPORT int abr_context_init(abr_context_t **context);
ABR_EXPORT int abr_context_close(abr_context_t *context);

ABR_EXPORT int abr_context_set_dir(abr_context_t *context, const char *dir);
ABR_EXPORT const char *abr_context_get_dir(abr_context_t *context);
ABR_EXPORT int abr_context_set_driver_timeout_ms(abr_context_t *context, uint64_t timeout_ms);
ABR_EXPORT uint64_t abr_context_get_driver_timeout_ms(abr_context_t *context);
ABR_EXPORT int abr_context_set_client_name(abr_context_t *context, const char *name);
ABR_EXPORT const char *abr_context_get_client_name(abr_context_t *context);
ABR_EXPORT int abr_context_set_use_conductor_thread(abr_context_t *context, bool use_thread);
ABR_EXPORT bool abr_context_get_use_conductor_thread(abr_context_t *context);

/*
 * Client.
 */

/* Map the driver's CnC file, check its version and the driver's liveness, and register with it.
 * The client copies what it needs from the context: the context may be closed afterwards.
 * Fails with ABR_ERROR_NO_DRIVER when there is no live driver at the directory, and with
 * ABR_ERROR_CNC_VERSION_MISMATCH (naming both versions) when the CnC major version differs. */
ABR_EXPORT int abr_client_connect(abr_client_t **client, abr_context_t *context);

/* Tell the driver this client is closing, stop the conductor and release every publication and
 * subscription still open. Safe on NULL. Publications and subscriptions must not be used after. */
ABR_EXPORT int abr_client_close(abr_client_t *client);

/* In invoker mode, do one round of conductor work; returns the amount of work done (>= 0).
 * With a conductor thread it does nothing and returns 0. Fails once the driver is lost. */
ABR_EXPORT int abr_client_do_work(abr_client_t *client);

/* The id the driver knows this client by. */
ABR_EXPORT int64_t abr_client_id(abr_client_t *client);

/* True once the client is closed or has lost its driver; every later call then fails with
 * the reason (ABR_ERROR_DRIVER_TIMEOUT, ABR_ERROR_CLIENT_TIMEOUT or ABR_ERROR_CLOSED). */
ABR_EXPORT bool abr_client_is_closed(abr_client_t *client);

/* A correlation id unique across every client of this driver, from the CnC's shared counter
 * (as Aeron.nextCorrelationId). Returns -1 with the error set when the client is closed. */
ABR_EXPORT int64_t abr_client_next_correlation_id(abr_client_t *client);

/* Ask the driver for a session id not in use for the stream, as Aeron.nextSessionId does.
 * Blocks up to the driver timeout. */
ABR_EXPORT int abr_client_next_session_id(abr_client_t *client, int32_t stream_id, int32_t *session_id);

/*
 * Adding publications and subscriptions: asynchronously (start, then poll until done), or
 * blocking up to the driver timeout. Errors the driver reports come back with its message and
 * name the channel and stream id.
 */

ABR_EXPORT int abr_client_async_add_exclusive_publication(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id);
/* 1 when added (*publication set, async released), 0 while pending, -1 on failure (async released). */
ABR_EXPORT int abr_async_add_exclusive_publication_poll(
    abr_exclusive_publication_t **publication, abr_async_add_t *async);

ABR_EXPORT int abr_client_async_add_subscription(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id);
/* 1 when added (*subscription set, async released), 0 while pending, -1 on failure (async released). */
ABR_EXPORT int abr_async_add_subscription_poll(abr_subscription_t **subscription, abr_async_add_t *async);

/* Abandon a pending add; what the driver creates for it is removed. Safe on NULL. */
ABR_EXPORT int abr_async_add_cancel(abr_async_add_t *async);

ABR_EXPORT int abr_client_add_exclusive_publication(
    abr_exclusive_publication_t **publication, abr_client_t *client, const char *channel, int32_t stream_id);
ABR_EXPORT int abr_client_add_subscription(
    abr_subscription_t **subscription, abr_client_t *client, const char *channel, int32_t stream_id);

/*
 * Exclusive publication.
 */

/* Results of offer below zero, with the values io.aeron.Publication uses. */
#define ABR_PUBLICATION_NOT_CONNECTED (-1L)
#define ABR_PUBLICATION_BACK_PRESSURED (-2L)
#define ABR_PUBLICATION_ADMIN_ACTION (-3L)
#define ABR_PUBLICATION_CLOSED (-4L)
#define ABR_PUBLICATION_MAX_POSITION_EXCEEDED (-5L)
#define ABR_PUBLICATION_ERROR (-6L)

/* Append a message (fragmented if longer than the MTU allows). Returns the new stream position
 * (> 0), or one of the ABR_PUBLICATION_* codes; ABR_PUBLICATION_ERROR sets the thread's error
 * (bad arguments, a message over the maximum length). Does not allocate. */
ABR_EXPORT int64_t abr_exclusive_publication_offer(
    abr_exclusive_publication_t *publication, const uint8_t *buffer, size_t length);

ABR_EXPORT bool abr_exclusive_publication_is_connected(abr_exclusive_publication_t *publication);
ABR_EXPORT bool abr_exclusive_publication_is_closed(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_session_id(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_stream_id(abr_exclusive_publication_t *publication);
ABR_EXPORT int64_t abr_exclusive_publication_registration_id(abr_exclusive_publication_t *publication);
ABR_EXPORT const char *abr_exclusive_publication_channel(abr_exclusive_publication_t *publication);
ABR_EXPORT int64_t abr_exclusive_publication_position(abr_exclusive_publication_t *publication);
ABR_EXPORT size_t abr_exclusive_publication_max_message_length(abr_exclusive_publication_t *publication);

/* Remove it from the driver and release it. Safe on NULL. */
ABR_EXPORT int abr_exclusive_publication_close(abr_exclusive_publication_t *publication);

/*
 * Subscription.
 */

/* What a handler learns of the frame a fragment came in. */
typedef struct abr_header_stct
{
    int32_t frame_length;
    int32_t term_offset;
    int32_t session_id;
    int32_t stream_id;
    int32_t term_id;
    int32_t initial_term_id;
    int32_t position_bits_to_shift;
    uint8_t flags;
    int16_t type;
    int64_t reserved_value;
    /* Stream position just past this fragment. */
    int64_t position;
}
abr_header_t;

/* Frame flags, from the Aeron data header. */
#define ABR_FRAME_BEGIN_FLAG ((uint8_t)0x80)
#define ABR_FRAME_END_FLAG ((uint8_t)0x40)
#define ABR_FRAME_UNFRAGMENTED ((uint8_t)0xC0)

/* The buffer is valid only during the call. */
typedef void (*abr_fragment_handler_t)(void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

typedef enum abr_controlled_action_en
{
    ABR_ACTION_ABORT = 1,
    ABR_ACTION_BREAK = 2,
    ABR_ACTION_COMMIT = 3,
    ABR_ACTION_CONTINUE = 4
}
abr_controlled_action_t;

typedef abr_controlled_action_t (*abr_controlled_fragment_handler_t)(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

/* Hand up to fragment_limit fragments from the subscription's images to the handler.
 * Returns the number handed over, or -1. Does not allocate. */
ABR_EXPORT int abr_subscription_poll(
    abr_subscription_t *subscription, abr_fragment_handler_t handler, void *clientd, int fragment_limit);

/* As poll, with the handler steering consumption (ABORT: leave this fragment for the next poll;
 * BREAK: stop after it; COMMIT: move the position now; CONTINUE: go on). */
ABR_EXPORT int abr_subscription_controlled_poll(
    abr_subscription_t *subscription, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit);

ABR_EXPORT bool abr_subscription_is_connected(abr_subscription_t *subscription);
ABR_EXPORT int abr_subscription_image_count(abr_subscription_t *subscription);
ABR_EXPORT bool abr_subscription_is_closed(abr_subscription_t *subscription);
ABR_EXPORT int32_t abr_subscription_stream_id(abr_subscription_t *subscription);
ABR_EXPORT int64_t abr_subscription_registration_id(abr_subscription_t *subscription);
ABR_EXPORT const char *abr_subscription_channel(abr_subscription_t *subscription);

/* Remove it from the driver and release it. Safe on NULL. */
ABR_EXPORT int abr_subscription_close(abr_subscription_t *subscription);

/*
 * Fragment assemblers: put fragmented messages back together before the delegate sees them.
 * Pass the assembler's handler to poll with the assembler as clientd.
 */

ABR_EXPORT int abr_fragment_assembler_init(
    abr_fragment_assembler_t **assembler, abr_fragment_handler_t delegate, void *delegate_clientd);
ABR_EXPORT int abr_fragment_assembler_close(abr_fragment_assembler_t *assembler);
ABR_EXPORT void abr_fragment_assembler_handler(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

ABR_EXPORT int abr_controlled_fragment_assembler_init(
    abr_controlled_fragment_assembler_t **assembler, abr_controlled_fragment_handler_t delegate, void *delegate_clientd);
ABR_EXPORT int abr_controlled_fragment_assembler_close(abr_controlled_fragment_assembler_t *assembler);
ABR_EXPORT abr_controlled_action_t abr_controlled_fragment_assembler_handler(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

ABR_EXTERN_C_END

#endif
