/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * htmlsafe.c: owns the rewrite of a Markdown body so that nothing active
 * survives raw HTML rendering.
 *
 * The body is read line by line, the way a CommonMark parser splits
 * blocks.  Fenced code and indented code are copied as they are.  An HTML
 * block (a line starting with a tag, a comment, a declaration; up to the
 * end that CommonMark gives it) is parsed with libxml2's HTML parser
 * inside a wrapper document and the tree is written back through the
 * allowlist.  Every other line is scanned inline: code spans are copied,
 * each inline tag is parsed by libxml2 on its own and rewritten, comments
 * and the like are dropped, and any other '<' that could open a tag is
 * escaped, so the only markup left in the output is markup written here.
 * Link, image and definition URLs are checked in both kinds of text.
 *
 * Where the Markdown is ambiguous the scanner leans to sanitising: a code
 * block inside a list, or a code span that spans lines, is treated as
 * text.  Output grows in a buffer with a checked realloc; running out of
 * memory returns NULL rather than exiting, since the body is model text.
 * libxml2 is called through xmlapi.h, loaded on the first body; without
 * it nothing is returned, since raw HTML cannot be made safe unparsed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "htmlsafe.h"
#include "xmlapi.h"

/* The output buffer; ob_failed latches the first allocation failure. */
struct obuf {
	char	*ob_p;
	size_t	 ob_len;
	size_t	 ob_cap;
	int	 ob_failed;
};

/* One open '[' of a possible link, by its offset in the output. */
struct bracket {
	size_t	 br_off;	/* offset of '[' */
	int	 br_image;	/* preceded by '!' (at br_off - 1) */
};

#define BRACKET_MAX	64
#define DEPTH_MAX	512

struct hs {
	struct obuf		 h_out;
	struct htmlsafe_stats	*h_st;
	const char		*h_doc;		/* the whole input */
	size_t			 h_doclen;
	size_t			 h_lim;		/* bytes readable from the text inline_text() scans */
	int			 h_indoc;	/* that text is in h_doc (so is what follows) */
	int			 h_code_ok;	/* code spans may be copied as they are */
	struct bracket		 h_br[BRACKET_MAX];
	int			 h_nbr;
};

/* Elements kept (names as libxml2 reports them: lower case). */
static const char *const elem_allowed[] = {
	"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption",
	"cite", "code", "col", "colgroup", "dd", "del", "details", "dfn",
	"div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
	"h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
	"p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
	"strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
	"th", "thead", "time", "tr", "u", "ul", "var", "wbr",
	/* SVG drawing (no script, no animation, no foreign content) */
	"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline",
	"polygon", "text", "tspan", "defs", "lineargradient",
	"radialgradient", "stop", "clippath", "mask", "marker", "desc",
};

/* SVG elements: written as "<x/>" when empty inside an <svg>. */
static const char *const elem_svg[] = {
	"g", "path", "rect", "circle", "ellipse", "line", "polyline",
	"polygon", "text", "tspan", "defs", "lineargradient",
	"radialgradient", "stop", "clippath", "mask", "marker", "desc",
};

/* Elements removed together with everything inside them. */
static const char *const elem_drop_content[] = {
	"script", "style", "iframe", "frame", "frameset", "object", "embed",
	"applet", "form", "input", "button", "select", "option", "optgroup",
	"textarea", "link", "meta", "base", "noscript", "noembed",
	"noframes", "template", "title", "xmp", "plaintext", "math",
	"foreignobject", "animate", "animatemotion", "animatetransform",
	"set", "use", "handler", "listener", "param", "audio", "video",
	"source", "track", "canvas", "portal", "head", "svg:script",
};

/* HTML void elements: no end tag. */
static const char *const elem_void[] = {
	"area", "br", "col", "hr", "img", "wbr",
};

/* Attributes kept on kept elements; URL ones are checked too. */
static const char *const attr_allowed[] = {
	"align", "alt", "cite", "class", "colspan", "datetime", "dir",
	"headers", "height", "href", "id", "lang", "open", "rel", "reversed",
	"role", "rowspan", "scope", "span", "src", "start", "title", "type",
	"valign", "value", "width",
	/* SVG presentation */
	"viewbox", "xmlns", "xmlns:xlink", "xlink:href", "version", "fill",
	"fill-opacity", "fill-rule", "clip-rule", "clip-path", "stroke",
	"stroke-width", "stroke-linecap", "stroke-linejoin",
	"stroke-dasharray", "stroke-opacity", "opacity", "d", "x", "y", "x1",
	"x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "fx",
	"fy", "points", "transform", "font-size", "font-family",
	"font-weight", "text-anchor", "dominant-baseline",
	"preserveaspectratio", "offset", "stop-color", "stop-opacity",
	"gradientunits", "gradienttransform", "marker-start", "marker-end",
	"markerwidth", "markerheight", "refx", "refy", "orient",
};

static const char *const attr_url[] = {
	"cite", "href", "src", "xlink:href",
};

/* Named references HTML5 added that spell URL punctuation. */
static const struct {
	const char	*name;
	unsigned	 cp;
} entity_extra[] = {
	{ "Tab", '\t' }, { "NewLine", '\n' }, { "colon", ':' },
	{ "sol", '/' }, { "bsol", '\\' }, { "lpar", '(' }, { "rpar", ')' },
	{ "period", '.' }, { "comma", ',' }, { "excl", '!' },
	{ "quest", '?' }, { "num", '#' }, { "semi", ';' },
	{ "equals", '=' }, { "plus", '+' }, { "dollar", '$' },
	{ "percnt", '%' }, { "lowbar", '_' }, { "apos", '\'' },
	{ "ast", '*' }, { "commat", '@' }, { "lsqb", '[' }, { "rsqb", ']' },
};

