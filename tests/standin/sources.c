/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * sources.c: canned replies of the APIs the collect stage reads, in each
 * API's documented shape, and a few HTML pages for enrichment to fetch:
 *
 *   GET  /v0/topstories.json, /v0/item/<id>.json   Hacker News (Firebase)
 *   GET  /api/v1/trends/statuses                   Mastodon trends
 *   GET  /api/v1/timelines/public                  Mastodon public timeline
 *   GET  /search/repositories                      GitHub search
 *   POST /api/v1/access_token                      Reddit token (basic auth)
 *   GET  /r/<sub>/hot                              Reddit Listing (bearer)
 *   GET  /pages/<name>.html                        linked pages
 *   GET  /unsplash/...                             Unsplash (unsplash.c)
 *
 * The replies hold the edge cases the parsers must handle: dead and
 * deleted HN items, a text post, a job, a null item; replies, a German
 * post, a too short and a too long status, a reblog, a remote author; a
 * repository without description or language; stickied, NSFW, short self
 * and link posts.
 *
 * Faults are chosen by a path prefix, so one stand-in serves healthy and
 * failing sources at once and a test needs no state: "/fault/500/..."
 * answers 500, "/fault/429/..." answers 429 with Retry-After: 1,
 * "/fault/exhausted/..." answers normally but says no request is left
 * until an hour from now, and "/notrends/..." makes the Mastodon trends
 * endpoint answer 404 (the collector then reads the public timeline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json.h>

#include "api.h"
#include "buf.h"
#include "sources.h"
#include "unsplash.h"
#include "xmalloc.h"

/* "testid:testsecret" in base64: the credentials the tests configure. */
#define SOURCES_REDDIT_BASIC	"Basic dGVzdGlkOnRlc3RzZWNyZXQ="
#define SOURCES_REDDIT_TOKEN	"standin-reddit-token"

static void
sources_reply(struct api_reply *rp, int status, const char *body)
{
	free(rp->rp_body);
	rp->rp_body = xstrdup(body);
	rp->rp_bodylen = strlen(body);
	rp->rp_status = status;
}

static void
sources_take(struct api_reply *rp, int status, struct buf *b)
{
	free(rp->rp_body);
	rp->rp_bodylen = b->b_len;
	rp->rp_body = buf_detach(b);
	rp->rp_status = status;
}

/* ---- Hacker News ---- */

static const char hn_top[] =
    "[9001,9002,9003,9004,9005,9006,9007,9999,9008]";

static const struct {
	const char	*id;
	const char	*json;
} hn_items[] = {
	{ "9001", "{\"by\":\"pgfan\",\"descendants\":188,\"id\":9001,"
	    "\"kids\":[9101,9102],\"score\":412,\"time\":1796000000,"
	    "\"title\":\"Postgres 18 ships asynchronous I/O for sequential "
	    "scans\",\"type\":\"story\",\"url\":\"https://www.postgresql.org/"
	    "about/news/postgresql-18-released/\"}" },
	{ "9002", "{\"by\":\"spammer\",\"dead\":true,\"id\":9002,\"score\":1,"
	    "\"time\":1796000100,\"title\":\"Buy followers now\","
	    "\"type\":\"story\",\"url\":\"https://spam.example/\"}" },
	{ "9003", "{\"deleted\":true,\"id\":9003,\"time\":1796000200,"
	    "\"type\":\"story\"}" },
	{ "9004", "{\"by\":\"asker\",\"descendants\":42,\"id\":9004,"
	    "\"score\":97,\"text\":\"<p>We run 300 Postgres replicas. How do "
	    "you handle failover &amp; fencing without a consensus store?"
	    "<p>Our current setup uses <i>pg_auto_failover</i>.\","
	    "\"time\":1796000300,\"title\":\"Ask HN: How do you fence "
	    "Postgres primaries?\",\"type\":\"story\"}" },
	{ "9005", "{\"by\":\"acme\",\"id\":9005,\"score\":1,"
	    "\"time\":1796000400,\"title\":\"Acme (YC W26) is hiring\","
	    "\"type\":\"job\",\"url\":\"https://acme.example/jobs\"}" },
	{ "9006", "{\"by\":\"rustacean\",\"descendants\":57,\"id\":9006,"
	    "\"score\":233,\"time\":1796000500,\"title\":\"A faster hash map "
	    "for the Linux kernel\",\"type\":\"story\",\"url\":"
	    "\"https://lwn.net/Articles/990001/\"}" },
	{ "9007", "{\"by\":\"commenter\",\"id\":9007,\"parent\":9001,"
	    "\"text\":\"Great news\",\"time\":1796000600,"
	    "\"type\":\"comment\"}" },
	{ "9008", "{\"by\":\"tinker\",\"descendants\":3,\"id\":9008,"
	    "\"score\":12,\"time\":1796000700,\"title\":\"Show HN: A tiny "
	    "TOML parser in C\",\"type\":\"story\",\"url\":"
	    "\"https://example.com/toml-c\"}" },
};

static int
sources_hn(const char *p, struct api_reply *rp)
{
	size_t	i, n;

	if (strcmp(p, "/v0/topstories.json") == 0) {
		sources_reply(rp, 200, hn_top);
		return (1);
	}
	if (strncmp(p, "/v0/item/", 9) != 0)
		return (0);
	p += 9;
	n = strcspn(p, ".");
	if (strcmp(p + n, ".json") != 0)
		return (0);
	for (i = 0; i < nitems(hn_items); i++)
		if (strlen(hn_items[i].id) == n &&
		    strncmp(hn_items[i].id, p, n) == 0) {
			sources_reply(rp, 200, hn_items[i].json);
			return (1);
		}
	/* the Firebase API answers null for an id that does not exist */
	sources_reply(rp, 200, "null");
	return (1);
}

/* ---- Mastodon ---- */

/* One Status entity; content is HTML, fields as the API documents them. */
static void
mastodon_status(struct buf *b, const char *id, const char *acct,
    const char *lang, const char *reply_to, const char *content,
    const char *card_url, int favs, int reblogs, int replies)
{
	const char	*user;

	user = acct;
	if (b->b_len > 1)
		buf_putc(b, ',');
	buf_printf(b, "{\"id\":\"%s\",\"created_at\":\"2026-12-02T10:00:00."
	    "000Z\",\"in_reply_to_id\":", id);
	if (reply_to != NULL)
		buf_printf(b, "\"%s\",\"in_reply_to_account_id\":\"77\"",
		    reply_to);
	else
		buf_puts(b, "null,\"in_reply_to_account_id\":null");
	buf_printf(b, ",\"sensitive\":false,\"spoiler_text\":\"\","
	    "\"visibility\":\"public\",\"language\":");
	if (lang != NULL)
		buf_printf(b, "\"%s\"", lang);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"uri\":\"https://social.example/users/%.*s/statuses/"
	    "%s\",\"url\":\"https://social.example/@%s/%s\","
	    "\"replies_count\":%d,\"reblogs_count\":%d,"
	    "\"favourites_count\":%d,\"content\":\"%s\",\"reblog\":null,"
	    "\"account\":{\"id\":\"1%s\",\"username\":\"%.*s\",\"acct\":\"%s\","
	    "\"display_name\":\"%s\",\"url\":\"https://social.example/@%s\"},"
	    "\"media_attachments\":[],\"mentions\":[],\"tags\":[],"
	    "\"emojis\":[],\"card\":",
	    (int)strcspn(user, "@"), user, id, acct, id, replies, reblogs,
	    favs, content, id, (int)strcspn(user, "@"), user, acct, acct, acct);
	if (card_url != NULL)
		buf_printf(b, "{\"url\":\"%s\",\"title\":\"Linked article\","
		    "\"description\":\"\",\"type\":\"link\"}", card_url);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"poll\":null}");
}

