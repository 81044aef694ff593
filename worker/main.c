/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * articlegen-worker: runs jobs for articlegen.  It reads a hello, then
 * jobs, one after another, from stdin; runs each with the handler of its
 * kind (jobhost.h); writes protocol messages to its stdout and free-text
 * logs to stderr; and exits with a code that says how its last job ended
 * (docs/PROTOCOL.md).  Straight-line, blocking code: no event loop, no
 * threads.  With -F it is the fork server instead (forkserver.h), the
 * only part that forks.
 */
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "cover.h"
#include "forkserver.h"
#include "gen.h"
#include "jobhost.h"
#include "llm.h"
#include "log.h"
#include "proto.h"
#include "tickwait.h"
#include "util.h"
#include "wire.h"
#include "xmlapi.h"

static volatile sig_atomic_t	cancel_flag;

struct worker {
	int			 w_slot;
	int			 w_out;		/* protocol fd (our real stdout) */
	struct proto_reader	*w_in;
	long long		 w_id;
	struct job_host		 w_host;	/* lent to job handlers */
	const char		*w_stage;
	int64_t			 w_last_sent;	/* monotonic ms */
	int			 w_standalone;	/* -j: no supervisor */
};

#define HEARTBEAT_MS	10000
#define FORKSERVER_FD	3	/* the spawn channel, with -F */

static void
on_signal(int sig)
{
	(void)sig;
	cancel_flag = 1;
}

static __dead void
usage(void)
{
	fprintf(stderr, "usage: articlegen-worker [-v] [-i slot]\n"
	    "       articlegen-worker [-v] -j JOBFILE\n"
	    "       articlegen-worker [-v] -F\n"
	    "Runs jobs for articlegen over stdin/stdout "
	    "(see docs/PROTOCOL.md),\nor one on its own from a job file "
	    "written "
	    "by articlegen --emit-jobs; the\nresult or error message is then "
	    "printed on stdout.\n"
	    "With -F it is articlegen's fork server, taking spawn requests on "
	    "fd 3.\n");
	exit(EXIT_USAGE);
}

static void
send_msg(struct worker *w, struct json_object *msg)
{
	w->w_last_sent = monotime_ms();
	if (proto_send(w->w_out, msg) == -1) {
		/* articlegen is gone: nobody wants the result */
		log_warn("sending to articlegen");
		exit(EXIT_TEMPFAIL);
	}
}

static __dead void
send_error_exit(struct worker *w, const char *code, const char *message,
    int exitcode)
{
	struct gen_error	e;

	memset(&e, 0, sizeof(e));
	(void)strlcpy(e.ge_code, code, sizeof(e.ge_code));
	(void)strlcpy(e.ge_message, message, sizeof(e.ge_message));
	e.ge_exit = exitcode;
	log_warnx("%s", message);
	send_msg(w, wire_error_new(w->w_id, &e));
	exit(exitcode);
}

/*
 * Block until the next message.  EOF on stdin means articlegen died or has
 * no more jobs: with eof_ok (between jobs) return 0, else exit at once.  A
 * malformed line is answered with an error and exit 76.  Returns 1 with
 * msg filled.
 */
static int
read_msg_eof(struct worker *w, struct proto_msg *msg, int eof_ok)
{
	char	 errbuf[256];
	char	*line;
	size_t	 len;
	ssize_t	 n;
	int	 overflow;

	for (;;) {
		line = proto_reader_getline(w->w_in, &len, &overflow);
		if (overflow)
			send_error_exit(w, "protocol", "line from articlegen "
			    "exceeds the protocol's line cap", EXIT_PROTOCOL);
		if (line != NULL)
			break;
		n = proto_reader_fill(w->w_in);
		if (n == 0) {
			if (eof_ok && proto_reader_pending(w->w_in) == 0)
				return (0);
			exit(EXIT_TEMPFAIL);
		}
		if (n == -1) {
			if (errno == EINTR && !cancel_flag)
				continue;
			if (cancel_flag) {
				if (eof_ok)
					return (0);
				exit(EXIT_TEMPFAIL);
			}
			log_warn("reading from articlegen");
			exit(EXIT_OSERR);
		}
	}
	if (proto_decode(line, len, msg, errbuf, sizeof(errbuf)) == -1) {
		if (strncmp(errbuf, "version ", 8) == 0)
			send_error_exit(w, "bad_version", errbuf,
			    EXIT_PROTOCOL);
		send_error_exit(w, "protocol", errbuf, EXIT_PROTOCOL);
	}
	return (1);
}

