/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * cover.c: owns everything about a cover that happens without a network:
 * drawing one with cairo, building and decoding the images API messages,
 * reading an Unsplash search reply, checking PNG bytes, writing the files
 * into the site's static directory without clobbering, and the front
 * matter lines.  The HTTP calls and the order of the sources belong to
 * the generation step that calls these (docs/COVERS.md).
 *
 * Image bytes come from the network, so their buffers are capped
 * (COVER_PNG_MAX) and grown with a checked realloc; exceeding the cap or
 * running out of memory is an error the caller sees, never an exit.
 *
 * cairo is called through cairoapi.h, loaded on the first drawing; when
 * it cannot be loaded, cover_draw() fails with the reason in errbuf.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "buf.h"
#include "cairoapi.h"
#include "cover.h"
#include "utf8.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml.h"

#define COVER_FONT	"DejaVu Sans"
#define COVER_MARGIN	80
#define COVER_LINES_MAX	5

void
cover_image_release(struct cover_image *ci)
{
	free(ci->ci_data);
	ci->ci_data = NULL;
	ci->ci_len = 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

int
cover_png_info(const unsigned char *data, size_t len, unsigned *wp,
    unsigned *hp)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n' };
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N',
	    'D', 0xae, 0x42, 0x60, 0x82 };
	uint32_t	w, h;

	/* signature, IHDR (4 + 4 + 13 + 4), IEND (12) */
	if (data == NULL || len < 8 + 25 + 12 || memcmp(data, sig, 8) != 0)
		return (-1);
	if (be32(data + 8) != 13 || memcmp(data + 12, "IHDR", 4) != 0)
		return (-1);
	w = be32(data + 16);
	h = be32(data + 20);
	if (w == 0 || h == 0 || w > 20000 || h > 20000)
		return (-1);
	if (memcmp(data + len - 12, iend, 12) != 0)
		return (-1);
	if (wp != NULL)
		*wp = w;
	if (hp != NULL)
		*hp = h;
	return (0);
}

const char *
cover_image_type(const unsigned char *data, size_t len)
{
	if (cover_png_info(data, len, NULL, NULL) == 0)
		return ("png");
	/* JPEG: SOI marker first, EOI last */
	if (len >= 4 && data[0] == 0xff && data[1] == 0xd8 &&
	    data[2] == 0xff && data[len - 2] == 0xff && data[len - 1] == 0xd9)
		return ("jpg");
	/* WebP: a RIFF container of type WEBP whose size is the file's */
	if (len >= 16 && memcmp(data, "RIFF", 4) == 0 &&
	    memcmp(data + 8, "WEBP", 4) == 0 &&
	    ((size_t)data[4] | (size_t)data[5] << 8 | (size_t)data[6] << 16 |
	    (size_t)data[7] << 24) + 8 == len)
		return ("webp");
	return (NULL);
}

/* A PNG being written by cairo into memory, capped. */
struct png_sink {
	unsigned char	*ps_data;
	size_t		 ps_len;
	size_t		 ps_cap;
};

static cairo_status_t
png_sink_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct png_sink	*ps = arg;
	unsigned char	*p;
	size_t		 cap;

	if (len > COVER_PNG_MAX - ps->ps_len)
		return (CAIRO_STATUS_WRITE_ERROR);
	if (ps->ps_len + len > ps->ps_cap) {
		cap = ps->ps_cap != 0 ? ps->ps_cap : 65536;
		while (cap < ps->ps_len + len)
			cap *= 2;
		if ((p = realloc(ps->ps_data, cap)) == NULL)
			return (CAIRO_STATUS_NO_MEMORY);
		ps->ps_data = p;
		ps->ps_cap = cap;
	}
	memcpy(ps->ps_data + ps->ps_len, data, len);
	ps->ps_len += len;
	return (CAIRO_STATUS_SUCCESS);
}

