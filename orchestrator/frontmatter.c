/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * frontmatter.c: the front matter of one content file, found and read
 * without reading the body, in the three formats Hugo accepts.  The
 * format is told by the file's first bytes (after a UTF-8 byte order
 * mark): a "---" line opens YAML and a "+++" line TOML, each closed by
 * the same line; a '{' opens a JSON object, which ends at its matching
 * '}'.  YAML is read with libyaml and JSON with json-c, so every style
 * either format allows (flow collections, block scalars, anchors,
 * escapes) reads as those languages define it; TOML has no maintained C
 * reader in Debian, so frontmatter_toml.c reads the part of it that
 * front matter uses.  Of what is read only five keys are kept: "date",
 * "title", "tags" (a list of strings), "sources" (a list whose elements
 * may have "url") and the legacy mapping "source" with "url".
 * front_matter_read_text() finds the front matter the same way and
 * hands over its text as written (keptfm.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>
#include <yaml.h>

#include "frontmatter.h"
#include "log.h"
#include "xmalloc.h"

/* Front matter longer than this is not a post's. */
#define FM_READ_MAX	(1024 * 1024)
#define FM_CHUNK	(16 * 1024)
/* Nesting allowed in JSON front matter. */
#define FM_JSON_DEPTH	64

void
front_matter_add_source(struct front_matter *fm, const char *url,
    size_t len, int legacy)
{
	fm->fm_sources = xreallocarray(fm->fm_sources, fm->fm_nsources + 1,
	    sizeof(*fm->fm_sources));
	fm->fm_sources[fm->fm_nsources].fs_url = xstrndup(url, len);
	fm->fm_sources[fm->fm_nsources].fs_legacy = legacy;
	fm->fm_nsources++;
}

void
front_matter_add_tag(struct front_matter *fm, const char *tag, size_t len)
{
	fm->fm_tags = xreallocarray(fm->fm_tags, fm->fm_ntags + 1,
	    sizeof(*fm->fm_tags));
	fm->fm_tags[fm->fm_ntags++] = xstrndup(tag, len);
}

void
front_matter_release(struct front_matter *fm)
{
	size_t	k;

	for (k = 0; k < fm->fm_nsources; k++)
		free(fm->fm_sources[k].fs_url);
	free(fm->fm_sources);
	for (k = 0; k < fm->fm_ntags; k++)
		free(fm->fm_tags[k]);
	free(fm->fm_tags);
	free(fm->fm_title);
	free(fm->fm_date);
	memset(fm, 0, sizeof(*fm));
}

/* ---- YAML, with libyaml ---- */

/* 1 when node is a scalar YAML reads as null ("", "~", "null"). */
static int
yaml_is_null(const yaml_node_t *node)
{
	const char	*v = (const char *)node->data.scalar.value;

	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return (0);
	return (*v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0);
}

/* The text of a non-null scalar node, borrowed, or NULL. */
static const yaml_node_t *
yaml_scalar(yaml_document_t *doc, int id)
{
	yaml_node_t	*node;

	node = yaml_document_get_node(doc, id);
	if (node == NULL || node->type != YAML_SCALAR_NODE ||
	    yaml_is_null(node))
		return (NULL);
	return (node);
}

/* 1 when the node id is a scalar spelled key. */
static int
yaml_key_is(yaml_document_t *doc, int id, const char *key)
{
	const yaml_node_t	*node = yaml_scalar(doc, id);

	return (node != NULL && strcmp((const char *)node->data.scalar.value,
	    key) == 0);
}

/* Add the "url" of the mapping node id, if it has one. */
static void
yaml_add_url(struct front_matter *fm, yaml_document_t *doc, int id,
    int legacy)
{
	const yaml_node_t	*node, *url;
	const yaml_node_pair_t	*pair;

	node = yaml_document_get_node(doc, id);
	if (node == NULL || node->type != YAML_MAPPING_NODE)
		return;
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		if (!yaml_key_is(doc, pair->key, "url") ||
		    (url = yaml_scalar(doc, pair->value)) == NULL)
			continue;
		front_matter_add_source(fm,
		    (const char *)url->data.scalar.value,
		    url->data.scalar.length, legacy);
	}
}

