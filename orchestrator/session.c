/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * session.c: owns one run from its input to its exit code.  The order is
 * the point: nothing is spent before the input, the lock, the writable
 * outputs, the plan and the price table are all in hand; the run is
 * assembled from the settings in one place (assemble_run()); and every
 * path out releases what it took.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apikey.h"
#include "article_kind.h"
#include "config.h"
#include "covermake.h"
#include "gen.h"
#include "input.h"
#include "item.h"
#include "keptfm.h"
#include "ledger.h"
#include "llm.h"
#include "lock.h"
#include "log.h"
#include "options.h"
#include "output.h"
#include "plan.h"
#include "preflight.h"
#include "pricing.h"
#include "publish.h"
#include "ratelimit.h"
#include "report.h"
#include "run.h"
#include "session.h"
#include "settings.h"
#include "signals.h"
#include "util.h"
#include "workerenv.h"
#include "xmalloc.h"

/* What the run's callbacks need. */
struct session {
	const struct config	*ss_cfg;
	struct output		*ss_out;
	struct ledger		 ss_ledger;
	int64_t			 ss_now;
	struct article_settings	 ss_as;		/* what every article shares */
	struct article_input	*ss_inputs;	/* one per job */
	char			**ss_kept;	/* per job: keptfm.h, or NULL */
};

void
session_output_init(struct output *out, const struct options *opt)
{
	output_init(out, opt->o_verbose == 0);
	if (opt->o_progress == 1)
		output_set_progress(out, OUTPUT_PROGRESS_ALWAYS);
	else if (opt->o_progress == 0)
		output_set_progress(out, OUTPUT_PROGRESS_NEVER);
}

static void
on_article_done(struct run *r, struct job *a)
{
	struct session		*ss = r->r_arg;
	const struct item	*it = article_item(a);
	const struct gen_result	*res = article_result(a);
	char			 errbuf[512];

	if (a->j_state == JOB_DONE) {
		log_info("article %lld (%s): wrote %s \"%s\" (%zu words, "
		    "%.1f s, $%.6f)", a->j_id, it->it_id, res->gr_path,
		    res->gr_title, res->gr_words, a->j_elapsed_ms / 1000.0,
		    res->gr_cost);
		if (ledger_append(&ss->ss_ledger, it, res,
		    config_str(ss->ss_cfg, CK_RUN_ID), ss->ss_now, errbuf,
		    sizeof(errbuf)) == -1)
			log_warnx("cost ledger: %s", errbuf);
	} else
		log_warnx("article %lld (%s): failed: %s", a->j_id, it->it_id,
		    a->j_why);
	output_article_done(ss->ss_out, r, a);
}

/*
 * Make the run durable once every article has its outcome: one fsync of
 * the cost ledger (nothing when it has not changed since) and, with
 * sync_dir, one of the content directory, which publish_article() leaves
 * to its caller.  Workers fsync it themselves after each result, while
 * this runs; articles published in this process need sync_dir.
 */
static void
make_durable(struct run *r, int sync_dir)
{
	struct session	*ss = r->r_arg;
	const char	*dir = config_str(ss->ss_cfg, CK_CONTENT_DIR);
	char		 errbuf[512];

	if (ledger_sync(&ss->ss_ledger, errbuf, sizeof(errbuf)) == -1)
		log_warnx("cost ledger: %s", errbuf);
	if (sync_dir && r->r_done > 0 && publish_sync_dir(dir) == -1)
		log_warn("fsync %s", dir);
}

static void
on_settled(struct run *r)
{
	make_durable(r, 0);
}

static void
on_tick(struct run *r, size_t running)
{
	struct session	*ss = r->r_arg;

	output_progress(ss->ss_out, r, running);
}

static void
on_worker_log(struct run *r, struct job *a, const char *line)
{
	struct session	*ss = r->r_arg;

	output_article_log(ss->ss_out, r, a, line);
}

/*
 * Fill run from the plan and the settings: one article job per pick, the
 * settings every article shares (kept in ss), the supervision limits and
 * the callbacks.  The jobs and their inputs are owned by run and ss
 * (release_run()); everything else is borrowed from cfg, set, pricing
 * and pricing_path, which must outlive them.
 */
static void
assemble_run(struct run *run, const struct config *cfg,
    const struct item_set *set, const struct selection *sel,
    struct pricing *pricing, const char *pricing_path, int verbose,
    struct session *ss)
{
	struct article_settings	*as = &ss->ss_as;
	size_t			 i, n = sel->sel_npicks;

