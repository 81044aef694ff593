/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * slug.h: file-name slugs from article titles (original-pipeline.md §3.8).
 */
#ifndef SLUG_H
#define SLUG_H

#define SLUG_MAX	60
#define SLUG_UNTITLED	"untitled-article"

/*
 * Return the slug of title: ASCII only, [a-z0-9-], at most SLUG_MAX
 * characters, no leading, trailing or doubled '-'; SLUG_UNTITLED when
 * nothing is left.  title is UTF-8 (invalid bytes are dropped).  The result
 * is owned by the caller and never NULL.
 */
char	*slug_from_title(const char *title);

#endif /* SLUG_H */