static int
parse_yaml(const char *text, size_t len, size_t first_line,
    struct front_matter *fm, char *err, size_t errlen)
{
	yaml_parser_t		 parser;
	yaml_document_t		 doc;
	yaml_node_t		*root, *val;
	const yaml_node_t	*date, *tag;
	const yaml_node_pair_t	*pair;
	yaml_node_item_t	*el;
	int			 ret = -1;

	if (!yaml_parser_initialize(&parser))
		fatalx("%s: yaml_parser_initialize", __func__);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "line %zu, column %zu: %s",
		    first_line + parser.problem_mark.line,
		    parser.problem_mark.column + 1, parser.problem != NULL ?
		    parser.problem : "not valid YAML");
		yaml_parser_delete(&parser);
		return (-1);
	}
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		ret = 0;		/* empty front matter */
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE) {
		snprintf(err, errlen, "not a mapping of keys to values");
		goto done;
	}
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		val = yaml_document_get_node(&doc, pair->value);
		if (yaml_key_is(&doc, pair->key, "date")) {
			free(fm->fm_date);
			fm->fm_date = NULL;
			if ((date = yaml_scalar(&doc, pair->value)) != NULL)
				fm->fm_date = xstrndup(
				    (const char *)date->data.scalar.value,
				    date->data.scalar.length);
		} else if (yaml_key_is(&doc, pair->key, "title")) {
			free(fm->fm_title);
			fm->fm_title = NULL;
			if ((date = yaml_scalar(&doc, pair->value)) != NULL)
				fm->fm_title = xstrndup(
				    (const char *)date->data.scalar.value,
				    date->data.scalar.length);
		} else if (yaml_key_is(&doc, pair->key, "tags") &&
		    val != NULL && val->type == YAML_SEQUENCE_NODE) {
			for (el = val->data.sequence.items.start;
			    el < val->data.sequence.items.top; el++)
				if ((tag = yaml_scalar(&doc, *el)) != NULL)
					front_matter_add_tag(fm, (const char *)
					    tag->data.scalar.value,
					    tag->data.scalar.length);
		} else if (yaml_key_is(&doc, pair->key, "sources") &&
		    val != NULL && val->type == YAML_SEQUENCE_NODE) {
			for (el = val->data.sequence.items.start;
			    el < val->data.sequence.items.top; el++)
				yaml_add_url(fm, &doc, *el, 0);
		} else if (yaml_key_is(&doc, pair->key, "source"))
			yaml_add_url(fm, &doc, pair->value, 1);
	}
	ret = 0;

 done:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return (ret);
}

/* ---- JSON, with json-c ---- */

/* The string value of key in object o, borrowed, or NULL. */
static const char *
json_str(struct json_object *o, const char *key, size_t *lenp)
{
	struct json_object	*v;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	*lenp = (size_t)json_object_get_string_len(v);
	return (json_object_get_string(v));
}

static int
parse_json(const char *text, size_t len, size_t first_line,
    struct front_matter *fm, char *err, size_t errlen)
{
	struct json_tokener	*tok;
	struct json_object	*root, *v, *t;
	const char		*s;
	size_t			 i, n, end, line;

