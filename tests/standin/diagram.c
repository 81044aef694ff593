/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * diagram.c: the stand-in's diagram and validation answers.  A diagram
 * request is recognised by the phrase "Write one Mermaid diagram", a
 * validation request by "Judge the Mermaid diagram" (the prompts of
 * worker/diagram.c).  The diagram is a small flowchart named after the
 * "SECTION HEADING:" line of the prompt, followed by a caption line; the
 * verdict is {"ok": true, ...}.  The fault diagram_invalid, or the marker
 * STANDIN_DIAGRAM_INVALID in the prompt, gives a flowchart with an
 * unclosed label instead; diagram_reject, or STANDIN_DIAGRAM_REJECT,
 * gives {"ok": false, ...}.  The same prompt always gets the same answer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diagram.h"
#include "fault.h"
#include "xmalloc.h"

#define DIAGRAM_LABEL_MAX	40

/* The section heading of the prompt as a plain label (letters, digits). */
static char *
diagram_heading(const char *user)
{
	struct buf	 b;
	const char	*p;
	int		 space = 0;

	buf_init(&b);
	if ((p = strstr(user, "SECTION HEADING:")) != NULL) {
		for (p += 16; *p != '\0' && *p != '\n' &&
		    b.b_len < DIAGRAM_LABEL_MAX; p++) {
			if (isalnum((unsigned char)*p)) {
				if (space && b.b_len > 0)
					buf_putc(&b, ' ');
				space = 0;
				buf_putc(&b, *p);
			} else
				space = 1;
		}
	}
	if (b.b_len == 0)
		buf_puts(&b, "Section");
	return (buf_detach(&b));
}

static char *
diagram_flowchart(const char *user, int invalid)
{
	struct buf	 b;
	char		*label;

	label = diagram_heading(user);
	buf_init(&b);
	buf_puts(&b, "```mermaid\nflowchart LR\n");
	if (invalid)
		buf_printf(&b, "    A[%s --> B(Processing]\n", label);
	else
		buf_printf(&b, "    A[\"%s\"] --> B[Input]\n"
		    "    B --> C[Processing]\n"
		    "    C -->|result| D[Output]\n", label);
	buf_printf(&b, "```\nCaption: %s at a glance\n", label);
	free(label);
	return (buf_detach(&b));
}

char *
diagram_answer(const char *user, enum fault_kind kind)
{
	if (strcasestr(user, "judge the mermaid diagram") != NULL) {
		if (kind == FAULT_DIAGRAM_REJECT ||
		    strstr(user, DIAGRAM_MARK_REJECT) != NULL)
			return (xstrdup("{\"ok\": false, \"reason\": \"The "
			    "diagram shows steps the section does not "
			    "describe.\"}"));
		return (xstrdup("{\"ok\": true, \"reason\": \"The diagram "
		    "matches the section and makes its flow easier to "
		    "follow.\"}"));
	}
	if (strcasestr(user, "write one mermaid diagram") != NULL)
		return (diagram_flowchart(user, kind == FAULT_DIAGRAM_INVALID ||
		    strstr(user, DIAGRAM_MARK_INVALID) != NULL));
	return (NULL);
}
