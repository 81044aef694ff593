/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * sources.h: collecting stories from one source (Hacker News, Mastodon,
 * GitHub, Reddit) into items of the original's CollectedItem shape
 * (original-pipeline.md §1.3): the settings of each source, the entry
 * point a "collect" job calls, and the helpers the per-source files
 * (src_*.c) share.
 */
#ifndef SOURCES_H
#define SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "fetch.h"

struct json_object;

enum source_kind {
	SOURCE_HN = 0,
	SOURCE_MASTODON,
	SOURCE_GITHUB,
	SOURCE_REDDIT,
	SOURCE_NKINDS
};

/* The settings of one source; see docs/PIPELINE.md for names and defaults. */
struct source_settings {
	enum source_kind ss_kind;
	int		 ss_enabled;
	int		 ss_count;	/* items wanted */
	int		 ss_timeout_s;	/* per request */
	int		 ss_max_wait_s;	/* longest rate-limit wait honoured */
	char		*ss_api_url;	/* HN, GitHub, Reddit API base */
	char		*ss_auth_url;	/* Reddit token endpoint */
	char		**ss_list;	/* Mastodon instances, subreddits */
	size_t		 ss_nlist;
	int		 ss_days;	/* GitHub: created in the last N days */
	int		 ss_min_chars;	/* Mastodon: shorter posts dropped */
	int		 ss_max_chars;	/* Mastodon: longer posts dropped */
	char		*ss_client_id;	/* Reddit; never logged */
	char		*ss_client_secret; /* Reddit; never logged */
};

/* Where settings come from: getenv(3) or the caller's configuration. */
typedef const char *(*source_lookup_fn)(void *arg, const char *name);

/*
 * Fill ss with the settings of kind read through lookup (NULL: getenv).
 * Unset names take their defaults.  Returns 0, or -1 with errbuf naming
 * the setting and the bad value.  Release with source_settings_release().
 */
int	 source_settings_load(enum source_kind kind, source_lookup_fn lookup,
	    void *arg, struct source_settings *ss, char *errbuf, size_t errlen);
void	 source_settings_release(struct source_settings *);

/* "hackernews", "mastodon", "github", "reddit" (the items' source field). */
const char *source_name(enum source_kind);
/* The kind for a name; -1 when unknown. */
int	 source_lookup(const char *name, enum source_kind *);

/*
 * What a collection needs from outside: the fetcher (fetch_http, or a
 * fake in tests), how to sleep (NULL: sleep_ms) and the time it runs at
 * (stamped on the items; rate-limit resets are read against the wall
 * clock).  sc_wait_ms is the collector's own state: a wait the last
 * reply's rate-limit headers asked for before the next request.
 */
struct source_ctx {
	fetch_fn	 sc_fetch;
	void		*sc_fetch_arg;
	void		(*sc_sleep)(void *arg, int64_t ms);
	void		*sc_sleep_arg;
	int64_t		 sc_now;	/* epoch seconds: collected_at, GitHub's window */
	int64_t		 sc_wait_ms;
};

/* Counts for the log line of one collection. */
struct source_stats {
	size_t	 st_requests;
	size_t	 st_kept;
	size_t	 st_dropped;	/* parsed but filtered out */
	size_t	 st_failed;	/* requests that failed without ending the source */
	int64_t	 st_waited_ms;	/* slept for rate limits */
	char	 st_note[256];	/* the first non-fatal problem, or "" */
};

/*
 * Collect one source.  Returns 0 with *items a new json array of
 * CollectedItem objects (owned by the caller, at most ss_count of them);
 * 1 when the source is off or lacks credentials, with errbuf saying so
 * in one line and *items NULL; -1 when the source failed (an HTTP error,
 * a rate limit longer than ss_max_wait_s, a reply that is not the API's
 * shape), with errbuf naming the source, the URL and the cause.
 */
int	 source_collect(const struct source_settings *ss,
	    struct source_ctx *ctx, struct json_object **items,
	    struct source_stats *st, char *errbuf, size_t errlen);

/* ---- for the src_*.c collectors ---- */

/* The most bytes of one API reply a collector accepts. */
#define SOURCE_REPLY_MAX	(8 * 1024 * 1024)

/*
 * One API request honouring rate limits: wait first if the last reply
 * asked for it, retry a 429 or 503 after its Retry-After when that is at
 * most ss_max_wait_s (twice at most), and accept only a 2xx reply.
 * extra may be NULL.  Returns 0 with fr filled (release with
 * fetch_result_release()), or -1 with errbuf ("...: HTTP 429 (retry
 * after 30 s)", "...: HTTP 500", a transport error); *status (may be
 * NULL) receives the last HTTP status, 0 when none.
 */
int	 source_get(const struct source_settings *ss,
	    struct source_ctx *ctx, struct source_stats *st, const char *url,
	    const struct fetch_opts *extra, struct fetch_result *fr,
	    long *status, char *errbuf, size_t errlen);

/*
 * Parse len bytes as one JSON value (validated UTF-8, nothing after it).
 * Returns a new reference, or NULL with errbuf.
 */
struct json_object *source_parse_json(const char *data, size_t len,
	    char *errbuf, size_t errlen);

/*
 * A new CollectedItem object.  Strings are copied; metadata (may be
 * NULL) is moved in.  collected_at is now in UTC.
 */
struct json_object *source_item_new(const char *id, const char *title,
	    const char *content, const char *source, const char *url,
	    const char *author, int64_t now, struct json_object *metadata);

/* Borrowed getters: NULL / fallback when absent or of another type. */
const char *source_json_str(struct json_object *, const char *key);
int64_t	 source_json_int(struct json_object *, const char *key,
	    int64_t fallback);
int	 source_json_bool(struct json_object *, const char *key);

/* The title rule of §1.3: the first line, cut to 77 chars + "..." if > 80. */
char	*source_title_from_text(const char *text);

/* Note a non-fatal problem (the first one is kept). */
void	 source_note(struct source_stats *, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

#endif /* SOURCES_H */
