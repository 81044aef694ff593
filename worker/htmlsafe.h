/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * htmlsafe.h: makes a Markdown article body safe to render with raw HTML
 * enabled (Hugo's markup.goldmark.renderer.unsafe = true).  The raw HTML
 * in the body is parsed with libxml2's HTML parser and written back
 * through an allowlist of elements and attributes; Markdown links,
 * images, link definitions and autolinks whose URL has a scheme other
 * than http, https or mailto become plain text.  Code (fenced, indented,
 * code spans) is left byte for byte.  docs/HARDENING.md has the policy.
 */
#ifndef HTMLSAFE_H
#define HTMLSAFE_H

#include <stddef.h>

/* What htmlsafe_markdown() took out, for the log. */
struct htmlsafe_stats {
	size_t	hs_elements;	/* elements removed, with or without content */
	size_t	hs_attributes;	/* attributes removed from kept elements */
	size_t	hs_urls;	/* links, images, definitions made text */
	size_t	hs_other;	/* comments, PIs, CDATA, stray '<' escaped */
};

/* The largest body htmlsafe_markdown() accepts (bytes). */
#define HTMLSAFE_INPUT_MAX	(16u * 1024 * 1024)

/* htmlsafe_url_ok() flags. */
#define HTMLSAFE_URL_IMAGE	0x1	/* data:image/{png,gif,jpeg,webp};base64 is fine */

/*
 * Return the safe form of the Markdown body md (len bytes, need not be
 * NUL-terminated) as an owned NUL-terminated string.  st, when not NULL,
 * is filled with what was removed.  Returns NULL with errno ENOMEM when
 * memory runs out, EFBIG when len is over HTMLSAFE_INPUT_MAX, or ELIBACC
 * when libxml2 cannot be loaded (xmlapi_load() says why): raw HTML cannot
 * be made safe without its parser, so a body that got NULL must not be
 * published.
 */
char	*htmlsafe_markdown(const char *md, size_t len,
	    struct htmlsafe_stats *st);

/*
 * 1 when url (len bytes, entities already decoded) is relative or has
 * the scheme http, https or mailto (or, with HTMLSAFE_URL_IMAGE, is a
 * base64 data: URL of a PNG, GIF, JPEG or WebP image); 0 otherwise.
 * Leading spaces and control characters and every tab, CR and LF are
 * ignored, as a browser does, before the scheme is read.
 */
int	 htmlsafe_url_ok(const char *url, size_t len, int flags);

#endif /* HTMLSAFE_H */
