/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_forkserver.c: the spawn channel on its own: the server
 * (forkserver.h) and the client (spawn.h).  The test process plays
 * articlegen: it makes itself a child subreaper, forks a server running
 * forkserver_serve() and asks it for workers, whose child function
 * reports what it was given on its stdout.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "forkserver.h"
#include "proto.h"
#include "spawn.h"
#include "tests.h"
#include "util.h"

/*
 * The forked worker: prints "slot verbose fds-open" on stdout, a line on
 * stderr, then exits with 40 + slot.  fds-open counts descriptors 3..63
 * still open, which must be none.
 */
static int
report_child(void *arg, int slot, int verbose)
{
	char	line[128];
	int	fd, open_fds = 0;

	(void)arg;
	for (fd = 3; fd < 64; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			open_fds++;
	(void)snprintf(line, sizeof(line), "%d %d %d\n", slot, verbose,
	    open_fds);
	(void)write_full(STDOUT_FILENO, line, strlen(line));
	(void)write_full(STDERR_FILENO, "to stderr\n", 10);
	return (40 + slot);
}

struct server {
	pid_t	pid;
	int	sock;
};

static void
server_start(struct server *s)
{
	int	sv[2];

	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	s->pid = fork();
	ck_assert_int_ne(s->pid, -1);
	if (s->pid == 0) {
		(void)close(sv[0]);
		_exit(forkserver_serve(sv[1], report_child, NULL) == 0 ? 0 :
		    1);
	}
	(void)close(sv[1]);
	s->sock = sv[0];
}

/* Close the channel; the server must exit 0 promptly. */
static void
server_stop(struct server *s)
{
	int	status;

	ck_assert_int_eq(shutdown(s->sock, SHUT_WR), 0);
	ck_assert_int_eq(waitpid(s->pid, &status, 0), s->pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "server ended with %d", status);
	(void)close(s->sock);
}

/* Wait for pid to become our child and exit; its wait status. */
static int
reap_adopted(pid_t pid)
{
	int64_t	end = monotime_ms() + 5000;
	int	status;
	pid_t	r;

	/* until its parent, the helper, has exited, it is not ours */
	while ((r = waitpid(pid, &status, 0)) == -1 && errno == ECHILD &&
	    monotime_ms() < end)
		sleep_ms(1);
	ck_assert_msg(r == pid, "pid %ld never became our child",
	    (long)pid);
	return (status);
}

/* Read all of fd into buf (NUL-terminated). */
static void
read_all(int fd, char *buf, size_t len)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < len - 1 && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)n;
	buf[off] = '\0';
}

START_TEST(test_spawns_are_adopted)
{
	struct server	 s;
	char		 errbuf[256], out[128], err[128], want[64];
	int		 in[2], o[2], e[2], fds[3], status, slot;
	pid_t		 pid;

	server_start(&s);
	for (slot = 0; slot < 3; slot++) {
		ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
		ck_assert_int_eq(pipe2(o, O_CLOEXEC), 0);
		ck_assert_int_eq(pipe2(e, O_CLOEXEC), 0);
		fds[0] = in[0];
		fds[1] = o[1];
		fds[2] = e[1];
		pid = forkserver_request(s.sock, slot, 2 + slot, fds, 5000,
		    errbuf, sizeof(errbuf));
		ck_assert_msg(pid > 0, "%s", errbuf);
		(void)close(in[0]);
		(void)close(o[1]);
		(void)close(e[1]);
		status = reap_adopted(pid);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 40 + slot);
		read_all(o[0], out, sizeof(out));
		read_all(e[0], err, sizeof(err));
		/* its slot and verbosity, and nothing open but 0-2 */
		(void)snprintf(want, sizeof(want), "%d %d 0\n", slot, 2 + slot);
		ck_assert_str_eq(out, want);
		ck_assert_str_eq(err, "to stderr\n");
		(void)close(in[1]);
		(void)close(o[0]);
		(void)close(e[0]);
	}
	server_stop(&s);
}
END_TEST