static void
mastodon_trends(struct buf *b)
{
	struct buf	long_post;
	int		i;

	buf_putc(b, '[');
	mastodon_status(b, "115600000000000001", "ops_jane", "en", NULL,
	    "<p>Wrote up how we cut our CI bill in half with a self-hosted "
	    "runner pool on spot instances: autoscaling, cache warming and "
	    "the one gotcha with ephemeral disks. <a href=\\\"https://blog."
	    "example.org/ci-runner-pool\\\" rel=\\\"nofollow noopener\\\">"
	    "<span class=\\\"invisible\\\">https://</span><span class=\\\"\\\">"
	    "blog.example.org/ci-runner-pool</span></a></p>",
	    "https://blog.example.org/ci-runner-pool", 54, 21, 6);
	mastodon_status(b, "115600000000000002", "ops_jane", "en",
	    "115600000000000001", "<p><span class=\\\"h-card\\\"><a href=\\\""
	    "https://social.example/@bob\\\">@<span>bob</span></a></span> "
	    "thanks, the cache warming part is in the second half of the "
	    "post, with the numbers.</p>", NULL, 3, 0, 1);
	mastodon_status(b, "115600000000000003", "kai", "de", NULL,
	    "<p>Neuer Artikel \\u00fcber Speicherverwaltung in Rust und warum "
	    "der Borrow-Checker uns beim Refactoring geholfen hat.</p>", NULL,
	    40, 12, 3);
	mastodon_status(b, "115600000000000004", "shorty", "en", NULL,
	    "<p>nice &amp; fast</p>", NULL, 9, 1, 0);
	buf_init(&long_post);
	buf_puts(&long_post, "<p>");
	for (i = 0; i < 80; i++)
		buf_puts(&long_post, "A very long thread about queues. ");
	buf_puts(&long_post, "</p>");
	mastodon_status(b, "115600000000000005", "verbose", "en", NULL,
	    buf_cstr(&long_post), NULL, 5, 1, 2);
	buf_release(&long_post);
	mastodon_status(b, "115600000000000006", "bob@fosstodon.org", NULL,
	    NULL, "<p>SQLite&#39;s new <code>jsonb</code> functions made our "
	    "event store 3x smaller; details and the migration script in the "
	    "write-up.<br>Benchmarks included.</p>", NULL, 120, 44, 9);
	mastodon_status(b, "115600000000000007", "ops_jane", "en", NULL,
	    "<p>@<span>alice</span> a post that begins with a mention but is "
	    "not marked as a reply to anything at all.</p>", NULL, 1, 0, 0);
	buf_putc(b, ']');
}

