/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pool.c: owns the worker processes and their pipes: fork+exec with a
 * clean signal state and only fds 0-2 open, non-blocking I/O through one
 * poll(2) set, line framing with a cap, and reaping.  A slot is finished
 * only when the worker has been reaped AND both its output pipes have
 * reached EOF, so no line is lost and no zombie is left.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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
#include "forkserver.h"
#include "log.h"
#include "pool.h"
#include "proto.h"
#include "util.h"
#include "xmalloc.h"

#define STDERR_LINE_MAX	8192
#define DRAIN_MS	2000	/* after reaping, wait this long for EOF */
/*
 * The longest a spawn request may take: the first includes the fork
 * server's own start (an exec and the loading of its libraries, slow
 * under valgrind); the others are a fork and a reply.  articlegen handles
 * nothing else meanwhile, so a server slower than that is given up for
 * exec.
 */
#define FORKSERVER_START_MS	10000
#define FORKSERVER_TIMEOUT_MS	2000	/* once it has answered */
#define FORKSERVER_EXIT_MS	2000	/* after EOF, then SIGKILL */

/* A log pipe's unfinished line. */
struct logline {
	char	ll_buf[STDERR_LINE_MAX];
	size_t	ll_len;
};

enum slot_state {
	SLOT_FREE = 0,
	SLOT_RUNNING,
};

struct pool_slot {
	enum slot_state		 s_state;
	pid_t			 s_pid;
	int			 s_in;		/* worker's stdin, -1 closed */
	int			 s_out;		/* worker's protocol stdout */
	int			 s_err;		/* worker's stderr */
	struct proto_reader	*s_reader;
	struct buf		 s_outq;	/* queued input for the worker */
	size_t			 s_outoff;
	struct logline		 s_errline;
	int			 s_reaped;
	int64_t			 s_reaped_at;
	int64_t			 s_eof_at;	/* both outputs at EOF, unreaped */
	int			 s_status;
	char			*s_bad;		/* violation, or NULL */
};

struct pool {
	struct pool_slot	*p_slots;
	size_t			 p_nslots;
	size_t			 p_nbusy;
	char			*p_worker;
	char *const		*p_envp;
	int			 p_verbose;
	struct pool_events	 p_ev;
	struct pollfd		*p_pfd;
	int			*p_pfd_slot;	/* slot of each pollfd, -1 extra */
	int			*p_pfd_kind;	/* 0 in, 1 out, 2 err */
	int			 p_fs_wanted;	/* spawn through a fork server */
	int			 p_fs_sock;	/* its spawn channel, or -1 */
	pid_t			 p_fs_pid;	/* the server, or -1 */
	int			 p_fs_answered;	/* it has answered once */
	int			 p_fs_err;	/* its stderr, or -1 */
	struct logline		 p_fs_errline;
};

static void	forkserver_stop(struct pool *);

struct pool *
pool_new(size_t nslots, const char *worker_path, char *const envp[],
    int verbose, int forkserver, const struct pool_events *ev)
{
	struct pool	*p;
	size_t		 i;

	p = xcalloc(1, sizeof(*p));
	p->p_slots = xcalloc(nslots, sizeof(*p->p_slots));
	for (i = 0; i < nslots; i++) {
		p->p_slots[i].s_in = p->p_slots[i].s_out =
		    p->p_slots[i].s_err = -1;
		buf_init(&p->p_slots[i].s_outq);
	}
	p->p_nslots = nslots;
	p->p_worker = xstrdup(worker_path);
	p->p_envp = envp;
	p->p_verbose = verbose;
	p->p_ev = *ev;
	p->p_pfd = xcalloc(nslots * 3 + 2, sizeof(*p->p_pfd));
	p->p_pfd_slot = xcalloc(nslots * 3 + 2, sizeof(int));
	p->p_pfd_kind = xcalloc(nslots * 3 + 2, sizeof(int));
	p->p_fs_wanted = forkserver;
	p->p_fs_sock = -1;
	p->p_fs_pid = -1;
	p->p_fs_err = -1;
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
	close_fd(&s->s_err);
	proto_reader_free(s->s_reader);
	s->s_reader = NULL;
	buf_release(&s->s_outq);
	s->s_outoff = 0;
	s->s_errline.ll_len = 0;
	s->s_reaped = 0;
	s->s_reaped_at = 0;
	s->s_eof_at = 0;
	s->s_status = 0;
	s->s_pid = -1;
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
	forkserver_stop(p);
	free(p->p_slots);
	free(p->p_worker);
	free(p->p_pfd);
	free(p->p_pfd_slot);
	free(p->p_pfd_kind);
	free(p);
}