static int
in_list(const char *const *list, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

#define IN(list, s)	in_list((list), nitems(list), (s))

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
lower(int c)
{
	return (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

static int
is_ascii_punct(int c)
{
	return ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~'));
}

static int
is_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

/* Append n bytes; on failure the buffer stops growing and is marked. */
static void
ob_add(struct obuf *o, const char *s, size_t n)
{
	size_t	 need, cap;
	char	*p;

	if (o->ob_failed || n == 0)
		return;
	if (n > SIZE_MAX / 2 - o->ob_len) {
		o->ob_failed = 1;
		return;
	}
	need = o->ob_len + n + 1;
	if (need > o->ob_cap) {
		cap = o->ob_cap != 0 ? o->ob_cap : 256;
		while (cap < need)
			cap *= 2;
		if ((p = realloc(o->ob_p, cap)) == NULL) {
			o->ob_failed = 1;
			return;
		}
		o->ob_p = p;
		o->ob_cap = cap;
	}
	memcpy(o->ob_p + o->ob_len, s, n);
	o->ob_len += n;
	o->ob_p[o->ob_len] = '\0';
}

static void
ob_puts(struct obuf *o, const char *s)
{
	ob_add(o, s, strlen(s));
}

/* Append codepoint cp as UTF-8 (U+FFFD for what is not a scalar value). */
static void
ob_utf8(struct obuf *o, unsigned cp)
{
	char	b[4];

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		b[0] = (char)cp;
		ob_add(o, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		ob_add(o, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		ob_add(o, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		ob_add(o, b, 4);
	}
}

int
htmlsafe_url_ok(const char *url, size_t len, int flags)
{
	static const char *const img[] = {
		"image/png;base64,", "image/gif;base64,",
		"image/jpeg;base64,", "image/webp;base64,",
	};
	char	 scheme[17], rest[24];
	size_t	 i = 0, k = 0, j;
	int	 c;

	while (i < len && (unsigned char)url[i] <= 0x20)
		i++;
	for (; i < len; i++) {
		c = (unsigned char)url[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (is_alpha(c) || (k > 0 && (is_digit(c) || c == '+' ||
		    c == '-' || c == '.'))) {
			if (k == sizeof(scheme) - 1)
				return (0);	/* no scheme we allow is this long */
			scheme[k++] = (char)lower(c);
			continue;
		}
		return (1);	/* not a scheme: a relative reference */
	}
	if (i == len || k == 0)
		return (1);
	scheme[k] = '\0';
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	    strcmp(scheme, "mailto") == 0)
		return (1);
	if (!(flags & HTMLSAFE_URL_IMAGE) || strcmp(scheme, "data") != 0)
		return (0);
	for (i++, k = 0; i < len && k < sizeof(rest) - 1; i++) {
		c = (unsigned char)url[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		rest[k++] = (char)lower(c);
	}
	rest[k] = '\0';
	for (j = 0; j < nitems(img); j++)
		if (strncmp(rest, img[j], strlen(img[j])) == 0)
			return (1);
	return (0);
}

/*
 * Decode a Markdown link destination (backslash escapes and character
 * references, as a CommonMark renderer does) and check it.  A named
 * reference this code does not know, before the first '/', '?' or '#',
 * could spell part of a scheme, so it makes the URL unsafe.  Returns 1
 * when safe, 0 when not, -1 when out of memory.
 */
static int
md_url_ok(const char *s, size_t n, int flags)
{
	const htmlEntityDesc	*ent;
	struct obuf		 d = { NULL, 0, 0, 0 };
	char			 name[33];
	size_t			 i, j, k;
	unsigned long		 cp;
	int			 in_path = 0, ok, found, hex;

	for (i = 0; i < n; i++) {
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			in_path = 1;
		if (s[i] == '\\' && i + 1 < n && is_ascii_punct(s[i + 1])) {
			ob_add(&d, s + i + 1, 1);
			i++;
			continue;
		}
		if (s[i] != '&') {
			ob_add(&d, s + i, 1);
			continue;
		}
		/* a character reference: &#123; &#x7B; &name; */
		j = i + 1;
		if (j < n && s[j] == '#') {
			hex = j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X');
			j += hex ? 2 : 1;
			for (cp = 0, k = j; k < n && k - j < 8; k++) {
				if (is_digit(s[k]))
					cp = cp * (hex ? 16 : 10) +
					    (unsigned long)(s[k] - '0');
				else if (hex && lower(s[k]) >= 'a' &&
				    lower(s[k]) <= 'f')
					cp = cp * 16 + (unsigned long)
					    (lower(s[k]) - 'a' + 10);
				else
					break;
			}
			if (k > j && k < n && s[k] == ';') {
				ob_utf8(&d, cp > 0x10FFFF ? 0xFFFD :
				    (unsigned)cp);
				i = k;
				continue;
			}
			ob_add(&d, s + i, 1);
			continue;
		}
		for (k = j; k < n && k - j < sizeof(name) - 1 &&
		    (is_alpha(s[k]) || is_digit(s[k])); k++)
			name[k - j] = s[k];
		name[k - j] = '\0';
		if (k == j || k >= n || s[k] != ';') {
			ob_add(&d, s + i, 1);
			continue;
		}
		found = 0;
		for (j = 0; j < nitems(entity_extra); j++)
			if (strcmp(entity_extra[j].name, name) == 0) {
				ob_utf8(&d, entity_extra[j].cp);
				found = 1;
				break;
			}
		if (!found && (ent = xmlapi.html_entity_lookup(
		    (const xmlChar *)name)) != NULL) {
			ob_utf8(&d, ent->value);
			found = 1;
		}
		if (!found && !in_path) {
			free(d.ob_p);
			return (0);
		}
		if (!found)
			ob_add(&d, s + i, k + 1 - i);
		i = k;
	}
	if (d.ob_failed) {
		free(d.ob_p);
		return (-1);
	}
	ok = htmlsafe_url_ok(d.ob_p != NULL ? d.ob_p : "", d.ob_len, flags);
	free(d.ob_p);
	return (ok);
}

/*
 * Parse a link destination starting at s[0] (after "(" or "]:"): spaces
 * and at most one line ending, then <...> or a run without spaces with
 * balanced parentheses.  Sets *dst and *dlen to the destination and returns
 * the offset just past it, or 0 when there is none.
 */
static size_t
parse_dest(const char *s, size_t n, const char **dst, size_t *dlen)
{
	size_t	i = 0, start;
	int	nl = 0, depth = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || (s[i] == '\n' &&
	    !nl++)))
		i++;
	if (i < n && s[i] == '\r')
		i++;
	if (i < n && s[i] == '<') {
		start = ++i;
		while (i < n && s[i] != '>' && s[i] != '\n' && s[i] != '<') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		if (i >= n || s[i] != '>')
			return (0);
		*dst = s + start;
		*dlen = i - start;
		return (i + 1);
	}
	start = i;
	while (i < n && (unsigned char)s[i] > 0x20) {
		if (s[i] == '\\' && i + 1 < n && is_ascii_punct(s[i + 1])) {
			i += 2;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth-- == 0)
			break;
		i++;
	}
	*dst = s + start;
	*dlen = i - start;
	return (i > start ? i : 0);
}

/*
 * After a destination ending at s[0]: an optional title and the closing
 * ")" on the same line.  Returns the offset past ")" or 0.
 */
static size_t
parse_link_tail(const char *s, size_t n)
{
	size_t	i = 0;
	char	close;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '(')) {
		close = s[i] == '(' ? ')' : s[i];
		for (i++; i < n && s[i] != close && s[i] != '\n'; i++)
			if (s[i] == '\\' && i + 1 < n)
				i++;
		if (i >= n || s[i] != close)
			return (0);
		i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	return (i < n && s[i] == ')' ? i + 1 : 0);
}

/* Append text with &, < and > escaped (for HTML text and attributes). */
static void
put_escaped(struct obuf *o, const char *s, size_t n, int attr)
{
	size_t	i, from = 0;

	for (i = 0; i < n; i++) {
		const char *rep = NULL;

		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\r':
			rep = attr ? "&#13;" : NULL;
			break;
		default:
			break;
		}
		if (rep == NULL)
			continue;
		ob_add(o, s + from, i - from);
		ob_puts(o, rep);
		from = i + 1;
	}
	ob_add(o, s + from, n - from);
}

enum tagkind { TAG_NONE, TAG_OPEN, TAG_CLOSE, TAG_OTHER };

/*
 * Match the CommonMark raw HTML construct starting at s[0] == '<' (s[n]
 * is the end of the line).  Returns its length, the kind, and for tags
 * the lower-cased name in name[]; 0 when it is not one.
 */
static size_t
match_tag(const char *s, size_t n, enum tagkind *kind, char *name,
    size_t namesz, int *selfclose)
{
	const char	*e;
	size_t		 i = 1, k = 0;
	char		 q;

	*kind = TAG_NONE;
	*selfclose = 0;
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		e = memmem(s + 4, n - 4, "-->", 3);
		*kind = TAG_OTHER;
		return (e == NULL ? 0 : (size_t)(e - s) + 3);
	}
	if (n >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
		e = memmem(s + 9, n - 9, "]]>", 3);
		*kind = TAG_OTHER;
		return (e == NULL ? 0 : (size_t)(e - s) + 3);
	}
	if (n >= 2 && s[1] == '?') {
		e = memmem(s + 2, n - 2, "?>", 2);
		*kind = TAG_OTHER;
		return (e == NULL ? 0 : (size_t)(e - s) + 2);
	}
	if (n >= 3 && s[1] == '!' && is_alpha(s[2])) {
		e = memchr(s + 2, '>', n - 2);
		*kind = TAG_OTHER;
		return (e == NULL ? 0 : (size_t)(e - s) + 1);
	}
	if (i < n && s[i] == '/') {
		*kind = TAG_CLOSE;
		i++;
	}
	if (i >= n || !is_alpha(s[i]))
		return (0);
	while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '-')) {
		if (k + 1 < namesz)
			name[k++] = (char)lower(s[i]);
		i++;
	}
	name[k] = '\0';
	if (*kind == TAG_CLOSE) {
		while (i < n && is_space(s[i]))
			i++;
		return (i < n && s[i] == '>' ? i + 1 : 0);
	}
	*kind = TAG_OPEN;
	for (;;) {
		size_t	ws = i;

		while (i < n && is_space(s[i]))
			i++;
		if (i < n && s[i] == '>')
			return (i + 1);
		if (i + 1 < n && s[i] == '/' && s[i + 1] == '>') {
			*selfclose = 1;
			return (i + 2);
		}
		if (i == ws || i >= n)
			return (0);
		if (!(is_alpha(s[i]) || s[i] == '_' || s[i] == ':'))
			return (0);
		while (i < n && (is_alpha(s[i]) || is_digit(s[i]) ||
		    s[i] == '_' || s[i] == '.' || s[i] == ':' || s[i] == '-'))
			i++;
		ws = i;
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n || s[i] != '=') {
			i = ws;
			continue;
		}
		i++;
		while (i < n && is_space(s[i]))
			i++;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			q = s[i];
			if ((e = memchr(s + i + 1, q, n - i - 1)) == NULL)
				return (0);
			i = (size_t)(e - s) + 1;
		} else {
			ws = i;
			while (i < n && !is_space(s[i]) && s[i] != '"' &&
			    s[i] != '\'' && s[i] != '=' && s[i] != '<' &&
			    s[i] != '>' && s[i] != '`')
				i++;
			if (i == ws)
				return (0);
		}
	}
}

