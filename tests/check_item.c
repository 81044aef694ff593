/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_item.c: the enriched-file loader: the sample file, every kind of
 * bad file and bad field, date-times, the JSON round trip used by the
 * worker protocol, the choice of the newest file, and an item too large
 * for a job message, skipped alike by --jobs 1 and --jobs 4.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "buf.h"
#include "e2e.h"
#include "item.h"
#include "tests.h"
#include "xmalloc.h"

static char *
data_path(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/tests/data/items/%s", test_srcdir(), name);
	return (p);
}

/* Load tests/data/items/name; returns item_load_file()'s result. */
static int
load(const char *name, struct item_set *set, char *err, size_t errlen)
{
	char	*path = data_path(name);
	int	 r, missing = -1;

	r = item_load_file(path, set, &missing, err, errlen);
	ck_assert_int_eq(missing, 0);
	free(path);
	return (r);
}

START_TEST(test_load_sample)
{
	static const char *const ids[] = {
		"hn_46100001", "mastodon_115600000000000001", "github_880001",
		"github_880002", "reddit_1q2w3e", "hn_46100002", "hn_46100003",
		"mastodon_115600000000000002", "hn_46100004", "hn_46100005",
		"mastodon_115600000000000003",
	};
	struct item_set	 set;
	struct item	*it;
	char		 err[256];
	size_t		 i;

	ck_assert_int_eq(load("sample.json", &set, err, sizeof(err)), 0);
	ck_assert_uint_eq(set.is_ntotal, 12);
	ck_assert_uint_eq(set.is_nitems, 11);
	ck_assert_uint_eq(set.is_ninvalid, 1);
	ck_assert(strstr(set.is_path, "tests/data/items/sample.json") != NULL);
	for (i = 0; i < set.is_nitems; i++) {
		ck_assert_str_eq(set.is_items[i].it_id, ids[i]);
		ck_assert_uint_eq(set.is_items[i].it_index, i);
	}

	it = &set.is_items[0];
	ck_assert_str_eq(it->it_title,
	    "Postgres 18 ships asynchronous I/O for sequential scans");
	ck_assert_str_eq(it->it_source, "hackernews");
	ck_assert_str_eq(it->it_url,
	    "https://www.postgresql.org/about/news/postgresql-18-released/");
	ck_assert_str_eq(it->it_author, "pgfan");
	ck_assert_str_eq(it->it_collected_at,
	    "2026-11-20 06:01:12.000000+00:00");
	ck_assert_int_eq(it->it_collected_epoch, 1795154472);
	ck_assert_double_eq(it->it_quality, 0.82);
	ck_assert_double_eq(it->it_heuristic, 0.66);
	ck_assert_double_eq(it->it_ai, 0.9);
	ck_assert_uint_eq(it->it_ntopics, 5);
	ck_assert_str_eq(it->it_topics[3], "io_uring");
	ck_assert_uint_eq(it->it_nrelated, 0);

	it = &set.is_items[1];
	ck_assert_uint_eq(it->it_nrelated, 1);
	ck_assert_str_eq(it->it_related[0],
	    "https://blog.example.org/ci-runner-pool");

	/* UTF-8 comes through byte for byte. */
	it = &set.is_items[7];
	ck_assert_str_eq(it->it_title, "Caf\xc3\xa9-grade espresso with a "
	    "1,000 \xe2\x82\xac budget \xe2\x80\x94 a \xe2\x80\x9cna\xc3\xafve"
	    "\xe2\x80\x9d guide \xf0\x9f\x9a\x80");
	item_set_release(&set);
	ck_assert_ptr_null(set.is_items);
}
END_TEST

/* The loader's warning for the out-of-range item, read back from stderr. */
START_TEST(test_load_warning)
{
	struct item_set	 set;
	char		*dir, *logpath, *log, err[256];
	int		 fd, saved;

	dir = test_tmpdir("itemlog");
	xasprintf(&logpath, "%s/stderr", dir);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	ck_assert_int_eq(load("sample.json", &set, err, sizeof(err)), 0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	log = test_read_file(logpath, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "tests/data/items/sample.json: items[11] "
	    "(id hn_46100006): quality_score: 1.7 is outside [0, 1]; skipped\n")
	    != NULL, "log was: %s", log);
	free(log);
	item_set_release(&set);
	test_rmtree(dir);
	free(logpath);
	free(dir);
}
END_TEST

