/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * ratelimit.c: two token buckets and a shared pause.  Pure arithmetic on
 * times the caller passes in, so it is exact to test.
 */
#include <stdint.h>

#include "ratelimit.h"

#define PAUSE_DEFAULT_MS	1000
#define PAUSE_MAX_MS		60000

void
ratelimit_init(struct ratelimit *rl, long rpm, long tpm, int64_t now_ms)
{
	rl->rl_rpm = rpm > 0 ? (double)rpm : 0;
	rl->rl_tpm = tpm > 0 ? (double)tpm : 0;
	rl->rl_req = rl->rl_rpm;	/* a full minute's budget to start */
	rl->rl_tok = rl->rl_tpm;
	rl->rl_last_ms = now_ms;
	rl->rl_pause_until = 0;
	rl->rl_grants = 0;
	rl->rl_waits = 0;
}

static void
refill(struct ratelimit *rl, int64_t now_ms)
{
	double	dt = (double)(now_ms - rl->rl_last_ms);

	if (dt <= 0)
		return;
	rl->rl_last_ms = now_ms;
	if (rl->rl_rpm > 0) {
		rl->rl_req += dt * rl->rl_rpm / 60000.0;
		if (rl->rl_req > rl->rl_rpm)
			rl->rl_req = rl->rl_rpm;
	}
	if (rl->rl_tpm > 0) {
		rl->rl_tok += dt * rl->rl_tpm / 60000.0;
		if (rl->rl_tok > rl->rl_tpm)
			rl->rl_tok = rl->rl_tpm;
	}
}

int64_t
ratelimit_reserve(struct ratelimit *rl, long tokens, int64_t now_ms)
{
	double	wait = 0, w;

	refill(rl, now_ms);
	if (rl->rl_rpm > 0) {
		rl->rl_req -= 1;
		if (rl->rl_req < 0) {
			w = -rl->rl_req * 60000.0 / rl->rl_rpm;
			if (w > wait)
				wait = w;
		}
	}
	if (rl->rl_tpm > 0 && tokens > 0) {
		/* one request may never need more than a minute's budget */
		double	t = (double)tokens > rl->rl_tpm ? rl->rl_tpm :
		    (double)tokens;

		rl->rl_tok -= t;
		if (rl->rl_tok < 0) {
			w = -rl->rl_tok * 60000.0 / rl->rl_tpm;
			if (w > wait)
				wait = w;
		}
	}
	if (rl->rl_pause_until > now_ms &&
	    (double)(rl->rl_pause_until - now_ms) > wait)
		wait = (double)(rl->rl_pause_until - now_ms);
	rl->rl_grants++;
	if (wait > 0)
		rl->rl_waits++;
	return ((int64_t)(wait + 0.999));
}

void
ratelimit_pause(struct ratelimit *rl, int64_t retry_after_ms, int64_t now_ms)
{
	int64_t	ms = retry_after_ms >= 0 ? retry_after_ms : PAUSE_DEFAULT_MS;

	if (ms > PAUSE_MAX_MS)
		ms = PAUSE_MAX_MS;
	if (now_ms + ms > rl->rl_pause_until)
		rl->rl_pause_until = now_ms + ms;
}
