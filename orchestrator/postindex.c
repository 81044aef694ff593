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
 * Only the front matter is read, and only three keys matter: the
 * top-level "date", the list "sources" (each element a mapping that may
 * have "url") and the legacy mapping "source" with "url".  The reader is
 * a small line-oriented one for the block-style YAML that posts are
 * written in: PyYAML's (plain and single-quoted scalars, lists at the
 * same indentation as their key, long strings folded over several lines)
 * and ours (double-quoted scalars with backslash escapes).  Flow-style
 * collections and block scalars are stepped over, not read.
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

#include "buf.h"
#include "item.h"
#include "log.h"
#include "postindex.h"
#include "urlnorm.h"
#include "util.h"
#include "xmalloc.h"

/* Front matter longer than this is not a post's. */
#define FM_READ_MAX	(1024 * 1024)
#define FM_CHUNK	(16 * 1024)
#define NONE		SIZE_MAX
/* Front matter line i is line i + 2 of the file, after the "---". */
#define FM_LINE(i)	((i) + 2)

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
};

struct postindex {
	struct pi_post	*pi_posts;
	size_t		 pi_nposts;
	size_t		 pi_postcap;
	struct pi_entry	*pi_tab;	/* open addressing */
	size_t		 pi_tabsize;	/* 0 or a power of two */
	size_t		 pi_nurls;
};

/* The URLs one post names, gathered before the post is committed. */
struct fm_url {
	char		*u_url;		/* normalised, owned */
	int		 u_legacy;
};

/* The front matter of one post, split into NUL-terminated lines. */
struct fm {
	char		**f_lines;
	size_t		  f_nlines;
	struct fm_url	 *f_urls;
	size_t		  f_nurls;
	char		 *f_date;	/* the date, owned, or NULL */
	char		  f_err[160];
};

/* One line of front matter, as fm_read_item() splits it. */
struct fm_item {
	int		 fi_seq;	/* began with "- " */
	size_t		 fi_col;	/* column of the key or scalar */
	char		*fi_key;	/* owned; NULL when no "key:" */
	char		*fi_val;	/* owned; NULL: empty, null, nested */
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

/* Record that post names url (moved in). */
static void
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
		return;
	}
	if (e->e_nrefs == e->e_refcap) {
		e->e_refcap = e->e_refcap == 0 ? 1 : e->e_refcap * 2;
		e->e_refs = xreallocarray(e->e_refs, e->e_refcap,
		    sizeof(*e->e_refs));
	}
	e->e_refs[e->e_nrefs].r_post = post;
	e->e_refs[e->e_nrefs].r_legacy = legacy;
	e->e_nrefs++;
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
	for (j = 0; j < idx->pi_nposts; j++)
		free(idx->pi_posts[j].p_path);
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
postindex_recent(const struct postindex *idx, const char *normurl,
    int64_t since)
{
	const struct pi_entry	*e;
	const struct pi_ref	*r;
	size_t			 k;

	if ((e = tab_find(idx, normurl)) == NULL)
		return (0);
	for (k = 0; k < e->e_nrefs; k++) {
		r = &e->e_refs[k];
		if (!r->r_legacy && idx->pi_posts[r->r_post].p_date != 0 &&
		    idx->pi_posts[r->r_post].p_date >= since)
			return (1);
	}
	return (0);
}

/* ---- the front matter reader ---- */

static size_t
indent_of(const char *s)
{
	size_t	n = 0;

	while (s[n] == ' ')
		n++;
	return (n);
}

/* 1 when the line holds only blanks, or is a comment. */
static int
is_blank_line(const char *s)
{
	s += strspn(s, " \t");
	return (*s == '\0' || *s == '#');
}

static void
put_utf8(struct buf *b, uint32_t c)
{
	char	u[4];

	if (c < 0x80)
		buf_putc(b, (char)c);
	else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		buf_append(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		buf_append(b, u, 4);
	}
}

/*
 * Decode the escape after a backslash at *pp (which points past the
 * backslash) onto b.  Returns 0, or -1 on an unknown escape.
 */
