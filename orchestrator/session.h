/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * session.h: one articlegen run from its input to its exit code: the
 * lock, the checks before spending, the plan, the run (workers or this
 * process), durability, the summary and the report.
 */
#ifndef SESSION_H
#define SESSION_H

#define SESSION_AUTO_JOBS_MAX	4	/* --jobs auto: at most this many */

struct options;
struct output;
struct settings;

/*
 * Detect where output goes (output_init()) and apply --progress /
 * --no-progress and TERM=dumb.  Early: it sets the log style.
 */
void	session_output_init(struct output *, const struct options *);
/*
 * Carry out the run, or with --dry-run / --emit-jobs only its plan.
 * wakefd is signals_install()'s.  Returns the exit code.
 */
int	session_run(const struct options *, const struct settings *,
	    struct output *, const char *api_key, const char *key_from,
	    int wakefd);

#endif /* SESSION_H */
