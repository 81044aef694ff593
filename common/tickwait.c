/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * tickwait.c: sleeping in slices with a tick between them (tickwait.h).
 */
#include "tickwait.h"
#include "util.h"

int
tickwait(int64_t ms, void (*tick)(void *), void *arg,
    volatile sig_atomic_t *stop)
{
	int64_t	end = monotime_ms() + ms, left;

	for (;;) {
		if (stop != NULL && *stop)
			return (-1);
		if (tick != NULL)
			tick(arg);
		if (stop != NULL && *stop)
			return (-1);
		if ((left = end - monotime_ms()) <= 0)
			return (0);
		sleep_ms(left > TICKWAIT_SLICE_MS ? TICKWAIT_SLICE_MS : left);
	}
}