/*
 * fork and exec argv with fds[0..2] as its stdin, stdout and stderr and,
 * when extra is not -1, extra as its fd 3; default signal dispositions,
 * articlegen's signal mask, nothing else open.  Returns the pid, or -1
 * with errno from fork.
 */
static pid_t
spawn_exec(const struct pool *p, char *const argv[], const int fds[3],
    int extra)
{
	static const char	 execfail[] = "articlegen-worker: exec failed\n";
	sigset_t		 all, old;
	pid_t			 pid;
	int			 saved;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		/* child: no stdio, no exit(), only async-signal-safe calls */
		struct sigaction sa;
		int		 sig, i, n, src[4];

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		for (sig = 1; sig < NSIG; sig++)
			(void)sigaction(sig, &sa, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		/*
		 * Lift every source above the targets first, so that no dup2
		 * overwrites a source still to be moved.
		 */
		n = extra != -1 ? 4 : 3;
		for (i = 0; i < n; i++)
			if ((src[i] = fcntl(i < 3 ? fds[i] : extra, F_DUPFD,
			    10)) == -1)
				_exit(EXIT_EXEC_FAILED);
		for (i = 0; i < n; i++)
			if (dup2(src[i], i) == -1)
				_exit(EXIT_EXEC_FAILED);
		closefrom(n);
		execve(argv[0], argv, p->p_envp);
		(void)!write(STDERR_FILENO, execfail, sizeof(execfail) - 1);
		_exit(EXIT_EXEC_FAILED);
	}
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return (pid);
}

/* argv for the worker: path, then extra args, then -v per verbose level. */
static void
worker_argv(const struct pool *p, char *argv[8], const char *a1,
    const char *a2)
{
	int	argc = 0, v;

	argv[argc++] = p->p_worker;
	if (a1 != NULL)
		argv[argc++] = (char *)(uintptr_t)a1;
	if (a2 != NULL)
		argv[argc++] = (char *)(uintptr_t)a2;
	for (v = 1; v < p->p_verbose && argc < 7; v++)
		argv[argc++] = (char *)(uintptr_t)"-v";
	argv[argc] = NULL;
}

/*
 * No more workers from the fork server: shut down our half of its channel
 * (it exits at EOF; reap() collects it) and start any further worker with
 * exec.  With kill, do not wait for that: SIGKILL it.
 */
static void
forkserver_release(struct pool *p, int kill_it)
{
	p->p_fs_wanted = 0;
	if (p->p_fs_sock != -1)
		(void)shutdown(p->p_fs_sock, SHUT_WR);
	if (kill_it && p->p_fs_pid != -1)
		(void)kill(p->p_fs_pid, SIGKILL);
}

/*
 * Log one line from a log pipe: a worker's (through pe_log) or, for slot
 * -1, the fork server's.
 */
static void
emit_line(struct pool *p, int slot, struct logline *ll)
{
	ll->ll_buf[ll->ll_len] = '\0';
	if (slot == -1)
		log_info("fork server: %s", ll->ll_buf);
	else
		p->p_ev.pe_log(p->p_ev.pe_arg, slot, p->p_slots[slot].s_pid,
		    ll->ll_buf);
	ll->ll_len = 0;
}

/*
 * Read the log pipe *fd of slot (-1: the fork server) until it would
 * block, logging it line by line (a line over STDERR_LINE_MAX is cut).
 * At EOF or on an error the unfinished line is logged and *fd closed.
 */
static void
read_log(struct pool *p, int slot, int *fd, struct logline *ll)
{
	char	chunk[4096];
	ssize_t	n, i;

	while (*fd != -1) {
		n = read(*fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			if (ll->ll_len > 0)
				emit_line(p, slot, ll);
			close_fd(fd);
			return;
		}
		for (i = 0; i < n; i++) {
			if (chunk[i] == '\n') {
				emit_line(p, slot, ll);
				continue;
			}
			ll->ll_buf[ll->ll_len++] = chunk[i];
			if (ll->ll_len == sizeof(ll->ll_buf) - 1)
				emit_line(p, slot, ll);
		}
	}
}