/* Encode surface as PNG into *out; 0 or -1. */
static int
surface_png(cairo_surface_t *sf, struct cover_image *out)
{
	struct png_sink	ps = { NULL, 0, 0 };

	cairoapi.surface_flush(sf);
	if (cairoapi.surface_write_to_png_stream(sf, png_sink_write, &ps) !=
	    CAIRO_STATUS_SUCCESS) {
		free(ps.ps_data);
		return (-1);
	}
	out->ci_data = ps.ps_data;
	out->ci_len = ps.ps_len;
	return (0);
}

/* HSL (h in degrees, s and l in [0,1]) to RGB in [0,1]. */
static void
hsl_rgb(double h, double s, double l, double rgb[3])
{
	double	c = (1 - (2 * l - 1 < 0 ? -(2 * l - 1) : 2 * l - 1)) * s;
	double	hp = h / 60, x, m = l - c / 2;
	double	t = hp - 2 * (double)(int)(hp / 2) - 1;

	x = c * (1 - (t < 0 ? -t : t));
	rgb[0] = rgb[1] = rgb[2] = 0;
	if (hp < 1) {
		rgb[0] = c; rgb[1] = x;
	} else if (hp < 2) {
		rgb[0] = x; rgb[1] = c;
	} else if (hp < 3) {
		rgb[1] = c; rgb[2] = x;
	} else if (hp < 4) {
		rgb[1] = x; rgb[2] = c;
	} else if (hp < 5) {
		rgb[0] = x; rgb[2] = c;
	} else {
		rgb[0] = c; rgb[2] = x;
	}
	rgb[0] += m;
	rgb[1] += m;
	rgb[2] += m;
}

/*
 * The background both images share: a diagonal gradient between two dark
 * colours and three translucent discs, all chosen by the bits of hash.
 */
static void
paint_background(cairo_t *cr, int w, int h, uint64_t hash)
{
	cairo_pattern_t	*pat;
	double		 a[3], b[3], hue, hue2;
	int		 i;

	hue = (double)(hash % 360);
	hue2 = (double)(((hash >> 9) % 360 + 30 + (hash >> 20) % 90) % 360);
	hsl_rgb(hue, 0.55, 0.30, a);
	hsl_rgb(hue2, 0.60, 0.18, b);
	pat = cairoapi.pattern_create_linear(0, 0, w, h);
	cairoapi.pattern_add_color_stop_rgb(pat, 0, a[0], a[1], a[2]);
	cairoapi.pattern_add_color_stop_rgb(pat, 1, b[0], b[1], b[2]);
	cairoapi.set_source(cr, pat);
	cairoapi.paint(cr);
	cairoapi.pattern_destroy(pat);
	for (i = 0; i < 3; i++) {
		uint64_t	bits = hash >> (i * 16 + 8);
		double		cx = (double)(bits % 1000) / 1000 * w;
		double		cy = (double)((bits >> 4) % 1000) / 1000 * h;
		double		r = (0.25 + (double)((bits >> 8) % 100) / 250) *
				    (w > h ? h : w);

		cairoapi.arc(cr, cx, cy, r, 0, 6.283185307179586);
		cairoapi.set_source_rgba(cr, 1, 1, 1, 0.05 + 0.03 * i);
		cairoapi.fill(cr);
	}
}

/* The title as valid UTF-8 with controls as spaces; owned. */
static char *
clean_title(const char *title)
{
	struct buf	 b;
	uint32_t	 cp;
	size_t		 i, n, len = strlen(title);

	buf_init(&b);
	for (i = 0; i < len; i += n) {
		n = utf8_next(title + i, len - i, &cp);
		if (cp == UTF8_INVALID)
			continue;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			buf_putc(&b, ' ');
		else
			buf_append(&b, title + i, n);
	}
	return (buf_detach(&b));
}

static double
text_width(cairo_t *cr, const char *s)
{
	cairo_text_extents_t	te;

	cairoapi.text_extents(cr, s, &te);
	return (te.x_advance);
}

/*
 * Break text into at most max lines no wider than width at the current
 * font: words are kept whole unless one is wider than a line, which is
 * then cut between characters.  Returns the number of lines (owned in
 * lines[]), and sets *cut when text did not fit.
 */
