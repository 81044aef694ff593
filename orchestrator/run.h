/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * run.h: one run's articles and how they are carried out: in parallel by
 * worker processes, or in this process (single-process mode), with the
 * same generation code either way; and the supervision around them:
 * deadlines, silent workers, retries, the shared API budget, cost
 * ceilings, fatal API answers and graceful stops.
 */
#ifndef RUN_H
#define RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "ratelimit.h"
#include "wire.h"

struct item_set;
struct llm_client;

enum article_state {
	ART_PENDING = 0,
	ART_RUNNING,
	ART_DONE,
	ART_FAILED,
	ART_NOT_STARTED,	/* the run stopped before it started */
};

struct run_article {
	size_t			 ra_item;	/* index into the item set */
	long long		 ra_id;		/* protocol job id, >= 1 */
	const char		*ra_replace;	/* --force target or NULL */
	enum article_state	 ra_state;
	int			 ra_slot;
	int			 ra_attempts;
	int			 ra_calls;	/* API calls over all attempts */
	long			 ra_tokens;	/* prompt + completion, all calls */
	double			 ra_spent;	/* USD over all attempts */
	int			 ra_have_result;
	int			 ra_have_error;
	int			 ra_ready;	/* handshake done */
	int			 ra_stopped;	/* we stopped it (run stopping) */
	int			 ra_timed_out;	/* article deadline */
	int			 ra_silent;	/* idle deadline */
	int64_t			 ra_start_ms;	/* this attempt */
	int64_t			 ra_first_start_ms;
	int64_t			 ra_last_msg_ms;
	int64_t			 ra_kill_at;	/* SIGKILL when passed; 0 none */
	int64_t			 ra_not_before;	/* retry backoff */
	int64_t			 ra_elapsed_ms;	/* all attempts */
	struct gen_result	 ra_res;
	struct gen_error	 ra_err;
	char			 ra_why[600];	/* final failure reason */
};

struct run {
	const struct item_set	*r_set;
	struct run_article	*r_arts;
	size_t			 r_narts;
	struct gen_settings	 r_gs;		/* shared settings */
	struct wire_job		 r_wire;	/* base URL, timeout, ... */
	int			 r_article_timeout_s;
	int			 r_idle_timeout_s;
	int			 r_retries;	/* extra attempts per article */
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
	/* callbacks: an article finished; a line of progress to show */
	void			(*r_on_done)(struct run *, struct run_article *);
	void			(*r_on_tick)(struct run *, size_t running);
	/*
	 * Every article has its outcome (workers may still be exiting):
	 * the moment to make the run's output durable.  Called at most once
	 * per run_parallel(); may be NULL.
	 */
	void			(*r_on_settled)(struct run *);
	/* a worker's log line about an article (NULL: log_info it) */
	void			(*r_on_log)(struct run *, struct run_article *,
				    const char *line);
	void			*r_arg;
};

/*
 * Run every pending article in this process with client.  Returns 0
 * (outcomes are in the articles).
 */
int	run_inline(struct run *, struct llm_client *client);

/*
 * Run every pending article with up to jobs worker processes.  Returns 0,
 * or -1 with why set when not a single worker could be started (pipe or
 * fork failed): the caller then falls back to run_inline().
 */
int	run_parallel(struct run *, const char *worker_path, char *const envp[],
	    size_t jobs, int sigfd, char *why, size_t whylen);

/* Delay before retry number n (1-based) of an article. */
int64_t	run_retry_backoff_ms(int n);

#endif /* RUN_H */
