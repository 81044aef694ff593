/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * article_kind.h: the "article" job kind, the supervisor's half
 * (article_kind in job.h): an article's input is an item of the enriched
 * file and the run's settings, its outcome the article written
 * (struct gen_result).  The worker's half is worker/article_job.c.
 */
#ifndef ARTICLE_KIND_H
#define ARTICLE_KIND_H

#include <stddef.h>

#include "gen.h"
#include "wire.h"

struct item;
struct job;

/* The settings every article of a run shares (strings borrowed). */
struct article_settings {
	struct gen_settings	 as_gs;		/* gs_replace_path: per job */
	struct wire_api		 as_api;
};

/* One article's input (pointers borrowed). */
struct article_input {
	const struct item		*ai_item;
	size_t				 ai_index;	/* in the item set */
	const char			*ai_replace;	/* --force target */
	const char			*ai_kept_fm;	/* keptfm.h, or NULL */
	const struct article_settings	*ai_settings;
};

/* j's input and item; j must be an article. */
const struct article_input *article_input(const struct job *j);
const struct item	*article_item(const struct job *j);
/* The article written (a done job), or NULL. */
const struct gen_result	*article_result(const struct job *j);

#endif /* ARTICLE_KIND_H */