static int
wrap_title(cairo_t *cr, const char *text, double width, char **lines,
    int max, int *cut)
{
	struct buf	 line;
	const char	*p = text, *e;
	char		*word, *trial;
	int		 n = 0;

	*cut = 0;
	buf_init(&line);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		word = xstrndup(p, (size_t)(e - p));
		p = e;
		xasprintf(&trial, "%s%s%s", buf_cstr(&line),
		    line.b_len > 0 ? " " : "", word);
		if (text_width(cr, trial) <= width) {
			buf_reset(&line);
			buf_puts(&line, trial);
		} else if (line.b_len > 0 && text_width(cr, word) <= width) {
			if (n == max) {
				*cut = 1;
				free(trial);
				free(word);
				break;
			}
			lines[n++] = buf_detach(&line);
			buf_init(&line);
			buf_puts(&line, word);
		} else {
			/* a word wider than a line: cut between characters */
			const char	*c = word;
			uint32_t	 cp;
			size_t		 k;

			if (line.b_len > 0)
				buf_putc(&line, ' ');
			while (*c != '\0') {
				char	*t2;

				k = utf8_next(c, strlen(c), &cp);
				xasprintf(&t2, "%s%.*s", buf_cstr(&line),
				    (int)k, c);
				if (text_width(cr, t2) > width &&
				    line.b_len > 0) {
					if (n == max) {
						*cut = 1;
						free(t2);
						break;
					}
					lines[n++] = buf_detach(&line);
					buf_init(&line);
					free(t2);
					continue;
				}
				buf_reset(&line);
				buf_puts(&line, t2);
				free(t2);
				c += k;
			}
		}
		free(trial);
		free(word);
		if (*cut)
			break;
	}
	if (!*cut && line.b_len > 0) {
		if (n == max)
			*cut = 1;
		else
			lines[n++] = buf_detach(&line);
	}
	buf_release(&line);
	return (n);
}

/* Fix the font and its rendering so that output does not depend on the
 * machine's fontconfig settings. */
static void
set_font(cairo_t *cr, double size)
{
	cairo_font_options_t	*fo;

	cairoapi.select_font_face(cr, COVER_FONT, CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_BOLD);
	cairoapi.set_font_size(cr, size);
	fo = cairoapi.font_options_create();
	cairoapi.font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairoapi.font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairoapi.font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairoapi.set_font_options(cr, fo);
	cairoapi.font_options_destroy(fo);
}

/* Draw the title block, largest font size that fits. */
static void
paint_title(cairo_t *cr, const char *title)
{
	char		*lines[COVER_LINES_MAX], *last;
	double		 width = COVER_WIDTH - 2 * COVER_MARGIN, y, lh;
	int		 n, i, cut, max, size = 76;

	/* the largest size, 76 px down to 40 px, at which the title fits */
	for (;;) {
		set_font(cr, size);
		max = size > 52 ? 4 : COVER_LINES_MAX;
		n = wrap_title(cr, title, width, lines, max, &cut);
		if (!cut || size - 6 < 40)
			break;
		for (i = 0; i < n; i++)
			free(lines[i]);
		size -= 6;
	}
	if (cut && n > 0) {
		/* show that the title goes on */
		for (;;) {
			xasprintf(&last, "%s\xE2\x80\xA6", lines[n - 1]);
			if (text_width(cr, last) <= width ||
			    strlen(lines[n - 1]) == 0)
				break;
			free(last);
			{
				size_t	l = strlen(lines[n - 1]);

				/* drop one UTF-8 character */
				do {
					l--;
				} while (l > 0 && ((unsigned char)
				    lines[n - 1][l] & 0xC0) == 0x80);
				lines[n - 1][l] = '\0';
			}
		}
		free(lines[n - 1]);
		lines[n - 1] = last;
	}
	lh = size * 1.22;
	y = (COVER_HEIGHT - lh * n) / 2 + size;
	/* an accent bar above the title */
	cairoapi.set_source_rgba(cr, 1, 1, 1, 0.85);
	cairoapi.rectangle(cr, COVER_MARGIN, y - size - 36, 96, 8);
	cairoapi.fill(cr);
	for (i = 0; i < n; i++) {
		cairoapi.set_source_rgba(cr, 0, 0, 0, 0.35);
		cairoapi.move_to(cr, COVER_MARGIN + 3, y + i * lh + 3);
		cairoapi.show_text(cr, lines[i]);
		cairoapi.set_source_rgb(cr, 1, 1, 1);
		cairoapi.move_to(cr, COVER_MARGIN, y + i * lh);
		cairoapi.show_text(cr, lines[i]);
		free(lines[i]);
	}
}

