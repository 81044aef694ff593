/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_standin.c: the stand-in's images API, its Unsplash stand-in and
 * its "hostile" article, spoken to over loopback with plain sockets.  The
 * PNGs are checked here byte by byte, independently of the stand-in's
 * encoder: the signature, IHDR, every chunk's CRC-32, and the IDAT
 * stream inflated (stored blocks) and checked against its Adler-32 and
 * the size asked for; then cairo (libpng) and the worker's own reply
 * decoder must accept them too.  The rest of the stand-in is exercised
 * by scripts/standin-smoke.sh and by the suites that run against it.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <dlfcn.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <check.h>
#include <json.h>

#include "buf.h"
#include "cover.h"
#include "e2e.h"
#include "tests.h"
#include "text.h"
#include "xmalloc.h"

/* A reply read off the socket. */
struct hresp {
	int		 status;	/* 0: the connection closed first */
	char		*head;		/* status line and header lines */
	char		*body;		/* NUL-terminated; may hold NULs */
	size_t		 len;
};

static void
hresp_release(struct hresp *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/*
 * Send one request to the stand-in on port, "Connection: close", and
 * read the whole reply into r.  headers holds extra "Name: value\r\n"
 * lines (a Host line among them replaces the default one) or is NULL.
 */
static void
http_req(int port, const char *method, const char *target,
    const char *headers, const char *body, struct hresp *r)
{
	struct sockaddr_in	 sin;
	struct timeval		 tv = { 30, 0 };
	struct buf		 req, in;
	char			 chunk[65536], *sep;
	ssize_t			 n;
	size_t			 off;
	int			 fd;

	memset(r, 0, sizeof(*r));
	buf_init(&req);
	buf_printf(&req, "%s %s HTTP/1.1\r\n", method, target);
	if (headers == NULL || strcasestr(headers, "Host:") == NULL)
		buf_printf(&req, "Host: 127.0.0.1:%d\r\n", port);
	if (headers != NULL)
		buf_puts(&req, headers);
	buf_printf(&req, "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	    body != NULL ? strlen(body) : 0);
	if (body != NULL)
		buf_puts(&req, body);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	for (off = 0; off < req.b_len; off += (size_t)n) {
		n = write(fd, req.b_data + off, req.b_len - off);
		ck_assert_int_gt(n, 0);
	}
	buf_release(&req);
	buf_init(&in);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(&in, chunk, (size_t)n);
	ck_assert_msg(n == 0, "reading the reply failed or timed out");
	close(fd);
	if (in.b_len == 0) {
		buf_release(&in);
		return;
	}
	sep = strstr(in.b_data, "\r\n\r\n");
	ck_assert_ptr_nonnull(sep);
	ck_assert_int_eq(sscanf(in.b_data, "HTTP/1.1 %d ", &r->status), 1);
	r->head = xstrndup(in.b_data, (size_t)(sep - in.b_data) + 2);
	r->len = in.b_len - (size_t)(sep + 4 - in.b_data);
	r->body = xmalloc(r->len + 1);
	memcpy(r->body, sep + 4, r->len);
	r->body[r->len] = '\0';
	buf_release(&in);
}

/* The value of header name in r (owned), or NULL. */
static char *
hresp_header(const struct hresp *r, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	for (p = strstr(r->head, "\r\n"); p != NULL && p[2] != '\0';
	    p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
			p += 3 + n;
			while (*p == ' ')
				p++;
			return (xstrndup(p, strcspn(p, "\r\n")));
		}
	}
	return (NULL);
}

/* The body of r as a JSON object; fails the test when it is not. */
static struct json_object *
hresp_json(const struct hresp *r)
{
	struct json_object	*o;

	o = json_tokener_parse(r->body);
	ck_assert_msg(o != NULL && json_object_is_type(o, json_type_object),
	    "not a JSON object: %.300s", r->body);
	return (o);
}

/* The string at a dotted path ("data.0.b64_json") in o, or NULL. */
static const char *
jstr(struct json_object *o, const char *path)
{
	char	*copy, *tok, *save = NULL;

	copy = xstrdup(path);
	for (tok = strtok_r(copy, ".", &save); tok != NULL && o != NULL;
	    tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			o = NULL;
	}
	free(copy);
	if (o == NULL || !json_object_is_type(o, json_type_string))
		return (NULL);
	return (json_object_get_string(o));
}

/* The integer at a dotted path in o, or -1. */
static int64_t
jint(struct json_object *o, const char *path)
{
	char	*copy, *tok, *save = NULL;

	copy = xstrdup(path);
	for (tok = strtok_r(copy, ".", &save); tok != NULL && o != NULL;
	    tok = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, tok, &o))
			o = NULL;
	free(copy);
	if (o == NULL || !json_object_is_type(o, json_type_int))
		return (-1);
	return (json_object_get_int64(o));
}

/* A counter of GET /stats. */
static int64_t
stats_get(int port, const char *name)
{
	struct hresp		 r;
	struct json_object	*o;
	int64_t			 v;

	http_req(port, "GET", "/stats", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	v = jint(o, name);
	json_object_put(o);
	hresp_release(&r);
	return (v);
}

/* Replace the stand-in's fault queue. */
static void
set_faults(int port, const char *list)
{
	struct hresp	r;

	http_req(port, "POST", "/faults", NULL, list, &r);
	ck_assert_msg(r.status == 200, "faults '%s': %s", list, r.body);
	hresp_release(&r);
}

/* ---- PNG, checked here without the stand-in's code ---- */

static uint32_t
t_crc32(const unsigned char *p, size_t len)
{
	uint32_t	c = 0xffffffffU;
	size_t		i;
	int		k;

	for (i = 0; i < len; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320U & (0U - (c & 1)));
	}
	return (c ^ 0xffffffffU);
}

