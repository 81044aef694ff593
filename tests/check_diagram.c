/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_diagram.c: the diagram step: sections and their scores, the pick,
 * the request bodies, the verdict, insertion, the budget, the front
 * matter, and whole runs of diagram_illustrate() against the stand-in
 * server (a diagram inserted, an invalid one, a rejected one, the budget
 * stopping further calls, failed calls).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>

#include "buf.h"
#include "compat.h"
#include "diagram.h"
#include "e2e.h"
#include "item.h"
#include "llm.h"
#include "mermaid.h"
#include "pricing.h"
#include "render.h"
#include "tests.h"
#include "xmalloc.h"

/* About 45 words of prose with no diagram keyword. */
#define PROSE	"Teams adopt new tools for many reasons, and most of them " \
	"are social rather than technical. A good default saves hours for " \
	"people who never read the manual. Documentation helps new readers " \
	"understand why a choice was made, and it keeps the knowledge in " \
	"one place for everyone.\n"

static const char article[] =
    "An opening paragraph that is not in any section.\n"
    "\n"
    "## Key Takeaways\n"
    "\n"
    "- The pipeline has three stages and each layer has a component.\n"
    "- The request path is short.\n"
    "\n"
    "## Why It Matters\n"
    "\n"
    PROSE
    "\n"
    "## How the Request Pipeline Works\n"
    "\n"
    "A request enters the load balancer -> the router -> the handler. "
    "Each of these components sits on the request path. "
    PROSE
    "\n"
    "```sh\n"
    "## not a heading: inside a fence\n"
    "```\n"
    "\n"
    "### Storage Layers\n"
    "\n"
    "1. The cache answers first.\n"
    "2. The database answers on a miss.\n"
    "3. The archive keeps old rows.\n"
    "\n"
    PROSE
    "\n"
    "## Conclusion\n"
    "\n"
    "The architecture, the pipeline and the flow compared well. "
    PROSE;

static struct pricing *
load_pricing(void)
{
	struct pricing	*p;
	char		 path[1024], errbuf[256];

	(void)snprintf(path, sizeof(path), "%s/config/pricing.json",
	    test_srcdir());
	p = pricing_load(path, errbuf, sizeof(errbuf));
	ck_assert_msg(p != NULL, "%s", errbuf);
	return (p);
}

START_TEST(test_sections)
{
	struct diagram_section	*v;
	size_t			 n;

	n = diagram_sections(article, &v);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(v[0].ds_title, "Key Takeaways");
	ck_assert_str_eq(v[1].ds_title, "Why It Matters");
	ck_assert_str_eq(v[2].ds_title, "How the Request Pipeline Works");
	ck_assert_str_eq(v[3].ds_title, "Storage Layers");
	ck_assert_int_eq(v[3].ds_level, 3);
	ck_assert_str_eq(v[4].ds_title, "Conclusion");
	/* offsets: the heading line, the text after it, up to the next */
	ck_assert(strncmp(article + v[2].ds_start, "## How", 6) == 0);
	ck_assert(strncmp(article + v[2].ds_text, "\nA request", 10) == 0);
	ck_assert_uint_eq(v[2].ds_end, v[3].ds_start);
	ck_assert_uint_eq(v[4].ds_end, strlen(article));
	/* the fenced "## not a heading" belongs to section 2 */
	ck_assert_ptr_nonnull(strstr(article + v[2].ds_text,
	    "## not a heading"));
	ck_assert_uint_lt((size_t)(strstr(article, "## not a heading") -
	    article), v[2].ds_end);
	diagram_sections_free(v, n);
	/* no "##" heading: no section; an H1 ends one */
	ck_assert_uint_eq(diagram_sections("just text\n# Title\n", &v), 0);
	ck_assert_ptr_null(v);
	n = diagram_sections("## A ##\ntext\n# B\nmore\n## C", &v);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].ds_title, "A");
	ck_assert_uint_eq(v[0].ds_end, 13);
	ck_assert_str_eq(v[1].ds_title, "C");
	ck_assert_uint_eq(v[1].ds_text, v[1].ds_end);
	diagram_sections_free(v, n);
}
END_TEST

