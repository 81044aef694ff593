/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pipeline.c: the collect and enrich stages as runs of jobs, supervised
 * like articles (run.c: workers, deadlines, the shared API budget, fatal
 * API answers, signals), and articlegen run, which chains collect,
 * enrich and generate, each stage's file being the next one's input.
 *
 * Collect: one job per source, all at once; a source that fails stops
 * nothing; the spooled items of the others are merged by normalised URL
 * (collectmerge.c) into DATA_DIR/collected_<UTC>.json.  Enrich: the gate
 * (published or in cooldown per the post index, then the pre-score)
 * costs no call; each remaining item is a job with one model call; the
 * enriched items are written as DATA_DIR/enriched_<UTC>.json unless the
 * API refused the key or the quota (exit 69, no file).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "apikey.h"
#include "collectmerge.h"
#include "config.h"
#include "enrich.h"
#include "item.h"
#include "job.h"
#include "lock.h"
#include "log.h"
#include "options.h"
#include "outfile.h"
#include "output.h"
#include "pipeline.h"
#include "postindex.h"
#include "pricing.h"
#include "run.h"
#include "session.h"
#include "settings.h"
#include "signals.h"
#include "sources.h"
#include "stage_kinds.h"
#include "urlnorm.h"
#include "util.h"
#include "workerenv.h"
#include "xmalloc.h"

/*
 * Where a stage's summary goes: standard output, or standard error when
 * the report goes to standard output (--report -), as for generate.
 */
static FILE	*summary_out;

/* A line of the stage's summary. */
static void PRINTFLIKE(1, 2)
say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vfprintf(summary_out, fmt, ap);
	va_end(ap);
}

/* The collected item's JSON beyond this cannot travel in a job message. */
#define PIPELINE_ITEM_MAX	(512 * 1024)

/* The settings of each source, by its environment names' prefix. */
static const struct {
	enum source_kind	 kind;
	const char		*prefix;	/* "HN_" */
} source_prefixes[] = {
	{ SOURCE_HN, "HN_" },
	{ SOURCE_MASTODON, "MASTODON_" },
	{ SOURCE_GITHUB, "GITHUB_" },
	{ SOURCE_REDDIT, "REDDIT_" },
};

static void
on_stage_tick(struct run *r, size_t running)
{
	output_progress(r->r_arg, r, running);
}

/* A run of njobs jobs with the supervision settings of cfg. */
static void
stage_run_init(struct run *run, const struct config *cfg, size_t njobs,
    int verbose, struct output *out)
{
	size_t	i;

	memset(run, 0, sizeof(*run));
	run->r_njobs = njobs;
	run->r_jobs = njobs > 0 ? xcalloc(njobs, sizeof(*run->r_jobs)) : NULL;
	for (i = 0; i < njobs; i++) {
		run->r_jobs[i].j_id = (long long)i + 1;
		run->r_jobs[i].j_slot = -1;
	}
	run->r_job_timeout_s = (int)config_int(cfg, CK_ARTICLE_TIMEOUT);
	run->r_idle_timeout_s = (int)config_int(cfg, CK_IDLE_TIMEOUT);
	run->r_retries = (int)config_int(cfg, CK_ARTICLE_RETRIES);
	run->r_grace_s = (int)config_int(cfg, CK_GRACE);
	run->r_max_cost_run = config_double(cfg, CK_MAX_COST_RUN);
	ratelimit_init(&run->r_rl, (long)config_int(cfg, CK_RATE_RPM),
	    (long)config_int(cfg, CK_RATE_TPM), monotime_ms());
	run->r_verbose = verbose;
	run->r_forkserver = strcmp(config_str(cfg, CK_SPAWN),
	    "fork-server") == 0;
	run->r_quit = signals_quit();
	run->r_on_tick = on_stage_tick;
	run->r_arg = out;
}

static void
stage_run_release(struct run *run)
{
	size_t	i;

	for (i = 0; i < run->r_njobs; i++)
		job_release(&run->r_jobs[i]);
	free(run->r_jobs);
	run->r_jobs = NULL;
	run->r_njobs = 0;
}

/*
 * Carry out run's jobs: with up to maxjobs workers when the worker is
 * found and --jobs is not 1, else in this process.  Returns 0, or an exit
 * code when nothing could run.
 */
