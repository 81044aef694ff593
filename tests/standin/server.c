/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * server.c: the event loop of llm-standin, the project's local stand-in
 * for the OpenAI Chat Completions API.  A single thread polls the
 * listening socket, a signal pipe and every connection.  A connection
 * reads one request at a time into a capped buffer, hands it to api.c,
 * then waits on its own deadline before the reply is written through a
 * per-connection output buffer; the poll timeout is the nearest
 * deadline, so hundreds of delayed replies run side by side without
 * sleeping.  Keep-alive, pipelining, "Expect: 100-continue", partial
 * writes and peers that vanish mid-request are all handled here.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "log.h"
#include "server.h"
#include "util.h"
#include "xmalloc.h"

#define SRV_HEAD_MAX		(64 * 1024)
#define SRV_BODY_MAX		(8 * 1024 * 1024)
#define SRV_IN_MAX		(SRV_HEAD_MAX + SRV_BODY_MAX)
#define SRV_IN_KEEP		(256 * 1024)
#define SRV_OUT_KEEP		(256 * 1024)
#define SRV_READ_CHUNK		(64 * 1024)
#define SRV_READS_PER_PASS	4
#define SRV_ACCEPTS_PER_PASS	64
#define SRV_LINGER_MS		2000
#define SRV_ACCEPT_PAUSE_MS	100
#define SRV_CONTINUE		"HTTP/1.1 100 Continue\r\n\r\n"

enum conn_state {
	CONN_READING = 0,	/* waiting for (the rest of) a request */
	CONN_WAITING,		/* reply decided, its deadline not reached */
	CONN_WRITING,		/* reply queued, output not yet flushed */
	CONN_HANGING,		/* "hang" fault: never answer */
	CONN_LINGER,		/* output done, write side shut, draining */
	CONN_DEAD,		/* to be closed and freed */
};

/* The parsed head of the request being read. */
struct http_head {
	char		 h_method[16];
	char		*h_target;	/* owned */
	char		*h_auth;	/* owned; NULL when absent */
	char		*h_host;	/* owned; NULL when absent */
	int64_t		 h_clen;
	int		 h_minor;	/* HTTP/1.h_minor */
	int		 h_keepalive;
	int		 h_expect;	/* "Expect: 100-continue" */
	int		 h_chunked;	/* any Transfer-Encoding */
	int		 h_expect_bad;	/* another expectation */
};

struct conn {
	int		 c_fd;
	enum conn_state	 c_state;
	int		 c_eof;		/* the peer will send no more */
	int		 c_close;	/* close once the reply is out */
	int		 c_continued;	/* "100 Continue" already sent */
	int		 c_pfd;		/* index in the pollfd array, or -1 */

	char		*c_in;		/* received, not yet consumed */
	size_t		 c_inlen;
	size_t		 c_incap;
	size_t		 c_scan;	/* next offset to look for the head end */
	size_t		 c_hdrlen;	/* bytes of the parsed head; 0: none */
	int		 c_has_head;
	struct http_head c_head;

	struct api_reply c_reply;	/* valid in CONN_WAITING */
	int64_t		 c_due;		/* when to act on c_reply */
	int64_t		 c_due_us;	/* the same, in microseconds */
	int64_t		 c_linger_until;

	char		*c_out;		/* queued output */
	size_t		 c_outlen;
	size_t		 c_outoff;	/* bytes of it already sent */
	size_t		 c_outcap;
};

struct server {
	int		  s_lfd;
	struct api	 *s_api;
	struct conn	**s_conns;	/* in accept order */
	size_t		  s_nconns;
	size_t		  s_capconns;
	size_t		  s_maxconns;
	struct pollfd	 *s_pfds;
	size_t		  s_cappfds;
	int64_t		  s_accept_resume;	/* paused until then */
	int64_t		  s_spin_due;	/* the deadline waited for actively */
	char		 *s_scratch;	/* SRV_READ_CHUNK bytes to discard into */
};

/*
 * Take ownership of the listening socket lfd (non-blocking) and serve
 * replies decided by api (borrowed) on at most maxconns connections.
 * Never returns NULL.
 */
