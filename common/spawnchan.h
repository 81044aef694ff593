/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * spawnchan.h: the datagrams of the spawn channel between articlegen and
 * its fork server (docs/PROTOCOL.md, "The fork server"): one protocol
 * message (proto.h) per SOCK_SEQPACKET datagram, a request carrying the
 * new worker's three descriptors (SCM_RIGHTS).  Both ends use this; the
 * server is worker/forkserver.c, the client orchestrator/spawn.c.
 */
#ifndef SPAWNCHAN_H
#define SPAWNCHAN_H

#include <stddef.h>

struct json_object;

#define SPAWNCHAN_DGRAM_MAX	4096	/* one request or reply */
#define SPAWNCHAN_NFDS		3	/* stdin, stdout, stderr */

/* Send msg (moved in) as one datagram with nfds descriptors.  0 or -1. */
int	spawnchan_send(int sock, struct json_object *msg, const int *fds,
	    int nfds);
/*
 * Receive one datagram into buf (NUL-terminated, without a final '\n')
 * and up to SPAWNCHAN_NFDS descriptors, which the caller then owns.
 * Returns 1, 0 at EOF, or -1 with errno set (EMSGSIZE for a truncated
 * datagram or descriptor list: its descriptors are closed).
 */
int	spawnchan_recv(int sock, char *buf, size_t bufsz, size_t *lenp,
	    int *fds, int *nfds);
/* close(2) each of fds[0..nfds-1]. */
void	spawnchan_close_fds(int *fds, int nfds);

#endif /* SPAWNCHAN_H */
