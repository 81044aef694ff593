/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * enrich_job.c: the handler of the "enrich" job kind: one collected item
 * that passed the supervisor's gate gets its linked page fetched (capped,
 * enrich.c) and ONE model call through the host's API client, paced and
 * reported by the host's hooks like an article's calls; the reply is
 * validated against the enrichment schema and the answer is the enriched
 * item (docs/PROTOCOL.md, "enrich").  An item whose call or reply fails
 * is an error, never an item with a made-up score.  Its table entry is
 * enrich_worker_kind (kinds.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "enrich.h"
#include "gen.h"
#include "jobhost.h"
#include "llm.h"
#include "log.h"
#include "pricing.h"
#include "proto.h"
#include "util.h"

/* What the llm hooks need to report a call through the host's hooks. */
struct enrich_ctx {
	const struct gen_hooks	*ec_hooks;
	const struct pricing	*ec_pricing;
	double			 ec_cost;
};

static int
ej_before_call(void *arg, const char *op, long est_tokens)
{
	struct enrich_ctx	*c = arg;

	if (c->ec_hooks->gh_before_call == NULL)
		return (0);
	return (c->ec_hooks->gh_before_call(c->ec_hooks->gh_arg, op,
	    est_tokens));
}

/* Each attempt is priced here, once, and reported (calldone). */
static void
ej_after_call(void *arg, const char *op, const char *model, int status,
    long prompt_tokens, long completion_tokens, int64_t retry_after_ms)
{
	struct enrich_ctx	*c = arg;
	struct api_call		 call;
	int			 known = 1;

	call.ac_op = op;
	call.ac_model = model;
	call.ac_status = status;
	call.ac_prompt_tokens = prompt_tokens;
	call.ac_completion_tokens = completion_tokens;
	call.ac_cost = prompt_tokens == 0 && completion_tokens == 0 ? 0 :
	    pricing_text_cost(c->ec_pricing, model, prompt_tokens,
	    completion_tokens, &known);
	call.ac_retry_after_ms = retry_after_ms;
	c->ec_cost += call.ac_cost;
	if (c->ec_hooks->gh_call_done != NULL)
		c->ec_hooks->gh_call_done(c->ec_hooks->gh_arg, &call);
}

static void
ej_tick(void *arg)
{
	struct enrich_ctx	*c = arg;

	if (c->ec_hooks->gh_tick != NULL)
		c->ec_hooks->gh_tick(c->ec_hooks->gh_arg);
}

/* A string member of set, or NULL. */
static const char *
set_str(struct json_object *set, const char *key)
{
	struct json_object	*v;

	if (set == NULL || !json_object_object_get_ex(set, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

/* An integer member of set in [min, max], or fallback. */
static int
set_int(struct json_object *set, const char *key, int min, int max,
    int fallback)
{
	struct json_object	*v;
	int64_t			 n;

	if (set == NULL || !json_object_object_get_ex(set, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return (fallback);
	n = json_object_get_int64(v);
	return (n < min || n > max ? fallback : (int)n);
}

/* err for a failed call: fatal (69) for 401, 403 and quota. */
static void
call_error(struct gen_error *err, const struct llm_error *le)
{
	enum enrich_status	st;

	if (le->e_fatal)
		st = ENRICH_FATAL;
	else if (le->e_retryable || strcmp(le->e_code, "cancelled") == 0)
		st = ENRICH_RETRYABLE;
	else
		st = ENRICH_FAILED;
	job_error(err, le->e_code, enrich_exit_code(st), "enrichment call: "
	    "%.480s", le->e_message);
	err->ge_http_status = le->e_http_status;
	err->ge_fatal = st == ENRICH_FATAL;
	err->ge_calls = le->e_attempts;
}

/*
 * The page that grounds the research, as text (owned), or NULL when the
 * item has none or it cannot be read: the prompt then says so.
 */
static char *
read_page(struct json_object *item, int timeout_s, const char **urlp)
{
	const char	*url = enrich_page_url(item);
	struct enrich_page_opts	po;
	char		*text = NULL, errbuf[512];

	*urlp = NULL;
	if (url == NULL)
		return (NULL);
	memset(&po, 0, sizeof(po));
	po.po_timeout_ms = (long)timeout_s * 1000;
	if (enrich_fetch_page(fetch_http, NULL, url, &po, &text, errbuf,
	    sizeof(errbuf)) == -1) {
		log_info("linked page not available: %s", errbuf);
		return (NULL);
	}
	*urlp = url;
	return (text);
}

static int
run_enrich(struct job_host *h, const struct proto_msg *msg,
    struct json_object **result, struct gen_error *err)
{
	struct json_object	*item = proto_get_obj(msg, "item");
	struct json_object	*set = proto_get_obj(msg, "settings");
	struct json_object	*hv, *enriched;
	const char		*model = set_str(set, "model");
	const char		*base_url = set_str(set, "base_url");
	const char		*provider = set_str(set, "provider");
	const char		*pricing_path = set_str(set, "pricing_path");
	const char		*page_url;
	const struct pricing	*pricing;
	struct llm_client	*client;
	struct llm_call		 call;
	struct llm_hooks	 hooks;
	struct llm_reply	 reply;
	struct llm_error	 lerr;
	struct enrich_reply	 er;
	struct enrich_ctx	 c;
	long long		 now = 0;
	double			 heuristic = 0;
	char			*text, *body, errbuf[512];
	int			 ret;

	if (item == NULL || !json_object_is_type(item, json_type_object) ||
	    model == NULL || base_url == NULL || pricing_path == NULL ||
	    proto_get_int(msg, "now", 0, INT64_MAX, &now) == -1) {
		job_error(err, "bad_job", EXIT_DATAERR, "enrich job: needs "
		    "item, now and settings.model, base_url, pricing_path");
		return (-1);
	}
	if (json_object_object_get_ex(msg->m_obj, "heuristic", &hv))
		heuristic = json_object_get_double(hv);
	h->jh_rate_limited = set_int(set, "rate_limited", 0, 1, 1);
	h->jh_heartbeat_ms = set_int(set, "heartbeat_ms", 100, 60000, 0);
	if (job_host_pricing(h, pricing_path, &pricing, err) == -1 ||
	    job_host_api(h, base_url, provider != NULL ? provider : "openai",
	    set_int(set, "timeout_s", 1, 86400, 120),
	    set_int(set, "retries", 0, 100, 3), &client, err) == -1)
		return (-1);

	text = read_page(item, set_int(set, "page_timeout_s", 1, 600, 20),
	    &page_url);
	body = enrich_request_body(model, item, text, 0,
	    set_int(set, "max_tokens", 0, 1000000, 0));
	memset(&call, 0, sizeof(call));
	call.c_op = "enrichment";
	call.c_model = model;
	call.c_temperature = -1;
	memset(&c, 0, sizeof(c));
	c.ec_hooks = &h->jh_hooks;
	c.ec_pricing = pricing;
	memset(&hooks, 0, sizeof(hooks));
	hooks.h_arg = &c;
	hooks.h_before_call = ej_before_call;
	hooks.h_after_call = ej_after_call;
	hooks.h_tick = ej_tick;
	hooks.h_cancel = h->jh_hooks.gh_cancel;
	ret = llm_complete_body(client, &call, body, &hooks, &reply, &lerr);
	free(body);
	if (ret == -1) {
		call_error(err, &lerr);
		free(text);
		return (-1);
	}
	if (reply.r_finish_reason != NULL &&
	    strcmp(reply.r_finish_reason, "length") == 0) {
		job_error(err, "bad_reply", EXIT_DATAERR, "enrichment reply: "
		    "cut at the output limit (finish_reason length)");
		ret = -1;
	} else if (enrich_validate_content(reply.r_content,
	    strlen(reply.r_content), &er, errbuf, sizeof(errbuf)) == -1) {
		job_error(err, "bad_reply", EXIT_DATAERR, "enrichment reply "
		    "does not match the schema: %s", errbuf);
		ret = -1;
	}
	llm_reply_release(&reply);
	if (ret == -1) {
		err->ge_calls = 1;
		free(text);
		return (-1);
	}
	enriched = enrich_item(item, &er, heuristic, text != NULL ? page_url :
	    NULL, (int64_t)now);
	enrich_reply_release(&er);
	*result = proto_new(PROTO_RESULT, msg->m_id);
	json_object_object_add(*result, "enriched", enriched);
	json_object_object_add(*result, "cost",
	    json_object_new_double(c.ec_cost));
	json_object_object_add(*result, "page",
	    json_object_new_boolean(text != NULL));
	free(text);
	return (0);
}

const struct worker_kind enrich_worker_kind = { "enrich", run_enrich };
