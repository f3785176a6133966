/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* unit.h: the cmocka fixture shared by every unit test: a fresh APR pool per test. */
#ifndef OA2_UNIT_H
#define OA2_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <apr_general.h>
#include <apr_pools.h>

static inline int unit_setup(void **state)
{
    apr_pool_t *p;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return -1;
    }
    *state = p;
    return 0;
}

static inline int unit_teardown(void **state)
{
    apr_pool_destroy(*state);
    return 0;
}

#define UNIT_TEST(f) cmocka_unit_test_setup_teardown(f, unit_setup, unit_teardown)

static inline int unit_run(const char *name, const struct CMUnitTest *tests,
                           size_t n)
{
    int rc;

    apr_initialize();
    rc = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
    apr_terminate();
    return rc;
}

#define UNIT_RUN(tests) unit_run(#tests, tests, sizeof(tests) / sizeof(tests[0]))

#endif
