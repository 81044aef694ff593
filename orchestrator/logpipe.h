/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * logpipe.h: the reading end of a child's stderr, cut into lines: a
 * worker's (pool.c) or the fork server's (spawn.c).
 */
#ifndef LOGPIPE_H
#define LOGPIPE_H

#include <stddef.h>

#define LOGPIPE_LINE_MAX	8192

struct logpipe {
	int	lp_fd;				/* -1 once closed */
	char	lp_buf[LOGPIPE_LINE_MAX];	/* the unfinished line */
	size_t	lp_len;
};

/* What to do with each line (NUL-terminated, without its '\n'). */
typedef void (*logpipe_emit_fn)(void *arg, const char *line);

void	logpipe_init(struct logpipe *, int fd);
/*
 * Read until the pipe would block, emitting line by line (a line over
 * LOGPIPE_LINE_MAX is cut).  At EOF or on an error the unfinished line is
 * emitted and the pipe closed.
 */
void	logpipe_read(struct logpipe *, logpipe_emit_fn, void *arg);
/* Emit the unfinished line, if any, and close the pipe. */
void	logpipe_close(struct logpipe *, logpipe_emit_fn, void *arg);

#endif /* LOGPIPE_H */
