/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * mermaid.c: owns what "a valid diagram" means before one is put in an
 * article.  It is not a Mermaid parser: it accepts a conservative subset
 * of the language (the one the diagram prompt asks for) and refuses code
 * that would fail to render or could run something in a reader's browser.
 * A refused diagram costs only itself: the article is written without it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "compat.h"
#include "mermaid.h"
#include "xmalloc.h"

enum mm_type {
	MM_FLOWCHART = 0,
	MM_SEQUENCE,
	MM_CLASS,
	MM_STATE,
	MM_ER,
	MM_PIE,
	MM_GANTT,
	MM_MINDMAP,
	MM_TIMELINE,
};

static const struct {
	const char	*name;
	enum mm_type	 type;
} mm_types[] = {
	{ "flowchart",		MM_FLOWCHART },
	{ "graph",		MM_FLOWCHART },
	{ "sequenceDiagram",	MM_SEQUENCE },
	{ "classDiagram",	MM_CLASS },
	{ "classDiagram-v2",	MM_CLASS },
	{ "stateDiagram",	MM_STATE },
	{ "stateDiagram-v2",	MM_STATE },
	{ "erDiagram",		MM_ER },
	{ "pie",		MM_PIE },
	{ "gantt",		MM_GANTT },
	{ "mindmap",		MM_MINDMAP },
	{ "timeline",		MM_TIMELINE },
};

static const char *const mm_directions[] = { "TD", "TB", "LR", "RL", "BT" };

#define MM_BLOCKS_MAX	32	/* nesting depth of sequence blocks */

/* The state of one check: where we are and what was seen so far. */
struct mm_check {
	char		*c_err;
	size_t		 c_errlen;
	int		 c_line;		/* 1-based, of the code */
	enum mm_type	 c_type;
	/* flowchart */
	char		*c_nodes[MERMAID_MAX_NODES + 1];
	size_t		 c_nnodes;
	int		 c_links;
	int		 c_subgraphs;
	/* sequence diagram */
	char		 c_blocks[MM_BLOCKS_MAX][16];
	int		 c_nblocks;
	int		 c_messages;
	/* class, state and ER diagrams: open "{" blocks */
	int		 c_braces;
	int		 c_content;	/* lines after the header */
};

static int	mm_fail(struct mm_check *, const char *, ...) PRINTFLIKE(2, 3);

/* Set the error message, prefixed with the line number; returns -1. */
static int
mm_fail(struct mm_check *c, const char *fmt, ...)
{
	va_list	ap;
	char	msg[256];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->c_line > 0)
		(void)snprintf(c->c_err, c->c_errlen, "line %d: %s", c->c_line,
		    msg);
	else
		(void)snprintf(c->c_err, c->c_errlen, "%s", msg);
	return (-1);
}

static int
is_id_char(int ch)
{
	return (isalnum((unsigned char)ch) || ch == '_');
}

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return (p);
}

/* 1 when s starts with word followed by a blank or the end. */
static int
starts_word(const char *s, const char *word)
{
	size_t	n = strlen(word);

	return (strncmp(s, word, n) == 0 && (s[n] == '\0' || s[n] == ' ' ||
	    s[n] == '\t'));
}

/* Read an id ([A-Za-z0-9_]+) at *pp into id; 0, or -1 when none. */
static int
read_id(const char **pp, char *id, size_t idlen)
{
	const char	*p = *pp;
	size_t		 n = 0;

	while (is_id_char(*p)) {
		if (n + 1 < idlen)
			id[n++] = *p;
		p++;
	}
	if (p == *pp)
		return (-1);
	id[n] = '\0';
	*pp = p;
	return (0);
}

/*
 * Check that the brackets ( [ { of s (len bytes) close in order and that
 * double quotes pair up; text inside quotes is not looked at.  Returns
 * NULL, or a static description of the first problem.
 */
static const char *
balance(const char *s, size_t len)
{
	char	stack[64];
	size_t	i, n = 0;
	int	quoted = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		switch (s[i]) {
		case '(':
		case '[':
		case '{':
			if (n == sizeof(stack))
				return ("brackets nested too deeply");
			stack[n++] = s[i];
			break;
		case ')':
			if (n == 0 || stack[--n] != '(')
				return ("unbalanced ')'");
			break;
		case ']':
			if (n == 0 || stack[--n] != '[')
				return ("unbalanced ']'");
			break;
		case '}':
			if (n == 0 || stack[--n] != '{')
				return ("unbalanced '}'");
			break;
		default:
			break;
		}
	}
	if (quoted)
		return ("unclosed '\"'");
	if (n > 0)
		return (stack[n - 1] == '(' ? "unclosed '('" : stack[n - 1] ==
		    '[' ? "unclosed '['" : "unclosed '{'");
	return (NULL);
}

