/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * select.h: candidate selection (original-pipeline.md §2): the rejection
 * rules in order, the quality sort, diversity and the article cap.  Runs
 * once in articlegen before any worker starts.
 */
#ifndef SELECT_H
#define SELECT_H

#include <stddef.h>
#include <stdint.h>

struct item_set;
struct postindex;

struct select_opts {
	double		so_quality_threshold;	/* QUALITY_THRESHOLD, 0.5 */
	int		so_cooldown_days;	/* SOURCE_COOLDOWN_DAYS, 7 */
	size_t		so_max_articles;	/* --max-articles, 10 */
	int		so_force;		/* --force: regenerate existing */
	int64_t		so_now;			/* epoch seconds */
	int		so_same_story_days;	/* SAME_STORY_DAYS, 14; 0: off */
	const char *const *so_only;		/* --only ids, borrowed */
	size_t		so_nonly;		/* 0: every item */
};

struct select_pick {
	size_t		 sp_item;	/* index into item_set.is_items */
	char		*sp_replace;	/* --force: existing post to replace, or NULL */
};

struct select_reject {
	char		*sr_reason;	/* "low_quality", "no_topics_identified", ... */
	size_t		 sr_count;
};

struct selection {
	struct select_pick	*sel_picks;	/* in generation order */
	size_t			 sel_npicks;
	size_t			 sel_ncandidates; /* passed every rule, before the cap */
	struct select_reject	*sel_rejects;	/* in order of first occurrence */
	size_t			 sel_nrejects;
	/* per valid item (is_nitems): why it was not picked, or NULL */
	char			**sel_item_reason;
	/*
	 * per valid item: the existing post behind its rejection (already
	 * published, in cooldown, same target, same story), or NULL; and a
	 * sentence naming the post or item it matched for the dry-run plan
	 * ("already published in content/posts/x.md", "same story as
	 * items[3] hn_1 (similarity 0.82)"), or NULL
	 */
	char			**sel_item_post;
	char			**sel_item_note;
	size_t			 sel_nitems;
	size_t			 sel_nsharded;	/* picks moved to other shards */
};

/*
 * Apply the rules to every item of set, in file order; each rejection is
 * logged at info level with the item's index, id and the full reason
 * ("low_quality (AI: 0.31 < 0.50, heur: 0.20)"), and counted under its
 * short reason.  With --only, an item not named is "not_requested".
 * Within a run an existing post is replaced by one article at most: a
 * later candidate (in quality order) targeting the same post is rejected
 * as "same_target", naming the post and the item keeping it.  One story
 * gives one article: a candidate telling the same story (samestory.h) as
 * a post of the last so_same_story_days days or as a candidate before it
 * in quality order is rejected as "same_story", naming the post or the
 * item.  Never fails; the selection is owned by the caller:
 * selection_release().
 */
void	 select_candidates(const struct item_set *set,
	    const struct postindex *idx, const struct select_opts *opts,
	    struct selection *sel);
void	 selection_release(struct selection *);

/*
 * --regenerate: a selection of item alone (an index into is_items),
 * replacing the post replace (copied), with no rule applied; every other
 * item is "not_requested".  Owned by the caller: selection_release().
 */
void	 select_one(const struct item_set *set, size_t item,
	    const char *replace, struct selection *sel);

/*
 * The first of the --only ids (so_only) that no valid item of set has,
 * borrowed; NULL when every one names an item.  articlegen refuses to run
 * on such an id (exit 65, EX_DATAERR): the input is not the one meant.
 */
const char *select_only_unknown(const struct item_set *set,
	    const struct select_opts *opts);

/*
 * Keep only the picks of shard k of n (1-based): those whose item id
 * hashes (FNV-1a, 64 bit) to k - 1 modulo n.  The others get the reason
 * "other_shard".  Deterministic, so n runs with k = 1..n generate
 * disjoint sets whose union is the unsharded selection.
 */
void	 selection_shard(struct selection *, const struct item_set *,
	    unsigned k, unsigned n);
uint64_t select_shard_hash(const char *id);

#endif /* SELECT_H */