/* Draw the icon's letter: the title's first character, centred. */
static void
paint_initial(cairo_t *cr, const char *title)
{
	cairo_text_extents_t	 te;
	const char		*p = title;
	char			 ch[8];
	uint32_t		 cp;
	size_t			 k;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return;
	k = utf8_next(p, strlen(p), &cp);
	if (k >= sizeof(ch))
		return;
	memcpy(ch, p, k);
	ch[k] = '\0';
	if (k == 1 && ch[0] >= 'a' && ch[0] <= 'z')
		ch[0] = (char)(ch[0] - 'a' + 'A');
	set_font(cr, COVER_ICON_SIZE * 0.56);
	cairoapi.text_extents(cr, ch, &te);
	cairoapi.set_source_rgb(cr, 1, 1, 1);
	cairoapi.move_to(cr, (COVER_ICON_SIZE - te.width) / 2 - te.x_bearing,
	    (COVER_ICON_SIZE - te.height) / 2 - te.y_bearing);
	cairoapi.show_text(cr, ch);
}

/* Draw one image of w x h with paint(); 0 or -1. */
static int
draw_one(int w, int h, uint64_t hash, const char *title, int icon,
    struct cover_image *out)
{
	cairo_surface_t	*sf;
	cairo_t		*cr;
	int		 ret = -1;

	sf = cairoapi.image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairoapi.surface_status(sf) != CAIRO_STATUS_SUCCESS) {
		cairoapi.surface_destroy(sf);
		return (-1);
	}
	cr = cairoapi.create(sf);
	paint_background(cr, w, h, hash);
	if (icon)
		paint_initial(cr, title);
	else
		paint_title(cr, title);
	if (cairoapi.status(cr) == CAIRO_STATUS_SUCCESS)
		ret = surface_png(sf, out);
	cairoapi.destroy(cr);
	cairoapi.surface_destroy(sf);
	return (ret);
}

int
cover_draw(const char *title, const char *seed, struct cover_image *cover,
    struct cover_image *icon, char *errbuf, size_t errlen)
{
	uint64_t	 hash;
	char		*t;

	memset(cover, 0, sizeof(*cover));
	memset(icon, 0, sizeof(*icon));
	if (cairoapi_load(errbuf, errlen) == -1)
		return (-1);
	t = clean_title(title != NULL ? title : "");
	hash = hash_fnv1a(seed != NULL && *seed != '\0' ? seed : t);
	if (draw_one(COVER_WIDTH, COVER_HEIGHT, hash, t, 0, cover) == -1 ||
	    draw_one(COVER_ICON_SIZE, COVER_ICON_SIZE, hash, t, 1, icon) ==
	    -1) {
		snprintf(errbuf, errlen, "drawing the cover failed (cairo)");
		cover_image_release(cover);
		cover_image_release(icon);
		free(t);
		return (-1);
	}
	free(t);
	return (0);
}