static int
put_escape(struct buf *b, const char **pp)
{
	const char	*p = *pp;
	uint32_t	 c = 0;
	int		 n = 0, k, x;

	switch (*p) {
	case '0':	buf_putc(b, '\0'); break;
	case 'a':	buf_putc(b, '\a'); break;
	case 'b':	buf_putc(b, '\b'); break;
	case 't':
	case '\t':	buf_putc(b, '\t'); break;
	case 'n':	buf_putc(b, '\n'); break;
	case 'v':	buf_putc(b, '\v'); break;
	case 'f':	buf_putc(b, '\f'); break;
	case 'r':	buf_putc(b, '\r'); break;
	case 'e':	buf_putc(b, 0x1b); break;
	case ' ':
	case '"':
	case '/':
	case '\\':	buf_putc(b, *p); break;
	case 'N':	put_utf8(b, 0x85); break;
	case '_':	put_utf8(b, 0xa0); break;
	case 'L':	put_utf8(b, 0x2028); break;
	case 'P':	put_utf8(b, 0x2029); break;
	case 'x':	n = 2; break;
	case 'u':	n = 4; break;
	case 'U':	n = 8; break;
	default:
		return (-1);
	}
	for (k = 1; k <= n; k++) {
		x = (unsigned char)p[k];
		if (x >= '0' && x <= '9')
			c = c * 16 + (uint32_t)(x - '0');
		else if (x >= 'a' && x <= 'f')
			c = c * 16 + (uint32_t)(x - 'a' + 10);
		else if (x >= 'A' && x <= 'F')
			c = c * 16 + (uint32_t)(x - 'A' + 10);
		else
			return (-1);
	}
	if (n > 0) {
		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return (-1);
		put_utf8(b, c);
	}
	*pp = p + 1 + n;
	return (0);
}

/*
 * Read the quoted scalar starting at the quote p points to, in line *ip.
 * When multiline is set it may go on over the following lines, which are
 * folded as YAML folds flow scalars (a line break becomes a space, each
 * empty line a newline, blanks around the break dropped); *ip is then the
 * line it ends on.  The decoded text goes to out and *endp points past
 * the closing quote.  Returns 0, or -1 with f_err set.
 */
static int
read_quoted(struct fm *fm, size_t *ip, const char *p, int multiline,
    struct buf *out, const char **endp)
{
	size_t	i = *ip, hard = 0, start = *ip;
	char	q = *p++;
	int	joined;

	/* hard: the length of out without blanks that may end a line */
	for (;;) {
		if (*p == '\0') {
			if (!multiline || i + 1 >= fm->f_nlines)
				goto unterminated;
			/* Blanks before a line break are not content. */
			out->b_len = hard;
			if (out->b_data != NULL)
				out->b_data[hard] = '\0';
			joined = 0;
			while (++i < fm->f_nlines &&
			    fm->f_lines[i][strspn(fm->f_lines[i], " \t")] ==
			    '\0') {
				buf_putc(out, '\n');
				joined = 1;
			}
			if (i >= fm->f_nlines)
				goto unterminated;
			if (!joined)
				buf_putc(out, ' ');
			hard = out->b_len;
			p = fm->f_lines[i] + strspn(fm->f_lines[i], " \t");
			continue;
		}
		if (q == '\'' && *p == '\'') {
			if (p[1] != '\'') {
				p++;
				break;
			}
			buf_putc(out, '\'');
			p += 2;
			hard = out->b_len;
		} else if (q == '"' && *p == '"') {
			p++;
			break;
		} else if (q == '"' && *p == '\\') {
			p++;
			if (*p == '\0') {
				/* An escaped line break joins the lines. */
				if (!multiline || ++i >= fm->f_nlines)
					goto unterminated;
				p = fm->f_lines[i] + strspn(fm->f_lines[i],
				    " \t");
			} else if (put_escape(out, &p) == -1) {
				snprintf(fm->f_err, sizeof(fm->f_err),
				    "line %zu: bad escape in a double-quoted "
				    "string", FM_LINE(i));
				return (-1);
			}
			hard = out->b_len;
		} else {
			buf_putc(out, *p);
			if (*p != ' ' && *p != '\t')
				hard = out->b_len;
			p++;
		}
	}
	*ip = i;
	*endp = p;
	return (0);

 unterminated:
	snprintf(fm->f_err, sizeof(fm->f_err), "line %zu: unterminated "
	    "%s-quoted string", FM_LINE(start), q == '"' ? "double" : "single");
	return (-1);
}

