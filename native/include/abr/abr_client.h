/*
 * The archive-bridge Aeron client core: a client of any Media Driver (Java or C), speaking the
 * driver's protocol through the CnC file in the Aeron directory.
 *
 * Lifecycles are paired: every *_init / *_connect / *_add fills an out-pointer that the caller
 * releases with the matching *_close. Returns follow abr_error.h: 0 (or a count) on success,
 * -1 on failure with abr_errcode()/abr_errmsg() set. Arguments are checked first: a NULL where a
 * pointer is needed, or a value outside the range a comment gives, fails with ABR_ERROR_INVALID_ARGUMENT
 * and a message naming the parameter. A call that hands out a handle sets its out-pointer (when not
 * NULL) to NULL on failure, so the matching close, which does nothing for NULL, may always follow.
 *
 * Threads: by default a client runs its conductor (keepalives, driver responses, liveness) on a
 * background thread. With abr_context_set_use_conductor_thread(ctx, false) the caller must call
 * abr_client_do_work() regularly instead (invoker mode). A concurrent publication (abr_publication_t)
 * may be offered to from any number of threads at once; an exclusive publication and a subscription
 * from one application thread at a time; all of them while the conductor runs. Adds, closes and the
 * client's own calls are serialised by the client's lock.
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

/* Default time a closed publication's log stays mapped, as Aeron's aeron.client.resource.linger.duration. */
#define ABR_RESOURCE_LINGER_NS_DEFAULT 3000000000ULL

typedef struct abr_context_stct abr_context_t;
typedef struct abr_client_stct abr_client_t;
typedef struct abr_publication_stct abr_publication_t;
typedef struct abr_exclusive_publication_stct abr_exclusive_publication_t;
typedef struct abr_subscription_stct abr_subscription_t;
typedef struct abr_async_add_stct abr_async_add_t;
typedef struct abr_image_info_stct abr_image_info_t;
typedef struct abr_channel_uri_stct abr_channel_uri_t;
typedef struct abr_fragment_assembler_stct abr_fragment_assembler_t;
typedef struct abr_controlled_fragment_assembler_stct abr_controlled_fragment_assembler_t;

/*
 * Client context.
 */

/* Create a context with defaults: the Aeron directory from AERON_DIR, else /dev/shm/aeron-<user>;
 * the driver timeout from AERON_DRIVER_TIMEOUT (ms); the client name from AERON_CLIENT_NAME. */
ABR_EXPORT int abr_context_init(abr_context_t **context);
/* Release a context. Safe on NULL. A client connected with it is unaffected. */
ABR_EXPORT int abr_context_close(abr_context_t *context);

/* Setters copy what they are given and return 0, or -1 for a NULL context or value or one out of its
 * range (the value set before is kept). Getters return what is set (strings owned by the context,
 * valid until the next set or close), or NULL/0/false for NULL. */

/* The Aeron directory of the driver to connect to; not empty (a path too long for the system fails the connect). */
ABR_EXPORT int abr_context_set_dir(abr_context_t *context, const char *dir);
ABR_EXPORT const char *abr_context_get_dir(abr_context_t *context);
/* How long the driver may stay silent (its CnC heartbeat unchanged) before the client counts it lost;
 * also how long a blocking add waits for the driver's answer. 1 to INT32_MAX ms. */
ABR_EXPORT int abr_context_set_driver_timeout_ms(abr_context_t *context, uint64_t timeout_ms);
ABR_EXPORT uint64_t abr_context_get_driver_timeout_ms(abr_context_t *context);
/* A name for the client, as Aeron's aeron.client.name; may be empty, not NULL. */
ABR_EXPORT int abr_context_set_client_name(abr_context_t *context, const char *name);
ABR_EXPORT const char *abr_context_get_client_name(abr_context_t *context);
/* true (the default): a background thread runs the conductor; false: invoker mode, the caller runs it
 * with abr_client_do_work (blocking adds and async polls run it too). */
ABR_EXPORT int abr_context_set_use_conductor_thread(abr_context_t *context, bool use_thread);
ABR_EXPORT bool abr_context_get_use_conductor_thread(abr_context_t *context);
/* How long a closed publication's log stays mapped before the conductor unmaps it (default
 * ABR_RESOURCE_LINGER_NS_DEFAULT): an offer racing the close on another thread, from C or from a binding that
 * writes into the log itself, then lands in memory that is still mapped instead of faulting. At most INT64_MAX / 2. */
ABR_EXPORT int abr_context_set_resource_linger_ns(abr_context_t *context, uint64_t linger_ns);
ABR_EXPORT uint64_t abr_context_get_resource_linger_ns(abr_context_t *context);

/*
 * Client.
 */

/* Map the driver's CnC file, check its version and the driver's liveness, and register with it.
 * The client copies what it needs from the context: the context may be closed afterwards.
 * Fails with ABR_ERROR_NO_DRIVER when there is no live driver at the directory, and with
 * ABR_ERROR_CNC_VERSION_MISMATCH (naming both versions) when the CnC major version differs. */
ABR_EXPORT int abr_client_connect(abr_client_t **client, abr_context_t *context);

/* Tell the driver this client is closing, stop the conductor and free every publication and
 * subscription handle it gave out, closed or not. Safe on NULL. From the close on, calls through those
 * handles answer CLOSED, and a call racing the close on another thread stays harmless: the logs and
 * handles are released after the resource linger (abr_context_set_resource_linger_ns), on a thread of
 * the client's own, so the close does not wait for it. None of them may be used after that. */
ABR_EXPORT int abr_client_close(abr_client_t *client);

/* In invoker mode, do one round of conductor work; returns the amount of work done (>= 0).
 * With a conductor thread it does nothing and returns 0. Fails once the driver is lost. */
ABR_EXPORT int abr_client_do_work(abr_client_t *client);

/* The id the driver knows this client by; -1 for NULL. */
ABR_EXPORT int64_t abr_client_id(abr_client_t *client);

/* True once the client is closed or has lost its driver, or for NULL; every later call then fails with
 * the reason (ABR_ERROR_DRIVER_TIMEOUT, ABR_ERROR_CLIENT_TIMEOUT or ABR_ERROR_CLOSED). */
ABR_EXPORT bool abr_client_is_closed(abr_client_t *client);

/* A correlation id unique across every client of this driver, from the CnC's shared counter
 * (as Aeron.nextCorrelationId). Returns -1 with the error set when the client is closed. */
ABR_EXPORT int64_t abr_client_next_correlation_id(abr_client_t *client);

/* Ask the driver for a session id not in use for the stream, as Aeron.nextSessionId does
 * (GET_NEXT_AVAILABLE_SESSION_ID), into *session_id; a driver too old for that command (control
 * protocol before 1.0.0) gets a random id instead, as Aeron does. Blocks up to the driver timeout. 0 or -1. */
