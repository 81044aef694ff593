/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * signals.h: requests to stop a run.  SIGINT, SIGTERM and SIGHUP, and the
 * whole-run deadline (--max-duration), all count as one stop request: the
 * first lets the run end gracefully, a second stops it at once.  A run
 * stopped by a signal ends by that same signal, so that a shell loop or a
 * service manager sees what happened.
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <signal.h>

/*
 * Install the handlers.  Until signals_restart_calls(), the stop signals
 * interrupt a blocking system call (an open(2) of a FIFO nobody writes)
 * instead of restarting it.  Returns the read end of a non-blocking pipe
 * that gets a byte on every signal (SIGCHLD too), for poll(2).
 */
int	signals_install(void);
/* Let the stop signals restart system calls (once the run loop polls). */
void	signals_restart_calls(void);
/* The stop-request counter, for the run loop and the lock wait. */
volatile sig_atomic_t *signals_quit(void);
/* Non-zero once a stop was requested (a signal or the deadline). */
int	signals_stop_requested(void);
/* Request a stop after seconds (0: never). */
void	signals_set_deadline(unsigned seconds);
/* Non-zero when the deadline requested the stop. */
int	signals_deadline_passed(void);
/*
 * When a stop signal was received, end the process by it (default action,
 * unblocked, raised); otherwise return.
 */
void	signals_end(void);

#endif /* SIGNALS_H */
