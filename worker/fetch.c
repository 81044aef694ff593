/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fetch.c: the HTTP client of the collect and enrich stages.  Each call
 * uses its own easy handle, sends the articlegen User-Agent, refuses
 * schemes other than http and https (redirects included), caps the time,
 * the redirects and the body it keeps, and hands back the headers that
 * rate limiting needs.  It never logs: errors go to the caller's errbuf.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "curlapi.h"
#include "fetch.h"
#include "urlnorm.h"

struct fetch_xfer {
	struct fetch_result	*x_fr;
	size_t			 x_cap;		/* allocated bytes */
	size_t			 x_max;		/* body cap */
	int			 x_truncate_ok;
	int			 x_overflow;
	int			 x_nomem;
};

const char *
fetch_user_agent(void)
{
	return ("articlegen/" ARTICLEGEN_VERSION);
}

/* Append to the body up to the cap; 0 aborts the transfer. */
static size_t
fetch_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer	*x = arg;
	struct fetch_result	*fr = x->x_fr;
	size_t			 n = size * nmemb, take = n, cap;
	char			*p;

	if (fr->fr_len + take > x->x_max) {
		take = x->x_max - fr->fr_len;
		x->x_overflow = 1;
	}
	if (fr->fr_len + take + 1 > x->x_cap) {
		cap = x->x_cap != 0 ? x->x_cap : 16384;
		while (cap < fr->fr_len + take + 1)
			cap *= 2;
		if ((p = realloc(fr->fr_body, cap)) == NULL) {
			x->x_nomem = 1;
			return (0);
		}
		fr->fr_body = p;
		x->x_cap = cap;
	}
	memcpy(fr->fr_body + fr->fr_len, ptr, take);
	fr->fr_len += take;
	fr->fr_body[fr->fr_len] = '\0';
	return (x->x_overflow ? 0 : n);
}

/* Copy the value of header "name: value" in line into out when it matches. */
static void
fetch_header_value(const char *line, size_t len, const char *name, char *out,
    size_t outlen)
{
	size_t	nlen = strlen(name), vlen;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 ||
	    line[nlen] != ':')
		return;
	line += nlen + 1;
	len -= nlen + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	vlen = len;
	while (vlen > 0 && isspace((unsigned char)line[vlen - 1]))
		vlen--;
	if (vlen >= outlen)
		vlen = outlen - 1;
	memcpy(out, line, vlen);
	out[vlen] = '\0';
}

static size_t
fetch_header_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer	*x = arg;
	struct fetch_result	*fr = x->x_fr;
	size_t			 n = size * nmemb;

	/* a new response (after a redirect): forget the previous headers */
	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		fr->fr_content_type[0] = '\0';
		fr->fr_retry_after[0] = '\0';
		fr->fr_rl_remaining[0] = '\0';
		fr->fr_rl_reset[0] = '\0';
		return (n);
	}
	fetch_header_value(ptr, n, "content-type", fr->fr_content_type,
	    sizeof(fr->fr_content_type));
	fetch_header_value(ptr, n, "retry-after", fr->fr_retry_after,
	    sizeof(fr->fr_retry_after));
	fetch_header_value(ptr, n, "x-ratelimit-remaining",
	    fr->fr_rl_remaining, sizeof(fr->fr_rl_remaining));
	fetch_header_value(ptr, n, "x-ratelimit-reset", fr->fr_rl_reset,
	    sizeof(fr->fr_rl_reset));
	return (n);
}

int
fetch_http(void *arg, const char *url, const struct fetch_opts *o,
    struct fetch_result *fr, char *errbuf, size_t errlen)
{
	struct fetch_xfer	 x;
	struct curl_slist	*hdrs = NULL;
	CURL			*c = NULL;
	CURLcode		 rc;
	char			 cerr[CURL_ERROR_SIZE], line[512];
	char			*eff = NULL;
	long			 redirs;
	int			 ret = -1;

	(void)arg;
	memset(fr, 0, sizeof(*fr));
	if (!url_is_http(url)) {
		(void)snprintf(errbuf, errlen, "'%.200s': not an http(s) URL",
		    url);
		return (-1);
	}
	if (curlapi_load(errbuf, errlen) == -1)
		return (-1);
	if ((c = curlapi.easy_init()) == NULL) {
		(void)snprintf(errbuf, errlen, "cannot create a curl handle");
		return (-1);
	}
	memset(&x, 0, sizeof(x));
	x.x_fr = fr;
	x.x_max = o->fo_max_bytes != 0 ? o->fo_max_bytes :
	    FETCH_MAX_BYTES_DEFAULT;
	x.x_truncate_ok = o->fo_truncate_ok;
	redirs = o->fo_max_redirs == 0 ? FETCH_REDIRS_DEFAULT :
	    o->fo_max_redirs < 0 ? 0 : o->fo_max_redirs;
	cerr[0] = '\0';

