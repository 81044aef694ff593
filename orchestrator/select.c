/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * select.c: which of the enriched items become articles this run
 * (original-pipeline.md §2).  Every item goes through the rejection rules
 * in order and the first rule it fails names the reason, which is logged
 * and counted; the survivors are sorted by quality, at most one list item
 * is moved to the front for variety, and the result is cut to the article
 * cap.  With --force, an existing post is the target of one article at
 * most ("same_target").  One story gives one article ("same_story"):
 * after the sort, the candidates are taken in quality order (equal
 * qualities in file order) and each is compared (samestory.c) with the
 * posts dated in the last SAME_STORY_DAYS days, then with the candidates
 * before it that were kept; the first match rejects it, so of two
 * candidates telling one story the later in that order goes, whatever
 * their collection times.  --force leaves the posts out of it (they may
 * be replaced) but not the candidates.  A rejection tied to an existing
 * post keeps that post's path, and every rejection naming a post or an
 * item has a note, so that the dry-run plan can name it.  With --only,
 * the items not named are "not_requested" before any rule.  Everything
 * here runs in articlegen before any worker starts.
 *
 * Two of the original's rules are deliberately different (§9 items 4 and
 * 11): an item's own URL counts as a usable source, and list items skip
 * the text rules but not the "already published" and cooldown rules.
 * The original's adaptive recent-content cache and its learned duplicate
 * patterns (§2 rules 9 and 10) are not done; its story clustering is
 * replaced by same_story, which keeps the best candidate of a story
 * rather than reordering the candidates by cluster size.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "item.h"
#include "log.h"
#include "postindex.h"
#include "route.h"
#include "samestory.h"
#include "select.h"
#include "urlnorm.h"
#include "utf8.h"
#include "util.h"
#include "xmalloc.h"

/* Content shorter than this (in characters) needs a link or an acronym. */
#define SELECT_SHORT_CHARS	200

/* A candidate: an item that passed every rule. */
struct cand {
	size_t	 c_item;	/* index into is_items */
	char	*c_replace;	/* --force: the post to replace, owned */
	int	 c_integrative;
	double	 c_quality;
};

/*
 * Whether c counts as a word character for the original's \b (Python's
 * Unicode \w: letters, digits, numerals and '_').  Without Unicode tables
 * this is an approximation: ASCII and Latin-1 are exact; beyond them the
 * punctuation, symbol, arrow, box-drawing, emoji and combining-mark blocks
 * are not word characters and everything else is.
 */
static int
is_word_char(uint32_t c)
{
	if (c < 0x80)
		return (isalnum((int)c) || c == '_');
	if (c < 0x100)
		return (!(c <= 0xa9 || (c >= 0xab && c <= 0xb1) || c == 0xb4 ||
		    (c >= 0xb6 && c <= 0xb8) || c == 0xbb || c == 0xbf ||
		    c == 0xd7 || c == 0xf7));
	if ((c >= 0x0300 && c <= 0x036f) ||	/* combining marks */
	    (c >= 0x2000 && c <= 0x206f) ||	/* general punctuation */
	    (c >= 0x20a0 && c <= 0x20ff) ||	/* currency, combining */
	    (c >= 0x2190 && c <= 0x245f) ||	/* arrows .. technical */
	    (c >= 0x2500 && c <= 0x2bff) ||	/* box drawing .. symbols */
	    (c >= 0x3000 && c <= 0x3004) ||	/* CJK punctuation */
	    (c >= 0x3008 && c <= 0x3020) ||
	    (c >= 0xfe00 && c <= 0xfe0f) ||	/* variation selectors */
	    (c >= 0xfe30 && c <= 0xfe4f) ||
	    (c >= 0xff00 && c <= 0xff0f) ||	/* fullwidth punctuation */
	    (c >= 0xff1a && c <= 0xff20) ||
	    (c >= 0xff3b && c <= 0xff40) ||
	    (c >= 0xff5b && c <= 0xff65) ||
	    (c >= 0x1f000 && c <= 0x1faff) ||	/* emoji and pictographs */
	    (c >= 0xe0000 && c <= 0xe007f))	/* tags */
		return (0);
	return (1);
}

/* Whether there is a word boundary (\b) at byte offset i of s. */
static int
word_boundary(const char *s, size_t len, size_t i)
{
	size_t		 j;
	uint32_t	 c;
	int		 before = 0, after = 0;

	if (i > 0) {
		j = utf8_prev(s, i);
		(void)utf8_decode(s + j, len - j, &c);
		before = is_word_char(c);
	}
	if (i < len) {
		(void)utf8_decode(s + i, len - i, &c);
		after = is_word_char(c);
	}
	return (before != after);
}

