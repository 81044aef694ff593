/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * unsplash.c: the Unsplash API as a cover's stock photo needs it, in the
 * shapes Unsplash documents, under /unsplash/ on the stand-in:
 *
 *   GET /unsplash/search/photos?query=..   one result, or none for
 *                                          "nothing" (Client-ID needed)
 *   GET /unsplash/photo.jpg?id=..          a small baseline JPEG
 *   GET /unsplash/download?id=..           the download ping
 *                                          (Client-ID needed)
 *   GET /unsplash/photos/<id>, /unsplash/@standin   the pages credited
 *
 * The URLs in a reply are on the request's Host, so a client follows
 * them back here.  The access key is only checked for presence: it is
 * never compared, copied, echoed or logged.  The fault prefixes of
 * sources.c (/fault/500/unsplash/...) apply before anything here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "api.h"
#include "buf.h"
#include "canned.h"
#include "sources.h"
#include "unsplash.h"
#include "utf8.h"
#include "xmalloc.h"

#define UNSPLASH_QUERY_MAX	80	/* bytes of the query quoted */
#define UNSPLASH_ID_MAX		64
#define UNSPLASH_RATE		"X-Ratelimit-Limit: 50\r\n" \
				"X-Ratelimit-Remaining: 49\r\n"
#define UNSPLASH_BAD_KEY	"{\"errors\":[\"OAuth error: The access " \
				"token is invalid\"]}"
#define UNSPLASH_NOT_FOUND	"{\"errors\":[\"Couldn't find Photo\"]}"

static void
unsplash_reply(struct api_reply *rp, int status, const char *body)
{
	free(rp->rp_body);
	rp->rp_body = xstrdup(body);
	rp->rp_bodylen = strlen(body);
	rp->rp_status = status;
}

/* Make obj (dropped here) the body of a 200 reply. */
static void
unsplash_json(struct api_reply *rp, json_object *obj)
{
	unsplash_reply(rp, 200, json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	(void)strlcpy(rp->rp_headers, UNSPLASH_RATE, sizeof(rp->rp_headers));
}

/*
 * 1 when the request carries "Authorization: Client-ID <key>" with a
 * key that is not empty.  What the key is does not matter here.
 */
static int
unsplash_authorized(const struct api_request *rq)
{
	const char	*k;

	if (rq->rq_auth == NULL || strncasecmp(rq->rq_auth, "Client-ID ",
	    10) != 0)
		return (0);
	for (k = rq->rq_auth + 10; *k == ' ' || *k == '\t'; k++)
		continue;
	return (*k != '\0');
}

static int
unsplash_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * The value of parameter name in the query string q ("a=1&b=x+y"),
 * percent-decoded with '+' as a blank, or NULL when it is not there.
 * A '%' not followed by two hex digits is kept as it is.  Owned.
 */
static char *
unsplash_param(const char *q, const char *name)
{
	struct buf	 b;
	const char	*p, *end;
	size_t		 n = strlen(name);
	int		 hi, lo;

	for (p = q; *p != '\0'; p = *end == '&' ? end + 1 : end) {
		end = p + strcspn(p, "&");
		if (strncmp(p, name, n) != 0 || p[n] != '=')
			continue;
		buf_init(&b);
		for (p += n + 1; p < end; p++) {
			if (*p == '+')
				buf_putc(&b, ' ');
			else if (*p == '%' && end - p >= 3 &&
			    (hi = unsplash_hexval(p[1])) != -1 &&
			    (lo = unsplash_hexval(p[2])) != -1) {
				buf_putc(&b, (char)(hi << 4 | lo));
				p += 2;
			} else
				buf_putc(&b, *p);
		}
		return (buf_detach(&b));
	}
	return (NULL);
}

/*
 * The query as a photo's description quotes it: at most
 * UNSPLASH_QUERY_MAX bytes cut on a character boundary, blanks trimmed,
 * control characters made blanks, and every byte above 0x7f made '?'
 * when the whole is not valid UTF-8.  Owned.
 */
static char *
unsplash_clean(const char *q)
{
	char	*s;
	size_t	 len, i;
	int	 valid;

	while (*q == ' ')
		q++;
	len = strlen(q);
	valid = utf8_valid(q, len);
	if (len > UNSPLASH_QUERY_MAX) {
		len = UNSPLASH_QUERY_MAX;
		while (valid && len > 0 && ((unsigned char)q[len] & 0xc0) ==
		    0x80)
			len--;
	}
	s = xstrndup(q, len);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = ' ';
		else if (!valid && (unsigned char)s[i] > 0x7f)
			s[i] = '?';
	}
	while (len > 0 && s[len - 1] == ' ')
		s[--len] = '\0';
	return (s);
}

