/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * wire.h: the fields of the article kind's job and result messages and
 * of the error message of the worker protocol, translated to and from the
 * generation library's structs; also the cost grouping those messages
 * and the cost ledger share.  The envelope and framing are in
 * common/proto.h.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>

#include "gen.h"
#include "item.h"

struct json_object;
struct proto_msg;

/*
 * The API settings of a run, which every article job carries (strings
 * borrowed).
 */
struct wire_api {
	const char	*wa_base_url;
	const char	*wa_provider;
	int		 wa_timeout_s;
	int		 wa_retries;
	const char	*wa_pricing_path;
	int		 wa_rate_limited;	/* ask before each call */
	int		 wa_heartbeat_ms;	/* 0: the worker's default */
};

/* An article job as a worker decodes it. */
struct article_job {
	struct item		 aj_item;
	struct gen_settings	 aj_gs;		/* gs_pricing not set */
	struct wire_api		 aj_api;
	struct json_object	*aj_obj;	/* owns the strings */
};

/*
 * The job message of an article (new reference): kind "article", the
 * item, and as its settings gs and api.
 */
struct json_object *wire_article_job_new(long long id, const struct item *,
	    const struct gen_settings *gs, const struct wire_api *api);
/*
 * Decode an article job message into aj (owned:
 * wire_article_job_release()).  Returns 0, or -1 with errbuf naming the
 * bad field.
 */
int	 wire_article_job_parse(const struct proto_msg *,
	    struct article_job *aj, char *errbuf, size_t errlen);
void	 wire_article_job_release(struct article_job *);

/*
 * The article's costs grouped by operation, {"op": [amount, ...], ...}
 * (new reference): the result message and the cost ledger both carry it.
 */
struct json_object *wire_costs_by_op(const struct gen_result *);

struct json_object *wire_result_new(long long id, const struct gen_result *);
/* Decode a result into res (owned: gen_result_release()); 0 or -1. */
int	 wire_result_parse(const struct proto_msg *, struct gen_result *res,
	    char *errbuf, size_t errlen);

struct json_object *wire_error_new(long long id, const struct gen_error *);
/* Decode an error message into err; 0 or -1. */
int	 wire_error_parse(const struct proto_msg *, struct gen_error *err,
	    char *errbuf, size_t errlen);

#endif /* WIRE_H */
