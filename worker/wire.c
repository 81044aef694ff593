/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * wire.c: owns the meaning of the article job, result and error fields
 * (see docs/PROTOCOL.md), so that articlegen and articlegen-worker cannot
 * disagree about them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "covermake.h"
#include "gen.h"
#include "item.h"
#include "numfmt.h"
#include "proto.h"
#include "utf8.h"
#include "wire.h"
#include "xmalloc.h"

/*
 * Add val (or null) under key.  The peer decodes with UTF-8 validation
 * and drops a worker whose line fails it, so a string that is not valid
 * UTF-8 (an error message cut inside a character, text from a server) is
 * sent with U+FFFD in place of the bad bytes rather than losing the whole
 * message.
 */
static void
add_str(struct json_object *o, const char *key, const char *val)
{
	char	*s;

	if (val == NULL) {
		json_object_object_add(o, key, NULL);
		return;
	}
	s = utf8_scrub(val, strlen(val));
	json_object_object_add(o, key, json_object_new_string(s));
	free(s);
}

struct json_object *
wire_article_job_new(long long id, const struct item *it,
    const struct gen_settings *gs, const struct wire_api *run)
{
	struct json_object	*msg, *set;

	msg = proto_new(PROTO_JOB, id);
	json_object_object_add(msg, "kind", json_object_new_string("article"));
	json_object_object_add(msg, "item", item_to_json(it));
	set = json_object_new_object();
	add_str(set, "provider", run->wa_provider);
	add_str(set, "base_url", run->wa_base_url);
	add_str(set, "model_content", gs->gs_model_content);
	add_str(set, "model_title", gs->gs_model_title);
	json_object_object_add(set, "timeout_s",
	    json_object_new_int(run->wa_timeout_s));
	json_object_object_add(set, "retries",
	    json_object_new_int(run->wa_retries));
	add_str(set, "content_dir", gs->gs_content_dir);
	add_str(set, "pricing_path", run->wa_pricing_path);
	add_str(set, "run_id", gs->gs_run_id);
	json_object_object_add(set, "now", json_object_new_int64(gs->gs_now));
	if (gs->gs_replace_path != NULL)
		add_str(set, "replace_path", gs->gs_replace_path);
	if (gs->gs_kept_fm != NULL)
		add_str(set, "kept_front_matter", gs->gs_kept_fm);
	if (gs->gs_draft)
		json_object_object_add(set, "draft",
		    json_object_new_boolean(1));
	json_object_object_add(set, "max_cost_article",
	    json_object_new_double(gs->gs_max_cost));
	json_object_object_add(set, "rate_limited",
	    json_object_new_boolean(run->wa_rate_limited));
	if (run->wa_heartbeat_ms > 0)
		json_object_object_add(set, "heartbeat_ms",
		    json_object_new_int(run->wa_heartbeat_ms));
	json_object_object_add(set, "diagrams_max",
	    json_object_new_int(gs->gs_diagrams_max));
	json_object_object_add(set, "diagram_budget",
	    json_object_new_double(gs->gs_diagram_budget));
	if (gs->gs_model_diagram != NULL)
		add_str(set, "model_diagram", gs->gs_model_diagram);
	/* covers: without cover_sources, none (the key is never sent) */
	if (gs->gs_cover_sources != NULL) {
		add_str(set, "cover_sources", gs->gs_cover_sources);
		add_str(set, "static_dir", gs->gs_static_dir);
		add_str(set, "model_image", gs->gs_model_image);
		add_str(set, "image_size", gs->gs_image_size);
		add_str(set, "image_quality", gs->gs_image_quality);
		add_str(set, "unsplash_api_url", gs->gs_unsplash_url);
	}
	json_object_object_add(msg, "settings", set);
	return (msg);
}

static const char *
need_str(struct json_object *o, const char *key, int nullable, int *bad,
    char *errbuf, size_t errlen)
{
	struct json_object	*v;

	if (*bad)
		return (NULL);
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (nullable)
			return (NULL);
		snprintf(errbuf, errlen, "settings.%s: missing", key);
		*bad = 1;
		return (NULL);
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(errbuf, errlen, "settings.%s: not a string", key);
		*bad = 1;
		return (NULL);
	}
	return (json_object_get_string(v));
}

static long long
need_int(struct json_object *o, const char *key, long long min,
    long long max, int *bad, char *errbuf, size_t errlen)
{
	struct json_object	*v;
	long long		 n;

	if (*bad)
		return (0);
	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int)) {
		snprintf(errbuf, errlen, "settings.%s: missing or not an "
		    "integer", key);
		*bad = 1;
		return (0);
	}
	n = json_object_get_int64(v);
	if (n < min || n > max) {
		snprintf(errbuf, errlen, "settings.%s: %lld is outside "
		    "[%lld, %lld]", key, n, min, max);
		*bad = 1;
	}
	return (n);
}

