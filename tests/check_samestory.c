/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_samestory.c: one article per story.  Pairs of stories that are
 * one (a Hacker News item page and the article it discusses, a Mastodon
 * status linking a launch page and the item for that page, one title
 * under two URLs, one product version and most title words) and pairs
 * that are not (two Rust stories, two PostgreSQL features, two posts of
 * one site, two releases); then the same_story rule in the selection:
 * within one batch, against posts inside and outside SAME_STORY_DAYS,
 * under --force, and off; --only; and the dry-run plan naming what a
 * rejected candidate matched.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "e2e.h"
#include "item.h"
#include "postindex.h"
#include "samestory.h"
#include "select.h"
#include "tests.h"
#include "util.h"
#include "xmalloc.h"

#define NOW	1795154680	/* 2026-11-20T06:04:40Z */

/* Fill it with an item passing every selection rule. */
static void
item_fill(struct item *it, size_t index, const char *id, const char *source,
    const char *title, const char *url, const char *content,
    const char *topic, double q)
{
	memset(it, 0, sizeof(*it));
	it->it_index = index;
	it->it_id = xstrdup(id);
	it->it_title = xstrdup(title);
	it->it_content = xstrdup(content != NULL ? content : title);
	it->it_source = xstrdup(source);
	it->it_url = xstrdup(url);
	it->it_author = xstrdup("someone");
	it->it_research_summary = xstrdup("Two paragraphs of research about "
	    "the story, with NASA named once.");
	it->it_topics = xreallocarray(NULL, 2, sizeof(char *));
	it->it_topics[0] = xstrdup(topic);
	it->it_topics[1] = xstrdup("software");
	it->it_ntopics = 2;
	it->it_quality = q;
	it->it_heuristic = 0.5;
	it->it_ai = 0.6;
}

static double
item_similarity(const struct item *a, const struct item *b)
{
	struct story	*sa, *sb;
	double		 s1, s2;

	sa = story_of_item(a);
	sb = story_of_item(b);
	s1 = story_similarity(sa, sb);
	s2 = story_similarity(sb, sa);
	ck_assert_msg(s1 == s2, "not symmetric: %.3f %.3f", s1, s2);
	story_free(sa);
	story_free(sb);
	return (s1);
}

struct pair {
	const char	*source[2];
	const char	*title[2];
	const char	*url[2];
	const char	*content[2];	/* NULL: the title */
	const char	*topic;
};

/* The stories of each pair are one: the first two are the issue's. */
static const struct pair same_pairs[] = {
	/* a Hacker News item page and the article it discusses */
	{ { "hackernews", "hackernews" },
	  { "The hidden cost of async Rust executors",
	    "The hidden cost of async Rust executors" },
	  { "https://news.ycombinator.com/item?id=46100001",
	    "https://blog.example.net/2026/hidden-cost-async-executors" },
	  { NULL, NULL }, "rust" },
	/* a Mastodon status linking the launch page, and that page */
	{ { "mastodon", "hackernews" },
	  { "We just released Foo 2.0 with incremental builds and a new "
	    "plugin API...", "Foo 2.0" },
	  { "https://fosstodon.org/@foo/115600000000000009",
	    "https://foo.dev/blog/foo-2-0" },
	  { "We just released Foo 2.0 with incremental builds and a new "
	    "plugin API! Read all about it: https://foo.dev/blog/foo-2-0 "
	    "#foo #release", NULL }, "build tools" },
	/* one title, two URLs (with a site's suffix on one) */
	{ { "hackernews", "reddit" },
	  { "How we cut our CI bill in half with spot runners",
	    "How we cut our CI bill in half with spot runners | Acme Blog" },
	  { "https://acme.example/blog/ci-bill",
	    "https://www.reddit.com/r/devops/comments/abc123/ci_bill/" },
	  { NULL, NULL }, "ci" },
	/* one product version and most title words */
	{ { "hackernews", "mastodon" },
	  { "PostgreSQL 18 released with asynchronous I/O",
	    "PostgreSQL 18 brings asynchronous I/O to every query" },
	  { "https://www.postgresql.org/about/news/postgresql-18-released/",
	    "https://hachyderm.io/@pgfan/115600000000000010" },
	  { NULL, "PostgreSQL 18 brings asynchronous I/O to every query, "
	    "and the benchmarks look good." }, "postgresql" },
	/* a shared CVE id and most of the words */
	{ { "hackernews", "hackernews" },
	  { "CVE-2026-12345: remote code execution in libfoo parser",
	    "libfoo parser flaw CVE-2026-12345 allows remote code execution" },
	  { "https://security.example.org/advisories/libfoo-parser",
	    "https://lwn.example.net/Articles/998877/" },
	  { NULL, NULL }, "security" },
};

