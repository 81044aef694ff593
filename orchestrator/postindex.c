/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * postindex.c: the index of existing posts.  Selection asks two questions
 * of every item: "does a post already name this source?" and "was it
 * named by a post in the last N days?".  The original answered them by
 * re-parsing every post's YAML for every item (original-pipeline.md §2.1,
 * §9 item 13); here the content directory is read once per run and each
 * normalised source URL goes into a hash table, so each question costs one
 * lookup.
 *
 * The posts are every content file Hugo would read under the content
 * directory: Markdown, HTML and the other content formats, in nested
 * directories, page bundles (dir/index.md, whose other files are
 * resources) and branch pages (_index.md).  frontmatter.c reads each
 * one's front matter, in any of its formats; only its date, title, tags
 * and the source URLs it names (sources[].url and the legacy source.url)
 * are kept: the URLs answer the two questions above, and all of it
 * describes the post's story for the same_story rule (samestory.h).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontmatter.h"
#include "item.h"
#include "log.h"
#include "postindex.h"
#include "urlnorm.h"
#include "util.h"
#include "xmalloc.h"

/* Directories deeper than this below the content directory are not read. */
#define PI_DEPTH_MAX	16

struct pi_ref {
	size_t		 r_post;	/* index into pi_posts */
	int		 r_legacy;	/* named only through source.url */
};

/* One normalised URL and every post naming it; e_url NULL when free. */
struct pi_entry {
	char		*e_url;
	uint64_t	 e_hash;
	struct pi_ref	*e_refs;
	size_t		 e_nrefs;
	size_t		 e_refcap;
};

struct pi_post {
	char		*p_path;
	int64_t		 p_date;	/* 0: the post has no usable date */
	char		*p_title;	/* or NULL */
	char		**p_tags;
	size_t		 p_ntags;
	const char	**p_urls;	/* normalised, borrowed from pi_tab */
	size_t		 p_nurls;
};

struct postindex {
	struct pi_post	*pi_posts;
	size_t		 pi_nposts;
	size_t		 pi_postcap;
	struct pi_entry	*pi_tab;	/* open addressing */
	size_t		 pi_tabsize;	/* 0 or a power of two */
	size_t		 pi_nurls;
};

/* The slot holding url, or the free slot where it would go. */
static struct pi_entry *
tab_slot(struct pi_entry *tab, size_t size, const char *url, uint64_t h)
{
	struct pi_entry	*e;
	size_t		 j, mask = size - 1;

	for (j = h & mask;; j = (j + 1) & mask) {
		e = &tab[j];
		if (e->e_url == NULL ||
		    (e->e_hash == h && strcmp(e->e_url, url) == 0))
			return (e);
	}
}

static void
tab_grow(struct postindex *idx)
{
	struct pi_entry	*ntab, *e;
	size_t		 nsize, j;

	nsize = idx->pi_tabsize == 0 ? 64 : idx->pi_tabsize * 2;
	ntab = xcalloc(nsize, sizeof(*ntab));
	for (j = 0; j < idx->pi_tabsize; j++) {
		if (idx->pi_tab[j].e_url == NULL)
			continue;
		e = tab_slot(ntab, nsize, idx->pi_tab[j].e_url,
		    idx->pi_tab[j].e_hash);
		*e = idx->pi_tab[j];
	}
	free(idx->pi_tab);
	idx->pi_tab = ntab;
	idx->pi_tabsize = nsize;
}

