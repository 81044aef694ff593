/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * options.c: owns articlegen's command line: the --help text, getopt, and
 * the one-line usage errors.  It decides what to do and collects the flags
 * that set a setting; it applies nothing (settings.c layers them).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "llm.h"
#include "options.h"
#include "proto.h"
#include "session.h"
#include "util.h"

static __dead void
help(void)
{
	printf(
"usage: articlegen [options] [generate] [ENRICHED.json | -]\n"
"       articlegen --regenerate POST [options] [ENRICHED.json | -]\n"
"       articlegen [options] collect | enrich [COLLECTED.json] | run\n"
"\n"
"collect reads the sources into DATA_DIR/collected_*.json; enrich scores\n"
"and researches the newest (or the given) collected file into\n"
"DATA_DIR/enriched_*.json; generate (the default) writes the articles;\n"
"run does all three in order.\n"
"\n"
"Generate blog articles for a Hugo site from an enriched items file (default:\n"
"the newest DATA_DIR/enriched_*.json; - reads it from standard input).  Each\n"
"article is written by a worker process; --jobs 1 runs everything in this\n"
"process.\n"
"\n"
"  -j, --jobs N|auto        worker processes (auto: up to %d)\n"
"  -n, --max-articles N     articles to generate at most (ARTICLES_PER_RUN, 10)\n"
"  -o, --content-dir DIR    where articles go (CONTENT_DIR, content/posts)\n"
"      --data-dir DIR       enriched files and the ledger (DATA_DIR, data)\n"
"  -f, --force              regenerate articles whose source is published\n"
"      --dry-run            show the plan; no API call, nothing written\n"
"      --only ID            generate only the item ID (repeatable)\n"
"      --regenerate POST    regenerate the post POST in place from the item\n"
"                           of the input that is its source\n"
"      --draft              mark articles draft: true (DRAFT_MODE)\n"
"      --covers LIST|off    cover sources in order: images, unsplash, draw\n"
"                           (COVER_SOURCES, unsplash,draw)\n"
"      --static-dir DIR     where covers go (STATIC_DIR, the site's static/)\n"
"      --shard K/N          generate only shard K of N of the selection\n",
	    SESSION_AUTO_JOBS_MAX);
	fputs(
"  -c, --config FILE        read settings from FILE (key = value lines)\n"
"      --print-config       show every setting and where it came from\n"
"      --check [--online]   show what a run would use; --online asks the API\n"
"      --report FILE        write a JSON report of the run (-: standard output)\n"
"      --article-timeout S  seconds one article attempt may take (1200)\n"
"      --idle-timeout S     seconds a worker may stay silent (120)\n"
"      --retries N          fresh-worker retries of a crashed article (2)\n"
"      --grace S            on SIGTERM/SIGINT/SIGHUP, seconds to finish (30)\n"
"      --max-duration S     stop the run gracefully after S seconds (0: none)\n"
"      --rpm N, --tpm N     API requests / tokens per minute (0: no limit)\n"
"      --max-cost-run USD   stop starting articles past this spend\n"
"      --max-cost-article USD   fail an article past this spend\n"
"      --wait-lock          wait for another run on the same content dir\n"
"      --api-key-file FILE  read the API key from FILE\n"
"      --pricing FILE       price table (config/pricing.json)\n"
"      --ledger FILE        cost ledger (DATA_DIR/generation_costs.jsonl)\n"
"      --worker PATH        the articlegen-worker binary\n"
"      --spawn MODE         fork-server (default): a loaded worker forks\n"
"                           the others; exec: execute every worker\n"
"      --emit-jobs DIR      write each selected article's job for\n"
"                           articlegen-worker -j, then stop\n"
"      --progress, --no-progress   show the progress line or not (default:\n"
"                           on a terminal whose TERM is not dumb)\n"
"  -v, --verbose            more log lines (twice: debug)\n"
"  -q, --quiet              warnings and errors only\n"
"  -V, --version            print the version\n"
"  -h, --help               this help\n"
"\n"
"Environment: OPENAI_API_KEY, OPENAI_BASE_URL, MODEL_CONTENT, MODEL_TITLE,\n"
"QUALITY_THRESHOLD, SOURCE_COOLDOWN_DAYS, OPENAI_API_TIMEOUT,\n"
"RETRY_MAX_ATTEMPTS, MAX_COST_PER_RUN, ARTICLEGEN_MAX_DURATION,\n"
"GITHUB_RUN_ID and more: see articlegen(1) and docs/CONFIGURATION.md.\n"
"\n"
"Exit status: 0 all selected articles written (or none selected); 1 some\n"
"failed; 64 usage (or --regenerate POST not a post); 65 bad input file,\n"
"no valid item in it (or none is the source of POST); 66 no input file (or\n"
"no POST); 69 API refused the key or quota; 70 workers cannot start;\n"
"73 content directory or ledger not writable; 75 another run holds the\n"
"content directory, or --max-duration reached; 78 configuration (--check:\n"
"a run could not succeed).  Stopped by SIGINT, SIGTERM or SIGHUP, articlegen\n"
"finishes gracefully, prints its summary and ends by that signal.\n",
	    stdout);
	exit(EXIT_OK);
}

