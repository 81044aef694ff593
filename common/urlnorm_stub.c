/*
 * urlnorm_stub.c: a TEMPORARY stand-in for urlnorm.c so that the item,
 * post index and selection code links and can be tested on its own.  It
 * checks the scheme and host and lower-cases them, and drops the fragment;
 * nothing more.  Remove this file when the real urlnorm.c is merged.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "urlnorm.h"
#include "xmalloc.h"

/* Length of the "http://" or "https://" prefix of url, or 0. */
static size_t
scheme_len(const char *url)
{
	if (strncasecmp(url, "http://", 7) == 0)
		return (7);
	if (strncasecmp(url, "https://", 8) == 0)
		return (8);
	return (0);
}

int
url_is_http(const char *url)
{
	size_t	n;

	if (url == NULL || (n = scheme_len(url)) == 0)
		return (0);
	return (url[n] != '\0' && strchr("/?#", url[n]) == NULL);
}

char *
url_normalize(const char *url)
{
	char	*s, *p;
	size_t	 n;

	if (!url_is_http(url))
		return (NULL);
	s = xstrdup(url);
	if ((p = strchr(s, '#')) != NULL)
		*p = '\0';
	n = scheme_len(s);
	for (p = s; *p != '\0' && (p < s + n || strchr("/?", *p) == NULL);
	    p++)
		*p = (char)tolower((unsigned char)*p);
	return (s);
}

char *
url_host(const char *url)
{
	char	*s;
	size_t	 n;

	if (!url_is_http(url))
		return (NULL);
	n = scheme_len(url);
	s = xstrndup(url + n, strcspn(url + n, "/?#"));
	for (n = 0; s[n] != '\0'; n++)
		s[n] = (char)tolower((unsigned char)s[n]);
	return (s);
}
