/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * config.c: the table of settings, their validation, the configuration
 * file's syntax and --print-config.  Numbers go through strtonum()/strtod()
 * with explicit ranges, and a bad value is reported with the setting's
 * name and where the value came from.  Credentials inside a URL are never
 * printed (url_redact_userinfo()).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "config.h"
#include "cover.h"
#include "covermake.h"
#include "mask.h"
#include "xmalloc.h"

enum config_type {
	CT_STR = 0,
	CT_INT,		/* with range */
	CT_JOBS,	/* "auto" or an int */
	CT_DOUBLE,	/* with range */
	CT_URL,		/* http(s) URL */
	CT_BOOL,	/* true/false, yes/no, 1/0 */
	CT_SHARD,	/* "K/N", 1 <= K <= N <= 10000 */
	CT_SPAWN,	/* "fork-server" or "exec" */
	CT_COVERS,	/* cover_sources_parse() */
	CT_SIZE,	/* "WxH" */
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
	[CK_SAME_STORY_DAYS] = { "same_story_days", { "SAME_STORY_DAYS" },
	    CT_INT, "14", 0, 36500 },
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
	[CK_API_RETRIES] = { "api_retries", { "RETRY_MAX_ATTEMPTS" }, CT_INT,
	    "3", 0, 20 },
	[CK_ARTICLE_TIMEOUT] = { "article_timeout",
	    { "ARTICLE_TIMEOUT" }, CT_INT, "1200", 1, 86400 },
	[CK_IDLE_TIMEOUT] = { "idle_timeout", { "ARTICLE_IDLE_TIMEOUT" },
	    CT_INT, "120", 1, 86400 },
	[CK_ARTICLE_RETRIES] = { "retries", { "ARTICLE_RETRIES" }, CT_INT,
	    "2", 0, 20 },
	[CK_GRACE] = { "grace", { "SHUTDOWN_GRACE" }, CT_INT, "30", 0, 86400 },
	[CK_MAX_DURATION] = { "max_duration", { "ARTICLEGEN_MAX_DURATION" },
	    CT_INT, "0", 0, 30 * 24 * 3600 },
	[CK_RATE_RPM] = { "rate_rpm", { "RATE_LIMIT_RPM" }, CT_INT, "0", 0,
	    10000000 },
	[CK_RATE_TPM] = { "rate_tpm", { "RATE_LIMIT_TPM" }, CT_INT, "0", 0,
	    1000000000 },
	[CK_MAX_COST_RUN] = { "max_cost_run", { "MAX_COST_PER_RUN" },
	    CT_DOUBLE, "0", 0, 1e6 },
	[CK_MAX_COST_ARTICLE] = { "max_cost_article",
	    { "MAX_COST_PER_ARTICLE" }, CT_DOUBLE, "0", 0, 1e6 },
	[CK_PRICING_FILE] = { "pricing_file", { "PRICING_FILE" }, CT_STR,
	    NULL, 0, 0 },
	[CK_COST_LEDGER] = { "cost_ledger", { "COST_LEDGER" }, CT_STR, NULL,
	    0, 0 },
	[CK_REPORT_FILE] = { "report_file", { "ARTICLEGEN_REPORT" }, CT_STR,
	    NULL, 0, 0 },
	[CK_RUN_ID] = { "run_id", { "GITHUB_RUN_ID" }, CT_STR, NULL, 0, 0 },
	[CK_WORKER] = { "worker", { "ARTICLEGEN_WORKER" }, CT_STR, NULL, 0, 0 },
	[CK_SHARD] = { "shard", { "ARTICLEGEN_SHARD" }, CT_SHARD, NULL, 0, 0 },
	[CK_LOCK_WAIT] = { "lock_wait", { "ARTICLEGEN_LOCK_WAIT" }, CT_BOOL,
	    "false", 0, 0 },
	[CK_SPAWN] = { "spawn", { "ARTICLEGEN_SPAWN" }, CT_SPAWN,
	    "fork-server", 0, 0 },
	[CK_DIAGRAMS_MAX] = { "diagrams_max", { "DIAGRAMS_MAX" }, CT_INT, "1",
	    0, 20 },
	[CK_DIAGRAM_BUDGET] = { "diagram_budget", { "DIAGRAM_BUDGET_USD" },
	    CT_DOUBLE, "0.02", 0, 1e6 },
	/* unset: MODEL_CONTENT */
	[CK_MODEL_DIAGRAM] = { "model_diagram", { "MODEL_DIAGRAM" }, CT_STR,
	    NULL, 0, 0 },
	[CK_DRAFT] = { "draft", { "ARTICLEGEN_DRAFT", "DRAFT_MODE" }, CT_BOOL,
	    "false", 0, 0 },
	[CK_COVER_SOURCES] = { "cover_sources", { "COVER_SOURCES" },
	    CT_COVERS, COVER_SOURCES_DEFAULT, 0, 0 },
	/* unset: the site's static/ beside its content/ (config_static_dir) */
	[CK_STATIC_DIR] = { "static_dir", { "STATIC_DIR" }, CT_STR, NULL, 0,
	    0 },
	[CK_MODEL_IMAGE] = { "model_image", { "MODEL_IMAGE", "IMAGE_MODEL" },
	    CT_STR, "dall-e-3", 0, 0 },
	[CK_IMAGE_SIZE] = { "image_size", { "IMAGE_SIZE" }, CT_SIZE,
	    COVER_IMAGES_SIZE, 0, 0 },
	[CK_IMAGE_QUALITY] = { "image_quality", { "IMAGE_QUALITY" }, CT_STR,
	    "standard", 0, 0 },
	[CK_UNSPLASH_URL] = { "unsplash_api_url", { "UNSPLASH_API_URL" },
	    CT_URL, COVER_UNSPLASH_API, 0, 0 },
	[CK_HN_ENABLED] = { "hn_enabled", { "HN_ENABLED" }, CT_BOOL, "true",
	    0, 0 },
	[CK_HN_COUNT] = { "hn_count", { "HN_COUNT" }, CT_INT, "30", 1, 500 },
	[CK_HN_TIMEOUT] = { "hn_timeout", { "HN_TIMEOUT" }, CT_INT, "20", 1,
	    600 },
	[CK_HN_API_URL] = { "hn_api_url", { "HN_API_URL" }, CT_URL,
	    "https://hacker-news.firebaseio.com/v0", 0, 0 },
	[CK_HN_MAX_WAIT] = { "hn_max_wait", { "HN_MAX_WAIT" }, CT_INT, "60",
	    0, 3600 },
	[CK_MASTODON_ENABLED] = { "mastodon_enabled", { "MASTODON_ENABLED" },
	    CT_BOOL, "true", 0, 0 },
	[CK_MASTODON_COUNT] = { "mastodon_count", { "MASTODON_COUNT" }, CT_INT,
	    "40", 1, 500 },
	[CK_MASTODON_TIMEOUT] = { "mastodon_timeout", { "MASTODON_TIMEOUT" },
	    CT_INT, "20", 1, 600 },
	[CK_MASTODON_INSTANCES] = { "mastodon_instances",
	    { "MASTODON_INSTANCES" }, CT_STR, "https://hachyderm.io", 0, 0 },
	[CK_MASTODON_MAX_WAIT] = { "mastodon_max_wait",
	    { "MASTODON_MAX_WAIT" }, CT_INT, "60", 0, 3600 },
	[CK_MASTODON_MIN_CHARS] = { "mastodon_min_chars",
	    { "MASTODON_MIN_CHARS" }, CT_INT, "50", 0, 100000 },
	[CK_MASTODON_MAX_CHARS] = { "mastodon_max_chars",
	    { "MASTODON_MAX_CHARS" }, CT_INT, "2000", 1, 100000 },
	[CK_GITHUB_ENABLED] = { "github_enabled", { "GITHUB_ENABLED" },
	    CT_BOOL, "true", 0, 0 },
	[CK_GITHUB_COUNT] = { "github_count", { "GITHUB_COUNT" }, CT_INT, "20",
	    1, 500 },
	[CK_GITHUB_TIMEOUT] = { "github_timeout", { "GITHUB_TIMEOUT" }, CT_INT,
	    "20", 1, 600 },
	[CK_GITHUB_API_URL] = { "github_api_url", { "GITHUB_API_URL" }, CT_URL,
	    "https://api.github.com", 0, 0 },
	[CK_GITHUB_MAX_WAIT] = { "github_max_wait", { "GITHUB_MAX_WAIT" },
	    CT_INT, "60", 0, 3600 },
	[CK_GITHUB_DAYS] = { "github_days", { "GITHUB_DAYS" }, CT_INT, "7", 1,
	    365 },
	[CK_REDDIT_ENABLED] = { "reddit_enabled", { "REDDIT_ENABLED" },
	    CT_BOOL, "true", 0, 0 },
	[CK_REDDIT_COUNT] = { "reddit_count", { "REDDIT_COUNT" }, CT_INT, "16",
	    1, 500 },
	[CK_REDDIT_TIMEOUT] = { "reddit_timeout", { "REDDIT_TIMEOUT" }, CT_INT,
	    "20", 1, 600 },
	[CK_REDDIT_API_URL] = { "reddit_api_url", { "REDDIT_API_URL" }, CT_URL,
	    "https://oauth.reddit.com", 0, 0 },
	[CK_REDDIT_AUTH_URL] = { "reddit_auth_url", { "REDDIT_AUTH_URL" },
	    CT_URL, "https://www.reddit.com/api/v1/access_token", 0, 0 },
	[CK_REDDIT_SUBREDDITS] = { "reddit_subreddits", { "REDDIT_SUBREDDITS" },
	    CT_STR, "programming,technology,linux,rust,golang,python,devops,"
	    "netsec", 0, 0 },
	[CK_REDDIT_MAX_WAIT] = { "reddit_max_wait", { "REDDIT_MAX_WAIT" },
	    CT_INT, "60", 0, 3600 },
	[CK_MODEL_ENRICHMENT] = { "model_enrichment", { "MODEL_ENRICHMENT",
	    "ENRICHMENT_MODEL" }, CT_STR, "gpt-5-nano", 0, 0 },
	[CK_PRESCORE_THRESHOLD] = { "prescore_threshold",
	    { "PRESCORE_THRESHOLD" }, CT_DOUBLE, "0.15", 0, 1 },
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

char *
config_default_static_dir(const char *content_dir)
{
	const char	*d = content_dir != NULL ? content_dir : "";
	const char	*p, *hit = NULL, *slash;
	char		*out;
	size_t		 len;

	/* the last path component named "content" */
	for (p = d; (p = strstr(p, "content")) != NULL; p++)
		if ((p == d || p[-1] == '/') && (p[7] == '\0' || p[7] == '/'))
			hit = p;
	if (hit != NULL) {
		if (hit == d)
			return (xstrdup("static"));
		xasprintf(&out, "%.*sstatic", (int)(hit - d), d);
		return (out);
	}
	len = strlen(d);
	while (len > 1 && d[len - 1] == '/')
		len--;
	for (slash = NULL, p = d; p < d + len; p++)
		if (*p == '/')
			slash = p;
	if (slash == NULL)
		return (xstrdup("static"));
	if (slash == d)
		return (xstrdup("/static"));
	xasprintf(&out, "%.*s/static", (int)(slash - d), d);
	return (out);
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
parse_bool(const char *v)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t	i;

	for (i = 0; i < nitems(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return (1);
		if (strcasecmp(v, no[i]) == 0)
			return (0);
	}
	return (-1);
}

int
config_parse_shard(const char *v, unsigned *k, unsigned *n)
{
	const char	*errstr;
	char		*copy, *slash;
	long long	 kk, nn = 0;

	copy = xstrdup(v);
	if ((slash = strchr(copy, '/')) == NULL) {
		free(copy);
		return (-1);
	}
	*slash = '\0';
	kk = strtonum(copy, 1, 10000, &errstr);
	if (errstr == NULL)
		nn = strtonum(slash + 1, 1, 10000, &errstr);
	free(copy);
	if (errstr != NULL || kk > nn)
		return (-1);
	if (k != NULL)
		*k = (unsigned)kk;
	if (n != NULL)
		*n = (unsigned)nn;
	return (0);
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
			char	*shown = url_redact_userinfo(value);

			(void)snprintf(why, whylen, "'%s' is not an http:// or "
			    "https:// URL", shown);
			free(shown);
			return (-1);
		}
		return (0);
	case CT_BOOL:
		if (parse_bool(value) == -1) {
			(void)snprintf(why, whylen, "'%s' is not true or false",
			    value);
			return (-1);
		}
		return (0);
	case CT_SPAWN:
		if (strcmp(value, "fork-server") != 0 &&
		    strcmp(value, "exec") != 0) {
			(void)snprintf(why, whylen, "'%s' is not fork-server "
			    "or exec", value);
			return (-1);
		}
		return (0);
	case CT_COVERS: {
		const char	*names[COVER_SOURCES_MAX];
		char		 ebuf[128];

		if (cover_sources_parse(value, names, ebuf,
		    sizeof(ebuf)) == -1) {
			(void)snprintf(why, whylen, "%s", ebuf);
			return (-1);
		}
		return (0);
	}
	case CT_SIZE: {
		const char	*x = strchr(value, 'x'), *e1, *e2;
		char		 w[8];
		long long	 wv = 0, hv = 0;

		e1 = e2 = NULL;
		if (x != NULL && x > value && (size_t)(x - value) < sizeof(w)) {
			(void)strlcpy(w, value, (size_t)(x - value) + 1);
			wv = strtonum(w, 16, 8192, &e1);
			hv = strtonum(x + 1, 16, 8192, &e2);
		}
		if (x == NULL || wv == 0 || hv == 0 || e1 != NULL ||
		    e2 != NULL || !isdigit((unsigned char)value[0]) ||
		    !isdigit((unsigned char)x[1])) {
			(void)snprintf(why, whylen, "'%s' is not WIDTHxHEIGHT "
			    "(16 to 8192)", value);
			return (-1);
		}
		return (0);
	}
	case CT_SHARD:
		if (config_parse_shard(value, NULL, NULL) == -1) {
			(void)snprintf(why, whylen, "'%s' is not K/N with "
			    "1 <= K <= N", value);
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

int
config_bool(const struct config *c, enum config_key k)
{
	return (c->c_val[k] != NULL && parse_bool(c->c_val[k]) == 1);
}

int
config_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < CK_NKEYS; i++)
		if (strcmp(defs[i].d_name, name) == 0)
			return ((int)i);
	return (-1);
}

const char *const *
config_env_names(enum config_key k)
{
	return (defs[k].d_env);
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return (s);
}

/*
 * Edit distance between a and b counting an exchange of two neighbouring
 * characters as one edit (optimal string alignment); names are short, so
 * the three rows live on the stack and longer names count as far apart.
 */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t	 row[3][40], *prev2 = row[0], *prev = row[1], *cur = row[2];
	size_t	 la = strlen(a), lb = strlen(b), i, j, cost, v, *t;

