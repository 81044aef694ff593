/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_mermaid.c: libFuzzer harness for the diagram replies: the code and
 * caption mermaid_extract() takes from a model's answer, mermaid_check(),
 * the insertion of a diagram that passed, and diagram_parse_verdict().
 *
 * What the check lets through ends up in a page a browser renders, so
 * its promises are safety properties: code that passes holds no fence,
 * no script URL, no shortcode opener and no more lines than the cap; a
 * caption is one short line without Markdown markers or braces; a
 * diagram inserted into an article leaves the article's sections as they
 * were, the illustrated one now holding a Mermaid block.  A violation
 * aborts, which libFuzzer records as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "diagram.h"
#include "mermaid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char body[] =
    "Intro.\n\n## How the Pipeline Works\n\nFirst paragraph.\n\n"
    "More text.\n\n## Conclusion\n\nEnd.\n";

static __dead void
fail(const char *why, const char *text)
{
	fprintf(stderr, "fuzz_mermaid: %s:\n%s\n", why, text);
	abort();
}

static void
check_caption(const char *cap)
{
	size_t	chars = 0;

	if (cap[0] == '\0')
		fail("empty caption returned", cap);
	if (strpbrk(cap, "\n\r*_`[]<>#|\\{}") != NULL)
		fail("caption with a marker or a line break", cap);
	for (; *cap != '\0'; cap++) {
		if ((unsigned char)*cap < 0x20 || *cap == 0x7f)
			fail("caption with a control character", cap);
		if (((unsigned char)*cap & 0xc0) != 0x80)
			chars++;
	}
	if (chars > MERMAID_CAPTION_MAX)
		fail("caption too long", cap);
}

static void
check_passed(const char *code)
{
	struct diagram_section	*v, *w;
	size_t			 n, m, lines = 1;
	const char		*p;
	char			*out;

	if (strstr(code, "```") != NULL || strstr(code, "{{<") != NULL ||
	    strstr(code, "{{%") != NULL || strcasestr(code, "javascript:") !=
	    NULL || strcasestr(code, "<script") != NULL)
		fail("unsafe code passed the check", code);
	for (p = code; *p != '\0'; p++)
		if (*p == '\n')
			lines++;
	if (lines > MERMAID_MAX_LINES || strlen(code) > MERMAID_MAX_BYTES)
		fail("code over the caps passed the check", code);
	n = diagram_sections(body, &v);
	out = diagram_insert(body, diagram_insert_point(body, &v[0]), code,
	    "Caption", 1);
	m = diagram_sections(out, &w);
	if (m != n || strcmp(w[0].ds_title, v[0].ds_title) != 0 ||
	    strcmp(w[1].ds_title, v[1].ds_title) != 0 ||
	    !w[0].ds_has_mermaid || w[1].ds_has_mermaid)
		fail("the insertion changed the article's sections", out);
	if (strncmp(out + w[1].ds_start, body + v[1].ds_start,
	    strlen(body + v[1].ds_start)) != 0)
		fail("the insertion changed the following section", out);
	diagram_sections_free(v, n);
	diagram_sections_free(w, m);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*reply, *code, *cap = NULL, errbuf[256], reason[64];
	int	 ok;

	if ((reply = malloc(size + 1)) == NULL)
		return (0);
	memcpy(reply, data, size);
	reply[size] = '\0';

	if ((code = mermaid_extract(reply, &cap)) != NULL) {
		if (code[0] == '\0')
			fail("empty code returned", reply);
		if (cap != NULL)
			check_caption(cap);
		errbuf[0] = '\0';
		if (mermaid_check(code, errbuf, sizeof(errbuf)) == 0)
			check_passed(code);
		else if (errbuf[0] == '\0')
			fail("refused without a reason", code);
	} else if (cap != NULL)
		fail("a caption without code", reply);
	/* the check on the raw reply too */
	errbuf[0] = '\0';
	if (mermaid_check(reply, errbuf, sizeof(errbuf)) == 0)
		check_passed(reply);
	if (diagram_parse_verdict(reply, &ok, reason, sizeof(reason)) == 0 &&
	    ok != 0 && ok != 1)
		fail("verdict neither true nor false", reply);
	free(code);
	free(cap);
	free(reply);
	return (0);
}
