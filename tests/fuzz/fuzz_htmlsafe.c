/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_htmlsafe.c: libFuzzer harness for htmlsafe_markdown().
 *
 * Any bytes must give an answer (never NULL but for memory) without a
 * sanitizer report.  And where the input has nothing the sanitiser may
 * copy as code (no backtick, no tilde, no line indented by a tab or four
 * spaces), the output must hold no active markup at all: no script,
 * iframe, style, object, embed or form element, no event handler, and
 * no URL attribute that htmlsafe_url_ok() refuses.  A violation aborts.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "htmlsafe.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static __dead void
fail(const char *why, const char *out)
{
	fprintf(stderr, "fuzz_htmlsafe: %s in:\n%s\n", why, out);
	abort();
}

/* Could the sanitiser copy part of s as code? */
static int
may_hold_code(const char *s, size_t n)
{
	size_t	i, col;

	if (memchr(s, '`', n) != NULL || memchr(s, '~', n) != NULL ||
	    memchr(s, '\t', n) != NULL)
		return (1);
	for (i = 0; i < n; i++) {
		if (i != 0 && s[i - 1] != '\n')
			continue;
		for (col = 0; i + col < n && s[i + col] == ' '; col++)
			;
		if (col >= 4)
			return (1);
	}
	return (0);
}

static int
ci_prefix(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++)
		if (*s == '\0' || (*s | 0x20) != *p)
			return (0);
	return (1);
}

/*
 * The URL attribute value starting at v (after the opening quote), with
 * the six references the serialiser writes decoded, checked by the URL
 * rule.
 */
static void
check_url(const char *v, const char *out)
{
	static const struct {
		const char	*ref;
		char		 c;
	} refs[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	    { "&quot;", '"' }, { "&#10;", '\n' }, { "&#13;", '\r' } };
	char	 buf[4096];
	size_t	 n = 0, k;

	while (*v != '\0' && *v != '"' && n < sizeof(buf)) {
		for (k = 0; k < nitems(refs); k++)
			if (strncmp(v, refs[k].ref, strlen(refs[k].ref)) == 0)
				break;
		if (k < nitems(refs)) {
			buf[n++] = refs[k].c;
			v += strlen(refs[k].ref);
		} else
			buf[n++] = *v++;
	}
	if (!htmlsafe_url_ok(buf, n, 0))
		fail("unsafe URL attribute", out);
}

/* Look inside every "<...>" of out for what must not be there. */
static void
check_inert(const char *out)
{
	static const char *const elem[] = { "script", "iframe", "style",
	    "object", "embed", "form", "textarea" };
	const char	*p, *q;
	size_t		 k;

	for (p = strchr(out, '<'); p != NULL; p = strchr(p + 1, '<')) {
		if (!((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z'))
			continue;	/* a browser reads no tag here */
		for (k = 0; k < nitems(elem); k++) {
			char	after;

			if (!ci_prefix(p + 1, elem[k]))
				continue;
			after = p[1 + strlen(elem[k])];
			if (after == '\0' || after == '>' || after == '/' ||
			    after == ' ' || after == '\t' || after == '\n' ||
			    after == '\f' || after == '\r')
				fail("active element", out);
		}
		for (q = p + 1; *q != '\0' && *q != '>' && *q != '<'; q++) {
			if (*q == '"') {
				/* a quoted value: only the URL check reads it */
				while (q[1] != '\0' && q[1] != '"')
					q++;
				if (q[1] == '\0')
					break;
				q++;
				continue;
			}
			if ((q[-1] == ' ' || q[-1] == '/' || q[-1] == '\n') &&
			    (q[0] | 0x20) == 'o' && (q[1] | 0x20) == 'n' &&
			    q[2] >= 'a' && (q[2] | 0x20) <= 'z') {
				const char *e = q + 2;

				while ((*e | 0x20) >= 'a' && (*e | 0x20) <= 'z')
					e++;
				if (*e == '=')
					fail("event handler", out);
			}
			if ((q[-1] == ' ' || q[-1] == '\n') &&
			    (strncmp(q, "href=\"", 6) == 0 ||
			    strncmp(q, "src=\"", 5) == 0 ||
			    strncmp(q, "cite=\"", 6) == 0 ||
			    strncmp(q, "xlink:href=\"", 12) == 0))
				check_url(strchr(q, '"') + 1, out);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct htmlsafe_stats	 st;
	char			*out;

	out = htmlsafe_markdown((const char *)data, size, &st);
	if (out == NULL && errno == ELIBACC)
		fail("libxml2 could not be loaded", "");
	if (out == NULL)
		return (0);	/* out of memory under the fuzzer's limit */
	if (!may_hold_code((const char *)data, size) &&
	    memchr(data, '\0', size) == NULL)
		check_inert(out);
	free(out);
	return (0);
}
