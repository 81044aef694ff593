/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * jobhost.h: the running side of a job.  A job message names its kind
 * (docs/PROTOCOL.md); the kind's handler, found in the table of kinds
 * (kinds.c), turns the message into a result message or an error.  The
 * process that runs it, articlegen-worker or articlegen in single-process
 * mode, is the handler's host: it lends the hooks that report progress
 * and pace API calls, the API key, and keeps the API client and the
 * pricing table from one job to the next.
 */
#ifndef JOBHOST_H
#define JOBHOST_H

#include <stddef.h>

#include "gen.h"

struct json_object;
struct llm_client;
struct pricing;
struct proto_msg;

struct job_host {
	struct gen_hooks	 jh_hooks;	/* the host's, for API calls */
	const char		*jh_api_key;	/* borrowed; may be NULL */
	/* set by a handler from its job's settings */
	int			 jh_rate_limited;	/* acquire first */
	int			 jh_heartbeat_ms;	/* 0: the default */
	char			*jh_sync_dir;	/* fsync after the result */
	/* kept across jobs (job_host_api(), job_host_pricing()) */
	struct llm_client	*jh_client;
	char			*jh_base_url;
	char			*jh_provider;
	int			 jh_timeout_s;
	int			 jh_retries;
	struct pricing		*jh_pricing;
	char			*jh_pricing_path;
};

/*
 * One kind of job, as a worker runs it.  run: the job message is
 * borrowed; returns 0 with *result a result message (new reference), or
 * -1 with err filled (its ge_exit: the worker's exit code for it).
 */
struct worker_kind {
	const char	*wk_name;	/* the job message's "kind" */
	int		(*wk_run)(struct job_host *,
			    const struct proto_msg *job,
			    struct json_object **result, struct gen_error *err);
};

/* The kinds this program runs, NULL-terminated (kinds.c). */
extern const struct worker_kind *const worker_kinds[];
/* The kinds' handlers. */
extern const struct worker_kind article_worker_kind;	/* article_job.c */
extern const struct worker_kind collect_worker_kind;	/* collect_job.c */
extern const struct worker_kind enrich_worker_kind;	/* enrich_job.c */

/*
 * Run the job message job with the handler of the kind it names.
 * Returns as the handler does; an unknown or missing kind is a bad_job
 * error.
 */
int	job_run(struct job_host *, const struct proto_msg *job,
	    struct json_object **result, struct gen_error *err);

/*
 * The API client for these settings: the one kept from an earlier job
 * when they match, else a new one (the key is the host's).  0, or -1 with
 * err set (a config error).
 */
int	job_host_api(struct job_host *, const char *base_url,
	    const char *provider, int timeout_s, int retries,
	    struct llm_client **client, struct gen_error *err);
/* The pricing table at path, loaded once.  0, or -1 with err set. */
int	job_host_pricing(struct job_host *, const char *path,
	    const struct pricing **pricing, struct gen_error *err);
/* Fill err (and log it) for a failure before any API call. */
void	job_error(struct gen_error *err, const char *code, int exitcode,
	    const char *fmt, ...) __attribute__((__format__(__printf__, 4, 5)));
/* The result is out: do the deferred durability work (jh_sync_dir). */
void	job_host_settle(struct job_host *);
void	job_host_release(struct job_host *);

#endif /* JOBHOST_H */