void
options_usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("articlegen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try articlegen --help)\n", stderr);
	exit(EXIT_USAGE);
}

static __dead void
version(void)
{
	char	libs[300];

	llm_library_version(libs, sizeof(libs));
	printf("articlegen %s (protocol %d; %s; json-c %s)\n",
	    ARTICLEGEN_VERSION, PROTO_VERSION, libs, json_c_version());
	exit(EXIT_OK);
}

enum long_only {
	OPT_DATA_DIR = 256, OPT_ARTICLE_TIMEOUT, OPT_IDLE_TIMEOUT, OPT_RETRIES,
	OPT_GRACE, OPT_RPM, OPT_TPM, OPT_MAX_COST_RUN, OPT_MAX_COST_ARTICLE,
	OPT_REPORT, OPT_SHARD, OPT_WAIT_LOCK, OPT_DRY_RUN, OPT_PRINT_CONFIG,
	OPT_CHECK, OPT_ONLINE, OPT_API_KEY_FILE, OPT_PRICING, OPT_LEDGER,
	OPT_WORKER, OPT_SPAWN, OPT_EMIT_JOBS, OPT_MAX_DURATION, OPT_ONLY,
	OPT_PROGRESS,
	OPT_NO_PROGRESS, OPT_DRAFT, OPT_REGENERATE, OPT_COVERS, OPT_STATIC_DIR,
};

static const struct option longopts[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-articles", required_argument, NULL, 'n' },
	{ "content-dir", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, 'c' },
	{ "force", no_argument, NULL, 'f' },
	{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
	{ "article-timeout", required_argument, NULL, OPT_ARTICLE_TIMEOUT },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "rpm", required_argument, NULL, OPT_RPM },
	{ "tpm", required_argument, NULL, OPT_TPM },
	{ "max-cost-run", required_argument, NULL, OPT_MAX_COST_RUN },
	{ "max-cost-article", required_argument, NULL, OPT_MAX_COST_ARTICLE },
	{ "max-duration", required_argument, NULL, OPT_MAX_DURATION },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "wait-lock", no_argument, NULL, OPT_WAIT_LOCK },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "online", no_argument, NULL, OPT_ONLINE },
	{ "api-key-file", required_argument, NULL, OPT_API_KEY_FILE },
	{ "pricing", required_argument, NULL, OPT_PRICING },
	{ "ledger", required_argument, NULL, OPT_LEDGER },
	{ "worker", required_argument, NULL, OPT_WORKER },
	{ "spawn", required_argument, NULL, OPT_SPAWN },
	{ "emit-jobs", required_argument, NULL, OPT_EMIT_JOBS },
	{ "draft", no_argument, NULL, OPT_DRAFT },
	{ "covers", required_argument, NULL, OPT_COVERS },
	{ "static-dir", required_argument, NULL, OPT_STATIC_DIR },
	{ "regenerate", required_argument, NULL, OPT_REGENERATE },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Flags that set one setting each. */
static const struct {
	int		 opt;
	enum config_key	 key;
	const char	*flag;
} flagmap[] = {
	{ 'j', CK_JOBS, "--jobs" },
	{ 'n', CK_MAX_ARTICLES, "--max-articles" },
	{ 'o', CK_CONTENT_DIR, "--content-dir" },
	{ OPT_DATA_DIR, CK_DATA_DIR, "--data-dir" },
	{ OPT_ARTICLE_TIMEOUT, CK_ARTICLE_TIMEOUT, "--article-timeout" },
	{ OPT_IDLE_TIMEOUT, CK_IDLE_TIMEOUT, "--idle-timeout" },
	{ OPT_RETRIES, CK_ARTICLE_RETRIES, "--retries" },
	{ OPT_GRACE, CK_GRACE, "--grace" },
	{ OPT_RPM, CK_RATE_RPM, "--rpm" },
	{ OPT_TPM, CK_RATE_TPM, "--tpm" },
	{ OPT_MAX_COST_RUN, CK_MAX_COST_RUN, "--max-cost-run" },
	{ OPT_MAX_COST_ARTICLE, CK_MAX_COST_ARTICLE, "--max-cost-article" },
	{ OPT_REPORT, CK_REPORT_FILE, "--report" },
	{ OPT_SHARD, CK_SHARD, "--shard" },
	{ OPT_PRICING, CK_PRICING_FILE, "--pricing" },
	{ OPT_LEDGER, CK_COST_LEDGER, "--ledger" },
	{ OPT_WORKER, CK_WORKER, "--worker" },
	{ OPT_SPAWN, CK_SPAWN, "--spawn" },
	{ OPT_MAX_DURATION, CK_MAX_DURATION, "--max-duration" },
	{ OPT_COVERS, CK_COVER_SOURCES, "--covers" },
	{ OPT_STATIC_DIR, CK_STATIC_DIR, "--static-dir" },
};

