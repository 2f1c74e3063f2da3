/*
 * Listing answers as the archive sends them: recording descriptors, recording subscription descriptors, the
 * control responses that end or fail a listing, and recording signals in between, decoded by the recording
 * descriptor poller. Each input is a run of fragments (a 16-bit length, then its bytes); the first byte picks a
 * recordings or a subscriptions listing. The session and correlation ids are fixed (1 and 2), as in the seeds.
 */
#include <stdlib.h>
#include <string.h>

#include "archive/recording_descriptor_poller.h"
#include "fuzz_input.h"

#define FUZZ_CONTROL_SESSION_ID 1
#define FUZZ_CORRELATION_ID 2

static volatile unsigned g_sink;

static void touch_string(const char *text)
{
    g_sink += abr_fuzz_touch((const uint8_t *)text, strlen(text));
}

static void on_descriptor(void *clientd, abr_archive_recording_descriptor_t *descriptor)
{
    touch_string(descriptor->stripped_channel);
    touch_string(descriptor->original_channel);
    touch_string(descriptor->source_identity);
    g_sink += (unsigned)descriptor->recording_id;
}

static void on_subscription(void *clientd, abr_archive_recording_subscription_descriptor_t *descriptor)
{
    touch_string(descriptor->stripped_channel);
    g_sink += (unsigned)descriptor->subscription_id;
}

static void on_signal(void *clientd, abr_archive_recording_signal_t *signal)
{
    g_sink += (unsigned)signal->recording_signal_code;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    abr_fuzz_input_t input = { .data = data, .size = size, .offset = 0 };
    abr_recording_descriptor_poller_t poller;
    if (abr_recording_descriptor_poller_init(&poller, NULL, FUZZ_CONTROL_SESSION_ID) < 0)
    {
        return 0;
    }
    poller.signal_consumer = on_signal;
    uint8_t mode = abr_fuzz_u8(&input);
    int32_t count = 1 + (mode >> 1);
    if (0 == (mode & 1))
    {
        abr_recording_descriptor_poller_reset(&poller, FUZZ_CORRELATION_ID, count, on_descriptor, NULL);
    }
    else
    {
        abr_recording_descriptor_poller_reset_subscriptions(&poller, FUZZ_CORRELATION_ID, count, on_subscription, NULL);
    }

    abr_header_t header = { .flags = ABR_FRAME_UNFRAGMENTED, .session_id = 1 };
    while (abr_fuzz_remaining(&input) > 0 && !poller.is_dispatch_complete && !poller.failed)
    {
        size_t length;
        uint16_t wanted = abr_fuzz_u16(&input);
        const uint8_t *fragment = abr_fuzz_bytes(&input, wanted, &length);
        uint8_t *copy = malloc(length > 0 ? length : 1);
        if (NULL == copy)
        {
            break;
        }
        memcpy(copy, fragment, length);
        abr_recording_descriptor_poller_on_fragment(&poller, copy, length, &header);
        free(copy);
    }
    abr_recording_descriptor_poller_close(&poller);
    return 0;
}
