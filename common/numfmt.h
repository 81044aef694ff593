/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * numfmt.h: numbers written for people and for other programs (the
 * report, the cost ledger) in their shortest form: 0.001106, not the
 * 0.0011059999999999998 that json-c's "%.17g" makes of a sum of prices.
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
 * Write v into buf (len >= NUMFMT_MAX) as the shortest decimal of at
 * most 15 significant digits (DBL_DIG), with a '.' or an exponent.  Any
 * decimal of up to 15 digits survives the trip through a double, so this
 * drops only the noise binary arithmetic adds to an amount (0.000553 +
 * 0.000553 is 0.0011059999999999998 as a double; it is written 0.001106)
 * and never a digit that was meant.  NaN and infinities are "null".
 * Returns buf.
 */
char	*numfmt_amount(char *buf, size_t len, double v);

/*
 * A json-c double that serializes as numfmt_amount() writes it; JSON
 * null (NULL) for NaN and infinities, which JSON cannot hold.  Owned by
 * the caller, as json_object_new_double()'s result is.
 */
struct json_object *numfmt_json_double(double v);

#endif /* NUMFMT_H */
