/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * article_kind.c: the supervisor's half of the "article" job kind
 * (article_kind.h): its job message, its result, its name in the logs.
 */
#include <stdio.h>
#include <stdlib.h>

#include <json.h>

#include "article_kind.h"
#include "gen.h"
#include "item.h"
#include "job.h"
#include "wire.h"
#include "xmalloc.h"

const struct article_input *
article_input(const struct job *j)
{
	return (j->j_input);
}

const struct item *
article_item(const struct job *j)
{
	return (article_input(j)->ai_item);
}

const struct gen_result *
article_result(const struct job *j)
{
	return (j->j_outcome);
}

static struct json_object *
article_encode(const struct job *j)
{
	const struct article_input	*ai = article_input(j);
	struct gen_settings		 gs;

	gs = ai->ai_settings->as_gs;
	gs.gs_replace_path = ai->ai_replace;
	gs.gs_kept_fm = ai->ai_kept_fm;
	return (wire_article_job_new(j->j_id, ai->ai_item, &gs,
	    &ai->ai_settings->as_api));
}

static int
article_accept(struct job *j, const struct proto_msg *msg, char *errbuf,
    size_t errlen)
{
	struct gen_result	*res;

	res = xcalloc(1, sizeof(*res));
	if (wire_result_parse(msg, res, errbuf, errlen) == -1) {
		free(res);
		return (-1);
	}
	if (j->j_outcome != NULL) {
		gen_result_release(j->j_outcome);
		free(j->j_outcome);
	}
	j->j_outcome = res;
	j->j_peak_rss_kb = res->gr_peak_rss_kb;
	return (0);
}

static void
article_describe(const struct job *j, char *buf, size_t len)
{
	(void)snprintf(buf, len, "article %lld (%s)", j->j_id,
	    article_item(j)->it_id);
}

static void
article_release(struct job *j)
{
	gen_result_release(j->j_outcome);
	free(j->j_outcome);
	j->j_outcome = NULL;
}

const struct job_kind article_kind = {
	"article",
	article_encode,
	article_accept,
	article_describe,
	article_release,
};
