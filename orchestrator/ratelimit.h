/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * ratelimit.h: the run's shared API budget.  articlegen owns it; every
 * worker asks before each API call (PROTO_ACQUIRE) and is told how long
 * to wait (PROTO_GRANT).  Requests per minute and tokens per minute are
 * two continuously refilled buckets; a 429 seen by anyone pauses everyone.
 */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stdint.h>

struct ratelimit {
	double		rl_rpm;		/* 0: no request limit */
	double		rl_tpm;		/* 0: no token limit */
	double		rl_req;		/* requests available (may go < 0) */
	double		rl_tok;		/* tokens available (may go < 0) */
	int64_t		rl_last_ms;	/* last refill */
	int64_t		rl_pause_until;	/* after a 429: nobody calls before */
	uint64_t	rl_grants;
	uint64_t	rl_waits;	/* grants that had to wait */
};

void	ratelimit_init(struct ratelimit *, long rpm, long tpm, int64_t now_ms);
/*
 * Reserve one request of tokens estimated tokens at now_ms.  Returns how
 * many milliseconds the caller must wait before making it (0: at once).
 * Reservations are never refused: a burst is spread out over time.
 */
int64_t	ratelimit_reserve(struct ratelimit *, long tokens, int64_t now_ms);
/* A 429 asked for retry_after_ms (< 0: unknown, 1 s assumed). */
void	ratelimit_pause(struct ratelimit *, int64_t retry_after_ms,
	    int64_t now_ms);

#endif /* RATELIMIT_H */