/* A JSON string of "http://<host><path><id><rest>". */
static json_object *
unsplash_url(const char *host, const char *path, const char *id,
    const char *rest)
{
	json_object	*o;
	char		*url;

	xasprintf(&url, "http://%s%s%s%s", host, path, id, rest);
	o = json_object_new_string(url);
	free(url);
	return (o);
}

/* GET /unsplash/search/photos: one photo for the query, or none. */
static void
unsplash_search(const struct api_request *rq, struct api_reply *rp,
    struct sources_stats *st)
{
	json_object	*root, *results, *r, *urls, *links, *user, *ulinks;
	const char	*host = api_host(rq);
	char		*raw, *q, id[32], *alt;

	if (!unsplash_authorized(rq)) {
		unsplash_reply(rp, 401, UNSPLASH_BAD_KEY);
		return;
	}
	st->ss_unsplash_searches++;
	raw = rq->rq_query != NULL ? unsplash_param(rq->rq_query, "query") :
	    NULL;
	q = unsplash_clean(raw != NULL ? raw : "");
	free(raw);
	root = json_object_new_object();
	results = json_object_new_array();
	if (*q == '\0' || strcasecmp(q, "nothing") == 0) {
		json_object_object_add(root, "total", json_object_new_int(0));
		json_object_object_add(root, "total_pages",
		    json_object_new_int(0));
		json_object_object_add(root, "results", results);
		unsplash_json(rp, root);
		free(q);
		return;
	}
	snprintf(id, sizeof(id), "standin-%012" PRIx64,
	    canned_fnv1a(q, strlen(q)) & UINT64_C(0xffffffffffff));
	xasprintf(&alt, "a stand-in photo about %s", q);

	urls = json_object_new_object();
	json_object_object_add(urls, "raw",
	    unsplash_url(host, "/unsplash/photo.jpg?id=", id, ""));
	json_object_object_add(urls, "full",
	    unsplash_url(host, "/unsplash/photo.jpg?id=", id, "&q=85"));
	json_object_object_add(urls, "regular",
	    unsplash_url(host, "/unsplash/photo.jpg?id=", id, "&w=1080"));
	json_object_object_add(urls, "small",
	    unsplash_url(host, "/unsplash/photo.jpg?id=", id, "&w=400"));
	json_object_object_add(urls, "thumb",
	    unsplash_url(host, "/unsplash/photo.jpg?id=", id, "&w=200"));
	links = json_object_new_object();
	json_object_object_add(links, "html",
	    unsplash_url(host, "/unsplash/photos/", id, ""));
	json_object_object_add(links, "download",
	    unsplash_url(host, "/unsplash/photo.jpg?id=", id, "&dl=1"));
	json_object_object_add(links, "download_location",
	    unsplash_url(host, "/unsplash/download?id=", id, ""));
	ulinks = json_object_new_object();
	json_object_object_add(ulinks, "html",
	    unsplash_url(host, "/unsplash/@", "standin", ""));
	user = json_object_new_object();
	json_object_object_add(user, "id",
	    json_object_new_string("standin-user"));
	json_object_object_add(user, "username",
	    json_object_new_string("standin"));
	json_object_object_add(user, "name",
	    json_object_new_string("Stand-in Photographer"));
	json_object_object_add(user, "links", ulinks);

