/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * preflight.h: before the first API call, that what a run writes can be
 * written: the content directory and the cost ledger.
 */
#ifndef PREFLIGHT_H
#define PREFLIGHT_H

#include <stddef.h>

/*
 * Create, fill with one block and remove a temporary file in dir, and
 * open ledger for appending (creating it and its directory as the ledger
 * would; a ledger created here is removed again).  Returns 0, or -1 with
 * errbuf naming the path and the error.
 */
int	preflight_writable(const char *dir, const char *ledger, char *errbuf,
	    size_t errlen);

#endif /* PREFLIGHT_H */
