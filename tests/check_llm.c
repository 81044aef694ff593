/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_llm.c: the LLM client's request bodies, reply parsing, error
 * classification, Retry-After and backoff; and the price table.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "llm.h"
#include "pricing.h"
#include "tests.h"
#include "xmalloc.h"

static struct json_object *
body_of(const char *model, int max_tokens, double temp)
{
	struct llm_call		 call;
	struct json_object	*o;
	char			*s;

	memset(&call, 0, sizeof(call));
	call.c_op = "content";
	call.c_model = model;
	call.c_prompt = "say \"hi\"\nplease";
	call.c_max_tokens = max_tokens;
	call.c_temperature = temp;
	s = llm_openai_body(&call);
	o = json_tokener_parse(s);
	free(s);
	ck_assert_ptr_nonnull(o);
	return (o);
}

START_TEST(test_body_gpt5_sends_completion_cap)
{
	struct json_object	*o = body_of("gpt-5-mini", 16000, 0.6), *v;

	ck_assert(json_object_object_get_ex(o, "max_completion_tokens", &v));
	ck_assert_int_eq(json_object_get_int(v), 16000);
	ck_assert(!json_object_object_get_ex(o, "max_tokens", &v));
	ck_assert(!json_object_object_get_ex(o, "temperature", &v));
	ck_assert(json_object_object_get_ex(o, "stream", &v));
	ck_assert(!json_object_get_boolean(v));
	json_object_put(o);
}
END_TEST

START_TEST(test_body_other_models)
{
	struct json_object	*o = body_of("llama3.1:8b", 2000, 0.6), *v, *m;

	ck_assert(json_object_object_get_ex(o, "max_tokens", &v));
	ck_assert_int_eq(json_object_get_int(v), 2000);
	ck_assert(json_object_object_get_ex(o, "temperature", &v));
	ck_assert(json_object_get_double(v) > 0.59);
	ck_assert(json_object_object_get_ex(o, "messages", &m));
	ck_assert_int_eq(json_object_array_length(m), 1);
	v = json_object_array_get_idx(m, 0);
	ck_assert(json_object_object_get_ex(v, "content", &m));
	ck_assert_str_eq(json_object_get_string(m), "say \"hi\"\nplease");
	json_object_put(o);
	o = body_of("o3-mini", 100, 0.2);
	ck_assert(json_object_object_get_ex(o, "max_completion_tokens", &v));
	ck_assert(!json_object_object_get_ex(o, "temperature", &v));
	json_object_put(o);
}
END_TEST

/* A call's lc_response_format goes into the body as it is; none without. */
START_TEST(test_body_response_format)
{
	struct llm_call		 call;
	struct json_object	*rf, *o, *v;
	char			*s;

	memset(&call, 0, sizeof(call));
	call.c_op = "judge";
	call.c_model = "gpt-5-mini";
	call.c_prompt = "judge it";
	call.c_max_tokens = 200;
	s = llm_openai_body(&call);
	o = json_tokener_parse(s);
	free(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(!json_object_object_get_ex(o, "response_format", NULL));
	json_object_put(o);
	rf = json_tokener_parse("{\"type\":\"json_schema\",\"json_schema\":"
	    "{\"name\":\"v\",\"strict\":true,\"schema\":{\"type\":"
	    "\"object\"}}}");
	ck_assert_ptr_nonnull(rf);
	call.lc_response_format = rf;
	s = llm_openai_body(&call);
	o = json_tokener_parse(s);
	free(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "response_format", &v));
	ck_assert(json_object_equal(v, rf));
	json_object_put(o);
	/* borrowed: still the caller's */
	ck_assert_str_eq(json_object_get_string(json_object_object_get(rf,
	    "type")), "json_schema");
	json_object_put(rf);
}
END_TEST

static int
parse(const char *body, int status, struct llm_reply *r, struct llm_error *e)
{
	memset(e, 0, sizeof(*e));
	return (llm_openai_parse(body, strlen(body), status, r, e));
}

