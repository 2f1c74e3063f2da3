#ifndef ABR_CORE_CONTEXT_H
#define ABR_CORE_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_client.h"

struct abr_context_stct
{
    char *dir;
    char *client_name;
    uint64_t driver_timeout_ms;
    bool use_conductor_thread;
    uint64_t resource_linger_ns;
};

#endif
