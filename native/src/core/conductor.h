/*
 * Client state and the conductor's duties: driver responses, keepalives, driver liveness and
 * pending adds. Everything here is guarded by the client's lock.
 */
#ifndef ABR_CORE_CONDUCTOR_H
#define ABR_CORE_CONDUCTOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_client.h"
#include "atomics.h"
#include "broadcast_receiver.h"
#include "cnc.h"
#include "deferred_release.h"
#include "driver_proxy.h"
#include "ring_buffer.h"

/* Driver response type ids, from ControlProtocolEvents (aeron-client 1.51.0). */
#define ABR_RSP_ON_ERROR 0x0F01
#define ABR_RSP_ON_AVAILABLE_IMAGE 0x0F02
#define ABR_RSP_ON_PUBLICATION_READY 0x0F03
#define ABR_RSP_ON_OPERATION_SUCCESS 0x0F04
#define ABR_RSP_ON_UNAVAILABLE_IMAGE 0x0F05
#define ABR_RSP_ON_EXCLUSIVE_PUBLICATION_READY 0x0F06
#define ABR_RSP_ON_SUBSCRIPTION_READY 0x0F07
#define ABR_RSP_ON_COUNTER_READY 0x0F08
#define ABR_RSP_ON_UNAVAILABLE_COUNTER 0x0F09
#define ABR_RSP_ON_CLIENT_TIMEOUT 0x0F0A
#define ABR_RSP_ON_NEXT_AVAILABLE_SESSION_ID 0x0F0D

/* Aeron.Configuration.KEEPALIVE_INTERVAL_NS: 500 ms. */
#define ABR_KEEPALIVE_INTERVAL_NS (500LL * 1000 * 1000)
#define ABR_CONDUCTOR_IDLE_SLEEP_MS 1
/* A driver that shuts down cleanly sets its heartbeat to Aeron.NULL_VALUE (DriverConductor.onClose). */
#define ABR_DRIVER_HEARTBEAT_SHUT_DOWN (-1)
/* Aeron's default client liveness timeout, for a CnC that does not say. */
#define ABR_CLIENT_LIVENESS_TIMEOUT_NS_DEFAULT (10LL * 1000 * 1000 * 1000)
/* The library's version, from the CMake project (native/CMakeLists.txt passes it in). */
#ifndef ABR_VERSION_TEXT
#define ABR_VERSION_TEXT "unknown"
#endif
#define ABR_CLOSED_MESSAGE_MAX_LENGTH 512
/* Room for the driver's message on a rejected command; a longer one is cut, not refused. */
#define ABR_DRIVER_ERROR_MESSAGE_MAX_LENGTH 1024

typedef enum abr_pending_kind_en
{
    ABR_PENDING_PUBLICATION,
    ABR_PENDING_EXCLUSIVE_PUBLICATION,
    ABR_PENDING_SUBSCRIPTION,
    ABR_PENDING_NEXT_SESSION_ID,
    /* ADD_COUNTER, answered by ON_COUNTER_READY or ON_ERROR; channel holds the label, stream_id the type id. */
    ABR_PENDING_COUNTER,
    /* Destination commands, answered by ON_OPERATION_SUCCESS or ON_ERROR. */
    ABR_PENDING_ADD_DESTINATION,
    ABR_PENDING_REMOVE_DESTINATION,
    ABR_PENDING_ADD_RCV_DESTINATION,
    ABR_PENDING_REMOVE_RCV_DESTINATION
}
abr_pending_kind_t;

typedef enum abr_pending_state_en
{
    ABR_PENDING_AWAITING,
    ABR_PENDING_DONE,
    ABR_PENDING_FAILED
}
abr_pending_state_t;

struct abr_async_add_stct
{
    abr_client_t *client;
    abr_async_add_t *next;
    abr_pending_kind_t kind;
    abr_pending_state_t state;
    int64_t correlation_id;
    char *channel;
    int32_t stream_id;
    int64_t deadline_ns;
    abr_exclusive_publication_t *publication;
    abr_publication_t *shared_publication;
    abr_subscription_t *subscription;
    abr_image_handler_t on_available_image;
    void *available_clientd;
    abr_image_handler_t on_unavailable_image;
    void *unavailable_clientd;
    int32_t session_id;
    int error_code;
    char error_message[ABR_CLOSED_MESSAGE_MAX_LENGTH];
    /* The Media Driver's own code and message when it rejected the command (ABR_ERROR_DRIVER_REJECTED), -1 and ""
     * otherwise: a failed poll hands them on with the correlation id (abr_errdriver_code). */
    int32_t driver_error_code;
    char driver_error_message[ABR_DRIVER_ERROR_MESSAGE_MAX_LENGTH];
    abr_counter_t *counter;
};

