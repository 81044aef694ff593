/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_select.c: candidate selection.  One test per rejection rule with
 * items built in memory, then the rule order, the quality sort, the
 * promotion of one list item, the cap, --force, duplicates inside one
 * batch, one article per existing post, the whole selection on the sample
 * enriched file, posts in every front matter format, and the dry-run plan
 * naming the post that covers a source.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "e2e.h"
#include "item.h"
#include "log.h"
#include "postindex.h"
#include "select.h"
#include "tests.h"
#include "util.h"
#include "xmalloc.h"

#define NOW	1795154680	/* 2026-11-20T06:04:40Z */
#define DAY	86400

/* Defaults that pass every rule. */
#define CONTENT	"A release announcement that mentions NASA once."
#define TOPICS	"databases,performance"
#define SUMMARY	"Two paragraphs of research."

static void
opts_init(struct select_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->so_quality_threshold = 0.5;
	o->so_cooldown_days = 7;
	o->so_max_articles = 10;
	o->so_now = NOW;
}

static char **
split_topics(const char *s, size_t *np)
{
	char	**v = NULL, *copy, *p, *tok;
	size_t	  n = 0;

	*np = 0;
	if (s == NULL || *s == '\0')
		return (NULL);
	copy = xstrdup(s);
	for (p = copy; (tok = strsep(&p, ",")) != NULL;) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = xstrdup(tok);
	}
	free(copy);
	*np = n;
	return (v);
}

/* Append an item to set; content, topics and summary may be NULL. */
static struct item *
add_item(struct item_set *set, const char *id, const char *url, double q,
    const char *content, const char *topics, const char *summary)
{
	struct item	*it;

	set->is_items = xreallocarray(set->is_items, set->is_nitems + 1,
	    sizeof(*set->is_items));
	it = &set->is_items[set->is_nitems];
	memset(it, 0, sizeof(*it));
	it->it_index = set->is_nitems++;
	set->is_ntotal = set->is_nitems;
	it->it_id = xstrdup(id);
	it->it_title = xstrdup("A story");
	it->it_content = xstrdup(content != NULL ? content : CONTENT);
	it->it_source = xstrdup("hackernews");
	it->it_url = xstrdup(url);
	it->it_author = xstrdup("someone");
	it->it_research_summary = xstrdup(summary != NULL ? summary : SUMMARY);
	it->it_topics = split_topics(topics != NULL ? topics : TOPICS,
	    &it->it_ntopics);
	it->it_quality = q;
	it->it_heuristic = 0.2;
	it->it_ai = 0.4;
	return (it);
}

static void
set_init(struct item_set *set)
{
	memset(set, 0, sizeof(*set));
	set->is_path = xstrdup("mem.json");
}

static struct postindex *
empty_index(void)
{
	char	err[256];

	return (postindex_build("/nonexistent/articlegen/posts", err,
	    sizeof(err)));
}

/*
 * The reason the single item it (already in set) is rejected for, or
 * "" when it is picked.  Copied into a static buffer.
 */
static const char *
verdict(struct item_set *set, const struct postindex *idx,
    const struct select_opts *opts)
{
	static char		 reason[64];
	struct selection	 sel;

	select_candidates(set, idx, opts, &sel);
	ck_assert_uint_eq(sel.sel_npicks + (sel.sel_nrejects > 0 ?
	    sel.sel_rejects[0].sr_count : 0), 1);
	snprintf(reason, sizeof(reason), "%s", sel.sel_nrejects > 0 ?
	    sel.sel_rejects[0].sr_reason : "");
	selection_release(&sel);
	return (reason);
}

/* The verdict on one item with the given content, topics and summary. */
static const char *
verdict_for(const char *url, double q, const char *content,
    const char *topics, const char *summary, const char *title)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct postindex	*idx = empty_index();
	struct item		*it;
	static char		 reason[64];

	set_init(&set);
	opts_init(&o);
	it = add_item(&set, "one", url, q, content, topics, summary);
	if (title != NULL) {
		free(it->it_title);
		it->it_title = xstrdup(title);
	}
	snprintf(reason, sizeof(reason), "%s", verdict(&set, idx, &o));
	item_set_release(&set);
	postindex_free(idx);
	return (reason);
}