static int
check_balance(struct mm_check *c, const char *s)
{
	const char	*why;

	if ((why = balance(s, strlen(s))) != NULL)
		return (mm_fail(c, "%s", why));
	return (0);
}

/* 1 when s (case-insensitively) contains needle. */
static int
has_ci(const char *s, const char *needle)
{
	return (strcasestr(s, needle) != NULL);
}

/*
 * The checks on the whole text: size, characters, fences and everything
 * that could run in a browser or in Hugo.
 */
static int
check_safety(struct mm_check *c, const char *code)
{
	static const char *const banned[] = { "javascript:", "vbscript:",
	    "url(", "@import", "%%{", "{{<", "{{%", "```", "~~~", "<script",
	    "&#", "\\u003c" };
	const char	*p;
	size_t		 i, lines = 1;

	if (strlen(code) > MERMAID_MAX_BYTES)
		return (mm_fail(c, "the diagram is %zu bytes, more than %d",
		    strlen(code), MERMAID_MAX_BYTES));
	for (p = code; *p != '\0'; p++) {
		if (*p == '\n')
			lines++;
		else if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r')
			return (mm_fail(c, "control character 0x%02x",
			    (unsigned char)*p));
		else if (*p == 0x7f)
			return (mm_fail(c, "control character 0x7f"));
	}
	if (lines > MERMAID_MAX_LINES)
		return (mm_fail(c, "the diagram has %zu lines, more than %d",
		    lines, MERMAID_MAX_LINES));
	for (i = 0; i < nitems(banned); i++)
		if (has_ci(code, banned[i]))
			return (mm_fail(c, "'%s' is not allowed in a diagram",
			    banned[i]));
	for (p = code; (p = strchr(p, '<')) != NULL; p++) {
		if (p[1] == '<') {	/* <<annotation>> */
			p++;
			continue;
		}
		if (!isalpha((unsigned char)p[1]) && p[1] != '/' && p[1] != '!')
			continue;
		if (strncasecmp(p, "<br>", 4) == 0 ||
		    strncasecmp(p, "<br/>", 5) == 0 ||
		    strncasecmp(p, "<br />", 6) == 0)
			continue;
		return (mm_fail(c, "HTML tags other than <br> are not "
		    "allowed in a diagram"));
	}
	return (0);
}

/* Remember a flowchart node id; -1 past MERMAID_MAX_NODES. */
static int
fc_add_node(struct mm_check *c, const char *id)
{
	size_t	i;

	if (strcmp(id, "end") == 0)
		return (mm_fail(c, "'end' cannot be a node id"));
	for (i = 0; i < c->c_nnodes; i++)
		if (strcmp(c->c_nodes[i], id) == 0)
			return (0);
	if (c->c_nnodes == MERMAID_MAX_NODES)
		return (mm_fail(c, "more than %d nodes", MERMAID_MAX_NODES));
	c->c_nodes[c->c_nnodes++] = xstrdup(id);
	return (0);
}

/*
 * A node shape with its label at *pp, e.g. "[label]", "(label)",
 * "{{label}}", "[/label/]", ">label]" or ["quoted label"].  Unquoted
 * labels may not hold brackets or quotes (Mermaid fails on them).
 * Returns 1 and advances *pp past the shape, 0 when there is no shape,
 * -1 on a broken one.
 */
static int
fc_shape(struct mm_check *c, const char **pp)
{
	static const struct {
		const char	*open, *close;
	} shapes[] = {
		{ "(((", ")))" }, { "([", "])" }, { "[(", ")]" },
		{ "[[", "]]" }, { "((", "))" }, { "{{", "}}" },
		{ "[/", "/]" }, { "[/", "\\]" }, { "[\\", "\\]" },
		{ "[\\", "/]" }, { "[", "]" }, { "(", ")" }, { "{", "}" },
		{ ">", "]" },
	};
	const char	*p = *pp, *q, *end;
	size_t		 i, olen, clen;
	int		 any = 0;

	for (i = 0; i < nitems(shapes); i++) {
		olen = strlen(shapes[i].open);
		clen = strlen(shapes[i].close);
		if (strncmp(p, shapes[i].open, olen) != 0)
			continue;
		any = 1;
		q = p + olen;
		if (*q == '"') {
			if ((end = strchr(q + 1, '"')) == NULL)
				return (mm_fail(c, "unclosed '\"' in a node "
				    "label"));
			if (strncmp(end + 1, shapes[i].close, clen) != 0)
				continue;
			*pp = end + 1 + clen;
			return (1);
		}
		if ((end = strstr(q, shapes[i].close)) == NULL)
			continue;
		if (end == q || strcspn(q, "\"[](){}") < (size_t)(end - q))
			continue;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q == end)
			continue;
		*pp = end + clen;
		return (1);
	}
	if (any)
		return (mm_fail(c, "a node label is not closed, or holds "
		    "brackets or quotes without being quoted"));
	return (0);
}