ABR_EXPORT int abr_client_next_session_id(abr_client_t *client, int32_t stream_id, int32_t *session_id);

/*
 * Adding publications and subscriptions: asynchronously (start, then poll until done), or
 * blocking up to the driver timeout. Errors the driver reports (ABR_ERROR_DRIVER_REJECTED) come back
 * with its message and name the channel, stream id and correlation id (the driver's own code and message, and the
 * command's correlation id, also from abr_errdriver_code, abr_errdriver_message, abr_errcorrelation_id); no answer
 * within the driver timeout is ABR_ERROR_TIMEOUT. The channel is copied (not NULL nor empty). An async handle is owned by the caller
 * until its poll returns 1 or -1, or until abr_async_add_cancel. A poll given a NULL out-pointer or the async of
 * another kind of add fails with ABR_ERROR_INVALID_ARGUMENT and leaves the async as it was, the caller's still.
 */

/* Send the add; *async set on success. 0 or -1 (bad arguments, client closed, command not sent). */
ABR_EXPORT int abr_client_async_add_exclusive_publication(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id);
/* 1 when added (*publication set, async released), 0 while pending, -1 on failure (async released). */
ABR_EXPORT int abr_async_add_exclusive_publication_poll(
    abr_exclusive_publication_t **publication, abr_async_add_t *async);

ABR_EXPORT int abr_client_async_add_publication(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id);
/* 1 when added (*publication set, async released), 0 while pending, -1 on failure (async released). */
ABR_EXPORT int abr_async_add_publication_poll(abr_publication_t **publication, abr_async_add_t *async);

ABR_EXPORT int abr_client_async_add_subscription(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id);
/* 1 when added (*subscription set, async released), 0 while pending, -1 on failure (async released). */
ABR_EXPORT int abr_async_add_subscription_poll(abr_subscription_t **subscription, abr_async_add_t *async);

/* Abandon a pending add; what the driver creates for it is removed. Safe on NULL. */
ABR_EXPORT int abr_async_add_cancel(abr_async_add_t *async);

/* Blocking adds: 0 with the handle in the out-pointer (the caller's to close), or -1. */
ABR_EXPORT int abr_client_add_publication(
    abr_publication_t **publication, abr_client_t *client, const char *channel, int32_t stream_id);
ABR_EXPORT int abr_client_add_exclusive_publication(
    abr_exclusive_publication_t **publication, abr_client_t *client, const char *channel, int32_t stream_id);
ABR_EXPORT int abr_client_add_subscription(
    abr_subscription_t **subscription, abr_client_t *client, const char *channel, int32_t stream_id);

/*
 * Publications. A concurrent publication (abr_publication_*) may be offered to from several threads
 * and shares its log with every other concurrent publication on the same channel and stream; an
 * exclusive one (abr_exclusive_publication_*) has a log of its own and one offering thread.
 *
 * A publication handle is owned by the caller from its add until abr_*_close (or abr_client_close,
 * which releases every handle still open). Getters on a NULL handle return 0, -1 or NULL as noted
 * and never crash. Offers never allocate and never block.
 */

/* Results of offer and try_claim below zero, with the values io.aeron.Publication uses. */
#define ABR_PUBLICATION_NOT_CONNECTED (-1L)
#define ABR_PUBLICATION_BACK_PRESSURED (-2L)
#define ABR_PUBLICATION_ADMIN_ACTION (-3L)
#define ABR_PUBLICATION_CLOSED (-4L)
#define ABR_PUBLICATION_MAX_POSITION_EXCEEDED (-5L)
/* Ours, not Aeron's: the call itself was wrong (NULL handle or buffer, length over the maximum);
 * abr_errcode()/abr_errmsg() say why. Nothing was written to the log. */
#define ABR_PUBLICATION_ERROR (-6L)

/* Values of a channel status counter (io.aeron.status.ChannelEndpointStatus). A publication or
 * subscription without such a counter (IPC) reports ACTIVE, as Aeron's clients do; a closed one reports
 * ABR_CHANNEL_STATUS_NO_ID_ALLOCATED, which has the value of ERRORED, also as Aeron does. */
#define ABR_CHANNEL_STATUS_INITIALIZING 0
#define ABR_CHANNEL_STATUS_ERRORED (-1)
#define ABR_CHANNEL_STATUS_ACTIVE 1
#define ABR_CHANNEL_STATUS_CLOSING 2
#define ABR_CHANNEL_STATUS_NO_ID_ALLOCATED (-1)

/*
 * A frame claimed in the log by try_claim: write up to length bytes at data, then commit it (readers
 * see it) or abort it (readers skip it, as padding). Until then the stream stops at this frame for
 * every reader, so commit or abort promptly. The claim points into the log: no copy is made. The
 * struct is the caller's (a local variable will do); its fields are set by try_claim.
 */
typedef struct abr_buffer_claim_stct
{
    uint8_t *frame_header;
    uint8_t *data;
    size_t length;
}
abr_buffer_claim_t;

/* Publish a claimed frame. 0, or -1 (ABR_ERROR_INVALID_ARGUMENT) for a NULL claim or one already
 * committed or aborted: a second commit never touches the log. */
ABR_EXPORT int abr_buffer_claim_commit(abr_buffer_claim_t *claim);
/* Turn a claimed frame into padding that readers skip. Returns as commit. */
ABR_EXPORT int abr_buffer_claim_abort(abr_buffer_claim_t *claim);

/* Append a message of length bytes (fragmented when longer than max_payload_length, at most
 * max_message_length; buffer may be NULL only when length is 0). Returns the new stream position
 * (> 0) or one of the ABR_PUBLICATION_* codes: NOT_CONNECTED (no subscriber yet), BACK_PRESSURED (at
 * the publisher limit), ADMIN_ACTION (the log moved to its next term: offer again), CLOSED,
 * MAX_POSITION_EXCEEDED, ERROR (bad arguments; the thread's error says which). The buffer is only
 * read during the call. Thread-safe: any number of threads may offer at once. */
ABR_EXPORT int64_t abr_publication_offer(abr_publication_t *publication, const uint8_t *buffer, size_t length);

/* A part of a message gathered by offerv: length bytes at base (base may be NULL only when length is 0). */
typedef struct abr_iovec_stct
{
    const uint8_t *base;
    size_t length;
}
abr_iovec_t;

/* As offer, for one message made of vector_count parts, concatenated in order (their total at most
 * max_message_length). The vectors and what they point to are only read during the call. */
ABR_EXPORT int64_t abr_publication_offerv(
    abr_publication_t *publication, const abr_iovec_t *vectors, size_t vector_count);

/* Claim one unfragmented frame of length bytes (at most max_payload_length) and fill *claim; results as
 * offer. On a result > 0 the caller must then abr_buffer_claim_commit or abr_buffer_claim_abort it. */
