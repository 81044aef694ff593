/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * api.c: the endpoints of llm-standin, the project's local stand-in for
 * the OpenAI Chat Completions API (see docs/STANDIN.md).  It is not a
 * model: chat replies come from the template generator in canned.c, shaped
 * like the real service's JSON so the worker's client code, its error
 * classification and its retry logic can be exercised offline.  Scripted
 * faults (fault.c) turn chosen requests into errors, hangs, broken bodies
 * or dropped connections.  The images API (images.c) shares the key
 * check, the delay and the fault queue; the source APIs and Unsplash
 * (sources.c, unsplash.c) answer at once.
 */
#include <sys/param.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "api.h"
#include "buf.h"
#include "compat.h"
#include "diagram.h"
#include "fault.h"
#include "canned.h"
#include "images.h"
#include "log.h"
#include "sources.h"
#include "xmalloc.h"

#define API_BIG_CONTENT		(12 * 1024 * 1024)
#define API_LOG_FIELD_MAX	200
#define API_STATUS_MAX		600

struct api {
	char			*a_key;		/* NULL: no check */
	size_t			 a_keylen;
	FILE			*a_log;
	int			 a_log_failed;
	int64_t			 a_latency_ms;
	int64_t			 a_jitter_ms;
	struct fault_queue	*a_faults;
	struct images		*a_images;	/* PNGs kept for GET */
	int			 a_hostile;	/* STANDIN_HOSTILE=1 */
	uint64_t		 a_requests;
	uint64_t		 a_chat_requests;
	uint64_t		 a_image_requests;
	struct sources_stats	 a_sources;	/* Unsplash counters */
	uint64_t		 a_by_status[API_STATUS_MAX];
};

/* What a chat request asked for, once parsed and checked. */
struct api_chat {
	const char	*ch_model;	/* borrowed from the parsed body */
	struct buf	 ch_prompt;	/* all message texts, '\n'-joined */
	size_t		 ch_user_off;	/* the last user message in it */
	size_t		 ch_user_len;
	size_t		 ch_prompt_chars;
	int64_t		 ch_max_tokens;	/* 0: no limit */
	int		 ch_enrichment;	/* response_format "enrichment" */
};

/*
 * Create the endpoint state.  The key is copied (and wiped on free); the
 * log stream stays the caller's.  Never returns NULL.
 */
struct api *
api_new(const struct api_config *ac)
{
	struct api	*api;
	const char	*env;

	api = xcalloc(1, sizeof(*api));
	if (ac->ac_key != NULL) {
		api->a_key = xstrdup(ac->ac_key);
		api->a_keylen = strlen(api->a_key);
	}
	api->a_log = ac->ac_log;
	api->a_latency_ms = ac->ac_latency_ms;
	api->a_jitter_ms = ac->ac_jitter_ms;
	api->a_faults = fault_queue_new();
	api->a_images = images_new();
	env = getenv("STANDIN_HOSTILE");
	api->a_hostile = env != NULL && *env != '\0' && strcmp(env, "0") != 0;
	return (api);
}

void
api_free(struct api *api)
{
	if (api == NULL)
		return;
	if (api->a_key != NULL) {
		explicit_bzero(api->a_key, api->a_keylen);
		free(api->a_key);
	}
	fault_queue_free(api->a_faults);
	images_free(api->a_images);
	free(api);
}

/* Replace the fault queue; see fault_queue_set(). */
int
api_set_faults(struct api *api, const char *list, size_t len, char *errbuf,
    size_t errlen)
{
	return (fault_queue_set(api->a_faults, list, len, errbuf, errlen));
}

/* The reason phrase for an HTTP status. */
const char *
api_reason(int status)
{
	switch (status) {
	case 100: return ("Continue");
	case 200: return ("OK");
	case 400: return ("Bad Request");
	case 401: return ("Unauthorized");
	case 403: return ("Forbidden");
	case 404: return ("Not Found");
	case 405: return ("Method Not Allowed");
	case 408: return ("Request Timeout");
	case 409: return ("Conflict");
	case 411: return ("Length Required");
	case 413: return ("Content Too Large");
	case 415: return ("Unsupported Media Type");
	case 417: return ("Expectation Failed");
	case 422: return ("Unprocessable Content");
	case 429: return ("Too Many Requests");
	case 431: return ("Request Header Fields Too Large");
	case 500: return ("Internal Server Error");
	case 501: return ("Not Implemented");
	case 502: return ("Bad Gateway");
	case 503: return ("Service Unavailable");
	case 504: return ("Gateway Timeout");
	case 505: return ("HTTP Version Not Supported");
	default:
		return (status >= 500 ? "Server Error" : "Client Error");
	}
}

/*
 * The request's Host header when it is a plain host name or address with
 * an optional port (letters, digits, '.', '-', ':', '[' and ']', at most
 * 255 bytes), to build URLs that lead back here; "127.0.0.1" otherwise.
 * Borrowed from rq or static.
 */
