/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * prescore.h: the heuristic pre-score of a collected item
 * (original-pipeline.md §10.2): a number in [0, 1] computed from the
 * item alone, with no model call, that turns obvious noise away before
 * enrichment spends a call on it.
 */
#ifndef PRESCORE_H
#define PRESCORE_H

#include <stddef.h>

struct json_object;

/* The threshold used when none is configured (the original's). */
#define PRESCORE_THRESHOLD_DEFAULT	0.15

struct prescore_input {
	const char	*pi_title;	/* may be NULL */
	const char	*pi_content;	/* may be NULL */
	const char	*pi_url;	/* may be NULL */
	const char	*pi_source;	/* hackernews, mastodon, ...; may be NULL */
	double		 pi_engagement;	/* prescore_engagement() */
};

/*
 * The pre-score of one item, clamped to [0, 1].  When why is not NULL it
 * receives the terms that made the score ("base 0.10, length +0.12, ..."),
 * for the log.
 */
double	 prescore_compute(const struct prescore_input *, char *why,
	    size_t whylen);

/* 1 when score reaches threshold (score >= threshold). */
int	 prescore_pass(double score, double threshold);

/*
 * The engagement of a collected item (the original's CollectedItem, a
 * borrowed json object) from its metadata: points plus comments for Hacker
 * News and Reddit, favourites plus reblogs plus replies for Mastodon,
 * stars plus forks for GitHub.  0 when the metadata says nothing.
 */
double	 prescore_engagement(struct json_object *collected);

/* prescore_compute() over a collected item's own fields. */
double	 prescore_collected(struct json_object *collected, char *why,
	    size_t whylen);

#endif /* PRESCORE_H */
