/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_hn.c: Hacker News through its Firebase API: the ids of the top
 * stories, then each item until enough live stories are kept.  Text
 * posts ("Ask HN") have no URL: the item page stands in, and their HTML
 * text (converted to plain text) follows the title in the content.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "buf.h"
#include "htmltext.h"
#include "sources.h"
#include "src_hn.h"
#include "urlnorm.h"
#include "xmalloc.h"

/* The most item requests one collection makes, as a multiple of the count. */
#define HN_TRIES_PER_ITEM	3
#define HN_TEXT_MAX		10000

int
hn_parse_topstories(const char *body, size_t len, size_t max, int64_t **ids,
    char *errbuf, size_t errlen)
{
	struct json_object	*root, *v;
	size_t			 i, n, got = 0;

	*ids = NULL;
	if ((root = source_parse_json(body, len, errbuf, errlen)) == NULL)
		return (-1);
	if (!json_object_is_type(root, json_type_array)) {
		(void)snprintf(errbuf, errlen, "topstories: not an array");
		json_object_put(root);
		return (-1);
	}
	n = json_object_array_length(root);
	if (n > max)
		n = max;
	*ids = xreallocarray(NULL, n > 0 ? n : 1, sizeof(**ids));
	for (i = 0; i < json_object_array_length(root) && got < n; i++) {
		v = json_object_array_get_idx(root, i);
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) <= 0)
			continue;
		(*ids)[got++] = json_object_get_int64(v);
	}
	json_object_put(root);
	return ((int)got);
}

int
hn_parse_item(const char *body, size_t len, int64_t now,
    struct json_object **out, char *errbuf, size_t errlen)
{
	struct json_object	*root, *meta;
	struct htmltext		 ht;
	struct buf		 content;
	const char		*type, *title, *url, *by, *text;
	char			 id[40], ebuf[128], *page = NULL;
	int64_t			 hid;
	int			 rc = -1;

	*out = NULL;
	while (len > 0 && (body[len - 1] == ' ' || body[len - 1] == '\n' ||
	    body[len - 1] == '\r'))
		len--;
	/* the API's answer for an id that does not exist */
	if (len == 4 && memcmp(body, "null", 4) == 0) {
		(void)snprintf(errbuf, errlen, "item: null (no such item)");
		return (0);
	}
	if ((root = source_parse_json(body, len, errbuf, errlen)) == NULL)
		return (-1);
	if (!json_object_is_type(root, json_type_object) ||
	    (hid = source_json_int(root, "id", -1)) <= 0) {
		(void)snprintf(errbuf, errlen, "item: not an object with an "
		    "id");
		goto done;
	}
	rc = 0;
	if (source_json_bool(root, "deleted")) {
		(void)snprintf(errbuf, errlen, "item %" PRId64 ": deleted", hid);
		goto done;
	}
	if (source_json_bool(root, "dead")) {
		(void)snprintf(errbuf, errlen, "item %" PRId64 ": dead", hid);
		goto done;
	}
	if ((type = source_json_str(root, "type")) == NULL ||
	    strcmp(type, "story") != 0) {
		(void)snprintf(errbuf, errlen, "item %" PRId64 ": a %s, not a "
		    "story", hid, type != NULL ? type : "thing");
		goto done;
	}
	if ((title = source_json_str(root, "title")) == NULL ||
	    *title == '\0') {
		(void)snprintf(errbuf, errlen, "item %" PRId64 ": no title",
		    hid);
		goto done;
	}
	url = source_json_str(root, "url");
	if (url == NULL || !url_is_http(url)) {
		xasprintf(&page, "%s%" PRId64, HN_ITEM_PAGE, hid);
		url = page;
	}
	if ((by = source_json_str(root, "by")) == NULL || *by == '\0')
		by = "unknown";
	buf_init(&content);
	buf_puts(&content, title);
	if ((text = source_json_str(root, "text")) != NULL && *text != '\0' &&
	    htmltext_extract(text, strlen(text), "UTF-8", HN_TEXT_MAX, &ht,
	    ebuf, sizeof(ebuf)) == 0) {
		if (ht.ht_text[0] != '\0') {
			buf_puts(&content, "\n\n");
			buf_puts(&content, ht.ht_text);
		}
		htmltext_release(&ht);
	}
	meta = json_object_new_object();
	json_object_object_add(meta, "score",
	    json_object_new_int64(source_json_int(root, "score", 0)));
	json_object_object_add(meta, "comments",
	    json_object_new_int64(source_json_int(root, "descendants", 0)));
	json_object_object_add(meta, "time",
	    json_object_new_int64(source_json_int(root, "time", 0)));
	json_object_object_add(meta, "story_type",
	    json_object_new_string("story"));
	json_object_object_add(meta, "source_name",
	    json_object_new_string("Hacker News"));
	(void)snprintf(id, sizeof(id), "hn_%" PRId64, hid);
	*out = source_item_new(id, title, buf_cstr(&content), "hackernews",
	    url, by, now, meta);
	buf_release(&content);
	rc = 1;
 done:
	free(page);
	json_object_put(root);
	return (rc);
}

int
hn_collect(const struct source_settings *ss, struct source_ctx *ctx,
    struct json_object *items, struct source_stats *st, char *errbuf,
    size_t errlen)
{
	struct fetch_result	 fr;
	struct json_object	*item;
	char			*url, ebuf[256];
	int64_t			*ids = NULL;
	int			 n, i, rc;

	xasprintf(&url, "%s/topstories.json", ss->ss_api_url);
	rc = source_get(ss, ctx, st, url, NULL, &fr, NULL, errbuf, errlen);
	if (rc == -1) {
		free(url);
		return (-1);
	}
	n = hn_parse_topstories(fr.fr_body, fr.fr_len, (size_t)ss->ss_count *
	    HN_TRIES_PER_ITEM, &ids, ebuf, sizeof(ebuf));
	fetch_result_release(&fr);
	if (n == -1) {
		(void)snprintf(errbuf, errlen, "%.200s: %s", url, ebuf);
		free(url);
		return (-1);
	}
	free(url);
	for (i = 0; i < n && json_object_array_length(items) <
	    (size_t)ss->ss_count; i++) {
		xasprintf(&url, "%s/item/%" PRId64 ".json", ss->ss_api_url,
		    ids[i]);
		rc = source_get(ss, ctx, st, url, NULL, &fr, NULL, ebuf,
		    sizeof(ebuf));
		if (rc == -1) {
			/* one item failing does not end the source */
			free(url);
			st->st_failed++;
			source_note(st, "%s", ebuf);
			if (strstr(ebuf, "rate limit exhausted") != NULL)
				break;
			continue;
		}
		rc = hn_parse_item(fr.fr_body, fr.fr_len, ctx->sc_now, &item,
		    ebuf, sizeof(ebuf));
		fetch_result_release(&fr);
		if (rc == 1)
			json_object_array_add(items, item);
		else if (rc == 0)
			st->st_dropped++;
		else {
			st->st_failed++;
			source_note(st, "%.100s: %s", url, ebuf);
		}
		free(url);
	}
	free(ids);
	if (json_object_array_length(items) == 0 && st->st_failed > 0) {
		(void)snprintf(errbuf, errlen, "no story could be read: %s",
		    st->st_note);
		return (-1);
	}
	return (0);
}
