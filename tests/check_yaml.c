/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_yaml.c: yaml_quote() and yaml_float() checked by reading their
 * output back with libyaml, a real YAML parser.
 */
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
/* libyaml; the project's own yaml.h is found through -iquote. */
#include <yaml.h>

#include "buf.h"
#include "tests.h"
#include "xmalloc.h"
#include "yaml.h"

/*
 * Parse doc, a one-entry mapping "key: <value>", with libyaml and return
 * the value scalar (owned, *lenp its length, *stylep its style), or NULL
 * when libyaml rejects the document or it has another shape.
 */
static char *
parse_value(const char *doc, size_t *lenp, int *stylep)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	char		*value = NULL;
	int		 nscalar = 0, done = 0, ok = 1;

	if (!yaml_parser_initialize(&parser))
		return (NULL);
	yaml_parser_set_input_string(&parser, (const unsigned char *)doc,
	    strlen(doc));
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ok = 0;
			break;
		}
		if (ev.type == YAML_SCALAR_EVENT) {
			nscalar++;
			if (nscalar == 2) {
				value = xmalloc(ev.data.scalar.length + 1);
				memcpy(value, ev.data.scalar.value,
				    ev.data.scalar.length);
				value[ev.data.scalar.length] = '\0';
				*lenp = ev.data.scalar.length;
				*stylep = (int)ev.data.scalar.style;
			} else if (nscalar == 1)
				ok = ok && strcmp((char *)ev.data.scalar.value,
				    "key") == 0;
		} else if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_ALIAS_EVENT)
			ok = 0;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!ok || nscalar != 2) {
		free(value);
		return (NULL);
	}
	return (value);
}

/* Emit s with yaml_quote() and check that libyaml reads back expect. */
static void
check_quote(const char *s, const char *expect)
{
	struct buf	 b;
	char		*got;
	size_t		 len = 0;
	int		 style = 0;

	buf_init(&b);
	buf_puts(&b, "key: ");
	yaml_quote(&b, s);
	buf_putc(&b, '\n');
	got = parse_value(buf_cstr(&b), &len, &style);
	ck_assert_msg(got != NULL, "libyaml rejected %s", buf_cstr(&b));
	ck_assert_int_eq(style, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	ck_assert_uint_eq(len, strlen(expect));
	ck_assert_msg(memcmp(got, expect, len) == 0, "%s read back as '%s'",
	    buf_cstr(&b), got);
	/* One line: nothing the parser could fold. */
	ck_assert_ptr_eq(strchr(buf_cstr(&b), '\n'),
	    buf_cstr(&b) + b.b_len - 1);
	free(got);
	buf_release(&b);
}

static const char *const hostile[] = {
	"",
	"plain",
	"He said \"hi\"",
	"back\\slash \\n not a newline",
	"key: value",
	"a: b: c",
	"# not a comment",
	"trailing #",
	"- item",
	"-",
	"---",
	"...",
	"--- !!str",
	"[1, 2]",
	"{a: 1}",
	"&anchor",
	"*alias",
	"!tag",
	"!!binary",
	"%YAML 1.2",
	"@handle",
	"`cmd`",
	"|",
	">",
	"?",
	"'single'",
	"yes", "no", "on", "off", "true", "False", "null", "Null", "~",
	"1e3", "0x10", "0o17", "017", "1_000", "3.14", ".inf", "-.inf",
	".nan", "2026-01-14", "2026-01-14T02:46:56+0000", "12:30:00", "<<",
	"=",
	" leading and trailing spaces ",
	"\ttab\tinside\t",
	"line one\nline two",
	"\n\nblank lines\n\n",
	"crlf\r\nend",
	"lone\rcr",
	"bell\a bs\b vt\v ff\f esc\x1b",
	"\x01\x02\x03\x04\x05\x06\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
	    "\x18\x19\x1a\x1c\x1d\x1e\x1f",
	"del\x7f",
	"C1 \xc2\x80 \xc2\x85 nel \xc2\x9f end",
	"nbsp\xc2\xa0here",
	"caf\xc3\xa9 na\xc3\xafve \xc3\x9f",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe4\xb8\xad\xe6\x96\x87",
	"rocket \xf0\x9f\x9a\x80 and \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
	"ls\xe2\x80\xa8ps\xe2\x80\xa9" "end",
	"\xef\xbb\xbf" "bom at start",
	"noncharacters \xef\xbf\xbe \xef\xbf\xbf",
	"max \xf4\x8f\xbf\xbf",
	"replacement \xef\xbf\xbd itself",
	"\xe2\x80\x9cquotes\xe2\x80\x9d \xe2\x80\x94 dash",
	"\"\\\"\\\\\"",
	"ends with backslash\\",
};

START_TEST(test_quote_hostile)
{
	size_t	 i;

	for (i = 0; i < nitems(hostile); i++)
		check_quote(hostile[i], hostile[i]);
}
END_TEST

START_TEST(test_quote_exact)
{
	struct buf	 b;

	buf_init(&b);
	yaml_quote(&b, "a\"b\\c\nd\te\x01\x7f\xc2\x85\xe2\x80\xa8\xef\xbb\xbf"
	    "\xf0\x9f\x9a\x80");
	ck_assert_str_eq(buf_cstr(&b),
	    "\"a\\\"b\\\\c\\nd\\te\\x01\\x7F\\x85\\u2028\\uFEFF"
	    "\xf0\x9f\x9a\x80\"");
	buf_reset(&b);
	yaml_quote(&b, NULL);
	ck_assert_str_eq(buf_cstr(&b), "\"\"");
	buf_release(&b);
}
END_TEST

/* Invalid UTF-8: each maximal ill-formed piece becomes one U+FFFD. */
START_TEST(test_quote_invalid_utf8)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
		{ "\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd" },
		{ "overlong3 \xe0\x80\xaf",
		    "overlong3 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "surrogate \xed\xa0\x80",
		    "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "too big \xf4\x90\x80\x80", "too big \xef\xbf\xbd"
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "f5 \xf5\x80", "f5 \xef\xbf\xbd\xef\xbf\xbd" },
		{ "truncated \xe2\x82", "truncated \xef\xbf\xbd" },
		{ "truncated4 \xf0\x9f\x9a", "truncated4 \xef\xbf\xbd" },
		{ "cut \xe2\x82x", "cut \xef\xbf\xbdx" },
		{ "\xc3", "\xef\xbf\xbd" },
		{ "\xc3\xa9\xc3", "\xc3\xa9\xef\xbf\xbd" },
	};
	size_t	 i;

	for (i = 0; i < nitems(cases); i++)
		check_quote(cases[i].in, cases[i].out);
}
END_TEST