struct abr_client_stct
{
    char *dir;
    char *client_name;
    int64_t driver_timeout_ms;
    bool use_conductor_thread;
    int64_t resource_linger_ns;

    abr_cnc_t cnc;
    abr_ring_buffer_t to_driver;
    abr_broadcast_receiver_t to_clients;
    abr_driver_proxy_t driver_proxy;
    int64_t client_id;

    pthread_mutex_t lock;
    pthread_t thread;
    bool thread_started;
    int running;

    /* 0 while open, else the abr_error_code_t every later call fails with; message written first. */
    int closed_code;
    char closed_message[ABR_CLOSED_MESSAGE_MAX_LENGTH];

    int64_t last_keepalive_ns;
    /* The driver's heartbeat timestamp counter for this client, -1 until found. */
    int32_t heartbeat_counter_id;
    /* When the conductor last ran, and how long it may pause: the CnC's client liveness timeout. */
    int64_t last_service_ns;
    int64_t inter_service_timeout_ns;
    abr_async_add_t *pending;
    abr_exclusive_publication_t *publications;
    abr_publication_t *shared_publications;
    abr_subscription_t *subscriptions;
    /* Handles users have given up, closed by the conductor once their condition holds (deferred_release.h). */
    abr_deferred_release_t *deferred_releases;
    /* Counters this client added, closed or not, freed with the client as publications are. */
    abr_counter_t *counters;
    /* Publications and subscriptions on the lists above that the library gave up, not yet freed (discarded_handles.h). */
    int discarded_count;
};

/* Handle one driver response from the to-clients buffer (the conductor's broadcast handler); internal, also the fuzz
 * target's entry (native/fuzz), which feeds it bytes without a driver. Reads only within msg[0..length). */
void abr_conductor_on_response(abr_client_t *client, int32_t msg_type_id, const uint8_t *msg, size_t length);

/* One round of conductor work; the caller holds the lock. Returns the work done, or -1 once closed. */
int abr_conductor_do_work(abr_client_t *client);

/* Close the client for good with this reason (under the lock): pending adds fail with it. */
void abr_conductor_close_with(abr_client_t *client, int code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Fail the calling thread's call with the client's closed reason; returns -1. */
int abr_conductor_closed_error(abr_client_t *client);

/* Whether the driver's heartbeat says it is gone (shut down, or silent past the driver timeout), as the conductor's
 * next round of work will find and close the client for. Reads the CnC only: no lock, for observers such as an
 * archive client's state. */
bool abr_conductor_driver_is_lost(abr_client_t *client);

static inline bool abr_conductor_is_closed(abr_client_t *client)
{
    return 0 != abr_load_int_acquire(&client->closed_code);
}

/* Release the client's pending adds, publications and subscriptions (client.c); its CnC mapping and the struct stay. */
void abr_client_release_resources(abr_client_t *client);

int abr_conductor_start_thread(abr_client_t *client);
void abr_conductor_stop_thread(abr_client_t *client);

/* In invoker mode, do a round of work now (taking the lock); no-op with a conductor thread. */
int abr_conductor_invoke(abr_client_t *client);

static inline bool abr_pending_is_destination(abr_pending_kind_t kind)
{
    return kind >= ABR_PENDING_ADD_DESTINATION;
}

/* The shared steps of every async command (async_add.c): 1 done (result and session id copied out, async released),
 * 0 pending, -1 failed (async released, error set); and the same, polled until done (the pending deadline bounds it). */
int abr_async_poll_kind(abr_async_add_t *async, abr_pending_kind_t kind, void **result, int32_t *session_id);
int abr_async_await_kind(abr_async_add_t *async, abr_pending_kind_t kind, void **result, int32_t *session_id);

/* Writes a pending command's message to the driver, called under the client's lock once the command has its
 * correlation id: 0, or -1 with the error set, naming what was not sent. command is the submitter's, passed through. */
typedef int (*abr_async_send_t)(abr_client_t *client, const abr_async_add_t *pending, const void *command);

/* The lock/send/link step every async command shares (async_add.c). pending is the caller's, from calloc, with its
 * kind, channel (malloc'd, or NULL) and stream id set. Under the client's lock: refused if the client is closed, else
 * given a correlation id and the driver timeout's deadline, sent, and linked to the client's pending list for the
 * conductor. 0 with *async = pending; -1 with the error set and pending freed with its channel. */
int abr_async_submit(
    abr_async_add_t **async, abr_client_t *client, abr_async_add_t *pending, abr_async_send_t send,
    const void *command);

void abr_conductor_fail_pending(abr_async_add_t *pending, int code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
