#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "abr_codecs/challenge.h"
#include "abr_codecs/connectRequest.h"
#include "abr_codecs/authConnectRequest.h"
#include "abr_codecs/controlResponse.h"
#include "abr_codecs/messageHeader.h"
#include "abr_codecs/recordingSignalEvent.h"

#include "archive_debug_log.h"
#include "core/error.h"

int abr_archive_debug_log_open(FILE **log, const char *target)
{
    *log = NULL;
    if (NULL == target || '\0' == target[0])
    {
        return 0;
    }
    if (0 == strcmp(target, "stderr"))
    {
        *log = stderr;
        return 0;
    }
    *log = fopen(target, "a");
    if (NULL == *log)
    {
        return abr_error_set(ABR_ERROR_IO, "cannot open the archive debug log %s: %s", target, strerror(errno));
    }
    return 0;
}

void abr_archive_debug_log_close(FILE *log)
{
    if (NULL != log && stderr != log)
    {
        fclose(log);
    }
}

static double abr_archive_debug_log_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Every request but the connect ones begins with controlSessionId, then (all but CloseSessionRequest) correlationId
 * (aeron-archive-codecs.xml); the connect requests begin with correlationId. */
void abr_archive_debug_log_request(FILE *log, const char *request, const char *message, uint64_t length)
{
    if (NULL == log)
    {
        return;
    }
    const uint64_t header_length = abr_codecs_messageHeader_encoded_length();
    uint16_t template_id = 0;
    int64_t first = 0;
    int64_t second = 0;
    if (length >= header_length)
    {
        memcpy(&template_id, message + 2, sizeof(template_id));
    }
    if (length >= header_length + 8)
    {
        memcpy(&first, message + header_length, sizeof(first));
    }
    const bool has_second = length >= header_length + 16;
    if (has_second)
    {
        memcpy(&second, message + header_length + 8, sizeof(second));
    }

    const double now = abr_archive_debug_log_seconds();
    if (abr_codecs_connectRequest_sbe_template_id() == template_id ||
        abr_codecs_authConnectRequest_sbe_template_id() == template_id)
    {
        fprintf(log, "%.6f abr-archive SEND %s templateId=%" PRIu16 " correlationId=%" PRId64 "\n",
            now, request, template_id, first);
    }
    else if (has_second)
    {
        fprintf(log, "%.6f abr-archive SEND %s templateId=%" PRIu16 " controlSessionId=%" PRId64
            " correlationId=%" PRId64 "\n", now, request, template_id, first, second);
    }
    else
    {
        fprintf(log, "%.6f abr-archive SEND %s templateId=%" PRIu16 " controlSessionId=%" PRId64 "\n",
            now, request, template_id, first);
    }
    fflush(log);
}

void abr_archive_debug_log_response(FILE *log, const abr_control_response_poller_t *poller)
{
    if (NULL == log || !poller->is_poll_complete)
    {
        return;
    }
    if (abr_codecs_controlResponse_sbe_template_id() == poller->template_id)
    {
        fprintf(log, "%.6f abr-archive RECV ControlResponse controlSessionId=%" PRId64 " correlationId=%" PRId64
            " relevantId=%" PRId64 " code=%" PRId32 "%s%s\n",
            abr_archive_debug_log_seconds(), poller->control_session_id, poller->correlation_id, poller->relevant_id,
            poller->code, '\0' != poller->error_message[0] ? " error=" : "", poller->error_message);
    }
    else if (abr_codecs_recordingSignalEvent_sbe_template_id() == poller->template_id)
    {
        fprintf(log, "%.6f abr-archive RECV RecordingSignal controlSessionId=%" PRId64 " correlationId=%" PRId64
            " recordingId=%" PRId64 " subscriptionId=%" PRId64 " position=%" PRId64 " signal=%" PRId32 "\n",
            abr_archive_debug_log_seconds(), poller->control_session_id, poller->correlation_id, poller->recording_id,
            poller->subscription_id, poller->position, poller->recording_signal);
    }
    else if (abr_codecs_challenge_sbe_template_id() == poller->template_id)
    {
        fprintf(log, "%.6f abr-archive RECV Challenge controlSessionId=%" PRId64 " correlationId=%" PRId64 "\n",
            abr_archive_debug_log_seconds(), poller->control_session_id, poller->correlation_id);
    }
    fflush(log);
}
