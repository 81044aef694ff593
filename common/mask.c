/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * mask.c: owns the rule for hiding credentials in printed text: the API
 * key itself, anything shaped like an OpenAI-style key, and the user
 * information of a URL.
 */
#include <string.h>

#include "mask.h"
#include "xmalloc.h"

/* A character that can be part of a key ("sk-proj-AbC_12..."). */
static int
is_key_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_');
}

/*
 * Replace the n bytes at p with the mask (or n '*' when n is shorter),
 * closing the gap; p's string shrinks, never grows.
 */
static void
replace_span(char *p, size_t n)
{
	size_t	mlen = sizeof(MASK_KEY) - 1;

	if (n < mlen) {
		memset(p, '*', n);
		return;
	}
	memcpy(p, MASK_KEY, mlen);
	memmove(p + mlen, p + n, strlen(p + n) + 1);
}

/* Mask every occurrence of key in s; the count. */
static size_t
mask_exact(char *s, const char *key)
{
	size_t	 klen = strlen(key), n = 0;
	char	*p = s;

	while ((p = strstr(p, key)) != NULL) {
		replace_span(p, klen);
		p += klen < sizeof(MASK_KEY) - 1 ? klen : sizeof(MASK_KEY) - 1;
		n++;
	}
	return (n);
}

/* Mask every "sk-" key shape in s; the count. */
static size_t
mask_shapes(char *s)
{
	size_t	 n = 0, tail;
	char	*p = s;

	while ((p = strstr(p, "sk-")) != NULL) {
		if (p > s && is_key_char(p[-1])) {
			p += 3;
			continue;
		}
		for (tail = 0; is_key_char(p[3 + tail]); tail++)
			continue;
		if (tail < MASK_MIN_TAIL) {
			p += 3;
			continue;
		}
		replace_span(p, 3 + tail);
		p += sizeof(MASK_KEY) - 1;
		n++;
	}
	return (n);
}

size_t
mask_secrets(char *s, const char *key)
{
	size_t	n = 0;

	if (s == NULL)
		return (0);
	if (key != NULL && *key != '\0')
		n += mask_exact(s, key);
	n += mask_shapes(s);
	return (n);
}

char *
url_redact_userinfo(const char *url)
{
	const char	*auth, *end, *at, *p;
	char		*out;

	if (url == NULL)
		return (NULL);
	auth = strstr(url, "://");
	auth = auth != NULL ? auth + 3 : url;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;	/* the last one: a password may hold '@' */
	if (at == NULL)
		out = xstrdup(url);
	else
		xasprintf(&out, "%.*s***%s", (int)(auth - url), url, at);
	(void)mask_secrets(out, NULL);
	return (out);
}