int
wire_article_job_parse(const struct proto_msg *msg, struct article_job *aj,
    char *errbuf, size_t errlen)
{
	struct json_object	*item, *set, *rl;
	char			 ierr[256];
	const char		*s;
	int			 bad = 0;

	memset(aj, 0, sizeof(*aj));
	if ((item = proto_get_obj(msg, "item")) == NULL ||
	    !json_object_is_type(item, json_type_object)) {
		snprintf(errbuf, errlen, "job without an item object");
		return (-1);
	}
	if ((set = proto_get_obj(msg, "settings")) == NULL ||
	    !json_object_is_type(set, json_type_object)) {
		snprintf(errbuf, errlen, "job without a settings object");
		return (-1);
	}
	if (item_from_json(item, &aj->aj_item, ierr, sizeof(ierr)) == -1) {
		snprintf(errbuf, errlen, "item: %s", ierr);
		return (-1);
	}
	aj->aj_obj = json_object_get(msg->m_obj);
	s = need_str(set, "provider", 1, &bad, errbuf, errlen);
	aj->aj_api.wa_provider = s != NULL ? s : "openai";
	aj->aj_api.wa_base_url = need_str(set, "base_url", 0, &bad, errbuf,
	    errlen);
	aj->aj_gs.gs_model_content = need_str(set, "model_content", 0, &bad,
	    errbuf, errlen);
	aj->aj_gs.gs_model_title = need_str(set, "model_title", 0, &bad,
	    errbuf, errlen);
	aj->aj_gs.gs_content_dir = need_str(set, "content_dir", 0, &bad,
	    errbuf, errlen);
	aj->aj_api.wa_pricing_path = need_str(set, "pricing_path", 0, &bad,
	    errbuf, errlen);
	aj->aj_gs.gs_run_id = need_str(set, "run_id", 1, &bad, errbuf, errlen);
	aj->aj_gs.gs_replace_path = need_str(set, "replace_path", 1, &bad,
	    errbuf, errlen);
	aj->aj_gs.gs_kept_fm = need_str(set, "kept_front_matter", 1, &bad,
	    errbuf, errlen);
	aj->aj_api.wa_timeout_s = (int)need_int(set, "timeout_s", 1, 86400,
	    &bad, errbuf, errlen);
	aj->aj_api.wa_retries = (int)need_int(set, "retries", 0, 100, &bad,
	    errbuf, errlen);
	aj->aj_gs.gs_now = need_int(set, "now", 0, 253402300799LL, &bad,
	    errbuf, errlen);
	if (!bad && json_object_object_get_ex(set, "rate_limited", &rl))
		aj->aj_api.wa_rate_limited = json_object_get_boolean(rl);
	if (!bad && json_object_object_get_ex(set, "heartbeat_ms", &rl) &&
	    json_object_is_type(rl, json_type_int) &&
	    json_object_get_int64(rl) >= 100 &&
	    json_object_get_int64(rl) <= 3600000)
		aj->aj_api.wa_heartbeat_ms = (int)json_object_get_int64(rl);
	if (!bad && json_object_object_get_ex(set, "draft", &rl) &&
	    json_object_is_type(rl, json_type_boolean))
		aj->aj_gs.gs_draft = json_object_get_boolean(rl);
	if (!bad && json_object_object_get_ex(set, "max_cost_article", &rl) &&
	    (json_object_is_type(rl, json_type_double) ||
	    json_object_is_type(rl, json_type_int)))
		aj->aj_gs.gs_max_cost = json_object_get_double(rl);
	/* the diagram settings are optional: without them, no diagram */
	if (!bad && json_object_object_get_ex(set, "diagrams_max", &rl))
		aj->aj_gs.gs_diagrams_max = (int)need_int(set, "diagrams_max",
		    0, 20, &bad, errbuf, errlen);
	if (!bad && json_object_object_get_ex(set, "diagram_budget", &rl)) {
		if ((!json_object_is_type(rl, json_type_double) &&
		    !json_object_is_type(rl, json_type_int)) ||
		    json_object_get_double(rl) < 0) {
			snprintf(errbuf, errlen, "settings.diagram_budget: not "
			    "a number of 0 or more");
			bad = 1;
		} else
			aj->aj_gs.gs_diagram_budget =
			    json_object_get_double(rl);
	}
	aj->aj_gs.gs_model_diagram = need_str(set, "model_diagram", 1, &bad,
	    errbuf, errlen);
	aj->aj_gs.gs_cover_sources = need_str(set, "cover_sources", 1, &bad,
	    errbuf, errlen);
	if (!bad && aj->aj_gs.gs_cover_sources != NULL) {
		const char	*names[COVER_SOURCES_MAX];
		char		 why[128];

		if (cover_sources_parse(aj->aj_gs.gs_cover_sources, names, why,
		    sizeof(why)) == -1) {
			snprintf(errbuf, errlen, "settings.cover_sources: %s",
			    why);
			bad = 1;
		}
		aj->aj_gs.gs_static_dir = need_str(set, "static_dir", 0, &bad,
		    errbuf, errlen);
		aj->aj_gs.gs_model_image = need_str(set, "model_image", 1,
		    &bad, errbuf, errlen);
		aj->aj_gs.gs_image_size = need_str(set, "image_size", 1, &bad,
		    errbuf, errlen);
		aj->aj_gs.gs_image_quality = need_str(set, "image_quality", 1,
		    &bad, errbuf, errlen);
		aj->aj_gs.gs_unsplash_url = need_str(set, "unsplash_api_url", 1,
		    &bad, errbuf, errlen);
	}
	if (bad) {
		wire_article_job_release(aj);
		return (-1);
	}
	return (0);
}

