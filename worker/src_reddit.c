/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_reddit.c: hot posts of subreddits.  A token comes first (POST to
 * the token endpoint with the client id and secret as HTTP basic auth,
 * grant_type=client_credentials), then /r/<sub>/hot on the OAuth API
 * host with that bearer token.  Link posts keep the article's URL, not
 * the Reddit permalink as the original did.  The secret and the token
 * are never logged or copied into an error message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "buf.h"
#include "sources.h"
#include "src_reddit.h"
#include "urlnorm.h"
#include "utf8.h"
#include "xmalloc.h"

#define REDDIT_LIMIT_MAX	100
#define REDDIT_SELF_MIN		50	/* characters of text in a self post */
#define REDDIT_TOKEN_MAX	4096
#define REDDIT_TEXT_MAX		10000	/* bytes of a self post's text kept */

char *
reddit_parse_token(const char *body, size_t len, char *errbuf, size_t errlen)
{
	struct json_object	*root;
	const char		*tok, *type;
	char			*out = NULL;

	if ((root = source_parse_json(body, len, errbuf, errlen)) == NULL)
		return (NULL);
	tok = source_json_str(root, "access_token");
	type = source_json_str(root, "token_type");
	if (tok == NULL || *tok == '\0' || strlen(tok) > REDDIT_TOKEN_MAX ||
	    tok[strcspn(tok, " \t\r\n")] != '\0')
		(void)snprintf(errbuf, errlen, "token reply without a usable "
		    "access_token%s%.80s", source_json_str(root, "error") !=
		    NULL ? ": " : "", source_json_str(root, "error") != NULL ?
		    source_json_str(root, "error") : "");
	else if (type != NULL && strcasecmp(type, "bearer") != 0)
		(void)snprintf(errbuf, errlen, "token type '%.40s', not bearer",
		    type);
	else
		out = xstrdup(tok);
	json_object_put(root);
	return (out);
}

/* One post (the "data" of a t3 child): a new CollectedItem or NULL. */
static struct json_object *
reddit_post(struct json_object *d, int64_t now)
{
	struct json_object	*meta, *out;
	const char		*rid, *title, *url, *self, *permalink, *author;
	const char		*sub;
	struct buf		 content;
	char			 id[64], *page = NULL;
	size_t			 n;
	int			 is_self;

	if ((rid = source_json_str(d, "id")) == NULL || *rid == '\0' ||
	    strlen(rid) > 32 ||
	    (title = source_json_str(d, "title")) == NULL || *title == '\0' ||
	    (permalink = source_json_str(d, "permalink")) == NULL ||
	    *permalink != '/')
		return (NULL);
	if (source_json_bool(d, "stickied") || source_json_bool(d, "over_18"))
		return (NULL);
	is_self = source_json_bool(d, "is_self");
	self = source_json_str(d, "selftext");
	if (self == NULL)
		self = "";
	if (strcmp(self, "[removed]") == 0 || strcmp(self, "[deleted]") == 0)
		return (NULL);
	if (is_self && utf8_len(self) < REDDIT_SELF_MIN)
		return (NULL);
	url = NULL;
	if (!is_self) {
		url = source_json_str(d, "url_overridden_by_dest");
		if (url == NULL || !url_is_http(url))
			url = source_json_str(d, "url");
	}
	if (url == NULL || !url_is_http(url)) {
		xasprintf(&page, "%s%s", REDDIT_SITE, permalink);
		url = page;
	}
	if ((author = source_json_str(d, "author")) == NULL ||
	    *author == '\0' || strcmp(author, "[deleted]") == 0)
		author = "unknown";
	buf_init(&content);
	buf_puts(&content, title);
	if (is_self && *self != '\0') {
		buf_puts(&content, "\n\n");
		n = strlen(self);
		if (n > REDDIT_TEXT_MAX) {
			n = REDDIT_TEXT_MAX;
			while (n > 0 && ((unsigned char)self[n] & 0xc0) == 0x80)
				n--;
		}
		buf_append(&content, self, n);
	}
	meta = json_object_new_object();
	json_object_object_add(meta, "score",
	    json_object_new_int64(source_json_int(d, "score", 0)));
	json_object_object_add(meta, "num_comments",
	    json_object_new_int64(source_json_int(d, "num_comments", 0)));
	if (json_object_object_get_ex(d, "upvote_ratio", &out) &&
	    (json_object_is_type(out, json_type_double) ||
	    json_object_is_type(out, json_type_int)))
		json_object_object_add(meta, "upvote_ratio",
		    json_object_new_double(json_object_get_double(out)));
	if ((sub = source_json_str(d, "subreddit")) != NULL)
		json_object_object_add(meta, "subreddit",
		    json_object_new_string(sub));
	json_object_object_add(meta, "created_utc",
	    json_object_new_int64(source_json_int(d, "created_utc", 0)));
	json_object_object_add(meta, "is_self",
	    json_object_new_boolean(is_self));
	json_object_object_add(meta, "over_18", json_object_new_boolean(0));
	json_object_object_add(meta, "permalink",
	    json_object_new_string(permalink));
	json_object_object_add(meta, "source_name",
	    json_object_new_string("Reddit"));
	(void)snprintf(id, sizeof(id), "reddit_%s", rid);
	out = source_item_new(id, title, buf_cstr(&content), "reddit", url,
	    author, now, meta);
	buf_release(&content);
	free(page);
	return (out);
}