#define ORIG(extra) "{\"id\": \"x_1\", \"title\": \"T\", \"content\": \"C\", " \
	"\"source\": \"mastodon\", \"url\": \"https://example.com/a\", " \
	"\"author\": \"al\"" extra "}"
#define ITEM(orig, extra) "{\"original\": " orig ", \"research_summary\": " \
	"\"R\", \"quality_score\": 0.6" extra "}"

/* item_from_json() on text; returns its error text, or "" on success. */
static const char *
field_error(const char *text)
{
	static char		 err[256];
	struct json_object	*obj;
	struct item		 it;

	obj = json_tokener_parse(text);
	ck_assert_msg(obj != NULL, "test JSON does not parse: %s", text);
	if (item_from_json(obj, &it, err, sizeof(err)) == 0) {
		item_release(&it);
		err[0] = '\0';
	} else
		ck_assert_ptr_null(it.it_id);
	json_object_put(obj);
	return (err);
}

START_TEST(test_field_errors)
{
	static const struct {
		const char	*json;
		const char	*err;
	} cases[] = {
		{ ITEM(ORIG(""), ""), "" },
		{ "[1]", "not an object" },
		{ "{\"research_summary\": \"R\", \"quality_score\": 0.5}",
		    "original: missing" },
		{ ITEM("[]", ""), "original: not an object" },
		{ ITEM("{\"title\": \"T\"}", ""), "original.id: missing" },
		{ ITEM(ORIG(", \"id\": \"\""), ""), "original.id: empty" },
		{ ITEM(ORIG(", \"id\": 7"), ""), "original.id: not a string" },
		{ ITEM(ORIG(", \"title\": null"), ""),
		    "original.title: not a string" },
		{ ITEM(ORIG(", \"source\": \"\""), ""), "original.source: empty" },
		{ ITEM(ORIG(", \"url\": \"\""), ""), "original.url: empty" },
		{ ITEM(ORIG(", \"url\": \"example.com/a\""), ""),
		    "original.url: not an absolute http(s) URL" },
		{ ITEM(ORIG(", \"url\": \"ftp://example.com/a\""), ""),
		    "original.url: not an absolute http(s) URL" },
		{ ITEM(ORIG(", \"url\": \"https://\""), ""),
		    "original.url: not an absolute http(s) URL" },
		{ ITEM(ORIG(", \"content\": \"a\\u0000b\""), ""),
		    "original.content: contains a NUL character" },
		{ ITEM(ORIG(", \"title\": \"\xff\xfe\""), ""),
		    "original.title: invalid UTF-8" },
		{ ITEM(ORIG(", \"title\": \"\xc0\xaf\""), ""),
		    "original.title: invalid UTF-8" },
		{ ITEM(ORIG(", \"title\": \"\xed\xa0\x80\""), ""),
		    "original.title: invalid UTF-8" },
		{ ITEM(ORIG(", \"collected_at\": \"2026-02-30T00:00:00Z\""), ""),
		    "original.collected_at: not a date-time" },
		{ ITEM(ORIG(", \"collected_at\": 5"), ""),
		    "original.collected_at: not a string" },
		{ ITEM(ORIG(", \"metadata\": []"), ""),
		    "original.metadata: not an object" },
		{ ITEM(ORIG(""), ", \"research_summary\": null"),
		    "research_summary: not a string" },
		{ "{\"original\": " ORIG("") ", \"quality_score\": 0.6}",
		    "research_summary: missing" },
		{ ITEM(ORIG(""), ", \"topics\": [\"a\", \"b\", 3]"),
		    "topics[2]: not a string" },
		{ ITEM(ORIG(""), ", \"topics\": \"a\""), "topics: not an array" },
		{ ITEM(ORIG(""), ", \"related_sources\": [\"https://a.example/\","
		    " \"/b\"]"), "related_sources[1]: not an absolute http(s) URL" },
		{ ITEM(ORIG(""), ", \"quality_score\": 1.7"),
		    "quality_score: 1.7 is outside [0, 1]" },
		{ ITEM(ORIG(""), ", \"quality_score\": -0.01"),
		    "quality_score: -0.01 is outside [0, 1]" },
		{ ITEM(ORIG(""), ", \"quality_score\": \"0.7\""),
		    "quality_score: not a number" },
		{ ITEM(ORIG(""), ", \"quality_score\": true"),
		    "quality_score: not a number" },
		{ ITEM(ORIG(""), ", \"quality_score\": NaN"),
		    "quality_score: not a finite number" },
		{ ITEM(ORIG(""), ", \"quality_score\": Infinity"),
		    "quality_score: not a finite number" },
		{ ITEM(ORIG(""), ", \"quality_score\": 1e999"),
		    "quality_score: not a finite number" },
		{ ITEM(ORIG(""), ", \"quality_score\": 99999999999999999999999"),
		    "quality_score: 1.84467e+19 is outside [0, 1]" },
		{ "{\"original\": " ORIG("") ", \"research_summary\": \"R\"}",
		    "quality_score: missing" },
		{ ITEM(ORIG(""), ", \"heuristic_score\": -0.5"),
		    "heuristic_score: -0.5 is below 0" },
		{ ITEM(ORIG(""), ", \"ai_score\": 3"), "" },
		{ ITEM(ORIG(""), ", \"ai_score\": \"x\""),
		    "ai_score: not a number" },
		{ ITEM(ORIG(""), ", \"enriched_at\": \"soon\""),
		    "enriched_at: not a date-time" },
		/* json-c keeps the last of duplicate keys. */
		{ ITEM(ORIG(""), ", \"quality_score\": 0.9"), "" },
		{ ITEM(ORIG(", \"url\": \"HTTPS://Example.com\""), ""), "" },
	};
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		ck_assert_msg(strcmp(field_error(cases[i].json),
		    cases[i].err) == 0, "case %zu: got '%s', want '%s'", i,
		    field_error(cases[i].json), cases[i].err);
}
END_TEST

