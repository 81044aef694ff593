/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * enrich.c: one collected item becomes one enriched item with a single
 * model call.  The original made three calls per item (score, topics,
 * research), wrote its research from the model's memory, and swallowed
 * auth and quota errors into zero scores; here the linked page is
 * fetched and its text grounds the research, the reply must match a
 * JSON schema sent with the request, and an item whose call or reply
 * fails is left out rather than written with a made-up score.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "buf.h"
#include "datafile.h"
#include "enrich.h"
#include "htmltext.h"
#include "prescore.h"
#include "urlnorm.h"
#include "utf8.h"
#include "util.h"
#include "xmalloc.h"

#define ENRICH_REPLY_MAX	(4 * 1024 * 1024)

static const char enrich_system_prompt[] =
    "You review technology stories for a blog that publishes in-depth "
    "technical articles. For each story you receive the post as it was "
    "shared and, when it could be fetched, the text of the page it links "
    "to. Judge the story, name its topics, and write research notes that "
    "a writer will build an article on. Base every statement in the notes "
    "on the page text or the post; when they do not say something, do not "
    "supply it from memory. Answer with one JSON object that follows the "
    "given schema and nothing else.";

static const char enrich_instructions[] =
    "Fields:\n"
    "- quality_score: a number from 0 to 1. 0.8 or more: substantial "
    "technical depth (a design, a measurement, a release with real "
    "changes, a post-mortem). Around 0.5: relevant news with some "
    "substance. 0.2 or less: announcements without content, marketing, "
    "personal chatter, link lists.\n"
    "- quality_reason: one or two sentences saying why.\n"
    "- topics: 5 to 7 distinct lower-case topics (technologies, fields, "
    "practices), most specific first.\n"
    "- research_summary: 2 or 3 short paragraphs of plain prose (no "
    "headings) stating what the page reports: the problem, what was done "
    "or released, numbers and names it gives, and why it matters. When "
    "no page text is given, summarise what the post itself states and "
    "say that the linked page was not available.\n";

