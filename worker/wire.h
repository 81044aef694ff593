/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * wire.h: the job, result and error messages of the worker protocol,
 * translated to and from the generation library's structs.  The envelope
 * and framing are in common/proto.h; this module owns the fields.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>

#include "gen.h"
#include "item.h"

struct json_object;
struct proto_msg;

/* Run-wide settings a job carries besides the generation settings. */
struct wire_job {
	struct item		 wj_item;
	struct gen_settings	 wj_gs;
	char			*wj_base_url;
	char			*wj_provider;
	int			 wj_timeout_s;
	int			 wj_retries;
	char			*wj_pricing_path;
	int			 wj_rate_limited;
	int			 wj_heartbeat_ms;	/* 0: the worker's default */
	struct json_object	*wj_obj;	/* owns the strings of wj_gs */
};

/*
 * A job message (new reference).  base_url, provider, timeout, retries,
 * pricing_path and rate_limited come from wj; gs and the item are copied.
 */
struct json_object *wire_job_new(long long id, const struct item *,
	    const struct gen_settings *, const struct wire_job *run);
/*
 * Decode a job message into wj (owned: wire_job_release()).  Returns 0, or
 * -1 with errbuf naming the bad field.
 */
int	 wire_job_parse(const struct proto_msg *, struct wire_job *wj,
	    char *errbuf, size_t errlen);
void	 wire_job_release(struct wire_job *);

struct json_object *wire_result_new(long long id, const struct gen_result *);
/* Decode a result into res (owned: gen_result_release()); 0 or -1. */
int	 wire_result_parse(const struct proto_msg *, struct gen_result *res,
	    char *errbuf, size_t errlen);

struct json_object *wire_error_new(long long id, const struct gen_error *);
/* Decode an error message into err; 0 or -1. */
int	 wire_error_parse(const struct proto_msg *, struct gen_error *err,
	    char *errbuf, size_t errlen);

#endif /* WIRE_H */