static void
read_msg(struct worker *w, struct proto_msg *msg)
{
	(void)read_msg_eof(w, msg, 0);
}

static int
read_msg_or_eof(struct worker *w, struct proto_msg *msg)
{
	return (read_msg_eof(w, msg, 1));
}

static void
set_title(struct worker *w, const char *stage)
{
	w->w_stage = stage;
	setproctitle("worker[%d]: job %lld: %s", w->w_slot, w->w_id, stage);
}

static void
hook_progress(void *arg, const char *stage)
{
	struct worker		*w = arg;
	struct json_object	*msg;

	set_title(w, stage);
	msg = proto_new(PROTO_PROGRESS, w->w_id);
	json_object_object_add(msg, "stage", json_object_new_string(stage));
	send_msg(w, msg);
}

/*
 * A shutdown waiting on stdin cancels the job; EOF there means articlegen
 * is gone, and the worker exits at once (read_msg()).
 */
static void
check_shutdown(struct worker *w)
{
	struct pollfd		pfd;
	struct proto_msg	msg;

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 0) == 1) {
		if ((pfd.revents & (POLLIN | POLLHUP)) == 0)
			break;
		read_msg(w, &msg);
		if (msg.m_type == PROTO_SHUTDOWN)
			cancel_flag = 1;
		proto_msg_release(&msg);
		if (proto_reader_pending(w->w_in) == 0)
			break;
	}
}

/*
 * About once a second while a call or a backoff waits: a heartbeat every
 * heartbeat_ms of the job (HEARTBEAT_MS by default), so articlegen can
 * tell a slow reply from a hung worker, and a look at stdin for a
 * shutdown.
 */
static void
hook_tick(void *arg)
{
	struct worker		*w = arg;
	struct json_object	*msg;
	int64_t			 now = monotime_ms();

	if (w->w_standalone)
		return;
	check_shutdown(w);
	if (now - w->w_last_sent < (w->w_host.jh_heartbeat_ms > 0 ?
	    w->w_host.jh_heartbeat_ms : HEARTBEAT_MS))
		return;
	msg = proto_new(PROTO_PROGRESS, w->w_id);
	json_object_object_add(msg, "stage", json_object_new_string("waiting"));
	send_msg(w, msg);
}

/*
 * Before each HTTP attempt: when articlegen rations the API, ask it and
 * wait for the grant.  -1 cancels the call.
 */
static int
hook_before_call(void *arg, const char *op, long est_tokens)
{
	struct worker		*w = arg;
	struct json_object	*req;
	struct proto_msg	 msg;
	long long		 wait_ms = 0;

	if (!w->w_standalone)
		check_shutdown(w);
	if (cancel_flag)
		return (-1);
	if (!w->w_host.jh_rate_limited || w->w_standalone)
		return (0);
	req = proto_new(PROTO_ACQUIRE, w->w_id);
	json_object_object_add(req, "op", json_object_new_string(op));
	json_object_object_add(req, "tokens", json_object_new_int64(est_tokens));
	send_msg(w, req);
	setproctitle("worker[%d]: job %lld: waiting for a grant", w->w_slot,
	    w->w_id);
	for (;;) {
		read_msg(w, &msg);
		if (msg.m_type == PROTO_SHUTDOWN) {
			proto_msg_release(&msg);
			cancel_flag = 1;
			return (-1);
		}
		if (msg.m_type == PROTO_GRANT)
			break;
		proto_msg_release(&msg);
		send_error_exit(w, "protocol", "expected grant", EXIT_PROTOCOL);
	}
	(void)proto_get_int(&msg, "wait_ms", 0, INT64_MAX, &wait_ms);
	proto_msg_release(&msg);
	/* heartbeats go on and a shutdown is seen */
	(void)tickwait(wait_ms, hook_tick, w, &cancel_flag);
	set_title(w, w->w_stage);
	return (cancel_flag ? -1 : 0);
}

