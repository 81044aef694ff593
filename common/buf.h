/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * buf.h: a growable, always NUL-terminated byte string.
 *
 * struct buf is owned by the caller: buf_init() before use, buf_release()
 * after.  Growth uses the x* allocators, so buf is for text this program
 * builds itself; text a peer sends is read with an explicit cap elsewhere.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

#include "compat.h"

struct buf {
	char	*b_data;	/* NUL-terminated; NULL until first append */
	size_t	 b_len;
	size_t	 b_cap;
};

void	 buf_init(struct buf *);
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_append(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
const char *buf_cstr(const struct buf *);	/* borrowed; "" when empty */
char	*buf_detach(struct buf *);		/* owned by caller; never NULL */

#endif /* BUF_H */
