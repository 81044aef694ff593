/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_slug.c: slug_from_title() against the file names the original
 * pipeline published, the cases its own tests pinned, the quirks of its
 * slug algorithm, hostile input, and the UTF-8 decoder slugs share with
 * the rest of the program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>

#include "buf.h"
#include "slug.h"
#include "tests.h"
#include "utf8.h"
#include "xmalloc.h"

/*
 * The slug must be non-empty [a-z0-9-], at most SLUG_MAX, with no '-' at
 * either end and none doubled.
 */
static void
check_shape(const char *slug)
{
	size_t	 len = strlen(slug), i;

	ck_assert_uint_gt(len, 0);
	ck_assert_uint_le(len, SLUG_MAX);
	ck_assert_msg(slug[0] != '-' && slug[len - 1] != '-',
	    "'%s' has an edge '-'", slug);
	ck_assert_msg(strstr(slug, "--") == NULL, "'%s' has '--'", slug);
	for (i = 0; i < len; i++)
		ck_assert_msg((slug[i] >= 'a' && slug[i] <= 'z') ||
		    (slug[i] >= '0' && slug[i] <= '9') || slug[i] == '-',
		    "'%s' has byte 0x%02x", slug, (unsigned char)slug[i]);
}

static void
check_slug(const char *title, const char *expect)
{
	char	*slug = slug_from_title(title);

	ck_assert_msg(strcmp(slug, expect) == 0, "slug('%s') = '%s', not '%s'",
	    title, slug, expect);
	check_shape(slug);
	free(slug);
}

/* Every post title of the original with the file stem it published. */
START_TEST(test_original_fixture)
{
	struct json_object	*root, *e, *t, *st;
	char			*path, *data, *slug;
	size_t			 i, n, bad = 0;

	xasprintf(&path, "%s/tests/data/original-slugs.json", test_srcdir());
	data = test_read_file(path, NULL);
	ck_assert_msg(data != NULL, "cannot read %s", path);
	root = json_tokener_parse(data);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_object_is_type(root, json_type_array));
	n = json_object_array_length(root);
	ck_assert_uint_eq(n, 46);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(root, i);
		ck_assert(json_object_object_get_ex(e, "title", &t));
		ck_assert(json_object_object_get_ex(e, "stem", &st));
		slug = slug_from_title(json_object_get_string(t));
		if (strcmp(slug, json_object_get_string(st)) != 0) {
			fprintf(stderr, "slug('%s') = '%s', published '%s'\n",
			    json_object_get_string(t), slug,
			    json_object_get_string(st));
			bad++;
		}
		free(slug);
	}
	ck_assert_uint_eq(bad, 0);
	json_object_put(root);
	free(data);
	free(path);
}
END_TEST

/* The slug cases of the original's test suite (§7). */
START_TEST(test_original_tests)
{
	char	*a, *b;

	check_slug("Understanding Kubernetes Architecture in 2024",
	    "understanding-kubernetes-architecture-in-2024");
	check_slug("Python Best Practices for 2025",
	    "python-best-practices-for-2025");
	check_slug("\"Python\" Practices", "python-practices");
	check_slug("Python    Best     Practices", "python-best-practices");
	a = slug_from_title("This Is An Extremely Long Article Title That "
	    "Should Be Truncated Because It Exceeds The Maximum Length");
	b = slug_from_title("This Is An Extremely Long Article Title That "
	    "Should Be Truncated Because It Exceeds The Maximum Length");
	ck_assert_str_eq(a, b);
	/* "truncated" and "because" do not fit, "it" still does. */
	ck_assert_str_eq(a,
	    "this-is-an-extremely-long-article-title-that-should-be-it");
	check_shape(a);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_apostrophes_and_quotes)
{
	check_slug("Don't Panic", "don-t-panic");
	check_slug("Don\xe2\x80\x99t Panic", "dont-panic");
	check_slug("\xe2\x80\x98Single\xe2\x80\x99 and \xe2\x80\x9c" "double"
	    "\xe2\x80\x9d", "single-and-double");
	check_slug("Rock''n'roll", "rock-n-roll");
	check_slug("It`s", "it-s");
}
END_TEST

