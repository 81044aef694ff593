/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check.c: the diagnostics of articlegen --check.  Each line is something
 * it actually tried, not a claim: the worker is started and must answer
 * the handshake, the price table is loaded, the API is asked.  "ok" means
 * a run could succeed; a problem's exit code says which kind it is.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "apikey.h"
#include "check.h"
#include "config.h"
#include "llm.h"
#include "mask.h"
#include "pool.h"
#include "pricing.h"
#include "proto.h"
#include "settings.h"
#include "util.h"
#include "workerenv.h"
#include "xmalloc.h"

struct handshake {
	int	 h_ready;
	int	 h_exited;
	int	 h_status;
	char	 h_version[64];
	char	 h_bad[256];
};

static void
hs_message(void *arg, int slot, struct job *job,
    const struct proto_msg *msg)
{
	struct handshake	*h = arg;
	const char		*v;

	(void)slot;
	(void)job;
	if (msg->m_type == PROTO_READY) {
		h->h_ready = 1;
		v = proto_get_str(msg, "version");
		(void)strlcpy(h->h_version, v != NULL ? v : "?",
		    sizeof(h->h_version));
	}
}

static void
hs_log(void *arg, int slot, pid_t pid, struct job *job, const char *line)
{
	(void)arg;
	(void)job;
	(void)slot;
	(void)pid;
	printf("    worker says: %s\n", line);
}

static void
hs_exit(void *arg, int slot, struct job *job, int status, const char *bad)
{
	struct handshake	*h = arg;

	(void)slot;
	(void)job;
	h->h_exited = 1;
	h->h_status = status;
	if (bad != NULL)
		(void)strlcpy(h->h_bad, bad, sizeof(h->h_bad));
}

/* Start the worker, expect "ready", close its stdin, expect exit. */
static int
try_worker(const char *worker)
{
	static char		*noenv[] = { NULL };
	struct pool_events	 ev;
	struct handshake	 h;
	struct pool		*p;
	char			 errbuf[256];
	int64_t			 end;
	int			 slot, ok;

	memset(&h, 0, sizeof(h));
	ev.pe_arg = &h;
	ev.pe_message = hs_message;
	ev.pe_log = hs_log;
	ev.pe_exit = hs_exit;
	p = pool_new(1, worker, noenv, 0, 0, &ev);
	if ((slot = pool_spawn(p, errbuf, sizeof(errbuf))) == -1) {
		printf("  worker start:  FAILED (%s)\n", errbuf);
		pool_free(p);
		return (0);
	}
	end = monotime_ms() + 5000;
	while (!h.h_ready && !h.h_exited && monotime_ms() < end)
		(void)pool_run_once(p, 100, -1);
	if (h.h_ready)
		pool_close_input(p, slot);
	while (!h.h_exited && monotime_ms() < end)
		(void)pool_run_once(p, 100, -1);
	ok = h.h_ready && strcmp(h.h_version, ARTICLEGEN_VERSION) == 0;
	if (h.h_ready)
		printf("  worker start:  ok (handshake answered, version %s%s)\n",
		    h.h_version, ok ? "" : ": DIFFERENT from articlegen's");
	else
		printf("  worker start:  FAILED (%s)\n", h.h_exited ?
		    pool_describe_status(h.h_status) : "no answer within 5 s");
	pool_free(p);
	return (ok);
}