/* Record that post names url (moved in); returns the table's copy. */
static const char *
tab_add(struct postindex *idx, char *url, size_t post, int legacy)
{
	struct pi_entry	*e;
	struct pi_ref	*r;
	uint64_t	 h;

	h = hash_fnv1a(url);
	/* Keep the load factor at or below one half. */
	if ((idx->pi_nurls + 1) * 2 > idx->pi_tabsize)
		tab_grow(idx);
	e = tab_slot(idx->pi_tab, idx->pi_tabsize, url, h);
	if (e->e_url == NULL) {
		e->e_url = url;
		e->e_hash = h;
		idx->pi_nurls++;
	} else
		free(url);
	/* A post naming the URL twice has one ref: legacy only if both are. */
	if (e->e_nrefs > 0 && e->e_refs[e->e_nrefs - 1].r_post == post) {
		r = &e->e_refs[e->e_nrefs - 1];
		r->r_legacy = r->r_legacy && legacy;
		return (e->e_url);
	}
	if (e->e_nrefs == e->e_refcap) {
		e->e_refcap = e->e_refcap == 0 ? 1 : e->e_refcap * 2;
		e->e_refs = xreallocarray(e->e_refs, e->e_refcap,
		    sizeof(*e->e_refs));
	}
	e->e_refs[e->e_nrefs].r_post = post;
	e->e_refs[e->e_nrefs].r_legacy = legacy;
	e->e_nrefs++;
	return (e->e_url);
}

static const struct pi_entry *
tab_find(const struct postindex *idx, const char *url)
{
	const struct pi_entry	*e;

	if (idx == NULL || url == NULL || idx->pi_tabsize == 0)
		return (NULL);
	e = tab_slot(idx->pi_tab, idx->pi_tabsize, url, hash_fnv1a(url));
	return (e->e_url != NULL ? e : NULL);
}

static void
post_release(struct pi_post *p)
{
	size_t	k;

	free(p->p_path);
	free(p->p_title);
	for (k = 0; k < p->p_ntags; k++)
		free(p->p_tags[k]);
	free(p->p_tags);
	free(p->p_urls);
}

void
postindex_free(struct postindex *idx)
{
	size_t	j;

	if (idx == NULL)
		return;
	for (j = 0; j < idx->pi_tabsize; j++) {
		free(idx->pi_tab[j].e_url);
		free(idx->pi_tab[j].e_refs);
	}
	free(idx->pi_tab);
	for (j = 0; j < idx->pi_nposts; j++) {
		post_release(&idx->pi_posts[j]);
	}
	free(idx->pi_posts);
	free(idx);
}

size_t
postindex_count(const struct postindex *idx)
{
	return (idx != NULL ? idx->pi_nposts : 0);
}

/*
 * Of the posts naming normurl, report the newest one that names it in
 * sources[].url, else the newest naming it in the legacy source.url.
 * pm_path is borrowed from the index.
 */
int
postindex_find(const struct postindex *idx, const char *normurl,
    struct post_match *m)
{
	const struct pi_entry	*e;
	const struct pi_ref	*r, *best = NULL;
	size_t			 k;

	if ((e = tab_find(idx, normurl)) == NULL)
		return (0);
	for (k = 0; k < e->e_nrefs; k++) {
		r = &e->e_refs[k];
		if (best == NULL || (best->r_legacy && !r->r_legacy) ||
		    (best->r_legacy == r->r_legacy &&
		    idx->pi_posts[r->r_post].p_date >
		    idx->pi_posts[best->r_post].p_date))
			best = r;
	}
	if (best == NULL)
		return (0);
	if (m != NULL) {
		m->pm_path = idx->pi_posts[best->r_post].p_path;
		m->pm_date = idx->pi_posts[best->r_post].p_date;
		m->pm_legacy = best->r_legacy;
	}
	return (1);
}

int
postindex_post(const struct postindex *idx, size_t k, struct post_info *pi)
{
	const struct pi_post	*p;

	if (idx == NULL || k >= idx->pi_nposts)
		return (0);
	p = &idx->pi_posts[k];
	pi->pi_path = p->p_path;
	pi->pi_date = p->p_date;
	pi->pi_title = p->p_title;
	pi->pi_tags = (const char *const *)p->p_tags;
	pi->pi_ntags = p->p_ntags;
	pi->pi_urls = p->p_urls;
	pi->pi_nurls = p->p_nurls;
	return (1);
}