START_TEST(test_scores)
{
	struct diagram_section	*v;
	size_t			 n;
	const char		*table =
	    "## Options\n\n" PROSE "\n"
	    "| Tool | Speed |\n|---|:---:|\n| a | fast |\n| b | slow |\n";
	const char		*short_one =
	    "## Architecture and Pipeline\n\nThe flow has layers.\n";
	const char		*mermaid =
	    "## Architecture\n\n" PROSE "\n```mermaid\nflowchart LR\n"
	    "  A --> B\n```\n";

	n = diagram_sections(article, &v);
	ck_assert_int_eq(v[0].ds_score, 0);	/* takeaways: never */
	ck_assert_int_lt(v[1].ds_score, DIAGRAM_SCORE_MIN);
	/* heading: pipeline (3); text: component, request path (2); "->" */
	ck_assert_int_eq(v[2].ds_score, 7);
	/* heading: layer (3); numbered steps (3) */
	ck_assert_int_eq(v[3].ds_score, 6);
	ck_assert_int_eq(v[4].ds_score, 0);	/* conclusion: never */
	diagram_sections_free(v, n);

	n = diagram_sections(table, &v);
	ck_assert_int_eq(v[0].ds_score, 3);
	diagram_sections_free(v, n);
	n = diagram_sections(short_one, &v);
	ck_assert_int_eq(v[0].ds_score, 0);	/* too few words */
	diagram_sections_free(v, n);
	n = diagram_sections(mermaid, &v);
	ck_assert_int_eq(v[0].ds_has_mermaid, 1);
	ck_assert_int_eq(v[0].ds_score, 0);
	diagram_sections_free(v, n);
	/* a keyword must be a word: "overflow" is not "flow" */
	n = diagram_sections("## Overflowing Stepping\n\n" PROSE, &v);
	ck_assert_int_eq(v[0].ds_score, 0);
	diagram_sections_free(v, n);
	n = diagram_sections("## Flows and Steps\n\n" PROSE, &v);
	ck_assert_int_eq(v[0].ds_score, 6);
	diagram_sections_free(v, n);
}
END_TEST

START_TEST(test_pick)
{
	struct diagram_section	*v;
	size_t			 n, picked[4];
	const char		*ties =
	    "## Pipeline One\n\n" PROSE "\n## Pipeline Two\n\n" PROSE
	    "\n## Layers vs Steps\n\n" PROSE;

	n = diagram_sections(article, &v);
	ck_assert_uint_eq(diagram_pick(v, n, 1, picked), 1);
	ck_assert_uint_eq(picked[0], 2);
	ck_assert_uint_eq(diagram_pick(v, n, 4, picked), 2);
	ck_assert_uint_eq(picked[0], 2);
	ck_assert_uint_eq(picked[1], 3);
	ck_assert_uint_eq(diagram_pick(v, n, 0, picked), 0);
	diagram_sections_free(v, n);

	/* the best score first; on a tie the earlier; document order */
	n = diagram_sections(ties, &v);
	ck_assert_int_eq(v[0].ds_score, 3);
	ck_assert_int_eq(v[1].ds_score, 3);
	ck_assert_int_eq(v[2].ds_score, 6);
	ck_assert_uint_eq(diagram_pick(v, n, 1, picked), 1);
	ck_assert_uint_eq(picked[0], 2);
	ck_assert_uint_eq(diagram_pick(v, n, 2, picked), 2);
	ck_assert_uint_eq(picked[0], 0);
	ck_assert_uint_eq(picked[1], 2);
	diagram_sections_free(v, n);
}
END_TEST

