/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pool.c: owns the worker slots: each running slot's process (started
 * by spawn.c), its three pipes, the job it carries (a pointer the caller
 * sets), one poll(2) set over all of them, line framing with a cap, and
 * reaping.  A slot is finished only when the worker has been reaped AND
 * both its output pipes have reached EOF, so no line is lost and no
 * zombie is left.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "buf.h"
#include "log.h"
#include "logpipe.h"
#include "pool.h"
#include "proto.h"
#include "spawn.h"
#include "util.h"
#include "xmalloc.h"

#define DRAIN_MS	2000	/* after reaping, wait this long for EOF */
#define RETIRE_KILL_MS	5000	/* between SIGKILLs of a retired worker */

enum slot_state {
	SLOT_FREE = 0,
	SLOT_RUNNING,
};

struct pool_slot {
	enum slot_state		 s_state;
	pid_t			 s_pid;
	struct job		*s_job;		/* its job, or NULL */
	int			 s_njobs;	/* jobs given to this worker */
	int64_t			 s_retire_kill;	/* retired: SIGKILL at, or 0 */
	int			 s_in;		/* worker's stdin, -1 closed */
	int			 s_out;		/* worker's protocol stdout */
	struct logpipe		 s_log;		/* worker's stderr */
	struct proto_reader	*s_reader;
	struct buf		 s_outq;	/* queued input for the worker */
	size_t			 s_outoff;
	int			 s_reaped;
	int64_t			 s_reaped_at;
	int64_t			 s_eof_at;	/* both outputs at EOF, unreaped */
	int			 s_status;
	char			*s_bad;		/* violation, or NULL */
};

/* What a pollfd of the set stands for. */
enum pfd_kind {
	PFD_INPUT,		/* a worker's stdin, writable */
	PFD_PROTOCOL,		/* a worker's stdout */
	PFD_LOG,		/* a worker's stderr */
	PFD_EXTRA,		/* the caller's fd (signals) */
	PFD_SPAWNER_LOG,	/* the fork server's stderr */
};

struct pool {
	struct pool_slot	*p_slots;
	size_t			 p_nslots;
	size_t			 p_nbusy;
	struct spawner		*p_spawner;
	struct pool_events	 p_ev;
	struct pollfd		*p_pfd;
	int			*p_pfd_slot;	/* slot of each pollfd, or -1 */
	enum pfd_kind		*p_pfd_kind;
};

struct pool *
pool_new(size_t nslots, const char *worker_path, char *const envp[],
    int verbose, int forkserver, const struct pool_events *ev)
{
	struct pool	*p;
	size_t		 i;

	p = xcalloc(1, sizeof(*p));
	p->p_slots = xcalloc(nslots, sizeof(*p->p_slots));
	for (i = 0; i < nslots; i++) {
		p->p_slots[i].s_in = p->p_slots[i].s_out = -1;
		logpipe_init(&p->p_slots[i].s_log, -1);
		buf_init(&p->p_slots[i].s_outq);
	}
	p->p_nslots = nslots;
	p->p_spawner = spawner_new(worker_path, envp, verbose, forkserver);
	p->p_ev = *ev;
	p->p_pfd = xcalloc(nslots * 3 + 2, sizeof(*p->p_pfd));
	p->p_pfd_slot = xcalloc(nslots * 3 + 2, sizeof(*p->p_pfd_slot));
	p->p_pfd_kind = xcalloc(nslots * 3 + 2, sizeof(*p->p_pfd_kind));
	return (p);
}

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		(void)close(*fd);
		*fd = -1;
	}
}

static void
slot_clear(struct pool_slot *s)
{
	close_fd(&s->s_in);
	close_fd(&s->s_out);
	close_fd(&s->s_log.lp_fd);
	s->s_log.lp_len = 0;
	proto_reader_free(s->s_reader);
	s->s_reader = NULL;
	buf_release(&s->s_outq);
	s->s_outoff = 0;
	s->s_reaped = 0;
	s->s_reaped_at = 0;
	s->s_eof_at = 0;
	s->s_status = 0;
	s->s_pid = -1;
	s->s_job = NULL;
	s->s_njobs = 0;
	s->s_retire_kill = 0;
	free(s->s_bad);
	s->s_bad = NULL;
	s->s_state = SLOT_FREE;
}

