/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * utf8.c: decoding and measuring UTF-8 without locales, so the title,
 * summary and word rules count characters the way the original did,
 * whatever LC_CTYPE the program runs under.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "translit.h"
#include "utf8.h"

size_t
utf8_decode(const char *s, size_t len, uint32_t *cpp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp, min;
	size_t			 n, i;

	if (p[0] < 0x80) {
		*cpp = p[0];
		return (1);
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*cpp = cp;
	return (n);
bad:
	*cpp = UTF8_REPLACEMENT;
	return (1);
}

size_t
utf8_len(const char *s)
{
	size_t		 len, i, n;
	uint32_t	 cp;

	len = strlen(s);
	for (i = n = 0; i < len; n++)
		i += utf8_decode(s + i, len - i, &cp);
	return (n);
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
		n = translit_utf8_decode(s + i, len - i, &cp);
		if (cp == TRANSLIT_INVALID || cp == 0)
			buf_puts(&b, "\xef\xbf\xbd");
		else
			buf_append(&b, s + i, n);
	}
	return (buf_detach(&b));
}
