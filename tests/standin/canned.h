/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * canned.h: the deterministic text llm-standin puts in its completions: a
 * short title for title prompts and a markdown article for content
 * prompts.  The same prompt always gives the same text.
 */
#ifndef STANDIN_CANNED_H
#define STANDIN_CANNED_H

#include <stddef.h>
#include <stdint.h>

uint64_t canned_fnv1a(const char *, size_t);
size_t	 canned_utf8_chars(const char *, size_t);
int	 canned_is_title_request(const char *);
char	*canned_title(const char *);
char	*canned_article(const char *);
/*
 * An article like canned_article()'s that also carries hostile raw HTML
 * (script, iframe, object, embed, form, style, meta refresh, event
 * handlers, javascript: links, script in SVG), each with a HOSTILE-*
 * marker, and harmless HTML (table, figure, br, details, SVG) marked
 * BENIGN-*; see docs/STANDIN.md.  Owned by the caller.
 */
char	*canned_article_hostile(const char *);

/* A prompt holding this gets the hostile article (as the fault does). */
#define CANNED_MARK_HOSTILE	"STANDIN_HOSTILE"

#endif /* STANDIN_CANNED_H */
