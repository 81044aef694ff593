/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_enrich.c: the enrich stage without a network: the gate, the page
 * fetch (through a scripted fetcher), the request with its JSON schema
 * and the page text in it, the validation of replies that do and do not
 * match the schema, the classification of API errors, and enriched
 * items written to a file that articlegen's loader reads back whole.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>

#include "enrich.h"
#include "item.h"
#include "sources.h"
#include "src_github.h"
#include "src_hn.h"
#include "src_mastodon.h"
#include "src_reddit.h"
#include "tests.h"
#include "xmalloc.h"

#define NOW	1796126400LL	/* 2026-12-01 12:00:00 UTC */

static const char good_content[] =
    "{\"quality_score\":0.82,\"quality_reason\":\"A measured cost cut with "
    "numbers.\",\"topics\":[\"CI/CD\",\"spot instances\",\"autoscaling\","
    "\"caching\",\"cost optimization\"],\"research_summary\":\"The team "
    "moved builds to a self-hosted runner pool on spot instances and cut "
    "the monthly bill from 41 000 to 19 500 dollars.\\n\\nJobs must be "
    "idempotent because ephemeral disks vanish on interruption.\"}";

static const char page_html[] =
    "<!DOCTYPE html><html><head><title>Spot runners</title><script>"
    "track()</script></head><body><nav>Home | About</nav><article>"
    "<p>Our CI bill fell from 41&nbsp;000 to 19&nbsp;500 dollars a month."
    "</p><p>Ephemeral disks vanish on interruption.</p></article><footer>"
    "Copyright</footer></body></html>";

static json_object *
collected(void)
{
	json_object	*o;

	o = json_tokener_parse("{\"id\":\"mastodon_1\",\"title\":\"CI costs\","
	    "\"content\":\"Wrote up how we cut our CI bill in half with a "
	    "self-hosted runner pool on spot instances.\",\"source\":"
	    "\"mastodon\",\"url\":\"https://social.example/@jane/1\","
	    "\"author\":\"jane@social.example\",\"collected_at\":"
	    "\"2026-12-01T11:00:00+00:00\",\"metadata\":{\"favourites_count\":"
	    "54,\"reblogs_count\":21,\"card_url\":\"https://blog.example.org/"
	    "ci\"}}");
	ck_assert_ptr_nonnull(o);
	return (o);
}

/* ---- a scripted fetcher: pages and the chat endpoint ---- */

struct fake {
	long		 f_status;
	const char	*f_body;
	const char	*f_ctype;
	char		*f_sent;	/* the last POST body */
	char		 f_bearer[64];
};

static int
fake_fetch(void *arg, const char *url, const struct fetch_opts *o,
    struct fetch_result *fr, char *errbuf, size_t errlen)
{
	struct fake	*f = arg;

	(void)url;
	memset(fr, 0, sizeof(*fr));
	if (f->f_status == 0) {
		(void)snprintf(errbuf, errlen, "timed out");
		return (-1);
	}
	if (o->fo_body != NULL) {
		free(f->f_sent);
		f->f_sent = xstrndup(o->fo_body, o->fo_bodylen);
	}
	if (o->fo_bearer != NULL)
		(void)strlcpy(f->f_bearer, o->fo_bearer, sizeof(f->f_bearer));
	fr->fr_status = f->f_status;
	fr->fr_body = xstrdup(f->f_body);
	fr->fr_len = strlen(f->f_body);
	if (f->f_ctype != NULL)
		(void)strlcpy(fr->fr_content_type, f->f_ctype,
		    sizeof(fr->fr_content_type));
	return (0);
}

/* A chat completion whose content is s (a JSON text). */
static char *
completion(const char *content, const char *finish)
{
	json_object	*root, *choices, *c, *msg;
	char		*out;

	msg = json_object_new_object();
	json_object_object_add(msg, "role", json_object_new_string(
	    "assistant"));
	json_object_object_add(msg, "content", content != NULL ?
	    json_object_new_string(content) : NULL);
	json_object_object_add(msg, "refusal", NULL);
	c = json_object_new_object();
	json_object_object_add(c, "index", json_object_new_int(0));
	json_object_object_add(c, "message", msg);
	json_object_object_add(c, "finish_reason",
	    json_object_new_string(finish));
	choices = json_object_new_array();
	json_object_array_add(choices, c);
	root = json_object_new_object();
	json_object_object_add(root, "id", json_object_new_string("chatcmpl-1"));
	json_object_object_add(root, "object",
	    json_object_new_string("chat.completion"));
	json_object_object_add(root, "choices", choices);
	out = xstrdup(json_object_to_json_string(root));
	json_object_put(root);
	return (out);
}

