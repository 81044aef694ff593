/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * article_job.c: the handler of the "article" job kind: decode the item
 * and the settings, get the pricing table and the API client from the
 * host, generate and publish the article (gen.c), and answer with its
 * result message.  Its table entry is article_worker_kind (kinds.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "gen.h"
#include "jobhost.h"
#include "llm.h"
#include "log.h"
#include "pricing.h"
#include "proto.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

/*
 * This process's peak resident set since exec (VmHWM), in KiB, or 0.
 * getrusage() would also count the moments between fork and exec, when
 * the child still shares articlegen's pages.
 */
static long
peak_rss_kb(void)
{
	FILE	*f;
	char	 line[128];
	long	 kb = 0;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (0);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return (kb);
}

static int
run_article(struct job_host *h, const struct proto_msg *msg,
    struct json_object **result, struct gen_error *err)
{
	struct article_job	 aj;
	struct gen_result	 res;
	struct llm_client	*client;
	const struct pricing	*pricing;
	char			 errbuf[512];
	int			 ret = -1;

	if (wire_article_job_parse(msg, &aj, errbuf, sizeof(errbuf)) == -1) {
		job_error(err, "bad_job", EXIT_DATAERR, "%s", errbuf);
		return (-1);
	}
	h->jh_rate_limited = aj.aj_api.wa_rate_limited;
	h->jh_heartbeat_ms = aj.aj_api.wa_heartbeat_ms;
	if (job_host_pricing(h, aj.aj_api.wa_pricing_path, &pricing,
	    err) == -1 || job_host_api(h, aj.aj_api.wa_base_url,
	    aj.aj_api.wa_provider, aj.aj_api.wa_timeout_s,
	    aj.aj_api.wa_retries, &client, err) == -1)
		goto done;
	aj.aj_gs.gs_pricing = pricing;
	/* a credential: from the environment, never in a job message */
	aj.aj_gs.gs_unsplash_key = getenv("UNSPLASH_ACCESS_KEY");
	if (gen_article(client, &aj.aj_item, &aj.aj_gs, &h->jh_hooks, &res,
	    err) == -1)
		goto done;
	res.gr_peak_rss_kb = peak_rss_kb();
	*result = wire_result_new(msg->m_id, &res);
	gen_result_release(&res);
	/*
	 * The article's new name is made durable after the result is out:
	 * articlegen's own fsync of the cost ledger runs meanwhile.
	 */
	free(h->jh_sync_dir);
	h->jh_sync_dir = xstrdup(aj.aj_gs.gs_content_dir);
	ret = 0;
done:
	wire_article_job_release(&aj);
	return (ret);
}

const struct worker_kind article_worker_kind = { "article", run_article };