START_TEST(test_transliteration)
{
	check_slug("Caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9",
	    "cafe-naive-resume");
	check_slug("Stra\xc3\x9f" "e \xc3\x86sir \xc3\x98resund "
	    "\xc5\x81\xc3\xb3" "d\xc5\xba \xc5\x93uvre",
	    "strasse-aesir-oresund-lodz-oeuvre");
	check_slug("\xc3\x9e" "or \xc3\xb0 \xc4\x90" "akovo \xc4\xb2ssel",
	    "thor-d-dakovo-ijssel");
	check_slug("Price: 5 \xe2\x82\xac, 3 \xc2\xa3, 100 \xc2\xa5",
	    "price-5-eur-3-ps-100-y");
	check_slug("A \xe2\x80\x94 B \xe2\x80\x93 C\xe2\x80\xa6",
	    "a-b-c");
	check_slug("\xc2\xbd Off \xe2\x84\xa2 \xc2\xa9 2025",
	    "1-2-off-tm-c-2025");
	check_slug("\xef\xac\x81nal \xef\xbc\xa1\xef\xbc\xa9 x\xc2\xb2",
	    "final-ai-x2");
	check_slug("\xce\xbb-calculus and \xce\x94 \xcf\x80",
	    "l-calculus-and-d-p");
	check_slug("Ph\xe1\xbb\x9f \xc4\x91\xc6\xb0\xe1\xbb\x9dng ph\xe1"
	    "\xbb\x91", "pho-duong-pho");
	check_slug("Ro\xc8\x99u \xc8\x9b" "ara", "rosu-tara");
	/*
	 * Outside the table: dropped, not a separator (the original spelled
	 * CJK in pinyin, "ari-b-c" here).
	 */
	check_slug("a\xe6\x97\xa5" "b \xf0\x9f\x9a\x80 c", "ab-c");
	check_slug("5\xe2\x80\xb0", "5-0");
}
END_TEST

START_TEST(test_numbers)
{
	check_slug("1,000 Users", "1000-users");
	check_slug("Serving 1,234,567 Requests", "serving-1234567-requests");
	check_slug("A, B, and 1, 2", "a-b-and-1-2");
	check_slug("x,1 1,x", "x-1-1-x");
	check_slug("3,,4", "3-4");
	check_slug("Version 1.2.3", "version-1-2-3");
}
END_TEST

START_TEST(test_entities)
{
	check_slug("Tom &amp; Jerry", "tom-jerry");
	check_slug("&quot;Quoted&quot; Title", "quoted-title");
	check_slug("Don&#39;t", "dont");
	check_slug("Don&#x27;t", "dont");
	check_slug("&#65;&#x42;&#x63;", "abc");
	check_slug("&#X41;", "x41");
	check_slug("&amp;#65;", "a");
	check_slug("&amp;amp;", "amp");
	check_slug("&nbsp;a&nbsp;b&nbsp;", "a-b");
	check_slug("5&trade; &sup2; &frac12;", "5tm-2-1-2");
	/* Decoded after transliteration: the accent is a separator. */
	check_slug("caf&eacute;", "cafe");
	check_slug("r&eacute;sum&eacute; tips", "re-sume-tips");
	check_slug("Stra&szlig;e", "stra-e");
	check_slug("&apos;", "apos");
	check_slug("&AMP;", "amp");
	check_slug("&unknown; &amp", "unknown-amp");
	/* One reference above U+10FFFF leaves all of its kind undecoded. */
	check_slug("&#65; &#1114112;", "65-1114112");
	check_slug("&#x41; &#1114112;", "a-1114112");
	check_slug("&#x110000; &#66;", "x110000-b");
	check_slug("&#0;x&#xD800;y", "x-y");
}
END_TEST

START_TEST(test_dots)
{
	/* The original's "extension" quirk is not kept. */
	check_slug("Why Teams Are Moving to Node.js",
	    "why-teams-are-moving-to-node-js");
	check_slug("Scaling with Next.js Today", "scaling-with-next-js-today");
	check_slug("README.md", "readme-md");
}
END_TEST

