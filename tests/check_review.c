/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_review.c: the controls a reviewer has over what gets published:
 * draft articles (the file says draft: true and Hugo leaves it out unless
 * asked for drafts), --regenerate of one post in place (same file, the
 * ledger, the lock, clean refusals), and the keys of a replaced post's
 * front matter that articlegen does not write, which survive it.  The
 * review suite runs the real articlegen against the stand-in server; the
 * keptfm suite tests keptfm.c alone.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <yaml.h>

#include "e2e.h"
#include "gen.h"
#include "item.h"
#include "keptfm.h"
#include "render.h"
#include "tests.h"
#include "xmalloc.h"

/* Run hugo (extra: more flags) on site; its exit status. */
static int
review_hugo(const char *site, const char *extra)
{
	char	*cmd;
	int	 rc;

	xasprintf(&cmd, "rm -rf '%s/public' && hugo --quiet %s --source '%s' "
	    "--destination public >'%s/hugo.log' 2>&1", site, extra, site,
	    site);
	rc = system(cmd);
	free(cmd);
	return (rc);
}

/* 1 when path exists. */
static int
exists(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0);
}

START_TEST(test_draft_articles_are_left_out_by_hugo)
{
	const char	*args[] = { "--draft", "-n", "1", "-o",
	    "site/content/posts", "enriched.json", NULL };
	const char	*pargs[] = { "--print-config", NULL };
	const char	*env[3] = { NULL, NULL, NULL };
	char		*dir, *cmd, *out, *err, *posts, *files, *md, *page;
	char		*site, *stem, *text;
	int		 rc;

	dir = e2e_workdir("draft");
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s/site'",
	    test_srcdir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	xasprintf(&posts, "%s/site/content/posts", dir);
	files = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(files), 1);
	*strchr(files, '\n') = '\0';
	xasprintf(&md, "%s/%s", posts, files);
	text = test_read_file(md, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, "\ndraft: true\n") != NULL, "%s", text);
	free(text);

	xasprintf(&site, "%s/site", dir);
	stem = xstrndup(files, strlen(files) - 3);
	xasprintf(&page, "%s/public/posts/%s/index.html", site, stem);
	ck_assert_int_eq(review_hugo(site, ""), 0);
	ck_assert_msg(!exists(page), "hugo published the draft %s", page);
	ck_assert_int_eq(review_hugo(site, "--buildDrafts"), 0);
	ck_assert_msg(exists(page), "hugo --buildDrafts left out %s", page);

	/* the setting, from the environment */
	env[1] = "DRAFT_MODE=yes";
	rc = run_articlegen(dir, pargs, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "\ndraft              = yes") != NULL, "%s",
	    out);
	free(out);
	free(err);

	free(page);
	free(stem);
	free(site);
	free(md);
	free(files);
	free(posts);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_no_draft_by_default)
{
	const char	*args[] = { "-n", "1", "-o", "posts", "enriched.json",
	    NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *posts, *files, *md, *text;
	int		 rc;

	dir = e2e_workdir("nodraft");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	xasprintf(&posts, "%s/posts", dir);
	files = list_dir(posts, ".md");
	*strchr(files, '\n') = '\0';
	xasprintf(&md, "%s/%s", posts, files);
	text = test_read_file(md, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "draft:"));
	free(text);
	free(md);
	free(files);
	free(posts);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * The node type of the top-level key of the YAML front matter of text
 * (0 when absent), with a scalar's value copied into val.
 */
static int
fm_key(const char *text, const char *key, char *val, size_t vlen)
{
	yaml_parser_t		 parser;
	yaml_document_t		 doc;
	yaml_node_t		*root, *k, *v;
	yaml_node_pair_t	*pair;
	const char		*start, *end;
	int			 type = 0;

	ck_assert(strncmp(text, "---\n", 4) == 0);
	start = text + 4;
	end = strstr(start, "\n---\n");
	ck_assert_ptr_nonnull(end);
	ck_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)start,
	    (size_t)(end - start) + 1);
	ck_assert_msg(yaml_parser_load(&parser, &doc), "front matter is not "
	    "YAML: %s", parser.problem != NULL ? parser.problem : "?");
	root = yaml_document_get_root_node(&doc);
	ck_assert(root != NULL && root->type == YAML_MAPPING_NODE);
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&doc, pair->key);
		if (k->type != YAML_SCALAR_NODE ||
		    strcmp((const char *)k->data.scalar.value, key) != 0)
			continue;
		ck_assert_msg(type == 0, "key %s twice", key);
		v = yaml_document_get_node(&doc, pair->value);
		type = (int)v->type;
		if (val != NULL && v->type == YAML_SCALAR_NODE)
			(void)snprintf(val, vlen, "%s",
			    (const char *)v->data.scalar.value);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return (type);
}

