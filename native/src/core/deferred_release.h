/*
 * A publication and a subscription the client core closes later, on its conductor's duty cycle, once a condition
 * holds or a deadline passes: for a user of a shared core (an archive client's close) that must not remove them before
 * the other end has read what was last sent, and must not make its caller wait for that either.
 */
#ifndef ABR_CORE_DEFERRED_RELEASE_H
#define ABR_CORE_DEFERRED_RELEASE_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_client.h"

/*
 * Whether the publication and subscription may go now. Called by the conductor with the client's lock and the
 * subscription's images_lock held (so it may read the subscription's images); it must not call into the client.
 */
typedef bool (*abr_release_condition_t)(void *clientd);

typedef struct abr_deferred_release_stct abr_deferred_release_t;

struct abr_deferred_release_stct
{
    abr_deferred_release_t *next;
    abr_exclusive_publication_t *publication;
    abr_subscription_t *subscription;
    abr_release_condition_t condition;
    void *clientd;
    int64_t deadline_ns;
};

/*
 * Hand an open publication and subscription of this client to its conductor, which closes both once condition holds
 * or at deadline_ns (abr_nano_time), whichever comes first. Takes ownership of clientd (freed with free() once done),
 * also on failure. The subscription's image handlers are cleared: their clientd may go as this returns. Returns 0, or
 * -1 with the error set (null arguments, handles of another client, a closed client, no memory): the caller then
 * closes them itself.
 */
int abr_client_release_when(
    abr_client_t *client,
    abr_exclusive_publication_t *publication,
    abr_subscription_t *subscription,
    abr_release_condition_t condition,
    void *clientd,
    int64_t deadline_ns);

/* Conductor duty (client's lock held): close those whose condition holds or whose deadline passed. Returns the count. */
int abr_deferred_releases_do_work(abr_client_t *client, int64_t now_ns);

/* How many are still pending (client's lock held). */
int abr_deferred_releases_count(const abr_client_t *client);

/*
 * For the client's close, before the client itself closes (no lock held): let pending ones finish, each within its
 * own deadline, so that closing the core right after an archive client's close still lets the archive read the
 * request. Returns at once when the client has closed already (its driver is lost).
 */
void abr_deferred_releases_finish(abr_client_t *client);

/* Free the pending ones without closing anything (client's lock held or no other user left); the client's release
 * frees the handles themselves. */
void abr_deferred_releases_drop(abr_client_t *client);

#endif
