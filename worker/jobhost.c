/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * jobhost.c: dispatching a job message to its kind's handler, and what
 * the host keeps for handlers from one job to the next (jobhost.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobhost.h"
#include "llm.h"
#include "log.h"
#include "pricing.h"
#include "proto.h"
#include "publish.h"
#include "util.h"
#include "xmalloc.h"

void
job_error(struct gen_error *err, const char *code, int exitcode,
    const char *fmt, ...)
{
	va_list	ap;

	memset(err, 0, sizeof(*err));
	(void)strlcpy(err->ge_code, code, sizeof(err->ge_code));
	va_start(ap, fmt);
	(void)vsnprintf(err->ge_message, sizeof(err->ge_message), fmt, ap);
	va_end(ap);
	err->ge_exit = exitcode;
	log_warnx("%s", err->ge_message);
}

int
job_run(struct job_host *h, const struct proto_msg *job,
    struct json_object **result, struct gen_error *err)
{
	const char	*kind = proto_get_str(job, "kind");
	size_t		 i;

	*result = NULL;
	if (kind == NULL) {
		job_error(err, "bad_job", EXIT_DATAERR, "job without a kind");
		return (-1);
	}
	for (i = 0; worker_kinds[i] != NULL; i++)
		if (strcmp(worker_kinds[i]->wk_name, kind) == 0)
			return (worker_kinds[i]->wk_run(h, job, result, err));
	job_error(err, "bad_job", EXIT_DATAERR, "unknown job kind '%.64s'",
	    kind);
	return (-1);
}

int
job_host_api(struct job_host *h, const char *base_url, const char *provider,
    int timeout_s, int retries, struct llm_client **client,
    struct gen_error *err)
{
	struct llm_config	lc;
	char			errbuf[512];

	if (h->jh_client != NULL && strcmp(h->jh_base_url, base_url) == 0 &&
	    strcmp(h->jh_provider, provider) == 0 &&
	    h->jh_timeout_s == timeout_s && h->jh_retries == retries) {
		*client = h->jh_client;
		return (0);
	}
	llm_client_free(h->jh_client);
	free(h->jh_base_url);
	free(h->jh_provider);
	h->jh_base_url = xstrdup(base_url);
	h->jh_provider = xstrdup(provider);
	h->jh_timeout_s = timeout_s;
	h->jh_retries = retries;
	memset(&lc, 0, sizeof(lc));
	lc.lc_provider = h->jh_provider;
	lc.lc_base_url = h->jh_base_url;
	lc.lc_api_key = h->jh_api_key;
	lc.lc_timeout_s = timeout_s;
	lc.lc_retries = retries;
	if ((h->jh_client = llm_client_new(&lc, errbuf, sizeof(errbuf))) ==
	    NULL) {
		job_error(err, "config", EXIT_CONFIG, "%s", errbuf);
		return (-1);
	}
	*client = h->jh_client;
	return (0);
}

int
job_host_pricing(struct job_host *h, const char *path,
    const struct pricing **pricing, struct gen_error *err)
{
	char	errbuf[512];

	if (h->jh_pricing == NULL || strcmp(h->jh_pricing_path, path) != 0) {
		pricing_free(h->jh_pricing);
		free(h->jh_pricing_path);
		h->jh_pricing_path = xstrdup(path);
		if ((h->jh_pricing = pricing_load(path, errbuf,
		    sizeof(errbuf))) == NULL) {
			job_error(err, "config", EXIT_CONFIG, "%s", errbuf);
			return (-1);
		}
	}
	*pricing = h->jh_pricing;
	return (0);
}

void
job_host_settle(struct job_host *h)
{
	if (h->jh_sync_dir != NULL && publish_sync_dir(h->jh_sync_dir) == -1)
		log_warn("fsync %s", h->jh_sync_dir);
	free(h->jh_sync_dir);
	h->jh_sync_dir = NULL;
}

void
job_host_release(struct job_host *h)
{
	llm_client_free(h->jh_client);
	free(h->jh_base_url);
	free(h->jh_provider);
	pricing_free(h->jh_pricing);
	free(h->jh_pricing_path);
	free(h->jh_sync_dir);
	h->jh_client = NULL;
	h->jh_base_url = h->jh_provider = h->jh_pricing_path = NULL;
	h->jh_sync_dir = NULL;
	h->jh_pricing = NULL;
}
