/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * render.c: owns the exact layout of an article file.  The front matter is
 * emitted with sorted keys and every string double-quoted through
 * yaml_quote(), so titles with quotes, colons, '#', a leading '-', "---",
 * newlines or emoji read back unchanged in any YAML parser and in Hugo.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "item.h"
#include "render.h"
#include "text.h"
#include "urlnorm.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml.h"

#define ZWSP	"\xe2\x80\x8b"	/* U+200B ZERO WIDTH SPACE */

const char *
render_platform_label(const struct item *it)
{
	char		*lc;
	const char	*ret;
	size_t		 i;

	lc = xstrdup(it->it_url);
	for (i = 0; lc[i] != '\0'; i++)
		lc[i] = (char)tolower((unsigned char)lc[i]);
	if (strstr(lc, "github.com") != NULL)
		ret = "GitHub";
	else if (strstr(lc, "arxiv.org") != NULL)
		ret = "arXiv";
	else
		ret = it->it_source;
	free(lc);
	return (ret);
}

static int
is_blank(const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)line[i]))
			return (0);
	return (1);
}

/* Heading level (1-6) of a Markdown ATX heading line, or 0. */
static int
heading_level(const char *line, size_t len)
{
	size_t	n = 0;

	while (n < len && line[n] == '#')
		n++;
	if (n == 0 || n > 6 || (n < len && line[n] != ' ' && line[n] != '\t'))
		return (0);
	return ((int)n);
}

/* 1 when a heading's text is "References", "Sources" or similar. */
static int
is_references_heading(const char *line, size_t len)
{
	static const char *const names[] = { "references", "sources",
	    "reference list", "sources and references", "references and sources",
	    "bibliography", "citations" };
	char	 text[64] = "";
	size_t	 i, n = 0, start;

	start = 0;
	while (start < len && line[start] == '#')
		start++;
	while (start < len && isspace((unsigned char)line[start]))
		start++;
	for (i = start; i < len && n < sizeof(text) - 1; i++)
		if (line[i] != '*' && line[i] != ':')
			text[n++] = (char)tolower((unsigned char)line[i]);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	text[n] = '\0';
	for (i = 0; i < nitems(names); i++)
		if (strcmp(text, names[i]) == 0)
			return (1);
	return (0);
}

/*
 * 1 when the line is the start of an attribution block the model wrote
 * itself ("> **Attribution:** This article was based on content by ...",
 * "*This article is based on content by ...*"): the article gets ours.
 */
static int
is_attribution(const char *line, size_t len)
{
	static const char *const starts[] = { "attribution:",
	    "attribution :", "this article was based on content by",
	    "this article is based on content by",
	    "this article was based on a post by",
	    "this article is based on a post by", "based on content by" };
	char	 text[64];
	size_t	 i = 0, n = 0;

	while (i < len && (line[i] == '>' || line[i] == '*' || line[i] == '_' ||
	    isspace((unsigned char)line[i])))
		i++;
	for (; i < len && n < sizeof(text) - 1; i++)
		if (line[i] != '*' && line[i] != '_')
			text[n++] = (char)tolower((unsigned char)line[i]);
	text[n] = '\0';
	for (i = 0; i < nitems(starts); i++)
		if (strncmp(text, starts[i], strlen(starts[i])) == 0)
			return (1);
	return (0);
}

/* 1 for "Original: <url>", the second line of an attribution block. */
static int
is_original_line(const char *line, size_t len)
{
	size_t	i = 0;

	while (i < len && (line[i] == '>' || line[i] == '*' || line[i] == '_' ||
	    isspace((unsigned char)line[i])))
		i++;
	return (len - i >= 9 && strncasecmp(line + i, "original:", 9) == 0);
}

/* 1 for a setext H1 underline: "===" (any number), nothing else. */
static int
is_setext_h1(const char *line, size_t len)
{
	size_t	i = 0;

	while (i < len && line[i] == ' ' && i < 3)
		i++;
	if (i >= len || line[i] != '=')
		return (0);
	while (i < len && line[i] == '=')
		i++;
	return (is_blank(line + i, len - i));
}

/*
 * render_clean_body: see render.h.  The rules, line by line:
 *  - before the first line of prose, blank lines and H1 lines are
 *    dropped (the page has its title already), and so are quote lines on
 *    the general route; the list route keeps its opening quote, but an H1
 *    after it is still dropped;
 *  - an H1 further down (ATX "# x" or setext "x\n===") becomes an H2:
 *    the body never holds an H1, on any route;
 *  - an attribution block the model wrote ("> **Attribution:** ...",
 *    "> Original: ...") is dropped wherever it is: the page gets exactly
 *    one, ours;
 *  - the model's References or Sources section is dropped (ours lists
 *    its links), and Hugo shortcode openers are broken up.
 */
