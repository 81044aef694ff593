/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * stage_kinds.c: the supervisor's halves of the "collect" and "enrich"
 * job kinds (stage_kinds.h): their job messages, their results, their
 * names in the logs (docs/PROTOCOL.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "job.h"
#include "proto.h"
#include "stage_kinds.h"
#include "xmalloc.h"

const struct collect_outcome *
collect_outcome(const struct job *j)
{
	return (j->j_outcome);
}

const struct enrich_outcome *
enrich_outcome(const struct job *j)
{
	return (j->j_outcome);
}

static struct json_object *
collect_encode(const struct job *j)
{
	const struct collect_input	*ci = j->j_input;
	struct json_object		*msg;

	msg = proto_new(PROTO_JOB, j->j_id);
	json_object_object_add(msg, "kind", json_object_new_string("collect"));
	json_object_object_add(msg, "source",
	    json_object_new_string(ci->ci_source));
	json_object_object_add(msg, "settings",
	    json_object_get(ci->ci_settings));
	json_object_object_add(msg, "spool_dir",
	    json_object_new_string(ci->ci_spool_dir));
	json_object_object_add(msg, "now", json_object_new_int64(ci->ci_now));
	return (msg);
}

static void
collect_release(struct job *j)
{
	struct collect_outcome	*co = j->j_outcome;

	if (co == NULL)
		return;
	free(co->co_file);
	free(co->co_skipped);
	free(co->co_note);
	free(co);
	j->j_outcome = NULL;
}

/*
 * A collect result names a spooled file (which must be a dot file of the
 * spool directory: nothing else is read, nor removed) or a skip.
 */
static int
collect_accept(struct job *j, const struct proto_msg *msg, char *errbuf,
    size_t errlen)
{
	const struct collect_input	*ci = j->j_input;
	const char	*file = proto_get_str(msg, "items_file");
	const char	*skipped = proto_get_str(msg, "skipped");
	const char			*note = proto_get_str(msg, "note");
	struct collect_outcome		*co;
	long long			 n = 0;
	size_t				 dl = strlen(ci->ci_spool_dir);

	if (file == NULL && skipped == NULL) {
		(void)snprintf(errbuf, errlen, "result: neither items_file "
		    "nor skipped");
		return (-1);
	}
	if (file != NULL && (strncmp(file, ci->ci_spool_dir, dl) != 0 ||
	    strncmp(file + dl, "/.collect_", 10) != 0 ||
	    strchr(file + dl + 1, '/') != NULL)) {
		(void)snprintf(errbuf, errlen, "result.items_file: not a "
		    "spool file of %s", ci->ci_spool_dir);
		return (-1);
	}
	(void)proto_get_int(msg, "items", 0, 100000000, &n);
	collect_release(j);
	co = xcalloc(1, sizeof(*co));
	co->co_file = file != NULL ? xstrdup(file) : NULL;
	co->co_skipped = file == NULL ? xstrdup(skipped) : NULL;
	co->co_note = note != NULL ? xstrdup(note) : NULL;
	co->co_items = (size_t)n;
	j->j_outcome = co;
	return (0);
}

static void
collect_describe(const struct job *j, char *buf, size_t len)
{
	const struct collect_input	*ci = j->j_input;

	(void)snprintf(buf, len, "collect %lld (%s)", j->j_id, ci->ci_source);
}

const struct job_kind collect_kind = {
	"collect",
	collect_encode,
	collect_accept,
	collect_describe,
	collect_release,
};

static struct json_object *
enrich_encode(const struct job *j)
{
	const struct enrich_input	*ei = j->j_input;
	const struct enrich_settings	*es = ei->ei_set;
	struct json_object		*msg, *set;

	msg = proto_new(PROTO_JOB, j->j_id);
	json_object_object_add(msg, "kind", json_object_new_string("enrich"));
	json_object_object_add(msg, "item", json_object_get(ei->ei_item));
	json_object_object_add(msg, "heuristic",
	    json_object_new_double(ei->ei_heuristic));
	json_object_object_add(msg, "now", json_object_new_int64(es->es_now));
	set = json_object_new_object();
	json_object_object_add(set, "model",
	    json_object_new_string(es->es_model));
	json_object_object_add(set, "base_url",
	    json_object_new_string(es->es_base_url));
	json_object_object_add(set, "provider",
	    json_object_new_string(es->es_provider));
	json_object_object_add(set, "pricing_path",
	    json_object_new_string(es->es_pricing_path));
	json_object_object_add(set, "timeout_s",
	    json_object_new_int(es->es_timeout_s));
	json_object_object_add(set, "retries",
	    json_object_new_int(es->es_retries));
	json_object_object_add(set, "rate_limited", json_object_new_int(1));
	json_object_object_add(set, "heartbeat_ms",
	    json_object_new_int(es->es_heartbeat_ms));
	json_object_object_add(msg, "settings", set);
	return (msg);
}

static void
enrich_release(struct job *j)
{
	struct enrich_outcome	*eo = j->j_outcome;

	if (eo == NULL)
		return;
	json_object_put(eo->eo_item);
	free(eo);
	j->j_outcome = NULL;
}

static int
enrich_accept(struct job *j, const struct proto_msg *msg, char *errbuf,
    size_t errlen)
{
	struct json_object	*it = proto_get_obj(msg, "enriched"), *v;
	struct enrich_outcome	*eo;

	if (it == NULL || !json_object_is_type(it, json_type_object) ||
	    !json_object_object_get_ex(it, "original", &v) ||
	    !json_object_object_get_ex(it, "quality_score", &v)) {
		(void)snprintf(errbuf, errlen, "result.enriched: missing or "
		    "without original and quality_score");
		return (-1);
	}
	enrich_release(j);
	eo = xcalloc(1, sizeof(*eo));
	eo->eo_item = json_object_get(it);
	j->j_outcome = eo;
	return (0);
}

static void
enrich_describe(const struct job *j, char *buf, size_t len)
{
	const struct enrich_input	*ei = j->j_input;
	struct json_object		*id;

	(void)snprintf(buf, len, "enrich %lld (%s)", j->j_id,
	    json_object_object_get_ex(ei->ei_item, "id", &id) ?
	    json_object_get_string(id) : "?");
}

const struct job_kind enrich_kind = {
	"enrich",
	enrich_encode,
	enrich_accept,
	enrich_describe,
	enrich_release,
};
