/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * frontmatter.h: reading what the post index needs from the front matter
 * of one content file, in each format Hugo accepts: YAML between "---"
 * lines, TOML between "+++" lines, and a JSON object at the top of the
 * file.  Only the front matter is read, never the body.
 */
#ifndef FRONTMATTER_H
#define FRONTMATTER_H

#include <stddef.h>

enum fm_format {
	FM_YAML,
	FM_TOML,
	FM_JSON
};

/* A source URL a post names, as written (not normalised). */
struct fm_source {
	char		*fs_url;	/* owned */
	int		 fs_legacy;	/* from the legacy source.url */
};

/*
 * The keys the index reads: the top-level "date", "title" and "tags"
 * (a list of strings), "url" of each element of the list "sources", and
 * "url" of the legacy mapping "source".
 */
struct front_matter {
	enum fm_format	  fm_format;
	char		 *fm_date;	/* owned, or NULL when absent or null */
	char		 *fm_title;	/* owned, or NULL when absent or null */
	char		**fm_tags;	/* owned, each owned */
	size_t		  fm_ntags;
	struct fm_source *fm_sources;
	size_t		  fm_nsources;
};

/*
 * Read the front matter of the content file at path into fm (owned by the
 * caller: front_matter_release(), also on error).  Reads no further than
 * the end of the front matter.  Returns 1, 0 when the file has none, or
 * -1 with err saying why it cannot be read (the line for a syntax error).
 */
int	 front_matter_read(const char *path, struct front_matter *fm,
	    char *err, size_t errlen);

/*
 * The text of the front matter of the file at path, without its
 * delimiters, in *text (owned, NUL-terminated, *len bytes) and its format.
 * Returns 1, 0 when the file has none (*text NULL), or -1 with err set.
 */
int	 front_matter_read_text(const char *path, enum fm_format *format,
	    char **text, size_t *len, char *err, size_t errlen);

/*
 * Parse the len bytes of front matter text (without its delimiters) of
 * the given format into fm.  first_line is the file's line number of the
 * text's first line, for errors.  Returns 0, or -1 with err set.
 */
int	 front_matter_parse(enum fm_format, const char *text, size_t len,
	    size_t first_line, struct front_matter *fm, char *err,
	    size_t errlen);

/* The TOML reader behind front_matter_parse() (frontmatter_toml.c). */
int	 front_matter_parse_toml(const char *text, size_t len,
	    size_t first_line, struct front_matter *fm, char *err,
	    size_t errlen);

/* Add a source URL (copied) to fm; for the format readers. */
void	 front_matter_add_source(struct front_matter *fm, const char *url,
	    size_t len, int legacy);

/* Add a tag (copied) to fm; for the format readers. */
void	 front_matter_add_tag(struct front_matter *fm, const char *tag,
	    size_t len);

void	 front_matter_release(struct front_matter *fm);

#endif /* FRONTMATTER_H */
