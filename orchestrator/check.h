/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check.h: articlegen --check, an honest account of what a run would use.
 */
#ifndef CHECK_H
#define CHECK_H

struct config;

/*
 * Print library versions, cores, the worker binary and whether it starts
 * and completes the protocol handshake, the mode a run would use and why,
 * the price table, the key's source (never the key), and with online a
 * request to the API.  Returns 0 when everything checked is usable, 1
 * otherwise.
 */
int	check_run(const struct config *, const char *worker, const char *why,
	    const char *key_from, const char *api_key, int online);

#endif /* CHECK_H */
