/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_pipeline.c: the whole pipeline end to end, against the stand-in
 * only (it serves the model API, every source's API and linked pages):
 * articlegen run from an empty data and content directory; collect with
 * one source failing; enrich's zero-call gate for published items, the
 * fetched page reaching the research, a reply outside the schema, a 401;
 * the enriched file read back by the loader.  Linked pages outside the
 * stand-in are never fetched: the runs get a proxy on a closed loopback
 * port for every host but 127.0.0.1.
 */
#include <sys/stat.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "item.h"
#include "tests.h"
#include "util.h"
#include "xmalloc.h"

/* The environment of a pipeline run against s; owned strings, NULL-ended. */
static char **
pipeline_env(const struct standin *s, const char *github_prefix)
{
	char	**env = xcalloc(16, sizeof(char *));
	char	 *host;
	size_t	  n = 0;

	xasprintf(&host, "http://127.0.0.1:%d", s->port);
	xasprintf(&env[n++], "OPENAI_BASE_URL=%s", s->base_url);
	xasprintf(&env[n++], "HN_API_URL=%s/v0", host);
	xasprintf(&env[n++], "MASTODON_INSTANCES=%s", host);
	xasprintf(&env[n++], "GITHUB_API_URL=%s%s", host, github_prefix);
	xasprintf(&env[n++], "REDDIT_API_URL=%s", host);
	xasprintf(&env[n++], "REDDIT_AUTH_URL=%s/api/v1/access_token", host);
	env[n++] = xstrdup("REDDIT_CLIENT_ID=testid");
	env[n++] = xstrdup("REDDIT_CLIENT_SECRET=testsecret");
	env[n++] = xstrdup("REDDIT_SUBREDDITS=programming,rust");
	env[n++] = xstrdup("ALL_PROXY=http://127.0.0.1:1");
	env[n++] = xstrdup("NO_PROXY=127.0.0.1");
	env[n++] = xstrdup("RETRY_MAX_ATTEMPTS=0");
	free(host);
	return (env);
}

static void
env_free(char **env)
{
	size_t	i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* The one file of dir whose name starts with prefix, or NULL.  Owned. */
static char *
stage_file(const char *dir, const char *prefix)
{
	char	*list, *line, *save = NULL, *path = NULL;

	list = list_dir(dir, ".json");
	for (line = strtok_r(list, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			ck_assert_msg(path == NULL, "two %s files in %s",
			    prefix, dir);
			xasprintf(&path, "%s/%s", dir, line);
		}
	free(list);
	return (path);
}

START_TEST(test_run_from_empty_dirs)
{
	const char	*args[] = { "--no-progress", "run", NULL };
	struct item_set	 set;
	char		**env, *dir, *out, *err, *posts, *data, *list;
	char		 *path;
	char		 errbuf[256];
	int		 rc, missing;

	env = pipeline_env(&e2e_standin, "");
	dir = test_tmpdir("pipeline-run");
	rc = run_articlegen(dir, args, (const char *const *)env, &out, &err);
	ck_assert_msg(rc == 0, "run: exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "collected ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "enriched ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "reddit     ok") != NULL, "%s", out);
	/* the Reddit secret is never printed */
	ck_assert_ptr_null(strstr(out, "testsecret"));
	ck_assert_ptr_null(strstr(err, "testsecret"));
	xasprintf(&posts, "%s/content/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_msg(count_lines(list) >= 1, "no article in %s\n%s\n%s",
	    posts, out, err);
	free(list);
	xasprintf(&data, "%s/data", dir);
	path = stage_file(data, "collected_");
	ck_assert_ptr_nonnull(path);
	free(path);
	/* the spooled files of the collect jobs are gone */
	list = list_dir(data, NULL);
	ck_assert_msg(strstr(list, ".collect_") == NULL, "%s", list);
	free(list);
	/* the enriched file round-trips through the loader, nothing skipped */
	path = stage_file(data, "enriched_");
	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(item_load_file(path, &set, &missing, errbuf,
	    sizeof(errbuf)), 0);
	ck_assert_uint_gt(set.is_nitems, 5);
	ck_assert_uint_eq(set.is_ninvalid, 0);
	ck_assert_uint_eq(set.is_ntotal, set.is_nitems);
	item_set_release(&set);
	free(path);
	free(out);
	free(err);
	free(posts);
	free(data);
	test_rmtree(dir);
	free(dir);
	env_free(env);
}
END_TEST

/* Workers (the default), then this process alone (--jobs 1). */
START_TEST(test_collect_with_a_failing_source)
{
	const char	*args[] = { "--no-progress", "--jobs", "auto",
	    "collect", NULL };
	char		**env, *dir, *out, *err, *data, *path, *text;
	int		 rc;

	args[2] = _i == 0 ? "auto" : "1";
	env = pipeline_env(&e2e_standin, "/fault/500");
	dir = test_tmpdir("pipeline-collect");
	rc = run_articlegen(dir, args, (const char *const *)env, &out, &err);
	ck_assert_msg(rc == 1, "collect: exit %d, want 1\n%s\n%s", rc, out,
	    err);
	ck_assert_msg(strstr(out, "github     FAILED") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "hackernews ok") != NULL, "%s", out);
	xasprintf(&data, "%s/data", dir);
	path = stage_file(data, "collected_");
	ck_assert_msg(path != NULL, "no collected file\n%s\n%s", out, err);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\"hn_9001\""));
	ck_assert_ptr_nonnull(strstr(text, "\"reddit_"));
	ck_assert_ptr_nonnull(strstr(text, "\"mastodon_"));
	ck_assert_ptr_null(strstr(text, "\"github_"));
	ck_assert_ptr_nonnull(strstr(text, "\"failed\""));
	free(text);
	free(path);
	free(data);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	env_free(env);
}
END_TEST

/*
 * A work directory with data/collected.json holding two stories: one
 * already published (a post of content/posts names its URL), one whose
 * URL is the stand-in's article page.
 */
static char *
enrich_workdir(const struct standin *s, const char *tag)
{
	char	*dir, *path, *text;

	dir = test_tmpdir(tag);
	xasprintf(&path, "%s/content/posts", dir);
	ck_assert_int_eq(mkdir_p(path), 0);
	free(path);
	xasprintf(&path, "%s/content/posts/2026-11-30-old.md", dir);
	ck_assert_int_eq(test_write_file(path, "---\ntitle: \"Old\"\n"
	    "date: 2026-11-30T10:00:00Z\nsources:\n"
	    "  - url: \"https://lwn.net/Articles/990001/\"\n---\n\nBody.\n"),
	    0);
	free(path);
	xasprintf(&text, "{\"collected_at\":\"2026-12-01T12:00:00Z\","
	    "\"total_items\":2,\"items\":["
	    "{\"id\":\"hn_1\",\"title\":\"A kernel scheduler change lands\","
	    "\"content\":\"A kernel scheduler change lands with numbers.\","
	    "\"source\":\"hackernews\",\"url\":\"https://lwn.net/Articles/"
	    "990001/\",\"author\":\"a\",\"collected_at\":\"2026-12-01T11:00:00"
	    "+00:00\",\"metadata\":{\"score\":300,\"comments\":120}},"
	    "{\"id\":\"hn_2\",\"title\":\"Cutting CI costs with spot runners\","
	    "\"content\":\"Cutting CI costs with spot runners\",\"source\":"
	    "\"hackernews\",\"url\":\"http://127.0.0.1:%d/pages/article.html\","
	    "\"author\":\"b\",\"collected_at\":\"2026-12-01T11:00:00+00:00\","
	    "\"metadata\":{\"score\":250,\"comments\":80}}]}", s->port);
	xasprintf(&path, "%s/collected.json", dir);
	ck_assert_int_eq(test_write_file(path, text), 0);
	free(path);
	free(text);
	return (dir);
}

/* articlegen enrich collected.json against s: the exit code and output. */
static int
run_enrich(const struct standin *s, const char *dir, char **out, char **err)
{
	const char	*args[] = { "--no-progress", "--report", "report.json",
	    "enrich", "collected.json", NULL };
	char		**env;
	int		 rc;

	env = pipeline_env(s, "");
	rc = run_articlegen(dir, args, (const char *const *)env, out, err);
	env_free(env);
	return (rc);
}

START_TEST(test_published_costs_nothing_and_page_in_research)
{
	char	*dir, *out, *err, *data, *path, *text;
	int	 rc, before;

	dir = enrich_workdir(&e2e_standin, "pipeline-enrich");
	before = standin_requests(&e2e_standin);
	rc = run_enrich(&e2e_standin, dir, &out, &err);
	ck_assert_msg(rc == 0, "enrich: exit %d\n%s\n%s", rc, out, err);
	/* one call: the published story cost none */
	ck_assert_int_eq(standin_requests(&e2e_standin) - before, 1);
	ck_assert_msg(strstr(out, "1 already published or in cooldown") !=
	    NULL, "%s", out);
	xasprintf(&data, "%s/data", dir);
	path = stage_file(data, "enriched_");
	ck_assert_ptr_nonnull(path);
	text = test_read_file(path, NULL);
	/* words only the page had, not the post */
	ck_assert_msg(strstr(text, "warm pool of four runners") != NULL,
	    "the page did not reach the research:\n%s", text);
	ck_assert_ptr_null(strstr(text, "\"hn_1\""));
	ck_assert_ptr_nonnull(strstr(text, "\"related_sources\": [\n"));
	ck_assert_ptr_nonnull(strstr(text, "/pages/article.html\"\n"));
	free(text);
	free(path);
	/* the stage's report counts the same */
	xasprintf(&path, "%s/report.json", dir);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, "\"published_or_cooldown\": 1,") != NULL &&
	    strstr(text, "\"api_calls\": 1,") != NULL &&
	    strstr(text, "\"exit_code\": 0,") != NULL, "%s", text);
	free(text);
	free(path);
	free(data);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_reply_outside_the_schema_is_left_out)
{
	const char	*extra[] = { "--faults", "badschema", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *data, *path, *text;
	int		 rc;

	standin_start(&s, extra);
	dir = enrich_workdir(&s, "pipeline-schema");
	rc = run_enrich(&s, dir, &out, &err);
	ck_assert_msg(rc == 1, "enrich: exit %d, want 1\n%s\n%s", rc, out,
	    err);
	ck_assert_msg(strstr(out, "left out: enrich 1 (hn_2)") != NULL &&
	    strstr(out, "does not match the schema") != NULL &&
	    strstr(out, "topics") != NULL, "%s", out);
	xasprintf(&data, "%s/data", dir);
	path = stage_file(data, "enriched_");
	ck_assert_ptr_nonnull(path);
	text = test_read_file(path, NULL);
	ck_assert_ptr_null(strstr(text, "\"hn_2\""));
	ck_assert_ptr_nonnull(strstr(text, "\"total_items\": 0,"));
	free(text);
	free(path);
	xasprintf(&path, "%s/report.json", dir);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, "\"id\": \"hn_2\"") != NULL &&
	    strstr(text, "does not match the schema") != NULL, "%s", text);
	free(text);
	free(path);
	free(data);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