static int
is_acronym_char(char c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
}

/*
 * 1 when s has a match of the original's \b[A-Z0-9-]{2,10}\b: a run of 2
 * to 10 upper-case letters, digits or hyphens with a word boundary at both
 * ends.  Hyphens are not word characters, so a boundary may fall inside a
 * longer run; every start and length is tried, as a regex search would.
 */
static int
has_acronym(const char *s)
{
	size_t	len, i, n;

	len = strlen(s);
	for (i = 0; i < len; i++) {
		if (!is_acronym_char(s[i]) || !word_boundary(s, len, i))
			continue;
		for (n = 1; n <= 10 && i + n <= len &&
		    is_acronym_char(s[i + n - 1]); n++)
			if (n >= 2 && word_boundary(s, len, i + n))
				return (1);
	}
	return (0);
}

static int
contains_ci(const char *s, const char *needle)
{
	size_t	n;

	n = strlen(needle);
	for (; *s != '\0'; s++)
		if (strncasecmp(s, needle, n) == 0)
			return (1);
	return (0);
}

/* Rule 6: the summary is blank or says research was unavailable. */
static int
research_missing(const char *s)
{
	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	return (*s == '\0' ||
	    strncasecmp(s, "research unavailable", 20) == 0);
}

static void
count_reject(struct selection *sel, const char *reason)
{
	size_t	k;

	for (k = 0; k < sel->sel_nrejects; k++)
		if (strcmp(sel->sel_rejects[k].sr_reason, reason) == 0) {
			sel->sel_rejects[k].sr_count++;
			return;
		}
	sel->sel_rejects = xreallocarray(sel->sel_rejects,
	    sel->sel_nrejects + 1, sizeof(*sel->sel_rejects));
	sel->sel_rejects[k].sr_reason = xstrdup(reason);
	sel->sel_rejects[k].sr_count = 1;
	sel->sel_nrejects++;
}

/*
 * Rules 1-8 for one item.  Returns NULL when it passes, with *replace set
 * (owned) when --force lets it replace an existing post; else the short
 * reason (static) with *detail (owned) the full one for the log, and
 * *post (owned) the existing post behind a rule 7 or 8 rejection.
 */
static const char *
check_item(const struct item *it, const char *norm,
    const struct postindex *idx, const struct select_opts *opts,
    int integrative, char **detail, char **replace, char **post)
{
	struct post_match	 m;
	size_t			 n;

	*detail = NULL;
	*replace = NULL;
	*post = NULL;
	if (it->it_quality < opts->so_quality_threshold) {
		xasprintf(detail, "low_quality (AI: %.2f < %.2f, heur: %.2f)",
		    it->it_quality, opts->so_quality_threshold,
		    it->it_heuristic);
		return ("low_quality");
	}
	if (integrative) {
		/* List items need topics and skip the text rules 3-6. */
		if (it->it_ntopics == 0)
			return ("list_format_but_no_topics");
	} else {
		n = utf8_len(it->it_content);
		if (n < SELECT_SHORT_CHARS &&
		    !contains_ci(it->it_content, "http") &&
		    !has_acronym(it->it_content)) {
			xasprintf(detail, "too_short (%zu chars, no "
			    "links/acronyms)", n);
			return ("too_short");
		}
		if (it->it_ntopics == 0)
			return ("no_topics_identified");
		if (it->it_nrelated == 0 &&
		    strstr(it->it_content, "http") == NULL &&
		    !url_is_http(it->it_url))
			return ("no_usable_source_urls");
		if (research_missing(it->it_research_summary))
			return ("research_unavailable");
	}
	if (norm != NULL && postindex_find(idx, norm, &m)) {
		if (!opts->so_force) {
			xasprintf(detail, "source_already_published (%s)",
			    m.pm_path);
			*post = xstrdup(m.pm_path);
			return ("source_already_published");
		}
		*replace = xstrdup(m.pm_path);
	}
	/*
	 * Rule 8 names a subset of what rule 7 finds, and --force skips
	 * both; it stays so that the reason exists should rule 7 change.
	 */
	if (norm != NULL && opts->so_cooldown_days > 0 && !opts->so_force &&
	    postindex_recent(idx, norm, opts->so_now -
	    (int64_t)opts->so_cooldown_days * 86400, &m)) {
		xasprintf(detail, "source_in_cooldown (%dd, %s)",
		    opts->so_cooldown_days, m.pm_path);
		*post = xstrdup(m.pm_path);
		return ("source_in_cooldown");
	}
	return (NULL);
}

