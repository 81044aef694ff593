/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * xmalloc.h: allocation wrappers that never return NULL.  They are for
 * small internal allocations only: they fatalx() on exhaustion.  Memory
 * whose size a remote peer controls must use plain allocation with a cap.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

#include "compat.h"

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) PRINTFLIKE(2, 3);

#endif /* XMALLOC_H */