static int
stage_execute(struct run *run, const struct config *cfg, const char *api_key,
    size_t maxjobs, int wakefd, struct output *out)
{
	char	 why[512], *worker = NULL, **envp;
	size_t	 jobs;
	int	 bad, parallel = 0;

	if (run->r_njobs == 0)
		return (0);
	if (strcmp(config_str(cfg, CK_JOBS), "auto") == 0)
		jobs = maxjobs;
	else
		jobs = (size_t)config_int(cfg, CK_JOBS);
	if (jobs > run->r_njobs)
		jobs = run->r_njobs;
	if (jobs > 1 && (worker = workerenv_find_worker(config_str(cfg,
	    CK_WORKER), &bad)) != NULL)
		parallel = 1;
	else if (jobs > 1 && bad) {
		log_warnx("worker (%s): not an executable file",
		    config_str(cfg, CK_WORKER));
		return (EXIT_CONFIG);
	}
	output_set_articles(out, run->r_njobs);
	signals_restart_calls();
	if (parallel) {
		envp = workerenv_new(api_key);
		if (run_parallel(run, worker, envp, jobs, wakefd, why,
		    sizeof(why)) == -1) {
			log_warnx("single-process: cannot start workers (%s)",
			    why);
			parallel = 0;
		}
		workerenv_free(envp);
	}
	free(worker);
	if (!parallel && run_inline(run, api_key) == -1)
		return (EXIT_CONFIG);
	output_finish(out);
	return (0);
}

/* The settings object of one source: every key of its prefix, by env name. */
static struct json_object *
source_settings_json(const struct config *cfg, const char *prefix)
{
	struct json_object	*o = json_object_new_object();
	const char *const	*env;
	size_t			 k;

	for (k = 0; k < CK_NKEYS; k++) {
		env = config_env_names((enum config_key)k);
		if (env[0] == NULL || strncmp(env[0], prefix,
		    strlen(prefix)) != 0 || config_str(cfg, k) == NULL)
			continue;
		json_object_object_add(o, env[0],
		    json_object_new_string(config_str(cfg, k)));
	}
	return (o);
}

/* The stage's lock: one pipeline per content directory at a time. */
static int
stage_lock(const struct config *cfg, int *code)
{
	char	errbuf[1024];
	int	fd, busy;

	if ((fd = lock_content_dir(config_str(cfg, CK_CONTENT_DIR),
	    config_bool(cfg, CK_LOCK_WAIT), signals_quit(), &busy, errbuf,
	    sizeof(errbuf))) == -1) {
		log_warnx("%s", errbuf);
		*code = busy ? EXIT_TEMPFAIL : EXIT_CANTCREAT;
	}
	return (fd);
}

/*
 * Write the stage's JSON report (moved in) to the report file, when one
 * is set and the command is this stage alone (articlegen run's report is
 * its generate stage's).  Returns code, or 74 when it cannot be written.
 */
static int
stage_report(const struct options *opt, const struct config *cfg,
    enum command stage, struct json_object *rep, int code, int64_t start)
{
	const char	*path = config_str(cfg, CK_REPORT_FILE);
	const char	*text;
	char		 errbuf[1024], *buf;

	if (path == NULL || opt->o_command != stage) {
		json_object_put(rep);
		return (code);
	}
	json_object_object_add(rep, "exit_code", json_object_new_int(code));
	json_object_object_add(rep, "elapsed_ms",
	    json_object_new_int64(monotime_ms() - start));
	text = json_object_to_json_string_ext(rep, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	xasprintf(&buf, "%s\n", text);
	if (outfile_write(path, buf, strlen(buf), errbuf, sizeof(errbuf)) ==
	    -1) {
		log_warnx("report: %s", errbuf);
		code = EXIT_IOERR;
	}
	free(buf);
	json_object_put(rep);
	return (code);
}

/* The exit code of a stage's run that went through. */
static int
stage_exit_code(const struct run *run, size_t failed)
{
	if (run->r_fatal) {
		log_warnx("the API refused the run: %s", run->r_fatal_msg);
		return (EXIT_UNAVAILABLE);
	}
	if (run->r_broken) {
		log_warnx("%s", run->r_broken_msg);
		return (EXIT_SOFTWARE);
	}
	if (run->r_interrupted || signals_stop_requested())
		return (EXIT_TEMPFAIL);
	return (failed > 0 ? EXIT_ARTICLES_FAILED : EXIT_OK);
}

/*
 * articlegen collect: every source at once; writes the collected file
 * (*pathp, owned) when at least one source gave items.
 */
static int
stage_collect(const struct options *opt, const struct config *cfg,
    struct output *out, const char *api_key, int wakefd, char **pathp)
{
	struct collect_input	 in[nitems(source_prefixes)];
	struct json_object	*sets[nitems(source_prefixes)];
	struct json_object	*summary, *s, *items, *rep;
	struct collect_merge	*m;
	struct run		 run;
	const char		*dir = config_str(cfg, CK_DATA_DIR);
	char			 errbuf[1024];
	size_t			 i, failed = 0, ok = 0;
	int64_t			 now = (int64_t)time(NULL), start;
	int			 code;