/* One node: id, optional shape, optional ":::class". */
static int
fc_node(struct mm_check *c, const char **pp)
{
	char	id[64];

	if (read_id(pp, id, sizeof(id)) == -1)
		return (mm_fail(c, "expected a node id at '%.20s'", *pp));
	if (fc_add_node(c, id) == -1)
		return (-1);
	if (fc_shape(c, pp) == -1)
		return (-1);
	if (strncmp(*pp, ":::", 3) == 0) {
		*pp += 3;
		if (read_id(pp, id, sizeof(id)) == -1)
			return (mm_fail(c, "expected a class name after ':::'"));
	}
	return (0);
}

/*
 * The end of an arrow at *pp: '>', or 'o'/'x' followed by a blank.
 * Returns 1 when one was taken, 0 when there is none, -1 when an id
 * sticks to the arrow ("--oB": Mermaid reads a circle end).
 */
static int
fc_arrow_end(struct mm_check *c, const char **pp)
{
	const char	*p = *pp;

	if (*p == '>') {
		*pp = p + 1;
		return (1);
	}
	if (*p == 'o' || *p == 'x') {
		if (is_id_char(p[1]))
			return (mm_fail(c, "a node id starting with '%c' sticks "
			    "to an arrow: put a blank before it", *p));
		*pp = p + 1;
		return (1);
	}
	return (0);
}

/*
 * A plain arrow at *pp: "--" "-" ... with an optional end, "==" ... or
 * "-.-" with dots.  Returns 1 (advanced), 0 (no arrow there), -1.
 */
static int
fc_arrow(struct mm_check *c, const char **pp)
{
	const char	*p = *pp;
	size_t		 n = 0;
	int		 end;

	if (p[0] == '-' && p[1] == '.') {
		p++;
		while (*p == '.')
			p++;
		if (*p != '-')
			return (mm_fail(c, "a dotted arrow must end in '-'"));
		p++;
		if (fc_arrow_end(c, &p) == -1)
			return (-1);
		*pp = p;
		return (1);
	}
	if (!((p[0] == '-' && p[1] == '-') || (p[0] == '=' && p[1] == '=')))
		return (0);
	while (p[n] == p[0])
		n++;
	p += n;
	if ((end = fc_arrow_end(c, &p)) == -1)
		return (-1);
	if (end == 0 && n < 3)
		return (mm_fail(c, "an arrow needs at least three '%c' or an "
		    "end ('>', 'o', 'x')", **pp));
	*pp = p;
	return (1);
}

/*
 * A link at *pp: an optional start ('<', or 'o'/'x' before the line), an
 * arrow, or the text forms "-- text -->", "== text ==>", "-. text .->",
 * then an optional |label|.  Returns 1, 0 (no link) or -1.
 */
static int
fc_link(struct mm_check *c, const char **pp)
{
	const char	*p = *pp, *t, *close;
	int		 r;

	if (*p == '<' || ((*p == 'o' || *p == 'x') && (p[1] == '-' ||
	    p[1] == '=')))
		p++;
	if ((p[0] == '-' || p[0] == '=') && p[1] == p[0] && p[2] == ' ') {
		/* "-- text -->" */
		t = skip_ws(p + 2);
		close = p[0] == '-' ? strstr(t, "--") : strstr(t, "==");
		if (close == NULL || close == t)
			return (mm_fail(c, "a link text after '%.2s' has no "
			    "closing arrow", p));
		p = close;
	} else if (p[0] == '-' && p[1] == '.' && p[2] == ' ') {
		/* "-. text .->" */
		t = skip_ws(p + 2);
		if ((close = strstr(t, ".-")) == NULL || close == t)
			return (mm_fail(c, "a dotted link text has no closing "
			    "'.-'"));
		p = close + 2;
		if (fc_arrow_end(c, &p) == -1)
			return (-1);
		goto label;
	}
	if ((r = fc_arrow(c, &p)) <= 0) {
		if (r == 0 && p != *pp)
			return (mm_fail(c, "'%c' is not followed by an arrow",
			    **pp));
		return (r);
	}
label:
	p = skip_ws(p);
	if (*p == '|') {
		if ((close = strchr(p + 1, '|')) == NULL)
			return (mm_fail(c, "unclosed '|' link label"));
		t = skip_ws(p + 1);
		if (t == close)
			return (mm_fail(c, "empty '|' link label"));
		if (balance(p + 1, (size_t)(close - p - 1)) != NULL)
			return (mm_fail(c, "unbalanced brackets or quotes in a "
			    "link label"));
		p = close + 1;
	}
	*pp = p;
	return (1);
}

