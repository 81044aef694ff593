/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_diagrams_e2e.c: the diagram step end to end.  The real articlegen
 * (with its workers, or alone with --jobs 1) runs against the stand-in
 * server, which answers diagram and validation calls; the tests check the
 * article files, the cost ledger and how many chat requests the stand-in
 * saw: a diagram inserted, an invalid one left out with its cost still
 * recorded, a budget too small for any call, DIAGRAMS_MAX=0, and the
 * example Hugo site rendering the diagram for Mermaid.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "config.h"
#include "diagram.h"
#include "e2e.h"
#include "pricing.h"
#include "tests.h"
#include "xmalloc.h"

/*
 * Two stories about a pipeline's architecture: the stand-in writes their
 * topics into its headings and prose, so sections qualify for a diagram.
 */
static const char diag_input[] =
    "{\"enriched_at\": \"2026-11-20T06:04:40+00:00\", \"items\": [\n"
    "{\"original\": {\"id\": \"hn_77000001\", \"title\": \"Inside a "
    "streaming data pipeline\", \"content\": \"How the ETL pipeline works\", "
    "\"source\": \"hackernews\", \"url\": \"https://example.com/pipeline\", "
    "\"author\": \"ada\"}, \"research_summary\": \"The pipeline reads "
    "events, batches them in stages and writes them to a columnar store.\", "
    "\"related_sources\": [], \"topics\": [\"pipeline architecture\", "
    "\"data flow\", \"stream processing\"], \"quality_score\": 0.9},\n"
    "{\"original\": {\"id\": \"hn_77000002\", \"title\": \"A request path "
    "through a service mesh\", \"content\": \"The HTTP request path\", "
    "\"source\": \"hackernews\", \"url\": \"https://example.com/mesh\", "
    "\"author\": \"bob\"}, \"research_summary\": \"Each request crosses a "
    "sidecar proxy, a load balancer and the service itself.\", "
    "\"related_sources\": [], \"topics\": [\"service mesh architecture\", "
    "\"request path\", \"networking\"], \"quality_score\": 0.9}\n"
    "]}\n";

/* A work directory holding enriched.json; owned. */
static char *
diag_workdir(const char *tag)
{
	char	*dir, *path;

	dir = test_tmpdir(tag);
	xasprintf(&path, "%s/enriched.json", dir);
	ck_assert_int_eq(test_write_file(path, diag_input), 0);
	free(path);
	return (dir);
}

/*
 * Run articlegen in dir against s with extra environment (up to four
 * "K=V", NULL-terminated) writing into dir/posts and dir/ledger.jsonl;
 * asserts it exits 0 and wrote n articles.
 */
static void
diag_run(const struct standin *s, const char *dir, const char *jobs,
    const char *const extra[], int n)
{
	const char	*args[] = { "--jobs", jobs, "-o", "posts", "--ledger",
	    "ledger.jsonl", "enriched.json", NULL };
	const char	*env[8];
	char		*url, *out, *err, *want;
	int		 rc, i, k = 0, set = 0;

	xasprintf(&url, "OPENAI_BASE_URL=%s", s->base_url);
	env[k++] = url;
	for (i = 0; extra != NULL && extra[i] != NULL && k < 6; i++) {
		env[k++] = extra[i];
		set |= strncmp(extra[i], "DIAGRAMS_MAX=", 13) == 0;
	}
	/*
	 * Unless extra sets it, the built-in default: an empty value is no
	 * value, and the harness's own DIAGRAMS_MAX=0 stays out.
	 */
	if (!set)
		env[k++] = "DIAGRAMS_MAX=";
	env[k] = NULL;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	xasprintf(&want, "Totals: %d selected, %d written, 0 failed", n, n);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	free(want);
	free(out);
	free(err);
	free(url);
}

/* The article files of dir/posts, concatenated in name order; owned. */
static char *
diag_articles(const char *dir, int *count)
{
	char	*posts, *files, *line, *save = NULL, *path, *data, *all, *tmp;

	xasprintf(&posts, "%s/posts", dir);
	files = list_dir(posts, ".md");
	all = xstrdup("");
	*count = 0;
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		xasprintf(&path, "%s/%s", posts, line);
		data = test_read_file(path, NULL);
		ck_assert_ptr_nonnull(data);
		xasprintf(&tmp, "%s%s\f", all, data);
		free(all);
		all = tmp;
		free(data);
		free(path);
		(*count)++;
	}
	free(files);
	free(posts);
	return (all);
}