#define URL	"https://example.com/story"

START_TEST(test_rule_low_quality)
{
	ck_assert_str_eq(verdict_for(URL, 0.49, NULL, NULL, NULL, NULL),
	    "low_quality");
	/* The threshold itself passes. */
	ck_assert_str_eq(verdict_for(URL, 0.5, NULL, NULL, NULL, NULL), "");
	/* Failing rules 1 and 4, it counts under the first. */
	ck_assert_str_eq(verdict_for(URL, 0.3, NULL, "", NULL, NULL),
	    "low_quality");
	ck_assert_str_eq(verdict_for(URL, 0.6, NULL, "", NULL, NULL),
	    "no_topics_identified");
}
END_TEST

START_TEST(test_rule_list_items)
{
	const char	*list = "awesome-go: A curated list of Go frameworks";

	ck_assert_str_eq(verdict_for(URL, 0.8, "x", "", SUMMARY, list),
	    "list_format_but_no_topics");
	/* With topics a list item skips the text rules 3-6. */
	ck_assert_str_eq(verdict_for(URL, 0.8, "x", "go", "Research "
	    "unavailable", list), "");
	ck_assert_str_eq(verdict_for("not-a-url", 0.8, "x", "go", "", list),
	    "");
	/* ... but not the quality rule. */
	ck_assert_str_eq(verdict_for(URL, 0.4, "x", "", "", list),
	    "low_quality");
}
END_TEST

START_TEST(test_rule_too_short)
{
	static const struct {
		const char	*content;
		int		 short_;
	} cases[] = {
		{ "a small thing", 1 },
		{ "an acronym: NASA", 0 },
		{ "two digits: 18", 0 },
		{ "a link http", 0 },
		{ "a link HTTPS://x", 0 },		/* case-insensitive */
		{ "one letter X only", 1 },
		{ "eleven ABCDEFGHIJK letters", 1 },	/* {2,10} */
		{ "ten ABCDEFGHIJ letters", 0 },
		{ "camelCase fooBAR", 1 },		/* no \b before B */
		{ "BARfoo", 1 },			/* no \b after R */
		{ "snake_CASE", 1 },			/* '_' is a word char */
		{ "(AB)", 0 },
		{ "e-MAIL", 0 },			/* "-MAIL" matches */
		{ "a -- b", 1 },			/* no boundaries */
		{ "caf\xc3\xa9" "AB", 1 },		/* 'e acute' is \w */
		{ "\xe2\x80\x9c" "AB\xe2\x80\x9d", 0 },	/* quotes are not */
		{ "lower case only, no links", 1 },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++)
		ck_assert_msg(strcmp(verdict_for(URL, 0.7, cases[i].content,
		    NULL, NULL, NULL), cases[i].short_ ? "too_short" : "") == 0,
		    "case %zu '%s'", i, cases[i].content);

	/* 199 characters are short, 200 are not. */
	s = xmalloc(401);
	memset(s, 'a', 199);
	s[199] = '\0';
	ck_assert_str_eq(verdict_for(URL, 0.7, s, NULL, NULL, NULL),
	    "too_short");
	memset(s, 'a', 200);
	s[200] = '\0';
	ck_assert_str_eq(verdict_for(URL, 0.7, s, NULL, NULL, NULL), "");
	/* Characters, not bytes: 199 two-byte characters are short. */
	for (i = 0; i < 199; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	s[398] = '\0';
	ck_assert_str_eq(verdict_for(URL, 0.7, s, NULL, NULL, NULL),
	    "too_short");
	free(s);
}
END_TEST

START_TEST(test_rule_no_topics)
{
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, "", NULL, NULL),
	    "no_topics_identified");
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, "one", NULL, NULL), "");
}
END_TEST