int
postindex_recent(const struct postindex *idx, const char *normurl,
    int64_t since, struct post_match *m)
{
	const struct pi_entry	*e;
	const struct pi_post	*p, *best = NULL;
	size_t			 k;

	if ((e = tab_find(idx, normurl)) == NULL)
		return (0);
	for (k = 0; k < e->e_nrefs; k++) {
		p = &idx->pi_posts[e->e_refs[k].r_post];
		if (!e->e_refs[k].r_legacy && p->p_date != 0 &&
		    p->p_date >= since &&
		    (best == NULL || p->p_date > best->p_date))
			best = p;
	}
	if (best == NULL)
		return (0);
	if (m != NULL) {
		m->pm_path = best->p_path;
		m->pm_date = best->p_date;
		m->pm_legacy = 0;
	}
	return (1);
}

/* Index one post; a post that cannot be read is skipped with a warning. */
static void
index_post(struct postindex *idx, char *path)
{
	struct front_matter	 fm;
	struct pi_post		*post;
	char			 err[256], *norm;
	int64_t			 date = 0;
	size_t			 k;
	int			 r;

	if ((r = front_matter_read(path, &fm, err, sizeof(err))) != 1) {
		if (r == 0)
			log_warnx("%s: no front matter; skipped", path);
		else
			log_warnx("%s: %s; skipped", path, err);
		front_matter_release(&fm);
		free(path);
		return;
	}
	if (fm.fm_date != NULL && item_parse_time(fm.fm_date, &date) == -1) {
		log_warnx("%s: date '%s' not understood; the post does not "
		    "count for the cooldown", path, fm.fm_date);
		date = 0;
	}

	if (idx->pi_nposts == idx->pi_postcap) {
		idx->pi_postcap = idx->pi_postcap == 0 ? 64 :
		    idx->pi_postcap * 2;
		idx->pi_posts = xreallocarray(idx->pi_posts, idx->pi_postcap,
		    sizeof(*idx->pi_posts));
	}
	post = &idx->pi_posts[idx->pi_nposts];
	memset(post, 0, sizeof(*post));
	post->p_path = path;
	post->p_date = date;
	post->p_title = fm.fm_title;
	fm.fm_title = NULL;
	post->p_tags = fm.fm_tags;
	post->p_ntags = fm.fm_ntags;
	fm.fm_tags = NULL;
	fm.fm_ntags = 0;
	if (fm.fm_nsources > 0)
		post->p_urls = xreallocarray(NULL, fm.fm_nsources,
		    sizeof(*post->p_urls));
	for (k = 0; k < fm.fm_nsources; k++)
		if ((norm = url_normalize(fm.fm_sources[k].fs_url)) != NULL)
			post->p_urls[post->p_nurls++] = tab_add(idx, norm,
			    idx->pi_nposts, fm.fm_sources[k].fs_legacy);
	idx->pi_nposts++;
	front_matter_release(&fm);
}

/*
 * The extensions of Hugo's content formats (Markdown, HTML, AsciiDoc,
 * Pandoc, reStructuredText).  Org files are not read: their front matter
 * is written in Org syntax.
 */
static const char *const content_exts[] = {
	"md", "markdown", "mdown", "html", "htm", "ad", "adoc", "asciidoc",
	"pandoc", "pdc", "rst",
};

/* One directory entry worth looking at. */
struct pi_name {
	char	*n_name;
	int	 n_dir;
};

/* 1 when name (not hidden) ends in one of content_exts. */
static int
is_content_file(const char *name)
{
	const char	*dot;
	size_t		 k;

	if ((dot = strrchr(name, '.')) == NULL || dot == name)
		return (0);
	for (k = 0; k < nitems(content_exts); k++)
		if (strcmp(dot + 1, content_exts[k]) == 0)
			return (1);
	return (0);
}