/* Same topic, different stories: each pair must give two articles. */
static const struct pair other_pairs[] = {
	/* two stories about Rust */
	{ { "hackernews", "hackernews" },
	  { "Rust 1.80 stabilises LazyCell and LazyLock",
	    "Rust in the Linux kernel: a progress report" },
	  { "https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html",
	    "https://lwn.example.net/Articles/112233/" },
	  { NULL, NULL }, "rust" },
	/* two PostgreSQL articles on different features */
	{ { "hackernews", "hackernews" },
	  { "PostgreSQL 18 adds asynchronous I/O",
	    "PostgreSQL 18 adds virtual generated columns" },
	  { "https://pg.example.org/blog/async-io",
	    "https://pg.example.org/blog/virtual-columns" },
	  { NULL, NULL }, "postgresql" },
	/* one site, two posts */
	{ { "hackernews", "mastodon" },
	  { "Foo 2.0 is out",
	    "The Foo team on moving their CI to self-hosted runners" },
	  { "https://foo.dev/blog/foo-2-0",
	    "https://fosstodon.org/@foo/115600000000000011" },
	  { NULL, "The Foo team on moving their CI to self-hosted runners: "
	    "https://foo.dev/blog/ci-runners" }, "build tools" },
	/* two releases of one product */
	{ { "hackernews", "hackernews" },
	  { "Rust 1.79 released", "Rust 1.80 released" },
	  { "https://blog.rust-lang.org/2024/06/13/Rust-1.79.0.html",
	    "https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html" },
	  { NULL, NULL }, "rust" },
	/* two statuses that only share their opening words */
	{ { "mastodon", "mastodon" },
	  { "New blog post: https://a.example/one",
	    "New blog post: https://b.example/two" },
	  { "https://fosstodon.org/@a/1", "https://fosstodon.org/@b/2" },
	  { NULL, NULL }, "blogging" },
	/* one site's front page linked by two stories */
	{ { "mastodon", "mastodon" },
	  { "Trying out the Zig build system for a C project",
	    "Why our team moved from Go to Zig for the parser" },
	  { "https://fosstodon.org/@a/3", "https://fosstodon.org/@b/4" },
	  { "Trying out the Zig build system for a C project, see "
	    "https://ziglang.org/", "Why our team moved from Go to Zig "
	    "for the parser (https://ziglang.org/)" }, "zig" },
};

static void
pair_items(const struct pair *p, struct item it[2])
{
	item_fill(&it[0], 0, "a", p->source[0], p->title[0], p->url[0],
	    p->content[0], p->topic, 0.8);
	item_fill(&it[1], 1, "b", p->source[1], p->title[1], p->url[1],
	    p->content[1], p->topic, 0.7);
}

START_TEST(test_same_story_pairs)
{
	struct item	it[2];
	double		s;

	pair_items(&same_pairs[_i], it);
	s = item_similarity(&it[0], &it[1]);
	ck_assert_msg(s >= STORY_THRESHOLD, "'%s' / '%s': %.3f < %.2f",
	    it[0].it_title, it[1].it_title, s, STORY_THRESHOLD);
	item_release(&it[0]);
	item_release(&it[1]);
}
END_TEST

