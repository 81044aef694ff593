/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * llm.c: owns the libcurl handle and everything about talking to the LLM
 * API: request bodies, response parsing, error classification and the one
 * retry layer of the whole program.  No other file calls libcurl.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json.h>

#include "buf.h"
#include "curlapi.h"
#include "llm.h"
#include "log.h"
#include "mask.h"
#include "text.h"
#include "tickwait.h"
#include "utf8.h"
#include "util.h"
#include "xmalloc.h"

struct llm_provider {
	const char	*p_name;
	const char	*p_path;	/* appended to the base URL */
	char		*(*p_body)(const struct llm_call *);
	int		 (*p_parse)(const char *, size_t, int,
			    struct llm_reply *, struct llm_error *);
};

static const struct llm_provider providers[] = {
	{ "openai", "/chat/completions", llm_openai_body, llm_openai_parse },
};

struct llm_client {
	const struct llm_provider *c_provider;
	CURL			*c_curl;
	char			*c_url;
	char			*c_base;	/* base URL, no trailing '/' */
	char			*c_auth;	/* "Authorization: Bearer ..." */
	char			*c_key;		/* masked out of server text */
	int			 c_timeout_s;
	int			 c_connect_timeout_s;
	int			 c_retries;
	int			 c_attempts;
};

/* Per-attempt transfer state handed to the curl callbacks. */
struct llm_xfer {
	char			*x_body;	/* capped at x_max */
	size_t			 x_max;
	size_t			 x_len;
	size_t			 x_cap;
	int			 x_overflow;
	char			 x_retry_after[64];
	char			 x_retry_after_ms[64];
	char			 x_should_retry[16];
	const struct llm_hooks	*x_hooks;
};

static void
set_error(struct llm_error *err, const char *code, int status, int retryable,
    int fatal, const char *fmt, ...) PRINTFLIKE(6, 7);

static void
set_error(struct llm_error *err, const char *code, int status, int retryable,
    int fatal, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	(void)strlcpy(err->e_code, code, sizeof(err->e_code));
	err->e_http_status = status;
	err->e_retryable = retryable;
	err->e_fatal = fatal;
	va_start(ap, fmt);
	(void)vsnprintf(err->e_message, sizeof(err->e_message), fmt, ap);
	va_end(ap);
	/*
	 * The message quotes the server's own error text, which ends up in
	 * log lines and the run's one-line-per-article summary: keep it on
	 * one line.
	 */
	for (p = err->e_message; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	(void)mask_secrets(err->e_message, NULL);
}

static int
is_prefix(const char *model, const char *prefix)
{
	return (strncmp(model, prefix, strlen(prefix)) == 0);
}

/*
 * The Chat Completions body.  Models of the gpt-5 and o-series families
 * take max_completion_tokens (which also bounds reasoning) and no
 * temperature; every other model takes max_tokens and temperature.  A
 * call's lc_response_format, when set, is sent as it is.
 */
char *
llm_openai_body(const struct llm_call *call)
{
	struct json_object	*root, *msgs, *msg;
	char			*s;
	int			 reasoning;

	reasoning = is_prefix(call->c_model, "gpt-5") ||
	    is_prefix(call->c_model, "o1") || is_prefix(call->c_model, "o3") ||
	    is_prefix(call->c_model, "o4");
	root = json_object_new_object();
	json_object_object_add(root, "model",
	    json_object_new_string(call->c_model));
	msgs = json_object_new_array();
	msg = json_object_new_object();
	json_object_object_add(msg, "role", json_object_new_string("user"));
	json_object_object_add(msg, "content",
	    json_object_new_string(call->c_prompt));
	json_object_array_add(msgs, msg);
	json_object_object_add(root, "messages", msgs);
	json_object_object_add(root, "stream", json_object_new_boolean(0));
	if (call->c_max_tokens > 0)
		json_object_object_add(root, reasoning ?
		    "max_completion_tokens" : "max_tokens",
		    json_object_new_int(call->c_max_tokens));
	if (!reasoning && call->c_temperature >= 0)
		json_object_object_add(root, "temperature",
		    json_object_new_double(call->c_temperature));
	if (call->lc_response_format != NULL)
		json_object_object_add(root, "response_format",
		    json_object_get(call->lc_response_format));
	s = xstrdup(json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return (s);
}

static struct json_object *
parse_json(const char *body, size_t len)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	size_t			 end;

	if (len > (size_t)INT32_MAX - 1 || (tok = json_tokener_new_ex(64)) ==
	    NULL)
		return (NULL);
	o = json_tokener_parse_ex(tok, body, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		json_tokener_free(tok);
		return (NULL);
	}
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; end < len; end++)
		if (!isspace((unsigned char)body[end])) {
			json_object_put(o);
			return (NULL);
		}
	return (o);
}

static const char *
get_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

static long
get_long(struct json_object *o, const char *key)
{
	struct json_object	*v;
	int64_t			 n;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return (0);
	n = json_object_get_int64(v);
	return (n < 0 ? 0 : n > 1000000000 ? 1000000000 : (long)n);
}