/* ---- the validator ---- */

START_TEST(test_valid_reply)
{
	struct enrich_reply	r;
	char			err[256];

	ck_assert_int_eq(enrich_validate_content(good_content,
	    strlen(good_content), &r, err, sizeof(err)), 0);
	ck_assert_double_eq_tol(r.er_quality, 0.82, 1e-9);
	ck_assert_uint_eq(r.er_ntopics, 5);
	ck_assert_str_eq(r.er_topics[0], "ci/cd");	/* lower-cased */
	ck_assert_str_eq(r.er_reason, "A measured cost cut with numbers.");
	ck_assert_ptr_nonnull(strstr(r.er_summary, "19 500 dollars"));
	enrich_reply_release(&r);
}
END_TEST

START_TEST(test_replies_not_matching)
{
	static const struct {
		const char	*content;
		const char	*why;
	} bad[] = {
		{ "not json", "not JSON" },
		{ "[1,2]", "not a JSON object" },
		{ "{\"quality_score\":0.5} trailing", "trailing data" },
		{ "{\"quality_reason\":\"r\",\"topics\":[\"a\",\"b\",\"c\","
		    "\"d\",\"e\"],\"research_summary\":\"long enough research "
		    "summary text for the check.\"}", "quality_score: missing" },
		{ "{\"quality_score\":1.2,\"quality_reason\":\"r\"}",
		    "quality_score: 1.2 is outside" },
		{ "{\"quality_score\":-0.1}", "outside [0, 1]" },
		{ "{\"quality_score\":\"0.5\"}", "quality_score: not a number" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"  \"}",
		    "quality_reason: empty" },
		{ "{\"quality_score\":0.5,\"quality_reason\":7}",
		    "quality_reason: not a string" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"a\",\"b\",\"c\",\"d\"]}", "topics: 4 of them" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]}",
		    "topics: 8 of them" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "\"a, b\"}", "topics: not an array" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"a\",\"b\",3,\"d\",\"e\"]}", "topics[2]" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"Rust\",\"b\",\"rust\",\"d\",\"e\"]}", "repeats" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"a\",\"b\",\"c\",\"d\",\"e\"],\"research_summary\":"
		    "\"short\"}", "too short" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
		    "research_summary: missing" },
		{ "{\"quality_score\":0.5,\"quality_reason\":\"r\",\"topics\":"
		    "[\"a\",\"b\",\"c\",\"d\",\"e\"],\"research_summary\":\"long "
		    "enough research summary text for the check.\",\"extra\":1}",
		    "extra: a field the schema does not allow" },
	};
	struct enrich_reply	r;
	char			err[256];
	size_t			i;

	for (i = 0; i < nitems(bad); i++) {
		ck_assert_int_eq(enrich_validate_content(bad[i].content,
		    strlen(bad[i].content), &r, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i].why) != NULL,
		    "case %zu: '%s' lacks '%s'", i, err, bad[i].why);
		ck_assert_ptr_null(r.er_topics);
		ck_assert_ptr_null(r.er_summary);
	}
}
END_TEST

START_TEST(test_completion_envelope)
{
	struct enrich_reply	 r;
	char			 err[256], *body;

	body = completion(good_content, "stop");
	ck_assert_int_eq(enrich_parse_completion(body, strlen(body), &r, err,
	    sizeof(err)), 0);
	enrich_reply_release(&r);
	free(body);

	body = completion(good_content, "length");
	ck_assert_int_eq(enrich_parse_completion(body, strlen(body), &r, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "finish_reason length"));
	free(body);

	body = completion(NULL, "stop");
	ck_assert_int_eq(enrich_parse_completion(body, strlen(body), &r, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "content is not a string"));
	free(body);

	/* an article instead of JSON: does not match the schema */
	body = completion("# A title\n\nSome article text.", "stop");
	ck_assert_int_eq(enrich_parse_completion(body, strlen(body), &r, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "does not match the schema"));
	free(body);

	{
		const char *refused = "{\"choices\":[{\"message\":{\"role\":"
		    "\"assistant\",\"content\":null,\"refusal\":\"I can't help "
		    "with that.\"},\"finish_reason\":\"stop\"}]}";

		ck_assert_int_eq(enrich_parse_completion(refused,
		    strlen(refused), &r, err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "refused"));
	}
	ck_assert_int_eq(enrich_parse_completion("{\"choices\":[]}", 14, &r,
	    err, sizeof(err)), -1);
}
END_TEST