START_TEST(test_other_story_pairs)
{
	struct item	it[2];
	double		s;

	pair_items(&other_pairs[_i], it);
	s = item_similarity(&it[0], &it[1]);
	ck_assert_msg(s < STORY_THRESHOLD, "'%s' / '%s': %.3f >= %.2f",
	    it[0].it_title, it[1].it_title, s, STORY_THRESHOLD);
	item_release(&it[0]);
	item_release(&it[1]);
}
END_TEST

/* A post's title, tags and sources describe its story. */
START_TEST(test_post_story)
{
	static const char *const tags[] = { "PostgreSQL", "databases" };
	static const char *const urls[] = {
	    "https://www.postgresql.org/about/news/postgresql-18-released/" };
	struct post_info	 pi;
	struct item		 it[2];
	struct story		*sp, *si;

	memset(&pi, 0, sizeof(pi));
	pi.pi_path = "posts/pg.md";
	pi.pi_title = "Postgres 18 Ships Asynchronous I/O for Faster Reads";
	pi.pi_tags = tags;
	pi.pi_ntags = 2;
	pi.pi_urls = urls;
	pi.pi_nurls = 1;
	sp = story_of_post(&pi);
	/* a status linking the post's source */
	item_fill(&it[0], 0, "m", "mastodon", "Finally upgraded our "
	    "cluster", "https://hachyderm.io/@ops/1", "Finally upgraded our "
	    "cluster, the notes are here: https://postgresql.org/about/news/"
	    "postgresql-18-released", "postgresql", 0.8);
	si = story_of_item(&it[0]);
	ck_assert_double_eq(story_similarity(sp, si), 1.0);
	story_free(si);
	/* the same title words, no shared URL */
	item_fill(&it[1], 1, "h", "hackernews", "Postgres 18 ships "
	    "asynchronous I/O for faster reads", "https://pg.example/aio",
	    NULL, "postgresql", 0.8);
	si = story_of_item(&it[1]);
	ck_assert_double_ge(story_similarity(sp, si), STORY_THRESHOLD);
	story_free(si);
	story_free(sp);
	item_release(&it[0]);
	item_release(&it[1]);
}
END_TEST

/* The index finds the best match, and nothing among unrelated stories. */
START_TEST(test_index_match)
{
	struct story_index	*si;
	struct item		 it;
	struct story		*s;
	char			 id[32], title[128], url[128];
	size_t			 k, m = 99;
	double			 score = 0;

	si = story_index_new();
	for (k = 0; k < 300; k++) {
		snprintf(id, sizeof(id), "i%zu", k);
		snprintf(title, sizeof(title), "Benchmark story %zu about "
		    "storage engine %zu", k, k);
		snprintf(url, sizeof(url), "https://bench.example.org/post/%zu",
		    k);
		item_fill(&it, k, id, "hackernews", title, url, NULL,
		    "storage", 0.5);
		s = story_of_item(&it);
		ck_assert_msg(!story_index_match(si, s, &m, &score),
		    "story %zu matched %zu (%.2f)", k, m, score);
		ck_assert_uint_eq(story_index_add(si, s), k);
		item_release(&it);
	}
	item_fill(&it, 300, "x", "mastodon", "Story 123 of the benchmark",
	    "https://fosstodon.org/@x/1", "About https://bench.example.org/"
	    "post/123 and more", "storage", 0.5);
	s = story_of_item(&it);
	ck_assert(story_index_match(si, s, &m, &score));
	ck_assert_uint_eq(m, 123);
	ck_assert_double_eq(score, 1.0);
	story_free(s);
	item_release(&it);
	story_index_free(si);
}
END_TEST

static void
set_add(struct item_set *set, const char *id, const char *source,
    const char *title, const char *url, const char *content, double q)
{
	set->is_items = xreallocarray(set->is_items, set->is_nitems + 1,
	    sizeof(*set->is_items));
	item_fill(&set->is_items[set->is_nitems], set->is_nitems, id, source,
	    title, url, content, "releases", q);
	set->is_nitems++;
	set->is_ntotal = set->is_nitems;
}

static void
opts_init(struct select_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->so_quality_threshold = 0.5;
	o->so_cooldown_days = 7;
	o->so_max_articles = 10;
	o->so_now = NOW;
	o->so_same_story_days = 14;
}

