/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * toy_kind.c: the supervisor's half of the toy job kind (toy.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include <json.h>

#include "job.h"
#include "proto.h"
#include "toy.h"
#include "xmalloc.h"

static struct json_object *
toy_encode(const struct job *j)
{
	const struct toy_input	*ti = j->j_input;
	struct json_object	*msg;

	msg = proto_new(PROTO_JOB, j->j_id);
	json_object_object_add(msg, "kind", json_object_new_string("toy"));
	json_object_object_add(msg, "action",
	    json_object_new_string(ti->ti_action));
	json_object_object_add(msg, "value",
	    json_object_new_int64(ti->ti_value));
	if (ti->ti_marker != NULL)
		json_object_object_add(msg, "marker",
		    json_object_new_string(ti->ti_marker));
	return (msg);
}

static int
toy_accept(struct job *j, const struct proto_msg *msg, char *errbuf,
    size_t errlen)
{
	struct toy_outcome	*to;
	long long		 v;

	if (proto_get_int(msg, "value", -1000000, 1000000, &v) == -1) {
		(void)snprintf(errbuf, errlen, "result.value: missing");
		return (-1);
	}
	to = xcalloc(1, sizeof(*to));
	to->to_value = v;
	free(j->j_outcome);
	j->j_outcome = to;
	return (0);
}

static void
toy_describe(const struct job *j, char *buf, size_t len)
{
	const struct toy_input	*ti = j->j_input;

	(void)snprintf(buf, len, "toy %lld (%s)", j->j_id, ti->ti_action);
}

static void
toy_release(struct job *j)
{
	free(j->j_outcome);
	j->j_outcome = NULL;
}

const struct job_kind toy_kind = {
	"toy",
	toy_encode,
	toy_accept,
	toy_describe,
	toy_release,
};