/*
 * Classify an HTTP error answer.  401 and 403 stop the run, and so does
 * 429 with insufficient_quota (exhausted credit, not a rate limit).
 */
static void
classify_http_error(struct json_object *root, int status,
    struct llm_error *err)
{
	struct json_object	*eo = NULL;
	const char		*msg = NULL, *type = NULL, *code = NULL;
	char			 codebuf[32];

	if (root != NULL && json_object_object_get_ex(root, "error", &eo) &&
	    json_object_is_type(eo, json_type_object)) {
		msg = get_str(eo, "message");
		type = get_str(eo, "type");
		code = get_str(eo, "code");
	} else if (root != NULL && json_object_is_type(root, json_type_object))
		msg = get_str(root, "error");
	if (msg == NULL)
		msg = "no error message in the reply";
	if (status == 429 && ((code != NULL &&
	    strcmp(code, "insufficient_quota") == 0) || (type != NULL &&
	    strcmp(type, "insufficient_quota") == 0))) {
		set_error(err, "insufficient_quota", status, 0, 1,
		    "HTTP 429 insufficient_quota: %s", msg);
		return;
	}
	(void)snprintf(codebuf, sizeof(codebuf), "http_%d", status);
	if (status == 401 || status == 403)
		set_error(err, codebuf, status, 0, 1, "HTTP %d: %s", status,
		    msg);
	else if (status == 408 || status == 409 || status == 429 ||
	    status >= 500)
		set_error(err, codebuf, status, 1, 0, "HTTP %d: %s", status,
		    msg);
	else
		set_error(err, codebuf, status, 0, 0, "HTTP %d: %s", status,
		    msg);
}

/* At most this many bytes of a refusal are quoted in the error. */
#define REFUSAL_QUOTE_MAX	160

/*
 * The text of a message's content: a string, or an array of parts whose
 * "text" parts are joined in order (other part types, such as images,
 * carry no text).  A "refusal" part's text goes to *refusal (borrowed
 * from the JSON tree) instead.  Returns the joined text in an owned,
 * scrubbed string (valid UTF-8, no NULs: see utf8_scrub()), or NULL when
 * there is none.
 */
static char *
content_text(struct json_object *msg, const char **refusal)
{
	struct json_object	*cv, *part, *tv;
	struct buf		 b;
	const char		*type;
	char			*s;
	size_t			 i, n;

	if (!json_object_object_get_ex(msg, "content", &cv) || cv == NULL)
		return (NULL);
	if (json_object_is_type(cv, json_type_string))
		return (utf8_scrub(json_object_get_string(cv),
		    (size_t)json_object_get_string_len(cv)));
	if (!json_object_is_type(cv, json_type_array))
		return (NULL);
	buf_init(&b);
	n = json_object_array_length(cv);
	for (i = 0; i < n; i++) {
		part = json_object_array_get_idx(cv, i);
		type = get_str(part, "type");
		if (type != NULL && strcmp(type, "refusal") == 0) {
			if (*refusal == NULL)
				*refusal = get_str(part, "refusal");
			if (*refusal == NULL)
				*refusal = "";
			continue;
		}
		if ((type != NULL && strcmp(type, "text") != 0 &&
		    strcmp(type, "output_text") != 0) ||
		    !json_object_object_get_ex(part, "text", &tv) ||
		    !json_object_is_type(tv, json_type_string))
			continue;
		s = utf8_scrub(json_object_get_string(tv),
		    (size_t)json_object_get_string_len(tv));
		buf_puts(&b, s);
		free(s);
	}
	if (b.b_len == 0) {
		buf_release(&b);
		return (NULL);
	}
	return (buf_detach(&b));
}

/* A refusal quoted for an error message: scrubbed, cut, owned. */
static char *
refusal_quote(const char *refusal)
{
	size_t	 len = strlen(refusal);
	char	*s;

	if (len > REFUSAL_QUOTE_MAX) {
		len = REFUSAL_QUOTE_MAX;
		/* never cut inside a character */
		while (len > 0 && ((unsigned char)refusal[len] & 0xc0) == 0x80)
			len--;
	}
	s = utf8_scrub(refusal, len);
	return (s);
}

/*
 * Parse a Chat Completions answer.  Returns 0 with reply filled (content
 * owned by reply, valid UTF-8 without NULs: see utf8_scrub()) or -1 with
 * err set; never both.  Only a whole, unfiltered answer is a reply: a
 * refusal (the "refusal" member, a refusal part or a body that is only an
 * apology: text_is_refusal()) is "refused", finish_reason "length" is
 * "truncated" (llm_complete() may retry it with a larger cap) and
 * "content_filter" is "filtered".  A 200 that is not a completion
 * ("bad_response") is retryable: it is what a broken proxy sends.
 */