void
pool_free(struct pool *p)
{
	size_t	i;
	int	status;

	if (p == NULL)
		return;
	for (i = 0; i < p->p_nslots; i++) {
		struct pool_slot *s = &p->p_slots[i];

		if (s->s_state != SLOT_RUNNING)
			continue;
		if (!s->s_reaped) {
			(void)kill(s->s_pid, SIGKILL);
			while (waitpid(s->s_pid, &status, 0) == -1 &&
			    errno == EINTR)
				;
		}
		slot_clear(s);
	}
	spawner_free(p->p_spawner);
	free(p->p_slots);
	free(p->p_pfd);
	free(p->p_pfd_slot);
	free(p->p_pfd_kind);
	free(p);
}

/* A worker's log line, handed to pe_log with its slot, pid and job. */
struct log_target {
	struct pool	*lt_pool;
	int		 lt_slot;
};

static void
emit_worker_line(void *arg, const char *line)
{
	struct log_target	*lt = arg;
	struct pool_slot	*s = &lt->lt_pool->p_slots[lt->lt_slot];

	lt->lt_pool->p_ev.pe_log(lt->lt_pool->p_ev.pe_arg, lt->lt_slot,
	    s->s_pid, s->s_job, line);
}

static void
read_worker_log(struct pool *p, int slot, int at_end)
{
	struct log_target	lt;

	lt.lt_pool = p;
	lt.lt_slot = slot;
	if (at_end)
		logpipe_close(&p->p_slots[slot].s_log, emit_worker_line, &lt);
	else
		logpipe_read(&p->p_slots[slot].s_log, emit_worker_line, &lt);
}

void
pool_spawns_done(struct pool *p)
{
	spawner_done(p->p_spawner);
}

int
pool_spawn(struct pool *p, char *errbuf, size_t errlen)
{
	struct pool_slot	*s = NULL;
	struct json_object	*hello;
	int			 ends[3], slot;
	pid_t			 pid;
	size_t			 i;

	for (i = 0; i < p->p_nslots; i++)
		if (p->p_slots[i].s_state == SLOT_FREE) {
			s = &p->p_slots[i];
			break;
		}
	if (s == NULL)
		fatalx("%s: no free slot", __func__);
	slot = (int)i;
	if ((pid = spawn_worker(p->p_spawner, slot, ends, errbuf,
	    errlen)) == -1)
		return (-1);
	s->s_state = SLOT_RUNNING;
	s->s_pid = pid;
	s->s_in = ends[0];
	s->s_out = ends[1];
	logpipe_init(&s->s_log, ends[2]);
	(void)fd_set_nonblock(s->s_in);
	(void)fd_set_nonblock(s->s_out);
	(void)fd_set_nonblock(ends[2]);
	if ((s->s_reader = proto_reader_new(s->s_out, PROTO_LINE_MAX)) == NULL)
		fatal("%s: proto_reader_new", __func__);
	p->p_nbusy++;
	hello = proto_new(PROTO_HELLO, 0);
	json_object_object_add(hello, "worker", json_object_new_int(slot));
	(void)pool_send(p, slot, hello);
	return (slot);
}

void
pool_set_job(struct pool *p, int slot, struct job *job)
{
	struct pool_slot	*s = &p->p_slots[slot];

	s->s_job = job;
	if (job != NULL) {
		s->s_njobs++;
		s->s_retire_kill = 0;
	}
}

struct job *
pool_job(const struct pool *p, int slot)
{
	return (p->p_slots[slot].s_job);
}

int
pool_njobs(const struct pool *p, int slot)
{
	return (p->p_slots[slot].s_njobs);
}

