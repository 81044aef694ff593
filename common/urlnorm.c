/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * urlnorm.c: decides whether an item's source URL is usable and reduces
 * URLs to one canonical spelling, so that "an article already exists for
 * this source" (original-pipeline.md §2.1) matches however a post or a
 * feed happened to write the same address.  The rules are those of §2.2:
 * the generic syntax clean-ups of RFC 3986 §6.2.2, then a query rewrite
 * that drops blank values and tracking keys and sorts what is left.
 *
 * Hosts are not converted to punycode: an internationalised host stays
 * UTF-8 with only its ASCII letters lower-cased.  That keeps this module
 * free of an IDNA library (libidn2); both sides of every comparison go
 * through the same code, so matching is unaffected for URLs spelt the same
 * way, and only a URL written once in punycode and once in Unicode fails
 * to match.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "compat.h"
#include "urlnorm.h"
#include "xmalloc.h"

/* Query keys that only track a click, never change what is served. */
static const char *const tracking_keys[] = {
	"ref", "ref_src", "ref_source",
	"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
	"fbclid", "gclid", "igshid", "mc_cid", "mc_eid",
};

#define URL_SUBDELIMS	"!$&'()*+,;="
#define PORT_MAX	65535

/* A URL split into its components; the spans borrow from the input. */
struct url_parts {
	int		 u_https;
	int		 u_port;		/* -1 when absent or empty */
	int		 u_has_userinfo;
	int		 u_has_query;
	int		 u_has_fragment;
	const char	*u_userinfo;
	size_t		 u_userinfo_len;
	const char	*u_host;
	size_t		 u_host_len;
	const char	*u_path;
	size_t		 u_path_len;
	const char	*u_query;
	size_t		 u_query_len;
	const char	*u_fragment;
	size_t		 u_fragment_len;
};

/* One decoded query pair; k and v are owned and may hold NUL bytes. */
struct query_pair {
	char	*q_key;
	size_t	 q_key_len;
	char	*q_val;
	size_t	 q_val_len;
};