/* Length of a CommonMark autolink at s[0] == '<', or 0; *uri for URIs. */
static size_t
match_autolink(const char *s, size_t n, int *uri)
{
	size_t	i = 1, k;

	*uri = 0;
	if (i < n && is_alpha(s[i])) {
		for (k = i + 1; k < n && (is_alpha(s[k]) || is_digit(s[k]) ||
		    s[k] == '+' || s[k] == '.' || s[k] == '-'); k++)
			;
		if (k - i >= 2 && k - i <= 32 && k < n && s[k] == ':') {
			for (k++; k < n && (unsigned char)s[k] > 0x20 &&
			    s[k] != '<' && s[k] != '>'; k++)
				;
			if (k < n && s[k] == '>') {
				*uri = 1;
				return (k + 1);
			}
		}
	}
	/*
	 * An e-mail address, with a local part narrower than CommonMark's
	 * (no '/', '=', ...): "<img/src@x.y>" stays text, not a mail link
	 * that a parser of another mind could take for a tag.
	 */
	for (k = i; k < n && (is_alpha(s[k]) || is_digit(s[k]) ||
	    s[k] == '.' || s[k] == '_' || s[k] == '%' || s[k] == '+' ||
	    s[k] == '-'); k++)
		;
	if (k == i || k >= n || s[k] != '@')
		return (0);
	for (i = ++k; k < n && (is_alpha(s[k]) || is_digit(s[k]) ||
	    s[k] == '-' || s[k] == '.'); k++)
		if (s[k] == '.' && (k == i || s[k - 1] == '-' ||
		    s[k - 1] == '.'))
			return (0);	/* labels start and end alphanumeric */
	if (k == i || k >= n || s[k] != '>' || s[k - 1] == '-' ||
	    s[k - 1] == '.' || s[i] == '-')
		return (0);
	return (k + 1);
}

/* Is the attribute name one that may be written out? */
static int
attr_name_ok(const char *name)
{
	const char	*p;

	for (p = name; *p != '\0'; p++)
		if (!(is_alpha(*p) || is_digit(*p) || *p == '-' ||
		    *p == ':' || *p == '_'))
			return (0);
	if (strncmp(name, "aria-", 5) == 0 && name[5] != '\0')
		return (1);
	return (IN(attr_allowed, name));
}

/*
 * Write the attributes of element el that pass the allowlist, each as
 * name="value" with the value escaped.  Counts the dropped ones.
 */
static void
put_attrs(struct hs *h, xmlNodePtr el)
{
	xmlAttrPtr	 a;
	xmlChar		*v;
	const char	*name;

	for (a = el->properties; a != NULL; a = a->next) {
		name = (const char *)a->name;
		if (!attr_name_ok(name)) {
			h->h_st->hs_attributes++;
			continue;
		}
		if (a->children == NULL) {
			if (IN(attr_url, name)) {
				h->h_st->hs_attributes++;
				continue;
			}
			ob_puts(&h->h_out, " ");
			ob_puts(&h->h_out, name);
			continue;
		}
		if ((v = xmlapi.node_get_content((xmlNodePtr)a)) == NULL) {
			h->h_out.ob_failed = 1;
			return;
		}
		if (IN(attr_url, name) && !htmlsafe_url_ok((const char *)v,
		    strlen((const char *)v), 0)) {
			h->h_st->hs_attributes++;
			xmlapi.free(v);
			continue;
		}
		ob_puts(&h->h_out, " ");
		ob_puts(&h->h_out, name);
		ob_puts(&h->h_out, "=\"");
		put_escaped(&h->h_out, (const char *)v,
		    strlen((const char *)v), 1);
		ob_puts(&h->h_out, "\"");
		xmlapi.free(v);
	}
}

