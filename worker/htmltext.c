/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * htmltext.c: turns HTML into the plain text that the enrichment prompt
 * and the collected items carry.  libxml2's HTML parser builds the tree
 * (it copes with the tag soup of real pages and decodes entities); this
 * file walks it, drops the elements that are page furniture rather than
 * content, and lays the rest out as paragraphs.  libxml2 is called
 * through xmlapi.h, loaded on the first extraction.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "htmltext.h"
#include "utf8.h"
#include "xmalloc.h"
#include "xmlapi.h"

/* How deep the walk goes; deeper nodes are ignored, not recursed into. */
#define HTMLTEXT_DEPTH_MAX	256

enum ht_break {
	HT_NONE = 0,
	HT_SPACE,
	HT_LINE,
	HT_PARA,
};

struct ht_walk {
	struct buf	 w_out;
	size_t		 w_max;
	size_t		 w_links;
	enum ht_break	 w_pending;
	int		 w_full;
	int		 w_pre;		/* inside <pre> */
};

static const char *const ht_dropped[] = {
	"script", "style", "nav", "header", "footer", "aside", "form",
	"noscript", "template", "svg", "iframe", "head", "button", "select",
	"object", "canvas", "dialog", "menu",
};

static const char *const ht_blocks[] = {
	"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
	"dl", "dt", "dd", "pre", "blockquote", "section", "article", "main",
	"table", "tr", "figure", "figcaption", "hr", "address", "details",
	"summary", "body", "html",
};

static int
ht_in(const char *name, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return (1);
	return (0);
}

static void
ht_want_break(struct ht_walk *w, enum ht_break b)
{
	if (b > w->w_pending)
		w->w_pending = b;
}

/* Append n bytes of text, first the pending separator; honours the cap. */
static void
ht_emit(struct ht_walk *w, const char *s, size_t n)
{
	size_t		 room, cut;
	const char	*sep = "";

	if (w->w_full || n == 0)
		return;
	if (w->w_out.b_len > 0) {
		switch (w->w_pending) {
		case HT_PARA:
			sep = "\n\n";
			break;
		case HT_LINE:
			sep = "\n";
			break;
		case HT_SPACE:
			sep = " ";
			break;
		case HT_NONE:
		default:
			break;
		}
	}
	/* no separator without at least one byte of text after it */
	if (w->w_out.b_len + strlen(sep) >= w->w_max) {
		w->w_full = 1;
		return;
	}
	buf_puts(&w->w_out, sep);
	w->w_pending = HT_NONE;
	room = w->w_out.b_len < w->w_max ? w->w_max - w->w_out.b_len : 0;
	if (n > room) {
		/* back up to the start of a UTF-8 sequence */
		cut = room;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		buf_append(&w->w_out, s, cut);
		w->w_full = 1;
		return;
	}
	buf_append(&w->w_out, s, n);
}

/* A text node: words separated by single spaces, or verbatim in <pre>. */
static void
ht_text(struct ht_walk *w, const char *s)
{
	size_t	n, sp;

	if (w->w_pre) {
		/* keep the lines, emit each separately so breaks count */
		while (*s != '\0' && !w->w_full) {
			n = strcspn(s, "\n");
			ht_emit(w, s, n);
			if (s[n] == '\n') {
				if (w->w_out.b_len > 0)
					ht_want_break(w, HT_LINE);
				n++;
			}
			s += n;
		}
		return;
	}
	while (*s != '\0' && !w->w_full) {
		if ((sp = utf8_space_len(s, strlen(s))) > 0) {
			if (w->w_out.b_len > 0)
				ht_want_break(w, HT_SPACE);
			s += sp;
			continue;
		}
		for (n = 0; s[n] != '\0' &&
		    utf8_space_len(s + n, strlen(s + n)) == 0; n++)
			continue;
		ht_emit(w, s, n);
		s += n;
	}
}

