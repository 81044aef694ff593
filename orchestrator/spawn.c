/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * spawn.c: owns the starting of worker processes (spawn.h): fork and
 * exec with a clean signal state and only fds 0-2 open, and the fork
 * server: its start, its requests, its stderr and its end.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "log.h"
#include "logpipe.h"
#include "proto.h"
#include "spawn.h"
#include "spawnchan.h"
#include "util.h"
#include "xmalloc.h"

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

struct spawner {
	char		*sp_worker;
	char *const	*sp_envp;
	int		 sp_verbose;
	int		 sp_fs_wanted;	/* spawn through a fork server */
	int		 sp_fs_sock;	/* its spawn channel, or -1 */
	pid_t		 sp_fs_pid;	/* the server, or -1 */
	int		 sp_fs_answered;	/* it has answered once */
	struct logpipe	 sp_fs_log;	/* its stderr */
};

struct spawner *
spawner_new(const char *worker_path, char *const envp[], int verbose,
    int forkserver)
{
	struct spawner	*sp;

	sp = xcalloc(1, sizeof(*sp));
	sp->sp_worker = xstrdup(worker_path);
	sp->sp_envp = envp;
	sp->sp_verbose = verbose;
	sp->sp_fs_wanted = forkserver;
	sp->sp_fs_sock = -1;
	sp->sp_fs_pid = -1;
	logpipe_init(&sp->sp_fs_log, -1);
	return (sp);
}

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		(void)close(*fd);
		*fd = -1;
	}
}

/*
 * fork and exec argv with fds[0..2] as its stdin, stdout and stderr and,
 * when extra is not -1, extra as its fd 3; default signal dispositions,
 * articlegen's signal mask, nothing else open.  Returns the pid, or -1
 * with errno from fork.
 */
static pid_t
spawn_exec(const struct spawner *sp, char *const argv[], const int fds[3],
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
		execve(argv[0], argv, sp->sp_envp);
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
worker_argv(const struct spawner *sp, char *argv[8], const char *a1,
    const char *a2)
{
	int	argc = 0, v;

	argv[argc++] = sp->sp_worker;
	if (a1 != NULL)
		argv[argc++] = (char *)(uintptr_t)a1;
	if (a2 != NULL)
		argv[argc++] = (char *)(uintptr_t)a2;
	for (v = 1; v < sp->sp_verbose && argc < 7; v++)
		argv[argc++] = (char *)(uintptr_t)"-v";
	argv[argc] = NULL;
}

static void
log_server_line(void *arg, const char *line)
{
	(void)arg;
	log_info("fork server: %s", line);
}

/*
 * No more workers from the fork server: shut down our half of its channel
 * (it exits at EOF; the pool's reaping collects it) and start any further
 * worker with exec.  With kill_it, do not wait for that: SIGKILL it.
 */
static void
forkserver_release(struct spawner *sp, int kill_it)
{
	sp->sp_fs_wanted = 0;
	if (sp->sp_fs_sock != -1)
		(void)shutdown(sp->sp_fs_sock, SHUT_WR);
	if (kill_it && sp->sp_fs_pid != -1)
		(void)kill(sp->sp_fs_pid, SIGKILL);
}

/*
 * Release the fork server and wait until it has exited (it does at the
 * EOF of its channel); after FORKSERVER_EXIT_MS it is killed.  What it
 * wrote to stderr is logged; a descendant that still holds that pipe
 * cannot hold up articlegen.
 */
static void
forkserver_stop(struct spawner *sp)
{
	int64_t	end;
	int	status;
	pid_t	r = 0;

	forkserver_release(sp, 0);
	if (sp->sp_fs_pid != -1) {
		end = monotime_ms() + FORKSERVER_EXIT_MS;
		while ((r = waitpid(sp->sp_fs_pid, &status, WNOHANG)) == 0 &&
		    monotime_ms() < end)
			sleep_ms(1);
		if (r == 0) {
			(void)kill(sp->sp_fs_pid, SIGKILL);
			while (waitpid(sp->sp_fs_pid, &status, 0) == -1 &&
			    errno == EINTR)
				;
		}
		sp->sp_fs_pid = -1;
	}
	close_fd(&sp->sp_fs_sock);
	logpipe_read(&sp->sp_fs_log, log_server_line, NULL);
	logpipe_close(&sp->sp_fs_log, log_server_line, NULL);
}

void
spawner_free(struct spawner *sp)
{
	if (sp == NULL)
		return;
	forkserver_stop(sp);
	free(sp->sp_worker);
	free(sp);
}

void
spawner_done(struct spawner *sp)
{
	if (sp->sp_fs_wanted)
		forkserver_release(sp, 0);
}

int
spawner_log_fd(const struct spawner *sp)
{
	return (sp->sp_fs_log.lp_fd);
}

void
spawner_log_ready(struct spawner *sp)
{
	logpipe_read(&sp->sp_fs_log, log_server_line, NULL);
}

int
spawner_reaped(struct spawner *sp, pid_t pid, const char *how)
{
	if (pid != sp->sp_fs_pid || pid == -1)
		return (0);
	if (sp->sp_fs_wanted)
		log_warnx("the worker fork server %s; starting workers with "
		    "fork and exec", how);
	sp->sp_fs_pid = -1;
	sp->sp_fs_wanted = 0;
	close_fd(&sp->sp_fs_sock);
	return (1);
}

/*
 * Start the fork server: articlegen-worker -F with the spawn channel on
 * its fd 3, /dev/null on stdin and stdout, and a pipe for its stderr.
 * articlegen becomes a child subreaper, so the workers the server forks
 * (whose parent exits at once) become its children.  0, or -1 with
 * errbuf set.
 */
static int
forkserver_start(struct spawner *sp, char *errbuf, size_t errlen)
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
	worker_argv(sp, argv, "-F", NULL);
	fds[0] = fds[1] = devnull;
	fds[2] = errp[1];
	sp->sp_fs_pid = spawn_exec(sp, argv, fds, sv[1]);
	if (sp->sp_fs_pid == -1)
		(void)snprintf(errbuf, errlen, "fork: %s", strerror(errno));
	(void)close(sv[1]);
	(void)close(devnull);
	(void)close(errp[1]);
	if (sp->sp_fs_pid == -1) {
		(void)close(sv[0]);
		(void)close(errp[0]);
		return (-1);
	}
	sp->sp_fs_sock = sv[0];
	logpipe_init(&sp->sp_fs_log, errp[0]);
	(void)fd_set_nonblock(errp[0]);
	return (0);
}