	memset(run, 0, sizeof(*run));
	memset(as, 0, sizeof(*as));
	run->r_set = set;
	run->r_njobs = n;
	run->r_jobs = n > 0 ? xcalloc(n, sizeof(*run->r_jobs)) : NULL;
	ss->ss_inputs = n > 0 ? xcalloc(n, sizeof(*ss->ss_inputs)) : NULL;
	ss->ss_kept = n > 0 ? xcalloc(n, sizeof(*ss->ss_kept)) : NULL;
	for (i = 0; i < n; i++) {
		struct article_input *ai = &ss->ss_inputs[i];

		ai->ai_item = &set->is_items[sel->sel_picks[i].sp_item];
		ai->ai_index = sel->sel_picks[i].sp_item;
		ai->ai_replace = sel->sel_picks[i].sp_replace;
		if (ai->ai_replace != NULL)
			ai->ai_kept_fm = ss->ss_kept[i] =
			    keptfm_for_replace(ai->ai_replace);
		ai->ai_settings = as;
		run->r_jobs[i].j_kind = &article_kind;
		run->r_jobs[i].j_input = &ss->ss_inputs[i];
		run->r_jobs[i].j_id = (long long)i + 1;
		run->r_jobs[i].j_slot = -1;
	}
	as->as_gs.gs_model_content = config_str(cfg, CK_MODEL_CONTENT);
	as->as_gs.gs_model_title = config_str(cfg, CK_MODEL_TITLE);
	as->as_gs.gs_content_dir = config_str(cfg, CK_CONTENT_DIR);
	as->as_gs.gs_run_id = config_str(cfg, CK_RUN_ID);
	as->as_gs.gs_now = ss->ss_now;
	as->as_gs.gs_pricing = pricing;
	as->as_gs.gs_max_cost = config_double(cfg, CK_MAX_COST_ARTICLE);
	as->as_gs.gs_diagrams_max = (int)config_int(cfg, CK_DIAGRAMS_MAX);
	as->as_gs.gs_diagram_budget = config_double(cfg, CK_DIAGRAM_BUDGET);
	as->as_gs.gs_model_diagram = config_str(cfg, CK_MODEL_DIAGRAM);
	as->as_gs.gs_draft = config_bool(cfg, CK_DRAFT);
	as->as_gs.gs_cover_sources = config_str(cfg, CK_COVER_SOURCES);
	as->as_gs.gs_static_dir = config_str(cfg, CK_STATIC_DIR);
	as->as_gs.gs_model_image = config_str(cfg, CK_MODEL_IMAGE);
	as->as_gs.gs_image_size = config_str(cfg, CK_IMAGE_SIZE);
	as->as_gs.gs_image_quality = config_str(cfg, CK_IMAGE_QUALITY);
	as->as_gs.gs_unsplash_url = config_str(cfg, CK_UNSPLASH_URL);
	as->as_api.wa_base_url = config_str(cfg, CK_BASE_URL);
	as->as_api.wa_provider = config_str(cfg, CK_PROVIDER);
	as->as_api.wa_timeout_s = (int)config_int(cfg, CK_API_TIMEOUT);
	as->as_api.wa_retries = (int)config_int(cfg, CK_API_RETRIES);
	as->as_api.wa_pricing_path = pricing_path;
	as->as_api.wa_rate_limited = 1;	/* every call goes through us */
	run->r_job_timeout_s = (int)config_int(cfg, CK_ARTICLE_TIMEOUT);
	run->r_idle_timeout_s = (int)config_int(cfg, CK_IDLE_TIMEOUT);
	/* heartbeats three times within the idle timeout, 1 to 10 s apart */
	as->as_api.wa_heartbeat_ms = run->r_idle_timeout_s * 1000 / 3;
	if (as->as_api.wa_heartbeat_ms > 10000)
		as->as_api.wa_heartbeat_ms = 10000;
	if (as->as_api.wa_heartbeat_ms < 1000)
		as->as_api.wa_heartbeat_ms = 1000;
	run->r_retries = (int)config_int(cfg, CK_ARTICLE_RETRIES);
	run->r_grace_s = (int)config_int(cfg, CK_GRACE);
	run->r_max_cost_run = config_double(cfg, CK_MAX_COST_RUN);
	ratelimit_init(&run->r_rl, (long)config_int(cfg, CK_RATE_RPM),
	    (long)config_int(cfg, CK_RATE_TPM), monotime_ms());
	run->r_verbose = verbose;
	run->r_forkserver = strcmp(config_str(cfg, CK_SPAWN),
	    "fork-server") == 0;
	run->r_quit = signals_quit();
	run->r_on_done = on_article_done;
	run->r_on_tick = on_tick;
	run->r_on_settled = on_settled;
	run->r_on_log = on_worker_log;
	run->r_arg = ss;
}