/* Parse html wrapped in a document of its own; NULL on failure. */
static htmlDocPtr
parse_html(const char *html, size_t n, const char *tail)
{
	static const char	 head[] = "<!DOCTYPE html><html><body>";
	struct obuf		 d = { NULL, 0, 0, 0 };
	htmlDocPtr		 doc = NULL;

	ob_puts(&d, head);
	ob_add(&d, html, n);
	ob_puts(&d, tail);
	ob_puts(&d, "</body></html>");
	if (!d.ob_failed && d.ob_len <= INT32_MAX)
		doc = xmlapi.html_read_memory(d.ob_p, (int)d.ob_len, NULL,
		    "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		    HTML_PARSE_NONET);
	free(d.ob_p);
	return (doc);
}

static void	inline_text(struct hs *, const char *, size_t, int);

#define MODE_MD		0	/* a Markdown line: tags, code spans */
#define MODE_HTMLTEXT	1	/* decoded text from an HTML text node */
#define MODE_LINKS	2	/* written HTML: links and definitions only */

/*
 * Write the subtree of node n.  open[] holds the elements the run left
 * unclosed: their end tags are not written, so that a block such as
 * "<details>" followed by Markdown and a later "</details>" keeps its
 * shape.
 */
static void
put_node(struct hs *h, xmlNodePtr n, xmlNodePtr *open, int nopen,
    int in_svg, int depth)
{
	xmlNodePtr	 c;
	const char	*name;
	int		 i, is_open = 0, svg;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE) {
			if (n->content != NULL)
				inline_text(h, (const char *)n->content,
				    strlen((const char *)n->content),
				    MODE_HTMLTEXT);
			continue;
		}
		if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			h->h_st->hs_other++;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE && n->type !=
		    XML_HTML_DOCUMENT_NODE)
			continue;
		name = n->name != NULL ? (const char *)n->name : "";
		if (depth > DEPTH_MAX || IN(elem_drop_content, name) ||
		    strchr(name, ':') != NULL) {
			h->h_st->hs_elements++;
			continue;
		}
		if (!IN(elem_allowed, name)) {
			if (strcmp(name, "html") != 0 && strcmp(name, "body")
			    != 0 && strcmp(name, "articlegen-eof") != 0)
				h->h_st->hs_elements++;
			else if (n->properties != NULL)
				h->h_st->hs_attributes++;
			put_node(h, n->children, open, nopen, in_svg,
			    depth + 1);
			continue;
		}
		for (i = 0; i < nopen; i++)
			if (open[i] == n)
				is_open = 1;
		svg = in_svg || strcmp(name, "svg") == 0;
		ob_puts(&h->h_out, "<");
		ob_puts(&h->h_out, name);
		put_attrs(h, n);
		if (IN(elem_void, name)) {
			ob_puts(&h->h_out, ">");
			continue;
		}
		c = n->children;
		if (c == NULL && svg && (IN(elem_svg, name) || is_open)) {
			ob_puts(&h->h_out, "/>");
			continue;
		}
		ob_puts(&h->h_out, ">");
		put_node(h, c, open, nopen, svg, depth + 1);
		if (!is_open) {
			ob_puts(&h->h_out, "</");
			ob_puts(&h->h_out, name);
			ob_puts(&h->h_out, ">");
		}
		is_open = 0;
	}
}

/* The last element named name in document order, depth first. */
static xmlNodePtr
find_last(xmlNodePtr n, const char *name)
{
	xmlNodePtr	found = NULL, f;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->name != NULL &&
		    strcmp((const char *)n->name, name) == 0)
			found = n;
		if ((f = find_last(n->children, name)) != NULL)
			found = f;
	}
	return (found);
}

/* The first element named name in document order. */
static xmlNodePtr
find_first(xmlNodePtr n, const char *name)
{
	xmlNodePtr	f;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->name != NULL &&
		    strcmp((const char *)n->name, name) == 0)
			return (n);
		if ((f = find_first(n->children, name)) != NULL)
			return (f);
	}
	return (NULL);
}

/*
 * Sanitise one HTML block: leading end tags (closing an element a
 * previous block opened) are kept when allowed, leading comments, CDATA
 * sections, declarations and PIs are dropped, the rest is parsed and
 * written back through the allowlist.  When libxml2 cannot parse it, it
 * is written as escaped text.
 */
static void
html_block(struct hs *h, const char *s, size_t n)
{
	xmlNodePtr	 open[DEPTH_MAX], eof, p;
	htmlDocPtr	 doc;
	enum tagkind	 kind;
	size_t		 i = 0, k, len;
	char		 name[32];
	int		 nopen = 0, sc;

	for (;;) {
		for (k = i; k < n && is_space(s[k]); k++)
			;
		if (k >= n || s[k] != '<' || (len = match_tag(s + k, n - k,
		    &kind, name, sizeof(name), &sc)) == 0 || kind == TAG_OPEN)
			break;
		ob_add(&h->h_out, s + i, k - i);
		if (kind == TAG_OTHER)
			h->h_st->hs_other++;	/* comment, CDATA, PI, declaration */
		else if (IN(elem_allowed, name) && !IN(elem_void, name)) {
			ob_puts(&h->h_out, "</");
			ob_puts(&h->h_out, name);
			ob_puts(&h->h_out, ">");
		} else
			h->h_st->hs_elements++;
		i = k + len;
	}
	if (i >= n)
		return;
	if ((doc = parse_html(s + i, n - i,
	    "<articlegen-eof></articlegen-eof>")) == NULL) {
		put_escaped(&h->h_out, s + i, n - i, 0);
		h->h_st->hs_other++;
		return;
	}
	if ((eof = find_last(doc->children, "articlegen-eof")) != NULL)
		for (p = eof->parent; p != NULL && nopen < DEPTH_MAX;
		    p = p->parent)
			if (p->name == NULL || strcmp((const char *)p->name,
			    "pre") != 0)
				open[nopen++] = p;	/* a <pre> is closed here */
	put_node(h, doc->children, open, nopen, 0, 0);
	xmlapi.free_doc(doc);
}

/*
 * Sanitise one inline open tag s[0..n) named name: libxml2 reads its
 * attributes, and the tag is written back with the allowed ones.  Returns
 * 1 when the element must go with its content, else 0.
 */
static int
inline_open_tag(struct hs *h, const char *s, size_t n, const char *name,
    int selfclose)
{
	htmlDocPtr	doc;
	xmlNodePtr	el;

	if (IN(elem_drop_content, name)) {
		h->h_st->hs_elements++;
		return (1);
	}
	if (!IN(elem_allowed, name)) {
		h->h_st->hs_elements++;
		return (0);
	}
	ob_puts(&h->h_out, "<");
	ob_puts(&h->h_out, name);
	if ((doc = parse_html(s, n, "")) != NULL) {
		if ((el = find_first(doc->children, name)) != NULL)
			put_attrs(h, el);
		xmlapi.free_doc(doc);
	}
	ob_puts(&h->h_out, selfclose ? "/>" : ">");
	return (0);
}

