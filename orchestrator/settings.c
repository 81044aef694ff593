/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * settings.c: owns the layering of articlegen's settings (config.c holds
 * the table and each layer's parser) and the paths derived from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "options.h"
#include "pricing.h"
#include "settings.h"
#include "util.h"
#include "xmalloc.h"

int
settings_load(struct settings *s, const struct options *opt)
{
	const char	*env_config = getenv("ARTICLEGEN_CONFIG");
	char		 errbuf[1024], origin[64];
	size_t		 i;

	memset(s, 0, sizeof(*s));
	config_init(&s->s_cfg);
	s->s_config_file = opt->o_config_file;
	if (s->s_config_file == NULL && env_config != NULL &&
	    *env_config != '\0')
		s->s_config_file = env_config;
	if (s->s_config_file != NULL && config_load_file(&s->s_cfg,
	    s->s_config_file, errbuf, sizeof(errbuf)) == -1) {
		log_warnx("%s", errbuf);
		return (EXIT_CONFIG);
	}
	if (config_load_env(&s->s_cfg, errbuf, sizeof(errbuf)) == -1) {
		log_warnx("%s", errbuf);
		return (EXIT_CONFIG);
	}
	for (i = 0; i < CK_NKEYS; i++) {
		if (opt->o_flag_val[i] == NULL)
			continue;
		(void)snprintf(origin, sizeof(origin), "command line %s",
		    opt->o_flag_name[i]);
		if (config_set(&s->s_cfg, (enum config_key)i,
		    opt->o_flag_val[i], CONFIG_FLAG, origin, errbuf,
		    sizeof(errbuf)) == -1) {
			fprintf(stderr, "articlegen: %s (try articlegen --help)"
			    "\n", errbuf);
			return (EXIT_USAGE);
		}
	}
	if (config_str(&s->s_cfg, CK_STATIC_DIR) == NULL) {
		char	*dir;

		dir = config_default_static_dir(config_str(&s->s_cfg,
		    CK_CONTENT_DIR));
		(void)config_set(&s->s_cfg, CK_STATIC_DIR, dir, CONFIG_DEFAULT,
		    "default: the site's static/ beside its content/", errbuf,
		    sizeof(errbuf));
		free(dir);
	}
	return (0);
}

void
settings_release(struct settings *s)
{
	config_release(&s->s_cfg);
}

void
settings_print(const struct settings *s, const char *key_from)
{
	config_print(&s->s_cfg, stdout);
	printf("%-18s = %-28s # %s\n", "api_key", key_from != NULL ?
	    "(set)" : "(not set)", key_from != NULL ? key_from :
	    "--api-key-file, $CREDENTIALS_DIRECTORY/openai_api_key or "
	    "OPENAI_API_KEY");
	printf("%-18s = %-28s # %s\n", "config_file", s->s_config_file !=
	    NULL ? s->s_config_file : "(none)", s->s_config_file != NULL ?
	    "--config or ARTICLEGEN_CONFIG" : "default");
}

char *
settings_pricing_path(const struct config *cfg)
{
	const char	*p = config_str(cfg, CK_PRICING_FILE);

	return (p != NULL ? xstrdup(p) : pricing_default_path());
}

char *
settings_ledger_path(const struct config *cfg)
{
	const char	*p = config_str(cfg, CK_COST_LEDGER);
	char		*path;

	if (p != NULL)
		return (xstrdup(p));
	xasprintf(&path, "%s/generation_costs.jsonl",
	    config_str(cfg, CK_DATA_DIR));
	return (path);
}