static int
is_alpha(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
hex_val(int c)
{
	if (is_digit(c))
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* RFC 3986 unreserved: never needs percent-encoding. */
static int
is_unreserved(int c)
{
	return (is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~');
}

/* When s[i] starts a valid "%XX" escape, its byte value, else -1. */
static int
escape_at(const char *s, size_t len, size_t i)
{
	int	 hi, lo;

	if (s[i] != '%' || i + 2 >= len)
		return (-1);
	if ((hi = hex_val((unsigned char)s[i + 1])) == -1 ||
	    (lo = hex_val((unsigned char)s[i + 2])) == -1)
		return (-1);
	return (hi * 16 + lo);
}

static void
put_escape(struct buf *out, unsigned char c)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 e[3];

	e[0] = '%';
	e[1] = hex[c >> 4];
	e[2] = hex[c & 0x0f];
	buf_append(out, e, sizeof(e));
}

/*
 * Append s to out with its percent-encoding normalised: an escape of an
 * unreserved character is decoded, other escapes get upper-case hex, and
 * bytes that may not appear bare (not unreserved, not in safe) are
 * escaped, a '%' that starts no valid escape included.
 */
static void
percent_normalize(const char *s, size_t len, const char *safe,
    struct buf *out)
{
	size_t	 i;
	int	 c, b;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((b = escape_at(s, len, i)) != -1) {
			if (is_unreserved(b))
				buf_putc(out, (char)b);
			else
				put_escape(out, (unsigned char)b);
			i += 2;
		} else if (is_unreserved(c) || (c != '%' && c != '\0' &&
		    strchr(safe, c) != NULL))
			buf_putc(out, (char)c);
		else
			put_escape(out, (unsigned char)c);
	}
}

/*
 * Split url (len bytes, already trimmed) into u.  Returns 0, or -1 when it
 * is not "http://" or "https://" (any case) followed by an authority with
 * a well-formed port, or when the scheme or authority holds a space or a
 * control character.
 */
static int
url_parse(const char *url, size_t len, struct url_parts *u)
{
	const char	*p, *end, *auth, *auth_end, *at, *hp, *colon, *c;
	long		 port;

	memset(u, 0, sizeof(*u));
	u->u_port = -1;
	end = url + len;
	if (len >= 7 && strncasecmp(url, "http://", 7) == 0) {
		auth = url + 7;
	} else if (len >= 8 && strncasecmp(url, "https://", 8) == 0) {
		u->u_https = 1;
		auth = url + 8;
	} else
		return (-1);

	for (auth_end = auth; auth_end < end; auth_end++)
		if (*auth_end == '/' || *auth_end == '?' || *auth_end == '#')
			break;
	for (c = auth; c < auth_end; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f)
			return (-1);

	/* userinfo ends at the last '@' of the authority */
	at = NULL;
	for (c = auth; c < auth_end; c++)
		if (*c == '@')
			at = c;
	hp = auth;
	if (at != NULL) {
		u->u_has_userinfo = 1;
		u->u_userinfo = auth;
		u->u_userinfo_len = (size_t)(at - auth);
		hp = at + 1;
	}

	colon = NULL;
	if (hp < auth_end && *hp == '[') {
		/* IP literal: the port colon comes after the ']' */
		for (c = hp; c < auth_end && *c != ']'; c++)
			;
		if (c == auth_end)
			return (-1);
		c++;
		if (c < auth_end && *c != ':')
			return (-1);
		if (c < auth_end)
			colon = c;
	} else {
		for (c = hp; c < auth_end; c++)
			if (*c == ':')
				colon = c;
	}
	u->u_host = hp;
	u->u_host_len = (size_t)((colon != NULL ? colon : auth_end) - hp);
	if (colon != NULL && colon + 1 < auth_end) {
		port = 0;
		for (c = colon + 1; c < auth_end; c++) {
			if (!is_digit((unsigned char)*c))
				return (-1);
			port = port * 10 + (*c - '0');
			if (port > PORT_MAX)
				return (-1);
		}
		u->u_port = (int)port;
	}

	p = auth_end;
	u->u_path = p;
	while (p < end && *p != '?' && *p != '#')
		p++;
	u->u_path_len = (size_t)(p - u->u_path);
	if (p < end && *p == '?') {
		u->u_has_query = 1;
		u->u_query = ++p;
		while (p < end && *p != '#')
			p++;
		u->u_query_len = (size_t)(p - u->u_query);
	}
	if (p < end && *p == '#') {
		u->u_has_fragment = 1;
		u->u_fragment = p + 1;
		u->u_fragment_len = (size_t)(end - p - 1);
	}
	return (0);
}

static int
is_ascii_space(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r'));
}

/*
 * Trim ASCII whitespace around url and split it into u.  Returns 0, or -1
 * when a control character remains or url_parse() refuses it.
 */
static int
url_split(const char *url, struct url_parts *u)
{
	size_t	 len, i;

	while (is_ascii_space((unsigned char)*url))
		url++;
	len = strlen(url);
	while (len > 0 && is_ascii_space((unsigned char)url[len - 1]))
		len--;
	for (i = 0; i < len; i++)
		if ((unsigned char)url[i] < 0x20 || url[i] == 0x7f)
			return (-1);
	return (url_parse(url, len, u));
}

/*
 * Append the normalised host of u to out: escapes normalised, ASCII
 * letters lower-cased, bytes >= 0x80 kept as they are (no IDNA, see the
 * top of the file), trailing dots removed.  Returns 0, or -1 when the host
 * is empty or holds a character no host may contain.
 */
static int
host_normalize(const struct url_parts *u, struct buf *out)
{
	const char	*s = u->u_host;
	size_t		 len = u->u_host_len, i, start = out->b_len;
	int		 c, b;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((b = escape_at(s, len, i)) != -1) {
			if (is_unreserved(b))
				buf_putc(out, (char)(b >= 'A' && b <= 'Z' ?
				    b - 'A' + 'a' : b));
			else
				put_escape(out, (unsigned char)b);
			i += 2;
		} else if (c >= 'A' && c <= 'Z')
			buf_putc(out, (char)(c - 'A' + 'a'));
		else if (c >= 0x80 || is_unreserved(c) ||
		    strchr(URL_SUBDELIMS ":[]", c) != NULL)
			buf_putc(out, (char)c);
		else
			return (-1);
	}
	while (out->b_len > start && out->b_data[out->b_len - 1] == '.')
		out->b_data[--out->b_len] = '\0';
	return (out->b_len > start ? 0 : -1);
}