char *
render_clean_body(const char *raw, enum route_generator gen)
{
	struct buf	 b;
	const char	*p = raw, *nl, *q;
	size_t		 len, prev_start = 0;
	int		 leading = 1, skip_level = 0, level, in_fence = 0;
	int		 in_attribution = 0, prev_text = 0, prev_first = 0;
	int		 first_pending = 1;

	buf_init(&b);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (!in_fence) {
			if (in_attribution && !is_blank(p, len) &&
			    (p[0] == '>' || is_original_line(p, len)))
				goto next;
			in_attribution = 0;
			if (is_attribution(p, len)) {
				in_attribution = 1;
				goto next;
			}
		}
		if (leading) {
			if (is_blank(p, len)) {
				/* one blank line after a kept opening quote */
				if (b.b_len > 0 && (b.b_len < 2 ||
				    b.b_data[b.b_len - 2] != '\n'))
					buf_putc(&b, '\n');
				goto next;
			}
			if (heading_level(p, len) == 1)
				goto next;
			if (p[0] == '>') {
				if (gen == ROUTE_GENERAL)
					goto next;
			} else
				leading = 0;
		}
		if (len >= 3 && (strncmp(p, "```", 3) == 0 ||
		    strncmp(p, "~~~", 3) == 0))
			in_fence = !in_fence;
		level = in_fence ? 0 : heading_level(p, len);
		if (skip_level > 0) {
			if (level == 0 || level > skip_level)
				goto next;
			skip_level = 0;
		}
		if (level > 0 && is_references_heading(p, len)) {
			skip_level = level;
			goto next;
		}
		if (!in_fence && prev_text && is_setext_h1(p, len)) {
			if (prev_first) {
				/* the title as "Title\n=====": drop both */
				b.b_len = prev_start;
				b.b_data[b.b_len] = '\0';
				leading = 1;
				first_pending = 1;
			} else {
				buf_puts(&b, "## ");
				memmove(b.b_data + prev_start + 3,
				    b.b_data + prev_start, b.b_len - 3 -
				    prev_start);
				memcpy(b.b_data + prev_start, "## ", 3);
			}
			prev_text = 0;
			goto next;
		}
		prev_start = b.b_len;
		prev_first = 0;
		if (!leading && first_pending) {
			prev_first = 1;
			first_pending = 0;
		}
		prev_text = !in_fence && level == 0 && !is_blank(p, len) &&
		    p[0] != '>';
		if (level == 1)
			buf_putc(&b, '#');	/* "# x" becomes "## x" */
		/* neutralise Hugo shortcode openers */
		for (q = p; q < p + len; q++) {
			buf_putc(&b, *q);
			if (q[0] == '{' && q + 2 < p + len && q[1] == '{' &&
			    (q[2] == '<' || q[2] == '%')) {
				buf_putc(&b, '{');
				buf_puts(&b, ZWSP);
				q++;
			}
		}
		buf_putc(&b, '\n');
next:
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	/* trim trailing whitespace */
	while (b.b_len > 0 && isspace((unsigned char)b.b_data[b.b_len - 1]))
		b.b_data[--b.b_len] = '\0';
	/* and leading blank lines a dropped block left behind */
	len = 0;
	while (len < b.b_len && (b.b_data[len] == '\n'))
		len++;
	if (len > 0) {
		memmove(b.b_data, b.b_data + len, b.b_len - len + 1);
		b.b_len -= len;
	}
	return (buf_detach(&b));
}

/*
 * Markdown link text with the characters that would end it escaped, and
 * Hugo shortcode openers ("{{%", "{{<") broken up as in
 * render_clean_body(): the text comes from the enriched file (author,
 * title), and Hugo would run a shortcode found there, or fail the build
 * when it does not exist.
 */
