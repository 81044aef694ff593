/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * gen.h: the deterministic text llm-standin puts in its completions: a
 * short title for title prompts and a markdown article for content
 * prompts.  The same prompt always gives the same text.
 */
#ifndef GEN_H
#define GEN_H

#include <stddef.h>
#include <stdint.h>

uint64_t gen_fnv1a(const char *, size_t);
size_t	 gen_utf8_chars(const char *, size_t);
int	 gen_is_title_request(const char *);
char	*gen_title(const char *);
char	*gen_article(const char *);

#endif /* GEN_H */