/*
 * The batch of the selection tests: a status about Foo 2.0 (best
 * quality), the launch page itself, an HN item page with the page's
 * title, and an unrelated story on the same site.
 */
static void
batch_init(struct item_set *set)
{
	memset(set, 0, sizeof(*set));
	set->is_path = xstrdup("mem.json");
	set_add(set, "hn_1", "hackernews", "Foo 2.0: incremental builds "
	    "and a plugin API", "https://foo.dev/blog/foo-2-0", NULL, 0.7);
	set_add(set, "mastodon_2", "mastodon", "We just released Foo 2.0 "
	    "with incremental builds...", "https://fosstodon.org/@foo/2",
	    "We just released Foo 2.0 with incremental builds! "
	    "https://foo.dev/blog/foo-2-0", 0.9);
	set_add(set, "hn_3", "hackernews", "Foo 2.0: incremental builds and "
	    "a plugin API", "https://news.ycombinator.com/item?id=3", NULL,
	    0.6);
	set_add(set, "hn_4", "hackernews", "The Foo team moves its CI to "
	    "self-hosted runners", "https://foo.dev/blog/ci-runners", NULL,
	    0.8);
}

static const char *
reason_of(const struct selection *sel, size_t i)
{
	return (sel->sel_item_reason[i] != NULL ? sel->sel_item_reason[i] :
	    "picked");
}

/* Within one batch the later candidate in quality order goes. */
START_TEST(test_select_batch)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;

	batch_init(&set);
	opts_init(&o);
	select_candidates(&set, NULL, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 2);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, 1);	/* mastodon_2 */
	ck_assert_uint_eq(sel.sel_picks[1].sp_item, 3);	/* hn_4 */
	ck_assert_msg(strncmp(reason_of(&sel, 0), "same_story (1.00, "
	    "items[1] id mastodon_2)", 40) == 0, "%s", reason_of(&sel, 0));
	ck_assert_str_eq(sel.sel_item_note[0], "same story as items[1] "
	    "mastodon_2 (similarity 1.00)");
	ck_assert_msg(strstr(sel.sel_item_note[2], "same story as items[1] "
	    "mastodon_2") != NULL || strstr(sel.sel_item_note[2],
	    "same story as items[0] hn_1") != NULL, "%s",
	    sel.sel_item_note[2]);
	ck_assert_uint_eq(sel.sel_nrejects, 1);
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason, "same_story");
	ck_assert_uint_eq(sel.sel_rejects[0].sr_count, 2);
	selection_release(&sel);

	/* SAME_STORY_DAYS = 0 turns the rule off */
	o.so_same_story_days = 0;
	select_candidates(&set, NULL, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 4);
	selection_release(&sel);
	item_set_release(&set);
}
END_TEST

/* Write a YAML post dated days before NOW. */
static void
write_post(const char *dir, const char *name, int days, const char *title,
    const char *url)
{
	char	*path, *text, date[32];

	format_utc_iso(date, sizeof(date), NOW - (int64_t)days * 86400);
	xasprintf(&path, "%s/%s", dir, name);
	xasprintf(&text, "---\ndate: \"%s\"\ntitle: \"%s\"\ntags:\n"
	    "  - \"releases\"\nsources:\n  - url: \"%s\"\n---\n\nBody.\n",
	    date, title, url);
	ck_assert_int_eq(test_write_file(path, text), 0);
	free(text);
	free(path);
}

