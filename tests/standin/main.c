/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * main.c: llm-standin, the project's local stand-in for the OpenAI Chat
 * Completions API (and its images API, the source APIs and Unsplash).
 * The demo uses it when no API key is set, and the integration, fault
 * and benchmark tests point the worker at it.  It listens on 127.0.0.1
 * only, answers with deterministic template text (canned.c), and can be
 * told to fail in scripted ways (fault.c).  This file parses the command
 * line, opens the socket, writes the port file, installs the signal
 * handlers and runs the loop of server.c.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "log.h"
#include "server.h"
#include "util.h"
#include "xmalloc.h"

#define STANDIN_MAX_CONNS	4096
#define STANDIN_FD_RESERVE	16
#define STANDIN_DELAY_MAX	3600000

static volatile sig_atomic_t	standin_quit;
static int			standin_sigpipe = -1;	/* write end */

static __dead void
usage(void)
{
	fprintf(stderr,
	    "usage: llm-standin [--quiet] [--port N] [--port-file FILE] "
	    "[--latency-ms N]\n"
	    "                   [--jitter-ms N] [--faults LIST] [--log FILE] "
	    "[--require-key ENV]\n"
	    "                   [--bind 127.0.0.1]\n");
	exit(EXIT_USAGE);
}

/* SIGTERM/SIGINT: note it and wake the poll loop through the pipe. */
static void
standin_onsignal(int sig)
{
	int	saved_errno = errno;
	ssize_t	r;

	(void)sig;
	standin_quit = 1;
	r = write(standin_sigpipe, "", 1);
	(void)r;
	errno = saved_errno;
}

/* Parse a number option in [0, max] or exit with a usage error. */
static int64_t
standin_number(const char *opt, const char *s, int64_t max)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, 0, max, &errstr);
	if (errstr != NULL)
		errx(EXIT_USAGE, "--%s '%s': %s (0-%" PRId64 ")", opt, s,
		    errstr, max);
	return (v);
}

/*
 * Write the port number and a newline to path through path.tmp and a
 * rename, so a reader never sees a partial file.  Exits on failure.
 */
static void
standin_port_file(const char *path, int port)
{
	char	*tmp, line[16];
	int	 fd, n;

	xasprintf(&tmp, "%s.tmp", path);
	n = snprintf(line, sizeof(line), "%d\n", port);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		err(EXIT_CANTCREAT, "%s", tmp);
	if (write_full(fd, line, (size_t)n) == -1)
		err(EXIT_CANTCREAT, "%s", tmp);
	if (close(fd) == -1)
		err(EXIT_CANTCREAT, "%s", tmp);
	if (rename(tmp, path) == -1)
		err(EXIT_CANTCREAT, "rename %s", tmp);
	free(tmp);
}

/*
 * Open a non-blocking listening socket on 127.0.0.1:port (0: any free
 * port).  Returns the socket and stores the port actually bound.  Exits
 * on failure.
 */