START_TEST(test_parse_ok)
{
	struct llm_reply	r;
	struct llm_error	e;

	ck_assert_int_eq(parse("{\"choices\":[{\"message\":{\"role\":"
	    "\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
	    "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}", 200,
	    &r, &e), 0);
	ck_assert_str_eq(r.r_content, "Hello");
	ck_assert_int_eq(r.r_prompt_tokens, 12);
	ck_assert_int_eq(r.r_completion_tokens, 3);
	llm_reply_release(&r);
	/* no usage: zero tokens, still a reply */
	ck_assert_int_eq(parse("{\"choices\":[{\"message\":{\"content\":"
	    "\"x\"}}]}", 200, &r, &e), 0);
	ck_assert_int_eq(r.r_prompt_tokens, 0);
	llm_reply_release(&r);
}
END_TEST

START_TEST(test_parse_failures)
{
	struct llm_reply	r;
	struct llm_error	e;

	/* a 200 that is not a completion is retried like a 5xx */
	ck_assert_int_eq(parse("this is not json {", 200, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "bad_response");
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(e.e_fatal, 0);
	ck_assert_int_eq(parse("{\"choices\":[{\"message\":{\"content\":"
	    "\"x\"}}]", 200, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "bad_response");
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(parse("{\"choices\":[]}", 200, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "bad_response");
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(parse("{\"object\":\"chat.completion\"}", 200, &r,
	    &e), -1);
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(parse("{\"choices\":[{\"message\":\"hi\"}]}", 200,
	    &r, &e), -1);
	ck_assert_str_eq(e.e_code, "bad_response");
	/* all the output cap went on reasoning: cut off, not empty */
	ck_assert_int_eq(parse("{\"choices\":[{\"message\":{\"content\":"
	    "\"  \\n\"},\"finish_reason\":\"length\"}]}", 200, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "truncated");
	ck_assert_ptr_nonnull(strstr(e.e_message, "length"));
	ck_assert_int_eq(parse("{\"choices\":[{\"message\":{\"content\":"
	    "null}}]}", 200, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "empty_reply");
	ck_assert_int_eq(parse("{\"x\":1} trailing", 200, &r, &e), -1);
}
END_TEST

/* A 200 completion whose first choice is message and finish. */
static int
parse_choice(const char *message, const char *finish, struct llm_reply *r,
    struct llm_error *e)
{
	char	*body;
	int	 rc;

	if (finish != NULL)
		xasprintf(&body, "{\"choices\":[{\"index\":0,\"message\":%s,"
		    "\"finish_reason\":\"%s\"}],\"usage\":{\"prompt_tokens\":9,"
		    "\"completion_tokens\":5}}", message, finish);
	else
		xasprintf(&body, "{\"choices\":[{\"index\":0,\"message\":%s,"
		    "\"finish_reason\":null}]}", message);
	rc = parse(body, 200, r, e);
	free(body);
	return (rc);
}

/*
 * Replies that must not become an article: each fails with the code
 * and a message that names what happened; none is retryable as an
 * ordinary error (llm_complete() retries "truncated" itself, once).
 */
START_TEST(test_parse_unpublishable)
{
	struct llm_reply	r;
	struct llm_error	e;

	/* cut off at the output cap, mid-sentence */
	ck_assert_int_eq(parse_choice("{\"role\":\"assistant\",\"content\":"
	    "\"Postgres 18 adds asynchronous reads, which\"}", "length", &r,
	    &e), -1);
	ck_assert_str_eq(e.e_code, "truncated");
	ck_assert_int_eq(e.e_retryable, 0);
	ck_assert_ptr_nonnull(strstr(e.e_message, "truncated: "));
	ck_assert_ptr_nonnull(strstr(e.e_message, "finish_reason length"));
	/* withheld by the content filter, with or without text */
	ck_assert_int_eq(parse_choice("{\"content\":\"Part of an"
	    "\"}", "content_filter", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "filtered");
	ck_assert_ptr_nonnull(strstr(e.e_message, "filtered: "));
	ck_assert_int_eq(parse_choice("{\"content\":null}", "content_filter",
	    &r, &e), -1);
	ck_assert_str_eq(e.e_code, "filtered");
	/* the refusal member, content null */
	ck_assert_int_eq(parse_choice("{\"role\":\"assistant\",\"content\":"
	    "null,\"refusal\":\"I'm sorry, I cannot assist with that.\"}",
	    "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "refused");
	ck_assert_str_eq(e.e_message, "refused: the model declined to write it "
	    "(\"I'm sorry, I cannot assist with that.\")");
	/* a refusal member wins over content */
	ck_assert_int_eq(parse_choice("{\"content\":\"Some text\",\"refusal\":"
	    "\"No.\"}", "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "refused");
	/* an empty refusal member is no refusal */
	ck_assert_int_eq(parse_choice("{\"content\":\"Some text\",\"refusal\":"
	    "\"\"}", "stop", &r, &e), 0);
	llm_reply_release(&r);
	/* a refusal part */
	ck_assert_int_eq(parse_choice("{\"content\":[{\"type\":\"refusal\","
	    "\"refusal\":\"I can't help with that.\"}]}", "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "refused");
	ck_assert_ptr_nonnull(strstr(e.e_message, "I can't help with that."));
	ck_assert_int_eq(parse_choice("{\"content\":[{\"type\":\"text\","
	    "\"text\":\"Intro.\"},{\"type\":\"refusal\",\"refusal\":\"No.\"}]}",
	    "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "refused");
	/* content that is only an apology, in a string or in parts */
	ck_assert_int_eq(parse_choice("{\"content\":\"I'm sorry, but I can't "
	    "help with that.\"}", "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "refused");
	ck_assert_str_eq(e.e_message, "refused: the reply is only a refusal "
	    "(\"I'm sorry, but I can't help with that.\")");
	ck_assert_int_eq(parse_choice("{\"content\":[{\"type\":\"text\","
	    "\"text\":\"I'm sorry, but \"},{\"type\":\"text\",\"text\":\"I "
	    "can't help with that.\"}]}", "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "refused");
	/* a long refusal is quoted in part, on one line */
	ck_assert_int_eq(parse_choice("{\"refusal\":\"I can't.\\nThis request "
	    "asks for something I will not write, for reasons of policy, "
	    "safety, and a long list of other considerations that go on and "
	    "on for quite a while longer than anyone would want to read.\"}",
	    "stop", &r, &e), -1);
	ck_assert_ptr_null(strchr(e.e_message, '\n'));
	ck_assert_uint_lt(strlen(e.e_message), 220);
	/* a title that merely sounds like one is a title */
	ck_assert_int_eq(parse_choice("{\"content\":\"I Can't Stop Using "
	    "Rust\"}", "stop", &r, &e), 0);
	ck_assert_str_eq(r.r_content, "I Can't Stop Using Rust");
	llm_reply_release(&r);
}
END_TEST

/* Content as an array of text parts is accepted: the parts, joined. */
START_TEST(test_parse_content_parts)
{
	struct llm_reply	r;
	struct llm_error	e;

	ck_assert_int_eq(parse_choice("{\"role\":\"assistant\",\"content\":["
	    "{\"type\":\"text\",\"text\":\"Postgres 18 adds \"},"
	    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},"
	    "{\"type\":\"text\",\"text\":\"asynchronous reads.\"},"
	    "{\"text\":\" More\\u0000.\"},{\"type\":\"text\",\"text\":7}]}",
	    "stop", &r, &e), 0);
	ck_assert_str_eq(r.r_content, "Postgres 18 adds asynchronous reads. "
	    "More\xef\xbf\xbd.");
	ck_assert_int_eq(r.r_completion_tokens, 5);
	llm_reply_release(&r);
	/* parts without any text: an empty reply */
	ck_assert_int_eq(parse_choice("{\"content\":[]}", "stop", &r, &e), -1);
	ck_assert_str_eq(e.e_code, "empty_reply");
	ck_assert_int_eq(parse_choice("{\"content\":[{\"type\":\"text\","
	    "\"text\":\"  \"}]}", NULL, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "empty_reply");
	/* content of another type is no content */
	ck_assert_int_eq(parse_choice("{\"content\":{\"text\":\"x\"}}", "stop",
	    &r, &e), -1);
	ck_assert_str_eq(e.e_code, "empty_reply");
}
END_TEST

/* A key quoted back in a server's error text never leaves llm.c. */
START_TEST(test_key_masked_in_server_text)
{
	struct llm_reply	r;
	struct llm_error	e;

	ck_assert_int_eq(parse("{\"error\":{\"message\":\"Incorrect API key "
	    "provided: sk-proj-AbCdEf0123456789_xyz. You can find your API "
	    "key at https://example.com.\",\"code\":\"invalid_api_key\"}}", 401,
	    &r, &e), -1);
	ck_assert_ptr_null(strstr(e.e_message, "AbCdEf"));
	ck_assert_str_eq(e.e_message, "HTTP 401: Incorrect API key provided: "
	    "sk-***. You can find your API key at https://example.com.");
	/* twice, in a 5xx, next to text */
	ck_assert_int_eq(parse("{\"error\":{\"message\":\"keys sk-aaaaaaaa1 "
	    "and (sk-bbbbbbbbbbbbbbbb) rejected\"}}", 502, &r, &e), -1);
	ck_assert_str_eq(e.e_message, "HTTP 502: keys sk-*** and (sk-***) "
	    "rejected");
	/* too short to be a key, or already masked: left alone */
	ck_assert_int_eq(parse("{\"error\":{\"message\":\"task-ok sk-1234567 "
	    "sk-proj-****abcd\"}}", 400, &r, &e), -1);
	ck_assert_str_eq(e.e_message, "HTTP 400: task-ok sk-1234567 "
	    "sk-proj-****abcd");
	/* in a refusal quoted back */
	ck_assert_int_eq(parse_choice("{\"refusal\":\"I will not use "
	    "sk-live-0123456789abcdef.\"}", "stop", &r, &e), -1);
	ck_assert_ptr_null(strstr(e.e_message, "0123456789"));
}
END_TEST

/* The second cap after a cut-off reply: double, within the model's. */
START_TEST(test_grown_cap)
{
	ck_assert_int_eq(llm_grown_cap("gpt-4o-mini", 2000), 4000);
	ck_assert_int_eq(llm_grown_cap("gpt-4o-mini", 10000), 16384);
	ck_assert_int_eq(llm_grown_cap("gpt-4o-mini", 16384), 0);
	ck_assert_int_eq(llm_grown_cap("gpt-5-mini", 16000), 32000);
	ck_assert_int_eq(llm_grown_cap("gpt-5-nano", 100000), 128000);
	ck_assert_int_eq(llm_grown_cap("gpt-3.5-turbo", 2500), 4096);
	ck_assert_int_eq(llm_grown_cap("o1-preview", 30000), 32768);
	ck_assert_int_eq(llm_grown_cap("o3-mini", 16000), 32000);
	/* an unknown model: double, the server decides */
	ck_assert_int_eq(llm_grown_cap("llama3.1:8b", 2500), 5000);
	/* no cap was sent: there is nothing to raise */
	ck_assert_int_eq(llm_grown_cap("gpt-4o", 0), 0);
	ck_assert_int_eq(llm_model_output_max("gpt-4.1-mini"), 32768);
	ck_assert_int_eq(llm_model_output_max("mystery"), 0);
}
END_TEST

START_TEST(test_classify)
{
	struct llm_reply	r;
	struct llm_error	e;
	static const char	quota[] = "{\"error\":{\"message\":\"You "
	    "exceeded your current quota\",\"type\":\"insufficient_quota\","
	    "\"code\":\"insufficient_quota\"}}";
	static const char	rate[] = "{\"error\":{\"message\":\"Rate "
	    "limit reached\",\"type\":\"requests\",\"code\":"
	    "\"rate_limit_exceeded\"}}";

	ck_assert_int_eq(parse(quota, 429, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "insufficient_quota");
	ck_assert_int_eq(e.e_fatal, 1);
	ck_assert_int_eq(e.e_retryable, 0);
	ck_assert_int_eq(parse(rate, 429, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "http_429");
	ck_assert_int_eq(e.e_fatal, 0);
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_ptr_nonnull(strstr(e.e_message, "Rate limit reached"));
	ck_assert_int_eq(parse("{\"error\":{\"message\":\"Incorrect API "
	    "key provided\"}}", 401, &r, &e), -1);
	ck_assert_int_eq(e.e_fatal, 1);
	ck_assert_str_eq(e.e_code, "http_401");
	ck_assert_int_eq(parse("", 403, &r, &e), -1);
	ck_assert_int_eq(e.e_fatal, 1);
	ck_assert_int_eq(parse("<html>bad gateway</html>", 502, &r, &e), -1);
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(e.e_fatal, 0);
	ck_assert_int_eq(parse("{}", 408, &r, &e), -1);
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(parse("{}", 409, &r, &e), -1);
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(parse("{\"error\":{\"message\":\"bad model\"}}", 400,
	    &r, &e), -1);
	ck_assert_int_eq(e.e_retryable, 0);
	ck_assert_int_eq(e.e_fatal, 0);
	ck_assert_str_eq(e.e_code, "http_400");
	ck_assert_int_eq(parse("{}", 404, &r, &e), -1);
	ck_assert_int_eq(e.e_retryable, 0);
}
END_TEST

START_TEST(test_retry_after)
{
	ck_assert_int_eq(llm_parse_retry_after("1500", "3", 0), 1500);
	ck_assert_int_eq(llm_parse_retry_after(NULL, "3", 0), 3000);
	ck_assert_int_eq(llm_parse_retry_after("", "0.5", 0), 500);
	ck_assert_int_eq(llm_parse_retry_after(NULL, NULL, 0), -1);
	ck_assert_int_eq(llm_parse_retry_after(NULL, "soon", 0), -1);
	/* HTTP date, 20 s after "now" */
	ck_assert_int_eq(llm_parse_retry_after(NULL,
	    "Wed, 21 Oct 2015 07:28:20 GMT", 1445412480), 20000);
}
END_TEST

START_TEST(test_backoff)
{
	ck_assert_int_eq(llm_backoff_ms(0, 0.0), 500);
	ck_assert_int_eq(llm_backoff_ms(1, 0.0), 1000);
	ck_assert_int_eq(llm_backoff_ms(3, 0.0), 4000);
	ck_assert_int_eq(llm_backoff_ms(4, 0.0), 8000);
	ck_assert_int_eq(llm_backoff_ms(9, 0.0), 8000);
	ck_assert_int_eq(llm_backoff_ms(0, 1.0), 375);
}
END_TEST

START_TEST(test_client_rejects_bad_config)
{
	struct llm_config	 lc;
	char			 errbuf[128];

	memset(&lc, 0, sizeof(lc));
	lc.lc_base_url = "ftp://example.com";
	ck_assert_ptr_null(llm_client_new(&lc, errbuf, sizeof(errbuf)));
	lc.lc_base_url = "http://127.0.0.1:1/v1";
	lc.lc_provider = "nonesuch";
	ck_assert_ptr_null(llm_client_new(&lc, errbuf, sizeof(errbuf)));
	ck_assert_ptr_nonnull(strstr(errbuf, "nonesuch"));
}
END_TEST

/* A loopback port nothing listens on (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ne(fd, -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

START_TEST(test_connect_refused_is_retryable)
{
	char			 url[64];
	struct llm_config	 lc;
	struct llm_client	*c;
	struct llm_call		 call;
	struct llm_reply	 r;
	struct llm_error	 e;
	char			 errbuf[128];

	memset(&lc, 0, sizeof(lc));
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1", closed_port());
	lc.lc_base_url = url;
	lc.lc_api_key = "sk-test-never-printed";
	lc.lc_timeout_s = 5;
	lc.lc_retries = 0;
	c = llm_client_new(&lc, errbuf, sizeof(errbuf));
	ck_assert_ptr_nonnull(c);
	memset(&call, 0, sizeof(call));
	call.c_op = "content";
	call.c_model = "gpt-4o-mini";
	call.c_prompt = "hello";
	call.c_max_tokens = 10;
	call.c_temperature = 0.5;
	ck_assert_int_eq(llm_complete(c, &call, NULL, &r, &e), -1);
	ck_assert_str_eq(e.e_code, "connect");
	ck_assert_int_eq(e.e_retryable, 1);
	ck_assert_int_eq(llm_client_attempts(c), 1);
	ck_assert_ptr_null(strstr(e.e_message, "sk-test"));
	llm_client_free(c);
}
END_TEST

static struct pricing *
load_pricing(void)
{
	struct pricing	*p;
	char		 path[1024], errbuf[256];

	snprintf(path, sizeof(path), "%s/config/pricing.json", test_srcdir());
	p = pricing_load(path, errbuf, sizeof(errbuf));
	ck_assert_msg(p != NULL, "%s", errbuf);
	return (p);
}

START_TEST(test_pricing_rates)
{
	struct pricing	*p = load_pricing();
	double		 in, out;
	char		 err[256];
	int		 known;

	/* gpt-4o-mini: in*0.15/1e6 + out*0.60/1e6 */
	ck_assert_double_eq_tol(pricing_text_cost(p, "gpt-4o-mini", 1000, 500,
	    &known), 0.00045, 1e-12);
	ck_assert_int_eq(known, 1);
	ck_assert_double_eq_tol(pricing_text_cost(p, "gpt-3.5-turbo", 1000,
	    500, NULL), 0.00125, 1e-12);
	ck_assert_int_eq(pricing_rates(p, "gpt-5-mini-2025-08-07", &in, &out),
	    0);
	ck_assert_double_eq_tol(in, 0.18, 1e-12);
	ck_assert_double_eq_tol(out, 0.72, 1e-12);
	ck_assert_double_eq(pricing_text_cost(p, "mystery-model", 1000, 1000,
	    &known), 0.0);
	ck_assert_int_eq(known, 0);
	ck_assert_double_eq_tol(pricing_image_cost(p, "dall-e-3-hd-1792x1024"),
	    0.08, 1e-12);
	ck_assert_double_eq_tol(pricing_image_cost(p,
	    "dall-e-3-standard-1024x1024"), 0.02, 1e-12);
	ck_assert(pricing_image_cost(p, "dall-e-9-x") < 0);
	ck_assert(pricing_image_cost(p, "dall-e-3-ultra-1024x1024") < 0);
	ck_assert(pricing_image_cost(p, "-hd-1024x1024") < 0);
	ck_assert(pricing_image_cost(p, "1024x1024") < 0);
	pricing_free(p);
	/* any model of the table's images, its name holding dashes or not */
	p = pricing_parse("{\"version\":1,\"models\":{},\"images\":{"
	    "\"gpt-image-1\":{\"1536x1024\":{\"medium\":0.063}},"
	    "\"pic\":{\"512x512\":{\"low\":0.01}}}}", "inline", err,
	    sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	ck_assert_double_eq_tol(pricing_image_cost(p,
	    "gpt-image-1-medium-1536x1024"), 0.063, 1e-12);
	ck_assert_double_eq_tol(pricing_image_cost(p, "pic-low-512x512"), 0.01,
	    1e-12);
	ck_assert(pricing_image_cost(p, "gpt-image-1-high-1536x1024") < 0);
	pricing_free(p);
}
END_TEST

START_TEST(test_pricing_bad_files)
{
	char	errbuf[256];

	ck_assert_ptr_null(pricing_parse("{", "t.json", errbuf,
	    sizeof(errbuf)));
	ck_assert_ptr_nonnull(strstr(errbuf, "t.json"));
	ck_assert_ptr_null(pricing_parse("{\"models\":{\"m\":{\"input\":-1,"
	    "\"output\":1}}}", "t.json", errbuf, sizeof(errbuf)));
	ck_assert_ptr_nonnull(strstr(errbuf, "models.m"));
	ck_assert_ptr_null(pricing_parse("[]", "t.json", errbuf,
	    sizeof(errbuf)));
	ck_assert_ptr_null(pricing_load("/nonexistent/p.json", errbuf,
	    sizeof(errbuf)));
	ck_assert_ptr_nonnull(strstr(errbuf, "/nonexistent/p.json"));
}
END_TEST

Suite *
llm_suite(void)
{
	Suite	*s = suite_create("llm");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_body_gpt5_sends_completion_cap);
	tcase_add_test(tc, test_body_other_models);
	tcase_add_test(tc, test_body_response_format);
	tcase_add_test(tc, test_parse_ok);
	tcase_add_test(tc, test_parse_failures);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_parse_unpublishable);
	tcase_add_test(tc, test_parse_content_parts);
	tcase_add_test(tc, test_key_masked_in_server_text);
	tcase_add_test(tc, test_grown_cap);
	tcase_add_test(tc, test_retry_after);
	tcase_add_test(tc, test_backoff);
	tcase_add_test(tc, test_client_rejects_bad_config);
	tcase_add_test(tc, test_connect_refused_is_retryable);
	tcase_add_test(tc, test_pricing_rates);
	tcase_add_test(tc, test_pricing_bad_files);
	suite_add_tcase(s, tc);
	return (s);
}