/*
 * Step over a flow collection ("[...]" or "{...}") starting at p in line
 * *ip, over several lines if it must.  Returns 0, or -1 with f_err set.
 */
static int
skip_flow(struct fm *fm, size_t *ip, const char *p)
{
	struct buf	 tmp;
	size_t		 i = *ip, depth = 0;

	buf_init(&tmp);
	for (;;) {
		if (*p == '\0') {
			if (depth == 0)
				break;
			if (++i >= fm->f_nlines) {
				snprintf(fm->f_err, sizeof(fm->f_err),
				    "line %zu: unclosed flow collection",
				    FM_LINE(*ip));
				buf_release(&tmp);
				return (-1);
			}
			p = fm->f_lines[i];
			continue;
		}
		if (*p == '"' || *p == '\'') {
			buf_reset(&tmp);
			if (read_quoted(fm, &i, p, 1, &tmp, &p) == -1) {
				buf_release(&tmp);
				return (-1);
			}
			continue;
		}
		if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && depth > 0 && --depth == 0)
			break;
		p++;
	}
	buf_release(&tmp);
	*ip = i;
	return (0);
}

/*
 * Read the scalar value v (in line *ip) of a node whose parent sits at
 * column parent: a quoted scalar, a plain one (with its continuation
 * lines, indented deeper than parent), or something stepped over (block
 * scalar, flow collection, alias, nothing).  *out is owned, or NULL when
 * there is no scalar or it is null.  Returns 0, or -1 with f_err set.
 */
static int
read_scalar(struct fm *fm, size_t *ip, const char *v, size_t parent,
    char **out)
{
	struct buf	 b;
	const char	*end, *line;
	size_t		 i, n;

	*out = NULL;
	/* A tag or an anchor may come before the value. */
	while (*v == '!' || *v == '&') {
		v += strcspn(v, " \t");
		v += strspn(v, " \t");
	}
	if (*v == '\0' || *v == '#' || *v == '*')
		return (0);
	if (*v == '[' || *v == '{')
		return (skip_flow(fm, ip, v));
	if (*v == '|' || *v == '>') {
		for (i = *ip + 1; i < fm->f_nlines; i++) {
			line = fm->f_lines[i];
			if (line[strspn(line, " \t")] != '\0' &&
			    indent_of(line) <= parent)
				break;
		}
		*ip = i - 1;
		return (0);
	}
	buf_init(&b);
	if (*v == '"' || *v == '\'') {
		if (read_quoted(fm, ip, v, 1, &b, &end) == -1) {
			buf_release(&b);
			return (-1);
		}
		*out = buf_detach(&b);
		return (0);
	}

	/* A plain scalar ends at " #"; it may go on over deeper lines. */
	for (i = *ip;;) {
		end = strstr(v, " #");
		n = end != NULL ? (size_t)(end - v) : strlen(v);
		while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		buf_append(&b, v, n);
		if (end != NULL)
			break;
		/* Empty lines inside fold to newlines, if content follows. */
		for (n = i + 1; n < fm->f_nlines &&
		    fm->f_lines[n][strspn(fm->f_lines[n], " \t")] == '\0'; n++)
			;
		if (n >= fm->f_nlines || indent_of(fm->f_lines[n]) <= parent ||
		    fm->f_lines[n][indent_of(fm->f_lines[n])] == '#')
			break;
		if (n == i + 1)
			buf_putc(&b, ' ');
		for (i++; i < n; i++)
			buf_putc(&b, '\n');
		v = fm->f_lines[i] + strspn(fm->f_lines[i], " \t");
	}
	*ip = i;
	v = buf_cstr(&b);
	if (strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0)
		buf_release(&b);
	else
		*out = buf_detach(&b);
	return (0);
}

/*
 * If p starts "key:" (a plain or one-line quoted key followed by a colon
 * and a blank or the end of the line), set *key (owned) and *val to the
 * text after the colon and blanks, and return 1.  Else 0; -1 on a bad
 * quoted key, with f_err set.
 */
