/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_mastodon.c: trending statuses from Mastodon instances.  A status's
 * content is HTML; it becomes plain text through htmltext.c.  Unlike the
 * original, the author keeps the instance (user@instance), so two people
 * with the same user name on two instances stay apart, and a link card's
 * URL is kept in the metadata for enrichment to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "htmltext.h"
#include "sources.h"
#include "src_mastodon.h"
#include "urlnorm.h"
#include "utf8.h"
#include "xmalloc.h"

#define MASTODON_LIMIT_MAX	40	/* the API's own cap per page */
#define MASTODON_TEXT_MAX	(100 * 1024)

/* 1 when some item of items already has this id. */
static int
mastodon_seen(struct json_object *items, const char *id)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < json_object_array_length(items); i++) {
		v = source_json_str(json_object_array_get_idx(items, i), "id");
		if (v != NULL && strcmp(v, id) == 0)
			return (1);
	}
	return (0);
}

/*
 * One status: 1 with *out (owned) when kept, 0 when filtered out, with
 * the reason in why.
 */
static int
mastodon_status(struct json_object *s, const char *host, const char *kind,
    const struct source_settings *ss, int64_t now, struct json_object **out,
    char *why, size_t whylen)
{
	struct json_object	*v, *account, *card, *meta;
	struct htmltext		 ht;
	const char		*sid, *html, *url, *acct, *lang, *vis, *cu;
	char			 id[96], ebuf[128], *author, *title;
	size_t			 chars;

	*out = NULL;
	if (json_object_object_get_ex(s, "reblog", &v) &&
	    json_object_is_type(v, json_type_object))
		s = v;
	if ((sid = source_json_str(s, "id")) == NULL || *sid == '\0' ||
	    strlen(sid) > 64) {
		(void)snprintf(why, whylen, "status without an id");
		return (0);
	}
	if (json_object_object_get_ex(s, "in_reply_to_id", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		(void)snprintf(why, whylen, "status %s: a reply", sid);
		return (0);
	}
	if ((vis = source_json_str(s, "visibility")) != NULL &&
	    strcmp(vis, "public") != 0) {
		(void)snprintf(why, whylen, "status %s: %s", sid, vis);
		return (0);
	}
	if ((lang = source_json_str(s, "language")) != NULL &&
	    strncasecmp(lang, "en", 2) != 0) {
		(void)snprintf(why, whylen, "status %s: language %s", sid,
		    lang);
		return (0);
	}
	url = source_json_str(s, "url");
	if (url == NULL || !url_is_http(url))
		url = source_json_str(s, "uri");
	if (url == NULL || !url_is_http(url)) {
		(void)snprintf(why, whylen, "status %s: no URL", sid);
		return (0);
	}
	if (!json_object_object_get_ex(s, "account", &account) ||
	    (acct = source_json_str(account, "acct")) == NULL ||
	    *acct == '\0') {
		(void)snprintf(why, whylen, "status %s: no account", sid);
		return (0);
	}
	if ((html = source_json_str(s, "content")) == NULL)
		html = "";
	if (htmltext_extract(html, strlen(html), "UTF-8", MASTODON_TEXT_MAX,
	    &ht, ebuf, sizeof(ebuf)) == -1) {
		(void)snprintf(why, whylen, "status %s: %s", sid, ebuf);
		return (0);
	}
	chars = utf8_len(ht.ht_text);
	if (ht.ht_text[0] == '@') {
		(void)snprintf(why, whylen, "status %s: starts with a mention",
		    sid);
		htmltext_release(&ht);
		return (0);
	}
	if (chars < (size_t)ss->ss_min_chars || chars >
	    (size_t)ss->ss_max_chars || ht.ht_truncated) {
		(void)snprintf(why, whylen, "status %s: %zu characters, "
		    "outside %d..%d", sid, chars, ss->ss_min_chars,
		    ss->ss_max_chars);
		htmltext_release(&ht);
		return (0);
	}
	if (strchr(acct, '@') != NULL)
		author = xstrdup(acct);
	else
		xasprintf(&author, "%s@%s", acct, host);
	title = source_title_from_text(ht.ht_text);
	meta = json_object_new_object();
	json_object_object_add(meta, "favourites_count", json_object_new_int64(
	    source_json_int(s, "favourites_count", 0)));
	json_object_object_add(meta, "reblogs_count", json_object_new_int64(
	    source_json_int(s, "reblogs_count", 0)));
	json_object_object_add(meta, "replies_count", json_object_new_int64(
	    source_json_int(s, "replies_count", 0)));
	if ((cu = source_json_str(s, "created_at")) != NULL)
		json_object_object_add(meta, "created_at",
		    json_object_new_string(cu));
	if (lang != NULL)
		json_object_object_add(meta, "language",
		    json_object_new_string(lang));
	json_object_object_add(meta, "instance", json_object_new_string(host));
	json_object_object_add(meta, "source_type",
	    json_object_new_string(kind));
	json_object_object_add(meta, "source_name",
	    json_object_new_string("Mastodon"));
	if (json_object_object_get_ex(s, "card", &card) &&
	    (cu = source_json_str(card, "url")) != NULL && url_is_http(cu))
		json_object_object_add(meta, "card_url",
		    json_object_new_string(cu));
	(void)snprintf(id, sizeof(id), "mastodon_%s", sid);
	*out = source_item_new(id, title, ht.ht_text, "mastodon", url, author,
	    now, meta);
	free(title);
	free(author);
	htmltext_release(&ht);
	return (1);
}

int
mastodon_parse_statuses(const char *body, size_t len, const char *instance,
    const char *kind, const struct source_settings *ss, int64_t now,
    struct json_object *items, size_t max, struct source_stats *st,
    char *errbuf, size_t errlen)
{
	struct json_object	*root, *s, *item;
	char			*host, why[160];
	size_t			 i;
	int			 added = 0;

	if ((host = url_host(instance)) == NULL) {
		(void)snprintf(errbuf, errlen, "'%.200s': not an instance URL",
		    instance);
		return (-1);
	}
	if ((root = source_parse_json(body, len, errbuf, errlen)) == NULL) {
		free(host);
		return (-1);
	}
	if (!json_object_is_type(root, json_type_array)) {
		(void)snprintf(errbuf, errlen, "not an array of statuses");
		json_object_put(root);
		free(host);
		return (-1);
	}
	for (i = 0; i < json_object_array_length(root) &&
	    json_object_array_length(items) < max; i++) {
		s = json_object_array_get_idx(root, i);
		if (!json_object_is_type(s, json_type_object)) {
			st->st_dropped++;
			continue;
		}
		if (mastodon_status(s, host, kind, ss, now, &item, why,
		    sizeof(why)) == 0) {
			st->st_dropped++;
			continue;
		}
		if (mastodon_seen(items, source_json_str(item, "id"))) {
			json_object_put(item);
			continue;
		}
		json_object_array_add(items, item);
		added++;
	}
	json_object_put(root);
	free(host);
	return (added);
}

int
mastodon_collect(const struct source_settings *ss, struct source_ctx *ctx,
    struct json_object *items, struct source_stats *st, char *errbuf,
    size_t errlen)
{
	static const struct {
		const char	*path;
		const char	*kind;
	} feeds[] = {
		{ "/api/v1/trends/statuses", "trends" },
		{ "/api/v1/timelines/public", "public" },
	};
	struct fetch_result	 fr;
	char			*url, ebuf[256], first[320];
	size_t			 i, f, ok = 0;
	int			 limit;

	first[0] = '\0';
	limit = ss->ss_count < MASTODON_LIMIT_MAX ? ss->ss_count :
	    MASTODON_LIMIT_MAX;
	for (i = 0; i < ss->ss_nlist &&
	    json_object_array_length(items) < (size_t)ss->ss_count; i++) {
		/* each instance has its own rate limit */
		ctx->sc_wait_ms = 0;
		for (f = 0; f < nitems(feeds); f++) {
			xasprintf(&url, "%s%s?limit=%d", ss->ss_list[i],
			    feeds[f].path, limit);
			if (source_get(ss, ctx, st, url, NULL, &fr, NULL, ebuf,
			    sizeof(ebuf)) == 0) {
				if (mastodon_parse_statuses(fr.fr_body,
				    fr.fr_len, ss->ss_list[i], feeds[f].kind,
				    ss, ctx->sc_now, items,
				    (size_t)ss->ss_count, st, ebuf,
				    sizeof(ebuf)) >= 0) {
					fetch_result_release(&fr);
					free(url);
					ok++;
					break;
				}
				fetch_result_release(&fr);
			}
			st->st_failed++;
			source_note(st, "%.100s: %s", url, ebuf);
			if (first[0] == '\0')
				(void)snprintf(first, sizeof(first), "%s", ebuf);
			free(url);
		}
	}
	if (ok == 0) {
		(void)snprintf(errbuf, errlen, "no instance answered: %s",
		    st->st_note[0] != '\0' ? st->st_note : first);
		return (-1);
	}
	return (0);
}
