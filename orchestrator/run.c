/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * run.c: owns the state of each job of a run and the policy around the
 * workers, the same for a job of any kind: which job goes to which slot,
 * what each message means for it, what a worker's exit means, deadlines,
 * silent workers, retries, the shared API budget, cost ceilings, fatal
 * API answers and graceful stops.  What a job's input and outcome are is
 * its kind's (job.h); processes and pipes are pool.c's.
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

#include "job.h"
#include "log.h"
#include "pool.h"
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

/* A parallel run: the run, its pool of workers, and how far it stopped. */
struct parallel_run {
	struct run		*pr_run;
	struct pool		*pr_pool;
	int			 pr_stopping;	/* no new jobs */
	int			 pr_hard;	/* jobs in flight stopped */
};

static void	job_delivered(struct parallel_run *, int, struct job *);
static void	send_job(struct parallel_run *, int, struct job *);
static struct job *next_pending(struct run *, int64_t, int64_t *);

int64_t
run_retry_backoff_ms(int n)
{
	int64_t	ms = RETRY_BASE_MS;

	while (--n > 0 && ms < RETRY_MAX_MS)
		ms *= 2;
	return (ms > RETRY_MAX_MS ? RETRY_MAX_MS : ms);
}

void
run_job_finish(struct run *r, struct job *j, int ok)
{
	j->j_state = ok ? JOB_DONE : JOB_FAILED;
	if (ok)
		r->r_done++;
	else
		r->r_failed++;
	if (r->r_on_done != NULL)
		r->r_on_done(r, j);
}

void
run_note_fatal(struct run *r, const struct gen_error *e)
{
	if (r->r_fatal)
		return;
	r->r_fatal = 1;
	(void)snprintf(r->r_fatal_msg, sizeof(r->r_fatal_msg), "%s (%s)",
	    e->ge_message, e->ge_code);
}

/* The cost ceiling: once reached, no new job starts. */
static void
check_cost_ceiling(struct run *r)
{
	if (r->r_max_cost_run > 0 && r->r_spent >= r->r_max_cost_run &&
	    !r->r_cost_stopped) {
		r->r_cost_stopped = 1;
		log_warnx("cost ceiling reached: $%.6f spent of MAX_COST_PER_RUN "
		    "$%.6f; no new job will start", r->r_spent,
		    r->r_max_cost_run);
	}
}

void
run_note_call(struct run *r, struct job *j, const struct api_call *call)
{
	r->r_api_calls++;
	j->j_calls++;
	j->j_tokens += call->ac_prompt_tokens + call->ac_completion_tokens;
	r->r_spent += call->ac_cost;
	j->j_spent += call->ac_cost;
	if (call->ac_status == 429)
		ratelimit_pause(&r->r_rl, call->ac_retry_after_ms,
		    monotime_ms());
	check_cost_ceiling(r);
}

/*
 * j's worker ended with a call granted and not reported: the API may have
 * answered (and billed) it, so it counts as a call, its tokens unknown.
 * A grant whose wait had not yet passed was never used.
 */
static void
count_unreported_call(struct run *r, struct job *j, int64_t now)
{
	if (!j->j_call_open)
		return;
	j->j_call_open = 0;
	if (now < j->j_call_due)
		return;
	r->r_api_calls++;
	j->j_calls++;
	log_info("%s: its worker ended during an API call; the call is "
	    "counted, its cost is unknown", job_name(j));
}

int
run_quit_level(struct run *r)
{
	int	q = r->r_quit != NULL ? (int)*r->r_quit : 0;

	if (q > 0 && r->r_quit_at == 0) {
		r->r_quit_at = monotime_ms();
		r->r_interrupted = 1;
	}
	return (q);
}

int
run_should_stop_starting(struct run *r)
{
	return (run_quit_level(r) > 0 || r->r_fatal || r->r_broken ||
	    r->r_cost_stopped);
}