static void
mastodon_public(struct buf *b)
{
	buf_putc(b, '[');
	mastodon_status(b, "115600000000000101", "timeline_tom", "en", NULL,
	    "<p>Our Kubernetes operator now reconciles 10k custom resources a "
	    "minute after we batched status updates; here is how.</p>",
	    "https://tom.example/k8s-batching", 15, 4, 2);
	buf_putc(b, ']');
}

static int
sources_mastodon(const char *p, int notrends, struct api_reply *rp)
{
	struct buf	b;

	if (strcmp(p, "/api/v1/trends/statuses") == 0) {
		if (notrends) {
			sources_reply(rp, 404, "{\"error\":\"Record not "
			    "found\"}");
			return (1);
		}
		buf_init(&b);
		mastodon_trends(&b);
		sources_take(rp, 200, &b);
		(void)strlcpy(rp->rp_headers, "X-RateLimit-Limit: 300\r\n"
		    "X-RateLimit-Remaining: 299\r\n", sizeof(rp->rp_headers));
		return (1);
	}
	if (strcmp(p, "/api/v1/timelines/public") == 0) {
		buf_init(&b);
		mastodon_public(&b);
		sources_take(rp, 200, &b);
		return (1);
	}
	return (0);
}

/* ---- GitHub ---- */

