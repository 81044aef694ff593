/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * mermaid.h: Mermaid diagram code as a model returns it: taking it out of
 * a reply, and a syntax and safety check in C before anything reaches an
 * article.  Sites render Mermaid in the reader's browser, so the check
 * also refuses what could run there: HTML, script URLs, click and link
 * interactions, configuration directives.
 */
#ifndef MERMAID_H
#define MERMAID_H

#include <stddef.h>

#define MERMAID_MAX_LINES	80	/* lines of diagram code */
#define MERMAID_MAX_BYTES	6000	/* bytes of diagram code */
#define MERMAID_MAX_NODES	30	/* distinct flowchart node ids */
#define MERMAID_CAPTION_MAX	120	/* characters of a caption */

/*
 * The diagram code of a model's reply: the body of a ```mermaid fence,
 * else of the first fence whose body starts with a diagram type, else
 * the bare text from the first line that starts with a diagram type.  A
 * line "Caption: ..." outside the code is returned in *caption (owned,
 * cleaned by mermaid_clean_caption(), NULL when there is none or it is
 * empty; caption may be NULL).  Returns the code (owned, without fences,
 * trailing blank lines dropped), or NULL when the reply holds no diagram.
 */
char	*mermaid_extract(const char *reply, char **caption);

/*
 * A caption fit for one Markdown line: the first line of raw, without
 * surrounding blanks, quotes, control characters, Markdown markers
 * (* _ ` [ ] < > # | \) and braces (so no Hugo shortcode opener), at
 * most MERMAID_CAPTION_MAX characters (cut at a word).  Owned; "" when
 * nothing is left.
 */
char	*mermaid_clean_caption(const char *raw);

/*
 * Check diagram code (as returned by mermaid_extract()).  The first line
 * that is not blank or a %% comment names a known type: flowchart or
 * graph (with an optional direction TD, TB, LR, RL or BT),
 * sequenceDiagram, classDiagram, stateDiagram(-v2), erDiagram, pie,
 * gantt, mindmap or timeline.  Flowcharts and sequence diagrams are
 * parsed statement by statement (node ids, shapes and labels, arrows and
 * |labels|, subgraph/end; participants, messages, notes and blocks); the
 * other types get per-line bracket and quote balance and their line
 * shapes.  Refused everywhere: more than MERMAID_MAX_LINES lines or
 * MERMAID_MAX_BYTES bytes, control characters, ``` or ~~~, HTML tags
 * other than <br>, "javascript:" and "vbscript:", "url(", "@import",
 * %%{...}%% directives, click/link/links interactions, "{{<" and "{{%".
 * Returns 0 when the code passes, or -1 with errbuf saying why ("line 3:
 * ...").
 */
int	 mermaid_check(const char *code, char *errbuf, size_t errlen);

#endif /* MERMAID_H */