START_TEST(test_prompts)
{
	struct diagram_section	*v;
	struct buf		 big;
	size_t			 n, i;
	char			*p;

	n = diagram_sections(article, &v);
	p = diagram_prompt(article, &v[2]);
	ck_assert_ptr_nonnull(strstr(p, DIAGRAM_GEN_PHRASE));
	ck_assert_ptr_nonnull(strstr(p, "SECTION HEADING: How the Request "
	    "Pipeline Works\n"));
	ck_assert_ptr_nonnull(strstr(p, "A request enters the load balancer"));
	ck_assert_ptr_nonnull(strstr(p, "At most 15 nodes"));
	ck_assert_ptr_nonnull(strstr(p, "```mermaid fence"));
	ck_assert_ptr_nonnull(strstr(p, "Caption:"));
	ck_assert_ptr_nonnull(strstr(p, "%%{init}%%"));
	/* the next section is not in it; the title phrase never is */
	ck_assert_ptr_null(strstr(p, "The cache answers first"));
	ck_assert_ptr_null(strcasestr(p, "return only the title"));
	free(p);
	p = diagram_validation_prompt(article, &v[2],
	    "flowchart LR\n  A --> B");
	ck_assert_ptr_nonnull(strstr(p, DIAGRAM_VAL_PHRASE));
	ck_assert_ptr_null(strstr(p, DIAGRAM_GEN_PHRASE));
	ck_assert_ptr_nonnull(strstr(p, "```mermaid\nflowchart LR\n  A --> B"
	    "\n```"));
	ck_assert_ptr_nonnull(strstr(p, "A request enters the load balancer"));
	ck_assert_ptr_nonnull(strstr(p, "{\"ok\": true or false"));
	free(p);
	diagram_sections_free(v, n);

	/* a long section is cut to DIAGRAM_SECTION_MAX */
	buf_init(&big);
	buf_puts(&big, "## Pipeline\n\n");
	for (i = 0; i < 60; i++)
		buf_puts(&big, PROSE);
	n = diagram_sections(buf_cstr(&big), &v);
	p = diagram_prompt(buf_cstr(&big), &v[0]);
	ck_assert_uint_lt(strlen(p), DIAGRAM_SECTION_MAX + 2000);
	ck_assert_uint_gt(strlen(p), DIAGRAM_SECTION_MAX);
	free(p);
	diagram_sections_free(v, n);
	buf_release(&big);
}
END_TEST

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return (v);
}

START_TEST(test_request_bodies)
{
	struct llm_call		 call;
	struct json_object	*root, *msg, *rf, *js, *schema, *req;

	diagram_call_init(&call, 0, "gpt-4o-mini", 0, "draw it");
	ck_assert_str_eq(call.c_op, DIAGRAM_OP_GENERATION);
	ck_assert_int_eq(call.c_max_tokens, DIAGRAM_GEN_MAX_TOKENS);
	root = diagram_request_body(&call, 0);
	ck_assert_str_eq(json_object_get_string(get(root, "model")),
	    "gpt-4o-mini");
	msg = json_object_array_get_idx(get(root, "messages"), 0);
	ck_assert_str_eq(json_object_get_string(get(msg, "role")), "user");
	ck_assert_str_eq(json_object_get_string(get(msg, "content")),
	    "draw it");
	ck_assert_int_eq(json_object_get_int(get(root, "max_tokens")),
	    DIAGRAM_GEN_MAX_TOKENS);
	ck_assert(!json_object_object_get_ex(root, "response_format", NULL));
	json_object_put(root);

	diagram_call_init(&call, 1, "gpt-5-mini", 1, "judge it");
	ck_assert_str_eq(call.c_op, DIAGRAM_OP_VALIDATION);
	ck_assert_int_eq(call.c_max_tokens, DIAGRAM_VAL_MAX_TOKENS_REASONING);
	root = diagram_request_body(&call, 1);
	ck_assert_int_eq(json_object_get_int(get(root,
	    "max_completion_tokens")), DIAGRAM_VAL_MAX_TOKENS_REASONING);
	rf = get(root, "response_format");
	ck_assert_str_eq(json_object_get_string(get(rf, "type")),
	    "json_schema");
	js = get(rf, "json_schema");
	ck_assert(json_object_get_boolean(get(js, "strict")));
	schema = get(js, "schema");
	ck_assert_str_eq(json_object_get_string(get(get(get(schema,
	    "properties"), "ok"), "type")), "boolean");
	req = get(schema, "required");
	ck_assert_uint_eq(json_object_array_length(req), 2);
	ck_assert(!json_object_get_boolean(get(schema,
	    "additionalProperties")));
	json_object_put(root);
}
END_TEST