size_t
pool_ncarrying(const struct pool *p)
{
	size_t	i, n = 0;

	for (i = 0; i < p->p_nslots; i++)
		if (p->p_slots[i].s_state == SLOT_RUNNING &&
		    p->p_slots[i].s_job != NULL)
			n++;
	return (n);
}

void
pool_retire(struct pool *p, int slot, int64_t kill_at)
{
	struct pool_slot	*s = &p->p_slots[slot];

	s->s_job = NULL;
	s->s_retire_kill = kill_at;
	pool_close_input(p, slot);
}

/*
 * Retired workers past their deadline get SIGKILL (again every
 * RETIRE_KILL_MS).  Returns the ms until the next such deadline, or -1.
 */
static int64_t
kill_retired(struct pool *p)
{
	int64_t	now = monotime_ms(), next = -1;
	size_t	i;

	for (i = 0; i < p->p_nslots; i++) {
		struct pool_slot *s = &p->p_slots[i];

		if (s->s_state != SLOT_RUNNING || s->s_retire_kill == 0)
			continue;
		if (now >= s->s_retire_kill) {
			pool_signal(p, (int)i, SIGKILL);
			s->s_retire_kill = now + RETIRE_KILL_MS;
		}
		if (next == -1 || s->s_retire_kill - now < next)
			next = s->s_retire_kill - now;
	}
	return (next);
}

static void	flush_input(struct pool *, struct pool_slot *);

int
pool_send(struct pool *p, int slot, struct json_object *msg)
{
	struct pool_slot	*s = &p->p_slots[slot];
	char			*line;
	size_t			 len;

	line = proto_encode(msg, &len);
	if (line == NULL) {
		errno = EMSGSIZE;
		return (-1);
	}
	if (s->s_state != SLOT_RUNNING || s->s_in == -1) {
		free(line);
		errno = EPIPE;
		return (-1);
	}
	buf_append(&s->s_outq, line, len);
	free(line);
	flush_input(p, s);	/* most messages fit the pipe at once */
	return (0);
}

void
pool_close_input(struct pool *p, int slot)
{
	struct pool_slot	*s = &p->p_slots[slot];

	close_fd(&s->s_in);
	buf_reset(&s->s_outq);
	s->s_outoff = 0;
}

/*
 * 1 unless pid is not a child of this process: a process the fork server
 * named that never became ours (or not yet: its helper is exiting) gets
 * no signal from us.
 */
static int
is_child(pid_t pid)
{
	siginfo_t	si;

	memset(&si, 0, sizeof(si));
	return (waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED |
	    WCONTINUED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD);
}

void
pool_signal(struct pool *p, int slot, int sig)
{
	struct pool_slot	*s = &p->p_slots[slot];

	if (s->s_state == SLOT_RUNNING && !s->s_reaped && s->s_pid > 0 &&
	    is_child(s->s_pid))
		(void)kill(s->s_pid, sig);
}

void
pool_mark_bad(struct pool *p, int slot, const char *why)
{
	struct pool_slot	*s = &p->p_slots[slot];

	if (s->s_state != SLOT_RUNNING || s->s_bad != NULL)
		return;
	s->s_bad = xstrdup(why);
	pool_signal(p, slot, SIGKILL);
	pool_close_input(p, slot);
}

pid_t
pool_pid(const struct pool *p, int slot)
{
	return (p->p_slots[slot].s_pid);
}

size_t
pool_nbusy(const struct pool *p)
{
	return (p->p_nbusy);
}

size_t
pool_nslots(const struct pool *p)
{
	return (p->p_nslots);
}

const char *
pool_describe_status(int status)
{
	static char	buf[64];

	if (WIFSIGNALED(status))
		(void)snprintf(buf, sizeof(buf), "killed by signal %d%s",
		    WTERMSIG(status), WTERMSIG(status) == SIGKILL ?
		    " (SIGKILL)" : WTERMSIG(status) == SIGTERM ? " (SIGTERM)" :
		    WTERMSIG(status) == SIGSEGV ? " (SIGSEGV)" : "");
	else if (WIFEXITED(status))
		(void)snprintf(buf, sizeof(buf), "exited with status %d",
		    WEXITSTATUS(status));
	else
		(void)snprintf(buf, sizeof(buf), "ended with wait status %d",
		    status);
	return (buf);
}

