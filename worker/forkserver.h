/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * forkserver.h: the serving half of the fork server (docs/PROTOCOL.md,
 * "The fork server"); the client half is orchestrator/spawn.c.
 *
 * Starting articlegen-worker costs a few milliseconds of CPU, nearly all
 * of it the dynamic loading of libcurl and the libraries it pulls in.  A
 * fork server is one articlegen-worker that has paid that once and forks
 * a fresh worker per request.  articlegen sends a request datagram
 * (spawnchan.h) with the new worker's stdin, stdout and stderr attached;
 * the server forks twice, so that the worker's parent exits and the
 * worker is re-parented to articlegen, which has made itself a child
 * subreaper; the reply names the worker's pid.  articlegen then
 * supervises that worker exactly like one it started with fork and exec.
 */
#ifndef FORKSERVER_H
#define FORKSERVER_H

/*
 * What a forked worker runs, with the fds of its request on 0, 1 and 2 and
 * nothing else open.  It returns the worker's exit status.
 */
typedef int (*forkserver_child_fn)(void *arg, int slot, int verbose);

/*
 * The server: answer spawn requests on sock until articlegen closes it.
 * Returns 0 at EOF, or -1 (logged) when the socket fails.  A request that
 * cannot be served gets an error reply; the server goes on.
 */
int	forkserver_serve(int sock, forkserver_child_fn fn, void *arg);

#endif /* FORKSERVER_H */
