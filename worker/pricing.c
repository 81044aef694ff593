/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pricing.c: owns the price table read from config/pricing.json and turns
 * token counts into dollars.  Kept as data, not code, so that prices can be
 * corrected without a rebuild.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "pricing.h"
#include "util.h"
#include "xmalloc.h"

struct pricing {
	struct json_object	*p_root;	/* owned */
	struct json_object	*p_models;	/* borrowed from p_root */
	struct json_object	*p_images;	/* borrowed, may be NULL */
};

static int
valid_rate(struct json_object *o, const char *key, double *out)
{
	struct json_object	*v;
	double			 d;

	if (!json_object_object_get_ex(o, key, &v))
		return (-1);
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return (-1);
	d = json_object_get_double(v);
	if (!(d >= 0 && d < 1e6))
		return (-1);
	if (out != NULL)
		*out = d;
	return (0);
}

struct pricing *
pricing_parse(const char *json, const char *name, char *errbuf, size_t errlen)
{
	struct json_tokener	*tok;
	struct json_object	*root, *models, *images = NULL;
	struct pricing		*p;
	enum json_tokener_error	 jerr;

	if ((tok = json_tokener_new()) == NULL) {
		snprintf(errbuf, errlen, "%s: out of memory", name);
		return (NULL);
	}
	root = json_tokener_parse_ex(tok, json, (int)strlen(json) + 1);
	jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (root == NULL || jerr != json_tokener_success) {
		snprintf(errbuf, errlen, "%s: not valid JSON: %s", name,
		    json_tokener_error_desc(jerr));
		json_object_put(root);
		return (NULL);
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "models", &models) ||
	    !json_object_is_type(models, json_type_object)) {
		snprintf(errbuf, errlen, "%s: no \"models\" object", name);
		json_object_put(root);
		return (NULL);
	}
	json_object_object_foreach(models, key, val) {
		if (!json_object_is_type(val, json_type_object) ||
		    valid_rate(val, "input", NULL) == -1 ||
		    valid_rate(val, "output", NULL) == -1) {
			snprintf(errbuf, errlen, "%s: models.%s: needs numeric "
			    "\"input\" and \"output\" rates >= 0", name, key);
			json_object_put(root);
			return (NULL);
		}
	}
	if (json_object_object_get_ex(root, "images", &images) &&
	    !json_object_is_type(images, json_type_object))
		images = NULL;
	p = xcalloc(1, sizeof(*p));
	p->p_root = root;
	p->p_models = models;
	p->p_images = images;
	return (p);
}

struct pricing *
pricing_load(const char *path, char *errbuf, size_t errlen)
{
	struct pricing	*p;
	FILE		*f;
	char		*data;
	size_t		 len;
	long		 sz;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fseek(f, 0, SEEK_END) == -1 || (sz = ftell(f)) < 0 ||
	    sz > 4 * 1024 * 1024 || fseek(f, 0, SEEK_SET) == -1) {
		snprintf(errbuf, errlen, "%s: unreadable or larger than 4 MiB",
		    path);
		fclose(f);
		return (NULL);
	}
	data = xmalloc((size_t)sz + 1);
	len = fread(data, 1, (size_t)sz, f);
	fclose(f);
	data[len] = '\0';
	p = pricing_parse(data, path, errbuf, errlen);
	free(data);
	return (p);
}

void
pricing_free(struct pricing *p)
{
	if (p == NULL)
		return;
	json_object_put(p->p_root);
	free(p);
}

static int
has_alias(struct json_object *entry, const char *model)
{
	struct json_object	*aliases, *a;
	size_t			 i, n;

	if (!json_object_object_get_ex(entry, "aliases", &aliases) ||
	    !json_object_is_type(aliases, json_type_array))
		return (0);
	n = json_object_array_length(aliases);
	for (i = 0; i < n; i++) {
		a = json_object_array_get_idx(aliases, i);
		if (json_object_is_type(a, json_type_string) &&
		    strcmp(json_object_get_string(a), model) == 0)
			return (1);
	}
	return (0);
}

int
pricing_rates(const struct pricing *p, const char *model, double *in,
    double *out)
{
	struct json_object	*entry = NULL;

	*in = *out = 0.0;
	if (p == NULL || model == NULL)
		return (-1);
	if (!json_object_object_get_ex(p->p_models, model, &entry)) {
		entry = NULL;
		json_object_object_foreach(p->p_models, key, val) {
			(void)key;
			if (has_alias(val, model)) {
				entry = val;
				break;
			}
		}
	}
	if (entry == NULL)
		return (-1);
	(void)valid_rate(entry, "input", in);
	(void)valid_rate(entry, "output", out);
	return (0);
}

double
pricing_text_cost(const struct pricing *p, const char *model,
    long prompt_tokens, long completion_tokens, int *known)
{
	double	in, out;

	if (pricing_rates(p, model, &in, &out) == -1) {
		if (known != NULL)
			*known = 0;
		return (0.0);
	}
	if (known != NULL)
		*known = 1;
	return ((double)prompt_tokens / 1e6 * in +
	    (double)completion_tokens / 1e6 * out);
}

double
pricing_image_cost(const struct pricing *p, const char *preset)
{
	struct json_object	*model, *size, *q;
	const char		*d, *qs;
	char			 name[128], quality[32], dims[32];

	if (p == NULL || p->p_images == NULL)
		return (-1);
	/* "<model>-<quality>-<WxH>", e.g. "dall-e-3-hd-1792x1024" */
	if ((d = strrchr(preset, '-')) == NULL || d == preset)
		return (-1);
	for (qs = d - 1; qs > preset && qs[-1] != '-'; qs--)
		;
	if (qs <= preset + 1 || (size_t)(d - qs) >= sizeof(quality) ||
	    (size_t)(qs - 1 - preset) >= sizeof(name) ||
	    strlen(d + 1) >= sizeof(dims))
		return (-1);
	(void)strlcpy(name, preset, (size_t)(qs - 1 - preset) + 1);
	(void)strlcpy(quality, qs, (size_t)(d - qs) + 1);
	(void)strlcpy(dims, d + 1, sizeof(dims));
	if (!json_object_object_get_ex(p->p_images, name, &model) ||
	    !json_object_object_get_ex(model, dims, &size) ||
	    !json_object_object_get_ex(size, quality, &q))
		return (-1);
	return (json_object_get_double(q));
}

char *
pricing_default_path(void)
{
	char	*dir, *path;

	if ((dir = exe_dir()) != NULL) {
		xasprintf(&path, "%s/../config/pricing.json", dir);
		free(dir);
		if (is_regular_file(path))
			return (path);
		free(path);
	}
	return (xstrdup(ARTICLEGEN_DATADIR "/pricing.json"));
}