/* Against posts: inside SAME_STORY_DAYS the post wins, outside not. */
START_TEST(test_select_against_posts)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx;
	char			*dir, err[256];

	dir = test_tmpdir("samestory");
	/* the launch, covered 3 days ago from the HN item page */
	write_post(dir, "2026-11-17-foo-2.md", 3, "Foo 2.0 Brings "
	    "Incremental Builds", "https://news.ycombinator.com/item?id=3");
	/* the CI story, covered 30 days ago */
	write_post(dir, "2026-10-21-foo-ci.md", 30, "The Foo team moves its "
	    "CI to self-hosted runners", "https://foo.example/old-ci");
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	batch_init(&set);
	/* hn_3 names the post's source: rule 7 keeps it out first */
	opts_init(&o);
	select_candidates(&set, idx, &o, &sel);
	ck_assert_msg(strncmp(reason_of(&sel, 2), "source_already_published",
	    24) == 0, "%s", reason_of(&sel, 2));
	ck_assert_msg(strncmp(reason_of(&sel, 1), "same_story", 10) == 0,
	    "%s", reason_of(&sel, 1));
	ck_assert_msg(strstr(sel.sel_item_note[1], "same story as ") != NULL &&
	    strstr(sel.sel_item_note[1], "/2026-11-17-foo-2.md (similarity ")
	    != NULL, "%s", sel.sel_item_note[1]);
	ck_assert_ptr_nonnull(sel.sel_item_post[1]);
	ck_assert_msg(strncmp(reason_of(&sel, 0), "same_story", 10) == 0,
	    "%s", reason_of(&sel, 0));
	ck_assert_msg(strstr(sel.sel_item_note[0], "2026-11-17-foo-2.md") !=
	    NULL, "%s", sel.sel_item_note[0]);
	/* 30 days old: outside the 14 days, so hn_4 is written */
	ck_assert_str_eq(reason_of(&sel, 3), "picked");
	ck_assert_uint_eq(sel.sel_npicks, 1);
	selection_release(&sel);

	/* 31 days: both posts count, hn_4 goes too */
	o.so_same_story_days = 31;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_msg(strstr(reason_of(&sel, 3), "2026-10-21-foo-ci.md") !=
	    NULL, "%s", reason_of(&sel, 3));
	ck_assert_uint_eq(sel.sel_npicks, 0);
	selection_release(&sel);

	/* 2 days: the launch post is too old to count */
	o.so_same_story_days = 2;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 2);
	ck_assert_str_eq(reason_of(&sel, 1), "picked");
	selection_release(&sel);

	/* --force: posts may be replaced, the batch rule stays */
	o.so_same_story_days = 14;
	o.so_force = 1;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 2);
	ck_assert_str_eq(reason_of(&sel, 1), "picked");
	ck_assert_msg(strstr(reason_of(&sel, 0), "mastodon_2") != NULL, "%s",
	    reason_of(&sel, 0));
	selection_release(&sel);

	item_set_release(&set);
	postindex_free(idx);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* --only: the others are not_requested; an unknown id is found. */
START_TEST(test_select_only)
{
	static const char *const only[] = { "hn_4", "hn_1" };
	static const char *const unknown[] = { "hn_1", "hn_99" };
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;

	batch_init(&set);
	opts_init(&o);
	o.so_only = only;
	o.so_nonly = 2;
	ck_assert_ptr_null(select_only_unknown(&set, &o));
	select_candidates(&set, NULL, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 2);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, 3);
	ck_assert_uint_eq(sel.sel_picks[1].sp_item, 0);
	ck_assert_str_eq(reason_of(&sel, 1), "not_requested");
	ck_assert_str_eq(reason_of(&sel, 2), "not_requested");
	ck_assert_uint_eq(sel.sel_nrejects, 1);
	ck_assert_uint_eq(sel.sel_rejects[0].sr_count, 2);
	selection_release(&sel);

	o.so_only = unknown;
	ck_assert_str_eq(select_only_unknown(&set, &o), "hn_99");
	item_set_release(&set);
}
END_TEST

