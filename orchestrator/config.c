/*
 * config.c: the table of settings and their validation.  Numbers go
 * through strtonum()/strtod() with explicit ranges, and a bad value is
 * reported with the setting's name and where the value came from.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "config.h"
#include "xmalloc.h"

enum config_type {
	CT_STR = 0,
	CT_INT,		/* with range */
	CT_JOBS,	/* "auto" or an int */
	CT_DOUBLE,	/* with range */
	CT_URL,		/* http(s) URL */
};

struct config_def {
	const char		*d_name;
	const char		*d_env[3];	/* first found wins */
	enum config_type	 d_type;
	const char		*d_default;	/* NULL: unset */
	double			 d_min;
	double			 d_max;
};

static const struct config_def defs[CK_NKEYS] = {
	[CK_CONTENT_DIR] = { "content_dir", { "CONTENT_DIR" }, CT_STR,
	    "content/posts", 0, 0 },
	[CK_DATA_DIR] = { "data_dir", { "DATA_DIR" }, CT_STR, "data", 0, 0 },
	[CK_JOBS] = { "jobs", { "ARTICLEGEN_JOBS" }, CT_JOBS, "auto", 1, 256 },
	[CK_MAX_ARTICLES] = { "max_articles", { "ARTICLES_PER_RUN" }, CT_INT,
	    "10", 0, 100000 },
	[CK_QUALITY_THRESHOLD] = { "quality_threshold",
	    { "QUALITY_THRESHOLD" }, CT_DOUBLE, "0.5", 0, 1 },
	[CK_COOLDOWN_DAYS] = { "cooldown_days", { "SOURCE_COOLDOWN_DAYS" },
	    CT_INT, "7", 0, 36500 },
	[CK_PROVIDER] = { "provider", { "LLM_PROVIDER" }, CT_STR, "openai",
	    0, 0 },
	[CK_BASE_URL] = { "base_url", { "OPENAI_BASE_URL" }, CT_URL,
	    "https://api.openai.com/v1", 0, 0 },
	[CK_MODEL_CONTENT] = { "model_content",
	    { "MODEL_CONTENT", "CONTENT_MODEL" }, CT_STR, "gpt-5-mini", 0, 0 },
	[CK_MODEL_TITLE] = { "model_title", { "MODEL_TITLE", "TITLE_MODEL" },
	    CT_STR, "gpt-5-nano", 0, 0 },
	[CK_API_TIMEOUT] = { "api_timeout", { "OPENAI_API_TIMEOUT" }, CT_INT,
	    "120", 1, 3600 },
	[CK_RETRIES] = { "retries", { "RETRY_MAX_ATTEMPTS" }, CT_INT, "3", 0,
	    20 },
	[CK_ARTICLE_TIMEOUT] = { "article_timeout",
	    { "ARTICLE_TIMEOUT" }, CT_INT, "900", 1, 86400 },
	[CK_PRICING_FILE] = { "pricing_file", { "PRICING_FILE" }, CT_STR,
	    NULL, 0, 0 },
	[CK_COST_LEDGER] = { "cost_ledger", { "COST_LEDGER" }, CT_STR, NULL,
	    0, 0 },
	[CK_RUN_ID] = { "run_id", { "GITHUB_RUN_ID" }, CT_STR, NULL, 0, 0 },
	[CK_WORKER] = { "worker", { "ARTICLEGEN_WORKER" }, CT_STR, NULL, 0, 0 },
};

void
config_init(struct config *c)
{
	size_t	i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CK_NKEYS; i++) {
		c->c_val[i] = defs[i].d_default != NULL ?
		    xstrdup(defs[i].d_default) : NULL;
		c->c_src[i] = CONFIG_DEFAULT;
		c->c_origin[i] = xstrdup("default");
	}
}

void
config_release(struct config *c)
{
	size_t	i;

	for (i = 0; i < CK_NKEYS; i++) {
		free(c->c_val[i]);
		free(c->c_origin[i]);
	}
	memset(c, 0, sizeof(*c));
}

static int
check_value(const struct config_def *d, const char *value, char *why,
    size_t whylen)
{
	const char	*errstr;
	char		*end;
	double		 v;

	switch (d->d_type) {
	case CT_STR:
		if (*value == '\0') {
			(void)snprintf(why, whylen, "must not be empty");
			return (-1);
		}
		return (0);
	case CT_JOBS:
		if (strcmp(value, "auto") == 0)
			return (0);
		/* FALLTHROUGH */
	case CT_INT:
		(void)strtonum(value, (long long)d->d_min, (long long)d->d_max,
		    &errstr);
		if (errstr != NULL) {
			(void)snprintf(why, whylen, "'%s' is %s (expected %s"
			    "an integer from %.0f to %.0f)", value, errstr,
			    d->d_type == CT_JOBS ? "\"auto\" or " : "",
			    d->d_min, d->d_max);
			return (-1);
		}
		return (0);
	case CT_DOUBLE:
		errno = 0;
		v = strtod(value, &end);
		if (errno != 0 || end == value || *end != '\0' || !isfinite(v) ||
		    v < d->d_min || v > d->d_max) {
			(void)snprintf(why, whylen, "'%s' is not a number from "
			    "%g to %g", value, d->d_min, d->d_max);
			return (-1);
		}
		return (0);
	case CT_URL:
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			(void)snprintf(why, whylen, "'%s' is not an http:// or "
			    "https:// URL", value);
			return (-1);
		}
		return (0);
	}
	return (0);
}

int
config_set(struct config *c, enum config_key k, const char *value,
    enum config_source src, const char *origin, char *errbuf, size_t errlen)
{
	char	why[256];

	if (check_value(&defs[k], value, why, sizeof(why)) == -1) {
		(void)snprintf(errbuf, errlen, "%s (from %s): %s",
		    defs[k].d_name, origin, why);
		return (-1);
	}
	free(c->c_val[k]);
	free(c->c_origin[k]);
	c->c_val[k] = xstrdup(value);
	c->c_src[k] = src;
	c->c_origin[k] = xstrdup(origin);
	return (0);
}

int
config_load_env(struct config *c, char *errbuf, size_t errlen)
{
	const char	*v;
	char		 origin[64];
	size_t		 i, j;

	for (i = 0; i < CK_NKEYS; i++) {
		for (j = 0; j < nitems(defs[i].d_env) &&
		    defs[i].d_env[j] != NULL; j++) {
			if ((v = getenv(defs[i].d_env[j])) == NULL || *v == '\0')
				continue;
			(void)snprintf(origin, sizeof(origin), "environment "
			    "%s", defs[i].d_env[j]);
			if (config_set(c, (enum config_key)i, v, CONFIG_ENV,
			    origin, errbuf, errlen) == -1)
				return (-1);
			break;
		}
	}
	return (0);
}

const char *
config_str(const struct config *c, enum config_key k)
{
	return (c->c_val[k]);
}

long long
config_int(const struct config *c, enum config_key k)
{
	const char	*errstr;
	long long	 n;

	if (c->c_val[k] == NULL)
		return (0);
	n = strtonum(c->c_val[k], LLONG_MIN, LLONG_MAX, &errstr);
	return (errstr == NULL ? n : 0);
}

double
config_double(const struct config *c, enum config_key k)
{
	return (c->c_val[k] != NULL ? strtod(c->c_val[k], NULL) : 0.0);
}

const char *
config_name(enum config_key k)
{
	return (defs[k].d_name);
}

const char *
config_source_name(enum config_source s)
{
	static const char *const names[] = { "default", "file", "environment",
	    "command line" };

	return (names[s]);
}
