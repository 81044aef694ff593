/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * images.h: llm-standin's images API (POST /v1/images/generations): the
 * check of a request body, the reply carrying a PNG test pattern made
 * for the prompt (png.c), as base64 or as a URL, and the last few PNGs
 * kept for GET /images/<n>.png.  The key check, the fault queue and the
 * error replies stay in api.c, shared with chat completions.
 */
#ifndef STANDIN_IMAGES_H
#define STANDIN_IMAGES_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct images;

#define IMAGES_N_MAX	10

/* What an images request asked for; the strings borrow from the body. */
struct images_req {
	const char	*ir_prompt;
	const char	*ir_model;	/* NULL when not given */
	uint32_t	 ir_w;
	uint32_t	 ir_h;
	int		 ir_n;
	int		 ir_url;	/* response_format "url" */
};

struct images	*images_new(void);
void		 images_free(struct images *);

/*
 * Check the parsed body root of an images request and fill ir.  Returns
 * 0, or -1 with a message for a 400 in errbuf and the parameter at fault
 * in *param (NULL when the body is not an object).
 */
int		 images_parse(struct json_object *root, struct images_req *ir,
		    char *errbuf, size_t errlen, const char **param);

/*
 * The body of a 200 reply to ir: {"created":..,"data":[..]} with one
 * entry per image, "b64_json" or, for response_format "url", a "url" on
 * host (kept in st for images_get()).  Owned; its length in *lenp.
 */
char		*images_reply(struct images *st, const struct images_req *ir,
		    const char *host, size_t *lenp);

/*
 * The PNG kept for path "/images/<n>.png", borrowed until the next
 * images_reply(); NULL when there is none (unknown or already dropped).
 */
const unsigned char *images_get(const struct images *st, const char *path,
		    size_t *lenp);

/* Standard base64 of len bytes, with padding, one line.  Owned. */
char		*images_base64(const unsigned char *p, size_t len,
		    size_t *outlen);

#endif /* STANDIN_IMAGES_H */