/* One statement: nodes joined by '&', links between groups of them. */
static int
fc_statement(struct mm_check *c, const char *s)
{
	const char	*p = skip_ws(s);
	int		 r;

	for (;;) {
		if (fc_node(c, &p) == -1)
			return (-1);
		p = skip_ws(p);
		if (*p == '&') {
			p = skip_ws(p + 1);
			continue;
		}
		if (*p == '\0')
			return (0);
		if ((r = fc_link(c, &p)) == -1)
			return (-1);
		if (r == 0)
			return (mm_fail(c, "expected an arrow (-->, ---, -.->, "
			    "==>) at '%.20s'", p));
		c->c_links++;
		p = skip_ws(p);
		if (*p == '\0')
			return (mm_fail(c, "an arrow has no target node"));
	}
}

static int
is_direction(const char *s)
{
	size_t	i;

	for (i = 0; i < nitems(mm_directions); i++)
		if (strcmp(s, mm_directions[i]) == 0)
			return (1);
	return (0);
}

/* One flowchart line (trimmed, not blank, not a comment). */
static int
fc_line(struct mm_check *c, char *s)
{
	const char	*title;
	char		*stmt, *p;
	int		 quoted = 0, depth = 0;

	if (starts_word(s, "subgraph")) {
		c->c_subgraphs++;
		title = skip_ws(s + 8);
		if (*title == '\0')
			return (mm_fail(c, "'subgraph' needs a title"));
		return (check_balance(c, title));
	}
	if (strcmp(s, "end") == 0 || strcmp(s, "end;") == 0) {
		if (c->c_subgraphs-- == 0)
			return (mm_fail(c, "'end' without 'subgraph'"));
		return (0);
	}
	if (starts_word(s, "direction")) {
		if (c->c_subgraphs == 0 || !is_direction(skip_ws(s + 9)))
			return (mm_fail(c, "'direction' needs TD, TB, LR, RL "
			    "or BT inside a subgraph"));
		return (0);
	}
	if (starts_word(s, "classDef") || starts_word(s, "class") ||
	    starts_word(s, "style") || starts_word(s, "linkStyle"))
		return (check_balance(c, s));
	/* statements separated by ';' outside quotes and brackets */
	for (stmt = p = s;; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '[' || *p == '(' || *p == '{'))
			depth++;
		else if (!quoted && (*p == ']' || *p == ')' || *p == '}'))
			depth--;
		if (*p != '\0' && (*p != ';' || quoted || depth > 0))
			continue;
		if (*p == ';') {
			*p = '\0';
			if (*skip_ws(stmt) != '\0' && fc_statement(c, stmt) ==
			    -1)
				return (-1);
			stmt = p + 1;
			continue;
		}
		if (*skip_ws(stmt) != '\0')
			return (fc_statement(c, stmt));
		return (0);
	}
}

static const char *
block_opener(const char *s)
{
	static const char *const openers[] = { "loop", "alt", "opt", "par",
	    "critical", "break", "rect", "box" };
	size_t	i;

	for (i = 0; i < nitems(openers); i++)
		if (starts_word(s, openers[i]))
			return (openers[i]);
	return (NULL);
}

/* "left of A: text", "over A,B: text" after "Note". */
static int
seq_note(struct mm_check *c, const char *s)
{
	const char	*p = skip_ws(s);
	char		 id[64];
	int		 over = 0;

	if (strncmp(p, "left of ", 8) == 0)
		p += 8;
	else if (strncmp(p, "right of ", 9) == 0)
		p += 9;
	else if (strncmp(p, "over ", 5) == 0) {
		p += 5;
		over = 1;
	} else
		return (mm_fail(c, "a note needs 'left of', 'right of' or "
		    "'over'"));
	p = skip_ws(p);
	if (read_id(&p, id, sizeof(id)) == -1)
		return (mm_fail(c, "a note needs a participant"));
	p = skip_ws(p);
	if (over && *p == ',') {
		p = skip_ws(p + 1);
		if (read_id(&p, id, sizeof(id)) == -1)
			return (mm_fail(c, "a note needs a participant after "
			    "','"));
		p = skip_ws(p);
	}
	if (*p != ':' || *skip_ws(p + 1) == '\0')
		return (mm_fail(c, "a note needs ': text'"));
	return (check_balance(c, p + 1));
}

