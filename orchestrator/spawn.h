/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * spawn.h: how a worker process comes to be: fork and exec of
 * articlegen-worker, or a request to the fork server (its client half;
 * the serving half is worker/forkserver.c), behind one function,
 * spawn_worker().  Either way the worker is a child of articlegen with
 * three fresh pipes on its fds 0-2 and nothing else open.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>

#include <stddef.h>

#include "spawnchan.h"

struct spawner;

/*
 * Spawning workers of worker_path with the environment envp (borrowed;
 * must outlive the spawner) and verbose extra -v flags.  With forkserver,
 * workers are forked by a fork server started on the first spawn; if that
 * fails, the spawner says so once and falls back to fork and exec.
 */
struct spawner	*spawner_new(const char *worker_path, char *const envp[],
		    int verbose, int forkserver);
/* Stop the fork server (waiting for it, briefly) and free. */
void		 spawner_free(struct spawner *);

/*
 * Start a worker for slot: from the fork server when there is one, else
 * with fork and exec.  Returns its pid with articlegen's ends of its
 * stdin, stdout and stderr in ends[0..2] (close-on-exec, blocking), or -1
 * with errbuf set and errno from the failing pipe2/fork.
 */
pid_t		 spawn_worker(struct spawner *, int slot, int ends[3],
		    char *errbuf, size_t errlen);
/* No more spawns expected for now: the fork server may go. */
void		 spawner_done(struct spawner *);
/* The fork server's stderr, for poll(2), or -1. */
int		 spawner_log_fd(const struct spawner *);
/* It is readable: log what it wrote. */
void		 spawner_log_ready(struct spawner *);
/*
 * A child was reaped (how: as pool_describe_status()): 1 if it was the
 * fork server, which is then forgotten.
 */
int		 spawner_reaped(struct spawner *, pid_t pid, const char *how);

/*
 * The fork server's client: ask the server on sock for a worker in slot,
 * with fds (its stdin, stdout and stderr, borrowed) and verbose.  Waits up
 * to timeout_ms for the reply.  Returns the worker's pid, or -1 with
 * errbuf set; after -1 the server is not to be trusted again (it may be
 * dead, hung or not a fork server at all).
 */
pid_t		 forkserver_request(int sock, int slot, int verbose,
		    const int fds[SPAWNCHAN_NFDS], int timeout_ms,
		    char *errbuf, size_t errlen);

#endif /* SPAWN_H */
