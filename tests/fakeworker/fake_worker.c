/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fake_worker.c: a misbehaving articlegen-worker for the tests.  It is
 * started by articlegen like the real one (argv: -i SLOT) and chooses its
 * misbehaviour from the name it was started under, a symbolic link
 * "fake-worker-<behaviour>":
 *
 *   longline     answers ready, then writes a 2 MiB line
 *   garbage      answers ready, then a line that is not JSON
 *   badversion   answers hello with error bad_version and exits 76
 *   wrongid      answers ready, then a result for another job
 *   flood        answers ready, then 50,000 progress lines, then exits 1
 *   afterresult  writes a real article file, sends its result, then junk
 *   silent       answers ready, then says nothing and never exits
 *   lateresult   says nothing until SIGTERM, then writes its article,
 *                sends the result and exits 0 (a worker already past
 *                its last API call when it was stopped)
 *
 * With -F it is a fork server (forkserver.h) whose workers misbehave in
 * the same way, so the tests see both ways articlegen starts workers.
 * Under the name fake-worker-liar, -F is a broken fork server instead: it
 * forks and execs the real articlegen-worker (next to this binary) for
 * each request, as its own child, and answers with its own pid; under
 * fake-worker-late, it answers every request after the first 3 s late
 * (having forked the worker at once).
 *
 * It is a test tool: it never talks to an API.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "forkserver.h"
#include "proto.h"
#include "util.h"
#include "xmalloc.h"

static volatile sig_atomic_t	got_term;

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static void
put(const char *line)
{
	(void)write_full(STDOUT_FILENO, line, strlen(line));
}

/* The job's id and content_dir from the lines on stdin. */
static long long
read_job(char *dir, size_t dirlen)
{
	struct proto_reader	*r;
	struct proto_msg	 msg;
	struct json_object	*set, *v;
	char			 errbuf[128], *line;
	size_t			 len;
	long long		 id = 0;
	int			 overflow;

	r = proto_reader_new(STDIN_FILENO, PROTO_LINE_MAX);
	while (id == 0) {
		while ((line = proto_reader_getline(r, &len, &overflow)) ==
		    NULL) {
			if (overflow || proto_reader_fill(r) <= 0)
				exit(75);
		}
		if (proto_decode(line, len, &msg, errbuf, sizeof(errbuf)) == -1)
			continue;
		if (msg.m_type == PROTO_JOB) {
			id = msg.m_id;
			if ((set = proto_get_obj(&msg, "settings")) != NULL &&
			    json_object_object_get_ex(set, "content_dir", &v))
				(void)strlcpy(dir, json_object_get_string(v),
				    dirlen);
		}
		proto_msg_release(&msg);
	}
	proto_reader_free(r);
	return (id);
}