static int
read_key(struct fm *fm, size_t i, const char *p, char **key,
    const char **val)
{
	struct buf	 b;
	const char	*q;
	size_t		 n;

	*key = NULL;
	if (*p == '"' || *p == '\'') {
		buf_init(&b);
		if (read_quoted(fm, &i, p, 0, &b, &q) == -1) {
			buf_release(&b);
			return (-1);
		}
		q += strspn(q, " \t");
		if (*q != ':' || (q[1] != '\0' && q[1] != ' ' &&
		    q[1] != '\t')) {
			buf_release(&b);
			return (0);
		}
		*key = buf_detach(&b);
	} else {
		if (*p == '[' || *p == '{' || *p == '#')
			return (0);
		for (q = p; *q != '\0'; q++) {
			if (*q == ':' && (q[1] == '\0' || q[1] == ' ' ||
			    q[1] == '\t'))
				break;
			if ((*q == ' ' || *q == '\t') && q[1] == '#')
				return (0);
		}
		if (*q == '\0')
			return (0);
		n = (size_t)(q - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0)
			return (0);
		*key = xstrndup(p, n);
	}
	q++;
	*val = q + strspn(q, " \t");
	return (1);
}

static void
fm_item_release(struct fm_item *fi)
{
	free(fi->fi_key);
	free(fi->fi_val);
	memset(fi, 0, sizeof(*fi));
}

/*
 * Split line *ip (not blank) into a sequence mark, a key and a scalar
 * value, reading continuation lines (*ip is left on the last line used).
 * fi is owned by the caller: fm_item_release().  Returns 0 or -1.
 */
static int
fm_read_item(struct fm *fm, size_t *ip, struct fm_item *fi)
{
	const char	*line = fm->f_lines[*ip], *p, *val;
	size_t		 indent, parent;
	int		 r;

	memset(fi, 0, sizeof(*fi));
	indent = indent_of(line);
	p = line + indent;
	if (p[0] == '-' && (p[1] == '\0' || p[1] == ' ' || p[1] == '\t')) {
		fi->fi_seq = 1;
		p++;
		p += strspn(p, " \t");
	}
	fi->fi_col = (size_t)(p - line);
	if ((r = read_key(fm, *ip, p, &fi->fi_key, &val)) == -1)
		return (-1);
	if (r == 1)
		parent = fi->fi_col;
	else {
		val = p;
		parent = indent;
	}
	if (read_scalar(fm, ip, val, parent, &fi->fi_val) == -1) {
		fm_item_release(fi);
		return (-1);
	}
	return (0);
}

static void
fm_add_url(struct fm *fm, const char *url, int legacy)
{
	char	*norm;

	if ((norm = url_normalize(url)) == NULL)
		return;
	fm->f_urls = xreallocarray(fm->f_urls, fm->f_nurls + 1,
	    sizeof(*fm->f_urls));
	fm->f_urls[fm->f_nurls].u_url = norm;
	fm->f_urls[fm->f_nurls].u_legacy = legacy;
	fm->f_nurls++;
}

/*
 * Walk the lines of the front matter, collecting the date and the source
 * URLs into fm.  Returns 0, or -1 with f_err saying where it is broken.
 */
