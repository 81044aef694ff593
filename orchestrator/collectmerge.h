/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * collectmerge.h: the end of the collect stage: the items of every
 * source merged by normalised URL and written as
 * data/collected_<UTC>.json.
 */
#ifndef COLLECTMERGE_H
#define COLLECTMERGE_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

struct collect_merge;

/* A new, empty merge.  Never returns NULL. */
struct collect_merge *collect_merge_new(void);
void	 collect_merge_free(struct collect_merge *);

/*
 * Add a source's items (a json array of CollectedItem objects, borrowed;
 * the items are shared, not copied).  Items whose URLs normalise the same
 * (urlnorm.h) are one story: the most engaged (prescore_engagement())
 * stays, in the place of the first one seen; on a tie the first stays.
 * An item without an http(s) URL or without a string id is dropped.
 * Returns the number of items dropped or replaced by this call.
 */
size_t	 collect_merge_add(struct collect_merge *, struct json_object *items);

/* The merged items so far (a new array; each item one more reference). */
struct json_object *collect_merge_items(const struct collect_merge *);
size_t	 collect_merge_count(const struct collect_merge *);

/*
 * Write the merged items as dir/collected_<YYYYmmdd_HHMMSS>.json (now,
 * UTC) atomically (datafile_write()): {"collected_at", "total_items",
 * "sources", "items"}.  sources (may be NULL, moved in) says what each
 * source did.  Returns 0 with *pathp (owned, may be NULL), or -1 with
 * errbuf.
 */
int	 collect_merge_write(const struct collect_merge *, const char *dir,
	    int64_t now, struct json_object *sources, char **pathp,
	    char *errbuf, size_t errlen);

/*
 * Read the items array of a collected file.  Returns a new reference to
 * it, or NULL with errbuf.
 */
struct json_object *collect_load_file(const char *path, char *errbuf,
	    size_t errlen);

#endif /* COLLECTMERGE_H */