START_TEST(test_verdict)
{
	char	reason[64];
	int	ok;

	ck_assert_int_eq(diagram_parse_verdict("{\"ok\": true, \"reason\": "
	    "\"fine\"}", &ok, reason, sizeof(reason)), 0);
	ck_assert_int_eq(ok, 1);
	ck_assert_str_eq(reason, "fine");
	ck_assert_int_eq(diagram_parse_verdict("```json\n{\"ok\": false, "
	    "\"reason\": \"adds a cache the text never mentions\"}\n```",
	    &ok, reason, sizeof(reason)), 0);
	ck_assert_int_eq(ok, 0);
	ck_assert_str_eq(reason, "adds a cache the text never mentions");
	ck_assert_int_eq(diagram_parse_verdict("Verdict: {\"ok\":true} done",
	    &ok, reason, sizeof(reason)), 0);
	ck_assert_int_eq(ok, 1);
	ck_assert_str_eq(reason, "");
	/* a long reason is cut to the buffer */
	ck_assert_int_eq(diagram_parse_verdict("{\"ok\": false, \"reason\": "
	    "\"0123456789012345678901234567890123456789012345678901234567890"
	    "123456789\"}", &ok, reason, sizeof(reason)), 0);
	ck_assert_uint_eq(strlen(reason), sizeof(reason) - 1);
	/* not a verdict */
	ck_assert_int_eq(diagram_parse_verdict("yes, it is fine", &ok, reason,
	    sizeof(reason)), -1);
	ck_assert_int_eq(diagram_parse_verdict("{\"ok\": \"true\"}", &ok,
	    reason, sizeof(reason)), -1);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(diagram_parse_verdict("{\"reason\": \"x\"}", &ok,
	    reason, sizeof(reason)), -1);
	ck_assert_int_eq(diagram_parse_verdict("{\"ok\": true} {\"ok\": "
	    "false}", &ok, reason, sizeof(reason)), -1);
	ck_assert_int_eq(diagram_parse_verdict("[true]", &ok, reason,
	    sizeof(reason)), -1);
	ck_assert_int_eq(diagram_parse_verdict("} {", &ok, reason,
	    sizeof(reason)), -1);
}
END_TEST

START_TEST(test_insert)
{
	struct diagram_section	*v, *w;
	size_t			 n, m, at;
	char			*out;
	const char		*fig;
	const char		*code = "flowchart LR\n  A --> B\n";

	n = diagram_sections(article, &v);
	/* a section that opens with prose: after its first paragraph */
	at = diagram_insert_point(article, &v[2]);
	ck_assert(strncmp(article + at, "\n```sh", 6) == 0);
	out = diagram_insert(article, at, code, "The request path", 1);
	fig = strstr(out, "```mermaid\nflowchart LR\n  A --> B\n```\n\n"
	    "*Figure 1: The request path*\n\n```sh\n");
	ck_assert_msg(fig != NULL, "%s", out);
	/* the paragraph before it ends with a blank line */
	ck_assert(strncmp(fig - 2, "\n\n", 2) == 0);
	/* everything else is unchanged */
	ck_assert(strncmp(out, article, at) == 0);
	ck_assert_str_eq(strstr(out, "```sh\n"), article + at + 1);
	/* and the section now holds a Mermaid block */
	m = diagram_sections(out, &w);
	ck_assert_uint_eq(m, n);
	ck_assert_int_eq(w[2].ds_has_mermaid, 1);
	ck_assert_int_eq(w[3].ds_has_mermaid, 0);
	diagram_sections_free(w, m);
	free(out);

	/* a section that opens with a list: straight after the heading */
	at = diagram_insert_point(article, &v[3]);
	ck_assert_uint_eq(at, v[3].ds_text);
	out = diagram_insert(article, at, code, "Layers", 2);
	ck_assert_ptr_nonnull(strstr(out, "### Storage Layers\n\n```mermaid\n"
	    "flowchart LR\n  A --> B\n```\n\n*Figure 2: Layers*\n\n1. The "
	    "cache"));
	free(out);
	diagram_sections_free(v, n);

	/* a last section without a final newline */
	n = diagram_sections("## Flow\nOne line of text", &v);
	at = diagram_insert_point("## Flow\nOne line of text", &v[0]);
	ck_assert_uint_eq(at, strlen("## Flow\nOne line of text"));
	out = diagram_insert("## Flow\nOne line of text", at, code, "F", 1);
	ck_assert_str_eq(out, "## Flow\nOne line of text\n\n```mermaid\n"
	    "flowchart LR\n  A --> B\n```\n\n*Figure 1: F*\n");
	free(out);
	diagram_sections_free(v, n);
	/* a heading with nothing after it */
	n = diagram_sections("## Flow", &v);
	at = diagram_insert_point("## Flow", &v[0]);
	out = diagram_insert("## Flow", at, code, "F", 1);
	ck_assert_str_eq(out, "## Flow\n\n```mermaid\nflowchart LR\n"
	    "  A --> B\n```\n\n*Figure 1: F*\n");
	free(out);
	diagram_sections_free(v, n);
}
END_TEST