const char *
api_host(const struct api_request *rq)
{
	const char	*h = rq->rq_host;
	size_t		 n;

	if (h == NULL || (n = strlen(h)) == 0 || n > 255 ||
	    strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789.-:[]") != n)
		return ("127.0.0.1");
	return (h);
}

/*
 * Copy at most API_LOG_FIELD_MAX bytes of s, with blanks and control
 * characters replaced so that the log keeps one field per word.
 */
static char *
api_log_field(const char *s)
{
	char	*d;
	size_t	 i, n;

	n = strnlen(s, API_LOG_FIELD_MAX);
	d = xstrndup(s, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)d[i] <= ' ' || d[i] == 0x7f)
			d[i] = '_';
	return (d);
}

/* Start a reply: number it and note what it answers. */
static void
api_reply_init(struct api *api, struct api_reply *rp, const char *method,
    const char *path)
{
	memset(rp, 0, sizeof(*rp));
	rp->rp_seq = ++api->a_requests;
	rp->rp_action = API_SEND;
	(void)strlcpy(rp->rp_method, method, sizeof(rp->rp_method));
	rp->rp_path = api_log_field(path);
}

void
api_reply_release(struct api_reply *rp)
{
	free(rp->rp_body);
	free(rp->rp_path);
	free(rp->rp_model);
	memset(rp, 0, sizeof(*rp));
}

/* Serialise obj as the reply body with the given status; drops obj. */
static void
api_reply_json(struct api_reply *rp, int status, json_object *obj)
{
	const char	*s;
	size_t		 len;

	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	free(rp->rp_body);
	rp->rp_body = xmalloc(len + 1);
	memcpy(rp->rp_body, s, len + 1);
	rp->rp_bodylen = len;
	rp->rp_status = status;
	json_object_put(obj);
}

/*
 * Make rp an error reply shaped like the real service's:
 * {"error":{"message":..,"type":..,"param":..,"code":..}}.  param and
 * code may be NULL (sent as JSON null).
 */
static void
api_reply_error(struct api_reply *rp, int status, const char *message,
    const char *type, const char *param, const char *code)
{
	json_object	*root, *err;

	root = json_object_new_object();
	err = json_object_new_object();
	json_object_object_add(err, "message",
	    json_object_new_string(message));
	json_object_object_add(err, "type", json_object_new_string(type));
	json_object_object_add(err, "param", param == NULL ? NULL :
	    json_object_new_string(param));
	json_object_object_add(err, "code", code == NULL ? NULL :
	    json_object_new_string(code));
	json_object_object_add(root, "error", err);
	api_reply_json(rp, status, root);
}

/* The error a "status:CODE" fault asks for. */
static void
api_reply_status_fault(struct api_reply *rp, int status)
{
	char	msg[128];

	switch (status) {
	case 400:
		api_reply_error(rp, status, "The request could not be "
		    "processed: one of its parameters is invalid.",
		    "invalid_request_error", NULL, NULL);
		break;
	case 401:
		api_reply_error(rp, status, "Incorrect API key provided.",
		    "invalid_request_error", NULL, "invalid_api_key");
		break;
	case 403:
		api_reply_error(rp, status, "This project is not allowed to "
		    "use the requested resource.", "invalid_request_error",
		    NULL, "permission_denied");
		break;
	case 404:
		api_reply_error(rp, status, "The requested model does not "
		    "exist or this project has no access to it.",
		    "invalid_request_error", "model", "model_not_found");
		break;
	case 429:
		api_reply_error(rp, status, "Rate limit reached for requests. "
		    "Please try again later.", "requests", NULL,
		    "rate_limit_exceeded");
		break;
	case 500:
		api_reply_error(rp, status, "The server had an error while "
		    "processing the request. Please retry.", "server_error",
		    NULL, NULL);
		break;
	case 502:
		api_reply_error(rp, status, "Bad gateway: an upstream server "
		    "did not answer properly.", "server_error", NULL, NULL);
		break;
	case 503:
		api_reply_error(rp, status, "The service is temporarily "
		    "overloaded. Please retry later.", "server_error", NULL,
		    NULL);
		break;
	default:
		snprintf(msg, sizeof(msg), "The request failed with status "
		    "%d (%s).", status, api_reason(status));
		api_reply_error(rp, status, msg, status >= 500 ?
		    "server_error" : "invalid_request_error", NULL, NULL);
		break;
	}
}

/* The delay before a chat reply: latency plus a uniform 0..jitter. */
static int64_t
api_delay(const struct api *api)
{
	int64_t	d = api->a_latency_ms;

	if (api->a_jitter_ms > 0)
		d += (int64_t)arc4random_uniform(
		    (uint32_t)api->a_jitter_ms + 1);
	return (d);
}

/*
 * 1 when auth is "Bearer <the configured key>".  Compares in time that
 * does not depend on where the first difference is.
 */
