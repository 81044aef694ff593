/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * yaml.c: the two scalar forms the front matter writer needs.
 *
 * Front matter holds text that comes from the web and from a language
 * model (titles, summaries, author names), so every string is written as
 * a double-quoted scalar: it is the only YAML style that can spell any
 * Unicode text on one line, and it needs no guessing about which plain
 * strings a parser would turn into booleans, numbers or null.  Numbers
 * are written the way Python's repr() wrote them in the original front
 * matter, always with a '.' so that YAML 1.1 readers as well as 1.2 ones
 * see a float.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "yaml.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define YAML_REPLACEMENT	"\xEF\xBF\xBD"

void
yaml_quote(struct buf *out, const char *s)
{
	size_t		 len, i, n;
	uint32_t	 cp;

	if (s == NULL)
		s = "";
	len = strlen(s);
	buf_putc(out, '"');
	for (i = 0; i < len; i += n) {
		n = utf8_next(s + i, len - i, &cp);
		switch (cp) {
		case UTF8_INVALID:
			buf_puts(out, YAML_REPLACEMENT);
			continue;
		case '"':
			buf_puts(out, "\\\"");
			continue;
		case '\\':
			buf_puts(out, "\\\\");
			continue;
		case '\a':
			buf_puts(out, "\\a");
			continue;
		case '\b':
			buf_puts(out, "\\b");
			continue;
		case '\t':
			buf_puts(out, "\\t");
			continue;
		case '\n':
			buf_puts(out, "\\n");
			continue;
		case '\v':
			buf_puts(out, "\\v");
			continue;
		case '\f':
			buf_puts(out, "\\f");
			continue;
		case '\r':
			buf_puts(out, "\\r");
			continue;
		case 0x1B:
			buf_puts(out, "\\e");
			continue;
		default:
			break;
		}
		/*
		 * Outside YAML's printable set: C0 and C1 controls and DEL.
		 * NEL, LS and PS are printable but are line breaks, which a
		 * quoted scalar would fold; the BOM and the two non-characters
		 * are not printable.
		 */
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			buf_printf(out, "\\x%02X", (unsigned int)cp);
		else if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
		    cp == 0xFFFE || cp == 0xFFFF)
			buf_printf(out, "\\u%04X", (unsigned int)cp);
		else
			buf_append(out, s + i, n);
	}
	buf_putc(out, '"');
}

/*
 * The shortest decimal digits that read back as v (v finite, non-zero):
 * fills digits (NUL-terminated, no trailing zeros, at least one digit) and
 * returns the decimal exponent of the first digit, so that |v| is
 * d.ddd x 10^exp.
 */
static int
shortest_digits(double v, char *digits, size_t dlen)
{
	char	 tmp[40], *p, *e;
	size_t	 n = 0;
	int	 prec, exp10;

	for (prec = 1; prec <= 17; prec++) {
		(void)snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	e = strchr(tmp, 'e');
	exp10 = (int)strtol(e + 1, NULL, 10);
	for (p = tmp; p < e && n + 1 < dlen; p++) {
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	}
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	return (exp10);
}

void
yaml_float(struct buf *out, double v)
{
	char	 digits[32] = "";
	size_t	 nd, i;
	int	 exp10;

	if (isnan(v)) {
		buf_puts(out, ".nan");
		return;
	}
	if (isinf(v)) {
		buf_puts(out, v < 0 ? "-.inf" : ".inf");
		return;
	}
	if (signbit(v))
		buf_putc(out, '-');
	if (v == 0) {
		buf_puts(out, "0.0");
		return;
	}
	exp10 = shortest_digits(fabs(v), digits, sizeof(digits));
	nd = strlen(digits);

	if (exp10 < -4 || exp10 >= 16) {
		/* 5.04e-05; a lone digit gets ".0" (1.0e+16). */
		buf_putc(out, digits[0]);
		buf_putc(out, '.');
		buf_puts(out, nd > 1 ? digits + 1 : "0");
		buf_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
	} else if (exp10 < 0) {
		/* 0.00271065 */
		buf_puts(out, "0.");
		for (i = 1; i < (size_t)-exp10; i++)
			buf_putc(out, '0');
		buf_puts(out, digits);
	} else {
		/* 12.5, 1500.0 */
		for (i = 0; i <= (size_t)exp10; i++)
			buf_putc(out, i < nd ? digits[i] : '0');
		buf_putc(out, '.');
		buf_puts(out, nd > (size_t)exp10 + 1 ? digits + exp10 + 1 :
		    "0");
	}
}