/*
 * A set of strings already taken by a candidate (normalised URLs for the
 * in-batch duplicate check, existing posts for the one-article-per-post
 * rule), each with the item that took it: open addressing over borrowed
 * strings.
 */
struct urlset {
	const char	**us_slot;
	size_t		 *us_owner;	/* index into is_items */
	size_t		  us_size;	/* a power of two */
};

static void
urlset_init(struct urlset *us, size_t n)
{
	for (us->us_size = 16; us->us_size < n * 2; us->us_size *= 2)
		;
	us->us_slot = xcalloc(us->us_size, sizeof(*us->us_slot));
	us->us_owner = xcalloc(us->us_size, sizeof(*us->us_owner));
}

static void
urlset_release(struct urlset *us)
{
	free(us->us_slot);
	free(us->us_owner);
}

/*
 * Add s (borrowed) for item owner unless present; 1 when it was already
 * there, with *first the item that took it.
 */
static int
urlset_add(struct urlset *us, const char *s, size_t owner, size_t *first)
{
	size_t	j, mask = us->us_size - 1;

	for (j = hash_fnv1a(s) & mask; us->us_slot[j] != NULL;
	    j = (j + 1) & mask)
		if (strcmp(us->us_slot[j], s) == 0) {
			*first = us->us_owner[j];
			return (1);
		}
	us->us_slot[j] = s;
	us->us_owner[j] = owner;
	return (0);
}

/*
 * Record why item i was rejected: logged (at debug level when it was not
 * asked for with --only: those are most of the file), counted and kept
 * per item.
 */
static void
reject(struct selection *sel, const struct item_set *set, size_t i,
    const char *reason, char *detail, char *post, char *note)
{
	const struct item	*it = &set->is_items[i];

	if (strcmp(reason, "not_requested") == 0)
		log_debug("%s: items[%zu] (id %s): not requested",
		    set->is_path != NULL ? set->is_path : "-", it->it_index,
		    it->it_id);
	else
		log_info("%s: items[%zu] (id %s): rejected: %s",
		    set->is_path != NULL ? set->is_path : "-", it->it_index,
		    it->it_id, detail != NULL ? detail : reason);
	count_reject(sel, reason);
	sel->sel_item_reason[i] = detail != NULL ? detail : xstrdup(reason);
	sel->sel_item_post[i] = post;
	sel->sel_item_note[i] = note;
}

/*
 * Within a run an existing post is the target of one article at most:
 * of the candidates that would replace the same post (--force, items
 * whose sources name it), the first in quality order keeps it and the
 * others are rejected as "same_target".  Returns the new number of
 * candidates.
 */
static size_t
drop_same_target(struct selection *sel, const struct item_set *set,
    struct cand *cands, size_t n)
{
	const struct item	*first;
	struct urlset		 us;
	char			*detail, *note;
	size_t			 k, j, owner;

	urlset_init(&us, n);
	for (k = j = 0; k < n; k++) {
		if (cands[k].c_replace == NULL || !urlset_add(&us,
		    cands[k].c_replace, cands[k].c_item, &owner)) {
			cands[j++] = cands[k];
			continue;
		}
		first = &set->is_items[owner];
		xasprintf(&detail, "same_target (%s, replaced by items[%zu] "
		    "id %s)", cands[k].c_replace, first->it_index,
		    first->it_id);
		xasprintf(&note, "%s is already the target of items[%zu] %s",
		    cands[k].c_replace, first->it_index, first->it_id);
		reject(sel, set, cands[k].c_item, "same_target", detail,
		    cands[k].c_replace, note);
	}
	urlset_release(&us);
	return (j);
}

/*
 * One story, one article: each candidate, in selection order, is
 * compared with the recent posts (unless --force) and with the
 * candidates kept before it; on a match it is rejected as "same_story"
 * naming what it matched.  Returns the new number of candidates.
 */
static size_t
drop_same_story(struct selection *sel, const struct item_set *set,
    const struct postindex *idx, const struct select_opts *opts,
    struct cand *cands, size_t n)
{
	struct story_index	*si;
	struct story		*s;
	struct post_info	 pi;
	const struct item	*first;
	const char		**post_path = NULL;
	size_t			*owner, k, j, npost = 0, m;
	int64_t			 since;
	double			 score;
	char			*detail, *note;

