/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * src_github.c: new and rising repositories from GitHub's search API
 * (created in the last GITHUB_DAYS days, sorted by stars), rather than
 * the all-time most starred ones the original's query returned.  A
 * missing description no longer drops the repository.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "buf.h"
#include "sources.h"
#include "src_github.h"
#include "urlnorm.h"
#include "utf8.h"
#include "util.h"
#include "xmalloc.h"

#define GITHUB_PER_PAGE_MAX	100
#define GITHUB_TITLE_DESC	100	/* characters of description in titles */

/* One repository: a new CollectedItem, or NULL when unusable. */
static struct json_object *
github_repo(struct json_object *r, int64_t now)
{
	struct json_object	*meta, *owner, *topics, *t, *out;
	const char		*full, *name, *desc, *url, *login, *lang;
	struct buf		 title, content;
	char			 id[48];
	int64_t			 rid;
	size_t			 i, off;

	if ((rid = source_json_int(r, "id", -1)) <= 0 ||
	    (full = source_json_str(r, "full_name")) == NULL || *full == '\0' ||
	    (url = source_json_str(r, "html_url")) == NULL || !url_is_http(url))
		return (NULL);
	if ((name = source_json_str(r, "name")) == NULL || *name == '\0')
		name = full;
	login = NULL;
	if (json_object_object_get_ex(r, "owner", &owner))
		login = source_json_str(owner, "login");
	if (login == NULL || *login == '\0')
		login = "unknown";
	desc = source_json_str(r, "description");
	while (desc != NULL && (*desc == ' ' || *desc == '\n'))
		desc++;

	buf_init(&title);
	buf_init(&content);
	buf_puts(&title, full);
	buf_puts(&content, name);
	if (desc != NULL && *desc != '\0') {
		off = utf8_offset(desc, strlen(desc), GITHUB_TITLE_DESC);
		buf_puts(&title, ": ");
		buf_append(&title, desc, off);
		buf_puts(&content, "\n\n");
		buf_puts(&content, desc);
	}
	meta = json_object_new_object();
	json_object_object_add(meta, "stars", json_object_new_int64(
	    source_json_int(r, "stargazers_count", 0)));
	json_object_object_add(meta, "forks", json_object_new_int64(
	    source_json_int(r, "forks_count", 0)));
	json_object_object_add(meta, "watchers", json_object_new_int64(
	    source_json_int(r, "watchers_count", 0)));
	json_object_object_add(meta, "open_issues", json_object_new_int64(
	    source_json_int(r, "open_issues_count", 0)));
	lang = source_json_str(r, "language");
	json_object_object_add(meta, "language", lang != NULL ?
	    json_object_new_string(lang) : NULL);
	topics = json_object_new_array();
	if (json_object_object_get_ex(r, "topics", &t) &&
	    json_object_is_type(t, json_type_array))
		for (i = 0; i < json_object_array_length(t); i++)
			if (json_object_is_type(json_object_array_get_idx(t, i),
			    json_type_string))
				json_object_array_add(topics,
				    json_object_new_string(json_object_get_string(
				    json_object_array_get_idx(t, i))));
	json_object_object_add(meta, "topics", topics);
	if (source_json_str(r, "created_at") != NULL)
		json_object_object_add(meta, "created_at",
		    json_object_new_string(source_json_str(r, "created_at")));
	json_object_object_add(meta, "source_name",
	    json_object_new_string("GitHub"));
	(void)snprintf(id, sizeof(id), "github_%" PRId64, rid);
	out = source_item_new(id, buf_cstr(&title), buf_cstr(&content),
	    "github", url, login, now, meta);
	buf_release(&title);
	buf_release(&content);
	return (out);
}

int
github_parse_search(const char *body, size_t len, int64_t now,
    struct json_object *items, size_t max, struct source_stats *st,
    char *errbuf, size_t errlen)
{
	struct json_object	*root, *arr, *r, *item;
	size_t			 i;
	int			 added = 0;

	if ((root = source_parse_json(body, len, errbuf, errlen)) == NULL)
		return (-1);
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "items", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		(void)snprintf(errbuf, errlen, "search reply without an items "
		    "array");
		json_object_put(root);
		return (-1);
	}
	for (i = 0; i < json_object_array_length(arr) &&
	    json_object_array_length(items) < max; i++) {
		r = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(r, json_type_object) ||
		    (item = github_repo(r, now)) == NULL) {
			st->st_dropped++;
			continue;
		}
		json_object_array_add(items, item);
		added++;
	}
	json_object_put(root);
	return (added);
}

char *
github_search_url(const char *api_url, int days, int count, int64_t now)
{
	char	 date[16], *url;

	format_utc_date(date, sizeof(date), now - (int64_t)days * 86400);
	if (count > GITHUB_PER_PAGE_MAX)
		count = GITHUB_PER_PAGE_MAX;
	/* q=created:>DATE, with ':' and '>' percent-encoded */
	xasprintf(&url, "%s/search/repositories?q=created%%3A%%3E%s"
	    "&sort=stars&order=desc&per_page=%d", api_url, date, count);
	return (url);
}

int
github_collect(const struct source_settings *ss, struct source_ctx *ctx,
    struct json_object *items, struct source_stats *st, char *errbuf,
    size_t errlen)
{
	struct fetch_opts	 o;
	struct fetch_result	 fr;
	char			*url, ebuf[256];
	int			 rc;

	memset(&o, 0, sizeof(o));
	o.fo_accept = "application/vnd.github+json";
	url = github_search_url(ss->ss_api_url, ss->ss_days, ss->ss_count,
	    ctx->sc_now);
	if (source_get(ss, ctx, st, url, &o, &fr, NULL, errbuf, errlen) ==
	    -1) {
		free(url);
		return (-1);
	}
	rc = github_parse_search(fr.fr_body, fr.fr_len, ctx->sc_now, items,
	    (size_t)ss->ss_count, st, ebuf, sizeof(ebuf));
	fetch_result_release(&fr);
	if (rc == -1) {
		(void)snprintf(errbuf, errlen, "%.200s: %s", url, ebuf);
		free(url);
		return (-1);
	}
	free(url);
	return (0);
}
