/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * frontmatter_toml.c: the TOML that Hugo front matter is written in,
 * read for the keys the post index needs.  Debian has no maintained C
 * TOML library, so this is a small recursive reader of TOML 1.0 syntax:
 * comments, bare, quoted and dotted keys, [tables] and [[arrays of
 * tables]], the four string forms with their escapes, arrays and inline
 * tables (which may span lines), and other values (numbers, booleans,
 * dates and times) read as bare words.  It checks the syntax as it goes,
 * so a broken file is reported rather than half read, but it does not
 * enforce every TOML rule (redefined keys and tables are accepted).
 *
 * Where a value lands is tracked as a context rather than a tree: the
 * top level, an element of "sources" (a [[sources]] table or an inline
 * table in a sources array), the legacy "source" table, a string of the
 * top-level "tags" array, or anywhere else, whose values are read and
 * dropped.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "utf8.h"
#include "xmalloc.h"

/* Nesting of arrays and inline tables allowed. */
#define TOML_DEPTH	32

enum toml_ctx {
	TC_ROOT,
	TC_SOURCES_ELEM,	/* an element of sources = [...] / [[sources]] */
	TC_SOURCE,		/* the legacy source table */
	TC_TAGS,		/* an element of tags = [...] */
	TC_OTHER
};

struct toml {
	const char		*t_s;
	size_t			 t_len;
	size_t			 t_pos;
	size_t			 t_first_line;
	struct front_matter	*t_fm;
	char			*t_err;
	size_t			 t_errlen;
};

/* Record an error at the current position (the first one wins). */
static int
toml_fail(struct toml *t, const char *what)
{
	size_t	i, line = t->t_first_line;

	if (t->t_err[0] != '\0')
		return (-1);
	for (i = 0; i < t->t_pos && i < t->t_len; i++)
		line += t->t_s[i] == '\n';
	snprintf(t->t_err, t->t_errlen, "line %zu: %s", line, what);
	return (-1);
}

static int
peek(const struct toml *t)
{
	return (t->t_pos < t->t_len ? (unsigned char)t->t_s[t->t_pos] : -1);
}

/* Skip blanks (and, when newlines is set, line breaks and comments). */
static void
skip_ws(struct toml *t, int newlines)
{
	int	c;

	while ((c = peek(t)) != -1) {
		if (c == ' ' || c == '\t')
			t->t_pos++;
		else if (newlines && (c == '\n' || c == '\r'))
			t->t_pos++;
		else if (newlines && c == '#') {
			while ((c = peek(t)) != -1 && c != '\n')
				t->t_pos++;
		} else
			break;
	}
}

