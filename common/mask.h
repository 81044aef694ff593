/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * mask.h: keeps credentials out of what is printed.  Text that came from a
 * server (an error message may echo the key it was sent) and URLs that may
 * carry user:password@ go through here before they are logged, shown or
 * written to a report.
 */
#ifndef MASK_H
#define MASK_H

#include <stddef.h>

/* What a masked key reads as. */
#define MASK_KEY	"sk-***"

/*
 * Mask, in place, every occurrence of key (when not NULL or empty) and
 * everything that looks like an OpenAI-style key: "sk-" not preceded by a
 * letter, digit, '-' or '_', followed by at least MASK_MIN_TAIL letters,
 * digits, '-' or '_'.  Each becomes MASK_KEY (a key shorter than MASK_KEY
 * becomes as many '*').  The string never grows.  Returns the number of
 * secrets masked.  s may be NULL (returns 0).
 */
#define MASK_MIN_TAIL	8
size_t	mask_secrets(char *s, const char *key);

/*
 * A copy of url with the user information of its authority ("user:pw@"
 * in "https://user:pw@host/v1") replaced by "***", and mask_secrets()
 * applied to the rest (a key in a query string).  A URL without a scheme
 * is read as starting with its authority, as curl does.  Owned by the
 * caller; NULL only when url is NULL.
 */
char	*url_redact_userinfo(const char *url);

#endif /* MASK_H */
