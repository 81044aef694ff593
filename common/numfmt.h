/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * numfmt.h: numbers written for people and for other programs (the
 * report, the cost ledger) in their shortest form that reads back as the
 * same double: 0.001106, not 0.0011059999999999998.
 */
#ifndef NUMFMT_H
#define NUMFMT_H

#include <stddef.h>

struct json_object;

#define NUMFMT_MAX	32	/* enough for any double */

/*
 * Write v into buf (len >= NUMFMT_MAX) with the fewest significant
 * digits (15, 16 or 17) that strtod() turns back into v, always with a
 * '.' or an exponent ("2.0", "0.001106", "1e-07").  NaN and infinities
 * are written as "null".  Returns buf.
 */
char	*numfmt_shortest(char *buf, size_t len, double v);

/*
 * A json-c double that serializes as numfmt_shortest() writes it; JSON
 * null (NULL) for NaN and infinities, which JSON cannot hold.  Owned by
 * the caller, as json_object_new_double()'s result is.
 */
struct json_object *numfmt_json_double(double v);

#endif /* NUMFMT_H */
