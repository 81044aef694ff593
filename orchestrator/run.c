/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * run.c: owns the state of each article of a run and the policy around
 * the workers: which article goes to which slot, what each message means
 * for it, what a worker's exit means, deadlines, silent workers, retries,
 * the shared API budget, cost ceilings, fatal API answers and graceful
 * stops.  The mechanics of processes and pipes are pool.c's.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "gen.h"
#include "item.h"
#include "llm.h"
#include "log.h"
#include "pool.h"
#include "pricing.h"
#include "proto.h"
#include "ratelimit.h"
#include "run.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

#define KILL_GRACE_MS	5000	/* SIGTERM to SIGKILL */
#define HARD_STOP_MS	2000	/* second signal / fatal: SIGTERM to SIGKILL */
#define RETRY_BASE_MS	1000
#define RETRY_MAX_MS	30000
#define WORKER_MAX_JOBS	100	/* a worker is recycled after this many */

struct prun {
	struct run		*pr_run;
	struct pool		*pr_pool;
	int			*pr_slot_art;	/* article index per slot, -1 */
	int			*pr_slot_jobs;	/* jobs given to the slot's worker */
	int64_t			*pr_idle_kill;	/* retiring worker: SIGKILL at */
	size_t			 pr_nslots;
	int			 pr_stopping;	/* no new articles */
	int			 pr_hard;	/* in-flight articles stopped */
};

static void	article_written(struct prun *, int, struct run_article *);
static void	send_job(struct prun *, int, struct run_article *);
static struct run_article *next_pending(struct run *, int64_t, int64_t *);

static const struct item *
art_item(const struct run *r, const struct run_article *a)
{
	return (&r->r_set->is_items[a->ra_item]);
}

int64_t
run_retry_backoff_ms(int n)
{
	int64_t	ms = RETRY_BASE_MS;

	while (--n > 0 && ms < RETRY_MAX_MS)
		ms *= 2;
	return (ms > RETRY_MAX_MS ? RETRY_MAX_MS : ms);
}

static void
art_finish(struct run *r, struct run_article *a, int ok)
{
	a->ra_state = ok ? ART_DONE : ART_FAILED;
	if (ok)
		r->r_done++;
	else
		r->r_failed++;
	if (r->r_on_done != NULL)
		r->r_on_done(r, a);
}

static void
note_fatal(struct run *r, const struct gen_error *e)
{
	if (r->r_fatal)
		return;
	r->r_fatal = 1;
	(void)snprintf(r->r_fatal_msg, sizeof(r->r_fatal_msg), "%s (%s)",
	    e->ge_message, e->ge_code);
}

/* Account one finished API call: count, cost, 429 back-pressure. */
static void
note_call(struct run *r, struct run_article *a, const char *model,
    int status, long pt, long ct, int64_t retry_after_ms)
{
	double	cost;

	r->r_api_calls++;
	a->ra_calls++;
	a->ra_tokens += pt + ct;
	if (model != NULL && (pt > 0 || ct > 0)) {
		cost = pricing_text_cost(r->r_gs.gs_pricing, model, pt, ct,
		    NULL);
		r->r_spent += cost;
		a->ra_spent += cost;
	}
	if (status == 429)
		ratelimit_pause(&r->r_rl, retry_after_ms, monotime_ms());
	if (r->r_max_cost_run > 0 && r->r_spent >= r->r_max_cost_run &&
	    !r->r_cost_stopped) {
		r->r_cost_stopped = 1;
		log_warnx("cost ceiling reached: $%.6f spent of MAX_COST_PER_RUN "
		    "$%.6f; no new article will start", r->r_spent,
		    r->r_max_cost_run);
	}
}

/* Has a first (graceful) or second (hard) stop been asked for? */
static int
quit_level(struct run *r)
{
	int	q = r->r_quit != NULL ? (int)*r->r_quit : 0;

	if (q > 0 && r->r_quit_at == 0) {
		r->r_quit_at = monotime_ms();
		r->r_interrupted = 1;
	}
	return (q);
}