/* Send a raw datagram with nfds copies of fd. */
static void
send_raw(int sock, const char *text, int fd, int nfds)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int) * 4)];
	} cm;
	struct msghdr	mh;
	struct iovec	iov;
	int		fds[4] = { fd, fd, fd, fd };

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)text;
	iov.iov_len = strlen(text);
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
	ck_assert_int_eq(sendmsg(sock, &mh, 0), (ssize_t)strlen(text));
}

/* The next reply, which must be an error whose message contains want. */
static void
expect_error(int sock, const char *want)
{
	struct proto_msg	 msg;
	char			 buf[SPAWNCHAN_DGRAM_MAX], errbuf[128];
	ssize_t			 n;

	n = recv(sock, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 1);
	ck_assert_int_eq(proto_decode(buf, (size_t)n - 1, &msg, errbuf,
	    sizeof(errbuf)), 0);
	ck_assert_int_eq(msg.m_type, PROTO_ERROR);
	ck_assert_msg(strstr(proto_get_str(&msg, "message"), want) != NULL,
	    "'%s' lacks '%s'", proto_get_str(&msg, "message"), want);
	proto_msg_release(&msg);
}

START_TEST(test_bad_requests_are_answered)
{
	struct server	 s;
	char		 errbuf[256];
	int		 null, fds[3], status;
	pid_t		 pid;

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ne(null, -1);
	server_start(&s);
	/* not JSON; a spawn with two descriptors; another message type */
	send_raw(s.sock, "spawn please\n", null, 3);
	expect_error(s.sock, "bad request: not valid JSON");
	send_raw(s.sock, "{\"v\":2,\"type\":\"spawn\",\"worker\":1,"
	    "\"verbose\":1}\n", null, 2);
	expect_error(s.sock, "got 2");
	send_raw(s.sock, "{\"v\":2,\"type\":\"hello\",\"worker\":1}\n", null,
	    3);
	expect_error(s.sock, "expected a spawn");
	send_raw(s.sock, "{\"v\":3,\"type\":\"spawn\",\"worker\":1,"
	    "\"verbose\":1}\n", null, 3);
	expect_error(s.sock, "version 3");
	/* and it still serves a good one */
	fds[0] = fds[1] = fds[2] = null;
	pid = forkserver_request(s.sock, 7, 1, fds, 5000, errbuf,
	    sizeof(errbuf));
	ck_assert_msg(pid > 0, "%s", errbuf);
	status = reap_adopted(pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 47);
	server_stop(&s);
	(void)close(null);
}
END_TEST

START_TEST(test_client_errors)
{
	static const char ready[] = "{\"v\":2,\"type\":\"ready\"}\n";
	char	errbuf[256];
	int	sv[2], null, fds[3];

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	fds[0] = fds[1] = fds[2] = null;
	/* a peer that never answers: the request times out */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	ck_assert_int_eq(forkserver_request(sv[0], 1, 1, fds, 100, errbuf,
	    sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "no answer from the fork server in 100 ms");
	/* a peer that is gone */
	(void)close(sv[1]);
	ck_assert_int_eq(forkserver_request(sv[0], 1, 1, fds, 1000, errbuf,
	    sizeof(errbuf)), -1);
	ck_assert_msg(strstr(errbuf, "fork server") != NULL, "%s", errbuf);
	(void)close(sv[0]);
	/* a peer that answers with something else than spawned */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	ck_assert_int_eq(send(sv[1], ready, strlen(ready), 0),
	    (ssize_t)strlen(ready));
	ck_assert_int_eq(forkserver_request(sv[0], 1, 1, fds, 1000, errbuf,
	    sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "fork server: unexpected 'ready'");
	(void)close(sv[0]);
	(void)close(sv[1]);
	(void)close(null);
}
END_TEST

Suite *
forkserver_suite(void)
{
	Suite	*s = suite_create("forkserver");
	TCase	*tc = tcase_create("channel");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_spawns_are_adopted);
	tcase_add_test(tc, test_bad_requests_are_answered);
	tcase_add_test(tc, test_client_errors);
	suite_add_tcase(s, tc);
	return (s);
}
