/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * job.h: the supervisor's unit of work.  A job has a kind, an input and,
 * once a worker delivered its result, an outcome; the rest is what the
 * supervision (run.c) tracks for any job: its state, attempts, API calls
 * and cost, deadlines and why it failed.  What a kind's input and outcome
 * are, and how they travel in the job and result messages, is the kind's
 * (struct job_kind): whoever makes a job gives it its kind.  The
 * worker's half of each kind is in its table, worker/kinds.c.
 */
#ifndef JOB_H
#define JOB_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"

struct json_object;
struct proto_msg;
struct job;

enum job_state {
	JOB_PENDING = 0,
	JOB_RUNNING,
	JOB_DONE,
	JOB_FAILED,
	JOB_NOT_STARTED,	/* the run stopped before it started */
};

/* The supervisor's half of a kind of job (the worker's: jobhost.h). */
struct job_kind {
	const char	*jk_name;	/* the job message's "kind" */
	/* The job message for j (new reference), or NULL if none fits. */
	struct json_object *(*jk_encode)(const struct job *j);
	/*
	 * Take j's result message into j->j_outcome (owned by the kind).
	 * 0, or -1 with errbuf saying what is wrong with it.
	 */
	int		(*jk_accept)(struct job *j, const struct proto_msg *msg,
			    char *errbuf, size_t errlen);
	/* What the job is, for log lines: "article 3 (item-id)". */
	void		(*jk_describe)(const struct job *j, char *buf,
			    size_t len);
	/* Free j->j_outcome, if any. */
	void		(*jk_release)(struct job *j);
};

/* The kinds' supervisor halves. */
extern const struct job_kind article_kind;	/* article_kind.c */
extern const struct job_kind collect_kind;	/* stage_kinds.c */
extern const struct job_kind enrich_kind;	/* stage_kinds.c */

struct job {
	const struct job_kind	*j_kind;
	long long		 j_id;		/* protocol job id, >= 1 */
	const void		*j_input;	/* the kind's; borrowed */
	void			*j_outcome;	/* the kind's, from the result */
	enum job_state		 j_state;
	int			 j_slot;
	int			 j_attempts;
	int			 j_calls;	/* API calls, all attempts */
	long			 j_tokens;	/* prompt + completion */
	double			 j_spent;	/* USD over all attempts */
	long			 j_peak_rss_kb;	/* its worker's, if known */
	int			 j_have_result;
	int			 j_have_error;
	int			 j_ready;	/* handshake done */
	int			 j_stopped;	/* the run stopped it */
	int			 j_timed_out;	/* job deadline */
	int			 j_silent;	/* idle deadline */
	int			 j_call_open;	/* granted, not reported */
	int64_t			 j_call_due;	/* when it may have started */
	int64_t			 j_start_ms;	/* this attempt */
	int64_t			 j_first_start_ms;
	int64_t			 j_last_msg_ms;
	int64_t			 j_kill_at;	/* SIGKILL at; 0: none */
	int64_t			 j_not_before;	/* retry backoff */
	int64_t			 j_elapsed_ms;	/* all attempts */
	struct gen_error	 j_err;		/* the worker's error message */
	char			 j_why[600];	/* final failure reason */
};

/* "article 3 (item-id)": j's kind describes it (static storage). */
const char	*job_name(const struct job *);
/* Release j's outcome (its kind's jk_release). */
void		 job_release(struct job *);

#endif /* JOB_H */