static int
should_stop_starting(struct run *r)
{
	return (quit_level(r) > 0 || r->r_fatal || r->r_broken ||
	    r->r_cost_stopped);
}

/* ---- single-process mode ---- */

struct inline_ctx {
	struct run		*ic_run;
	struct run_article	*ic_art;
};

static void
inline_progress(void *arg, const char *stage)
{
	struct inline_ctx	*ic = arg;

	setproctitle("single-process: article %lld (%s): %s",
	    ic->ic_art->ra_id, art_item(ic->ic_run, ic->ic_art)->it_id, stage);
	log_debug("article %lld (%s): %s", ic->ic_art->ra_id,
	    art_item(ic->ic_run, ic->ic_art)->it_id, stage);
}

/* Cancel the call in flight on a second signal or when the grace ends. */
static void
inline_tick(void *arg)
{
	struct inline_ctx	*ic = arg;
	struct run		*r = ic->ic_run;
	int			 q = quit_level(r);

	if (q >= 2 || r->r_fatal || (q == 1 && monotime_ms() >= r->r_quit_at +
	    (int64_t)r->r_grace_s * 1000))
		r->r_cancel = 1;
	if (r->r_on_tick != NULL)
		r->r_on_tick(r, 1);
}

static int
inline_before_call(void *arg, const char *op, long tokens)
{
	struct inline_ctx	*ic = arg;
	struct run		*r = ic->ic_run;
	int64_t			 wait, end;

	(void)op;
	inline_tick(arg);
	if (r->r_cancel)
		return (-1);
	wait = ratelimit_reserve(&r->r_rl, tokens, monotime_ms());
	end = monotime_ms() + wait;
	while (monotime_ms() < end && !r->r_cancel) {
		sleep_ms(end - monotime_ms() > 500 ? 500 : end - monotime_ms());
		inline_tick(arg);
	}
	return (r->r_cancel ? -1 : 0);
}

static void
inline_after_call(void *arg, const char *op, const char *model, int status,
    long pt, long ct, int64_t retry_after_ms)
{
	struct inline_ctx	*ic = arg;

	(void)op;
	note_call(ic->ic_run, ic->ic_art, model, status, pt, ct,
	    retry_after_ms);
}

int
run_inline(struct run *r, struct llm_client *client)
{
	struct inline_ctx	 ic;
	struct gen_hooks	 hooks;
	struct gen_settings	 gs;
	struct run_article	*a;
	size_t			 i;

	for (i = 0; i < r->r_narts; i++) {
		a = &r->r_arts[i];
		if (a->ra_state != ART_PENDING)
			continue;
		if (should_stop_starting(r)) {
			a->ra_state = ART_NOT_STARTED;
			continue;
		}
		ic.ic_run = r;
		ic.ic_art = a;
		memset(&hooks, 0, sizeof(hooks));
		hooks.gh_arg = &ic;
		hooks.gh_progress = inline_progress;
		hooks.gh_llm.h_arg = &ic;
		hooks.gh_llm.h_before_call = inline_before_call;
		hooks.gh_llm.h_after_call = inline_after_call;
		hooks.gh_llm.h_tick = inline_tick;
		hooks.gh_llm.h_cancel = &r->r_cancel;
		gs = r->r_gs;
		gs.gs_replace_path = a->ra_replace;
		a->ra_state = ART_RUNNING;
		a->ra_attempts++;
		a->ra_start_ms = a->ra_first_start_ms = monotime_ms();
		if (gen_article(client, art_item(r, a), &gs, &hooks,
		    &a->ra_res, &a->ra_err) == 0) {
			a->ra_have_result = 1;
			a->ra_elapsed_ms = monotime_ms() - a->ra_start_ms;
			art_finish(r, a, 1);
			continue;
		}
		a->ra_have_error = 1;
		a->ra_elapsed_ms = monotime_ms() - a->ra_start_ms;
		if (strcmp(a->ra_err.ge_code, "cancelled") == 0) {
			a->ra_stopped = 1;
			(void)snprintf(a->ra_why, sizeof(a->ra_why),
			    "stopped: the run was %s", r->r_fatal ?
			    "stopped by a fatal API answer" : "interrupted");
		} else
			(void)strlcpy(a->ra_why, a->ra_err.ge_message,
			    sizeof(a->ra_why));
		if (a->ra_err.ge_fatal)
			note_fatal(r, &a->ra_err);
		art_finish(r, a, 0);
	}
	return (0);
}