START_TEST(test_rule_no_usable_source)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct postindex	*idx = empty_index();
	struct item		*it;

	/* The item's own http(s) URL is a usable source. */
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, NULL, NULL, NULL), "");
	/* Without it (only items built in memory lack one) ... */
	ck_assert_str_eq(verdict_for("not-a-url", 0.7, NULL, NULL, NULL, NULL),
	    "no_usable_source_urls");
	/* ... "http" in the content counts, case-sensitively here. */
	ck_assert_str_eq(verdict_for("not-a-url", 0.7, "see http://x.example",
	    NULL, NULL, NULL), "");
	ck_assert_str_eq(verdict_for("not-a-url", 0.7, "see HTTP://x.example",
	    NULL, NULL, NULL), "no_usable_source_urls");
	/* ... and so does a related source. */
	set_init(&set);
	opts_init(&o);
	it = add_item(&set, "rel", "not-a-url", 0.7, NULL, NULL, NULL);
	it->it_related = xcalloc(1, sizeof(*it->it_related));
	it->it_related[0] = xstrdup("https://related.example/");
	it->it_nrelated = 1;
	ck_assert_str_eq(verdict(&set, idx, &o), "");
	item_set_release(&set);
	postindex_free(idx);
}
END_TEST

START_TEST(test_rule_research)
{
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, NULL, "Research "
	    "unavailable", NULL), "research_unavailable");
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, NULL, "  RESEARCH "
	    "UNAVAILABLE: timeout", NULL), "research_unavailable");
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, NULL, " \n\t ", NULL),
	    "research_unavailable");
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, NULL, "", NULL),
	    "research_unavailable");
	ck_assert_str_eq(verdict_for(URL, 0.7, NULL, NULL, "Research is "
	    "unavailable for now", NULL), "");
}
END_TEST

/*
 * A content directory with a post naming https://published.example/a in
 * sources (3 days old) and one naming https://legacy.example/b in the
 * legacy source (a year old).
 */
static struct postindex *
published_index(char **dirp)
{
	struct postindex	*idx;
	char			*path, *text, date[32], err[256];

	*dirp = test_tmpdir("selposts");
	format_utc_iso(date, sizeof(date), NOW - 3 * DAY);
	xasprintf(&path, "%s/recent.md", *dirp);
	xasprintf(&text, "---\ndate: %s\nsources:\n- url: "
	    "https://published.example/a\n---\n", date);
	ck_assert_int_eq(test_write_file(path, text), 0);
	free(path);
	free(text);
	xasprintf(&path, "%s/legacy.md", *dirp);
	ck_assert_int_eq(test_write_file(path, "---\ndate: 2025-11-20\n"
	    "source:\n  url: https://legacy.example/b\n---\n"), 0);
	free(path);
	idx = postindex_build(*dirp, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	ck_assert_uint_eq(postindex_count(idx), 2);
	return (idx);
}

START_TEST(test_rule_published_and_force)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx;
	char			*dir;

	idx = published_index(&dir);
	set_init(&set);
	opts_init(&o);
	/* Matched after normalisation (host case, fragment). */
	add_item(&set, "pub", "https://Published.example/a#comments", 0.9,
	    NULL, NULL, NULL);
	add_item(&set, "leg", "https://legacy.example/b", 0.8, NULL, NULL,
	    NULL);
	/* A list item is checked too (§9 item 11). */
	add_item(&set, "list", "https://published.example/a", 0.7,
	    "awesome-things", "lists", NULL);
	add_item(&set, "new", "https://fresh.example/c", 0.6, NULL, NULL, NULL);
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 1);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, 3);
	ck_assert_ptr_null(sel.sel_picks[0].sp_replace);
	ck_assert_uint_eq(sel.sel_nrejects, 1);
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason,
	    "source_already_published");
	ck_assert_uint_eq(sel.sel_rejects[0].sr_count, 3);
	selection_release(&sel);

	/*
	 * --force keeps them, with the post to replace; the 3-day-old post
	 * does not put the first in cooldown either.  The list item names
	 * the same URL as "pub", so it is a duplicate in this batch.
	 */
	o.so_force = 1;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 3);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, 0);
	ck_assert_ptr_nonnull(sel.sel_picks[0].sp_replace);
	ck_assert(strstr(sel.sel_picks[0].sp_replace, "/recent.md") != NULL);
	ck_assert_uint_eq(sel.sel_picks[1].sp_item, 1);
	ck_assert(strstr(sel.sel_picks[1].sp_replace, "/legacy.md") != NULL);
	ck_assert_uint_eq(sel.sel_picks[2].sp_item, 3);
	ck_assert_ptr_null(sel.sel_picks[2].sp_replace);
	ck_assert_uint_eq(sel.sel_nrejects, 1);
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason, "duplicate_in_batch");
	selection_release(&sel);

	item_set_release(&set);
	postindex_free(idx);
	test_rmtree(dir);
	free(dir);
}
END_TEST