static int
fm_parse(struct fm *fm)
{
	enum { CTX_OTHER, CTX_SOURCES, CTX_SOURCE } ctx = CTX_OTHER;
	struct fm_item	 fi;
	size_t		 i, first, indent, seq_indent = NONE;
	size_t		 entry_col = NONE, map_indent = NONE;
	int		 pending = 0;

	for (i = 0; i < fm->f_nlines; i++) {
		if (is_blank_line(fm->f_lines[i]))
			continue;
		indent = indent_of(fm->f_lines[i]);
		if (fm->f_lines[i][indent] == '\t') {
			snprintf(fm->f_err, sizeof(fm->f_err),
			    "line %zu: tab used for indentation", FM_LINE(i));
			return (-1);
		}
		first = i;
		if (fm_read_item(fm, &i, &fi) == -1)
			return (-1);
		if (indent == 0 && !fi.fi_seq) {
			/* A top-level key. */
			if (fi.fi_key == NULL) {
				snprintf(fm->f_err, sizeof(fm->f_err),
				    "line %zu: expected \"key: value\"",
				    FM_LINE(first));
				fm_item_release(&fi);
				return (-1);
			}
			seq_indent = entry_col = map_indent = NONE;
			pending = 0;
			if (strcmp(fi.fi_key, "sources") == 0)
				ctx = CTX_SOURCES;
			else if (strcmp(fi.fi_key, "source") == 0)
				ctx = CTX_SOURCE;
			else {
				ctx = CTX_OTHER;
				if (strcmp(fi.fi_key, "date") == 0) {
					free(fm->f_date);
					fm->f_date = fi.fi_val;
					fi.fi_val = NULL;
				}
			}
		} else if (ctx == CTX_SOURCES) {
			if (fi.fi_seq && (seq_indent == NONE ||
			    indent == seq_indent)) {
				/* A new element of the sources list. */
				seq_indent = indent;
				entry_col = fi.fi_key != NULL ? fi.fi_col :
				    NONE;
				pending = fi.fi_key == NULL &&
				    fi.fi_val == NULL;
			} else if (!fi.fi_seq && pending &&
			    seq_indent != NONE && indent > seq_indent) {
				/* "-" alone; the mapping starts here. */
				entry_col = indent;
				pending = 0;
			}
			if (fi.fi_key != NULL && fi.fi_col == entry_col &&
			    strcmp(fi.fi_key, "url") == 0 && fi.fi_val != NULL)
				fm_add_url(fm, fi.fi_val, 0);
		} else if (ctx == CTX_SOURCE && !fi.fi_seq &&
		    fi.fi_key != NULL) {
			if (map_indent == NONE)
				map_indent = indent;
			if (indent == map_indent &&
			    strcmp(fi.fi_key, "url") == 0 && fi.fi_val != NULL)
				fm_add_url(fm, fi.fi_val, 1);
		}
		fm_item_release(&fi);
	}
	return (0);
}

static void
fm_release(struct fm *fm)
{
	size_t	k;

	for (k = 0; k < fm->f_nurls; k++)
		free(fm->f_urls[k].u_url);
	free(fm->f_urls);
	free(fm->f_lines);
	free(fm->f_date);
	memset(fm, 0, sizeof(*fm));
}

/* 1 when the len bytes at s are a "---" line (blanks and a CR may follow). */
static int
is_marker(const char *s, size_t len)
{
	size_t	n;

	if (len < 3 || strncmp(s, "---", 3) != 0)
		return (0);
	for (n = 3; n < len; n++)
		if (s[n] != ' ' && s[n] != '\t' && s[n] != '\r')
			return (0);
	return (1);
}

/*
 * Find the front matter in the len bytes read so far.  Returns 1 with
 * [*startp, *endp) set to its text, 0 when more input is needed, -1 when
 * the file has none, -2 when it is not closed (only decided at eof).
 */
static int
find_block(const char *data, size_t len, int eof, size_t *startp,
    size_t *endp)
{
	const char	*nl;
	size_t		 off = 0, start, ll;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	if (len - off >= 3 && memcmp(data + off, "---", 3) != 0)
		return (-1);
	if ((nl = memchr(data + off, '\n', len - off)) == NULL)
		return (eof ? -1 : 0);
	if (!is_marker(data + off, (size_t)(nl - data) - off))
		return (-1);
	start = off = (size_t)(nl - data) + 1;
	while (off < len) {
		nl = memchr(data + off, '\n', len - off);
		if (nl == NULL && !eof)
			return (0);
		ll = nl != NULL ? (size_t)(nl - data) - off : len - off;
		if (is_marker(data + off, ll)) {
			*startp = start;
			*endp = off;
			return (1);
		}
		if (nl == NULL)
			break;
		off = (size_t)(nl - data) + 1;
	}
	return (eof ? -2 : 0);
}

/*
 * Read the front matter of the post at path into *fmtext (owned, the text
 * between the two "---" lines).  Reads no further than the closing line.
 * Returns 1, 0 when the file has no front matter, -1 with err set when it
 * cannot be read or the front matter is not closed.
 */
