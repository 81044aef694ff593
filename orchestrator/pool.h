/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pool.h: the worker slots.  A fixed number of slots; each running slot
 * is one worker process (started by spawn.h) with three pipes (its stdin,
 * its protocol stdout, its stderr) and, while it carries one, a pointer
 * to its job.  The pool starts, feeds, reads, kills and reaps; what the
 * messages mean for the job is the caller's business (run.c).
 */
#ifndef POOL_H
#define POOL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct job;
struct json_object;
struct proto_msg;
struct pool;

struct pool_events {
	void	*pe_arg;
	/*
	 * A well-formed protocol message from slot, whose job (or NULL) is
	 * job; msg is borrowed.
	 */
	void	(*pe_message)(void *arg, int slot, struct job *job,
		    const struct proto_msg *msg);
	/* One line the worker in slot wrote to its stderr. */
	void	(*pe_log)(void *arg, int slot, pid_t pid, struct job *job,
		    const char *line);
	/*
	 * The worker in slot has exited and its pipes are drained; job is
	 * the one it carried, or NULL.  status is as from waitpid(2); bad is
	 * the protocol violation that got it killed, or NULL.  The slot is
	 * free again after this returns.
	 */
	void	(*pe_exit)(void *arg, int slot, struct job *job, int status,
		    const char *bad);
};

/*
 * A pool of nslots slots running worker_path with the environment envp
 * (borrowed; must outlive the pool) and verbose extra -v flags, started
 * as spawn.h says (forkserver: through a fork server).
 */
struct pool	*pool_new(size_t nslots, const char *worker_path,
		    char *const envp[], int verbose, int forkserver,
		    const struct pool_events *ev);
/* Kill (SIGKILL) and reap whatever still runs, then free. */
void		 pool_free(struct pool *);

/*
 * Start a worker in a free slot and queue its hello.  Returns the slot,
 * or -1 with errbuf set and errno from the failing pipe2/fork (the caller
 * decides whether that is fatal or a reason to run in-process).
 */
int		 pool_spawn(struct pool *, char *errbuf, size_t errlen);
/*
 * The caller expects no more spawns for now: the fork server may go (a
 * later pool_spawn still works, with fork and exec).
 */
void		 pool_spawns_done(struct pool *);
/* slot's worker now carries job (NULL: none); counts the jobs it got. */
void		 pool_set_job(struct pool *, int slot, struct job *job);
struct job	*pool_job(const struct pool *, int slot);
/* Jobs given to slot's worker so far. */
int		 pool_njobs(const struct pool *, int slot);
/* Running workers that carry a job. */
size_t		 pool_ncarrying(const struct pool *);
/*
 * slot's worker has no more work: it carries no job, its stdin is closed
 * (it exits at EOF), and if it still runs at kill_at it gets SIGKILL.
 */
void		 pool_retire(struct pool *, int slot, int64_t kill_at);
/*
 * Queue msg (moved in) for slot's stdin.  0, or -1 with errno EMSGSIZE
 * (over the protocol's line cap) or EPIPE (its stdin is closed).
 */
int		 pool_send(struct pool *, int slot, struct json_object *msg);
/* Close slot's stdin (the worker sees EOF). */
void		 pool_close_input(struct pool *, int slot);
void		 pool_signal(struct pool *, int slot, int sig);
/* Mark slot's worker as misbehaving: SIGKILL it and ignore its output. */
void		 pool_mark_bad(struct pool *, int slot, const char *why);
pid_t		 pool_pid(const struct pool *, int slot);
size_t		 pool_nbusy(const struct pool *);
size_t		 pool_nslots(const struct pool *);

/*
 * One pass of the event loop: poll every worker fd and extra_fd (if not
 * -1) for up to timeout_ms (-1: no limit), read and dispatch complete
 * lines, flush queued input, reap exited workers.  Returns 1 when
 * extra_fd became readable, 0 otherwise.
 */
int		 pool_run_once(struct pool *, int timeout_ms, int extra_fd);

/* "exited with status 3", "killed by signal 9": static storage. */
const char	*pool_describe_status(int status);

#endif /* POOL_H */