/* A message "A->>B: text" (arrows ->> -->> -> --> -x --x -) --)). */
static int
seq_message(struct mm_check *c, const char *s)
{
	static const char *const arrows[] = { "<<-->>", "<<->>", "-->>",
	    "->>", "--x", "-x", "--)", "-)", "-->", "->" };
	const char	*p = s;
	char		 id[64];
	size_t		 i, n = 0;

	if (read_id(&p, id, sizeof(id)) == -1)
		return (mm_fail(c, "expected a participant, a message or a "
		    "keyword at '%.20s'", s));
	p = skip_ws(p);
	for (i = 0; i < nitems(arrows); i++) {
		n = strlen(arrows[i]);
		if (strncmp(p, arrows[i], n) == 0)
			break;
	}
	if (i == nitems(arrows))
		return (mm_fail(c, "expected a message arrow (->>, -->>, ->, "
		    "-->, -x, -)) after '%s'", id));
	p = skip_ws(p + n);
	if (*p == '+' || *p == '-')
		p = skip_ws(p + 1);
	if (read_id(&p, id, sizeof(id)) == -1)
		return (mm_fail(c, "a message arrow has no target "
		    "participant"));
	p = skip_ws(p);
	if (*p != ':')
		return (mm_fail(c, "a message needs ': text' after its "
		    "target"));
	c->c_messages++;
	return (check_balance(c, p + 1));
}

/* One sequence diagram line (trimmed, not blank, not a comment). */
static int
seq_line(struct mm_check *c, const char *s)
{
	const char	*p, *open;
	char		 id[64];

	if (starts_word(s, "link") || starts_word(s, "links"))
		return (mm_fail(c, "participant links are not allowed"));
	if (starts_word(s, "create"))
		s = skip_ws(s + 6);
	if (starts_word(s, "participant") || starts_word(s, "actor")) {
		p = skip_ws(s + (s[0] == 'p' ? 11 : 5));
		if (read_id(&p, id, sizeof(id)) == -1)
			return (mm_fail(c, "a participant needs an id"));
		p = skip_ws(p);
		if (*p == '\0')
			return (0);
		if (!starts_word(p, "as") || *skip_ws(p + 2) == '\0')
			return (mm_fail(c, "expected 'as <label>' after a "
			    "participant id"));
		return (check_balance(c, p + 2));
	}
	if (starts_word(s, "destroy") || starts_word(s, "activate") ||
	    starts_word(s, "deactivate")) {
		p = skip_ws(strchr(s, ' ') != NULL ? strchr(s, ' ') : s);
		if (read_id(&p, id, sizeof(id)) == -1 || *skip_ws(p) != '\0')
			return (mm_fail(c, "expected one participant id"));
		return (0);
	}
	if (strcmp(s, "autonumber") == 0 || starts_word(s, "title"))
		return (check_balance(c, s));
	if (strncasecmp(s, "note ", 5) == 0)
		return (seq_note(c, s + 5));
	if ((open = block_opener(s)) != NULL) {
		if (c->c_nblocks == MM_BLOCKS_MAX)
			return (mm_fail(c, "blocks nested too deeply"));
		(void)strlcpy(c->c_blocks[c->c_nblocks++], open,
		    sizeof(c->c_blocks[0]));
		return (check_balance(c, s));
	}
	if (starts_word(s, "else") || starts_word(s, "and") ||
	    starts_word(s, "option")) {
		open = s[0] == 'e' ? "alt" : s[0] == 'a' ? "par" : "critical";
		if (c->c_nblocks == 0 ||
		    strcmp(c->c_blocks[c->c_nblocks - 1], open) != 0)
			return (mm_fail(c, "'%.6s' outside an '%s' block", s,
			    open));
		return (check_balance(c, s));
	}
	if (strcmp(s, "end") == 0) {
		if (c->c_nblocks == 0)
			return (mm_fail(c, "'end' without an open block"));
		c->c_nblocks--;
		return (0);
	}
	return (seq_message(c, s));
}

/* An ER entity name at *pp ([A-Za-z0-9_-]+) into id; 0 or -1. */
static int
er_read_name(const char **pp, char *id, size_t idlen)
{
	const char	*p = *pp;
	size_t		 n = 0;

	while (is_id_char(*p) || (*p == '-' && p != *pp && p[1] != '-')) {
		if (n + 1 < idlen)
			id[n++] = *p;
		p++;
	}
	if (p == *pp)
		return (-1);
	id[n] = '\0';
	*pp = p;
	return (0);
}

