/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fault.h: the scripted fault queue of llm-standin.  Tests describe how
 * the next chat requests should fail with a short comma-separated list
 * ("2*status:500,rate:3,ok"); each chat request takes one entry, in
 * arrival order, and an empty queue means "answer normally".
 */
#ifndef FAULT_H
#define FAULT_H

#include <stddef.h>
#include <stdint.h>

enum fault_kind {
	FAULT_OK = 0,		/* a normal reply */
	FAULT_STATUS,		/* error reply with status f_arg */
	FAULT_RATE,		/* 429 rate limit, Retry-After f_arg seconds */
	FAULT_QUOTA,		/* 429 insufficient_quota */
	FAULT_HANG,		/* never reply, keep the connection */
	FAULT_MALFORMED,	/* 200 with a body that is not JSON */
	FAULT_TRUNCATED,	/* Content-Length larger than what is sent */
	FAULT_EMPTY,		/* a completion whose content is "" */
	FAULT_SLOW,		/* normal reply after f_arg ms */
	FAULT_CLOSE,		/* close the connection without a reply */
	FAULT_BIG,		/* a completion whose content is 12 MiB */
	/* replies that must not become articles */
	FAULT_LENGTH,		/* half the text, finish_reason "length" */
	FAULT_FILTERED,		/* part of the text, "content_filter" */
	FAULT_REFUSAL,		/* content null, a "refusal" member */
	FAULT_SORRY,		/* content that is only an apology */
	FAULT_PARTS,		/* content as an array of text parts */
	FAULT_PARTS_REFUSAL,	/* content parts holding a refusal part */
	FAULT_SHORT,		/* a two-sentence article */
	FAULT_NO_CHOICES,	/* 200 with "choices": [] */
	FAULT_KEY_ECHO,		/* 401 whose message quotes the bearer key */
	FAULT_DIAGRAM_INVALID,	/* a diagram request gets a broken diagram */
	FAULT_DIAGRAM_REJECT,	/* a validation request gets ok: false */
	FAULT_BADSCHEMA,	/* an enrichment reply missing "topics" */
	FAULT_HOSTILE,		/* an article carrying hostile raw HTML */
};

struct fault {
	enum fault_kind	 f_kind;
	int64_t		 f_arg;		/* status code, seconds or ms */
};

struct fault_queue;

struct fault_queue *fault_queue_new(void);
void	 fault_queue_free(struct fault_queue *);
int	 fault_queue_set(struct fault_queue *, const char *, size_t,
	    char *, size_t);
void	 fault_queue_pop(struct fault_queue *, struct fault *);
uint64_t fault_queue_pending(const struct fault_queue *);
void	 fault_name(const struct fault *, char *, size_t);

#endif /* FAULT_H */
