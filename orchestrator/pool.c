/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pool.c: owns the worker processes and their pipes: fork+exec with a
 * clean signal state and only fds 0-2 open, non-blocking I/O through one
 * poll(2) set, line framing with a cap, and reaping.  A slot is finished
 * only when the worker has been reaped AND both its output pipes have
 * reached EOF, so no line is lost and no zombie is left.
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
#include "pool.h"
#include "proto.h"
#include "util.h"
#include "xmalloc.h"

#define STDERR_LINE_MAX	8192
#define DRAIN_MS	2000	/* after reaping, wait this long for EOF */

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
	char			 s_errline[STDERR_LINE_MAX];
	size_t			 s_errlen;
	int			 s_reaped;
	int64_t			 s_reaped_at;
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
};

struct pool *
pool_new(size_t nslots, const char *worker_path, char *const envp[],
    int verbose, const struct pool_events *ev)
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
	p->p_pfd = xcalloc(nslots * 3 + 1, sizeof(*p->p_pfd));
	p->p_pfd_slot = xcalloc(nslots * 3 + 1, sizeof(int));
	p->p_pfd_kind = xcalloc(nslots * 3 + 1, sizeof(int));
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
	s->s_errlen = 0;
	s->s_reaped = 0;
	s->s_reaped_at = 0;
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
	free(p->p_slots);
	free(p->p_worker);
	free(p->p_pfd);
	free(p->p_pfd_slot);
	free(p->p_pfd_kind);
	free(p);
}

/* Move fd onto target in the child, clearing close-on-exec. */
static int
child_dup(int fd, int target)
{
	if (fd == target)
		return (fcntl(fd, F_SETFD, 0));
	return (dup2(fd, target) == -1 ? -1 : 0);
}

int
pool_spawn(struct pool *p, char *errbuf, size_t errlen)
{
	static const char	 execfail[] = "articlegen-worker: exec failed\n";
	struct pool_slot	*s = NULL;
	sigset_t		 all, old;
	char			 slotarg[16];
	char			*argv[8];
	int			 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int			 errp[2] = { -1, -1 }, saved, argc = 0, v, slot;
	pid_t			 pid;
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
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1 ||
	    pipe2(errp, O_CLOEXEC) == -1) {
		saved = errno;
		snprintf(errbuf, errlen, "pipe: %s", strerror(saved));
		goto fail;
	}
	(void)snprintf(slotarg, sizeof(slotarg), "%d", slot);
	argv[argc++] = p->p_worker;
	argv[argc++] = (char *)(uintptr_t)"-i";
	argv[argc++] = slotarg;
	for (v = 1; v < p->p_verbose && argc < 6; v++)
		argv[argc++] = (char *)(uintptr_t)"-v";
	argv[argc] = NULL;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		/* child: no stdio, no exit(), only async-signal-safe calls */
		struct sigaction sa;
		int		 sig;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		for (sig = 1; sig < NSIG; sig++)
			(void)sigaction(sig, &sa, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (child_dup(in[0], STDIN_FILENO) == -1 ||
		    child_dup(out[1], STDOUT_FILENO) == -1 ||
		    child_dup(errp[1], STDERR_FILENO) == -1)
			_exit(EXIT_EXEC_FAILED);
		closefrom(STDERR_FILENO + 1);
		execve(argv[0], argv, p->p_envp);
		(void)!write(STDERR_FILENO, execfail, sizeof(execfail) - 1);
		_exit(EXIT_EXEC_FAILED);
	}
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		snprintf(errbuf, errlen, "fork: %s", strerror(saved));
		goto fail;
	}
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&errp[1]);
	s->s_state = SLOT_RUNNING;
	s->s_pid = pid;
	s->s_in = in[1];
	s->s_out = out[0];
	s->s_err = errp[0];
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
fail:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&errp[0]);
	close_fd(&errp[1]);
	errno = saved;
	return (-1);
}

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

void
pool_signal(struct pool *p, int slot, int sig)
{
	struct pool_slot	*s = &p->p_slots[slot];

	if (s->s_state == SLOT_RUNNING && !s->s_reaped && s->s_pid > 0)
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
emit_err_line(struct pool *p, int slot)
{
	struct pool_slot	*s = &p->p_slots[slot];

	s->s_errline[s->s_errlen] = '\0';
	p->p_ev.pe_log(p->p_ev.pe_arg, slot, s->s_pid, s->s_errline);
	s->s_errlen = 0;
}

static void
read_stderr(struct pool *p, int slot)
{
	struct pool_slot	*s = &p->p_slots[slot];
	char			 chunk[4096];
	ssize_t			 n, i;

	for (;;) {
		n = read(s->s_err, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			if (s->s_errlen > 0)
				emit_err_line(p, slot);
			close_fd(&s->s_err);
			return;
		}
		for (i = 0; i < n; i++) {
			if (chunk[i] == '\n') {
				emit_err_line(p, slot);
				continue;
			}
			s->s_errline[s->s_errlen++] = chunk[i];
			if (s->s_errlen == sizeof(s->s_errline) - 1)
				emit_err_line(p, slot);
		}
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

		if (s->s_state != SLOT_RUNNING || !s->s_reaped)
			continue;
		if ((s->s_out != -1 || s->s_err != -1) &&
		    monotime_ms() - s->s_reaped_at >= DRAIN_MS) {
			log_warnx("worker %zu (pid %ld) exited, but something "
			    "still holds its output open; closing it", i,
			    (long)s->s_pid);
			if (s->s_err != -1 && s->s_errlen > 0)
				emit_err_line(p, (int)i);
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
	/* a reaped worker whose pipes are still open: look again soon */
	for (i = 0; i < p->p_nslots; i++)
		if (p->p_slots[i].s_state == SLOT_RUNNING &&
		    p->p_slots[i].s_reaped && (timeout_ms < 0 ||
		    timeout_ms > 250))
			timeout_ms = 250;
	if (extra_fd != -1) {
		p->p_pfd[n].fd = extra_fd;
		p->p_pfd[n].events = POLLIN;
		p->p_pfd_slot[n] = -1;
		p->p_pfd_kind[n++] = 3;
	}
	r = poll(p->p_pfd, n, timeout_ms);
	if (r == -1 && errno != EINTR)
		fatal("poll");
	for (i = 0; r > 0 && i < n; i++) {
		int	slot = p->p_pfd_slot[i];

		if (p->p_pfd[i].revents == 0)
			continue;
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
				read_stderr(p, slot);
			break;
		}
	}
	reap(p);
	finish_slots(p);
	return (ret);
}