/*
 * Release the fork server and wait until it has exited (it does at the
 * EOF of its channel); after FORKSERVER_EXIT_MS it is killed.  What it
 * wrote to stderr is logged; a descendant that still holds that pipe
 * cannot hold up articlegen.
 */
static void
forkserver_stop(struct pool *p)
{
	int64_t	end;
	int	status;
	pid_t	r = 0;

	forkserver_release(p, 0);
	if (p->p_fs_pid != -1) {
		end = monotime_ms() + FORKSERVER_EXIT_MS;
		while ((r = waitpid(p->p_fs_pid, &status, WNOHANG)) == 0 &&
		    monotime_ms() < end)
			sleep_ms(1);
		if (r == 0) {
			(void)kill(p->p_fs_pid, SIGKILL);
			while (waitpid(p->p_fs_pid, &status, 0) == -1 &&
			    errno == EINTR)
				;
		}
		p->p_fs_pid = -1;
	}
	close_fd(&p->p_fs_sock);
	read_log(p, -1, &p->p_fs_err, &p->p_fs_errline);
	close_fd(&p->p_fs_err);
}

void
pool_spawns_done(struct pool *p)
{
	if (p->p_fs_wanted)
		forkserver_release(p, 0);
}

/*
 * Start the fork server: articlegen-worker -F with the spawn channel on
 * its fd 3, /dev/null on stdin and stdout, and a pipe for its stderr.
 * articlegen becomes a child subreaper, so the workers the server forks
 * (whose parent exits at once) become its children.  0, or -1 with
 * errbuf set.
 */
static int
forkserver_start(struct pool *p, char *errbuf, size_t errlen)
{
	char	*argv[8];
	int	 sv[2], fds[3], errp[2];
	int	 devnull;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1) {
		(void)snprintf(errbuf, errlen, "PR_SET_CHILD_SUBREAPER: %s",
		    strerror(errno));
		return (-1);
	}
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		(void)snprintf(errbuf, errlen, "/dev/null: %s",
		    strerror(errno));
		return (-1);
	}
	if (pipe2(errp, O_CLOEXEC) == -1) {
		(void)snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
		(void)close(devnull);
		return (-1);
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		(void)snprintf(errbuf, errlen, "socketpair: %s",
		    strerror(errno));
		(void)close(devnull);
		(void)close(errp[0]);
		(void)close(errp[1]);
		return (-1);
	}
	worker_argv(p, argv, "-F", NULL);
	fds[0] = fds[1] = devnull;
	fds[2] = errp[1];
	p->p_fs_pid = spawn_exec(p, argv, fds, sv[1]);
	if (p->p_fs_pid == -1)
		(void)snprintf(errbuf, errlen, "fork: %s", strerror(errno));
	(void)close(sv[1]);
	(void)close(devnull);
	(void)close(errp[1]);
	if (p->p_fs_pid == -1) {
		(void)close(sv[0]);
		(void)close(errp[0]);
		return (-1);
	}
	p->p_fs_sock = sv[0];
	p->p_fs_err = errp[0];
	(void)fd_set_nonblock(p->p_fs_err);
	return (0);
}

/* fork and exec one worker for slot; its pid, or -1 with errbuf set. */
static pid_t
exec_worker(struct pool *p, int slot, const int fds[3], char *errbuf,
    size_t errlen)
{
	char	 slotarg[16], *argv[8];
	pid_t	 pid;

	(void)snprintf(slotarg, sizeof(slotarg), "%d", slot);
	worker_argv(p, argv, "-i", slotarg);
	if ((pid = spawn_exec(p, argv, fds, -1)) == -1)
		(void)snprintf(errbuf, errlen, "fork: %s", strerror(errno));
	return (pid);
}

/*
 * A worker for slot with fds as its stdin, stdout and stderr, from the
 * fork server: its pid, or -1 when the server failed, which is then given
 * up for good, with one warning.
 */
static pid_t
forkserver_spawn(struct pool *p, int slot, const int fds[3])
{
	char	fserr[256];
	int	verbose = p->p_verbose < 1 ? 1 : p->p_verbose > 16 ? 16 :
		    p->p_verbose;
	pid_t	pid;

	pid = forkserver_request(p->p_fs_sock, slot, verbose, fds,
	    p->p_fs_answered ? FORKSERVER_TIMEOUT_MS : FORKSERVER_START_MS,
	    fserr, sizeof(fserr));
	if (pid != -1) {
		p->p_fs_answered = 1;
		return (pid);
	}
	log_warnx("the worker fork server failed (%s); starting workers "
	    "with fork and exec", fserr);
	forkserver_release(p, 1);
	forkserver_stop(p);
	return (-1);
}