/* Free what assemble_run() made. */
static void
release_run(struct run *run, struct session *ss)
{
	size_t	i;

	for (i = 0; i < run->r_njobs; i++) {
		job_release(&run->r_jobs[i]);
		if (ss->ss_kept != NULL)
			free(ss->ss_kept[i]);
	}
	free(run->r_jobs);
	free(ss->ss_inputs);
	free(ss->ss_kept);
	ss->ss_kept = NULL;
	run->r_jobs = NULL;
	run->r_njobs = 0;
	ss->ss_inputs = NULL;
}

/*
 * The mode a run uses, as a notice; none with -q, which shows warnings
 * and errors only.
 */
static void PRINTFLIKE(1, 2)
mode_notice(const char *fmt, ...)
{
	va_list	ap;

	if (log_getverbose() < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_PRIO_NOTICE, fmt, ap);
	va_end(ap);
}

/* The number of workers for npicks articles: --jobs, or auto. */
static size_t
worker_count(const struct config *cfg, size_t npicks)
{
	size_t	jobs;

	if (strcmp(config_str(cfg, CK_JOBS), "auto") == 0)
		jobs = npicks < SESSION_AUTO_JOBS_MAX ? npicks : SESSION_AUTO_JOBS_MAX;
	else
		jobs = (size_t)config_int(cfg, CK_JOBS);
	if (jobs > npicks)
		jobs = npicks;
	return (jobs == 0 ? 1 : jobs);
}

/*
 * Run the articles: with worker processes when more than one article is
 * selected, jobs allow it and the worker binary is found (and starts);
 * else in this process.  mode says which, for the summary.  Returns 0, or
 * an exit code when the run could not start at all.
 */
static int
execute_run(struct run *run, const struct config *cfg, const char *api_key,
    int wakefd, char *mode, size_t modelen, int *parallel)
{
	char			 why[512], *worker = NULL, **envp;
	size_t			 jobs = worker_count(cfg, run->r_njobs);
	int			 bad;

	*parallel = 0;
	why[0] = '\0';
	if (run->r_njobs == 0)
		(void)strlcpy(why, "no article selected", sizeof(why));
	else if (strcmp(config_str(cfg, CK_JOBS), "auto") != 0 &&
	    config_int(cfg, CK_JOBS) == 1)
		(void)strlcpy(why, "--jobs 1", sizeof(why));
	else if (run->r_njobs == 1)
		(void)strlcpy(why, "one article selected", sizeof(why));
	else if ((worker = workerenv_find_worker(config_str(cfg, CK_WORKER),
	    &bad)) == NULL) {
		if (bad) {
			log_warnx("worker (%s): not an executable file",
			    config_str(cfg, CK_WORKER));
			return (EXIT_CONFIG);
		}
		(void)snprintf(why, sizeof(why), "articlegen-worker not found "
		    "next to articlegen or in " ARTICLEGEN_LIBEXECDIR);
	} else
		*parallel = 1;

	if (*parallel) {
		mode_notice("parallel: %zu worker processes for %zu articles",
		    jobs, run->r_njobs);
		(void)snprintf(mode, modelen, "parallel, %zu workers", jobs);
		envp = workerenv_new(api_key);
		if (run_parallel(run, worker, envp, jobs, wakefd, why,
		    sizeof(why)) == -1) {
			log_warnx("single-process: cannot start workers (%s)",
			    why);
			*parallel = 0;
		}
		workerenv_free(envp);
	} else
		mode_notice("single-process: %s", why);
	free(worker);
	if (*parallel)
		return (0);
	(void)snprintf(mode, modelen, "single-process");
	if (run->r_njobs == 0)
		return (0);
	/* only this process talks to the API in single-process mode */
	if (run_inline(run, api_key) == -1)
		return (EXIT_CONFIG);
	return (0);
}