static void
assert_order(const struct selection *sel, const size_t *want, size_t n)
{
	size_t	k;

	ck_assert_uint_eq(sel->sel_npicks, n);
	for (k = 0; k < n; k++)
		ck_assert_msg(sel->sel_picks[k].sp_item == want[k],
		    "pick %zu: item %zu, want %zu", k, sel->sel_picks[k].sp_item,
		    want[k]);
}

/* Qualities 0.6 0.9 0.7 0.9 and two list items at 0.56 and 0.55. */
static void
sort_set(struct item_set *set)
{
	set_init(set);
	add_item(set, "q60", "https://a.example/0", 0.6, NULL, NULL, NULL);
	add_item(set, "q90", "https://a.example/1", 0.9, NULL, NULL, NULL);
	add_item(set, "q70", "https://a.example/2", 0.7, NULL, NULL, NULL);
	add_item(set, "q90b", "https://a.example/3", 0.9, NULL, NULL, NULL);
	add_item(set, "list56", "https://a.example/4", 0.56,
	    "awesome-selfhosted", NULL, NULL);
	add_item(set, "list55", "https://a.example/5", 0.55,
	    "build your own x", NULL, NULL);
}

START_TEST(test_sort_diversity_cap)
{
	static const size_t	 plain[] = { 1, 3, 2, 0 };
	static const size_t	 diverse[] = { 4, 1, 3, 2, 0, 5 };
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx = empty_index();

	opts_init(&o);
	/*
	 * With the list items out (low quality): quality descending, ties
	 * in file order.
	 */
	sort_set(&set);
	set.is_items[4].it_quality = set.is_items[5].it_quality = 0.1;
	select_candidates(&set, idx, &o, &sel);
	assert_order(&sel, plain, nitems(plain));
	ck_assert_uint_eq(sel.sel_ncandidates, 4);
	selection_release(&sel);
	item_set_release(&set);

	/* The best list item goes first; the second stays in place. */
	sort_set(&set);
	select_candidates(&set, idx, &o, &sel);
	assert_order(&sel, diverse, nitems(diverse));
	ck_assert_uint_eq(sel.sel_ncandidates, 6);
	ck_assert_uint_eq(sel.sel_nrejects, 0);
	selection_release(&sel);

	/* The cap keeps the head of that order. */
	o.so_max_articles = 3;
	select_candidates(&set, idx, &o, &sel);
	assert_order(&sel, diverse, 3);
	ck_assert_uint_eq(sel.sel_ncandidates, 6);
	selection_release(&sel);

	o.so_max_articles = 0;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 0);
	ck_assert_ptr_null(sel.sel_picks);
	ck_assert_uint_eq(sel.sel_ncandidates, 6);
	selection_release(&sel);
	item_set_release(&set);

	/* An empty set selects nothing. */
	set_init(&set);
	o.so_max_articles = 10;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 0);
	ck_assert_uint_eq(sel.sel_nrejects, 0);
	selection_release(&sel);
	item_set_release(&set);
	postindex_free(idx);
}
END_TEST

START_TEST(test_batch_duplicate_and_counts)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx = empty_index();

	set_init(&set);
	opts_init(&o);
	add_item(&set, "first", "https://Dup.example/a#one", 0.6, NULL, NULL,
	    NULL);
	add_item(&set, "low", "https://b.example/", 0.2, NULL, NULL, NULL);
	/* Better, but later in the file: it is the duplicate. */
	add_item(&set, "second", "https://dup.example/a", 0.9, NULL, NULL,
	    NULL);
	add_item(&set, "notopics", "https://c.example/", 0.7, NULL, "", NULL);
	add_item(&set, "low2", "https://d.example/", 0.1, NULL, NULL, NULL);
	/* A rejected item does not claim its URL. */
	add_item(&set, "third", "https://b.example/", 0.8, NULL, NULL, NULL);
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 2);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, 5);
	ck_assert_uint_eq(sel.sel_picks[1].sp_item, 0);
	/* Reasons in order of first occurrence, with their counts. */
	ck_assert_uint_eq(sel.sel_nrejects, 3);
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason, "low_quality");
	ck_assert_uint_eq(sel.sel_rejects[0].sr_count, 2);
	ck_assert_str_eq(sel.sel_rejects[1].sr_reason, "duplicate_in_batch");
	ck_assert_uint_eq(sel.sel_rejects[1].sr_count, 1);
	ck_assert_str_eq(sel.sel_rejects[2].sr_reason, "no_topics_identified");
	ck_assert_uint_eq(sel.sel_rejects[2].sr_count, 1);
	selection_release(&sel);
	item_set_release(&set);
	postindex_free(idx);
}
END_TEST

