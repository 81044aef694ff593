/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * signals.c: owns articlegen's signal handlers and the whole-run deadline.
 * The handlers only count stop requests and wake the run loop through a
 * pipe; the run loop (run.c) and the lock wait (lock.c) read the counter.
 * The deadline is an alarm(2) whose SIGALRM counts as one more request.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"

static volatile sig_atomic_t	stop_requests;
static volatile sig_atomic_t	stop_signal;	/* last stop signal, or 0 */
static volatile sig_atomic_t	deadline_passed;
static int			wake_w = -1;

static const int	stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGALRM };

static void
on_signal(int sig)
{
	int	saved = errno;

	if (sig == SIGALRM) {
		deadline_passed = 1;
		stop_requests++;
	} else if (sig != SIGCHLD) {
		stop_signal = sig;
		stop_requests++;
	}
	if (wake_w != -1)
		(void)!write(wake_w, "x", 1);
	errno = saved;
}

/* Set the stop signals' handler, with or without SA_RESTART. */
static void
set_stop_handlers(int restart)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	for (i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		(void)sigaction(stop_signals[i], &sa, NULL);
}

int
signals_install(void)
{
	struct sigaction	sa;
	int			p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1)
		fatal("pipe2");
	wake_w = p[1];
	set_stop_handlers(0);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	(void)sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	return (p[0]);
}

void
signals_restart_calls(void)
{
	set_stop_handlers(1);
}

volatile sig_atomic_t *
signals_quit(void)
{
	return (&stop_requests);
}

int
signals_stop_requested(void)
{
	return (stop_requests > 0);
}

void
signals_set_deadline(unsigned seconds)
{
	(void)alarm(seconds);
}

int
signals_deadline_passed(void)
{
	return (deadline_passed);
}

void
signals_end(void)
{
	struct sigaction	sa;
	sigset_t		set;
	int			sig = stop_signal;

	if (sig == 0)
		return;
	(void)fflush(NULL);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	(void)sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
	(void)raise(sig);
}