/* "A ||--o{ B : label", the relationship line of an ER diagram. */
static int
er_relation(struct mm_check *c, const char *s)
{
	static const char *const left[] = { "|o", "||", "}o", "}|" };
	static const char *const right[] = { "o|", "||", "o{", "|{" };
	const char	*p = s;
	char		 id[64];
	size_t		 i;

	if (er_read_name(&p, id, sizeof(id)) == -1)
		return (mm_fail(c, "a relationship needs an entity name"));
	p = skip_ws(p);
	for (i = 0; i < nitems(left); i++)
		if (strncmp(p, left[i], 2) == 0)
			break;
	if (i == nitems(left) || (strncmp(p + 2, "--", 2) != 0 &&
	    strncmp(p + 2, "..", 2) != 0))
		return (mm_fail(c, "bad relationship cardinality"));
	p += 4;
	for (i = 0; i < nitems(right); i++)
		if (strncmp(p, right[i], 2) == 0)
			break;
	if (i == nitems(right))
		return (mm_fail(c, "bad relationship cardinality"));
	p = skip_ws(p + 2);
	if (er_read_name(&p, id, sizeof(id)) == -1)
		return (mm_fail(c, "a relationship needs a second entity"));
	p = skip_ws(p);
	if (*p != ':' || *skip_ws(p + 1) == '\0')
		return (mm_fail(c, "a relationship needs ': label'"));
	return (check_balance(c, p + 1));
}

/*
 * Lines of class, state and ER diagrams: "{" at the end of a line opens
 * a block, a lone "}" closes it; the rest must balance.
 */
static int
block_line(struct mm_check *c, char *s)
{
	size_t	n = strlen(s);
	char	*arrow;

	if (strcmp(s, "}") == 0) {
		if (c->c_braces-- == 0)
			return (mm_fail(c, "'}' without an open block"));
		return (0);
	}
	if (n > 0 && s[n - 1] == '{') {
		c->c_braces++;
		s[n - 1] = '\0';
	}
	if (c->c_type == MM_ER && c->c_braces == 0 && (strstr(s, "--") !=
	    NULL || strstr(s, "..") != NULL))
		return (er_relation(c, s));
	if (c->c_type == MM_STATE && (arrow = strstr(s, "-->")) != NULL) {
		if (arrow == s || *skip_ws(arrow + 3) == '\0' ||
		    *skip_ws(arrow + 3) == ':')
			return (mm_fail(c, "a transition needs two states"));
	}
	return (check_balance(c, s));
}

static int
keyword_or_colon(struct mm_check *c, const char *s,
    const char *const *keywords, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (starts_word(s, keywords[i]))
			return (check_balance(c, s));
	if (strchr(s, ':') == NULL)
		return (mm_fail(c, "expected 'name : value' or a keyword"));
	return (check_balance(c, s));
}

/* One line of the body of a diagram of type c->c_type. */
static int
check_line(struct mm_check *c, char *s)
{
	static const char *const gantt_kw[] = { "title", "dateFormat",
	    "axisFormat", "tickInterval", "excludes", "includes",
	    "todayMarker", "section", "weekday", "inclusiveEndDates" };
	static const char *const timeline_kw[] = { "title", "section" };
	const char	*p;
	char		*end;

	switch (c->c_type) {
	case MM_FLOWCHART:
		return (fc_line(c, s));
	case MM_SEQUENCE:
		return (seq_line(c, s));
	case MM_CLASS:
	case MM_STATE:
	case MM_ER:
		return (block_line(c, s));
	case MM_PIE:
		if (starts_word(s, "title") || strcmp(s, "showData") == 0)
			return (check_balance(c, s));
		if (s[0] != '"' || (p = strchr(s + 1, '"')) == NULL ||
		    p == s + 1 || *(p = skip_ws(p + 1)) != ':')
			return (mm_fail(c, "a pie slice is '\"label\" : "
			    "value'"));
		(void)strtod(skip_ws(p + 1), &end);
		if (end == skip_ws(p + 1) || *skip_ws(end) != '\0')
			return (mm_fail(c, "a pie slice needs a number"));
		return (0);
	case MM_GANTT:
		return (keyword_or_colon(c, s, gantt_kw, nitems(gantt_kw)));
	case MM_TIMELINE:
		return (keyword_or_colon(c, s, timeline_kw,
		    nitems(timeline_kw)));
	case MM_MINDMAP:
		return (check_balance(c, s));
	}
	return (0);
}