/* After a value or header: blanks, an optional comment, end of line. */
static int
end_of_line(struct toml *t)
{
	int	c;

	skip_ws(t, 0);
	if (peek(t) == '#')
		while ((c = peek(t)) != -1 && c != '\n')
			t->t_pos++;
	if (peek(t) == '\r')
		t->t_pos++;
	if (peek(t) == -1)
		return (0);
	if (peek(t) != '\n')
		return (toml_fail(t, "expected the end of the line"));
	t->t_pos++;
	return (0);
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* The escape after a backslash in a basic string, onto out. */
static int
read_escape(struct toml *t, struct buf *out)
{
	uint32_t	 cp = 0;
	int		 c, n = 0, k, x;

	switch ((c = peek(t))) {
	case 'b':	buf_putc(out, '\b'); break;
	case 't':	buf_putc(out, '\t'); break;
	case 'n':	buf_putc(out, '\n'); break;
	case 'f':	buf_putc(out, '\f'); break;
	case 'r':	buf_putc(out, '\r'); break;
	case 'e':	buf_putc(out, 0x1b); break;
	case '"':
	case '\\':	buf_putc(out, (char)c); break;
	case 'u':	n = 4; break;
	case 'U':	n = 8; break;
	default:
		return (toml_fail(t, "bad escape in a string"));
	}
	t->t_pos++;
	for (k = 0; k < n; k++) {
		if ((x = hex_digit(peek(t))) == -1)
			return (toml_fail(t, "bad \\u escape in a string"));
		cp = cp * 16 + (uint32_t)x;
		t->t_pos++;
	}
	if (n > 0) {
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (toml_fail(t, "escape is not a character"));
		utf8_put(out, cp);
	}
	return (0);
}

/* 1 when the text at the position starts with s. */
static int
looking_at(const struct toml *t, const char *s)
{
	size_t	n = strlen(s);

	return (t->t_len - t->t_pos >= n &&
	    memcmp(t->t_s + t->t_pos, s, n) == 0);
}

/*
 * A string of any of the four forms at the position (which is at its
 * opening quote), decoded onto out.  Single-line forms may not hold a
 * line break.
 */
static int
read_string(struct toml *t, struct buf *out)
{
	char	 q = t->t_s[t->t_pos];
	int	 multi, c;

	multi = looking_at(t, q == '"' ? "\"\"\"" : "'''");
	t->t_pos += multi ? 3 : 1;
	if (multi && looking_at(t, "\n"))
		t->t_pos++;		/* a newline after the quotes is not content */
	else if (multi && looking_at(t, "\r\n"))
		t->t_pos += 2;
	for (;;) {
		if ((c = peek(t)) == -1)
			return (toml_fail(t, "unterminated string"));
		if (c == q) {
			if (!multi) {
				t->t_pos++;
				return (0);
			}
			if (looking_at(t, q == '"' ? "\"\"\"" : "'''")) {
				/* Up to two quotes may end the content. */
				while (t->t_len - t->t_pos > 3 &&
				    t->t_s[t->t_pos + 3] == q) {
					buf_putc(out, q);
					t->t_pos++;
				}
				t->t_pos += 3;
				return (0);
			}
		}
		if (!multi && (c == '\n' || c == '\r'))
			return (toml_fail(t, "unterminated string"));
		t->t_pos++;
		if (c == '\\' && q == '"') {
			if (multi && (peek(t) == ' ' || peek(t) == '\t' ||
			    peek(t) == '\n' || peek(t) == '\r')) {
				/* A line-ending backslash trims what follows. */
				skip_ws(t, 0);
				if (peek(t) != '\n' && peek(t) != '\r')
					return (toml_fail(t, "bad escape in a "
					    "string"));
				while ((c = peek(t)) == ' ' || c == '\t' ||
				    c == '\n' || c == '\r')
					t->t_pos++;
			} else if (read_escape(t, out) == -1)
				return (-1);
			continue;
		}
		buf_putc(out, (char)c);
	}
}

static int
is_bare_key_char(int c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-');
}

/* One part of a key (bare or quoted) onto out. */
static int
read_key_part(struct toml *t, struct buf *out)
{
	size_t	start;
	int	c;

	buf_reset(out);
	c = peek(t);
	if (c == '"' || c == '\'') {
		if (looking_at(t, c == '"' ? "\"\"\"" : "'''"))
			return (toml_fail(t, "a key cannot be a multi-line "
			    "string"));
		return (read_string(t, out));
	}
	start = t->t_pos;
	while (is_bare_key_char(peek(t)))
		t->t_pos++;
	if (t->t_pos == start)
		return (toml_fail(t, "expected a key"));
	buf_append(out, t->t_s + start, t->t_pos - start);
	return (0);
}

/* The context a table named key opens inside ctx. */
static enum toml_ctx
descend(enum toml_ctx ctx, const char *key)
{
	if (ctx == TC_ROOT && strcmp(key, "source") == 0)
		return (TC_SOURCE);
	return (TC_OTHER);
}

/*
 * A dotted key (a.b."c") in ctx: on return *ctxp is the context of its
 * last part and last holds that part.
 */
static int
read_key(struct toml *t, enum toml_ctx *ctxp, struct buf *last)
{
	for (;;) {
		if (read_key_part(t, last) == -1)
			return (-1);
		skip_ws(t, 0);
		if (peek(t) != '.')
			return (0);
		t->t_pos++;
		skip_ws(t, 0);
		*ctxp = descend(*ctxp, buf_cstr(last));
	}
}

static int	read_value(struct toml *, enum toml_ctx, const char *, int);

/* An inline table { k = v, ... } whose pairs land in ctx. */
static int
read_inline_table(struct toml *t, enum toml_ctx ctx, int depth)
{
	struct buf	 key;
	enum toml_ctx	 kctx;
	int		 ret = -1;

	buf_init(&key);
	t->t_pos++;
	skip_ws(t, 1);
	while (peek(t) != '}') {
		kctx = ctx;
		if (read_key(t, &kctx, &key) == -1)
			goto done;
		if (peek(t) != '=') {
			toml_fail(t, "expected '=' after a key");
			goto done;
		}
		t->t_pos++;
		skip_ws(t, 0);
		if (read_value(t, kctx, buf_cstr(&key), depth + 1) == -1)
			goto done;
		skip_ws(t, 1);
		if (peek(t) == ',') {
			t->t_pos++;
			skip_ws(t, 1);
		} else if (peek(t) != '}') {
			toml_fail(t, "expected ',' or '}' in an inline table");
			goto done;
		}
	}
	t->t_pos++;
	ret = 0;
 done:
	buf_release(&key);
	return (ret);
}

/* An array [v, ...]; its inline tables land in elem_ctx. */
static int
read_array(struct toml *t, enum toml_ctx elem_ctx, int depth)
{
	t->t_pos++;
	skip_ws(t, 1);
	while (peek(t) != ']') {
		if (peek(t) == '{') {
			if (read_inline_table(t, elem_ctx == TC_TAGS ?
			    TC_OTHER : elem_ctx, depth + 1) == -1)
				return (-1);
		} else if (read_value(t, elem_ctx == TC_TAGS ? TC_TAGS :
		    TC_OTHER, "", depth + 1) == -1)
			return (-1);
		skip_ws(t, 1);
		if (peek(t) == ',') {
			t->t_pos++;
			skip_ws(t, 1);
		} else if (peek(t) != ']')
			return (toml_fail(t, "expected ',' or ']' in an "
			    "array"));
	}
	t->t_pos++;
	return (0);
}

/*
 * A bare value: a number, boolean, date or time.  A date may be followed
 * by a space and a time ("1979-05-27 07:32:00Z").
 */
static int
read_bare(struct toml *t, struct buf *out)
{
	size_t	start = t->t_pos;
	int	c;

	while ((c = peek(t)) != -1 && (is_bare_key_char(c) || c == '.' ||
	    c == ':' || c == '+'))
		t->t_pos++;
	if (t->t_pos - start == 10 && t->t_s[start + 4] == '-' &&
	    peek(t) == ' ' && t->t_len - t->t_pos > 1 &&
	    t->t_s[t->t_pos + 1] >= '0' && t->t_s[t->t_pos + 1] <= '9') {
		t->t_pos++;
		while ((c = peek(t)) != -1 && (is_bare_key_char(c) ||
		    c == '.' || c == ':' || c == '+'))
			t->t_pos++;
	}
	if (t->t_pos == start)
		return (toml_fail(t, "expected a value"));
	buf_append(out, t->t_s + start, t->t_pos - start);
	return (0);
}

/* The value of key in ctx: kept when it is one the index reads. */
static int
read_value(struct toml *t, enum toml_ctx ctx, const char *key, int depth)
{
	struct buf	 b;
	int		 c, is_str, ret = -1;

	if (depth > TOML_DEPTH)
		return (toml_fail(t, "nested too deeply"));
	c = peek(t);
	if (c == '[') {
		if (ctx == TC_ROOT && strcmp(key, "tags") == 0)
			return (read_array(t, TC_TAGS, depth));
		return (read_array(t, ctx == TC_ROOT && strcmp(key,
		    "sources") == 0 ? TC_SOURCES_ELEM : TC_OTHER, depth));
	}
	if (c == '{')
		return (read_inline_table(t, descend(ctx, key), depth));
	buf_init(&b);
	is_str = c == '"' || c == '\'';
	if ((is_str ? read_string(t, &b) : read_bare(t, &b)) == -1)
		goto done;
	if (ctx == TC_ROOT && strcmp(key, "date") == 0) {
		free(t->t_fm->fm_date);
		t->t_fm->fm_date = buf_detach(&b);
	} else if (is_str && ctx == TC_ROOT && strcmp(key, "title") == 0) {
		free(t->t_fm->fm_title);
		t->t_fm->fm_title = buf_detach(&b);
	} else if (is_str && ctx == TC_TAGS)
		front_matter_add_tag(t->t_fm, buf_cstr(&b), b.b_len);
	else if (is_str && (ctx == TC_SOURCES_ELEM || ctx == TC_SOURCE) &&
	    strcmp(key, "url") == 0)
		front_matter_add_source(t->t_fm, buf_cstr(&b), b.b_len,
		    ctx == TC_SOURCE);
	ret = 0;
 done:
	buf_release(&b);
	return (ret);
}

/* A [table] or [[array of tables]] header: the context it opens. */
static int
read_header(struct toml *t, enum toml_ctx *ctxp)
{
	struct buf	 key;
	enum toml_ctx	 ctx = TC_ROOT;
	int		 array, ret = -1, nparts = 0, sources = 0;

	buf_init(&key);
	array = looking_at(t, "[[");
	t->t_pos += array ? 2 : 1;
	for (;;) {
		skip_ws(t, 0);
		if (nparts > 0)
			ctx = descend(ctx, buf_cstr(&key));
		if (read_key_part(t, &key) == -1)
			goto done;
		sources = nparts == 0 && strcmp(buf_cstr(&key), "sources") == 0;
		nparts++;
		skip_ws(t, 0);
		if (peek(t) != '.')
			break;
		t->t_pos++;
	}
	if (!looking_at(t, array ? "]]" : "]")) {
		toml_fail(t, "expected ']' after a table name");
		goto done;
	}
	t->t_pos += array ? 2 : 1;
	if (array && sources)
		*ctxp = TC_SOURCES_ELEM;
	else if (array)
		*ctxp = TC_OTHER;
	else
		*ctxp = descend(ctx, buf_cstr(&key));
	ret = end_of_line(t);
 done:
	buf_release(&key);
	return (ret);
}

int
front_matter_parse_toml(const char *text, size_t len, size_t first_line,
    struct front_matter *fm, char *err, size_t errlen)
{
	struct toml	 t;
	struct buf	 key;
	enum toml_ctx	 table = TC_ROOT, ctx;
	int		 ret = -1;

	memset(&t, 0, sizeof(t));
	t.t_s = text;
	t.t_len = len;
	t.t_first_line = first_line;
	t.t_fm = fm;
	t.t_err = err;
	t.t_errlen = errlen;
	err[0] = '\0';
	buf_init(&key);
	for (;;) {
		skip_ws(&t, 1);
		if (peek(&t) == -1)
			break;
		if (peek(&t) == '[') {
			if (read_header(&t, &table) == -1)
				goto done;
			continue;
		}
		ctx = table;
		if (read_key(&t, &ctx, &key) == -1)
			goto done;
		if (peek(&t) != '=') {
			toml_fail(&t, "expected '=' after a key");
			goto done;
		}
		t.t_pos++;
		skip_ws(&t, 0);
		if (read_value(&t, ctx, buf_cstr(&key), 0) == -1 ||
		    end_of_line(&t) == -1)
			goto done;
	}
	ret = 0;
 done:
	buf_release(&key);
	return (ret);
}
