/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_util.c: buf, util and route.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "item.h"
#include "route.h"
#include "tests.h"
#include "util.h"

START_TEST(test_buf_printf)
{
	struct buf	b;
	char		*s;
	int		 i;

	buf_init(&b);
	ck_assert_str_eq(buf_cstr(&b), "");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ck_assert_uint_eq(b.b_len, strlen(buf_cstr(&b)));
	ck_assert(strncmp(buf_cstr(&b), "0,1,2,", 6) == 0);
	s = buf_detach(&b);
	ck_assert_ptr_null(b.b_data);
	ck_assert(strstr(s, ",999,") != NULL);
	free(s);
}
END_TEST

START_TEST(test_format_utc)
{
	char	buf[32];

	format_utc_iso(buf, sizeof(buf), 1768358816);
	ck_assert_str_eq(buf, "2026-01-14T02:46:56Z");
	format_utc_date(buf, sizeof(buf), 1768358816);
	ck_assert_str_eq(buf, "2026-01-14");
}
END_TEST

static int
routes(const char *title, const char *content)
{
	struct item	it;

	memset(&it, 0, sizeof(it));
	it.it_title = (char *)(uintptr_t)title;
	it.it_content = (char *)(uintptr_t)content;
	return (route_is_integrative(&it));
}

START_TEST(test_route)
{
	ck_assert_int_eq(routes("awesome-selfhosted/awesome-selfhosted: A list",
	    "awesome-selfhosted"), 1);
	ck_assert_int_eq(routes("Postgres 18 ships async I/O", "x"), 0);
	/* tutorial markers veto list shapes */
	ck_assert_int_eq(routes("How to set up a list of tools",
	    "- a\n- b\n- c\n- d\n- e\n"), 0);
	/* a "top" list needs five bullets */
	ck_assert_int_eq(routes("Top tools", "- a\n- b\n- c\n- d\n- e\n"), 1);
	ck_assert_int_eq(routes("Top tools", "- a\n- b\n- c\n- d\n"), 0);
	/* ten bullets make a list anyway */
	ck_assert_int_eq(routes("Notes", "1. a\n2. b\n3. c\n4. d\n5. e\n"
	    "6. f\n7. g\n8. h\n9. i\n10. j\n"), 1);
	ck_assert_str_eq(route_name(ROUTE_GENERAL), "General Article Generator");
}
END_TEST

Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_buf_printf);
	tcase_add_test(tc, test_format_utc);
	tcase_add_test(tc, test_route);
	suite_add_tcase(s, tc);
	return (s);
}
