/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * postindex.h: one index of the content directory's existing posts, built
 * once per run: the normalised source URLs each post names (sources[].url
 * and the legacy source.url), its date, title and tags.  It answers "is
 * this source already published?" and "is it in cooldown?" without
 * re-reading posts, and describes each post for the same_story rule.
 */
#ifndef POSTINDEX_H
#define POSTINDEX_H

#include <stddef.h>
#include <stdint.h>

struct postindex;

struct post_match {
	const char	*pm_path;	/* the post's path, borrowed from the index */
	int64_t		 pm_date;	/* front matter date (epoch s), 0 if none */
	int		 pm_legacy;	/* matched through legacy source.url only */
};

/* One post as the index keeps it; every pointer borrowed from the index. */
struct post_info {
	const char		 *pi_path;
	int64_t			  pi_date;	/* epoch s, 0 if none */
	const char		 *pi_title;	/* or NULL */
	const char *const	 *pi_tags;
	size_t			  pi_ntags;
	const char *const	 *pi_urls;	/* normalised source URLs */
	size_t			  pi_nurls;
};

/*
 * Read the front matter of every content file Hugo reads under
 * content_dir (frontmatter.h: YAML, TOML or JSON; Markdown, HTML and the
 * other content formats; nested directories and page bundles).  A
 * missing directory gives an empty index.  A post whose front matter cannot
 * be read is skipped with a warning naming it.  Returns NULL with errbuf
 * set only when the directory exists but cannot be listed.  Owned by the
 * caller: postindex_free().
 */
struct postindex *postindex_build(const char *content_dir, char *errbuf,
	    size_t errlen);
void	 postindex_free(struct postindex *);
size_t	 postindex_count(const struct postindex *);	/* posts indexed */

/*
 * Find a post naming normurl (already normalised) as a source.  Returns 1
 * and fills m (when not NULL), or 0.
 */
int	 postindex_find(const struct postindex *, const char *normurl,
	    struct post_match *m);
/*
 * Post k (0 <= k < postindex_count(), in path order) into pi: 1, or 0
 * when k is out of range.
 */
int	 postindex_post(const struct postindex *, size_t k,
	    struct post_info *pi);
/*
 * 1 when a post dated at or after since lists normurl in sources[].url
 * (the cooldown rule; legacy source.url is not considered), with the
 * newest such post in m (when not NULL); else 0.
 */
int	 postindex_recent(const struct postindex *, const char *normurl,
	    int64_t since, struct post_match *m);

#endif /* POSTINDEX_H */