/* Stop the worker in slot: shutdown message, SIGTERM, SIGKILL later. */
static void
stop_slot(struct parallel_run *pr, int slot, int64_t kill_after_ms)
{
	struct job	*j = pool_job(pr->pr_pool, slot);

	if (j == NULL || j->j_kill_at != 0)
		return;
	(void)pool_send(pr->pr_pool, slot, proto_new(PROTO_SHUTDOWN, 0));
	pool_signal(pr->pr_pool, slot, SIGTERM);
	j->j_kill_at = monotime_ms() + kill_after_ms;
}

static void
stop_all(struct parallel_run *pr, int64_t kill_after_ms)
{
	size_t		 i;
	struct job	*j;

	for (i = 0; i < pool_nslots(pr->pr_pool); i++)
		if ((j = pool_job(pr->pr_pool, (int)i)) != NULL) {
			j->j_stopped = 1;
			stop_slot(pr, (int)i, kill_after_ms);
		}
}

/* An acquire: grant the call its place in the shared API budget. */
static void
grant_call(struct parallel_run *pr, int slot, struct job *j,
    const struct proto_msg *msg)
{
	struct run		*r = pr->pr_run;
	struct json_object	*grant;
	long long		 n = 0;
	int64_t			 now = monotime_ms(), wait;

	if (pr->pr_hard || r->r_fatal || r->r_broken) {
		/* no further API calls once the run is stopping hard */
		(void)pool_send(pr->pr_pool, slot,
		    proto_new(PROTO_SHUTDOWN, 0));
		return;
	}
	(void)proto_get_int(msg, "tokens", 0, 100000000, &n);
	wait = ratelimit_reserve(&r->r_rl, (long)n, now);
	j->j_call_open = 1;
	j->j_call_due = now + wait;
	grant = proto_new(PROTO_GRANT, j->j_id);
	json_object_object_add(grant, "wait_ms", json_object_new_int64(wait));
	(void)pool_send(pr->pr_pool, slot, grant);
}

/* A calldone: account the call as the worker priced it. */
static void
call_done(struct run *r, struct job *j, const struct proto_msg *msg)
{
	struct api_call		 call;
	struct json_object	*cost;
	long long		 status = 0, pt = 0, ct = 0, ra = -1;

	(void)proto_get_int(msg, "status", 0, 999, &status);
	(void)proto_get_int(msg, "prompt_tokens", 0, 1000000000, &pt);
	(void)proto_get_int(msg, "completion_tokens", 0, 1000000000, &ct);
	(void)proto_get_int(msg, "retry_after_ms", 0, 86400000, &ra);
	memset(&call, 0, sizeof(call));
	call.ac_op = proto_get_str(msg, "op");
	call.ac_model = proto_get_str(msg, "model");
	call.ac_status = (int)status;
	call.ac_prompt_tokens = (long)pt;
	call.ac_completion_tokens = (long)ct;
	call.ac_retry_after_ms = ra;
	if ((cost = proto_get_obj(msg, "cost")) != NULL &&
	    (json_object_is_type(cost, json_type_double) ||
	    json_object_is_type(cost, json_type_int)) &&
	    json_object_get_double(cost) >= 0 &&
	    json_object_get_double(cost) < 1e6)
		call.ac_cost = json_object_get_double(cost);
	j->j_call_open = 0;
	run_note_call(r, j, &call);
}

/* An error message for j: what it says for the job and for the run. */
static int
job_error(struct parallel_run *pr, int slot, struct job *j,
    const struct proto_msg *msg)
{
	struct run	*r = pr->pr_run;
	char		 errbuf[256], why[300];

	if (wire_error_parse(msg, &j->j_err, errbuf, sizeof(errbuf)) == -1) {
		(void)snprintf(why, sizeof(why), "protocol error: bad error "
		    "message: %s", errbuf);
		pool_mark_bad(pr->pr_pool, slot, why);
		return (-1);
	}
	j->j_have_error = 1;
	if (strcmp(j->j_err.ge_code, "bad_version") == 0 && !r->r_broken) {
		r->r_broken = 1;
		(void)snprintf(r->r_broken_msg, sizeof(r->r_broken_msg),
		    "the worker speaks another protocol version: %s",
		    j->j_err.ge_message);
	}
	if (j->j_err.ge_fatal && !r->r_broken) {
		run_note_fatal(r, &j->j_err);
		log_warnx("%s: %s: stopping the run", job_name(j),
		    j->j_err.ge_message);
	}
	return (0);
}

