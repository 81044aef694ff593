/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * yaml.h: the small part of a YAML emitter that front matter needs.
 */
#ifndef ARTICLEGEN_YAML_H
#define ARTICLEGEN_YAML_H

#include "buf.h"

/*
 * Append s to out as a YAML double-quoted scalar that every YAML 1.1/1.2
 * parser reads back as exactly s.  Printable UTF-8 is kept as is; control
 * characters, DEL, C1 controls, U+2028/U+2029 and U+FEFF are escaped.
 * Invalid UTF-8 bytes are replaced by U+FFFD (a YAML stream must be valid
 * Unicode).
 */
void	yaml_quote(struct buf *out, const char *s);

/* Append a number the way YAML reads back as the same float ("0.0", "5.49e-05"). */
void	yaml_float(struct buf *out, double v);

#endif /* ARTICLEGEN_YAML_H */
