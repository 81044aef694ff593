/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * sources.h: the source APIs llm-standin also serves for the collect and
 * enrich stages (Hacker News, Mastodon, GitHub, Reddit, linked pages) and
 * for covers (Unsplash, unsplash.c); see docs/STANDIN.md.
 */
#ifndef STANDIN_SOURCES_H
#define STANDIN_SOURCES_H

#include <stdint.h>

struct api_reply;
struct api_request;

/* Counters of the source APIs, for GET /stats. */
struct sources_stats {
	uint64_t	ss_unsplash_searches;	/* searches answered 200 */
	uint64_t	ss_unsplash_downloads;	/* pings answered 200 */
};

/*
 * When rq is for one of the source APIs or pages, fill rp (already
 * initialised by api.c), count it in st and return 1; else return 0 and
 * leave rp alone.
 */
int	 sources_handle(const struct api_request *rq, struct api_reply *rp,
	    struct sources_stats *st);
/*
 * The content of a reply to an enrichment request (response_format
 * "enrichment"): a JSON object in the schema whose research_summary
 * quotes the start of the linked page text the prompt carries, so a test
 * can see the page reach the research; with bad, one without "topics".
 * Owned by the caller.
 */
char	*sources_enrichment(const char *prompt, int bad);

#endif /* STANDIN_SOURCES_H */
