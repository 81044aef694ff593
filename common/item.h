/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * item.h: the enriched items that articlegen turns into articles, and the
 * loader of the enriched file (original-pipeline.md §1.2-1.4).
 */
#ifndef ITEM_H
#define ITEM_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * The longest string an item field may hold, in bytes.  Posts are at most
 * a few thousand characters; a larger field is a broken or hostile item,
 * and would not fit in a worker's job message anyway.
 */
#define ITEM_FIELD_MAX	(256 * 1024)

/*
 * Room kept in a protocol line (PROTO_LINE_MAX) for what a job message
 * holds besides its item: the envelope and the settings (paths, URLs,
 * model names).  An item whose JSON does not fit in the rest is invalid
 * at load, so that every mode of a run skips it alike.
 */
#define ITEM_JOB_RESERVE	(64 * 1024)

struct item {
	size_t	  it_index;		/* position in the file's items array */
	char	 *it_id;
	char	 *it_title;
	char	 *it_content;
	char	 *it_source;		/* hackernews, mastodon, github, ... */
	char	 *it_url;
	char	 *it_author;
	char	 *it_collected_at;	/* as in the file, or NULL */
	int64_t	  it_collected_epoch;	/* parsed, or 0 */
	char	 *it_research_summary;
	char	**it_related;		/* related_sources */
	size_t	  it_nrelated;
	char	**it_topics;
	size_t	  it_ntopics;
	double	  it_quality;
	double	  it_heuristic;
	double	  it_ai;
};

struct item_set {
	char		*is_path;	/* the file the items came from */
	struct item	*is_items;	/* valid items, in file order */
	size_t		 is_nitems;
	size_t		 is_ninvalid;	/* items skipped with a warning */
	size_t		 is_ntotal;	/* elements of the items array */
};

/*
 * Load an enriched file.  Each invalid element of "items" is skipped with a
 * log_warnx() naming the file, the element's index, its id when it has one,
 * and the field (or its size, for an item too large for a job message).  Returns 0, or -1 with errbuf saying what is wrong with the
 * file as a whole (unreadable, not JSON with the offset where it breaks, no
 * "items" array); *is_missing is set to 1 when the file does not exist.
 * The set is owned by the caller: item_set_release().
 */
int	 item_load_file(const char *path, struct item_set *, int *is_missing,
	    char *errbuf, size_t errlen);
int	 item_load_buffer(const char *path, const char *data, size_t len,
	    struct item_set *, char *errbuf, size_t errlen);
void	 item_set_release(struct item_set *);

/*
 * Fill it from one element of "items".  Returns 0, or -1 with errbuf naming
 * the field that is missing or wrong ("original.url: not an absolute
 * http(s) URL").  it is owned by the caller: item_release().
 */
int	 item_from_json(struct json_object *, struct item *it, char *errbuf,
	    size_t errlen);
/* The item in the enriched file's own shape (new reference, caller puts). */
struct json_object *item_to_json(const struct item *);
void	 item_release(struct item *);

/* Parse "2026-01-14T02:31:07.412233+00:00" or with ' '; -1 when unparseable. */
int	 item_parse_time(const char *s, int64_t *epoch);

/* The newest data/enriched_*.json under dir by mtime; owned, or NULL. */
char	*item_find_newest(const char *datadir);
/* The same for any stage: DIR/<prefix>*.json ("collected_"). */
char	*item_find_newest_stage(const char *datadir, const char *prefix);

#endif /* ITEM_H */