static void
on_message(void *arg, int slot, struct job *j, const struct proto_msg *msg)
{
	struct parallel_run	*pr = arg;
	struct run		*r = pr->pr_run;
	char			 errbuf[256], why[300];
	const char		*stage;
	long long		 n;

	if (j == NULL)
		return;
	j->j_last_msg_ms = monotime_ms();
	if (j->j_have_result) {
		(void)snprintf(why, sizeof(why), "protocol error: '%s' after "
		    "its result", proto_type_name(msg->m_type));
		log_warnx("%s: worker %d: %s; ignored", job_name(j), slot, why);
		return;
	}
	if (msg->m_type != PROTO_READY && msg->m_type != PROTO_ERROR &&
	    msg->m_id != j->j_id) {
		(void)snprintf(why, sizeof(why), "protocol error: '%s' for "
		    "job %lld, expected job %lld", proto_type_name(msg->m_type),
		    msg->m_id, j->j_id);
		pool_mark_bad(pr->pr_pool, slot, why);
		return;
	}
	switch (msg->m_type) {
	case PROTO_READY:
		if (j->j_ready) {
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
		j->j_ready = 1;
		break;
	case PROTO_PROGRESS:
		stage = proto_get_str(msg, "stage");
		if (stage != NULL && strcmp(stage, "waiting") != 0)
			log_debug("%s: %s", job_name(j), stage);
		break;
	case PROTO_ACQUIRE:
		grant_call(pr, slot, j, msg);
		break;
	case PROTO_CALLDONE:
		call_done(r, j, msg);
		break;
	case PROTO_RESULT:
		if (j->j_kind->jk_accept(j, msg, errbuf, sizeof(errbuf)) ==
		    -1) {
			(void)snprintf(why, sizeof(why), "protocol error: bad "
			    "result: %s", errbuf);
			pool_mark_bad(pr->pr_pool, slot, why);
			return;
		}
		j->j_have_result = 1;
		if (j->j_peak_rss_kb > r->r_worker_peak_kb)
			r->r_worker_peak_kb = j->j_peak_rss_kb;
		job_delivered(pr, slot, j);
		break;
	case PROTO_ERROR:
		(void)job_error(pr, slot, j, msg);
		break;
	default:
		(void)snprintf(why, sizeof(why), "protocol error: unexpected "
		    "'%s' from a worker", proto_type_name(msg->m_type));
		pool_mark_bad(pr->pr_pool, slot, why);
		break;
	}
}

/* Give slot's worker job j: its job message goes out at once. */
static void
start_job(struct parallel_run *pr, int slot, struct job *j)
{
	int64_t		 now = monotime_ms();

	pool_set_job(pr->pr_pool, slot, j);
	j->j_state = JOB_RUNNING;
	j->j_slot = slot;
	j->j_attempts++;
	j->j_start_ms = j->j_last_msg_ms = now;
	if (j->j_first_start_ms == 0)
		j->j_first_start_ms = now;
	j->j_stopped = 0;
	j->j_have_result = j->j_have_error = 0;
	j->j_call_open = 0;
	log_debug("%s: attempt %d on worker %d pid %ld (job %d of this "
	    "worker)", job_name(j), j->j_attempts, slot,
	    (long)pool_pid(pr->pr_pool, slot), pool_njobs(pr->pr_pool, slot));
	send_job(pr, slot, j);
}

/*
 * A result arrived: the job is done.  The worker then takes the next job
 * due, or is retired (its stdin is closed).
 */
static void
job_delivered(struct parallel_run *pr, int slot, struct job *j)
{
	struct run	*r = pr->pr_run;
	struct job	*next = NULL;
	int64_t		 now = monotime_ms(), wait;

	j->j_elapsed_ms += now - j->j_start_ms;
	j->j_slot = -1;
	j->j_call_open = 0;
	pool_set_job(pr->pr_pool, slot, NULL);
	run_job_finish(r, j, 1);
	/* a worker we were stopping (deadline, silence, shutdown) retires */
	if (!pr->pr_stopping && !run_should_stop_starting(r) &&
	    pool_njobs(pr->pr_pool, slot) < WORKER_MAX_JOBS &&
	    j->j_kill_at == 0 && !j->j_timed_out && !j->j_silent &&
	    !j->j_stopped)
		next = next_pending(r, now, &wait);
	if (next != NULL) {
		start_job(pr, slot, next);
		return;
	}
	pool_retire(pr->pr_pool, slot, j->j_kill_at != 0 && j->j_kill_at <
	    now + KILL_GRACE_MS ? j->j_kill_at : now + KILL_GRACE_MS);
	j->j_kill_at = 0;
}

static void
on_log(void *arg, int slot, pid_t pid, struct job *j, const char *line)
{
	struct parallel_run	*pr = arg;
	const char		*p;

	/* drop the worker's own "articlegen-worker[pid]: " prefix */
	if (strncmp(line, "articlegen-worker[", 18) == 0 &&
	    (p = strstr(line, "]: ")) != NULL)
		line = p + 3;
	if (j != NULL && pr->pr_run->r_on_log != NULL) {
		char	*full;

		xasprintf(&full, "worker %d (pid %ld): %s", slot, (long)pid,
		    line);
		pr->pr_run->r_on_log(pr->pr_run, j, full);
		free(full);
	} else if (j != NULL)
		log_info("worker %d (pid %ld, %s): %s", slot, (long)pid,
		    job_name(j), line);
	else
		log_info("worker %d (pid %ld): %s", slot, (long)pid, line);
}

/* Why an attempt without a result ended; fills j->j_why. */
static void
describe_failure(struct run *r, struct job *j, int status, const char *bad)
{
	const char	*how = pool_describe_status(status);

	if (j->j_stopped && !j->j_have_error)
		(void)snprintf(j->j_why, sizeof(j->j_why), "stopped: the run "
		    "was %s (worker %s)", r->r_fatal ? "stopped by a fatal API "
		    "answer" : r->r_broken ? "stopped" : "interrupted", how);
	else if (bad != NULL)
		(void)snprintf(j->j_why, sizeof(j->j_why), "%s (worker %s)",
		    bad, how);
	else if (j->j_timed_out)
		(void)snprintf(j->j_why, sizeof(j->j_why), "timed out after "
		    "%d s (worker %s)", r->r_job_timeout_s, how);
	else if (j->j_silent)
		(void)snprintf(j->j_why, sizeof(j->j_why), "worker silent for "
		    "%d s (worker %s)", r->r_idle_timeout_s, how);
	else if (j->j_have_error)
		(void)strlcpy(j->j_why, j->j_err.ge_message,
		    sizeof(j->j_why));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_EXEC_FAILED)
		(void)snprintf(j->j_why, sizeof(j->j_why), "the worker could "
		    "not be executed (exit 127)");
	else
		(void)snprintf(j->j_why, sizeof(j->j_why), "worker %s "
		    "without a result", how);
}