/* ---- parallel mode ---- */

static struct run_article *
slot_article(struct prun *pr, int slot)
{
	int	idx = pr->pr_slot_art[slot];

	return (idx >= 0 ? &pr->pr_run->r_arts[idx] : NULL);
}

/* Stop the worker in slot: shutdown message, SIGTERM, SIGKILL later. */
static void
stop_slot(struct prun *pr, int slot, int64_t kill_after_ms)
{
	struct run_article	*a = slot_article(pr, slot);

	if (a == NULL || a->ra_kill_at != 0)
		return;
	(void)pool_send(pr->pr_pool, slot, proto_new(PROTO_SHUTDOWN, 0));
	pool_signal(pr->pr_pool, slot, SIGTERM);
	a->ra_kill_at = monotime_ms() + kill_after_ms;
}

static void
stop_all(struct prun *pr, int64_t kill_after_ms)
{
	size_t	i;

	for (i = 0; i < pr->pr_nslots; i++)
		if (pr->pr_slot_art[i] >= 0) {
			slot_article(pr, (int)i)->ra_stopped = 1;
			stop_slot(pr, (int)i, kill_after_ms);
		}
}

static void
on_message(void *arg, int slot, const struct proto_msg *msg)
{
	struct prun		*pr = arg;
	struct run		*r = pr->pr_run;
	struct run_article	*a = slot_article(pr, slot);
	struct json_object	*grant;
	char			 errbuf[256], why[300];
	const char		*stage, *model;
	long long		 n, status = 0, pt = 0, ct = 0, ra = -1;

	if (a == NULL)
		return;
	a->ra_last_msg_ms = monotime_ms();
	if (a->ra_have_result) {
		(void)snprintf(why, sizeof(why), "protocol error: '%s' after "
		    "its result", proto_type_name(msg->m_type));
		log_warnx("article %lld: worker %d: %s; ignored", a->ra_id,
		    slot, why);
		return;
	}
	if (msg->m_type != PROTO_READY && msg->m_type != PROTO_ERROR &&
	    msg->m_id != a->ra_id) {
		(void)snprintf(why, sizeof(why), "protocol error: '%s' for "
		    "job %lld, expected job %lld", proto_type_name(msg->m_type),
		    msg->m_id, a->ra_id);
		pool_mark_bad(pr->pr_pool, slot, why);
		return;
	}
	switch (msg->m_type) {
	case PROTO_READY:
		if (a->ra_ready) {
			pool_mark_bad(pr->pr_pool, slot,
			    "protocol error: second 'ready'");
			return;
		}
		if (proto_get_int(msg, "pid", 1, INT_MAX, &n) == 0 &&
		    (pid_t)n != pool_pid(pr->pr_pool, slot)) {
			(void)snprintf(why, sizeof(why), "protocol error: "
			    "'ready' from pid %lld, but the worker started "
			    "is pid %ld", n, (long)pool_pid(pr->pr_pool, slot));
			pool_mark_bad(pr->pr_pool, slot, why);
			return;
		}
		a->ra_ready = 1;
		break;
	case PROTO_PROGRESS:
		stage = proto_get_str(msg, "stage");
		if (stage != NULL && strcmp(stage, "waiting") != 0)
			log_debug("article %lld (%s): %s", a->ra_id,
			    art_item(r, a)->it_id, stage);
		break;
	case PROTO_ACQUIRE:
		if (pr->pr_hard || r->r_fatal || r->r_broken) {
			/* no further API calls once the run is stopping hard */
			(void)pool_send(pr->pr_pool, slot,
			    proto_new(PROTO_SHUTDOWN, 0));
			break;
		}
		n = 0;
		(void)proto_get_int(msg, "tokens", 0, 100000000, &n);
		grant = proto_new(PROTO_GRANT, a->ra_id);
		json_object_object_add(grant, "wait_ms", json_object_new_int64(
		    ratelimit_reserve(&r->r_rl, (long)n, monotime_ms())));
		(void)pool_send(pr->pr_pool, slot, grant);
		break;
	case PROTO_CALLDONE:
		model = proto_get_str(msg, "model");
		(void)proto_get_int(msg, "status", 0, 999, &status);
		(void)proto_get_int(msg, "prompt_tokens", 0, 1000000000, &pt);
		(void)proto_get_int(msg, "completion_tokens", 0, 1000000000,
		    &ct);
		(void)proto_get_int(msg, "retry_after_ms", 0, 86400000, &ra);
		note_call(r, a, model, (int)status, (long)pt, (long)ct, ra);
		break;
	case PROTO_RESULT:
		if (wire_result_parse(msg, &a->ra_res, errbuf,
		    sizeof(errbuf)) == -1) {
			(void)snprintf(why, sizeof(why), "protocol error: bad "
			    "result: %s", errbuf);
			pool_mark_bad(pr->pr_pool, slot, why);
			return;
		}
		a->ra_have_result = 1;
		if (a->ra_res.gr_peak_rss_kb > r->r_worker_peak_kb)
			r->r_worker_peak_kb = a->ra_res.gr_peak_rss_kb;
		article_written(pr, slot, a);
		break;
	case PROTO_ERROR:
		if (wire_error_parse(msg, &a->ra_err, errbuf,
		    sizeof(errbuf)) == -1) {
			(void)snprintf(why, sizeof(why), "protocol error: bad "
			    "error message: %s", errbuf);
			pool_mark_bad(pr->pr_pool, slot, why);
			return;
		}
		a->ra_have_error = 1;
		if (strcmp(a->ra_err.ge_code, "bad_version") == 0 &&
		    !r->r_broken) {
			r->r_broken = 1;
			(void)snprintf(r->r_broken_msg, sizeof(r->r_broken_msg),
			    "the worker speaks another protocol version: %s",
			    a->ra_err.ge_message);
		}
		if (a->ra_err.ge_fatal && !r->r_broken) {
			note_fatal(r, &a->ra_err);
			log_warnx("article %lld (%s): %s: stopping the run",
			    a->ra_id, art_item(r, a)->it_id,
			    a->ra_err.ge_message);
		}
		break;
	default:
		(void)snprintf(why, sizeof(why), "protocol error: unexpected "
		    "'%s' from a worker", proto_type_name(msg->m_type));
		pool_mark_bad(pr->pr_pool, slot, why);
		break;
	}
}