/* fork and exec one worker for slot; its pid, or -1 with errbuf set. */
static pid_t
exec_worker(struct spawner *sp, int slot, const int fds[3], char *errbuf,
    size_t errlen)
{
	char	 slotarg[16], *argv[8];
	pid_t	 pid;

	(void)snprintf(slotarg, sizeof(slotarg), "%d", slot);
	worker_argv(sp, argv, "-i", slotarg);
	if ((pid = spawn_exec(sp, argv, fds, -1)) == -1)
		(void)snprintf(errbuf, errlen, "fork: %s", strerror(errno));
	return (pid);
}

/*
 * A worker for slot with fds as its stdin, stdout and stderr, from the
 * fork server: its pid, or -1 when the server failed, which is then given
 * up for good, with one warning.
 */
static pid_t
forkserver_spawn(struct spawner *sp, int slot, const int fds[3])
{
	char	fserr[256];
	int	verbose = sp->sp_verbose < 1 ? 1 : sp->sp_verbose > 16 ? 16 :
		    sp->sp_verbose;
	pid_t	pid;

	pid = forkserver_request(sp->sp_fs_sock, slot, verbose, fds,
	    sp->sp_fs_answered ? FORKSERVER_TIMEOUT_MS : FORKSERVER_START_MS,
	    fserr, sizeof(fserr));
	if (pid != -1) {
		sp->sp_fs_answered = 1;
		return (pid);
	}
	log_warnx("the worker fork server failed (%s); starting workers "
	    "with fork and exec", fserr);
	forkserver_release(sp, 1);
	forkserver_stop(sp);
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
 * The first start starts the fork server and execs its worker directly,
 * so that both load their libraries at the same time.  When the fork
 * server fails, the worker is executed on fresh pipes: a helper of the
 * server that is still running could otherwise fork a second worker onto
 * the first ones.
 */
pid_t
spawn_worker(struct spawner *sp, int slot, int ends[3], char *errbuf,
    size_t errlen)
{
	int	fds[3], saved, i;
	char	fserr[256];
	pid_t	pid = -1;

	if (worker_pipes(fds, ends) == -1) {
		saved = errno;
		(void)snprintf(errbuf, errlen, "pipe: %s", strerror(saved));
		errno = saved;
		return (-1);
	}
	if (sp->sp_fs_wanted && sp->sp_fs_sock != -1) {
		if ((pid = forkserver_spawn(sp, slot, fds)) == -1) {
			close_pipes(fds, ends);
			if (worker_pipes(fds, ends) == -1) {
				saved = errno;
				(void)snprintf(errbuf, errlen, "pipe: %s",
				    strerror(saved));
				errno = saved;
				return (-1);
			}
		}
	} else if (sp->sp_fs_wanted &&
	    forkserver_start(sp, fserr, sizeof(fserr)) == -1) {
		log_warnx("cannot start the worker fork server (%s); starting "
		    "workers with fork and exec", fserr);
		forkserver_release(sp, 1);
		forkserver_stop(sp);
	}
	if (pid == -1 && (pid = exec_worker(sp, slot, fds, errbuf,
	    errlen)) == -1) {
		saved = errno;
		close_pipes(fds, ends);
		errno = saved;
		return (-1);
	}
	for (i = 0; i < 3; i++)
		close_fd(&fds[i]);
	return (pid);
}

pid_t
forkserver_request(int sock, int slot, int verbose,
    const int fds[SPAWNCHAN_NFDS], int timeout_ms, char *errbuf,
    size_t errlen)
{
	struct json_object	*req;
	struct proto_msg	 msg;
	struct pollfd		 pfd;
	char			 buf[SPAWNCHAN_DGRAM_MAX], perr[128];
	int			 extra[SPAWNCHAN_NFDS], nextra, r;
	long long		 pid;
	int64_t			 end;
	size_t			 len;
	const char		*text;

	req = proto_new(PROTO_SPAWN, 0);
	json_object_object_add(req, "worker", json_object_new_int(slot));
	json_object_object_add(req, "verbose", json_object_new_int(verbose));
	if (spawnchan_send(sock, req, fds, SPAWNCHAN_NFDS) == -1) {
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
	r = spawnchan_recv(sock, buf, sizeof(buf), &len, extra, &nextra);
	spawnchan_close_fds(extra, r == 1 ? nextra : 0);
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
