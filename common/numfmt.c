/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * numfmt.c: owns the shortest round-trip formatting of doubles.  json-c
 * writes doubles with "%.17g", which shows binary rounding noise; the
 * report and the ledger use the form here instead.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "numfmt.h"

char *
numfmt_shortest(char *buf, size_t len, double v)
{
	int	prec;

	if (!isfinite(v)) {
		(void)snprintf(buf, len, "null");
		return (buf);
	}
	for (prec = 15; prec <= 17; prec++) {
		(void)snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* a double stays a double for a reader: 2.0, not 2 */
	if (strpbrk(buf, ".e") == NULL && strlen(buf) + 3 <= len)
		(void)strlcat(buf, ".0", len);
	return (buf);
}

struct json_object *
numfmt_json_double(double v)
{
	char	buf[NUMFMT_MAX];

	if (!isfinite(v))
		return (NULL);
	return (json_object_new_double_s(v, numfmt_shortest(buf, sizeof(buf),
	    v)));
}