	if (len > INT32_MAX)
		return (-1);
	if ((tok = json_tokener_new_ex(FM_JSON_DEPTH)) == NULL)
		fatalx("%s: json_tokener_new_ex", __func__);
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		end = json_tokener_get_parse_end(tok);
		for (i = 0, line = first_line; i < end && i < len; i++)
			line += text[i] == '\n';
		snprintf(err, errlen, "line %zu: %s", line, root == NULL ?
		    json_tokener_error_desc(json_tokener_get_error(tok)) :
		    "not a JSON object");
		json_object_put(root);
		json_tokener_free(tok);
		return (-1);
	}
	json_tokener_free(tok);
	if ((s = json_str(root, "date", &n)) != NULL)
		fm->fm_date = xstrndup(s, n);
	if ((s = json_str(root, "title", &n)) != NULL)
		fm->fm_title = xstrndup(s, n);
	if (json_object_object_get_ex(root, "tags", &v) &&
	    json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++) {
			t = json_object_array_get_idx(v, i);
			if (json_object_is_type(t, json_type_string))
				front_matter_add_tag(fm,
				    json_object_get_string(t),
				    (size_t)json_object_get_string_len(t));
		}
	}
	if (json_object_object_get_ex(root, "sources", &v) &&
	    json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++)
			if ((s = json_str(json_object_array_get_idx(v, i),
			    "url", &n)) != NULL)
				front_matter_add_source(fm, s, n, 0);
	}
	if (json_object_object_get_ex(root, "source", &v) &&
	    (s = json_str(v, "url", &n)) != NULL)
		front_matter_add_source(fm, s, n, 1);
	json_object_put(root);
	return (0);
}

int
front_matter_parse(enum fm_format format, const char *text, size_t len,
    size_t first_line, struct front_matter *fm, char *err, size_t errlen)
{
	fm->fm_format = format;
	switch (format) {
	case FM_YAML:
		return (parse_yaml(text, len, first_line, fm, err, errlen));
	case FM_TOML:
		return (front_matter_parse_toml(text, len, first_line, fm,
		    err, errlen));
	case FM_JSON:
		return (parse_json(text, len, first_line, fm, err, errlen));
	}
	return (-1);
}

/* ---- finding the front matter ---- */

/*
 * 1 when the len bytes at s are the line marker ("---" or "+++"),
 * blanks and a CR allowed after it.
 */
static int
is_marker(const char *s, size_t len, const char *marker)
{
	size_t	n;

	if (len < 3 || strncmp(s, marker, 3) != 0)
		return (0);
	for (n = 3; n < len; n++)
		if (s[n] != ' ' && s[n] != '\t' && s[n] != '\r')
			return (0);
	return (1);
}

/*
 * The end of the JSON object starting at data[start] (one past its '}'),
 * or 0 when it does not end in the len bytes: braces and brackets are
 * counted outside strings.
 */
static size_t
json_end(const char *data, size_t len, size_t start)
{
	size_t	i, depth = 0;
	int	instr = 0, esc = 0;

	for (i = start; i < len; i++) {
		if (instr) {
			if (esc)
				esc = 0;
			else if (data[i] == '\\')
				esc = 1;
			else if (data[i] == '"')
				instr = 0;
		} else if (data[i] == '"')
			instr = 1;
		else if (data[i] == '{' || data[i] == '[')
			depth++;
		else if ((data[i] == '}' || data[i] == ']') && --depth == 0)
			return (i + 1);
	}
	return (0);
}

/* Where find_block() found the front matter. */
struct fm_block {
	enum fm_format	 b_format;
	size_t		 b_start;	/* its text, without delimiters */
	size_t		 b_end;
	size_t		 b_line;	/* file line of b_start */
};

/*
 * Find the front matter in the len bytes read so far.  Returns 1 with b
 * filled, 0 when more input is needed, -1 when the file has none, -2
 * when it is not closed (only decided at eof).
 */