/* The exit code of a run that went through, logging what to do next. */
static int
run_exit_code(const struct run *run)
{
	if (run->r_fatal) {
		log_warnx("the API refused the run: %s", run->r_fatal_msg);
		log_warnx("check the API key (OPENAI_API_KEY, --api-key-file or "
		    "the openai_api_key credential), the account's billing and "
		    "quota, and OPENAI_BASE_URL; then run again");
		return (EXIT_UNAVAILABLE);
	}
	if (run->r_broken) {
		log_warnx("%s", run->r_broken_msg);
		log_warnx("check the articlegen-worker binary (--worker, or "
		    "reinstall so that it matches articlegen %s)",
		    ARTICLEGEN_VERSION);
		return (EXIT_SOFTWARE);
	}
	if (run->r_interrupted || signals_stop_requested()) {
		if (signals_deadline_passed())
			log_warnx("stopped at the --max-duration deadline; the "
			    "next run generates what is left");
		return (EXIT_TEMPFAIL);
	}
	return (run->r_done == run->r_njobs ? EXIT_OK : EXIT_ARTICLES_FAILED);
}

/* The plan of the run: one post to regenerate, or the selection. */
static int
build_plan(struct plan *plan, const struct options *opt,
    const struct config *cfg, const struct item_set *set, int64_t now)
{
	if (opt->o_regenerate != NULL)
		return (plan_build_regenerate(plan, cfg, set, opt->o_regenerate,
		    now));
	return (plan_build(plan, cfg, set, opt->o_force, opt->o_only,
	    opt->o_nonly, now));
}

/*
 * The run proper, once the input is loaded and the lock taken: the
 * checks before spending, the plan, the price table, the articles, and
 * what a run leaves: durable output, the summary and the report.
 */
static int
locked_run(const struct options *opt, const struct config *cfg,
    struct output *out, const struct item_set *set, const char *api_key,
    int wakefd)
{
	struct session	 ss;
	struct plan	 plan;
	struct run	 run;
	struct pricing	*pricing = NULL;
	const char	*dir = config_str(cfg, CK_CONTENT_DIR);
	const char	*report = config_str(cfg, CK_REPORT_FILE);
	char		 errbuf[1024], mode[96], *pricing_path, *ledger_path;
	int64_t		 start;
	int		 code, parallel, lost;

	memset(&ss, 0, sizeof(ss));
	memset(&run, 0, sizeof(run));
	memset(&plan, 0, sizeof(plan));
	ss.ss_cfg = cfg;
	ss.ss_out = out;
	ss.ss_now = (int64_t)time(NULL);
	pricing_path = settings_pricing_path(cfg);
	ledger_path = settings_ledger_path(cfg);
	ledger_init(&ss.ss_ledger, ledger_path);
	if (preflight_writable(dir, ledger_path, errbuf, sizeof(errbuf)) ==
	    -1) {
		log_warnx("%s; nothing was generated", errbuf);
		code = EXIT_CANTCREAT;
		goto out;
	}
	if ((code = build_plan(&plan, opt, cfg, set, ss.ss_now)) != 0)
		goto out;
	(void)publish_remove_stale(dir);
	/* a stop requested so far ends here, before the next blocking open */
	if (signals_stop_requested()) {
		code = EXIT_TEMPFAIL;
		goto out;
	}
	if ((pricing = pricing_load(pricing_path, errbuf,
	    sizeof(errbuf))) == NULL) {
		code = signals_stop_requested() ? EXIT_TEMPFAIL : EXIT_CONFIG;
		if (code == EXIT_CONFIG)
			log_warnx("pricing table: %s", errbuf);
		goto out;
	}
	/* from here the run loop polls: system calls may restart */
	signals_restart_calls();
	assemble_run(&run, cfg, set, &plan.p_sel, pricing, pricing_path,
	    opt->o_verbose, &ss);
	output_set_articles(out, run.r_njobs);
	start = monotime_ms();
	code = execute_run(&run, cfg, api_key, wakefd, mode, sizeof(mode),
	    &parallel);
	/* the run is over: a deadline passing now would stop nothing */
	signals_set_deadline(0);
	if (code != 0)
		goto out;
	/*
	 * A worker stopped hard may have been killed between its result and
	 * its own fsync of the directory: then it is done here.
	 */
	make_durable(&run, !parallel || run.r_interrupted || run.r_fatal ||
	    run.r_broken || signals_stop_requested());
	output_finish(out);
	/* a worker killed while writing leaves its temporary file: remove it */
	if (publish_remove_stale(dir) > 0)
		log_info("removed temporary files of stopped workers");
	if (ledger_close(&ss.ss_ledger, errbuf, sizeof(errbuf)) == -1)
		log_warnx("cost ledger: %s", errbuf);
	lost = ledger_failures(&ss.ss_ledger) > 0;
	/* with the report on standard output, the summary goes to stderr */
	if (report_print(report != NULL && strcmp(report, "-") == 0 ? stderr :
	    stdout, &run, &plan.p_sel, mode, monotime_ms() - start,
	    &ss.ss_ledger) == -1) {
		log_warnx("summary: standard output cannot be written");
		lost = 1;
	}
	code = report_exit_code(run_exit_code(&run), lost);
	if (report != NULL && report_write_json(report, &run, &plan.p_sel,
	    mode, code, monotime_ms() - start, &ss.ss_ledger, errbuf,
	    sizeof(errbuf)) == -1) {
		log_warnx("report: %s", errbuf);
		code = report_exit_code(code, 1);
	}
	if (output_step_summary(&run, &plan.p_sel, mode, code) == -1)
		code = report_exit_code(code, 1);
out:
	release_run(&run, &ss);
	(void)ledger_close(&ss.ss_ledger, errbuf, sizeof(errbuf));
	plan_release(&plan);
	pricing_free(pricing);
	free(pricing_path);
	free(ledger_path);
	return (code);
}

