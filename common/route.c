/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * route.c: generator routing.  The Integrative List Generator takes curated
 * lists ("awesome-*" repositories and list-shaped posts); everything else
 * goes to the General Article Generator.  The rules are the original's
 * (original-pipeline.md §3.2), substring tests on lower-cased text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "item.h"
#include "route.h"
#include "xmalloc.h"

static char *
lower_dup(const char *s)
{
	char	*p, *d;

	d = xstrdup(s != NULL ? s : "");
	for (p = d; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return (d);
}

static int
has_any(const char *a, const char *b, const char *const *pats, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strstr(a, pats[i]) != NULL || strstr(b, pats[i]) != NULL)
			return (1);
	return (0);
}

/* Lines that look like "- x", "* x" or "12. x". */
static size_t
count_bullet_lines(const char *s)
{
	const char	*p = s, *q;
	size_t		 n = 0;

	while (*p != '\0') {
		q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '-' || *q == '*')
			q++;
		else if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			q = *q == '.' ? q + 1 : p;
		} else
			q = p;
		if (q != p && (*q == ' ' || *q == '\t'))
			n++;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	return (n);
}

int
route_is_integrative(const struct item *it)
{
	static const char *const strong[] = {
		"awesome ", "awesome-", "awesome\n", "free-programming-books",
		"awesome-selfhosted", "build-your-own-x", "build your own",
		"developer-roadmap",
	};
	static const char *const tutorial[] = {
		"how to", "guide to", "tutorial", "getting started",
		"step by step", "installation", "setting up", "switching to",
		"migrating to",
	};
	static const char *const list[] = {
		"list of", "top ", "best ", "curated list", "collection of",
	};
	char	*title, *content;
	int	 ret;

	title = lower_dup(it->it_title);
	content = lower_dup(it->it_content);
	if (has_any(title, content, strong, nitems(strong)))
		ret = 1;
	else if (has_any(title, content, tutorial, nitems(tutorial)))
		ret = 0;
	else if (has_any(title, content, list, nitems(list)))
		ret = count_bullet_lines(content) >= 5;
	else
		ret = count_bullet_lines(content) >= 10;
	free(title);
	free(content);
	return (ret);
}

enum route_generator
route_pick(const struct item *it)
{
	return (route_is_integrative(it) ? ROUTE_INTEGRATIVE : ROUTE_GENERAL);
}

const char *
route_name(enum route_generator g)
{
	return (g == ROUTE_INTEGRATIVE ? "Integrative List Generator" :
	    "General Article Generator");
}