START_TEST(test_budget_estimates)
{
	struct pricing		*p = load_pricing();
	struct diagram_budget	 db;
	double			 gen, val;

	/* gpt-4o-mini: 0.15 in, 0.60 out per million tokens */
	gen = diagram_estimate(p, "gpt-4o-mini", 4000, 900);
	ck_assert_double_eq_tol(gen, 1000 * 0.15e-6 + 900 * 0.6e-6, 1e-12);
	ck_assert_double_eq(diagram_estimate(p, "no-such-model", 4000, 900),
	    0);
	ck_assert_double_eq(diagram_estimate(NULL, "gpt-4o-mini", 4000, 900),
	    0);
	/* the generation call also needs room for its validation */
	val = diagram_estimate(p, "gpt-4o-mini", 4000 + 900 * 4 + 1200, 200);
	diagram_budget_init(&db, p, gen + val - 1e-9, 0, 0, 3);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini", 4000,
	    900, 200), 0);
	ck_assert_int_eq(db.db_stopped, 1);
	/* once stopped, no call at all */
	ck_assert_int_eq(diagram_budget_may_validate(&db, "gpt-4o-mini", 10,
	    1), 0);
	diagram_budget_release(&db);
	diagram_budget_init(&db, p, gen + val + 1e-9, 0, 0, 3);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini", 4000,
	    900, 200), 1);
	ck_assert_int_eq(db.db_generations, 1);
	diagram_budget_release(&db);

	/* the article's cap, less what it spent, limits too */
	diagram_budget_init(&db, p, 0.05, 0.002, 0.0015, 1);
	ck_assert_int_eq(db.db_capped, 1);
	ck_assert_double_eq_tol(db.db_limit, 0.0005, 1e-12);
	diagram_budget_release(&db);
	diagram_budget_init(&db, p, 0.0001, 0.5, 0.1, 1);
	ck_assert_double_eq_tol(db.db_limit, 0.0001, 1e-12);
	diagram_budget_release(&db);
	diagram_budget_init(&db, p, 0, 0.002, 0.003, 1);
	ck_assert_double_eq(db.db_limit, 0);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini", 10,
	    10, 10), 0);
	diagram_budget_release(&db);
	/* no limit in USD: only the count stops it */
	diagram_budget_init(&db, p, 0, 0, 0, 2);
	ck_assert_int_eq(db.db_capped, 0);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini",
	    1000000, 900, 200), 1);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini",
	    1000000, 900, 200), 1);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini",
	    10, 900, 200), 0);
	/* the count does not stop the validation of the last one */
	ck_assert_int_eq(db.db_stopped, 0);
	ck_assert_int_eq(diagram_budget_may_validate(&db, "gpt-4o-mini", 10,
	    200), 1);
	diagram_budget_release(&db);
	/* DIAGRAMS_MAX 0: nothing */
	diagram_budget_init(&db, p, 1, 0, 0, 0);
	ck_assert_int_eq(diagram_budget_may_generate(&db, "gpt-4o-mini", 10,
	    10, 10), 0);
	diagram_budget_release(&db);
	pricing_free(p);
}
END_TEST

START_TEST(test_budget_records_and_front_matter)
{
	struct pricing		*p = load_pricing();
	struct diagram_budget	 db;
	struct render_cost	*rc;
	struct render_input	 in;
	struct item		 it;
	static char		 title[] = "A story", author[] = "someone";
	static char		 url[] = "https://example.com/story";
	static char		 source[] = "hackernews", topic[] = "caching";
	char			*file, *topics[] = { topic };
	size_t			 n;

	diagram_budget_init(&db, p, 0.01, 0, 0, 1);
	diagram_budget_record(&db, DIAGRAM_OP_GENERATION, "gpt-4o-mini", 1000,
	    500);
	diagram_budget_record(&db, DIAGRAM_OP_VALIDATION, "gpt-4o-mini", 2000,
	    50);
	ck_assert_uint_eq(db.db_ncalls, 2);
	ck_assert_double_eq_tol(db.db_calls[0].dc_amount, 0.00045, 1e-12);
	ck_assert_double_eq_tol(db.db_spent, 0.00045 + 0.00033, 1e-12);
	ck_assert_int_eq(db.db_calls[1].dc_prompt_tokens, 2000);
	n = diagram_render_costs(&db, &rc);
	ck_assert_uint_eq(n, 2);

	memset(&it, 0, sizeof(it));
	it.it_title = title;
	it.it_url = url;
	it.it_author = author;
	it.it_source = source;
	it.it_topics = topics;
	it.it_ntopics = 1;
	memset(&in, 0, sizeof(in));
	in.ri_item = &it;
	in.ri_title = "Title";
	in.ri_body = "Body.";
	in.ri_summary = "Summary.";
	in.ri_generator = "general";
	in.ri_model_content = "gpt-4o-mini";
	in.ri_model_title = "gpt-4o-mini";
	in.ri_costs = rc;
	in.ri_ncosts = n;
	in.ri_illustrations = 1;
	file = render_article(&in, "Body.");
	ck_assert_msg(strstr(file, "generation_costs:\n"
	    "  diagram_generation:\n  - 0.00045\n"
	    "  diagram_validation:\n  - 0.00033\n") != NULL, "%s", file);
	ck_assert_ptr_nonnull(strstr(file, "\nillustrations_count: 1\n"));
	free(file);
	free(rc);
	diagram_budget_release(&db);
	pricing_free(p);
}
END_TEST