START_TEST(test_optional_defaults)
{
	struct json_object	*obj;
	struct item		 it;
	char			 err[256];

	obj = json_tokener_parse(ITEM(ORIG(""), ", \"quality_score\": 1"));
	ck_assert_int_eq(item_from_json(obj, &it, err, sizeof(err)), 0);
	ck_assert_double_eq(it.it_quality, 1.0);
	ck_assert_double_eq(it.it_heuristic, 0.0);
	ck_assert_double_eq(it.it_ai, 0.0);
	ck_assert_ptr_null(it.it_collected_at);
	ck_assert_int_eq(it.it_collected_epoch, 0);
	ck_assert_uint_eq(it.it_ntopics, 0);
	ck_assert_ptr_null(it.it_topics);
	ck_assert_uint_eq(it.it_nrelated, 0);
	ck_assert_str_eq(it.it_research_summary, "R");
	item_release(&it);
	json_object_put(obj);
}
END_TEST

START_TEST(test_parse_time)
{
	static const struct {
		const char	*s;
		int		 ok;
		int64_t		 epoch;
	} cases[] = {
		{ "2026-01-14T02:31:07.412233+00:00", 1, 1768357867 },
		{ "2026-01-14 02:31:07.412233+00:00", 1, 1768357867 },
		{ "2026-01-14T02:31:07Z", 1, 1768357867 },
		{ "2026-01-14t02:31:07z", 1, 1768357867 },
		{ "2026-01-14T02:31:07", 1, 1768357867 },
		{ "2026-01-14T02:31:07+0000", 1, 1768357867 },
		{ "2026-01-14T08:16:56+05:30", 1, 1768358816 },
		{ "2026-01-14T08:16:56+0530", 1, 1768358816 },
		{ "2024-02-29T23:59:59-01:00", 1, 1709254799 },
		{ "2026-01-14T02:31", 1, 1768357860 },
		{ "2026-01-14", 1, 1768348800 },
		{ "2000-03-01", 1, 951868800 },
		{ "1970-01-01T00:00:00Z", 1, 0 },
		{ "1969-12-31T23:59:59Z", 1, -1 },
		{ "9999-12-31T23:59:59Z", 1, 253402300799LL },
		{ "", 0, 0 },
		{ "yesterday", 0, 0 },
		{ "2026-1-14", 0, 0 },
		{ "2026-13-01", 0, 0 },
		{ "2026-00-10", 0, 0 },
		{ "2025-02-29", 0, 0 },
		{ "2026-04-31", 0, 0 },
		{ "2026-01-14T24:00:00Z", 0, 0 },
		{ "2026-01-14T02:60:00Z", 0, 0 },
		{ "2026-01-14T02:31:07.Z", 0, 0 },
		{ "2026-01-14T02:31:07+25:00", 0, 0 },
		{ "2026-01-14T02:31:07 junk", 0, 0 },
		{ "2026-01-14X02:31:07", 0, 0 },
	};
	int64_t	e;
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		e = 12345;
		ck_assert_msg(item_parse_time(cases[i].s, &e) ==
		    (cases[i].ok ? 0 : -1), "case %zu '%s'", i, cases[i].s);
		if (cases[i].ok)
			ck_assert_msg(e == cases[i].epoch, "case %zu: %lld", i,
			    (long long)e);
	}
	ck_assert_int_eq(item_parse_time(NULL, &e), -1);
}
END_TEST