/* ---- the request ---- */

START_TEST(test_request_body)
{
	json_object	*item, *root, *rf, *v, *msgs, *schema, *props;
	char		*body, *page;
	const char	*user;
	size_t		 i;

	item = collected();
	page = xmalloc(30001);
	for (i = 0; i < 30000; i++)
		page[i] = (char)('a' + (char)(i % 26));
	page[30000] = '\0';
	memcpy(page, "PAGE-START ", 11);
	body = enrich_request_body("gpt-5-nano", item, page, 1000, 800);
	root = json_tokener_parse(body);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_object_object_get_ex(root, "model", &v));
	ck_assert_str_eq(json_object_get_string(v), "gpt-5-nano");
	ck_assert(json_object_object_get_ex(root, "max_completion_tokens", &v));
	ck_assert_int_eq(json_object_get_int(v), 800);
	ck_assert(json_object_object_get_ex(root, "response_format", &rf));
	ck_assert(json_object_object_get_ex(rf, "type", &v));
	ck_assert_str_eq(json_object_get_string(v), "json_schema");
	ck_assert(json_object_object_get_ex(rf, "json_schema", &v));
	ck_assert(json_object_object_get_ex(v, "schema", &schema));
	ck_assert(json_object_object_get_ex(schema, "required", &v));
	ck_assert_uint_eq(json_object_array_length(v), 4);
	ck_assert(json_object_object_get_ex(schema, "properties", &props));
	ck_assert(json_object_object_get_ex(props, "topics", &v));
	ck_assert(json_object_object_get_ex(v, "minItems", &v));
	ck_assert_int_eq(json_object_get_int(v), 5);
	ck_assert(json_object_object_get_ex(schema, "additionalProperties",
	    &v));
	ck_assert(!json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(root, "messages", &msgs));
	ck_assert_uint_eq(json_object_array_length(msgs), 2);
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(msgs, 1),
	    "content", &v));
	user = json_object_get_string(v);
	/* the page text, cut at the cap, and the post itself */
	ck_assert_ptr_nonnull(strstr(user, "PAGE-START"));
	ck_assert_ptr_nonnull(strstr(user, "Linked page text (cut)"));
	ck_assert_ptr_null(strstr(user, page + 900));
	ck_assert_ptr_nonnull(strstr(user, "self-hosted runner pool"));
	ck_assert_ptr_nonnull(strstr(user, "Engagement: 75"));
	json_object_put(root);
	free(body);

	/* without a page the prompt says so */
	body = enrich_request_body("m", item, NULL, 0, 0);
	ck_assert_ptr_nonnull(strstr(body, "Linked page text: not available"));
	ck_assert_ptr_null(strstr(body, "max_completion_tokens"));
	free(body);
	free(page);
	json_object_put(item);
}
END_TEST

/* ---- the gate ---- */

static int
known_url(void *arg, const char *normurl)
{
	return (strcmp(normurl, (const char *)arg) == 0);
}

START_TEST(test_gate)
{
	static char	 published[] = "https://social.example/@jane/1";
	static char	 other[] = "https://elsewhere.example/";
	json_object	*item, *noise, *bad;
	double		 h;
	char		 why[256];

	item = collected();
	ck_assert_int_eq(enrich_gate(item, known_url, published, 0.15, &h, why,
	    sizeof(why)), ENRICH_SKIP_KNOWN);
	ck_assert_double_eq(h, 0);
	ck_assert_int_eq(enrich_gate(item, known_url, other, 0.15, &h, why,
	    sizeof(why)), ENRICH_GO);
	ck_assert(h >= 0.15);
	ck_assert_ptr_nonnull(strstr(why, "pre-score"));
	ck_assert_int_eq(enrich_gate(item, NULL, NULL, 0.99, &h, why,
	    sizeof(why)), ENRICH_SKIP_NOISE);
	json_object_put(item);

	noise = json_tokener_parse("{\"id\":\"mastodon_2\",\"title\":\"LOL\","
	    "\"content\":\"LOL WHAT A DAY I AM SO DONE \xf0\x9f\x98\x82\xf0\x9f"
	    "\x98\x82\xf0\x9f\x98\x82\xf0\x9f\x98\x82\",\"source\":\"mastodon\","
	    "\"url\":\"https://social.example/@x/2\",\"author\":\"x\"}");
	ck_assert_int_eq(enrich_gate(noise, NULL, NULL, 0.15, &h, why,
	    sizeof(why)), ENRICH_SKIP_NOISE);
	json_object_put(noise);
	bad = json_tokener_parse("{\"id\":\"x_1\",\"url\":\"mailto:a@b\"}");
	ck_assert_int_eq(enrich_gate(bad, NULL, NULL, 0.15, &h, why,
	    sizeof(why)), ENRICH_SKIP_BAD);
	json_object_put(bad);
}
END_TEST

