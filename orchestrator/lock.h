/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * lock.h: one run at a time per content directory.
 */
#ifndef LOCK_H
#define LOCK_H

#include <signal.h>
#include <stddef.h>

/*
 * Lock the content directory dir (creating it if needed) with flock(2)
 * until the process exits or lock_release().  When another run holds it:
 * with wait, wait until it is free (or until *quit counts a stop request:
 * a signal or the run's deadline); without, return -1 with *busy = 1 and
 * errbuf saying so.  Other failures return -1 with *busy = 0.  Returns the
 * lock fd.
 */
int	lock_content_dir(const char *dir, int wait,
	    volatile sig_atomic_t *quit, int *busy, char *errbuf,
	    size_t errlen);
void	lock_release(int fd);

#endif /* LOCK_H */