int
check_run(const struct config *cfg, const char *key_from,
    const char *api_key, int online)
{
	struct pricing		*pr;
	struct llm_client	*c;
	struct llm_config	 lc;
	char			 errbuf[512], libcurl[300], *ppath, *worker;
	char			*shown_url;
	long			 cores = sysconf(_SC_NPROCESSORS_ONLN);
	int			 bad_config = 0, bad_api = 0, bad_worker = 0;
	int			 status, bad_path;

	printf("articlegen %s, protocol version %d\n", ARTICLEGEN_VERSION,
	    PROTO_VERSION);
	llm_library_version(libcurl, sizeof(libcurl));
	printf("  libraries:     %s, json-c %s\n", libcurl, json_c_version());
	printf("  cores:         %ld online\n", cores);
	worker = workerenv_find_worker(config_str(cfg, CK_WORKER), &bad_path);
	if (worker != NULL) {
		printf("  worker:        %s\n", worker);
		if (!try_worker(worker))
			bad_worker = 1;
	} else if (bad_path) {
		printf("  worker:        FAILED (%s: not an executable file)\n",
		    config_str(cfg, CK_WORKER));
		bad_config = 1;
	} else
		printf("  worker:        not found\n");
	if (strcmp(config_str(cfg, CK_JOBS), "1") == 0)
		printf("  a run would:   use single-process mode (--jobs 1)\n");
	else if (worker == NULL)
		printf("  a run would:   use single-process mode "
		    "(articlegen-worker not found)\n");
	else
		printf("  a run would:   use worker processes (--jobs %s, "
		    "--spawn %s)\n", config_str(cfg, CK_JOBS),
		    config_str(cfg, CK_SPAWN));
	free(worker);
	ppath = settings_pricing_path(cfg);
	if ((pr = pricing_load(ppath, errbuf, sizeof(errbuf))) == NULL) {
		printf("  prices:        FAILED (%s)\n", errbuf);
		bad_config = 1;
	} else {
		double	in, out;

		printf("  prices:        %s\n", ppath);
		if (pricing_rates(pr, config_str(cfg, CK_MODEL_CONTENT), &in,
		    &out) == -1)
			printf("                 warning: no price for %s (costs "
			    "will count as 0)\n", config_str(cfg,
			    CK_MODEL_CONTENT));
		if (pricing_rates(pr, config_str(cfg, CK_MODEL_TITLE), &in,
		    &out) == -1)
			printf("                 warning: no price for %s (costs "
			    "will count as 0)\n", config_str(cfg,
			    CK_MODEL_TITLE));
		pricing_free(pr);
	}
	free(ppath);
	shown_url = url_redact_userinfo(config_str(cfg, CK_BASE_URL));
	printf("  API:           %s, models %s / %s\n", shown_url,
	    config_str(cfg, CK_MODEL_CONTENT), config_str(cfg, CK_MODEL_TITLE));
	if (key_from != NULL)
		printf("  API key:       %s\n", key_from);
	else if (apikey_needed(config_str(cfg, CK_BASE_URL))) {
		printf("  API key:       FAILED (not set; %s needs one: "
		    "OPENAI_API_KEY, --api-key-file or the openai_api_key "
		    "credential)\n", shown_url);
		bad_config = 1;
	} else
		printf("  API key:       not set\n");
	free(shown_url);
	if (online && llm_global_init(errbuf, sizeof(errbuf)) == -1) {
		printf("  API answers:   FAILED (%s)\n", errbuf);
		bad_api = 1;
	} else if (online) {
		memset(&lc, 0, sizeof(lc));
		lc.lc_provider = config_str(cfg, CK_PROVIDER);
		lc.lc_base_url = config_str(cfg, CK_BASE_URL);
		lc.lc_api_key = api_key;
		if ((c = llm_client_new(&lc, errbuf, sizeof(errbuf))) == NULL) {
			printf("  API answers:   FAILED (%s)\n", errbuf);
			bad_api = 1;
		} else {
			status = llm_probe(c, errbuf, sizeof(errbuf));
			if (status == -1) {
				printf("  API answers:   FAILED (%s)\n", errbuf);
				bad_api = 1;
			} else {
				printf("  API answers:   HTTP %d from %s%s\n",
				    status, errbuf, status == 200 ? "" :
				    status == 401 || status == 403 ?
				    " (the key is refused)" : "");
				if (status == 401 || status == 403 ||
				    status >= 500)
					bad_api = 1;
			}
			llm_client_free(c);
		}
	}
	printf("\nconfiguration in effect:\n");
	config_print(cfg, stdout);
	if (!bad_config && !bad_api && !bad_worker) {
		printf("\ncheck: ok\n");
		return (EXIT_OK);
	}
	printf("\ncheck: PROBLEMS FOUND (a run would fail)\n");
	return (bad_config ? EXIT_CONFIG : bad_api ? EXIT_UNAVAILABLE :
	    EXIT_SOFTWARE);
}
