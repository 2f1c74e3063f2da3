/*
 * A counter this client allocated through the driver (ADD_COUNTER): the client writes its value in the CnC.
 */
#ifndef ABR_CORE_COUNTER_H
#define ABR_CORE_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

#include "abr/abr_client.h"

struct abr_counter_stct
{
    abr_client_t *client;
    abr_counter_t *next;
    int32_t counter_id;
    int32_t type_id;
    int64_t registration_id;
    uint8_t *value;
    /* 0 while open, then 1 (read with acquire): set by the close or by the conductor when the driver freed it. */
    int closed;
    bool freed_by_driver;
};

/* Build the handle for the driver's COUNTER_READY (under the client's lock); NULL with the error set when the id lies
 * outside the CnC. */
abr_counter_t *abr_counter_create(abr_client_t *client, int32_t counter_id, int32_t type_id, int64_t registration_id);

/* The driver freed the counter (ON_UNAVAILABLE_COUNTER; under the client's lock): closed, nothing sent. */
void abr_counter_on_unavailable(abr_counter_t *counter);

/* Free without telling the driver. */
void abr_counter_release(abr_counter_t *counter);

#endif
