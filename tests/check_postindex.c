/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_postindex.c: the index of existing posts, on the fixture posts of
 * tests/data/posts/ (both YAML styles, the legacy "source:", odd and
 * flow-style YAML, TOML and JSON front matter, a page bundle, a section
 * with _index.md, .markdown and .html pages, broken and absent front
 * matter) and on generated directories: CRLF posts, date formats and ten
 * thousand posts; then the TOML reader and the YAML and JSON errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "frontmatter.h"
#include "postindex.h"
#include "tests.h"
#include "xmalloc.h"

#define DAY		86400
/* Dates of the fixture posts. */
#define PG_DATE		1768032000	/* 2026-01-10T08:00:00Z */
#define K8S_DATE	1768358816	/* 2026-01-14T02:46:56+0000 */
#define K8S_OLD_DATE	1764579600	/* 2025-12-01T09:00:00+0000 */
#define LEGACY_DATE	1761782400	/* 2025-10-30 */
#define ODD_DATE	1768262400	/* 2026-01-13 */

static struct postindex *
fixture_index(void)
{
	struct postindex	*idx;
	char			*dir, err[256];

	xasprintf(&dir, "%s/tests/data/posts", test_srcdir());
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_msg(idx != NULL, "%s", err);
	free(dir);
	return (idx);
}

/* The file name part of a match, or NULL when url is not found. */
static const char *
found_in(const struct postindex *idx, const char *url, int64_t *date,
    int *legacy)
{
	struct post_match	 m;
	const char		*slash;

	if (!postindex_find(idx, url, &m))
		return (NULL);
	if (date != NULL)
		*date = m.pm_date;
	if (legacy != NULL)
		*legacy = m.pm_legacy;
	slash = strrchr(m.pm_path, '/');
	ck_assert_ptr_nonnull(slash);
	ck_assert(strstr(m.pm_path, "tests/data/posts/") != NULL);
	return (slash + 1);
}

