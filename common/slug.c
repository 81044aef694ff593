/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * slug.c: the file-name slug of an article title (original-pipeline.md
 * §3.8).
 *
 * Existing posts are found again by their slug, so the slug must be the
 * one the original pipeline produced for the same title.  That pipeline
 * used the legacy python-slugify algorithm with a 60-character limit; the
 * steps below follow it in order, quirks included: an ASCII apostrophe
 * becomes a separator before transliteration while a typographic one is
 * transliterated to an apostrophe and then deleted ("Don't" is "don-t",
 * "Don’t" is "dont"); HTML character references are decoded after
 * transliteration, so what they produce is reduced to its ASCII
 * decomposition only; commas between digits vanish ("1,000" is "1000");
 * and the truncation skips words that do not fit but keeps trying later,
 * shorter ones.  One quirk is deliberately not kept: the original treated
 * the text after the last '.' as a file extension and left it
 * unslugified, which could put dots, spaces and capitals into the slug.
 * Here '.' is a separator like any other, so a slug only ever contains
 * [a-z0-9-], which is also what the original's own file names ended up
 * as after its second sanitising pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "slug.h"
#include "translit.h"
#include "utf8.h"
#include "xmalloc.h"

/* A growable array of code points, for the character-reference passes. */
struct cpvec {
	uint32_t	*cv_v;
	size_t		 cv_len;
	size_t		 cv_cap;
};

static void
cpvec_push(struct cpvec *cv, uint32_t cp)
{
	size_t	 ncap;

	if (cv->cv_len == cv->cv_cap) {
		ncap = cv->cv_cap == 0 ? 64 : cv->cv_cap * 2;
		cv->cv_v = xreallocarray(cv->cv_v, ncap, sizeof(*cv->cv_v));
		cv->cv_cap = ncap;
	}
	cv->cv_v[cv->cv_len++] = cp;
}

static void
cpvec_release(struct cpvec *cv)
{
	free(cv->cv_v);
	memset(cv, 0, sizeof(*cv));
}

static int
is_digit(uint32_t c)
{
	return (c >= '0' && c <= '9');
}