struct server *
server_new(int lfd, struct api *api, size_t maxconns)
{
	struct server	*srv;

	srv = xcalloc(1, sizeof(*srv));
	srv->s_lfd = lfd;
	srv->s_api = api;
	srv->s_maxconns = maxconns > 0 ? maxconns : 1;
	srv->s_scratch = xmalloc(SRV_READ_CHUNK);
	return (srv);
}

static void
http_head_release(struct http_head *h)
{
	free(h->h_target);
	free(h->h_auth);
	free(h->h_host);
	memset(h, 0, sizeof(*h));
}

/* Close the connection's socket and free everything it holds. */
static void
conn_free(struct conn *c)
{
	if (c->c_fd != -1 && close(c->c_fd) == -1 && errno != EINTR)
		log_warn("close connection");
	c->c_fd = -1;
	http_head_release(&c->c_head);
	api_reply_release(&c->c_reply);
	free(c->c_in);
	free(c->c_out);
	free(c);
}

void
server_free(struct server *srv)
{
	size_t	i;

	if (srv == NULL)
		return;
	for (i = 0; i < srv->s_nconns; i++)
		conn_free(srv->s_conns[i]);
	if (srv->s_lfd != -1)
		(void)close(srv->s_lfd);
	free(srv->s_conns);
	free(srv->s_pfds);
	free(srv->s_scratch);
	free(srv);
}

/* Queue len bytes of s for sending.  Our own output: x* allocation. */
static void
conn_out(struct conn *c, const char *s, size_t len)
{
	size_t	need, cap;

	if (len == 0)
		return;
	need = c->c_outlen + len;
	if (need > c->c_outcap) {
		cap = c->c_outcap > 0 ? c->c_outcap : 4096;
		while (cap < need)
			cap *= 2;
		c->c_out = xreallocarray(c->c_out, cap, 1);
		c->c_outcap = cap;
	}
	memcpy(c->c_out + c->c_outlen, s, len);
	c->c_outlen += len;
}

/*
 * Send as much queued output as the socket takes.  Returns 0 (all sent,
 * or the socket is full and POLLOUT will tell when to go on), or -1 when
 * the peer is gone or the socket failed.
 */
static int
conn_flush(struct conn *c)
{
	ssize_t	n;

	while (c->c_outoff < c->c_outlen) {
		n = send(c->c_fd, c->c_out + c->c_outoff,
		    c->c_outlen - c->c_outoff, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			if (errno != EPIPE && errno != ECONNRESET)
				log_warn("send");
			return (-1);
		}
		c->c_outoff += (size_t)n;
	}
	c->c_outoff = c->c_outlen = 0;
	if (c->c_outcap > SRV_OUT_KEEP) {
		free(c->c_out);
		c->c_out = NULL;
		c->c_outcap = 0;
	}
	return (0);
}

/* 1 when new input is only read to notice EOF, and then thrown away. */
static int
conn_discards(const struct conn *c)
{
	return (c->c_close || c->c_state == CONN_HANGING ||
	    c->c_state == CONN_LINGER);
}

/*
 * Read what the socket has, a few chunks at most so that one busy peer
 * cannot starve the others.  Sets c_eof at end of stream.  The input
 * buffer never grows past SRV_IN_MAX; it uses plain realloc since the
 * peer decides its size.  Returns 0, or -1 when the connection failed.
 */
static int
conn_read(struct server *srv, struct conn *c)
{
	char	*dst, *p;
	size_t	 want, cap;
	ssize_t	 n;
	int	 i;

	for (i = 0; i < SRV_READS_PER_PASS && !c->c_eof; i++) {
		if (conn_discards(c)) {
			dst = srv->s_scratch;
			want = SRV_READ_CHUNK;
		} else {
			if (c->c_inlen == SRV_IN_MAX)
				return (0);
			want = MIN(SRV_READ_CHUNK, SRV_IN_MAX - c->c_inlen);
			if (c->c_inlen + want > c->c_incap) {
				cap = c->c_incap > 0 ? c->c_incap : 4096;
				while (cap < c->c_inlen + want)
					cap *= 2;
				cap = MIN(cap, SRV_IN_MAX);
				if ((p = realloc(c->c_in, cap)) == NULL) {
					log_warn("connection input");
					return (-1);
				}
				c->c_in = p;
				c->c_incap = cap;
			}
			dst = c->c_in + c->c_inlen;
		}
		n = read(c->c_fd, dst, want);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			if (errno != ECONNRESET)
				log_warn("read");
			return (-1);
		}
		if (n == 0)
			c->c_eof = 1;
		else if (dst != srv->s_scratch)
			c->c_inlen += (size_t)n;
	}
	return (0);
}

