/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * keptfm.c: owns which front matter keys of a replaced post survive its
 * replacement, and their text.  A YAML key is kept as the lines it was
 * written on, from its key's line to the next key's, so nested maps,
 * lists, block scalars and comments come back exactly as written; a JSON
 * key is written as "key: <JSON value>".  The result is parsed once more
 * on its own before it is used, so that nothing kept can break the new
 * front matter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <yaml.h>

#include "buf.h"
#include "frontmatter.h"
#include "keptfm.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml.h"

/*
 * The keys render.c writes (check_render.c renders an article and checks
 * that each of its keys is here), and "source", the legacy form of
 * "sources".
 */
static const char *const owned_keys[] = {
	"action_run_id", "date", "description", "draft", "generation_costs",
	"generator", "illustrations_count", "models_used", "reading_time",
	"source", "sources", "summary", "tags", "title", "word_count",
};

int
keptfm_owned_key(const char *key)
{
	size_t	i;

	for (i = 0; i < nitems(owned_keys); i++)
		if (strcmp(owned_keys[i], key) == 0)
			return (1);
	return (0);
}

/* The offset of line (0-based) in text, or len when it has fewer. */
static size_t
line_offset(const char *text, size_t len, size_t line)
{
	size_t	off = 0;
	const char *nl;

	while (line-- > 0) {
		if ((nl = memchr(text + off, '\n', len - off)) == NULL)
			return (len);
		off = (size_t)(nl - text) + 1;
	}
	return (off);
}

/* Append text[from, to) without its trailing blank lines, newline-ended. */
static void
put_lines(struct buf *b, const char *text, size_t from, size_t to)
{
	while (to > from && (text[to - 1] == '\n' || text[to - 1] == ' ' ||
	    text[to - 1] == '\t' || text[to - 1] == '\r'))
		to--;
	if (to == from)
		return;
	buf_append(b, text + from, to - from);
	buf_putc(b, '\n');
}

/* The kept keys of YAML front matter text into b; 0, or -1 with why. */
static int
kept_yaml(const char *text, size_t len, struct buf *b, char *why,
    size_t whylen)
{
	yaml_parser_t		 parser;
	yaml_document_t		 doc;
	yaml_node_t		*root, *key;
	yaml_node_pair_t	*pair;
	size_t			 from, to;
	int			 ret = -1;

	if (!yaml_parser_initialize(&parser))
		fatalx("%s: yaml_parser_initialize", __func__);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(why, whylen, "its YAML front matter cannot be read");
		yaml_parser_delete(&parser);
		return (-1);
	}
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		ret = 0;
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE ||
	    root->data.mapping.style == YAML_FLOW_MAPPING_STYLE) {
		snprintf(why, whylen, "its YAML front matter is not a block "
		    "mapping");
		goto done;
	}
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(&doc, pair->key);
		if (key == NULL || key->type != YAML_SCALAR_NODE ||
		    keptfm_owned_key((const char *)key->data.scalar.value))
			continue;
		from = line_offset(text, len, key->start_mark.line);
		to = len;
		if (pair + 1 < root->data.mapping.pairs.top &&
		    (key = yaml_document_get_node(&doc, pair[1].key)) != NULL)
			to = line_offset(text, len, key->start_mark.line);
		put_lines(b, text, from, to);
	}
	ret = 0;
 done:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return (ret);
}

/* The kept keys of JSON front matter text into b; 0, or -1 with why. */
static int
kept_json(const char *text, struct buf *b, char *why, size_t whylen)
{
	struct json_object	*root;

	if ((root = json_tokener_parse(text)) == NULL ||
	    !json_object_is_type(root, json_type_object)) {
		snprintf(why, whylen, "its JSON front matter cannot be read");
		json_object_put(root);
		return (-1);
	}
	json_object_object_foreach(root, key, val) {
		if (keptfm_owned_key(key))
			continue;
		yaml_quote(b, key);
		buf_puts(b, ": ");
		buf_puts(b, val == NULL ? "null" :
		    json_object_to_json_string_ext(val, JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		buf_putc(b, '\n');
	}
	json_object_put(root);
	return (0);
}

/* 1 when text reads as a YAML mapping on its own. */
static int
reads_back(const char *text)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	yaml_node_t	*root;
	int		 ok = 0;

	if (!yaml_parser_initialize(&parser))
		fatalx("%s: yaml_parser_initialize", __func__);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    strlen(text));
	if (yaml_parser_load(&parser, &doc)) {
		root = yaml_document_get_root_node(&doc);
		ok = root != NULL && root->type == YAML_MAPPING_NODE;
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return (ok);
}

char *
keptfm_read(const char *path, char *why, size_t whylen)
{
	enum fm_format	 format = FM_YAML;
	struct buf	 b;
	char		*text, err[256];
	size_t		 len;
	int		 r;

	why[0] = '\0';
	if ((r = front_matter_read_text(path, &format, &text, &len, err,
	    sizeof(err))) != 1) {
		if (r == -1)
			snprintf(why, whylen, "%s", err);
		return (NULL);
	}
	buf_init(&b);
	if (format == FM_TOML) {
		snprintf(why, whylen, "its front matter is TOML, whose keys "
		    "articlegen does not carry over");
		r = -1;
	} else if (format == FM_JSON)
		r = kept_json(text, &b, why, whylen);
	else
		r = kept_yaml(text, len, &b, why, whylen);
	free(text);
	if (r == 0 && b.b_len > 0 && !reads_back(b.b_data)) {
		snprintf(why, whylen, "its own keys do not read as YAML "
		    "without articlegen's (an alias to a dropped anchor?)");
		r = -1;
	}
	if (r == -1 || b.b_len == 0) {
		buf_release(&b);
		return (NULL);
	}
	return (buf_detach(&b));
}

char *
keptfm_for_replace(const char *path)
{
	char	 why[512], *kept;

	if ((kept = keptfm_read(path, why, sizeof(why))) == NULL &&
	    why[0] != '\0')
		log_warnx("%s: replaced without keeping its own front matter "
		    "keys: %s", path, why);
	return (kept);
}