static struct item_set *
load_sample(struct item_set *set)
{
	char	*path, err[256];
	int	 missing;

	xasprintf(&path, "%s/tests/data/items/sample.json", test_srcdir());
	ck_assert_int_eq(item_load_file(path, set, &missing, err,
	    sizeof(err)), 0);
	free(path);
	return (set);
}

/*
 * The sample file at threshold 0.5 with no posts, worked out by hand:
 * hn_46100002 fails rule 6 ("Research unavailable"), hn_46100003 rule 1
 * (0.31); hn_46100006 (1.7) did not load.  The other nine pass (the HN
 * titles carry "18", "JSONB", "6.18"; the others a link or 200+
 * characters; own URLs count as sources).  By quality: hn_46100001
 * 0.82, hn_46100004 0.79, github_880002 0.77, hn_46100005 0.73,
 * mastodon_..01 0.71, reddit_1q2w3e 0.69, github_880001 0.66,
 * mastodon_..03 0.62, mastodon_..02 0.58; github_880002
 * (awesome-selfhosted) is the only list item and moves to the front.
 */
static const char *const sample_order[] = {
	"github_880002", "hn_46100001", "hn_46100004", "hn_46100005",
	"mastodon_115600000000000001", "reddit_1q2w3e", "github_880001",
	"mastodon_115600000000000003", "mastodon_115600000000000002",
};

START_TEST(test_sample_selection)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx = empty_index();
	char			*dir, *logpath, *log, *path;
	size_t			 k;
	int			 fd, saved;

	load_sample(&set);
	opts_init(&o);
	dir = test_tmpdir("selsample");
	xasprintf(&logpath, "%s/stderr", dir);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_setverbose(1);
	select_candidates(&set, idx, &o, &sel);
	log_setverbose(0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);

	ck_assert_uint_eq(sel.sel_ncandidates, 9);
	ck_assert_uint_eq(sel.sel_npicks, nitems(sample_order));
	for (k = 0; k < sel.sel_npicks; k++) {
		ck_assert_str_eq(set.is_items[sel.sel_picks[k].sp_item].it_id,
		    sample_order[k]);
		ck_assert_ptr_null(sel.sel_picks[k].sp_replace);
	}
	ck_assert_uint_eq(sel.sel_nrejects, 2);
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason, "research_unavailable");
	ck_assert_uint_eq(sel.sel_rejects[0].sr_count, 1);
	ck_assert_str_eq(sel.sel_rejects[1].sr_reason, "low_quality");
	ck_assert_uint_eq(sel.sel_rejects[1].sr_count, 1);
	selection_release(&sel);

	log = test_read_file(logpath, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "items/sample.json: items[5] (id "
	    "hn_46100002): rejected: research_unavailable\n") != NULL, "%s",
	    log);
	ck_assert_msg(strstr(log, "items/sample.json: items[6] (id "
	    "hn_46100003): rejected: low_quality (AI: 0.31 < 0.50, heur: "
	    "0.25)\n") != NULL, "%s", log);
	free(log);
	free(logpath);

	/* A cap of 3 takes the head. */
	o.so_max_articles = 3;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 3);
	for (k = 0; k < 3; k++)
		ck_assert_str_eq(set.is_items[sel.sel_picks[k].sp_item].it_id,
		    sample_order[k]);
	selection_release(&sel);
	postindex_free(idx);

	/* A post naming hyperfine's repository takes it out. */
	xasprintf(&path, "%s/2026-11-01-hyperfine.md", dir);
	ck_assert_int_eq(test_write_file(path, "---\ndate: 2026-11-01\n"
	    "sources:\n- url: https://github.com/sharkdp/hyperfine\n---\n"), 0);
	free(path);
	idx = postindex_build(dir, NULL, 0);
	ck_assert_ptr_nonnull(idx);
	o.so_max_articles = 10;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 8);
	ck_assert_uint_eq(sel.sel_nrejects, 3);
	/* github_880001 is items[2], so its reason is counted first. */
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason,
	    "source_already_published");
	for (k = 0; k < sel.sel_npicks; k++)
		ck_assert_str_ne(set.is_items[sel.sel_picks[k].sp_item].it_id,
		    "github_880001");
	selection_release(&sel);
	postindex_free(idx);

	item_set_release(&set);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * Two items whose sources name the same existing post: without --force
 * both are already published there; with it only the better one may
 * replace the post, the other is rejected as "same_target", naming the
 * post and the item that keeps it.
 */
