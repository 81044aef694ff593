/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * collectmerge.c: owns the merged list of collected items.  The same
 * story often reaches several sources (an article on Hacker News, Reddit
 * and Mastodon): its URLs are compared in normalised form and the copy
 * with the most engagement is kept, so that one story costs at most one
 * enrichment call.  The merged list is written in one atomic step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "collectmerge.h"
#include "datafile.h"
#include "prescore.h"
#include "urlnorm.h"
#include "util.h"
#include "xmalloc.h"

struct cm_entry {
	struct json_object	*e_item;	/* one reference owned */
	char			*e_key;		/* normalised URL */
	double			 e_engagement;
};

struct collect_merge {
	struct cm_entry	*m_entries;
	size_t		 m_n;
	size_t		 m_cap;
};

struct collect_merge *
collect_merge_new(void)
{
	return (xcalloc(1, sizeof(struct collect_merge)));
}

void
collect_merge_free(struct collect_merge *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->m_n; i++) {
		json_object_put(m->m_entries[i].e_item);
		free(m->m_entries[i].e_key);
	}
	free(m->m_entries);
	free(m);
}

static const char *
cm_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

size_t
collect_merge_add(struct collect_merge *m, struct json_object *items)
{
	struct json_object	*it;
	struct cm_entry		*e;
	const char		*url;
	char			*key;
	double			 eng;
	size_t			 i, j, dropped = 0;

	if (items == NULL || !json_object_is_type(items, json_type_array))
		return (0);
	for (i = 0; i < json_object_array_length(items); i++) {
		it = json_object_array_get_idx(items, i);
		if (!json_object_is_type(it, json_type_object) ||
		    cm_str(it, "id") == NULL || (url = cm_str(it, "url")) ==
		    NULL || (key = url_normalize(url)) == NULL) {
			dropped++;
			continue;
		}
		eng = prescore_engagement(it);
		for (j = 0; j < m->m_n; j++)
			if (strcmp(m->m_entries[j].e_key, key) == 0)
				break;
		if (j < m->m_n) {
			dropped++;
			e = &m->m_entries[j];
			if (eng > e->e_engagement) {
				json_object_put(e->e_item);
				e->e_item = json_object_get(it);
				e->e_engagement = eng;
			}
			free(key);
			continue;
		}
		if (m->m_n == m->m_cap) {
			m->m_cap = m->m_cap == 0 ? 64 : m->m_cap * 2;
			m->m_entries = xreallocarray(m->m_entries, m->m_cap,
			    sizeof(*m->m_entries));
		}
		e = &m->m_entries[m->m_n++];
		e->e_item = json_object_get(it);
		e->e_key = key;
		e->e_engagement = eng;
	}
	return (dropped);
}

struct json_object *
collect_merge_items(const struct collect_merge *m)
{
	struct json_object	*arr;
	size_t			 i;

	arr = json_object_new_array_ext((int)(m->m_n > 0 ? m->m_n : 1));
	for (i = 0; i < m->m_n; i++)
		json_object_array_add(arr,
		    json_object_get(m->m_entries[i].e_item));
	return (arr);
}

size_t
collect_merge_count(const struct collect_merge *m)
{
	return (m->m_n);
}

int
collect_merge_write(const struct collect_merge *m, const char *dir,
    int64_t now, struct json_object *sources, char **pathp, char *errbuf,
    size_t errlen)
{
	struct json_object	*root;
	char			 when[40];
	int			 rc;

	format_utc_iso(when, sizeof(when), now);
	root = json_object_new_object();
	json_object_object_add(root, "collected_at",
	    json_object_new_string(when));
	json_object_object_add(root, "total_items",
	    json_object_new_int64((int64_t)m->m_n));
	json_object_object_add(root, "sources", sources != NULL ? sources :
	    json_object_new_object());
	json_object_object_add(root, "items", collect_merge_items(m));
	rc = datafile_write(dir, "collected", now, root, pathp, errbuf, errlen);
	json_object_put(root);
	return (rc);
}

struct json_object *
collect_load_file(const char *path, char *errbuf, size_t errlen)
{
	struct json_object	*root, *items;

	if ((root = datafile_read(path, errbuf, errlen)) == NULL)
		return (NULL);
	if (!json_object_object_get_ex(root, "items", &items) ||
	    !json_object_is_type(items, json_type_array)) {
		(void)snprintf(errbuf, errlen, "%s: no \"items\" array", path);
		json_object_put(root);
		return (NULL);
	}
	items = json_object_get(items);
	json_object_put(root);
	return (items);
}
