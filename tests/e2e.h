/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * e2e.h: helpers for the end-to-end suites: the stand-in server and runs
 * of the real articlegen binary.
 */
#ifndef E2E_H
#define E2E_H

#include <sys/types.h>

#include <stddef.h>

struct standin {
	pid_t	 pid;
	int	 port;
	char	*dir;
	char	*log;
	char	*base_url;	/* http://127.0.0.1:PORT/v1 */
};

extern struct standin	e2e_standin;	/* started by the e2e fixtures */

void	 standin_start(struct standin *, const char *const extra[]);
void	 standin_stop(struct standin *);
int	 standin_requests(const struct standin *);
/*
 * Run build/articlegen with args in a clean environment plus env (NULL-
 * terminated "K=V" strings) from cwd, wait for it, and return its exit
 * code (128+signal when killed) and its stdout and stderr (owned).
 */
int	 run_articlegen(const char *cwd, const char *const args[],
	    const char *const env[], char **out, char **err);
char	*list_dir(const char *dir, const char *suffix);
size_t	 count_lines(const char *);
char	*e2e_workdir(const char *tag);
char	*e2e_env_base_url(void);
/* Check fixtures: e2e_standin started / stopped around each test. */
void	 e2e_setup_standin(void);
void	 e2e_teardown_standin(void);

/* A run of build/articlegen in the background. */
struct bgrun {
	pid_t	 pid;
	char	*dir;		/* holds stdout, stderr */
};
void	 bg_start(struct bgrun *, const char *cwd, const char *const args[],
	    const char *const env[]);
/* Wait for it; returns the exit code and its output (owned). */
int	 bg_wait(struct bgrun *, char **out, char **err);
/* The pids of the children of pid named name; returns how many. */
int	 children_named(pid_t pid, const char *name, pid_t *out, int max);
/* Poll until cond() returns non-zero or ms pass; returns cond(). */
int	 wait_until(int (*cond)(void *), void *arg, int ms);
/* Count request lines with a given HTTP status in the stand-in's log. */
int	 standin_status_count(const struct standin *, int status);
/*
 * Count request lines of the stand-in's log whose path holds path_part
 * and, unless status is 0, whose status is status.
 */
int	 standin_log_count(const struct standin *, const char *path_part,
	    int status);

/* Build the Hugo site at site into site/public; the test fails with
 * hugo's log when hugo does. */
void	 e2e_hugo_build(const char *site);
/* How many times needle occurs in hay, without overlaps. */
int	 occurrences(const char *hay, const char *needle);

#endif /* E2E_H */
