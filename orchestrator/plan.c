/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * plan.c: owns the run's plan: the existing posts, the selection and the
 * shard, built before any worker exists; and its two dry forms, the
 * printed --dry-run plan and the --emit-jobs job files.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "gen.h"
#include "item.h"
#include "keptfm.h"
#include "log.h"
#include "outfile.h"
#include "plan.h"
#include "postindex.h"
#include "proto.h"
#include "route.h"
#include "settings.h"
#include "slug.h"
#include "urlnorm.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

int
plan_build(struct plan *p, const struct config *cfg,
    const struct item_set *set, int force, const char *const *only,
    size_t nonly, int64_t now)
{
	struct select_opts	 so;
	const char		*dir = config_str(cfg, CK_CONTENT_DIR);
	const char		*unknown;
	char			 errbuf[1024];
	unsigned		 shard_k = 1, shard_n = 1;

	memset(p, 0, sizeof(*p));
	p->p_now = now;
	if ((p->p_idx = postindex_build(dir, errbuf, sizeof(errbuf))) ==
	    NULL) {
		log_warnx("%s", errbuf);
		return (EXIT_CONFIG);
	}
	log_info("%s: %zu existing posts indexed", dir,
	    postindex_count(p->p_idx));
	memset(&so, 0, sizeof(so));
	so.so_quality_threshold = config_double(cfg, CK_QUALITY_THRESHOLD);
	so.so_cooldown_days = (int)config_int(cfg, CK_COOLDOWN_DAYS);
	so.so_max_articles = (size_t)config_int(cfg, CK_MAX_ARTICLES);
	so.so_force = force;
	so.so_now = now;
	so.so_same_story_days = (int)config_int(cfg, CK_SAME_STORY_DAYS);
	so.so_only = only;
	so.so_nonly = nonly;
	if ((unknown = select_only_unknown(set, &so)) != NULL) {
		log_warnx("--only %s: no valid item with that id in %s",
		    unknown, set->is_path);
		return (EXIT_DATAERR);
	}
	select_candidates(set, p->p_idx, &so, &p->p_sel);
	if (config_str(cfg, CK_SHARD) != NULL)
		(void)config_parse_shard(config_str(cfg, CK_SHARD), &shard_k,
		    &shard_n);
	if (shard_n > 1) {
		selection_shard(&p->p_sel, set, shard_k, shard_n);
		log_info("shard %u/%u: %zu of the selected articles are this "
		    "shard's", shard_k, shard_n, p->p_sel.sel_npicks);
	}
	return (0);
}

/* The post of idx that is the file st describes, into pi; 1 or 0. */
static int
find_post(const struct postindex *idx, const struct stat *st,
    struct post_info *pi)
{
	struct stat	ps;
	size_t		k;

	for (k = 0; postindex_post(idx, k, pi); k++)
		if (stat(pi->pi_path, &ps) == 0 && ps.st_dev == st->st_dev &&
		    ps.st_ino == st->st_ino)
			return (1);
	return (0);
}

/* The first valid item of set whose URL pi names; set->is_nitems if none. */
static size_t
covering_item(const struct item_set *set, const struct post_info *pi)
{
	char	*norm;
	size_t	 i, k;
	int	 found;

	for (i = 0; i < set->is_nitems; i++) {
		if ((norm = url_normalize(set->is_items[i].it_url)) == NULL)
			continue;
		for (k = 0, found = 0; k < pi->pi_nurls && !found; k++)
			found = strcmp(pi->pi_urls[k], norm) == 0;
		free(norm);
		if (found)
			return (i);
	}
	return (set->is_nitems);
}

int
plan_build_regenerate(struct plan *p, const struct config *cfg,
    const struct item_set *set, const char *post, int64_t now)
{
	struct post_info	 pi;
	struct stat		 st;
	const char		*dir = config_str(cfg, CK_CONTENT_DIR);
	const char		*input = set->is_path != NULL ? set->is_path :
				    "-";
	const struct item	*it;
	char			 errbuf[1024];
	size_t			 i;

	memset(p, 0, sizeof(*p));
	p->p_now = now;
	if (stat(post, &st) == -1) {
		log_warn("--regenerate %s", post);
		return (EXIT_NOINPUT);
	}
	if ((p->p_idx = postindex_build(dir, errbuf, sizeof(errbuf))) ==
	    NULL) {
		log_warnx("%s", errbuf);
		return (EXIT_CONFIG);
	}
	if (!find_post(p->p_idx, &st, &pi)) {
		log_warnx("--regenerate %s: not a post of the content directory "
		    "%s (outside it, or without readable front matter)", post,
		    dir);
		return (EXIT_USAGE);
	}
	if ((i = covering_item(set, &pi)) == set->is_nitems) {
		if (pi.pi_nurls == 0)
			log_warnx("--regenerate %s: the post names no source "
			    "URL, so no item of %s can cover it", post, input);
		else
			log_warnx("--regenerate %s: no valid item of %s has "
			    "the post's source URL %s", post, input,
			    pi.pi_urls[0]);
		return (EXIT_DATAERR);
	}
	it = &set->is_items[i];
	log_info("--regenerate %s: items[%zu] (id %s) is its source %s", post,
	    it->it_index, it->it_id, it->it_url);
	select_one(set, i, pi.pi_path, &p->p_sel);
	return (0);
}

void
plan_release(struct plan *p)
{
	if (p->p_idx != NULL)
		selection_release(&p->p_sel);
	postindex_free(p->p_idx);
	memset(p, 0, sizeof(*p));
}

