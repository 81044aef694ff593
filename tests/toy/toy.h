/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * toy.h: a "toy" job kind for the tests, registered in the test build
 * only: its supervisor half (toy_kind.c, linked into the test runner) and
 * its worker half (toy_worker.c, whose kind table replaces worker/kinds.c
 * in build/toy-worker).  A toy job doubles a number, or misbehaves on
 * purpose, so that the real pool and supervisor can be seen to retry it
 * and to enforce its deadline:
 *
 *   double      the result's value is twice the input's
 *   crash_once  the first attempt (no marker file yet) creates the
 *               marker and kills its worker; the next one doubles
 *   hang        waits until the worker is told to stop, then fails as
 *               cancelled
 *   fail        an error the worker does not call retryable
 */
#ifndef TOY_H
#define TOY_H

#include "job.h"

struct toy_input {
	const char	*ti_action;
	long long	 ti_value;
	const char	*ti_marker;	/* for crash_once */
};

struct toy_outcome {
	long long	 to_value;
};

extern const struct job_kind toy_kind;

#endif /* TOY_H */