	r = json_object_new_object();
	json_object_object_add(r, "id", json_object_new_string(id));
	json_object_object_add(r, "created_at",
	    json_object_new_string("2026-01-01T00:00:00Z"));
	json_object_object_add(r, "width", json_object_new_int(32));
	json_object_object_add(r, "height", json_object_new_int(32));
	json_object_object_add(r, "color", json_object_new_string("#808080"));
	json_object_object_add(r, "likes", json_object_new_int(0));
	json_object_object_add(r, "description", NULL);
	json_object_object_add(r, "alt_description",
	    json_object_new_string(alt));
	json_object_object_add(r, "urls", urls);
	json_object_object_add(r, "links", links);
	json_object_object_add(r, "user", user);
	json_object_array_add(results, r);
	json_object_object_add(root, "total", json_object_new_int(1));
	json_object_object_add(root, "total_pages", json_object_new_int(1));
	json_object_object_add(root, "results", results);
	unsplash_json(rp, root);
	free(alt);
	free(q);
}

/* 1 when s is a usable photo id: 1 to 64 of [A-Za-z0-9_-]. */
static int
unsplash_id_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= UNSPLASH_ID_MAX && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") == n);
}

/* GET /unsplash/download: the ping Unsplash asks for when a photo is used. */
static void
unsplash_download(const struct api_request *rq, struct api_reply *rp,
    struct sources_stats *st)
{
	json_object	*root;
	char		*id;

	if (!unsplash_authorized(rq)) {
		unsplash_reply(rp, 401, UNSPLASH_BAD_KEY);
		return;
	}
	id = rq->rq_query != NULL ? unsplash_param(rq->rq_query, "id") : NULL;
	if (id == NULL || !unsplash_id_ok(id)) {
		unsplash_reply(rp, 404, UNSPLASH_NOT_FOUND);
		free(id);
		return;
	}
	st->ss_unsplash_downloads++;
	root = json_object_new_object();
	json_object_object_add(root, "url", unsplash_url(api_host(rq),
	    "/unsplash/photo.jpg?id=", id, "&ixid=standin"));
	unsplash_json(rp, root);
	free(id);
}

/* A bit writer for the entropy-coded part of a JPEG. */
struct unsplash_bits {
	struct buf	*ub_out;
	uint32_t	 ub_acc;
	int		 ub_n;		/* bits waiting in ub_acc */
};

/* Write the n low bits of v, most significant first; 0xff gets 0x00. */
static void
unsplash_put_bits(struct unsplash_bits *ub, uint32_t v, int n)
{
	unsigned char	c;

	ub->ub_acc = (ub->ub_acc << n) | (v & ((1u << n) - 1));
	ub->ub_n += n;
	while (ub->ub_n >= 8) {
		c = (unsigned char)(ub->ub_acc >> (ub->ub_n - 8));
		buf_putc(ub->ub_out, (char)c);
		if (c == 0xff)
			buf_putc(ub->ub_out, 0);
		ub->ub_n -= 8;
	}
}