START_TEST(test_unauthorized_leaves_no_enriched_file)
{
	const char	*extra[] = { "--faults", "5*status:401", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *data, *path;
	int		 rc;

	standin_start(&s, extra);
	dir = enrich_workdir(&s, "pipeline-401");
	rc = run_enrich(&s, dir, &out, &err);
	ck_assert_msg(rc == 69, "enrich: exit %d, want 69\n%s\n%s", rc, out,
	    err);
	xasprintf(&data, "%s/data", dir);
	path = stage_file(data, "enriched_");
	ck_assert_msg(path == NULL, "an enriched file after a 401: %s", path);
	free(data);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/* articlegen run stops at enrichment's 401: no enriched file, no article. */
START_TEST(test_run_stops_at_unauthorized)
{
	const char	*extra[] = { "--faults", "50*status:401", NULL };
	const char	*args[] = { "--no-progress", "run", NULL };
	struct standin	 s;
	char		**env, *dir, *out, *err, *data, *path, *posts, *list;
	int		 rc;

	standin_start(&s, extra);
	env = pipeline_env(&s, "");
	dir = test_tmpdir("pipeline-run-401");
	rc = run_articlegen(dir, args, (const char *const *)env, &out, &err);
	ck_assert_msg(rc == 69, "run: exit %d, want 69\n%s\n%s", rc, out,
	    err);
	xasprintf(&data, "%s/data", dir);
	path = stage_file(data, "collected_");
	ck_assert_ptr_nonnull(path);
	free(path);
	path = stage_file(data, "enriched_");
	ck_assert_msg(path == NULL, "an enriched file after a 401: %s", path);
	xasprintf(&posts, "%s/content/posts", dir);
	list = list_dir(posts, NULL);
	ck_assert_str_eq(list, "");
	free(list);
	free(posts);
	free(data);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	env_free(env);
	standin_stop(&s);
}
END_TEST

Suite *
pipeline_suite(void)
{
	Suite	*s = suite_create("pipeline");
	TCase	*tc = tcase_create("stages");

	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_run_from_empty_dirs);
	tcase_add_loop_test(tc, test_collect_with_a_failing_source, 0, 2);
	tcase_add_test(tc, test_published_costs_nothing_and_page_in_research);
	suite_add_tcase(s, tc);
	tc = tcase_create("faults");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_reply_outside_the_schema_is_left_out);
	tcase_add_test(tc, test_unauthorized_leaves_no_enriched_file);
	tcase_add_test(tc, test_run_stops_at_unauthorized);
	suite_add_tcase(s, tc);
	return (s);
}
