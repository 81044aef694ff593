/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * logpipe.c: owns a log pipe's descriptor and its unfinished line
 * (logpipe.h).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "logpipe.h"

void
logpipe_init(struct logpipe *lp, int fd)
{
	lp->lp_fd = fd;
	lp->lp_len = 0;
}

static void
emit(struct logpipe *lp, logpipe_emit_fn fn, void *arg)
{
	lp->lp_buf[lp->lp_len] = '\0';
	fn(arg, lp->lp_buf);
	lp->lp_len = 0;
}

void
logpipe_close(struct logpipe *lp, logpipe_emit_fn fn, void *arg)
{
	if (lp->lp_len > 0)
		emit(lp, fn, arg);
	if (lp->lp_fd != -1) {
		(void)close(lp->lp_fd);
		lp->lp_fd = -1;
	}
}

void
logpipe_read(struct logpipe *lp, logpipe_emit_fn fn, void *arg)
{
	char	chunk[4096];
	ssize_t	n, i;

	while (lp->lp_fd != -1) {
		n = read(lp->lp_fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			logpipe_close(lp, fn, arg);
			return;
		}
		for (i = 0; i < n; i++) {
			if (chunk[i] == '\n') {
				emit(lp, fn, arg);
				continue;
			}
			lp->lp_buf[lp->lp_len++] = chunk[i];
			if (lp->lp_len == sizeof(lp->lp_buf) - 1)
				emit(lp, fn, arg);
		}
	}
}