/* The word_count values of the articles, in order, as "N,N,". */
static char *
word_counts(const char *all)
{
	char		*out = xstrdup(""), *tmp;
	const char	*p = all;

	while ((p = strstr(p, "\nword_count: ")) != NULL) {
		p += strlen("\nword_count: ");
		xasprintf(&tmp, "%s%d,", out, atoi(p));
		free(out);
		out = tmp;
	}
	return (out);
}

static char *
diag_ledger(const char *dir)
{
	char	*path, *data;

	xasprintf(&path, "%s/ledger.jsonl", dir);
	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	free(path);
	return (data);
}

static void
diag_cleanup(char *dir)
{
	test_rmtree(dir);
	free(dir);
}

/*
 * DIAGRAMS_MAX=0: two calls an article and no diagram.  Then the default
 * settings, through workers and in one process: each article gets one
 * diagram after its section's first paragraph, with a caption, both
 * calls' costs in its front matter and in its ledger line, and the same
 * word_count as without the diagram.
 */
START_TEST(test_diagram_inserted)
{
	static const char *const jobs[] = { "2", "1" };
	const char	*off[] = { "DIAGRAMS_MAX=0", NULL };
	struct standin	 s;
	char		*dir, *all, *ledger, *words_off, *words_on, *p;
	int		 n, base, j;

	standin_start(&s, NULL);
	dir = diag_workdir("diagoff");
	diag_run(&s, dir, "2", off, 2);
	ck_assert_int_eq(standin_requests(&s), 4);
	all = diag_articles(dir, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_ptr_null(strstr(all, "```mermaid"));
	ck_assert_int_eq(occurrences(all, "\nillustrations_count: 0\n"), 2);
	ck_assert_ptr_null(strstr(all, "diagram_"));
	words_off = word_counts(all);
	free(all);
	diag_cleanup(dir);

	for (j = 0; j < (int)nitems(jobs); j++) {
		base = standin_requests(&s);
		dir = diag_workdir("diagon");
		diag_run(&s, dir, jobs[j], NULL, 2);
		/* content, title, diagram and validation, for each */
		ck_assert_int_eq(standin_requests(&s) - base, 8);
		all = diag_articles(dir, &n);
		ck_assert_int_eq(n, 2);
		ck_assert_int_eq(occurrences(all, "\n```mermaid\nflowchart "),
		    2);
		ck_assert_int_eq(occurrences(all,
		    "\nillustrations_count: 1\n"), 2);
		ck_assert_int_eq(occurrences(all, "\n  diagram_generation:\n"
		    "  - "), 2);
		ck_assert_int_eq(occurrences(all, "\n  diagram_validation:\n"
		    "  - "), 2);
		/* in its section, after the first paragraph, with a caption */
		p = strstr(all, "\n```mermaid\n");
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(p[-1] == '\n' && p[-2] != '\n' &&
		    p[-2] != '#', "the diagram follows no paragraph");
		p = strstr(p, "\n```\n\n*Figure 1: ");
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(strstr(p, " at a glance*\n"));
		ck_assert_int_eq(occurrences(all, "*Figure 2:"), 0);
		words_on = word_counts(all);
		ck_assert_str_eq(words_on, words_off);
		free(words_on);
		ledger = diag_ledger(dir);
		ck_assert_uint_eq(count_lines(ledger), 2);
		ck_assert_int_eq(occurrences(ledger,
		    "\"diagram_generation\":[0."), 2);
		ck_assert_int_eq(occurrences(ledger,
		    "\"diagram_validation\":[0."), 2);
		free(ledger);
		free(all);
		diag_cleanup(dir);
	}
	free(words_off);
	standin_stop(&s);
}
END_TEST

/*
 * The stand-in answers every diagram call with a flowchart that fails
 * the Mermaid check: no validation call, no diagram, the articles still
 * written, each generation call's cost in the front matter and ledger.
 */
START_TEST(test_invalid_diagram_left_out)
{
	const char	*faults[] = { "--faults", "8*diagram_invalid", NULL };
	struct standin	 s;
	char		*dir, *all, *ledger;
	int		 n;

	standin_start(&s, faults);
	dir = diag_workdir("diaginvalid");
	diag_run(&s, dir, "2", NULL, 2);
	/* content, title and diagram: the diagram is never judged */
	ck_assert_int_eq(standin_requests(&s), 6);
	all = diag_articles(dir, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_ptr_null(strstr(all, "```mermaid"));
	ck_assert_ptr_null(strstr(all, "*Figure"));
	ck_assert_int_eq(occurrences(all, "\nillustrations_count: 0\n"), 2);
	ck_assert_int_eq(occurrences(all, "\n  diagram_generation:\n  - "),
	    2);
	ck_assert_ptr_null(strstr(all, "diagram_validation"));
	ledger = diag_ledger(dir);
	ck_assert_int_eq(occurrences(ledger,
	    "\"diagram_generation\":[0."), 2);
	ck_assert_ptr_null(strstr(ledger, "diagram_validation"));
	free(ledger);
	free(all);
	diag_cleanup(dir);
	standin_stop(&s);
}
END_TEST

/*
 * A budget smaller than one diagram's worst case: no diagram call at all,
 * and articles as without diagrams.  The same when what is left of
 * MAX_COST_PER_ARTICLE after the content and title calls is too small.
 */
START_TEST(test_budget_too_small_makes_no_call)
{
	const char	*small[] = { "DIAGRAM_BUDGET_USD=0.0005", NULL };
	const char	*cap[] = { "MAX_COST_PER_ARTICLE=0.0015", NULL };
	struct standin	 s;
	char		*dir, *all, *ledger;
	int		 n, i;
	const char	*const *envs[] = { small, cap };

	standin_start(&s, NULL);
	for (i = 0; i < (int)nitems(envs); i++) {
		int	base = standin_requests(&s);

		dir = diag_workdir("diagbudget");
		diag_run(&s, dir, "2", envs[i], 2);
		ck_assert_msg(standin_requests(&s) - base == 4, "case %d: %d "
		    "requests", i, standin_requests(&s) - base);
		all = diag_articles(dir, &n);
		ck_assert_int_eq(n, 2);
		ck_assert_ptr_null(strstr(all, "```mermaid"));
		ck_assert_int_eq(occurrences(all,
		    "\nillustrations_count: 0\n"), 2);
		ck_assert_ptr_null(strstr(all, "diagram_"));
		ledger = diag_ledger(dir);
		ck_assert_ptr_null(strstr(ledger, "diagram_"));
		free(ledger);
		free(all);
		diag_cleanup(dir);
	}
	standin_stop(&s);
}
END_TEST

/*
 * The example Hugo site renders a diagram as <pre class="mermaid"> with
 * its code escaped, and loads the Mermaid script only when the site names
 * one (params.mermaid), with its integrity hash.  No network: the script
 * is never fetched.
 */
START_TEST(test_site_renders_diagrams)
{
	const char	*args[] = { "--jobs", "2", "-o", "site/content/posts",
	    "--ledger", "ledger.jsonl", "enriched.json", NULL };
	const char	*env[3] = { NULL, "DIAGRAMS_MAX=", NULL };
	struct standin	 s;
	char		*dir, *cmd, *out, *err, *files, *line, *save = NULL;
	char		*page, *path, *pre;
	int		 rc, pass, pages;

	standin_start(&s, NULL);
	dir = diag_workdir("diagsite");
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s/site'",
	    test_srcdir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	xasprintf(&cmd, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = cmd;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	free(cmd);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {	/* the site names a script */
			xasprintf(&path, "%s/site/config.toml", dir);
			page = test_read_file(path, NULL);
			ck_assert_ptr_nonnull(page);
			xasprintf(&cmd, "%s\n[params.mermaid]\nsrc = "
			    "\"/js/mermaid.min.js\"\nintegrity = "
			    "\"sha384-test\"\n", page);
			ck_assert_int_eq(test_write_file(path, cmd), 0);
			free(cmd);
			free(page);
			free(path);
		}
		xasprintf(&cmd, "hugo --quiet --source '%s/site' --destination "
		    "public >'%s/hugo.log' 2>&1", dir, dir);
		ck_assert_msg(system(cmd) == 0, "hugo failed");
		free(cmd);
		xasprintf(&path, "%s/site/content/posts", dir);
		files = list_dir(path, ".md");
		free(path);
		pages = 0;
		for (line = strtok_r(files, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			line[strlen(line) - 3] = '\0';
			xasprintf(&path, "%s/site/public/posts/%s/index.html",
			    dir, line);
			page = test_read_file(path, NULL);
			ck_assert_msg(page != NULL, "no page %s", path);
			pre = strstr(page, "<pre class=\"mermaid\">flowchart ");
			ck_assert_msg(pre != NULL, "%s: no diagram", path);
			/* the code, escaped: quotes and arrows */
			ck_assert_ptr_nonnull(strstr(pre, "A[&#34;"));
			ck_assert_ptr_nonnull(strstr(pre, "--&gt;"));
			ck_assert_ptr_null(strstr(page, "language-mermaid"));
			ck_assert_ptr_nonnull(strstr(page, "Figure 1: "));
			if (pass == 0)
				ck_assert_ptr_null(strstr(page, "<script"));
			else
				ck_assert_ptr_nonnull(strstr(page,
				    "<script src=\"/js/mermaid.min.js\" "
				    "integrity=\"sha384-test\" "
				    "crossorigin=\"anonymous\"></script>"));
			free(page);
			free(path);
			pages++;
		}
		ck_assert_int_eq(pages, 2);
		free(files);
	}
	diag_cleanup(dir);
	standin_stop(&s);
}
END_TEST

/*
 * The default DIAGRAM_BUDGET_USD lets the default model make one diagram
 * and its validation for the longest section a prompt holds (worst
 * cases: the whole output caps of a reasoning model).
 */
START_TEST(test_default_budget_fits_one_diagram)
{
	struct config		 cfg;
	struct diagram_budget	 db;
	struct diagram_section	*secs;
	struct pricing		*p;
	struct buf		 b;
	const char		*model;
	char			 path[1024], errbuf[256], *prompt;
	size_t			 n;

	config_init(&cfg);
	ck_assert_int_eq(config_int(&cfg, CK_DIAGRAMS_MAX), 1);
	ck_assert_ptr_null(config_str(&cfg, CK_MODEL_DIAGRAM));
	model = config_str(&cfg, CK_MODEL_CONTENT);
	(void)snprintf(path, sizeof(path), "%s/config/pricing.json",
	    test_srcdir());
	p = pricing_load(path, errbuf, sizeof(errbuf));
	ck_assert_msg(p != NULL, "%s", errbuf);
	buf_init(&b);
	buf_puts(&b, "Intro.\n\n## How the pipeline works\n\n");
	while (b.b_len < DIAGRAM_SECTION_MAX + 1000)
		buf_puts(&b, "Each stage reads a batch and hands it on. ");
	buf_puts(&b, "\n");
	n = diagram_sections(buf_cstr(&b), &secs);
	ck_assert_uint_eq(n, 1);
	prompt = diagram_prompt(buf_cstr(&b), &secs[0]);
	diagram_budget_init(&db, p, config_double(&cfg, CK_DIAGRAM_BUDGET), 0,
	    0, 2);
	ck_assert_msg(diagram_budget_may_generate(&db, model, strlen(prompt),
	    DIAGRAM_GEN_MAX_TOKENS_REASONING,
	    DIAGRAM_VAL_MAX_TOKENS_REASONING) == 1, "the default budget "
	    "$%g has no room for one diagram with %s", db.db_limit, model);
	diagram_budget_release(&db);
	free(prompt);
	diagram_sections_free(secs, n);
	buf_release(&b);
	pricing_free(p);
	config_release(&cfg);
}
END_TEST

/* --emit-jobs writes the diagram settings into each article's job. */
START_TEST(test_emitted_jobs_carry_the_settings)
{
	const char	*args[] = { "--emit-jobs", "jobs", "enriched.json",
	    NULL };
	const char	*env[] = { "DIAGRAMS_MAX=2", "DIAGRAM_BUDGET_USD=0.5",
	    "MODEL_DIAGRAM=gpt-4o-mini", NULL };
	char		*dir, *out, *err, *path, *job;
	int		 rc;

	dir = diag_workdir("diagjobs");
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	xasprintf(&path, "%s/jobs/job-1.json", dir);
	job = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(job);
	ck_assert_ptr_nonnull(strstr(job, "\"diagrams_max\":2"));
	ck_assert_ptr_nonnull(strstr(job, "\"diagram_budget\":0.5"));
	ck_assert_ptr_nonnull(strstr(job,
	    "\"model_diagram\":\"gpt-4o-mini\""));
	free(job);
	free(path);
	free(out);
	free(err);
	diag_cleanup(dir);
}
END_TEST

Suite *
diagrams_e2e_suite(void)
{
	Suite	*s = suite_create("diagrams_e2e");
	TCase	*tc = tcase_create("run");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_diagram_inserted);
	tcase_add_test(tc, test_invalid_diagram_left_out);
	tcase_add_test(tc, test_budget_too_small_makes_no_call);
	tcase_add_test(tc, test_site_renders_diagrams);
	suite_add_tcase(s, tc);
	tc = tcase_create("defaults");
	tcase_add_test(tc, test_default_budget_fits_one_diagram);
	tcase_add_test(tc, test_emitted_jobs_carry_the_settings);
	suite_add_tcase(s, tc);
	return (s);
}