/* Drop the first n bytes of input. */
static void
conn_consume(struct conn *c, size_t n)
{
	memmove(c->c_in, c->c_in + n, c->c_inlen - n);
	c->c_inlen -= n;
	c->c_scan = 0;
	if (c->c_inlen == 0 && c->c_incap > SRV_IN_KEEP) {
		free(c->c_in);
		c->c_in = NULL;
		c->c_incap = 0;
	}
}

/* Case-insensitive: does the comma-separated list s contain token? */
static int
http_has_token(const char *s, const char *token)
{
	size_t	n = strlen(token), len;

	for (;;) {
		s += strspn(s, " \t,");
		if (*s == '\0')
			return (0);
		len = strcspn(s, ",");
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == n && strncasecmp(s, token, n) == 0)
			return (1);
		s += strcspn(s, ",");
	}
}

/*
 * Parse one header field (a NUL-terminated line without its end of line)
 * into h.  Returns 0, or -1 with *msg set for a 400.
 */
static int
http_parse_field(char *line, struct http_head *h, const char **msg)
{
	const char	*errstr;
	char		*colon, *v, *e;
	int64_t		 clen;

	if (*line == ' ' || *line == '\t') {
		*msg = "Folded header lines are not supported.";
		return (-1);
	}
	if ((colon = strchr(line, ':')) == NULL || colon == line ||
	    strcspn(line, " \t") < (size_t)(colon - line)) {
		*msg = "Malformed header line.";
		return (-1);
	}
	*colon = '\0';
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		continue;
	for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t'); e--)
		continue;
	*e = '\0';
	if (strcasecmp(line, "Content-Length") == 0) {
		if (*v < '0' || *v > '9' || strspn(v, "0123456789") != strlen(v)) {
			*msg = "Invalid Content-Length.";
			return (-1);
		}
		clen = strtonum(v, 0, INT64_MAX, &errstr);
		if (errstr != NULL) {
			/* Only absurdly large values get here. */
			clen = INT64_MAX;
		}
		if (h->h_clen != -1 && h->h_clen != clen) {
			*msg = "Conflicting Content-Length headers.";
			return (-1);
		}
		h->h_clen = clen;
	} else if (strcasecmp(line, "Transfer-Encoding") == 0)
		h->h_chunked = 1;
	else if (strcasecmp(line, "Connection") == 0) {
		if (http_has_token(v, "close"))
			h->h_keepalive = 0;
		else if (http_has_token(v, "keep-alive"))
			h->h_keepalive = 1;
	} else if (strcasecmp(line, "Expect") == 0) {
		if (strcasecmp(v, "100-continue") == 0)
			h->h_expect = 1;
		else
			h->h_expect_bad = 1;
	} else if (strcasecmp(line, "Authorization") == 0) {
		free(h->h_auth);
		h->h_auth = xstrdup(v);
	} else if (strcasecmp(line, "Host") == 0) {
		if (h->h_host != NULL) {
			*msg = "More than one Host header.";
			return (-1);
		}
		h->h_host = xstrdup(v);
	}
	return (0);
}

/*
 * Parse the request head in buf (len bytes, ending with its empty line;
 * modified in place) into h, which the caller releases.  Returns 0, or
 * -1 with the status and message of the error reply.
 */