int
llm_openai_parse(const char *body, size_t len, int status,
    struct llm_reply *reply, struct llm_error *err)
{
	struct json_object	*root, *choices, *c0, *msg, *usage;
	const char		*finish, *refusal = NULL;
	char			*text = NULL, *quote;
	int			 ret = -1;

	memset(reply, 0, sizeof(*reply));
	root = parse_json(body, len);
	if (status < 200 || status > 299) {
		classify_http_error(root, status, err);
		json_object_put(root);
		return (-1);
	}
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		set_error(err, "bad_response", status, 1, 0,
		    "HTTP %d with a body that is not a JSON object (%zu bytes)",
		    status, len);
		goto done;
	}
	if (!json_object_object_get_ex(root, "choices", &choices) ||
	    !json_object_is_type(choices, json_type_array) ||
	    json_object_array_length(choices) == 0 ||
	    (c0 = json_object_array_get_idx(choices, 0)) == NULL ||
	    !json_object_object_get_ex(c0, "message", &msg) ||
	    !json_object_is_type(msg, json_type_object)) {
		set_error(err, "bad_response", status, 1, 0,
		    "reply has no choices[0].message");
		goto done;
	}
	/*
	 * The content goes into the article file and the title: make it
	 * valid UTF-8 without NULs, whatever bytes or "\u0000" escapes the
	 * server sent (json-c does not check).
	 */
	text = content_text(msg, &refusal);
	if (refusal == NULL && (refusal = get_str(msg, "refusal")) != NULL &&
	    refusal[strspn(refusal, " \t\r\n")] == '\0')
		refusal = NULL;
	finish = get_str(c0, "finish_reason");
	if (refusal != NULL) {
		quote = refusal_quote(refusal);
		set_error(err, "refused", status, 0, 0,
		    "refused: the model declined to write it (\"%s\")", quote);
		free(quote);
		goto done;
	}
	if (finish != NULL && strcmp(finish, "content_filter") == 0) {
		set_error(err, "filtered", status, 0, 0,
		    "filtered: the provider's content filter withheld the "
		    "reply (finish_reason content_filter)");
		goto done;
	}
	if (finish != NULL && strcmp(finish, "length") == 0) {
		set_error(err, "truncated", status, 0, 0,
		    "truncated: the reply was cut off at the output cap "
		    "(finish_reason length%s)", text == NULL ||
		    text[strspn(text, " \t\r\n")] == '\0' ?
		    ", no text before it" : "");
		goto done;
	}
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0') {
		set_error(err, "empty_reply", status, 0, 0,
		    "the model returned empty content%s%s%s",
		    finish != NULL ? " (finish_reason " : "",
		    finish != NULL ? finish : "", finish != NULL ? ")" : "");
		goto done;
	}
	if (text_is_refusal(text)) {
		quote = refusal_quote(text + strspn(text, " \t\r\n"));
		set_error(err, "refused", status, 0, 0,
		    "refused: the reply is only a refusal (\"%s\")", quote);
		free(quote);
		goto done;
	}
	reply->r_content = text;
	text = NULL;
	reply->r_finish_reason = finish != NULL ? xstrdup(finish) : NULL;
	if (json_object_object_get_ex(root, "usage", &usage)) {
		reply->r_prompt_tokens = get_long(usage, "prompt_tokens");
		reply->r_completion_tokens = get_long(usage,
		    "completion_tokens");
	}
	ret = 0;
done:
	free(text);
	json_object_put(root);
	return (ret);
}

void
llm_reply_release(struct llm_reply *reply)
{
	free(reply->r_content);
	free(reply->r_finish_reason);
	memset(reply, 0, sizeof(*reply));
}

/*
 * Milliseconds the server asked us to wait: retry-after-ms, else
 * Retry-After in seconds or as an HTTP date.  -1 when absent or unusable.
 */
int64_t
llm_parse_retry_after(const char *ms_value, const char *s_value,
    int64_t now_epoch)
{
	struct tm	 tm;
	const char	*errstr;
	char		*end;
	double		 d;
	long long	 n;

	if (ms_value != NULL && *ms_value != '\0') {
		errno = 0;
		d = strtod(ms_value, &end);
		if (errno == 0 && end != ms_value && *end == '\0' && d >= 0 &&
		    d < 1e9)
			return ((int64_t)d);
	}
	if (s_value == NULL || *s_value == '\0')
		return (-1);
	n = strtonum(s_value, 0, 1000000, &errstr);
	if (errstr == NULL)
		return ((int64_t)n * 1000);
	errno = 0;
	d = strtod(s_value, &end);
	if (errno == 0 && end != s_value && *end == '\0' && d >= 0 && d < 1e6)
		return ((int64_t)(d * 1000));
	memset(&tm, 0, sizeof(tm));
	end = strptime(s_value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end != NULL && *end == '\0') {
		int64_t	when = (int64_t)timegm(&tm);

		return (when > now_epoch ? (when - now_epoch) * 1000 : 0);
	}
	return (-1);
}