static const char github_search[] =
    "{\"total_count\":3,\"incomplete_results\":false,\"items\":["
    "{\"id\":880001,\"node_id\":\"R_1\",\"name\":\"hyperfine\","
    "\"full_name\":\"sharkdp/hyperfine\",\"private\":false,"
    "\"owner\":{\"login\":\"sharkdp\",\"id\":4209276,\"type\":\"User\"},"
    "\"html_url\":\"https://github.com/sharkdp/hyperfine\","
    "\"description\":\"A command-line benchmarking tool\",\"fork\":false,"
    "\"created_at\":\"2026-11-28T09:00:00Z\",\"pushed_at\":"
    "\"2026-12-02T09:00:00Z\",\"stargazers_count\":1520,"
    "\"watchers_count\":1520,\"language\":\"Rust\",\"forks_count\":61,"
    "\"open_issues_count\":4,\"topics\":[\"benchmark\",\"cli\"],"
    "\"score\":1.0},"
    "{\"id\":880002,\"node_id\":\"R_2\",\"name\":\"nodesc\","
    "\"full_name\":\"quiet/nodesc\",\"private\":false,"
    "\"owner\":{\"login\":\"quiet\",\"id\":5,\"type\":\"User\"},"
    "\"html_url\":\"https://github.com/quiet/nodesc\",\"description\":null,"
    "\"fork\":false,\"created_at\":\"2026-11-30T09:00:00Z\","
    "\"stargazers_count\":640,\"watchers_count\":640,\"language\":null,"
    "\"forks_count\":12,\"open_issues_count\":0,\"topics\":[],"
    "\"score\":1.0},"
    "{\"id\":880003,\"node_id\":\"R_3\",\"name\":\"awesome-zig\","
    "\"full_name\":\"lists/awesome-zig\",\"private\":false,"
    "\"owner\":{\"login\":\"lists\",\"id\":6,\"type\":\"Organization\"},"
    "\"html_url\":\"https://github.com/lists/awesome-zig\","
    "\"description\":\"A curated list of awesome Zig things\","
    "\"fork\":false,\"created_at\":\"2026-11-29T09:00:00Z\","
    "\"stargazers_count\":300,\"watchers_count\":300,\"language\":null,"
    "\"forks_count\":20,\"open_issues_count\":1,\"topics\":[\"awesome\"],"
    "\"score\":1.0}]}";

/* ---- Reddit ---- */

static const char reddit_listing[] =
    "{\"kind\":\"Listing\",\"data\":{\"after\":\"t3_r5\",\"dist\":5,"
    "\"before\":null,\"children\":["
    "{\"kind\":\"t3\",\"data\":{\"id\":\"r1\",\"name\":\"t3_r1\","
    "\"subreddit\":\"SUB\",\"title\":\"Weekly questions thread\","
    "\"author\":\"AutoModerator\",\"stickied\":true,\"over_18\":false,"
    "\"is_self\":true,\"selftext\":\"Ask anything here. Ask anything "
    "here. Ask anything here.\",\"url\":\"https://www.reddit.com/r/SUB/"
    "comments/r1/weekly/\",\"permalink\":\"/r/SUB/comments/r1/weekly/\","
    "\"score\":5,\"num_comments\":40,\"upvote_ratio\":0.9,"
    "\"created_utc\":1796000000.0}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"r2\",\"name\":\"t3_r2\","
    "\"subreddit\":\"SUB\",\"title\":\"Zero-copy parsing in Rust with "
    "nom 8\",\"author\":\"parser_pat\",\"stickied\":false,"
    "\"over_18\":false,\"is_self\":false,\"selftext\":\"\","
    "\"url\":\"https://blog.example.net/zero-copy-nom\","
    "\"url_overridden_by_dest\":\"https://blog.example.net/zero-copy-nom\","
    "\"permalink\":\"/r/SUB/comments/r2/zerocopy/\",\"score\":812,"
    "\"num_comments\":95,\"upvote_ratio\":0.97,"
    "\"created_utc\":1796000100.0}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"r3\",\"name\":\"t3_r3\","
    "\"subreddit\":\"SUB\",\"title\":\"How we debugged a TCP "
    "retransmission storm\",\"author\":\"netops\",\"stickied\":false,"
    "\"over_18\":false,\"is_self\":true,\"selftext\":\"Last week our p99 "
    "latency tripled. It turned out to be a retransmission storm caused "
    "by a mistuned tcp_rmem on the load balancers; here is the whole "
    "investigation with the tcpdump traces.\",\"url\":"
    "\"https://www.reddit.com/r/SUB/comments/r3/tcp/\",\"permalink\":"
    "\"/r/SUB/comments/r3/tcp/\",\"score\":301,\"num_comments\":48,"
    "\"upvote_ratio\":0.95,\"created_utc\":1796000200.0}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"r4\",\"name\":\"t3_r4\","
    "\"subreddit\":\"SUB\",\"title\":\"help\",\"author\":\"newbie\","
    "\"stickied\":false,\"over_18\":false,\"is_self\":true,"
    "\"selftext\":\"pls help\",\"url\":\"https://www.reddit.com/r/SUB/"
    "comments/r4/help/\",\"permalink\":\"/r/SUB/comments/r4/help/\","
    "\"score\":0,\"num_comments\":1,\"upvote_ratio\":0.4,"
    "\"created_utc\":1796000300.0}},"
    "{\"kind\":\"t3\",\"data\":{\"id\":\"r5\",\"name\":\"t3_r5\","
    "\"subreddit\":\"SUB\",\"title\":\"NSFW link\",\"author\":\"someone\","
    "\"stickied\":false,\"over_18\":true,\"is_self\":false,"
    "\"selftext\":\"\",\"url\":\"https://nsfw.example/x\",\"permalink\":"
    "\"/r/SUB/comments/r5/nsfw/\",\"score\":50,\"num_comments\":3,"
    "\"upvote_ratio\":0.8,\"created_utc\":1796000400.0}}]}}";