static int
api_auth_ok(const struct api *api, const char *auth)
{
	const char	*tok;
	size_t		 i, len;
	unsigned char	 diff = 0;

	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return (0);
	for (tok = auth + 7; *tok == ' '; tok++)
		continue;
	len = strlen(tok);
	while (len > 0 && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
		len--;
	if (len != api->a_keylen)
		return (0);
	for (i = 0; i < len; i++)
		diff |= (unsigned char)(tok[i] ^ api->a_key[i]);
	return (diff == 0);
}

/*
 * Append the text of a message's content to the prompt: a string, null,
 * or an array of parts whose "text" members are used.  Returns 0, or -1
 * for any other shape.
 */
static int
api_chat_content(struct api_chat *ch, json_object *content)
{
	json_object	*part, *text;
	size_t		 i, n;
	int		 len;

	if (content == NULL)
		return (0);
	if (json_object_is_type(content, json_type_string)) {
		len = json_object_get_string_len(content);
		buf_append(&ch->ch_prompt, json_object_get_string(content),
		    (size_t)len);
		ch->ch_prompt_chars += canned_utf8_chars(
		    json_object_get_string(content), (size_t)len);
		return (0);
	}
	if (!json_object_is_type(content, json_type_array))
		return (-1);
	n = json_object_array_length(content);
	for (i = 0; i < n; i++) {
		part = json_object_array_get_idx(content, i);
		if (!json_object_is_type(part, json_type_object))
			return (-1);
		if (!json_object_object_get_ex(part, "text", &text))
			continue;
		if (api_chat_content(ch, text) == -1)
			return (-1);
	}
	return (0);
}

/*
 * Check a chat request body and gather what the reply needs into ch
 * (which borrows from root).  Returns 0, or -1 with an error message in
 * errbuf and the offending parameter in *param.
 */
static int
api_chat_parse(json_object *root, struct api_chat *ch, char *errbuf,
    size_t errlen, const char **param)
{
	static const char *const limits[] = {
		"max_completion_tokens", "max_tokens"
	};
	json_object	*model, *msgs, *msg, *role, *content, *lim;
	size_t		 i, n, off;
	int64_t		 v;

	*param = NULL;
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(errbuf, errlen, "The request body must be a JSON "
		    "object.");
		return (-1);
	}
	if (!json_object_object_get_ex(root, "model", &model) ||
	    !json_object_is_type(model, json_type_string) ||
	    json_object_get_string_len(model) == 0) {
		*param = "model";
		snprintf(errbuf, errlen, "A 'model' parameter (a non-empty "
		    "string) is required.");
		return (-1);
	}
	ch->ch_model = json_object_get_string(model);
	if (!json_object_object_get_ex(root, "messages", &msgs) ||
	    !json_object_is_type(msgs, json_type_array) ||
	    (n = json_object_array_length(msgs)) == 0) {
		*param = "messages";
		snprintf(errbuf, errlen, "'messages' must be a non-empty "
		    "array.");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		msg = json_object_array_get_idx(msgs, i);
		if (!json_object_is_type(msg, json_type_object) ||
		    !json_object_object_get_ex(msg, "role", &role) ||
		    !json_object_is_type(role, json_type_string)) {
			*param = "messages";
			snprintf(errbuf, errlen, "messages[%zu] must be an "
			    "object with a string 'role'.", i);
			return (-1);
		}
		if (i > 0)
			buf_putc(&ch->ch_prompt, '\n');
		off = ch->ch_prompt.b_len;
		content = NULL;
		(void)json_object_object_get_ex(msg, "content", &content);
		if (api_chat_content(ch, content) == -1) {
			*param = "messages";
			snprintf(errbuf, errlen, "messages[%zu].content must "
			    "be a string, null or an array of text parts.", i);
			return (-1);
		}
		if (strcmp(json_object_get_string(role), "user") == 0 ||
		    ch->ch_user_len == 0) {
			ch->ch_user_off = off;
			ch->ch_user_len = ch->ch_prompt.b_len - off;
		}
	}
	/* the enrich stage asks for its JSON schema by name */
	if (json_object_object_get_ex(root, "response_format", &lim) &&
	    json_object_object_get_ex(lim, "json_schema", &lim) &&
	    json_object_object_get_ex(lim, "name", &lim) &&
	    json_object_is_type(lim, json_type_string) &&
	    strcmp(json_object_get_string(lim), "enrichment") == 0)
		ch->ch_enrichment = 1;
	for (i = 0; i < nitems(limits); i++) {
		if (!json_object_object_get_ex(root, limits[i], &lim) ||
		    lim == NULL)
			continue;
		errno = 0;
		v = json_object_get_int64(lim);
		if (!json_object_is_type(lim, json_type_int) || errno != 0 ||
		    v < 1) {
			*param = limits[i];
			snprintf(errbuf, errlen, "Invalid '%s': expected a "
			    "positive integer.", limits[i]);
			return (-1);
		}
		if (ch->ch_max_tokens == 0 || v < ch->ch_max_tokens)
			ch->ch_max_tokens = v;
	}
	return (0);
}

/*
 * Parse len bytes of body as one JSON value with nothing but blanks
 * after it.  Returns the value (owned), or NULL.
 */
static json_object *
api_parse_json(const char *body, size_t len)
{
	json_tokener	*tok;
	json_object	*obj = NULL;
	size_t		 end;

	if (len == 0 || len > INT32_MAX)
		return (NULL);
	if ((tok = json_tokener_new()) == NULL)
		return (NULL);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, body, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		goto fail;
	for (end = json_tokener_get_parse_end(tok); end < len; end++)
		if (!isspace((unsigned char)body[end]))
			goto fail;
	json_tokener_free(tok);
	return (obj);
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return (NULL);
}

/*
 * Make rp a chat.completion carrying content (len bytes), with usage
 * counted as a quarter of the characters, rounded up.
 */
