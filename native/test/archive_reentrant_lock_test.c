/*
 * The archive client's re-entrant lock without an archive (issue 10, defect 3): a call made from a callback holds
 * the lock again, a close made there is finished by the outermost call as it exits (the client stays valid until
 * then: the sanitized build sees any early free), a listing's callbacks may not call the client, and a response a
 * nested call reads for an outer call is kept for that call. The whole path against a real archive is covered from
 * Java (ReentrantCallbackTest).
 */
#include <stdlib.h>
#include <string.h>

#include "abr/abr_archive.h"
#include "abr/abr_error.h"
#include "archive/archive_client.h"
#include "archive/control_response_poller.h"
#include "test_assert.h"

/* A client as connect leaves it, without channels or core: closing it releases nothing but its memory. */
static abr_archive_t *unconnected_client(void)
{
    abr_archive_t *archive = calloc(1, sizeof(abr_archive_t));
    ABR_CHECK(NULL != archive);
    ABR_CHECK(0 == abr_archive_context_init(&archive->ctx));
    ABR_CHECK(0 == abr_archive_lock_init(archive));
    archive->control_session_id = 7;
    archive->released = true;
    abr_archive_set_state(archive, ABR_ARCHIVE_STATE_CONNECTED);
    return archive;
}

static void lock_is_reentrant_and_counts_depth(void)
{
    abr_archive_t *archive = unconnected_client();
    ABR_CHECK(0 == abr_archive_enter(archive, "outer call"));
    ABR_CHECK(0 == abr_archive_enter(archive, "call from a callback"));
    ABR_CHECK(2 == archive->lock_depth);
    abr_archive_exit(archive);
    abr_archive_exit(archive);
    ABR_CHECK(0 == archive->lock_depth);
    ABR_CHECK(0 == abr_archive_close(archive));
}

static void close_from_a_callback_is_finished_by_the_outermost_call(void)
{
    abr_archive_t *archive = unconnected_client();
    ABR_CHECK(0 == abr_archive_enter(archive, "outer call"));

    ABR_CHECK(0 == abr_archive_close(archive));
    /* Still allocated: the outer call goes on using it until it exits. */
    ABR_CHECK(ABR_ARCHIVE_STATE_CLOSED == abr_archive_state(archive));
    ABR_CHECK(archive->close_pending);
    ABR_CHECK(-1 == abr_archive_check_not_closed_by_callback(archive, 42));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "by a callback of this call"));
    ABR_CHECK(-1 == abr_archive_enter(archive, "another call from the callback"));
    ABR_CHECK(ABR_ERROR_CLOSED == abr_errcode());

    abr_archive_exit(archive); /* Frees it: the sanitizers report a leak or a use after this. */
}

static void listing_callbacks_may_not_call_the_client(void)
{
    abr_archive_t *archive = unconnected_client();
    ABR_CHECK(0 == abr_archive_enter(archive, "list recordings"));
    archive->in_listing = true;
    ABR_CHECK(-1 == abr_archive_enter(archive, "get recording position"));
    ABR_CHECK(ABR_ERROR_ILLEGAL_STATE == abr_errcode());
    ABR_CHECK(NULL != strstr(abr_errmsg(), "reentrant calls not permitted during callbacks"));
    ABR_CHECK(1 == archive->lock_depth);
    archive->in_listing = false;
    abr_archive_exit(archive);
    ABR_CHECK(0 == abr_archive_close(archive));
}

static void a_nested_call_keeps_the_outer_calls_response(void)
{
    abr_archive_t *archive = unconnected_client();
    abr_archive_waiter_t outer = { .correlation_id = 100, .outer = NULL };
    abr_archive_waiter_t inner = { .correlation_id = 200, .outer = &outer };
    archive->waiters = &inner;

    ABR_CHECK(!abr_archive_pass_to_waiter(archive, 300, ABR_CONTROL_RESPONSE_CODE_OK, 1, ""));
    ABR_CHECK(abr_archive_pass_to_waiter(archive, 100, ABR_CONTROL_RESPONSE_CODE_ERROR, 5, "unknown recording"));
    ABR_CHECK(outer.arrived && !inner.arrived);
    ABR_CHECK(ABR_CONTROL_RESPONSE_CODE_ERROR == outer.code);
    ABR_CHECK(5 == outer.relevant_id);
    ABR_CHECK_STR_EQ("unknown recording", outer.error_message);
    /* A second answer to the same request is nobody's. */
    ABR_CHECK(!abr_archive_pass_to_waiter(archive, 100, ABR_CONTROL_RESPONSE_CODE_OK, 0, NULL));

    archive->waiters = NULL;
    ABR_CHECK(0 == abr_archive_close(archive));
}

int main(void)
{
    ABR_RUN(lock_is_reentrant_and_counts_depth);
    ABR_RUN(close_from_a_callback_is_finished_by_the_outermost_call);
    ABR_RUN(listing_callbacks_may_not_call_the_client);
    ABR_RUN(a_nested_call_keeps_the_outer_calls_response);
    return 0;
}