/* A run of diagram_illustrate() against a fresh stand-in. */
struct run {
	struct standin		 s;
	struct llm_client	*client;
	struct pricing		*pricing;
	struct diagram_budget	 db;
	struct diagram_report	 dr;
	struct llm_error	 err;
	char			*body;
	int			 ret;
};

static void
run_start(struct run *r, const char *faults)
{
	struct llm_config	 lc;
	const char		*extra[] = { "--faults", faults, NULL };
	char			 errbuf[256];

	memset(r, 0, sizeof(*r));
	standin_start(&r->s, faults != NULL ? extra : NULL);
	ck_assert_msg(llm_global_init(errbuf, sizeof(errbuf)) == 0, "%s",
	    errbuf);
	memset(&lc, 0, sizeof(lc));
	lc.lc_provider = "openai";
	lc.lc_base_url = r->s.base_url;
	lc.lc_timeout_s = 20;
	lc.lc_connect_timeout_s = 5;
	lc.lc_retries = 0;
	r->client = llm_client_new(&lc, errbuf, sizeof(errbuf));
	ck_assert_msg(r->client != NULL, "%s", errbuf);
	r->pricing = load_pricing();
}

static void
run_illustrate(struct run *r, const char *body, int max, double usd)
{
	struct diagram_settings	ds;

	ds.dg_model = "gpt-4o-mini";
	ds.dg_max = max;
	ds.dg_reasoning = 0;
	diagram_budget_init(&r->db, r->pricing, usd, 0, 0, max);
	r->ret = diagram_illustrate(r->client, NULL, body, &ds, &r->db,
	    &r->dr, &r->body, &r->err);
}

static void
run_stop(struct run *r)
{
	free(r->body);
	diagram_report_release(&r->dr);
	diagram_budget_release(&r->db);
	pricing_free(r->pricing);
	llm_client_free(r->client);
	llm_global_cleanup();
	standin_stop(&r->s);
}

static int
count(const char *s, const char *needle)
{
	int	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return (n);
}

START_TEST(test_run_inserts_one)
{
	struct run	 r;
	char		 errbuf[256], *code;
	const char	*fence;

	run_start(&r, NULL);
	run_illustrate(&r, article, 1, 0.05);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_int_eq(standin_requests(&r.s), 2);
	ck_assert_int_eq(r.dr.dr_inserted, 1);
	ck_assert_uint_eq(r.dr.dr_nattempts, 1);
	ck_assert_str_eq(r.dr.dr_attempts[0].da_section,
	    "How the Request Pipeline Works");
	ck_assert_int_eq(r.dr.dr_attempts[0].da_outcome, DIAGRAM_INSERTED);
	/* both calls priced and recorded */
	ck_assert_uint_eq(r.db.db_ncalls, 2);
	ck_assert_str_eq(r.db.db_calls[0].dc_op, DIAGRAM_OP_GENERATION);
	ck_assert_str_eq(r.db.db_calls[1].dc_op, DIAGRAM_OP_VALIDATION);
	ck_assert(r.db.db_calls[0].dc_amount > 0);
	ck_assert(r.db.db_calls[1].dc_amount > 0);
	ck_assert_int_gt(r.db.db_calls[1].dc_prompt_tokens, 0);
	/* the diagram, after the section's first paragraph, checks */
	ck_assert_int_eq(count(r.body, "```mermaid\n"), 1);
	ck_assert_msg(strstr(r.body, "*Figure 1: How the Request Pipeline "
	    "Works at a glance*\n") != NULL, "%s", r.body);
	fence = strstr(r.body, "```mermaid\n") + 11;
	ck_assert(strstr(r.body, "A request enters") < fence);
	ck_assert(strstr(r.body, "```sh") > fence);
	code = xstrndup(fence, (size_t)(strstr(fence, "```") - fence));
	ck_assert_msg(mermaid_check(code, errbuf, sizeof(errbuf)) == 0, "%s",
	    errbuf);
	free(code);
	run_stop(&r);
}
END_TEST