/* Give slot's worker article a: its job goes out at once. */
static void
start_article(struct prun *pr, int slot, struct run_article *a)
{
	struct run	*r = pr->pr_run;
	int64_t		 now = monotime_ms();

	pr->pr_slot_art[slot] = (int)(a - r->r_arts);
	pr->pr_slot_jobs[slot]++;
	pr->pr_idle_kill[slot] = 0;
	a->ra_state = ART_RUNNING;
	a->ra_slot = slot;
	a->ra_attempts++;
	a->ra_start_ms = a->ra_last_msg_ms = now;
	if (a->ra_first_start_ms == 0)
		a->ra_first_start_ms = now;
	a->ra_stopped = 0;
	a->ra_have_result = a->ra_have_error = 0;
	log_debug("article %lld (%s): attempt %d on worker %d pid %ld (job %d "
	    "of this worker)", a->ra_id, art_item(r, a)->it_id, a->ra_attempts,
	    slot, (long)pool_pid(pr->pr_pool, slot), pr->pr_slot_jobs[slot]);
	send_job(pr, slot, a);
}

/*
 * A result arrived: the article is written.  The worker then takes the
 * next article due, or is told to exit (its stdin is closed).
 */
static void
article_written(struct prun *pr, int slot, struct run_article *a)
{
	struct run		*r = pr->pr_run;
	struct run_article	*next = NULL;
	int64_t			 now = monotime_ms(), wait;

	a->ra_elapsed_ms += now - a->ra_start_ms;
	a->ra_slot = -1;
	pr->pr_slot_art[slot] = -1;
	art_finish(r, a, 1);
	/* a worker we were stopping (deadline, silence, shutdown) retires */
	if (!pr->pr_stopping && !should_stop_starting(r) &&
	    pr->pr_slot_jobs[slot] < WORKER_MAX_JOBS && a->ra_kill_at == 0 &&
	    !a->ra_timed_out && !a->ra_silent && !a->ra_stopped)
		next = next_pending(r, now, &wait);
	if (next != NULL) {
		start_article(pr, slot, next);
		return;
	}
	pool_close_input(pr->pr_pool, slot);
	pr->pr_idle_kill[slot] = a->ra_kill_at != 0 && a->ra_kill_at <
	    now + KILL_GRACE_MS ? a->ra_kill_at : now + KILL_GRACE_MS;
	a->ra_kill_at = 0;
}

