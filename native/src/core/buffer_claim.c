#include "abr/abr_client.h"
#include "atomics.h"
#include "error.h"
#include "log_buffers.h"

static int abr_buffer_claim_check(abr_buffer_claim_t *claim, const char *what)
{
    if (NULL == claim || NULL == claim->frame_header)
    {
        return abr_error_set(
            ABR_ERROR_INVALID_ARGUMENT, "%s needs a claim filled by try_claim and not yet committed or aborted%s", what,
            NULL == claim ? ": claim=null" : "");
    }
    return 0;
}

int abr_buffer_claim_commit(abr_buffer_claim_t *claim)
{
    if (abr_buffer_claim_check(claim, "commit") < 0)
    {
        return -1;
    }
    abr_put_int32_release(claim->frame_header, (int32_t)claim->length + ABR_DATA_HEADER_LENGTH);
    /* Forgetting the frame makes a second commit or abort an error instead of a write to a reused term. */
    claim->frame_header = NULL;
    claim->data = NULL;
    return 0;
}

int abr_buffer_claim_abort(abr_buffer_claim_t *claim)
{
    if (abr_buffer_claim_check(claim, "abort") < 0)
    {
        return -1;
    }
    /* An aborted claim stays in the stream as padding: readers skip it, positions stay consistent. */
    int16_t type = ABR_HDR_TYPE_PAD;
    memcpy(claim->frame_header + ABR_FRAME_TYPE_FIELD_OFFSET, &type, sizeof(type));
    abr_put_int32_release(claim->frame_header, (int32_t)claim->length + ABR_DATA_HEADER_LENGTH);
    claim->frame_header = NULL;
    claim->data = NULL;
    return 0;
}
