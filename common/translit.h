/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * translit.h: the ASCII transliteration table behind slugs
 * (original-pipeline.md §3.8), plus the HTML 4 named entities.
 */
#ifndef TRANSLIT_H
#define TRANSLIT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Append to out the ASCII spelling of the non-ASCII character cp:
 * compatibility decomposition followed by transliteration ("é" -> "e",
 * "ß" -> "ss", "€" -> "EUR", "½" -> "1/2").  Characters outside the
 * table append nothing.
 */
void	 translit_ascii(uint32_t cp, struct buf *out);

/*
 * Append to out the ASCII part of the compatibility decomposition of the
 * non-ASCII character cp, with a space for each non-ASCII part: what is
 * left of a character that arrives after transliteration (from an HTML
 * entity) once the slug rules drop everything non-ASCII ("é" -> "e ",
 * "™" -> "TM", "ß" -> " ").  Unknown characters append one space.
 */
void	 translit_compat(uint32_t cp, struct buf *out);

/*
 * Look up the HTML 4 entity name (len bytes, not NUL-terminated, case
 * sensitive, without '&' and ';').  0 and *cpp set, or -1.
 */
int	 translit_entity(const char *name, size_t len, uint32_t *cpp);

#endif /* TRANSLIT_H */
