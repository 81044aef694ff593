/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_ratelimit.c: the shared API budget's arithmetic.
 */
#include <check.h>

#include "ratelimit.h"
#include "tests.h"

START_TEST(test_unlimited)
{
	struct ratelimit	rl;
	int			i;

	ratelimit_init(&rl, 0, 0, 1000);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(ratelimit_reserve(&rl, 100000, 1000), 0);
}
END_TEST

START_TEST(test_rpm_spreads_a_burst)
{
	struct ratelimit	rl;

	/* 60 per minute: a full bucket of 60, then one per second */
	ratelimit_init(&rl, 60, 0, 0);
	for (int i = 0; i < 60; i++)
		ck_assert_int_eq(ratelimit_reserve(&rl, 0, 0), 0);
	ck_assert_int_eq(ratelimit_reserve(&rl, 0, 0), 1000);
	ck_assert_int_eq(ratelimit_reserve(&rl, 0, 0), 2000);
	/* half a second later the next waits 2.5 s */
	ck_assert_int_eq(ratelimit_reserve(&rl, 0, 500), 2500);
	/* a long idle time refills to the cap, not beyond */
	ck_assert_int_eq(ratelimit_reserve(&rl, 0, 10 * 60000), 0);
}
END_TEST

START_TEST(test_tpm)
{
	struct ratelimit	rl;

	ratelimit_init(&rl, 0, 6000, 0);
	ck_assert_int_eq(ratelimit_reserve(&rl, 6000, 0), 0);
	/* 100 tokens per second: 3000 more tokens need 30 s */
	ck_assert_int_eq(ratelimit_reserve(&rl, 3000, 0), 30000);
	/* a request larger than the whole budget counts as the budget */
	ratelimit_init(&rl, 0, 6000, 0);
	ck_assert_int_eq(ratelimit_reserve(&rl, 1000000, 0), 0);
	ck_assert_int_eq(ratelimit_reserve(&rl, 1000000, 0), 60000);
}
END_TEST

START_TEST(test_pause_after_429)
{
	struct ratelimit	rl;

	ratelimit_init(&rl, 0, 0, 0);
	ratelimit_pause(&rl, 2500, 1000);
	ck_assert_int_eq(ratelimit_reserve(&rl, 10, 1000), 2500);
	ck_assert_int_eq(ratelimit_reserve(&rl, 10, 3000), 500);
	ck_assert_int_eq(ratelimit_reserve(&rl, 10, 3500), 0);
	/* unknown Retry-After: one second; absurd ones are capped */
	ratelimit_pause(&rl, -1, 10000);
	ck_assert_int_eq(ratelimit_reserve(&rl, 10, 10000), 1000);
	ratelimit_pause(&rl, 3600000, 20000);
	ck_assert_int_eq(ratelimit_reserve(&rl, 10, 20000), 60000);
}
END_TEST

Suite *
ratelimit_suite(void)
{
	Suite	*s = suite_create("ratelimit");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_unlimited);
	tcase_add_test(tc, test_rpm_spreads_a_burst);
	tcase_add_test(tc, test_tpm);
	tcase_add_test(tc, test_pause_after_429);
	suite_add_tcase(s, tc);
	return (s);
}