ABR_EXPORT int64_t abr_publication_try_claim(
    abr_publication_t *publication, size_t length, abr_buffer_claim_t *claim);

/* True when a subscriber is connected (the driver's flag in the log); false if not, closed or NULL. */
ABR_EXPORT bool abr_publication_is_connected(abr_publication_t *publication);
/* True once closed, when the client is closed or lost its driver, or for NULL. */
ABR_EXPORT bool abr_publication_is_closed(abr_publication_t *publication);
/* The session id the driver gave the log (0 for NULL). */
ABR_EXPORT int32_t abr_publication_session_id(abr_publication_t *publication);
/* The stream id (0 for NULL). */
ABR_EXPORT int32_t abr_publication_stream_id(abr_publication_t *publication);
/* The log's initial term id (0 for NULL). */
ABR_EXPORT int32_t abr_publication_initial_term_id(abr_publication_t *publication);
/* The id this publication is removed by (its add's correlation id); -1 for NULL. */
ABR_EXPORT int64_t abr_publication_registration_id(abr_publication_t *publication);
/* The id of the driver's shared publication, the same for every concurrent publication on its log; -1 for NULL. */
ABR_EXPORT int64_t abr_publication_original_registration_id(abr_publication_t *publication);
/* The channel as added; owned by the publication, valid until it is closed. NULL for NULL. */
ABR_EXPORT const char *abr_publication_channel(abr_publication_t *publication);
/* The stream position of the log's tail, ABR_PUBLICATION_CLOSED, or ABR_PUBLICATION_ERROR for NULL. */
ABR_EXPORT int64_t abr_publication_position(abr_publication_t *publication);
/* The position offers may reach before back pressure (the driver's publisher limit counter),
 * ABR_PUBLICATION_CLOSED, or ABR_PUBLICATION_ERROR for NULL. */
ABR_EXPORT int64_t abr_publication_position_limit(abr_publication_t *publication);
/* One of ABR_CHANNEL_STATUS_* (see above); ABR_CHANNEL_STATUS_NO_ID_ALLOCATED when closed or NULL. */
ABR_EXPORT int64_t abr_publication_channel_status(abr_publication_t *publication);
/* The id of the driver's channel status counter, ABR_CHANNEL_STATUS_NO_ID_ALLOCATED (-1) when there is none. */
ABR_EXPORT int32_t abr_publication_channel_status_id(abr_publication_t *publication);
/* The longest message offer takes: an eighth of the term length, at most 16 MiB (0 for NULL). */
ABR_EXPORT size_t abr_publication_max_message_length(abr_publication_t *publication);
/* The longest payload of one frame (MTU minus the 32-byte header); the longest try_claim (0 for NULL). */
ABR_EXPORT size_t abr_publication_max_payload_length(abr_publication_t *publication);
/* The term length of the log (0 for NULL). */
ABR_EXPORT int32_t abr_publication_term_buffer_length(abr_publication_t *publication);

/* Remove it from the driver and unmap its log. 0, or -1 when the remove command could not be sent (the
 * log is unmapped all the same). The handle itself stays valid, reporting closed (offers return
 * ABR_PUBLICATION_CLOSED), until abr_client_close frees it; closing again does nothing. Safe on NULL.
 * Must not race an offer on another thread. */
ABR_EXPORT int abr_publication_close(abr_publication_t *publication);
/* Close (if open) and give the handle up: the client frees it once the resource linger has passed, so a long-lived
 * client that adds and removes publications does not grow. The caller must not use it after this call (as with
 * Aeron's close); a call already running on another thread finishes within the linger. 0, or -1 as close (the handle
 * is given up all the same). Safe on NULL. Must not race an offer on another thread. */
ABR_EXPORT int abr_publication_discard(abr_publication_t *publication);

/* Exclusive publications: the same calls with the same results, for one offering thread at a time. */
ABR_EXPORT int64_t abr_exclusive_publication_offer(
    abr_exclusive_publication_t *publication, const uint8_t *buffer, size_t length);
ABR_EXPORT int64_t abr_exclusive_publication_offerv(
    abr_exclusive_publication_t *publication, const abr_iovec_t *vectors, size_t vector_count);
ABR_EXPORT int64_t abr_exclusive_publication_try_claim(
    abr_exclusive_publication_t *publication, size_t length, abr_buffer_claim_t *claim);