START_TEST(test_page_url)
{
	json_object	*o;

	o = collected();
	ck_assert_str_eq(enrich_page_url(o), "https://blog.example.org/ci");
	json_object_put(o);
	o = json_tokener_parse("{\"source\":\"hackernews\",\"url\":"
	    "\"https://news.ycombinator.com/item?id=1\"}");
	ck_assert_ptr_null(enrich_page_url(o));
	json_object_put(o);
	o = json_tokener_parse("{\"source\":\"mastodon\",\"url\":"
	    "\"https://social.example/@a/1\",\"metadata\":{}}");
	ck_assert_ptr_null(enrich_page_url(o));
	json_object_put(o);
	o = json_tokener_parse("{\"source\":\"reddit\",\"url\":"
	    "\"https://blog.example.net/x\"}");
	ck_assert_str_eq(enrich_page_url(o), "https://blog.example.net/x");
	json_object_put(o);
}
END_TEST

/* ---- the page fetch ---- */

START_TEST(test_fetch_page)
{
	struct fake	 f = { 200, page_html, "application/octet-stream; x",
	    NULL, "" };
	char		*text, err[256];

	/* HTML by sniffing even when the type says otherwise */
	f.f_ctype = "text/html; charset=utf-8";
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &f, "https://p.example/",
	    NULL, &text, err, sizeof(err)), 0);
	/* no-break spaces are blanks like any other */
	ck_assert_str_eq(text, "Our CI bill fell from 41 000 to 19 500 dollars "
	    "a month.\n\nEphemeral disks vanish on interruption.");
	free(text);
	f.f_ctype = "application/json";
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &f, "https://p.example/",
	    NULL, &text, err, sizeof(err)), 0);
	free(text);
	f.f_ctype = "text/plain";
	f.f_body = "Plain text page with enough words to be worth reading.";
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &f, "https://p.example/",
	    NULL, &text, err, sizeof(err)), 0);
	ck_assert_str_eq(text, f.f_body);
	free(text);
	f.f_ctype = "application/pdf";
	f.f_body = "%PDF-1.7 binary";
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &f, "https://p.example/",
	    NULL, &text, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a text page"));
	f.f_ctype = "text/html";
	f.f_body = "<html><body><nav>menu</nav><script>x()</script></body>"
	    "</html>";
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &f, "https://p.example/",
	    NULL, &text, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no readable text"));
	f.f_status = 404;
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &f, "https://p.example/",
	    NULL, &text, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "HTTP 404"));
	ck_assert_ptr_null(text);
}
END_TEST

/* ---- the call: the page reaches the research ---- */

START_TEST(test_call_grounded_in_page)
{
	struct fake		 page = { 200, page_html, "text/html", NULL, "" };
	struct fake		 api = { 200, NULL, "application/json", NULL,
	    "" };
	struct enrich_reply	 r;
	json_object		*item;
	char			*text, *body, *reply, err[256];

	item = collected();
	ck_assert_int_eq(enrich_fetch_page(fake_fetch, &page,
	    enrich_page_url(item), NULL, &text, err, sizeof(err)), 0);
	body = enrich_request_body("gpt-5-nano", item, text, 0, 0);
	reply = completion(good_content, "stop");
	api.f_body = reply;
	ck_assert_int_eq(enrich_call(fake_fetch, &api, "http://127.0.0.1:9/v1/",
	    "sk-test", body, 1000, &r, err, sizeof(err)), ENRICH_OK);
	/* what the model was sent holds the page's text, not its noise */
	ck_assert_ptr_nonnull(strstr(api.f_sent, "Ephemeral disks vanish on "
	    "interruption."));
	ck_assert_ptr_null(strstr(api.f_sent, "track()"));
	ck_assert_ptr_null(strstr(api.f_sent, "Home | About"));
	ck_assert_str_eq(api.f_bearer, "sk-test");
	enrich_reply_release(&r);
	free(reply);

	/* a reply that does not match the schema fails this item only */
	reply = completion("{\"quality_score\":0.9}", "stop");
	api.f_body = reply;
	ck_assert_int_eq(enrich_call(fake_fetch, &api, "http://127.0.0.1:9/v1",
	    NULL, body, 1000, &r, err, sizeof(err)), ENRICH_FAILED);
	ck_assert_ptr_nonnull(strstr(err, "does not match the schema"));
	free(reply);
	free(api.f_sent);
	free(body);
	free(text);
	json_object_put(item);
}
END_TEST