/* The sample input with two more items telling the same stories. */
static void
write_dup_input(const char *dir)
{
	char	*path, *data, *at, *out;

	xasprintf(&path, "%s/examples/enriched_20261120_060440.json",
	    test_srcdir());
	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	free(path);
	at = strstr(data, "\"items\": [");
	ck_assert_ptr_nonnull(at);
	at += strlen("\"items\": [");
	xasprintf(&out, "%.*s\n    {\"original\": {\"id\": \"mastodon_dup\", "
	    "\"title\": \"PostgreSQL 18 is out, async I/O at last\", "
	    "\"content\": \"PostgreSQL 18 is out, async I/O at last: "
	    "https://www.postgresql.org/about/news/postgresql-18-released/ "
	    "#postgres\", \"source\": \"mastodon\", \"url\": "
	    "\"https://fosstodon.org/@dba/115600000000000077\", \"author\": "
	    "\"dba\", \"collected_at\": \"2026-11-20 06:01:12.000000+00:00\", "
	    "\"metadata\": {}}, \"research_summary\": \"PostgreSQL 18 adds an "
	    "asynchronous I/O subsystem.\", \"related_sources\": [], "
	    "\"topics\": [\"postgresql\"], \"quality_score\": 0.51, "
	    "\"heuristic_score\": 0.5, \"ai_score\": 0.5},%s", (int)(at - data),
	    data, at);
	xasprintf(&path, "%s/enriched.json", dir);
	ck_assert_int_eq(test_write_file(path, out), 0);
	free(path);
	free(out);
	free(data);
}

/* --dry-run shows same_story with what the candidate matched; --only. */
START_TEST(test_dry_run_same_story)
{
	const char	*args[] = { "--dry-run", "-o", "posts", "enriched.json",
	    NULL, NULL, NULL };
	char		*dir, *path, *out, *err;
	int		 rc;

	dir = test_tmpdir("samedry");
	write_dup_input(dir);
	xasprintf(&path, "%s/posts", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
	rc = run_articlegen(dir, args, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "same_story: 1") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "  items[0] mastodon_dup: same story as "
	    "items[1] hn_46100001 (similarity 1.00)\n") != NULL, "%s", out);
	free(out);
	free(err);

	/* --only: just that item; an id not in the input is exit 65 */
	args[3] = "--only";
	args[4] = "hn_46100001";
	args[5] = "enriched.json";
	rc = run_articlegen(dir, args, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "Dry run: 1 article would") != NULL, "%s",
	    out);
	ck_assert_msg(strstr(out, "not_requested: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "same_story") == NULL, "%s", out);
	free(out);
	free(err);
	args[4] = "hn_nope";
	rc = run_articlegen(dir, args, NULL, &out, &err);
	ck_assert_int_eq(rc, 65);
	ck_assert_msg(strstr(err, "--only hn_nope: no valid item with that "
	    "id in enriched.json") != NULL, "%s", err);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * A run (against the stand-in server) writes one article of the two,
 * and its summary and report name what the other matched.
 */
START_TEST(test_run_names_same_story)
{
	const char	*args[] = { "-o", "posts", "--jobs", "1", "--only",
	    "hn_46100001", "--only", "mastodon_dup", "--report",
	    "report.json", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *path, *out, *err, *report;
	int		 rc;

	dir = test_tmpdir("samerun");
	write_dup_input(dir);
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(standin_requests(&e2e_standin), 2);
	ck_assert_msg(strstr(out, "same_story: 1") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "  items[0] mastodon_dup: same story as "
	    "items[1] hn_46100001 (similarity 1.00)\n") != NULL, "%s", out);
	xasprintf(&path, "%s/report.json", dir);
	report = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(report);
	ck_assert_msg(strstr(report, "same_story (1.00, items[1] id "
	    "hn_46100001)") != NULL, "%s", report);
	ck_assert_msg(strstr(report, "not_requested") != NULL, "%s", report);
	free(report);
	free(path);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
samestory_suite(void)
{
	Suite	*s = suite_create("samestory");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_same_story_pairs, 0,
	    (int)(sizeof(same_pairs) / sizeof(same_pairs[0])));
	tcase_add_loop_test(tc, test_other_story_pairs, 0,
	    (int)(sizeof(other_pairs) / sizeof(other_pairs[0])));
	tcase_add_test(tc, test_post_story);
	tcase_add_test(tc, test_index_match);
	tcase_add_test(tc, test_select_batch);
	tcase_add_test(tc, test_select_against_posts);
	tcase_add_test(tc, test_select_only);
	tcase_add_test(tc, test_dry_run_same_story);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_run_names_same_story);
	suite_add_tcase(s, tc);
	return (s);
}
