/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_hn.h: the Hacker News collector (the Firebase API: topstories,
 * then each item).
 */
#ifndef SRC_HN_H
#define SRC_HN_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct source_ctx;
struct source_settings;
struct source_stats;

/* The page of an HN item, for text posts without a URL of their own. */
#define HN_ITEM_PAGE	"https://news.ycombinator.com/item?id="

/*
 * Parse a topstories reply (a JSON array of ids).  Returns the number of
 * ids stored in *ids (owned, at most max), or -1 with errbuf.
 */
int	 hn_parse_topstories(const char *body, size_t len, size_t max,
	    int64_t **ids, char *errbuf, size_t errlen);

/*
 * Parse one item reply into a CollectedItem.  Returns 1 with *out (owned)
 * for a live story; 0 when the item is skipped (dead, deleted, not a
 * story, no title, null), with errbuf saying why; -1 with errbuf when the
 * reply is not an item.
 */
int	 hn_parse_item(const char *body, size_t len, int64_t now,
	    struct json_object **out, char *errbuf, size_t errlen);

/* Collect ss_count stories into items (see source_collect()). */
int	 hn_collect(const struct source_settings *, struct source_ctx *,
	    struct json_object *items, struct source_stats *, char *errbuf,
	    size_t errlen);

#endif /* SRC_HN_H */