/* The first .md file of dir (owned). */
static char *
first_post(const char *dir)
{
	char	*files, *nl, *name;

	files = list_dir(dir, ".md");
	nl = strchr(files, '\n');
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	name = xstrdup(files);
	free(files);
	return (name);
}

/*
 * Put keys articlegen does not write into the front matter of path, and
 * old values into title and summary, as an editor might have.
 */
static void
edit_post(const char *path)
{
	char	*text, *body, *t, *nl, *out;

	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	body = strstr(text + 4, "\n---\n");
	ck_assert_ptr_nonnull(body);
	*body = '\0';
	body += 5;
	/* drop the title:, summary: and date: lines */
	while ((t = strstr(text, "\ntitle: ")) != NULL ||
	    (t = strstr(text, "\nsummary: ")) != NULL ||
	    (t = strstr(text, "\ndate: ")) != NULL) {
		nl = strchr(t + 1, '\n');
		if (nl == NULL)
			*t = '\0';
		else
			memmove(t, nl, strlen(nl) + 1);
	}
	xasprintf(&out, "%s\ntitle: \"Old title\"\nsummary: \"Old summary\"\n"
	    "date: 2020-01-02T03:04:05Z\n"
	    "# the editor's own keys\n"
	    "cover:\n  image: \"/img/cover.png\"\n  alt: 'A cover: kept'\n"
	    "  relative: false\n"
	    "images:\n  - /img/one.png\n  - /img/two.png\n"
	    "series_position: 3\n"
	    "notes: |\n  first line\n  second line\n"
	    "---\n%s", text, body);
	ck_assert_int_eq(test_write_file(path, out), 0);
	free(out);
	free(text);
}

