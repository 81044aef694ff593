/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * forkserver.c: the fork server's serving half (forkserver.h): a helper
 * per request forks the worker and exits, so the worker is re-parented
 * to articlegen.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "forkserver.h"
#include "log.h"
#include "proto.h"
#include "spawnchan.h"
#include "util.h"

static int	send_error(int, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

static int
send_error(int sock, const char *fmt, ...)
{
	struct json_object	*msg;
	char			 text[256];
	va_list			 ap;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	msg = proto_new(PROTO_ERROR, 0);
	json_object_object_add(msg, "code", json_object_new_string("spawn"));
	json_object_object_add(msg, "message", json_object_new_string(text));
	return (spawnchan_send(sock, msg, NULL, 0));
}

/*
 * Exit statuses of a helper, for the server: it served one request (or
 * answered it with an error), or it found the channel closed.
 */
#define HELPER_SERVED	0
#define HELPER_EOF	3

/*
 * A helper: the server's child that waits for the next request, tells the
 * server it has one (a byte on note), forks the worker, tells articlegen
 * the worker's pid (or why there is none) and exits.  The worker's parent
 * is gone as soon as this exits, so the kernel hands the worker to
 * articlegen, its subreaper.  Meanwhile the server has forked the next
 * helper, so the next request finds one already waiting.
 */
static __dead void
helper(int sock, int note, forkserver_child_fn fn, void *arg)
{
	struct json_object	*msg;
	struct proto_msg	 req;
	sigset_t		 none;
	char			 buf[SPAWNCHAN_DGRAM_MAX], errbuf[128];
	int			 fds[SPAWNCHAN_NFDS], nfds, r, i, ok;
	long long		 slot, verbose;
	size_t			 len;
	pid_t			 pid;

	r = spawnchan_recv(sock, buf, sizeof(buf), &len, fds, &nfds);
	if (r == 0)
		_exit(HELPER_EOF);
	if (r == 1 || errno == EMSGSIZE)
		(void)!write(note, "", 1);
	(void)close(note);
	if (r == -1) {
		if (errno != EMSGSIZE) {
			log_warn("fork server: receiving a request");
			_exit(HELPER_EOF);
		}
		_exit(send_error(sock, "request too long") == 0 ?
		    HELPER_SERVED : HELPER_EOF);
	}
	if (proto_decode(buf, len, &req, errbuf, sizeof(errbuf)) == -1) {
		spawnchan_close_fds(fds, nfds);
		_exit(send_error(sock, "bad request: %s", errbuf) == 0 ?
		    HELPER_SERVED : HELPER_EOF);
	}
	ok = req.m_type == PROTO_SPAWN &&
	    proto_get_int(&req, "worker", 0, INT_MAX, &slot) == 0 &&
	    proto_get_int(&req, "verbose", 0, 16, &verbose) == 0;
	proto_msg_release(&req);
	if (!ok || nfds != SPAWNCHAN_NFDS) {
		spawnchan_close_fds(fds, nfds);
		_exit(send_error(sock, "bad request: expected a spawn with "
		    "worker, verbose and %d descriptors (got %d)",
		    SPAWNCHAN_NFDS, nfds) == 0 ? HELPER_SERVED : HELPER_EOF);
	}
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < SPAWNCHAN_NFDS; i++)
			if (dup2(fds[i], i) == -1)
				_exit(EXIT_OSERR);
		closefrom(SPAWNCHAN_NFDS);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		exit(fn(arg, (int)slot, (int)verbose));
	}
	if (pid == -1)
		_exit(send_error(sock, "fork: %s", strerror(errno)) == 0 ?
		    HELPER_SERVED : HELPER_EOF);
	msg = proto_new(PROTO_SPAWNED, 0);
	json_object_object_add(msg, "pid", json_object_new_int(pid));
	_exit(spawnchan_send(sock, msg, NULL, 0) == 0 ? HELPER_SERVED :
	    HELPER_EOF);
}

/* Collect the helpers that have finished, without waiting. */
static void
reap_helpers(void)
{
	int	status;
	pid_t	pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (!WIFEXITED(status) || (WEXITSTATUS(status) !=
		    HELPER_SERVED && WEXITSTATUS(status) != HELPER_EOF))
			log_warnx("fork server: spawn helper %ld %s", (long)pid,
			    WIFSIGNALED(status) ? "was killed" : "failed");
}

int
forkserver_serve(int sock, forkserver_child_fn fn, void *arg)
{
	int	note[2], status, ret;
	char	c;
	pid_t	pid, r, self = getpid();
	ssize_t	n;

	for (;;) {
		if (pipe2(note, O_CLOEXEC) == -1) {
			log_warn("fork server: pipe");
			ret = -1;
			break;
		}
		pid = fork();
		if (pid == 0) {
			/*
			 * A helper does not outlive the server: when
			 * articlegen kills a server it gives up, no helper
			 * may fork a worker afterwards.
			 */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
			    getppid() != self)
				_exit(HELPER_EOF);
			(void)close(note[0]);
			helper(sock, note[1], fn, arg);
		}
		(void)close(note[1]);
		if (pid == -1) {
			/* articlegen sees the channel close and uses exec */
			log_warn("fork server: fork");
			(void)close(note[0]);
			ret = -1;
			break;
		}
		do
			n = read(note[0], &c, 1);
		while (n == -1 && errno == EINTR);
		(void)close(note[0]);
		if (n == 1) {
			reap_helpers();
			continue;	/* it took a request: next helper */
		}
		/* it ended without one: the channel is closed, or broken */
		while ((r = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
			;
		ret = r == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == HELPER_EOF ? 0 : -1;
		break;
	}
	/* helpers still replying finish on their own */
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	return (ret);
}