/* After each HTTP attempt: tell articlegen what it was and cost. */
static void
hook_call_done(void *arg, const struct api_call *call)
{
	struct worker		*w = arg;
	struct json_object	*msg;

	msg = proto_new(PROTO_CALLDONE, w->w_id);
	json_object_object_add(msg, "op", json_object_new_string(call->ac_op));
	json_object_object_add(msg, "model",
	    json_object_new_string(call->ac_model));
	json_object_object_add(msg, "status",
	    json_object_new_int(call->ac_status));
	json_object_object_add(msg, "prompt_tokens",
	    json_object_new_int64(call->ac_prompt_tokens));
	json_object_object_add(msg, "completion_tokens",
	    json_object_new_int64(call->ac_completion_tokens));
	json_object_object_add(msg, "cost",
	    json_object_new_double(call->ac_cost));
	if (call->ac_retry_after_ms >= 0)
		json_object_object_add(msg, "retry_after_ms",
		    json_object_new_int64(call->ac_retry_after_ms));
	send_msg(w, msg);
}

/* The job file's descriptor, or exit 66 naming it. */
static int
open_job_file(const char *path)
{
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(EXIT_NOINPUT, "%s", path);
	return (fd);
}

/*
 * One worker: the handshake (or the job file), then jobs until the end.
 * Runs in a process of its own, exec'd by articlegen or forked by the
 * fork server; returns the exit status.
 */
static int
worker_run(int slot, int verbose, const char *jobfile)
{
	struct worker		 w;
	struct proto_msg	 msg;
	struct gen_error	 gerr;
	struct sigaction	 sa;
	struct json_object	*ready, *result;
	char			 errbuf[512];
	int			 rc;

	memset(&w, 0, sizeof(w));
	w.w_slot = slot;
	/*
	 * Keep the protocol on a private fd and point fd 1 at stderr, so a
	 * stray printf can never corrupt the stream.
	 */
	if ((w.w_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) == -1 ||
	    dup2(STDERR_FILENO, STDOUT_FILENO) == -1)
		err(EXIT_OSERR, "protocol fd");
	log_init(verbose);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	/*
	 * A terminal's ^C, or its hangup, reaches the whole process group;
	 * articlegen decides whether in-flight jobs may finish, and tells us
	 * with SIGTERM.
	 */
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);

	if (jobfile != NULL) {
		/* standalone: the job comes from a file, nobody to talk to */
		w.w_standalone = 1;
		if ((w.w_in = proto_reader_new(open_job_file(jobfile),
		    PROTO_LINE_MAX)) == NULL)
			err(EXIT_OSERR, "proto_reader_new");
	} else {
		if ((w.w_in = proto_reader_new(STDIN_FILENO,
		    PROTO_LINE_MAX)) == NULL)
			err(EXIT_OSERR, "proto_reader_new");
		setproctitle("worker[%d]: handshake", w.w_slot);
		read_msg(&w, &msg);
		if (msg.m_type != PROTO_HELLO)
			send_error_exit(&w, "protocol", "expected hello",
			    EXIT_PROTOCOL);
		proto_msg_release(&msg);
		ready = proto_new(PROTO_READY, 0);
		json_object_object_add(ready, "pid",
		    json_object_new_int(getpid()));
		json_object_object_add(ready, "version",
		    json_object_new_string(ARTICLEGEN_VERSION));
		send_msg(&w, ready);
	}

	if (llm_global_init(errbuf, sizeof(errbuf)) == -1)
		send_error_exit(&w, "config", errbuf, EXIT_SOFTWARE);
	w.w_host.jh_api_key = getenv("OPENAI_API_KEY");
	w.w_host.jh_hooks.gh_arg = &w;
	w.w_host.jh_hooks.gh_progress = hook_progress;
	w.w_host.jh_hooks.gh_before_call = hook_before_call;
	w.w_host.jh_hooks.gh_call_done = hook_call_done;
	w.w_host.jh_hooks.gh_tick = hook_tick;
	w.w_host.jh_hooks.gh_cancel = &cancel_flag;

	/*
	 * Jobs, one after another, until a shutdown, the end of stdin or a
	 * failed job: a reused worker keeps its API connection and skips the
	 * cost of starting a process.
	 */
	rc = EXIT_OK;
	for (;;) {
		w.w_id = 0;
		setproctitle("worker[%d]: waiting for a job", w.w_slot);
		if (!read_msg_or_eof(&w, &msg))
			break;
		if (msg.m_type == PROTO_SHUTDOWN) {
			proto_msg_release(&msg);
			break;
		}
		if (msg.m_type != PROTO_JOB || msg.m_id < 1)
			send_error_exit(&w, "protocol", "expected a job with an "
			    "id", EXIT_PROTOCOL);
		w.w_id = msg.m_id;
		w.w_host.jh_rate_limited = 0;
		w.w_host.jh_heartbeat_ms = 0;
		if (job_run(&w.w_host, &msg, &result, &gerr) == 0) {
			send_msg(&w, result);
			/*
			 * Durability work that can wait for the result (the
			 * article's directory entry): articlegen waits for
			 * this process to exit before it exits.
			 */
			job_host_settle(&w.w_host);
		} else {
			send_msg(&w, wire_error_new(w.w_id, &gerr));
			rc = gerr.ge_exit != 0 ? gerr.ge_exit : EXIT_SOFTWARE;
		}
		proto_msg_release(&msg);
		if (rc != EXIT_OK || w.w_standalone || cancel_flag)
			break;
	}
	job_host_release(&w.w_host);
	proto_reader_free(w.w_in);
	llm_global_cleanup();
	cover_release_caches();
	return (rc);
}