	*pathp = NULL;
	stage_run_init(&run, cfg, nitems(source_prefixes), opt->o_verbose,
	    out);
	run.r_retries = 0;	/* a source's own requests are retried */
	for (i = 0; i < nitems(source_prefixes); i++) {
		sets[i] = source_settings_json(cfg, source_prefixes[i].prefix);
		in[i].ci_source = source_name(source_prefixes[i].kind);
		in[i].ci_settings = sets[i];
		in[i].ci_spool_dir = dir;
		in[i].ci_now = now;
		run.r_jobs[i].j_kind = &collect_kind;
		run.r_jobs[i].j_input = &in[i];
	}
	start = monotime_ms();
	if (mkdir_p(dir) == -1) {
		log_warn("data directory %s", dir);
		code = EXIT_CANTCREAT;
		goto out;
	}
	if ((code = stage_execute(&run, cfg, api_key, nitems(source_prefixes),
	    wakefd, out)) != 0)
		goto out;
	m = collect_merge_new();
	summary = json_object_new_object();
	say("collect:\n");
	for (i = 0; i < run.r_njobs; i++) {
		const struct job		*j = &run.r_jobs[i];
		const struct collect_outcome	*co = collect_outcome(j);

		s = json_object_new_object();
		if (j->j_state == JOB_DONE && co->co_file != NULL &&
		    (items = collect_load_file(co->co_file, errbuf,
		    sizeof(errbuf))) != NULL) {
			(void)collect_merge_add(m, items);
			json_object_object_add(s, "status",
			    json_object_new_string("ok"));
			json_object_object_add(s, "items",
			    json_object_new_int64((int64_t)
			    json_object_array_length(items)));
			say("  %-10s ok, %zu items%s%s\n", in[i].ci_source,
			    json_object_array_length(items),
			    co->co_note != NULL ? "; " : "",
			    co->co_note != NULL ? co->co_note : "");
			json_object_put(items);
			ok++;
		} else if (j->j_state == JOB_DONE && co->co_file == NULL) {
			json_object_object_add(s, "status",
			    json_object_new_string("skipped"));
			json_object_object_add(s, "reason",
			    json_object_new_string(co->co_skipped));
			say("  %-10s skipped: %s\n", in[i].ci_source,
			    co->co_skipped);
		} else {
			const char *why = j->j_state == JOB_DONE ? errbuf :
			    j->j_why[0] != '\0' ? j->j_why : "not started";

			json_object_object_add(s, "status",
			    json_object_new_string("failed"));
			json_object_object_add(s, "error",
			    json_object_new_string(why));
			say("  %-10s FAILED: %s\n", in[i].ci_source, why);
			failed++;
		}
		if (co != NULL && co->co_file != NULL)
			(void)unlink(co->co_file);
		json_object_object_add(summary, in[i].ci_source, s);
	}
	code = stage_exit_code(&run, failed);
	rep = json_object_new_object();
	json_object_object_add(rep, "stage", json_object_new_string("collect"));
	json_object_object_add(rep, "sources", json_object_get(summary));
	if (ok == 0) {
		json_object_put(summary);
		say("collected nothing: no collected file written\n");
		if (code == EXIT_OK)
			code = EXIT_ARTICLES_FAILED;
	} else if (collect_merge_write(m, dir, now, summary, pathp, errbuf,
	    sizeof(errbuf)) == -1) {
		log_warnx("collected file: %s", errbuf);
		code = EXIT_CANTCREAT;
	} else
		say("collected %zu items from %zu of %zu sources in %.1f s: "
		    "%s\n", collect_merge_count(m), ok, run.r_njobs,
		    (monotime_ms() - start) / 1000.0, *pathp);
	json_object_object_add(rep, "items", json_object_new_int64(
	    (int64_t)collect_merge_count(m)));
	json_object_object_add(rep, "collected_file", *pathp != NULL ?
	    json_object_new_string(*pathp) : NULL);
	collect_merge_free(m);
	(void)fflush(summary_out);
	code = stage_report(opt, cfg, CMD_COLLECT, rep, code, start);
out:
	stage_run_release(&run);
	for (i = 0; i < nitems(source_prefixes); i++)
		json_object_put(sets[i]);
	return (code);
}

/* The enrich gate's question: is this URL published or in cooldown? */
struct known_ctx {
	const struct postindex	*kc_index;
	/* the start of the cooldown, or 0 for none */
	int64_t			 kc_since;
};

static int
url_known(void *arg, const char *normurl)
{
	struct known_ctx	*kc = arg;

	return (postindex_find(kc->kc_index, normurl, NULL) ||
	    (kc->kc_since > 0 && postindex_recent(kc->kc_index, normurl,
	    kc->kc_since, NULL)));
}

/*
 * articlegen enrich: the gate, then one job per item left; writes the
 * enriched file (*pathp, owned) unless the API refused the run.
 */
static int
stage_enrich(const struct options *opt, const struct config *cfg,
    struct output *out, const char *api_key, int wakefd, const char *input,
    char **pathp)
{
	struct enrich_settings	 es;
	struct enrich_input	*in = NULL;
	struct json_object	*items, *it, *enriched, *rep, *leftout;
	struct postindex	*index;
	struct known_ctx	 kc;
	struct run		 run;
	struct pricing		*pricing;
	const char		*dir = config_str(cfg, CK_DATA_DIR);
	char			*path = NULL, *pricing_path;
	char			 errbuf[1024], why[512];
	size_t			 i, n, njobs = 0, known = 0, noise = 0;
	size_t			 bad = 0, failed = 0;
	double			 heuristic, threshold;
	int64_t			 now = (int64_t)time(NULL), start;
	int			 code = EXIT_OK;

	*pathp = NULL;
	if (input == NULL && (path = item_find_newest_stage(dir,
	    "collected_")) == NULL) {
		log_warnx("no collected file (%s/collected_*.json); run "
		    "articlegen collect first or name one", dir);
		return (EXIT_NOINPUT);
	}
	if ((items = collect_load_file(input != NULL ? input : path, errbuf,
	    sizeof(errbuf))) == NULL) {
		log_warnx("%s", errbuf);
		code = access(input != NULL ? input : path, R_OK) == -1 ?
		    EXIT_NOINPUT : EXIT_DATAERR;
		free(path);
		return (code);
	}
	log_info("enriching %s", input != NULL ? input : path);
	free(path);
	if ((index = postindex_build(config_str(cfg, CK_CONTENT_DIR), errbuf,
	    sizeof(errbuf))) == NULL) {
		log_warnx("%s", errbuf);
		json_object_put(items);
		return (EXIT_CANTCREAT);
	}
	kc.kc_index = index;
	kc.kc_since = config_int(cfg, CK_COOLDOWN_DAYS) > 0 ? now -
	    (int64_t)config_int(cfg, CK_COOLDOWN_DAYS) * 86400 : 0;
	threshold = config_double(cfg, CK_PRESCORE_THRESHOLD);
	pricing_path = settings_pricing_path(cfg);
	if ((pricing = pricing_load(pricing_path, errbuf,
	    sizeof(errbuf))) == NULL) {
		log_warnx("pricing table: %s", errbuf);
		free(pricing_path);
		postindex_free(index);
		json_object_put(items);
		return (EXIT_CONFIG);
	}
	pricing_free(pricing);	/* checked here; each worker loads it */
	memset(&es, 0, sizeof(es));
	es.es_model = config_str(cfg, CK_MODEL_ENRICHMENT);
	es.es_base_url = config_str(cfg, CK_BASE_URL);
	es.es_provider = config_str(cfg, CK_PROVIDER);
	es.es_pricing_path = pricing_path;
	es.es_timeout_s = (int)config_int(cfg, CK_API_TIMEOUT);
	es.es_retries = (int)config_int(cfg, CK_API_RETRIES);
	es.es_now = now;
	n = json_object_array_length(items);
	in = n > 0 ? xcalloc(n, sizeof(*in)) : NULL;
	for (i = 0; i < n; i++) {
		it = json_object_array_get_idx(items, i);
		switch (enrich_gate(it, url_known, &kc, threshold, &heuristic,
		    why, sizeof(why))) {
		case ENRICH_GO:
			if (strlen(json_object_to_json_string_ext(it,
			    JSON_C_TO_STRING_PLAIN)) > PIPELINE_ITEM_MAX) {
				log_warnx("item %zu: over %d bytes of JSON; "
				    "left out", i, PIPELINE_ITEM_MAX);
				bad++;
				break;
			}
			in[njobs].ei_item = it;
			in[njobs].ei_heuristic = heuristic;
			in[njobs].ei_set = &es;
			njobs++;
			break;
		case ENRICH_SKIP_KNOWN:
			log_debug("%s", why);
			known++;
			break;
		case ENRICH_SKIP_NOISE:
			log_debug("%s", why);
			noise++;
			break;
		case ENRICH_SKIP_BAD:
			log_info("%s", why);
			bad++;
			break;
		}
	}
	postindex_free(index);
	stage_run_init(&run, cfg, njobs, opt->o_verbose, out);
	run.r_retries = 0;	/* API failures are retried in the worker */
	es.es_heartbeat_ms = run.r_idle_timeout_s * 1000 / 3;
	if (es.es_heartbeat_ms > 10000)
		es.es_heartbeat_ms = 10000;
	if (es.es_heartbeat_ms < 1000)
		es.es_heartbeat_ms = 1000;
	for (i = 0; i < njobs; i++) {
		run.r_jobs[i].j_kind = &enrich_kind;
		run.r_jobs[i].j_input = &in[i];
	}
	start = monotime_ms();
	if (njobs > 0 && api_key == NULL &&
	    apikey_needed(config_str(cfg, CK_BASE_URL))) {
		log_warnx("no API key: set OPENAI_API_KEY (or --api-key-file), "
		    "or point OPENAI_BASE_URL at a local OpenAI-compatible "
		    "server");
		code = EXIT_CONFIG;
		goto out;
	}
	if ((code = stage_execute(&run, cfg, api_key, SESSION_AUTO_JOBS_MAX *
	    2, wakefd, out)) != 0)
		goto out;
	enriched = json_object_new_array();
	say("enrich: %zu items: %zu already published or in cooldown, "
	    "%zu under the pre-score %.2f, %zu unusable, %zu model calls "
	    "for %zu items\n", n, known, noise, threshold, bad,
	    (size_t)run.r_api_calls, njobs);
	rep = json_object_new_object();
	leftout = json_object_new_array();
	for (i = 0; i < run.r_njobs; i++) {
		const struct job		*j = &run.r_jobs[i];
		const struct enrich_input	*ei = j->j_input;
		struct json_object		*lo, *id;

		if (j->j_state == JOB_DONE)
			json_object_array_add(enriched,
			    json_object_get(enrich_outcome(j)->eo_item));
		else {
			say("  left out: %s: %s\n", job_name(j),
			    j->j_why[0] != '\0' ? j->j_why : "not started");
			lo = json_object_new_object();
			json_object_object_add(lo, "id",
			    json_object_object_get_ex(ei->ei_item, "id", &id) ?
			    json_object_get(id) : NULL);
			json_object_object_add(lo, "reason",
			    json_object_new_string(j->j_why[0] != '\0' ?
			    j->j_why : "not started"));
			json_object_array_add(leftout, lo);
			failed++;
		}
	}
	code = stage_exit_code(&run, failed);
	json_object_object_add(rep, "stage", json_object_new_string("enrich"));
	json_object_object_add(rep, "items", json_object_new_int64((int64_t)n));
	json_object_object_add(rep, "published_or_cooldown",
	    json_object_new_int64((int64_t)known));
	json_object_object_add(rep, "under_prescore",
	    json_object_new_int64((int64_t)noise));
	json_object_object_add(rep, "unusable",
	    json_object_new_int64((int64_t)bad));
	json_object_object_add(rep, "jobs",
	    json_object_new_int64((int64_t)njobs));
	json_object_object_add(rep, "enriched", json_object_new_int64(
	    (int64_t)json_object_array_length(enriched)));
	json_object_object_add(rep, "api_calls",
	    json_object_new_int(run.r_api_calls));
	json_object_object_add(rep, "cost_usd",
	    json_object_new_double(run.r_spent));
	json_object_object_add(rep, "left_out", leftout);
	if (run.r_fatal)
		say("the API refused the run: no enriched file written\n");
	else if (enrich_write_file(dir, now, enriched, pathp, errbuf,
	    sizeof(errbuf)) == -1) {
		log_warnx("enriched file: %s", errbuf);
		code = EXIT_CANTCREAT;
	} else
		say("enriched %zu of %zu items ($%.6f, %.1f s): %s\n",
		    json_object_array_length(enriched), njobs, run.r_spent,
		    (monotime_ms() - start) / 1000.0, *pathp);
	(void)fflush(summary_out);
	json_object_put(enriched);
	json_object_object_add(rep, "enriched_file", *pathp != NULL ?
	    json_object_new_string(*pathp) : NULL);
	code = stage_report(opt, cfg, CMD_ENRICH, rep, code, start);
out:
	stage_run_release(&run);
	free(in);
	free(pricing_path);
	json_object_put(items);
	return (code);
}

/* The worse of two stage exit codes: any failure beats success. */
static int
worse(int a, int b)
{
	if (a == EXIT_OK)
		return (b);
	if (b == EXIT_OK || b == EXIT_ARTICLES_FAILED)
		return (a);
	return (a == EXIT_ARTICLES_FAILED ? b : a);
}

/*
 * Whether articlegen run goes on to the next stage after one that ended
 * with code: only after a success or some items failing (1), and no stop
 * request.
 */
static int
go_on(int code)
{
	return ((code == EXIT_OK || code == EXIT_ARTICLES_FAILED) &&
	    !signals_stop_requested());
}

int
pipeline_main(const struct options *opt, const struct settings *s,
    struct output *out, const char *api_key, const char *key_from,
    int wakefd)
{
	const struct config	*cfg = &s->s_cfg;
	struct options		 gen;
	char			*collected = NULL, *enriched = NULL;
	int			 code = EXIT_OK, c, lockfd;

	summary_out = config_str(cfg, CK_REPORT_FILE) != NULL &&
	    strcmp(config_str(cfg, CK_REPORT_FILE), "-") == 0 ? stderr : stdout;
	signals_set_deadline((unsigned)config_int(cfg, CK_MAX_DURATION));
	if (opt->o_command == CMD_COLLECT || opt->o_command == CMD_RUN) {
		if ((lockfd = stage_lock(cfg, &code)) == -1)
			return (code);
		code = stage_collect(opt, cfg, out, api_key, wakefd,
		    &collected);
		lock_release(lockfd);
		if (opt->o_command == CMD_COLLECT || collected == NULL ||
		    !go_on(code))
			goto done;
	}
	if ((lockfd = stage_lock(cfg, &c)) == -1) {
		code = worse(code, c);
		goto done;
	}
	c = stage_enrich(opt, cfg, out, api_key, wakefd,
	    collected != NULL ? collected : opt->o_input, &enriched);
	lock_release(lockfd);
	code = worse(code, c);
	if (opt->o_command == CMD_ENRICH || enriched == NULL || !go_on(c))
		goto done;
	/* the generate stage of run: the deadline set above still holds */
	gen = *opt;
	gen.o_command = CMD_RUN;
	gen.o_input = enriched;
	code = worse(code, session_run(&gen, s, out, api_key, key_from,
	    wakefd));
done:
	/* the run is over: a deadline passing now would stop nothing */
	signals_set_deadline(0);
	free(collected);
	free(enriched);
	return (code);
}
