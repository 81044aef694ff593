/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * workerenv.h: what an articlegen-worker is started with: which binary,
 * and which environment.
 */
#ifndef WORKERENV_H
#define WORKERENV_H

/*
 * The environment a worker gets: only what it needs (locale, TLS and
 * proxy settings, sanitizer options) plus the API key when not NULL.
 * Owned NULL-terminated array of owned strings: workerenv_free().
 */
char	**workerenv_new(const char *api_key);
/* Wipe (the key is in it) and free an environment from workerenv_new(). */
void	  workerenv_free(char **envp);
/*
 * The worker binary: configured (--worker or ARTICLEGEN_WORKER) when set,
 * else the one next to this binary, else the installed libexec one.
 * Returns an owned path, or NULL: with *bad = 1 when configured is not an
 * executable file (a configuration error), *bad = 0 when none was found.
 */
char	 *workerenv_find_worker(const char *configured, int *bad);

#endif /* WORKERENV_H */
