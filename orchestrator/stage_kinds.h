/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * stage_kinds.h: the supervisor's halves of the "collect" and "enrich"
 * job kinds (the worker's: worker/collect_job.c, worker/enrich_job.c):
 * what each job carries in, and what its result brings back.
 */
#ifndef STAGE_KINDS_H
#define STAGE_KINDS_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct job;

/* One source to collect. */
struct collect_input {
	const char		*ci_source;	/* "hackernews", ... */
	struct json_object	*ci_settings;	/* {"HN_COUNT": "30", ...}; borrowed */
	const char		*ci_spool_dir;	/* the data directory */
	int64_t			 ci_now;
};

/* What a collect job brought back: a spooled file, or a skip. */
struct collect_outcome {
	char			*co_file;	/* spooled items, or NULL */
	size_t			 co_items;
	char			*co_skipped;	/* why it was skipped, or NULL */
	char			*co_note;	/* a non-fatal problem, or NULL */
};

/* What every enrich job of a run shares. */
struct enrich_settings {
	const char	*es_model;
	const char	*es_base_url;
	const char	*es_provider;
	const char	*es_pricing_path;
	int		 es_timeout_s;
	int		 es_retries;
	int		 es_heartbeat_ms;
	int64_t		 es_now;
};

/* One collected item to enrich. */
struct enrich_input {
	struct json_object		*ei_item;	/* borrowed */
	double				 ei_heuristic;
	const struct enrich_settings	*ei_set;
};

/* An enrich job's outcome: the enriched item (owned). */
struct enrich_outcome {
	struct json_object	*eo_item;
};

const struct collect_outcome *collect_outcome(const struct job *);
const struct enrich_outcome *enrich_outcome(const struct job *);

#endif /* STAGE_KINDS_H */
