/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_frontmatter.c: libFuzzer harness for the front matter writer.
 *
 * The input is split at NUL bytes into the strings an article's front
 * matter is made of: title, summary, author, source (platform), the body,
 * then up to six topics.  An item and a render_input are built from them
 * and render_article() writes the file.  The front matter (between the
 * first "---\n" and the next "\n---\n") is then read back with libyaml,
 * a real YAML parser, and must give exactly the input strings: title,
 * summary, description (the summary again), tags (the topics through
 * text_tag(), repeats and empty ones left out, at most TAGS_MAX, none
 * longer than TAG_MAX or holding a path) and sources[0].author and
 * .platform, each after the documented
 * replacement of invalid UTF-8 (every maximal ill-formed subsequence
 * becomes U+FFFD, as yaml.h says).  The expected strings are computed here
 * by code independent of common/utf8.c.  The body that follows must
 * hold no Hugo shortcode opener ("{{<", "{{%"), since Hugo would execute
 * it.  A violation aborts, which libFuzzer records as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "buf.h"
#include "compat.h"
#include "item.h"
#include "render.h"
#include "text.h"
#include "utf8.h"
#include "route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NFIELDS		5	/* title, summary, author, source, body */
#define NTOPICS_MAX	6

static __dead void
fail(const char *why, const char *text)
{
	fprintf(stderr, "fuzz_frontmatter: %s\n--- article ---\n%s\n", why,
	    text);
	abort();
}

/*
 * Length of the well-formed UTF-8 character at s (n bytes left), or 0
 * when it is ill-formed; then *bad is the length of its maximal
 * ill-formed subsequence (Unicode 15, §3.9, Table 3-7 and D93b).
 */
static size_t
utf8_char(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char	lo, hi;
	size_t		need, i;

	*bad = 1;
	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		lo = 0x80;
		hi = 0xbf;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return (0);
	for (i = 1; i < need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return (0);
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return (need);
}

/* s with each maximal ill-formed subsequence replaced by U+FFFD. */
static char *
expected(const char *s)
{
	struct buf	 b;
	size_t		 i, n, len = strlen(s), bad;

	buf_init(&b);
	for (i = 0; i < len; ) {
		n = utf8_char((const unsigned char *)s + i, len - i, &bad);
		if (n == 0) {
			buf_puts(&b, "\xef\xbf\xbd");
			i += bad;
		} else {
			buf_append(&b, s + i, n);
			i += n;
		}
	}
	return (buf_detach(&b));
}

static yaml_node_t *
map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return (NULL);
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    k->data.scalar.length == strlen(key) &&
		    memcmp(k->data.scalar.value, key, strlen(key)) == 0)
			return (yaml_document_get_node(doc, p->value));
	}
	return (NULL);
}

static yaml_node_t *
seq_get(yaml_document_t *doc, yaml_node_t *seq, size_t i)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE ||
	    seq->data.sequence.items.start + i >= seq->data.sequence.items.top)
		return (NULL);
	return (yaml_document_get_node(doc,
	    seq->data.sequence.items.start[i]));
}

