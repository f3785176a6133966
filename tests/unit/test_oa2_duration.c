/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_duration: configuration durations: units, limits, refusals. */
#include <string.h>

#include "unit.h"
#include "oa2_duration.h"

/* 100 years of 365 days, the largest duration accepted */
#define MAX_SECONDS 3153600000LL

static apr_int64_t ok(const char *s)
{
    apr_int64_t secs = -1;

    assert_int_equal(oa2_duration_parse(s, &secs), APR_SUCCESS);
    return secs;
}

/* A refused duration leaves the result alone. */
static void bad(const char *s)
{
    apr_int64_t secs = -42;

    assert_int_equal(oa2_duration_parse(s, &secs), APR_EINVAL);
    assert_int_equal(secs, -42);
}

static void test_units(void **state)
{
    (void)state;
    assert_int_equal(ok("90"), 90);
    assert_int_equal(ok("90s"), 90);
    assert_int_equal(ok("15m"), 900);
    assert_int_equal(ok("1h"), 3600);
    assert_int_equal(ok("14d"), 1209600);
    assert_int_equal(ok("1s"), 1);
    assert_int_equal(ok("1m"), 60);
    assert_int_equal(ok("1d"), 86400);
    assert_int_equal(ok("36h"), 129600);
}

static void test_zero(void **state)
{
    (void)state;
    assert_int_equal(ok("0"), 0);
    assert_int_equal(ok("0s"), 0);
    assert_int_equal(ok("0d"), 0);
    /* leading zeros are a whole number all the same */
    assert_int_equal(ok("007"), 7);
    assert_int_equal(ok("0015m"), 900);
}

static void test_refused(void **state)
{
    (void)state;
    bad("");
    bad("-1");
    bad("-0");
    bad("+1");
    bad("1.5h");
    bad("1.0");
    bad("1 h");
    bad(" 1");
    bad("1 ");
    bad("1\n");
    bad("1x");
    bad("1ms");
    bad("1w");
    bad("1y");
    bad("h");
    bad("s");
    bad("1hh");
    bad("1h1");
    bad("1h30m");
    bad("1s5");
    bad("1H");
    bad("1D");
    bad("1e3");
    bad("0x10");
    bad("\xef\xbc\x91");   /* FULLWIDTH DIGIT ONE */
    bad(NULL);
}

static void test_limits(void **state)
{
    (void)state;
    assert_int_equal(ok("3153600000"), MAX_SECONDS);
    assert_int_equal(ok("3153600000s"), MAX_SECONDS);
    assert_int_equal(ok("52560000m"), MAX_SECONDS);
    assert_int_equal(ok("876000h"), MAX_SECONDS);
    assert_int_equal(ok("36500d"), MAX_SECONDS);
    bad("3153600001");
    bad("3153600001s");
    bad("52560001m");
    bad("876001h");
    bad("36501d");
}

static void test_overflow(void **state)
{
    (void)state;
    /* INT64_MAX and beyond: refused, never wrapped */
    bad("9223372036854775807");
    bad("9223372036854775808");
    bad("18446744073709551616");
    bad("18446744073709551617s");
    bad("99999999999999999999999999999999999999999999999999");
    bad("99999999999999999999999999999999999999999999999999d");
    /* 2^64 / 86400 + 1 days would wrap to a small number if multiplied
     * unchecked */
    bad("213503982334602d");
    bad("3074457345618258603m");
    /* big enough alone, too big with the unit */
    bad("3153600000m");
    bad("3153600000h");
    bad("3153600000d");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_units),
        UNIT_TEST(test_zero),
        UNIT_TEST(test_refused),
        UNIT_TEST(test_limits),
        UNIT_TEST(test_overflow),
    };

    return UNIT_RUN(tests);
}
