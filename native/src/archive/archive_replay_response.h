/*
 * Replays to control-mode=response channels (archive_replay_response.c): requested over a connection of their own,
 * identified to the archive by a replay token.
 */
#ifndef ABR_ARCHIVE_REPLAY_RESPONSE_H
#define ABR_ARCHIVE_REPLAY_RESPONSE_H

#include <stdbool.h>

#include "abr/abr_archive.h"

/* True when the channel parses and has control-mode=response. */
bool abr_archive_is_response_channel(const char *channel);

/* The archive's control request channel without fixed session or term placement, tied to the subscription the replay
 * goes to (response-correlation-id), with this term length: the channel of the publication a replay request to a
 * response channel travels over. Allocated (the caller frees it); NULL with the error set. */
char *abr_archive_replay_request_channel(abr_archive_t *archive, int64_t subscription_registration_id, int32_t term_length);

/* start_replay_with_params for a response channel: params (not NULL) must name the response subscription; *replay_id
 * receives the request's correlation id, as AeronArchive returns. */
int abr_archive_start_replay_via_response_channel(
    int64_t *replay_id,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params);

/* replay_with_params for a response channel: adds the subscription, requests the replay, waits for its image. */
int abr_archive_replay_via_response_channel(
    abr_subscription_t **subscription,
    abr_archive_t *archive,
    int64_t recording_id,
    const char *replay_channel,
    int32_t replay_stream_id,
    const abr_archive_replay_params_t *params);

#endif