START_TEST(test_regenerate_in_place_keeps_own_keys)
{
	const char	*args[] = { "-n", "2", "-o", "posts", "--ledger",
	    "ledger.jsonl", "enriched.json", NULL };
	const char	*rargs[] = { "--regenerate", NULL, "-o", "posts",
	    "--ledger", "ledger.jsonl", "enriched.json", NULL };
	const char	*dargs[] = { "--dry-run", "--regenerate", NULL, "-o",
	    "posts", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *posts, *before, *after, *name;
	char		*rel, *path, *text, *ledger, val[256];
	int		 rc, calls;

	dir = e2e_workdir("regen");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	calls = standin_requests(&e2e_standin);
	xasprintf(&posts, "%s/posts", dir);
	before = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(before), 2);
	name = first_post(posts);
	xasprintf(&rel, "posts/%s", name);
	xasprintf(&path, "%s/%s", posts, name);
	edit_post(path);

	/* the dry run names the post and changes nothing */
	dargs[2] = rel;
	rc = run_articlegen(dir, dargs, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "[REPLACE]") != NULL && strstr(out, name) !=
	    NULL && strstr(out, "1 article would") != NULL, "%s", out);
	free(out);
	free(err);
	ck_assert_int_eq(standin_requests(&e2e_standin), calls);

	/* published and in cooldown: regenerated all the same */
	rargs[1] = rel;
	rc = run_articlegen(dir, rargs, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "Totals: 1 selected, 1 written") != NULL,
	    "%s", out);
	free(out);
	free(err);
	ck_assert_int_eq(standin_requests(&e2e_standin), calls + 2);
	after = list_dir(posts, ".md");
	ck_assert_str_eq(before, after);
	free(after);
	after = list_dir(posts, NULL);	/* no temporary file left */
	ck_assert_str_eq(after, "");
	free(after);

	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	/* articlegen's keys are new */
	ck_assert_int_eq(fm_key(text, "title", val, sizeof(val)),
	    YAML_SCALAR_NODE);
	ck_assert_str_ne(val, "Old title");
	ck_assert_int_eq(fm_key(text, "summary", val, sizeof(val)),
	    YAML_SCALAR_NODE);
	ck_assert_str_ne(val, "Old summary");
	ck_assert_int_eq(fm_key(text, "date", val, sizeof(val)),
	    YAML_SCALAR_NODE);
	ck_assert_str_ne(val, "2020-01-02T03:04:05Z");
	/* the editor's are kept, as written */
	ck_assert_int_eq(fm_key(text, "cover", NULL, 0), YAML_MAPPING_NODE);
	ck_assert_int_eq(fm_key(text, "images", NULL, 0), YAML_SEQUENCE_NODE);
	ck_assert_int_eq(fm_key(text, "series_position", val, sizeof(val)),
	    YAML_SCALAR_NODE);
	ck_assert_str_eq(val, "3");
	ck_assert_int_eq(fm_key(text, "notes", val, sizeof(val)),
	    YAML_SCALAR_NODE);
	ck_assert_str_eq(val, "first line\nsecond line\n");
	ck_assert_msg(strstr(text, "cover:\n  image: \"/img/cover.png\"\n"
	    "  alt: 'A cover: kept'\n  relative: false\nimages:\n  - "
	    "/img/one.png\n  - /img/two.png\n") != NULL, "%s", text);
	free(text);

	/* the ledger has the regenerated article: 2 + 1 */
	free(path);
	xasprintf(&path, "%s/ledger.jsonl", dir);
	ledger = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(ledger);
	ck_assert_uint_eq(count_lines(ledger), 3);
	ledger[strlen(ledger) - 1] = '\0';	/* its last line: */
	ck_assert_msg(strstr(strrchr(ledger, '\n'), name) != NULL, "%s",
	    ledger);
	free(ledger);

	free(path);
	free(rel);
	free(name);
	free(before);
	free(posts);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_regenerate_refuses_cleanly)
{
	const char	*args[] = { "--regenerate", NULL, "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *path;
	int		 rc;

	dir = e2e_workdir("regenno");
	env[0] = e2e_env_base_url();
	xasprintf(&path, "%s/posts", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
	xasprintf(&path, "%s/posts/other.md", dir);
	ck_assert_int_eq(test_write_file(path, "---\ntitle: \"Other\"\n"
	    "sources:\n- url: \"https://example.org/not-in-the-input\"\n---\n"
	    "\nBody.\n"), 0);
	free(path);
	xasprintf(&path, "%s/posts/nosource.md", dir);
	ck_assert_int_eq(test_write_file(path, "---\ntitle: \"Mine\"\n---\n"
	    "\nBody.\n"), 0);
	free(path);

	/* a post no item of the input covers */
	args[1] = "posts/other.md";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 65, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(err, "posts/other.md") != NULL && strstr(err,
	    "not-in-the-input") != NULL, "%s", err);
	free(out);
	free(err);
	args[1] = "posts/nosource.md";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 65, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(err, "posts/nosource.md") != NULL && strstr(err,
	    "names no source") != NULL, "%s", err);
	free(out);
	free(err);
	/* not a post of the content directory */
	args[1] = "enriched.json";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 64, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(err, "enriched.json: not a post") != NULL, "%s",
	    err);
	free(out);
	free(err);
	/* no such file */
	args[1] = "posts/missing.md";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 66, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(err, "posts/missing.md"));
	free(out);
	free(err);
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	xasprintf(&path, "%s/posts/other.md", dir);
	out = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(out, "title: \"Other\""));
	free(out);
	free(path);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

struct standin_count {
	const struct standin	*s;
	int			 n;
};

static int
standin_reached(void *arg)
{
	const struct standin_count *c = arg;

	return (standin_requests(c->s) >= c->n);
}