	if (o->fo_accept != NULL) {
		(void)snprintf(line, sizeof(line), "Accept: %s", o->fo_accept);
		hdrs = curlapi.slist_append(hdrs, line);
	}
	if (o->fo_content_type != NULL) {
		(void)snprintf(line, sizeof(line), "Content-Type: %s",
		    o->fo_content_type);
		hdrs = curlapi.slist_append(hdrs, line);
	}
	if (o->fo_bearer != NULL) {
		if (snprintf(line, sizeof(line), "Authorization: Bearer %s",
		    o->fo_bearer) >= (int)sizeof(line)) {
			(void)snprintf(errbuf, errlen, "bearer token too long");
			goto done;
		}
		hdrs = curlapi.slist_append(hdrs, line);
		explicit_bzero(line, sizeof(line));
	}
	if (o->fo_authorization != NULL) {
		if (snprintf(line, sizeof(line), "Authorization: %s",
		    o->fo_authorization) >= (int)sizeof(line)) {
			(void)snprintf(errbuf, errlen, "authorization too long");
			goto done;
		}
		hdrs = curlapi.slist_append(hdrs, line);
		explicit_bzero(line, sizeof(line));
	}
	hdrs = curlapi.slist_append(hdrs, "Expect:");
	if (hdrs == NULL) {
		(void)snprintf(errbuf, errlen, "out of memory");
		goto done;
	}
	curlapi.easy_setopt(c, CURLOPT_URL, url);
	curlapi.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curlapi.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curlapi.easy_setopt(c, CURLOPT_FOLLOWLOCATION, redirs > 0 ? 1L : 0L);
	curlapi.easy_setopt(c, CURLOPT_MAXREDIRS, redirs);
	curlapi.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curlapi.easy_setopt(c, CURLOPT_USERAGENT, fetch_user_agent());
	curlapi.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curlapi.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curlapi.easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	curlapi.easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curlapi.easy_setopt(c, CURLOPT_HEADERFUNCTION, fetch_header_cb);
	curlapi.easy_setopt(c, CURLOPT_HEADERDATA, &x);
	curlapi.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curlapi.easy_setopt(c, CURLOPT_TIMEOUT_MS, o->fo_timeout_ms > 0 ?
	    o->fo_timeout_ms : (long)FETCH_TIMEOUT_MS_DEFAULT);
	curlapi.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	if (o->fo_user != NULL) {
		curlapi.easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curlapi.easy_setopt(c, CURLOPT_USERNAME, o->fo_user);
		curlapi.easy_setopt(c, CURLOPT_PASSWORD,
		    o->fo_password != NULL ? o->fo_password : "");
	}
	if (o->fo_method != NULL && strcmp(o->fo_method, "POST") == 0) {
		curlapi.easy_setopt(c, CURLOPT_POSTFIELDS,
		    o->fo_body != NULL ? o->fo_body : "");
		curlapi.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(o->fo_body != NULL ? o->fo_bodylen : 0));
	}

	rc = curlapi.easy_perform(c);
	if (rc == CURLE_WRITE_ERROR && x.x_overflow && x.x_truncate_ok) {
		fr->fr_truncated = 1;
		rc = CURLE_OK;
	}
	if (rc != CURLE_OK) {
		if (x.x_overflow)
			(void)snprintf(errbuf, errlen, "%.200s: the body is "
			    "larger than %zu bytes", url, x.x_max);
		else if (x.x_nomem)
			(void)snprintf(errbuf, errlen, "%.200s: out of memory "
			    "for the body", url);
		else
			(void)snprintf(errbuf, errlen, "%.200s: %s", url,
			    cerr[0] != '\0' ? cerr :
			    curlapi.easy_strerror(rc));
		goto done;
	}
	curlapi.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &fr->fr_status);
	if (curlapi.easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) ==
	    CURLE_OK && eff != NULL)
		(void)strlcpy(fr->fr_final_url, eff, sizeof(fr->fr_final_url));
	if (fr->fr_body == NULL) {
		if ((fr->fr_body = calloc(1, 1)) == NULL) {
			(void)snprintf(errbuf, errlen, "out of memory");
			goto done;
		}
	}
	ret = 0;
 done:
	curlapi.slist_free_all(hdrs);
	curlapi.easy_cleanup(c);
	if (ret == -1)
		fetch_result_release(fr);
	return (ret);
}

void
fetch_result_release(struct fetch_result *fr)
{
	free(fr->fr_body);
	memset(fr, 0, sizeof(*fr));
}

/* Parse "2026-12-03T08:00:00(.frac)(Z|+00:00)" as UTC; -1 when not. */
static int64_t
fetch_parse_iso(const char *s)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	if (strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) == NULL)
		return (-1);
	return ((int64_t)timegm(&tm));
}

/* Parse an HTTP date ("Thu, 03 Dec 2026 08:00:00 GMT"); -1 when not. */
static int64_t
fetch_parse_http_date(const char *s)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	if (strptime(s, "%a, %d %b %Y %H:%M:%S", &tm) == NULL)
		return (-1);
	return ((int64_t)timegm(&tm));
}

/* A non-negative decimal number, or -1. */
static double
fetch_number(const char *s)
{
	char	*end;
	double	 d;

	if (*s == '\0')
		return (-1);
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(d) || d < 0)
		return (-1);
	return (d);
}

int64_t
fetch_wait_ms(const struct fetch_result *fr, int64_t now)
{
	double	 d;
	int64_t	 t;

	if (fr->fr_retry_after[0] != '\0') {
		if ((d = fetch_number(fr->fr_retry_after)) >= 0)
			return ((int64_t)(d * 1000.0));
		if ((t = fetch_parse_http_date(fr->fr_retry_after)) >= 0)
			return (t > now ? (t - now) * 1000 : 0);
		return (-1);
	}
	if (fr->fr_rl_remaining[0] == '\0' ||
	    (d = fetch_number(fr->fr_rl_remaining)) < 0 || d >= 1.0)
		return (0);
	/* none left: wait for the window to reset */
	if ((d = fetch_number(fr->fr_rl_reset)) >= 0) {
		if (d > 1e9)	/* an epoch time (GitHub) */
			return (d > (double)now ?
			    (int64_t)((d - (double)now) * 1000.0) : 0);
		return ((int64_t)(d * 1000.0));	/* seconds to go (Reddit) */
	}
	if ((t = fetch_parse_iso(fr->fr_rl_reset)) >= 0)	/* Mastodon */
		return (t > now ? (t - now) * 1000 : 0);
	return (-1);
}
