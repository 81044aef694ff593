/*
 * config.h: articlegen's settings, their defaults, and where each value
 * came from.  Layers, lowest first: built-in default < environment <
 * command line.  Every setting is in one table (config.c), which also
 * feeds --help and the documentation.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

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
	CK_PROVIDER,
	CK_BASE_URL,
	CK_MODEL_CONTENT,
	CK_MODEL_TITLE,
	CK_API_TIMEOUT,
	CK_RETRIES,
	CK_ARTICLE_TIMEOUT,
	CK_PRICING_FILE,
	CK_COST_LEDGER,
	CK_RUN_ID,
	CK_WORKER,
	CK_NKEYS
};

struct config {
	char			*c_val[CK_NKEYS];	/* owned; NULL = unset */
	enum config_source	 c_src[CK_NKEYS];
	char			*c_origin[CK_NKEYS];	/* "env MODEL_CONTENT" */
};

void	 config_init(struct config *);		/* defaults */
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

const char *config_str(const struct config *, enum config_key); /* may be NULL */
long long config_int(const struct config *, enum config_key);
double	 config_double(const struct config *, enum config_key);
const char *config_name(enum config_key);
const char *config_source_name(enum config_source);

#endif /* CONFIG_H */
