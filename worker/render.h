/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * render.h: turns a generated article into the text of its Markdown file:
 * YAML front matter, the attribution block, the cleaned body and the
 * References section.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "route.h"

struct item;

struct render_cost {
	const char	*rc_op;		/* "content_generation", ... */
	double		 rc_amount;	/* USD */
};

struct render_input {
	const struct item	*ri_item;
	const char		*ri_title;
	const char		*ri_body;	/* cleaned by render_clean_body() */
	const char		*ri_summary;
	size_t			 ri_words;
	int			 ri_minutes;
	const char		*ri_generator;
	const char		*ri_model_content;
	const char		*ri_model_title;
	const char		*ri_run_id;	/* NULL: null */
	int64_t			 ri_date;	/* epoch seconds, UTC */
	const struct render_cost *ri_costs;
	size_t			 ri_ncosts;
	int			 ri_illustrations;
	int			 ri_draft;	/* writes draft: true */
	const char		*ri_kept_fm;	/* YAML lines kept, or NULL */
	const char		*ri_cover_fm;	/* cover lines, or NULL */
};

/*
 * Clean a model's article body so that it cannot break the page: leading
 * blank, quote (general generator) and H1 lines dropped (an H1 after a
 * kept opening quote too), later H1s made H2s, an attribution block of
 * the model's own dropped (the page gets one, ours), a references or
 * sources section written by the model removed (its links are listed in
 * ours), Hugo shortcode openers "{{<" and "{{%" neutralised, surrounding
 * whitespace trimmed.  Owned by the caller.
 */
char	*render_clean_body(const char *raw, enum route_generator gen);

/*
 * The whole file: "---\n<front matter>---\n\n<attribution><body>
 * <references>\n".  Owned by the caller.  raw_body is the model's reply
 * before cleaning (links found there are listed in References).
 */
char	*render_article(const struct render_input *, const char *raw_body);

/* "GitHub", "arXiv" or the item's source name. */
const char *render_platform_label(const struct item *);

#endif /* RENDER_H */