/* min(0.5 s * 2^attempt, 8 s), less up to 25 % jitter. */
int64_t
llm_backoff_ms(int attempt, double rand01)
{
	double	d;

	if (attempt > 10)
		attempt = 10;
	d = 500.0 * pow(2.0, attempt);
	if (d > 8000.0)
		d = 8000.0;
	return ((int64_t)(d * (1.0 - 0.25 * rand01)));
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct llm_xfer	*x = arg;
	size_t		 n = size * nmemb, cap;
	char		*p;

	if (n > x->x_max || x->x_len > x->x_max - n) {
		x->x_overflow = 1;
		return (0);
	}
	if (x->x_len + n + 1 > x->x_cap) {
		cap = x->x_cap ? x->x_cap : 16384;
		while (cap < x->x_len + n + 1)
			cap *= 2;
		if ((p = realloc(x->x_body, cap)) == NULL) {
			x->x_overflow = 1;
			return (0);
		}
		x->x_body = p;
		x->x_cap = cap;
	}
	memcpy(x->x_body + x->x_len, ptr, n);
	x->x_len += n;
	x->x_body[x->x_len] = '\0';
	return (n);
}

static void
header_value(const char *line, size_t len, const char *name, char *out,
    size_t outlen)
{
	size_t	nlen = strlen(name), vlen;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 ||
	    line[nlen] != ':')
		return;
	line += nlen + 1;
	len -= nlen + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	vlen = len;
	while (vlen > 0 && isspace((unsigned char)line[vlen - 1]))
		vlen--;
	if (vlen >= outlen)
		vlen = outlen - 1;
	memcpy(out, line, vlen);
	out[vlen] = '\0';
}

static size_t
header_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct llm_xfer	*x = arg;
	size_t		 n = size * nmemb;

	header_value(ptr, n, "retry-after", x->x_retry_after,
	    sizeof(x->x_retry_after));
	header_value(ptr, n, "retry-after-ms", x->x_retry_after_ms,
	    sizeof(x->x_retry_after_ms));
	header_value(ptr, n, "x-should-retry", x->x_should_retry,
	    sizeof(x->x_should_retry));
	return (n);
}

static int
progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct llm_xfer	*x = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (x->x_hooks == NULL)
		return (0);
	if (x->x_hooks->h_tick != NULL)
		x->x_hooks->h_tick(x->x_hooks->h_arg);
	return (x->x_hooks->h_cancel != NULL && *x->x_hooks->h_cancel ? 1 : 0);
}

struct llm_client *
llm_client_new(const struct llm_config *cfg, char *errbuf, size_t errlen)
{
	const struct llm_provider	*prov = NULL;
	struct llm_client		*c;
	const char			*name;
	size_t				 i, blen;

	name = cfg->lc_provider != NULL ? cfg->lc_provider : "openai";
	for (i = 0; i < nitems(providers); i++)
		if (strcmp(providers[i].p_name, name) == 0)
			prov = &providers[i];
	if (prov == NULL) {
		snprintf(errbuf, errlen, "unknown LLM provider '%s'", name);
		return (NULL);
	}
	if (cfg->lc_base_url == NULL || (strncmp(cfg->lc_base_url, "http://",
	    7) != 0 && strncmp(cfg->lc_base_url, "https://", 8) != 0)) {
		char	*shown = url_redact_userinfo(cfg->lc_base_url != NULL ?
			    cfg->lc_base_url : "");

		snprintf(errbuf, errlen, "base URL '%s' is not http(s)", shown);
		free(shown);
		return (NULL);
	}
	if (curlapi_load(errbuf, errlen) == -1)
		return (NULL);
	c = xcalloc(1, sizeof(*c));
	if ((c->c_curl = curlapi.easy_init()) == NULL) {
		free(c);
		snprintf(errbuf, errlen, "curl_easy_init failed");
		return (NULL);
	}
	c->c_provider = prov;
	blen = strlen(cfg->lc_base_url);
	while (blen > 0 && cfg->lc_base_url[blen - 1] == '/')
		blen--;
	xasprintf(&c->c_url, "%.*s%s", (int)blen, cfg->lc_base_url,
	    prov->p_path);
	xasprintf(&c->c_base, "%.*s", (int)blen, cfg->lc_base_url);
	if (cfg->lc_api_key != NULL && *cfg->lc_api_key != '\0') {
		xasprintf(&c->c_auth, "Authorization: Bearer %s",
		    cfg->lc_api_key);
		c->c_key = xstrdup(cfg->lc_api_key);
	}
	c->c_timeout_s = cfg->lc_timeout_s > 0 ? cfg->lc_timeout_s : 120;
	c->c_connect_timeout_s = cfg->lc_connect_timeout_s > 0 ?
	    cfg->lc_connect_timeout_s : 10;
	c->c_retries = cfg->lc_retries >= 0 ? cfg->lc_retries : 0;
	return (c);
}

