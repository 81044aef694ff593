/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * covermake.h: an article's cover, from the sources a setting lists, in
 * its order: "images" (the images API of the configured endpoint),
 * "unsplash" (a stock photo, when an access key is set) and "draw" (drawn
 * here with cairo).  A source that fails or is not configured falls
 * through to the next one; the first that gives an image has it written
 * to <static_dir>/images/ (cover.h).  docs/COVERS.md has the whole
 * feature.
 */
#ifndef COVERMAKE_H
#define COVERMAKE_H

#include <stddef.h>

#include "cover.h"
#include "fetch.h"

#define COVER_SOURCE_IMAGES	"images"
#define COVER_SOURCE_UNSPLASH	"unsplash"
#define COVER_SOURCE_DRAW	"draw"
#define COVER_SOURCES_DEFAULT	"unsplash,draw"
#define COVER_SOURCES_MAX	3

/*
 * Check a COVER_SOURCES value: "off" (or "none", "") or a comma list of
 * distinct sources named above.  Returns the number of sources (0 for
 * off) with their names in order in names[] (borrowed constants), or -1
 * with errbuf naming the bad entry.
 */
int	cover_sources_parse(const char *list,
	    const char *names[COVER_SOURCES_MAX], char *errbuf, size_t errlen);

struct cover_request {
	const char	*cr_sources;	/* COVER_SOURCES */
	const char	*cr_static_dir;
	const char	*cr_stem;	/* the article's file name without .md */
	const char	*cr_title;
	const char	*cr_seed;	/* the item's id or URL: the colours */
	const char	*cr_query;	/* stock photo search words */
	const char	*cr_model_image;
	const char	*cr_image_size;
	const char	*cr_image_quality;
	const char	*cr_unsplash_url;
	const char	*cr_unsplash_key;	/* NULL: no "unsplash" source */
	/*
	 * The images API call, which the caller makes and prices: POST
	 * body; 0 with the reply body in *out (owned), 1 when the call is
	 * not to be made (over the budget), -1 with errbuf set when it
	 * failed, or -2 when the article must stop (a shutdown).  NULL: no
	 * "images" source.
	 */
	int		(*cr_images)(void *arg, const char *body, char **out,
			    size_t *outlen, char *errbuf, size_t errlen);
	void		*cr_images_arg;
	/* GETs of the stock photo source; fetch_http() when NULL */
	fetch_fn	 cr_fetch;
	void		*cr_fetch_arg;
};

/* A cover written; every string owned, cover_made_release(). */
struct cover_made {
	struct cover_files	 cm_files;
	char			*cm_front_matter;	/* cover_front_matter() */
	const char		*cm_source;	/* the source used: a constant */
};

void	cover_made_release(struct cover_made *);

/*
 * Try the sources of cr in order and write the first cover one gives.
 * Each failing source is logged as a warning with its reason.  Returns 0
 * with *out filled, 1 when covers are off, -1 with errbuf saying why no
 * source gave one, or -2 when cr_images said to stop (nothing is left in
 * the static directory but by a 0).
 */
int	cover_make(const struct cover_request *cr, struct cover_made *out,
	    char *errbuf, size_t errlen);

/* Remove the files of a cover made for an article that was not published. */
void	cover_made_unlink(const struct cover_made *);

#endif /* COVERMAKE_H */