static void
put_md_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r') {
			buf_putc(b, ' ');
			continue;
		}
		if (s[0] == '{' && s[1] == '{' && (s[2] == '<' || s[2] == '%')) {
			buf_puts(b, "{{" ZWSP);
			s++;
			continue;
		}
		if (strchr("\\[]*_`<>", *s) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

/*
 * A link destination with the characters that would end it encoded, and
 * braces, which a URL may not hold raw, encoded so that no "{{" reaches
 * Hugo.
 */
static void
put_md_url(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case ' ':
			buf_puts(b, "%20");
			break;
		case '(':
			buf_puts(b, "%28");
			break;
		case ')':
			buf_puts(b, "%29");
			break;
		case '<':
			buf_puts(b, "%3C");
			break;
		case '>':
			buf_puts(b, "%3E");
			break;
		case '{':	/* never a shortcode opener */
			buf_puts(b, "%7B");
			break;
		case '}':
			buf_puts(b, "%7D");
			break;
		default:
			if ((unsigned char)*s < 0x20)
				buf_printf(b, "%%%02X", (unsigned char)*s);
			else
				buf_putc(b, *s);
		}
	}
}

struct link_list {
	char	**ll_urls;
	size_t	  ll_n;
};

static int
link_seen(const struct link_list *l, const char *url)
{
	size_t	i;

	for (i = 0; i < l->ll_n; i++)
		if (strcmp(l->ll_urls[i], url) == 0)
			return (1);
	return (0);
}

static void
link_add(struct link_list *l, char *url)
{
	l->ll_urls = xreallocarray(l->ll_urls, l->ll_n + 1, sizeof(char *));
	l->ll_urls[l->ll_n++] = url;
}

/*
 * Every distinct inline link "[text](http...)" of body, normalised, in
 * order of first appearance, skipping those already in seen.
 */
static void
collect_links(const char *body, struct link_list *seen, struct link_list *out)
{
	const char	*p = body, *start, *end;
	char		*raw, *norm;
	int		 depth;

	while ((p = strstr(p, "](")) != NULL) {
		start = p + 2;
		p = start;
		while (*start == ' ' || *start == '<')
			start++;
		if (strncmp(start, "http://", 7) != 0 &&
		    strncmp(start, "https://", 8) != 0)
			continue;
		depth = 0;
		for (end = start; *end != '\0'; end++) {
			if (*end == '(')
				depth++;
			else if (*end == ')') {
				if (depth == 0)
					break;
				depth--;
			} else if (isspace((unsigned char)*end) || *end == '>')
				break;
		}
		raw = xstrndup(start, (size_t)(end - start));
		norm = url_normalize(raw);
		free(raw);
		if (norm == NULL)
			continue;
		if (link_seen(seen, norm) || link_seen(out, norm)) {
			free(norm);
			continue;
		}
		link_add(out, norm);
	}
}

static int
cost_cmp(const void *a, const void *b)
{
	const struct render_cost *ca = a, *cb = b;

	return (strcmp(ca->rc_op, cb->rc_op));
}

static void
put_costs(struct buf *b, const struct render_cost *costs, size_t n)
{
	struct render_cost	*sorted;
	size_t			 i;

	if (n == 0) {
		buf_puts(b, "generation_costs: {}\n");
		return;
	}
	sorted = xreallocarray(NULL, n, sizeof(*sorted));
	memcpy(sorted, costs, n * sizeof(*sorted));
	/* insertion sort: stable, so amounts of one op keep their order */
	for (i = 1; i < n; i++) {
		struct render_cost	t = sorted[i];
		size_t			j = i;

		while (j > 0 && cost_cmp(&sorted[j - 1], &t) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = t;
	}
	buf_puts(b, "generation_costs:\n");
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(sorted[i].rc_op, sorted[i - 1].rc_op) != 0)
			buf_printf(b, "  %s:\n", sorted[i].rc_op);
		buf_puts(b, "  - ");
		yaml_float(b, round(sorted[i].rc_amount * 1e8) / 1e8);
		buf_putc(b, '\n');
	}
	free(sorted);
}

/*
 * The tags: the item's topics through text_tag(), empty ones and
 * repeats (ASCII case ignored) left out, at most TAGS_MAX.  However long
 * or strange a topic is, its tag is a short, plain name Hugo can make a
 * page of.
 */
static void
put_tags(struct buf *b, const struct item *it)
{
	char	*tags[TAGS_MAX], *t;
	size_t	 i, j, n = 0;

	for (i = 0; i < it->it_ntopics && n < TAGS_MAX; i++) {
		t = text_tag(it->it_topics[i]);
		for (j = 0; j < n; j++)
			if (strcasecmp(tags[j], t) == 0)
				break;
		if (t[0] == '\0' || j < n) {
			free(t);
			continue;
		}
		tags[n++] = t;
	}
	if (n == 0) {
		buf_puts(b, "tags: []\n");
		return;
	}
	buf_puts(b, "tags:\n");
	for (i = 0; i < n; i++) {
		buf_puts(b, "- ");
		yaml_quote(b, tags[i]);
		buf_putc(b, '\n');
		free(tags[i]);
	}
}

