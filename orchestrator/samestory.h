/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * samestory.h: whether two stories (candidate items, existing posts) are
 * the same story told by different sources under different URLs: the
 * same_story selection rule.  A story is described by its normalised
 * title words, its named entities, its linked URLs and its topics; two
 * stories are compared with a score in [0, 1] and are the same story at
 * STORY_THRESHOLD or above (samestory.c explains the score).
 */
#ifndef SAMESTORY_H
#define SAMESTORY_H

#include <stddef.h>

struct item;
struct post_info;
struct story;
struct story_index;

#define STORY_THRESHOLD	0.65

/* The features of an item: its title, content, URLs, research, topics. */
struct story	*story_of_item(const struct item *);
/* The features of an existing post: its title, tags and source URLs. */
struct story	*story_of_post(const struct post_info *);
void		 story_free(struct story *);

/* The similarity of two stories, in [0, 1]. */
double		 story_similarity(const struct story *, const struct story *);

/*
 * An index of stories, each numbered in the order it was added, that
 * finds the most similar one to a new story without comparing it with
 * every story: stories sharing nothing with it are never looked at.
 */
struct story_index *story_index_new(void);
void		 story_index_free(struct story_index *);
/* Add s (ownership taken); returns its number. */
size_t		 story_index_add(struct story_index *, struct story *s);
/*
 * The number of the story most similar to s with a similarity of at
 * least STORY_THRESHOLD (on a tie the first added), with the similarity
 * in *scorep: 1; or 0 when there is none.
 */
int		 story_index_match(const struct story_index *,
		    const struct story *s, size_t *match, double *scorep);

#endif /* SAMESTORY_H */