static void
assert_same_strings(char **a, size_t na, char **b, size_t nb)
{
	size_t	i;

	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++)
		ck_assert_str_eq(a[i], b[i]);
}

static void
assert_same_item(const struct item *a, const struct item *b)
{
	ck_assert_str_eq(a->it_id, b->it_id);
	ck_assert_str_eq(a->it_title, b->it_title);
	ck_assert_str_eq(a->it_content, b->it_content);
	ck_assert_str_eq(a->it_source, b->it_source);
	ck_assert_str_eq(a->it_url, b->it_url);
	ck_assert_str_eq(a->it_author, b->it_author);
	if (a->it_collected_at == NULL)
		ck_assert_ptr_null(b->it_collected_at);
	else
		ck_assert_str_eq(a->it_collected_at, b->it_collected_at);
	ck_assert_int_eq(a->it_collected_epoch, b->it_collected_epoch);
	ck_assert_str_eq(a->it_research_summary, b->it_research_summary);
	assert_same_strings(a->it_related, a->it_nrelated, b->it_related,
	    b->it_nrelated);
	assert_same_strings(a->it_topics, a->it_ntopics, b->it_topics,
	    b->it_ntopics);
	/* Exact equality: the numbers must survive the trip bit for bit. */
	ck_assert(a->it_quality == b->it_quality);
	ck_assert(a->it_heuristic == b->it_heuristic);
	ck_assert(a->it_ai == b->it_ai);
}

START_TEST(test_roundtrip)
{
	struct item_set		 set;
	struct json_object	*obj, *back;
	struct item		 it;
	const char		*text;
	char			 err[256];
	size_t			 i;

	ck_assert_int_eq(load("sample.json", &set, err, sizeof(err)), 0);
	/* Awkward numbers too. */
	set.is_items[0].it_quality = 0.1 + 0.2;
	set.is_items[0].it_heuristic = 1e-7;
	set.is_items[1].it_ai = 123456789.125;
	for (i = 0; i < set.is_nitems; i++) {
		obj = item_to_json(&set.is_items[i]);
		/* Through text, as on the worker protocol. */
		text = json_object_to_json_string_ext(obj,
		    JSON_C_TO_STRING_PLAIN);
		back = json_tokener_parse(text);
		ck_assert_ptr_nonnull(back);
		ck_assert_msg(item_from_json(back, &it, err, sizeof(err)) == 0,
		    "item %zu: %s", i, err);
		assert_same_item(&set.is_items[i], &it);
		item_release(&it);
		json_object_put(back);
		json_object_put(obj);
	}
	/* Numbers print short where that is exact. */
	obj = item_to_json(&set.is_items[2]);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	ck_assert_msg(strstr(text, "\"quality_score\":0.66,") != NULL, "%s",
	    text);
	json_object_put(obj);
	item_set_release(&set);
}
END_TEST