static void
api_reply_completion(struct api_reply *rp, const struct api_chat *ch,
    const char *content, size_t len, const char *finish)
{
	json_object	*root, *choices, *choice, *msg, *usage;
	char		 id[64];
	int64_t		 p, c;

	p = (int64_t)((ch->ch_prompt_chars + 3) / 4);
	c = (int64_t)((canned_utf8_chars(content, len) + 3) / 4);
	snprintf(id, sizeof(id), "chatcmpl-standin-%" PRIu64, rp->rp_seq);
	root = json_object_new_object();
	json_object_object_add(root, "id", json_object_new_string(id));
	json_object_object_add(root, "object",
	    json_object_new_string("chat.completion"));
	json_object_object_add(root, "created",
	    json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(root, "model",
	    json_object_new_string(ch->ch_model));
	msg = json_object_new_object();
	json_object_object_add(msg, "role",
	    json_object_new_string("assistant"));
	json_object_object_add(msg, "content",
	    json_object_new_string_len(content, (int)len));
	json_object_object_add(msg, "refusal", NULL);
	choice = json_object_new_object();
	json_object_object_add(choice, "index", json_object_new_int(0));
	json_object_object_add(choice, "message", msg);
	json_object_object_add(choice, "logprobs", NULL);
	json_object_object_add(choice, "finish_reason",
	    json_object_new_string(finish));
	choices = json_object_new_array();
	json_object_array_add(choices, choice);
	json_object_object_add(root, "choices", choices);
	usage = json_object_new_object();
	json_object_object_add(usage, "prompt_tokens",
	    json_object_new_int64(p));
	json_object_object_add(usage, "completion_tokens",
	    json_object_new_int64(c));
	json_object_object_add(usage, "total_tokens",
	    json_object_new_int64(p + c));
	json_object_object_add(root, "usage", usage);
	api_reply_json(rp, 200, root);
}

/*
 * The text a normal reply carries: a diagram or a verdict for diagram
 * prompts (diagram.c, steered by the fault kind), a title for title
 * prompts, an article otherwise.  The article carries hostile raw HTML
 * (canned_article_hostile()) with the fault "hostile", with hostile set
 * (STANDIN_HOSTILE=1), or with the marker STANDIN_HOSTILE in the prompt.
 * Owned by the caller.
 */
static char *
api_chat_text(const struct api_chat *ch, enum fault_kind kind, int hostile)
{
	char	*user, *text;

	user = xstrndup(ch->ch_prompt.b_data + ch->ch_user_off,
	    ch->ch_user_len);
	if (ch->ch_enrichment)
		text = sources_enrichment(user, 0);
	else if ((text = diagram_answer(user, kind)) != NULL)
		;
	else if (canned_is_title_request(user))
		text = canned_title(buf_cstr(&ch->ch_prompt));
	else if (hostile || kind == FAULT_HOSTILE ||
	    strstr(buf_cstr(&ch->ch_prompt), CANNED_MARK_HOSTILE) != NULL)
		text = canned_article_hostile(buf_cstr(&ch->ch_prompt));
	else
		text = canned_article(buf_cstr(&ch->ch_prompt));
	free(user);
	return (text);
}

/* Cut text to at most max code points; 1 when it was cut. */
static int
api_cut_chars(char *text, size_t *len, int64_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < *len; i++) {
		if (((unsigned char)text[i] & 0xc0) != 0x80 &&
		    (int64_t)n++ == max) {
			text[i] = '\0';
			*len = i;
			return (1);
		}
	}
	return (0);
}

/*
 * Fill rp with the content of a "big" fault: the article repeated up to
 * API_BIG_CONTENT bytes, the last copy cut on a character boundary.
 */
static void
api_reply_big(struct api_reply *rp, const struct api_chat *ch,
    const char *article)
{
	struct buf	b;
	size_t		alen, k;

	alen = strlen(article);
	buf_init(&b);
	while (b.b_len + alen + 2 <= API_BIG_CONTENT) {
		buf_append(&b, article, alen);
		buf_append(&b, "\n\n", 2);
	}
	k = MIN(API_BIG_CONTENT - b.b_len, alen);
	while (k > 0 && ((unsigned char)article[k] & 0xc0) == 0x80)
		k--;
	buf_append(&b, article, k);
	api_reply_completion(rp, ch, buf_cstr(&b), b.b_len, "stop");
	buf_release(&b);
}

/*
 * Make rp a chat.completion whose message carries content (a JSON value,
 * owned: a string, an array of parts, or NULL for null) and refusal (NULL
 * for null), with finish as its finish_reason; usage counts chars
 * characters of output.  The shapes a real service sends when it cuts,
 * filters or refuses a reply.
 */