static int
sources_reddit(const struct api_request *rq, const char *p,
    struct api_reply *rp)
{
	struct buf	 b;
	const char	*s;
	size_t		 n;

	if (strcmp(p, "/api/v1/access_token") == 0) {
		if (strcmp(rq->rq_method, "POST") != 0) {
			sources_reply(rp, 405, "{\"message\":\"Method Not "
			    "Allowed\",\"error\":405}");
			return (1);
		}
		if (rq->rq_auth == NULL ||
		    strcmp(rq->rq_auth, SOURCES_REDDIT_BASIC) != 0) {
			sources_reply(rp, 401, "{\"message\":\"Unauthorized\","
			    "\"error\":401}");
			return (1);
		}
		if (rq->rq_bodylen != strlen("grant_type=client_credentials") ||
		    memcmp(rq->rq_body, "grant_type=client_credentials",
		    rq->rq_bodylen) != 0) {
			sources_reply(rp, 200, "{\"error\":"
			    "\"unsupported_grant_type\"}");
			return (1);
		}
		sources_reply(rp, 200, "{\"access_token\":\""
		    SOURCES_REDDIT_TOKEN "\",\"token_type\":\"bearer\","
		    "\"expires_in\":86400,\"scope\":\"*\"}");
		return (1);
	}
	if (strncmp(p, "/r/", 3) != 0)
		return (0);
	s = p + 3;
	n = strcspn(s, "/");
	if (n == 0 || strcmp(s + n, "/hot") != 0)
		return (0);
	if (rq->rq_auth == NULL || strcasecmp(rq->rq_auth, "Bearer "
	    SOURCES_REDDIT_TOKEN) != 0) {
		sources_reply(rp, 401, "{\"message\":\"Unauthorized\","
		    "\"error\":401}");
		return (1);
	}
	/* the same posts in every subreddit, ids made distinct per sub */
	buf_init(&b);
	for (p = reddit_listing; *p != '\0'; p++) {
		if (strncmp(p, "SUB", 3) == 0) {
			buf_append(&b, s, n);
			p += 2;
		} else if (strncmp(p, "\"id\":\"r", 7) == 0) {
			buf_puts(&b, "\"id\":\"");
			buf_append(&b, s, n);
			buf_putc(&b, '_');
			p += 5;
		} else
			buf_putc(&b, *p);
	}
	sources_take(rp, 200, &b);
	(void)strlcpy(rp->rp_headers, "x-ratelimit-used: 1\r\n"
	    "x-ratelimit-remaining: 599.0\r\nx-ratelimit-reset: 420\r\n",
	    sizeof(rp->rp_headers));
	return (1);
}