	if (opts->so_same_story_days <= 0 || n == 0)
		return (n);
	si = story_index_new();
	since = opts->so_now - (int64_t)opts->so_same_story_days * 86400;
	for (k = 0; !opts->so_force && k < postindex_count(idx); k++) {
		if (!postindex_post(idx, k, &pi) || pi.pi_date == 0 ||
		    pi.pi_date < since)
			continue;
		post_path = xreallocarray(post_path, npost + 1,
		    sizeof(*post_path));
		post_path[npost++] = pi.pi_path;
		(void)story_index_add(si, story_of_post(&pi));
	}
	owner = xreallocarray(NULL, n, sizeof(*owner));
	for (k = j = 0; k < n; k++) {
		s = story_of_item(&set->is_items[cands[k].c_item]);
		if (!story_index_match(si, s, &m, &score)) {
			owner[story_index_add(si, s) - npost] =
			    cands[k].c_item;
			cands[j++] = cands[k];
			continue;
		}
		story_free(s);
		free(cands[k].c_replace);
		if (m < npost) {
			xasprintf(&detail, "same_story (%.2f, %s)", score,
			    post_path[m]);
			xasprintf(&note, "same story as %s (similarity "
			    "%.2f)", post_path[m], score);
			reject(sel, set, cands[k].c_item, "same_story", detail,
			    xstrdup(post_path[m]), note);
			continue;
		}
		first = &set->is_items[owner[m - npost]];
		xasprintf(&detail, "same_story (%.2f, items[%zu] id %s)",
		    score, first->it_index, first->it_id);
		xasprintf(&note, "same story as items[%zu] %s (similarity "
		    "%.2f)", first->it_index, first->it_id, score);
		reject(sel, set, cands[k].c_item, "same_story", detail, NULL,
		    note);
	}
	free(owner);
	free(post_path);
	story_index_free(si);
	return (j);
}

/* 1 when id is one of the --only ids (or there are none). */
static int
is_requested(const struct select_opts *opts, const char *id)
{
	size_t	k;

	if (opts->so_nonly == 0)
		return (1);
	for (k = 0; k < opts->so_nonly; k++)
		if (strcmp(opts->so_only[k], id) == 0)
			return (1);
	return (0);
}

const char *
select_only_unknown(const struct item_set *set,
    const struct select_opts *opts)
{
	size_t	k, i;

	for (k = 0; k < opts->so_nonly; k++) {
		for (i = 0; i < set->is_nitems; i++)
			if (strcmp(set->is_items[i].it_id,
			    opts->so_only[k]) == 0)
				break;
		if (i == set->is_nitems)
			return (opts->so_only[k]);
	}
	return (NULL);
}

/* Quality descending; equal qualities keep file order (a stable sort). */
static int
cmp_cand(const void *a, const void *b)
{
	const struct cand	*x = a, *y = b;

	if (x->c_quality != y->c_quality)
		return (x->c_quality > y->c_quality ? -1 : 1);
	return (x->c_item < y->c_item ? -1 : x->c_item > y->c_item);
}

