/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_wire.c: job, result and error messages survive the trip through
 * the protocol encoder and decoder unchanged; bad jobs are named.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>

#include "gen.h"
#include "item.h"
#include "proto.h"
#include "tests.h"
#include "wire.h"
#include "xmalloc.h"

static struct proto_msg
round_trip(struct json_object *o)
{
	struct proto_msg	 msg;
	char			 errbuf[256];
	char			*line;
	size_t			 len;

	line = proto_encode(o, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert(line[len - 1] == '\n');
	ck_assert_msg(proto_decode(line, len - 1, &msg, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
	free(line);
	return (msg);
}

static char topic_text[][16] = { "c", "unix\nlines", "emoji 🚀" };
static char *topics[] = { topic_text[0], topic_text[1], topic_text[2] };
static char related_text[] = "https://example.org/r";
static char *related[] = { related_text };

START_TEST(test_job_round_trip)
{
	struct item		 it;
	struct gen_settings	 gs;
	struct wire_api		 run;
	struct article_job	 got;
	struct proto_msg	 msg;
	char			 errbuf[256];

	memset(&it, 0, sizeof(it));
	it.it_id = (char *)(uintptr_t)"hn_1";
	it.it_title = (char *)(uintptr_t)"A \"quoted\" title";
	it.it_content = (char *)(uintptr_t)"line\nline 2 {\"json\":1}";
	it.it_source = (char *)(uintptr_t)"hackernews";
	it.it_url = (char *)(uintptr_t)"https://example.com/a";
	it.it_author = (char *)(uintptr_t)"pg";
	it.it_research_summary = (char *)(uintptr_t)"notes";
	it.it_topics = topics;
	it.it_ntopics = 3;
	it.it_related = related;
	it.it_nrelated = 1;
	it.it_quality = 0.75;
	memset(&gs, 0, sizeof(gs));
	gs.gs_model_content = "gpt-5-mini";
	gs.gs_model_title = "gpt-5-nano";
	gs.gs_content_dir = "/tmp/c";
	gs.gs_run_id = NULL;
	gs.gs_now = 1768358816;
	gs.gs_replace_path = "/tmp/c/old.md";
	gs.gs_kept_fm = "cover:\n  image: \"/c.png\"\n";
	gs.gs_draft = 1;
	memset(&run, 0, sizeof(run));
	run.wa_base_url = "http://127.0.0.1:9/v1";
	run.wa_provider = "openai";
	run.wa_timeout_s = 30;
	run.wa_retries = 2;
	run.wa_pricing_path = "/p.json";
	msg = round_trip(wire_article_job_new(7, &it, &gs, &run));
	ck_assert_int_eq(msg.m_type, PROTO_JOB);
	ck_assert_int_eq(msg.m_id, 7);
	ck_assert_str_eq(proto_get_str(&msg, "kind"), "article");
	ck_assert_int_eq(wire_article_job_parse(&msg, &got, errbuf,
	    sizeof(errbuf)), 0);
	ck_assert_str_eq(got.aj_item.it_title, it.it_title);
	ck_assert_str_eq(got.aj_item.it_content, it.it_content);
	ck_assert_uint_eq(got.aj_item.it_ntopics, 3);
	ck_assert_str_eq(got.aj_item.it_topics[2], "emoji 🚀");
	ck_assert_str_eq(got.aj_item.it_related[0], related[0]);
	ck_assert_double_eq_tol(got.aj_item.it_quality, 0.75, 1e-12);
	ck_assert_str_eq(got.aj_gs.gs_model_content, "gpt-5-mini");
	ck_assert_ptr_null(got.aj_gs.gs_run_id);
	ck_assert_str_eq(got.aj_gs.gs_replace_path, "/tmp/c/old.md");
	ck_assert_str_eq(got.aj_gs.gs_kept_fm, gs.gs_kept_fm);
	ck_assert_int_eq(got.aj_gs.gs_draft, 1);
	ck_assert_int_eq(got.aj_gs.gs_now, 1768358816);
	ck_assert_str_eq(got.aj_api.wa_base_url, "http://127.0.0.1:9/v1");
	ck_assert_int_eq(got.aj_api.wa_timeout_s, 30);
	ck_assert_int_eq(got.aj_api.wa_retries, 2);
	wire_article_job_release(&got);
	proto_msg_release(&msg);
}
END_TEST

START_TEST(test_bad_jobs_are_named)
{
	static const char *const cases[][2] = {
		{ "{\"v\":2,\"type\":\"job\",\"id\":1}", "item" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":1,\"item\":{},\"settings\":{}}",
		  "original" },
	};
	struct proto_msg	msg;
	struct article_job	aj;
	char			errbuf[256];
	size_t			i;

	for (i = 0; i < nitems(cases); i++) {
		ck_assert_int_eq(proto_decode(cases[i][0], strlen(cases[i][0]),
		    &msg, errbuf, sizeof(errbuf)), 0);
		ck_assert_int_eq(wire_article_job_parse(&msg, &aj, errbuf,
		    sizeof(errbuf)), -1);
		ck_assert_msg(strstr(errbuf, cases[i][1]) != NULL,
		    "case %zu: '%s' does not name '%s'", i, errbuf,
		    cases[i][1]);
		proto_msg_release(&msg);
	}
}
END_TEST

/* The diagram settings go through; a job without them asks for none. */
START_TEST(test_job_diagram_settings)
{
	static const char *const bad[][2] = {	/* member, bad value */
		{ "diagrams_max", "21" },
		{ "diagrams_max", "\"1\"" },
		{ "diagram_budget", "-0.5" },
		{ "diagram_budget", "\"0.02\"" },
		{ "model_diagram", "3" },
	};
	struct item		 it;
	struct gen_settings	 gs;
	struct wire_api		 run;
	struct article_job	 got;
	struct proto_msg	 msg;
	struct json_object	*job, *set;
	char			 errbuf[256];
	size_t			 i;

	memset(&it, 0, sizeof(it));
	it.it_id = (char *)(uintptr_t)"hn_1";
	it.it_title = (char *)(uintptr_t)"A title";
	it.it_content = (char *)(uintptr_t)"text";
	it.it_source = (char *)(uintptr_t)"hackernews";
	it.it_url = (char *)(uintptr_t)"https://example.com/a";
	it.it_author = (char *)(uintptr_t)"pg";
	it.it_research_summary = (char *)(uintptr_t)"notes";
	memset(&gs, 0, sizeof(gs));
	gs.gs_model_content = "gpt-5-mini";
	gs.gs_model_title = "gpt-5-nano";
	gs.gs_content_dir = "/tmp/c";
	gs.gs_diagrams_max = 2;
	gs.gs_diagram_budget = 0.015;
	gs.gs_model_diagram = "gpt-4o-mini";
	memset(&run, 0, sizeof(run));
	run.wa_base_url = "http://127.0.0.1:9/v1";
	run.wa_timeout_s = 30;
	run.wa_pricing_path = "/p.json";
	msg = round_trip(wire_article_job_new(7, &it, &gs, &run));
	ck_assert_int_eq(wire_article_job_parse(&msg, &got, errbuf,
	    sizeof(errbuf)), 0);
	ck_assert_int_eq(got.aj_gs.gs_diagrams_max, 2);
	ck_assert_double_eq_tol(got.aj_gs.gs_diagram_budget, 0.015, 1e-12);
	ck_assert_str_eq(got.aj_gs.gs_model_diagram, "gpt-4o-mini");
	wire_article_job_release(&got);
	proto_msg_release(&msg);

	/* unset model: none sent, none decoded (the content model's) */
	gs.gs_model_diagram = NULL;
	gs.gs_diagrams_max = 0;
	msg = round_trip(wire_article_job_new(8, &it, &gs, &run));
	ck_assert_int_eq(wire_article_job_parse(&msg, &got, errbuf,
	    sizeof(errbuf)), 0);
	ck_assert_int_eq(got.aj_gs.gs_diagrams_max, 0);
	ck_assert_ptr_null(got.aj_gs.gs_model_diagram);
	wire_article_job_release(&got);
	proto_msg_release(&msg);

	/* a job of a peer that knows nothing of diagrams */
	gs.gs_diagrams_max = 3;
	gs.gs_model_diagram = "gpt-4o-mini";
	job = wire_article_job_new(9, &it, &gs, &run);
	ck_assert(json_object_object_get_ex(job, "settings", &set));
	json_object_object_del(set, "diagrams_max");
	json_object_object_del(set, "diagram_budget");
	json_object_object_del(set, "model_diagram");
	msg = round_trip(json_object_get(job));
	ck_assert_msg(wire_article_job_parse(&msg, &got, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
	ck_assert_int_eq(got.aj_gs.gs_diagrams_max, 0);
	ck_assert_double_eq(got.aj_gs.gs_diagram_budget, 0);
	ck_assert_ptr_null(got.aj_gs.gs_model_diagram);
	wire_article_job_release(&got);
	proto_msg_release(&msg);

	for (i = 0; i < nitems(bad); i++) {
		struct json_object	*v;

		v = json_tokener_parse(bad[i][1]);
		ck_assert_ptr_nonnull(v);
		json_object_object_add(set, bad[i][0], v);
		msg = round_trip(json_object_get(job));
		ck_assert_int_eq(wire_article_job_parse(&msg, &got, errbuf,
		    sizeof(errbuf)), -1);
		ck_assert_msg(strstr(errbuf, bad[i][0]) != NULL,
		    "case %zu: '%s' does not name '%s'", i, errbuf, bad[i][0]);
		proto_msg_release(&msg);
		json_object_object_del(set, bad[i][0]);
	}
	json_object_put(job);
}
END_TEST

START_TEST(test_result_and_error_round_trip)
{
	struct gen_result	r, got;
	struct gen_error	e, ge;
	struct gen_cost		costs[2];
	struct proto_msg	msg;
	char			errbuf[256];

	memset(&r, 0, sizeof(r));
	r.gr_path = (char *)(uintptr_t)"/c/2026-01-14-x.md";
	r.gr_file = (char *)(uintptr_t)"2026-01-14-x.md";
	r.gr_title = (char *)(uintptr_t)"X: \"y\"";
	r.gr_slug = (char *)(uintptr_t)"x-y";
	r.gr_words = 812;
	r.gr_minutes = 4;
	costs[0].gc_op = (char *)(uintptr_t)"content_generation";
	costs[0].gc_model = (char *)(uintptr_t)"gpt-5-mini";
	costs[0].gc_amount = 0.00271065;
	costs[0].gc_prompt_tokens = 1000;
	costs[0].gc_completion_tokens = 3000;
	costs[1].gc_op = (char *)(uintptr_t)"title_generation";
	costs[1].gc_model = (char *)(uintptr_t)"gpt-5-nano";
	costs[1].gc_amount = 5.04e-05;
	costs[1].gc_prompt_tokens = 300;
	costs[1].gc_completion_tokens = 80;
	r.gr_costs = costs;
	r.gr_ncosts = 2;
	r.gr_cost = 0.00276105;
	r.gr_calls = 2;
	r.gr_elapsed_ms = 1234;
	msg = round_trip(wire_result_new(3, &r));
	ck_assert_int_eq(wire_result_parse(&msg, &got, errbuf,
	    sizeof(errbuf)), 0);
	ck_assert_str_eq(got.gr_title, r.gr_title);
	ck_assert_uint_eq(got.gr_words, 812);
	ck_assert_uint_eq(got.gr_ncosts, 2);
	ck_assert_double_eq_tol(got.gr_cost, r.gr_cost, 1e-12);
	ck_assert_int_eq(got.gr_calls, 2);
	gen_result_release(&got);
	proto_msg_release(&msg);

	memset(&e, 0, sizeof(e));
	strlcpy(e.ge_code, "http_429", sizeof(e.ge_code));
	strlcpy(e.ge_message, "content call: HTTP 429 after 4 attempts",
	    sizeof(e.ge_message));
	e.ge_retryable = 1;
	e.ge_http_status = 429;
	e.ge_calls = 4;
	e.ge_exit = 75;
	msg = round_trip(wire_error_new(3, &e));
	ck_assert_int_eq(wire_error_parse(&msg, &ge, errbuf, sizeof(errbuf)),
	    0);
	ck_assert_str_eq(ge.ge_code, "http_429");
	ck_assert_str_eq(ge.ge_message, e.ge_message);
	ck_assert_int_eq(ge.ge_retryable, 1);
	ck_assert_int_eq(ge.ge_fatal, 0);
	ck_assert_int_eq(ge.ge_exit, 75);
	proto_msg_release(&msg);
}
END_TEST

Suite *
wire_suite(void)
{
	Suite	*s = suite_create("wire");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_job_round_trip);
	tcase_add_test(tc, test_bad_jobs_are_named);
	tcase_add_test(tc, test_job_diagram_settings);
	tcase_add_test(tc, test_result_and_error_round_trip);
	suite_add_tcase(s, tc);
	return (s);
}