static void
put_front_matter(struct buf *b, const struct render_input *in,
    const char *normurl)
{
	const struct item	*it = in->ri_item;
	char			 date[32];

	buf_puts(b, "---\n");
	buf_puts(b, "action_run_id: ");
	if (in->ri_run_id != NULL && *in->ri_run_id != '\0')
		yaml_quote(b, in->ri_run_id);
	else
		buf_puts(b, "null");
	format_utc_iso(date, sizeof(date), in->ri_date);
	buf_printf(b, "\ndate: %s\n", date);
	buf_puts(b, "description: ");
	yaml_quote(b, in->ri_summary);
	buf_putc(b, '\n');
	if (in->ri_draft)
		buf_puts(b, "draft: true\n");
	put_costs(b, in->ri_costs, in->ri_ncosts);
	buf_puts(b, "generator: ");
	yaml_quote(b, in->ri_generator);
	buf_printf(b, "\nillustrations_count: %d\n", in->ri_illustrations);
	buf_puts(b, "models_used:\n  content: ");
	yaml_quote(b, in->ri_model_content);
	buf_puts(b, "\n  title: ");
	yaml_quote(b, in->ri_model_title);
	buf_puts(b, "\nreading_time: ");
	{
		char	rt[32];

		(void)snprintf(rt, sizeof(rt), "%d min read", in->ri_minutes);
		yaml_quote(b, rt);
	}
	buf_puts(b, "\nsources:\n- author: ");
	yaml_quote(b, it->it_author);
	buf_puts(b, "\n  platform: ");
	yaml_quote(b, it->it_source);
	buf_puts(b, "\n  quality_score: ");
	yaml_float(b, it->it_quality);
	buf_puts(b, "\n  url: ");
	yaml_quote(b, normurl);
	buf_puts(b, "\nsummary: ");
	yaml_quote(b, in->ri_summary);
	buf_putc(b, '\n');
	put_tags(b, it);
	buf_puts(b, "title: ");
	yaml_quote(b, in->ri_title);
	buf_printf(b, "\nword_count: %zu\n", in->ri_words);
	if (in->ri_cover_fm != NULL)	/* cover_front_matter() */
		buf_puts(b, in->ri_cover_fm);
	if (in->ri_kept_fm != NULL)	/* the replaced post's own keys */
		buf_puts(b, in->ri_kept_fm);
	buf_puts(b, "---\n\n");
}

char *
render_article(const struct render_input *in, const char *raw_body)
{
	const struct item	*it = in->ri_item;
	struct link_list	 seen = { NULL, 0 }, links = { NULL, 0 };
	struct buf		 b;
	char			*normurl, *host;
	const char		*label;
	size_t			 i;

	normurl = url_normalize(it->it_url);
	if (normurl == NULL)
		normurl = xstrdup(it->it_url);
	label = render_platform_label(it);
	buf_init(&b);
	put_front_matter(&b, in, normurl);

	buf_puts(&b, "> **Attribution:** This article was based on content by "
	    "**@");
	put_md_text(&b, it->it_author);
	buf_puts(&b, "** on **");
	put_md_text(&b, label);
	buf_puts(&b, "**.  \n> Original: ");
	put_md_url(&b, normurl);
	buf_puts(&b, "\n\n");
	buf_puts(&b, in->ri_body);

	link_add(&seen, xstrdup(normurl));
	collect_links(raw_body, &seen, &links);
	buf_puts(&b, "\n\n## References\n\n- [");
	put_md_text(&b, it->it_title);
	buf_puts(&b, "](");
	put_md_url(&b, normurl);
	buf_puts(&b, ") — @");
	put_md_text(&b, it->it_author);
	buf_puts(&b, " on ");
	put_md_text(&b, label);
	buf_putc(&b, '\n');
	for (i = 0; i < links.ll_n; i++) {
		host = url_host(links.ll_urls[i]);
		buf_puts(&b, "- [");
		put_md_text(&b, host != NULL ? host : links.ll_urls[i]);
		buf_puts(&b, "](");
		put_md_url(&b, links.ll_urls[i]);
		buf_puts(&b, ")\n");
		free(host);
	}
	for (i = 0; i < links.ll_n; i++)
		free(links.ll_urls[i]);
	free(links.ll_urls);
	for (i = 0; i < seen.ll_n; i++)
		free(seen.ll_urls[i]);
	free(seen.ll_urls);
	free(normurl);
	return (buf_detach(&b));
}
