/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * forkserver.c: both ends of the spawn channel (forkserver.h).  Requests
 * and replies are protocol messages (proto.h), one per datagram, the
 * request carrying three descriptors.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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
#include "util.h"

union fds_cmsg {
	struct cmsghdr	h;
	char		b[CMSG_SPACE(sizeof(int) * FORKSERVER_NFDS)];
};

/* Send msg (moved in) as one datagram with nfds descriptors. 0 or -1. */
static int
send_msg_fds(int sock, struct json_object *msg, const int *fds, int nfds)
{
	union fds_cmsg	 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	char		*line;
	size_t		 len;
	ssize_t		 n;

	if ((line = proto_encode(msg, &len)) == NULL)
		return (-1);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = line;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(&cm.h), fds, sizeof(int) * (size_t)nfds);
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	free(line);
	return (n == (ssize_t)len ? 0 : -1);
}

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
	return (send_msg_fds(sock, msg, NULL, 0));
}

static void
close_fds(int *fds, int nfds)
{
	int	i;

	for (i = 0; i < nfds; i++)
		(void)close(fds[i]);
}

/*
 * Receive one datagram into buf (NUL-terminated, without a final '\n')
 * and up to FORKSERVER_NFDS descriptors, which the caller then owns.
 * Returns 1, 0 at EOF, or -1 with errno set (EMSGSIZE for a truncated
 * datagram or descriptor list: its descriptors are closed).
 */
static int
recv_msg_fds(int sock, char *buf, size_t bufsz, size_t *lenp, int *fds,
    int *nfds)
{
	union fds_cmsg	 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*c;
	ssize_t		 n;
	size_t		 k, got;

	*nfds = 0;
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = bufsz - 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return ((int)n);
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < got; k++) {
			int	fd;

			memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(fd));
			if (*nfds < FORKSERVER_NFDS)
				fds[(*nfds)++] = fd;
			else
				(void)close(fd);
		}
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		close_fds(fds, *nfds);
		*nfds = 0;
		errno = EMSGSIZE;
		return (-1);
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	*lenp = (size_t)n;
	return (1);
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
	char			 buf[FORKSERVER_DGRAM_MAX], errbuf[128];
	int			 fds[FORKSERVER_NFDS], nfds, r, i, ok;
	long long		 slot, verbose;
	size_t			 len;
	pid_t			 pid;

	r = recv_msg_fds(sock, buf, sizeof(buf), &len, fds, &nfds);
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
		close_fds(fds, nfds);
		_exit(send_error(sock, "bad request: %s", errbuf) == 0 ?
		    HELPER_SERVED : HELPER_EOF);
	}
	ok = req.m_type == PROTO_SPAWN &&
	    proto_get_int(&req, "worker", 0, INT_MAX, &slot) == 0 &&
	    proto_get_int(&req, "verbose", 0, 16, &verbose) == 0;
	proto_msg_release(&req);
	if (!ok || nfds != FORKSERVER_NFDS) {
		close_fds(fds, nfds);
		_exit(send_error(sock, "bad request: expected a spawn with "
		    "worker, verbose and %d descriptors (got %d)",
		    FORKSERVER_NFDS, nfds) == 0 ? HELPER_SERVED : HELPER_EOF);
	}
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < FORKSERVER_NFDS; i++)
			if (dup2(fds[i], i) == -1)
				_exit(EXIT_OSERR);
		closefrom(FORKSERVER_NFDS);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		exit(fn(arg, (int)slot, (int)verbose));
	}
	if (pid == -1)
		_exit(send_error(sock, "fork: %s", strerror(errno)) == 0 ?
		    HELPER_SERVED : HELPER_EOF);
	msg = proto_new(PROTO_SPAWNED, 0);
	json_object_object_add(msg, "pid", json_object_new_int(pid));
	_exit(send_msg_fds(sock, msg, NULL, 0) == 0 ? HELPER_SERVED :
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

pid_t
forkserver_request(int sock, int slot, int verbose,
    const int fds[FORKSERVER_NFDS], int timeout_ms, char *errbuf,
    size_t errlen)
{
	struct json_object	*req;
	struct proto_msg	 msg;
	struct pollfd		 pfd;
	char			 buf[FORKSERVER_DGRAM_MAX], perr[128];
	int			 extra[FORKSERVER_NFDS], nextra, r;
	long long		 pid;
	int64_t			 end;
	size_t			 len;
	const char		*text;

	req = proto_new(PROTO_SPAWN, 0);
	json_object_object_add(req, "worker", json_object_new_int(slot));
	json_object_object_add(req, "verbose", json_object_new_int(verbose));
	if (send_msg_fds(sock, req, fds, FORKSERVER_NFDS) == -1) {
		(void)snprintf(errbuf, errlen, "sending to the fork server: %s",
		    strerror(errno));
		return (-1);
	}
	pfd.fd = sock;
	pfd.events = POLLIN;
	end = monotime_ms() + timeout_ms;
	for (;;) {
		int64_t	left = end - monotime_ms();

		if (left <= 0) {
			(void)snprintf(errbuf, errlen, "no answer from the fork "
			    "server in %d ms", timeout_ms);
			return (-1);
		}
		r = poll(&pfd, 1, (int)left);
		if (r == 1)
			break;
		if (r == -1 && errno != EINTR) {
			(void)snprintf(errbuf, errlen, "poll: %s",
			    strerror(errno));
			return (-1);
		}
	}
	r = recv_msg_fds(sock, buf, sizeof(buf), &len, extra, &nextra);
	close_fds(extra, r == 1 ? nextra : 0);
	if (r != 1) {
		(void)snprintf(errbuf, errlen, r == 0 ? "the fork server has "
		    "exited" : "receiving from the fork server: %s",
		    strerror(errno));
		return (-1);
	}
	if (proto_decode(buf, len, &msg, perr, sizeof(perr)) == -1) {
		(void)snprintf(errbuf, errlen, "fork server: %s", perr);
		return (-1);
	}
	if (msg.m_type == PROTO_SPAWNED &&
	    proto_get_int(&msg, "pid", 1, INT_MAX, &pid) == 0) {
		proto_msg_release(&msg);
		return ((pid_t)pid);
	}
	if (msg.m_type == PROTO_ERROR &&
	    (text = proto_get_str(&msg, "message")) != NULL)
		(void)snprintf(errbuf, errlen, "fork server: %s", text);
	else
		(void)snprintf(errbuf, errlen, "fork server: unexpected '%s'",
		    proto_type_name(msg.m_type));
	proto_msg_release(&msg);
	return (-1);
}