START_TEST(test_fixture_find)
{
	static const char *const traps[] = {
		"https://trap.example/in-summary",
		"https://trap.example/body",
		"https://trap.example/body-list",
		"https://trap.example/inside-quote",
		"https://trap.example/inside-quote'",
		"https://trap.example/flow",
		"https://trap.example/block-scalar",
		"https://trap.example/block-scalar-2",
		"https://trap.example/nested",
		"https://trap.example/no-front-matter",
		"https://trap.example/unclosed",
		"https://trap.example/unterminated",
		"https://trap.example/hidden",
		"https://trap.example/txt",
		"https://trap.example/toml-multiline",
		"https://trap.example/toml-params",
		"https://trap.example/toml-dotted",
		"https://trap.example/toml-nested",
		"https://trap.example/toml-body",
		"https://trap.example/broken-toml",
		"https://trap.example/json-params",
		"https://trap.example/json-body",
		"https://trap.example/bundle-resource",
	};
	struct postindex	*idx;
	int64_t			 date;
	size_t			 i;
	int			 legacy;

	idx = fixture_index();
	/*
	 * Indexed: the two styles, the earlier k8s post, legacy, odd
	 * shapes, the bad date, TOML, JSON, the page bundle's index.md,
	 * flow-style sources, and in series/ the _index.md, a .markdown and
	 * an .html page; not: no front matter, unclosed, broken quote,
	 * broken TOML, the dotfile, the .txt file and the bundle's
	 * resources.
	 */
	ck_assert_uint_eq(postindex_count(idx), 13);

	/* Our double-quoted style; the URL is stored normalised. */
	ck_assert_str_eq(found_in(idx, "https://www.postgresql.org/about/news/"
	    "postgresql-18-released/", &date, &legacy),
	    "2026-01-10-postgres-18-async-io.md");
	ck_assert_int_eq(date, PG_DATE);
	ck_assert_int_eq(legacy, 0);
	ck_assert_str_eq(found_in(idx,
	    "https://fosstodon.org/@ops_jane/115600000000000001", NULL, NULL),
	    "2026-01-10-postgres-18-async-io.md");
	/* \x2F, \u00e9 and an escaped line break. */
	ck_assert_str_eq(found_in(idx,
	    "https://escape.example/a/b%C3%A9-joined", NULL, NULL),
	    "2026-01-10-postgres-18-async-io.md");

	/* PyYAML style: the newest of the two posts naming it is reported. */
	ck_assert_str_eq(found_in(idx, "https://example.com/k8s-article", &date,
	    &legacy), "2026-01-14-how-kubernetes-schedules-pods.md");
	ck_assert_int_eq(date, K8S_DATE);
	ck_assert_int_eq(legacy, 0);
	ck_assert_str_eq(found_in(idx, "https://news.example.com/item?id=1",
	    NULL, NULL), "2026-01-14-how-kubernetes-schedules-pods.md");

	/* Legacy "source:". */
	ck_assert_str_eq(found_in(idx, "https://news.example.com/legacy-story",
	    &date, &legacy), "2025-10-30-legacy-source.md");
	ck_assert_int_eq(date, LEGACY_DATE);
	ck_assert_int_eq(legacy, 1);

	/* "-" alone, comments, single quotes with '', nested lists. */
	ck_assert_str_eq(found_in(idx, "https://pending.example/repo", &date,
	    NULL), "2026-01-13-odd-shapes.md");
	ck_assert_int_eq(date, ODD_DATE);
	ck_assert_str_eq(found_in(idx, "https://single.example/it's", NULL,
	    NULL), "2026-01-13-odd-shapes.md");

	/* An unreadable date leaves the post indexed, without a date. */
	ck_assert_str_eq(found_in(idx, "https://bad-date.example/story", &date,
	    NULL), "2026-01-11-bad-date.md");
	ck_assert_int_eq(date, 0);

	/* TOML: [[sources]] tables, quoted keys, a \u escape, [source]. */
	ck_assert_str_eq(found_in(idx, "https://toml.example/first", &date,
	    &legacy), "2026-01-15-toml-front-matter.md");
	ck_assert_int_eq(date, 1768469400);	/* 2026-01-15T09:30:00Z */
	ck_assert_int_eq(legacy, 0);
	ck_assert_str_eq(found_in(idx, "https://toml.example/literal", NULL,
	    NULL), "2026-01-15-toml-front-matter.md");
	ck_assert_str_eq(found_in(idx, "https://toml.example/legacy-%C3%A9",
	    NULL, &legacy), "2026-01-15-toml-front-matter.md");
	ck_assert_int_eq(legacy, 1);

	/* JSON: the object at the top, its escapes; braces in strings. */
	ck_assert_str_eq(found_in(idx, "https://json.example/story", &date,
	    NULL), "2026-01-16-json-front-matter.md");
	ck_assert_int_eq(date, 1768557600);	/* 2026-01-16T10:00:00Z */
	ck_assert_str_eq(found_in(idx, "https://json.example/escaped%C3%A9",
	    NULL, NULL), "2026-01-16-json-front-matter.md");

	/* A page bundle is found by its index.md. */
	ck_assert_str_eq(found_in(idx, "https://bundle.example/story", NULL,
	    NULL), "index.md");

	/* Flow-style YAML: sources: [{url: ...}] and source: {url: ...}. */
	ck_assert_str_eq(found_in(idx, "https://flow.example/story", &date,
	    NULL), "2026-01-18-flow-sources.md");
	ck_assert_int_eq(date, 1768694400);	/* 2026-01-18 */
	ck_assert_str_eq(found_in(idx, "https://flow.example/repo", NULL,
	    NULL), "2026-01-18-flow-sources.md");
	ck_assert_str_eq(found_in(idx, "https://flow.example/legacy", NULL,
	    &legacy), "2026-01-18-flow-sources.md");
	ck_assert_int_eq(legacy, 1);

	/* A section: its _index.md, and pages in other content formats. */
	ck_assert_str_eq(found_in(idx, "https://series.example/overview", NULL,
	    NULL), "_index.md");
	ck_assert_str_eq(found_in(idx, "https://series.example/part-1", NULL,
	    NULL), "part-1.markdown");
	ck_assert_str_eq(found_in(idx, "https://series.example/part-1-repo",
	    NULL, NULL), "part-1.markdown");
	ck_assert_str_eq(found_in(idx, "https://series.example/part-2", NULL,
	    NULL), "part-2.html");

	for (i = 0; i < nitems(traps); i++)
		ck_assert_msg(!postindex_find(idx, traps[i], NULL),
		    "%s should not be indexed", traps[i]);
	/* Lookups are exact: the caller normalises. */
	ck_assert_int_eq(postindex_find(idx, "https://example.com/k8s-article/",
	    NULL), 0);
	ck_assert_int_eq(postindex_find(idx, "", NULL), 0);
	postindex_free(idx);
}
END_TEST

