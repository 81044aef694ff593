/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * spawnchan.c: one protocol message per datagram, with descriptors
 * attached (spawnchan.h).  No process is created here.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "proto.h"
#include "spawnchan.h"

union fds_cmsg {
	struct cmsghdr	h;
	char		b[CMSG_SPACE(sizeof(int) * SPAWNCHAN_NFDS)];
};

/* Send msg (moved in) as one datagram with nfds descriptors. 0 or -1. */
int
spawnchan_send(int sock, struct json_object *msg, const int *fds, int nfds)
{
	union fds_cmsg	 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	char		*line;
	size_t		 len;
	ssize_t		 n;

	if ((line = proto_encode(msg, &len)) == NULL)
		return (-1);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = line;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(&cm.h), fds, sizeof(int) * (size_t)nfds);
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	free(line);
	return (n == (ssize_t)len ? 0 : -1);
}

void
spawnchan_close_fds(int *fds, int nfds)
{
	int	i;

	for (i = 0; i < nfds; i++)
		(void)close(fds[i]);
}

/*
 * Receive one datagram into buf (NUL-terminated, without a final '\n')
 * and up to SPAWNCHAN_NFDS descriptors, which the caller then owns.
 * Returns 1, 0 at EOF, or -1 with errno set (EMSGSIZE for a truncated
 * datagram or descriptor list: its descriptors are closed).
 */
int
spawnchan_recv(int sock, char *buf, size_t bufsz, size_t *lenp, int *fds,
    int *nfds)
{
	union fds_cmsg	 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*c;
	ssize_t		 n;
	size_t		 k, got;

	*nfds = 0;
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = bufsz - 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return ((int)n);
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < got; k++) {
			int	fd;

			memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(fd));
			if (*nfds < SPAWNCHAN_NFDS)
				fds[(*nfds)++] = fd;
			else
				(void)close(fd);
		}
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		spawnchan_close_fds(fds, *nfds);
		*nfds = 0;
		errno = EMSGSIZE;
		return (-1);
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	*lenp = (size_t)n;
	return (1);
}