START_TEST(test_run_invalid_still_costs)
{
	struct run	r;

	/* the fault: the generation call returns a broken diagram */
	run_start(&r, "diagram_invalid");
	run_illustrate(&r, article, 1, 0.05);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_int_eq(r.dr.dr_inserted, 0);
	ck_assert_int_eq(r.dr.dr_attempts[0].da_outcome, DIAGRAM_INVALID);
	ck_assert_ptr_nonnull(strstr(r.dr.dr_attempts[0].da_reason,
	    "line 2:"));
	/* no validation call for code that does not check; still priced */
	ck_assert_int_eq(standin_requests(&r.s), 1);
	ck_assert_uint_eq(r.db.db_ncalls, 1);
	ck_assert(r.db.db_calls[0].dc_amount > 0);
	ck_assert(r.db.db_spent > 0);
	/* the article is unchanged */
	ck_assert_str_eq(r.body, article);
	run_stop(&r);
}
END_TEST

START_TEST(test_run_invalid_by_marker)
{
	struct run	 r;
	struct buf	 b;

	buf_init(&b);
	buf_puts(&b, "## Pipeline Stages\n\nSTANDIN_DIAGRAM_INVALID " PROSE);
	run_start(&r, NULL);
	run_illustrate(&r, buf_cstr(&b), 1, 0);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_int_eq(r.dr.dr_attempts[0].da_outcome, DIAGRAM_INVALID);
	ck_assert_uint_eq(r.db.db_ncalls, 1);
	ck_assert_str_eq(r.body, buf_cstr(&b));
	run_stop(&r);
	buf_release(&b);
}
END_TEST

START_TEST(test_run_rejected_still_costs)
{
	struct run	r;

	/* the generation call answers normally, the verdict is "no" */
	run_start(&r, "ok,diagram_reject");
	run_illustrate(&r, article, 1, 0.05);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_int_eq(standin_requests(&r.s), 2);
	ck_assert_int_eq(r.dr.dr_inserted, 0);
	ck_assert_int_eq(r.dr.dr_attempts[0].da_outcome, DIAGRAM_REJECTED);
	ck_assert_str_eq(r.dr.dr_attempts[0].da_reason, "The diagram shows "
	    "steps the section does not describe.");
	ck_assert_uint_eq(r.db.db_ncalls, 2);
	ck_assert(r.db.db_calls[0].dc_amount > 0 &&
	    r.db.db_calls[1].dc_amount > 0);
	ck_assert_str_eq(r.body, article);
	run_stop(&r);
}
END_TEST

START_TEST(test_run_budget_stops_calls)
{
	struct diagram_section	*v;
	struct run		 r;
	struct buf		 b;
	size_t			 i, n, len;
	double			 need;
	char			*prompt;

	/* three sections worth a diagram, of the same length */
	buf_init(&b);
	for (i = 0; i < 3; i++)
		buf_printf(&b, "## Pipeline Stage %zu\n\n%s\n", i + 1, PROSE);
	run_start(&r, NULL);
	/* room for exactly the first generation and validation calls */
	n = diagram_sections(buf_cstr(&b), &v);
	ck_assert_uint_eq(n, 3);
	prompt = diagram_prompt(buf_cstr(&b), &v[0]);
	len = strlen(prompt);
	need = diagram_estimate(r.pricing, "gpt-4o-mini", len,
	    DIAGRAM_GEN_MAX_TOKENS) + diagram_estimate(r.pricing,
	    "gpt-4o-mini", len + DIAGRAM_GEN_MAX_TOKENS * 4 +
	    DIAGRAM_VAL_OVERHEAD, DIAGRAM_VAL_MAX_TOKENS);
	free(prompt);
	diagram_sections_free(v, n);
	run_illustrate(&r, buf_cstr(&b), 3, need);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_uint_eq(r.dr.dr_nattempts, 3);
	ck_assert_int_eq(r.dr.dr_attempts[0].da_outcome, DIAGRAM_INSERTED);
	ck_assert_int_eq(r.dr.dr_attempts[1].da_outcome, DIAGRAM_NO_BUDGET);
	ck_assert_int_eq(r.dr.dr_attempts[2].da_outcome, DIAGRAM_NO_BUDGET);
	ck_assert_int_eq(r.dr.dr_inserted, 1);
	/* exactly the two calls of the first diagram reached the server */
	ck_assert_int_eq(standin_requests(&r.s), 2);
	ck_assert_uint_eq(r.db.db_ncalls, 2);
	ck_assert(r.db.db_spent > 0 && r.db.db_spent <= need);
	ck_assert_int_eq(count(r.body, "```mermaid"), 1);
	ck_assert_ptr_nonnull(strstr(r.body, "*Figure 1: Pipeline Stage 1 at a "
	    "glance*"));
	run_stop(&r);

	/* with room for all three: three diagrams, numbered in order */
	run_start(&r, NULL);
	run_illustrate(&r, buf_cstr(&b), 3, 0.05);
	ck_assert_int_eq(r.dr.dr_inserted, 3);
	ck_assert_int_eq(standin_requests(&r.s), 6);
	ck_assert_ptr_nonnull(strstr(r.body, "*Figure 3: Pipeline Stage 3 at a "
	    "glance*"));
	ck_assert(strstr(r.body, "Figure 1: Pipeline Stage 1") <
	    strstr(r.body, "Figure 2: Pipeline Stage 2"));
	run_stop(&r);
	buf_release(&b);
}
END_TEST

