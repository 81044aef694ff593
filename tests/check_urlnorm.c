/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_urlnorm.c: URL acceptance and the normalisation of
 * original-pipeline.md §2.2, one table row per rule, plus idempotence
 * over the whole table.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "compat.h"
#include "tests.h"
#include "urlnorm.h"

static const struct {
	const char	*in;
	const char	*want;
} norm_cases[] = {
	/* scheme and host lower-case, path case kept */
	{ "HTTP://Example.COM/Path", "http://example.com/Path" },
	{ "HtTpS://WWW.Example.Com/A/B", "https://www.example.com/A/B" },
	/* empty path */
	{ "https://example.com", "https://example.com/" },
	{ "http://example.com?x=1", "http://example.com/?x=1" },
	/* default ports go, others stay; an empty port is no port */
	{ "http://example.com:80/a", "http://example.com/a" },
	{ "https://example.com:443/a", "https://example.com/a" },
	{ "http://example.com:443/a", "http://example.com:443/a" },
	{ "https://example.com:8443", "https://example.com:8443/" },
	{ "http://example.com:0080/", "http://example.com/" },
	{ "http://example.com:/a", "http://example.com/a" },
	/* trailing host dot */
	{ "http://example.com./a", "http://example.com/a" },
	/* dot segments */
	{ "http://example.com/a/./b/../c", "http://example.com/a/c" },
	{ "http://example.com/a/b/..", "http://example.com/a/" },
	{ "http://example.com/../../x", "http://example.com/x" },
	{ "http://example.com/a/%2E%2e/b", "http://example.com/b" },
	/* a trailing slash on a non-empty path is kept */
	{ "http://example.com/blog/", "http://example.com/blog/" },
	/* percent-encoding: decode unreserved, upper-case the rest */
	{ "http://example.com/%7euser/%41bc", "http://example.com/~user/Abc" },
	{ "http://example.com/a%2fb%3a", "http://example.com/a%2Fb%3A" },
	{ "http://example.com/a b", "http://example.com/a%20b" },
	{ "http://example.com/caf\xc3\xa9", "http://example.com/caf%C3%A9" },
	{ "http://example.com/100%", "http://example.com/100%25" },
	{ "http://example.com/a;b=c,d@e:f", "http://example.com/a;b=c,d@e:f" },
	/* query pairs sorted by key, then value */
	{ "http://example.com/?b=2&a=1", "http://example.com/?a=1&b=2" },
	{ "http://example.com/?a=2&a=1&B=0",
	    "http://example.com/?B=0&a=1&a=2" },
	/* blank values dropped, and an empty query goes with them */
	{ "http://example.com/?a=&b&c=3&&", "http://example.com/?c=3" },
	{ "http://example.com/x?a=&b", "http://example.com/x" },
	{ "http://example.com/x?", "http://example.com/x" },
	/* tracking keys, any case */
	{ "https://example.com/post?utm_source=hn&utm_medium=x"
	    "&UTM_Campaign=y&ref=z&fbclid=1&gclid=2&igshid=3&mc_cid=4"
	    "&mc_eid=5&ref_src=6&Ref_Source=7&utm_term=8&utm_content=9&id=42",
	    "https://example.com/post?id=42" },
	{ "https://example.com/?referrer=x&ref=y",
	    "https://example.com/?referrer=x" },
	/* form re-encoding: space as "+", only unreserved bare */
	{ "http://example.com/s?q=hello world&x=a%2Bb",
	    "http://example.com/s?q=hello+world&x=a%2Bb" },
	{ "http://example.com/s?q=caf%c3%a9+au+lait&path=/a/b",
	    "http://example.com/s?path=%2Fa%2Fb&q=caf%C3%A9+au+lait" },
	{ "http://example.com/?%41=%7e&eq=a=b",
	    "http://example.com/?A=~&eq=a%3Db" },
	/* fragment dropped; "#!" becomes the crawlable query */
	{ "http://example.com/a#section-2", "http://example.com/a" },
	{ "http://example.com/#!/users/7",
	    "http://example.com/?_escaped_fragment_=%2Fusers%2F7" },
	{ "http://example.com/#!", "http://example.com/" },
	/* userinfo kept, only the host lower-cased */
	{ "http://Alice:Secret@Example.COM:8080/x",
	    "http://Alice:Secret@example.com:8080/x" },
	/* IP literal */
	{ "http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x" },
	/* no IDNA: a UTF-8 host stays UTF-8 */
	{ "http://B\xc3\xbc" "cher.DE/", "http://b\xc3\xbc" "cher.de/" },
	/* surrounding whitespace */
	{ "  https://example.com/a \n", "https://example.com/a" },
	/* §7: what collect_existing_source_urls compares */
	{ "https://example.com/k8s-article",
	    "https://example.com/k8s-article" },
	{ "https://Example.com/k8s-article/?utm_source=rss#comments",
	    "https://example.com/k8s-article/" },
	{ "https://github.com/Owner/Repo?tab=readme-ov-file&ref=hn",
	    "https://github.com/Owner/Repo?tab=readme-ov-file" },
};