char *
cover_images_request(const char *model, const char *title,
    const char *size, const char *quality)
{
	struct json_object	*o;
	char			*prompt, *s;

	xasprintf(&prompt, "A wide editorial illustration for a technology "
	    "article titled \"%s\". Calm colours, simple shapes, no text, no "
	    "letters, no logos, no people's faces.", title != NULL ? title :
	    "");
	o = json_object_new_object();
	json_object_object_add(o, "model", json_object_new_string(model));
	json_object_object_add(o, "prompt", json_object_new_string(prompt));
	json_object_object_add(o, "n", json_object_new_int(1));
	json_object_object_add(o, "size", json_object_new_string(
	    size != NULL ? size : COVER_IMAGES_SIZE));
	if (quality != NULL)
		json_object_object_add(o, "quality",
		    json_object_new_string(quality));
	json_object_object_add(o, "response_format",
	    json_object_new_string("b64_json"));
	s = xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(prompt);
	return (s);
}

/*
 * Parse body as one JSON object and nothing after it; NULL with errbuf
 * set otherwise.  The caller owns the result.
 */
static struct json_object *
parse_object(const char *body, size_t len, const char *what, char *errbuf,
    size_t errlen)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	size_t			 end;

	if (len > COVER_REPLY_MAX) {
		snprintf(errbuf, errlen, "%s reply: over %u bytes", what,
		    COVER_REPLY_MAX);
		return (NULL);
	}
	if ((tok = json_tokener_new_ex(32)) == NULL) {
		snprintf(errbuf, errlen, "%s reply: out of memory", what);
		return (NULL);
	}
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		snprintf(errbuf, errlen, "%s reply: not a JSON object", what);
		json_object_put(o);
		json_tokener_free(tok);
		return (NULL);
	}
	for (end = json_tokener_get_parse_end(tok); end < len; end++)
		if (body[end] != ' ' && body[end] != '\n' && body[end] != '\r' &&
		    body[end] != '\t') {
			snprintf(errbuf, errlen, "%s reply: text after the "
			    "JSON object", what);
			json_object_put(o);
			json_tokener_free(tok);
			return (NULL);
		}
	json_tokener_free(tok);
	return (o);
}

/* A string member at a path of keys; borrowed, NULL when absent. */
static const char *
get_str(struct json_object *o, const char *k1, const char *k2,
    const char *k3)
{
	const char	*keys[3] = { k1, k2, k3 };
	int		 i;

	for (i = 0; i < 3 && keys[i] != NULL; i++)
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, keys[i], &o))
			return (NULL);
	if (!json_object_is_type(o, json_type_string))
		return (NULL);
	return (json_object_get_string(o));
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == '/')
		return (63);
	return (-1);
}

/*
 * Decode standard base64 (line breaks allowed, padding optional at the
 * end only) into an owned buffer of at most COVER_PNG_MAX bytes.  0 or -1.
 */
static int
b64_decode(const char *s, size_t n, struct cover_image *out)
{
	unsigned char	*d;
	size_t		 i, k = 0, cap = n / 4 * 3 + 3;
	uint32_t	 acc = 0;
	int		 bits = 0, v, pad = 0;

	if (cap > COVER_PNG_MAX + 3 || (d = malloc(cap)) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r')
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value((unsigned char)s[i])) < 0)
			goto fail;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			d[k++] = (unsigned char)(acc >> bits);
		}
	}
	if (pad > 2 || k == 0)
		goto fail;
	out->ci_data = d;
	out->ci_len = k;
	return (0);
fail:
	free(d);
	return (-1);
}

