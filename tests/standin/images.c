/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * images.c: the body check and the replies of llm-standin's images API.
 * A request names a prompt and a size ("WxH", each side 64 to 2048
 * pixels, "1024x1024" by default); the reply carries, for each image
 * asked for, a PNG test pattern seeded by a hash of the prompt, either
 * inline as "b64_json" or, with response_format "url", as a URL on the
 * stand-in from which the last IMAGES_KEEP images can be fetched.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "buf.h"
#include "canned.h"
#include "images.h"
#include "png.h"
#include "utf8.h"
#include "xmalloc.h"

#define IMAGES_KEEP		8	/* PNGs kept for GET /images/<n>.png */
#define IMAGES_DEFAULT_SIDE	1024
#define IMAGES_REVISED_MAX	200	/* code points of the prompt quoted */

struct images_kept {
	uint64_t	 ik_id;		/* 0: empty slot */
	unsigned char	*ik_png;
	size_t		 ik_len;
};

struct images {
	struct images_kept	 st_kept[IMAGES_KEEP];
	uint64_t		 st_next;	/* the last id given */
};

struct images *
images_new(void)
{
	return (xcalloc(1, sizeof(struct images)));
}

void
images_free(struct images *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < IMAGES_KEEP; i++)
		free(st->st_kept[i].ik_png);
	free(st);
}

char *
images_base64(const unsigned char *p, size_t len, size_t *outlen)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *o;
	size_t			 i;
	uint32_t		 v;

	out = xmalloc((len + 2) / 3 * 4 + 1);
	o = out;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = al[v >> 18];
		*o++ = al[(v >> 12) & 63];
		*o++ = al[(v >> 6) & 63];
		*o++ = al[v & 63];
	}
	if (i < len) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		*o++ = al[v >> 18];
		*o++ = al[(v >> 12) & 63];
		*o++ = i + 1 < len ? al[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return (out);
}

/*
 * Parse "WxH" (or "auto", which is the default size) into *w and *h.
 * Returns 0, or -1 when it is not that or a side is out of range.
 */
static int
images_size(const char *s, uint32_t *w, uint32_t *h)
{
	const char	*x;
	char		*end;
	unsigned long	 a, b;

	if (strcmp(s, "auto") == 0) {
		*w = *h = IMAGES_DEFAULT_SIDE;
		return (0);
	}
	if (*s < '0' || *s > '9' || (x = strchr(s, 'x')) == NULL ||
	    x[1] < '0' || x[1] > '9')
		return (-1);
	errno = 0;
	a = strtoul(s, &end, 10);
	if (end != x || errno != 0)
		return (-1);
	b = strtoul(x + 1, &end, 10);
	if (*end != '\0' || errno != 0)
		return (-1);
	if (a < PNG_SIDE_MIN || a > PNG_SIDE_MAX || b < PNG_SIDE_MIN ||
	    b > PNG_SIDE_MAX)
		return (-1);
	*w = (uint32_t)a;
	*h = (uint32_t)b;
	return (0);
}

/* The member key of root, or NULL when it is absent or JSON null. */
static json_object *
images_member(json_object *root, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(root, key, &v))
		return (NULL);
	return (v);
}

int
images_parse(json_object *root, struct images_req *ir, char *errbuf,
    size_t errlen, const char **param)
{
	json_object	*v;
	int64_t		 n;

	memset(ir, 0, sizeof(*ir));
	*param = NULL;
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(errbuf, errlen, "The request body must be a JSON "
		    "object.");
		return (-1);
	}
	if ((v = images_member(root, "prompt")) == NULL ||
	    !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0) {
		*param = "prompt";
		snprintf(errbuf, errlen, "A 'prompt' parameter (a non-empty "
		    "string) is required.");
		return (-1);
	}
	ir->ir_prompt = json_object_get_string(v);
	if ((v = images_member(root, "model")) != NULL) {
		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 0) {
			*param = "model";
			snprintf(errbuf, errlen, "Invalid 'model': expected a "
			    "non-empty string.");
			return (-1);
		}
		ir->ir_model = json_object_get_string(v);
	}
	ir->ir_n = 1;
	if ((v = images_member(root, "n")) != NULL) {
		errno = 0;
		n = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || errno != 0 ||
		    n < 1 || n > IMAGES_N_MAX) {
			*param = "n";
			snprintf(errbuf, errlen, "Invalid 'n': expected an "
			    "integer from 1 to %d.", IMAGES_N_MAX);
			return (-1);
		}
		ir->ir_n = (int)n;
	}
	ir->ir_w = ir->ir_h = IMAGES_DEFAULT_SIDE;
	if ((v = images_member(root, "size")) != NULL &&
	    (!json_object_is_type(v, json_type_string) ||
	    images_size(json_object_get_string(v), &ir->ir_w,
	    &ir->ir_h) == -1)) {
		*param = "size";
		snprintf(errbuf, errlen, "Invalid 'size': expected \"WxH\" "
		    "with W and H from %d to %d pixels.", PNG_SIDE_MIN,
		    PNG_SIDE_MAX);
		return (-1);
	}
	if ((v = images_member(root, "response_format")) != NULL) {
		if (json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), "url") == 0)
			ir->ir_url = 1;
		else if (!json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), "b64_json") != 0) {
			*param = "response_format";
			snprintf(errbuf, errlen, "Invalid 'response_format': "
			    "expected \"b64_json\" or \"url\".");
			return (-1);
		}
	}
	return (0);
}

