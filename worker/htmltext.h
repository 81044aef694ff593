/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * htmltext.h: readable text out of HTML, with libxml2's HTML parser.
 * Used for the pages enrichment fetches and for Mastodon's status HTML.
 */
#ifndef HTMLTEXT_H
#define HTMLTEXT_H

#include <stddef.h>

struct htmltext {
	char	*ht_text;	/* owned; paragraphs separated by "\n\n" */
	char	*ht_title;	/* owned; the <title>, or NULL */
	size_t	 ht_links;	/* <a href> elements seen in the kept text */
	int	 ht_truncated;	/* the text was cut at the cap */
};

/*
 * Parse len bytes of HTML (a document or a fragment) in the given charset
 * (NULL or "": UTF-8) and keep its readable text: script, style, nav,
 * header, footer, aside, form, noscript, template, svg and iframe
 * elements are dropped with everything inside; block elements end
 * paragraphs; <br> is a line break; runs of whitespace become one space
 * (inside <pre> they are kept); entities are decoded.  The text is cut
 * at maxbytes (never inside a UTF-8 sequence) and is valid UTF-8.
 * Returns 0 with ht filled (release with htmltext_release()), or -1 with
 * errbuf when the parser gives up on the input or libxml2 cannot be
 * loaded (xmlapi.h).  An empty input needs no parser: it gives "".
 */
int	 htmltext_extract(const char *html, size_t len, const char *charset,
	    size_t maxbytes, struct htmltext *ht, char *errbuf, size_t errlen);
void	 htmltext_release(struct htmltext *);

/*
 * The charset named in a Content-Type value ("text/html; charset=...")
 * copied into out, or "" when there is none.
 */
void	 htmltext_charset(const char *content_type, char *out, size_t outlen);

/* 1 when the bytes look like HTML (a tag within the first kilobyte). */
int	 htmltext_looks_html(const char *data, size_t len);

#endif /* HTMLTEXT_H */