static void
on_log(void *arg, int slot, pid_t pid, const char *line)
{
	struct prun		*pr = arg;
	struct run_article	*a = slot_article(pr, slot);
	const char		*p;

	/* drop the worker's own "articlegen-worker[pid]: " prefix */
	if (strncmp(line, "articlegen-worker[", 18) == 0 &&
	    (p = strstr(line, "]: ")) != NULL)
		line = p + 3;
	if (a != NULL && pr->pr_run->r_on_log != NULL) {
		char	*full;

		xasprintf(&full, "worker %d (pid %ld): %s", slot, (long)pid,
		    line);
		pr->pr_run->r_on_log(pr->pr_run, a, full);
		free(full);
	} else if (a != NULL)
		log_info("worker %d (pid %ld, %s): %s", slot, (long)pid,
		    art_item(pr->pr_run, a)->it_id, line);
	else
		log_info("worker %d (pid %ld): %s", slot, (long)pid, line);
}

/* Why an attempt without a result ended; fills a->ra_why. */
static void
describe_failure(struct run *r, struct run_article *a, int status,
    const char *bad)
{
	const char	*how = pool_describe_status(status);

	if (a->ra_stopped && !a->ra_have_error)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "stopped: the run "
		    "was %s (worker %s)", r->r_fatal ? "stopped by a fatal API "
		    "answer" : r->r_broken ? "stopped" : "interrupted", how);
	else if (bad != NULL)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "%s (worker %s)",
		    bad, how);
	else if (a->ra_timed_out)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "timed out after "
		    "%d s (worker %s)", r->r_article_timeout_s, how);
	else if (a->ra_silent)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "worker silent for "
		    "%d s (worker %s)", r->r_idle_timeout_s, how);
	else if (a->ra_have_error)
		(void)strlcpy(a->ra_why, a->ra_err.ge_message,
		    sizeof(a->ra_why));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_EXEC_FAILED)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "the worker could "
		    "not be executed (exit 127)");
	else
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "worker %s "
		    "without a result", how);
}