int
reddit_parse_listing(const char *body, size_t len, int64_t now,
    struct json_object *items, size_t max, struct source_stats *st,
    char *errbuf, size_t errlen)
{
	struct json_object	*root, *data, *children, *c, *d, *item;
	const char		*kind;
	size_t			 i;
	int			 added = 0;

	if ((root = source_parse_json(body, len, errbuf, errlen)) == NULL)
		return (-1);
	if ((kind = source_json_str(root, "kind")) == NULL ||
	    strcmp(kind, "Listing") != 0 ||
	    !json_object_object_get_ex(root, "data", &data) ||
	    !json_object_object_get_ex(data, "children", &children) ||
	    !json_object_is_type(children, json_type_array)) {
		(void)snprintf(errbuf, errlen, "not a Listing with "
		    "data.children");
		json_object_put(root);
		return (-1);
	}
	for (i = 0; i < json_object_array_length(children) &&
	    json_object_array_length(items) < max; i++) {
		c = json_object_array_get_idx(children, i);
		kind = source_json_str(c, "kind");
		if (kind == NULL || strcmp(kind, "t3") != 0 ||
		    !json_object_object_get_ex(c, "data", &d) ||
		    !json_object_is_type(d, json_type_object) ||
		    (item = reddit_post(d, now)) == NULL) {
			st->st_dropped++;
			continue;
		}
		json_object_array_add(items, item);
		added++;
	}
	json_object_put(root);
	return (added);
}

/* Get a token; owned, or NULL with errbuf. */
static char *
reddit_token(const struct source_settings *ss, struct source_ctx *ctx,
    struct source_stats *st, char *errbuf, size_t errlen)
{
	static const char	 body[] = "grant_type=client_credentials";
	struct fetch_opts	 o;
	struct fetch_result	 fr;
	char			*tok, ebuf[256];

	memset(&o, 0, sizeof(o));
	o.fo_method = "POST";
	o.fo_body = body;
	o.fo_bodylen = sizeof(body) - 1;
	o.fo_content_type = "application/x-www-form-urlencoded";
	o.fo_user = ss->ss_client_id;
	o.fo_password = ss->ss_client_secret;
	if (source_get(ss, ctx, st, ss->ss_auth_url, &o, &fr, NULL, errbuf,
	    errlen) == -1)
		return (NULL);
	tok = reddit_parse_token(fr.fr_body, fr.fr_len, ebuf, sizeof(ebuf));
	fetch_result_release(&fr);
	if (tok == NULL)
		(void)snprintf(errbuf, errlen, "%.200s: %s", ss->ss_auth_url,
		    ebuf);
	return (tok);
}

int
reddit_collect(const struct source_settings *ss, struct source_ctx *ctx,
    struct json_object *items, struct source_stats *st, char *errbuf,
    size_t errlen)
{
	struct fetch_opts	 o;
	struct fetch_result	 fr;
	char			*tok, *url, ebuf[256];
	size_t			 i, per, ok = 0, want;
	int			 limit, rc;

	if (ss->ss_client_id == NULL || ss->ss_client_secret == NULL) {
		(void)snprintf(errbuf, errlen, "reddit: skipped, "
		    "REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET are not set");
		return (1);
	}
	if ((tok = reddit_token(ss, ctx, st, errbuf, errlen)) == NULL)
		return (-1);
	per = ((size_t)ss->ss_count + ss->ss_nlist - 1) / ss->ss_nlist;
	limit = (int)(per * 3 < REDDIT_LIMIT_MAX ? per * 3 : REDDIT_LIMIT_MAX);
	memset(&o, 0, sizeof(o));
	o.fo_bearer = tok;
	for (i = 0; i < ss->ss_nlist &&
	    json_object_array_length(items) < (size_t)ss->ss_count; i++) {
		xasprintf(&url, "%s/r/%s/hot?limit=%d&raw_json=1",
		    ss->ss_api_url, ss->ss_list[i], limit);
		if (source_get(ss, ctx, st, url, &o, &fr, NULL, ebuf,
		    sizeof(ebuf)) == -1) {
			st->st_failed++;
			source_note(st, "%s", ebuf);
			free(url);
			continue;
		}
		want = json_object_array_length(items) + per;
		if (want > (size_t)ss->ss_count)
			want = (size_t)ss->ss_count;
		rc = reddit_parse_listing(fr.fr_body, fr.fr_len, ctx->sc_now,
		    items, want, st, ebuf, sizeof(ebuf));
		fetch_result_release(&fr);
		if (rc == -1) {
			st->st_failed++;
			source_note(st, "%.100s: %s", url, ebuf);
		} else
			ok++;
		free(url);
	}
	explicit_bzero(tok, strlen(tok));
	free(tok);
	if (ok == 0) {
		(void)snprintf(errbuf, errlen, "no subreddit answered: %s",
		    st->st_note);
		return (-1);
	}
	return (0);
}
