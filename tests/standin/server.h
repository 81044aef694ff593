/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * server.h: the connection side of llm-standin: one poll() loop over a
 * listening socket and many non-blocking HTTP/1.1 keep-alive connections,
 * each with its own reply timer, so that slow replies never hold up the
 * others.  What to answer is decided by api.c.
 */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>

struct api;
struct server;

struct server *server_new(int, struct api *, size_t);
void	 server_free(struct server *);
int	 server_run(struct server *, int);

#endif /* SERVER_H */
