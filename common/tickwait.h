/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * tickwait.h: the one way to wait for a while and stay responsive: sleep
 * in slices, calling a tick function between them and stopping early
 * when a flag is raised.  Used by the API client's backoff (llm.c), the
 * worker's wait for its grant (worker/main.c) and single-process mode's
 * wait for the rate limiter (inline.c).
 */
#ifndef TICKWAIT_H
#define TICKWAIT_H

#include <signal.h>
#include <stdint.h>

#define TICKWAIT_SLICE_MS	500	/* the longest sleep between ticks */

/*
 * Wait ms milliseconds: tick(arg) (if not NULL) before each slice, and
 * return early once *stop (if not NULL) is non-zero.  Returns 0 when the
 * time is up, -1 when stopped.
 */
int	tickwait(int64_t ms, void (*tick)(void *), void *arg,
	    volatile sig_atomic_t *stop);

#endif /* TICKWAIT_H */
