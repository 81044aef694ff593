/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * unsplash.h: llm-standin's stand-in for the Unsplash API a cover comes
 * from (search, the photo, the download ping), under /unsplash/; see
 * docs/STANDIN.md.
 */
#ifndef STANDIN_UNSPLASH_H
#define STANDIN_UNSPLASH_H

#include <stddef.h>

struct api_reply;
struct api_request;
struct sources_stats;

/*
 * When path (rq's path, any /fault/... prefix already taken off by
 * sources.c) is under /unsplash/, fill rp, count it in st and return 1;
 * else return 0 and leave rp alone.
 */
int		 unsplash_handle(const struct api_request *rq,
		    const char *path, struct api_reply *rp,
		    struct sources_stats *st);

/*
 * A small baseline JPEG (32 x 32, greyscale, a diagonal ramp of 8 x 8
 * blocks), built here: SOI first, EOI last.  Owned; its length in *lenp.
 */
unsigned char	*unsplash_jpeg(size_t *lenp);

#endif /* STANDIN_UNSPLASH_H */
