/*
 * Channels written in io.aeron.ChannelUri's parameter order: each expected string is what aeron-client 1.51.0's
 * ChannelUri.addSessionId(channel, -1234) returned for the channel (run once, recorded here), so the text
 * NativeArchive's recorded publications send the Archive is the text AeronArchive's send. The cases cover an empty
 * map, a session id already there (replaced in its place), a key given twice, the spy prefix, keys outside ASCII
 * (UTF-16 hashing, a surrogate pair), an empty value, and enough parameters for the map to grow twice.
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel_uri.h"
#include "abr/abr_error.h"
#include "test_assert.h"

static const char *const g_cases[][2] = {
    { "aeron:ipc",
      "aeron:ipc?session-id=-1234" },
    { "aeron:ipc?term-length=65536",
      "aeron:ipc?term-length=65536|session-id=-1234" },
    { "aeron:udp?endpoint=localhost:20121",
      "aeron:udp?session-id=-1234|endpoint=localhost:20121" },
    { "aeron:udp?endpoint=localhost:20121|term-length=65536|mtu=1408",
      "aeron:udp?term-length=65536|session-id=-1234|mtu=1408|endpoint=localhost:20121" },
    { "aeron:ipc?alias=x|tags=1,2",
      "aeron:ipc?session-id=-1234|tags=1,2|alias=x" },
    { "aeron-spy:aeron:udp?endpoint=localhost:5",
      "aeron-spy:aeron:udp?session-id=-1234|endpoint=localhost:5" },
    { "aeron:udp?control=localhost:1|control-mode=manual",
      "aeron:udp?session-id=-1234|control=localhost:1|control-mode=manual" },
    { "aeron:ipc?session-id=5",
      "aeron:ipc?session-id=-1234" },
    { "aeron:ipc?term-length=65536|session-id=5|alias=a",
      "aeron:ipc?term-length=65536|session-id=-1234|alias=a" },
    { "aeron:udp?endpoint=localhost:1|interface=lo|ttl=3|reliable=true|linger=0",
      "aeron:udp?linger=0|interface=lo|endpoint=localhost:1|session-id=-1234|reliable=true|ttl=3" },
    { "aeron:ipc?a=1|b=2|c=3|d=4|e=5|f=6|g=7|h=8|i=9",
      "aeron:ipc?a=1|f=6|i=9|b=2|e=5|d=4|h=8|session-id=-1234|g=7|c=3" },
    { "aeron:ipc?alias=1|alias=2|mtu=1408",
      "aeron:ipc?session-id=-1234|mtu=1408|alias=2" },
    { "aeron:ipc?é=1|ключ=2|😀=3",
      "aeron:ipc?session-id=-1234|ключ=2|é=1|😀=3" },
    { "aeron:ipc?empty=",
      "aeron:ipc?session-id=-1234|empty=" },
    { "aeron:udp?endpoint=localhost:40123|k0=0|k1=1|k2=2|k3=3|k4=4|k5=5|k6=6|k7=7|k8=8|k9=9|k10=10|k11=11|k12=12|k13=13|k14=14|k15=15|k16=16|k17=17|k18=18|k19=19|k20=20|k21=21|k22=22|k23=23|k24=24",
      "aeron:udp?k11=11|k16=16|k18=18|k12=12|k17=17|k9=9|k1=1|endpoint=localhost:40123|k15=15|k13=13|k3=3|k8=8|k4=4|k10=10|k5=5|session-id=-1234|k22=22|k21=21|k19=19|k2=2|k0=0|k6=6|k7=7|k14=14|k24=24|k23=23|k20=20" },
};

static void writes_parameters_in_channel_uri_order(void)
{
    for (size_t i = 0; i < sizeof(g_cases) / sizeof(g_cases[0]); i++)
    {
        abr_channel_uri_t uri;
        ABR_CHECK(0 == abr_channel_uri_parse(&uri, g_cases[i][0]));
        ABR_CHECK(0 == abr_channel_uri_put(&uri, ABR_URI_SESSION_ID_PARAM, "-1234"));
        char *written = abr_channel_uri_to_string_in_map_order(&uri);
        ABR_CHECK(NULL != written);
        ABR_CHECK_STR_EQ(g_cases[i][1], written);
        free(written);
        abr_channel_uri_close(&uri);
    }
}

static void rejects_null(void)
{
    ABR_CHECK(NULL == abr_channel_uri_to_string_in_map_order(NULL));
    ABR_CHECK(ABR_ERROR_INVALID_ARGUMENT == abr_errcode());
}

int main(void)
{
    ABR_RUN(writes_parameters_in_channel_uri_order);
    ABR_RUN(rejects_null);
    return 0;
}
