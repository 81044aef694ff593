/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * run.h: one run's jobs and how they are carried out: in parallel by
 * worker processes (run.c), or in this process (single-process mode,
 * inline.c), with the same job handlers either way; and the supervision
 * around them, the same for a job of any kind: deadlines, silent
 * workers, retries, the shared API budget, cost ceilings, fatal API
 * answers and graceful stops.
 */
#ifndef RUN_H
#define RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "job.h"
#include "ratelimit.h"

struct item_set;

struct run {
	const struct item_set	*r_set;		/* the input, for the report */
	struct job		*r_jobs;
	size_t			 r_njobs;
	int			 r_job_timeout_s;	/* per attempt */
	int			 r_idle_timeout_s;
	int			 r_retries;	/* extra attempts per job */
	int			 r_grace_s;
	double			 r_max_cost_run;	/* 0: none */
	int			 r_verbose;
	int			 r_forkserver;	/* spawn workers from one */
	volatile sig_atomic_t	*r_quit;	/* signals received */
	struct ratelimit	 r_rl;
	/* outcome */
	size_t			 r_done;
	size_t			 r_failed;
	int			 r_api_calls;
	long			 r_worker_peak_kb;	/* largest reported */
	double			 r_spent;
	int			 r_fatal;	/* an API answer stopped the run */
	char			 r_fatal_msg[600];
	int			 r_broken;	/* workers cannot start at all */
	char			 r_broken_msg[600];
	int			 r_cost_stopped;	/* run ceiling reached */
	int			 r_interrupted;
	int64_t			 r_quit_at;	/* first signal seen, or 0 */
	volatile sig_atomic_t	 r_cancel;	/* in-process: abort calls */
	/* callbacks: a job finished; a line of progress to show */
	void			(*r_on_done)(struct run *, struct job *);
	void			(*r_on_tick)(struct run *, size_t running);
	/*
	 * Every job has its outcome (workers may still be exiting): the
	 * moment to make the run's output durable.  Called at most once
	 * per run_parallel(); may be NULL.
	 */
	void			(*r_on_settled)(struct run *);
	/* a worker's log line about a job (NULL: log_info it) */
	void			(*r_on_log)(struct run *, struct job *,
				    const char *line);
	void			*r_arg;
};

/*
 * Run every pending job in this process (inline.c), with api_key for the
 * API calls.  Returns 0 (outcomes are in the jobs), or -1 (logged) when
 * the API client cannot be configured, which no job could get past.
 */
int	run_inline(struct run *, const char *api_key);

/*
 * Run every pending job with up to jobs worker processes.  Returns 0, or
 * -1 with why set when not a single worker could be started (pipe or
 * fork failed): the caller then falls back to run_inline().
 */
int	run_parallel(struct run *, const char *worker_path, char *const envp[],
	    size_t jobs, int sigfd, char *why, size_t whylen);

/* Delay before retry number n (1-based) of a job. */
int64_t	run_retry_backoff_ms(int n);

/*
 * The supervision both modes share (run.c).  run_note_call: account one
 * HTTP attempt of j (count, tokens, cost, a 429's pause, the cost
 * ceiling).  run_quit_level: 0, or 1 (graceful) or 2 (hard) once
 * signalled.  run_should_stop_starting: no new job may start.
 * run_note_fatal: a fatal API answer stops the run.  run_job_finish: j
 * has its outcome; counts it and calls r_on_done.
 */
void	run_note_call(struct run *, struct job *j, const struct api_call *);
int	run_quit_level(struct run *);
int	run_should_stop_starting(struct run *);
void	run_note_fatal(struct run *, const struct gen_error *);
void	run_job_finish(struct run *, struct job *j, int ok);

#endif /* RUN_H */
