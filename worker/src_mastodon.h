/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_mastodon.h: the Mastodon collector (trending statuses of each
 * configured instance, the public timeline as fallback; no token).
 */
#ifndef SRC_MASTODON_H
#define SRC_MASTODON_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct source_ctx;
struct source_settings;
struct source_stats;

/*
 * Parse a reply holding an array of Status entities from instance (its
 * base URL) and append the statuses that pass the filters to items,
 * until items holds max: reblogs are unwrapped; replies, posts starting
 * with a mention, non-English posts (a language other than en*), posts
 * that are not public, and posts shorter than ss_min_chars or longer than
 * ss_max_chars characters of text are dropped (counted in st_dropped).
 * kind is "trends" or "public", kept in the metadata.  Returns the number
 * appended, or -1 with errbuf when the reply is not an array of objects.
 */
int	 mastodon_parse_statuses(const char *body, size_t len,
	    const char *instance, const char *kind,
	    const struct source_settings *ss, int64_t now,
	    struct json_object *items, size_t max, struct source_stats *st,
	    char *errbuf, size_t errlen);

/* Collect ss_count statuses into items (see source_collect()). */
int	 mastodon_collect(const struct source_settings *, struct source_ctx *,
	    struct json_object *items, struct source_stats *, char *errbuf,
	    size_t errlen);

#endif /* SRC_MASTODON_H */