static int
standin_listen(int port, int *bound)
{
	struct sockaddr_in	sin;
	socklen_t		len;
	int			fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		err(EXIT_OSERR, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(EXIT_OSERR, "setsockopt SO_REUSEADDR");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(EXIT_OSERR, "bind 127.0.0.1:%d", port);
	if (listen(fd, SOMAXCONN) == -1)
		err(EXIT_OSERR, "listen");
	len = sizeof(sin);
	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		err(EXIT_OSERR, "getsockname");
	*bound = ntohs(sin.sin_port);
	return (fd);
}

/*
 * Raise the open-file limit toward its hard maximum and return how many
 * connections fit under it.
 */
static size_t
standin_max_conns(void)
{
	struct rlimit	rl;
	rlim_t		want = STANDIN_MAX_CONNS + STANDIN_FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return (256);
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit RLIMIT_NOFILE");
		if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
			return (256);
	}
	if (rl.rlim_cur <= STANDIN_FD_RESERVE * 2)
		return (1);
	if (rl.rlim_cur - STANDIN_FD_RESERVE > STANDIN_MAX_CONNS)
		return (STANDIN_MAX_CONNS);
	return ((size_t)(rl.rlim_cur - STANDIN_FD_RESERVE));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "bind",	 required_argument,	NULL, 'b' },
		{ "faults",	 required_argument,	NULL, 'f' },
		{ "help",	 no_argument,		NULL, 'h' },
		{ "jitter-ms",	 required_argument,	NULL, 'j' },
		{ "require-key", required_argument,	NULL, 'k' },
		{ "latency-ms",	 required_argument,	NULL, 'l' },
		{ "log",	 required_argument,	NULL, 'L' },
		{ "port",	 required_argument,	NULL, 'p' },
		{ "port-file",	 required_argument,	NULL, 'P' },
		{ "quiet",	 no_argument,		NULL, 'q' },
		{ NULL,		 0,			NULL, 0 }
	};
	struct api_config	 ac;
	struct sigaction	 sa;
	struct server		*srv;
	struct api		*api;
	const char		*faults = NULL, *port_file = NULL;
	const char		*log_path = NULL, *key_env = NULL;
	FILE			*logf = NULL;
	char			 errbuf[256];
	size_t			 maxconns;
	int			 ch, port = 0, bound, lfd, quiet = 0, rc;
	int			 pipefd[2];

	log_init(1);
	log_procinit("llm-standin");
	memset(&ac, 0, sizeof(ac));
	while ((ch = getopt_long(argc, argv, "b:f:hj:k:l:L:p:P:q", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (strcmp(optarg, "127.0.0.1") != 0 &&
			    strcmp(optarg, "localhost") != 0)
				errx(EXIT_USAGE, "refusing to listen on '%s': "
				    "only 127.0.0.1 is allowed", optarg);
			break;
		case 'f':
			faults = optarg;
			break;
		case 'j':
			ac.ac_jitter_ms = standin_number("jitter-ms", optarg,
			    STANDIN_DELAY_MAX);
			break;
		case 'k':
			key_env = optarg;
			break;
		case 'l':
			ac.ac_latency_ms = standin_number("latency-ms", optarg,
			    STANDIN_DELAY_MAX);
			break;
		case 'L':
			log_path = optarg;
			break;
		case 'p':
			port = (int)standin_number("port", optarg, 65535);
			break;
		case 'P':
			port_file = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (quiet)
		log_setverbose(0);

	if (key_env != NULL) {
		ac.ac_key = getenv(key_env);
		if (ac.ac_key == NULL || *ac.ac_key == '\0')
			errx(EXIT_USAGE, "--require-key: environment variable "
			    "'%s' is unset or empty", key_env);
	}
	if (log_path != NULL) {
		if ((logf = fopen(log_path, "we")) == NULL)
			err(EXIT_CANTCREAT, "%s", log_path);
		ac.ac_log = logf;
	}
	api = api_new(&ac);
	if (faults != NULL && api_set_faults(api, faults, strlen(faults),
	    errbuf, sizeof(errbuf)) == -1)
		errx(EXIT_USAGE, "--faults: %s", errbuf);

	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) == -1)
		err(EXIT_OSERR, "pipe2");
	standin_sigpipe = pipefd[1];
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = standin_onsignal;
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1)
		err(EXIT_OSERR, "sigaction");
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		err(EXIT_OSERR, "sigaction");

	maxconns = standin_max_conns();
	lfd = standin_listen(port, &bound);
	srv = server_new(lfd, api, maxconns);
	if (port_file != NULL)
		standin_port_file(port_file, bound);
	printf("llm-standin: listening on 127.0.0.1:%d\n", bound);
	if (fflush(stdout) == EOF)
		log_warn("stdout");
	log_info("latency %" PRId64 " ms, jitter %" PRId64 " ms, up to %zu "
	    "connections%s", ac.ac_latency_ms, ac.ac_jitter_ms, maxconns,
	    key_env != NULL ? ", bearer key required" : "");

	rc = standin_quit ? 0 : server_run(srv, pipefd[0]);
	log_info("%s", rc == 0 ? "stopping on signal" : "stopping on error");
	server_free(srv);
	api_free(api);
	if (logf != NULL && fclose(logf) == EOF)
		log_warn("%s", log_path);
	(void)close(pipefd[0]);
	(void)close(pipefd[1]);
	return (rc == 0 ? EXIT_OK : EXIT_OSERR);
}
