/*
 * run.c: owns the state of each article of a run and the policy around
 * the workers: which article goes to which slot, what each message means
 * for it, what a worker's exit means, deadlines and the final verdict.
 * The mechanics of processes and pipes are pool.c's.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
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
#include "proto.h"
#include "run.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

#define KILL_GRACE_MS	5000	/* between SIGTERM and SIGKILL */

struct prun {
	struct run		*pr_run;
	struct pool		*pr_pool;
	int			*pr_slot_art;	/* article index per slot, -1 */
	size_t			 pr_nslots;
};

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
update_title(struct run *r, size_t running)
{
	setproctitle("%zu/%zu running, %zu done, %zu failed", running,
	    r->r_narts, r->r_done, r->r_failed);
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

/* ---- single-process mode ---- */

struct inline_ctx {
	struct run		*ic_run;
	struct run_article	*ic_art;
};

static void
inline_progress(void *arg, const char *stage)
{
	struct inline_ctx	*ic = arg;
	const struct item	*it = &ic->ic_run->r_set->is_items[
				    ic->ic_art->ra_item];

	setproctitle("single-process: article %lld (%s): %s",
	    ic->ic_art->ra_id, it->it_id, stage);
	log_debug("article %lld (%s): %s", ic->ic_art->ra_id, it->it_id,
	    stage);
}

static void
inline_after_call(void *arg, const char *op, int status, long pt, long ct,
    int64_t retry_after_ms)
{
	struct inline_ctx	*ic = arg;

	(void)op;
	(void)status;
	(void)pt;
	(void)ct;
	(void)retry_after_ms;
	ic->ic_run->r_api_calls++;
	ic->ic_art->ra_calls++;
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
		if (r->r_fatal || (r->r_quit != NULL && *r->r_quit)) {
			a->ra_state = ART_NOT_STARTED;
			continue;
		}
		ic.ic_run = r;
		ic.ic_art = a;
		memset(&hooks, 0, sizeof(hooks));
		hooks.gh_arg = &ic;
		hooks.gh_progress = inline_progress;
		hooks.gh_llm.h_arg = &ic;
		hooks.gh_llm.h_after_call = inline_after_call;
		hooks.gh_llm.h_cancel = r->r_quit;
		gs = r->r_gs;
		gs.gs_replace_path = a->ra_replace;
		a->ra_state = ART_RUNNING;
		a->ra_attempts++;
		a->ra_start_ms = monotime_ms();
		update_title(r, 1);
		if (gen_article(client, &r->r_set->is_items[a->ra_item], &gs,
		    &hooks, &a->ra_res, &a->ra_err) == 0) {
			a->ra_have_result = 1;
			a->ra_elapsed_ms = monotime_ms() - a->ra_start_ms;
			art_finish(r, a, 1);
		} else {
			a->ra_have_error = 1;
			a->ra_elapsed_ms = monotime_ms() - a->ra_start_ms;
			(void)strlcpy(a->ra_why, a->ra_err.ge_message,
			    sizeof(a->ra_why));
			if (a->ra_err.ge_fatal)
				note_fatal(r, &a->ra_err);
			if (strcmp(a->ra_err.ge_code, "cancelled") == 0)
				r->r_interrupted = 1;
			art_finish(r, a, 0);
		}
	}
	update_title(r, 0);
	return (0);
}

/* ---- parallel mode ---- */

static struct run_article *
slot_article(struct prun *pr, int slot)
{
	int	idx = pr->pr_slot_art[slot];

	return (idx >= 0 ? &pr->pr_run->r_arts[idx] : NULL);
}