static int
http_parse_head(char *buf, size_t len, struct http_head *h, int *status,
    const char **msg)
{
	char	*line, *next, *end = buf + len, *sp1, *sp2;
	size_t	 n;

	memset(h, 0, sizeof(*h));
	h->h_clen = -1;
	*status = 400;
	for (line = buf; line < end; line = next) {
		if ((next = memchr(line, '\n', (size_t)(end - line))) == NULL) {
			*msg = "Unterminated request head.";
			return (-1);
		}
		n = (size_t)(next++ - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		if (memchr(line, '\0', n) != NULL) {
			*msg = "NUL byte in the request head.";
			return (-1);
		}
		if (line == buf) {
			if ((sp1 = strchr(line, ' ')) == NULL ||
			    (sp2 = strchr(sp1 + 1, ' ')) == NULL ||
			    strchr(sp2 + 1, ' ') != NULL) {
				*msg = "Malformed request line.";
				return (-1);
			}
			*sp1 = *sp2 = '\0';
			if (sp1 == line || (size_t)(sp1 - line) >=
			    sizeof(h->h_method) || strspn(line,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != (size_t)(sp1 - line)) {
				*msg = "Malformed request method.";
				return (-1);
			}
			(void)strlcpy(h->h_method, line, sizeof(h->h_method));
			if (sp1[1] != '/') {
				*msg = "The request target must be a path.";
				return (-1);
			}
			h->h_target = xstrdup(sp1 + 1);
			if (strcmp(sp2 + 1, "HTTP/1.1") == 0)
				h->h_minor = 1;
			else if (strcmp(sp2 + 1, "HTTP/1.0") == 0)
				h->h_minor = 0;
			else {
				*status = 505;
				*msg = "Only HTTP/1.0 and HTTP/1.1 are "
				    "supported.";
				return (-1);
			}
			h->h_keepalive = h->h_minor == 1;
			continue;
		}
		if (n == 0)
			break;
		if (http_parse_field(line, h, msg) == -1)
			return (-1);
	}
	if (h->h_clen == -1)
		h->h_clen = 0;
	return (0);
}

/*
 * Look for the end of the request head (an empty line) in the input.
 * Returns its length including that line, or 0 when not there yet.
 */
static size_t
conn_find_head(struct conn *c)
{
	size_t	i;

	for (i = c->c_scan; i < c->c_inlen; i++) {
		if (c->c_in[i] != '\n')
			continue;
		if (i + 1 < c->c_inlen && c->c_in[i + 1] == '\n')
			return (i + 2);
		if (i + 2 < c->c_inlen && c->c_in[i + 1] == '\r' &&
		    c->c_in[i + 2] == '\n')
			return (i + 3);
	}
	c->c_scan = c->c_inlen > 3 ? c->c_inlen - 3 : 0;
	return (0);
}

/* The connections not yet marked dead. */
static size_t
server_live(const struct server *srv)
{
	size_t	i, n = 0;

	for (i = 0; i < srv->s_nconns; i++)
		if (srv->s_conns[i]->c_state != CONN_DEAD)
			n++;
	return (n);
}

/*
 * Refuse the request being read with an immediate error and close the
 * connection after it: the rest of its input cannot be framed.
 */
static void
conn_reject(struct server *srv, struct conn *c, int status, const char *msg,
    int64_t now)
{
	const char	*method = "-", *path = "-";

	if (c->c_has_head) {
		method = c->c_head.h_method;
		path = c->c_head.h_target;
	}
	api_reply_release(&c->c_reply);
	api_reject(srv->s_api, method, path, status, msg, &c->c_reply);
	http_head_release(&c->c_head);
	c->c_has_head = 0;
	c->c_hdrlen = 0;
	c->c_inlen = 0;
	c->c_close = 1;
	c->c_due = now;
	c->c_due_us = monotime_us();
	c->c_state = CONN_WAITING;
}

/*
 * Try to take one complete request from the input and hand it to the
 * api.  Returns 1 when the state changed (a reply is now pending), or 0
 * when more input is needed.
 */
static int
conn_try_request(struct server *srv, struct conn *c, int64_t now)
{
	struct api_request	 rq;
	struct http_head	*h = &c->c_head;
	const char		*msg;
	char			*path, *query = NULL;
	size_t			 hdrlen, skip, need, plen;
	int			 status;

	if (!c->c_has_head) {
		/* Blank lines before a request line are allowed. */
		for (skip = 0; skip < c->c_inlen &&
		    (c->c_in[skip] == '\r' || c->c_in[skip] == '\n'); skip++)
			continue;
		if (skip > 0)
			conn_consume(c, skip);
		if ((hdrlen = conn_find_head(c)) == 0) {
			if (c->c_inlen > SRV_HEAD_MAX) {
				conn_reject(srv, c, 431, "The request head is "
				    "too large.", now);
				return (1);
			}
			return (0);
		}
		if (hdrlen > SRV_HEAD_MAX) {
			conn_reject(srv, c, 431, "The request head is too "
			    "large.", now);
			return (1);
		}
		c->c_has_head = 1;
		c->c_hdrlen = hdrlen;
		if (http_parse_head(c->c_in, hdrlen, h, &status, &msg) == -1) {
			if (h->h_target == NULL)
				c->c_has_head = 0;
			conn_reject(srv, c, status, msg, now);
			return (1);
		}
		if (h->h_chunked) {
			conn_reject(srv, c, 411, "Chunked request bodies are "
			    "not supported; send a Content-Length.", now);
			return (1);
		}
		if (h->h_clen > SRV_BODY_MAX) {
			conn_reject(srv, c, 413, "The request body exceeds "
			    "the 8 MiB limit.", now);
			return (1);
		}
		if (h->h_expect_bad) {
			conn_reject(srv, c, 417, "Only 'Expect: 100-continue' "
			    "is supported.", now);
			return (1);
		}
	}
	need = c->c_hdrlen + (size_t)h->h_clen;
	if (c->c_inlen < need) {
		if (h->h_expect && h->h_minor == 1 && !c->c_continued) {
			conn_out(c, SRV_CONTINUE, sizeof(SRV_CONTINUE) - 1);
			c->c_continued = 1;
		}
		return (0);
	}

	plen = strcspn(h->h_target, "?#");
	path = xstrndup(h->h_target, plen);
	if (h->h_target[plen] == '?')
		query = xstrndup(h->h_target + plen + 1,
		    strcspn(h->h_target + plen + 1, "#"));
	memset(&rq, 0, sizeof(rq));
	rq.rq_method = h->h_method;
	rq.rq_path = path;
	rq.rq_query = query;
	rq.rq_host = h->h_host;
	rq.rq_auth = h->h_auth;
	rq.rq_body = c->c_in + c->c_hdrlen;
	rq.rq_bodylen = (size_t)h->h_clen;
	rq.rq_open_conns = server_live(srv);
	api_reply_release(&c->c_reply);
	api_handle(srv->s_api, &rq, &c->c_reply);
	free(path);
	free(query);

	c->c_close = !h->h_keepalive;
	http_head_release(h);
	c->c_has_head = 0;
	c->c_hdrlen = 0;
	c->c_continued = 0;
	conn_consume(c, need);
	/* to the microsecond: a reply is as late as configured, no later */
	c->c_due_us = monotime_us() + c->c_reply.rp_delay_ms * 1000;
	c->c_due = now + c->c_reply.rp_delay_ms;
	c->c_state = CONN_WAITING;
	return (1);
}

/*
 * Act on the pending reply now that its deadline has come: queue status
 * line, headers and body (or half of it), or hang, or drop the
 * connection.  The reply is recorded (stats, log) and released.
 */
static void
conn_commit(struct server *srv, struct conn *c)
{
	struct api_reply	*rp = &c->c_reply;
	struct tm		 tm;
	time_t			 t;
	char			 head[512], date[64];
	size_t			 body;
	int			 n;

	c->c_close |= c->c_eof;
	switch (rp->rp_action) {
	case API_HANG:
		api_record(srv->s_api, rp, 0);
		api_reply_release(rp);
		c->c_inlen = 0;
		c->c_state = CONN_HANGING;
		return;
	case API_CLOSE:
		api_record(srv->s_api, rp, 0);
		api_reply_release(rp);
		c->c_state = CONN_DEAD;
		return;
	case API_TRUNCATE:
		c->c_close = 1;
		body = rp->rp_bodylen / 2;
		break;
	case API_SEND:
	default:
		body = rp->rp_bodylen;
		break;
	}
	t = time(NULL);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		(void)strlcpy(date, "Thu, 01 Jan 1970 00:00:00 GMT",
		    sizeof(date));
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n"
	    "Date: %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "Connection: %s\r\n"
	    "x-request-id: req-standin-%" PRIu64 "\r\n"
	    "%s\r\n",
	    rp->rp_status, api_reason(rp->rp_status), date,
	    rp->rp_ctype != NULL ? rp->rp_ctype : "application/json",
	    rp->rp_bodylen,
	    c->c_close ? "close" : "keep-alive", rp->rp_seq, rp->rp_headers);
	if (n < 0 || (size_t)n >= sizeof(head))
		fatalx("%s: response head too long", __func__);
	conn_out(c, head, (size_t)n);
	conn_out(c, rp->rp_body, body);
	api_record(srv->s_api, rp, body);
	api_reply_release(rp);
	c->c_state = CONN_WRITING;
}

/* All output is out and the connection must end: half-close and drain. */
static void
conn_linger(struct conn *c, int64_t now)
{
	if (shutdown(c->c_fd, SHUT_WR) == -1 && errno != ENOTCONN)
		log_warn("shutdown");
	c->c_inlen = 0;
	c->c_linger_until = now + SRV_LINGER_MS;
	c->c_state = c->c_eof ? CONN_DEAD : CONN_LINGER;
}

/*
 * Move the connection's state machine as far as it can go without
 * blocking: flush output, parse requests, fire a due reply, start the
 * next request on a kept-alive connection.
 */
static void
conn_advance(struct server *srv, struct conn *c, int64_t now)
{
	for (;;) {
		if (c->c_state == CONN_DEAD)
			return;
		if (c->c_outoff < c->c_outlen) {
			if (conn_flush(c) == -1) {
				c->c_state = CONN_DEAD;
				return;
			}
			if (c->c_outoff < c->c_outlen)
				return;
		}
		switch (c->c_state) {
		case CONN_READING:
			if (conn_try_request(srv, c, now) == 0) {
				/* A "100 Continue" may have been queued. */
				if (c->c_outoff < c->c_outlen)
					continue;
				if (c->c_eof)
					c->c_state = CONN_DEAD;
				return;
			}
			break;
		case CONN_WAITING:
			if (c->c_due_us > monotime_us())
				return;
			conn_commit(srv, c);
			break;
		case CONN_WRITING:
			if (c->c_close) {
				conn_linger(c, now);
				return;
			}
			c->c_state = CONN_READING;
			break;
		case CONN_HANGING:
			if (c->c_eof)
				c->c_state = CONN_DEAD;
			return;
		case CONN_LINGER:
			if (c->c_eof || now >= c->c_linger_until)
				c->c_state = CONN_DEAD;
			return;
		case CONN_DEAD:
			return;
		}
	}
}

/* The poll events the connection waits for; 0 for none. */
static short
conn_events(const struct conn *c)
{
	short	ev = 0;

	if (c->c_state == CONN_DEAD)
		return (0);
	if (!c->c_eof && (conn_discards(c) || c->c_inlen < SRV_IN_MAX))
		ev |= POLLIN;
	if (c->c_outoff < c->c_outlen)
		ev |= POLLOUT;
	return (ev);
}

/* Accept what the listening socket has queued, within the limits. */
static void
server_accept(struct server *srv, int64_t now)
{
	struct conn	*c;
	int		 fd, i, one = 1;

	for (i = 0; i < SRV_ACCEPTS_PER_PASS &&
	    srv->s_nconns < srv->s_maxconns; i++) {
		fd = accept4(srv->s_lfd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			log_warn("accept");
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				srv->s_accept_resume = now +
				    SRV_ACCEPT_PAUSE_MS;
			return;
		}
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one)) == -1)
			log_warn("setsockopt TCP_NODELAY");
		c = xcalloc(1, sizeof(*c));
		c->c_fd = fd;
		c->c_pfd = -1;
		c->c_state = CONN_READING;
		if (srv->s_nconns == srv->s_capconns) {
			srv->s_capconns = srv->s_capconns > 0 ?
			    srv->s_capconns * 2 : 64;
			srv->s_conns = xreallocarray(srv->s_conns,
			    srv->s_capconns, sizeof(*srv->s_conns));
		}
		srv->s_conns[srv->s_nconns++] = c;
	}
}