static void
flush_input(struct pool *p, struct pool_slot *s)
{
	ssize_t	n;

	(void)p;
	while (s->s_in != -1 && s->s_outoff < s->s_outq.b_len) {
		n = write(s->s_in, s->s_outq.b_data + s->s_outoff,
		    s->s_outq.b_len - s->s_outoff);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			/* EPIPE: the worker is gone; its exit tells the rest */
			close_fd(&s->s_in);
			break;
		}
		s->s_outoff += (size_t)n;
	}
	if (s->s_outoff == s->s_outq.b_len) {
		buf_reset(&s->s_outq);
		s->s_outoff = 0;
	}
}

static void
read_protocol(struct pool *p, int slot)
{
	struct pool_slot	*s = &p->p_slots[slot];
	struct proto_msg	 msg;
	char			 errbuf[256], why[300];
	char			*line;
	size_t			 len;
	ssize_t			 n;
	int			 overflow;

	for (;;) {
		n = proto_reader_fill(s->s_reader);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || (n == -1 && errno != EAGAIN)) {
			close_fd(&s->s_out);
			break;
		}
		while ((line = proto_reader_getline(s->s_reader, &len,
		    &overflow)) != NULL) {
			if (s->s_bad != NULL)
				continue;
			if (proto_decode(line, len, &msg, errbuf,
			    sizeof(errbuf)) == -1) {
				(void)snprintf(why, sizeof(why),
				    "protocol error: %s", errbuf);
				pool_mark_bad(p, slot, why);
				continue;
			}
			p->p_ev.pe_message(p->p_ev.pe_arg, slot, s->s_job,
			    &msg);
			proto_msg_release(&msg);
		}
		if (overflow) {
			if (s->s_bad == NULL)
				pool_mark_bad(p, slot, "protocol error: line "
				    "longer than the protocol's cap");
			close_fd(&s->s_out);
			break;
		}
		if (n == -1)	/* EAGAIN */
			break;
	}
}

static void
reap(struct pool *p)
{
	pid_t	pid;
	int	status;
	size_t	i;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if (spawner_reaped(p->p_spawner, pid,
		    pool_describe_status(status)))
			continue;
		for (i = 0; i < p->p_nslots; i++) {
			struct pool_slot *s = &p->p_slots[i];

			if (s->s_state == SLOT_RUNNING && s->s_pid == pid) {
				s->s_reaped = 1;
				s->s_reaped_at = monotime_ms();
				s->s_status = status;
			}
		}
	}
}

/*
 * Slots whose worker is reaped and whose output is drained end here.  A
 * descendant of the worker that keeps its pipes open (a wrapper script's
 * child) cannot hold the slot for long: DRAIN_MS after the reap, the pipes
 * are closed anyway.
 */
static void
finish_slots(struct pool *p)
{
	size_t	i;

	for (i = 0; i < p->p_nslots; i++) {
		struct pool_slot *s = &p->p_slots[i];

		if (s->s_state == SLOT_RUNNING && !s->s_reaped &&
		    s->s_out == -1 && s->s_log.lp_fd == -1) {
			/*
			 * Both outputs at EOF, and after DRAIN_MS still not
			 * reaped: if the pid is not our child (a fork server
			 * named the wrong one), nothing will ever be.
			 */
			if (s->s_eof_at == 0)
				s->s_eof_at = monotime_ms();
			else if (monotime_ms() - s->s_eof_at >= DRAIN_MS &&
			    !is_child(s->s_pid)) {
				s->s_reaped = 1;
				s->s_status = 0;
				if (s->s_bad == NULL)
					s->s_bad = xstrdup("protocol error: its "
					    "pid is not a child of articlegen");
			}
		}
		if (s->s_state != SLOT_RUNNING || !s->s_reaped)
			continue;
		if ((s->s_out != -1 || s->s_log.lp_fd != -1) &&
		    monotime_ms() - s->s_reaped_at >= DRAIN_MS) {
			log_warnx("worker %zu (pid %ld) exited, but something "
			    "still holds its output open; closing it", i,
			    (long)s->s_pid);
			close_fd(&s->s_out);
			read_worker_log(p, (int)i, 1);
		}
		if (s->s_out != -1 || s->s_log.lp_fd != -1)
			continue;
		close_fd(&s->s_in);
		p->p_ev.pe_exit(p->p_ev.pe_arg, (int)i, s->s_job, s->s_status,
		    s->s_bad);
		slot_clear(s);
		p->p_nbusy--;
	}
}

