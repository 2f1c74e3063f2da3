/*
 * Checks of one call against the error model of abr_error.h, for the argument tests. Each names the function and its
 * argument list apart, ABR_EXPECT_INVALID(abr_x, (a, NULL), -1, "b"), so that api_arguments_coverage.py can tell
 * which parameter of which function was given NULL. A failed check is printed and counted rather than fatal, so that
 * one run lists every gap; ABR_EXPECT_ALL_PASSED() then fails the test.
 */
#ifndef ABR_TEST_EXPECT_H
#define ABR_TEST_EXPECT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abr/abr_error.h"

static inline int *abr_expect_failures(void)
{
    static int failures;
    return &failures;
}

static inline void abr_expect_failed(const char *file, int line, const char *call)
{
    fprintf(stderr, "%s:%d: %s: ", file, line, call);
    (*abr_expect_failures())++;
}

static inline void abr_expect_error_at(
    const char *file, int line, const char *call, long long result, long long expected, int code, const char *needle)
{
    const int actual_code = abr_errcode();
    const char *message = abr_errmsg();
    /* With ABR_EXPECT_VERBOSE set, every needle and the message it was looked for in, to review what the checks match. */
    if (NULL != getenv("ABR_EXPECT_VERBOSE"))
    {
        printf("%s:%d: '%s' in \"%s\"\n", file, line, needle, message);
    }
    if (result != expected || actual_code != code || NULL == strstr(message, needle))
    {
        abr_expect_failed(file, line, call);
        fprintf(stderr, "expected %lld with code %d and a message naming '%s'; got %lld with code %d: \"%s\"\n",
            expected, code, needle, result, actual_code, message);
    }
}

static inline void abr_expect_returns_at(
    const char *file, int line, const char *call, long long result, long long expected)
{
    if (result != expected)
    {
        abr_expect_failed(file, line, call);
        fprintf(stderr, "expected %lld, got %lld (last error: code %d \"%s\")\n", expected, result, abr_errcode(),
            abr_errmsg());
    }
}

static inline void abr_expect_string_at(
    const char *file, int line, const char *call, const char *result, const char *expected)
{
    if (NULL == expected ? NULL != result : NULL == result || 0 != strcmp(expected, result))
    {
        abr_expect_failed(file, line, call);
        fprintf(stderr, "expected %s%s%s, got %s%s%s\n",
            NULL == expected ? "" : "\"", NULL == expected ? "NULL" : expected, NULL == expected ? "" : "\"",
            NULL == result ? "" : "\"", NULL == result ? "NULL" : result, NULL == result ? "" : "\"");
    }
}

/* The call fails as documented: it returns expected, abr_errcode() is code and abr_errmsg() contains needle. The
 * thread's error is cleared first, so a code left by an earlier call cannot pass for this one's. */
#define ABR_EXPECT_ERROR(function, args, expected, code, needle) \
    do \
    { \
        abr_error_clear(); \
        long long abr_expect_result_ = (long long)(function args); \
        abr_expect_error_at( \
            __FILE__, __LINE__, #function #args, abr_expect_result_, (long long)(expected), (code), (needle)); \
    } \
    while (0)

/* The commonest case: a bad argument, ABR_ERROR_INVALID_ARGUMENT, named in the message. */
#define ABR_EXPECT_INVALID(function, args, expected, needle) \
    ABR_EXPECT_ERROR(function, args, expected, ABR_ERROR_INVALID_ARGUMENT, needle)

/* A call the header allows these arguments for returns what it documents (a no-op close's 0, a getter's default). */
#define ABR_EXPECT_RETURNS(function, args, expected) \
    do \
    { \
        long long abr_expect_result_ = (long long)(function args); \
        abr_expect_returns_at(__FILE__, __LINE__, #function #args, abr_expect_result_, (long long)(expected)); \
    } \
    while (0)

/* As ABR_EXPECT_RETURNS for a string result; expected may be NULL. */
#define ABR_EXPECT_STRING(function, args, expected) \
    abr_expect_string_at(__FILE__, __LINE__, #function #args, (function args), (expected))

/* A call returning a handle gives NULL for these arguments, as documented. */
#define ABR_EXPECT_NULL(function, args) \
    abr_expect_returns_at(__FILE__, __LINE__, #function #args, NULL == (function args) ? 0 : 1, 0)

/* A call returning nothing, for which surviving it is the documented result (the caller checks any effects). */
#define ABR_EXPECT_NO_CRASH(function, args) (function args)

/* Run a test function of such checks, saying how many of them failed; ABR_EXPECT_ALL_PASSED() fails the test after. */
#define ABR_EXPECT_RUN(test) \
    do \
    { \
        int abr_expect_before_ = *abr_expect_failures(); \
        test(); \
        int abr_expect_failed_ = *abr_expect_failures() - abr_expect_before_; \
        if (0 == abr_expect_failed_) \
        { \
            printf("ok - %s\n", #test); \
        } \
        else \
        { \
            printf("not ok - %s: %d checks failed\n", #test, abr_expect_failed_); \
        } \
    } \
    while (0)

/* A handle out-pointer's value before a call that must fail: the call sets it to NULL. */
#define ABR_EXPECT_SENTINEL ((void *)abr_expect_failures())

/* Fail the test if any check above failed (each has been printed). */
#define ABR_EXPECT_ALL_PASSED() \
    do \
    { \
        if (0 != *abr_expect_failures()) \
        { \
            fprintf(stderr, "%d argument checks failed\n", *abr_expect_failures()); \
            exit(1); \
        } \
    } \
    while (0)

#endif
