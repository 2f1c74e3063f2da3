/*
 * The smallest assertion kit for the C tests: each test is a plain program that exits non-zero on
 * the first failed check and prints where it failed.
 */
#ifndef ABR_TEST_ASSERT_H
#define ABR_TEST_ASSERT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ABR_TEST_SKIPPED 77

#define ABR_CHECK(condition) \
    do \
    { \
        if (!(condition)) \
        { \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            exit(1); \
        } \
    } \
    while (0)

#define ABR_CHECK_STR_EQ(expected, actual) \
    do \
    { \
        const char *abr_expected_ = (expected); \
        const char *abr_actual_ = (actual); \
        if (NULL == abr_actual_ || 0 != strcmp(abr_expected_, abr_actual_)) \
        { \
            fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, abr_expected_, \
                NULL == abr_actual_ ? "(null)" : abr_actual_); \
            exit(1); \
        } \
    } \
    while (0)

#define ABR_RUN(test) \
    do \
    { \
        test(); \
        printf("ok - %s\n", #test); \
    } \
    while (0)

#endif