/* Add fd to the poll set as kind, for slot (-1: none). */
static void
watch(struct pool *p, size_t *n, int fd, short events, int slot,
    enum pfd_kind kind)
{
	p->p_pfd[*n].fd = fd;
	p->p_pfd[*n].events = events;
	p->p_pfd_slot[*n] = slot;
	p->p_pfd_kind[(*n)++] = kind;
}

int
pool_run_once(struct pool *p, int timeout_ms, int extra_fd)
{
	size_t	i, n = 0;
	int	ret = 0, r, slot;
	int64_t	retire;

	for (i = 0; i < p->p_nslots; i++) {
		struct pool_slot *s = &p->p_slots[i];

		if (s->s_state != SLOT_RUNNING)
			continue;
		flush_input(p, s);
		if (s->s_in != -1 && s->s_outq.b_len > s->s_outoff)
			watch(p, &n, s->s_in, POLLOUT, (int)i, PFD_INPUT);
		if (s->s_out != -1)
			watch(p, &n, s->s_out, POLLIN, (int)i, PFD_PROTOCOL);
		if (s->s_log.lp_fd != -1)
			watch(p, &n, s->s_log.lp_fd, POLLIN, (int)i, PFD_LOG);
	}
	/*
	 * a reaped worker whose pipes are still open, or the reverse: look
	 * again soon
	 */
	for (i = 0; i < p->p_nslots; i++)
		if (p->p_slots[i].s_state == SLOT_RUNNING &&
		    (p->p_slots[i].s_reaped || p->p_slots[i].s_eof_at != 0) &&
		    (timeout_ms < 0 || timeout_ms > 250))
			timeout_ms = 250;
	if ((retire = kill_retired(p)) >= 0 && (timeout_ms < 0 ||
	    retire + 1 < timeout_ms))
		timeout_ms = (int)retire + 1;
	if (extra_fd != -1)
		watch(p, &n, extra_fd, POLLIN, -1, PFD_EXTRA);
	if (spawner_log_fd(p->p_spawner) != -1)
		watch(p, &n, spawner_log_fd(p->p_spawner), POLLIN, -1,
		    PFD_SPAWNER_LOG);
	r = poll(p->p_pfd, n, timeout_ms);
	if (r == -1 && errno != EINTR)
		fatal("poll");
	for (i = 0; r > 0 && i < n; i++) {
		if (p->p_pfd[i].revents == 0)
			continue;
		slot = p->p_pfd_slot[i];
		switch (p->p_pfd_kind[i]) {
		case PFD_EXTRA:
			ret = 1;
			continue;
		case PFD_SPAWNER_LOG:
			spawner_log_ready(p->p_spawner);
			continue;
		default:
			break;
		}
		if (p->p_slots[slot].s_state != SLOT_RUNNING)
			continue;
		switch (p->p_pfd_kind[i]) {
		case PFD_INPUT:
			if (p->p_pfd[i].revents & (POLLERR | POLLHUP))
				pool_close_input(p, slot);
			else
				flush_input(p, &p->p_slots[slot]);
			break;
		case PFD_PROTOCOL:
			if (p->p_slots[slot].s_out != -1)
				read_protocol(p, slot);
			break;
		case PFD_LOG:
			read_worker_log(p, slot, 0);
			break;
		default:
			break;
		}
	}
	reap(p);
	finish_slots(p);
	return (ret);
}
