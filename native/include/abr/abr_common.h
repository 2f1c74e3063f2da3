/*
 * Shared definitions for every public archive-bridge header.
 */
#ifndef ABR_COMMON_H
#define ABR_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define ABR_EXPORT __attribute__((visibility("default")))
#else
#define ABR_EXPORT
#endif

#ifdef __cplusplus
#define ABR_EXTERN_C_BEGIN extern "C" {
#define ABR_EXTERN_C_END }
#else
#define ABR_EXTERN_C_BEGIN
#define ABR_EXTERN_C_END
#endif

#endif