/* The scalar node must hold exactly expected(input). */
static void
check_scalar(yaml_node_t *node, const char *input, const char *name,
    const char *text)
{
	char	*want;
	char	 why[128];

	want = expected(input);
	if (node == NULL || node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
	    node->data.scalar.length != strlen(want) ||
	    memcmp(node->data.scalar.value, want, strlen(want)) != 0) {
		snprintf(why, sizeof(why), "%s does not read back as written",
		    name);
		fail(why, text);
	}
	free(want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct render_input	 in;
	struct item		 it;
	yaml_parser_t		 parser;
	yaml_document_t		 doc;
	yaml_node_t		*root, *tags, *src;
	char			*copy, *field[NFIELDS + NTOPICS_MAX];
	char			*text, *fm_end, *cleaned, *want_tags[TAGS_MAX];
	const char		*p, *end;
	size_t			 nfield = 0, i, fmlen, ntags = 0;

	/* The input as NUL-separated strings (a final NUL is implied). */
	if ((copy = malloc(size + 1)) == NULL)
		return (0);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy, end = copy + size; nfield < NFIELDS + NTOPICS_MAX; ) {
		field[nfield++] = (char *)(uintptr_t)p;
		p += strlen(p);
		if (p >= end)
			break;
		p++;
	}
	for (i = nfield; i < NFIELDS; i++)
		field[i] = copy + size;		/* "" */
	if (nfield < NFIELDS)
		nfield = NFIELDS;

	memset(&it, 0, sizeof(it));
	it.it_id = (char *)(uintptr_t)"fuzz";
	it.it_title = field[0];
	it.it_content = (char *)(uintptr_t)"";
	it.it_author = field[2];
	it.it_source = field[3];
	it.it_url = (char *)(uintptr_t)"https://example.com/story";
	it.it_quality = 0.75;
	it.it_topics = field + NFIELDS;
	it.it_ntopics = nfield - NFIELDS;

	cleaned = render_clean_body(field[4], ROUTE_GENERAL);
	memset(&in, 0, sizeof(in));
	in.ri_item = &it;
	in.ri_title = field[0];
	in.ri_body = cleaned;
	in.ri_summary = field[1];
	in.ri_words = 1;
	in.ri_minutes = 1;
	in.ri_generator = "General Article Generator";
	in.ri_model_content = "gpt-5-mini";
	in.ri_model_title = "gpt-5-nano";
	in.ri_date = 1767225600;
	text = render_article(&in, field[4]);

	if (strncmp(text, "---\n", 4) != 0 ||
	    (fm_end = strstr(text + 3, "\n---\n")) == NULL)
		fail("no front matter block", text);
	fmlen = (size_t)(fm_end + 1 - (text + 4));
	if (strstr(fm_end, "{{<") != NULL || strstr(fm_end, "{{%") != NULL)
		fail("a Hugo shortcode opener in the page body", text);

	if (!yaml_parser_initialize(&parser))
		fail("yaml_parser_initialize", text);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text + 4,
	    fmlen);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "fuzz_frontmatter: libyaml: %s at line %zu\n",
		    parser.problem != NULL ? parser.problem : "?",
		    parser.problem_mark.line + 1);
		fail("front matter is not valid YAML", text);
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE)
		fail("front matter is not a mapping", text);
	check_scalar(map_get(&doc, root, "title"), field[0], "title", text);
	check_scalar(map_get(&doc, root, "summary"), field[1], "summary",
	    text);
	check_scalar(map_get(&doc, root, "description"), field[1],
	    "description", text);
	src = seq_get(&doc, map_get(&doc, root, "sources"), 0);
	check_scalar(map_get(&doc, src, "author"), field[2], "author", text);
	check_scalar(map_get(&doc, src, "platform"), field[3], "platform",
	    text);
	/* the tags: the topics through text_tag(), repeats and empties out */
	for (i = 0; i < it.it_ntopics && ntags < TAGS_MAX; i++) {
		char	*t = text_tag(it.it_topics[i]);
		size_t	 j;

		for (j = 0; j < ntags; j++)
			if (strcasecmp(want_tags[j], t) == 0)
				break;
		if (t[0] == '\0' || j < ntags) {
			free(t);
			continue;
		}
		if (utf8_len(t) > TAG_MAX || strchr(t, '/') != NULL ||
		    strchr(t, '\\') != NULL || strchr(t, '\n') != NULL ||
		    t[0] == ' ' || t[0] == '.')
			fail("a tag that is too long or holds a path", text);
		want_tags[ntags++] = t;
	}
	tags = map_get(&doc, root, "tags");
	if (tags == NULL || tags->type != YAML_SEQUENCE_NODE ||
	    (size_t)(tags->data.sequence.items.top -
	    tags->data.sequence.items.start) != ntags)
		fail("tags is not the list of normalised topics", text);
	for (i = 0; i < ntags; i++) {
		check_scalar(seq_get(&doc, tags, i), want_tags[i], "tag",
		    text);
		free(want_tags[i]);
	}

	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	free(cleaned);
	free(copy);
	return (0);
}