/*
 * The cover line of a dry run: the sources that would be tried, and
 * where the files would go.
 */
static void
print_cover_plan(const struct config *cfg)
{
	const char	*names[COVER_SOURCES_MAX], *key;
	char		 why[128];
	int		 n, i;

	n = cover_sources_parse(config_str(cfg, CK_COVER_SOURCES), names, why,
	    sizeof(why));
	if (n <= 0) {
		printf("Covers: off\n");
		return;
	}
	key = getenv("UNSPLASH_ACCESS_KEY");
	printf("Covers: ");
	for (i = 0; i < n; i++)
		printf("%s%s%s", i > 0 ? ", then " : "", names[i],
		    strcmp(names[i], COVER_SOURCE_UNSPLASH) == 0 && (key ==
		    NULL || key[0] == '\0') ? " (skipped: no "
		    "UNSPLASH_ACCESS_KEY)" : "");
	printf("; into %s/images/\n", config_str(cfg, CK_STATIC_DIR));
}

/* --dry-run and --emit-jobs: the plan without the run. */
static int
show_plan(const struct options *opt, const struct config *cfg,
    const struct item_set *set)
{
	struct plan	plan;
	int		code;

	if ((code = build_plan(&plan, opt, cfg, set, (int64_t)time(NULL))) ==
	    0) {
		if (opt->o_action == ACTION_EMIT_JOBS)
			code = plan_emit_jobs(&plan, set, cfg, opt->o_emit_dir);
		else {
			plan_print(&plan, set, config_str(cfg, CK_CONTENT_DIR));
			print_cover_plan(cfg);
		}
	}
	plan_release(&plan);
	return (code);
}

int
session_run(const struct options *opt, const struct settings *s,
    struct output *out, const char *api_key, const char *key_from,
    int wakefd)
{
	const struct config	*cfg = &s->s_cfg;
	struct item_set		 set;
	char			 errbuf[1024];
	int			 code, lockfd, busy;

	if (opt->o_action == ACTION_RUN && api_key == NULL &&
	    apikey_needed(config_str(cfg, CK_BASE_URL))) {
		log_warnx("no API key: set OPENAI_API_KEY (or --api-key-file), "
		    "or point OPENAI_BASE_URL at a local OpenAI-compatible "
		    "server");
		return (EXIT_CONFIG);
	}
	log_debug("API key: %s", key_from != NULL ? key_from : "none");
	/* articlegen run set the deadline for all its stages (pipeline.c) */
	if (opt->o_action == ACTION_RUN && opt->o_command != CMD_RUN)
		signals_set_deadline((unsigned)config_int(&s->s_cfg,
		    CK_MAX_DURATION));
	if ((code = input_load(opt->o_input, config_str(cfg, CK_DATA_DIR),
	    &set)) != 0)
		return (code);
	if (opt->o_action != ACTION_RUN) {
		/* a dry run changes nothing: no lock */
		code = show_plan(opt, cfg, &set);
		item_set_release(&set);
		return (code);
	}
	/* one run per content directory at a time */
	if ((lockfd = lock_content_dir(config_str(cfg, CK_CONTENT_DIR),
	    config_bool(cfg, CK_LOCK_WAIT), signals_quit(), &busy, errbuf,
	    sizeof(errbuf))) == -1) {
		log_warnx("%s", errbuf);
		item_set_release(&set);
		return (busy ? EXIT_TEMPFAIL : EXIT_CANTCREAT);
	}
	code = locked_run(opt, cfg, out, &set, api_key, wakefd);
	lock_release(lockfd);
	item_set_release(&set);
	return (code);
}