void
plan_print(const struct plan *p, const struct item_set *set,
    const char *content_dir)
{
	const struct selection	*sel = &p->p_sel;
	char			 date[16], *slug;
	size_t			 i;

	format_utc_date(date, sizeof(date), p->p_now);
	printf("Dry run: %zu article%s would be generated into %s "
	    "(no API call, nothing written)\n", sel->sel_npicks,
	    sel->sel_npicks == 1 ? "" : "s", content_dir);
	for (i = 0; i < sel->sel_npicks; i++) {
		const struct select_pick *pk = &sel->sel_picks[i];
		const struct item *it = &set->is_items[pk->sp_item];

		slug = slug_from_title(it->it_title);
		printf("  %-9s items[%zu] %s (quality %.2f): %s\n",
		    pk->sp_replace != NULL ? "[REPLACE]" : "[NEW]",
		    it->it_index, it->it_id, it->it_quality,
		    route_name(route_pick(it)));
		if (pk->sp_replace != NULL)
			printf("            file: %s (replaced in place)\n",
			    pk->sp_replace);
		else
			printf("            file: %s/%s-<slug of the generated "
			    "title>.md (from the source title: %s-%s.md)\n",
			    content_dir, date, date, slug);
		free(slug);
	}
	printf("Rejected:");
	if (sel->sel_nrejects == 0)
		printf(" none");
	for (i = 0; i < sel->sel_nrejects; i++)
		printf("%s %s: %zu", i ? "," : "", sel->sel_rejects[i].sr_reason,
		    sel->sel_rejects[i].sr_count);
	printf("\n");
	for (i = 0; i < sel->sel_nitems; i++)
		if (sel->sel_item_note[i] != NULL)
			printf("  items[%zu] %s: %s\n",
			    set->is_items[i].it_index, set->is_items[i].it_id,
			    sel->sel_item_note[i]);
	if (sel->sel_nsharded > 0)
		printf("Left to other shards: %zu\n", sel->sel_nsharded);
}

int
plan_emit_jobs(const struct plan *p, const struct item_set *set,
    const struct config *cfg, const char *dir)
{
	const struct selection	*sel = &p->p_sel;
	struct gen_settings	 gs;
	struct wire_api		 wa;
	char			*path, *line, *pricing_path, *kept;
	size_t			 i, len;
	int			 rc = EXIT_OK;
	char			 errbuf[1024];
	mode_t			 mask;

	/*
	 * Owner only: a job names the API address, which may carry a user
	 * and password ("https://user:pw@proxy/v1") the worker needs.
	 */
	mask = umask(077);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("%s", dir);
		(void)umask(mask);
		return (EXIT_CANTCREAT);
	}
	pricing_path = settings_pricing_path(cfg);
	memset(&gs, 0, sizeof(gs));
	gs.gs_model_content = config_str(cfg, CK_MODEL_CONTENT);
	gs.gs_model_title = config_str(cfg, CK_MODEL_TITLE);
	gs.gs_content_dir = config_str(cfg, CK_CONTENT_DIR);
	gs.gs_run_id = config_str(cfg, CK_RUN_ID);
	gs.gs_now = p->p_now;
	gs.gs_max_cost = config_double(cfg, CK_MAX_COST_ARTICLE);
	gs.gs_diagrams_max = (int)config_int(cfg, CK_DIAGRAMS_MAX);
	gs.gs_diagram_budget = config_double(cfg, CK_DIAGRAM_BUDGET);
	gs.gs_model_diagram = config_str(cfg, CK_MODEL_DIAGRAM);
	gs.gs_draft = config_bool(cfg, CK_DRAFT);
	gs.gs_cover_sources = config_str(cfg, CK_COVER_SOURCES);
	gs.gs_static_dir = config_str(cfg, CK_STATIC_DIR);
	gs.gs_model_image = config_str(cfg, CK_MODEL_IMAGE);
	gs.gs_image_size = config_str(cfg, CK_IMAGE_SIZE);
	gs.gs_image_quality = config_str(cfg, CK_IMAGE_QUALITY);
	gs.gs_unsplash_url = config_str(cfg, CK_UNSPLASH_URL);
	memset(&wa, 0, sizeof(wa));
	wa.wa_base_url = config_str(cfg, CK_BASE_URL);
	wa.wa_provider = config_str(cfg, CK_PROVIDER);
	wa.wa_timeout_s = (int)config_int(cfg, CK_API_TIMEOUT);
	wa.wa_retries = (int)config_int(cfg, CK_API_RETRIES);
	wa.wa_pricing_path = pricing_path;
	for (i = 0; i < sel->sel_npicks && rc == EXIT_OK; i++) {
		gs.gs_replace_path = sel->sel_picks[i].sp_replace;
		kept = gs.gs_replace_path != NULL ?
		    keptfm_for_replace(gs.gs_replace_path) : NULL;
		gs.gs_kept_fm = kept;
		line = proto_encode(wire_article_job_new((long long)i + 1,
		    &set->is_items[sel->sel_picks[i].sp_item], &gs, &wa), &len);
		free(kept);
		if (line == NULL) {
			log_warnx("job %zu does not fit in a protocol line", i + 1);
			continue;
		}
		xasprintf(&path, "%s/job-%zu.json", dir, i + 1);
		if (outfile_write(path, line, len, errbuf, sizeof(errbuf)) ==
		    -1) {
			log_warnx("%s", errbuf);
			rc = EXIT_CANTCREAT;
		}
		free(path);
		free(line);
	}
	if (rc == EXIT_OK)
		printf("%zu job files written to %s\n", sel->sel_npicks, dir);
	free(pricing_path);
	(void)umask(mask);
	return (rc);
}
