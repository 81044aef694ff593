/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * enrich.h: the enrich stage for one collected item: the gate that costs
 * no call (already published or in cooldown, heuristic pre-score), the
 * fetch of the linked page, the one model call with its JSON schema, the
 * validation of the reply, and the enriched item in the original's
 * schema (original-pipeline.md §1.4), plus the enriched file.
 */
#ifndef ENRICH_H
#define ENRICH_H

#include <stddef.h>
#include <stdint.h>

#include "fetch.h"

struct json_object;

#define ENRICH_TEXT_MAX		(12 * 1024)	/* page text in the prompt */
#define ENRICH_CONTENT_MAX	4000		/* post text in the prompt */
#define ENRICH_PAGE_BYTES	(2 * 1024 * 1024) /* page bytes fetched */
#define ENRICH_TOPICS_MIN	5
#define ENRICH_TOPICS_MAX	7
#define ENRICH_TOPIC_CHARS	60
#define ENRICH_REASON_MAX	2000
#define ENRICH_SUMMARY_MIN	40
#define ENRICH_SUMMARY_MAX	20000

enum enrich_gate {
	ENRICH_GO = 0,		/* worth a call */
	ENRICH_SKIP_KNOWN,	/* its URL is published or in cooldown */
	ENRICH_SKIP_NOISE,	/* the pre-score is under the threshold */
	ENRICH_SKIP_BAD,	/* not a usable CollectedItem */
};

/*
 * Is a normalised URL already published or in cooldown?  The caller's
 * answer (e.g. postindex_find() || postindex_recent()); 1 for yes.
 */
typedef int (*enrich_known_fn)(void *arg, const char *normurl);

/*
 * Decide, with no call, whether collected (borrowed) deserves one:
 * ENRICH_SKIP_BAD without a string id and an http(s) url, then
 * ENRICH_SKIP_KNOWN when known (may be NULL) says its URL is known, then
 * ENRICH_SKIP_NOISE when the pre-score is under threshold, else ENRICH_GO.
 * *heuristic receives the pre-score (0 when not computed); why (may be
 * NULL) a line for the log.
 */
enum enrich_gate enrich_gate(struct json_object *collected,
	    enrich_known_fn known, void *arg, double threshold,
	    double *heuristic, char *why, size_t whylen);

/*
 * The URL whose page grounds the research: a Mastodon status's link card
 * (metadata.card_url) when there is one, else the item's URL; NULL for
 * an aggregator's own discussion page (an HN item page, a Reddit self
 * post), whose text the item already carries.  Borrowed from collected.
 */
const char *enrich_page_url(struct json_object *collected);

struct enrich_page_opts {
	long	 po_timeout_ms;		/* 0: FETCH_TIMEOUT_MS_DEFAULT */
	size_t	 po_max_bytes;		/* 0: ENRICH_PAGE_BYTES */
	long	 po_max_redirs;		/* 0: FETCH_REDIRS_DEFAULT */
	size_t	 po_text_max;		/* 0: ENRICH_TEXT_MAX */
};

/*
 * Fetch url with fetch (fetch_http or a fake; arg is its state) and turn
 * the page into text: HTML (by content type or by sniffing) through
 * htmltext.c, text/plain as it is.  Returns 0 with *text (owned, valid
 * UTF-8, at most po_text_max bytes), or -1 with errbuf (HTTP status, not
 * a text page, no text in it, transport error).
 */
int	 enrich_fetch_page(fetch_fn fetch, void *arg, const char *url,
	    const struct enrich_page_opts *, char **text, char *errbuf,
	    size_t errlen);

/* The response_format object of the call (a new reference). */
struct json_object *enrich_response_format(void);

/*
 * The Chat Completions request body for one item (owned JSON text): a
 * system and a user message written here, the post (cut to
 * ENRICH_CONTENT_MAX characters), the page text (may be NULL; cut to
 * text_max bytes, 0: ENRICH_TEXT_MAX), and enrich_response_format().
 * max_tokens 0 leaves the output cap to the server.
 */
char	*enrich_request_body(const char *model, struct json_object *collected,
	    const char *page_text, size_t text_max, int max_tokens);

/* A reply that passed validation. */
struct enrich_reply {
	double	  er_quality;
	char	 *er_reason;
	char	**er_topics;		/* lower-cased, distinct */
	size_t	  er_ntopics;
	char	 *er_summary;
};

/*
 * Validate the model's answer (the message content, a JSON text) against
 * the schema: an object with exactly quality_score (a number in [0, 1]),
 * quality_reason (a non-empty string), topics (5 to 7 distinct non-empty
 * strings) and research_summary (a string of 40+ characters).  Returns 0
 * with r filled (enrich_reply_release()), or -1 with errbuf naming the
 * field and what is wrong with it.
 */
int	 enrich_validate_content(const char *content, size_t len,
	    struct enrich_reply *r, char *errbuf, size_t errlen);

/*
 * The same for a whole Chat Completions reply body: choices[0].message
 * must hold no refusal and a content that passes
 * enrich_validate_content(), and finish_reason must not be "length".
 */
int	 enrich_parse_completion(const char *body, size_t len,
	    struct enrich_reply *r, char *errbuf, size_t errlen);
void	 enrich_reply_release(struct enrich_reply *);

/* The outcome of enrich_call(). */
enum enrich_status {
	ENRICH_OK = 0,
	ENRICH_FAILED,		/* this item failed; the others go on */
	ENRICH_RETRYABLE,	/* 429, 5xx, timeout: worth another try */
	ENRICH_FATAL,		/* 401, 403, insufficient_quota: stop, exit 69 */
};

/*
 * POST body to base_url/chat/completions with the bearer key (may be
 * NULL), through fetch, and validate the reply.  Returns ENRICH_OK with
 * r filled, or another status with errbuf (never holding the key).
 */
enum enrich_status enrich_call(fetch_fn fetch, void *arg,
	    const char *base_url, const char *api_key, const char *body,
	    long timeout_ms, struct enrich_reply *r, char *errbuf,
	    size_t errlen);

/*
 * The exit code of an enrich job that ended with status: 0, EXIT_DATAERR
 * (65) for a failed item, EXIT_TEMPFAIL (75) for a retryable one,
 * EXIT_UNAVAILABLE (69) when the API refuses the key or the quota.
 */
int	 enrich_exit_code(enum enrich_status);

/*
 * Classify an HTTP error reply of the API: ENRICH_FATAL for 401, 403 and
 * an error code or type "insufficient_quota"; ENRICH_RETRYABLE for 408,
 * 409, 429 and 5xx; ENRICH_FAILED otherwise.
 */
enum enrich_status enrich_classify(long status, const char *body,
	    size_t len);

/*
 * The enriched item (a new object in the original's EnrichedItem shape)
 * for collected (copied) and a validated reply: quality_score and
 * ai_score are the model's score, heuristic_score the pre-score,
 * related_sources the fetched page's URL when its text was used
 * (page_url, may be NULL), enriched_at now.
 */
struct json_object *enrich_item(struct json_object *collected,
	    const struct enrich_reply *r, double heuristic,
	    const char *page_url, int64_t now);

/*
 * Write items (borrowed) as dir/enriched_<YYYYmmdd_HHMMSS>.json
 * atomically: {"enriched_at", "total_items", "items"}.  Returns 0 with
 * *pathp (owned, may be NULL), or -1 with errbuf.
 */
int	 enrich_write_file(const char *dir, int64_t now,
	    struct json_object *items, char **pathp, char *errbuf,
	    size_t errlen);

#endif /* ENRICH_H */
