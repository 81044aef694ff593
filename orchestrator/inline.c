/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * inline.c: single-process mode.  Each pending job runs here, one after
 * another, through the same path as in a worker: its kind encodes the
 * job message, the worker half's handler (worker/jobhost.h) runs it with
 * this process as its host, and the kind accepts the result message.
 * The supervision is run.c's: the shared API budget, the cost ceiling,
 * fatal API answers and signals (a second one, or the end of the grace
 * period, cancels the call in flight).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "gen.h"
#include "job.h"
#include "jobhost.h"
#include "llm.h"
#include "log.h"
#include "proto.h"
#include "ratelimit.h"
#include "run.h"
#include "tickwait.h"
#include "util.h"
#include "wire.h"

struct inline_run {
	struct run	*ir_run;
	struct job	*ir_job;	/* the one running */
};

static void
inline_progress(void *arg, const char *stage)
{
	struct inline_run	*ir = arg;

	setproctitle("single-process: %s: %s", job_name(ir->ir_job), stage);
	log_debug("%s: %s", job_name(ir->ir_job), stage);
}

/* Cancel the call in flight on a second signal or when the grace ends. */
static void
inline_tick(void *arg)
{
	struct inline_run	*ir = arg;
	struct run		*r = ir->ir_run;
	int			 q = run_quit_level(r);

	if (q >= 2 || r->r_fatal || (q == 1 && monotime_ms() >= r->r_quit_at +
	    (int64_t)r->r_grace_s * 1000))
		r->r_cancel = 1;
	if (r->r_on_tick != NULL)
		r->r_on_tick(r, 1);
}

/* The shared API budget: wait (ticking) for this call's place in it. */
static int
inline_before_call(void *arg, const char *op, long tokens)
{
	struct inline_run	*ir = arg;
	struct run		*r = ir->ir_run;

	(void)op;
	inline_tick(arg);
	if (r->r_cancel)
		return (-1);
	return (tickwait(ratelimit_reserve(&r->r_rl, tokens, monotime_ms()),
	    inline_tick, arg, &r->r_cancel));
}

static void
inline_call_done(void *arg, const struct api_call *call)
{
	struct inline_run	*ir = arg;

	run_note_call(ir->ir_run, ir->ir_job, call);
}

/* A message object as if it had arrived over a pipe (obj borrowed). */
static void
as_message(struct proto_msg *msg, enum proto_type type, long long id,
    struct json_object *obj)
{
	memset(msg, 0, sizeof(*msg));
	msg->m_type = type;
	msg->m_version = PROTO_VERSION;
	msg->m_id = id;
	msg->m_obj = obj;
}

/* Run j in this process; fills its outcome or its error.  0 or -1. */
static int
run_one(struct job_host *host, struct job *j)
{
	struct json_object	*job, *result = NULL;
	struct proto_msg	 jm, rm;
	char			 errbuf[256];
	int			 ret;

	if ((job = j->j_kind->jk_encode(j)) == NULL) {
		job_error(&j->j_err, "bad_job", EXIT_DATAERR, "%s: cannot "
		    "encode the job", job_name(j));
		return (-1);
	}
	as_message(&jm, PROTO_JOB, j->j_id, job);
	ret = job_run(host, &jm, &result, &j->j_err);
	json_object_put(job);
	if (ret == -1)
		return (-1);
	as_message(&rm, PROTO_RESULT, j->j_id, result);
	ret = j->j_kind->jk_accept(j, &rm, errbuf, sizeof(errbuf));
	json_object_put(result);
	if (ret == -1)
		job_error(&j->j_err, "bad_result", EXIT_SOFTWARE, "%s: %s",
		    job_name(j), errbuf);
	return (ret);
}

int
run_inline(struct run *r, const char *api_key)
{
	struct inline_run	 ir;
	struct job_host		 host;
	struct job		*j;
	char			 errbuf[512];
	size_t			 i;

	memset(&host, 0, sizeof(host));
	host.jh_api_key = api_key;
	host.jh_hooks.gh_arg = &ir;
	host.jh_hooks.gh_progress = inline_progress;
	host.jh_hooks.gh_before_call = inline_before_call;
	host.jh_hooks.gh_call_done = inline_call_done;
	host.jh_hooks.gh_tick = inline_tick;
	host.jh_hooks.gh_cancel = &r->r_cancel;
	ir.ir_run = r;
	if (llm_global_init(errbuf, sizeof(errbuf)) == -1) {
		log_warnx("%s", errbuf);
		exit(EXIT_SOFTWARE);
	}
	for (i = 0; i < r->r_njobs; i++) {
		j = &r->r_jobs[i];
		if (j->j_state != JOB_PENDING)
			continue;
		if (run_should_stop_starting(r)) {
			j->j_state = JOB_NOT_STARTED;
			continue;
		}
		ir.ir_job = j;
		j->j_state = JOB_RUNNING;
		j->j_attempts++;
		j->j_start_ms = j->j_first_start_ms = monotime_ms();
		if (run_one(&host, j) == 0) {
			j->j_have_result = 1;
			j->j_elapsed_ms = monotime_ms() - j->j_start_ms;
			run_job_finish(r, j, 1);
			continue;
		}
		j->j_have_error = 1;
		j->j_elapsed_ms = monotime_ms() - j->j_start_ms;
		if (strcmp(j->j_err.ge_code, "config") == 0) {
			/* the same for every job: the run cannot go on */
			j->j_state = JOB_PENDING;
			j->j_attempts--;
			job_host_release(&host);
			return (-1);
		}
		if (strcmp(j->j_err.ge_code, "cancelled") == 0) {
			j->j_stopped = 1;
			(void)snprintf(j->j_why, sizeof(j->j_why),
			    "stopped: the run was %s", r->r_fatal ?
			    "stopped by a fatal API answer" : "interrupted");
		} else
			(void)strlcpy(j->j_why, j->j_err.ge_message,
			    sizeof(j->j_why));
		if (j->j_err.ge_fatal)
			run_note_fatal(r, &j->j_err);
		run_job_finish(r, j, 0);
	}
	job_host_release(&host);
	return (0);
}
