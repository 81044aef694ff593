/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * plan.h: which articles a run would generate, and the two ways of
 * showing that plan without generating: --dry-run and --emit-jobs.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdint.h>

#include "select.h"

struct config;
struct item_set;
struct postindex;

struct plan {
	struct postindex	*p_idx;		/* the existing posts */
	struct selection	 p_sel;		/* what to generate, in order */
	int64_t			 p_now;		/* the run's clock */
};

/*
 * Index the content directory and select the candidates of set (with
 * force, regenerating published sources), then keep this shard's.
 * With --only (nonly ids), every other item is rejected as
 * not_requested.  Returns 0, or the exit code after logging why (78: the
 * content directory cannot be indexed; 65: an --only id that no valid
 * item has).  plan_release() either way.
 */
int	plan_build(struct plan *, const struct config *,
	    const struct item_set *set, int force, const char *const *only,
	    size_t nonly, int64_t now);
/*
 * --regenerate POST: index the content directory, find the post (the
 * file itself, however it is named) and the first valid item of set,
 * in file order, whose URL is one of the post's sources, and plan that
 * one article in place of the post, whatever the selection rules and
 * the shard say.  Returns 0, or the exit code after logging why, naming
 * the file: 66 when it does not exist, 64 when it is not a post of the
 * content directory, 65 when no item of set covers it; 78 as
 * plan_build().  plan_release() either way.
 */
int	plan_build_regenerate(struct plan *, const struct config *,
	    const struct item_set *set, const char *post, int64_t now);
void	plan_release(struct plan *);
/* --dry-run: print the plan on stdout. */
void	plan_print(const struct plan *, const struct item_set *set,
	    const char *content_dir);
/*
 * --emit-jobs DIR: write the job message of each planned article to
 * DIR/job-N.json, for articlegen-worker -j.  No API call, nothing written
 * to the content directory.  Returns the exit code (73: DIR unwritable).
 */
int	plan_emit_jobs(const struct plan *, const struct item_set *set,
	    const struct config *, const char *dir);

#endif /* PLAN_H */
