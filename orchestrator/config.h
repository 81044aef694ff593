/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * config.h: articlegen's settings, their defaults, and where each value
 * came from.  Layers, lowest first: built-in default < config file <
 * environment < command line.  Every setting is in one table (config.c),
 * which also feeds --print-config and docs/CONFIGURATION.md.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdio.h>

enum config_source {
	CONFIG_DEFAULT = 0,
	CONFIG_FILE,
	CONFIG_ENV,
	CONFIG_FLAG,
};

enum config_key {
	CK_CONTENT_DIR = 0,
	CK_DATA_DIR,
	CK_JOBS,
	CK_MAX_ARTICLES,
	CK_QUALITY_THRESHOLD,
	CK_COOLDOWN_DAYS,
	CK_SAME_STORY_DAYS,
	CK_PROVIDER,
	CK_BASE_URL,
	CK_MODEL_CONTENT,
	CK_MODEL_TITLE,
	CK_API_TIMEOUT,
	CK_API_RETRIES,
	CK_ARTICLE_TIMEOUT,
	CK_IDLE_TIMEOUT,
	CK_ARTICLE_RETRIES,
	CK_GRACE,
	CK_MAX_DURATION,
	CK_RATE_RPM,
	CK_RATE_TPM,
	CK_MAX_COST_RUN,
	CK_MAX_COST_ARTICLE,
	CK_PRICING_FILE,
	CK_COST_LEDGER,
	CK_REPORT_FILE,
	CK_RUN_ID,
	CK_WORKER,
	CK_SHARD,
	CK_LOCK_WAIT,
	CK_SPAWN,
	CK_DIAGRAMS_MAX,
	CK_DIAGRAM_BUDGET,
	CK_MODEL_DIAGRAM,
	CK_DRAFT,
	/* covers (docs/COVERS.md) */
	CK_COVER_SOURCES,
	CK_STATIC_DIR,
	CK_MODEL_IMAGE,
	CK_IMAGE_SIZE,
	CK_IMAGE_QUALITY,
	CK_UNSPLASH_URL,
	/* the collect and enrich stages (docs/PIPELINE.md) */
	CK_HN_ENABLED,
	CK_HN_COUNT,
	CK_HN_TIMEOUT,
	CK_HN_API_URL,
	CK_HN_MAX_WAIT,
	CK_MASTODON_ENABLED,
	CK_MASTODON_COUNT,
	CK_MASTODON_TIMEOUT,
	CK_MASTODON_INSTANCES,
	CK_MASTODON_MAX_WAIT,
	CK_MASTODON_MIN_CHARS,
	CK_MASTODON_MAX_CHARS,
	CK_GITHUB_ENABLED,
	CK_GITHUB_COUNT,
	CK_GITHUB_TIMEOUT,
	CK_GITHUB_API_URL,
	CK_GITHUB_MAX_WAIT,
	CK_GITHUB_DAYS,
	CK_REDDIT_ENABLED,
	CK_REDDIT_COUNT,
	CK_REDDIT_TIMEOUT,
	CK_REDDIT_API_URL,
	CK_REDDIT_AUTH_URL,
	CK_REDDIT_SUBREDDITS,
	CK_REDDIT_MAX_WAIT,
	CK_MODEL_ENRICHMENT,
	CK_PRESCORE_THRESHOLD,
	CK_NKEYS
};

struct config {
	char			*c_val[CK_NKEYS];	/* owned; NULL = unset */
	enum config_source	 c_src[CK_NKEYS];
	char			*c_origin[CK_NKEYS];	/* "env MODEL_CONTENT" */
};

void	 config_init(struct config *);		/* defaults */
/*
 * Where covers go when STATIC_DIR is unset: the Hugo site's static/ for
 * a content directory inside the site's content/ ("site/content/posts"
 * gives "site/static"), else static/ beside the content directory
 * ("out/posts" gives "out/static").  Owned.
 */
char	*config_default_static_dir(const char *content_dir);
void	 config_release(struct config *);
/*
 * Set key from a value given by source (origin names it for messages, e.g.
 * "--max-articles" or "env ARTICLES_PER_RUN").  Returns 0, or -1 with
 * errbuf naming the setting, the origin and what is wrong.
 */
int	 config_set(struct config *, enum config_key, const char *value,
	    enum config_source, const char *origin, char *errbuf,
	    size_t errlen);
/* Apply every environment variable the table names.  0 or -1 + errbuf. */
int	 config_load_env(struct config *, char *errbuf, size_t errlen);
/*
 * Apply a config file: "key = value" lines, blank lines and comments: a
 * line whose first non-blank is '#', or from a '#' that begins a value or
 * follows a blank (a '#' inside a word, as in a URL's fragment, or inside
 * a "quoted value" is kept).  The api_key and config_file lines that
 * --print-config adds are skipped.  Returns 0, or -1 with errbuf naming
 * the file, line and key (with the nearest known key for an unknown one).
 */
int	 config_load_file(struct config *, const char *path, char *errbuf,
	    size_t errlen);
/* Parse "K/N" (1 <= K <= N); 0, or -1 when malformed. */
int	 config_parse_shard(const char *, unsigned *k, unsigned *n);
/* The key whose file name is name; -1 when there is none. */
int	 config_lookup(const char *name);
/*
 * Print every setting, its value and where it came from, in the file
 * syntax (unset settings as comments, URLs redacted).
 */
void	 config_print(const struct config *, FILE *);
/* The known key nearest to an unknown name (two edits at most), or NULL. */
const char *config_suggest(const char *name);
/* 1 for a boolean setting whose value is true. */
int	 config_bool(const struct config *, enum config_key);
/* Environment variables a key reads, NULL-terminated; borrowed. */
const char *const *config_env_names(enum config_key);

const char *config_str(const struct config *, enum config_key); /* may be NULL */
long long config_int(const struct config *, enum config_key);
double	 config_double(const struct config *, enum config_key);
const char *config_name(enum config_key);
const char *config_source_name(enum config_source);

#endif /* CONFIG_H */