START_TEST(test_same_target)
{
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx;
	char			*dir, *path, err[256];
	size_t			 k;

	dir = test_tmpdir("seltarget");
	xasprintf(&path, "%s/shared.md", dir);
	ck_assert_int_eq(test_write_file(path, "---\ndate: 2025-01-01\n"
	    "sources:\n- url: https://one.example/a\n- url: "
	    "https://two.example/b\n---\n"), 0);
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	set_init(&set);
	opts_init(&o);
	add_item(&set, "first", "https://one.example/a", 0.7, NULL, NULL,
	    NULL);
	add_item(&set, "better", "https://two.example/b", 0.9, NULL, NULL,
	    NULL);
	add_item(&set, "fresh", "https://fresh.example/c", 0.6, NULL, NULL,
	    NULL);

	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 1);
	for (k = 0; k < 2; k++) {
		ck_assert_str_eq(sel.sel_item_post[k], path);
		ck_assert_msg(strstr(sel.sel_item_note[k], "already published "
		    "in ") == sel.sel_item_note[k], "%s", sel.sel_item_note[k]);
		ck_assert(strstr(sel.sel_item_note[k], path) != NULL);
	}
	ck_assert_ptr_null(sel.sel_item_post[2]);
	ck_assert_ptr_null(sel.sel_item_note[2]);
	selection_release(&sel);

	o.so_force = 1;
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 2);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, 1);
	ck_assert_str_eq(sel.sel_picks[0].sp_replace, path);
	ck_assert_uint_eq(sel.sel_picks[1].sp_item, 2);
	ck_assert_ptr_null(sel.sel_picks[1].sp_replace);
	ck_assert_uint_eq(sel.sel_ncandidates, 2);
	ck_assert_uint_eq(sel.sel_nrejects, 1);
	ck_assert_str_eq(sel.sel_rejects[0].sr_reason, "same_target");
	ck_assert_str_eq(sel.sel_item_post[0], path);
	ck_assert_msg(strstr(sel.sel_item_reason[0], "same_target (") ==
	    sel.sel_item_reason[0], "%s", sel.sel_item_reason[0]);
	ck_assert_msg(strstr(sel.sel_item_note[0], "is already the target "
	    "of items[1] better") != NULL, "%s", sel.sel_item_note[0]);
	selection_release(&sel);

	item_set_release(&set);
	postindex_free(idx);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * Posts in every front matter format and layout Hugo reads take their
 * sources out of the selection; the plan names the file covering each.
 */