static int
forked_worker(void *arg, int slot, int verbose)
{
	(void)arg;
	return (worker_run(slot, verbose, NULL));
}

/*
 * -F: the fork server.  It has loaded the libraries and initialised
 * libcurl once; each worker it forks starts from there.
 */
static int
fork_server(void)
{
	struct sigaction	sa;
	char			errbuf[512];
	int			rc;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
	setproctitle("fork server");
	if (llm_global_init(errbuf, sizeof(errbuf)) == -1)
		errx(EXIT_SOFTWARE, "%s", errbuf);
	/*
	 * libxml2 too: every article's body goes through it (htmlsafe.c),
	 * so each forked worker inherits it loaded instead of paying for
	 * the dlopen(3) and its relocations itself.  A failure is left to
	 * the first job that needs it to report.
	 */
	(void)xmlapi_load(errbuf, sizeof(errbuf));
	rc = forkserver_serve(FORKSERVER_FD, forked_worker, NULL);
	llm_global_cleanup();
	return (rc == 0 ? EXIT_OK : EXIT_OSERR);
}

int
main(int argc, char *argv[])
{
	const char	*errstr, *jobfile = NULL;
	int		 ch, verbose = 1, slot = 0, server = 0;

	log_procinit("articlegen-worker");
	while ((ch = getopt(argc, argv, "Fi:j:v")) != -1) {
		switch (ch) {
		case 'F':
			server = 1;
			break;
		case 'j':
			jobfile = optarg;
			break;
		case 'i':
			slot = (int)strtonum(optarg, 0, 1000000, &errstr);
			if (errstr != NULL)
				errx(EXIT_USAGE, "-i %s: %s", optarg, errstr);
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (server && jobfile != NULL))
		usage();
	if (server) {
		log_init(verbose);
		return (fork_server());
	}
	return (worker_run(slot, verbose, jobfile));
}
