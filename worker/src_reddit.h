/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_reddit.h: the Reddit collector: hot posts of configured subreddits
 * through the OAuth client-credentials ("application only") flow.
 */
#ifndef SRC_REDDIT_H
#define SRC_REDDIT_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct source_ctx;
struct source_settings;
struct source_stats;

/* Where self posts live, before their permalink. */
#define REDDIT_SITE	"https://www.reddit.com"

/*
 * Parse an access-token reply.  Returns the token (owned), or NULL with
 * errbuf when the reply carries none or its type is not bearer.
 */
char	*reddit_parse_token(const char *body, size_t len, char *errbuf,
	    size_t errlen);

/*
 * Parse a Listing of posts and append the kept ones to items until
 * items holds max: stickied, over-18 and removed posts, and self posts
 * whose text is shorter than 50 characters, are dropped (st_dropped).  A
 * link post's URL is the linked article, a self post's its permalink
 * page.  Returns the number appended, or -1 with errbuf when the reply
 * is not a Listing.
 */
int	 reddit_parse_listing(const char *body, size_t len, int64_t now,
	    struct json_object *items, size_t max, struct source_stats *st,
	    char *errbuf, size_t errlen);

/*
 * Collect ss_count posts into items (see source_collect()); returns 1,
 * with errbuf saying so, when REDDIT_CLIENT_ID or REDDIT_CLIENT_SECRET
 * is not set.
 */
int	 reddit_collect(const struct source_settings *, struct source_ctx *,
	    struct json_object *items, struct source_stats *, char *errbuf,
	    size_t errlen);

#endif /* SRC_REDDIT_H */
