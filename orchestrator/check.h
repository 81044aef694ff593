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
 * request to the API.  Returns 0 ("check: ok") when a run could succeed,
 * else the exit code of the first kind of problem: 78 configuration (no
 * key where one is needed, an unusable price table or worker path), 69
 * the API refused or did not answer, 70 the worker does not start.
 */
int	check_run(const struct config *, const char *key_from,
	    const char *api_key, int online);

#endif /* CHECK_H */