/* Free dead connections, keeping the others in accept order. */
static void
server_reap(struct server *srv)
{
	size_t	i, j = 0;

	for (i = 0; i < srv->s_nconns; i++) {
		if (srv->s_conns[i]->c_state == CONN_DEAD)
			conn_free(srv->s_conns[i]);
		else
			srv->s_conns[j++] = srv->s_conns[i];
	}
	srv->s_nconns = j;
}

/*
 * The nearest deadline, monotonic microseconds (a reply's to the
 * microsecond; the others are in milliseconds), or -1 for none.
 */
static int64_t
server_timeout(const struct server *srv, int64_t now)
{
	const struct conn	*c;
	int64_t			 next = INT64_MAX, now_us = monotime_us();
	size_t			 i;

	for (i = 0; i < srv->s_nconns; i++) {
		c = srv->s_conns[i];
		if (c->c_state == CONN_WAITING && c->c_due_us < next)
			next = c->c_due_us;
		else if (c->c_state == CONN_LINGER &&
		    now_us + (c->c_linger_until - now) * 1000 < next)
			next = now_us + (c->c_linger_until - now) * 1000;
	}
	if (srv->s_accept_resume > now &&
	    now_us + (srv->s_accept_resume - now) * 1000 < next)
		next = now_us + (srv->s_accept_resume - now) * 1000;
	return (next == INT64_MAX ? -1 : next);
}