int
cover_images_reply(const char *body, size_t len, struct cover_image *out,
    char *errbuf, size_t errlen)
{
	struct json_object	*root, *data, *first;
	const char		*b64, *msg;
	int			 ret = -1;

	memset(out, 0, sizeof(*out));
	if ((root = parse_object(body, len, "images API", errbuf, errlen)) ==
	    NULL)
		return (-1);
	if ((msg = get_str(root, "error", "message", NULL)) != NULL) {
		snprintf(errbuf, errlen, "images API error: %s", msg);
		goto done;
	}
	if (!json_object_object_get_ex(root, "data", &data) ||
	    !json_object_is_type(data, json_type_array) ||
	    json_object_array_length(data) == 0) {
		snprintf(errbuf, errlen, "images API reply: no 'data' array");
		goto done;
	}
	first = json_object_array_get_idx(data, 0);
	if ((b64 = get_str(first, "b64_json", NULL, NULL)) == NULL) {
		snprintf(errbuf, errlen, "images API reply: data[0] has no "
		    "'b64_json'%s", get_str(first, "url", NULL, NULL) != NULL ?
		    " (a URL was sent; response_format must be b64_json)" :
		    "");
		goto done;
	}
	if (b64_decode(b64, strlen(b64), out) == -1) {
		snprintf(errbuf, errlen, "images API reply: 'b64_json' is not "
		    "base64 of at most %u bytes", COVER_PNG_MAX);
		goto done;
	}
	if (cover_png_info(out->ci_data, out->ci_len, NULL, NULL) == -1) {
		snprintf(errbuf, errlen, "images API reply: 'b64_json' is not "
		    "a whole PNG image");
		cover_image_release(out);
		goto done;
	}
	ret = 0;
done:
	json_object_put(root);
	return (ret);
}

void
cover_photo_release(struct cover_photo *cp)
{
	free(cp->cp_id);
	free(cp->cp_image_url);
	free(cp->cp_page_url);
	free(cp->cp_download_location);
	free(cp->cp_photographer);
	free(cp->cp_photographer_url);
	free(cp->cp_alt);
	memset(cp, 0, sizeof(*cp));
}

char *
cover_unsplash_search_url(const char *base, const char *query)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b;
	const unsigned char	*p;
	size_t			 blen;

	if (base == NULL)
		base = COVER_UNSPLASH_API;
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	buf_init(&b);
	buf_append(&b, base, blen);
	buf_puts(&b, "/search/photos?query=");
	for (p = (const unsigned char *)query; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~')
			buf_putc(&b, (char)*p);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	buf_puts(&b, "&per_page=1&orientation=landscape&content_filter=high");
	return (buf_detach(&b));
}

/* A string fit for front matter and a link: no controls, not too long. */
static int
field_ok(const char *s, size_t max)
{
	size_t	n;

	if (s == NULL || (n = strlen(s)) == 0 || n > max)
		return (0);
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (0);
	return (1);
}

static int
is_http_url(const char *s, int https_only)
{
	if (!field_ok(s, 2048))
		return (0);
	if (strncmp(s, "https://", 8) == 0)
		return (s[8] != '\0' && s[8] != '/');
	return (!https_only && strncmp(s, "http://", 7) == 0 && s[7] != '\0' &&
	    s[7] != '/');
}

int
cover_unsplash_reply(const char *body, size_t len, int https_only,
    struct cover_photo *out, char *errbuf, size_t errlen)
{
	struct json_object	*root, *results, *r;
	const char		*img, *page, *name, *purl, *dl, *alt, *id;
	int			 ret = -1;