/* Three pipes for a worker: its ends in fds, ours in ends.  0 or -1. */
static int
worker_pipes(int fds[3], int ends[3])
{
	int	in[2], out[2], errp[2];

	if (pipe2(in, O_CLOEXEC) == -1)
		return (-1);
	if (pipe2(out, O_CLOEXEC) == -1) {
		(void)close(in[0]);
		(void)close(in[1]);
		return (-1);
	}
	if (pipe2(errp, O_CLOEXEC) == -1) {
		(void)close(in[0]);
		(void)close(in[1]);
		(void)close(out[0]);
		(void)close(out[1]);
		return (-1);
	}
	fds[0] = in[0];
	fds[1] = out[1];
	fds[2] = errp[1];
	ends[0] = in[1];
	ends[1] = out[0];
	ends[2] = errp[0];
	return (0);
}

static void
close_pipes(int fds[3], int ends[3])
{
	int	i;

	for (i = 0; i < 3; i++) {
		close_fd(&fds[i]);
		close_fd(&ends[i]);
	}
}

/*
 * Start a worker in a free slot: from the fork server when there is one,
 * else with fork and exec.  The first start of a pool starts the fork
 * server and execs its worker directly, so that both load their libraries
 * at the same time.  When the fork server fails, the worker is executed
 * on fresh pipes: a helper of the server that is still running could
 * otherwise fork a second worker onto the first ones.
 */
int
pool_spawn(struct pool *p, char *errbuf, size_t errlen)
{
	struct pool_slot	*s = NULL;
	int			 fds[3], ends[3], saved, slot;
	char			 fserr[256];
	pid_t			 pid = -1;
	size_t			 i;
	struct json_object	*hello;

	for (i = 0; i < p->p_nslots; i++)
		if (p->p_slots[i].s_state == SLOT_FREE) {
			s = &p->p_slots[i];
			break;
		}
	if (s == NULL)
		fatalx("%s: no free slot", __func__);
	slot = (int)i;
	if (worker_pipes(fds, ends) == -1) {
		saved = errno;
		snprintf(errbuf, errlen, "pipe: %s", strerror(saved));
		errno = saved;
		return (-1);
	}
	if (p->p_fs_wanted && p->p_fs_sock != -1) {
		if ((pid = forkserver_spawn(p, slot, fds)) == -1) {
			close_pipes(fds, ends);
			if (worker_pipes(fds, ends) == -1) {
				saved = errno;
				snprintf(errbuf, errlen, "pipe: %s",
				    strerror(saved));
				errno = saved;
				return (-1);
			}
		}
	} else if (p->p_fs_wanted &&
	    forkserver_start(p, fserr, sizeof(fserr)) == -1) {
		log_warnx("cannot start the worker fork server (%s); starting "
		    "workers with fork and exec", fserr);
		forkserver_release(p, 1);
		forkserver_stop(p);
	}
	if (pid == -1 && (pid = exec_worker(p, slot, fds, errbuf,
	    errlen)) == -1) {
		saved = errno;
		close_pipes(fds, ends);
		errno = saved;
		return (-1);
	}
	for (i = 0; i < 3; i++)
		close_fd(&fds[i]);
	s->s_state = SLOT_RUNNING;
	s->s_pid = pid;
	s->s_in = ends[0];
	s->s_out = ends[1];
	s->s_err = ends[2];
	(void)fd_set_nonblock(s->s_in);
	(void)fd_set_nonblock(s->s_out);
	(void)fd_set_nonblock(s->s_err);
	if ((s->s_reader = proto_reader_new(s->s_out, PROTO_LINE_MAX)) == NULL)
		fatal("%s: proto_reader_new", __func__);
	p->p_nbusy++;
	hello = proto_new(PROTO_HELLO, 0);
	json_object_object_add(hello, "worker", json_object_new_int(slot));
	(void)pool_send(p, slot, hello);
	return (slot);
}

static void	flush_input(struct pool *, struct pool_slot *);