/* The option getopt_long() stopped at, for the usage error. */
static const char *
bad_option(char *argv[], char *buf, size_t len)
{
	const char	*arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) != 0 && optopt > ' ' && optopt < 127) {
		(void)snprintf(buf, len, "-%c", optopt);
		return (buf);
	}
	return (arg);
}

/* Record a flag that sets a setting; 0 when ch is not one. */
static int
setting_flag(struct options *opt, int ch, const char *val)
{
	size_t	i;

	for (i = 0; i < nitems(flagmap); i++)
		if (flagmap[i].opt == ch) {
			opt->o_flag_val[flagmap[i].key] = val;
			opt->o_flag_name[flagmap[i].key] = flagmap[i].flag;
			return (1);
		}
	return (0);
}

void
options_parse(int argc, char *argv[], struct options *opt)
{
	char	buf[8];
	int	ch, dry_run = 0, print_cfg = 0, check = 0;

	memset(opt, 0, sizeof(*opt));
	opt->o_verbose = 1;
	opt->o_progress = -1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":j:n:o:c:fvqVh", longopts,
	    NULL)) != -1) {
		if (setting_flag(opt, ch, optarg))
			continue;
		switch (ch) {
		case 'c':
			opt->o_config_file = optarg;
			break;
		case 'f':
			opt->o_force = 1;
			break;
		case OPT_WAIT_LOCK:
			opt->o_flag_val[CK_LOCK_WAIT] = "true";
			opt->o_flag_name[CK_LOCK_WAIT] = "--wait-lock";
			break;
		case OPT_DRAFT:
			opt->o_flag_val[CK_DRAFT] = "true";
			opt->o_flag_name[CK_DRAFT] = "--draft";
			break;
		case OPT_REGENERATE:
			opt->o_regenerate = optarg;
			break;
		case OPT_DRY_RUN:
			dry_run = 1;
			break;
		case OPT_PRINT_CONFIG:
			print_cfg = 1;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_ONLINE:
			opt->o_online = 1;
			break;
		case OPT_API_KEY_FILE:
			opt->o_keyfile = optarg;
			break;
		case OPT_EMIT_JOBS:
			opt->o_emit_dir = optarg;
			break;
		case OPT_ONLY:
			if (opt->o_nonly == OPTIONS_ONLY_MAX)
				options_usage_error("--only: at most %d items",
				    OPTIONS_ONLY_MAX);
			opt->o_only[opt->o_nonly++] = optarg;
			break;
		case OPT_PROGRESS:
			opt->o_progress = 1;
			break;
		case OPT_NO_PROGRESS:
			opt->o_progress = 0;
			break;
		case 'v':
			opt->o_verbose++;
			break;
		case 'q':
			opt->o_verbose = 0;
			break;
		case 'V':
			version();
		case 'h':
			help();
		case ':':
			options_usage_error("%s needs a value",
			    bad_option(argv, buf, sizeof(buf)));
		default:
			options_usage_error("unknown option %s",
			    bad_option(argv, buf, sizeof(buf)));
		}
	}
	/* a command word first (a file of that name: ./run) */
	if (argc - optind >= 1) {
		static const struct {
			const char	*name;
			enum command	 cmd;
		} words[] = {
			{ "generate", CMD_GENERATE }, { "collect", CMD_COLLECT },
			{ "enrich", CMD_ENRICH }, { "run", CMD_RUN },
		};
		size_t	i;

		for (i = 0; i < nitems(words); i++)
			if (strcmp(argv[optind], words[i].name) == 0) {
				opt->o_command = words[i].cmd;
				optind++;
				break;
			}
	}
	if (argc - optind > 1)
		options_usage_error("one input file at most, not %d (%s, %s, "
		    "...)", argc - optind, argv[optind], argv[optind + 1]);
	if (argc - optind == 1)
		opt->o_input = argv[optind];
	if (opt->o_regenerate != NULL && opt->o_nonly > 0)
		options_usage_error("--regenerate names its article: no --only");
	if (opt->o_input != NULL && (opt->o_command == CMD_COLLECT ||
	    opt->o_command == CMD_RUN))
		options_usage_error("%s takes no input file (%s)",
		    opt->o_command == CMD_RUN ? "run" : "collect",
		    opt->o_input);
	if (opt->o_command != CMD_GENERATE && (dry_run ||
	    opt->o_emit_dir != NULL))
		options_usage_error("--dry-run and --emit-jobs go with "
		    "generate");
	if (opt->o_online && !check)
		options_usage_error("--online goes with --check");
	if (print_cfg)
		opt->o_action = ACTION_PRINT_CONFIG;
	else if (check)
		opt->o_action = ACTION_CHECK;
	else if (opt->o_emit_dir != NULL)
		opt->o_action = ACTION_EMIT_JOBS;
	else if (dry_run)
		opt->o_action = ACTION_DRY_RUN;
}