START_TEST(test_fixture_cooldown)
{
	struct postindex	*idx;
	struct post_match	 m;
	const char		*pg = "https://www.postgresql.org/about/news/"
	    "postgresql-18-released/";
	const char		*k8s = "https://example.com/k8s-article";
	const char		*legacy = "https://news.example.com/legacy-story";
	int64_t			 now;

	idx = fixture_index();
	/* A 3-day-old post is within a 7-day cooldown ... */
	now = PG_DATE + 3 * DAY;
	ck_assert_int_eq(postindex_recent(idx, pg, now - 7 * DAY, NULL), 1);
	/* ... a 30-day-old one is not. */
	now = PG_DATE + 30 * DAY;
	ck_assert_int_eq(postindex_recent(idx, pg, now - 7 * DAY, NULL), 0);
	/* The boundary: dated exactly at since counts. */
	ck_assert_int_eq(postindex_recent(idx, pg, PG_DATE, NULL), 1);
	ck_assert_int_eq(postindex_recent(idx, pg, PG_DATE + 1, NULL), 0);

	/* Legacy source.url never counts for the cooldown. */
	now = LEGACY_DATE + DAY;
	ck_assert_int_eq(postindex_recent(idx, legacy, now - 7 * DAY, NULL), 0);
	ck_assert_int_eq(postindex_recent(idx, legacy, 0, NULL), 0);

	/* The post that puts a source in cooldown is named. */
	ck_assert_int_eq(postindex_recent(idx, pg, PG_DATE, &m), 1);
	ck_assert_msg(strstr(m.pm_path, "/2026-01-10-postgres-18-async-io.md")
	    != NULL, "%s", m.pm_path);
	ck_assert_int_eq(m.pm_date, PG_DATE);

	/* Every post naming a URL is considered: the older and the newer. */
	ck_assert_int_eq(postindex_recent(idx, k8s, K8S_OLD_DATE, NULL), 1);
	ck_assert_int_eq(postindex_recent(idx, k8s, K8S_DATE, NULL), 1);
	ck_assert_int_eq(postindex_recent(idx, k8s, K8S_DATE + 1, NULL), 0);

	/* A post without a date is never recent; unknown URLs neither. */
	ck_assert_int_eq(postindex_recent(idx, "https://bad-date.example/story",
	    0, NULL), 0);
	ck_assert_int_eq(postindex_recent(idx, "https://nowhere.example/", 0, NULL),
	    0);
	postindex_free(idx);
}
END_TEST

START_TEST(test_missing_and_unlistable)
{
	struct postindex	*idx;
	char			*path, err[256];

	idx = postindex_build("/nonexistent/articlegen/content/posts", err,
	    sizeof(err));
	ck_assert_ptr_nonnull(idx);
	ck_assert_uint_eq(postindex_count(idx), 0);
	ck_assert_int_eq(postindex_find(idx, "https://example.com/", NULL), 0);
	ck_assert_int_eq(postindex_recent(idx, "https://example.com/", 0, NULL), 0);
	postindex_free(idx);

	/* A file is not a directory. */
	xasprintf(&path, "%s/tests/data/posts/notes.txt", test_srcdir());
	err[0] = '\0';
	ck_assert_ptr_null(postindex_build(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, "notes.txt: Not a directory") != NULL, "%s",
	    err);
	free(path);

	/* NULL index: nothing found. */
	ck_assert_int_eq(postindex_find(NULL, "https://example.com/", NULL), 0);
	ck_assert_uint_eq(postindex_count(NULL), 0);
}
END_TEST

static void
write_post(const char *dir, const char *name, const char *text)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, name);
	ck_assert_int_eq(test_write_file(path, text), 0);
	free(path);
}

