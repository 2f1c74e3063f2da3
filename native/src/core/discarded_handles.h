/*
 * Handles given up for good. A user's closed publication or subscription stays allocated until its client
 * closes, so that a late call on it answers CLOSED. The library's own handles (an archive client's control request
 * publication and response subscription, a replay's subscription it added itself) are never used again once closed, so
 * keeping them would only grow a long-lived shared core by one pair per archive connection, and lengthen every duty
 * cycle's walk of the client's lists. Discarded ones (the library's, and users' who discard rather than close) are
 * closed at once and freed by the conductor once the resource linger has passed (as a closed publication's log is unmapped), so that a call that raced the close still finishes on
 * mapped memory.
 */
#ifndef ABR_CORE_DISCARDED_HANDLES_H
#define ABR_CORE_DISCARDED_HANDLES_H

#include <stdint.h>

#include "abr/abr_client.h"

/* abr_subscription_discard and the publications' are public (abr_client.h), for users' handles too. */

/* As above, for a handle already closed under the locks its close needs (the client's lock held). */
void abr_subscription_discard_closed(abr_subscription_t *subscription);
void abr_exclusive_publication_discard_closed(abr_exclusive_publication_t *publication);
void abr_publication_discard_closed(abr_publication_t *publication);

/* Conductor duty (client's lock held): free the discarded handles whose linger has passed. Returns how many. */
int abr_discarded_handles_free(abr_client_t *client, int64_t now_ns);

/* How many discarded handles wait for their linger (client's lock held). */
int abr_discarded_handles_count(const abr_client_t *client);

#endif