	memset(out, 0, sizeof(*out));
	if ((root = parse_object(body, len, "Unsplash", errbuf, errlen)) ==
	    NULL)
		return (-1);
	if (json_object_object_get_ex(root, "errors", &results)) {
		snprintf(errbuf, errlen, "Unsplash error: %s",
		    json_object_is_type(results, json_type_array) &&
		    json_object_array_length(results) > 0 &&
		    json_object_is_type(json_object_array_get_idx(results, 0),
		    json_type_string) ? json_object_get_string(
		    json_object_array_get_idx(results, 0)) : "(no message)");
		goto done;
	}
	if (!json_object_object_get_ex(root, "results", &results) ||
	    !json_object_is_type(results, json_type_array)) {
		snprintf(errbuf, errlen, "Unsplash reply: no 'results' array");
		goto done;
	}
	if (json_object_array_length(results) == 0) {
		ret = 1;
		goto done;
	}
	r = json_object_array_get_idx(results, 0);
	img = get_str(r, "urls", "regular", NULL);
	page = get_str(r, "links", "html", NULL);
	dl = get_str(r, "links", "download_location", NULL);
	name = get_str(r, "user", "name", NULL);
	purl = get_str(r, "user", "links", "html");
	id = get_str(r, "id", NULL, NULL);
	if ((alt = get_str(r, "alt_description", NULL, NULL)) == NULL)
		alt = get_str(r, "description", NULL, NULL);
	if (!is_http_url(img, https_only)) {
		snprintf(errbuf, errlen, "Unsplash reply: results[0].urls."
		    "regular is missing or not an %s URL", https_only ?
		    "https" : "http(s)");
		goto done;
	}
	if (!is_http_url(page, 0) || !is_http_url(purl, 0)) {
		snprintf(errbuf, errlen, "Unsplash reply: results[0] lacks "
		    "links.html or user.links.html");
		goto done;
	}
	if (!field_ok(name, 200)) {
		snprintf(errbuf, errlen, "Unsplash reply: results[0].user.name "
		    "is missing or unusable");
		goto done;
	}
	out->cp_id = field_ok(id, 200) ? xstrdup(id) : NULL;
	out->cp_image_url = xstrdup(img);
	out->cp_page_url = xstrdup(page);
	out->cp_download_location = is_http_url(dl, https_only) ? xstrdup(dl) :
	    NULL;
	out->cp_photographer = xstrdup(name);
	out->cp_photographer_url = xstrdup(purl);
	out->cp_alt = field_ok(alt, 500) ? xstrdup(alt) : NULL;
	ret = 0;
done:
	json_object_put(root);
	return (ret);
}

void
cover_files_release(struct cover_files *cf)
{
	free(cf->cf_image);
	free(cf->cf_icon);
	free(cf->cf_image_path);
	free(cf->cf_icon_path);
	memset(cf, 0, sizeof(*cf));
}

/*
 * Write data to a new temporary file in dir and fsync it; returns its
 * path (owned) or NULL with errbuf set.
 */
static char *
write_temp(const char *dir, const struct cover_image *img, char *errbuf,
    size_t errlen)
{
	char	*tmp;
	int	 fd;

	xasprintf(&tmp, "%s/.articlegen-%ld-XXXXXX.tmp", dir, (long)getpid());
	if ((fd = mkostemps(tmp, 4, O_CLOEXEC)) == -1) {
		snprintf(errbuf, errlen, "cannot create a temporary file in "
		    "%s: %s", dir, strerror(errno));
		free(tmp);
		return (NULL);
	}
	if (fchmod(fd, 0644) == -1 || write_full(fd, img->ci_data,
	    img->ci_len) == -1 || fsync(fd) == -1 || close(fd) == -1) {
		snprintf(errbuf, errlen, "writing %s: %s", tmp,
		    strerror(errno));
		(void)close(fd);
		(void)unlink(tmp);
		free(tmp);
		return (NULL);
	}
	return (tmp);
}

int
cover_write(const char *static_dir, const char *stem,
    const struct cover_image *cover, const struct cover_image *icon,
    struct cover_files *files, char *errbuf, size_t errlen)
{
	char		*dir = NULL, *tmp_img = NULL, *tmp_icon = NULL;
	char		*img_path = NULL, *icon_path = NULL, *name = NULL;
	const char	*ext;
	int		 n, fd, ret = -1;