/* Random byte strings: whatever comes in, libyaml reads a valid scalar. */
START_TEST(test_quote_random)
{
	struct buf	 b;
	char		 s[64], *got;
	uint32_t	 x = 0x12345678;
	size_t		 len, i, glen;
	int		 n, style;

	buf_init(&b);
	for (n = 0; n < 3000; n++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		len = x % (sizeof(s) - 1);
		for (i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			s[i] = (char)((x >> 8) % 255 + 1);
		}
		s[len] = '\0';
		buf_reset(&b);
		buf_puts(&b, "key: ");
		yaml_quote(&b, s);
		buf_putc(&b, '\n');
		got = parse_value(buf_cstr(&b), &glen, &style);
		ck_assert_msg(got != NULL, "rejected: %s", buf_cstr(&b));
		free(got);
	}
	buf_release(&b);
}
END_TEST

/*
 * Emit v and check the exact text (unless expect is NULL), that it is a
 * YAML 1.1 float, and that libyaml's scalar parses back to v.
 */
static void
check_float(double v, const char *expect)
{
	struct buf	 b;
	regex_t		 re;
	char		*got, *doc;
	size_t		 len;
	int		 style;

	buf_init(&b);
	yaml_float(&b, v);
	if (expect != NULL)
		ck_assert_str_eq(buf_cstr(&b), expect);
	ck_assert_int_eq(regcomp(&re, "^(-?[0-9][0-9]*\\.[0-9]*"
	    "([eE][-+][0-9]+)?|-?\\.inf|\\.nan)$",
	    REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, buf_cstr(&b), 0, NULL, 0) == 0,
	    "'%s' is not a YAML 1.1 float", buf_cstr(&b));
	regfree(&re);
	xasprintf(&doc, "key: %s\n", buf_cstr(&b));
	got = parse_value(doc, &len, &style);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(style, YAML_PLAIN_SCALAR_STYLE);
	if (isnan(v))
		ck_assert_str_eq(got, ".nan");
	else if (isinf(v))
		ck_assert_str_eq(got, v > 0 ? ".inf" : "-.inf");
	else
		ck_assert_msg(strtod(got, NULL) == v, "%s != %.17g", got, v);
	free(got);
	free(doc);
	buf_release(&b);
}

START_TEST(test_float)
{
	uint64_t	 bits = 0x9E3779B97F4A7C15ULL;
	double		 v;
	int		 i;

	check_float(0.0, "0.0");
	check_float(-0.0, "-0.0");
	check_float(1.0, "1.0");
	check_float(-2.5, "-2.5");
	check_float(0.00271065, "0.00271065");
	check_float(5.04e-05, "5.04e-05");
	check_float(5.49e-05, "5.49e-05");
	check_float(1e-05, "1.0e-05");
	check_float(0.0001, "0.0001");
	check_float(0.1, "0.1");
	check_float(0.1 + 0.2, "0.30000000000000004");
	check_float(0.00045, "0.00045");
	check_float(0.00125, "0.00125");
	check_float(0.02, "0.02");
	check_float(123456.789, "123456.789");
	check_float(1e15, "1000000000000000.0");
	check_float(1e16, "1.0e+16");
	check_float(1.5e300, "1.5e+300");
	check_float(5e-324, "5.0e-324");
	check_float(1.7976931348623157e308, "1.7976931348623157e+308");
	check_float(NAN, ".nan");
	check_float(INFINITY, ".inf");
	check_float(-INFINITY, "-.inf");

	/* Arbitrary finite doubles round-trip through the text. */
	for (i = 0; i < 2000; i++) {
		bits ^= bits << 13;
		bits ^= bits >> 7;
		bits ^= bits << 17;
		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			continue;
		check_float(v, NULL);
	}
}
END_TEST

Suite *
yaml_suite(void)
{
	Suite	*s = suite_create("yaml");
	TCase	*tc = tcase_create("yaml");

	tcase_add_test(tc, test_quote_hostile);
	tcase_add_test(tc, test_quote_exact);
	tcase_add_test(tc, test_quote_invalid_utf8);
	tcase_add_test(tc, test_quote_random);
	tcase_add_test(tc, test_float);
	suite_add_tcase(s, tc);
	return (s);
}
