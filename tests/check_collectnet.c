/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_collectnet.c: the collect stage end to end over loopback.  The
 * stand-in serves every source's API; each source is collected through
 * worker/fetch.c (libcurl), with one source failing (500) and one rate
 * limited (429 with Retry-After), the others merged and written as the
 * collected file; and linked pages are fetched (redirects, caps, noise)
 * as enrichment does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <json.h>

#include "buf.h"
#include "collectmerge.h"
#include "e2e.h"
#include "enrich.h"
#include "fetch.h"
#include "sources.h"
#include "tests.h"
#include "xmalloc.h"

/* The stand-in's root URL, "http://127.0.0.1:PORT". */
static char *
root_url(void)
{
	char	*u;

	xasprintf(&u, "http://127.0.0.1:%d", e2e_standin.port);
	return (u);
}

/* Settings from "NAME=value" strings, NULL-terminated. */
static const char *
env_table(void *arg, const char *name)
{
	char *const	*kv = arg;
	size_t		 n = strlen(name);

	for (; *kv != NULL; kv++)
		if (strncmp(*kv, name, n) == 0 && (*kv)[n] == '=')
			return (*kv + n + 1);
	return (NULL);
}

/* s with every "%s" replaced by root; owned. */
static char *
subst(const char *s, const char *root)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b);
	while ((p = strstr(s, "%s")) != NULL) {
		buf_append(&b, s, (size_t)(p - s));
		buf_puts(&b, root);
		s = p + 2;
	}
	buf_puts(&b, s);
	return (buf_detach(&b));
}

/*
 * Collect kind with the settings given as "NAME=value" strings, the
 * stand-in's root URL put in place of each "%s".
 */