static void
on_message(void *arg, int slot, const struct proto_msg *msg)
{
	struct prun		*pr = arg;
	struct run		*r = pr->pr_run;
	struct run_article	*a = slot_article(pr, slot);
	struct gen_settings	 gs;
	struct json_object	*job, *grant;
	char			 errbuf[256], why[300];
	const char		*stage;

	if (a == NULL)
		return;
	if (a->ra_have_result || a->ra_have_error) {
		log_warnx("worker %d (pid %ld): ignoring '%s' after its final "
		    "message", slot, (long)pool_pid(pr->pr_pool, slot),
		    proto_type_name(msg->m_type));
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
		a->ra_ready = 1;
		gs = r->r_gs;
		gs.gs_replace_path = a->ra_replace;
		job = wire_job_new(a->ra_id, &r->r_set->is_items[a->ra_item],
		    &gs, &r->r_wire);
		if (pool_send(pr->pr_pool, slot, job) == -1) {
			pool_mark_bad(pr->pr_pool, slot, "the job does not fit "
			    "in one protocol line (item too large)");
			return;
		}
		break;
	case PROTO_PROGRESS:
		stage = proto_get_str(msg, "stage");
		log_debug("article %lld (%s): %s", a->ra_id,
		    r->r_set->is_items[a->ra_item].it_id,
		    stage != NULL ? stage : "?");
		break;
	case PROTO_ACQUIRE:
		grant = proto_new(PROTO_GRANT, a->ra_id);
		json_object_object_add(grant, "wait_ms", json_object_new_int(0));
		(void)pool_send(pr->pr_pool, slot, grant);
		break;
	case PROTO_CALLDONE:
		r->r_api_calls++;
		a->ra_calls++;
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
		if (a->ra_err.ge_fatal) {
			note_fatal(r, &a->ra_err);
			log_warnx("article %lld (%s): %s: stopping the run",
			    a->ra_id, r->r_set->is_items[a->ra_item].it_id,
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

static void
on_log(void *arg, int slot, pid_t pid, const char *line)
{
	const char	*p;

	(void)arg;
	/* drop the worker's own "articlegen-worker[pid]: " prefix */
	if (strncmp(line, "articlegen-worker[", 18) == 0 &&
	    (p = strstr(line, "]: ")) != NULL)
		line = p + 3;
	log_info("worker %d (pid %ld): %s", slot, (long)pid, line);
}

static void
on_exit_slot(void *arg, int slot, int status, const char *bad)
{
	struct prun		*pr = arg;
	struct run		*r = pr->pr_run;
	struct run_article	*a = slot_article(pr, slot);
	const char		*how = pool_describe_status(status);

	pr->pr_slot_art[slot] = -1;
	if (a == NULL)
		return;
	a->ra_elapsed_ms = monotime_ms() - a->ra_start_ms;
	a->ra_slot = -1;
	if (a->ra_have_result && bad == NULL) {
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			log_warnx("article %lld: worker %s after writing %s",
			    a->ra_id, how, a->ra_res.gr_path);
		art_finish(r, a, 1);
		return;
	}
	if (bad != NULL)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "%s (worker %s)",
		    bad, how);
	else if (a->ra_have_error)
		(void)strlcpy(a->ra_why, a->ra_err.ge_message,
		    sizeof(a->ra_why));
	else if (a->ra_term_sent)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "timed out after "
		    "%d s (worker %s)", r->r_article_timeout_s, how);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_EXEC_FAILED)
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "the worker could "
		    "not be executed (exit 127)");
	else
		(void)snprintf(a->ra_why, sizeof(a->ra_why), "worker %s "
		    "without a result", how);
	if (a->ra_have_error && strcmp(a->ra_err.ge_code, "cancelled") == 0)
		r->r_interrupted = 1;
	art_finish(r, a, 0);
}

static struct run_article *
next_pending(struct run *r)
{
	size_t	i;

	for (i = 0; i < r->r_narts; i++)
		if (r->r_arts[i].ra_state == ART_PENDING)
			return (&r->r_arts[i]);
	return (NULL);
}

