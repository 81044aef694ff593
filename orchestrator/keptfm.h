/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * keptfm.h: the front matter keys of a post that articlegen does not
 * write (cover, images, a theme's own keys...), which survive when the
 * post is replaced (--force, --regenerate).  articlegen reads them from
 * the old post and passes them in the article job as YAML lines
 * (settings.kept_front_matter); the worker writes them after its own
 * keys (render.c), so it needs no YAML reader.
 */
#ifndef KEPTFM_H
#define KEPTFM_H

/*
 * 1 when articlegen writes key itself in an article's front matter
 * (render.c), or owns it (the legacy "source"); such keys are never
 * kept.
 */
int	 keptfm_owned_key(const char *key);

/*
 * The top-level keys of path's front matter that articlegen does not
 * own, as YAML block lines ending in a newline (owned), or NULL when
 * there are none (why is then "").  YAML front matter is copied line for line (comments,
 * styles and nesting as written); JSON front matter is converted, each
 * key with its value in JSON, which YAML reads as flow style.  Nothing is
 * kept, with *why set (a sentence for a warning), when the front matter
 * is TOML, flow-style YAML or cannot be read, or when the kept lines
 * would not read back as YAML on their own (an alias to an anchor of a
 * dropped key).
 */
char	*keptfm_read(const char *path, char *why, size_t whylen);

/*
 * keptfm_read() for a post about to be replaced: what it returns, with a
 * warning naming path when its keys cannot be kept.
 */
char	*keptfm_for_replace(const char *path);

#endif /* KEPTFM_H */
