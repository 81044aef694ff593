/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * escape.c: owns the one rule for printing untrusted text (see escape.h):
 * what is shown is always one line, never a terminal control sequence,
 * and always valid UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "utf8.h"

/* A code point that must not be printed as itself. */
static int
is_unprintable(uint32_t cp)
{
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069));
}

void
esc_display_buf(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 len, n, i;
	uint32_t		 cp;
	char			 x[4] = { '\\', 'x', 0, 0 };

	if (s == NULL)
		return;
	len = strlen(s);
	while (len > 0) {
		n = utf8_decode(s, len, &cp);
		/* a malformed byte decodes as U+FFFD of length 1 */
		if (is_unprintable(cp) || (cp == UTF8_REPLACEMENT && n == 1)) {
			for (i = 0; i < n; i++) {
				x[2] = hex[((unsigned char)s[i]) >> 4];
				x[3] = hex[((unsigned char)s[i]) & 0xf];
				buf_append(b, x, sizeof(x));
			}
		} else
			buf_append(b, s, n);
		s += n;
		len -= n;
	}
}

char *
esc_display(const char *s)
{
	struct buf	b;

	buf_init(&b);
	esc_display_buf(&b, s);
	return (buf_detach(&b));
}

int
esc_fputs(FILE *f, const char *s)
{
	struct buf	b;
	int		ret;

	buf_init(&b);
	esc_display_buf(&b, s);
	ret = fputs(buf_cstr(&b), f) == EOF ? EOF : 0;
	buf_release(&b);
	return (ret);
}

/* Display-escape s, then percent-encode the bytes in set. */
static void
gha_escape(struct buf *b, const char *s, const char *set)
{
	struct buf	 t;
	const char	*p;

	buf_init(&t);
	esc_display_buf(&t, s);
	for (p = buf_cstr(&t); *p != '\0'; p++) {
		if (strchr(set, *p) != NULL)
			buf_printf(b, "%%%02X", (unsigned char)*p);
		else
			buf_putc(b, *p);
	}
	buf_release(&t);
}

void
esc_gha_data_buf(struct buf *b, const char *s)
{
	gha_escape(b, s, "%\r\n");
}

void
esc_gha_property_buf(struct buf *b, const char *s)
{
	gha_escape(b, s, "%\r\n:,");
}