void
llm_client_free(struct llm_client *c)
{
	if (c == NULL)
		return;
	curlapi.easy_cleanup(c->c_curl);
	if (c->c_auth != NULL) {
		explicit_bzero(c->c_auth, strlen(c->c_auth));
		free(c->c_auth);
	}
	if (c->c_key != NULL) {
		explicit_bzero(c->c_key, strlen(c->c_key));
		free(c->c_key);
	}
	free(c->c_url);
	free(c->c_base);
	free(c);
}

static size_t
discard_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	(void)ptr;
	(void)arg;
	return (size * nmemb);
}

int
llm_probe(struct llm_client *c, char *errbuf, size_t errlen)
{
	struct curl_slist	*hdrs = NULL;
	char			 cerr[CURL_ERROR_SIZE], *url, *p;
	CURLcode		 rc;
	long			 status = 0;

	url = xstrdup(c->c_url);
	if ((p = strrchr(url, '/')) != NULL && strcmp(p,
	    "/completions") == 0) {
		*p = '\0';
		if ((p = strrchr(url, '/')) != NULL && strcmp(p, "/chat") == 0)
			*p = '\0';
	}
	p = url;
	xasprintf(&url, "%s/models", p);
	free(p);
	cerr[0] = '\0';
	if (c->c_auth != NULL)
		hdrs = curlapi.slist_append(hdrs, c->c_auth);
	curlapi.easy_reset(c->c_curl);
	curlapi.easy_setopt(c->c_curl, CURLOPT_URL, url);
	curlapi.easy_setopt(c->c_curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curlapi.easy_setopt(c->c_curl, CURLOPT_NOSIGNAL, 1L);
	curlapi.easy_setopt(c->c_curl, CURLOPT_HTTPHEADER, hdrs);
	curlapi.easy_setopt(c->c_curl, CURLOPT_WRITEFUNCTION, discard_cb);
	curlapi.easy_setopt(c->c_curl, CURLOPT_ERRORBUFFER, cerr);
	curlapi.easy_setopt(c->c_curl, CURLOPT_TIMEOUT, 20L);
	curlapi.easy_setopt(c->c_curl, CURLOPT_CONNECTTIMEOUT,
	    (long)c->c_connect_timeout_s);
	rc = curlapi.easy_perform(c->c_curl);
	curlapi.easy_getinfo(c->c_curl, CURLINFO_RESPONSE_CODE, &status);
	curlapi.slist_free_all(hdrs);
	/* the URL is shown: without a user and password it may carry */
	p = url_redact_userinfo(url);
	free(url);
	if (rc != CURLE_OK) {
		snprintf(errbuf, errlen, "%s: %s", p, cerr[0] != '\0' ? cerr :
		    curlapi.easy_strerror(rc));
		free(p);
		return (-1);
	}
	snprintf(errbuf, errlen, "%s", p);
	free(p);
	return ((int)status);
}

int
llm_client_attempts(const struct llm_client *c)
{
	return (c->c_attempts);
}

/*
 * POST body (JSON) to url with the client's key and read the reply into
 * x, keeping at most max bytes.  Counts the attempt.  Returns 0 with
 * *status set (any HTTP status), or -1 with err filled for a transfer
 * that got no whole answer (connection, timeout, cancelled, too large).
 */
static int
transfer(struct llm_client *c, const char *url, const char *body,
    size_t max, const struct llm_hooks *hooks, struct llm_xfer *x,
    long *status, struct llm_error *err)
{
	struct curl_slist	*hdrs = NULL;
	char			 cerr[CURL_ERROR_SIZE];
	CURLcode		 rc;
	int			 ret = -1;

	memset(x, 0, sizeof(*x));
	x->x_hooks = hooks;
	x->x_max = max;
	cerr[0] = '\0';
	*status = 0;
	hdrs = curlapi.slist_append(hdrs, "Content-Type: application/json");
	hdrs = curlapi.slist_append(hdrs, "Accept: application/json");
	hdrs = curlapi.slist_append(hdrs, "Expect:");
	if (c->c_auth != NULL)
		hdrs = curlapi.slist_append(hdrs, c->c_auth);
	curlapi.easy_reset(c->c_curl);
	curlapi.easy_setopt(c->c_curl, CURLOPT_URL, url);
	curlapi.easy_setopt(c->c_curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curlapi.easy_setopt(c->c_curl, CURLOPT_NOSIGNAL, 1L);
	curlapi.easy_setopt(c->c_curl, CURLOPT_HTTPHEADER, hdrs);
	curlapi.easy_setopt(c->c_curl, CURLOPT_USERAGENT,
	    "articlegen/" ARTICLEGEN_VERSION);
	curlapi.easy_setopt(c->c_curl, CURLOPT_POSTFIELDS, body);
	curlapi.easy_setopt(c->c_curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)strlen(body));
	curlapi.easy_setopt(c->c_curl, CURLOPT_WRITEFUNCTION, write_cb);
	curlapi.easy_setopt(c->c_curl, CURLOPT_WRITEDATA, x);
	curlapi.easy_setopt(c->c_curl, CURLOPT_HEADERFUNCTION, header_cb);
	curlapi.easy_setopt(c->c_curl, CURLOPT_HEADERDATA, x);
	curlapi.easy_setopt(c->c_curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curlapi.easy_setopt(c->c_curl, CURLOPT_XFERINFODATA, x);
	curlapi.easy_setopt(c->c_curl, CURLOPT_NOPROGRESS, 0L);
	curlapi.easy_setopt(c->c_curl, CURLOPT_ERRORBUFFER, cerr);
	curlapi.easy_setopt(c->c_curl, CURLOPT_TIMEOUT, (long)c->c_timeout_s);
	curlapi.easy_setopt(c->c_curl, CURLOPT_CONNECTTIMEOUT,
	    (long)c->c_connect_timeout_s);
	curlapi.easy_setopt(c->c_curl, CURLOPT_ACCEPT_ENCODING, "");

	c->c_attempts++;
	rc = curlapi.easy_perform(c->c_curl);
	curlapi.easy_getinfo(c->c_curl, CURLINFO_RESPONSE_CODE, status);
	if (rc != CURLE_OK) {
		const char *why = cerr[0] != '\0' ? cerr :
		    curlapi.easy_strerror(rc);

		if (x->x_overflow)
			set_error(err, "too_large", (int)*status, 0, 0,
			    "reply larger than %zu bytes", max);
		else if (rc == CURLE_ABORTED_BY_CALLBACK)
			set_error(err, "cancelled", 0, 0, 0,
			    "call cancelled by a shutdown request");
		else if (rc == CURLE_OPERATION_TIMEDOUT)
			set_error(err, "timeout", 0, 1, 0,
			    "no complete reply within %d s: %s",
			    c->c_timeout_s, why);
		else if (rc == CURLE_COULDNT_CONNECT ||
		    rc == CURLE_COULDNT_RESOLVE_HOST ||
		    rc == CURLE_COULDNT_RESOLVE_PROXY)
			set_error(err, "connect", 0, 1, 0, "cannot connect: %s",
			    why);
		else
			set_error(err, "transport", 0, 1, 0,
			    "transfer failed: %s", why);
	} else
		ret = 0;
	curlapi.slist_free_all(hdrs);
	return (ret);
}

/*
 * What an error reply asks of the next attempt: the wait (Retry-After)
 * and whether to retry at all (x-should-retry).  Masks the key out of
 * the message, which may quote the server.
 */
static void
error_reply_hints(const struct llm_client *c, const struct llm_xfer *x,
    struct llm_error *err, int64_t *retry_after_ms)
{
	(void)mask_secrets(err->e_message, c->c_key);
	*retry_after_ms = llm_parse_retry_after(x->x_retry_after_ms,
	    x->x_retry_after, (int64_t)time(NULL));
	if (strcasecmp(x->x_should_retry, "true") == 0 && !err->e_fatal)
		err->e_retryable = 1;
	else if (strcasecmp(x->x_should_retry, "false") == 0)
		err->e_retryable = 0;
}

/*
 * One HTTP attempt.  Returns 0 with reply filled, or -1 with err filled
 * and *retry_after_ms set when the server asked for a pause.
 */
static int
attempt_once(struct llm_client *c, const char *op, const char *model,
    const char *body,
    const struct llm_hooks *hooks, struct llm_reply *reply, struct llm_error *err,
    int64_t *retry_after_ms)
{
	struct llm_xfer		 x;
	long			 status = 0;
	int			 ret = -1;

	*retry_after_ms = -1;
	if (transfer(c, c->c_url, body, LLM_BODY_MAX, hooks, &x, &status,
	    err) == 0) {
		ret = c->c_provider->p_parse(x.x_body != NULL ? x.x_body : "",
		    x.x_len, (int)status, reply, err);
		if (ret == -1)
			error_reply_hints(c, &x, err, retry_after_ms);
	}
	if (hooks != NULL && hooks->h_after_call != NULL)
		hooks->h_after_call(hooks->h_arg, op, model, ret == 0 ? (int)status :
		    err->e_http_status, ret == 0 ? reply->r_prompt_tokens : 0,
		    ret == 0 ? reply->r_completion_tokens : 0, *retry_after_ms);
	free(x.x_body);
	return (ret);
}

/* Sleep ms in slices, ticking the hooks, until done or cancelled. */
static void
wait_with_ticks(const struct llm_hooks *hooks, int64_t ms)
{
	if (hooks == NULL)
		(void)tickwait(ms, NULL, NULL, NULL);
	else
		(void)tickwait(ms, hooks->h_tick, hooks->h_arg,
		    hooks->h_cancel);
}

/*
 * The largest output cap each known model family accepts, in tokens
 * (OpenAI's model pages); the first matching prefix wins, so longer
 * prefixes come first.
 */
static const struct {
	const char	*m_prefix;
	int		 m_max;
} model_output_max[] = {
	{ "gpt-5",		128000 },
	{ "gpt-4.1",		32768 },
	{ "gpt-4o",		16384 },
	{ "gpt-4-turbo",	4096 },
	{ "gpt-4",		8192 },
	{ "gpt-3.5-turbo",	4096 },
	{ "o1-preview",		32768 },
	{ "o1-mini",		65536 },
	{ "o1",			100000 },
	{ "o3",			100000 },
	{ "o4",			100000 },
};

int
llm_model_output_max(const char *model)
{
	size_t	i;

	for (i = 0; i < nitems(model_output_max); i++)
		if (is_prefix(model, model_output_max[i].m_prefix))
			return (model_output_max[i].m_max);
	return (0);
}

int
llm_grown_cap(const char *model, int cap)
{
	int	max = llm_model_output_max(model), grown;

	if (cap <= 0)
		return (0);	/* the server's default: nothing to raise */
	grown = cap > INT32_MAX / 2 ? INT32_MAX : cap * 2;
	if (max > 0 && grown > max)
		grown = max;
	return (grown > cap ? grown : 0);
}

static int	complete_call(struct llm_client *, const struct llm_call *,
		    const char *, const struct llm_hooks *, struct llm_reply *,
		    struct llm_error *);

/* Make the call (see llm.h): its body is built from call. */
int
llm_complete(struct llm_client *c, const struct llm_call *call,
    const struct llm_hooks *hooks, struct llm_reply *reply,
    struct llm_error *err)
{
	return (complete_call(c, call, NULL, hooks, reply, err));
}

int
llm_complete_body(struct llm_client *c, const struct llm_call *call,
    const char *body, const struct llm_hooks *hooks, struct llm_reply *reply,
    struct llm_error *err)
{
	return (complete_call(c, call, body, hooks, reply, err));
}

/*
 * The attempts of one call: the hooks before and after each, the retries
 * and their waits.  Two kinds of second attempt: a retryable error
 * (connection, timeout, 408, 409, 429, 5xx, a 200 that is not a
 * completion) is retried up to c_retries times after a backoff; a reply
 * cut off at the output cap ("truncated") is asked again once, at once,
 * with the cap doubled within the model's maximum (llm_grown_cap()) --
 * unless the caller gave its own request body (prebuilt, borrowed), which
 * is sent as it is.  0 with reply, or -1 with err.
 */
static int
complete_call(struct llm_client *c, const struct llm_call *call,
    const char *prebuilt, const struct llm_hooks *hooks,
    struct llm_reply *reply, struct llm_error *err)
{
	struct llm_call		 grown_call;
	const struct llm_call	*cur = call;
	const char		*body;
	char			*owned = NULL;
	int64_t			 wait_ms, retry_after_ms;
	long			 est_tokens;
	int			 attempt = 0, tries = 0, ret = -1, grown = 0;
	int			 newcap = 0;

	memset(err, 0, sizeof(*err));
	memset(reply, 0, sizeof(*reply));
	body = prebuilt != NULL ? prebuilt :
	    (owned = c->c_provider->p_body(call));
	for (;;) {
		est_tokens = (long)(strlen(prebuilt != NULL ? prebuilt :
		    cur->c_prompt) / 4) + cur->c_max_tokens;
		if (hooks != NULL && hooks->h_cancel != NULL &&
		    *hooks->h_cancel) {
			set_error(err, "cancelled", 0, 0, 0,
			    "call cancelled by a shutdown request");
			break;
		}
		if (hooks != NULL && hooks->h_before_call != NULL &&
		    hooks->h_before_call(hooks->h_arg, cur->c_op,
		    est_tokens) == -1) {
			set_error(err, "cancelled", 0, 0, 0,
			    "call refused by the supervisor");
			break;
		}
		tries++;
		if (attempt_once(c, cur->c_op, cur->c_model, body, hooks, reply,
		    err, &retry_after_ms) == 0) {
			ret = 0;
			break;
		}
		err->e_attempts = tries;
		if (strcmp(err->e_code, "truncated") == 0) {
			if (prebuilt != NULL || grown || (newcap =
			    llm_grown_cap(cur->c_model, cur->c_max_tokens)) ==
			    0) {
				size_t	l = strlen(err->e_message);

				if (grown)
					(void)snprintf(err->e_message + l,
					    sizeof(err->e_message) - l,
					    " again with the cap raised to %d "
					    "tokens", cur->c_max_tokens);
				else if (cur->c_max_tokens > 0 &&
				    prebuilt == NULL)
					(void)snprintf(err->e_message + l,
					    sizeof(err->e_message) - l,
					    " of %d tokens, the most this "
					    "model allows", cur->c_max_tokens);
				break;
			}
			log_info("%s call: reply cut off at %d tokens; asking "
			    "again with %d", cur->c_op, cur->c_max_tokens,
			    newcap);
			grown_call = *call;
			grown_call.c_max_tokens = newcap;
			cur = &grown_call;
			free(owned);
			body = owned = c->c_provider->p_body(cur);
			grown = 1;
			continue;
		}
		if (!err->e_retryable || attempt >= c->c_retries)
			break;
		if (retry_after_ms > LLM_RETRY_AFTER_MAX_MS) {
			size_t	l = strlen(err->e_message);

			(void)snprintf(err->e_message + l,
			    sizeof(err->e_message) - l,
			    " (server asked to wait %lld s: not retried)",
			    (long long)(retry_after_ms / 1000));
			break;
		}
		wait_ms = retry_after_ms >= 0 ? retry_after_ms :
		    llm_backoff_ms(attempt, (double)arc4random_uniform(1000) /
		    1000.0);
		log_info("%s call: %s; retry %d of %d in %lld ms", cur->c_op,
		    err->e_message, attempt + 1, c->c_retries,
		    (long long)wait_ms);
		wait_with_ticks(hooks, wait_ms);
		attempt++;
	}
	if (ret == -1) {
		if (err->e_attempts == 0)
			err->e_attempts = tries > 0 ? tries : 1;
		if (err->e_attempts > 1) {
			size_t	l = strlen(err->e_message);

			(void)snprintf(err->e_message + l,
			    sizeof(err->e_message) - l, " after %d attempts",
			    err->e_attempts);
		}
	}
	free(owned);
	return (ret);
}

/*
 * POST <base>/images/generations: the attempts of one images API call,
 * retried like a chat call (connection, timeout, 408, 409, 429, 5xx),
 * each reported to the hooks with its HTTP status and no tokens.  A 401
 * or 403 here is not fatal to the run (an account may lack image
 * access while its chat calls work).  Returns 0 with the 200 reply's
 * body in *out (owned, NUL-terminated, *outlen bytes), or -1 with err.
 */
int
llm_images(struct llm_client *c, const char *op, const char *model,
    const char *body, size_t max, const struct llm_hooks *hooks, char **out,
    size_t *outlen, struct llm_error *err)
{
	struct llm_xfer		 x;
	struct json_object	*root;
	char			*url;
	long			 status;
	int64_t			 wait_ms, retry_after_ms;
	int			 attempt = 0, ret = -1;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	*outlen = 0;
	xasprintf(&url, "%s/images/generations", c->c_base);
	for (;;) {
		retry_after_ms = -1;
		if (hooks != NULL && hooks->h_cancel != NULL &&
		    *hooks->h_cancel) {
			set_error(err, "cancelled", 0, 0, 0,
			    "call cancelled by a shutdown request");
			break;
		}
		if (hooks != NULL && hooks->h_before_call != NULL &&
		    hooks->h_before_call(hooks->h_arg, op, 0) == -1) {
			set_error(err, "cancelled", 0, 0, 0,
			    "call refused by the supervisor");
			break;
		}
		if (transfer(c, url, body, max, hooks, &x, &status, err) == 0) {
			if (status == 200) {
				*out = x.x_body != NULL ? x.x_body :
				    xstrdup("");
				*outlen = x.x_len;
				x.x_body = NULL;
				ret = 0;
			} else {
				root = parse_json(x.x_body != NULL ? x.x_body :
				    "", x.x_len);
				classify_http_error(root, (int)status, err);
				json_object_put(root);
				err->e_fatal = 0;
				error_reply_hints(c, &x, err, &retry_after_ms);
			}
		}
		if (hooks != NULL && hooks->h_after_call != NULL)
			hooks->h_after_call(hooks->h_arg, op, model, ret == 0 ?
			    200 : err->e_http_status, 0, 0, retry_after_ms);
		free(x.x_body);
		err->e_attempts = attempt + 1;
		if (ret == 0 || !err->e_retryable || attempt >= c->c_retries ||
		    retry_after_ms > LLM_RETRY_AFTER_MAX_MS)
			break;
		wait_ms = retry_after_ms >= 0 ? retry_after_ms :
		    llm_backoff_ms(attempt, (double)arc4random_uniform(1000) /
		    1000.0);
		log_info("%s call: %s; retry %d of %d in %lld ms", op,
		    err->e_message, attempt + 1, c->c_retries,
		    (long long)wait_ms);
		wait_with_ticks(hooks, wait_ms);
		attempt++;
	}
	free(url);
	return (ret);
}

int
llm_global_init(char *errbuf, size_t errlen)
{
	if (curlapi_load(errbuf, errlen) == -1)
		return (-1);
	if (curlapi.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		(void)snprintf(errbuf, errlen, "curl_global_init failed");
		return (-1);
	}
	return (0);
}

void
llm_global_cleanup(void)
{
	if (curlapi.global_cleanup != NULL)
		curlapi.global_cleanup();
}

void
llm_library_version(char *buf, size_t len)
{
	curl_version_info_data	*cv;
	char			 errbuf[256];

	if (curlapi_load(errbuf, sizeof(errbuf)) == -1) {
		(void)snprintf(buf, len, "%s", errbuf);
		return;
	}
	cv = curlapi.version_info(CURLVERSION_NOW);
	(void)snprintf(buf, len, "libcurl %s (%s)", cv->version,
	    cv->ssl_version != NULL ? cv->ssl_version : "no TLS");
}