START_TEST(test_published_in_every_format)
{
	static const struct {
		const char	*url;
		const char	*post;
	} cases[] = {
		{ "https://toml.example/first",
		    "/2026-01-15-toml-front-matter.md" },
		{ "https://json.example/story",
		    "/2026-01-16-json-front-matter.md" },
		{ "https://bundle.example/story",
		    "/2026-01-17-page-bundle/index.md" },
		{ "https://flow.example/story", "/2026-01-18-flow-sources.md" },
		{ "https://series.example/overview", "/series/_index.md" },
		{ "https://series.example/part-1", "/series/part-1.markdown" },
		{ "https://series.example/part-2", "/series/part-2.html" },
	};
	struct item_set		 set;
	struct select_opts	 o;
	struct selection	 sel;
	struct postindex	*idx;
	char			*dir, id[16], err[256];
	size_t			 k;

	xasprintf(&dir, "%s/tests/data/posts", test_srcdir());
	idx = postindex_build(dir, err, sizeof(err));
	ck_assert_ptr_nonnull(idx);
	set_init(&set);
	opts_init(&o);
	for (k = 0; k < nitems(cases); k++) {
		snprintf(id, sizeof(id), "it_%zu", k);
		add_item(&set, id, cases[k].url, 0.8, NULL, NULL, NULL);
	}
	/* A resource of a page bundle is not a post. */
	add_item(&set, "resource", "https://trap.example/bundle-resource", 0.8,
	    NULL, NULL, NULL);
	select_candidates(&set, idx, &o, &sel);
	ck_assert_uint_eq(sel.sel_npicks, 1);
	ck_assert_uint_eq(sel.sel_picks[0].sp_item, nitems(cases));
	for (k = 0; k < nitems(cases); k++) {
		ck_assert_msg(sel.sel_item_post[k] != NULL, "%s", cases[k].url);
		ck_assert_msg(strstr(sel.sel_item_post[k], cases[k].post) !=
		    NULL, "%s: %s", cases[k].url, sel.sel_item_post[k]);
		ck_assert_msg(strstr(sel.sel_item_reason[k],
		    "source_already_published (") == sel.sel_item_reason[k],
		    "%s", sel.sel_item_reason[k]);
	}
	selection_release(&sel);
	item_set_release(&set);
	postindex_free(idx);
	free(dir);
}
END_TEST

/* The dry-run plan names the post that already covers a source. */
START_TEST(test_dry_run_names_covering_post)
{
	const char	*args[] = { "--dry-run", "-o", "posts", "--force",
	    "enriched.json", NULL };
	char		*dir, *path, *out, *err, *data;
	int		 rc;

	dir = test_tmpdir("seldry");
	xasprintf(&path, "%s/examples/enriched_20261120_060440.json",
	    test_srcdir());
	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	free(path);
	xasprintf(&path, "%s/enriched.json", dir);
	ck_assert_int_eq(test_write_file(path, data), 0);
	free(data);
	free(path);
	xasprintf(&path, "%s/posts", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
	/* items[0] and items[1] both name this TOML post. */
	xasprintf(&path, "%s/posts/pg.md", dir);
	ck_assert_int_eq(test_write_file(path, "+++\ndate = 2025-01-01\n"
	    "[[sources]]\nurl = \"https://www.postgresql.org/about/news/"
	    "postgresql-18-released/\"\n[[sources]]\nurl = \"https://"
	    "fosstodon.org/@ops_jane/115600000000000001\"\n+++\n"), 0);
	free(path);
	rc = run_articlegen(dir, args, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "items[1] mastodon_115600000000000001: "
	    "posts/pg.md is already the target of items[0] hn_46100001\n") !=
	    NULL, "%s", out);
	ck_assert_msg(strstr(out, "same_target: 1") != NULL, "%s", out);
	free(out);
	free(err);

	args[3] = "enriched.json";
	args[4] = NULL;
	rc = run_articlegen(dir, args, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "  items[0] hn_46100001: already published "
	    "in posts/pg.md\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "  items[1] mastodon_115600000000000001: "
	    "already published in posts/pg.md\n") != NULL, "%s", out);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
select_suite(void)
{
	Suite	*s = suite_create("select");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_rule_low_quality);
	tcase_add_test(tc, test_rule_list_items);
	tcase_add_test(tc, test_rule_too_short);
	tcase_add_test(tc, test_rule_no_topics);
	tcase_add_test(tc, test_rule_no_usable_source);
	tcase_add_test(tc, test_rule_research);
	tcase_add_test(tc, test_rule_published_and_force);
	tcase_add_test(tc, test_sort_diversity_cap);
	tcase_add_test(tc, test_batch_duplicate_and_counts);
	tcase_add_test(tc, test_sample_selection);
	tcase_add_test(tc, test_same_target);
	tcase_add_test(tc, test_published_in_every_format);
	tcase_add_test(tc, test_dry_run_names_covering_post);
	suite_add_tcase(s, tc);
	return (s);
}
