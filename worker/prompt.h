/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * prompt.h: the words sent to the model for each call of an article.
 */
#ifndef PROMPT_H
#define PROMPT_H

#include "route.h"

struct item;

enum content_type {
	CT_COMMENTARY = 0,
	CT_TUTORIAL,
	CT_NEWS,
	CT_ANALYSIS,
	CT_RESEARCH,
	CT_GENERAL,
};

/* The §3.4 content type of an item (first keyword family that matches). */
enum content_type prompt_content_type(const struct item *);
const char	*prompt_content_type_name(enum content_type);

/* The content prompt for item routed to gen.  Owned by the caller. */
char	*prompt_content(const struct item *, enum route_generator gen);
/*
 * The title prompt for a generated article body.  It always contains the
 * phrase "Return only the title".  Owned by the caller.
 */
char	*prompt_title(const struct item *, const char *content);

#endif /* PROMPT_H */