void
wire_article_job_release(struct article_job *aj)
{
	item_release(&aj->aj_item);
	json_object_put(aj->aj_obj);
	memset(aj, 0, sizeof(*aj));
}

struct json_object *
wire_costs_by_op(const struct gen_result *r)
{
	struct json_object	*costs, *list;
	size_t			 i;

	costs = json_object_new_object();
	for (i = 0; i < r->gr_ncosts; i++) {
		const struct gen_cost *gc = &r->gr_costs[i];

		if (!json_object_object_get_ex(costs, gc->gc_op, &list)) {
			list = json_object_new_array();
			json_object_object_add(costs, gc->gc_op, list);
		}
		json_object_array_add(list,
		    numfmt_json_double(gc->gc_amount));
	}
	return (costs);
}

struct json_object *
wire_result_new(long long id, const struct gen_result *r)
{
	struct json_object	*msg, *usage, *list, *u;
	size_t			 i;

	msg = proto_new(PROTO_RESULT, id);
	add_str(msg, "path", r->gr_path);
	add_str(msg, "file", r->gr_file);
	add_str(msg, "title", r->gr_title);
	add_str(msg, "slug", r->gr_slug);
	json_object_object_add(msg, "words",
	    json_object_new_int64((int64_t)r->gr_words));
	json_object_object_add(msg, "reading_minutes",
	    json_object_new_int(r->gr_minutes));
	json_object_object_add(msg, "cost", json_object_new_double(r->gr_cost));
	usage = json_object_new_object();
	for (i = 0; i < r->gr_ncosts; i++) {
		const struct gen_cost *gc = &r->gr_costs[i];

		if (!json_object_object_get_ex(usage, gc->gc_op, &list)) {
			list = json_object_new_array();
			json_object_object_add(usage, gc->gc_op, list);
		}
		u = json_object_new_object();
		add_str(u, "model", gc->gc_model);
		json_object_object_add(u, "prompt_tokens",
		    json_object_new_int64(gc->gc_prompt_tokens));
		json_object_object_add(u, "completion_tokens",
		    json_object_new_int64(gc->gc_completion_tokens));
		json_object_array_add(list, u);
	}
	json_object_object_add(msg, "costs", wire_costs_by_op(r));
	json_object_object_add(msg, "usage", usage);
	json_object_object_add(msg, "calls", json_object_new_int(r->gr_calls));
	json_object_object_add(msg, "elapsed_ms",
	    json_object_new_int64(r->gr_elapsed_ms));
	if (r->gr_peak_rss_kb > 0)
		json_object_object_add(msg, "peak_rss_kb",
		    json_object_new_int64(r->gr_peak_rss_kb));
	return (msg);
}

static char *
dup_field(const struct proto_msg *msg, const char *key, int *bad,
    char *errbuf, size_t errlen)
{
	const char	*s;

	if (*bad)
		return (NULL);
	if ((s = proto_get_str(msg, key)) == NULL) {
		snprintf(errbuf, errlen, "result.%s: missing or not a string",
		    key);
		*bad = 1;
		return (NULL);
	}
	return (xstrdup(s));
}