static int
is_alnum(uint32_t c)
{
	return (is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

static int
hex_value(uint32_t c)
{
	if (is_digit(c))
		return ((int)(c - '0'));
	if (c >= 'a' && c <= 'f')
		return ((int)(c - 'a' + 10));
	if (c >= 'A' && c <= 'F')
		return ((int)(c - 'A' + 10));
	return (-1);
}

/*
 * Step 1: ASCII apostrophes (a run of them) become one '-', every other
 * character is transliterated to ASCII, invalid UTF-8 is dropped.  The
 * result is appended to out.
 */
static void
transliterate(const char *title, struct buf *out)
{
	size_t		 len = strlen(title), i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		n = utf8_next(title + i, len - i, &cp);
		i += n;
		if (cp == '\'') {
			while (i < len && title[i] == '\'')
				i++;
			buf_putc(out, '-');
		} else if (cp < 0x80)
			buf_putc(out, (char)cp);
		else if (cp != UTF8_INVALID)
			translit_ascii(cp, out);
	}
}

/*
 * Step 2: "&name;" for the HTML 4 entity names, in one left-to-right
 * pass over the ASCII text s.
 */
static void
decode_named(const char *s, size_t len, struct cpvec *out)
{
	size_t		 i = 0, j;
	uint32_t	 cp;

	while (i < len) {
		if (s[i] == '&') {
			j = i + 1;
			while (j < len && is_alnum((unsigned char)s[j]))
				j++;
			if (j < len && s[j] == ';' &&
			    translit_entity(s + i + 1, j - i - 1, &cp) == 0) {
				cpvec_push(out, cp);
				i = j + 1;
				continue;
			}
		}
		cpvec_push(out, (unsigned char)s[i]);
		i++;
	}
}

/*
 * Steps 3 and 4: "&#NN;" (hex == 0) or "&#xNN;" (hex == 1) in one pass
 * from in to out.  Like the original, a reference above U+10FFFF aborts
 * the whole pass, leaving every reference of that kind undecoded: then
 * out is a copy of in.
 */
static void
decode_numeric(const struct cpvec *in, int hex, struct cpvec *out)
{
	const uint32_t	*s = in->cv_v;
	size_t		 len = in->cv_len, i = 0, j, start;
	uint32_t	 value;
	int		 d, base = hex ? 16 : 10;

	while (i < len) {
		start = i + (hex ? 3 : 2);
		if (s[i] == '&' && start < len && s[i + 1] == '#' &&
		    (!hex || s[i + 2] == 'x')) {
			value = 0;
			for (j = start; j < len; j++) {
				d = hex ? hex_value(s[j]) :
				    (is_digit(s[j]) ? (int)(s[j] - '0') : -1);
				if (d < 0)
					break;
				if (value <= 0x10FFFF)
					value = value * base + (uint32_t)d;
			}
			if (j > start && j < len && s[j] == ';') {
				if (value > 0x10FFFF)
					goto abort;
				cpvec_push(out, value);
				i = j + 1;
				continue;
			}
		}
		cpvec_push(out, s[i]);
		i++;
	}
	return;

abort:
	out->cv_len = 0;
	for (i = 0; i < len; i++)
		cpvec_push(out, s[i]);
}

/*
 * Steps 5 to 8 on the decoded code points: reduce to ASCII and lower
 * case, drop apostrophes, drop commas between two digits, turn every run
 * of other characters into one '-' and trim '-' at both ends.
 */
static void
clean(const struct cpvec *cv, struct buf *out)
{
	struct buf	 a;
	size_t		 i, n;
	char		 c, prev;

	buf_init(&a);
	for (i = 0; i < cv->cv_len; i++) {
		if (cv->cv_v[i] == 0)
			buf_putc(&a, ' ');
		else if (cv->cv_v[i] < 0x80)
			buf_putc(&a, (char)cv->cv_v[i]);
		else
			translit_compat(cv->cv_v[i], &a);
	}

	/* Lower case and no apostrophes, in place. */
	for (i = n = 0; i < a.b_len; i++) {
		c = a.b_data[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != '\'')
			a.b_data[n++] = c;
	}
	a.b_len = n;

	prev = '-';
	for (i = 0; i < a.b_len; i++) {
		c = a.b_data[i];
		if (c == ',' && i > 0 && i + 1 < a.b_len &&
		    is_digit((unsigned char)a.b_data[i - 1]) &&
		    is_digit((unsigned char)a.b_data[i + 1]))
			continue;
		if (!is_alnum((unsigned char)c))
			c = '-';
		if (c == '-' && prev == '-')
			continue;
		buf_putc(out, c);
		prev = c;
	}
	if (out->b_len > 0 && out->b_data[out->b_len - 1] == '-')
		out->b_data[--out->b_len] = '\0';
	buf_release(&a);
}

/*
 * Step 9, the word-boundary truncation of python-slugify (without its
 * save_order option) applied to s, whose length is len: a slug shorter
 * than max is kept; otherwise words are appended while they fit, with a
 * word that would overflow skipped rather than ending the walk, until the
 * length is exactly max.  Returns an owned string.
 */
static char *
truncate_words(const char *s, size_t len, size_t max)
{
	struct buf	 t;
	const char	*w, *end = s + len, *dash;
	size_t		 wlen;

	if (len < max)
		return (xstrndup(s, len));
	if (memchr(s, '-', len) == NULL)
		return (xstrndup(s, max));

	buf_init(&t);
	for (w = s; w < end; w = dash + 1) {
		if ((dash = memchr(w, '-', (size_t)(end - w))) == NULL)
			dash = end;
		wlen = (size_t)(dash - w);
		if (wlen == 0)
			continue;
		if (t.b_len + wlen < max) {
			buf_append(&t, w, wlen);
			buf_putc(&t, '-');
		} else if (t.b_len + wlen == max) {
			buf_append(&t, w, wlen);
			break;
		}
	}
	if (t.b_len == 0)
		buf_append(&t, s, max);
	while (t.b_len > 0 && t.b_data[t.b_len - 1] == '-')
		t.b_data[--t.b_len] = '\0';
	return (buf_detach(&t));
}

char *
slug_from_title(const char *title)
{
	struct cpvec	 named, dec, hex;
	struct buf	 ascii, out;
	char		*slug;

	memset(&named, 0, sizeof(named));
	memset(&dec, 0, sizeof(dec));
	memset(&hex, 0, sizeof(hex));
	buf_init(&ascii);
	buf_init(&out);

	if (title != NULL)
		transliterate(title, &ascii);
	decode_named(buf_cstr(&ascii), ascii.b_len, &named);
	decode_numeric(&named, 0, &dec);
	decode_numeric(&dec, 1, &hex);
	clean(&hex, &out);

	if (out.b_len == 0)
		slug = xstrdup(SLUG_UNTITLED);
	else
		slug = truncate_words(buf_cstr(&out), out.b_len, SLUG_MAX);
	if (*slug == '\0') {
		free(slug);
		slug = xstrdup(SLUG_UNTITLED);
	}

	cpvec_release(&named);
	cpvec_release(&dec);
	cpvec_release(&hex);
	buf_release(&ascii);
	buf_release(&out);
	return (slug);
}
