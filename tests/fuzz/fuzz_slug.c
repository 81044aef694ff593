/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_slug.c: libFuzzer harness for slug_from_title().
 *
 * A slug becomes part of a file name in the content directory, so its
 * shape is a safety property, not a nicety: whatever the title (any
 * bytes, invalid UTF-8, character references, path separators), the slug
 * must be 1 to SLUG_MAX characters of [a-z0-9-], with no leading,
 * trailing or doubled '-', and the same title must always give the same
 * slug.  A violation aborts, which libFuzzer records as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "slug.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static __dead void
fail(const char *why, const char *title, const char *slug)
{
	fprintf(stderr, "fuzz_slug: %s: title \"%s\" slug \"%s\"\n", why,
	    title, slug);
	abort();
}

static void
check_shape(const char *title, const char *slug)
{
	size_t	i, len = strlen(slug);

	if (len == 0 || len > SLUG_MAX)
		fail("bad length", title, slug);
	for (i = 0; i < len; i++) {
		if (!((slug[i] >= 'a' && slug[i] <= 'z') ||
		    (slug[i] >= '0' && slug[i] <= '9') || slug[i] == '-'))
			fail("character outside [a-z0-9-]", title, slug);
		if (slug[i] == '-' && i > 0 && slug[i - 1] == '-')
			fail("doubled '-'", title, slug);
	}
	if (slug[0] == '-' || slug[len - 1] == '-')
		fail("leading or trailing '-'", title, slug);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*title, *a, *b;

	/* The title as the pipeline sees it: a C string. */
	if ((title = malloc(size + 1)) == NULL)
		return (0);
	memcpy(title, data, size);
	title[size] = '\0';

	a = slug_from_title(title);
	b = slug_from_title(title);
	check_shape(title, a);
	if (strcmp(a, b) != 0)
		fail("not deterministic", title, a);
	free(a);
	free(b);
	free(title);
	return (0);
}