void
select_candidates(const struct item_set *set, const struct postindex *idx,
    const struct select_opts *opts, struct selection *sel)
{
	const struct item	*it;
	const char		*reason, *key;
	struct cand		*cands = NULL, first;
	struct urlset		 us;
	char			**norms = NULL, *detail, *replace, *post, *note;
	size_t			 i, k, n = 0, npick, owner;
	int			 integ;

	memset(sel, 0, sizeof(*sel));
	if (set->is_nitems == 0)
		return;
	sel->sel_item_reason = xcalloc(set->is_nitems, sizeof(char *));
	sel->sel_item_post = xcalloc(set->is_nitems, sizeof(char *));
	sel->sel_item_note = xcalloc(set->is_nitems, sizeof(char *));
	sel->sel_nitems = set->is_nitems;
	cands = xreallocarray(NULL, set->is_nitems, sizeof(*cands));
	norms = xcalloc(set->is_nitems, sizeof(*norms));
	urlset_init(&us, set->is_nitems);

	for (i = 0; i < set->is_nitems; i++) {
		it = &set->is_items[i];
		norms[i] = url_normalize(it->it_url);
		key = norms[i] != NULL ? norms[i] : it->it_url;
		integ = route_is_integrative(it);
		if (!is_requested(opts, it->it_id)) {
			reject(sel, set, i, "not_requested", NULL, NULL, NULL);
			continue;
		}
		reason = check_item(it, norms[i], idx, opts, integ, &detail,
		    &replace, &post);
		if (reason == NULL && urlset_add(&us, key, i, &owner)) {
			reason = "duplicate_in_batch";
			free(replace);
			replace = NULL;
		}
		if (reason != NULL) {
			note = NULL;
			if (post != NULL)
				xasprintf(&note, "%s %s", strcmp(reason,
				    "source_in_cooldown") == 0 ?
				    "in cooldown: source named by" :
				    "already published in", post);
			reject(sel, set, i, reason, detail, post, note);
			continue;
		}
		cands[n].c_item = i;
		cands[n].c_replace = replace;
		cands[n].c_integrative = integ;
		cands[n].c_quality = it->it_quality;
		n++;
	}
	if (n > 1)
		qsort(cands, n, sizeof(*cands), cmp_cand);
	n = drop_same_target(sel, set, cands, n);
	n = drop_same_story(sel, set, idx, opts, cands, n);
	sel->sel_ncandidates = n;
	/* Diversity: the best list item goes first, the rest keep order. */
	for (k = 0; k < n && !cands[k].c_integrative; k++)
		;
	if (k > 0 && k < n) {
		first = cands[k];
		memmove(&cands[1], &cands[0], k * sizeof(*cands));
		cands[0] = first;
	}

	npick = n < opts->so_max_articles ? n : opts->so_max_articles;
	if (npick > 0)
		sel->sel_picks = xreallocarray(NULL, npick,
		    sizeof(*sel->sel_picks));
	for (k = 0; k < n; k++) {
		if (k < npick) {
			sel->sel_picks[k].sp_item = cands[k].c_item;
			sel->sel_picks[k].sp_replace = cands[k].c_replace;
			continue;
		}
		it = &set->is_items[cands[k].c_item];
		sel->sel_item_reason[cands[k].c_item] = xstrdup("over_max_articles");
		log_debug("%s: items[%zu] (id %s): not picked: over the cap "
		    "of %zu articles", set->is_path != NULL ? set->is_path :
		    "-", it->it_index, it->it_id, opts->so_max_articles);
		free(cands[k].c_replace);
	}
	sel->sel_npicks = npick;

	for (i = 0; i < set->is_nitems; i++)
		free(norms[i]);
	free(norms);
	urlset_release(&us);
	free(cands);
}

void
select_one(const struct item_set *set, size_t item, const char *replace,
    struct selection *sel)
{
	size_t	i;

	memset(sel, 0, sizeof(*sel));
	sel->sel_item_reason = xcalloc(set->is_nitems, sizeof(char *));
	sel->sel_item_post = xcalloc(set->is_nitems, sizeof(char *));
	sel->sel_item_note = xcalloc(set->is_nitems, sizeof(char *));
	sel->sel_nitems = set->is_nitems;
	for (i = 0; i < set->is_nitems; i++)
		if (i != item)
			reject(sel, set, i, "not_requested", NULL, NULL, NULL);
	sel->sel_picks = xcalloc(1, sizeof(*sel->sel_picks));
	sel->sel_picks[0].sp_item = item;
	sel->sel_picks[0].sp_replace = xstrdup(replace);
	sel->sel_npicks = 1;
	sel->sel_ncandidates = 1;
}

void
selection_release(struct selection *sel)
{
	size_t	k;

	if (sel == NULL)
		return;
	for (k = 0; k < sel->sel_npicks; k++)
		free(sel->sel_picks[k].sp_replace);
	free(sel->sel_picks);
	for (k = 0; k < sel->sel_nrejects; k++)
		free(sel->sel_rejects[k].sr_reason);
	free(sel->sel_rejects);
	for (k = 0; k < sel->sel_nitems; k++) {
		free(sel->sel_item_reason[k]);
		free(sel->sel_item_post[k]);
		free(sel->sel_item_note[k]);
	}
	free(sel->sel_item_reason);
	free(sel->sel_item_post);
	free(sel->sel_item_note);
	memset(sel, 0, sizeof(*sel));
}

uint64_t
select_shard_hash(const char *id)
{
	return (hash_fnv1a(id));
}

void
selection_shard(struct selection *sel, const struct item_set *set,
    unsigned k, unsigned n)
{
	size_t	i, j = 0;

	if (n <= 1)
		return;
	for (i = 0; i < sel->sel_npicks; i++) {
		struct select_pick	*p = &sel->sel_picks[i];
		const struct item	*it = &set->is_items[p->sp_item];

		if (select_shard_hash(it->it_id) % n == k - 1) {
			sel->sel_picks[j++] = *p;
			continue;
		}
		free(p->sp_replace);
		free(sel->sel_item_reason[p->sp_item]);
		sel->sel_item_reason[p->sp_item] = xstrdup("other_shard");
		sel->sel_nsharded++;
	}
	sel->sel_npicks = j;
}