/* The header line: a known type and what may follow it. */
static int
check_header(struct mm_check *c, char *s)
{
	char	*rest;
	size_t	 i, n;

	n = strcspn(s, " \t;");
	rest = s + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	for (i = 0; i < nitems(mm_types); i++)
		if (strlen(mm_types[i].name) == n &&
		    strncmp(s, mm_types[i].name, n) == 0)
			break;
	if (i == nitems(mm_types))
		return (mm_fail(c, "'%.*s' is not a known diagram type "
		    "(flowchart, sequenceDiagram, classDiagram, "
		    "stateDiagram-v2, erDiagram, pie, gantt, mindmap, "
		    "timeline)", (int)(n > 40 ? 40 : n), s));
	c->c_type = mm_types[i].type;
	n = strlen(rest);
	while (n > 0 && (rest[n - 1] == ';' || rest[n - 1] == ' '))
		rest[--n] = '\0';
	if (c->c_type == MM_FLOWCHART) {
		if (*rest != '\0' && !is_direction(rest))
			return (mm_fail(c, "'%.20s' is not a direction (TD, "
			    "TB, LR, RL, BT)", rest));
		return (0);
	}
	if (c->c_type == MM_PIE) {
		if (*rest != '\0' && !starts_word(rest, "showData") &&
		    !starts_word(rest, "title"))
			return (mm_fail(c, "unexpected '%.20s' after 'pie'",
			    rest));
		return (check_balance(c, rest));
	}
	if (*rest != '\0')
		return (mm_fail(c, "unexpected '%.20s' after the diagram type",
		    rest));
	return (0);
}