static uint32_t
t_be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

/* Strict base64 (standard alphabet, padded, one line); owned. */
static unsigned char *
t_unbase64(const char *s, size_t *lenp)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char		*out;
	const char		*c;
	size_t			 n = strlen(s), i, o = 0, bad = 0;
	uint32_t		 v;
	int			 k, pad;

	/*
	 * Failures are counted and asserted once: a Check assertion per
	 * character would cost a system call each in fork mode.
	 */
	ck_assert_msg(n > 0 && n % 4 == 0, "base64 length %zu", n);
	out = xmalloc(n / 4 * 3);
	for (i = 0; i < n; i += 4) {
		v = 0;
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			c = s[i + k] != '\0' ? strchr(al, s[i + k]) : NULL;
			if (pad != 0 || c == NULL) {
				bad++;
				c = al;
			}
			v = v << 6 | (uint32_t)(c - al);
		}
		out[o++] = (unsigned char)(v >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(v >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)v;
	}
	ck_assert_msg(bad == 0, "%zu bad base64 characters", bad);
	*lenp = o;
	return (out);
}

/* cairo's PNG reader over a memory buffer. */
struct t_mem {
	const unsigned char	*m_p;
	size_t			 m_len;
	size_t			 m_off;
};

static cairo_status_t
t_mem_read(void *arg, unsigned char *data, unsigned int len)
{
	struct t_mem	*m = arg;

	if (m->m_len - m->m_off < len)
		return (CAIRO_STATUS_READ_ERROR);
	memcpy(data, m->m_p + m->m_off, len);
	m->m_off += len;
	return (CAIRO_STATUS_SUCCESS);
}


/* The cairo calls the PNG check needs, from the library cairo.h names. */
struct t_cairo {
	cairo_surface_t	*(*from_png_stream)(cairo_read_func_t, void *);
	cairo_status_t	 (*status)(cairo_surface_t *);
	int		 (*width)(cairo_surface_t *);
	int		 (*height)(cairo_surface_t *);
	void		 (*destroy)(cairo_surface_t *);
};

static void
t_cairo_load(struct t_cairo *cd)
{
	void	*h;

	h = dlopen(ARTICLEGEN_CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "%s", dlerror());
	*(void **)&cd->from_png_stream = dlsym(h,
	    "cairo_image_surface_create_from_png_stream");
	*(void **)&cd->status = dlsym(h, "cairo_surface_status");
	*(void **)&cd->width = dlsym(h, "cairo_image_surface_get_width");
	*(void **)&cd->height = dlsym(h, "cairo_image_surface_get_height");
	*(void **)&cd->destroy = dlsym(h, "cairo_surface_destroy");
	ck_assert(cd->from_png_stream != NULL && cd->status != NULL &&
	    cd->width != NULL && cd->height != NULL && cd->destroy != NULL);
}

/*
 * Check that p is a whole PNG of w x h: signature; IHDR first (8-bit
 * RGB or grey, not interlaced); each chunk's CRC; IEND last and nothing
 * after it; the IDAT chunks together a zlib stream of stored deflate
 * blocks whose bytes are h rows of a filter byte and w samples, with a
 * matching Adler-32.  Then cairo must decode it to the same size.
 */
static void
check_png(const unsigned char *p, size_t len, uint32_t w, uint32_t h)
{
	static const unsigned char	 sig[8] = { 0x89, 'P', 'N', 'G', '\r',
	    '\n', 0x1a, '\n' };
	struct buf			 z, raw;
	struct t_mem			 m;
	cairo_surface_t			*cs;
	struct t_cairo			 cd;
	const unsigned char		*zp;
	size_t				 off, clen, zoff, rowlen, y, badrows;
	uint32_t			 a = 1, b = 0, blen, nlen;
	int				 channels = 0, chunks = 0, last = 0;
	int				 final;

	ck_assert_uint_ge(len, 8 + 25 + 12);
	ck_assert_int_eq(memcmp(p, sig, 8), 0);
	buf_init(&z);
	for (off = 8; off < len; off += 12 + clen) {
		ck_assert_msg(!last, "bytes after IEND");
		ck_assert_uint_ge(len - off, 12);
		clen = t_be32(p + off);
		ck_assert_uint_le(clen, len - off - 12);
		ck_assert_msg(t_crc32(p + off + 4, 4 + clen) ==
		    t_be32(p + off + 8 + clen), "bad CRC in chunk %d (%.4s)",
		    chunks, (const char *)p + off + 4);
		if (chunks == 0) {
			ck_assert_int_eq(memcmp(p + off + 4, "IHDR", 4), 0);
			ck_assert_uint_eq(clen, 13);
			ck_assert_uint_eq(t_be32(p + off + 8), w);
			ck_assert_uint_eq(t_be32(p + off + 12), h);
			ck_assert_int_eq(p[off + 16], 8);
			ck_assert(p[off + 17] == 2 || p[off + 17] == 0);
			channels = p[off + 17] == 2 ? 3 : 1;
			ck_assert_int_eq(p[off + 18], 0);
			ck_assert_int_eq(p[off + 19], 0);
			ck_assert_int_eq(p[off + 20], 0);
		} else if (memcmp(p + off + 4, "IDAT", 4) == 0)
			buf_append(&z, (const char *)p + off + 8, clen);
		else if (memcmp(p + off + 4, "IEND", 4) == 0) {
			ck_assert_uint_eq(clen, 0);
			last = 1;
		}
		chunks++;
	}
	ck_assert_msg(last && off == len, "no IEND at the end");

	/* the zlib stream: header, stored blocks, Adler-32 */
	zp = (const unsigned char *)z.b_data;
	ck_assert_uint_ge(z.b_len, 2 + 5 + 4);
	ck_assert_int_eq(zp[0] & 0x0f, 8);
	ck_assert_int_eq((zp[0] * 256 + zp[1]) % 31, 0);
	ck_assert_int_eq(zp[1] & 0x20, 0);
	buf_init(&raw);
	zoff = 2;
	do {
		ck_assert_uint_ge(z.b_len - zoff, 5);
		final = zp[zoff] & 1;
		ck_assert_msg(((zp[zoff] >> 1) & 3) == 0, "not a stored "
		    "block at %zu", zoff);
		blen = zp[zoff + 1] | (uint32_t)zp[zoff + 2] << 8;
		nlen = zp[zoff + 3] | (uint32_t)zp[zoff + 4] << 8;
		ck_assert_uint_eq(blen, ~nlen & 0xffff);
		zoff += 5;
		ck_assert_uint_le(blen, z.b_len - zoff);
		buf_append(&raw, z.b_data + zoff, blen);
		zoff += blen;
	} while (!final);
	ck_assert_uint_eq(z.b_len - zoff, 4);
	for (off = 0; off < raw.b_len; off++) {
		a = (a + (unsigned char)raw.b_data[off]) % 65521;
		b = (b + a) % 65521;
	}
	ck_assert_uint_eq(t_be32(zp + zoff), b << 16 | a);
	rowlen = 1 + (size_t)w * (size_t)channels;
	ck_assert_uint_eq(raw.b_len, (size_t)h * rowlen);
	for (y = badrows = 0; y < h; y++)
		if ((unsigned char)raw.b_data[y * rowlen] > 4)
			badrows++;
	ck_assert_uint_eq(badrows, 0);
	buf_release(&raw);
	buf_release(&z);

	/* and a real decoder agrees (cairo, loaded as the worker loads it) */
	t_cairo_load(&cd);
	m.m_p = p;
	m.m_len = len;
	m.m_off = 0;
	cs = cd.from_png_stream(t_mem_read, &m);
	ck_assert_int_eq(cd.status(cs), CAIRO_STATUS_SUCCESS);
	ck_assert_int_eq(cd.width(cs), (int)w);
	ck_assert_int_eq(cd.height(cs), (int)h);
	cd.destroy(cs);
}