static void
api_reply_shaped(struct api_reply *rp, const struct api_chat *ch,
    json_object *content, const char *refusal, const char *finish,
    size_t chars)
{
	json_object	*root, *choices, *choice, *msg, *usage;
	char		 id[64];
	int64_t		 p, c;

	p = (int64_t)((ch->ch_prompt_chars + 3) / 4);
	c = (int64_t)((chars + 3) / 4);
	snprintf(id, sizeof(id), "chatcmpl-standin-%" PRIu64, rp->rp_seq);
	root = json_object_new_object();
	json_object_object_add(root, "id", json_object_new_string(id));
	json_object_object_add(root, "object",
	    json_object_new_string("chat.completion"));
	json_object_object_add(root, "created",
	    json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(root, "model",
	    json_object_new_string(ch->ch_model));
	msg = json_object_new_object();
	json_object_object_add(msg, "role",
	    json_object_new_string("assistant"));
	json_object_object_add(msg, "content", content);
	json_object_object_add(msg, "refusal", refusal == NULL ? NULL :
	    json_object_new_string(refusal));
	choice = json_object_new_object();
	json_object_object_add(choice, "index", json_object_new_int(0));
	json_object_object_add(choice, "message", msg);
	json_object_object_add(choice, "logprobs", NULL);
	json_object_object_add(choice, "finish_reason",
	    json_object_new_string(finish));
	choices = json_object_new_array();
	json_object_array_add(choices, choice);
	json_object_object_add(root, "choices", choices);
	usage = json_object_new_object();
	json_object_object_add(usage, "prompt_tokens",
	    json_object_new_int64(p));
	json_object_object_add(usage, "completion_tokens",
	    json_object_new_int64(c));
	json_object_object_add(usage, "total_tokens",
	    json_object_new_int64(p + c));
	json_object_object_add(root, "usage", usage);
	api_reply_json(rp, 200, root);
}

/* A content part {"type": type, key: text}. */
static json_object *
api_part(const char *type, const char *key, const char *text, size_t len)
{
	json_object	*part;

	part = json_object_new_object();
	json_object_object_add(part, "type", json_object_new_string(type));
	json_object_object_add(part, key,
	    json_object_new_string_len(text, (int)len));
	return (part);
}

#define API_APOLOGY	"I'm sorry, but I can't help with that."

/*
 * The replies that must never become an article (docs/STANDIN.md,
 * "Faults"): a cut or filtered text, a refusal in its three shapes, a
 * reply too short to be an article, content split into parts and a
 * completion without choices.
 */
static void
api_reply_unpublishable(struct api_reply *rp, const struct api_chat *ch,
    enum fault_kind kind)
{
	json_object	*parts;
	char		*text;
	size_t		 len, half;

	text = api_chat_text(ch, FAULT_OK, 0);
	len = strlen(text);
	/* a cut on a character boundary, mid-sentence */
	half = len / 2;
	while (half > 0 && ((unsigned char)text[half] & 0xc0) == 0x80)
		half--;
	switch (kind) {
	case FAULT_LENGTH:
		api_reply_shaped(rp, ch, json_object_new_string_len(text,
		    (int)half), NULL, "length", canned_utf8_chars(text, half));
		break;
	case FAULT_FILTERED:
		half = len / 4;
		while (half > 0 && ((unsigned char)text[half] & 0xc0) == 0x80)
			half--;
		api_reply_shaped(rp, ch, json_object_new_string_len(text,
		    (int)half), NULL, "content_filter",
		    canned_utf8_chars(text, half));
		break;
	case FAULT_REFUSAL:
		api_reply_shaped(rp, ch, NULL, API_APOLOGY, "stop",
		    strlen(API_APOLOGY));
		break;
	case FAULT_SORRY:
		api_reply_shaped(rp, ch, json_object_new_string(API_APOLOGY),
		    NULL, "stop", strlen(API_APOLOGY));
		break;
	case FAULT_PARTS:
		parts = json_object_new_array();
		json_object_array_add(parts, api_part("text", "text", text,
		    half));
		json_object_array_add(parts, api_part("text", "text",
		    text + half, len - half));
		api_reply_shaped(rp, ch, parts, NULL, "stop",
		    canned_utf8_chars(text, len));
		break;
	case FAULT_PARTS_REFUSAL:
		parts = json_object_new_array();
		json_object_array_add(parts, api_part("refusal", "refusal",
		    API_APOLOGY, strlen(API_APOLOGY)));
		api_reply_shaped(rp, ch, parts, NULL, "stop",
		    strlen(API_APOLOGY));
		break;
	case FAULT_SHORT:
		api_reply_shaped(rp, ch, json_object_new_string("Databases "
		    "store data. They are useful."), NULL, "stop", 44);
		break;
	case FAULT_NO_CHOICES:
		rp->rp_status = 200;
		rp->rp_body = xstrdup("{\"id\":\"chatcmpl-standin\",\"object\":"
		    "\"chat.completion\",\"choices\":[]}");
		rp->rp_bodylen = strlen(rp->rp_body);
		break;
	default:
		break;
	}
	free(text);
}

/*
 * Check the bearer key when one is required.  Returns 0 when the request
 * may go on, or -1 with rp made the 401 (no key, or a wrong one).
 */
static int
api_check_key(const struct api *api, const struct api_request *rq,
    struct api_reply *rp)
{
	if (api->a_key == NULL || api_auth_ok(api, rq->rq_auth))
		return (0);
	if (rq->rq_auth == NULL)
		api_reply_error(rp, 401, "No API key was provided. Send it in "
		    "an Authorization header as a Bearer token.",
		    "invalid_request_error", NULL, NULL);
	else
		api_reply_error(rp, 401, "Incorrect API key provided.",
		    "invalid_request_error", NULL, "invalid_api_key");
	return (-1);
}

/*
 * Apply the part of fault f that does not depend on what was asked, the
 * same for chat and images requests: an error status, a rate limit or
 * quota 429, a hang, a dropped connection, a body that is not JSON, the
 * 401 quoting the key; slow:MS only sets the delay.  Returns 1 when rp
 * is decided, 0 when the caller makes the reply (and, for "truncated",
 * cuts it).
 */
static int
api_common_fault(struct api_reply *rp, const struct api_request *rq,
    const struct fault *f)
{
	const char	*tok;
	char		*msg;

	switch (f->f_kind) {
	case FAULT_STATUS:
		api_reply_status_fault(rp, (int)f->f_arg);
		return (1);
	case FAULT_RATE:
		api_reply_error(rp, 429, "Rate limit reached for requests. "
		    "Please try again later.", "requests", NULL,
		    "rate_limit_exceeded");
		snprintf(rp->rp_headers, sizeof(rp->rp_headers),
		    "Retry-After: %" PRId64 "\r\nretry-after-ms: %" PRId64
		    "\r\n", f->f_arg, f->f_arg * 1000);
		return (1);
	case FAULT_QUOTA:
		api_reply_error(rp, 429, "You exceeded your current quota, "
		    "please check your plan and billing details.",
		    "insufficient_quota", NULL, "insufficient_quota");
		return (1);
	case FAULT_HANG:
		rp->rp_action = API_HANG;
		return (1);
	case FAULT_CLOSE:
		rp->rp_action = API_CLOSE;
		return (1);
	case FAULT_MALFORMED:
		rp->rp_status = 200;
		free(rp->rp_body);
		rp->rp_body = xstrdup("this is not json {");
		rp->rp_bodylen = strlen(rp->rp_body);
		return (1);
	case FAULT_KEY_ECHO:
		/* what a careless proxy sends: the key itself, unmasked */
		tok = rq->rq_auth != NULL && strncasecmp(rq->rq_auth,
		    "Bearer ", 7) == 0 ? rq->rq_auth + 7 : "";
		xasprintf(&msg, "Incorrect API key provided: %s. You can find "
		    "your API key in your account settings.", tok);
		api_reply_error(rp, 401, msg, "invalid_request_error", NULL,
		    "invalid_api_key");
		free(msg);
		return (1);
	case FAULT_SLOW:
		rp->rp_delay_ms = f->f_arg;
		return (0);
	default:
		return (0);
	}
}

/*
 * POST /v1/chat/completions: check the key, parse the body, take the
 * next fault and decide the reply.  Every outcome, errors included, is
 * delayed by the configured latency (or by a slow:MS fault).
 */
static void
api_chat(struct api *api, const struct api_request *rq, struct api_reply *rp)
{
	struct api_chat	 ch;
	struct fault	 f;
	json_object	*root = NULL;
	const char	*param;
	char		 errbuf[256], *text = NULL;
	size_t		 len;
	int		 cut;

	memset(&ch, 0, sizeof(ch));
	buf_init(&ch.ch_prompt);
	api->a_chat_requests++;
	rp->rp_delay_ms = api_delay(api);
	if (api_check_key(api, rq, rp) == -1)
		goto done;
	if ((root = api_parse_json(rq->rq_body, rq->rq_bodylen)) == NULL) {
		api_reply_error(rp, 400, "The request body is not valid JSON.",
		    "invalid_request_error", NULL, NULL);
		goto done;
	}
	if (api_chat_parse(root, &ch, errbuf, sizeof(errbuf), &param) == -1) {
		api_reply_error(rp, 400, errbuf, "invalid_request_error",
		    param, NULL);
		goto done;
	}
	rp->rp_model = api_log_field(ch.ch_model);
	fault_queue_pop(api->a_faults, &f);
	fault_name(&f, rp->rp_fault, sizeof(rp->rp_fault));
	if (api_common_fault(rp, rq, &f))
		goto done;
	switch (f.f_kind) {
	case FAULT_EMPTY:
		api_reply_completion(rp, &ch, "", 0, "stop");
		break;
	case FAULT_BADSCHEMA:
		text = sources_enrichment(buf_cstr(&ch.ch_prompt), 1);
		api_reply_completion(rp, &ch, text, strlen(text), "stop");
		break;
	case FAULT_BIG:
		text = canned_article(buf_cstr(&ch.ch_prompt));
		api_reply_big(rp, &ch, text);
		break;
	case FAULT_LENGTH:
	case FAULT_FILTERED:
	case FAULT_REFUSAL:
	case FAULT_SORRY:
	case FAULT_PARTS:
	case FAULT_PARTS_REFUSAL:
	case FAULT_SHORT:
	case FAULT_NO_CHOICES:
		api_reply_unpublishable(rp, &ch, f.f_kind);
		break;
	default:
		/* ok, slow, truncated, diagram_*, hostile */
		text = api_chat_text(&ch, f.f_kind, api->a_hostile);
		len = strlen(text);
		cut = ch.ch_max_tokens > 0 &&
		    api_cut_chars(text, &len, ch.ch_max_tokens * 4);
		api_reply_completion(rp, &ch, text, len, cut ? "length" :
		    "stop");
		if (f.f_kind == FAULT_TRUNCATED)
			rp->rp_action = API_TRUNCATE;
		break;
	}
done:
	free(text);
	buf_release(&ch.ch_prompt);
	json_object_put(root);
}

/*
 * POST /v1/images/generations: the key check and the 400s of a chat
 * request, then one entry of the same fault queue.  The faults that do
 * not depend on what was asked (api_common_fault(), and "truncated")
 * apply as they do to chat; the others, which shape a completion, are
 * answered as "ok".  A normal reply carries a PNG test pattern of the
 * requested size (images.c).
 */
static void
api_images(struct api *api, const struct api_request *rq,
    struct api_reply *rp)
{
	struct images_req	 ir;
	struct fault		 f;
	json_object		*root = NULL;
	const char		*param;
	char			 errbuf[256];

	api->a_image_requests++;
	rp->rp_delay_ms = api_delay(api);
	if (api_check_key(api, rq, rp) == -1)
		goto done;
	if ((root = api_parse_json(rq->rq_body, rq->rq_bodylen)) == NULL) {
		api_reply_error(rp, 400, "The request body is not valid JSON.",
		    "invalid_request_error", NULL, NULL);
		goto done;
	}
	if (images_parse(root, &ir, errbuf, sizeof(errbuf), &param) == -1) {
		api_reply_error(rp, 400, errbuf, "invalid_request_error",
		    param, NULL);
		goto done;
	}
	if (ir.ir_model != NULL)
		rp->rp_model = api_log_field(ir.ir_model);
	fault_queue_pop(api->a_faults, &f);
	fault_name(&f, rp->rp_fault, sizeof(rp->rp_fault));
	if (api_common_fault(rp, rq, &f))
		goto done;
	free(rp->rp_body);
	rp->rp_body = images_reply(api->a_images, &ir, api_host(rq),
	    &rp->rp_bodylen);
	rp->rp_status = 200;
	if (f.f_kind == FAULT_TRUNCATED)
		rp->rp_action = API_TRUNCATE;
done:
	json_object_put(root);
}

/* GET /images/<n>.png: an image made for response_format "url". */
static void
api_image_file(struct api *api, const struct api_request *rq,
    struct api_reply *rp)
{
	const unsigned char	*png;
	size_t			 len;

	if ((png = images_get(api->a_images, rq->rq_path, &len)) == NULL) {
		api_reply_error(rp, 404, "No such image: only the last few "
		    "images made with response_format \"url\" are kept.",
		    "invalid_request_error", NULL, "unknown_url");
		return;
	}
	free(rp->rp_body);
	rp->rp_body = xmalloc(len);
	memcpy(rp->rp_body, png, len);
	rp->rp_bodylen = len;
	rp->rp_status = 200;
	rp->rp_ctype = "image/png";
}

/* GET /stats. */
static void
api_stats(struct api *api, const struct api_request *rq, struct api_reply *rp)
{
	json_object	*root, *by;
	char		 key[8];
	int		 i;

	root = json_object_new_object();
	json_object_object_add(root, "requests",
	    json_object_new_int64((int64_t)api->a_requests));
	json_object_object_add(root, "chat_requests",
	    json_object_new_int64((int64_t)api->a_chat_requests));
	json_object_object_add(root, "image_requests",
	    json_object_new_int64((int64_t)api->a_image_requests));
	json_object_object_add(root, "unsplash_searches",
	    json_object_new_int64(
	    (int64_t)api->a_sources.ss_unsplash_searches));
	json_object_object_add(root, "unsplash_downloads",
	    json_object_new_int64(
	    (int64_t)api->a_sources.ss_unsplash_downloads));
	by = json_object_new_object();
	for (i = 100; i < API_STATUS_MAX; i++) {
		if (api->a_by_status[i] == 0)
			continue;
		snprintf(key, sizeof(key), "%d", i);
		json_object_object_add(by, key,
		    json_object_new_int64((int64_t)api->a_by_status[i]));
	}
	json_object_object_add(root, "by_status", by);
	json_object_object_add(root, "open_connections",
	    json_object_new_int64((int64_t)rq->rq_open_conns));
	json_object_object_add(root, "faults_pending",
	    json_object_new_int64((int64_t)fault_queue_pending(
	    api->a_faults)));
	api_reply_json(rp, 200, root);
}

/* POST /faults (replace the queue) and GET /faults (how many are left). */
static void
api_faults(struct api *api, const struct api_request *rq,
    struct api_reply *rp)
{
	json_object	*root;
	char		 errbuf[160];

	if (strcmp(rq->rq_method, "POST") == 0 &&
	    api_set_faults(api, rq->rq_body, rq->rq_bodylen, errbuf,
	    sizeof(errbuf)) == -1) {
		api_reply_error(rp, 400, errbuf, "invalid_request_error",
		    NULL, NULL);
		return;
	}
	root = json_object_new_object();
	json_object_object_add(root, "status", json_object_new_string("ok"));
	json_object_object_add(root, "pending",
	    json_object_new_int64((int64_t)fault_queue_pending(
	    api->a_faults)));
	api_reply_json(rp, 200, root);
}

/* A 405 for a known path used with the wrong method. */
static void
api_reply_method(struct api_reply *rp, const char *allow)
{
	api_reply_error(rp, 405, "This method is not allowed for this URL.",
	    "invalid_request_error", NULL, NULL);
	snprintf(rp->rp_headers, sizeof(rp->rp_headers), "Allow: %s\r\n",
	    allow);
}

/*
 * Decide the reply to a complete request.  rp is initialised here and
 * must be released by the caller with api_reply_release().
 */
void
api_handle(struct api *api, const struct api_request *rq,
    struct api_reply *rp)
{
	const char	*m = rq->rq_method, *p = rq->rq_path;
	json_object	*root;
	char		 msg[160];

	api_reply_init(api, rp, m, p);
	if (strcmp(p, "/v1/chat/completions") == 0 ||
	    strcmp(p, "/chat/completions") == 0) {
		if (strcmp(m, "POST") == 0)
			api_chat(api, rq, rp);
		else
			api_reply_method(rp, "POST");
	} else if (strcmp(p, "/v1/images/generations") == 0 ||
	    strcmp(p, "/images/generations") == 0) {
		if (strcmp(m, "POST") == 0)
			api_images(api, rq, rp);
		else
			api_reply_method(rp, "POST");
	} else if (strncmp(p, "/images/", 8) == 0) {
		if (strcmp(m, "GET") == 0)
			api_image_file(api, rq, rp);
		else
			api_reply_method(rp, "GET");
	} else if (strcmp(p, "/v1/models") == 0 || strcmp(p, "/models") == 0) {
		/* what articlegen --check --online asks */
		if (strcmp(m, "GET") == 0) {
			static const char *const ids[] = { "gpt-5-mini",
			    "gpt-5-nano", "gpt-4o-mini" };
			json_object	*data = json_object_new_array(), *mo;
			size_t		 i;

			for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
				mo = json_object_new_object();
				json_object_object_add(mo, "id",
				    json_object_new_string(ids[i]));
				json_object_object_add(mo, "object",
				    json_object_new_string("model"));
				json_object_object_add(mo, "owned_by",
				    json_object_new_string("llm-standin"));
				json_object_array_add(data, mo);
			}
			root = json_object_new_object();
			json_object_object_add(root, "object",
			    json_object_new_string("list"));
			json_object_object_add(root, "data", data);
			api_reply_json(rp, 200, root);
		} else
			api_reply_method(rp, "GET");
	} else if (strcmp(p, "/health") == 0) {
		if (strcmp(m, "GET") == 0) {
			root = json_object_new_object();
			json_object_object_add(root, "status",
			    json_object_new_string("ok"));
			api_reply_json(rp, 200, root);
		} else
			api_reply_method(rp, "GET");
	} else if (strcmp(p, "/stats") == 0) {
		if (strcmp(m, "GET") == 0)
			api_stats(api, rq, rp);
		else
			api_reply_method(rp, "GET");
	} else if (strcmp(p, "/faults") == 0) {
		if (strcmp(m, "GET") == 0 || strcmp(m, "POST") == 0)
			api_faults(api, rq, rp);
		else
			api_reply_method(rp, "GET, POST");
	} else if (sources_handle(rq, rp, &api->a_sources)) {
		/* a source API or a linked page (sources.c) */
	} else {
		snprintf(msg, sizeof(msg), "Unknown request URL: %s %s.",
		    rp->rp_method, rp->rp_path);
		api_reply_error(rp, 404, msg, "invalid_request_error", NULL,
		    "unknown_url");
	}
}