static int
find_block(const char *data, size_t len, int eof, struct fm_block *b)
{
	const char	*nl, *marker;
	size_t		 off = 0, ll;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	if (len - off < 3 && !eof)
		return (0);
	if (off < len && data[off] == '{') {
		b->b_format = FM_JSON;
		b->b_start = off;
		b->b_line = 1;
		if ((b->b_end = json_end(data, len, off)) != 0)
			return (1);
		return (eof ? -2 : 0);
	}
	if (len - off >= 3 && memcmp(data + off, "---", 3) == 0) {
		b->b_format = FM_YAML;
		marker = "---";
	} else if (len - off >= 3 && memcmp(data + off, "+++", 3) == 0) {
		b->b_format = FM_TOML;
		marker = "+++";
	} else
		return (-1);
	if ((nl = memchr(data + off, '\n', len - off)) == NULL)
		return (eof ? -1 : 0);
	if (!is_marker(data + off, (size_t)(nl - data) - off, marker))
		return (-1);
	b->b_start = off = (size_t)(nl - data) + 1;
	b->b_line = 2;
	while (off < len) {
		nl = memchr(data + off, '\n', len - off);
		if (nl == NULL && !eof)
			return (0);
		ll = nl != NULL ? (size_t)(nl - data) - off : len - off;
		if (is_marker(data + off, ll, marker)) {
			b->b_end = off;
			return (1);
		}
		if (nl == NULL)
			break;
		off = (size_t)(nl - data) + 1;
	}
	return (eof ? -2 : 0);
}

static const char *
format_name(enum fm_format f)
{
	return (f == FM_JSON ? "JSON" : f == FM_TOML ? "TOML" : "YAML");
}

static const char *
closing_name(enum fm_format f)
{
	return (f == FM_JSON ? "'}'" : f == FM_TOML ? "\"+++\"" : "\"---\"");
}

/*
 * Read the file at path up to the end of its front matter: *datap (owned
 * by the caller, also on error) holds what was read and b says where the
 * front matter is.  Returns 1, 0 when the file has none, or -1 with err
 * saying why.
 */
static int
read_block(const char *path, char **datap, struct fm_block *b, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*data;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd, found = 0, eof = 0, ret = -1;

	*datap = NULL;
	memset(b, 0, sizeof(*b));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		goto done;
	}
	data = *datap = xmalloc(FM_READ_MAX + 1);
	while (found == 0) {
		if (len == FM_READ_MAX) {
			snprintf(err, errlen, "front matter longer than %d "
			    "bytes", FM_READ_MAX);
			goto done;
		}
		r = read(fd, data + len, FM_READ_MAX - len < FM_CHUNK ?
		    FM_READ_MAX - len : FM_CHUNK);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "%s", strerror(errno));
			goto done;
		}
		eof = r == 0;
		len += (size_t)r;
		found = find_block(data, len, eof, b);
	}
	if (found == -1)
		ret = 0;
	else if (found == -2)
		snprintf(err, errlen, "front matter not closed by %s",
		    closing_name(b->b_format));
	else
		ret = 1;

 done:
	close(fd);
	return (ret);
}

int
front_matter_read(const char *path, struct front_matter *fm, char *err,
    size_t errlen)
{
	struct fm_block	 b;
	char		*data, perr[200];
	int		 ret;

	memset(fm, 0, sizeof(*fm));
	if ((ret = read_block(path, &data, &b, err, errlen)) == 1 &&
	    front_matter_parse(b.b_format, data + b.b_start,
	    b.b_end - b.b_start, b.b_line, fm, perr, sizeof(perr)) == -1) {
		snprintf(err, errlen, "%s front matter: %s",
		    format_name(b.b_format), perr);
		ret = -1;
	}
	free(data);
	return (ret);
}

int
front_matter_read_text(const char *path, enum fm_format *format,
    char **text, size_t *len, char *err, size_t errlen)
{
	struct fm_block	 b;
	char		*data;
	int		 ret;

	*text = NULL;
	*len = 0;
	if ((ret = read_block(path, &data, &b, err, errlen)) == 1) {
		*format = b.b_format;
		*len = b.b_end - b.b_start;
		*text = xstrndup(data + b.b_start, *len);
	}
	free(data);
	return (ret);
}