START_TEST(test_call_errors)
{
	static const struct {
		long			 status;
		const char		*body;
		enum enrich_status	 want;
	} cases[] = {
		{ 401, "{\"error\":{\"message\":\"Incorrect API key\","
		    "\"type\":\"invalid_request_error\",\"code\":"
		    "\"invalid_api_key\"}}", ENRICH_FATAL },
		{ 403, "{}", ENRICH_FATAL },
		{ 429, "{\"error\":{\"message\":\"You exceeded your current "
		    "quota\",\"type\":\"insufficient_quota\",\"code\":"
		    "\"insufficient_quota\"}}", ENRICH_FATAL },
		{ 429, "{\"error\":{\"message\":\"Rate limit reached\","
		    "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
		    ENRICH_RETRYABLE },
		{ 500, "oops", ENRICH_RETRYABLE },
		{ 400, "{\"error\":{\"message\":\"bad\"}}", ENRICH_FAILED },
	};
	struct fake		 api = { 0, NULL, NULL, NULL, "" };
	struct enrich_reply	 r;
	char			 err[256];
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		api.f_status = cases[i].status;
		api.f_body = cases[i].body;
		ck_assert_int_eq(enrich_call(fake_fetch, &api,
		    "http://127.0.0.1:9/v1", "sk-secret-key", "{}", 1000, &r,
		    err, sizeof(err)), cases[i].want);
		ck_assert_ptr_null(strstr(err, "sk-secret-key"));
	}
	ck_assert_int_eq(enrich_exit_code(ENRICH_FATAL), 69);
	ck_assert_int_eq(enrich_exit_code(ENRICH_RETRYABLE), 75);
	ck_assert_int_eq(enrich_exit_code(ENRICH_FAILED), 65);
	ck_assert_int_eq(enrich_exit_code(ENRICH_OK), 0);
	/* no answer at all: worth another try */
	api.f_status = 0;
	ck_assert_int_eq(enrich_call(fake_fetch, &api, "http://127.0.0.1:9/v1",
	    NULL, "{}", 1000, &r, err, sizeof(err)), ENRICH_RETRYABLE);
	free(api.f_sent);
}
END_TEST

/* ---- the enriched file through articlegen's own loader ---- */

/* One collected item of each source, made by the parsers themselves. */
static json_object *
collected_of_each_source(void)
{
	static const char hn[] = "{\"by\":\"asker\",\"id\":9004,\"score\":97,"
	    "\"text\":\"<p>How do you fence primaries?\",\"time\":1,\"title\":"
	    "\"Ask HN: Fencing\",\"type\":\"story\"}";
	static const char masto[] = "[{\"id\":\"7\",\"in_reply_to_id\":null,"
	    "\"language\":\"en\",\"url\":\"https://social.example/@j/7\","
	    "\"content\":\"<p>A status long enough to be kept by the length "
	    "filter, about Rust.</p>\",\"account\":{\"acct\":\"j\"}}]";
	static const char gh[] = "{\"items\":[{\"id\":2,\"name\":\"nodesc\","
	    "\"full_name\":\"quiet/nodesc\",\"owner\":{\"login\":\"quiet\"},"
	    "\"html_url\":\"https://github.com/quiet/nodesc\",\"description\":"
	    "null,\"language\":null}]}";
	static const char rd[] = "{\"kind\":\"Listing\",\"data\":{\"children\":"
	    "[{\"kind\":\"t3\",\"data\":{\"id\":\"a2\",\"title\":\"Zero-copy\","
	    "\"author\":\"pat\",\"is_self\":false,\"url\":\"https://blog."
	    "example.net/nom\",\"permalink\":\"/r/rust/comments/a2/zc/\"}}]}}";
	struct source_settings	 ss;
	struct source_stats	 st;
	json_object		*items, *it;
	char			 err[256];

	items = json_object_new_array();
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(hn_parse_item(hn, strlen(hn), NOW, &it, err,
	    sizeof(err)), 1);
	json_object_array_add(items, it);
	memset(&ss, 0, sizeof(ss));
	ss.ss_min_chars = 10;
	ss.ss_max_chars = 1000;
	ck_assert_int_eq(mastodon_parse_statuses(masto, strlen(masto),
	    "https://social.example", "trends", &ss, NOW, items, 10, &st, err,
	    sizeof(err)), 1);
	ck_assert_int_eq(github_parse_search(gh, strlen(gh), NOW, items, 10,
	    &st, err, sizeof(err)), 1);
	ck_assert_int_eq(reddit_parse_listing(rd, strlen(rd), NOW, items, 10,
	    &st, err, sizeof(err)), 1);
	return (items);
}