START_TEST(test_crlf_and_dates)
{
	static const struct {
		const char	*line;
		int64_t		 date;
	} dates[] = {
		{ "date: 2026-01-14T02:46:56+0000", K8S_DATE },
		{ "date: 2026-01-14T02:46:56Z", K8S_DATE },
		{ "date: 2026-01-14T02:46:56+00:00", K8S_DATE },
		{ "date: \"2026-01-14T02:46:56+00:00\"", K8S_DATE },
		{ "date: '2026-01-14T04:46:56+02:00'", K8S_DATE },
		{ "date: 2026-01-14 02:46:56.123+00:00", K8S_DATE },
		{ "date: 2026-01-14", 1768348800 },
		{ "date: '2026-01-14'", 1768348800 },
		{ "date:   2026-01-14   # a comment", 1768348800 },
		{ "date:", 0 },
		{ "date: ~", 0 },
	};
	struct postindex	*idx;
	struct post_match	 m;
	char			*dir, *text, *url, name[32], err[256];
	size_t			 i;

	dir = test_tmpdir("postdates");
	for (i = 0; i < nitems(dates); i++) {
		xasprintf(&text, "---\r\ntitle: \"Post %zu\"\r\n%s\r\n"
		    "sources:\r\n- platform: \"x\"\r\n  url: "
		    "\"https://dates.example/%zu\"\r\n---\r\n\r\nBody\r\n", i,
		    dates[i].line, i);
		snprintf(name, sizeof(name), "post-%02zu.md", i);
		write_post(dir, name, text);
		free(text);
	}
	/* A UTF-8 BOM before the opening line. */
	write_post(dir, "bom.md", "\xef\xbb\xbf---\nsources:\n- url: "
	    "https://bom.example/\n---\n");
	/* Front matter only, no newline after the closing line. */
	write_post(dir, "eof.md", "---\nsources:\n  - url: https://eof.example/"
	    "\n---");
	/* An empty front matter is still a post. */
	write_post(dir, "empty.md", "---\n---\nBody\n");
	/* "----" does not close the front matter. */
	write_post(dir, "dashes.md", "---\nsources:\n- url: https://dashes."
	    "example/\n----\n");
	/* Tabs are not YAML indentation. */
	write_post(dir, "tabs.md", "---\nsources:\n\t- url: https://tabs."
	    "example/\n---\n");
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	ck_assert_uint_eq(postindex_count(idx), nitems(dates) + 3);
	for (i = 0; i < nitems(dates); i++) {
		xasprintf(&url, "https://dates.example/%zu", i);
		ck_assert_msg(postindex_find(idx, url, &m), "%s", url);
		ck_assert_msg(m.pm_date == dates[i].date, "'%s': %lld",
		    dates[i].line, (long long)m.pm_date);
		free(url);
	}
	ck_assert_int_eq(postindex_find(idx, "https://bom.example/", NULL), 1);
	ck_assert_int_eq(postindex_find(idx, "https://eof.example/", NULL), 1);
	ck_assert_int_eq(postindex_find(idx, "https://dashes.example/", NULL),
	    0);
	ck_assert_int_eq(postindex_find(idx, "https://tabs.example/", NULL), 0);
	postindex_free(idx);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* A post naming the same URL in sources and source counts as sources. */
START_TEST(test_same_post_twice)
{
	struct postindex	*idx;
	struct post_match	 m;
	char			*dir, err[256];

	dir = test_tmpdir("posttwice");
	write_post(dir, "a.md", "---\ndate: 2026-01-01\nsource:\n  url: "
	    "https://Twice.example/x\nsources:\n- url: https://twice.example/x"
	    "#frag\n- url: https://twice.example/x\n---\n");
	write_post(dir, "b.md", "---\ndate: 2026-02-01\nsource:\n  url: "
	    "https://twice.example/x\n---\n");
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	/* b.md is newer but legacy only: a.md's sources[] entry wins. */
	ck_assert_int_eq(postindex_find(idx, "https://twice.example/x", &m), 1);
	ck_assert_int_eq(m.pm_legacy, 0);
	ck_assert(strstr(m.pm_path, "/a.md") != NULL);
	ck_assert_int_eq(postindex_recent(idx, "https://twice.example/x",
	    1767225600, NULL), 1);
	ck_assert_int_eq(postindex_recent(idx, "https://twice.example/x",
	    1767225601, NULL), 0);
	postindex_free(idx);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Ten thousand posts index in one pass; no timing is asserted. */
START_TEST(test_many_posts)
{
	struct postindex	*idx;
	struct post_match	 m;
	char			*dir, *text, name[64], url[64], err[256];
	size_t			 i, nshared = 0;

	dir = test_tmpdir("postmany");
	for (i = 0; i < 10000; i++) {
		xasprintf(&text, "---\ndate: \"2025-%02zu-%02zuT12:00:00Z\"\n"
		    "sources:\n  - platform: \"hackernews\"\n    url: "
		    "\"https://many.example/story/%zu\"\n%s---\n\nBody %zu\n",
		    1 + i % 12, 1 + i % 28, i, i % 100 == 0 ?
		    "  - url: \"https://shared.example/\"\n" : "", i);
		snprintf(name, sizeof(name), "2025-post-%05zu.md", i);
		write_post(dir, name, text);
		free(text);
		nshared += i % 100 == 0;
	}
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	ck_assert_uint_eq(postindex_count(idx), 10000);
	for (i = 0; i < 10000; i += 997) {
		snprintf(url, sizeof(url), "https://many.example/story/%zu", i);
		ck_assert_msg(postindex_find(idx, url, &m), "%s", url);
		snprintf(name, sizeof(name), "/2025-post-%05zu.md", i);
		ck_assert(strstr(m.pm_path, name) != NULL);
	}
	ck_assert_int_eq(postindex_find(idx, "https://many.example/story/10000",
	    NULL), 0);
	/* 100 posts share one URL; the newest of them is reported. */
	ck_assert_uint_eq(nshared, 100);
	ck_assert_int_eq(postindex_find(idx, "https://shared.example/", &m), 1);
	/*
	 * 2025-09-25 is the latest of their dates, shared by i = 500, 2600,
	 * 4700, 6800 and 8900; on a tie the first post in name order wins.
	 */
	ck_assert_int_eq(m.pm_date, 1758801600);
	ck_assert_msg(strstr(m.pm_path, "/2025-post-00500.md") != NULL, "%s",
	    m.pm_path);
	postindex_free(idx);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Parse text as format; the URLs found, joined by spaces, or NULL. */
static char *
parse_urls(enum fm_format format, const char *text, char **date,
    char *err, size_t errlen)
{
	struct front_matter	 fm;
	char			*out = NULL, *tmp;
	size_t			 k;

	memset(&fm, 0, sizeof(fm));
	*date = NULL;
	if (front_matter_parse(format, text, strlen(text), 2, &fm, err,
	    errlen) == -1) {
		front_matter_release(&fm);
		return (NULL);
	}
	out = xstrdup("");
	for (k = 0; k < fm.fm_nsources; k++) {
		xasprintf(&tmp, "%s%s%s%s", out, k > 0 ? " " : "",
		    fm.fm_sources[k].fs_legacy ? "L:" : "",
		    fm.fm_sources[k].fs_url);
		free(out);
		out = tmp;
	}
	if (fm.fm_date != NULL)
		*date = xstrdup(fm.fm_date);
	front_matter_release(&fm);
	return (out);
}

/* The TOML reader on the shapes Hugo front matter takes, and errors. */
START_TEST(test_toml_shapes)
{
	static const struct {
		const char	*text;
		const char	*urls;	/* NULL: an error naming line */
		const char	*date;
		int		 line;
	} cases[] = {
		{ "date = 2026-01-14 02:46:56Z\n[[sources]]\nurl = \"a\"\n"
		    "[[sources]]\nurl = \"b\" # c\n", "a b",
		    "2026-01-14 02:46:56Z", 0 },
		{ "sources = [\n {url = 'x'}, # one\n {url = \"y\"},\n]\n",
		    "x y", NULL, 0 },
		{ "source.url = \"s\"\nsource = {url = \"t\"}\n",
		    "L:s L:t", NULL, 0 },
		{ "date = \"2026-01-14\"\n[source]\nurl = \"\"\"\\\n"
		    "  multi\\\n  line\"\"\"\n", "L:multiline",
		    "2026-01-14", 0 },
		{ "[[other]]\nurl = \"no\"\n[sources]\nurl = \"no\"\n"
		    "[[sources.x]]\nurl = \"no\"\n", "", NULL, 0 },
		{ "x = \"\\u00e9\\U0001F600\"\n[[sources]]\n"
		    "url = \"\\u00e9\"\n", "\xc3\xa9", NULL, 0 },
		{ "title = \"a\"\nurl = \"b\" c\n", NULL, NULL, 3 },
		{ "title = \n", NULL, NULL, 2 },
		{ "a = [1, 2\n", NULL, NULL, 3 },
		{ "a = \"\\q\"\n", NULL, NULL, 2 },
		{ "[[sources]\n", NULL, NULL, 2 },
		{ "a = \"\\ud800\"\n", NULL, NULL, 2 },
	};
	char	*urls, *date, err[256], want[32];
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		err[0] = '\0';
		urls = parse_urls(FM_TOML, cases[i].text, &date, err,
		    sizeof(err));
		if (cases[i].urls == NULL) {
			ck_assert_msg(urls == NULL, "case %zu parsed", i);
			snprintf(want, sizeof(want), "line %d:", cases[i].line);
			ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
			    "case %zu: %s", i, err);
			continue;
		}
		ck_assert_msg(urls != NULL, "case %zu: %s", i, err);
		ck_assert_str_eq(urls, cases[i].urls);
		if (cases[i].date == NULL)
			ck_assert_ptr_null(date);
		else
			ck_assert_str_eq(date, cases[i].date);
		free(urls);
		free(date);
	}
}
END_TEST

/* YAML and JSON errors name the line; JSON must be an object. */
START_TEST(test_yaml_json_errors)
{
	char	*urls, *date, err[256];

	urls = parse_urls(FM_YAML, "title: a\nsources: [{url: x}\n", &date,
	    err, sizeof(err));
	ck_assert_ptr_null(urls);
	ck_assert_msg(strstr(err, "line ") == err, "%s", err);
	urls = parse_urls(FM_YAML, "- a list\n", &date, err, sizeof(err));
	ck_assert_ptr_null(urls);
	ck_assert_str_eq(err, "not a mapping of keys to values");
	urls = parse_urls(FM_YAML, "", &date, err, sizeof(err));
	ck_assert_str_eq(urls, "");
	free(urls);
	/* Aliases read as what they name. */
	urls = parse_urls(FM_YAML, "a: &s {url: x}\nsources: [*s]\n"
	    "date: null\n", &date, err, sizeof(err));
	ck_assert_str_eq(urls, "x");
	ck_assert_ptr_null(date);
	free(urls);
	urls = parse_urls(FM_JSON, "{\"sources\": [{\"url\": 1}, "
	    "{\"url\": \"j\"}], \"source\": {\"url\": \"k\"}}", &date,
	    err, sizeof(err));
	ck_assert_str_eq(urls, "j L:k");
	free(urls);
	urls = parse_urls(FM_JSON, "{\"a\": \n tru}", &date, err,
	    sizeof(err));
	ck_assert_ptr_null(urls);
	ck_assert_msg(strncmp(err, "line 3:", 7) == 0, "%s", err);
}
END_TEST

/* The post's title, tags and normalised sources, from each format. */
static void
assert_post(const struct postindex *idx, const char *name,
    const char *title, const char *tags, const char *urls)
{
	struct post_info	 pi;
	char			*t, *u, *tmp;
	size_t			 k, j;

	for (k = 0; postindex_post(idx, k, &pi); k++)
		if (strstr(pi.pi_path, name) != NULL)
			break;
	ck_assert_msg(k < postindex_count(idx), "%s not indexed", name);
	if (title == NULL)
		ck_assert_ptr_null(pi.pi_title);
	else
		ck_assert_str_eq(pi.pi_title, title);
	t = xstrdup("");
	for (j = 0; j < pi.pi_ntags; j++) {
		xasprintf(&tmp, "%s%s%s", t, j > 0 ? "," : "", pi.pi_tags[j]);
		free(t);
		t = tmp;
	}
	u = xstrdup("");
	for (j = 0; j < pi.pi_nurls; j++) {
		xasprintf(&tmp, "%s%s%s", u, j > 0 ? " " : "", pi.pi_urls[j]);
		free(u);
		u = tmp;
	}
	ck_assert_str_eq(t, tags);
	ck_assert_str_eq(u, urls);
	free(t);
	free(u);
}

START_TEST(test_titles_and_tags)
{
	struct postindex	*idx;
	struct post_info	 pi;
	char			*dir, err[256];

	xasprintf(&dir, "%s/tests/data/posts", test_srcdir());
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	assert_post(idx, "/2026-01-10-postgres-18-async-io.md",
	    "Postgres 18: \"async\" I/O", "postgresql,databases",
	    "https://www.postgresql.org/about/news/postgresql-18-released/ "
	    "https://fosstodon.org/@ops_jane/115600000000000001 "
	    "https://escape.example/a/b%C3%A9-joined");
	assert_post(idx, "/2026-01-15-toml-front-matter.md",
	    "A post with TOML front matter", "toml,hugo",
	    "https://toml.example/first https://toml.example/literal "
	    "https://toml.example/legacy-%C3%A9");
	assert_post(idx, "/2026-01-16-json-front-matter.md",
	    "A post with JSON front matter {and braces}", "json",
	    "https://json.example/story https://json.example/escaped%C3%A9");
	assert_post(idx, "/2026-01-18-flow-sources.md", "Flow-style sources",
	    "", "https://flow.example/story https://flow.example/repo "
	    "https://flow.example/legacy");
	ck_assert(!postindex_post(idx, postindex_count(idx), &pi));
	postindex_free(idx);
	free(dir);
}
END_TEST

/* Tags: strings of a top-level list only, in every format. */
START_TEST(test_tag_shapes)
{
	static const struct {
		enum fm_format	 format;
		const char	*text;
		const char	*tags;
		const char	*title;
	} cases[] = {
		{ FM_TOML, "title = 'T'\ntags = [\"a\", {x = \"no\"}, "
		    "[\"no\"], 1, 'b']\n[params]\ntags = [\"no\"]\n",
		    "a,b", "T" },
		{ FM_TOML, "[params]\ntitle = \"no\"\n", "", NULL },
		{ FM_YAML, "title: T\ntags: [a, \"b\", {x: no}, [no]]\n"
		    "params:\n  tags: [no]\n", "a,b", "T" },
		{ FM_YAML, "title: ~\ntags: a\n", "", NULL },
		{ FM_JSON, "{\"title\": \"T\", \"tags\": [\"a\", 2, "
		    "{\"x\": \"no\"}, \"b\"], \"params\": {\"tags\": "
		    "[\"no\"]}}", "a,b", "T" },
	};
	struct front_matter	 fm;
	char			 err[256], *t, *tmp;
	size_t			 i, j;

	for (i = 0; i < nitems(cases); i++) {
		memset(&fm, 0, sizeof(fm));
		ck_assert_msg(front_matter_parse(cases[i].format,
		    cases[i].text, strlen(cases[i].text), 2, &fm, err,
		    sizeof(err)) == 0, "case %zu: %s", i, err);
		t = xstrdup("");
		for (j = 0; j < fm.fm_ntags; j++) {
			xasprintf(&tmp, "%s%s%s", t, j > 0 ? "," : "",
			    fm.fm_tags[j]);
			free(t);
			t = tmp;
		}
		ck_assert_msg(strcmp(t, cases[i].tags) == 0, "case %zu: %s",
		    i, t);
		if (cases[i].title == NULL)
			ck_assert_ptr_null(fm.fm_title);
		else
			ck_assert_str_eq(fm.fm_title, cases[i].title);
		free(t);
		front_matter_release(&fm);
	}
}
END_TEST

Suite *
postindex_suite(void)
{
	Suite	*s = suite_create("postindex");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_fixture_find);
	tcase_add_test(tc, test_fixture_cooldown);
	tcase_add_test(tc, test_missing_and_unlistable);
	tcase_add_test(tc, test_crlf_and_dates);
	tcase_add_test(tc, test_same_post_twice);
	tcase_add_test(tc, test_many_posts);
	tcase_add_test(tc, test_toml_shapes);
	tcase_add_test(tc, test_yaml_json_errors);
	tcase_add_test(tc, test_titles_and_tags);
	tcase_add_test(tc, test_tag_shapes);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return (s);
}
