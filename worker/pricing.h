/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pricing.h: the model price table (config/pricing.json) and the cost of
 * one call.  Prices are USD per million tokens; images are per image.
 */
#ifndef PRICING_H
#define PRICING_H

struct pricing;

/*
 * Load a price table.  Returns an owned table (pricing_free()), or NULL
 * with errbuf naming the file and what is wrong with it.
 */
struct pricing	*pricing_load(const char *path, char *errbuf, size_t errlen);
struct pricing	*pricing_parse(const char *json, const char *name, char *errbuf,
		    size_t errlen);
void		 pricing_free(struct pricing *);

/* Rates of model or one of its aliases: 0, or -1 when unknown. */
int		 pricing_rates(const struct pricing *, const char *model,
		    double *in_per_m, double *out_per_m);
/*
 * Cost in USD of a text call.  An unknown model costs 0 and sets *known
 * to 0 (when known is not NULL), so the caller can warn once.
 */
double		 pricing_text_cost(const struct pricing *, const char *model,
		    long prompt_tokens, long completion_tokens, int *known);
/*
 * Price of one image by preset "<model>-<quality>-<WxH>" (e.g.
 * "dall-e-3-hd-1792x1024"), from the table's images; -1 when unknown.
 */
double		 pricing_image_cost(const struct pricing *, const char *preset);

/*
 * The table to use when none is configured: ../config/pricing.json next
 * to the running binary (a build tree), else the installed data directory.
 * Owned by the caller.
 */
char		*pricing_default_path(void);

#endif /* PRICING_H */
