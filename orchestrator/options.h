/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * options.h: articlegen's command line: what to do, and the flags that
 * set a setting (applied by settings.c above every other layer).
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>

#include "compat.h"
#include "config.h"

enum action {
	ACTION_RUN = 0,
	ACTION_DRY_RUN,		/* --dry-run: print the plan */
	ACTION_EMIT_JOBS,	/* --emit-jobs DIR */
	ACTION_PRINT_CONFIG,	/* --print-config */
	ACTION_CHECK,		/* --check [--online] */
};

/* The stages of the pipeline (docs/PIPELINE.md): the first operand. */
enum command {
	CMD_GENERATE = 0,	/* "generate", or no command word */
	CMD_COLLECT,		/* "collect" */
	CMD_ENRICH,		/* "enrich [COLLECTED.json]" */
	CMD_RUN,		/* "run": collect, enrich, generate */
};

#define OPTIONS_ONLY_MAX	256	/* --only given at most this often */

struct options {
	enum action	 o_action;
	enum command	 o_command;
	int		 o_verbose;	/* 0 with -q, 1, 2 and up with -v */
	int		 o_force;	/* -f */
	int		 o_online;	/* --online */
	int		 o_progress;	/* -1 automatic, 0 no, 1 yes */
	const char	*o_config_file;	/* -c */
	const char	*o_keyfile;	/* --api-key-file */
	const char	*o_emit_dir;	/* --emit-jobs */
	const char	*o_input;	/* the operand ("-": stdin), or NULL */
	const char	*o_regenerate;	/* --regenerate POST, or NULL */
	const char	*o_only[OPTIONS_ONLY_MAX];	/* --only IDs */
	size_t		 o_nonly;
	/* flags that set a setting: value and flag name, NULL when unset */
	const char	*o_flag_val[CK_NKEYS];
	const char	*o_flag_name[CK_NKEYS];
};

/*
 * Parse argv into opt.  --help and --version print and exit 0; a usage
 * error prints one line saying what is wrong and exits 64.  Nothing is
 * allocated.
 */
void	options_parse(int argc, char *argv[], struct options *opt);
/* Print one usage error line with the --help hint and exit 64. */
__dead void options_usage_error(const char *fmt, ...) PRINTFLIKE(1, 2);

#endif /* OPTIONS_H */