START_TEST(test_truncation)
{
	char	 t[256], e[256];

	/* 30 + 30 + 3: the second word does not fit, the third does. */
	snprintf(t, sizeof(t), "%.30s %.30s ccc",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	snprintf(e, sizeof(e), "%.30s-ccc",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	check_slug(t, e);

	/* 30 + 29: exactly 60 with the '-', and the walk stops there. */
	snprintf(t, sizeof(t), "%.30s %.29s c",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	snprintf(e, sizeof(e), "%.30s-%.29s",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	check_slug(t, e);
	ck_assert_uint_eq(strlen(e), 60);

	/* 30 + 28 + 1: the running length reaches 60 and nothing more fits. */
	snprintf(t, sizeof(t), "%.30s %.28s c d",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	snprintf(e, sizeof(e), "%.30s-%.28s",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	check_slug(t, e);

	/* Exactly 60 characters: kept whole. */
	snprintf(t, sizeof(t), "%.29s %.30s",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	snprintf(e, sizeof(e), "%.29s-%.30s",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	check_slug(t, e);

	/* One word: cut at 60.  Every word too long: the first 60 bytes. */
	memset(t, 'x', 70);
	t[70] = '\0';
	memset(e, 'x', 60);
	e[60] = '\0';
	check_slug(t, e);
	memset(t, 'x', 61);
	t[61] = ' ';
	memset(t + 62, 'y', 61);
	t[123] = '\0';
	check_slug(t, e);
	/* ... and when the cut ends on a separator it is trimmed. */
	memset(t, 'x', 59);
	t[59] = ' ';
	memset(t + 60, 'y', 61);
	t[121] = ' ';
	memset(t + 122, 'z', 61);
	t[183] = '\0';
	e[59] = '\0';
	check_slug(t, e);
}
END_TEST

START_TEST(test_hostile)
{
	char	*t, *s;
	size_t	 i;

	check_slug("", SLUG_UNTITLED);
	check_slug("   ", SLUG_UNTITLED);
	check_slug("!!!", SLUG_UNTITLED);
	check_slug("---", SLUG_UNTITLED);
	check_slug("'", SLUG_UNTITLED);
	check_slug("\xf0\x9f\x9a\x80\xf0\x9f\x94\xa5\xe2\x9c\xa8",
	    SLUG_UNTITLED);
	check_slug("../../etc/passwd", "etc-passwd");
	check_slug("..\\..\\windows\\system32", "windows-system32");
	check_slug("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j");
	check_slug("\xff\xfe" "abc\xc3", "abc");
	check_slug("caf\xc3\xa9\x80 \xed\xa0\x80x \xc0\xaf" "y", "cafe-x-y");
	check_slug("tab\there\nnewline\rcr", "tab-here-newline-cr");
	s = slug_from_title(NULL);
	ck_assert_str_eq(s, SLUG_UNTITLED);
	free(s);

	/* 10,000 characters. */
	t = xmalloc(10001);
	memset(t, 'a', 10000);
	t[10000] = '\0';
	s = slug_from_title(t);
	ck_assert_uint_eq(strlen(s), SLUG_MAX);
	check_shape(s);
	free(s);
	for (i = 0; i < 10000; i++)
		t[i] = "ab \xc3\xa9"[i % 5];
	t[9999] = '\0';
	s = slug_from_title(t);
	check_shape(s);
	ck_assert_str_eq(s, "ab-eab-eab-eab-eab-eab-eab-eab-eab-eab-eab-eab-eab"
	    "-eab-eab");
	free(s);
	free(t);
}
END_TEST

/* The shape property on pseudo-random byte strings, and determinism. */
START_TEST(test_random_property)
{
	static const char *const pieces[] = {
		"&#", "&#x", ";", "&amp;", "&eacute;", "'", ",", "1",
		"\xc3\xa9", "\xe2\x80\x99", "\xc2\xbd", "\xf0\x9f\x9a\x80", " ",
		"-", ".",
		"\xff", "\xed\xa0\x80", "A", "z", "9",
	};
	const char	*p;
	char		 t[160], *a, *b;
	uint32_t	 x = 0xC0FFEE;
	size_t		 len, n, plen;
	int		 i;

	for (i = 0; i < 5000; i++) {
		len = 0;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		n = x % 40;
		while (n-- > 0) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			if (x & 1) {
				if (len + 1 >= sizeof(t))
					break;
				t[len++] = (char)((x >> 8) % 255 + 1);
			} else {
				p = pieces[(x >> 8) % nitems(pieces)];
				plen = strlen(p);
				if (len + plen >= sizeof(t))
					break;
				memcpy(t + len, p, plen);
				len += plen;
			}
		}
		t[len] = '\0';
		a = slug_from_title(t);
		b = slug_from_title(t);
		check_shape(a);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
}
END_TEST

/*
 * The one UTF-8 decoder behind slugs, YAML, item validation and the text
 * rules: utf8_next() consumes a maximal ill-formed subsequence, the text
 * rules' utf8_decode() one byte; both agree on well-formed input.
 */
START_TEST(test_utf8_decoder)
{
	static const struct {
		const char	*s;
		size_t		 len;
		size_t		 n;	/* utf8_next() length */
		uint32_t	 cp;
	} cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x9a\x80", 4, 4, 0x1f680 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
		{ "\xe2\x82", 2, 2, UTF8_INVALID },		/* truncated */
		{ "\xe2\x82x", 3, 2, UTF8_INVALID },	/* cut short */
		{ "\xc0\xaf", 2, 1, UTF8_INVALID },		/* overlong lead */
		{ "\xe0\x80\x80", 3, 1, UTF8_INVALID },	/* overlong */
		{ "\xed\xa0\x80", 3, 1, UTF8_INVALID },	/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 1, UTF8_INVALID },	/* > U+10FFFF */
		{ "\xf5\x80", 2, 1, UTF8_INVALID },
		{ "\x80", 1, 1, UTF8_INVALID },
	};
	struct buf	 b;
	uint32_t	 cp, back;
	size_t		 i, n;

	for (i = 0; i < nitems(cases); i++) {
		n = utf8_next(cases[i].s, cases[i].len, &cp);
		ck_assert_msg(n == cases[i].n && cp == cases[i].cp,
		    "case %zu: %zu bytes, U+%04X", i, n, (unsigned int)cp);
		n = utf8_decode(cases[i].s, cases[i].len, &cp);
		if (cases[i].cp == UTF8_INVALID)
			ck_assert(n == 1 && cp == UTF8_REPLACEMENT);
		else
			ck_assert(n == cases[i].n && cp == cases[i].cp);
		ck_assert_int_eq(utf8_valid(cases[i].s, cases[i].len),
		    cases[i].cp != UTF8_INVALID);
	}
	ck_assert_uint_eq(utf8_count("a\xc3\xa9\x80z", 5), 4);
	ck_assert_uint_eq(utf8_prev("a\xe2\x82\xac", 4), 1);
	ck_assert_uint_eq(utf8_prev("ab", 2), 1);
	/* utf8_put() writes what utf8_next() reads. */
	buf_init(&b);
	for (cp = 1; cp <= 0x10ffff; cp += cp < 0x800 ? 1 : 97) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		buf_reset(&b);
		utf8_put(&b, cp);
		ck_assert_uint_eq(utf8_next(b.b_data, b.b_len, &back),
		    b.b_len);
		ck_assert_uint_eq(back, cp);
	}
	buf_release(&b);
}
END_TEST

Suite *
slug_suite(void)
{
	Suite	*s = suite_create("slug");
	TCase	*tc = tcase_create("slug");

	tcase_add_test(tc, test_utf8_decoder);
	tcase_add_test(tc, test_original_fixture);
	tcase_add_test(tc, test_original_tests);
	tcase_add_test(tc, test_apostrophes_and_quotes);
	tcase_add_test(tc, test_transliteration);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_entities);
	tcase_add_test(tc, test_dots);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_random_property);
	suite_add_tcase(s, tc);
	return (s);
}