int
wire_result_parse(const struct proto_msg *msg, struct gen_result *r,
    char *errbuf, size_t errlen)
{
	struct json_object	*usage, *cost;
	long long		 n;
	int			 bad = 0;

	memset(r, 0, sizeof(*r));
	r->gr_path = dup_field(msg, "path", &bad, errbuf, errlen);
	r->gr_file = dup_field(msg, "file", &bad, errbuf, errlen);
	r->gr_title = dup_field(msg, "title", &bad, errbuf, errlen);
	r->gr_slug = dup_field(msg, "slug", &bad, errbuf, errlen);
	if (!bad && proto_get_int(msg, "words", 0, 100000000, &n) == 0)
		r->gr_words = (size_t)n;
	if (!bad && proto_get_int(msg, "reading_minutes", 0, 1000000, &n) == 0)
		r->gr_minutes = (int)n;
	if (!bad && proto_get_int(msg, "calls", 0, 1000000, &n) == 0)
		r->gr_calls = (int)n;
	if (!bad && proto_get_int(msg, "elapsed_ms", 0, INT64_MAX, &n) == 0)
		r->gr_elapsed_ms = n;
	if (!bad && proto_get_int(msg, "peak_rss_kb", 0, INT64_MAX, &n) == 0)
		r->gr_peak_rss_kb = (long)n;
	if (!bad && (cost = proto_get_obj(msg, "cost")) != NULL)
		r->gr_cost = json_object_get_double(cost);
	if (!bad && (usage = proto_get_obj(msg, "usage")) != NULL &&
	    json_object_is_type(usage, json_type_object)) {
		json_object_object_foreach(usage, op, list) {
			size_t	i, len;

			if (!json_object_is_type(list, json_type_array))
				continue;
			len = json_object_array_length(list);
			for (i = 0; i < len; i++) {
				struct json_object *u, *v;
				struct gen_cost	*gc;
				struct json_object *amounts;

				u = json_object_array_get_idx(list, i);
				r->gr_costs = xreallocarray(r->gr_costs,
				    r->gr_ncosts + 1, sizeof(*r->gr_costs));
				gc = &r->gr_costs[r->gr_ncosts++];
				memset(gc, 0, sizeof(*gc));
				gc->gc_op = xstrdup(op);
				gc->gc_model = xstrdup(
				    json_object_object_get_ex(u, "model", &v) &&
				    json_object_is_type(v, json_type_string) ?
				    json_object_get_string(v) : "");
				if (json_object_object_get_ex(u,
				    "prompt_tokens", &v))
					gc->gc_prompt_tokens =
					    (long)json_object_get_int64(v);
				if (json_object_object_get_ex(u,
				    "completion_tokens", &v))
					gc->gc_completion_tokens =
					    (long)json_object_get_int64(v);
				if ((amounts = proto_get_obj(msg, "costs")) !=
				    NULL && json_object_object_get_ex(amounts,
				    op, &v) && json_object_is_type(v,
				    json_type_array) && i <
				    json_object_array_length(v))
					gc->gc_amount = json_object_get_double(
					    json_object_array_get_idx(v, i));
			}
		}
	}
	if (bad) {
		gen_result_release(r);
		return (-1);
	}
	return (0);
}

struct json_object *
wire_error_new(long long id, const struct gen_error *e)
{
	struct json_object	*msg;

	msg = proto_new(PROTO_ERROR, id);
	add_str(msg, "code", e->ge_code);
	add_str(msg, "message", e->ge_message);
	json_object_object_add(msg, "retryable",
	    json_object_new_boolean(e->ge_retryable));
	json_object_object_add(msg, "fatal",
	    json_object_new_boolean(e->ge_fatal));
	json_object_object_add(msg, "http_status",
	    json_object_new_int(e->ge_http_status));
	json_object_object_add(msg, "calls", json_object_new_int(e->ge_calls));
	json_object_object_add(msg, "exit", json_object_new_int(e->ge_exit));
	return (msg);
}

int
wire_error_parse(const struct proto_msg *msg, struct gen_error *e,
    char *errbuf, size_t errlen)
{
	const char	*s;
	long long	 n;
	int		 b;

	memset(e, 0, sizeof(*e));
	if ((s = proto_get_str(msg, "code")) == NULL) {
		snprintf(errbuf, errlen, "error.code: missing or not a string");
		return (-1);
	}
	(void)strlcpy(e->ge_code, s, sizeof(e->ge_code));
	s = proto_get_str(msg, "message");
	(void)strlcpy(e->ge_message, s != NULL ? s : "", sizeof(e->ge_message));
	if (proto_get_bool(msg, "retryable", &b) == 0)
		e->ge_retryable = b;
	if (proto_get_bool(msg, "fatal", &b) == 0)
		e->ge_fatal = b;
	if (proto_get_int(msg, "http_status", 0, 999, &n) == 0)
		e->ge_http_status = (int)n;
	if (proto_get_int(msg, "calls", 0, 1000000, &n) == 0)
		e->ge_calls = (int)n;
	if (proto_get_int(msg, "exit", 0, 255, &n) == 0)
		e->ge_exit = (int)n;
	return (0);
}