static void
on_exit_slot(void *arg, int slot, struct job *j, int status, const char *bad)
{
	struct parallel_run	*pr = arg;
	struct run		*r = pr->pr_run;
	int			 died, can_retry;
	int64_t			 now = monotime_ms(), delay;

	if (j == NULL) {
		/* a worker between jobs: its last one is already counted */
		if (bad != NULL || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			log_warnx("worker %d %s after its last job%s%s", slot,
			    pool_describe_status(status), bad != NULL ? ": " :
			    "", bad != NULL ? bad : "");
		return;
	}
	count_unreported_call(r, j, now);
	j->j_elapsed_ms += now - j->j_start_ms;
	j->j_slot = -1;
	j->j_kill_at = 0;
	describe_failure(r, j, status, bad);
	/* a worker that cannot even start would fail every job */
	if (!j->j_ready && !j->j_stopped && !r->r_broken &&
	    WIFEXITED(status) && WEXITSTATUS(status) == EXIT_EXEC_FAILED) {
		r->r_broken = 1;
		(void)snprintf(r->r_broken_msg, sizeof(r->r_broken_msg),
		    "the worker cannot start: %.500s", j->j_why);
	}
	/*
	 * Only a worker that died (signal, exit without a result, protocol
	 * violation, deadline) is retried: API failures were already retried
	 * inside the worker, which is the one retry layer for them.
	 */
	died = !j->j_have_error || j->j_err.ge_exit == EXIT_OSERR ||
	    j->j_timed_out || j->j_silent;
	can_retry = died && !j->j_stopped && !r->r_broken && !r->r_fatal &&
	    j->j_attempts <= r->r_retries && !run_should_stop_starting(r);
	if (can_retry) {
		delay = run_retry_backoff_ms(j->j_attempts);
		log_warnx("%s: attempt %d failed: %s; retrying on a fresh "
		    "worker in %.1f s", job_name(j), j->j_attempts, j->j_why,
		    delay / 1000.0);
		j->j_state = JOB_PENDING;
		j->j_not_before = now + delay;
		j->j_have_error = 0;
		j->j_ready = 0;
		j->j_timed_out = j->j_silent = 0;
		memset(&j->j_err, 0, sizeof(j->j_err));
		return;
	}
	if (j->j_attempts > 1) {
		size_t	l = strlen(j->j_why);

		(void)snprintf(j->j_why + l, sizeof(j->j_why) - l,
		    " (%d attempts)", j->j_attempts);
	}
	run_job_finish(r, j, 0);
}

static void
send_job(struct parallel_run *pr, int slot, struct job *j)
{
	struct json_object	*msg;

	/* a worker that closed its stdin already: its exit tells the rest */
	if ((msg = j->j_kind->jk_encode(j)) == NULL ||
	    (pool_send(pr->pr_pool, slot, msg) == -1 && errno == EMSGSIZE))
		pool_mark_bad(pr->pr_pool, slot, "the job does not fit in one "
		    "protocol line (input too large)");
}

/* The next job due to start, or NULL; *wait_ms when one is waiting. */
static struct job *
next_pending(struct run *r, int64_t now, int64_t *wait_ms)
{
	struct job	*j;
	size_t		 i;

	*wait_ms = -1;
	for (i = 0; i < r->r_njobs; i++) {
		j = &r->r_jobs[i];
		if (j->j_state != JOB_PENDING)
			continue;
		if (j->j_not_before <= now)
			return (j);
		if (*wait_ms == -1 || j->j_not_before - now < *wait_ms)
			*wait_ms = j->j_not_before - now;
	}
	return (NULL);
}

/* 1 when every job is done, failed or will not be started. */
static int
all_settled(const struct run *r)
{
	size_t	i;

	for (i = 0; i < r->r_njobs; i++)
		if (r->r_jobs[i].j_state == JOB_PENDING ||
		    r->r_jobs[i].j_state == JOB_RUNNING)
			return (0);
	return (1);
}

static int
any_pending(const struct run *r)
{
	size_t	i;

	for (i = 0; i < r->r_njobs; i++)
		if (r->r_jobs[i].j_state == JOB_PENDING)
			return (1);
	return (0);
}

/*
 * Deadlines of the jobs in flight: the job timeout, the idle timeout and
 * SIGKILL escalation.  Returns the poll timeout until the next one (at
 * most 1 s).
 */
static int
check_deadlines(struct parallel_run *pr)
{
	struct run	*r = pr->pr_run;
	int64_t		 now = monotime_ms(), next = 1000, t, idle_end;
	size_t		 i;
	struct job	*j;

	for (i = 0; i < pool_nslots(pr->pr_pool); i++) {
		if ((j = pool_job(pr->pr_pool, (int)i)) == NULL)
			continue;
		if (j->j_kill_at != 0 && now >= j->j_kill_at) {
			pool_signal(pr->pr_pool, (int)i, SIGKILL);
			j->j_kill_at = now + KILL_GRACE_MS;
		}
		if (j->j_kill_at == 0 && now >= j->j_start_ms +
		    (int64_t)r->r_job_timeout_s * 1000) {
			log_warnx("%s: no result after %d s: stopping worker "
			    "%zu", job_name(j), r->r_job_timeout_s, i);
			j->j_timed_out = 1;
			stop_slot(pr, (int)i, KILL_GRACE_MS);
		} else if (j->j_kill_at == 0 && now >= j->j_last_msg_ms +
		    (int64_t)r->r_idle_timeout_s * 1000) {
			log_warnx("%s: worker %zu silent for %d s: stopping it",
			    job_name(j), i, r->r_idle_timeout_s);
			j->j_silent = 1;
			stop_slot(pr, (int)i, KILL_GRACE_MS);
		}
		if (j->j_kill_at != 0)
			t = j->j_kill_at - now;
		else {
			t = j->j_start_ms + (int64_t)r->r_job_timeout_s * 1000 -
			    now;
			idle_end = j->j_last_msg_ms +
			    (int64_t)r->r_idle_timeout_s * 1000;
			if (idle_end - now < t)
				t = idle_end - now;
		}
		if (t < next)
			next = t;
	}
	return (next < 0 ? 0 : (int)next + 1);
}

/* Signals, fatal answers, broken workers and the cost ceiling. */
static void
check_stops(struct parallel_run *pr)
{
	struct run	*r = pr->pr_run;
	int		 q = run_quit_level(r);
	int64_t		 now = monotime_ms();
	size_t		 n = pool_ncarrying(pr->pr_pool);

	if (!pr->pr_stopping && run_should_stop_starting(r)) {
		pr->pr_stopping = 1;
		if (q > 0 && n > 0)
			log_notice("stopping: no new jobs; %zu in flight may "
			    "finish within %d s (signal again to stop now)",
			    n, r->r_grace_s);
	}
	if (pr->pr_hard)
		return;
	if (r->r_fatal || r->r_broken || q >= 2) {
		pr->pr_hard = 1;
		stop_all(pr, HARD_STOP_MS);
	} else if (q == 1 && now >= r->r_quit_at + (int64_t)r->r_grace_s *
	    1000) {
		pr->pr_hard = 1;
		if (n > 0)
			log_warnx("grace period of %d s over: stopping %zu "
			    "jobs in flight", r->r_grace_s, n);
		stop_all(pr, KILL_GRACE_MS);
	}
}

int
run_parallel(struct run *r, const char *worker_path, char *const envp[],
    size_t jobs, int sigfd, char *why, size_t whylen)
{
	struct pool_events	 ev;
	struct parallel_run	 pr;
	struct job		*j;
	char			 errbuf[256];
	size_t			 i, started = 0;
	int			 slot, timeout, settled = 0, more;
	int64_t			 retry_spawn_at = 0, wait_ms, now;

	memset(&pr, 0, sizeof(pr));
	pr.pr_run = r;
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
		    (j = next_pending(r, now, &wait_ms)) != NULL) {
			slot = pool_spawn(pr.pr_pool, errbuf, sizeof(errbuf));
			if (slot == -1) {
				if (started == 0) {
					(void)snprintf(why, whylen, "%s", errbuf);
					pool_free(pr.pr_pool);
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
				start_job(&pr, slot, j);
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
		    pool_nbusy(pr.pr_pool), r->r_njobs, r->r_done, r->r_failed);
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
	for (i = 0; i < r->r_njobs; i++)
		if (r->r_jobs[i].j_state == JOB_PENDING)
			r->r_jobs[i].j_state = JOB_NOT_STARTED;
	pool_free(pr.pr_pool);
	return (0);
}