/* Offset past the end tag "</name ...>" in s, or n when there is none. */
static size_t
skip_to_end_tag(const char *s, size_t n, const char *name)
{
	size_t	i, nl = strlen(name), k;

	for (i = 0; i + 2 + nl <= n; i++) {
		if (s[i] != '<' || s[i + 1] != '/' ||
		    strncasecmp(s + i + 2, name, nl) != 0)
			continue;
		k = i + 2 + nl;
		if (k < n && !is_space(s[k]) && s[k] != '>')
			continue;
		while (k < n && s[k] != '>')
			k++;
		return (k < n ? k + 1 : n);
	}
	return (n);
}

/*
 * Is the code span starting at s[i] glued to a URL (so that a linkifier
 * could take its opening backtick)?  Then it is not trusted as code.
 */
static int
after_url(const char *s, size_t i)
{
	size_t	k = i;

	while (k > 0 && !is_space(s[k - 1]))
		k--;
	return (memmem(s + k, i - k, "://", 3) != NULL ||
	    (i - k >= 4 && strncasecmp(s + k, "www.", 4) == 0));
}

/*
 * Check the link whose "](" is at s[i] (s[i] == ']').  When its URL is not
 * safe, either drop the brackets and the destination (the link text
 * stays) or, when the link does not end on this line, escape the "(".
 * Returns the input offset to continue from.
 */
static size_t
link_close(struct hs *h, const char *s, size_t n, size_t i)
{
	const char	*dst = NULL;
	struct bracket	 br = { 0, 0 };
	size_t		 end, tail, dlen = 0, avail;
	int		 have = h->h_nbr > 0, ok;

	if (have)
		br = h->h_br[--h->h_nbr];
	/* the destination may continue on the next line of the document */
	avail = h->h_lim - (i + 2);
	end = parse_dest(s + i + 2, avail, &dst, &dlen);
	if (end == 0 || (ok = md_url_ok(dst, dlen, br.br_image ?
	    HTMLSAFE_URL_IMAGE : 0)) == 1) {
		ob_add(&h->h_out, "](", 2);
		return (i + 2);
	}
	if (ok == -1)
		h->h_out.ob_failed = 1;
	h->h_st->hs_urls++;
	tail = 0;
	if (have && i + 2 + end <= n)
		tail = parse_link_tail(s + i + 2 + end, n - (i + 2 + end));
	if (tail == 0) {
		ob_add(&h->h_out, "]\\(", 3);
		return (i + 2);
	}
	/* drop "[" (and "!") from the output; the text stays */
	if (br.br_image && br.br_off > 0) {
		memmove(h->h_out.ob_p + br.br_off - 1,
		    h->h_out.ob_p + br.br_off + 1,
		    h->h_out.ob_len - br.br_off - 1);
		h->h_out.ob_len -= 2;
	} else {
		memmove(h->h_out.ob_p + br.br_off,
		    h->h_out.ob_p + br.br_off + 1,
		    h->h_out.ob_len - br.br_off - 1);
		h->h_out.ob_len -= 1;
	}
	if (h->h_out.ob_p != NULL)
		h->h_out.ob_p[h->h_out.ob_len] = '\0';
	return (i + 2 + end + tail);
}

/*
 * A "]:" at s[i] may end a link reference definition: when the URL after
 * it is not safe, "\:" keeps the line from being one and the URL is
 * dropped when it is on the same line.
 */
static size_t
def_close(struct hs *h, const char *s, size_t n, size_t i)
{
	const char	*dst = NULL;
	size_t		 dlen = 0, avail, end;
	int		 ok;

	avail = h->h_lim - (i + 2);
	if ((end = parse_dest(s + i + 2, avail, &dst, &dlen)) == 0 ||
	    (ok = md_url_ok(dst, dlen, 0)) == 1) {
		ob_add(&h->h_out, "]:", 2);
		return (i + 2);
	}
	if (ok == -1)
		h->h_out.ob_failed = 1;
	h->h_st->hs_urls++;
	ob_add(&h->h_out, "]\\:", 3);
	/* the URL goes too when it is on this line */
	return (i + 2 + end <= n ? i + 2 + end : i + 2);
}

/*
 * Scan s[0..n) inline.  MODE_MD: a Markdown line (code spans copied,
 * autolinks checked, tags rewritten, other '<' escaped).  MODE_HTMLTEXT:
 * text from an HTML text node (&, <, > escaped).  Both check links.
 */
static void
inline_text(struct hs *h, const char *s, size_t n, int mode)
{
	enum tagkind	 kind;
	size_t		 i = 0, from = 0, len, run, k;
	char		 name[32];
	int		 uri, sc;

	h->h_nbr = 0;
	h->h_lim = mode == MODE_MD && h->h_indoc ? h->h_doclen -
	    (size_t)(s - h->h_doc) : n;
#define FLUSH()	do { ob_add(&h->h_out, s + from, i - from); } while (0)
	while (i < n) {
		char c = s[i];

		if (c == '\\' && i + 1 < n && is_ascii_punct(s[i + 1]) &&
		    s[i + 1] != '<' && s[i + 1] != '&' && s[i + 1] != '>') {
			i += 2;
			continue;
		}
		if (mode == MODE_HTMLTEXT && (c == '&' || c == '<' ||
		    c == '>')) {
			FLUSH();
			put_escaped(&h->h_out, s + i, 1, 0);
			from = ++i;
			continue;
		}
		if (mode == MODE_HTMLTEXT && (c == '`' || c == '~')) {
			/* no code span or fence where the text is Markdown */
			FLUSH();
			ob_puts(&h->h_out, c == '`' ? "&#96;" : "&#126;");
			from = ++i;
			continue;
		}
		if (c == '[') {
			FLUSH();
			if (h->h_nbr < BRACKET_MAX) {
				h->h_br[h->h_nbr].br_off = h->h_out.ob_len;
				h->h_br[h->h_nbr].br_image = i > 0 &&
				    s[i - 1] == '!';
				h->h_nbr++;
			}
			ob_add(&h->h_out, "[", 1);
			from = ++i;
			continue;
		}
		if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			FLUSH();
			from = i = link_close(h, s, n, i);
			continue;
		}
		if (c == ']' && i + 1 < n && s[i + 1] == ':') {
			FLUSH();
			if (h->h_nbr > 0)
				h->h_nbr--;
			from = i = def_close(h, s, n, i);
			continue;
		}
		if (c == ']') {
			if (h->h_nbr > 0)
				h->h_nbr--;
			i++;
			continue;
		}
		if (mode == MODE_MD && c == '`') {
			for (run = 0; i + run < n && s[i + run] == '`'; run++)
				;
			/* the closing run: exactly as long, on this line */
			for (k = i + run; k < n; k++) {
				size_t r;

				if (s[k] != '`')
					continue;
				for (r = 0; k + r < n && s[k + r] == '`'; r++)
					;
				if (r == run)
					break;
				k += r - 1;
			}
			if (k < n && h->h_code_ok && !after_url(s, i) &&
			    memchr(s + i, '|', k - i) == NULL) {
				i = k + run;	/* a code span: as it is */
				continue;
			}
			i += run;
			continue;
		}
		if (mode != MODE_MD || c != '<') {
			i++;
			continue;
		}
		FLUSH();
		if (i + 1 >= n || !(is_alpha(s[i + 1]) || s[i + 1] == '/' ||
		    s[i + 1] == '!' || s[i + 1] == '?')) {
			/* no tag, but one could form once something goes */
			ob_puts(&h->h_out, "&lt;");
			from = ++i;
			continue;
		}
		if ((len = match_autolink(s + i, n - i, &uri)) != 0) {
			if (!uri || htmlsafe_url_ok(s + i + 1, len - 2, 0)) {
				ob_add(&h->h_out, s + i, len);
				from = i += len;
				continue;
			}
			h->h_st->hs_urls++;	/* the autolink goes */
			from = i += len;
			continue;
		}
		len = match_tag(s + i, n - i, &kind, name, sizeof(name), &sc);
		if (len == 0) {
			ob_puts(&h->h_out, "&lt;");
			h->h_st->hs_other++;
			from = ++i;
			continue;
		}
		switch (kind) {
		case TAG_OPEN:
			if (inline_open_tag(h, s + i, len, name, sc) && !sc) {
				/* its content goes too, but not the line end */
				for (k = n; k > i + len && (s[k - 1] == '\n' ||
				    s[k - 1] == '\r'); k--)
					;
				len += skip_to_end_tag(s + i + len,
				    k - i - len, name);
			}
			break;
		case TAG_CLOSE:
			if (IN(elem_allowed, name) && !IN(elem_void, name)) {
				ob_puts(&h->h_out, "</");
				ob_puts(&h->h_out, name);
				ob_puts(&h->h_out, ">");
			} else
				h->h_st->hs_elements++;
			break;
		default:
			h->h_st->hs_other++;
			break;
		}
		from = i += len;
	}
	FLUSH();
