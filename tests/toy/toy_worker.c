/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * toy_worker.c: the worker's half of the toy job kind (toy.h), and the
 * kind table of build/toy-worker, which is articlegen-worker with this
 * table in place of worker/kinds.c.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "jobhost.h"
#include "proto.h"
#include "util.h"

static int
run_toy(struct job_host *h, const struct proto_msg *msg,
    struct json_object **result, struct gen_error *err)
{
	const char	*action = proto_get_str(msg, "action");
	const char	*marker = proto_get_str(msg, "marker");
	long long	 v = 0;
	int		 fd;

	(void)proto_get_int(msg, "value", -1000000, 1000000, &v);
	if (action == NULL) {
		job_error(err, "bad_job", EXIT_DATAERR, "toy job without "
		    "action");
		return (-1);
	}
	if (strcmp(action, "crash_once") == 0 && marker != NULL &&
	    (fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0644)) != -1) {
		(void)close(fd);
		(void)raise(SIGKILL);	/* a crash, without a core file */
		pause();
	}
	if (strcmp(action, "hang") == 0) {
		while (h->jh_hooks.gh_cancel == NULL || !*h->jh_hooks.gh_cancel)
			sleep_ms(10);
		job_error(err, "cancelled", EXIT_TEMPFAIL, "toy job cancelled");
		return (-1);
	}
	if (strcmp(action, "fail") == 0) {
		job_error(err, "toy_failed", EXIT_DATAERR, "toy job failed as "
		    "asked");
		return (-1);
	}
	*result = proto_new(PROTO_RESULT, msg->m_id);
	json_object_object_add(*result, "value", json_object_new_int64(2 * v));
	return (0);
}

static const struct worker_kind toy_worker_kind = { "toy", run_toy };

const struct worker_kind *const worker_kinds[] = {
	&article_worker_kind,
	&toy_worker_kind,
	NULL,
};