int
pool_send(struct pool *p, int slot, struct json_object *msg)
{
	struct pool_slot	*s = &p->p_slots[slot];
	char			*line;
	size_t			 len;

	line = proto_encode(msg, &len);
	if (line == NULL)
		return (-1);
	if (s->s_state != SLOT_RUNNING || s->s_in == -1) {
		free(line);
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
			p->p_ev.pe_message(p->p_ev.pe_arg, slot, &msg);
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
		if (pid == p->p_fs_pid) {
			if (p->p_fs_wanted)
				log_warnx("the worker fork server %s; starting "
				    "workers with fork and exec",
				    pool_describe_status(status));
			p->p_fs_pid = -1;
			p->p_fs_wanted = 0;
			close_fd(&p->p_fs_sock);
			continue;
		}
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
		    s->s_out == -1 && s->s_err == -1) {
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
		if ((s->s_out != -1 || s->s_err != -1) &&
		    monotime_ms() - s->s_reaped_at >= DRAIN_MS) {
			log_warnx("worker %zu (pid %ld) exited, but something "
			    "still holds its output open; closing it", i,
			    (long)s->s_pid);
			if (s->s_err != -1 && s->s_errline.ll_len > 0)
				emit_line(p, (int)i, &s->s_errline);
			close_fd(&s->s_out);
			close_fd(&s->s_err);
		}
		if (s->s_out != -1 || s->s_err != -1)
			continue;
		close_fd(&s->s_in);
		p->p_ev.pe_exit(p->p_ev.pe_arg, (int)i, s->s_status, s->s_bad);
		slot_clear(s);
		p->p_nbusy--;
	}
}

int
pool_run_once(struct pool *p, int timeout_ms, int extra_fd)
{
	size_t	i, n = 0;
	int	ret = 0, r;

	for (i = 0; i < p->p_nslots; i++) {
		struct pool_slot *s = &p->p_slots[i];

		if (s->s_state != SLOT_RUNNING)
			continue;
		flush_input(p, s);
		if (s->s_in != -1 && s->s_outq.b_len > s->s_outoff) {
			p->p_pfd[n].fd = s->s_in;
			p->p_pfd[n].events = POLLOUT;
			p->p_pfd_slot[n] = (int)i;
			p->p_pfd_kind[n++] = 0;
		}
		if (s->s_out != -1) {
			p->p_pfd[n].fd = s->s_out;
			p->p_pfd[n].events = POLLIN;
			p->p_pfd_slot[n] = (int)i;
			p->p_pfd_kind[n++] = 1;
		}
		if (s->s_err != -1) {
			p->p_pfd[n].fd = s->s_err;
			p->p_pfd[n].events = POLLIN;
			p->p_pfd_slot[n] = (int)i;
			p->p_pfd_kind[n++] = 2;
		}
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
	if (extra_fd != -1) {
		p->p_pfd[n].fd = extra_fd;
		p->p_pfd[n].events = POLLIN;
		p->p_pfd_slot[n] = -1;
		p->p_pfd_kind[n++] = 3;
	}
	if (p->p_fs_err != -1) {
		p->p_pfd[n].fd = p->p_fs_err;
		p->p_pfd[n].events = POLLIN;
		p->p_pfd_slot[n] = -1;
		p->p_pfd_kind[n++] = 4;
	}
	r = poll(p->p_pfd, n, timeout_ms);
	if (r == -1 && errno != EINTR)
		fatal("poll");
	for (i = 0; r > 0 && i < n; i++) {
		int	slot = p->p_pfd_slot[i];

		if (p->p_pfd[i].revents == 0)
			continue;
		if (p->p_pfd_kind[i] == 4) {
			read_log(p, -1, &p->p_fs_err, &p->p_fs_errline);
			continue;
		}
		if (slot == -1) {
			ret = 1;
			continue;
		}
		if (p->p_slots[slot].s_state != SLOT_RUNNING)
			continue;
		switch (p->p_pfd_kind[i]) {
		case 0:
			if (p->p_pfd[i].revents & (POLLERR | POLLHUP))
				pool_close_input(p, slot);
			else
				flush_input(p, &p->p_slots[slot]);
			break;
		case 1:
			if (p->p_slots[slot].s_out != -1)
				read_protocol(p, slot);
			break;
		case 2:
			if (p->p_slots[slot].s_err != -1)
				read_log(p, slot, &p->p_slots[slot].s_err,
				    &p->p_slots[slot].s_errline);
			break;
		}
	}
	reap(p);
	finish_slots(p);
	return (ret);
}