	memset(files, 0, sizeof(*files));
	if ((ext = cover_image_type(cover->ci_data, cover->ci_len)) == NULL ||
	    (icon != NULL && cover_png_info(icon->ci_data, icon->ci_len, NULL,
	    NULL) == -1)) {
		snprintf(errbuf, errlen, "cover: not a whole PNG, JPEG or "
		    "WebP image (or the icon not a PNG)");
		return (-1);
	}
	if (stem == NULL || *stem == '\0' || strchr(stem, '/') != NULL ||
	    stem[0] == '.') {
		snprintf(errbuf, errlen, "cover: bad file stem '%s'",
		    stem != NULL ? stem : "");
		return (-1);
	}
	xasprintf(&dir, "%s/images", static_dir);
	if (mkdir_p(dir) == -1) {
		snprintf(errbuf, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		goto done;
	}
	if ((tmp_img = write_temp(dir, cover, errbuf, errlen)) == NULL ||
	    (icon != NULL && (tmp_icon = write_temp(dir, icon, errbuf,
	    errlen)) == NULL))
		goto done;
	for (n = 1; n <= 1000; n++) {
		free(name);
		free(img_path);
		free(icon_path);
		img_path = icon_path = NULL;
		if (n == 1)
			name = xstrdup(stem);
		else
			xasprintf(&name, "%s-%d", stem, n);
		xasprintf(&img_path, "%s/%s.%s", dir, name, ext);
		xasprintf(&icon_path, "%s/%s-icon.png", dir, name);
		if (link(tmp_img, img_path) == -1) {
			if (errno == EEXIST)
				continue;
			snprintf(errbuf, errlen, "creating %s: %s", img_path,
			    strerror(errno));
			goto done;
		}
		if (tmp_icon == NULL || link(tmp_icon, icon_path) == 0)
			break;
		if (errno != EEXIST) {
			snprintf(errbuf, errlen, "creating %s: %s", icon_path,
			    strerror(errno));
			(void)unlink(img_path);
			goto done;
		}
		(void)unlink(img_path);	/* ours: the icon name is taken */
	}
	if (n > 1000) {
		snprintf(errbuf, errlen, "cover: no free name for %s in %s",
		    stem, dir);
		goto done;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		(void)close(fd);
	}
	xasprintf(&files->cf_image, "images/%s.%s", name, ext);
	files->cf_image_path = img_path;
	img_path = NULL;
	if (tmp_icon != NULL) {
		xasprintf(&files->cf_icon, "images/%s-icon.png", name);
		files->cf_icon_path = icon_path;
		icon_path = NULL;
	}
	ret = 0;
done:
	if (tmp_img != NULL)
		(void)unlink(tmp_img);
	if (tmp_icon != NULL)
		(void)unlink(tmp_icon);
	free(tmp_img);
	free(tmp_icon);
	free(img_path);
	free(icon_path);
	free(name);
	free(dir);
	return (ret);
}

/* Append "  key: "value"\n" (indent spaces) when value is set. */
static void
put_field(struct buf *b, int indent, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_printf(b, "%*s%s: ", indent, "", key);
	yaml_quote(b, value);
	buf_putc(b, '\n');
}

char *
cover_front_matter(const struct cover_meta *cm)
{
	struct buf	 b;
	const char	*image, *icon, *source;
	char		*caption = NULL;

	if (cm->cm_image == NULL)
		return (NULL);
	for (image = cm->cm_image; *image == '/'; image++)
		;
	if (*image == '\0')
		return (NULL);
	icon = cm->cm_icon;
	while (icon != NULL && *icon == '/')
		icon++;
	source = cm->cm_source;
	buf_init(&b);
	buf_puts(&b, "cover:\n");
	put_field(&b, 2, "image", image);
	buf_puts(&b, "  alt: ");
	yaml_quote(&b, cm->cm_alt != NULL ? cm->cm_alt : "");
	buf_putc(&b, '\n');
	if (source != NULL && cm->cm_photographer != NULL) {
		put_field(&b, 2, "photographer", cm->cm_photographer);
		put_field(&b, 2, "photographer_url", cm->cm_photographer_url);
		put_field(&b, 2, "image_source", source);
		put_field(&b, 2, "image_source_url", cm->cm_source_url);
		xasprintf(&caption, "Photo by %s on %s", cm->cm_photographer,
		    source);
		put_field(&b, 2, "caption", caption);
		free(caption);
	}
	put_field(&b, 0, "icon", icon);
	buf_puts(&b, "images:\n  - ");
	yaml_quote(&b, image);
	buf_putc(&b, '\n');
	return (buf_detach(&b));
}

void
cover_release_caches(void)
{
	if (cairoapi.debug_reset_static_data == NULL)
		return;		/* cairo never loaded: no caches */
	cairoapi.debug_reset_static_data();
	cairoapi.fc_fini();
}