/* One misbehaving worker; how names the misbehaviour. */
static int
fake_run(void *arg, int slot, int verbose)
{
	const char	*how = arg;
	char		 line[8192], dir[4096];
	char		*big;
	long long	 id;
	int		 i, fd;

	(void)slot;
	(void)verbose;
	dir[0] = '\0';

	if (strcmp(how, "badversion") == 0) {
		put("{\"v\":2,\"type\":\"error\",\"code\":\"bad_version\","
		    "\"message\":\"version 1, expected 9\",\"retryable\":false,"
		    "\"fatal\":true,\"exit\":76}\n");
		return (76);
	}
	snprintf(line, sizeof(line), "{\"v\":2,\"type\":\"ready\",\"pid\":%ld,"
	    "\"version\":\"%s\"}\n", (long)getpid(), ARTICLEGEN_VERSION);
	put(line);
	id = read_job(dir, sizeof(dir));
	if (strcmp(how, "longline") == 0) {
		big = xmalloc(2 * 1024 * 1024 + 2);
		memset(big, 'x', 2 * 1024 * 1024);
		big[2 * 1024 * 1024] = '\n';
		big[2 * 1024 * 1024 + 1] = '\0';
		put(big);
		free(big);
		sleep(30);
	} else if (strcmp(how, "wrongid") == 0) {
		snprintf(line, sizeof(line), "{\"v\":2,\"type\":\"result\","
		    "\"id\":%lld,\"path\":\"x\",\"file\":\"x\",\"title\":\"x\","
		    "\"slug\":\"x\"}\n", id + 1000);
		put(line);
		sleep(30);
	} else if (strcmp(how, "flood") == 0) {
		snprintf(line, sizeof(line), "{\"v\":2,\"type\":\"progress\","
		    "\"id\":%lld,\"stage\":\"waiting\"}\n", id);
		for (i = 0; i < 50000; i++)
			put(line);
		return (1);
	} else if (strcmp(how, "afterresult") == 0) {
		snprintf(line, sizeof(line), "%s/fake-%lld.md", dir, id);
		if ((fd = open(line, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1) {
			(void)!write(fd, "---\ntitle: \"fake\"\n---\n", 22);
			close(fd);
		}
		snprintf(line, sizeof(line), "{\"v\":2,\"type\":\"result\","
		    "\"id\":%lld,\"path\":\"%s/fake-%lld.md\",\"file\":"
		    "\"fake-%lld.md\",\"title\":\"fake\",\"slug\":\"fake\","
		    "\"words\":1,\"cost\":0,\"calls\":0}\n", id, dir, id, id);
		put(line);
		put("and then some junk that is not JSON\n");
		return (0);
	} else if (strcmp(how, "lateresult") == 0) {
		signal(SIGTERM, on_term);
		while (!got_term)
			pause();
		snprintf(line, sizeof(line), "%s/late-%lld.md", dir, id);
		if ((fd = open(line, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1) {
			(void)!write(fd, "---\ntitle: \"late\"\n---\n", 22);
			close(fd);
		}
		snprintf(line, sizeof(line), "{\"v\":2,\"type\":\"result\","
		    "\"id\":%lld,\"path\":\"%s/late-%lld.md\",\"file\":"
		    "\"late-%lld.md\",\"title\":\"late\",\"slug\":\"late\","
		    "\"words\":1,\"cost\":0,\"calls\":0}\n", id, dir, id, id);
		put(line);
		return (0);
	} else if (strcmp(how, "silent") == 0) {
		for (;;)
			pause();
	} else {
		put("this is not json {\n");
		sleep(30);
	}
	return (0);
}

/*
 * fake-worker-liar -F: serve spawn requests on fd 3 with real workers
 * that are its own children, and name itself as each one's pid.
 */
static int
liar_server(int late)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int) * 3)];
	} cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	char		 buf[4096], slot[16], reply[128], *worker, *dir, *w;
	int		 fds[3], i, served = 0;
	pid_t		 pid;
	ssize_t		 n;

	if ((dir = exe_dir()) == NULL)
		return (71);
	xasprintf(&worker, "%s/articlegen-worker", dir);
	free(dir);
	for (;;) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf) - 1;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof(cm.b);
		if ((n = recvmsg(3, &mh, 0)) <= 0)
			break;
		buf[n] = '\0';
		if (CMSG_FIRSTHDR(&mh) == NULL ||
		    (w = strstr(buf, "\"worker\":")) == NULL)
			break;
		memcpy(fds, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(fds));
		(void)snprintf(slot, sizeof(slot), "%d", atoi(w + 9));
		if ((pid = fork()) == 0) {
			for (i = 0; i < 3; i++)
				(void)dup2(fds[i], i);
			closefrom(3);
			execl(worker, worker, "-i", slot, (char *)NULL);
			_exit(127);
		}
		for (i = 0; i < 3; i++)
			(void)close(fds[i]);
		if (late && served++ > 0)
			sleep(3);
		n = snprintf(reply, sizeof(reply), "{\"v\":2,\"type\":"
		    "\"spawned\",\"pid\":%ld}\n", (long)(late ? pid :
		    getpid()));
		(void)send(3, reply, (size_t)n, 0);
	}
	free(worker);
	return (0);
}

int
main(int argc, char *argv[])
{
	const char	*name, *how;

	signal(SIGPIPE, SIG_IGN);
	name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	how = strncmp(name, "fake-worker-", 12) == 0 ? name + 12 : "garbage";
	if (argc > 1 && strcmp(argv[1], "-F") == 0 &&
	    (strcmp(how, "liar") == 0 || strcmp(how, "late") == 0))
		return (liar_server(strcmp(how, "late") == 0));
	if (argc > 1 && strcmp(argv[1], "-F") == 0)
		return (forkserver_serve(3, fake_run, (void *)(uintptr_t)how) ==
		    0 ? 0 : 71);
	return (fake_run((void *)(uintptr_t)how, 0, 1));
}