/* Deadlines: SIGTERM at the deadline, SIGKILL after a grace.  */
static int
check_deadlines(struct prun *pr)
{
	int64_t	 now = monotime_ms(), next = -1, t;
	size_t	 i;

	for (i = 0; i < pr->pr_nslots; i++) {
		struct run_article *a = slot_article(pr, (int)i);

		if (a == NULL)
			continue;
		if (!a->ra_term_sent && now >= a->ra_deadline_ms) {
			log_warnx("article %lld: no result after %d s: stopping "
			    "worker %zu", a->ra_id,
			    pr->pr_run->r_article_timeout_s, i);
			pool_signal(pr->pr_pool, (int)i, SIGTERM);
			a->ra_term_sent = 1;
			a->ra_deadline_ms = now + KILL_GRACE_MS;
		} else if (a->ra_term_sent && now >= a->ra_deadline_ms) {
			pool_signal(pr->pr_pool, (int)i, SIGKILL);
			a->ra_deadline_ms = now + KILL_GRACE_MS;
		}
		t = a->ra_deadline_ms - now;
		if (next == -1 || t < next)
			next = t;
	}
	return (next < 0 ? -1 : next > 1000 ? 1000 : (int)next + 1);
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
	int			 slot, timeout, stopping = 0;
	int64_t			 retry_spawn_at = 0;

	memset(&pr, 0, sizeof(pr));
	pr.pr_run = r;
	pr.pr_nslots = jobs;
	pr.pr_slot_art = xreallocarray(NULL, jobs, sizeof(int));
	for (i = 0; i < jobs; i++)
		pr.pr_slot_art[i] = -1;
	ev.pe_arg = &pr;
	ev.pe_message = on_message;
	ev.pe_log = on_log;
	ev.pe_exit = on_exit_slot;
	pr.pr_pool = pool_new(jobs, worker_path, envp, r->r_verbose, &ev);

	for (;;) {
		if (!stopping && ((r->r_quit != NULL && *r->r_quit) ||
		    r->r_fatal)) {
			stopping = 1;
			if (r->r_quit != NULL && *r->r_quit)
				r->r_interrupted = 1;
			/* no new articles; stop the ones in flight */
			for (i = 0; i < jobs; i++)
				if (pr.pr_slot_art[i] >= 0)
					pool_signal(pr.pr_pool, (int)i,
					    SIGTERM);
		}
		while (!stopping && pool_nbusy(pr.pr_pool) < jobs &&
		    monotime_ms() >= retry_spawn_at &&
		    (a = next_pending(r)) != NULL) {
			slot = pool_spawn(pr.pr_pool, errbuf, sizeof(errbuf));
			if (slot == -1) {
				if (started == 0) {
					(void)snprintf(why, whylen, "%s", errbuf);
					pool_free(pr.pr_pool);
					free(pr.pr_slot_art);
					return (-1);
				}
				log_warnx("cannot start a worker: %s; trying "
				    "again in 1 s", errbuf);
				retry_spawn_at = monotime_ms() + 1000;
				break;
			}
			started++;
			pr.pr_slot_art[slot] = (int)(a - r->r_arts);
			a->ra_state = ART_RUNNING;
			a->ra_slot = slot;
			a->ra_attempts++;
			a->ra_start_ms = monotime_ms();
			a->ra_deadline_ms = a->ra_start_ms +
			    (int64_t)r->r_article_timeout_s * 1000;
			log_debug("article %lld (%s): worker %d pid %ld",
			    a->ra_id, r->r_set->is_items[a->ra_item].it_id,
			    slot, (long)pool_pid(pr.pr_pool, slot));
		}
		update_title(r, pool_nbusy(pr.pr_pool));
		if (pool_nbusy(pr.pr_pool) == 0 && (stopping ||
		    next_pending(r) == NULL))
			break;
		timeout = check_deadlines(&pr);
		if (retry_spawn_at > 0 && (timeout == -1 || timeout > 200))
			timeout = 200;
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
	return (0);
}