/* A trimmed copy of line n bytes long. */
static char *
trimmed(const char *line, size_t n)
{
	while (n > 0 && isspace((unsigned char)*line)) {
		line++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		n--;
	return (xstrndup(line, n));
}

int
mermaid_check(const char *code, char *errbuf, size_t errlen)
{
	struct mm_check	 c;
	const char	*p = code, *nl;
	char		*s;
	size_t		 i;
	int		 header = 0, ret = -1;

	memset(&c, 0, sizeof(c));
	c.c_err = errbuf;
	c.c_errlen = errlen;
	if (check_safety(&c, code) == -1)
		return (-1);
	for (c.c_line = 1; *p != '\0'; c.c_line++) {
		nl = strchr(p, '\n');
		s = trimmed(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		if (*s != '\0' && strncmp(s, "%%", 2) != 0) {
			if (!header) {
				header = 1;
				if (check_header(&c, s) == -1) {
					free(s);
					goto done;
				}
			} else {
				if (starts_word(s, "click"))
					(void)mm_fail(&c, "click interactions "
					    "are not allowed");
				if (starts_word(s, "click") ||
				    check_line(&c, s) == -1) {
					free(s);
					goto done;
				}
				c.c_content++;
			}
		}
		free(s);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	c.c_line = 0;
	if (!header) {
		(void)mm_fail(&c, "no diagram type line");
		goto done;
	}
	if (c.c_content == 0) {
		(void)mm_fail(&c, "the diagram has a type but no content");
		goto done;
	}
	if (c.c_type == MM_FLOWCHART && c.c_subgraphs > 0) {
		(void)mm_fail(&c, "%d 'subgraph' without 'end'", c.c_subgraphs);
		goto done;
	}
	if (c.c_type == MM_FLOWCHART && c.c_links == 0) {
		(void)mm_fail(&c, "a flowchart without any arrow");
		goto done;
	}
	if (c.c_type == MM_SEQUENCE && c.c_nblocks > 0) {
		(void)mm_fail(&c, "'%s' block without 'end'",
		    c.c_blocks[c.c_nblocks - 1]);
		goto done;
	}
	if (c.c_type == MM_SEQUENCE && c.c_messages == 0) {
		(void)mm_fail(&c, "a sequence diagram without any message");
		goto done;
	}
	if (c.c_braces > 0) {
		(void)mm_fail(&c, "a '{' block is not closed");
		goto done;
	}
	ret = 0;
done:
	for (i = 0; i < c.c_nnodes; i++)
		free(c.c_nodes[i]);
	return (ret);
}

/* 1 when the line at s (n bytes) starts with a diagram type name. */
static int
is_type_line(const char *s, size_t n)
{
	size_t	i, k;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	for (i = 0; i < nitems(mm_types); i++) {
		k = strlen(mm_types[i].name);
		if (n >= k && strncmp(s, mm_types[i].name, k) == 0 &&
		    (n == k || s[k] == ' ' || s[k] == '\t' || s[k] == ';' ||
		    s[k] == '\r'))
			return (1);
	}
	return (0);
}

/* 1 when the line at s is a fence line (``` or ~~~ after blanks). */
static int
is_fence(const char *s)
{
	s = skip_ws(s);
	return (strncmp(s, "```", 3) == 0 || strncmp(s, "~~~", 3) == 0);
}

/* The line "Caption: ..." of reply, if any (borrowed start, length). */
static const char *
find_caption(const char *reply, size_t *len)
{
	const char	*p = reply, *s, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		s = skip_ws(p);
		while (*s == '*' || *s == '_')
			s++;
		if (strncasecmp(s, "caption:", 8) == 0) {
			s += 8;
			while (*s == '*' || *s == '_' || *s == ' ')
				s++;
			*len = nl != NULL ? (size_t)(nl - s) : strlen(s);
			return (s);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return (NULL);
}

/* The start of the line after the one at p, or NULL at the last line. */
static const char *
next_line(const char *p)
{
	const char	*nl = strchr(p, '\n');

	return (nl != NULL ? nl + 1 : NULL);
}

/*
 * The first fenced block of reply that holds a diagram: a ```mermaid
 * fence, or any fence whose first line names a diagram type.  Sets
 * *start and *end around its body; 0, or -1 when there is none.
 */
static int
find_fenced(const char *reply, const char **start, const char **end)
{
	const char	*p = reply, *body, *q, *info;

	while (p != NULL && *p != '\0') {
		if (!is_fence(p)) {
			p = next_line(p);
			continue;
		}
		info = skip_ws(skip_ws(p) + 3);
		if ((body = next_line(p)) == NULL)
			return (-1);
		for (q = body; q != NULL && *q != '\0' && !is_fence(q);)
			q = next_line(q);
		if (strncasecmp(info, "mermaid", 7) == 0 ||
		    is_type_line(body, strcspn(body, "\n"))) {
			*start = body;
			*end = q != NULL ? q : body + strlen(body);
			return (0);
		}
		p = q != NULL && *q != '\0' ? next_line(q) : NULL;
	}
	return (-1);
}

/* The caption line of reply between from and to (to NULL: the end). */
static char *
caption_in(const char *from, const char *to)
{
	const char	*cap;
	char		*text, *clean;
	size_t		 len;

	text = to != NULL ? xstrndup(from, (size_t)(to - from)) :
	    xstrdup(from);
	cap = find_caption(text, &len);
	clean = cap != NULL ? xstrndup(cap, len) : NULL;
	free(text);
	if (clean != NULL) {
		text = clean;
		clean = mermaid_clean_caption(text);
		free(text);
		if (clean[0] == '\0') {
			free(clean);
			clean = NULL;
		}
	}
	return (clean);
}

char *
mermaid_extract(const char *reply, char **caption)
{
	const char	*p, *start = NULL, *end = NULL, *cap;
	struct buf	 b;
	size_t		 n, len;
	char		*code;

	if (caption != NULL)
		*caption = NULL;
	if (find_fenced(reply, &start, &end) == -1) {
		/* bare: from the first type line to a caption or the end */
		for (p = reply; p != NULL && *p != '\0'; p = next_line(p)) {
			n = strcspn(p, "\n");
			if (is_type_line(p, n)) {
				start = p;
				break;
			}
		}
		if (start == NULL)
			return (NULL);
		end = start + strlen(start);
		if ((cap = find_caption(start, &len)) != NULL) {
			while (cap > start && cap[-1] != '\n')
				cap--;
			end = cap;
		}
	}
	buf_init(&b);
	buf_append(&b, start, (size_t)(end - start));
	while (b.b_len > 0 && isspace((unsigned char)b.b_data[b.b_len - 1]))
		b.b_data[--b.b_len] = '\0';
	code = buf_detach(&b);
	if (code[0] == '\0') {
		free(code);
		return (NULL);
	}
	if (caption != NULL && (*caption = caption_in(end, NULL)) == NULL)
		*caption = caption_in(reply, start);
	return (code);
}

char *
mermaid_clean_caption(const char *raw)
{
	struct buf	 b;
	const char	*p = raw;
	char		*out;
	size_t		 chars = 0, cut = 0, n, add;
	int		 space = 0;

	buf_init(&b);
	while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
		p++;
	for (; *p != '\0' && *p != '\n' && *p != '\r'; p++) {
		/* Markdown markers, and braces: no shortcode opener */
		if (strchr("*_`[]<>#|\\{}", *p) != NULL ||
		    ((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			continue;
		if (*p == ' ' || *p == '\t') {
			space = b.b_len > 0;
			continue;
		}
		/* characters this byte adds: itself if it starts one, a blank */
		add = (((unsigned char)*p & 0xc0) != 0x80 ? 1 : 0) +
		    (space ? 1 : 0);
		if (chars + add > MERMAID_CAPTION_MAX) {
			if (space)	/* the end of a word */
				cut = b.b_len;
			if (cut > 0)
				b.b_len = cut;
			break;
		}
		chars += add;
		if (space) {
			cut = b.b_len;
			buf_putc(&b, ' ');
			space = 0;
		}
		buf_putc(&b, *p);
	}
	if (b.b_data != NULL)
		b.b_data[b.b_len] = '\0';
	out = buf_detach(&b);
	/* drop closing quotes and a full stop */
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '"' || out[n - 1] == '\'' ||
	    out[n - 1] == '.' || out[n - 1] == ' '))
		out[--n] = '\0';
	return (out);
}