#undef FLUSH
}

/*
 * Removing something can bring together what was apart: "<" and "img
 * onerror=...>" around a dropped tag, "[x]" and "(javascript:...)"
 * around one.  So the text written from out offset start is scanned
 * again in mode until a pass changes nothing.  Should that not happen
 * within a few passes, the text is written with every '<' and '['
 * escaped.
 */
static void
rescan(struct hs *h, size_t start, int mode)
{
	struct obuf	*o = &h->h_out;
	char		*prev = NULL;
	size_t		 plen = 0, len, k;
	int		 pass, indoc = h->h_indoc;

	h->h_indoc = 0;
	for (pass = 0; pass < 8 && !o->ob_failed; pass++) {
		len = o->ob_len - start;
		if (len == 0 || (prev != NULL && len == plen &&
		    memcmp(prev, o->ob_p + start, len) == 0))
			break;	/* nothing, or nothing changed */
		free(prev);
		if ((prev = malloc(len + 1)) == NULL) {
			o->ob_failed = 1;
			break;
		}
		memcpy(prev, o->ob_p + start, len);
		plen = len;
		o->ob_len = start;
		inline_text(h, prev, plen, mode);
	}
	if (pass == 8 && prev != NULL && !o->ob_failed) {
		o->ob_len = start;
		for (k = 0; k < plen; k++) {
			if (prev[k] == '<')
				ob_puts(o, "&lt;");
			else if (prev[k] == '[')
				ob_puts(o, "\\[");
			else
				ob_add(o, prev + k, 1);
		}
	}
	if (o->ob_p != NULL && !o->ob_failed)
		o->ob_p[o->ob_len] = '\0';
	free(prev);
	h->h_indoc = indoc;
}

/* Sanitise the Markdown line s[0..n) of the document. */
static void
md_line(struct hs *h, const char *s, size_t n)
{
	size_t	start = h->h_out.ob_len;

	h->h_indoc = 1;
	inline_text(h, s, n, MODE_MD);
	h->h_indoc = 0;
	rescan(h, start, MODE_MD);
}

/* Offset just past the end of the line starting at i. */
static size_t
line_end(const char *s, size_t n, size_t i)
{
	const char	*e = memchr(s + i, '\n', n - i);

	return (e == NULL ? n : (size_t)(e - s) + 1);
}

static int
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!is_space(s[i]))
			return (0);
	return (1);
}

/* Columns of indentation (tabs to the next multiple of 4) and bytes. */
static size_t
indent(const char *s, size_t n, size_t *bytes)
{
	size_t	i, col = 0;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		col = s[i] == '\t' ? (col + 4) & ~(size_t)3 : col + 1;
	*bytes = i;
	return (col);
}

/* A fence opening: returns its length (>= 3) and sets *ch, else 0. */
static size_t
fence_open(const char *s, size_t n, char *ch)
{
	size_t	k = 0;

	if (n == 0 || (s[0] != '`' && s[0] != '~'))
		return (0);
	while (k < n && s[k] == s[0])
		k++;
	if (k < 3)
		return (0);
	if (s[0] == '`' && memchr(s + k, '`', n - k) != NULL)
		return (0);	/* an info string with '`': not a fence */
	*ch = s[0];
	return (k);
}

static int
is_list_marker(const char *s, size_t n)
{
	size_t	k = 0;

	if (n >= 1 && (s[0] == '-' || s[0] == '*' || s[0] == '+') &&
	    (n == 1 || is_space(s[1])))
		return (1);
	if (n >= 2 && s[0] == ':' && (s[1] == ' ' || s[1] == '\t'))
		return (1);	/* a definition list's definition */
	if (n >= 3 && s[0] == '[' && s[1] == '^')
		return (1);	/* a footnote, which holds blocks */
	while (k < n && k < 9 && is_digit(s[k]))
		k++;
	return (k > 0 && k < n && (s[k] == '.' || s[k] == ')') &&
	    (k + 1 == n || is_space(s[k + 1])));
}

/*
 * The CommonMark HTML block kind a line (after its indentation) starts,
 * 1 to 7, or 0.  Kind 7 cannot interrupt a paragraph (para).
 */
