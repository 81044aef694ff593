/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_sources.c: the collectors without a network.  Each source's
 * parser gets reply bytes in the API's documented shape with its edge
 * cases; whole collections run against a scripted fake fetcher, so that
 * 429s, Retry-After, exhausted rate limits and failing endpoints can be
 * checked, waits included, without sleeping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>

#include "buf.h"
#include "fetch.h"
#include "sources.h"
#include "src_github.h"
#include "src_hn.h"
#include "src_mastodon.h"
#include "src_reddit.h"
#include "tests.h"
#include "utf8.h"
#include "xmalloc.h"

#define NOW	1796100000LL	/* 2026-12-01 */

/* ---- a scripted fetcher ---- */

struct fake_route {
	const char	*fr_match;	/* substring of the URL */
	long		 fr_status;
	const char	*fr_body;
	const char	*fr_retry_after;
	const char	*fr_remaining;
	const char	*fr_reset;
};

struct fake {
	const struct fake_route	*f_routes;
	size_t			 f_nroutes;
	int			 f_calls;
	int64_t			 f_slept;
	char			 f_last_url[512];
	char			 f_last_user[64];
};

static int
fake_fetch(void *arg, const char *url, const struct fetch_opts *o,
    struct fetch_result *fr, char *errbuf, size_t errlen)
{
	struct fake	*f = arg;
	size_t		 i;

	f->f_calls++;
	(void)strlcpy(f->f_last_url, url, sizeof(f->f_last_url));
	if (o->fo_user != NULL)
		(void)strlcpy(f->f_last_user, o->fo_user,
		    sizeof(f->f_last_user));
	memset(fr, 0, sizeof(*fr));
	for (i = 0; i < f->f_nroutes; i++) {
		if (strstr(url, f->f_routes[i].fr_match) == NULL)
			continue;
		if (f->f_routes[i].fr_status == 0) {
			(void)snprintf(errbuf, errlen, "%s: connection refused",
			    url);
			return (-1);
		}
		fr->fr_status = f->f_routes[i].fr_status;
		fr->fr_body = xstrdup(f->f_routes[i].fr_body);
		fr->fr_len = strlen(fr->fr_body);
		if (f->f_routes[i].fr_retry_after != NULL)
			(void)strlcpy(fr->fr_retry_after,
			    f->f_routes[i].fr_retry_after,
			    sizeof(fr->fr_retry_after));
		if (f->f_routes[i].fr_remaining != NULL)
			(void)strlcpy(fr->fr_rl_remaining,
			    f->f_routes[i].fr_remaining,
			    sizeof(fr->fr_rl_remaining));
		if (f->f_routes[i].fr_reset != NULL)
			(void)strlcpy(fr->fr_rl_reset, f->f_routes[i].fr_reset,
			    sizeof(fr->fr_rl_reset));
		return (0);
	}
	fr->fr_status = 404;
	fr->fr_body = xstrdup("{\"message\":\"Not Found\"}");
	fr->fr_len = strlen(fr->fr_body);
	return (0);
}

static void
fake_sleep(void *arg, int64_t ms)
{
	struct fake	*f = arg;

	f->f_slept += ms;
}

static const char *
env_none(void *arg, const char *name)
{
	(void)arg;
	(void)name;
	return (NULL);
}

/* "NAME=value" pairs in a NULL-terminated array. */
static const char *
env_table(void *arg, const char *name)
{
	const char *const	*kv = arg;
	size_t			 n = strlen(name);

	for (; *kv != NULL; kv++)
		if (strncmp(*kv, name, n) == 0 && (*kv)[n] == '=')
			return (*kv + n + 1);
	return (NULL);
}