static void
ht_walk_node(struct ht_walk *w, xmlNode *node, int depth)
{
	xmlNode		*c;
	const char	*name;
	int		 block, pre;

	if (depth > HTMLTEXT_DEPTH_MAX)
		return;
	for (c = node; c != NULL && !w->w_full; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content != NULL)
				ht_text(w, (const char *)c->content);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE || c->name == NULL)
			continue;
		name = (const char *)c->name;
		if (ht_in(name, ht_dropped, nitems(ht_dropped)))
			continue;
		if (strcasecmp(name, "br") == 0) {
			ht_want_break(w, HT_LINE);
			continue;
		}
		if (strcasecmp(name, "a") == 0 &&
		    xmlapi.has_prop(c, (const xmlChar *)"href") != NULL)
			w->w_links++;
		block = ht_in(name, ht_blocks, nitems(ht_blocks));
		pre = strcasecmp(name, "pre") == 0;
		if (block)
			ht_want_break(w, HT_PARA);
		if (pre)
			w->w_pre++;
		ht_walk_node(w, c->children, depth + 1);
		if (pre)
			w->w_pre--;
		if (block)
			ht_want_break(w, HT_PARA);
		else if (strcasecmp(name, "td") == 0 ||
		    strcasecmp(name, "th") == 0)
			ht_want_break(w, HT_SPACE);
	}
}

/* The text of the first <title> under node, whitespace collapsed. */
static char *
ht_find_title(xmlNode *node, int depth)
{
	struct ht_walk	 w;
	xmlNode		*c;
	xmlChar		*s;
	char		*t;

	if (depth > HTMLTEXT_DEPTH_MAX)
		return (NULL);
	for (c = node; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcasecmp((const char *)c->name, "title") == 0) {
			if ((s = xmlapi.node_get_content(c)) == NULL)
				return (NULL);
			memset(&w, 0, sizeof(w));
			buf_init(&w.w_out);
			w.w_max = 1024;
			ht_text(&w, (const char *)s);
			xmlapi.free(s);
			if (w.w_out.b_len == 0) {
				buf_release(&w.w_out);
				return (NULL);
			}
			return (buf_detach(&w.w_out));
		}
		if ((t = ht_find_title(c->children, depth + 1)) != NULL)
			return (t);
	}
	return (NULL);
}

int
htmltext_extract(const char *html, size_t len, const char *charset,
    size_t maxbytes, struct htmltext *ht, char *errbuf, size_t errlen)
{
	struct ht_walk	 w;
	htmlDocPtr	 doc;
	xmlNode		*root;
	char		*raw;

	memset(ht, 0, sizeof(*ht));
	if (len > (size_t)INT32_MAX) {
		(void)snprintf(errbuf, errlen, "HTML of %zu bytes is too large",
		    len);
		return (-1);
	}
	if (len == 0) {
		ht->ht_text = xstrdup("");
		return (0);
	}
	if (xmlapi_load(errbuf, errlen) == -1)
		return (-1);
	xmlapi.init_parser();
	doc = xmlapi.html_read_memory(html, (int)len, NULL,
	    charset != NULL && *charset != '\0' ? charset : "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
	if (doc == NULL) {
		(void)snprintf(errbuf, errlen, "the HTML parser could not "
		    "read the %zu bytes", len);
		return (-1);
	}
	memset(&w, 0, sizeof(w));
	buf_init(&w.w_out);
	w.w_max = maxbytes;
	/* NOIMPLIED: a fragment's nodes are the document's children */
	root = doc->children;
	ht->ht_title = ht_find_title(root, 0);
	ht_walk_node(&w, root, 0);
	xmlapi.free_doc(doc);
	while (w.w_out.b_len > 0 && (w.w_out.b_data[w.w_out.b_len - 1] ==
	    ' ' || w.w_out.b_data[w.w_out.b_len - 1] == '\n'))
		w.w_out.b_data[--w.w_out.b_len] = '\0';
	raw = buf_detach(&w.w_out);
	ht->ht_text = utf8_scrub(raw, strlen(raw));
	free(raw);
	ht->ht_links = w.w_links;
	ht->ht_truncated = w.w_full;
	return (0);
}

void
htmltext_release(struct htmltext *ht)
{
	free(ht->ht_text);
	free(ht->ht_title);
	memset(ht, 0, sizeof(*ht));
}

void
htmltext_charset(const char *content_type, char *out, size_t outlen)
{
	const char	*p;
	size_t		 n;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (content_type == NULL)
		return;
	for (p = content_type; (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) != 0)
			continue;
		p += 8;
		if (*p == '"')
			p++;
		n = strcspn(p, "\"; \t");
		if (n == 0 || n >= outlen)
			return;
		memcpy(out, p, n);
		out[n] = '\0';
		return;
	}
}

int
htmltext_looks_html(const char *data, size_t len)
{
	size_t	i;

	if (len > 1024)
		len = 1024;
	for (i = 0; i + 1 < len; i++)
		if (data[i] == '<' && (isalpha((unsigned char)data[i + 1]) ||
		    data[i + 1] == '!' || data[i + 1] == '/'))
			return (1);
	return (0);
}