/* ---- linked pages ---- */

static const char page_article[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Cutting CI costs with spot runners</title>"
    "<style>body{font-family:sans-serif}</style>"
    "<script>window.analytics=function(){track('view')};</script></head>"
    "<body><header><nav><a href=\"/\">Home</a> | <a href=\"/about\">About"
    "</a> | Subscribe to our newsletter</nav></header>"
    "<main><article><h1>Cutting CI costs with spot runners</h1>"
    "<p>Our CI bill fell from 41&nbsp;000 to 19&nbsp;500 dollars a month "
    "after we moved builds to a self-hosted runner pool on spot "
    "instances.</p>\n<p>The autoscaler keeps a warm pool of four runners "
    "and scales to 120 within 90 seconds; caches are restored from an "
    "object store &amp; pre-baked images.</p>"
    "<pre>runners:\n  min: 4\n  max: 120</pre>"
    "<p>The one gotcha: ephemeral disks vanish on interruption, so every "
    "job must be idempotent.</p></article></main>"
    "<aside>Related posts: ten tips for YAML</aside>"
    "<footer>Copyright 2026 Example Corp. All rights reserved."
    "<script>loadComments()</script></footer></body></html>\n";

static const char page_empty[] =
    "<!DOCTYPE html><html><head><title>Loading</title>"
    "<script>render()</script></head><body><nav>Home</nav>"
    "<noscript>Enable JavaScript</noscript></body></html>\n";

static int
sources_pages(const char *p, struct api_reply *rp)
{
	struct buf	b;
	int		i;

	if (strcmp(p, "/pages/article.html") == 0)
		sources_reply(rp, 200, page_article);
	else if (strcmp(p, "/pages/empty.html") == 0)
		sources_reply(rp, 200, page_empty);
	else if (strcmp(p, "/pages/moved.html") == 0) {
		sources_reply(rp, 301, "<html><body>Moved</body></html>");
		(void)strlcpy(rp->rp_headers, "Location: /pages/article.html"
		    "\r\n", sizeof(rp->rp_headers));
	} else if (strcmp(p, "/pages/loop.html") == 0) {
		sources_reply(rp, 302, "<html><body>Again</body></html>");
		(void)strlcpy(rp->rp_headers, "Location: /pages/loop.html\r\n",
		    sizeof(rp->rp_headers));
	} else if (strcmp(p, "/pages/elsewhere.html") == 0) {
		sources_reply(rp, 302, "<html><body>Elsewhere</body></html>");
		(void)strlcpy(rp->rp_headers, "Location: ftp://127.0.0.1/x\r\n",
		    sizeof(rp->rp_headers));
	} else if (strcmp(p, "/pages/huge.html") == 0) {
		buf_init(&b);
		buf_puts(&b, "<!DOCTYPE html><html><body>");
		for (i = 0; i < 40000; i++)
			buf_puts(&b, "<p>Paragraph of a very long page.</p>");
		buf_puts(&b, "</body></html>");
		sources_take(rp, 200, &b);
	} else
		return (0);
	return (1);
}

int
sources_handle(const struct api_request *rq, struct api_reply *rp,
    struct sources_stats *st)
{
	const char	*p = rq->rq_path;
	int		 notrends = 0, handled;
	struct {
		int	 status;
		int	 exhausted;
	} fault = { 0, 0 };

	if (strncmp(p, "/fault/500/", 11) == 0) {
		fault.status = 500;
		p += 10;
	} else if (strncmp(p, "/fault/429/", 11) == 0) {
		fault.status = 429;
		p += 10;
	} else if (strncmp(p, "/fault/exhausted/", 17) == 0) {
		fault.exhausted = 1;
		p += 16;
	}
	if (strncmp(p, "/notrends/", 10) == 0) {
		notrends = 1;
		p += 9;
	}
	if (strcmp(p, "/v0/topstories.json") != 0 &&
	    strncmp(p, "/v0/item/", 9) != 0 &&
	    strncmp(p, "/api/v1/", 8) != 0 &&
	    strcmp(p, "/search/repositories") != 0 &&
	    strncmp(p, "/r/", 3) != 0 && strncmp(p, "/pages/", 7) != 0 &&
	    strncmp(p, "/unsplash/", 10) != 0)
		return (0);
	if (fault.status == 500) {
		sources_reply(rp, 500, "{\"message\":\"Internal Server "
		    "Error\"}");
		return (1);
	}
	if (fault.status == 429) {
		sources_reply(rp, 429, "{\"message\":\"API rate limit "
		    "exceeded\"}");
		(void)strlcpy(rp->rp_headers, "Retry-After: 1\r\n"
		    "X-RateLimit-Remaining: 0\r\n", sizeof(rp->rp_headers));
		return (1);
	}
	if (strcmp(p, "/search/repositories") == 0) {
		sources_reply(rp, 200, github_search);
		(void)strlcpy(rp->rp_headers, "x-ratelimit-limit: 10\r\n"
		    "x-ratelimit-remaining: 9\r\n", sizeof(rp->rp_headers));
		handled = 1;
	} else
		handled = sources_hn(p, rp) || sources_mastodon(p, notrends,
		    rp) || sources_reddit(rq, p, rp) || sources_pages(p, rp) ||
		    unsplash_handle(rq, p, rp, st);
	if (!handled)
		return (0);
	if (fault.exhausted)
		(void)snprintf(rp->rp_headers, sizeof(rp->rp_headers),
		    "X-RateLimit-Remaining: 0\r\nX-RateLimit-Reset: %lld\r\n",
		    (long long)time(NULL) + 3600);
	return (1);
}

/* ---- enrichment replies ---- */

/* Append s (len bytes) as one line of plain text: no quotes, no controls. */
static void
sources_put_plain(struct buf *b, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c < 0x20)
			buf_putc(b, ' ');
		else
			buf_putc(b, (char)c);
	}
}