START_TEST(test_run_failed_calls)
{
	struct run	r;

	/* a call that fails for good ends the step, not the article */
	run_start(&r, "status:400");
	run_illustrate(&r, article, 2, 0);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_int_eq(r.dr.dr_attempts[0].da_outcome, DIAGRAM_CALL_FAILED);
	ck_assert_ptr_nonnull(strstr(r.dr.dr_attempts[0].da_reason,
	    "HTTP 400"));
	ck_assert_int_eq(r.dr.dr_attempts[1].da_outcome, DIAGRAM_NO_BUDGET);
	ck_assert_int_eq(standin_requests(&r.s), 1);
	ck_assert_uint_eq(r.db.db_ncalls, 0);
	ck_assert_str_eq(r.body, article);
	run_stop(&r);

	/* a fatal one stops the article */
	run_start(&r, "ok,status:401");
	run_illustrate(&r, article, 1, 0);
	ck_assert_int_eq(r.ret, -1);
	ck_assert_int_eq(r.err.e_fatal, 1);
	ck_assert_str_eq(r.err.e_code, "http_401");
	ck_assert_ptr_null(r.body);
	/* the generation call made before it is recorded */
	ck_assert_uint_eq(r.db.db_ncalls, 1);
	run_stop(&r);
}
END_TEST

START_TEST(test_run_nothing_to_do)
{
	struct run	r;

	run_start(&r, NULL);
	/* DIAGRAMS_MAX 0 */
	run_illustrate(&r, article, 0, 0);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_str_eq(r.body, article);
	ck_assert_uint_eq(r.dr.dr_nattempts, 0);
	free(r.body);
	diagram_report_release(&r.dr);
	diagram_budget_release(&r.db);
	/* no section worth a diagram */
	run_illustrate(&r, "Intro.\n\n## Why It Matters\n\n" PROSE, 1, 0);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_uint_eq(r.dr.dr_nattempts, 0);
	ck_assert_int_eq(standin_requests(&r.s), 0);
	run_stop(&r);
}
END_TEST

Suite *
diagram_suite(void)
{
	Suite	*s = suite_create("diagram");
	TCase	*tc = tcase_create("core");
	TCase	*tr = tcase_create("standin");

	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_scores);
	tcase_add_test(tc, test_pick);
	tcase_add_test(tc, test_prompts);
	tcase_add_test(tc, test_request_bodies);
	tcase_add_test(tc, test_verdict);
	tcase_add_test(tc, test_insert);
	tcase_add_test(tc, test_budget_estimates);
	tcase_add_test(tc, test_budget_records_and_front_matter);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tr, 60);
	tcase_add_test(tr, test_run_inserts_one);
	tcase_add_test(tr, test_run_invalid_still_costs);
	tcase_add_test(tr, test_run_invalid_by_marker);
	tcase_add_test(tr, test_run_rejected_still_costs);
	tcase_add_test(tr, test_run_budget_stops_calls);
	tcase_add_test(tr, test_run_failed_calls);
	tcase_add_test(tr, test_run_nothing_to_do);
	suite_add_tcase(s, tr);
	return (s);
}