const char *
enrich_page_url(struct json_object *collected)
{
	struct json_object	*meta, *v;
	const char		*url, *src;
	char			*host;
	int			 own = 0;

	if (json_object_object_get_ex(collected, "metadata", &meta) &&
	    json_object_object_get_ex(meta, "card_url", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    url_is_http(json_object_get_string(v)))
		return (json_object_get_string(v));
	if (!json_object_object_get_ex(collected, "url", &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	url = json_object_get_string(v);
	if (!url_is_http(url) || (host = url_host(url)) == NULL)
		return (NULL);
	src = NULL;
	if (json_object_object_get_ex(collected, "source", &v) &&
	    json_object_is_type(v, json_type_string))
		src = json_object_get_string(v);
	if (strcmp(host, "news.ycombinator.com") == 0 ||
	    strcmp(host, "www.reddit.com") == 0 ||
	    strcmp(host, "reddit.com") == 0 ||
	    strcmp(host, "old.reddit.com") == 0)
		own = 1;
	/* a Mastodon item's own URL is the status page */
	if (src != NULL && strcmp(src, "mastodon") == 0)
		own = 1;
	free(host);
	return (own ? NULL : url);
}

enum enrich_gate
enrich_gate(struct json_object *collected, enrich_known_fn known, void *arg,
    double threshold, double *heuristic, char *why, size_t whylen)
{
	struct json_object	*v;
	char			*norm, terms[256];
	double			 score;

	*heuristic = 0;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (!json_object_is_type(collected, json_type_object) ||
	    !json_object_object_get_ex(collected, "id", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !json_object_object_get_ex(collected, "url", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    (norm = url_normalize(json_object_get_string(v))) == NULL) {
		if (why != NULL)
			(void)snprintf(why, whylen, "not a collected item with "
			    "an id and an http(s) url");
		return (ENRICH_SKIP_BAD);
	}
	if (known != NULL && known(arg, norm)) {
		if (why != NULL)
			(void)snprintf(why, whylen, "%.200s is published or in "
			    "cooldown", norm);
		free(norm);
		return (ENRICH_SKIP_KNOWN);
	}
	free(norm);
	score = prescore_collected(collected, terms, sizeof(terms));
	*heuristic = score;
	if (!prescore_pass(score, threshold)) {
		if (why != NULL)
			(void)snprintf(why, whylen, "pre-score %s under %.2f",
			    terms, threshold);
		return (ENRICH_SKIP_NOISE);
	}
	if (why != NULL)
		(void)snprintf(why, whylen, "pre-score %s", terms);
	return (ENRICH_GO);
}

int
enrich_fetch_page(fetch_fn fetch, void *arg, const char *url,
    const struct enrich_page_opts *po, char **text, char *errbuf,
    size_t errlen)
{
	struct fetch_opts	 o;
	struct fetch_result	 fr;
	struct htmltext		 ht;
	char			 charset[64], ebuf[160];
	const char		*ct;
	size_t			 tmax, n;
	int			 is_html;

	*text = NULL;
	memset(&o, 0, sizeof(o));
	o.fo_accept = "text/html, text/plain;q=0.8";
	o.fo_timeout_ms = po != NULL ? po->po_timeout_ms : 0;
	o.fo_max_bytes = po != NULL && po->po_max_bytes != 0 ?
	    po->po_max_bytes : ENRICH_PAGE_BYTES;
	o.fo_max_redirs = po != NULL ? po->po_max_redirs : 0;
	o.fo_truncate_ok = 1;
	tmax = po != NULL && po->po_text_max != 0 ? po->po_text_max :
	    ENRICH_TEXT_MAX;
	if (fetch == NULL)
		fetch = fetch_http;
	if (fetch(arg, url, &o, &fr, errbuf, errlen) == -1)
		return (-1);
	if (fr.fr_status < 200 || fr.fr_status > 299) {
		(void)snprintf(errbuf, errlen, "%.200s: HTTP %ld", url,
		    fr.fr_status);
		fetch_result_release(&fr);
		return (-1);
	}
	ct = fr.fr_content_type;
	is_html = strcasestr(ct, "html") != NULL ||
	    htmltext_looks_html(fr.fr_body, fr.fr_len);
	if (!is_html && strncasecmp(ct, "text/", 5) != 0 && *ct != '\0') {
		(void)snprintf(errbuf, errlen, "%.200s: not a text page (%s)",
		    url, ct);
		fetch_result_release(&fr);
		return (-1);
	}
	if (is_html) {
		htmltext_charset(ct, charset, sizeof(charset));
		if (htmltext_extract(fr.fr_body, fr.fr_len, charset, tmax, &ht,
		    ebuf, sizeof(ebuf)) == -1) {
			(void)snprintf(errbuf, errlen, "%.200s: %s", url, ebuf);
			fetch_result_release(&fr);
			return (-1);
		}
		*text = ht.ht_text;
		ht.ht_text = NULL;
		htmltext_release(&ht);
	} else {
		n = fr.fr_len < tmax ? fr.fr_len : tmax;
		while (n > 0 && n < fr.fr_len &&
		    ((unsigned char)fr.fr_body[n] & 0xc0) == 0x80)
			n--;
		*text = utf8_scrub(fr.fr_body, n);
	}
	fetch_result_release(&fr);
	if (utf8_len(*text) < 20) {
		(void)snprintf(errbuf, errlen, "%.200s: no readable text", url);
		free(*text);
		*text = NULL;
		return (-1);
	}
	return (0);
}

struct json_object *
enrich_response_format(void)
{
	struct json_object	*rf, *js, *schema, *props, *p, *req, *items;

	props = json_object_new_object();
	p = json_object_new_object();
	json_object_object_add(p, "type", json_object_new_string("number"));
	json_object_object_add(p, "minimum", json_object_new_double(0));
	json_object_object_add(p, "maximum", json_object_new_double(1));
	json_object_object_add(props, "quality_score", p);
	p = json_object_new_object();
	json_object_object_add(p, "type", json_object_new_string("string"));
	json_object_object_add(props, "quality_reason", p);
	p = json_object_new_object();
	items = json_object_new_object();
	json_object_object_add(items, "type", json_object_new_string("string"));
	json_object_object_add(p, "type", json_object_new_string("array"));
	json_object_object_add(p, "items", items);
	json_object_object_add(p, "minItems",
	    json_object_new_int(ENRICH_TOPICS_MIN));
	json_object_object_add(p, "maxItems",
	    json_object_new_int(ENRICH_TOPICS_MAX));
	json_object_object_add(props, "topics", p);
	p = json_object_new_object();
	json_object_object_add(p, "type", json_object_new_string("string"));
	json_object_object_add(props, "research_summary", p);

	req = json_object_new_array();
	json_object_array_add(req, json_object_new_string("quality_score"));
	json_object_array_add(req, json_object_new_string("quality_reason"));
	json_object_array_add(req, json_object_new_string("topics"));
	json_object_array_add(req, json_object_new_string("research_summary"));

	schema = json_object_new_object();
	json_object_object_add(schema, "type", json_object_new_string("object"));
	json_object_object_add(schema, "properties", props);
	json_object_object_add(schema, "required", req);
	json_object_object_add(schema, "additionalProperties",
	    json_object_new_boolean(0));

	js = json_object_new_object();
	json_object_object_add(js, "name", json_object_new_string("enrichment"));
	json_object_object_add(js, "strict", json_object_new_boolean(1));
	json_object_object_add(js, "schema", schema);
	rf = json_object_new_object();
	json_object_object_add(rf, "type", json_object_new_string("json_schema"));
	json_object_object_add(rf, "json_schema", js);
	return (rf);
}

static const char *
enrich_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

char *
enrich_request_body(const char *model, struct json_object *collected,
    const char *page_text, size_t text_max, int max_tokens)
{
	struct json_object	*root, *msgs, *m;
	struct buf		 user;
	const char		*s, *content;
	char			*out;
	size_t			 n;

	if (text_max == 0)
		text_max = ENRICH_TEXT_MAX;
	buf_init(&user);
	buf_puts(&user, enrich_instructions);
	buf_puts(&user, "\nStory:\n");
	if ((s = enrich_str(collected, "title")) != NULL)
		buf_printf(&user, "Title: %s\n", s);
	if ((s = enrich_str(collected, "source")) != NULL)
		buf_printf(&user, "Source: %s\n", s);
	if ((s = enrich_str(collected, "url")) != NULL)
		buf_printf(&user, "URL: %s\n", s);
	if ((s = enrich_str(collected, "author")) != NULL)
		buf_printf(&user, "Author: %s\n", s);
	buf_printf(&user, "Engagement: %.0f\n", prescore_engagement(collected));
	if ((content = enrich_str(collected, "content")) != NULL) {
		n = utf8_offset(content, strlen(content), ENRICH_CONTENT_MAX);
		buf_puts(&user, "\nPost:\n");
		buf_append(&user, content, n);
		buf_putc(&user, '\n');
	}
	if (page_text != NULL && *page_text != '\0') {
		n = strlen(page_text);
		if (n > text_max) {
			n = text_max;
			while (n > 0 && ((unsigned char)page_text[n] & 0xc0) ==
			    0x80)
				n--;
		}
		buf_printf(&user, "\nLinked page text (%s):\n",
		    n < strlen(page_text) ? "cut" : "whole");
		buf_append(&user, page_text, n);
		buf_putc(&user, '\n');
	} else
		buf_puts(&user, "\nLinked page text: not available.\n");

	msgs = json_object_new_array();
	m = json_object_new_object();
	json_object_object_add(m, "role", json_object_new_string("system"));
	json_object_object_add(m, "content",
	    json_object_new_string(enrich_system_prompt));
	json_object_array_add(msgs, m);
	m = json_object_new_object();
	json_object_object_add(m, "role", json_object_new_string("user"));
	json_object_object_add(m, "content",
	    json_object_new_string_len(user.b_data != NULL ? user.b_data : "",
	    (int)user.b_len));
	json_object_array_add(msgs, m);
	buf_release(&user);

	root = json_object_new_object();
	json_object_object_add(root, "model", json_object_new_string(model));
	json_object_object_add(root, "messages", msgs);
	json_object_object_add(root, "response_format",
	    enrich_response_format());
	if (max_tokens > 0)
		json_object_object_add(root, "max_completion_tokens",
		    json_object_new_int(max_tokens));
	out = xstrdup(json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return (out);
}

void
enrich_reply_release(struct enrich_reply *r)
{
	size_t	i;

	free(r->er_reason);
	for (i = 0; i < r->er_ntopics; i++)
		free(r->er_topics[i]);
	free(r->er_topics);
	free(r->er_summary);
	memset(r, 0, sizeof(*r));
}

/* s with its ends trimmed, in an owned copy; NULL when nothing is left. */
static char *
enrich_trimmed(const char *s)
{
	size_t	n;

	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return (n == 0 ? NULL : xstrndup(s, n));
}

/* Parse len bytes as one JSON object, validated; NULL with errbuf. */
static struct json_object *
enrich_parse_object(const char *s, size_t len, const char *what,
    char *errbuf, size_t errlen)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	size_t			 end;

	if (len > ENRICH_REPLY_MAX) {
		(void)snprintf(errbuf, errlen, "%s: %zu bytes, too large", what,
		    len);
		return (NULL);
	}
	if ((tok = json_tokener_new_ex(32)) == NULL) {
		(void)snprintf(errbuf, errlen, "out of memory");
		return (NULL);
	}
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		(void)snprintf(errbuf, errlen, "%s: not JSON (%s at offset %zu)",
		    what, json_tokener_error_desc(json_tokener_get_error(tok)),
		    json_tokener_get_parse_end(tok));
		json_object_put(o);
		json_tokener_free(tok);
		return (NULL);
	}
	for (end = json_tokener_get_parse_end(tok); end < len; end++)
		if (!isspace((unsigned char)s[end])) {
			(void)snprintf(errbuf, errlen, "%s: trailing data at "
			    "offset %zu", what, end);
			json_object_put(o);
			json_tokener_free(tok);
			return (NULL);
		}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object)) {
		(void)snprintf(errbuf, errlen, "%s: not a JSON object", what);
		json_object_put(o);
		return (NULL);
	}
	return (o);
}

int
enrich_validate_content(const char *content, size_t len,
    struct enrich_reply *r, char *errbuf, size_t errlen)
{
	static const char *const known[] = { "quality_score",
	    "quality_reason", "topics", "research_summary" };
	struct json_object	*o, *v, *t;
	char			*topic, *p;
	size_t			 i, j, n, chars;
	double			 d;
	int			 found;

	memset(r, 0, sizeof(*r));
	if ((o = enrich_parse_object(content, len, "reply content", errbuf,
	    errlen)) == NULL)
		return (-1);
	json_object_object_foreach(o, key, val) {
		(void)val;
		for (i = 0, found = 0; i < nitems(known); i++)
			if (strcmp(key, known[i]) == 0)
				found = 1;
		if (!found) {
			(void)snprintf(errbuf, errlen, "%.60s: a field the "
			    "schema does not allow", key);
			goto fail;
		}
	}
	if (!json_object_object_get_ex(o, "quality_score", &v)) {
		(void)snprintf(errbuf, errlen, "quality_score: missing");
		goto fail;
	}
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)) {
		(void)snprintf(errbuf, errlen, "quality_score: not a number");
		goto fail;
	}
	d = json_object_get_double(v);
	if (!isfinite(d) || d < 0.0 || d > 1.0) {
		(void)snprintf(errbuf, errlen, "quality_score: %g is outside "
		    "[0, 1]", d);
		goto fail;
	}
	r->er_quality = d;

	v = NULL;
	if (!json_object_object_get_ex(o, "quality_reason", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		(void)snprintf(errbuf, errlen, "quality_reason: %s",
		    v == NULL ? "missing" : "not a string");
		goto fail;
	}
	if ((r->er_reason = enrich_trimmed(json_object_get_string(v))) ==
	    NULL || utf8_len(r->er_reason) > ENRICH_REASON_MAX) {
		(void)snprintf(errbuf, errlen, "quality_reason: %s",
		    r->er_reason == NULL ? "empty" : "too long");
		goto fail;
	}

	v = NULL;
	if (!json_object_object_get_ex(o, "topics", &v) ||
	    !json_object_is_type(v, json_type_array)) {
		(void)snprintf(errbuf, errlen, "topics: %s", v == NULL ?
		    "missing" : "not an array");
		goto fail;
	}
	n = json_object_array_length(v);
	if (n < ENRICH_TOPICS_MIN || n > ENRICH_TOPICS_MAX) {
		(void)snprintf(errbuf, errlen, "topics: %zu of them, not %d to "
		    "%d", n, ENRICH_TOPICS_MIN, ENRICH_TOPICS_MAX);
		goto fail;
	}
	r->er_topics = xcalloc(n, sizeof(*r->er_topics));
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(v, i);
		if (!json_object_is_type(t, json_type_string) ||
		    (topic = enrich_trimmed(json_object_get_string(t))) ==
		    NULL) {
			(void)snprintf(errbuf, errlen, "topics[%zu]: not a "
			    "non-empty string", i);
			goto fail;
		}
		chars = utf8_len(topic);
		for (p = topic; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		if (chars > ENRICH_TOPIC_CHARS || strchr(topic, '\n') != NULL) {
			(void)snprintf(errbuf, errlen, "topics[%zu]: not a "
			    "short one-line topic", i);
			free(topic);
			goto fail;
		}
		for (j = 0; j < r->er_ntopics; j++)
			if (strcmp(r->er_topics[j], topic) == 0)
				break;
		if (j < r->er_ntopics) {
			(void)snprintf(errbuf, errlen, "topics[%zu]: '%.60s' "
			    "repeats topics[%zu]", i, topic, j);
			free(topic);
			goto fail;
		}
		r->er_topics[r->er_ntopics++] = topic;
	}

	v = NULL;
	if (!json_object_object_get_ex(o, "research_summary", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		(void)snprintf(errbuf, errlen, "research_summary: %s",
		    v == NULL ? "missing" : "not a string");
		goto fail;
	}
	r->er_summary = enrich_trimmed(json_object_get_string(v));
	if (r->er_summary == NULL ||
	    utf8_len(r->er_summary) < ENRICH_SUMMARY_MIN ||
	    utf8_len(r->er_summary) > ENRICH_SUMMARY_MAX) {
		(void)snprintf(errbuf, errlen, "research_summary: %s",
		    r->er_summary == NULL ? "empty" :
		    utf8_len(r->er_summary) < ENRICH_SUMMARY_MIN ?
		    "too short to be research" : "too long");
		goto fail;
	}
	json_object_put(o);
	return (0);
 fail:
	json_object_put(o);
	enrich_reply_release(r);
	return (-1);
}

int
enrich_parse_completion(const char *body, size_t len, struct enrich_reply *r,
    char *errbuf, size_t errlen)
{
	struct json_object	*root, *choices, *c, *msg, *v;
	const char		*fin, *content;
	char			 ebuf[256];
	int			 rc = -1;

	memset(r, 0, sizeof(*r));
	if ((root = enrich_parse_object(body, len, "reply", errbuf,
	    errlen)) == NULL)
		return (-1);
	if (!json_object_object_get_ex(root, "choices", &choices) ||
	    !json_object_is_type(choices, json_type_array) ||
	    json_object_array_length(choices) == 0 ||
	    (c = json_object_array_get_idx(choices, 0)) == NULL ||
	    !json_object_object_get_ex(c, "message", &msg) ||
	    !json_object_is_type(msg, json_type_object)) {
		(void)snprintf(errbuf, errlen, "reply: no choices[0].message");
		goto done;
	}
	if (json_object_object_get_ex(msg, "refusal", &v) &&
	    json_object_is_type(v, json_type_string)) {
		(void)snprintf(errbuf, errlen, "reply: the model refused: "
		    "%.160s", json_object_get_string(v));
		goto done;
	}
	if ((fin = enrich_str(c, "finish_reason")) != NULL &&
	    strcmp(fin, "length") == 0) {
		(void)snprintf(errbuf, errlen, "reply: cut at the output limit "
		    "(finish_reason length)");
		goto done;
	}
	if ((content = enrich_str(msg, "content")) == NULL) {
		(void)snprintf(errbuf, errlen, "reply: choices[0].message."
		    "content is not a string");
		goto done;
	}
	if (enrich_validate_content(content, strlen(content), r, ebuf,
	    sizeof(ebuf)) == -1) {
		(void)snprintf(errbuf, errlen, "reply does not match the "
		    "schema: %s", ebuf);
		goto done;
	}
	rc = 0;
 done:
	json_object_put(root);
	return (rc);
}

enum enrich_status
enrich_classify(long status, const char *body, size_t len)
{
	struct json_object	*root, *err;
	const char		*code, *type;
	char			 ebuf[64];
	int			 quota = 0;

	if (status == 401 || status == 403)
		return (ENRICH_FATAL);
	if (body != NULL && len > 0 && (root = enrich_parse_object(body, len,
	    "error", ebuf, sizeof(ebuf))) != NULL) {
		if (json_object_object_get_ex(root, "error", &err)) {
			code = enrich_str(err, "code");
			type = enrich_str(err, "type");
			quota = (code != NULL &&
			    strcmp(code, "insufficient_quota") == 0) ||
			    (type != NULL &&
			    strcmp(type, "insufficient_quota") == 0);
		}
		json_object_put(root);
	}
	if (quota)
		return (ENRICH_FATAL);
	if (status == 408 || status == 409 || status == 429 || status >= 500)
		return (ENRICH_RETRYABLE);
	return (ENRICH_FAILED);
}

int
enrich_exit_code(enum enrich_status st)
{
	switch (st) {
	case ENRICH_OK:
		return (EXIT_OK);
	case ENRICH_RETRYABLE:
		return (EXIT_TEMPFAIL);
	case ENRICH_FATAL:
		return (EXIT_UNAVAILABLE);
	case ENRICH_FAILED:
	default:
		return (EXIT_DATAERR);
	}
}

enum enrich_status
enrich_call(fetch_fn fetch, void *arg, const char *base_url,
    const char *api_key, const char *body, long timeout_ms,
    struct enrich_reply *r, char *errbuf, size_t errlen)
{
	struct fetch_opts	 o;
	struct fetch_result	 fr;
	enum enrich_status	 st;
	char			*url, ebuf[256];
	size_t			 n;

	memset(r, 0, sizeof(*r));
	n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	xasprintf(&url, "%.*s/chat/completions", (int)n, base_url);
	memset(&o, 0, sizeof(o));
	o.fo_method = "POST";
	o.fo_body = body;
	o.fo_bodylen = strlen(body);
	o.fo_content_type = "application/json";
	o.fo_accept = "application/json";
	o.fo_bearer = api_key;
	o.fo_max_bytes = ENRICH_REPLY_MAX;
	o.fo_timeout_ms = timeout_ms;
	o.fo_max_redirs = -1;
	if (fetch == NULL)
		fetch = fetch_http;
	if (fetch(arg, url, &o, &fr, ebuf, sizeof(ebuf)) == -1) {
		(void)snprintf(errbuf, errlen, "%s", ebuf);
		free(url);
		return (ENRICH_RETRYABLE);
	}
	if (fr.fr_status < 200 || fr.fr_status > 299) {
		st = enrich_classify(fr.fr_status, fr.fr_body, fr.fr_len);
		(void)snprintf(errbuf, errlen, "%.200s: HTTP %ld%s", url,
		    fr.fr_status, st == ENRICH_FATAL ? " (the API refuses "
		    "this key or has no quota left)" : "");
		fetch_result_release(&fr);
		free(url);
		return (st);
	}
	free(url);
	if (enrich_parse_completion(fr.fr_body, fr.fr_len, r, errbuf,
	    errlen) == -1) {
		fetch_result_release(&fr);
		return (ENRICH_FAILED);
	}
	fetch_result_release(&fr);
	return (ENRICH_OK);
}

/* A deep copy of o (a new reference), or NULL. */
static struct json_object *
enrich_copy(struct json_object *o)
{
	struct json_object	*c = NULL;

	if (o == NULL)
		return (NULL);
	if (json_object_deep_copy(o, &c, NULL) != 0)
		return (NULL);
	return (c);
}

struct json_object *
enrich_item(struct json_object *collected, const struct enrich_reply *r,
    double heuristic, const char *page_url, int64_t now)
{
	struct json_object	*o, *topics, *related;
	char			 when[40];
	size_t			 i;

	format_utc_iso(when, sizeof(when), now);
	if (strlen(when) > 0 && when[strlen(when) - 1] == 'Z') {
		when[strlen(when) - 1] = '\0';
		(void)strlcat(when, "+00:00", sizeof(when));
	}
	topics = json_object_new_array();
	for (i = 0; i < r->er_ntopics; i++)
		json_object_array_add(topics,
		    json_object_new_string(r->er_topics[i]));
	related = json_object_new_array();
	if (page_url != NULL && url_is_http(page_url))
		json_object_array_add(related, json_object_new_string(page_url));
	o = json_object_new_object();
	json_object_object_add(o, "original", enrich_copy(collected));
	json_object_object_add(o, "research_summary",
	    json_object_new_string(r->er_summary));
	json_object_object_add(o, "related_sources", related);
	json_object_object_add(o, "topics", topics);
	json_object_object_add(o, "quality_score",
	    json_object_new_double(r->er_quality));
	json_object_object_add(o, "heuristic_score",
	    json_object_new_double(heuristic < 0 ? 0 : heuristic));
	json_object_object_add(o, "ai_score",
	    json_object_new_double(r->er_quality));
	json_object_object_add(o, "quality_reason",
	    json_object_new_string(r->er_reason));
	json_object_object_add(o, "enriched_at", json_object_new_string(when));
	return (o);
}

int
enrich_write_file(const char *dir, int64_t now, struct json_object *items,
    char **pathp, char *errbuf, size_t errlen)
{
	struct json_object	*root;
	char			 when[40];
	int			 rc;

	format_utc_iso(when, sizeof(when), now);
	root = json_object_new_object();
	json_object_object_add(root, "enriched_at",
	    json_object_new_string(when));
	json_object_object_add(root, "total_items", json_object_new_int64(
	    (int64_t)json_object_array_length(items)));
	json_object_object_add(root, "items", json_object_get(items));
	rc = datafile_write(dir, "enriched", now, root, pathp, errbuf, errlen);
	json_object_put(root);
	return (rc);
}