START_TEST(test_bad_files)
{
	struct item_set	 set;
	char		 err[256], *path;
	int		 missing;

	ck_assert_int_eq(load("not-json.json", &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "items/not-json.json: not valid JSON: "
	    "line 4, column 29: ") != NULL, "%s", err);
	ck_assert_ptr_null(set.is_items);

	ck_assert_int_eq(load("truncated.json", &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "items/truncated.json: not valid JSON: "
	    "line 4, column 1: unexpected end of input") != NULL, "%s", err);

	ck_assert_int_eq(load("no-items.json", &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "items/no-items.json: no \"items\" array")
	    != NULL, "%s", err);

	ck_assert_int_eq(load("items-not-array.json", &set, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "items/items-not-array.json: no \"items\" "
	    "array (\"items\" is object)") != NULL, "%s", err);

	ck_assert_int_eq(load("top-array.json", &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "items/top-array.json: not a JSON object "
	    "but array") != NULL, "%s", err);

	ck_assert_int_eq(load("empty-items.json", &set, err, sizeof(err)), 0);
	ck_assert_uint_eq(set.is_nitems, 0);
	ck_assert_uint_eq(set.is_ntotal, 0);
	item_set_release(&set);

	path = data_path("does-not-exist.json");
	missing = 0;
	ck_assert_int_eq(item_load_file(path, &set, &missing, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(missing, 1);
	ck_assert_msg(strstr(err, "does-not-exist.json: No such file") != NULL,
	    "%s", err);
	free(path);

	/* A directory is not an enriched file, and is not "missing". */
	path = data_path("");
	ck_assert_int_eq(item_load_file(path, &set, &missing, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(missing, 0);
	free(path);
}
END_TEST

START_TEST(test_bad_fields_file)
{
	struct item_set	 set;
	char		 err[256];

	ck_assert_int_eq(load("bad-fields.json", &set, err, sizeof(err)), 0);
	ck_assert_uint_eq(set.is_ntotal, 15);
	ck_assert_uint_eq(set.is_ninvalid, 13);
	ck_assert_uint_eq(set.is_nitems, 2);
	ck_assert_str_eq(set.is_items[0].it_id, "good_0");
	ck_assert_uint_eq(set.is_items[0].it_index, 0);
	ck_assert_int_eq(set.is_items[0].it_collected_epoch, 1795154472);
	ck_assert_str_eq(set.is_items[1].it_id, "good_1");
	ck_assert_uint_eq(set.is_items[1].it_index, 14);
	/* URLs are kept as written; normalising is selection's business. */
	ck_assert_str_eq(set.is_items[1].it_url,
	    "HTTP://Example.COM/Other#frag");
	ck_assert_double_eq(set.is_items[1].it_quality, 1.0);
	item_set_release(&set);
}
END_TEST

static int
load_text(const char *text, struct item_set *set, char *err, size_t errlen)
{
	return (item_load_buffer("mem.json", text, strlen(text), set, err,
	    errlen));
}

START_TEST(test_odd_buffers)
{
	struct item_set	 set;
	struct buf	 b;
	char		 err[256];
	size_t		 i;
	static const char crlf[] = "{\r\n  \"items\": [\r\n    " ITEM(ORIG(""),
	    "") ",\r\n    {\"original\": 1}\r\n  ]\r\n}\r\n";
	static const char crlf_bad[] = "{\r\n  \"items\": [\r\n    x\r\n]}";
	static const char nul[] = "{\"items\": []}\0{}";

	ck_assert_int_eq(load_text(crlf, &set, err, sizeof(err)), 0);
	ck_assert_uint_eq(set.is_nitems, 1);
	ck_assert_uint_eq(set.is_ninvalid, 1);
	item_set_release(&set);
	/* CRs do not count as columns. */
	ck_assert_int_eq(load_text(crlf_bad, &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "mem.json: not valid JSON: line 3, "
	    "column 5: ") != NULL, "%s", err);

	ck_assert_int_eq(load_text("{\"items\": []} []", &set, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 1, column 15: data after the "
	    "top-level value") != NULL, "%s", err);
	ck_assert_int_eq(load_text("{\"items\": []}\n\n", &set, err,
	    sizeof(err)), 0);
	item_set_release(&set);
	ck_assert_int_eq(item_load_buffer("mem.json", nul, sizeof(nul) - 1,
	    &set, err, sizeof(err)), -1);
	ck_assert_int_eq(load_text("", &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 1, column 1: unexpected end of input")
	    != NULL, "%s", err);
	/* Columns count characters, not bytes. */
	ck_assert_int_eq(load_text("{\"\xc3\xa9\xc3\xa9\": ]", &set, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 1, column 8: ") != NULL, "%s", err);
	/* Deep nesting is an error, not a crash. */
	buf_init(&b);
	buf_puts(&b, "{\"items\": ");
	for (i = 0; i < 1000; i++)
		buf_putc(&b, '[');
	for (i = 0; i < 1000; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '}');
	ck_assert_int_eq(load_text(buf_cstr(&b), &set, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 1, column 74: nesting too deep") !=
	    NULL, "%s", err);
	buf_release(&b);
}
END_TEST

/* A 100 MB string in one item loads (and is then too long for nothing). */
START_TEST(test_huge_string)
{
	struct item_set	 set;
	struct buf	 b;
	char		 err[256], *big;
	size_t		 n = 100 * 1000 * 1000;

	big = xmalloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	buf_init(&b);
	buf_puts(&b, "{\"items\": [{\"original\": {\"id\": \"big\", \"title\": "
	    "\"T\", \"content\": \"");
	buf_append(&b, big, n);
	free(big);
	buf_puts(&b, "\", \"source\": \"hackernews\", \"url\": "
	    "\"https://example.com/big\", \"author\": \"a\"}, "
	    "\"research_summary\": \"R\", \"quality_score\": 0.5}]}");
	/* the file loads; the item is refused, naming the field */
	ck_assert_int_eq(item_load_buffer("big.json", b.b_data, b.b_len, &set,
	    err, sizeof(err)), 0);
	buf_release(&b);
	ck_assert_uint_eq(set.is_nitems, 0);
	ck_assert_uint_eq(set.is_ninvalid, 1);
	item_set_release(&set);
}
END_TEST

START_TEST(test_size_cap)
{
	struct item_set	 set;
	char		*dir, *path, err[256];
	int		 fd, missing;

	dir = test_tmpdir("itemcap");
	xasprintf(&path, "%s/enriched_big.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	/* Sparse: no disk is used and nothing is read. */
	ck_assert_int_eq(ftruncate(fd, 257L * 1024 * 1024), 0);
	close(fd);
	ck_assert_int_eq(item_load_file(path, &set, &missing, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "enriched_big.json: larger than 256 MiB")
	    != NULL, "%s", err);
	test_rmtree(dir);
	free(path);
	free(dir);
}
END_TEST

static void
touch(const char *dir, const char *name, time_t sec, long nsec)
{
	struct timespec	 ts[2];
	char		*path;

	xasprintf(&path, "%s/%s", dir, name);
	ck_assert_int_eq(test_write_file(path, "{\"items\": []}"), 0);
	ts[0].tv_sec = ts[1].tv_sec = sec;
	ts[0].tv_nsec = ts[1].tv_nsec = nsec;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	free(path);
}

START_TEST(test_find_newest)
{
	char	*dir, *p, *sub, *want;

	dir = test_tmpdir("newest");
	p = item_find_newest(dir);
	ck_assert_ptr_null(p);
	/* The newest mtime wins, whatever the name says. */
	touch(dir, "enriched_20260101_000000.json", 2000000000, 0);
	touch(dir, "enriched_20250101_000000.json", 2000000000, 500);
	/* Not candidates, even though newer. */
	touch(dir, "collected_20270101_000000.json", 2100000000, 0);
	touch(dir, "enriched_20270101_000000.json.tmp", 2100000000, 0);
	touch(dir, "xenriched_20270101_000000.json", 2100000000, 0);
	xasprintf(&sub, "%s/enriched_dir.json", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	p = item_find_newest(dir);
	xasprintf(&want, "%s/enriched_20250101_000000.json", dir);
	ck_assert_str_eq(p, want);
	free(p);
	free(want);
	/* A tie goes to the greatest name. */
	touch(dir, "enriched_20240101_000000.json", 2000000000, 500);
	touch(dir, "enriched_20240601_000000.json", 2000000000, 500);
	p = item_find_newest(dir);
	xasprintf(&want, "%s/enriched_20250101_000000.json", dir);
	ck_assert_str_eq(p, want);
	free(p);
	free(want);
	touch(dir, "enriched_20240601_000000.json", 2000000001, 0);
	p = item_find_newest(dir);
	xasprintf(&want, "%s/enriched_20240601_000000.json", dir);
	ck_assert_str_eq(p, want);
	free(p);
	free(want);
	free(sub);
	test_rmtree(dir);
	free(dir);
	ck_assert_ptr_null(item_find_newest("/nonexistent/articlegen/data"));
}
END_TEST

/*
 * Write dir/enriched.json: the example file plus, at index 12, a copy of
 * its items[0] (selected in every run) under the id huge_1 and a URL of
 * its own, whose content and research summary are quotes: each field
 * within ITEM_FIELD_MAX, the item over a megabyte once JSON escapes them.
 */
static void
write_with_huge_item(const char *dir)
{
	struct json_object	*root, *items, *huge, *orig;
	char			*src, *dst, *quotes;

	xasprintf(&src, "%s/examples/enriched_20261120_060440.json",
	    test_srcdir());
	root = json_object_from_file(src);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_object_object_get_ex(root, "items", &items));
	huge = json_tokener_parse(json_object_to_json_string(
	    json_object_array_get_idx(items, 0)));
	ck_assert_ptr_nonnull(huge);
	quotes = xmalloc(ITEM_FIELD_MAX);
	memset(quotes, '"', ITEM_FIELD_MAX - 1);
	quotes[ITEM_FIELD_MAX - 1] = '\0';
	ck_assert(json_object_object_get_ex(huge, "original", &orig));
	json_object_object_add(orig, "id", json_object_new_string("huge_1"));
	json_object_object_add(orig, "url",
	    json_object_new_string("https://huge.example/story"));
	json_object_object_add(orig, "content",
	    json_object_new_string(quotes));
	json_object_object_add(huge, "research_summary",
	    json_object_new_string(quotes));
	json_object_array_add(items, huge);
	xasprintf(&dst, "%s/enriched.json", dir);
	ck_assert_int_eq(json_object_to_file(dst, root), 0);
	json_object_put(root);
	free(quotes);
	free(src);
	free(dst);
}

/*
 * An item too large for a job message is invalid at load: --jobs 1 and
 * --jobs 4 both skip it with the same warning and write the others.
 */
START_TEST(test_oversized_item_every_mode)
{
	static const char *const modes[] = { "1", "4" };
	const char	*args[] = { "--jobs", NULL, "-o", NULL, "enriched.json",
	    NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *posts, *files[2];
	size_t		 k;
	int		 rc;

	dir = test_tmpdir("itemhuge");
	write_with_huge_item(dir);
	env[0] = e2e_env_base_url();
	for (k = 0; k < nitems(modes); k++) {
		args[1] = modes[k];
		args[3] = k == 0 ? "one" : "four";
		rc = run_articlegen(dir, args, env, &out, &err);
		ck_assert_msg(rc == 0, "--jobs %s: exit %d\n%s\n%s", modes[k],
		    rc, out, err);
		ck_assert_msg(strstr(err, "enriched.json: items[12] (id huge_1): "
		    "the item is ") != NULL, "--jobs %s: %s", modes[k], err);
		ck_assert_msg(strstr(err, "a worker's job message has room for; "
		    "skipped") != NULL, "--jobs %s: %s", modes[k], err);
		ck_assert_msg(strstr(out, "Totals: 9 selected, 9 written, 0 "
		    "failed") != NULL, "--jobs %s: %s", modes[k], out);
		xasprintf(&posts, "%s/%s", dir, args[3]);
		files[k] = list_dir(posts, ".md");
		ck_assert_uint_eq(count_lines(files[k]), 9);
		free(posts);
		free(out);
		free(err);
	}
	ck_assert_str_eq(files[0], files[1]);
	free(files[0]);
	free(files[1]);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
item_suite(void)
{
	Suite	*s = suite_create("item");
	TCase	*tc = tcase_create("core");
	TCase	*big = tcase_create("big");
	TCase	*jobs = tcase_create("jobs");

	tcase_add_test(tc, test_load_sample);
	tcase_add_test(tc, test_load_warning);
	tcase_add_test(tc, test_field_errors);
	tcase_add_test(tc, test_optional_defaults);
	tcase_add_test(tc, test_parse_time);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_bad_files);
	tcase_add_test(tc, test_bad_fields_file);
	tcase_add_test(tc, test_odd_buffers);
	tcase_add_test(tc, test_size_cap);
	tcase_add_test(tc, test_find_newest);
	suite_add_tcase(s, tc);
	tcase_add_test(big, test_huge_string);
	tcase_set_timeout(big, 120);
	suite_add_tcase(s, big);
	tcase_add_checked_fixture(jobs, e2e_setup_standin,
	    e2e_teardown_standin);
	tcase_add_test(jobs, test_oversized_item_every_mode);
	tcase_set_timeout(jobs, 120);
	suite_add_tcase(s, jobs);
	return (s);
}