/* Drop the last segment of out and its '/' (RFC 3986 5.2.4, step C). */
static void
pop_segment(struct buf *out)
{
	while (out->b_len > 0 && out->b_data[out->b_len - 1] != '/')
		out->b_len--;
	if (out->b_len > 0)
		out->b_len--;
	if (out->b_data != NULL)
		out->b_data[out->b_len] = '\0';
}

/*
 * Append path with its "." and ".." segments resolved, following the
 * loop of RFC 3986 section 5.2.4, to out.  out must be empty.
 */
static void
remove_dot_segments(const char *in, size_t len, struct buf *out)
{
	size_t	 i = 0, rem, j;

	while (i < len) {
		rem = len - i;
		if (rem >= 3 && memcmp(in + i, "../", 3) == 0)
			i += 3;
		else if (rem >= 2 && memcmp(in + i, "./", 2) == 0)
			i += 2;
		else if (rem >= 3 && memcmp(in + i, "/./", 3) == 0)
			i += 2;
		else if (rem == 2 && memcmp(in + i, "/.", 2) == 0) {
			buf_putc(out, '/');
			i = len;
		} else if (rem >= 4 && memcmp(in + i, "/../", 4) == 0) {
			pop_segment(out);
			i += 3;
		} else if (rem == 3 && memcmp(in + i, "/..", 3) == 0) {
			pop_segment(out);
			buf_putc(out, '/');
			i = len;
		} else if ((rem == 1 && in[i] == '.') ||
		    (rem == 2 && memcmp(in + i, "..", 2) == 0))
			i = len;
		else {
			j = i + 1;
			while (j < len && in[j] != '/')
				j++;
			buf_append(out, in + i, j - i);
			i = j;
		}
	}
}

/*
 * Form-decode s ('+' is a space, valid escapes are decoded, anything else
 * is literal) into an owned buffer of *lenp bytes.
 */
static char *
form_decode(const char *s, size_t len, size_t *lenp)
{
	char	*d;
	size_t	 i, n = 0;
	int	 b;

	d = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			d[n++] = ' ';
		else if ((b = escape_at(s, len, i)) != -1) {
			d[n++] = (char)b;
			i += 2;
		} else
			d[n++] = s[i];
	}
	d[n] = '\0';
	*lenp = n;
	return (d);
}

/* Form-encode s as Python's quote_plus() does: only unreserved stay. */
static void
form_encode(const char *s, size_t len, struct buf *out)
{
	size_t	 i;
	int	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (is_unreserved(c))
			buf_putc(out, (char)c);
		else if (c == ' ')
			buf_putc(out, '+');
		else
			put_escape(out, (unsigned char)c);
	}
}

static int
is_tracking_key(const char *k, size_t len)
{
	size_t	 i;

	for (i = 0; i < nitems(tracking_keys); i++)
		if (strlen(tracking_keys[i]) == len &&
		    strncasecmp(k, tracking_keys[i], len) == 0)
			return (1);
	return (0);
}

