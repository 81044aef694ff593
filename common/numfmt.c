/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * numfmt.c: owns the formatting of doubles in their shortest form.
 * json-c writes doubles with "%.17g", which shows binary rounding noise;
 * the report and the ledger use the form here instead.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "numfmt.h"

/* v with prec significant digits, kept a double for a reader: "2.0". */
static char *
format_digits(char *buf, size_t len, double v, int prec)
{
	(void)snprintf(buf, len, "%.*g", prec, v);
	if (strpbrk(buf, ".e") == NULL && strlen(buf) + 3 <= len)
		(void)strlcat(buf, ".0", len);
	return (buf);
}

char *
numfmt_shortest(char *buf, size_t len, double v)
{
	int	prec;

	if (!isfinite(v)) {
		(void)snprintf(buf, len, "null");
		return (buf);
	}
	for (prec = 15; prec < 17; prec++)
		if (strtod(format_digits(buf, len, v, prec), NULL) == v)
			return (buf);
	return (format_digits(buf, len, v, 17));
}

char *
numfmt_amount(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		(void)snprintf(buf, len, "null");
		return (buf);
	}
	return (format_digits(buf, len, v, 15));
}

struct json_object *
numfmt_json_double(double v)
{
	char	buf[NUMFMT_MAX];

	if (!isfinite(v))
		return (NULL);
	return (json_object_new_double_s(v, numfmt_amount(buf, sizeof(buf),
	    v)));
}