static const char *const rejected[] = {
	"ftp://x",
	"example.com",
	"http://",
	"https:///path",
	"javascript:alert(1)",
	"mailto:someone@example.com",
	"http:example.com",
	"http:/example.com",
	"",
	"http://./",
	"http://exa mple.com/",
	"http://x:99999/",
	"http://x:8o/",
	"http://user@/x",
	"http://[::1/",
	"http://exa\tmple.com/",
	"http://example.com/\x01",
};

START_TEST(test_normalize_table)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < nitems(norm_cases); i++) {
		got = url_normalize(norm_cases[i].in);
		ck_assert_msg(got != NULL &&
		    strcmp(got, norm_cases[i].want) == 0,
		    "\"%s\": got \"%s\", want \"%s\"", norm_cases[i].in,
		    got != NULL ? got : "(null)", norm_cases[i].want);
		free(got);
	}
}
END_TEST

START_TEST(test_normalize_idempotent)
{
	char	*once, *twice;
	size_t	 i;

	for (i = 0; i < nitems(norm_cases); i++) {
		once = url_normalize(norm_cases[i].in);
		ck_assert_ptr_nonnull(once);
		twice = url_normalize(once);
		ck_assert_ptr_nonnull(twice);
		ck_assert_str_eq(twice, once);
		ck_assert_int_eq(url_is_http(once), 1);
		free(once);
		free(twice);
	}
}
END_TEST

START_TEST(test_rejected)
{
	size_t	 i;

	for (i = 0; i < nitems(rejected); i++) {
		ck_assert_msg(url_normalize(rejected[i]) == NULL,
		    "\"%s\" normalised", rejected[i]);
		ck_assert_msg(url_is_http(rejected[i]) == 0,
		    "\"%s\" accepted", rejected[i]);
		ck_assert_ptr_null(url_host(rejected[i]));
	}
}
END_TEST

START_TEST(test_is_http)
{
	ck_assert_int_eq(url_is_http("https://example.com/a?b=c#d"), 1);
	ck_assert_int_eq(url_is_http("HTTP://x"), 1);
	ck_assert_int_eq(url_is_http("http://b\xc3\xbc" "cher.de/"), 1);
	ck_assert_int_eq(url_is_http("http://[::1]:8080/"), 1);
	/* url_is_http() is the strict check: no blanks anywhere */
	ck_assert_int_eq(url_is_http("http://example.com/a b"), 0);
	ck_assert_int_eq(url_is_http(" http://example.com/"), 0);
	ck_assert_int_eq(url_is_http("http://example.com/\x7f"), 0);
}
END_TEST

START_TEST(test_host)
{
	char	*h;

	h = url_host("https://User@WWW.Example.com.:8443/x?y#z");
	ck_assert_str_eq(h, "www.example.com");
	free(h);
	h = url_host("http://[::1]:8080/");
	ck_assert_str_eq(h, "[::1]");
	free(h);
	h = url_host("HTTP://B\xc3\xbc" "cher.DE");
	ck_assert_str_eq(h, "b\xc3\xbc" "cher.de");
	free(h);
}
END_TEST

Suite *
urlnorm_suite(void)
{
	Suite	*s = suite_create("urlnorm");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_normalize_table);
	tcase_add_test(tc, test_normalize_idempotent);
	tcase_add_test(tc, test_rejected);
	tcase_add_test(tc, test_is_http);
	tcase_add_test(tc, test_host);
	suite_add_tcase(s, tc);
	return (s);
}