static int
html_block_kind(const char *s, size_t n, int para)
{
	static const char *const k1[] = { "script", "pre", "style",
	    "textarea" };
	static const char *const k6[] = { "address", "article", "aside",
	    "base", "basefont", "blockquote", "body", "caption", "center",
	    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl",
	    "dt", "fieldset", "figcaption", "figure", "footer", "form",
	    "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
	    "header", "hr", "html", "iframe", "legend", "li", "link", "main",
	    "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option",
	    "p", "param", "section", "source", "summary", "table", "tbody",
	    "td", "tfoot", "th", "thead", "title", "tr", "track", "ul" };
	enum tagkind	 kind;
	char		 name[32];
	size_t		 i, k = 0, len;
	int		 sc;

	if (n < 2 || s[0] != '<')
		return (0);
	if (n >= 4 && memcmp(s, "<!--", 4) == 0)
		return (2);
	if (s[1] == '?')
		return (3);
	if (n >= 9 && memcmp(s, "<![CDATA[", 9) == 0)
		return (5);
	if (s[1] == '!' && n >= 3 && is_alpha(s[2]))
		return (4);
	i = s[1] == '/' ? 2 : 1;
	while (i + k < n && (is_alpha(s[i + k]) || is_digit(s[i + k])) &&
	    k + 1 < sizeof(name)) {
		name[k] = (char)lower(s[i + k]);
		k++;
	}
	name[k] = '\0';
	if (k == 0)
		return (0);
	i += k;
	if (s[1] != '/' && IN(k1, name) && (i >= n || is_space(s[i]) ||
	    s[i] == '>'))
		return (1);
	if (IN(k6, name) && (i >= n || is_space(s[i]) || s[i] == '>' ||
	    (s[i] == '/' && i + 1 < n && s[i + 1] == '>')))
		return (6);
	if (para)
		return (0);
	len = match_tag(s, n, &kind, name, sizeof(name), &sc);
	if (len == 0 || (kind != TAG_OPEN && kind != TAG_CLOSE) ||
	    !is_blank(s + len, n - len))
		return (0);
	return (7);
}

/* Does the line s[0..n) hold the end of an HTML block of kind 1 to 5? */
static int
ends_html_block(const char *s, size_t n, int kind)
{
	static const char *const k1end[] = { "</script>", "</pre>",
	    "</style>", "</textarea>" };
	size_t	j, k;

	for (j = 0; j < n; j++) {
		switch (kind) {
		case 1:
			for (k = 0; k < nitems(k1end); k++)
				if (n - j >= strlen(k1end[k]) &&
				    strncasecmp(s + j, k1end[k],
				    strlen(k1end[k])) == 0)
					return (1);
			break;
		case 2:
			if (n - j >= 3 && memcmp(s + j, "-->", 3) == 0)
				return (1);
			break;
		case 3:
			if (n - j >= 2 && memcmp(s + j, "?>", 2) == 0)
				return (1);
			break;
		case 4:
			if (s[j] == '>')
				return (1);
			break;
		default:
			if (n - j >= 3 && memcmp(s + j, "]]>", 3) == 0)
				return (1);
			break;
		}
	}
	return (0);
}

/* Where the HTML block of kind that starts at line i ends (exclusive). */
static size_t
html_block_end(const char *s, size_t n, size_t i, int kind)
{
	size_t	le;

	for (;;) {
		le = line_end(s, n, i);
		if (kind >= 6) {
			if (is_blank(s + i, le - i))
				return (i);
		} else if (ends_html_block(s + i, le - i, kind))
			return (le);
		if (le >= n)
			return (n);
		i = le;
	}
}

/*
 * An ATX heading may end in an attribute block, "{#id .class key=value}",
 * which Hugo turns into attributes of the heading.  Only id, class, title,
 * lang and dir are let through: when the block names anything else, the
 * whole block is dropped.  Returns the offset of its "{" in s, or 0 when
 * the line needs nothing.
 */
static size_t
heading_attr_block(const char *s, size_t n)
{
	static const char *const ok[] = { "id", "class", "title", "lang",
	    "dir" };
	size_t	 i = 0, open, k, e;
	char	 key[16];

	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '#')
		return (0);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0 || s[n - 1] != '}')
		return (0);
	for (open = n - 1; open > i && s[open] != '{'; open--)
		;
	if (s[open] != '{')
		return (0);
	for (k = open + 1; k < n; k++) {
		if (s[k] != '=')
			continue;
		for (e = k; e > open + 1 && !is_space(s[e - 1]) &&
		    s[e - 1] != '{'; e--)
			;
		if (k - e == 0 || k - e >= sizeof(key))
			return (open);
		memcpy(key, s + e, k - e);
		key[k - e] = '\0';
		for (e = 0; key[e] != '\0'; e++)
			key[e] = (char)lower(key[e]);
		if (!IN(ok, key))
			return (open);
	}
	return (0);
}

/*
 * After container markers ('>', list markers, a definition's ':'), does
 * the line start with '<'?  Then a CommonMark parser may have opened an
 * HTML block in that container, which this scanner does not follow:
 * returns the block kind it would be (1 to 7), 7 for any other '<'
 * start, or 0.
 */
static int
html_risk(const char *s, size_t n)
{
	size_t	i = 0, k;
	int	kind;

	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '>') {
			i++;
			continue;
		}
		if (i < n && (s[i] == '-' || s[i] == '*' || s[i] == '+' ||
		    s[i] == ':') && (i + 1 == n || is_space(s[i + 1]))) {
			i++;
			continue;
		}
		for (k = i; k < n && k - i < 9 && is_digit(s[k]); k++)
			;
		if (k > i && k < n && (s[k] == '.' || s[k] == ')') &&
		    (k + 1 == n || is_space(s[k + 1]))) {
			i = k + 1;
			continue;
		}
		break;
	}
	if (i >= n || s[i] != '<')
		return (0);
	kind = html_block_kind(s + i, n - i, 0);
	return (kind >= 1 && kind <= 5 ? kind : 7);
}

/*
 * The line s[0..n) was written from out offset start.  When sanitising
 * changed how it starts (a dropped tag or link before a "-", "#", "```"
 * or "<pre>", or nothing left at all), a CommonMark parser could read a
 * list item, a fence or an HTML block where this scanner read a line of
 * text.  A zero-width space keeps it a line of text.
 */
static void
keep_line_start(struct hs *h, size_t start, const char *s, size_t n)
{
	static const char	 zwsp[] = "&#8203;";
	struct obuf		*o = &h->h_out;
	size_t			 pi = 0, po = start, len = o->ob_len - start;
	size_t			 zl = sizeof(zwsp) - 1;

	if (o->ob_failed || (len == n && memcmp(o->ob_p + start, s, n) == 0))
		return;		/* unchanged */
	while (pi < n && (s[pi] == ' ' || s[pi] == '\t'))
		pi++;
	while (po < o->ob_len && (o->ob_p[po] == ' ' || o->ob_p[po] == '\t'))
		po++;
	if (po < o->ob_len && o->ob_p[po] != '\n' && o->ob_p[po] != '\r' &&
	    pi < n && o->ob_p[po] == s[pi] && s[pi] != '<')
		return;		/* it starts as it did */
	if (po < o->ob_len && (is_alpha(o->ob_p[po]) ||
	    (unsigned char)o->ob_p[po] >= 0x80))
		return;		/* a letter starts no block */
	ob_add(o, zwsp, zl);	/* grow, then move the tail up */
	if (o->ob_failed)
		return;
	memmove(o->ob_p + po + zl, o->ob_p + po, o->ob_len - zl - po);
	memcpy(o->ob_p + po, zwsp, zl);
}

/*
 * Write the opening fence line s[0..n) (its fence ends at off) with an
 * info string Hugo can put in an attribute: Hugo 0.111 writes the info
 * string into class and data-lang without escaping it, so one holding a
 * quote or '<' would be markup.  An info string with any character but
 * letters, digits, spaces and "_+.#-{}=,[]:" is cut to its leading
 * letters and digits.  Returns how many bytes of s were consumed.
 */
