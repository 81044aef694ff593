/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * collect_job.c: the handler of the "collect" job kind: read one source
 * (sources.c) with the settings the job message carries, spool its
 * items to a file in the data directory, and answer with that file's
 * path (docs/PROTOCOL.md, "collect").  The items never travel on the
 * wire, whose lines are capped; the supervisor merges the spooled files
 * and removes them.  Its table entry is collect_worker_kind (kinds.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "datafile.h"
#include "gen.h"
#include "jobhost.h"
#include "proto.h"
#include "sources.h"
#include "util.h"

/*
 * Settings lookup: the job's "settings" object, and the environment only
 * for the Reddit credentials, which never travel in a job message.
 */
static const char *
job_setting(void *arg, const char *name)
{
	struct json_object	*set = arg, *v;

	if (strcmp(name, "REDDIT_CLIENT_ID") == 0 ||
	    strcmp(name, "REDDIT_CLIENT_SECRET") == 0)
		return (getenv(name));
	if (set != NULL && json_object_object_get_ex(set, name, &v) &&
	    json_object_is_type(v, json_type_string))
		return (json_object_get_string(v));
	return (NULL);
}

/* The result message of a source collected into the spool file path. */
static struct json_object *
collected_result(long long id, const char *path, size_t n,
    const struct source_stats *st)
{
	struct json_object	*res;

	res = proto_new(PROTO_RESULT, id);
	json_object_object_add(res, "items_file", json_object_new_string(path));
	json_object_object_add(res, "items", json_object_new_int64((int64_t)n));
	json_object_object_add(res, "requests",
	    json_object_new_int64((int64_t)st->st_requests));
	json_object_object_add(res, "failed_requests",
	    json_object_new_int64((int64_t)st->st_failed));
	if (st->st_note[0] != '\0')
		json_object_object_add(res, "note",
		    json_object_new_string(st->st_note));
	return (res);
}

static int
run_collect(struct job_host *h, const struct proto_msg *msg,
    struct json_object **result, struct gen_error *err)
{
	const char		*name = proto_get_str(msg, "source");
	const char		*spool = proto_get_str(msg, "spool_dir");
	struct json_object	*set = proto_get_obj(msg, "settings");
	struct json_object	*items = NULL, *root;
	struct source_settings	 ss;
	struct source_ctx	 ctx;
	struct source_stats	 st;
	enum source_kind	 kind;
	long long		 now = 0;
	char			 errbuf[512], prefix[64], *path = NULL;
	int			 rc;

	(void)h;
	if (name == NULL || source_lookup(name, &kind) == -1 ||
	    spool == NULL || *spool == '\0' ||
	    proto_get_int(msg, "now", 0, INT64_MAX, &now) == -1) {
		job_error(err, "bad_job", EXIT_DATAERR, "collect job: needs a "
		    "known source, spool_dir and now");
		return (-1);
	}
	if (source_settings_load(kind, job_setting, set, &ss, errbuf,
	    sizeof(errbuf)) == -1) {
		job_error(err, "bad_setting", EXIT_CONFIG, "%s", errbuf);
		return (-1);
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.sc_fetch = fetch_http;
	ctx.sc_now = (int64_t)now;
	memset(&st, 0, sizeof(st));
	rc = source_collect(&ss, &ctx, &items, &st, errbuf, sizeof(errbuf));
	source_settings_release(&ss);
	if (rc == -1) {
		job_error(err, "source_failed", EXIT_DATAERR, "%s", errbuf);
		return (-1);
	}
	if (rc == 1) {
		*result = proto_new(PROTO_RESULT, msg->m_id);
		json_object_object_add(*result, "skipped",
		    json_object_new_string(errbuf));
		return (0);
	}
	/* a dot file: never taken for a stage file by the newest-file lookup */
	(void)snprintf(prefix, sizeof(prefix), ".collect_%s", name);
	root = json_object_new_object();
	json_object_object_add(root, "items", json_object_get(items));
	if (datafile_write(spool, prefix, (int64_t)now, root, &path, errbuf,
	    sizeof(errbuf)) == -1) {
		json_object_put(root);
		json_object_put(items);
		job_error(err, "spool", EXIT_CANTCREAT, "%s", errbuf);
		return (-1);
	}
	*result = collected_result(msg->m_id, path,
	    json_object_array_length(items), &st);
	json_object_put(root);
	json_object_put(items);
	free(path);
	return (0);
}

const struct worker_kind collect_worker_kind = { "collect", run_collect };