static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int	 r;

	if ((r = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return (r);
	return (alen < blen ? -1 : alen > blen);
}

static int
pair_cmp(const void *va, const void *vb)
{
	const struct query_pair	*a = va, *b = vb;
	int			 r;

	if ((r = bytes_cmp(a->q_key, a->q_key_len, b->q_key,
	    b->q_key_len)) != 0)
		return (r);
	return (bytes_cmp(a->q_val, a->q_val_len, b->q_val, b->q_val_len));
}

/*
 * Add the pairs of one '&'-separated string to *vp (growing it), skipping
 * pairs without a value and tracking keys, as parse_qsl() without
 * keep_blank_values would before the key filter.
 */
static void
query_collect(const char *s, size_t len, struct query_pair **vp,
    size_t *np, size_t *capp)
{
	struct query_pair	*q;
	const char		*p, *amp, *eq, *end = s + len;

	for (p = s; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		/* no '=' or nothing after it: a blank value */
		if (eq == NULL || eq + 1 == amp)
			continue;
		if (*np == *capp) {
			*capp = *capp ? *capp * 2 : 8;
			*vp = xreallocarray(*vp, *capp, sizeof(**vp));
		}
		q = &(*vp)[*np];
		q->q_key = form_decode(p, (size_t)(eq - p), &q->q_key_len);
		if (is_tracking_key(q->q_key, q->q_key_len)) {
			free(q->q_key);
			continue;
		}
		q->q_val = form_decode(eq + 1, (size_t)(amp - eq - 1),
		    &q->q_val_len);
		(*np)++;
	}
}

/*
 * The shared worker of url_normalize() and url_is_http().  Trims ASCII
 * whitespace around url, parses it and, when out is not NULL, appends the
 * normalised form to it.  Returns 0, or -1 when url is not an absolute
 * http(s) URL with a host (out then holds garbage).
 */
static int
url_normalize_into(const char *url, struct buf *out)
{
	struct url_parts	 u;
	struct query_pair	*pairs = NULL;
	struct buf		 path, tmp;
	size_t			 i, npairs = 0, cap = 0;
	int			 rc = -1;

	buf_init(&path);
	buf_init(&tmp);
	if (url_split(url, &u) == -1)
		goto done;

	buf_puts(out, u.u_https ? "https://" : "http://");
	if (u.u_has_userinfo) {
		percent_normalize(u.u_userinfo, u.u_userinfo_len,
		    URL_SUBDELIMS ":", out);
		buf_putc(out, '@');
	}
	if (host_normalize(&u, out) == -1)
		goto done;
	if (u.u_port != -1 && u.u_port != (u.u_https ? 443 : 80))
		buf_printf(out, ":%d", u.u_port);

	percent_normalize(u.u_path, u.u_path_len, URL_SUBDELIMS ":@/", &tmp);
	remove_dot_segments(buf_cstr(&tmp), tmp.b_len, &path);
	if (path.b_len == 0)
		buf_putc(&path, '/');
	buf_append(out, path.b_data, path.b_len);

	if (u.u_has_query)
		query_collect(u.u_query, u.u_query_len, &pairs, &npairs, &cap);
	if (u.u_has_fragment && u.u_fragment_len > 0 &&
	    u.u_fragment[0] == '!') {
		/* A "#!" AJAX fragment becomes its crawlable query form. */
		buf_reset(&tmp);
		buf_puts(&tmp, "_escaped_fragment_=");
		buf_append(&tmp, u.u_fragment + 1, u.u_fragment_len - 1);
		query_collect(tmp.b_data, tmp.b_len, &pairs, &npairs, &cap);
	}
	if (npairs > 0)
		qsort(pairs, npairs, sizeof(*pairs), pair_cmp);
	for (i = 0; i < npairs; i++) {
		buf_putc(out, i == 0 ? '?' : '&');
		form_encode(pairs[i].q_key, pairs[i].q_key_len, out);
		buf_putc(out, '=');
		form_encode(pairs[i].q_val, pairs[i].q_val_len, out);
	}
	rc = 0;
done:
	for (i = 0; i < npairs; i++) {
		free(pairs[i].q_key);
		free(pairs[i].q_val);
	}
	free(pairs);
	buf_release(&path);
	buf_release(&tmp);
	return (rc);
}

int
url_is_http(const char *url)
{
	struct buf	 out;
	const char	*c;
	int		 rc;

	for (c = url; *c != '\0'; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f)
			return (0);
	buf_init(&out);
	rc = url_normalize_into(url, &out);
	buf_release(&out);
	return (rc == 0);
}

char *
url_normalize(const char *url)
{
	struct buf	 out;

	buf_init(&out);
	if (url_normalize_into(url, &out) == -1) {
		buf_release(&out);
		return (NULL);
	}
	return (buf_detach(&out));
}

/*
 * url_host: the host as url_normalize() writes it (lower-case, escapes
 * normalised, no trailing dot), without userinfo or port.  Owned by the
 * caller; NULL when url is not an absolute http(s) URL with a host.
 */
char *
url_host(const char *url)
{
	struct url_parts	 u;
	struct buf		 out;

	if (url_split(url, &u) == -1)
		return (NULL);
	buf_init(&out);
	if (host_normalize(&u, &out) == -1) {
		buf_release(&out);
		return (NULL);
	}
	return (buf_detach(&out));
}