static int
read_front(const char *path, char **fmtext, char *err, size_t errlen)
{
	struct stat	 st;
	char		*data = NULL;
	size_t		 len = 0, start = 0, end = 0;
	ssize_t		 r;
	int		 fd, found = 0, eof = 0, ret = -1;

	*fmtext = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		goto done;
	}
	data = xmalloc(FM_READ_MAX + 1);
	while (found == 0) {
		if (len == FM_READ_MAX) {
			snprintf(err, errlen, "front matter longer than %d "
			    "bytes", FM_READ_MAX);
			goto done;
		}
		r = read(fd, data + len, FM_READ_MAX - len < FM_CHUNK ?
		    FM_READ_MAX - len : FM_CHUNK);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "%s", strerror(errno));
			goto done;
		}
		eof = r == 0;
		len += (size_t)r;
		found = find_block(data, len, eof, &start, &end);
	}
	if (found == -1)
		ret = 0;
	else if (found == -2)
		snprintf(err, errlen, "front matter not closed by \"---\"");
	else {
		*fmtext = xstrndup(data + start, end - start);
		ret = 1;
	}

 done:
	free(data);
	close(fd);
	return (ret);
}

/* Split text (modified in place) into fm's lines, dropping CRs. */
static void
fm_split(struct fm *fm, char *text)
{
	char	*p, *nl;
	size_t	 n;

	for (p = text; *p != '\0'; p = nl + 1) {
		fm->f_lines = xreallocarray(fm->f_lines, fm->f_nlines + 1,
		    sizeof(*fm->f_lines));
		fm->f_lines[fm->f_nlines++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		else
			*nl = '\0';
		n = strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			p[n - 1] = '\0';
		if (nl[1] == '\0')
			break;
	}
}

/* Index one post; a post that cannot be read is skipped with a warning. */
static void
index_post(struct postindex *idx, char *path)
{
	struct fm	 fm;
	struct pi_post	*post;
	char		*text = NULL, err[160];
	int64_t		 date = 0;
	size_t		 k;
	int		 r;

	memset(&fm, 0, sizeof(fm));
	if ((r = read_front(path, &text, err, sizeof(err))) != 1) {
		if (r == 0)
			log_warnx("%s: no front matter; skipped", path);
		else
			log_warnx("%s: %s; skipped", path, err);
		free(path);
		return;
	}
	fm_split(&fm, text);
	if (fm_parse(&fm) == -1) {
		log_warnx("%s: front matter: %s; skipped", path, fm.f_err);
		goto done;
	}
	if (fm.f_date != NULL && item_parse_time(fm.f_date, &date) == -1) {
		log_warnx("%s: date '%s' not understood; the post does not "
		    "count for the cooldown", path, fm.f_date);
		date = 0;
	}

	if (idx->pi_nposts == idx->pi_postcap) {
		idx->pi_postcap = idx->pi_postcap == 0 ? 64 :
		    idx->pi_postcap * 2;
		idx->pi_posts = xreallocarray(idx->pi_posts, idx->pi_postcap,
		    sizeof(*idx->pi_posts));
	}
	post = &idx->pi_posts[idx->pi_nposts];
	post->p_path = path;
	post->p_date = date;
	path = NULL;
	for (k = 0; k < fm.f_nurls; k++) {
		tab_add(idx, fm.f_urls[k].u_url, idx->pi_nposts,
		    fm.f_urls[k].u_legacy);
		fm.f_urls[k].u_url = NULL;
	}
	idx->pi_nposts++;

 done:
	fm_release(&fm);
	free(text);
	free(path);
}

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
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
	struct dirent		*de;
	DIR			*dir;
	char			**names = NULL, *path;
	size_t			 n = 0, cap = 0, k, len;

	idx = xcalloc(1, sizeof(*idx));
	if ((dir = opendir(content_dir)) == NULL) {
		if (errno == ENOENT)
			return (idx);
		snprintf(errbuf, errlen, "%s: %s", content_dir,
		    strerror(errno));
		free(idx);
		return (NULL);
	}
	while ((de = readdir(dir)) != NULL) {
		len = strlen(de->d_name);
		/* Dotfiles, editor droppings and anything but *.md. */
		if (de->d_name[0] == '.' || de->d_name[0] == '#' || len < 4 ||
		    strcmp(de->d_name + len - 3, ".md") != 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (k = 0; k < n; k++) {
		xasprintf(&path, "%s/%s", content_dir, names[k]);
		index_post(idx, path);
		free(names[k]);
	}
	free(names);
	return (idx);
}