static int
collect_with(enum source_kind kind, const char *const *fmt,
    struct json_object **items, struct source_stats *st, char *err,
    size_t errlen)
{
	struct source_settings	 ss;
	struct source_ctx	 ctx;
	char			*env[16], *root;
	size_t			 i;
	int			 rc;

	root = root_url();
	for (i = 0; fmt[i] != NULL && i < nitems(env) - 1; i++)
		env[i] = subst(fmt[i], root);
	env[i] = NULL;
	ck_assert_int_eq(source_settings_load(kind, env_table, env, &ss, err,
	    errlen), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.sc_now = (int64_t)time(NULL);
	rc = source_collect(&ss, &ctx, items, st, err, errlen);
	source_settings_release(&ss);
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(root);
	return (rc);
}

static const char *
str_at(struct json_object *items, size_t i, const char *key)
{
	struct json_object	*v;

	ck_assert(json_object_object_get_ex(json_object_array_get_idx(items,
	    i), key, &v));
	return (json_object_get_string(v));
}

START_TEST(test_hn_over_loopback)
{
	static const char *const env[] = { "HN_API_URL=%s/v0", NULL };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	ck_assert_msg(collect_with(SOURCE_HN, env, &items, &st, err,
	    sizeof(err)) == 0, "%s", err);
	/* dead, deleted, a job, a comment and a missing item are skipped */
	ck_assert_uint_eq(json_object_array_length(items), 4);
	ck_assert_str_eq(str_at(items, 0, "id"), "hn_9001");
	ck_assert_str_eq(str_at(items, 1, "id"), "hn_9004");
	ck_assert_str_eq(str_at(items, 1, "url"),
	    "https://news.ycombinator.com/item?id=9004");
	ck_assert_ptr_nonnull(strstr(str_at(items, 1, "content"),
	    "failover & fencing"));
	ck_assert_str_eq(str_at(items, 2, "id"), "hn_9006");
	ck_assert_str_eq(str_at(items, 3, "id"), "hn_9008");
	ck_assert_uint_eq(st.st_requests, 10);
	ck_assert_uint_eq(st.st_dropped, 5);
	json_object_put(items);
}
END_TEST

START_TEST(test_mastodon_over_loopback)
{
	static const char *const env[] = {
	    "MASTODON_INSTANCES=%s,%s/notrends", NULL };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	ck_assert_msg(collect_with(SOURCE_MASTODON, env, &items, &st, err,
	    sizeof(err)) == 0, "%s", err);
	/* trends: a reply, German, too short, too long, a mention dropped */
	ck_assert_uint_eq(json_object_array_length(items), 3);
	ck_assert_str_eq(str_at(items, 0, "id"), "mastodon_115600000000000001");
	ck_assert_str_eq(str_at(items, 0, "author"), "ops_jane@127.0.0.1");
	ck_assert_ptr_nonnull(strstr(str_at(items, 0, "content"),
	    "https://blog.example.org/ci-runner-pool"));
	ck_assert_str_eq(str_at(items, 1, "author"), "bob@fosstodon.org");
	ck_assert_str_eq(str_at(items, 1, "content"), "SQLite's new jsonb "
	    "functions made our event store 3x smaller; details and the "
	    "migration script in the write-up.\nBenchmarks included.");
	/* the second instance has no trends: its public timeline */
	ck_assert_str_eq(str_at(items, 2, "id"), "mastodon_115600000000000101");
	ck_assert_uint_eq(st.st_dropped, 5);
	ck_assert_uint_eq(st.st_failed, 1);
	json_object_put(items);
}
END_TEST

START_TEST(test_github_over_loopback)
{
	static const char *const env[] = { "GITHUB_API_URL=%s", NULL };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	ck_assert_msg(collect_with(SOURCE_GITHUB, env, &items, &st, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(json_object_array_length(items), 3);
	ck_assert_str_eq(str_at(items, 0, "title"), "sharkdp/hyperfine: A "
	    "command-line benchmarking tool");
	ck_assert_str_eq(str_at(items, 1, "title"), "quiet/nodesc");
	json_object_put(items);
}
END_TEST

START_TEST(test_reddit_over_loopback)
{
	static const char *const env[] = {
	    "REDDIT_AUTH_URL=%s/api/v1/access_token", "REDDIT_API_URL=%s",
	    "REDDIT_CLIENT_ID=testid", "REDDIT_CLIENT_SECRET=testsecret",
	    "REDDIT_SUBREDDITS=rust,golang", NULL };
	static const char *const wrong[] = {
	    "REDDIT_AUTH_URL=%s/api/v1/access_token", "REDDIT_API_URL=%s",
	    "REDDIT_CLIENT_ID=testid", "REDDIT_CLIENT_SECRET=nope", NULL };
	static const char *const none[] = { "REDDIT_API_URL=%s", NULL };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	ck_assert_msg(collect_with(SOURCE_REDDIT, env, &items, &st, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(json_object_array_length(items), 4);
	ck_assert_str_eq(str_at(items, 0, "id"), "reddit_rust_r2");
	ck_assert_str_eq(str_at(items, 0, "url"),
	    "https://blog.example.net/zero-copy-nom");
	ck_assert_str_eq(str_at(items, 1, "url"),
	    "https://www.reddit.com/r/rust/comments/r3/tcp/");
	ck_assert_str_eq(str_at(items, 2, "id"), "reddit_golang_r2");
	json_object_put(items);

	ck_assert_int_eq(collect_with(SOURCE_REDDIT, wrong, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "HTTP 401"));
	ck_assert_ptr_null(strstr(err, "nope"));
	ck_assert_int_eq(collect_with(SOURCE_REDDIT, none, &items, &st, err,
	    sizeof(err)), 1);
	ck_assert_ptr_nonnull(strstr(err, "skipped"));
}
END_TEST

/*
 * All four at once as a collect run would do them: HN fails with 500,
 * GitHub is rate limited, Mastodon and Reddit go on; the merged items
 * land in one collected file.
 */
START_TEST(test_failing_sources_do_not_stop_others)
{
	static const char *const hn[] = { "HN_API_URL=%s/fault/500/v0", NULL };
	static const char *const gh[] = { "GITHUB_API_URL=%s/fault/429",
	    "GITHUB_MAX_WAIT=0", NULL };
	static const char *const ma[] = { "MASTODON_INSTANCES=%s", NULL };
	static const char *const rd[] = {
	    "REDDIT_AUTH_URL=%s/api/v1/access_token", "REDDIT_API_URL=%s",
	    "REDDIT_CLIENT_ID=testid", "REDDIT_CLIENT_SECRET=testsecret",
	    "REDDIT_SUBREDDITS=rust", NULL };
	struct collect_merge	*m;
	struct json_object	*items, *loaded;
	struct source_stats	 st;
	char			 err[256], *dir, *path;
	int			 ok = 0;

	m = collect_merge_new();
	ck_assert_int_eq(collect_with(SOURCE_HN, hn, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "hackernews: "));
	ck_assert_ptr_nonnull(strstr(err, "HTTP 500"));
	ck_assert_int_eq(collect_with(SOURCE_GITHUB, gh, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "HTTP 429 (retry after 1 s)"));
	ck_assert_uint_eq(st.st_requests, 1);
	if (collect_with(SOURCE_MASTODON, ma, &items, &st, err,
	    sizeof(err)) == 0) {
		(void)collect_merge_add(m, items);
		json_object_put(items);
		ok++;
	}
	if (collect_with(SOURCE_REDDIT, rd, &items, &st, err,
	    sizeof(err)) == 0) {
		(void)collect_merge_add(m, items);
		json_object_put(items);
		ok++;
	}
	ck_assert_int_eq(ok, 2);
	ck_assert_uint_eq(collect_merge_count(m), 4);
	dir = test_tmpdir("collectnet");
	ck_assert_int_eq(collect_merge_write(m, dir, (int64_t)time(NULL), NULL,
	    &path, err, sizeof(err)), 0);
	loaded = collect_load_file(path, err, sizeof(err));
	ck_assert_ptr_nonnull(loaded);
	ck_assert_uint_eq(json_object_array_length(loaded), 4);
	json_object_put(loaded);
	free(path);
	test_rmtree(dir);
	free(dir);
	collect_merge_free(m);
}
END_TEST

/* Lines of the stand-in's request log holding both a and b. */
static int
log_lines_with(const char *a, const char *b)
{
	char	*data, *line, *save = NULL;
	int	 n = 0;

	if ((data = test_read_file(e2e_standin.log, NULL)) == NULL)
		return (0);
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strstr(line, a) != NULL && strstr(line, b) != NULL)
			n++;
	free(data);
	return (n);
}

START_TEST(test_retry_after_over_loopback)
{
	static const char *const gh[] = { "GITHUB_API_URL=%s/fault/429",
	    "GITHUB_MAX_WAIT=2", NULL };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	/* Retry-After: 1 is honoured, twice, before giving up */
	ck_assert_int_eq(collect_with(SOURCE_GITHUB, gh, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_uint_eq(st.st_requests, 3);
	ck_assert_int_eq(st.st_waited_ms, 2000);
	ck_assert_int_eq(log_lines_with(" /fault/429/search/repositories ",
	    " 429 "), 3);
}
END_TEST

START_TEST(test_exhausted_over_loopback)
{
	static const char *const hn[] = { "HN_API_URL=%s/fault/exhausted/v0",
	    NULL };
	struct json_object	*items;
	struct source_stats	 st;
	char			 err[256];

	ck_assert_int_eq(collect_with(SOURCE_HN, hn, &items, &st, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "rate limit exhausted"));
	ck_assert_uint_eq(st.st_requests, 1);
}
END_TEST

START_TEST(test_pages_over_loopback)
{
	struct enrich_page_opts	 po;
	struct fetch_opts	 fo;
	struct fetch_result	 fr;
	char			*root, *url, *text, err[256];

	root = root_url();
	xasprintf(&url, "%s/pages/article.html", root);
	ck_assert_msg(enrich_fetch_page(NULL, NULL, url, NULL, &text, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(text, "Cutting CI costs with spot "
	    "runners\n\nOur CI bill fell"));
	ck_assert_ptr_nonnull(strstr(text, "runners:\n  min: 4"));
	ck_assert_ptr_nonnull(strstr(text, "every job must be idempotent."));
	ck_assert_ptr_null(strstr(text, "analytics"));
	ck_assert_ptr_null(strstr(text, "newsletter"));
	ck_assert_ptr_null(strstr(text, "Related posts"));
	ck_assert_ptr_null(strstr(text, "Copyright"));
	free(text);
	free(url);

	/* a redirect is followed to the same page */
	xasprintf(&url, "%s/pages/moved.html", root);
	ck_assert_int_eq(enrich_fetch_page(NULL, NULL, url, NULL, &text, err,
	    sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(text, "Our CI bill fell"));
	free(text);
	free(url);

	/* a redirect loop ends at the cap, a redirect to ftp is refused */
	xasprintf(&url, "%s/pages/loop.html", root);
	ck_assert_int_eq(enrich_fetch_page(NULL, NULL, url, NULL, &text, err,
	    sizeof(err)), -1);
	free(url);
	xasprintf(&url, "%s/pages/elsewhere.html", root);
	ck_assert_int_eq(enrich_fetch_page(NULL, NULL, url, NULL, &text, err,
	    sizeof(err)), -1);
	free(url);

	/* a big page is cut at the byte cap, and its text at the text cap */
	memset(&po, 0, sizeof(po));
	po.po_max_bytes = 64 * 1024;
	po.po_text_max = 1000;
	xasprintf(&url, "%s/pages/huge.html", root);
	ck_assert_int_eq(enrich_fetch_page(NULL, NULL, url, &po, &text, err,
	    sizeof(err)), 0);
	ck_assert_uint_le(strlen(text), 1000);
	free(text);
	/* without truncation allowed, the plain fetch refuses it */
	memset(&fo, 0, sizeof(fo));
	fo.fo_max_bytes = 64 * 1024;
	ck_assert_int_eq(fetch_http(NULL, url, &fo, &fr, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "larger than 65536 bytes"));
	free(url);

	xasprintf(&url, "%s/pages/empty.html", root);
	ck_assert_int_eq(enrich_fetch_page(NULL, NULL, url, NULL, &text, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no readable text"));
	free(url);
	xasprintf(&url, "%s/pages/none.html", root);
	ck_assert_int_eq(enrich_fetch_page(NULL, NULL, url, NULL, &text, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "HTTP 404"));
	free(url);
	free(root);
}
END_TEST

START_TEST(test_fetch_headers)
{
	struct fetch_opts	 fo;
	struct fetch_result	 fr;
	char			*url, err[256];

	memset(&fo, 0, sizeof(fo));
	xasprintf(&url, "http://127.0.0.1:%d/fault/429/search/repositories",
	    e2e_standin.port);
	ck_assert_int_eq(fetch_http(NULL, url, &fo, &fr, err, sizeof(err)), 0);
	ck_assert_int_eq(fr.fr_status, 429);
	ck_assert_str_eq(fr.fr_retry_after, "1");
	ck_assert_str_eq(fr.fr_rl_remaining, "0");
	ck_assert_str_eq(fr.fr_content_type, "application/json");
	ck_assert_int_eq(fetch_wait_ms(&fr, 0), 1000);
	fetch_result_release(&fr);
	free(url);
	ck_assert_int_eq(fetch_http(NULL, "file:///etc/passwd", &fo, &fr, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not an http(s) URL"));
	ck_assert_str_eq(fetch_user_agent(), "articlegen/" ARTICLEGEN_VERSION);
}
END_TEST

Suite *
collectnet_suite(void)
{
	Suite	*s = suite_create("collectnet");
	TCase	*tc = tcase_create("loopback");

	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hn_over_loopback);
	tcase_add_test(tc, test_mastodon_over_loopback);
	tcase_add_test(tc, test_github_over_loopback);
	tcase_add_test(tc, test_reddit_over_loopback);
	tcase_add_test(tc, test_failing_sources_do_not_stop_others);
	tcase_add_test(tc, test_retry_after_over_loopback);
	tcase_add_test(tc, test_exhausted_over_loopback);
	tcase_add_test(tc, test_pages_over_loopback);
	tcase_add_test(tc, test_fetch_headers);
	suite_add_tcase(s, tc);
	return (s);
}