static void
on_exit_slot(void *arg, int slot, int status, const char *bad)
{
	struct prun		*pr = arg;
	struct run		*r = pr->pr_run;
	struct run_article	*a = slot_article(pr, slot);
	int			 died, can_retry;
	int64_t			 now = monotime_ms(), delay;

	pr->pr_slot_art[slot] = -1;
	pr->pr_slot_jobs[slot] = 0;
	pr->pr_idle_kill[slot] = 0;
	if (a == NULL) {
		/* a worker between articles: its last one is already counted */
		if (bad != NULL || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			log_warnx("worker %d %s after its last article%s%s", slot,
			    pool_describe_status(status), bad != NULL ? ": " :
			    "", bad != NULL ? bad : "");
		return;
	}
	a->ra_elapsed_ms += now - a->ra_start_ms;
	a->ra_slot = -1;
	a->ra_kill_at = 0;
	describe_failure(r, a, status, bad);
	/* a worker that cannot even start would fail every article */
	if (!a->ra_ready && !a->ra_stopped && !r->r_broken &&
	    WIFEXITED(status) && WEXITSTATUS(status) == EXIT_EXEC_FAILED) {
		r->r_broken = 1;
		(void)snprintf(r->r_broken_msg, sizeof(r->r_broken_msg),
		    "the worker cannot start: %.500s", a->ra_why);
	}
	/*
	 * Only a worker that died (signal, exit without a result, protocol
	 * violation, deadline) is retried: API failures were already retried
	 * inside the worker, which is the one retry layer for them.
	 */
	died = !a->ra_have_error || a->ra_err.ge_exit == EXIT_OSERR ||
	    a->ra_timed_out || a->ra_silent;
	can_retry = died && !a->ra_stopped && !r->r_broken && !r->r_fatal &&
	    a->ra_attempts <= r->r_retries && !should_stop_starting(r);
	if (can_retry) {
		delay = run_retry_backoff_ms(a->ra_attempts);
		log_warnx("article %lld (%s): attempt %d failed: %s; retrying "
		    "on a fresh worker in %.1f s", a->ra_id,
		    art_item(r, a)->it_id, a->ra_attempts, a->ra_why,
		    delay / 1000.0);
		a->ra_state = ART_PENDING;
		a->ra_not_before = now + delay;
		a->ra_have_error = 0;
		a->ra_ready = 0;
		a->ra_timed_out = a->ra_silent = 0;
		memset(&a->ra_err, 0, sizeof(a->ra_err));
		return;
	}
	if (a->ra_attempts > 1) {
		size_t	l = strlen(a->ra_why);

		(void)snprintf(a->ra_why + l, sizeof(a->ra_why) - l,
		    " (%d attempts)", a->ra_attempts);
	}
	art_finish(r, a, 0);
}

static void
send_job(struct prun *pr, int slot, struct run_article *a)
{
	struct run		*r = pr->pr_run;
	struct gen_settings	 gs;

	gs = r->r_gs;
	gs.gs_replace_path = a->ra_replace;
	if (pool_send(pr->pr_pool, slot, wire_job_new(a->ra_id, art_item(r, a),
	    &gs, &r->r_wire)) == -1)
		pool_mark_bad(pr->pr_pool, slot, "the job does not fit in one "
		    "protocol line (item too large)");
}

/* The next article due to start, or NULL; *wait_ms when one is waiting. */
static struct run_article *
next_pending(struct run *r, int64_t now, int64_t *wait_ms)
{
	struct run_article	*a;
	size_t			 i;

	*wait_ms = -1;
	for (i = 0; i < r->r_narts; i++) {
		a = &r->r_arts[i];
		if (a->ra_state != ART_PENDING)
			continue;
		if (a->ra_not_before <= now)
			return (a);
		if (*wait_ms == -1 || a->ra_not_before - now < *wait_ms)
			*wait_ms = a->ra_not_before - now;
	}
	return (NULL);
}

/* 1 when every article is done, failed or will not be started. */
static int
all_settled(const struct run *r)
{
	size_t	i;

	for (i = 0; i < r->r_narts; i++)
		if (r->r_arts[i].ra_state == ART_PENDING ||
		    r->r_arts[i].ra_state == ART_RUNNING)
			return (0);
	return (1);
}

static int
any_pending(const struct run *r)
{
	size_t	i;

	for (i = 0; i < r->r_narts; i++)
		if (r->r_arts[i].ra_state == ART_PENDING)
			return (1);
	return (0);
}

/*
 * Deadlines of the articles in flight: the article timeout, the idle
 * timeout and SIGKILL escalation.  Returns the poll timeout until the
 * next one (at most 1 s).
 */
static int
check_deadlines(struct prun *pr)
{
	struct run	*r = pr->pr_run;
	int64_t		 now = monotime_ms(), next = 1000, t;
	size_t		 i;

	for (i = 0; i < pr->pr_nslots; i++) {
		struct run_article *a = slot_article(pr, (int)i);

		if (a == NULL) {
			/* a retiring worker that does not exit is killed */
			if (pr->pr_idle_kill[i] != 0) {
				if (now >= pr->pr_idle_kill[i]) {
					pool_signal(pr->pr_pool, (int)i, SIGKILL);
					pr->pr_idle_kill[i] = now + KILL_GRACE_MS;
				}
				if (pr->pr_idle_kill[i] - now < next)
					next = pr->pr_idle_kill[i] - now;
			}
			continue;
		}
		if (a->ra_kill_at != 0 && now >= a->ra_kill_at) {
			pool_signal(pr->pr_pool, (int)i, SIGKILL);
			a->ra_kill_at = now + KILL_GRACE_MS;
		}
		if (a->ra_kill_at == 0 && now >= a->ra_start_ms +
		    (int64_t)r->r_article_timeout_s * 1000) {
			log_warnx("article %lld (%s): no result after %d s: "
			    "stopping worker %zu", a->ra_id,
			    art_item(r, a)->it_id, r->r_article_timeout_s, i);
			a->ra_timed_out = 1;
			stop_slot(pr, (int)i, KILL_GRACE_MS);
		} else if (a->ra_kill_at == 0 && now >= a->ra_last_msg_ms +
		    (int64_t)r->r_idle_timeout_s * 1000) {
			log_warnx("article %lld (%s): worker %zu silent for %d s: "
			    "stopping it", a->ra_id, art_item(r, a)->it_id, i,
			    r->r_idle_timeout_s);
			a->ra_silent = 1;
			stop_slot(pr, (int)i, KILL_GRACE_MS);
		}
		if (a->ra_kill_at != 0)
			t = a->ra_kill_at - now;
		else {
			t = a->ra_start_ms + (int64_t)r->r_article_timeout_s *
			    1000 - now;
			if (a->ra_last_msg_ms + (int64_t)r->r_idle_timeout_s *
			    1000 - now < t)
				t = a->ra_last_msg_ms +
				    (int64_t)r->r_idle_timeout_s * 1000 - now;
		}
		if (t < next)
			next = t;
	}
	return (next < 0 ? 0 : (int)next + 1);
}

/* Articles being generated now (workers between articles do not count). */
static size_t
in_flight(const struct prun *pr)
{
	size_t	i, n = 0;

	for (i = 0; i < pr->pr_nslots; i++)
		if (pr->pr_slot_art[i] >= 0)
			n++;
	return (n);
}

/* Signals, fatal answers, broken workers and the cost ceiling. */
static void
check_stops(struct prun *pr)
{
	struct run	*r = pr->pr_run;
	int		 q = quit_level(r);
	int64_t		 now = monotime_ms();

	if (!pr->pr_stopping && should_stop_starting(r)) {
		pr->pr_stopping = 1;
		if (q > 0 && in_flight(pr) > 0)
			log_notice("stopping: no new articles; %zu in flight may "
			    "finish within %d s (signal again to stop now)",
			    in_flight(pr), r->r_grace_s);
	}
	if (pr->pr_hard)
		return;
	if (r->r_fatal || r->r_broken || q >= 2) {
		pr->pr_hard = 1;
		stop_all(pr, HARD_STOP_MS);
	} else if (q == 1 && now >= r->r_quit_at + (int64_t)r->r_grace_s *
	    1000) {
		pr->pr_hard = 1;
		if (in_flight(pr) > 0)
			log_warnx("grace period of %d s over: stopping %zu "
			    "articles in flight", r->r_grace_s, in_flight(pr));
		stop_all(pr, KILL_GRACE_MS);
	}
}

int
run_parallel(struct run *r, const char *worker_path, char *const envp[],
    size_t jobs, int sigfd, char *why, size_t whylen)
{
	struct pool_events	 ev;
	struct prun		 pr;
	struct run_article	*a;
	char			 errbuf[256];
	size_t			 i, started = 0;
	int			 slot, timeout, settled = 0, more;
	int64_t			 retry_spawn_at = 0, wait_ms, now;

	memset(&pr, 0, sizeof(pr));
	pr.pr_run = r;
	pr.pr_nslots = jobs;
	pr.pr_slot_art = xreallocarray(NULL, jobs, sizeof(int));
	pr.pr_slot_jobs = xcalloc(jobs, sizeof(int));
	pr.pr_idle_kill = xcalloc(jobs, sizeof(int64_t));
	for (i = 0; i < jobs; i++)
		pr.pr_slot_art[i] = -1;
	ev.pe_arg = &pr;
	ev.pe_message = on_message;
	ev.pe_log = on_log;
	ev.pe_exit = on_exit_slot;
	pr.pr_pool = pool_new(jobs, worker_path, envp, r->r_verbose,
	    r->r_forkserver, &ev);

	for (;;) {
		check_stops(&pr);
		now = monotime_ms();
		wait_ms = -1;
		more = 0;
		/*
		 * One worker per pass: between two starts, the messages that
		 * came in are handled (a started worker's first grant is not
		 * held up by the starts after it).
		 */
		if (!pr.pr_stopping && pool_nbusy(pr.pr_pool) < jobs &&
		    now >= retry_spawn_at &&
		    (a = next_pending(r, now, &wait_ms)) != NULL) {
			slot = pool_spawn(pr.pr_pool, errbuf, sizeof(errbuf));
			if (slot == -1) {
				if (started == 0) {
					(void)snprintf(why, whylen, "%s", errbuf);
					pool_free(pr.pr_pool);
					free(pr.pr_slot_art);
					free(pr.pr_slot_jobs);
					free(pr.pr_idle_kill);
					return (-1);
				}
				log_warnx("cannot start a worker: %s; trying "
				    "again in 1 s", errbuf);
				retry_spawn_at = now + 1000;
			} else {
				started++;
				/*
				 * The job follows the hello at once: a worker
				 * of another protocol version answers the
				 * hello with bad_version and never reads it.
				 */
				pr.pr_slot_jobs[slot] = 0;
				start_article(&pr, slot, a);
				more = pool_nbusy(pr.pr_pool) < jobs &&
				    any_pending(r);
			}
		}
		if (!any_pending(r))
			pool_spawns_done(pr.pr_pool);
		if (!settled && all_settled(r)) {
			settled = 1;
			if (r->r_on_settled != NULL)
				r->r_on_settled(r);
		}
		setproctitle("%zu/%zu running, %zu done, %zu failed",
		    pool_nbusy(pr.pr_pool), r->r_narts, r->r_done, r->r_failed);
		if (r->r_on_tick != NULL)
			r->r_on_tick(r, pool_nbusy(pr.pr_pool));
		if (pool_nbusy(pr.pr_pool) == 0 && (pr.pr_stopping ||
		    !any_pending(r)))
			break;
		timeout = check_deadlines(&pr);
		if (pool_nbusy(pr.pr_pool) < jobs && wait_ms >= 0 &&
		    wait_ms < timeout)
			timeout = (int)wait_ms + 1;
		if (retry_spawn_at > now && timeout > 200)
			timeout = 200;
		if (more)
			timeout = 0;	/* back for the next start at once */
		if (pool_run_once(pr.pr_pool, timeout, sigfd) == 1) {
			char	drain[64];

			while (read(sigfd, drain, sizeof(drain)) > 0)
				;
		}
	}
	for (i = 0; i < r->r_narts; i++)
		if (r->r_arts[i].ra_state == ART_PENDING)
			r->r_arts[i].ra_state = ART_NOT_STARTED;
	pool_free(pr.pr_pool);
	free(pr.pr_slot_art);
	free(pr.pr_slot_jobs);
	free(pr.pr_idle_kill);
	return (0);
}
