/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * buf.c: growable strings for text the program assembles (prompts, front
 * matter, log lines).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

void
buf_init(struct buf *b)
{
	b->b_data = NULL;
	b->b_len = 0;
	b->b_cap = 0;
}

void
buf_release(struct buf *b)
{
	free(b->b_data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->b_len = 0;
	if (b->b_data != NULL)
		b->b_data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t extra)
{
	size_t	need, cap;

	if (extra > SIZE_MAX - b->b_len - 1)
		fatalx("buf_grow: size overflow");
	need = b->b_len + extra + 1;
	if (need <= b->b_cap)
		return;
	cap = b->b_cap ? b->b_cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->b_data = xreallocarray(b->b_data, cap, 1);
	b->b_cap = cap;
}

void
buf_append(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->b_data + b->b_len, s, n);
	b->b_len += n;
	b->b_data[b->b_len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap, ap2;
	char	probe[1];
	int	n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("buf_printf: bad format");
	buf_grow(b, (size_t)n);
	(void)vsnprintf(b->b_data + b->b_len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	b->b_len += (size_t)n;
}

const char *
buf_cstr(const struct buf *b)
{
	return (b->b_data != NULL ? b->b_data : "");
}

char *
buf_detach(struct buf *b)
{
	char	*s;

	s = b->b_data != NULL ? b->b_data : xstrdup("");
	buf_init(b);
	return (s);
}
