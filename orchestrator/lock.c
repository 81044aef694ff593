/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * lock.c: owns the content directory lock, so that a timer firing during a
 * manual run cannot make two runs pick the same articles.  It is an
 * flock(2) on the directory, released by the kernel whenever the run ends,
 * however it ends.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lock.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

int
lock_content_dir(const char *dir, int wait, volatile sig_atomic_t *quit,
    int *busy, char *errbuf, size_t errlen)
{
	int	fd;

	*busy = 0;
	if (mkdir_p(dir) == -1) {
		snprintf(errbuf, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return (-1);
	}
	/*
	 * The lock is on the directory itself, so that no lock file ends up
	 * in the site's content (and in its git history).
	 */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return (fd);
	if (errno != EWOULDBLOCK) {
		snprintf(errbuf, errlen, "locking %s: %s", dir, strerror(errno));
		(void)close(fd);
		return (-1);
	}
	if (!wait) {
		*busy = 1;
		snprintf(errbuf, errlen, "another articlegen run is generating "
		    "into %s; run again when it has ended, or use --wait-lock",
		    dir);
		(void)close(fd);
		return (-1);
	}
	if (log_getverbose() > 0)	/* -q: warnings and errors only */
		log_notice("waiting for the other articlegen run on %s to "
		    "end", dir);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(errbuf, errlen, "locking %s: %s", dir,
			    strerror(errno));
			(void)close(fd);
			return (-1);
		}
		if (quit != NULL && *quit) {
			*busy = 1;
			snprintf(errbuf, errlen, "interrupted while waiting for "
			    "the other articlegen run on %s", dir);
			(void)close(fd);
			return (-1);
		}
		sleep_ms(200);
	}
	return (fd);
}

void
lock_release(int fd)
{
	if (fd != -1)
		(void)close(fd);
}