/*
 * A reply must leave when it is due, not when an idle CPU gets round to
 * waking up: after a long wait, a virtual machine's idle vCPU here woke
 * 0.5 to 1 ms late, which the benchmark would count against articlegen.
 * So a wait of at least SPIN_AFTER_US for a deadline ends SPIN_US early,
 * and the last SPIN_US before that same deadline are waited actively
 * (polls with a zero timeout).  Deadlines first seen closer than that, as
 * under heavy load, are waited for normally.  next is the nearest
 * deadline (monotonic us, -1 for none); returns the poll timeout (us,
 * -1 for none).
 */
#define SPIN_AFTER_US	50000
#define SPIN_US		1500

static int64_t
server_spin(struct server *srv, int64_t next)
{
	int64_t	timeout;

	if (next < 0)
		return (-1);
	timeout = next - monotime_us();
	if (timeout <= 0)
		return (0);
	if (next == srv->s_spin_due && timeout <= SPIN_US)
		return (0);
	if (timeout >= SPIN_AFTER_US) {
		srv->s_spin_due = next;
		return (timeout - SPIN_US);
	}
	return (timeout);
}

/* Empty the signal pipe. */
static void
server_drain(int fd)
{
	char	buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
}

/*
 * Serve until a byte arrives on sigfd (the signal handler's pipe).
 * Returns 0 then, or -1 if poll() itself fails.
 */