/* 1 when name is base.<content extension> ("index.md", "_index.html"). */
static int
is_named(const char *name, const char *base)
{
	size_t	n = strlen(base);

	return (strncmp(name, base, n) == 0 && name[n] == '.' &&
	    is_content_file(name));
}

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(((const struct pi_name *)a)->n_name,
	    ((const struct pi_name *)b)->n_name));
}

/*
 * The content files and subdirectories of path, sorted by name, into
 * *namesp (owned, each n_name too).  Dotfiles and editor droppings are
 * left out.  Returns their number, or -1 with errno set.
 */
static ssize_t
list_dir(const char *path, struct pi_name **namesp)
{
	struct pi_name	*names = NULL;
	struct dirent	*de;
	struct stat	 st;
	DIR		*dir;
	size_t		 n = 0, cap = 0, len;
	int		 is_dir;

	*namesp = NULL;
	if ((dir = opendir(path)) == NULL)
		return (-1);
	while ((de = readdir(dir)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || de->d_name[0] == '#' ||
		    de->d_name[len - 1] == '~')
			continue;
		if (de->d_type == DT_DIR)
			is_dir = 1;
		else if (de->d_type == DT_REG)
			is_dir = 0;
		else if (fstatat(dirfd(dir), de->d_name, &st, 0) == 0)
			is_dir = S_ISDIR(st.st_mode);
		else
			is_dir = 0;	/* a dangling link: reported if read */
		if (!is_dir && !is_content_file(de->d_name))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n].n_name = xstrdup(de->d_name);
		names[n].n_dir = is_dir;
		n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	*namesp = names;
	return ((ssize_t)n);
}

/*
 * Index the content files of directory path and, depth first, of its
 * subdirectories, in name order.  A subdirectory holding an index file
 * is a page bundle (a leaf bundle): that file is the page and the rest of
 * the directory its resources, so only it is read.  An _index file (a
 * branch bundle's page) is read like any other file.  Returns 0, or -1
 * with errno set when path cannot be listed.
 */
static int
walk_dir(struct postindex *idx, const char *path, int depth)
{
	struct pi_name	*names;
	ssize_t		 n;
	size_t		 k, leaf = SIZE_MAX;
	char		*sub;

	if ((n = list_dir(path, &names)) == -1)
		return (-1);
	for (k = 0; depth > 0 && k < (size_t)n && leaf == SIZE_MAX; k++)
		if (!names[k].n_dir && is_named(names[k].n_name, "index"))
			leaf = k;
	for (k = 0; k < (size_t)n; k++) {
		if (leaf != SIZE_MAX && k != leaf)
			continue;
		xasprintf(&sub, "%s/%s", path, names[k].n_name);
		if (!names[k].n_dir)
			index_post(idx, sub);		/* moved in */
		else {
			if (depth >= PI_DEPTH_MAX)
				log_warnx("%s: more than %d directories "
				    "deep; not read", sub, PI_DEPTH_MAX);
			else if (walk_dir(idx, sub, depth + 1) == -1)
				log_warn("%s; skipped", sub);
			free(sub);
		}
	}
	for (k = 0; k < (size_t)n; k++)
		free(names[k].n_name);
	free(names);
	return (0);
}

/*
 * Posts are read in name order, so the index (and which post a lookup
 * reports on a tie) does not depend on the directory's order.  The index
 * is owned by the caller; NULL with errbuf set only when content_dir
 * exists but cannot be listed.
 */
struct postindex *
postindex_build(const char *content_dir, char *errbuf, size_t errlen)
{
	struct postindex	*idx;

	idx = xcalloc(1, sizeof(*idx));
	if (walk_dir(idx, content_dir, 0) == -1) {
		if (errno == ENOENT)
			return (idx);
		snprintf(errbuf, errlen, "%s: %s", content_dir,
		    strerror(errno));
		free(idx);
		return (NULL);
	}
	return (idx);
}