	if (la >= 40 || lb >= 40)
		return (SIZE_MAX);
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] != b[j - 1];
			v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return (prev[lb]);
}

const char *
config_suggest(const char *name)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = SIZE_MAX, limit;

	/* two edits at most, and fewer than half the name's length */
	limit = strlen(name) / 2;
	if (limit > 2)
		limit = 2;
	for (i = 0; i < CK_NKEYS; i++) {
		d = edit_distance(name, defs[i].d_name);
		if (d < bestd) {
			bestd = d;
			best = defs[i].d_name;
		}
	}
	return (bestd <= limit && bestd > 0 ? best : NULL);
}

/*
 * Take the value out of the text after a line's '='.  Unquoted, the value
 * ends where a '#' that begins it or follows a space or tab starts a
 * comment, and blanks around it are dropped.  Quoted ("..."), it runs to
 * the next double quote, '#' included; only blanks and a comment may
 * follow.  Returns the value (inside text), or NULL with why set.
 */
static char *
file_value(char *text, char *why, size_t whylen)
{
	char	*v = text, *p, *close;

	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"') {
		if ((close = strchr(v + 1, '"')) == NULL) {
			(void)snprintf(why, whylen, "no closing '\"'");
			return (NULL);
		}
		*close = '\0';
		p = close + 1;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p != '\0' && !(*p == '#' && p > close + 1)) {
			(void)snprintf(why, whylen, "text after the closing "
			    "'\"' (a comment needs a blank before its '#')");
			return (NULL);
		}
		return (v + 1);
	}
	for (p = v; *p != '\0'; p++)
		if (*p == '#' && (p == v || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	return (trim(v));
}

/*
 * Lines --print-config shows besides the settings.  Given back in a file
 * they are skipped, so its output loads as it is; a real key on the
 * api_key line is refused.  Returns 1 to skip the line, 0 when key is not
 * one of them, -1 with errbuf set.
 */
static int
print_only_line(const char *key, const char *val, const char *where,
    char *errbuf, size_t errlen)
{
	if (strcmp(key, "config_file") == 0)
		return (1);
	if (strcmp(key, "api_key") != 0)
		return (0);
	if (strcmp(val, "(set)") == 0 || strcmp(val, "(not set)") == 0)
		return (1);
	(void)snprintf(errbuf, errlen, "%s: api_key: the API key is never "
	    "read from a configuration file (use --api-key-file, the "
	    "openai_api_key credential or OPENAI_API_KEY)", where);
	return (-1);
}

int
config_load_file(struct config *c, const char *path, char *errbuf,
    size_t errlen)
{
	FILE		*f;
	const char	*near;
	char		*line = NULL, *p, *eq, *key, *val, origin[512], why[512];
	size_t		 cap = 0, lineno = 0;
	int		 k, ret = 0, skip;

	if ((f = fopen(path, "r")) == NULL) {
		(void)snprintf(errbuf, errlen, "config file %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		(void)snprintf(origin, sizeof(origin), "%s:%zu", path, lineno);
		if ((eq = strchr(p, '=')) == NULL) {
			(void)snprintf(errbuf, errlen, "%s: expected "
			    "\"key = value\"", origin);
			ret = -1;
			break;
		}
		*eq = '\0';
		key = trim(p);
		if ((val = file_value(eq + 1, why, sizeof(why))) == NULL) {
			(void)snprintf(errbuf, errlen, "%s: %s: %s", origin,
			    key, why);
			ret = -1;
			break;
		}
		if ((skip = print_only_line(key, val, origin, errbuf,
		    errlen)) != 0) {
			if (skip == -1) {
				ret = -1;
				break;
			}
			continue;
		}
		if ((k = config_lookup(key)) == -1) {
			near = config_suggest(key);
			(void)snprintf(errbuf, errlen, "%s: unknown setting "
			    "'%s'%s%s%s", origin, key,
			    near != NULL ? " (did you mean '" : "",
			    near != NULL ? near : "", near != NULL ? "'?)" : "");
			ret = -1;
			break;
		}
		if (config_set(c, (enum config_key)k, val, CONFIG_FILE, origin,
		    why, sizeof(why)) == -1) {
			(void)snprintf(errbuf, errlen, "%s", why);
			ret = -1;
			break;
		}
	}
	free(line);
	fclose(f);
	return (ret);
}

/*
 * Does value need double quotes to read back the same from a file?  When
 * it starts or ends with a blank, starts with '"' or holds a '#' that
 * would start a comment.
 */
static int
needs_quotes(const char *v)
{
	size_t	len = strlen(v), i;

	if (len == 0)
		return (1);
	if (v[0] == ' ' || v[0] == '\t' || v[0] == '"' || v[0] == '#' ||
	    v[len - 1] == ' ' || v[len - 1] == '\t')
		return (1);
	for (i = 1; i < len; i++)
		if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t'))
			return (1);
	return (0);
}

/*
 * One "key = value  # origin" line per setting, in the file syntax, so the
 * output can be given back with --config.  A setting without a value is a
 * comment line; a URL is shown without its credentials.
 */
void
config_print(const struct config *c, FILE *f)
{
	const char	*v;
	char		*shown, *quoted = NULL;
	size_t		 i;

	for (i = 0; i < CK_NKEYS; i++) {
		if ((v = c->c_val[i]) == NULL) {
			fprintf(f, "#%-17s = %-28s # %s\n", defs[i].d_name,
			    "(not set)", c->c_origin[i]);
			continue;
		}
		shown = defs[i].d_type == CT_URL ? url_redact_userinfo(v) :
		    xstrdup(v);
		if (needs_quotes(shown) && strchr(shown, '"') == NULL) {
			xasprintf(&quoted, "\"%s\"", shown);
			free(shown);
			shown = quoted;
		}
		fprintf(f, "%-18s = %-28s # %s\n", defs[i].d_name, shown,
		    c->c_origin[i]);
		free(shown);
	}
}