unsigned char *
unsplash_jpeg(size_t *lenp)
{
	static const unsigned char head[] = {
		0xff, 0xd8,				/* SOI */
		0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
		0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	};
	/* SOF0: 8 bits, 32 x 32, one component, 1x1 sampling, table 0 */
	static const unsigned char sof[] = {
		0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20,
		0x01, 0x01, 0x11, 0x00,
	};
	/*
	 * DC table 0: categories 0 to 11, all with 4-bit codes (code k
	 * for category k).  AC table 0: only end-of-block, code "0".
	 */
	static const unsigned char dht[] = {
		0xff, 0xc4, 0x00, 0x1f, 0x00,
		0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
		0xff, 0xc4, 0x00, 0x14, 0x10,
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00,
	};
	static const unsigned char sos[] = {
		0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
	};
	struct unsplash_bits	 ub;
	struct buf		 b;
	int			 i, bx, by, dc, prev = 0, diff, mag, cat;

	buf_init(&b);
	buf_append(&b, (const char *)head, sizeof(head));
	/* DQT: 8 for DC, so a quantised DC is the block's offset from 128 */
	buf_append(&b, "\xff\xdb\x00\x43\x00", 5);
	for (i = 0; i < 64; i++)
		buf_putc(&b, i == 0 ? 8 : 16);
	buf_append(&b, (const char *)sof, sizeof(sof));
	buf_append(&b, (const char *)dht, sizeof(dht));
	buf_append(&b, (const char *)sos, sizeof(sos));
	memset(&ub, 0, sizeof(ub));
	ub.ub_out = &b;
	for (by = 0; by < 4; by++) {
		for (bx = 0; bx < 4; bx++) {
			/* grey levels 40 to 220 along the diagonal */
			dc = 40 + (bx + by) * 30 - 128;
			diff = dc - prev;
			prev = dc;
			mag = diff < 0 ? -diff : diff;
			for (cat = 0; mag >> cat != 0; cat++)
				continue;
			unsplash_put_bits(&ub, (uint32_t)cat, 4);
			if (cat > 0)
				unsplash_put_bits(&ub, (uint32_t)(diff > 0 ?
				    diff : diff + (1 << cat) - 1), cat);
			unsplash_put_bits(&ub, 0, 1);	/* end of block */
		}
	}
	if (ub.ub_n > 0)	/* pad the last byte with 1 bits */
		unsplash_put_bits(&ub, 0xff, 8 - ub.ub_n);
	buf_append(&b, "\xff\xd9", 2);			/* EOI */
	*lenp = b.b_len;
	return ((unsigned char *)buf_detach(&b));
}

/* GET /unsplash/photo.jpg: the photo, whatever the id. */
static void
unsplash_photo(struct api_reply *rp)
{
	free(rp->rp_body);
	rp->rp_body = (char *)unsplash_jpeg(&rp->rp_bodylen);
	rp->rp_status = 200;
	rp->rp_ctype = "image/jpeg";
}

/* The pages a credit links to: the photo's and the photographer's. */
static void
unsplash_page(struct api_reply *rp, const char *what)
{
	char	*html;

	xasprintf(&html, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>%s on the stand-in</title></head>"
	    "<body><h1>%s</h1><p>Served by llm-standin in place of "
	    "unsplash.com.</p></body></html>\n", what, what);
	unsplash_reply(rp, 200, html);
	free(html);
	rp->rp_ctype = "text/html; charset=utf-8";
}

int
unsplash_handle(const struct api_request *rq, const char *path,
    struct api_reply *rp, struct sources_stats *st)
{
	const char	*id;

	if (strncmp(path, "/unsplash/", 10) != 0)
		return (0);
	if (strcmp(rq->rq_method, "GET") != 0) {
		unsplash_reply(rp, 405, "{\"errors\":[\"Method not "
		    "allowed\"]}");
		(void)strlcpy(rp->rp_headers, "Allow: GET\r\n",
		    sizeof(rp->rp_headers));
		return (1);
	}
	if (strcmp(path, "/unsplash/search/photos") == 0)
		unsplash_search(rq, rp, st);
	else if (strcmp(path, "/unsplash/download") == 0)
		unsplash_download(rq, rp, st);
	else if (strcmp(path, "/unsplash/photo.jpg") == 0)
		unsplash_photo(rp);
	else if (strcmp(path, "/unsplash/@standin") == 0)
		unsplash_page(rp, "Stand-in Photographer");
	else if (strncmp(path, "/unsplash/photos/", 17) == 0 &&
	    unsplash_id_ok(id = path + 17))
		unsplash_page(rp, id);
	else
		unsplash_reply(rp, 404, UNSPLASH_NOT_FOUND);
	return (1);
}
