/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_github.h: the GitHub collector: repositories created in the last
 * days, most starred first (the search API).
 */
#ifndef SRC_GITHUB_H
#define SRC_GITHUB_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct source_ctx;
struct source_settings;
struct source_stats;

/*
 * Parse a search/repositories reply and append its repositories to items
 * until items holds max.  A repository without a description is kept
 * (its title is then the full name alone); one without an id, a name or
 * an http(s) html_url is dropped (counted in st_dropped).  Returns the
 * number appended, or -1 with errbuf when the reply has no items array.
 */
int	 github_parse_search(const char *body, size_t len, int64_t now,
	    struct json_object *items, size_t max, struct source_stats *st,
	    char *errbuf, size_t errlen);

/* The search URL for repositories created after now - days. */
char	*github_search_url(const char *api_url, int days, int count,
	    int64_t now);

/* Collect ss_count repositories into items (see source_collect()). */
int	 github_collect(const struct source_settings *, struct source_ctx *,
	    struct json_object *items, struct source_stats *, char *errbuf,
	    size_t errlen);

#endif /* SRC_GITHUB_H */
