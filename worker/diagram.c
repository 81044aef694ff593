/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * diagram.c: owns the diagram step of an article: which sections get a
 * diagram, the words of the diagram and validation prompts, the verdict,
 * where a diagram goes and how it is written, and the diagram budget.
 * The syntax check itself is mermaid.c's; the calls go through llm.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "buf.h"
#include "compat.h"
#include "diagram.h"
#include "llm.h"
#include "log.h"
#include "mermaid.h"
#include "pricing.h"
#include "render.h"
#include "xmalloc.h"

/* Words that say a section explains a structure, a flow or a comparison. */
static const char *const diagram_keywords[] = {
	"architecture", "pipeline", "flow", "workflow", "data flow", "step",
	"stage", "lifecycle", "life cycle", "vs", "versus", "compared",
	"comparison", "layer", "component", "request path", "sequence",
	"state machine", "handshake", "how it works", "under the hood",
	"structure", "topology", "hierarchy", "round trip",
};

/* Headings of the parts of an article that are never illustrated. */
static const char *const diagram_skip_headings[] = {
	"key takeaways", "takeaways", "summary", "conclusion", "references",
	"sources", "further reading", "further resources", "tl;dr", "tldr",
	"faq", "frequently asked",
};

/* End of the line at p (its '\n' or NUL). */
static const char *
line_end(const char *p)
{
	const char	*nl = strchr(p, '\n');

	return (nl != NULL ? nl : p + strlen(p));
}

/* 1 when the line at p opens or closes a fence (``` or ~~~). */
static int
is_fence_line(const char *p)
{
	int	n = 0;

	while (*p == ' ' && n < 3) {
		p++;
		n++;
	}
	return (strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0);
}

/* The ATX heading level (1-6) of the line at p, or 0. */
static int
heading_level(const char *p)
{
	int	n = 0;

	while (p[n] == '#')
		n++;
	if (n == 0 || n > 6 || (p[n] != ' ' && p[n] != '\t'))
		return (0);
	return (n);
}

static int
is_blank_line(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!isspace((unsigned char)*p))
			return (0);
	return (1);
}

/* The heading text of the line at p (len bytes): no #s, no blanks. */
static char *
heading_text(const char *p, size_t len)
{
	const char	*end = p + len;

	while (p < end && *p == '#')
		p++;
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	while (end > p && end[-1] == '#')	/* closing #s */
		end--;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	return (xstrndup(p, (size_t)(end - p)));
}

size_t
diagram_sections(const char *body, struct diagram_section **out)
{
	struct diagram_section	*v = NULL, *cur = NULL;
	const char		*p = body, *e, *info;
	size_t			 n = 0, i;
	int			 in_fence = 0, level;

	while (*p != '\0') {
		e = line_end(p);
		if (is_fence_line(p)) {
			if (!in_fence && cur != NULL) {
				info = p;
				while (*info == ' ')
					info++;
				info += 3;
				while (*info == ' ')
					info++;
				if (strncasecmp(info, "mermaid", 7) == 0)
					cur->ds_has_mermaid = 1;
			}
			in_fence = !in_fence;
		} else if (!in_fence && (level = heading_level(p)) > 0 &&
		    level <= 3) {
			if (cur != NULL)
				cur->ds_end = (size_t)(p - body);
			cur = NULL;
			if (level >= 2) {
				v = xreallocarray(v, n + 1, sizeof(*v));
				cur = &v[n++];
				memset(cur, 0, sizeof(*cur));
				cur->ds_title = heading_text(p,
				    (size_t)(e - p));
				cur->ds_level = level;
				cur->ds_start = (size_t)(p - body);
				cur->ds_text = (size_t)(*e == '\n' ? e + 1 - body :
				    e - body);
			}
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
	if (cur != NULL)
		cur->ds_end = strlen(body);
	for (i = 0; i < n; i++)
		v[i].ds_score = diagram_section_score(body, &v[i]);
	*out = v;
	return (n);
}

void
diagram_sections_free(struct diagram_section *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].ds_title);
	free(v);
}