/*
 * POST an images request body; with want_w > 0, expect a 200 whose
 * data[0].b64_json is a PNG of want_w x want_h and return it (owned,
 * base64 as sent).
 */
static char *
images_ok(int port, const char *body, uint32_t want_w, uint32_t want_h)
{
	struct hresp		 r;
	struct json_object	*o;
	struct cover_image	 ci;
	unsigned char		*png;
	const char		*b64;
	char			 err[256], *ct, *out;
	size_t			 len;
	unsigned		 cw, chh;

	http_req(port, "POST", "/v1/images/generations", NULL, body, &r);
	ck_assert_msg(r.status == 200, "%d %.300s", r.status, r.body);
	ct = hresp_header(&r, "Content-Type");
	ck_assert_str_eq(ct, "application/json");
	free(ct);
	o = hresp_json(&r);
	ck_assert_int_gt(jint(o, "created"), 1700000000);
	ck_assert_ptr_nonnull(jstr(o, "data.0.revised_prompt"));
	b64 = jstr(o, "data.0.b64_json");
	ck_assert_ptr_nonnull(b64);
	ck_assert_ptr_null(strpbrk(b64, "\r\n -_"));
	png = t_unbase64(b64, &len);
	check_png(png, len, want_w, want_h);
	/* what the worker's cover step makes of the same reply */
	ck_assert_msg(cover_images_reply(r.body, r.len, &ci, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(ci.ci_len, len);
	ck_assert_int_eq(memcmp(ci.ci_data, png, len), 0);
	ck_assert_int_eq(cover_png_info(ci.ci_data, ci.ci_len, &cw, &chh), 0);
	ck_assert_uint_eq(cw, want_w);
	ck_assert_uint_eq(chh, want_h);
	cover_image_release(&ci);
	out = xstrdup(b64);
	free(png);
	json_object_put(o);
	hresp_release(&r);
	return (out);
}

/* ---- images API ---- */

START_TEST(test_images_png_of_requested_size)
{
	int	 port = e2e_standin.port;
	char	*a, *b, *c;

	a = images_ok(port, "{\"model\":\"gpt-image-1\",\"prompt\":\"a cover "
	    "about databases\",\"size\":\"200x120\",\"n\":1,"
	    "\"response_format\":\"b64_json\"}", 200, 120);
	/* the same prompt and size, the same image; another prompt, not */
	b = images_ok(port, "{\"prompt\":\"a cover about databases\","
	    "\"size\":\"200x120\"}", 200, 120);
	ck_assert_str_eq(a, b);
	free(b);
	b = images_ok(port, "{\"prompt\":\"a cover about compilers\","
	    "\"size\":\"200x120\"}", 200, 120);
	ck_assert_str_ne(a, b);
	free(b);
	/* the smallest and largest sides, an odd width, the cover size */
	c = images_ok(port, "{\"prompt\":\"p\",\"size\":\"64x2048\"}", 64,
	    2048);
	free(c);
	c = images_ok(port, "{\"prompt\":\"p\",\"size\":\"2048x64\"}", 2048,
	    64);
	free(c);
	c = images_ok(port, "{\"prompt\":\"p\",\"size\":\"1792x1024\"}", 1792,
	    1024);
	free(c);
	c = images_ok(port, "{\"prompt\":\"p\",\"size\":\"77x65\"}", 77, 65);
	free(c);
	/* no size: 1024x1024; the other path */
	c = images_ok(port, "{\"prompt\":\"default size\"}", 1024, 1024);
	free(c);
	free(a);
	ck_assert_int_eq(stats_get(port, "image_requests"), 8);
	ck_assert_int_eq(stats_get(port, "chat_requests"), 0);
}
END_TEST

START_TEST(test_images_other_path_and_n)
{
	struct hresp		 r;
	struct json_object	*o;
	unsigned char		*png;
	size_t			 len;
	int			 i;

	http_req(e2e_standin.port, "POST", "/images/generations", NULL,
	    "{\"prompt\":\"three\",\"size\":\"64x96\",\"n\":3}", &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(o,
	    "data")), 3);
	for (i = 0; i < 3; i++) {
		char	path[32];

		snprintf(path, sizeof(path), "data.%d.b64_json", i);
		png = t_unbase64(jstr(o, path), &len);
		check_png(png, len, 64, 96);
		free(png);
	}
	ck_assert_str_ne(jstr(o, "data.0.b64_json"), jstr(o,
	    "data.1.b64_json"));
	json_object_put(o);
	hresp_release(&r);
}
END_TEST

START_TEST(test_images_url_served)
{
	struct hresp		 r;
	struct json_object	*o;
	char			*ct;
	int			 port = e2e_standin.port;

	http_req(port, "POST", "/v1/images/generations", "Host: images.test:"
	    "8080\r\n", "{\"prompt\":\"by url\",\"size\":\"96x64\","
	    "\"response_format\":\"url\"}", &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	ck_assert_str_eq(jstr(o, "data.0.url"),
	    "http://images.test:8080/images/1.png");
	ck_assert_ptr_null(jstr(o, "data.0.b64_json"));
	json_object_put(o);
	hresp_release(&r);
	/* a Host that is not a plain name: the loopback address instead */
	http_req(port, "POST", "/v1/images/generations", "Host: a\"b/c\r\n",
	    "{\"prompt\":\"by url\",\"size\":\"96x64\","
	    "\"response_format\":\"url\"}", &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	ck_assert_str_eq(jstr(o, "data.0.url"),
	    "http://127.0.0.1/images/2.png");
	json_object_put(o);
	hresp_release(&r);

	http_req(port, "GET", "/images/1.png", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ct = hresp_header(&r, "Content-Type");
	ck_assert_str_eq(ct, "image/png");
	free(ct);
	check_png((unsigned char *)r.body, r.len, 96, 64);
	hresp_release(&r);
	http_req(port, "GET", "/images/3.png", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	hresp_release(&r);
}
END_TEST

/* An error reply's status, error.type and error.param ("" for null). */
static void
check_error(const struct hresp *r, int status, const char *type,
    const char *param)
{
	struct json_object	*o;
	const char		*p;

	ck_assert_msg(r->status == status, "status %d, want %d: %s",
	    r->status, status, r->body);
	o = hresp_json(r);
	ck_assert_str_eq(jstr(o, "error.type"), type);
	ck_assert_ptr_nonnull(jstr(o, "error.message"));
	p = jstr(o, "error.param");
	ck_assert_str_eq(p != NULL ? p : "", param);
	json_object_put(o);
}

START_TEST(test_images_bad_requests_are_400)
{
	static const struct {
		const char	*body;
		const char	*param;
	} bad[] = {
		{ "not json", "" },
		{ "{\"prompt\":\"x\"} trailing", "" },
		{ "[\"prompt\"]", "" },
		{ "{}", "prompt" },
		{ "{\"prompt\":\"\"}", "prompt" },
		{ "{\"prompt\":42}", "prompt" },
		{ "{\"prompt\":\"x\",\"size\":\"63x64\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"64x2049\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"4096x4096\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"1024\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"1024x\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"x1024\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"1024X1024\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"+512x512\"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":\"512x512 \"}", "size" },
		{ "{\"prompt\":\"x\",\"size\":1024}", "size" },
		{ "{\"prompt\":\"x\",\"n\":0}", "n" },
		{ "{\"prompt\":\"x\",\"n\":11}", "n" },
		{ "{\"prompt\":\"x\",\"response_format\":\"png\"}",
		    "response_format" },
		{ "{\"prompt\":\"x\",\"model\":\"\"}", "model" },
	};
	struct hresp	r;
	size_t		i;
	int		port = e2e_standin.port;

	/* a 400 takes no fault: the queued one is still there afterwards */
	set_faults(port, "status:503");
	for (i = 0; i < nitems(bad); i++) {
		http_req(port, "POST", "/v1/images/generations", NULL,
		    bad[i].body, &r);
		check_error(&r, 400, "invalid_request_error", bad[i].param);
		if (strcmp(bad[i].param, "size") == 0)
			ck_assert_ptr_nonnull(strstr(r.body, "64 to 2048"));
		hresp_release(&r);
	}
	ck_assert_int_eq(stats_get(port, "faults_pending"), 1);
	ck_assert_int_eq(stats_get(port, "image_requests"),
	    (int64_t)nitems(bad));
	http_req(port, "GET", "/v1/images/generations", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 405);
	hresp_release(&r);
}
END_TEST

/* A short chat request (a title request: small and quick). */
static void
chat_req(int port, struct hresp *r)
{
	http_req(port, "POST", "/v1/chat/completions", NULL,
	    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
	    "\"content\":\"Return only the title.\\nTOPICS: caching\"}]}", r);
}

#define SMALL_IMAGE	"{\"model\":\"gpt-image-1\",\"prompt\":\"fault\"," \
	"\"size\":\"64x64\"}"

START_TEST(test_images_take_faults)
{
	struct hresp	 r;
	struct timespec	 t0, t1;
	char		*h, *log;
	int		 port = e2e_standin.port;
	long		 ms;

	/* one queue for chat and images, in arrival order */
	set_faults(port, "status:500,status:502,rate:3,malformed,length,"
	    "close,slow:300,quota,ok");
	http_req(port, "POST", "/v1/images/generations", NULL, SMALL_IMAGE,
	    &r);
	check_error(&r, 500, "server_error", "");
	hresp_release(&r);
	chat_req(port, &r);
	check_error(&r, 502, "server_error", "");
	hresp_release(&r);
	http_req(port, "POST", "/v1/images/generations", NULL, SMALL_IMAGE,
	    &r);
	check_error(&r, 429, "requests", "");
	h = hresp_header(&r, "Retry-After");
	ck_assert_str_eq(h, "3");
	free(h);
	hresp_release(&r);
	http_req(port, "POST", "/v1/images/generations", NULL, SMALL_IMAGE,
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "this is not json {");
	hresp_release(&r);
	/* a fault that only shapes completions: a normal image */
	free(images_ok(port, SMALL_IMAGE, 64, 64));
	http_req(port, "POST", "/v1/images/generations", NULL, SMALL_IMAGE,
	    &r);
	ck_assert_int_eq(r.status, 0);
	hresp_release(&r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	free(images_ok(port, SMALL_IMAGE, 64, 64));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	ck_assert_int_ge(ms, 290);
	http_req(port, "POST", "/v1/images/generations", NULL, SMALL_IMAGE,
	    &r);
	check_error(&r, 429, "insufficient_quota", "");
	hresp_release(&r);
	free(images_ok(port, SMALL_IMAGE, 64, 64));
	ck_assert_int_eq(stats_get(port, "faults_pending"), 0);
	ck_assert_int_eq(stats_get(port, "image_requests"), 8);
	ck_assert_int_eq(stats_get(port, "chat_requests"), 1);

	/* logged as chat requests are, model and fault included */
	log = test_read_file(e2e_standin.log, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_ptr_nonnull(strstr(log, " POST /v1/images/generations "
	    "gpt-image-1 500 "));
	ck_assert_ptr_nonnull(strstr(log, " status:500\n"));
	ck_assert_ptr_nonnull(strstr(log, " POST /v1/images/generations "
	    "gpt-image-1 - 0 close\n"));
	ck_assert_ptr_nonnull(strstr(log, " POST /v1/images/generations "
	    "gpt-image-1 200 18 malformed\n"));
	ck_assert_ptr_nonnull(strstr(log, " slow:300\n"));
	free(log);
}
END_TEST

START_TEST(test_images_need_the_key)
{
	const char	*extra[] = { "--require-key", "STANDIN_CHECK_KEY",
	    "--faults", "status:500", NULL };
	struct standin	 s;
	struct hresp	 r;
	char		*log;

	setenv("STANDIN_CHECK_KEY", "sk-standin-check-0123456789", 1);
	standin_start(&s, extra);
	unsetenv("STANDIN_CHECK_KEY");
	http_req(s.port, "POST", "/v1/images/generations", NULL, SMALL_IMAGE,
	    &r);
	check_error(&r, 401, "invalid_request_error", "");
	ck_assert_ptr_nonnull(strstr(r.body, "\"code\":null"));
	hresp_release(&r);
	http_req(s.port, "POST", "/v1/images/generations",
	    "Authorization: Bearer sk-wrong-key\r\n", SMALL_IMAGE, &r);
	check_error(&r, 401, "invalid_request_error", "");
	ck_assert_ptr_nonnull(strstr(r.body, "\"invalid_api_key\""));
	ck_assert_ptr_null(strstr(r.body, "sk-wrong-key"));
	hresp_release(&r);
	/* the 401s took no fault; the right key takes it */
	http_req(s.port, "POST", "/v1/images/generations",
	    "Authorization: Bearer sk-standin-check-0123456789\r\n",
	    SMALL_IMAGE, &r);
	check_error(&r, 500, "server_error", "");
	hresp_release(&r);
	log = test_read_file(s.log, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_ptr_null(strstr(log, "sk-"));
	free(log);
	standin_stop(&s);
}
END_TEST

/* ---- Unsplash ---- */

#define UNSPLASH_KEY	"Authorization: Client-ID unsplash-SECRET-key-42\r\n"

START_TEST(test_unsplash_search_needs_client_id)
{
	static const char *const bad[] = {
		NULL,
		"Authorization: Client-ID \r\n",
		"Authorization: Bearer unsplash-SECRET-key-42\r\n",
		"Authorization: unsplash-SECRET-key-42\r\n",
	};
	struct hresp		 r;
	struct json_object	*o;
	size_t			 i;
	int			 port = e2e_standin.port;

	for (i = 0; i < nitems(bad); i++) {
		http_req(port, "GET", "/unsplash/search/photos?query=servers&"
		    "per_page=1", bad[i], NULL, &r);
		ck_assert_int_eq(r.status, 401);
		o = hresp_json(&r);
		ck_assert_str_eq(jstr(o, "errors.0"),
		    "OAuth error: The access token is invalid");
		json_object_put(o);
		ck_assert_ptr_null(strstr(r.body, "SECRET"));
		hresp_release(&r);
	}
	/* a key in the URL is not the header Unsplash asks for */
	http_req(port, "GET", "/unsplash/search/photos?query=servers&"
	    "client_id=unsplash-SECRET-key-42", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 401);
	hresp_release(&r);
	ck_assert_int_eq(stats_get(port, "unsplash_searches"), 0);
}
END_TEST

/* Check one search result's URLs are on base (http://host). */
static void
check_result_urls(struct json_object *o, const char *base)
{
	static const char *const urls[] = { "raw", "full", "regular",
	    "small", "thumb" };
	const char	*id, *u;
	char		*want, path[64];
	size_t		 i;

	id = jstr(o, "results.0.id");
	ck_assert_ptr_nonnull(id);
	ck_assert_int_eq(strncmp(id, "standin-", 8), 0);
	for (i = 0; i < nitems(urls); i++) {
		snprintf(path, sizeof(path), "results.0.urls.%s", urls[i]);
		u = jstr(o, path);
		ck_assert_ptr_nonnull(u);
		xasprintf(&want, "%s/unsplash/photo.jpg?id=%s", base, id);
		ck_assert_msg(strncmp(u, want, strlen(want)) == 0, "%s: %s",
		    urls[i], u);
		free(want);
	}
	xasprintf(&want, "%s/unsplash/photos/%s", base, id);
	ck_assert_str_eq(jstr(o, "results.0.links.html"), want);
	free(want);
	xasprintf(&want, "%s/unsplash/download?id=%s", base, id);
	ck_assert_str_eq(jstr(o, "results.0.links.download_location"), want);
	free(want);
	ck_assert_ptr_nonnull(jstr(o, "results.0.links.download"));
	xasprintf(&want, "%s/unsplash/@standin", base);
	ck_assert_str_eq(jstr(o, "results.0.user.links.html"), want);
	free(want);
	ck_assert_str_eq(jstr(o, "results.0.user.name"),
	    "Stand-in Photographer");
	ck_assert_str_eq(jstr(o, "results.0.user.username"), "standin");
}

START_TEST(test_unsplash_search_results_on_host)
{
	struct hresp		 r;
	struct json_object	*o, *d;
	char			*base, *log;
	int			 port = e2e_standin.port;

	http_req(port, "GET", "/unsplash/search/photos?query=postgres%20"
	    "replication+lag&per_page=1&orientation=landscape&"
	    "content_filter=high", UNSPLASH_KEY "Host: photos.test:9000\r\n",
	    NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "SECRET"));
	o = hresp_json(&r);
	ck_assert_int_eq(jint(o, "total"), 1);
	ck_assert_int_eq(jint(o, "total_pages"), 1);
	check_result_urls(o, "http://photos.test:9000");
	ck_assert_ptr_nonnull(strstr(jstr(o, "results.0.alt_description"),
	    "postgres replication lag"));
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(
	    json_object_object_get(o, "results"), 0), "description", &d));
	ck_assert_ptr_null(d);
	json_object_put(o);
	hresp_release(&r);

	/* without a Host of its own: the address the client used */
	http_req(port, "GET", "/unsplash/search/photos?query=servers",
	    UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	xasprintf(&base, "http://127.0.0.1:%d", port);
	check_result_urls(o, base);
	free(base);
	json_object_put(o);
	hresp_release(&r);
	ck_assert_int_eq(stats_get(port, "unsplash_searches"), 2);

	/* the key is in no reply and not in the log */
	log = test_read_file(e2e_standin.log, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_ptr_nonnull(strstr(log, " GET /unsplash/search/photos - "
	    "200 "));
	ck_assert_ptr_null(strstr(log, "SECRET"));
	free(log);
}
END_TEST

START_TEST(test_unsplash_nothing_found)
{
	static const char *const targets[] = {
		"/unsplash/search/photos?query=nothing&per_page=1",
		"/unsplash/search/photos?query=&per_page=1",
		"/unsplash/search/photos?per_page=1",
		"/unsplash/search/photos",
	};
	struct hresp		 r;
	struct json_object	*o, *res;
	size_t			 i;

	for (i = 0; i < nitems(targets); i++) {
		http_req(e2e_standin.port, "GET", targets[i], UNSPLASH_KEY,
		    NULL, &r);
		ck_assert_int_eq(r.status, 200);
		o = hresp_json(&r);
		ck_assert_int_eq(jint(o, "total"), 0);
		ck_assert_int_eq(jint(o, "total_pages"), 0);
		ck_assert(json_object_object_get_ex(o, "results", &res));
		ck_assert(json_object_is_type(res, json_type_array));
		ck_assert_uint_eq(json_object_array_length(res), 0);
		json_object_put(o);
		hresp_release(&r);
	}
}
END_TEST

START_TEST(test_unsplash_photo_is_jpeg)
{
	struct hresp		 r;
	const unsigned char	*p;
	char			*ct;
	size_t			 i;
	int			 sof = 0;

	http_req(e2e_standin.port, "GET", "/unsplash/photo.jpg?id=standin-1&"
	    "w=1080", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ct = hresp_header(&r, "Content-Type");
	ck_assert_str_eq(ct, "image/jpeg");
	free(ct);
	p = (const unsigned char *)r.body;
	ck_assert_uint_ge(r.len, 100);
	ck_assert(p[0] == 0xff && p[1] == 0xd8);
	ck_assert(p[r.len - 2] == 0xff && p[r.len - 1] == 0xd9);
	/* a baseline frame header: 8 bits, 32 x 32, one component */
	for (i = 2; i + 9 < r.len && !sof; i++)
		if (p[i] == 0xff && p[i + 1] == 0xc0)
			sof = p[i + 4] == 8 && p[i + 6] == 32 &&
			    p[i + 8] == 32 && p[i + 9] == 1;
	ck_assert(sof);
	ck_assert_str_eq(cover_image_type(p, r.len), "jpg");
	hresp_release(&r);
}
END_TEST

START_TEST(test_unsplash_download_is_counted)
{
	struct hresp		 r;
	struct json_object	*o;
	char			*want;
	int			 port = e2e_standin.port;

	http_req(port, "GET", "/unsplash/search/photos?query=kernels",
	    UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	hresp_release(&r);
	ck_assert_int_eq(stats_get(port, "unsplash_downloads"), 0);
	/* refused pings are not counted */
	http_req(port, "GET", "/unsplash/download?id=standin-abc", NULL, NULL,
	    &r);
	ck_assert_int_eq(r.status, 401);
	hresp_release(&r);
	http_req(port, "GET", "/unsplash/download", UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	hresp_release(&r);
	http_req(port, "GET", "/unsplash/download?id=standin-abc",
	    UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "SECRET"));
	o = hresp_json(&r);
	xasprintf(&want, "http://127.0.0.1:%d/unsplash/photo.jpg?id="
	    "standin-abc", port);
	ck_assert_int_eq(strncmp(jstr(o, "url"), want, strlen(want)), 0);
	free(want);
	json_object_put(o);
	hresp_release(&r);
	ck_assert_int_eq(stats_get(port, "unsplash_downloads"), 1);
	ck_assert_int_eq(stats_get(port, "unsplash_searches"), 1);
	/* the pages the credit links to */
	http_req(port, "GET", "/unsplash/@standin", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	hresp_release(&r);
	http_req(port, "POST", "/unsplash/download?id=x", UNSPLASH_KEY, "",
	    &r);
	ck_assert_int_eq(r.status, 405);
	hresp_release(&r);
}
END_TEST

START_TEST(test_unsplash_fault_prefixes)
{
	struct hresp	 r;
	char		*h;
	int		 port = e2e_standin.port;

	http_req(port, "GET", "/fault/500/unsplash/search/photos?query=x",
	    UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 500);
	hresp_release(&r);
	http_req(port, "GET", "/fault/429/unsplash/search/photos?query=x",
	    UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 429);
	h = hresp_header(&r, "Retry-After");
	ck_assert_str_eq(h, "1");
	free(h);
	hresp_release(&r);
	http_req(port, "GET", "/fault/500/unsplash/download?id=x",
	    UNSPLASH_KEY, NULL, &r);
	ck_assert_int_eq(r.status, 500);
	hresp_release(&r);
	ck_assert_int_eq(stats_get(port, "unsplash_searches"), 0);
	ck_assert_int_eq(stats_get(port, "unsplash_downloads"), 0);
}
END_TEST

/* ---- the hostile article ---- */

static const char *const hostile_markers[] = {
	"HOSTILE-SCRIPT", "HOSTILE-IFRAME", "HOSTILE-OBJECT", "HOSTILE-EMBED",
	"HOSTILE-FORM", "HOSTILE-INPUT", "HOSTILE-STYLE", "HOSTILE-ONERROR",
	"HOSTILE-MDJSURL", "HOSTILE-JSURL", "HOSTILE-SVGSCRIPT",
	"HOSTILE-SVGONLOAD", "HOSTILE-META",
};

static const char *const benign_markers[] = {
	"BENIGN-TABLE", "BENIGN-FIGURE", "BENIGN-BR", "BENIGN-DETAILS",
	"BENIGN-SVG",
};

/* The constructs themselves, as a sanitiser will meet them. */
static const char *const hostile_html[] = {
	"<script>", "<iframe src=", "<object data=", "<embed src=",
	"<form action=", "<input type=", "<style>", " onerror=\"",
	"](javascript:", "<a href=\"javascript:", "<svg width=\"20\" "
	"height=\"20\"><script>", " onload=\"", "http-equiv=\"refresh\"",
	"<table>", "<tr><td>", "<figure>", "<figcaption>", "<br>",
	"<details>", "<summary>", "<circle ",
};

/*
 * An article request as the worker sends it (a topics line, a primary
 * source, source material) with max_tokens 2000, the worker's cap for a
 * non-reasoning model; returns the content (owned) and its
 * finish_reason in finish.
 */
static char *
article_req(int port, const char *topic, char *finish, size_t flen)
{
	struct hresp		 r;
	struct json_object	*o, *req;
	char			*prompt, *content;

	xasprintf(&prompt, "Write an article.\nTOPICS: %s, observability\n"
	    "Primary source: https://example.com/%s\nSOURCE MATERIAL\n%s "
	    "changed how the team deploys, measures and rolls back.", topic,
	    topic, topic);
	req = json_object_new_object();
	json_object_object_add(req, "model",
	    json_object_new_string("gpt-4o-mini"));
	json_object_object_add(req, "max_tokens", json_object_new_int(2000));
	o = json_object_new_object();
	json_object_object_add(o, "role", json_object_new_string("user"));
	json_object_object_add(o, "content", json_object_new_string(prompt));
	json_object_object_add(req, "messages", json_object_new_array());
	json_object_array_add(json_object_object_get(req, "messages"), o);
	http_req(port, "POST", "/v1/chat/completions", NULL,
	    json_object_to_json_string(req), &r);
	json_object_put(req);
	free(prompt);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	content = xstrdup(jstr(o, "choices.0.message.content"));
	(void)strlcpy(finish, jstr(o, "choices.0.finish_reason"), flen);
	json_object_put(o);
	hresp_release(&r);
	return (content);
}

/* Check that text is a whole hostile article the worker would take. */
static void
check_hostile_article(const char *text, const char *finish)
{
	size_t	i;

	ck_assert_str_eq(finish, "stop");
	ck_assert_uint_le(strlen(text), 8000);
	ck_assert_uint_ge(text_word_count(text), ARTICLE_MIN_WORDS * 3);
	ck_assert_ptr_nonnull(strstr(text, "\n## Key Takeaways\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n## Conclusion\n"));
	ck_assert_ptr_nonnull(strstr(text, "](https://example.com/"));
	for (i = 0; i < nitems(hostile_markers); i++)
		ck_assert_msg(strstr(text, hostile_markers[i]) != NULL,
		    "no %s in the article", hostile_markers[i]);
	for (i = 0; i < nitems(benign_markers); i++)
		ck_assert_msg(strstr(text, benign_markers[i]) != NULL,
		    "no %s in the article", benign_markers[i]);
	for (i = 0; i < nitems(hostile_html); i++)
		ck_assert_msg(strstr(text, hostile_html[i]) != NULL,
		    "no '%s' in the article", hostile_html[i]);
}

START_TEST(test_hostile_article_carries_markers)
{
	static const char *const topics[] = { "databases", "kubernetes",
	    "rust", "webassembly", "zero trust networking" };
	char	*text, finish[32];
	size_t	 i;
	int	 port = e2e_standin.port;

	set_faults(port, "5*hostile");
	for (i = 0; i < nitems(topics); i++) {
		text = article_req(port, topics[i], finish, sizeof(finish));
		check_hostile_article(text, finish);
		free(text);
	}
	/* the queue is empty again: a normal article */
	text = article_req(port, topics[0], finish, sizeof(finish));
	ck_assert_str_eq(finish, "stop");
	ck_assert_ptr_null(strstr(text, "HOSTILE-"));
	ck_assert_ptr_null(strstr(text, "BENIGN-"));
	ck_assert_ptr_null(strchr(text, '<'));
	free(text);
}
END_TEST

START_TEST(test_hostile_leaves_other_requests_alone)
{
	struct hresp		 r;
	struct json_object	*o;
	const char		*c;
	char			*log;
	int			 port = e2e_standin.port;

	set_faults(port, "3*hostile");
	chat_req(port, &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	c = jstr(o, "choices.0.message.content");
	ck_assert_int_eq(strncmp(c, "Caching: ", 9), 0);
	ck_assert_ptr_null(strpbrk(c, "<\n"));
	json_object_put(o);
	hresp_release(&r);
	http_req(port, "POST", "/v1/chat/completions", NULL,
	    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
	    "\"content\":\"Write one Mermaid diagram for this section.\\n"
	    "SECTION HEADING: Request Flow\\nSECTION TEXT: a b c\"}]}", &r);
	ck_assert_int_eq(r.status, 200);
	o = hresp_json(&r);
	c = jstr(o, "choices.0.message.content");
	ck_assert_int_eq(strncmp(c, "```mermaid\n", 11), 0);
	ck_assert_ptr_null(strchr(c + 11, '<'));
	json_object_put(o);
	hresp_release(&r);
	http_req(port, "POST", "/v1/chat/completions", NULL,
	    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
	    "\"content\":\"Judge the Mermaid diagram below.\"}]}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\\\"ok\\\": true"));
	ck_assert_ptr_null(strstr(r.body, "HOSTILE"));
	hresp_release(&r);
	/* each took its entry, as the log says */
	log = test_read_file(e2e_standin.log, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_ptr_nonnull(strstr(log, "/v1/chat/completions gpt-4o-mini "
	    "200"));
	ck_assert_int_eq(stats_get(port, "faults_pending"), 0);
	free(log);
}
END_TEST

START_TEST(test_hostile_from_the_environment)
{
	struct standin	 s;
	struct hresp	 r;
	char		*text, finish[32];
	int		 i;

	setenv("STANDIN_HOSTILE", "1", 1);
	standin_start(&s, NULL);
	unsetenv("STANDIN_HOSTILE");
	for (i = 0; i < 2; i++) {
		text = article_req(s.port, i == 0 ? "caching" : "compilers",
		    finish, sizeof(finish));
		check_hostile_article(text, finish);
		free(text);
	}
	chat_req(s.port, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "HOSTILE"));
	hresp_release(&r);
	standin_stop(&s);
}
END_TEST

/*
 * The worker takes the hostile article: a run of articlegen against a
 * stand-in with STANDIN_HOSTILE=1 writes it, with the harmless HTML in.
 * (What it does with the hostile part is for the sanitiser's tests.)
 */
START_TEST(test_hostile_article_is_published)
{
	const char	*args[] = { "--jobs", "1", "-n", "1", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[3] = { NULL, "RETRY_MAX_ATTEMPTS=1", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *url, *posts, *list, *path, *md;
	int		 rc;

	setenv("STANDIN_HOSTILE", "1", 1);
	standin_start(&s, NULL);
	unsetenv("STANDIN_HOSTILE");
	dir = e2e_workdir("hostile");
	xasprintf(&url, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = url;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(list), 1);
	list[strcspn(list, "\n")] = '\0';
	xasprintf(&path, "%s/%s", posts, list);
	md = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(md);
	ck_assert_ptr_nonnull(strstr(md, "BENIGN-TABLE"));
	ck_assert_ptr_nonnull(strstr(md, "BENIGN-DETAILS"));
	free(md);
	free(path);
	free(list);
	free(posts);
	free(url);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

Suite *
standin_suite(void)
{
	Suite	*s = suite_create("standin");
	TCase	*tc;

	tc = tcase_create("images");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_images_png_of_requested_size);
	tcase_add_test(tc, test_images_other_path_and_n);
	tcase_add_test(tc, test_images_url_served);
	tcase_add_test(tc, test_images_bad_requests_are_400);
	tcase_add_test(tc, test_images_take_faults);
	tcase_add_test(tc, test_images_need_the_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("unsplash");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_unsplash_search_needs_client_id);
	tcase_add_test(tc, test_unsplash_search_results_on_host);
	tcase_add_test(tc, test_unsplash_nothing_found);
	tcase_add_test(tc, test_unsplash_photo_is_jpeg);
	tcase_add_test(tc, test_unsplash_download_is_counted);
	tcase_add_test(tc, test_unsplash_fault_prefixes);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hostile_article_carries_markers);
	tcase_add_test(tc, test_hostile_leaves_other_requests_alone);
	tcase_add_test(tc, test_hostile_from_the_environment);
	tcase_add_test(tc, test_hostile_article_is_published);
	suite_add_tcase(s, tc);
	return (s);
}