ABR_EXPORT bool abr_exclusive_publication_is_connected(abr_exclusive_publication_t *publication);
ABR_EXPORT bool abr_exclusive_publication_is_closed(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_session_id(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_stream_id(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_initial_term_id(abr_exclusive_publication_t *publication);
/* For an exclusive publication the registration id is the add's correlation id, as with Aeron. */
ABR_EXPORT int64_t abr_exclusive_publication_registration_id(abr_exclusive_publication_t *publication);
ABR_EXPORT const char *abr_exclusive_publication_channel(abr_exclusive_publication_t *publication);
ABR_EXPORT int64_t abr_exclusive_publication_position(abr_exclusive_publication_t *publication);
ABR_EXPORT int64_t abr_exclusive_publication_position_limit(abr_exclusive_publication_t *publication);
ABR_EXPORT int64_t abr_exclusive_publication_channel_status(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_channel_status_id(abr_exclusive_publication_t *publication);
ABR_EXPORT size_t abr_exclusive_publication_max_message_length(abr_exclusive_publication_t *publication);
ABR_EXPORT size_t abr_exclusive_publication_max_payload_length(abr_exclusive_publication_t *publication);
ABR_EXPORT int32_t abr_exclusive_publication_term_buffer_length(abr_exclusive_publication_t *publication);

/* As abr_publication_close. */
ABR_EXPORT int abr_exclusive_publication_close(abr_exclusive_publication_t *publication);
/* As abr_publication_discard. */
ABR_EXPORT int abr_exclusive_publication_discard(abr_exclusive_publication_t *publication);

/*
 * Where a publication appends, for a binding that writes frames with its own stores rather than one
 * call per message (the Java API does, to spare a JNI transition per offer). Whoever appends through
 * it must follow the log protocol as the offers above do (claim the range at the tail, write the frame
 * with its length stored last with release, pad and rotate at the term's end) and must stop once the
 * publication or its client is closed: the log stays mapped for the resource linger after a publication's
 * close (so a racing append is harmless), then the conductor unmaps it; after a client's close, for the same
 * linger, then the client's releasing thread unmaps it. An exclusive publication keeps its
 * tail in the handle, so after appending through the mapping do not offer, claim or ask the position
 * through the handle as well. The struct is the caller's; the call fills it.
 */
typedef struct abr_publication_mapping_stct
{
    /* The log file: three terms of term_length bytes each, then the metadata page. */
    uint8_t *log;
    int64_t log_length;
    int32_t term_length;
    /* The driver's publisher limit counter (an int64, read with acquire): append only below it. */
    uint8_t *position_limit;
    /* Non-zero (read with acquire) once the client has closed or lost its driver: offers return CLOSED. */
    const int *client_closed;
}
abr_publication_mapping_t;

/* Fill *mapping. 0, or -1: ABR_ERROR_INVALID_ARGUMENT (NULL publication or mapping), ABR_ERROR_CLOSED
 * (the publication or its client is closed). */
ABR_EXPORT int abr_publication_mapping(abr_publication_t *publication, abr_publication_mapping_t *mapping);
ABR_EXPORT int abr_exclusive_publication_mapping(
    abr_exclusive_publication_t *publication, abr_publication_mapping_t *mapping);

/*
 * Subscriptions and their images. A subscription has one image per publisher session it receives;
 * poll reads them in turn. A subscription handle is owned by the caller until abr_subscription_close
 * (or abr_client_close); it is polled from one thread at a time.
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

/* The buffer and header are valid only during the call. */
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

/* An image as the image handlers and abr_subscription_image_info describe it. source_identity is owned by
 * the library and valid only during the handler call (or until the image goes, for image_info). */
struct abr_image_info_stct
{
    int64_t correlation_id;
    int32_t session_id;
    int32_t stream_id;
    int32_t initial_term_id;
    int32_t term_buffer_length;
    int32_t mtu_length;
    /* The driver's subscriber position counter for this image (abr_counters_value reads it). */
    int32_t subscriber_position_id;
    int64_t position;
    /* True when the publisher has closed and everything it sent has been consumed (Image.isEndOfStream). */
    bool end_of_stream;
    const char *source_identity;
    /* The subscriber position when the image came (Image.joinPosition). */
    int64_t join_position;
};

/* Told of images as they come (available) and go (unavailable). Called on the conductor: the conductor
 * thread, or the thread calling abr_client_do_work or an async poll in invoker mode, with the client's
 * lock held: a handler must not add or close anything, nor poll the subscription it is told about. */
typedef void (*abr_image_handler_t)(void *clientd, abr_subscription_t *subscription, const abr_image_info_t *image);

/* As abr_client_async_add_subscription, with image handlers (either may be NULL); the clientd pointers
 * are passed through unchanged and must stay valid until the subscription is closed. */
ABR_EXPORT int abr_client_async_add_subscription_with_handlers(
    abr_async_add_t **async, abr_client_t *client, const char *channel, int32_t stream_id,
    abr_image_handler_t on_available_image, void *available_clientd, abr_image_handler_t on_unavailable_image,
    void *unavailable_clientd);

/* As abr_client_add_subscription, with image handlers (see above). */
ABR_EXPORT int abr_client_add_subscription_with_handlers(
    abr_subscription_t **subscription, abr_client_t *client, const char *channel, int32_t stream_id,
    abr_image_handler_t on_available_image, void *available_clientd, abr_image_handler_t on_unavailable_image,
    void *unavailable_clientd);

/* Hand up to fragment_limit fragments (none for a limit <= 0) from the subscription's images to the handler, and move
 * each image's subscriber position past what was handed over. Returns the number handed over, or -1:
 * ABR_ERROR_INVALID_ARGUMENT (NULL subscription or handler), ABR_ERROR_CLOSED (subscription closed),
 * the client's reason once it is closed or lost its driver, ABR_ERROR_ILLEGAL_STATE when called from
 * a handler of the same subscription, ABR_ERROR_IO when an image's log holds a frame no publisher writes (a damaged
 * log: nothing outside it is read, the image's position stays before that frame). Does not allocate. */
ABR_EXPORT int abr_subscription_poll(
    abr_subscription_t *subscription, abr_fragment_handler_t handler, void *clientd, int fragment_limit);

/* As poll, with the handler steering consumption (ABORT: leave this fragment for the next poll;
 * BREAK: stop after it; COMMIT: move the position now; CONTINUE: go on). */
ABR_EXPORT int abr_subscription_controlled_poll(
    abr_subscription_t *subscription, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit);

/*
 * Zero-copy polling in two steps, for callers that cannot take a callback per fragment cheaply (a
 * binding; poll_images below spares the copy of addresses too): poll_frames fills frames[0..n) (the caller's array, at least fragment_limit long)
 * with the fragments' frame addresses and returns n (or -1); the frames stay valid and the images stay
 * mapped until poll_frames_done, which must follow every successful poll_frames on the same thread and
 * moves each image's position past the first `consumed` fragments (all of them, and the padding after,
 * when consumed >= n). A fragment's payload starts ABR_FRAME_HEADER_LENGTH bytes after its frame
 * address; its frame length is the header's first int32. Does not allocate once the subscription's
 * bookkeeping has grown to the limit. poll_frames_done returns 0, or -1 (ABR_ERROR_ILLEGAL_STATE)
 * without a poll_frames before it.
 */
#define ABR_FRAME_HEADER_LENGTH 32

typedef struct abr_frame_ref_stct
{
    const uint8_t *frame;
    int32_t initial_term_id;
    int32_t position_bits_to_shift;
}
abr_frame_ref_t;

/* fragment_limit and consumed must be >= 0. */
ABR_EXPORT int abr_subscription_poll_frames(abr_subscription_t *subscription, abr_frame_ref_t *frames, int fragment_limit);
ABR_EXPORT int abr_subscription_poll_frames_done(abr_subscription_t *subscription, int consumed);

/*
 * Polling in the caller's own code, for a binding that walks the terms itself (the Java API does, to spare
 * a JNI call per batch of frames and the copy of their addresses): poll_images locks the subscription's
 * images, fills images[0..n) (the caller's array of capacity entries) with where each image's terms and
 * subscriber position are, in the order this poll should visit them (the first image moves on by one
 * each poll, as poll does), and returns n (or -1, as poll_frames). Until poll_images_done, which must
 * follow every successful poll_images on the same thread, the images stay mapped and none comes or goes.
 * The caller reads frames from its position (frame length with acquire; padding frames skipped) and
 * stores the new position into subscriber_position with release, as poll does. With more images than
 * capacity, the first capacity of this poll's order are filled. Does not allocate.
 */
typedef struct abr_image_ref_stct
{
    /* The image's three terms, one after another, term_length bytes each. */
    const uint8_t *terms;
    /* The subscriber position counter (an int64) the driver reads for flow control. */
    uint8_t *subscriber_position;
    int32_t term_length;
    int32_t initial_term_id;
    int32_t position_bits_to_shift;
    int32_t session_id;
}
abr_image_ref_t;

/* capacity must be >= 0. */
ABR_EXPORT int abr_subscription_poll_images(abr_subscription_t *subscription, abr_image_ref_t *images, int capacity);
/* 0, or -1: ABR_ERROR_INVALID_ARGUMENT (NULL), ABR_ERROR_ILLEGAL_STATE (no poll_images before it). */
ABR_EXPORT int abr_subscription_poll_images_done(abr_subscription_t *subscription);

/*
 * Polling without a call into the core when the images have not changed, for a binding that walks the terms itself:
 * image_refs fills images[0..n) in the subscription's own order (not rotated), stores the images_version they belong
 * to, and returns the number of images the subscription has (which may exceed capacity; -1 as poll_images). Nothing
 * stays locked. Each later poll then, on the guard (both fields read and written with sequentially consistent atomics):
 * adds 1 to pollers, and if images_version still equals the stored one reads the refs' terms and positions, then
 * subtracts 1; if not, subtracts 1 and calls image_refs again. The core changes images_version whenever an image comes
 * or goes, the subscription closes or its client closes, and unmaps an image taken off the list only once it has seen
 * pollers at 0 after that change, so a poll that saw the old version never reads unmapped memory. Does not allocate.
 */
typedef struct abr_subscription_poll_guard_stct
{
    int64_t images_version;
    int64_t pollers;
}
abr_subscription_poll_guard_t;

/* The subscription's guard, valid until its client is closed and released; NULL for a NULL subscription. */
ABR_EXPORT abr_subscription_poll_guard_t *abr_subscription_poll_guard(abr_subscription_t *subscription);

/* capacity must be >= 0, images_version not NULL. */
ABR_EXPORT int abr_subscription_image_refs(
    abr_subscription_t *subscription, abr_image_ref_t *images, int capacity, int64_t *images_version);

/* For the image of this publisher session: 1 when it has reached its end of stream (the publisher
 * closed and everything it sent has been consumed), 0 when not, -1 (ABR_ERROR_INVALID_ARGUMENT) when the
 * subscription has no image of that session. */
ABR_EXPORT int abr_subscription_image_is_end_of_stream(abr_subscription_t *subscription, int32_t session_id);

/* The subscriber position of the image of this session, or -1 (error set) when there is none. */
ABR_EXPORT int64_t abr_subscription_image_position(abr_subscription_t *subscription, int32_t session_id);

/* Describe the image of this session into *info (the caller's). 0, or -1 when there is none. */
ABR_EXPORT int abr_subscription_image_info(abr_subscription_t *subscription, int32_t session_id, abr_image_info_t *info);

/* Describe the index-th image (0 <= index < image_count) into *info, to list the images without
 * handlers. 0, or -1 (ABR_ERROR_INVALID_ARGUMENT) when the index is out of range. */
ABR_EXPORT int abr_subscription_image_at(abr_subscription_t *subscription, int index, abr_image_info_t *info);

/*
 * Image handles: one image of a subscription, held by the caller (io.aeron.Image). A handle is a value in the
 * caller's storage (no allocation, nothing to release) naming its image by the image's correlation id, which the
 * driver never reuses: once the image goes (unavailable, or its subscription closed), every call through the handle
 * finds it gone and answers closed, however long the caller keeps it. Its fields are filled by the calls below; read
 * them, do not write them. A handle may be used until abr_client_close, as its subscription may. The calls take the
 * subscription's image lock: they fail with ABR_ERROR_ILLEGAL_STATE from a poll handler of the same subscription,
 * and an image handler (on the conductor) must not call them, as it must not poll.
 */
#define ABR_IMAGE_SOURCE_IDENTITY_CAPACITY 128

typedef struct abr_image_handle_stct
{
    abr_subscription_t *subscription;
    int64_t correlation_id;
    /* The subscriber position when the image came (Image.joinPosition). */
    int64_t join_position;
    /* The position and end of stream state the last call through this handle saw; after the image went, what
     * it was at the last look (Image.position and isEndOfStream of a closed image answer their final values). */
    int64_t last_seen_position;
    int32_t session_id;
    int32_t stream_id;
    int32_t initial_term_id;
    int32_t term_buffer_length;
    int32_t mtu_length;
    int32_t subscriber_position_id;
    bool last_seen_end_of_stream;
    char source_identity[ABR_IMAGE_SOURCE_IDENTITY_CAPACITY];
}
abr_image_handle_t;

/* Fill *image with the subscription's image of this publisher session: 1 when there is one, 0 when not (the
 * handle is left as it was), -1: ABR_ERROR_INVALID_ARGUMENT (NULL), ABR_ERROR_CLOSED (subscription or client closed),
 * ABR_ERROR_ILLEGAL_STATE (from a poll handler of the subscription). */
ABR_EXPORT int abr_subscription_image_by_session_id(
    abr_subscription_t *subscription, int32_t session_id, abr_image_handle_t *image);

/* Fill *image with the index-th image (0 <= index < image_count). 0, or -1 as above, with
 * ABR_ERROR_INVALID_ARGUMENT for an index out of range. */
ABR_EXPORT int abr_subscription_image_at_index(abr_subscription_t *subscription, int index, abr_image_handle_t *image);

/* Fill *image from what an image handler was told (info), without the image lock: the way for a handler to keep
 * the image it is told of. 0, or -1 for a NULL argument. */
ABR_EXPORT int abr_image_handle_from_info(
    abr_image_handle_t *image, abr_subscription_t *subscription, const abr_image_info_t *info);

/* True once the image went (unavailable, or its subscription or client closed), and for NULL. */
ABR_EXPORT bool abr_image_handle_is_closed(abr_image_handle_t *image);

/* The subscriber position, or -1: ABR_ERROR_INVALID_ARGUMENT (NULL), ABR_ERROR_CLOSED (the image went: its last
 * position seen is in last_seen_position), ABR_ERROR_ILLEGAL_STATE (from a poll handler of the subscription). */
ABR_EXPORT int64_t abr_image_handle_position(abr_image_handle_t *image);

/* Move the subscriber position within the current term, as Image.position(long) allows: from the current position
 * up to the end of its term, a multiple of 32 (the frame alignment). 0, or -1: ABR_ERROR_INVALID_ARGUMENT (NULL, or
 * a position out of that range or unaligned, naming the range), ABR_ERROR_CLOSED, ABR_ERROR_ILLEGAL_STATE. */
ABR_EXPORT int abr_image_handle_set_position(abr_image_handle_t *image, int64_t new_position);

/* 1 when the publisher closed and everything it sent has been consumed, 0 when not, -1 as position. */
ABR_EXPORT int abr_image_handle_is_end_of_stream(abr_image_handle_t *image);

/* Poll this image alone, as abr_subscription_poll polls each image: up to fragment_limit fragments of the current
 * term (none for a limit <= 0). The number handed over, or -1: ABR_ERROR_INVALID_ARGUMENT (NULL image or handler),
 * ABR_ERROR_CLOSED (the image went), ABR_ERROR_ILLEGAL_STATE (from a poll handler of the subscription), ABR_ERROR_IO
 * (a damaged log, as abr_subscription_poll). Does not allocate. */
ABR_EXPORT int abr_image_handle_poll(
    abr_image_handle_t *image, abr_fragment_handler_t handler, void *clientd, int fragment_limit);

/* As abr_image_handle_poll, with the handler steering consumption (see abr_subscription_controlled_poll). */
ABR_EXPORT int abr_image_handle_controlled_poll(
    abr_image_handle_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int fragment_limit);

/* As abr_image_handle_poll, reading no fragment that starts at or past limit_position (Image.boundedPoll); nothing
 * when the position is already there. */
ABR_EXPORT int abr_image_handle_bounded_poll(
    abr_image_handle_t *image, abr_fragment_handler_t handler, void *clientd, int64_t limit_position,
    int fragment_limit);

/* As abr_image_handle_controlled_poll, bounded as abr_image_handle_bounded_poll. */
ABR_EXPORT int abr_image_handle_bounded_controlled_poll(
    abr_image_handle_t *image, abr_controlled_fragment_handler_t handler, void *clientd, int64_t limit_position,
    int fragment_limit);

/* For a binding that walks the terms itself (as with abr_subscription_poll_images): lock the subscription's images
 * and fill *ref with where this image's terms and subscriber position are. 0, then abr_subscription_poll_images_done
 * must follow on the same thread; or -1 (lock released) as abr_image_handle_position. */
ABR_EXPORT int abr_image_handle_poll_ref(abr_image_handle_t *image, abr_image_ref_t *ref);

/* Ends an abr_image_handle_poll_ref as abr_subscription_poll_images_done does, first keeping the position and end of
 * stream the binding left in the handle (last_seen_position), so that a handle whose image goes next answers where
 * its reader stopped rather than where it started. 0, or -1 as abr_subscription_poll_images_done. */
ABR_EXPORT int abr_image_handle_poll_ref_done(abr_image_handle_t *image);

/* True when it has at least one image; false when not, closed or NULL. */
ABR_EXPORT bool abr_subscription_is_connected(abr_subscription_t *subscription);
/* The number of images, or -1 (error set). */
ABR_EXPORT int abr_subscription_image_count(abr_subscription_t *subscription);
/* True once closed, when the client is closed or lost its driver, or for NULL. */
ABR_EXPORT bool abr_subscription_is_closed(abr_subscription_t *subscription);
/* The stream id (0 for NULL). */
ABR_EXPORT int32_t abr_subscription_stream_id(abr_subscription_t *subscription);
/* The add's correlation id, what the driver knows the subscription by; -1 for NULL. */
ABR_EXPORT int64_t abr_subscription_registration_id(abr_subscription_t *subscription);
/* The channel as added; owned by the subscription, valid until it is closed. NULL for NULL. */
ABR_EXPORT const char *abr_subscription_channel(abr_subscription_t *subscription);
/* As abr_publication_channel_status, for the subscription's channel. */
ABR_EXPORT int64_t abr_subscription_channel_status(abr_subscription_t *subscription);
/* The id of the channel status counter (ABR_CHANNEL_STATUS_NO_ID_ALLOCATED for IPC); what
 * abr_client_find_local_socket_address takes. */
ABR_EXPORT int32_t abr_subscription_channel_status_id(abr_subscription_t *subscription);

/* Remove it from the driver and unmap its images, reporting each to the unavailable image handler
 * first (on the calling thread). The handle stays valid, reporting closed (polls fail
 * with ABR_ERROR_CLOSED), until abr_client_close frees it; closing again does nothing. Safe on NULL.
 * Not from a handler of its own poll (-1, ABR_ERROR_ILLEGAL_STATE) nor while another thread polls it. */
ABR_EXPORT int abr_subscription_close(abr_subscription_t *subscription);
/* Close (if open) and give the handle up, as abr_publication_discard: freed once the resource linger has passed, not
 * to be used after this call, nor while anything built over it (a replay merge, a recording events reader) is still
 * in use. Not from a handler of its own poll (-1, ABR_ERROR_ILLEGAL_STATE, nothing given up). Safe on NULL. */
ABR_EXPORT int abr_subscription_discard(abr_subscription_t *subscription);

/*
 * Destinations. A subscription whose channel has control-mode=manual (multi-destination, e.g.
 * "aeron:udp?control-mode=manual") receives from every endpoint channel added to it (e.g.
 * "aeron:udp?endpoint=localhost:20121"); a publication whose channel has control-mode=manual and a control
 * endpoint (manual multi-destination-cast) sends to every destination added to it. Each call is one driver command
 * (ADD_RCV_DESTINATION / REMOVE_RCV_DESTINATION for subscriptions, ADD_DESTINATION / REMOVE_DESTINATION for
 * publications); the endpoint channel is copied (not NULL nor empty). A command the driver refuses (an endpoint it
 * cannot parse or bind, a handle not in manual mode) fails with ABR_ERROR_DRIVER_REJECTED and the driver's message,
 * naming the endpoint channel; a closed handle with ABR_ERROR_CLOSED; no answer within the driver timeout with
 * ABR_ERROR_TIMEOUT.
 *
 * Blocking forms wait up to the driver timeout and return 0 or -1. Async forms send the command and set *async (the
 * caller's until abr_async_destination_poll returns 1 or -1; abr_async_add_cancel abandons it without undoing the
 * command).
 */
ABR_EXPORT int abr_subscription_add_destination(abr_subscription_t *subscription, const char *endpoint_channel);
ABR_EXPORT int abr_subscription_remove_destination(abr_subscription_t *subscription, const char *endpoint_channel);
ABR_EXPORT int abr_subscription_async_add_destination(
    abr_async_add_t **async, abr_subscription_t *subscription, const char *endpoint_channel);
ABR_EXPORT int abr_subscription_async_remove_destination(
    abr_async_add_t **async, abr_subscription_t *subscription, const char *endpoint_channel);
ABR_EXPORT int abr_publication_add_destination(abr_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_publication_remove_destination(abr_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_publication_async_add_destination(
    abr_async_add_t **async, abr_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_publication_async_remove_destination(
    abr_async_add_t **async, abr_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_exclusive_publication_add_destination(
    abr_exclusive_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_exclusive_publication_remove_destination(
    abr_exclusive_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_exclusive_publication_async_add_destination(
    abr_async_add_t **async, abr_exclusive_publication_t *publication, const char *endpoint_channel);
ABR_EXPORT int abr_exclusive_publication_async_remove_destination(
    abr_async_add_t **async, abr_exclusive_publication_t *publication, const char *endpoint_channel);
/* 1 when the driver has done the command (async released), 0 while pending, -1 when it failed (async released, error
 * set) or for a NULL async or one that is not a destination command's (left as it was). */
ABR_EXPORT int abr_async_destination_poll(abr_async_add_t *async);

/*
 * Counters of the driver (the CnC's counters), read as Agrona's CountersReader does. Ids come from the
 * driver (a publication's limit, an archive's recording position). Reads are of live shared memory.
 * Every call fails with -1 for a NULL client or out-pointer, an id out of range, or a closed client.
 */

/* Counter record states, from CountersReader. */
#define ABR_COUNTER_RECORD_UNUSED 0
#define ABR_COUNTER_RECORD_ALLOCATED 1
#define ABR_COUNTER_RECORD_RECLAIMED (-1)
/* CountersReader.MAX_KEY_LENGTH and MAX_LABEL_LENGTH. */
#define ABR_COUNTER_MAX_KEY_LENGTH 112
#define ABR_COUNTER_MAX_LABEL_LENGTH 380
/* AeronCounters type ids the archive client looks for. */
#define ABR_COUNTER_TYPE_ID_LOCAL_SOCKET_ADDRESS 14
#define ABR_COUNTER_TYPE_ID_RECORDING_POSITION 100

/* The highest counter id this driver's CnC has room for, or -1 for NULL. */
ABR_EXPORT int32_t abr_counters_max_counter_id(abr_client_t *client);
/* The counter's value into *value. 0 or -1. */
ABR_EXPORT int abr_counters_value(abr_client_t *client, int32_t counter_id, int64_t *value);
/* The record state (ABR_COUNTER_RECORD_*) into *state. 0 or -1. */
ABR_EXPORT int abr_counters_state(abr_client_t *client, int32_t counter_id, int32_t *state);
/* The type id into *type_id. 0 or -1. */
ABR_EXPORT int abr_counters_type_id(abr_client_t *client, int32_t counter_id, int32_t *type_id);
/* The registration id into *registration_id. 0 or -1. */
ABR_EXPORT int abr_counters_registration_id(abr_client_t *client, int32_t counter_id, int64_t *registration_id);
/* Copy the label into the caller's buffer, NUL-terminated and cut to fit; returns the label's full length. */
ABR_EXPORT int abr_counters_label(abr_client_t *client, int32_t counter_id, char *label, size_t label_capacity);
/* Copy up to key_capacity bytes of the key (ABR_COUNTER_MAX_KEY_LENGTH in all); returns the bytes copied. */
ABR_EXPORT int abr_counters_key(abr_client_t *client, int32_t counter_id, uint8_t *key, size_t key_capacity);
/* The first allocated counter of this type whose key starts with key[0..key_length) (any key when
 * key_length is 0): 1 and *counter_id set when found, 0 when none, -1 on bad arguments. */
ABR_EXPORT int abr_counters_find_by_type_id_and_key(
    abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length, int32_t *counter_id);

/* The address a UDP channel's socket is bound to (for `endpoint=localhost:0`, the port the OS chose),
 * read from the driver's local socket address counter (type id 14) of this channel status counter id,
 * as io.aeron.status.LocalSocketAddressStatus.findAddress does. Copies "host:port" NUL-terminated into
 * the caller's buffer and returns its length (> 0); 0 when the channel is not bound (yet); -1 on bad
 * arguments or when it does not fit. */
ABR_EXPORT int abr_client_find_local_socket_address(
    abr_client_t *client, int32_t channel_status_id, char *address, size_t address_capacity);

/*
 * Counters this client allocates in the driver's CnC, as Aeron.addCounter: the driver makes the counter (ADD_COUNTER)
 * with the type id, key and label given, its registration id the add's correlation id, its owner this client; the
 * client then writes the value itself, and any reader of the CnC (Aeron's CountersReader, abr_counters_* above) sees
 * it. Key and label are copied into the driver's record: at most ABR_COUNTER_MAX_KEY_LENGTH and
 * ABR_COUNTER_MAX_LABEL_LENGTH bytes (longer ones fail with ABR_ERROR_INVALID_ARGUMENT before anything is sent, as
 * Aeron's client refuses them); either may be NULL only with length 0. Adds follow the publications' pattern: errors
 * the driver reports come back as ABR_ERROR_DRIVER_REJECTED with its code and message (abr_errdriver_code), no
 * answer within the driver timeout as ABR_ERROR_TIMEOUT; the async is the caller's until its poll returns 1 or -1,
 * or until abr_async_add_cancel (which removes a counter the driver made for it).
 *
 * A counter handle is the caller's from its add until abr_counter_close (or abr_client_close, which releases every
 * handle still open). Once closed, by the caller, by the client's close, or by the driver (which tells its clients
 * when it frees a counter, ON_UNAVAILABLE_COUNTER, e.g. when another client removed it), set, get and increment fail
 * with ABR_ERROR_CLOSED. Any number of threads may use a counter at once, while another closes it: the handle stays
 * valid until abr_client_close frees it, and a write that passed its closed check just before the close lands in a
 * record the driver does not hand out again before its free-to-reuse timeout (aeron.counters.free.to.reuse.timeout).
 */
typedef struct abr_counter_stct abr_counter_t;

/* Send ADD_COUNTER; *async set on success. 0 or -1 (bad arguments, client closed, command not sent). */
ABR_EXPORT int abr_client_async_add_counter(
    abr_async_add_t **async, abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length,
    const char *label, size_t label_length);
/* 1 when added (*counter set, async released), 0 while pending, -1 on failure (async released). */
ABR_EXPORT int abr_async_add_counter_poll(abr_counter_t **counter, abr_async_add_t *async);
/* Blocking add, up to the driver timeout: 0 with the handle in *counter (the caller's to close), or -1. */
ABR_EXPORT int abr_client_add_counter(
    abr_counter_t **counter, abr_client_t *client, int32_t type_id, const uint8_t *key, size_t key_length,
    const char *label, size_t label_length);

/* Store the value with release semantics (as AtomicCounter.setRelease): a reader that loads it with acquire sees
 * every write made before. 0, or -1 (NULL counter; ABR_ERROR_CLOSED). */
ABR_EXPORT int abr_counter_set(abr_counter_t *counter, int64_t value);
/* Load the value with acquire semantics into *value. 0, or -1 (NULL counter or value; ABR_ERROR_CLOSED). */
ABR_EXPORT int abr_counter_get(abr_counter_t *counter, int64_t *value);
/* Add 1 atomically (a full read-modify-write, safe from any number of threads), the value before it into *previous
 * when previous is not NULL. 0, or -1 (NULL counter; ABR_ERROR_CLOSED). */
ABR_EXPORT int abr_counter_increment(abr_counter_t *counter, int64_t *previous);
/* The counter id in the CnC (what abr_counters_* and CountersReader take); -1 for NULL. */
ABR_EXPORT int32_t abr_counter_id(abr_counter_t *counter);
/* The registration id (the add's correlation id, what the driver removes it by); -1 for NULL. */
ABR_EXPORT int64_t abr_counter_registration_id(abr_counter_t *counter);
/* True once closed (by abr_counter_close, the client's close or the driver), or for NULL. */
ABR_EXPORT bool abr_counter_is_closed(abr_counter_t *counter);
/* Remove it from the driver (REMOVE_COUNTER). The handle stays valid, reporting closed, until abr_client_close frees
 * it; closing again, or after the driver freed it, sends nothing. Safe on NULL. 0, or -1 when the command could not
 * be sent (the handle is closed all the same). */
ABR_EXPORT int abr_counter_close(abr_counter_t *counter);

/*
 * Where a counter's value lives, for a binding that reads and writes it with its own atomic loads and stores (the
 * Java API does, to spare a JNI transition per set). It must stop using value once closed or client_closed reads
 * non-zero (with acquire); value stays mapped until the client's close plus its resource linger. The struct is the
 * caller's; the call fills it.
 */
typedef struct abr_counter_mapping_stct
{
    /* The 8-byte value, aligned to 8, in the CnC's counters values buffer. */
    uint8_t *value;
    /* Non-zero once the counter is closed, by the caller or by the driver. */
    const int *closed;
    /* Non-zero once the client has closed or lost its driver. */
    const int *client_closed;
}
abr_counter_mapping_t;

/* Fill *mapping. 0, or -1: ABR_ERROR_INVALID_ARGUMENT (NULL counter or mapping), ABR_ERROR_CLOSED. */
ABR_EXPORT int abr_counter_mapping(abr_counter_t *counter, abr_counter_mapping_t *mapping);

/*
 * Channel URIs: `aeron:udp?endpoint=host:port|term-length=64k`, `aeron:ipc`, optionally behind an
 * `aeron-spy:` prefix. Parsed with the syntax rules of io.aeron.ChannelUri.parse; malformed ones are
 * refused with ABR_ERROR_MALFORMED_CHANNEL and a message naming the bad part and its index. A parsed
 * URI is owned by the caller until abr_channel_uri_free; strings it returns are owned by it and valid
 * until it is changed or freed.
 */

/* Parse channel into a new URI (*uri set on success). 0 or -1. */
ABR_EXPORT int abr_channel_uri_parse_new(abr_channel_uri_t **uri, const char *channel);
/* An empty URI of this media ("udp" or "ipc") to build on with put. 0 or -1. */
ABR_EXPORT int abr_channel_uri_new(abr_channel_uri_t **uri, const char *media);
/* Release a URI. Safe on NULL. */
ABR_EXPORT int abr_channel_uri_free(abr_channel_uri_t *uri);
/* "udp" or "ipc"; NULL for NULL. */
ABR_EXPORT const char *abr_channel_uri_media(const abr_channel_uri_t *uri);
/* True for an aeron-spy: URI. */
ABR_EXPORT bool abr_channel_uri_is_spy(const abr_channel_uri_t *uri);
/* The number of parameters, in their order in the URI; -1 for NULL. */
ABR_EXPORT int abr_channel_uri_param_count(const abr_channel_uri_t *uri);
/* The key and value of the index-th parameter; NULL when out of range. */
ABR_EXPORT const char *abr_channel_uri_param_key(const abr_channel_uri_t *uri, int index);
ABR_EXPORT const char *abr_channel_uri_param_value(const abr_channel_uri_t *uri, int index);
/* The value of a parameter, or NULL when absent (or for a NULL uri or key). */
ABR_EXPORT const char *abr_channel_uri_get(const abr_channel_uri_t *uri, const char *key);
/* Add a parameter, or replace its value when present. The key must be non-empty without '=' or '|';
 * the value must not hold '|'. 0, or -1: ABR_ERROR_INVALID_ARGUMENT for a NULL uri, key or value,
 * ABR_ERROR_MALFORMED_CHANNEL for a key or value that breaks those rules or a parameter past the most a URI holds. */
ABR_EXPORT int abr_channel_uri_put(abr_channel_uri_t *uri, const char *key, const char *value);
/* Remove a parameter: 1 when it was there, 0 when not, -1 on bad arguments. */
ABR_EXPORT int abr_channel_uri_remove(abr_channel_uri_t *uri, const char *key);
/* Check the values of the parameters the client core knows: session-id (an int32, or tag:<id>),
 * term-length (a power of two from 64 KiB to 1 GiB, with an optional k/m/g suffix), mtu (a multiple of
 * 32 above 32, at most 65504), control-mode (manual, dynamic or response), alias (any text). 0, or -1
 * with ABR_ERROR_MALFORMED_CHANNEL naming the parameter and its value. */
ABR_EXPORT int abr_channel_uri_validate(const abr_channel_uri_t *uri);
/* Write the URI NUL-terminated into the caller's buffer; returns its length, or -1 (the error says the
 * capacity needed) when it does not fit. */
ABR_EXPORT int abr_channel_uri_write(const abr_channel_uri_t *uri, char *buffer, size_t capacity);

/*
 * Fragment assemblers: put fragmented messages back together before the delegate sees them, keeping one
 * buffer per publisher session. Pass the assembler's handler to poll with the assembler as clientd. The
 * delegate sees a whole message (header flags BEGIN|END, frame_length the whole length plus 32); its
 * buffer is the assembler's, valid only during the call. An assembler serves one polling thread.
 */

/* Create an assembler (*assembler set; the caller's until close). 0, or -1 for NULL arguments (naming which) or no
 * memory. */
ABR_EXPORT int abr_fragment_assembler_init(
    abr_fragment_assembler_t **assembler, abr_fragment_handler_t delegate, void *delegate_clientd);
/* Release it. Safe on NULL. */
ABR_EXPORT int abr_fragment_assembler_close(abr_fragment_assembler_t *assembler);
/* The handler to poll with (clientd: the assembler). A fragment with no BEGIN before it is dropped, and so is one it
 * cannot use, having nothing to return an error with: a NULL clientd or header, or a NULL buffer with a non-zero length
 * (the message that fragment belongs to is then dropped too). A NULL buffer of length 0 is an empty fragment. */
ABR_EXPORT void abr_fragment_assembler_handler(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

/* The same for controlled_poll: an ABORT from the delegate keeps what was assembled before the last
 * fragment, which the next poll delivers again. A fragment the handler cannot use (as above) is dropped with
 * ABR_ACTION_CONTINUE. */
ABR_EXPORT int abr_controlled_fragment_assembler_init(
    abr_controlled_fragment_assembler_t **assembler, abr_controlled_fragment_handler_t delegate, void *delegate_clientd);
ABR_EXPORT int abr_controlled_fragment_assembler_close(abr_controlled_fragment_assembler_t *assembler);
ABR_EXPORT abr_controlled_action_t abr_controlled_fragment_assembler_handler(
    void *clientd, const uint8_t *buffer, size_t length, abr_header_t *header);

ABR_EXTERN_C_END

#endif