START_TEST(test_regenerate_holds_the_lock)
{
	const char	*sa[] = { "--latency-ms", "1500", NULL };
	const char	*args[] = { "-n", "1", "-o", "posts", "enriched.json",
	    NULL };
	const char	*rargs[] = { "--regenerate", NULL, "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	struct standin	 s;
	struct standin_count c;
	struct bgrun	 b;
	char		*dir, *out, *err, *posts, *name, *rel;
	int		 rc;

	standin_start(&s, sa);
	dir = e2e_workdir("regenlock");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = out;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	xasprintf(&posts, "%s/posts", dir);
	name = first_post(posts);
	xasprintf(&rel, "posts/%s", name);
	rargs[1] = rel;
	bg_start(&b, dir, rargs, env);
	/* its first call is in flight: it holds the content directory */
	c.s = &s;
	c.n = 3;
	ck_assert(wait_until(standin_reached, &c, 5000));
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 75, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(err, "another articlegen run"));
	free(out);
	free(err);
	rc = bg_wait(&b, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(out, "1 written"));
	free(out);
	free(err);
	free(rel);
	free(name);
	free(posts);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/* Every top-level key render.c writes is one keptfm.c never keeps. */
START_TEST(test_rendered_keys_are_owned)
{
	struct item		 it;
	struct render_input	 in;
	struct render_cost	 rc = { "content_generation", 0.001 };
	char			*topics[1], *text, *end, *line, *save = NULL, *colon;
	int			 n = 0;

	memset(&it, 0, sizeof(it));
	it.it_id = xstrdup("x");
	it.it_url = xstrdup("https://example.org/a");
	it.it_title = xstrdup("A");
	it.it_author = xstrdup("someone");
	it.it_source = xstrdup("hackernews");
	topics[0] = xstrdup("ai");
	it.it_topics = topics;
	it.it_ntopics = 1;
	memset(&in, 0, sizeof(in));
	in.ri_item = &it;
	in.ri_title = "Title";
	in.ri_body = "Body.";
	in.ri_summary = "Summary.";
	in.ri_generator = "General";
	in.ri_model_content = "m";
	in.ri_model_title = "m";
	in.ri_run_id = "1";
	in.ri_costs = &rc;
	in.ri_ncosts = 1;
	in.ri_draft = 1;
	text = render_article(&in, "Body.");
	end = strstr(text + 4, "\n---\n");
	ck_assert_ptr_nonnull(end);
	end[1] = '\0';
	for (line = strtok_r(text + 4, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == ' ' || *line == '-' ||
		    (colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		ck_assert_msg(keptfm_owned_key(line), "render.c writes %s, "
		    "which keptfm.c would keep from the replaced post", line);
		n++;
	}
	ck_assert_int_ge(n, 14);
	free(text);
	free(it.it_id);
	free(it.it_url);
	free(it.it_title);
	free(it.it_author);
	free(it.it_source);
	free(topics[0]);
}
END_TEST

/* JSON front matter: its own keys come back as YAML. */
START_TEST(test_kept_keys_from_json)
{
	char	*dir, *path, *kept, why[256];

	dir = test_tmpdir("keptjson");
	xasprintf(&path, "%s/p.md", dir);
	ck_assert_int_eq(test_write_file(path, "{\"title\": \"T\", \"cover\": "
	    "{\"image\": \"/a/b.png\"}, \"images\": [\"x.png\"], \"n\": 1}\n"
	    "\nBody\n"), 0);
	kept = keptfm_read(path, why, sizeof(why));
	ck_assert_msg(kept != NULL, "%s", why);
	ck_assert_str_eq(kept, "\"cover\": { \"image\": \"/a/b.png\" }\n"
	    "\"images\": [ \"x.png\" ]\n\"n\": 1\n");
	free(kept);
	ck_assert_int_eq(test_write_file(path, "+++\ntitle = \"T\"\n"
	    "[cover]\nimage = \"x\"\n+++\n"), 0);
	ck_assert_ptr_null(keptfm_read(path, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "TOML"));
	ck_assert_int_eq(test_write_file(path, "---\ntitle: x\nbase: &b\n"
	    "  a: 1\ndate: 2020-01-01\nsources: *b\n---\n"), 0);
	kept = keptfm_read(path, why, sizeof(why));
	ck_assert_str_eq(kept, "base: &b\n  a: 1\n");
	free(kept);
	ck_assert_int_eq(test_write_file(path, "---\ntitle: &t x\n"
	    "mine: *t\n---\n"), 0);
	ck_assert_ptr_null(keptfm_read(path, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "alias"));
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
review_suite(void)
{
	Suite	*s = suite_create("review");
	TCase	*tc = tcase_create("review");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, e2e_setup_standin,
	    e2e_teardown_standin);
	tcase_add_test(tc, test_draft_articles_are_left_out_by_hugo);
	tcase_add_test(tc, test_no_draft_by_default);
	tcase_add_test(tc, test_regenerate_in_place_keeps_own_keys);
	tcase_add_test(tc, test_regenerate_refuses_cleanly);
	tcase_add_test(tc, test_regenerate_holds_the_lock);
	suite_add_tcase(s, tc);
	return (s);
}

/* The same module's unit tests, without programs to run. */
Suite *
keptfm_suite(void)
{
	Suite	*s = suite_create("keptfm");
	TCase	*tc = tcase_create("keptfm");

	tcase_add_test(tc, test_rendered_keys_are_owned);
	tcase_add_test(tc, test_kept_keys_from_json);
	suite_add_tcase(s, tc);
	return (s);
}