/*
 * 1 when kw occurs in lc (lower case) at a word start and ends at a word
 * end, allowing the endings "s", "es", "ed" and "ing".
 */
static int
has_keyword(const char *lc, const char *kw)
{
	static const char *const endings[] = { "", "s", "es", "ed", "ing" };
	const char	*p = lc, *after;
	size_t		 n = strlen(kw), i, k;

	while ((p = strstr(p, kw)) != NULL) {
		if (p == lc || !isalnum((unsigned char)p[-1])) {
			after = p + n;
			for (i = 0; i < nitems(endings); i++) {
				k = strlen(endings[i]);
				if (strncmp(after, endings[i], k) == 0 &&
				    !isalnum((unsigned char)after[k]))
					return (1);
			}
		}
		p++;
	}
	return (0);
}

static char *
lower_copy(const char *s, size_t n)
{
	char	*d = xstrndup(s, n);
	size_t	 i;

	for (i = 0; d[i] != '\0'; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return (d);
}

static int
keyword_hits(const char *lc)
{
	size_t	i;
	int	hits = 0;

	for (i = 0; i < nitems(diagram_keywords); i++)
		if (has_keyword(lc, diagram_keywords[i]))
			hits++;
	return (hits);
}

static int
is_skipped_heading(const char *title)
{
	char	*lc = lower_copy(title, strlen(title));
	size_t	 i;
	int	 skip = 0;

	for (i = 0; i < nitems(diagram_skip_headings) && !skip; i++)
		if (strncmp(lc, diagram_skip_headings[i],
		    strlen(diagram_skip_headings[i])) == 0)
			skip = 1;
	free(lc);
	return (skip);
}

static size_t
count_words(const char *p, const char *end)
{
	size_t	n = 0;
	int	in_word = 0;

	for (; p < end; p++) {
		if (isspace((unsigned char)*p))
			in_word = 0;
		else if (!in_word) {
			in_word = 1;
			n++;
		}
	}
	return (n);
}

/* 1 when the line at p is a numbered list item ("1. ", "2) "). */
static int
is_numbered_item(const char *p)
{
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return (0);
	while (isdigit((unsigned char)*p))
		p++;
	return ((*p == '.' || *p == ')') && p[1] == ' ');
}

int
diagram_section_score(const char *body, const struct diagram_section *sec)
{
	struct buf	 prose;
	const char	*p = body + sec->ds_text, *end = body + sec->ds_end, *e;
	const char	*dash;
	char		*lc;
	size_t		 words, numbered = 0, table = 0;
	int		 score, in_fence = 0, separator = 0, hits;

	if (sec->ds_has_mermaid || is_skipped_heading(sec->ds_title))
		return (0);
	buf_init(&prose);
	while (p < end) {
		e = line_end(p);
		if (e > end)
			e = end;
		if (is_fence_line(p))
			in_fence = !in_fence;
		else if (!in_fence) {
			if (is_numbered_item(p))
				numbered++;
			if (*p == '|') {
				table++;
				/* "|---|:--:|": only bars, dashes, colons */
				if (strspn(p, "|-: \t") >= (size_t)(e - p) &&
				    (dash = strstr(p, "---")) != NULL && dash < e)
					separator = 1;
			}
			buf_append(&prose, p, (size_t)(e - p));
			buf_putc(&prose, '\n');
		}
		if (*e == '\0' || e >= end)
			break;
		p = e + 1;
	}
	words = count_words(buf_cstr(&prose), buf_cstr(&prose) + prose.b_len);
	if (words < DIAGRAM_MIN_WORDS) {
		buf_release(&prose);
		return (0);
	}
	lc = lower_copy(sec->ds_title, strlen(sec->ds_title));
	hits = keyword_hits(lc);
	free(lc);
	score = 3 * (hits > 2 ? 2 : hits);
	lc = lower_copy(buf_cstr(&prose), prose.b_len);
	hits = keyword_hits(lc);
	score += hits > 4 ? 4 : hits;
	if (strstr(lc, "->") != NULL || strstr(lc, "=>") != NULL ||
	    strstr(lc, "\xe2\x86\x92") != NULL)
		score += 2;
	free(lc);
	if (numbered >= 3)
		score += 3;
	if (table >= 4 && separator)
		score += 3;
	buf_release(&prose);
	return (score);
}

size_t
diagram_pick(const struct diagram_section *v, size_t n, size_t max,
    size_t *picked)
{
	size_t	i, j, k = 0, t;

	for (i = 0; i < n && max > 0; i++) {
		if (v[i].ds_has_mermaid || v[i].ds_score < DIAGRAM_SCORE_MIN)
			continue;
		/* keep the best max, by score then position */
		if (k == max) {
			if (v[picked[k - 1]].ds_score >= v[i].ds_score)
				continue;
			k--;
		}
		for (j = k; j > 0 && v[picked[j - 1]].ds_score <
		    v[i].ds_score; j--)
			picked[j] = picked[j - 1];
		picked[j] = i;
		k++;
	}
	/* back to document order */
	for (i = 1; i < k; i++) {
		t = picked[i];
		for (j = i; j > 0 && picked[j - 1] > t; j--)
			picked[j] = picked[j - 1];
		picked[j] = t;
	}
	return (k);
}

/* The text of sec, trimmed and cut (on a character) to the prompt cap. */
static void
put_section(struct buf *b, const char *body, const struct diagram_section *sec)
{
	const char	*p = body + sec->ds_text, *end = body + sec->ds_end;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if ((size_t)(end - p) > DIAGRAM_SECTION_MAX) {
		end = p + DIAGRAM_SECTION_MAX;
		while (end > p && ((unsigned char)*end & 0xc0) == 0x80)
			end--;
	}
	buf_puts(b, "SECTION HEADING: ");
	buf_puts(b, sec->ds_title);
	buf_puts(b, "\nSECTION TEXT:\n\"\"\"\n");
	buf_append(b, p, (size_t)(end - p));
	buf_puts(b, "\n\"\"\"\n\n");
}

char *
diagram_prompt(const char *body, const struct diagram_section *sec)
{
	struct buf	b;

	buf_init(&b);
	buf_puts(&b, DIAGRAM_GEN_PHRASE " for the section of a technical "
	    "article below. It must help a reader see the structure, the "
	    "flow or the comparison that the section explains.\n\n");
	put_section(&b, body, sec);
	buf_printf(&b, "RULES:\n"
	    "- Use the diagram type that fits what the section explains: "
	    "flowchart (a process, a pipeline, a structure), sequenceDiagram "
	    "(messages between parties over time), classDiagram (types and "
	    "their relations), stateDiagram-v2 (states and transitions) or "
	    "erDiagram (data and its relations).\n"
	    "- Show only what the section says: no component, step, number "
	    "or name that is not in its text.\n"
	    "- At most %d nodes or participants, each with a short, plain "
	    "label of at most five words.\n"
	    "- Node ids are letters and digits only (A, B, C1). Put a label "
	    "that has punctuation in double quotes: A[\"Parse (step 1)\"].\n"
	    "- No styling, no classDef, no click or link interactions, no "
	    "HTML, no %%%%{init}%%%% directives, no comments.\n"
	    "- Return only the Mermaid code in a ```mermaid fence, then one "
	    "line \"Caption: <what the diagram shows, at most 12 words>\".\n",
	    DIAGRAM_NODES_MAX);
	return (buf_detach(&b));
}

char *
diagram_validation_prompt(const char *body, const struct diagram_section *sec,
    const char *code)
{
	struct buf	b;

	buf_init(&b);
	buf_puts(&b, DIAGRAM_VAL_PHRASE " below, drawn for the section of a "
	    "technical article that follows it, before it is published with "
	    "the section.\n\nDIAGRAM:\n```mermaid\n");
	buf_puts(&b, code);
	buf_puts(&b, "\n```\n\n");
	put_section(&b, body, sec);
	buf_printf(&b, "Answer \"ok\": true only when all of these hold:\n"
	    "- it is accurate: every node, arrow and label is supported by "
	    "the section's text, and nothing the text says is contradicted;\n"
	    "- it is useful: it shows the structure, flow or comparison more "
	    "clearly than the text alone;\n"
	    "- it is readable: at most %d nodes, short plain labels.\n"
	    "Otherwise answer \"ok\": false.\n\n"
	    "Return only a JSON object {\"ok\": true or false, \"reason\": "
	    "\"<one sentence>\"}, with no other text.\n", DIAGRAM_NODES_MAX);
	return (buf_detach(&b));
}

void
diagram_call_init(struct llm_call *call, int validation, const char *model,
    int reasoning, const char *prompt)
{
	memset(call, 0, sizeof(*call));
	call->c_model = model;
	call->c_prompt = prompt;
	if (validation) {
		call->c_op = DIAGRAM_OP_VALIDATION;
		call->c_max_tokens = reasoning ?
		    DIAGRAM_VAL_MAX_TOKENS_REASONING : DIAGRAM_VAL_MAX_TOKENS;
		call->c_temperature = 0.0;
	} else {
		call->c_op = DIAGRAM_OP_GENERATION;
		call->c_max_tokens = reasoning ?
		    DIAGRAM_GEN_MAX_TOKENS_REASONING : DIAGRAM_GEN_MAX_TOKENS;
		call->c_temperature = 0.3;
	}
}

struct json_object *
diagram_response_format(void)
{
	struct json_object	*rf, *js, *schema, *props, *t, *req;

	props = json_object_new_object();
	t = json_object_new_object();
	json_object_object_add(t, "type", json_object_new_string("boolean"));
	json_object_object_add(props, "ok", t);
	t = json_object_new_object();
	json_object_object_add(t, "type", json_object_new_string("string"));
	json_object_object_add(props, "reason", t);
	req = json_object_new_array();
	json_object_array_add(req, json_object_new_string("ok"));
	json_object_array_add(req, json_object_new_string("reason"));
	schema = json_object_new_object();
	json_object_object_add(schema, "type",
	    json_object_new_string("object"));
	json_object_object_add(schema, "properties", props);
	json_object_object_add(schema, "required", req);
	json_object_object_add(schema, "additionalProperties",
	    json_object_new_boolean(0));
	js = json_object_new_object();
	json_object_object_add(js, "name",
	    json_object_new_string("diagram_verdict"));
	json_object_object_add(js, "strict", json_object_new_boolean(1));
	json_object_object_add(js, "schema", schema);
	rf = json_object_new_object();
	json_object_object_add(rf, "type",
	    json_object_new_string("json_schema"));
	json_object_object_add(rf, "json_schema", js);
	return (rf);
}

/* Parse len bytes of s as one JSON value and nothing else; owned or NULL. */
static struct json_object *
parse_exact(const char *s, size_t len)
{
	struct json_tokener	*tok;
	struct json_object	*o;

	if (len == 0 || len > 1024 * 1024 || (tok = json_tokener_new()) ==
	    NULL)
		return (NULL);
	o = json_tokener_parse_ex(tok, s, (int)len);
	if (o != NULL && (json_tokener_get_error(tok) !=
	    json_tokener_success || json_tokener_get_parse_end(tok) != len)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return (o);
}

struct json_object *
diagram_request_body(const struct llm_call *call, int validation)
{
	struct json_object	*root;
	char			*text;

	text = llm_openai_body(call);
	root = parse_exact(text, strlen(text));
	free(text);
	if (root == NULL)	/* llm_openai_body() writes valid JSON */
		fatalx("%s: the request body does not parse", __func__);
	if (validation)
		json_object_object_add(root, "response_format",
		    diagram_response_format());
	return (root);
}

int
diagram_parse_verdict(const char *reply, int *ok, char *reason,
    size_t reasonlen)
{
	struct json_object	*root, *v;
	const char		*open, *close;
	int			 ret = -1;

	*ok = 0;
	if (reasonlen > 0)
		reason[0] = '\0';
	if ((open = strchr(reply, '{')) == NULL ||
	    (close = strrchr(reply, '}')) == NULL || close < open)
		return (-1);
	root = parse_exact(open, (size_t)(close - open + 1));
	if (root == NULL || !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "ok", &v) ||
	    !json_object_is_type(v, json_type_boolean))
		goto done;
	*ok = json_object_get_boolean(v);
	if (json_object_object_get_ex(root, "reason", &v) &&
	    json_object_is_type(v, json_type_string) && reasonlen > 0)
		(void)strlcpy(reason, json_object_get_string(v), reasonlen);
	ret = 0;
done:
	json_object_put(root);
	return (ret);
}

/* 1 when the line at p opens something other than a prose paragraph. */
static int
is_block_start(const char *p)
{
	while (*p == ' ')
		p++;
	if (((*p == '-' || *p == '*' || *p == '+') && p[1] == ' ') ||
	    is_numbered_item(p))
		return (1);
	return (*p == '|' || *p == '>' || *p == '<' || *p == '#' ||
	    is_fence_line(p) || (p[0] == '-' && p[1] == '-' && p[2] == '-'));
}

size_t
diagram_insert_point(const char *body, const struct diagram_section *sec)
{
	const char	*p = body + sec->ds_text, *end = body + sec->ds_end, *e;

	/* the first line with text */
	while (p < end) {
		e = line_end(p);
		if (!is_blank_line(p, e))
			break;
		if (*e == '\0')
			return ((size_t)(e - body));
		p = e + 1;
	}
	if (p >= end || is_block_start(p))
		return (sec->ds_text);
	/* the end of the paragraph: a blank line or another block */
	while (p < end) {
		e = line_end(p);
		if (*e == '\0')
			return ((size_t)(e - body));
		p = e + 1;
		if (p >= end || is_blank_line(p, line_end(p)) ||
		    is_block_start(p))
			break;
	}
	return ((size_t)(p - body));
}

char *
diagram_insert(const char *body, size_t at, const char *code,
    const char *caption, int figure)
{
	struct buf	 b;
	const char	*rest = body + at, *e;
	size_t		 n;

	buf_init(&b);
	buf_append(&b, body, at);
	if (b.b_len > 0 && b.b_data[b.b_len - 1] != '\n')
		buf_putc(&b, '\n');
	if (b.b_len > 0 && !(b.b_len >= 2 && b.b_data[b.b_len - 2] == '\n'))
		buf_putc(&b, '\n');
	buf_puts(&b, "```mermaid\n");
	n = strlen(code);
	while (n > 0 && isspace((unsigned char)code[n - 1]))
		n--;
	buf_append(&b, code, n);
	buf_printf(&b, "\n```\n\n*Figure %d: %s*\n", figure, caption);
	/* the rest, after its leading blank lines */
	while (*rest != '\0') {
		e = line_end(rest);
		if (!is_blank_line(rest, e))
			break;
		rest = *e == '\0' ? e : e + 1;
	}
	if (*rest != '\0') {
		buf_putc(&b, '\n');
		buf_puts(&b, rest);
	}
	return (buf_detach(&b));
}

void
diagram_budget_init(struct diagram_budget *db, const struct pricing *pricing,
    double diagram_usd, double article_cap, double article_spent,
    int max_diagrams)
{
	double	left;

	memset(db, 0, sizeof(*db));
	db->db_pricing = pricing;
	db->db_max = max_diagrams > 0 ? max_diagrams : 0;
	if (diagram_usd > 0) {
		db->db_capped = 1;
		db->db_limit = diagram_usd;
	}
	if (article_cap > 0) {
		left = article_cap - article_spent;
		if (left < 0)
			left = 0;
		if (!db->db_capped || left < db->db_limit)
			db->db_limit = left;
		db->db_capped = 1;
	}
}

void
diagram_budget_release(struct diagram_budget *db)
{
	size_t	i;

	for (i = 0; i < db->db_ncalls; i++) {
		free(db->db_calls[i].dc_op);
		free(db->db_calls[i].dc_model);
	}
	free(db->db_calls);
	memset(db, 0, sizeof(*db));
}

double
diagram_estimate(const struct pricing *pricing, const char *model,
    size_t prompt_bytes, int max_tokens)
{
	if (pricing == NULL)
		return (0);
	return (pricing_text_cost(pricing, model,
	    (long)((prompt_bytes + 3) / 4), max_tokens, NULL));
}

int
diagram_budget_may_generate(struct diagram_budget *db, const char *model,
    size_t gen_prompt_bytes, int gen_max_tokens, int val_max_tokens)
{
	double	need;

	if (db->db_stopped || db->db_generations >= db->db_max)
		return (0);
	need = diagram_estimate(db->db_pricing, model, gen_prompt_bytes,
	    gen_max_tokens) + diagram_estimate(db->db_pricing, model,
	    gen_prompt_bytes + (size_t)gen_max_tokens * 4 +
	    DIAGRAM_VAL_OVERHEAD, val_max_tokens);
	if (db->db_capped && db->db_spent + need > db->db_limit) {
		db->db_stopped = 1;
		return (0);
	}
	db->db_generations++;
	return (1);
}

int
diagram_budget_may_validate(struct diagram_budget *db, const char *model,
    size_t val_prompt_bytes, int val_max_tokens)
{
	if (db->db_stopped)
		return (0);
	if (db->db_capped && db->db_spent + diagram_estimate(db->db_pricing,
	    model, val_prompt_bytes, val_max_tokens) > db->db_limit) {
		db->db_stopped = 1;
		return (0);
	}
	return (1);
}

void
diagram_budget_record(struct diagram_budget *db, const char *op,
    const char *model, long prompt_tokens, long completion_tokens)
{
	struct diagram_cost	*dc;

	db->db_calls = xreallocarray(db->db_calls, db->db_ncalls + 1,
	    sizeof(*db->db_calls));
	dc = &db->db_calls[db->db_ncalls++];
	dc->dc_op = xstrdup(op);
	dc->dc_model = xstrdup(model);
	dc->dc_prompt_tokens = prompt_tokens;
	dc->dc_completion_tokens = completion_tokens;
	dc->dc_amount = db->db_pricing != NULL ?
	    pricing_text_cost(db->db_pricing, model, prompt_tokens,
	    completion_tokens, NULL) : 0;
	db->db_spent += dc->dc_amount;
}

size_t
diagram_render_costs(const struct diagram_budget *db, struct render_cost **out)
{
	struct render_cost	*rc;
	size_t			 i;

	rc = xreallocarray(NULL, db->db_ncalls + 1, sizeof(*rc));
	for (i = 0; i < db->db_ncalls; i++) {
		rc[i].rc_op = db->db_calls[i].dc_op;
		rc[i].rc_amount = db->db_calls[i].dc_amount;
	}
	*out = rc;
	return (db->db_ncalls);
}

const char *
diagram_outcome_name(enum diagram_outcome o)
{
	switch (o) {
	case DIAGRAM_INSERTED:
		return ("inserted");
	case DIAGRAM_NO_CODE:
		return ("no_code");
	case DIAGRAM_INVALID:
		return ("invalid");
	case DIAGRAM_REJECTED:
		return ("rejected");
	case DIAGRAM_NO_BUDGET:
		return ("no_budget");
	case DIAGRAM_CALL_FAILED:
		return ("call_failed");
	}
	return ("unknown");
}

void
diagram_report_release(struct diagram_report *dr)
{
	size_t	i;

	for (i = 0; i < dr->dr_nattempts; i++)
		free(dr->dr_attempts[i].da_section);
	free(dr->dr_attempts);
	memset(dr, 0, sizeof(*dr));
}

static struct diagram_attempt *
add_attempt(struct diagram_report *dr, const char *section)
{
	struct diagram_attempt	*da;

	dr->dr_attempts = xreallocarray(dr->dr_attempts, dr->dr_nattempts + 1,
	    sizeof(*dr->dr_attempts));
	da = &dr->dr_attempts[dr->dr_nattempts++];
	memset(da, 0, sizeof(*da));
	da->da_section = xstrdup(section);
	da->da_outcome = DIAGRAM_INSERTED;
	return (da);
}

/* One diagram that passed, waiting to be inserted. */
struct diagram_accepted {
	size_t	 ac_section;
	char	*ac_code;
	char	*ac_caption;	/* may be NULL: the section title */
};

/*
 * One model call of the step.  Returns 0 with *out (owned) and its cost
 * recorded; 1 when it failed and the step should end (da says why); -1
 * when it failed fatally or was cancelled (err filled).
 */
static int
diagram_call(struct llm_client *client, const struct llm_hooks *hooks,
    const struct llm_call *call, struct diagram_budget *db,
    struct diagram_attempt *da, char **out, struct llm_error *err)
{
	struct llm_reply	reply;

	if (llm_complete(client, call, hooks, &reply, err) == -1) {
		if (err->e_fatal || strcmp(err->e_code, "cancelled") == 0)
			return (-1);
		da->da_outcome = DIAGRAM_CALL_FAILED;
		(void)snprintf(da->da_reason, sizeof(da->da_reason),
		    "%s call: %.200s", call->c_op, err->e_message);
		db->db_stopped = 1;
		return (1);
	}
	diagram_budget_record(db, call->c_op, call->c_model,
	    reply.r_prompt_tokens, reply.r_completion_tokens);
	*out = reply.r_content;
	reply.r_content = NULL;
	llm_reply_release(&reply);
	return (0);
}

/*
 * Generate, check and judge the diagram of section sec.  Returns 0 (da
 * says what happened; *acc filled when it passed) or -1 as
 * diagram_illustrate().
 */
static int
diagram_one(struct llm_client *client, const struct llm_hooks *hooks,
    const char *body, const struct diagram_section *sec,
    const struct diagram_settings *ds, struct diagram_budget *db,
    struct diagram_attempt *da, struct diagram_accepted *acc,
    struct llm_error *err)
{
	struct llm_call	 call;
	struct json_object *rf = NULL;
	char		*prompt, *reply = NULL, *code = NULL, *caption = NULL;
	int		 r, ok, ret = 0;

	prompt = diagram_prompt(body, sec);
	diagram_call_init(&call, 0, ds->dg_model, ds->dg_reasoning, prompt);
	if (!diagram_budget_may_generate(db, ds->dg_model, strlen(prompt),
	    call.c_max_tokens, ds->dg_reasoning ?
	    DIAGRAM_VAL_MAX_TOKENS_REASONING : DIAGRAM_VAL_MAX_TOKENS)) {
		da->da_outcome = DIAGRAM_NO_BUDGET;
		(void)strlcpy(da->da_reason, "the diagram budget has no room "
		    "for a generation and a validation call",
		    sizeof(da->da_reason));
		goto done;
	}
	if ((r = diagram_call(client, hooks, &call, db, da, &reply,
	    err)) != 0) {
		ret = r == -1 ? -1 : 0;
		goto done;
	}
	if ((code = mermaid_extract(reply, &caption)) == NULL) {
		da->da_outcome = DIAGRAM_NO_CODE;
		(void)strlcpy(da->da_reason, "the reply holds no Mermaid code",
		    sizeof(da->da_reason));
		goto done;
	}
	if (mermaid_check(code, da->da_reason, sizeof(da->da_reason)) == -1) {
		da->da_outcome = DIAGRAM_INVALID;
		goto done;
	}
	free(prompt);
	free(reply);
	reply = NULL;
	prompt = diagram_validation_prompt(body, sec, code);
	diagram_call_init(&call, 1, ds->dg_model, ds->dg_reasoning, prompt);
	call.lc_response_format = rf = diagram_response_format();
	if (!diagram_budget_may_validate(db, ds->dg_model, strlen(prompt),
	    call.c_max_tokens)) {
		da->da_outcome = DIAGRAM_NO_BUDGET;
		(void)strlcpy(da->da_reason, "the diagram budget has no room "
		    "for the validation call", sizeof(da->da_reason));
		goto done;
	}
	if ((r = diagram_call(client, hooks, &call, db, da, &reply,
	    err)) != 0) {
		ret = r == -1 ? -1 : 0;
		goto done;
	}
	if (diagram_parse_verdict(reply, &ok, da->da_reason,
	    sizeof(da->da_reason)) == -1) {
		da->da_outcome = DIAGRAM_REJECTED;
		(void)strlcpy(da->da_reason, "the validation reply holds no "
		    "{\"ok\": ..., \"reason\": ...} verdict",
		    sizeof(da->da_reason));
		goto done;
	}
	if (!ok) {
		da->da_outcome = DIAGRAM_REJECTED;
		goto done;
	}
	acc->ac_code = code;
	acc->ac_caption = caption;
	code = caption = NULL;
done:
	json_object_put(rf);
	free(prompt);
	free(reply);
	free(code);
	free(caption);
	return (ret);
}

int
diagram_illustrate(struct llm_client *client, const struct llm_hooks *hooks,
    const char *body, const struct diagram_settings *ds,
    struct diagram_budget *db, struct diagram_report *dr, char **out_body,
    struct llm_error *err)
{
	struct diagram_section	*secs = NULL;
	struct diagram_accepted	*acc = NULL;
	struct diagram_attempt	*da;
	size_t			*picked = NULL, nsec, npick = 0, nacc = 0, i;
	char			*cur, *next, *caption;
	int			 ret = -1;

	*out_body = NULL;
	memset(err, 0, sizeof(*err));
	nsec = diagram_sections(body, &secs);
	if (ds->dg_max > 0 && nsec > 0) {
		picked = xreallocarray(NULL, (size_t)ds->dg_max,
		    sizeof(*picked));
		npick = diagram_pick(secs, nsec, (size_t)ds->dg_max, picked);
		acc = xcalloc(npick + 1, sizeof(*acc));
	}
	for (i = 0; i < npick; i++) {
		da = add_attempt(dr, secs[picked[i]].ds_title);
		if (db->db_stopped) {
			da->da_outcome = DIAGRAM_NO_BUDGET;
			(void)strlcpy(da->da_reason, "no further diagram call "
			    "after the budget stopped", sizeof(da->da_reason));
		} else if (diagram_one(client, hooks, body, &secs[picked[i]],
		    ds, db, da, &acc[nacc], err) == -1)
			goto done;
		if (acc[nacc].ac_code != NULL) {
			acc[nacc++].ac_section = picked[i];
			dr->dr_inserted++;
		} else
			log_info("diagram for section '%s' not inserted (%s): "
			    "%s", da->da_section,
			    diagram_outcome_name(da->da_outcome),
			    da->da_reason);
	}
	/* from the last to the first, so earlier offsets stay true */
	cur = xstrdup(body);
	for (i = nacc; i > 0; i--) {
		const struct diagram_section *sec = &secs[acc[i - 1].ac_section];

		caption = acc[i - 1].ac_caption != NULL ?
		    xstrdup(acc[i - 1].ac_caption) :
		    mermaid_clean_caption(sec->ds_title);
		next = diagram_insert(cur, diagram_insert_point(cur, sec),
		    acc[i - 1].ac_code, caption[0] != '\0' ? caption :
		    "Diagram", (int)i);
		free(caption);
		free(cur);
		cur = next;
	}
	*out_body = cur;
	ret = 0;
done:
	for (i = 0; i < nacc; i++) {
		free(acc[i].ac_code);
		free(acc[i].ac_caption);
	}
	free(acc);
	free(picked);
	diagram_sections_free(secs, nsec);
	return (ret);
}