/*
 * A reply to a request the server could not take in (bad framing, too
 * large, chunked): an immediate error with the given status and message.
 * method and path may be "-" when the request line was unreadable.
 */
void
api_reject(struct api *api, const char *method, const char *path,
    int status, const char *message, struct api_reply *rp)
{
	api_reply_init(api, rp, method, path);
	api_reply_error(rp, status, message, "invalid_request_error", NULL,
	    NULL);
}

/*
 * Account for a reply once it is acted on: count its status (for sends)
 * and write the log line "SEQ METHOD PATH MODEL STATUS BYTES FAULT",
 * with "-" for what does not apply.  bytes is the count of body bytes
 * actually queued.
 */
void
api_record(struct api *api, const struct api_reply *rp, size_t bytes)
{
	char	status[8];
	int	sent;

	sent = rp->rp_action == API_SEND || rp->rp_action == API_TRUNCATE;
	if (sent && rp->rp_status >= 100 && rp->rp_status < API_STATUS_MAX)
		api->a_by_status[rp->rp_status]++;
	if (api->a_log == NULL || api->a_log_failed)
		return;
	if (sent)
		snprintf(status, sizeof(status), "%d", rp->rp_status);
	else
		(void)strlcpy(status, "-", sizeof(status));
	if (fprintf(api->a_log, "%" PRIu64 " %s %s %s %s %zu %s\n",
	    rp->rp_seq, rp->rp_method, rp->rp_path,
	    rp->rp_model != NULL ? rp->rp_model : "-", status, bytes,
	    rp->rp_fault[0] != '\0' ? rp->rp_fault : "-") < 0 ||
	    fflush(api->a_log) == EOF) {
		log_warn("request log");
		api->a_log_failed = 1;
	}
}