int
server_run(struct server *srv, int sigfd)
{
	struct conn	*c;
	struct pollfd	*pfd;
	int64_t		 now;
	size_t		 i, n, nold;
	short		 ev;
	struct timespec	 ts;
	int64_t		 timeout;
	int		 accepting;

	for (;;) {
		now = monotime_ms();
		timeout = server_spin(srv, server_timeout(srv, now));
		ts.tv_sec = (time_t)(timeout / 1000000);
		ts.tv_nsec = (long)(timeout % 1000000) * 1000;
		if (srv->s_cappfds < srv->s_nconns + 2) {
			srv->s_cappfds = srv->s_nconns + 64;
			srv->s_pfds = xreallocarray(srv->s_pfds,
			    srv->s_cappfds, sizeof(*srv->s_pfds));
		}
		pfd = srv->s_pfds;
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		accepting = srv->s_nconns < srv->s_maxconns &&
		    now >= srv->s_accept_resume;
		pfd[1].fd = accepting ? srv->s_lfd : -1;
		pfd[1].events = POLLIN;
		n = 2;
		for (i = 0; i < srv->s_nconns; i++) {
			c = srv->s_conns[i];
			c->c_pfd = -1;
			if ((ev = conn_events(c)) == 0)
				continue;
			c->c_pfd = (int)n;
			pfd[n].fd = c->c_fd;
			pfd[n].events = ev;
			pfd[n].revents = 0;
			n++;
		}
		pfd[0].revents = pfd[1].revents = 0;
		if (ppoll(pfd, (nfds_t)n, timeout < 0 ? NULL : &ts, NULL) ==
		    -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return (-1);
		}
		if (pfd[0].revents != 0) {
			server_drain(sigfd);
			return (0);
		}
		now = monotime_ms();
		nold = srv->s_nconns;
		for (i = 0; i < nold; i++) {
			c = srv->s_conns[i];
			if (c->c_pfd == -1)
				continue;
			if ((pfd[c->c_pfd].revents & (POLLIN | POLLHUP |
			    POLLERR)) != 0 && conn_read(srv, c) == -1)
				c->c_state = CONN_DEAD;
		}
		for (i = 0; i < nold; i++)
			conn_advance(srv, srv->s_conns[i], now);
		if ((pfd[1].revents & POLLIN) != 0)
			server_accept(srv, now);
		server_reap(srv);
	}
}
