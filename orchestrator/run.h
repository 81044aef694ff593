/*
 * run.h: one run's articles and how they are carried out: in parallel by
 * worker processes, or in this process (single-process mode), with the
 * same generation code either way.
 */
#ifndef RUN_H
#define RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "gen.h"
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
	int			 ra_have_result;
	int			 ra_have_error;
	int			 ra_ready;	/* handshake done */
	int64_t			 ra_start_ms;
	int64_t			 ra_deadline_ms;
	int			 ra_term_sent;
	int64_t			 ra_elapsed_ms;
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
	int			 r_verbose;
	volatile sig_atomic_t	*r_quit;
	/* outcome */
	size_t			 r_done;
	size_t			 r_failed;
	int			 r_api_calls;
	int			 r_fatal;	/* an API answer stopped the run */
	char			 r_fatal_msg[600];
	int			 r_interrupted;
	/* callback after each finished article (ledger, progress) */
	void			(*r_on_done)(struct run *, struct run_article *);
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

#endif /* RUN_H */
