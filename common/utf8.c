/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * utf8.c: the one UTF-8 decoder (utf8_next()), its variants, and
 * measuring UTF-8 without locales, so the title, summary and word rules
 * count characters the way the original did, whatever LC_CTYPE the
 * program runs under.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

/*
 * The lead byte fixes the length and the range of the first continuation
 * byte (narrower after E0, ED, F0 and F4: no overlong forms, surrogates
 * or values above U+10FFFF); a byte out of range ends the ill-formed
 * prefix before it.
 */
size_t
utf8_next(const char *s, size_t len, uint32_t *cpp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	unsigned char		 lo = 0x80, hi = 0xBF;
	size_t			 need, i;

	*cpp = UTF8_INVALID;
	if (p[0] < 0x80) {
		*cpp = p[0];
		return (1);
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1;
		cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2;
		cp = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0;		/* overlong */
		else if (p[0] == 0xED)
			hi = 0x9F;		/* surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3;
		cp = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;		/* overlong */
		else if (p[0] == 0xF4)
			hi = 0x8F;		/* above U+10FFFF */
	} else
		return (1);	/* continuation byte, C0, C1 or F5..FF */
	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi)
			return (i);
		cp = (cp << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cpp = cp;
	return (need + 1);
}

size_t
utf8_decode(const char *s, size_t len, uint32_t *cpp)
{
	size_t	n;

	n = utf8_next(s, len, cpp);
	if (*cpp != UTF8_INVALID)
		return (n);
	*cpp = UTF8_REPLACEMENT;
	return (1);
}

int
utf8_valid(const char *s, size_t len)
{
	size_t		 i;
	uint32_t	 cp;

	for (i = 0; i < len; ) {
		i += utf8_next(s + i, len - i, &cp);
		if (cp == UTF8_INVALID)
			return (0);
	}
	return (1);
}

size_t
utf8_count(const char *s, size_t len)
{
	size_t		 i, n;
	uint32_t	 cp;

	for (i = n = 0; i < len; n++)
		i += utf8_decode(s + i, len - i, &cp);
	return (n);
}

size_t
utf8_prev(const char *s, size_t i)
{
	size_t	j = i - 1;

	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	return (j);
}

void
utf8_put(struct buf *out, uint32_t cp)
{
	char	u[4];

	if (cp < 0x80)
		buf_putc(out, (char)cp);
	else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, u, 4);
	}
}

size_t
utf8_len(const char *s)
{
	return (utf8_count(s, strlen(s)));
}

size_t
utf8_offset(const char *s, size_t len, size_t n)
{
	size_t		 i;
	uint32_t	 cp;

	for (i = 0; i < len && n > 0; n--)
		i += utf8_decode(s + i, len - i, &cp);
	return (i);
}

/*
 * The whitespace set of Python 3's str.isspace(), which is also what
 * str.split(), str.strip() and the re module's \s use on text.
 */
int
utf8_is_space(uint32_t cp)
{
	if (cp < 0x80)
		return ((cp >= 0x09 && cp <= 0x0d) ||
		    (cp >= 0x1c && cp <= 0x20));
	switch (cp) {
	case 0x85:
	case 0xa0:
	case 0x1680:
	case 0x2028:
	case 0x2029:
	case 0x202f:
	case 0x205f:
	case 0x3000:
		return (1);
	default:
		return (cp >= 0x2000 && cp <= 0x200a);
	}
}

size_t
utf8_space_len(const char *s, size_t len)
{
	size_t		 n;
	uint32_t	 cp;

	if (len == 0)
		return (0);
	n = utf8_decode(s, len, &cp);
	return (utf8_is_space(cp) ? n : 0);
}

char *
utf8_scrub(const char *s, size_t len)
{
	struct buf	 b;
	size_t		 i, n;
	uint32_t	 cp;

	buf_init(&b);
	for (i = 0; i < len; i += n) {
		n = utf8_next(s + i, len - i, &cp);
		if (cp == UTF8_INVALID || cp == 0)
			buf_puts(&b, "\xef\xbf\xbd");
		else
			buf_append(&b, s + i, n);
	}
	return (buf_detach(&b));
}
