#include <inttypes.h>

#include "archive_client.h"
#include "core/error.h"

static int abr_archive_check_listing(
    int32_t *count, abr_archive_recording_descriptor_consumer_t consumer, const char *operation)
{
    if (NULL == count)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: count must not be null", operation);
    }
    if (NULL == consumer)
    {
        return abr_error_set(ABR_ERROR_INVALID_ARGUMENT, "%s: consumer must not be null", operation);
    }
    return 0;
}

static int abr_archive_finish_listing(
    abr_archive_t *archive,
    int64_t correlation_id,
    int sent,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd,
    int32_t *count)
{
    int result;
    if (sent < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_descriptors(archive, correlation_id, record_count, consumer, clientd, count);
    }
    abr_archive_exit(archive);
    return result;
}

int abr_archive_list_recordings(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd)
{
    if (abr_archive_check_listing(count, consumer, "list recordings") < 0 ||
        abr_archive_enter(archive, "list recordings") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int sent = correlation_id < 0 ? -1 : abr_archive_proxy_list_recordings(
        &archive->proxy, archive->control_session_id, correlation_id, from_recording_id, record_count);
    return abr_archive_finish_listing(archive, correlation_id, sent, record_count, consumer, clientd, count);
}

int abr_archive_list_recording(
    int32_t *count,
    abr_archive_t *archive,
    int64_t recording_id,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd)
{
    if (abr_archive_check_listing(count, consumer, "list recording") < 0 ||
        abr_archive_enter(archive, "list recording") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int sent = correlation_id < 0 ? -1 : abr_archive_proxy_list_recording(
        &archive->proxy, archive->control_session_id, correlation_id, recording_id);
    return abr_archive_finish_listing(archive, correlation_id, sent, 1, consumer, clientd, count);
}

int abr_archive_list_recordings_for_uri(
    int32_t *count,
    abr_archive_t *archive,
    int64_t from_recording_id,
    int32_t record_count,
    const char *channel_fragment,
    int32_t stream_id,
    abr_archive_recording_descriptor_consumer_t consumer,
    void *clientd)
{
    if (abr_archive_check_listing(count, consumer, "list recordings for uri") < 0)
    {
        return -1;
    }
    if (NULL == channel_fragment)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "list recordings for uri: channel_fragment must not be null (may be empty)");
    }
    if (abr_archive_enter(archive, "list recordings for uri") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int sent = correlation_id < 0 ? -1 : abr_archive_proxy_list_recordings_for_uri(
        &archive->proxy, archive->control_session_id, correlation_id, from_recording_id, record_count,
        channel_fragment, stream_id);
    return abr_archive_finish_listing(archive, correlation_id, sent, record_count, consumer, clientd, count);
}

int abr_archive_list_recording_subscriptions(
    int32_t *count,
    abr_archive_t *archive,
    int32_t pseudo_index,
    int32_t subscription_count,
    const char *channel_fragment,
    int32_t stream_id,
    bool apply_stream_id,
    abr_archive_recording_subscription_descriptor_consumer_t consumer,
    void *clientd)
{
    if (NULL == count || NULL == consumer || NULL == channel_fragment)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "list recording subscriptions: %s must not be null%s",
            NULL == count ? "count" : NULL == channel_fragment ? "channel_fragment" : "consumer",
            NULL != count && NULL == channel_fragment ? " (may be empty)" : "");
    }
    if (abr_archive_enter(archive, "list recording subscriptions") < 0)
    {
        return -1;
    }
    int64_t correlation_id = abr_archive_next_correlation_id(archive);
    int result;
    if (correlation_id < 0 || abr_archive_proxy_list_recording_subscriptions(
        &archive->proxy, archive->control_session_id, correlation_id, pseudo_index, subscription_count,
        channel_fragment, stream_id, apply_stream_id) < 0)
    {
        result = abr_archive_error_context(archive, correlation_id);
    }
    else
    {
        result = abr_archive_poll_for_subscription_descriptors(
            archive, correlation_id, subscription_count, consumer, clientd, count);
    }
    abr_archive_exit(archive);
    return result;
}