static int
collect(enum source_kind kind, const char *const *env, struct fake *f,
    struct json_object **items, struct source_stats *st, char *err,
    size_t errlen)
{
	struct source_settings	ss;
	struct source_ctx	ctx;
	int			rc;

	ck_assert_int_eq(source_settings_load(kind, env != NULL ? env_table :
	    env_none, (void *)(uintptr_t)env, &ss, err, errlen), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.sc_fetch = fake_fetch;
	ctx.sc_fetch_arg = f;
	ctx.sc_sleep = fake_sleep;
	ctx.sc_sleep_arg = f;
	ctx.sc_now = NOW;
	rc = source_collect(&ss, &ctx, items, st, err, errlen);
	source_settings_release(&ss);
	return (rc);
}

static const char *
field(struct json_object *o, const char *key)
{
	struct json_object	*v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return (json_object_get_string(v));
}

static int64_t
meta_int(struct json_object *o, const char *key)
{
	struct json_object	*m, *v;

	ck_assert(json_object_object_get_ex(o, "metadata", &m));
	ck_assert_msg(json_object_object_get_ex(m, key, &v), "no %s", key);
	return (json_object_get_int64(v));
}

/* ---- Hacker News ---- */

START_TEST(test_hn_items)
{
	struct json_object	*it;
	char			 err[256];
	const char		*s;

	s = "{\"by\":\"pgfan\",\"descendants\":188,\"id\":9001,\"score\":412,"
	    "\"time\":1796000000,\"title\":\"Postgres 18\",\"type\":\"story\","
	    "\"url\":\"https://www.postgresql.org/x\"}";
	ck_assert_int_eq(hn_parse_item(s, strlen(s), NOW, &it, err,
	    sizeof(err)), 1);
	ck_assert_str_eq(field(it, "id"), "hn_9001");
	ck_assert_str_eq(field(it, "source"), "hackernews");
	ck_assert_str_eq(field(it, "url"), "https://www.postgresql.org/x");
	ck_assert_str_eq(field(it, "content"), "Postgres 18");
	ck_assert_str_eq(field(it, "author"), "pgfan");
	ck_assert_int_eq(meta_int(it, "score"), 412);
	ck_assert_int_eq(meta_int(it, "comments"), 188);
	ck_assert_int_eq(meta_int(it, "time"), 1796000000);
	json_object_put(it);

	/* a text post: the item page, and the text after the title */
	s = "{\"by\":\"asker\",\"id\":9004,\"score\":97,\"text\":\"<p>How do "
	    "you fence &amp; fail over?<p>Details.\",\"time\":1,\"title\":"
	    "\"Ask HN: Fencing\",\"type\":\"story\"}";
	ck_assert_int_eq(hn_parse_item(s, strlen(s), NOW, &it, err,
	    sizeof(err)), 1);
	ck_assert_str_eq(field(it, "url"),
	    "https://news.ycombinator.com/item?id=9004");
	ck_assert_str_eq(field(it, "content"), "Ask HN: Fencing\n\nHow do "
	    "you fence & fail over?\n\nDetails.");
	ck_assert_int_eq(meta_int(it, "comments"), 0);	/* missing field */
	json_object_put(it);
}
END_TEST

START_TEST(test_hn_skipped)
{
	static const char *const skipped[] = {
	    "{\"by\":\"x\",\"dead\":true,\"id\":2,\"title\":\"t\","
	    "\"type\":\"story\",\"url\":\"https://a.example/\"}",
	    "{\"deleted\":true,\"id\":3,\"type\":\"story\"}",
	    "{\"by\":\"x\",\"id\":5,\"title\":\"Hiring\",\"type\":\"job\"}",
	    "{\"by\":\"x\",\"id\":7,\"text\":\"hi\",\"type\":\"comment\"}",
	    "{\"by\":\"x\",\"id\":8,\"type\":\"story\"}",
	    "null",
	};
	struct json_object	*it;
	char			 err[256];
	size_t			 i;

	for (i = 0; i < nitems(skipped); i++) {
		ck_assert_msg(hn_parse_item(skipped[i], strlen(skipped[i]),
		    NOW, &it, err, sizeof(err)) == 0, "%zu: %s", i, err);
		ck_assert_ptr_null(it);
	}
	ck_assert_int_eq(hn_parse_item("{\"type\":\"story\"}", 16, NOW, &it,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(hn_parse_item("<html>", 6, NOW, &it, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(test_hn_collect)
{
	static const struct fake_route routes[] = {
		{ "/topstories.json", 200, "[11, 12, 13, 14, 15]", NULL,
		    NULL, NULL },
		{ "/item/11.json", 200, "{\"id\":11,\"type\":\"story\","
		    "\"title\":\"One\",\"by\":\"a\",\"url\":\"https://one."
		    "example/\"}", NULL, NULL, NULL },
		{ "/item/12.json", 200, "{\"id\":12,\"deleted\":true}", NULL,
		    NULL, NULL },
		{ "/item/13.json", 500, "oops", NULL, NULL, NULL },
		{ "/item/14.json", 200, "{\"id\":14,\"type\":\"story\","
		    "\"title\":\"Four\",\"by\":\"b\",\"url\":\"https://four."
		    "example/\"}", NULL, NULL, NULL },
	};
	static const char *const env[] = { "HN_COUNT=2",
	    "HN_API_URL=http://127.0.0.1:9/v0/", NULL };
	struct fake		 f = { routes, nitems(routes), 0, 0, "", "" };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	ck_assert_int_eq(collect(SOURCE_HN, env, &f, &items, &st, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(json_object_array_length(items), 2);
	ck_assert_str_eq(field(json_object_array_get_idx(items, 0), "id"),
	    "hn_11");
	ck_assert_str_eq(field(json_object_array_get_idx(items, 1), "id"),
	    "hn_14");
	ck_assert_uint_eq(st.st_dropped, 1);
	ck_assert_uint_eq(st.st_failed, 1);
	ck_assert_ptr_nonnull(strstr(st.st_note, "HTTP 500"));
	/* stops once the count is reached; the trailing slash is dropped */
	ck_assert_int_eq(f.f_calls, 5);
	ck_assert_str_eq(f.f_last_url, "http://127.0.0.1:9/v0/item/14.json");
	json_object_put(items);
}
END_TEST

/* ---- Mastodon ---- */

static const char mastodon_reply[] = "["
    /* kept: local author, a card */
    "{\"id\":\"101\",\"created_at\":\"2026-12-01T10:00:00.000Z\","
    "\"in_reply_to_id\":null,\"visibility\":\"public\",\"language\":\"en\","
    "\"url\":\"https://social.example/@jane/101\",\"replies_count\":2,"
    "\"reblogs_count\":5,\"favourites_count\":30,\"content\":\"<p>We cut "
    "our build times by 40% with a remote cache; the write-up covers the "
    "numbers.</p>\",\"account\":{\"username\":\"jane\",\"acct\":\"jane\"},"
    "\"card\":{\"url\":\"https://blog.example/cache\"}},"
    /* a reply */
    "{\"id\":\"102\",\"in_reply_to_id\":\"101\",\"visibility\":\"public\","
    "\"language\":\"en\",\"url\":\"https://social.example/@bob/102\","
    "\"content\":\"<p>Thanks for writing this up, the numbers are really "
    "convincing here.</p>\",\"account\":{\"acct\":\"bob\"}},"
    /* not English */
    "{\"id\":\"103\",\"in_reply_to_id\":null,\"language\":\"de\","
    "\"url\":\"https://social.example/@kai/103\",\"content\":\"<p>Ein "
    "langer Beitrag \\u00fcber Speicherverwaltung in Rust und mehr.</p>\","
    "\"account\":{\"acct\":\"kai\"}},"
    /* too short */
    "{\"id\":\"104\",\"in_reply_to_id\":null,\"language\":\"en\","
    "\"url\":\"https://social.example/@s/104\",\"content\":\"<p>nice</p>\","
    "\"account\":{\"acct\":\"s\"}},"
    /* a reblog of a remote post, language null, fields missing */
    "{\"id\":\"105\",\"reblog\":{\"id\":\"900\",\"in_reply_to_id\":null,"
    "\"language\":null,\"url\":\"https://fosstodon.org/@bob/900\","
    "\"content\":\"<p>SQLite&#39;s jsonb made our event store three times "
    "smaller, with benchmarks.</p>\",\"account\":{\"acct\":"
    "\"bob@fosstodon.org\"}},\"account\":{\"acct\":\"jane\"},"
    "\"content\":\"\"},"
    /* no account */
    "{\"id\":\"106\",\"in_reply_to_id\":null,\"url\":\"https://social."
    "example/@x/106\",\"content\":\"<p>A post without an account object "
    "is not usable at all here.</p>\"},"
    /* begins with a mention */
    "{\"id\":\"107\",\"in_reply_to_id\":null,\"url\":\"https://social."
    "example/@x/107\",\"content\":\"<p>@alice see the thread on caching "
    "for more details about this one.</p>\",\"account\":{\"acct\":\"x\"}},"
    "42]";

START_TEST(test_mastodon_parse)
{
	struct source_settings	 ss;
	struct source_stats	 st;
	struct json_object	*items, *it, *m, *v;
	char			 err[256];

	ck_assert_int_eq(source_settings_load(SOURCE_MASTODON, env_none, NULL,
	    &ss, err, sizeof(err)), 0);
	memset(&st, 0, sizeof(st));
	items = json_object_new_array();
	ck_assert_int_eq(mastodon_parse_statuses(mastodon_reply,
	    strlen(mastodon_reply), "https://social.example", "trends", &ss,
	    NOW, items, 10, &st, err, sizeof(err)), 2);
	ck_assert_uint_eq(st.st_dropped, 6);
	it = json_object_array_get_idx(items, 0);
	ck_assert_str_eq(field(it, "id"), "mastodon_101");
	ck_assert_str_eq(field(it, "author"), "jane@social.example");
	ck_assert_str_eq(field(it, "url"), "https://social.example/@jane/101");
	ck_assert_str_eq(field(it, "content"), "We cut our build times by 40% "
	    "with a remote cache; the write-up covers the numbers.");
	ck_assert_int_eq(meta_int(it, "favourites_count"), 30);
	ck_assert(json_object_object_get_ex(it, "metadata", &m));
	ck_assert(json_object_object_get_ex(m, "card_url", &v));
	ck_assert_str_eq(json_object_get_string(v),
	    "https://blog.example/cache");
	ck_assert(json_object_object_get_ex(m, "instance", &v));
	ck_assert_str_eq(json_object_get_string(v), "social.example");
	it = json_object_array_get_idx(items, 1);
	ck_assert_str_eq(field(it, "id"), "mastodon_900");
	ck_assert_str_eq(field(it, "author"), "bob@fosstodon.org");
	ck_assert_str_eq(field(it, "content"), "SQLite's jsonb made our event "
	    "store three times smaller, with benchmarks.");
	ck_assert_int_eq(meta_int(it, "reblogs_count"), 0);
	json_object_put(items);

	/* the max is honoured; not an array is an error */
	items = json_object_new_array();
	ck_assert_int_eq(mastodon_parse_statuses(mastodon_reply,
	    strlen(mastodon_reply), "https://social.example", "trends", &ss,
	    NOW, items, 1, &st, err, sizeof(err)), 1);
	ck_assert_int_eq(mastodon_parse_statuses("{\"error\":\"x\"}", 13,
	    "https://social.example", "trends", &ss, NOW, items, 10, &st, err,
	    sizeof(err)), -1);
	json_object_put(items);
	source_settings_release(&ss);
}
END_TEST

START_TEST(test_mastodon_fallback_and_long)
{
	static const struct fake_route routes[] = {
		{ "a.example/api/v1/trends/statuses", 404, "{}", NULL, NULL,
		    NULL },
		{ "a.example/api/v1/timelines/public", 200, "[{\"id\":\"1\","
		    "\"in_reply_to_id\":null,\"url\":\"https://a.example/@t/1\","
		    "\"content\":\"<p>Timeline post long enough to pass the "
		    "filter on length, about Kubernetes.</p>\",\"account\":"
		    "{\"acct\":\"t\"}}]", NULL, NULL, NULL },
		{ "b.example/", 0, NULL, NULL, NULL, NULL },
	};
	static const char *const env[] = {
	    "MASTODON_INSTANCES=https://b.example, https://a.example/",
	    "MASTODON_MAX_CHARS=60", NULL };
	struct fake		 f = { routes, nitems(routes), 0, 0, "", "" };
	struct json_object	*items, *m, *v;
	struct source_stats	 st;
	char			 err[256];

	/* b fails on both feeds, a falls back to its public timeline */
	ck_assert_int_eq(collect(SOURCE_MASTODON, env, &f, &items, &st, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(json_object_array_length(items), 0);
	ck_assert_uint_eq(st.st_dropped, 1);	/* longer than 60 characters */
	ck_assert_uint_eq(st.st_failed, 3);
	json_object_put(items);

	{
		static const char *const env2[] = {
		    "MASTODON_INSTANCES=https://a.example", NULL };

		ck_assert_int_eq(collect(SOURCE_MASTODON, env2, &f, &items,
		    &st, err, sizeof(err)), 0);
		ck_assert_uint_eq(json_object_array_length(items), 1);
		ck_assert(json_object_object_get_ex(
		    json_object_array_get_idx(items, 0), "metadata", &m));
		ck_assert(json_object_object_get_ex(m, "source_type", &v));
		ck_assert_str_eq(json_object_get_string(v), "public");
		json_object_put(items);
	}
	{
		static const char *const env3[] = {
		    "MASTODON_INSTANCES=https://b.example", NULL };

		ck_assert_int_eq(collect(SOURCE_MASTODON, env3, &f, &items,
		    &st, err, sizeof(err)), -1);
		ck_assert_ptr_null(items);
		ck_assert_ptr_nonnull(strstr(err, "mastodon: no instance "
		    "answered"));
	}
}
END_TEST

/* ---- GitHub ---- */

START_TEST(test_github_parse)
{
	static const char reply[] = "{\"total_count\":3,\"items\":["
	    "{\"id\":1,\"name\":\"hyperfine\",\"full_name\":\"sharkdp/"
	    "hyperfine\",\"owner\":{\"login\":\"sharkdp\"},\"html_url\":"
	    "\"https://github.com/sharkdp/hyperfine\",\"description\":\"A "
	    "command-line benchmarking tool\",\"stargazers_count\":1500,"
	    "\"forks_count\":61,\"watchers_count\":1500,\"language\":\"Rust\","
	    "\"topics\":[\"cli\",\"benchmark\",7]},"
	    "{\"id\":2,\"name\":\"nodesc\",\"full_name\":\"quiet/nodesc\","
	    "\"owner\":{\"login\":\"quiet\"},\"html_url\":\"https://github.com/"
	    "quiet/nodesc\",\"description\":null,\"language\":null},"
	    "{\"id\":3,\"full_name\":\"broken/nourl\"}]}";
	struct source_stats	 st;
	struct json_object	*items, *it, *m, *v;
	char			 err[256];

	memset(&st, 0, sizeof(st));
	items = json_object_new_array();
	ck_assert_int_eq(github_parse_search(reply, strlen(reply), NOW, items,
	    10, &st, err, sizeof(err)), 2);
	ck_assert_uint_eq(st.st_dropped, 1);
	it = json_object_array_get_idx(items, 0);
	ck_assert_str_eq(field(it, "id"), "github_1");
	ck_assert_str_eq(field(it, "title"), "sharkdp/hyperfine: A "
	    "command-line benchmarking tool");
	ck_assert_str_eq(field(it, "content"), "hyperfine\n\nA command-line "
	    "benchmarking tool");
	ck_assert_int_eq(meta_int(it, "stars"), 1500);
	ck_assert_int_eq(meta_int(it, "forks"), 61);
	ck_assert(json_object_object_get_ex(it, "metadata", &m));
	ck_assert(json_object_object_get_ex(m, "topics", &v));
	ck_assert_uint_eq(json_object_array_length(v), 2);
	/* no description: kept, titled by its name */
	it = json_object_array_get_idx(items, 1);
	ck_assert_str_eq(field(it, "title"), "quiet/nodesc");
	ck_assert_str_eq(field(it, "content"), "nodesc");
	ck_assert_str_eq(field(it, "author"), "quiet");
	json_object_put(items);

	items = json_object_new_array();
	ck_assert_int_eq(github_parse_search("{\"message\":\"Bad "
	    "credentials\"}", 30, NOW, items, 10, &st, err, sizeof(err)), -1);
	json_object_put(items);
}
END_TEST

START_TEST(test_github_url_and_ratelimit)
{
	static const struct fake_route routes[] = {
		{ "/search/repositories", 200, "{\"items\":[]}", NULL, "0",
		    "1796100030" },
	};
	struct fake		 f = { routes, nitems(routes), 0, 0, "", "" };
	struct json_object	*items;
	struct source_stats	 st;
	char			*url, err[256];

	url = github_search_url("https://api.github.com", 7, 20, NOW);
	ck_assert_str_eq(url, "https://api.github.com/search/repositories?"
	    "q=created%3A%3E2026-11-24&sort=stars&order=desc&per_page=20");
	free(url);

	/* the reply says none left, 30 s to the reset: nothing more to do */
	ck_assert_int_eq(collect(SOURCE_GITHUB, NULL, &f, &items, &st, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(json_object_array_length(items), 0);
	json_object_put(items);
}
END_TEST

START_TEST(test_retry_after_honoured)
{
	static const struct fake_route limited[] = {
		{ "/search/repositories", 429, "{\"message\":\"API rate limit "
		    "exceeded\"}", "2", "0", NULL },
	};
	static const char *const patient[] = { "GITHUB_MAX_WAIT=5", NULL };
	static const char *const hasty[] = { "GITHUB_MAX_WAIT=1", NULL };
	struct fake		 f = { limited, nitems(limited), 0, 0, "", "" };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	/* Retry-After 2 s within the 5 s allowed: two retries, then fail */
	ck_assert_int_eq(collect(SOURCE_GITHUB, patient, &f, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(f.f_calls, 3);
	ck_assert_int_eq(f.f_slept, 4000);
	ck_assert_int_eq(st.st_waited_ms, 4000);
	ck_assert_ptr_nonnull(strstr(err, "github: "));
	ck_assert_ptr_nonnull(strstr(err, "HTTP 429 (retry after 2 s)"));

	/* longer than allowed: no wait at all */
	f.f_calls = 0;
	f.f_slept = 0;
	ck_assert_int_eq(collect(SOURCE_GITHUB, hasty, &f, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(f.f_calls, 1);
	ck_assert_int_eq(f.f_slept, 0);
}
END_TEST

START_TEST(test_exhausted_limit_stops_next_request)
{
	static const struct fake_route routes[] = {
		{ "/topstories.json", 200, "[1, 2]", NULL, "0", "3600" },
		{ "/item/", 200, "{\"id\":1,\"type\":\"story\",\"title\":\"t\","
		    "\"url\":\"https://x.example/\"}", NULL, NULL, NULL },
	};
	struct fake		 f = { routes, nitems(routes), 0, 0, "", "" };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	/* one hour to the reset, 60 s allowed: the items are not asked */
	ck_assert_int_eq(collect(SOURCE_HN, NULL, &f, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(f.f_calls, 1);
	ck_assert_ptr_nonnull(strstr(err, "rate limit exhausted"));
}
END_TEST

/* ---- Reddit ---- */

static const char reddit_reply[] = "{\"kind\":\"Listing\",\"data\":{"
    "\"children\":["
    "{\"kind\":\"t3\",\"data\":{\"id\":\"a1\",\"title\":\"Rules\","
    "\"stickied\":true,\"is_self\":true,\"selftext\":\"Read the rules "
    "before posting anything in here, please, thanks.\",\"permalink\":"
    "\"/r/x/comments/a1/rules/\"}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"a2\",\"title\":\"Zero-copy "
    "parsing\",\"author\":\"pat\",\"is_self\":false,\"url\":"
    "\"https://blog.example.net/nom\",\"permalink\":\"/r/rust/comments/a2/"
    "zc/\",\"score\":812,\"num_comments\":95,\"upvote_ratio\":0.97,"
    "\"subreddit\":\"rust\",\"created_utc\":1796000100.0}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"a3\",\"title\":\"TCP storm\","
    "\"author\":\"[deleted]\",\"is_self\":true,\"selftext\":\"Last week our "
    "p99 latency tripled; here is the whole investigation.\","
    "\"permalink\":\"/r/x/comments/a3/tcp/\",\"score\":301}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"a4\",\"title\":\"help\","
    "\"is_self\":true,\"selftext\":\"pls\",\"permalink\":\"/r/x/comments/"
    "a4/h/\"}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"a5\",\"title\":\"nsfw\","
    "\"over_18\":true,\"is_self\":false,\"url\":\"https://n.example/\","
    "\"permalink\":\"/r/x/comments/a5/n/\"}},"
    "{\"kind\":\"t1\",\"data\":{\"id\":\"c1\"}}]}}";

START_TEST(test_reddit_parse)
{
	struct source_stats	 st;
	struct json_object	*items, *it;
	char			 err[256], *tok;

	memset(&st, 0, sizeof(st));
	items = json_object_new_array();
	ck_assert_int_eq(reddit_parse_listing(reddit_reply,
	    strlen(reddit_reply), NOW, items, 10, &st, err, sizeof(err)), 2);
	ck_assert_uint_eq(st.st_dropped, 4);
	it = json_object_array_get_idx(items, 0);
	ck_assert_str_eq(field(it, "id"), "reddit_a2");
	/* a link post: the article, not the permalink */
	ck_assert_str_eq(field(it, "url"), "https://blog.example.net/nom");
	ck_assert_str_eq(field(it, "content"), "Zero-copy parsing");
	ck_assert_int_eq(meta_int(it, "num_comments"), 95);
	ck_assert_int_eq(meta_int(it, "created_utc"), 1796000100);
	it = json_object_array_get_idx(items, 1);
	ck_assert_str_eq(field(it, "url"),
	    "https://www.reddit.com/r/x/comments/a3/tcp/");
	ck_assert_str_eq(field(it, "author"), "unknown");
	ck_assert_ptr_nonnull(strstr(field(it, "content"), "\n\nLast week"));
	json_object_put(items);

	/* a long self post keeps 10000 bytes of its text, whole characters */
	{
		struct buf	 b;
		int		 i;

		buf_init(&b);
		buf_puts(&b, "{\"kind\":\"Listing\",\"data\":{\"children\":[{"
		    "\"kind\":\"t3\",\"data\":{\"id\":\"l1\",\"title\":\"Long\","
		    "\"is_self\":true,\"permalink\":\"/r/x/comments/l1/l/\","
		    "\"selftext\":\"");
		for (i = 0; i < 3000; i++)
			buf_puts(&b, "ab\\u00e9");	/* 4 bytes of UTF-8 */
		buf_puts(&b, "x\"}}]}}");
		items = json_object_new_array();
		ck_assert_int_eq(reddit_parse_listing(b.b_data, b.b_len, NOW,
		    items, 10, &st, err, sizeof(err)), 1);
		it = json_object_array_get_idx(items, 0);
		/* 10000 is a multiple of 4: the cut falls after an "é" */
		ck_assert_uint_eq(strlen(field(it, "content")),
		    strlen("Long\n\n") + 10000);
		json_object_put(items);
		buf_release(&b);
	}

	{
		const char *r = "{\"access_token\":\"abc\",\"token_type\":"
		    "\"bearer\",\"expires_in\":86400}";

		tok = reddit_parse_token(r, strlen(r), err, sizeof(err));
	}
	ck_assert_str_eq(tok, "abc");
	free(tok);
	ck_assert_ptr_null(reddit_parse_token("{\"error\":\"invalid_grant\"}",
	    25, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "invalid_grant"));
}
END_TEST

START_TEST(test_reddit_credentials)
{
	static const struct fake_route routes[] = {
		{ "/access_token", 200, "{\"access_token\":\"t0k\","
		    "\"token_type\":\"bearer\"}", NULL, NULL, NULL },
		{ "/r/rust/hot", 200, reddit_reply, NULL, NULL, NULL },
		{ "/r/golang/hot", 503, "busy", NULL, NULL, NULL },
	};
	static const char *const creds[] = { "REDDIT_CLIENT_ID=cid",
	    "REDDIT_CLIENT_SECRET=s3cret", "REDDIT_SUBREDDITS=golang rust",
	    "REDDIT_COUNT=4", NULL };
	struct fake		 f = { routes, nitems(routes), 0, 0, "", "" };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	/* without credentials: skipped, one line saying so, no request */
	ck_assert_int_eq(collect(SOURCE_REDDIT, NULL, &f, &items, &st, err,
	    sizeof(err)), 1);
	ck_assert_ptr_null(items);
	ck_assert_int_eq(f.f_calls, 0);
	ck_assert_ptr_nonnull(strstr(err, "REDDIT_CLIENT_ID"));

	/* golang answers 503 with no Retry-After: retried after 1 s, twice */
	ck_assert_int_eq(collect(SOURCE_REDDIT, creds, &f, &items, &st, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(f.f_last_user, "cid");
	ck_assert_uint_eq(json_object_array_length(items), 2);
	ck_assert_uint_eq(st.st_failed, 1);
	ck_assert_ptr_null(strstr(st.st_note, "s3cret"));
	json_object_put(items);
}
END_TEST

/* ---- settings and the rate-limit arithmetic ---- */

START_TEST(test_settings)
{
	static const char *const bad[][2] = {
		{ "HN_COUNT=0", "HN_COUNT" },
		{ "HN_ENABLED=maybe", "HN_ENABLED" },
		{ "HN_API_URL=ftp://x/", "HN_API_URL" },
		{ "HN_TIMEOUT=abc", "HN_TIMEOUT" },
	};
	struct source_settings	 ss;
	const char		*env[2];
	char			 err[256];
	size_t			 i;
	enum source_kind	 k;

	ck_assert_int_eq(source_settings_load(SOURCE_HN, env_none, NULL, &ss,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(ss.ss_enabled, 1);
	ck_assert_int_eq(ss.ss_count, 30);
	ck_assert_str_eq(ss.ss_api_url, "https://hacker-news.firebaseio.com/v0");
	source_settings_release(&ss);
	ck_assert_int_eq(source_settings_load(SOURCE_REDDIT, env_none, NULL,
	    &ss, err, sizeof(err)), 0);
	ck_assert_uint_eq(ss.ss_nlist, 8);
	ck_assert_str_eq(ss.ss_auth_url,
	    "https://www.reddit.com/api/v1/access_token");
	ck_assert_ptr_null(ss.ss_client_id);
	source_settings_release(&ss);
	for (i = 0; i < nitems(bad); i++) {
		env[0] = bad[i][0];
		env[1] = NULL;
		ck_assert_int_eq(source_settings_load(SOURCE_HN, env_table,
		    env, &ss, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i][1]) != NULL, "%s", err);
	}
	env[0] = "GITHUB_ENABLED=off";
	env[1] = NULL;
	ck_assert_int_eq(source_settings_load(SOURCE_GITHUB, env_table, env,
	    &ss, err, sizeof(err)), 0);
	{
		struct source_ctx	 ctx;
		struct source_stats	 st;
		struct json_object	*items;

		memset(&ctx, 0, sizeof(ctx));
		ck_assert_int_eq(source_collect(&ss, &ctx, &items, &st, err,
		    sizeof(err)), 1);
		ck_assert_ptr_nonnull(strstr(err, "disabled"));
	}
	source_settings_release(&ss);
	ck_assert_int_eq(source_lookup("mastodon", &k), 0);
	ck_assert_int_eq(k, SOURCE_MASTODON);
	ck_assert_int_eq(source_lookup("bluesky", &k), -1);
}
END_TEST

START_TEST(test_wait_ms)
{
	struct fetch_result	fr;

	memset(&fr, 0, sizeof(fr));
	ck_assert_int_eq(fetch_wait_ms(&fr, NOW), 0);
	(void)strlcpy(fr.fr_retry_after, "7", sizeof(fr.fr_retry_after));
	ck_assert_int_eq(fetch_wait_ms(&fr, NOW), 7000);
	(void)strlcpy(fr.fr_retry_after, "Tue, 01 Dec 2026 12:00:10 GMT",
	    sizeof(fr.fr_retry_after));
	ck_assert_int_eq(fetch_wait_ms(&fr, 1796126400LL), 10000);
	fr.fr_retry_after[0] = '\0';
	(void)strlcpy(fr.fr_rl_remaining, "5", sizeof(fr.fr_rl_remaining));
	(void)strlcpy(fr.fr_rl_reset, "1796100060", sizeof(fr.fr_rl_reset));
	ck_assert_int_eq(fetch_wait_ms(&fr, NOW), 0);
	/* GitHub: an epoch */
	(void)strlcpy(fr.fr_rl_remaining, "0", sizeof(fr.fr_rl_remaining));
	ck_assert_int_eq(fetch_wait_ms(&fr, NOW), 60000);
	/* Reddit: seconds to go, remaining as a float */
	(void)strlcpy(fr.fr_rl_remaining, "0.0", sizeof(fr.fr_rl_remaining));
	(void)strlcpy(fr.fr_rl_reset, "42", sizeof(fr.fr_rl_reset));
	ck_assert_int_eq(fetch_wait_ms(&fr, NOW), 42000);
	/* Mastodon: an ISO 8601 time */
	(void)strlcpy(fr.fr_rl_reset, "2026-12-01T12:00:30.019685Z",
	    sizeof(fr.fr_rl_reset));
	ck_assert_int_eq(fetch_wait_ms(&fr, 1796126400LL), 30000);
	(void)strlcpy(fr.fr_rl_reset, "soon", sizeof(fr.fr_rl_reset));
	ck_assert_int_eq(fetch_wait_ms(&fr, NOW), -1);
}
END_TEST

START_TEST(test_title_rule)
{
	char	*t;

	t = source_title_from_text("  Short first line\nsecond");
	ck_assert_str_eq(t, "Short first line");
	free(t);
	t = source_title_from_text("\xc3\xa9" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	/* 77 characters and "...", the cut on a character boundary */
	ck_assert_uint_eq(utf8_len(t), 80);
	ck_assert_uint_eq(strlen(t), 81);
	ck_assert_str_eq(t + 78, "...");
	free(t);
}
END_TEST

Suite *
sources_suite(void)
{
	Suite	*s = suite_create("sources");
	TCase	*tc = tcase_create("parse");
	TCase	*tc2 = tcase_create("collect");

	tcase_add_test(tc, test_hn_items);
	tcase_add_test(tc, test_hn_skipped);
	tcase_add_test(tc, test_mastodon_parse);
	tcase_add_test(tc, test_github_parse);
	tcase_add_test(tc, test_reddit_parse);
	tcase_add_test(tc, test_settings);
	tcase_add_test(tc, test_wait_ms);
	tcase_add_test(tc, test_title_rule);
	suite_add_tcase(s, tc);
	tcase_add_test(tc2, test_hn_collect);
	tcase_add_test(tc2, test_mastodon_fallback_and_long);
	tcase_add_test(tc2, test_github_url_and_ratelimit);
	tcase_add_test(tc2, test_retry_after_honoured);
	tcase_add_test(tc2, test_exhausted_limit_stops_next_request);
	tcase_add_test(tc2, test_reddit_credentials);
	suite_add_tcase(s, tc2);
	return (s);
}