char *
sources_enrichment(const char *prompt, int bad)
{
	static const char	 marker[] = "Linked page text (";
	struct json_object	*o, *topics;
	struct buf		 b;
	const char		*page, *title, *eol;
	char			*out;
	size_t			 n;

	buf_init(&b);
	buf_puts(&b, "The story reports a concrete change and what it "
	    "measured. ");
	if ((page = strstr(prompt, marker)) != NULL &&
	    (page = strchr(page, '\n')) != NULL) {
		page++;
		n = strlen(page);
		if (n > 400)
			n = 400;
		while (n > 0 && ((unsigned char)page[n] & 0xc0) == 0x80)
			n--;
		buf_puts(&b, "From the linked page: ");
		sources_put_plain(&b, page, n);
	} else {
		buf_puts(&b, "The linked page was not available; the post "
		    "says: ");
		if ((title = strstr(prompt, "Title: ")) != NULL) {
			title += 7;
			eol = strchr(title, '\n');
			n = eol != NULL ? (size_t)(eol - title) : strlen(title);
			sources_put_plain(&b, title, n > 200 ? 200 : n);
		}
	}
	o = json_object_new_object();
	json_object_object_add(o, "quality_score",
	    json_object_new_double(0.8));
	json_object_object_add(o, "quality_reason",
	    json_object_new_string("Specific, measured and useful."));
	if (!bad) {
		topics = json_object_new_array();
		json_object_array_add(topics, json_object_new_string("ci/cd"));
		json_object_array_add(topics,
		    json_object_new_string("performance"));
		json_object_array_add(topics,
		    json_object_new_string("infrastructure"));
		json_object_array_add(topics,
		    json_object_new_string("open source"));
		json_object_array_add(topics,
		    json_object_new_string("cost optimization"));
		json_object_object_add(o, "topics", topics);
	}
	json_object_object_add(o, "research_summary",
	    json_object_new_string(buf_cstr(&b)));
	out = xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	buf_release(&b);
	return (out);
}