START_TEST(test_round_trip_through_loader)
{
	struct enrich_reply	 r;
	struct item_set		 set;
	json_object		*in, *out;
	char			*dir, *path, err[256];
	size_t			 i;
	int			 missing;

	ck_assert_int_eq(enrich_validate_content(good_content,
	    strlen(good_content), &r, err, sizeof(err)), 0);
	in = collected_of_each_source();
	json_object_array_add(in, collected());
	out = json_object_new_array();
	for (i = 0; i < json_object_array_length(in); i++)
		json_object_array_add(out, enrich_item(
		    json_object_array_get_idx(in, i), &r, 0.42 + (double)i / 100,
		    i == 4 ? "https://blog.example.org/ci" : NULL, NOW));
	dir = test_tmpdir("enriched");
	ck_assert_int_eq(enrich_write_file(dir, NOW, out, &path, err,
	    sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(path, "/enriched_20261201_120000.json"));

	memset(&set, 0, sizeof(set));
	ck_assert_int_eq(item_load_file(path, &set, &missing, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(set.is_ntotal, 5);
	ck_assert_uint_eq(set.is_ninvalid, 0);	/* nothing skipped */
	ck_assert_uint_eq(set.is_nitems, 5);
	ck_assert_str_eq(set.is_items[0].it_id, "hn_9004");
	ck_assert_str_eq(set.is_items[0].it_url,
	    "https://news.ycombinator.com/item?id=9004");
	ck_assert_str_eq(set.is_items[1].it_source, "mastodon");
	ck_assert_str_eq(set.is_items[1].it_author, "j@social.example");
	ck_assert_str_eq(set.is_items[2].it_title, "quiet/nodesc");
	ck_assert_str_eq(set.is_items[3].it_url, "https://blog.example.net/nom");
	for (i = 0; i < set.is_nitems; i++) {
		ck_assert_double_eq_tol(set.is_items[i].it_quality, 0.82, 1e-9);
		ck_assert_double_eq_tol(set.is_items[i].it_ai, 0.82, 1e-9);
		ck_assert_double_eq_tol(set.is_items[i].it_heuristic,
		    0.42 + (double)i / 100, 1e-9);
		ck_assert_uint_eq(set.is_items[i].it_ntopics, 5);
		ck_assert_str_eq(set.is_items[i].it_topics[1], "spot instances");
		ck_assert_ptr_nonnull(strstr(
		    set.is_items[i].it_research_summary, "19 500 dollars"));
		ck_assert(set.is_items[i].it_collected_epoch ==
		    (i < 4 ? NOW : NOW - 3600));
	}
	ck_assert_uint_eq(set.is_items[4].it_nrelated, 1);
	ck_assert_str_eq(set.is_items[4].it_related[0],
	    "https://blog.example.org/ci");
	ck_assert_uint_eq(set.is_items[0].it_nrelated, 0);
	item_set_release(&set);

	enrich_reply_release(&r);
	json_object_put(in);
	json_object_put(out);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
enrich_suite(void)
{
	Suite	*s = suite_create("enrich");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_valid_reply);
	tcase_add_test(tc, test_replies_not_matching);
	tcase_add_test(tc, test_completion_envelope);
	tcase_add_test(tc, test_request_body);
	tcase_add_test(tc, test_gate);
	tcase_add_test(tc, test_page_url);
	tcase_add_test(tc, test_fetch_page);
	tcase_add_test(tc, test_call_grounded_in_page);
	tcase_add_test(tc, test_call_errors);
	tcase_add_test(tc, test_round_trip_through_loader);
	suite_add_tcase(s, tc);
	return (s);
}
