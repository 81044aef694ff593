/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * api.h: what llm-standin answers.  The server module hands over complete
 * HTTP requests; this module decides the reply (status, body, extra
 * headers, delay, or a fault such as "never answer"), numbers the
 * requests in arrival order, keeps the counters behind GET /stats and
 * writes the request log.
 */
#ifndef API_H
#define API_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct api;

struct api_config {
	const char	*ac_key;	/* expected bearer token, or NULL */
	FILE		*ac_log;	/* request log, or NULL; borrowed */
	int64_t		 ac_latency_ms;
	int64_t		 ac_jitter_ms;
};

/* A complete request; every pointer is borrowed for the call only. */
struct api_request {
	const char	*rq_method;
	const char	*rq_path;	/* the target without "?query" */
	const char	*rq_query;	/* after '?', without "#..."; or NULL */
	const char	*rq_host;	/* Host value, or NULL */
	const char	*rq_auth;	/* Authorization value, or NULL */
	const char	*rq_body;	/* not NUL-terminated */
	size_t		 rq_bodylen;
	size_t		 rq_open_conns;	/* for GET /stats */
};

enum api_action {
	API_SEND = 0,		/* send status, headers and body */
	API_TRUNCATE,		/* send half the body, then close */
	API_CLOSE,		/* close without sending anything */
	API_HANG,		/* send nothing, keep the connection */
};

#define API_HEADERS_MAX	128

/* A decided reply.  Owned by whoever called api_handle()/api_reject(). */
struct api_reply {
	uint64_t	 rp_seq;	/* 1, 2, ... in arrival order */
	enum api_action	 rp_action;
	int		 rp_status;
	int64_t		 rp_delay_ms;	/* wait this long before acting */
	char		*rp_body;	/* owned; NULL when empty */
	const char	*rp_ctype;	/* static; NULL: application/json */
	size_t		 rp_bodylen;
	char		 rp_headers[API_HEADERS_MAX];	/* "Name: v\r\n"... */
	char		 rp_method[16];
	char		*rp_path;	/* owned, for the log */
	char		*rp_model;	/* owned, for the log; may be NULL */
	char		 rp_fault[32];	/* fault token applied, or "" */
};

struct api *api_new(const struct api_config *);
void	 api_free(struct api *);
int	 api_set_faults(struct api *, const char *, size_t, char *, size_t);
void	 api_handle(struct api *, const struct api_request *,
	    struct api_reply *);
void	 api_reject(struct api *, const char *, const char *, int,
	    const char *, struct api_reply *);
void	 api_record(struct api *, const struct api_reply *, size_t);
void	 api_reply_release(struct api_reply *);
const char *api_reason(int);
const char *api_host(const struct api_request *);

#endif /* API_H */
