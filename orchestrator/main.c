/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * articlegen: turns a file of enriched tech stories into finished Hugo
 * articles.  main() reads the options and dispatches: a run (of the
 * whole pipeline or one stage: pipeline.c), its plan
 * (--dry-run, --emit-jobs), --print-config or --check; everything it
 * takes is released on one path out, and a run stopped by a signal then
 * ends by that signal.  What it calls is in options.c (the command line),
 * settings.c, apikey.c, signals.c, session.c (a run and its plan) and
 * check.c; docs/ARCHITECTURE.md has the whole map.
 */
#include <stdio.h>
#include <stdlib.h>

#include "apikey.h"
#include "check.h"
#include "cover.h"
#include "llm.h"
#include "log.h"
#include "options.h"
#include "output.h"
#include "pipeline.h"
#include "session.h"
#include "settings.h"
#include "signals.h"
#include "util.h"

int
main(int argc, char *argv[])
{
	struct options	 opt;
	struct settings	 s;
	struct output	 out;
	char		*api_key = NULL, errbuf[1024];
	const char	*key_from = NULL;
	int		 code, wakefd;

	options_parse(argc, argv, &opt);
	log_procinit("articlegen");
	log_init(opt.o_verbose);
	session_output_init(&out, &opt);
	wakefd = signals_install();
	if ((code = settings_load(&s, &opt)) != EXIT_OK)
		goto done;
	if (apikey_load(opt.o_keyfile, &api_key, &key_from, errbuf,
	    sizeof(errbuf)) == -1) {
		log_warnx("%s", errbuf);
		code = EXIT_CONFIG;
		goto done;
	}
	switch (opt.o_action) {
	case ACTION_PRINT_CONFIG:
		settings_print(&s, key_from);
		break;
	case ACTION_CHECK:
		code = check_run(&s.s_cfg, key_from, api_key, opt.o_online);
		break;
	case ACTION_RUN:
		if (opt.o_command != CMD_GENERATE) {
			code = pipeline_main(&opt, &s, &out, api_key,
			    key_from, wakefd);
			break;
		}
		/* FALLTHROUGH */
	case ACTION_DRY_RUN:
	case ACTION_EMIT_JOBS:
		code = session_run(&opt, &s, &out, api_key, key_from, wakefd);
		break;
	}
done:
	apikey_free(api_key);
	output_release(&out);
	settings_release(&s);
	llm_global_cleanup();
	cover_release_caches();		/* drawn in this process: --jobs 1 */
	(void)fflush(stdout);
	signals_end();
	return (code);
}
