/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * settings.h: the settings a run uses, layered: built-in defaults < config
 * file < environment < command line, and the paths derived from them.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include "config.h"

struct options;

struct settings {
	struct config	 s_cfg;
	const char	*s_config_file;	/* the file read, or NULL */
};

/*
 * Layer every source into s (config_init() first, so that
 * settings_release() is always right).  Returns 0, or the exit code
 * (64 for a bad flag value, 78 for a bad file or environment) after
 * logging what is wrong.
 */
int	 settings_load(struct settings *s, const struct options *opt);
void	 settings_release(struct settings *s);
/* --print-config: every setting, its value and where it came from. */
void	 settings_print(const struct settings *s, const char *key_from);
/* The price table's path: the pricing_file setting or the default; owned. */
char	*settings_pricing_path(const struct config *cfg);
/* The cost ledger's path: cost_ledger or DATA_DIR's; owned. */
char	*settings_ledger_path(const struct config *cfg);

#endif /* SETTINGS_H */