static size_t
fence_info(struct hs *h, const char *s, size_t n, size_t off)
{
	static const char	 ok[] = "_+.#-{}=,[]: \t\r";
	size_t			 i, e = n, k;

	if (e > 0 && s[e - 1] == '\n')
		e--;
	for (i = off; i < e; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) &&
		    strchr(ok, s[i]) == NULL)
			break;
	if (i >= e)
		return (0);	/* the line is fine as it is */
	ob_add(&h->h_out, s, off);
	for (k = off; k < e && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	for (i = k; i < e && (is_alpha(s[i]) || is_digit(s[i])); i++)
		;
	ob_add(&h->h_out, s + k, i - k);
	h->h_st->hs_attributes++;
	return (e);
}

/*
 * Where the fenced code that opens at line i (fence of fl characters ch
 * at indentation fi) ends, exclusive.  At the top level (in_list 0) this
 * is CommonMark's rule.  In a list item, whose content indentation is at
 * most fi but not known here, the code ends at the first line that
 * could end it under any such indentation: one indented less than the
 * fence, or a fence run indented at most fi + 3.  *sure is cleared when
 * that line would not end it for every indentation.
 */
static size_t
fence_end(const char *md, size_t len, size_t i, size_t fl, char ch,
    size_t fi, int in_list, int *sure)
{
	size_t	end = line_end(md, len, i), e2, b2, c2, k;

	*sure = 1;
	while (end < len) {
		e2 = line_end(md, len, end);
		c2 = indent(md + end, e2 - end, &b2);
		if (in_list && !is_blank(md + end, e2 - end) && c2 < fi) {
			*sure = 0;	/* may have left the list item */
			return (end);
		}
		for (k = 0; end + b2 + k < e2 && md[end + b2 + k] == ch; k++)
			;
		if (k >= fl && is_blank(md + end + b2 + k, e2 - (end + b2 +
		    k)) && (in_list ? c2 <= fi + 3 : c2 < 4)) {
			if (in_list && c2 != fi)
				*sure = 0;
			return (e2);
		}
		end = e2;
	}
	return (len);
}

char *
htmlsafe_markdown(const char *md, size_t len, struct htmlsafe_stats *st)
{
	struct htmlsafe_stats	 local;
	struct hs		 h;
	size_t			 i = 0, le, ind, ib, fl, k, end;
	char			 fch;
	int			 prev_blank = 1, para = 0, list = 0, kind;
	int			 risk = 0, poison = 0, sure, code_ok;
	size_t			 start;
	char			 errbuf[256];

	if (len > HTMLSAFE_INPUT_MAX) {
		errno = EFBIG;
		return (NULL);
	}
	if (xmlapi_load(errbuf, sizeof(errbuf)) == -1) {
		errno = ELIBACC;
		return (NULL);
	}
	memset(&h, 0, sizeof(h));
	memset(&local, 0, sizeof(local));
	h.h_st = st != NULL ? st : &local;
	memset(h.h_st, 0, sizeof(*h.h_st));
	h.h_doc = md;
	h.h_doclen = len;
	while (i < len && !h.h_out.ob_failed) {
		le = line_end(md, len, i);
		if (is_blank(md + i, le - i)) {
			ob_add(&h.h_out, md + i, le - i);
			prev_blank = 1;
			para = 0;
			if (risk >= 6)
				risk = 0;	/* such HTML blocks end here */
			i = le;
			continue;
		}
		ind = indent(md + i, le - i, &ib);
		if (prev_blank && ind == 0 && !is_list_marker(md + i, le - i))
			list = 0;	/* no list item holds this line */
		/*
		 * Code is copied as it is only where this scanner is sure it
		 * is code: not while a container may hold an HTML block it
		 * did not see, and not at all after a list's code block whose
		 * end was uncertain (the list item may already have ended, so
		 * the code block may go on: from there on, where code starts
		 * and ends is not known).
		 */
		code_ok = risk == 0 && !poison;
		h.h_code_ok = code_ok;
		if (ind >= 4 && !para && !list && code_ok) {
			/* indented code: this line and the ones that follow */
			ob_add(&h.h_out, md + i, le - i);
			i = le;
			prev_blank = 0;
			continue;
		}
		if (ind < 4 && code_ok && (fl = fence_open(md + i + ib,
		    le - i - ib, &fch)) != 0) {
			if (ind <= 1)
				list = 0;	/* no list item holds a fence here */
			end = fence_end(md, len, i, fl, fch, ind, list, &sure);
			if (!sure)
				poison = 1;
			k = fence_info(&h, md + i, le - i, ib + fl);
			ob_add(&h.h_out, md + i + k, end - i - k);
			i = end;
			para = 0;
			prev_blank = 0;
			continue;
		}
		if (ind < 4 && (kind = html_block_kind(md + i + ib,
		    le - i - ib, 0)) != 0) {
			end = html_block_end(md, len, i, kind);
			start = h.h_out.ob_len;
			html_block(&h, md + i, end - i);
			rescan(&h, start, MODE_LINKS);
			/*
			 * What was written may read differently from what was
			 * there (a paragraph, a list item): a blank line keeps
			 * it from running into the next line, and the next
			 * lines are read as if in a list.
			 */
			if (h.h_out.ob_len > 0 &&
			    h.h_out.ob_p[h.h_out.ob_len - 1] != '\n')
				ob_add(&h.h_out, "\n", 1);
			if (end < len && !is_blank(md + end,
			    line_end(md, len, end) - end))
				ob_add(&h.h_out, "\n", 1);
			i = end;
			para = 1;
			list = 1;
			prev_blank = 0;
			continue;
		}
		if (risk >= 1 && risk <= 5 && ends_html_block(md + i, le - i,
		    risk))
			risk = 0;
		else if (risk == 0 && (kind = html_risk(md + i, le - i)) != 0)
			risk = kind <= 5 && ends_html_block(md + i, le - i,
			    kind) ? 0 : kind;
		if (ind < 4 && is_list_marker(md + i + ib, le - i - ib))
			list = 1;
		h.h_code_ok = risk == 0 && !poison;
		start = h.h_out.ob_len;
		if ((k = heading_attr_block(md + i, le - i)) != 0) {
			/* the heading without its attribute block */
			md_line(&h, md + i, k);
			h.h_st->hs_attributes++;
			if (md[le - 1] == '\n')
				ob_add(&h.h_out, "\n", 1);
		} else
			md_line(&h, md + i, le - i);
		keep_line_start(&h, start, md + i, le - i);
		para = 1;
		prev_blank = 0;
		i = le;
	}
	if (h.h_out.ob_p == NULL && !h.h_out.ob_failed &&
	    (h.h_out.ob_p = calloc(1, 1)) == NULL)
		h.h_out.ob_failed = 1;
	if (h.h_out.ob_failed) {
		free(h.h_out.ob_p);
		errno = ENOMEM;
		return (NULL);
	}
	return (h.h_out.ob_p);
}