/* Append s to b as a JSON string, quotes included. */
static void
images_put_json_string(struct buf *b, const char *s, size_t len)
{
	json_object	*o;

	o = json_object_new_string_len(s, (int)len);
	buf_puts(b, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Keep png (taken over) as the next image to serve; returns its id. */
static uint64_t
images_keep(struct images *st, unsigned char *png, size_t len)
{
	struct images_kept	*k;

	st->st_next++;
	k = &st->st_kept[st->st_next % IMAGES_KEEP];
	free(k->ik_png);
	k->ik_id = st->st_next;
	k->ik_png = png;
	k->ik_len = len;
	return (st->st_next);
}

char *
images_reply(struct images *st, const struct images_req *ir,
    const char *host, size_t *lenp)
{
	struct buf	 b;
	unsigned char	*png;
	char		*b64, *revised;
	uint64_t	 seed, id;
	size_t		 plen, blen, cut;
	int		 i;

	plen = strlen(ir->ir_prompt);
	seed = canned_fnv1a(ir->ir_prompt, plen);
	cut = utf8_offset(ir->ir_prompt, plen, IMAGES_REVISED_MAX);
	xasprintf(&revised, "A deterministic test pattern standing in for: "
	    "%.*s%s", (int)cut, ir->ir_prompt, cut < plen ? "..." : "");
	buf_init(&b);
	buf_printf(&b, "{\"created\":%lld,\"data\":[", (long long)time(NULL));
	for (i = 0; i < ir->ir_n; i++) {
		png = png_pattern(ir->ir_w, ir->ir_h, seed +
		    (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15), &blen);
		if (i > 0)
			buf_putc(&b, ',');
		if (ir->ir_url) {
			id = images_keep(st, png, blen);
			buf_printf(&b, "{\"url\":\"http://%s/images/%" PRIu64
			    ".png\"", host, id);
		} else {
			b64 = images_base64(png, blen, &blen);
			free(png);
			buf_puts(&b, "{\"b64_json\":\"");
			buf_append(&b, b64, blen);
			buf_putc(&b, '"');
			free(b64);
		}
		buf_puts(&b, ",\"revised_prompt\":");
		images_put_json_string(&b, revised, strlen(revised));
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}");
	free(revised);
	*lenp = b.b_len;
	return (buf_detach(&b));
}

const unsigned char *
images_get(const struct images *st, const char *path, size_t *lenp)
{
	const struct images_kept	*k;
	const char			*errstr;
	char				 num[24];
	size_t				 n;
	long long			 id;

	*lenp = 0;
	if (strncmp(path, "/images/", 8) != 0)
		return (NULL);
	path += 8;
	n = strspn(path, "0123456789");
	if (n == 0 || n >= sizeof(num) || strcmp(path + n, ".png") != 0)
		return (NULL);
	memcpy(num, path, n);
	num[n] = '\0';
	id = strtonum(num, 1, LLONG_MAX, &errstr);
	if (errstr != NULL)
		return (NULL);
	k = &st->st_kept[(uint64_t)id % IMAGES_KEEP];
	if (k->ik_png == NULL || k->ik_id != (uint64_t)id)
		return (NULL);
	*lenp = k->ik_len;
	return (k->ik_png);
}
